"""Exercise 06: lines of the 资产负债表 (CAS 2019 format) from a trial balance with counterparty detail.

Each student gets FJ-CAS's trial balance at the end of June 2020 with their
own amounts: customers and suppliers whose balances sit on the other side
(so 应收账款/预收款项 and 应付账款/预付款项 need regrouping), a bad-debt
allowance, work in progress and overhead, accumulated depreciation, VAT with a
debit balance next to unpaid VAT, and profit and loss not yet carried
forward. They compute ten balance-sheet lines; the checks compare with
:func:`~finshare.close.statements.build.build_statement` on the same
balances (:func:`~finshare.close.statements.balances.statement_balances` of
the trial balance's lines).
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..close.statements.balances import statement_balances
from ..close.statements.build import build_statement
from ..close.statements.layout import layout
from ..core import money
from .answers import not_answered, parse_money
from .exercise import Exercise, Question, unchecked
from .fujian import fujian_case
from .result import CheckResult
from .statement_feedback import diagnose

BOOK = "FJ-CAS"
PERIOD = "2020-06"
#: The lines the student computes (2 points each).
ASKED = ("BS02", "BS06", "BS08", "BS10", "BS14", "BS24", "BS42", "BS43", "BS46", "BS71")
CUSTOMERS = {"C001": ("深圳零售公司", "Shenzhen Retail Co."), "C101": ("厦门百货公司", "Xiamen Department Store"),
             "C102": ("福州超市连锁", "Fuzhou Supermarkets"), "C103": ("泉州贸易公司", "Quanzhou Trading Co."),
             "C104": ("漳州食品公司", "Zhangzhou Foods Co."), "C105": ("龙岩商贸公司", "Longyan Commerce Co.")}
SUPPLIERS = {"S001": ("瑞幸咖啡", "Luckin Coffee (supplier)"), "S002": ("办公用品供应商", "Office supplies vendor"),
             "S003": ("广告供应商", "Advertising materials vendor"), "S101": ("莆田包装厂", "Putian Packaging Works"),
             "S102": ("三明钢铁公司", "Sanming Steel Co."), "S103": ("宁德物流公司", "Ningde Logistics Co.")}
TB_COLUMNS = ["account", "account_name", "counterparty", "counterparty_name", "debit", "credit"]


class BalanceSheetLines(Exercise):
    """资产负债表项目 / Balance-sheet lines from a trial balance (see module docstring)."""

    name = "06-balance-sheet-lines"
    title = "练习 06 资产负债表项目 / Exercise 06: balance-sheet lines"
    questions = (Question("bs_lines", "六月末的资产负债表项目 / balance-sheet lines at the end of June", "check_lines"),)

    # -------------------------------------------------------------------- data
    @property
    def chart(self):
        return fujian_case().books[BOOK].chart

    @cached_property
    def balances(self) -> pd.DataFrame:
        """The statement balances of the student's trial balance (engine frame, minor units)."""
        return statement_balances(journal_lines(tb_rows(self.rng())), PERIOD)

    @property
    def trial_balance(self) -> pd.DataFrame:
        """The closing balances per account and customer/supplier, money as exact yuan (Decimal)."""
        b = self.balances
        net = b["closing"].to_numpy("int64")
        names = {**CUSTOMERS, **SUPPLIERS}
        out = pd.DataFrame({
            "account": b["account"], "account_name": self.chart.full_name(b["account"]).to_numpy(),
            "counterparty": b["counterparty"],
            "counterparty_name": [names.get(c, ("", ""))[0] for c in b["counterparty"]],
            "debit": money.decimals(net.clip(min=0), 2), "credit": money.decimals((-net).clip(min=0), 2)})
        return out[TB_COLUMNS]

    @property
    def lines_asked(self) -> pd.DataFrame:
        """The balance-sheet lines to compute: ``code, name_zh, name_en``."""
        lay = layout("cas_bs")
        return pd.DataFrame([(ln.code, ln.name_zh, ln.name_en) for ln in lay.lines if ln.code in ASKED],
                            columns=["code", "name_zh", "name_en"])

    @property
    def accounts(self) -> pd.DataFrame:
        """The accounts of the trial balance with their parent, category and normal balance."""
        codes = sorted(set(self.balances["account"]) | {"2202", "2221", "222101"})
        return self.chart.accounts.loc[codes, ["parent", "name_zh", "name_en", "category", "normal_balance"]]

    @cached_property
    def expected(self) -> dict[str, int]:
        """The engine's amounts of the asked lines (minor units)."""
        sheet = build_statement("cas_bs", self.balances, self.chart, BOOK).set_index("code")
        return {code: int(sheet.at[code, "current"]) for code in ASKED}

    # ------------------------------------------------------------------ checks
    def check_lines(self, value) -> list[CheckResult]:
        lines = {ln.code: ln for ln in layout("cas_bs").lines if ln.code in ASKED}
        shape = [(f"line-{c}", f"{c} {lines[c].name_zh} / {lines[c].name_en}", 2) for c in ASKED]
        amounts, problems = read_line_amounts(value, lines)
        if amounts is None:
            return unchecked(shape, problems)
        results = []
        for (name, title, most), code in zip(shape, ASKED):
            got, want = amounts.get(code), self.expected[code]
            if got is None:
                results.append(CheckResult(name, title, 0, most, (f"没有填写 {code} {lines[code].name_zh} / no amount "
                                                                  f"for {code} {lines[code].name_en}",)))
            elif got == want:
                results.append(CheckResult(name, title, most, most))
            else:
                note = diagnose(lines[code], got, want, self.balances, self.chart)
                results.append(CheckResult(name, title, 0, most, (note,)))
        if problems and results:
            first = results[0]
            results[0] = CheckResult(first.name, first.title, first.points, first.max_points,
                                     (*problems, *first.feedback))
        return results


def read_line_amounts(value, lines: dict) -> tuple[dict[str, int] | None, list[str]]:
    """``{line code: minor units}`` from a dict keyed by line code or name; problems as bilingual sentences."""
    what = ("一个字典，如 {\"BS02\": \"123.45\", …}", "a dict such as {\"BS02\": \"123.45\", …}")
    why = not_answered(value, "bs_lines", what)
    if why is None and not isinstance(value, dict):
        why = (f"bs_lines 应是字典，如 {{\"BS02\": \"123.45\"}}，现在是 {type(value).__name__} / bs_lines should be a "
               f"dict such as {{\"BS02\": \"123.45\"}}, not a {type(value).__name__}")
    if why:
        return None, [why]
    keys = {k.casefold(): code for code, ln in lines.items() for k in (code, ln.name_zh, ln.name_en)}
    amounts, problems = {}, []
    for key, raw in value.items():
        code = keys.get(str(key).strip().casefold())
        if code is None:
            problems.append(f"{key!r} 不是要求的报表项目 / {key!r} is not one of the lines asked (see ex.lines_asked)")
            continue
        minor, bad = parse_money(raw, 2, signed=True)
        if bad:
            problems.append(f"{code} 的金额 {raw!r} 不是金额（元，最多两位小数）/ the amount of {code}, {raw!r}, is not an "
                            "amount in yuan with at most two decimal places")
            continue
        amounts[code] = minor
    return amounts, problems


def tb_rows(rng) -> list[tuple[str, str, int]]:
    """The trial balance as ``(account, counterparty, net)`` rows, net debit-positive in fen; it balances."""
    def between(low: int, high: int) -> int:
        return int(rng.integers(low, high))

    rows = [("1001", "", between(100_000, 2_000_000)), ("1002", "", between(50_000_000, 300_000_000)),
            ("1012", "", between(1_000_000, 20_000_000))]
    late = str(rng.choice(["C001", "C101", "C102", "C103"]))        # paid in advance: a credit balance on 1122
    rows += [("1122", c, -between(300_000, 5_000_000) if c == late else between(1_000_000, 50_000_000))
             for c in ("C001", "C101", "C102", "C103")]
    rows += [("2203", "C104", -between(500_000, 8_000_000)), ("2203", "C105", between(200_000, 3_000_000)),
             ("1231", "", -between(200_000, 3_000_000))]
    rows += [("1123", "S001", between(200_000, 6_000_000)), ("1123", "S101", between(200_000, 6_000_000)),
             ("1123", "S102", -between(100_000, 2_000_000)), ("220201", "S002", -between(1_000_000, 30_000_000)),
             ("220201", "S003", -between(500_000, 10_000_000)), ("220201", "S103", between(100_000, 2_000_000)),
             ("220202", "S001", -between(500_000, 8_000_000))]
    rows += [("1403", "", between(5_000_000, 60_000_000)), ("1405", "", between(5_000_000, 80_000_000)),
             ("1471", "", -between(100_000, 2_000_000)), ("5001", "", between(1_000_000, 20_000_000)),
             ("5101", "", between(200_000, 5_000_000))]
    cost = between(200_000_000, 800_000_000)
    rows += [("1601", "", cost), ("1602", "", -cost * between(20, 60) // 100), ("2211", "", -between(2_000_000,
                                                                                               20_000_000))]
    output_vat = between(3_000_000, 20_000_000)
    rows += [("22210101", "", output_vat + between(500_000, 5_000_000)), ("22210107", "", -output_vat),
             ("222102", "", -between(500_000, 8_000_000))]
    rows += [("4101", "", -between(5_000_000, 30_000_000)), ("4103", "", -between(5_000_000, 60_000_000)),
             ("4104", "", -between(5_000_000, 60_000_000))]
    revenue = between(10_000_000, 60_000_000)
    rows += [("6001", "", -revenue), ("6401", "", revenue * between(55, 80) // 100),
             ("6602", "", between(500_000, 5_000_000))]
    equity = sum(net for _, _, net in rows)                  # net assets: the capital that makes it balance
    short = max(0, 100_000_000 - equity)                     # at least 1,000,000.00 of capital: more in the bank
    rows[1], equity = ("1002", "", rows[1][2] + short), equity + short
    capital = equity * 7 // 10 // 1_000_000 * 1_000_000      # paid-in capital in round ten-thousands of yuan
    return rows + [("4001", "", -capital), ("4002", "", -(equity - capital))]


def journal_lines(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """The trial balance as journal lines of the period (customers on 1122/2203, suppliers on the others)."""
    frame = pd.DataFrame(rows, columns=["account", "counterparty", "net"])
    on_customer = frame["account"].isin(["1122", "2203"])
    net = frame["net"].to_numpy("int64")
    return pd.DataFrame({
        "period": PERIOD, "account": frame["account"], "source_type": "manual",
        "customer": frame["counterparty"].where(on_customer, ""),
        "supplier": frame["counterparty"].where(~on_customer, ""),
        "debit": net.clip(min=0), "credit": (-net).clip(min=0)})
