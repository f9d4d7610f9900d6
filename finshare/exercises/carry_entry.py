"""Exercise 05: the carry-forward entry (结转损益) of one month in FJ-CAS.

Each student gets a month of vouchers of 厦门制造工厂 in FJ-CAS (sales and a
sales return with their costs, a sale of surplus materials, expense
purchases, bank charges and interest, a fine, and vouchers that touch no
profit-and-loss account), all amounts from their seed, and writes the
结转损益 voucher as a table ``account, debit, credit``. The vouchers are
posted into an in-memory ledger through the core's one posting path and the
engine's own :func:`~finshare.close.carry.carry_forward` closes the month;
the checks compare per account (the engine also splits by department).
"""
from __future__ import annotations

import tempfile
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..close.carry import carry_forward
from ..core import money
from ..core.ledger import Ledger
from .answers import read_entries
from .carry_feedback import carry_results
from .exercise import Exercise, Question, unchecked, with_notes
from .fujian import fujian_case

BOOK = "FJ-CAS"
PERIOD = "2020-04"
PROFIT = "4103"
#: The profit-and-loss accounts every student's month moves (one point each).
PL_ACCOUNTS = ("6001", "6051", "6401", "6402", "6601", "6602", "6603", "6711")
VOUCHER_COLUMNS = ["voucher", "book", "date", "account", "summary", "debit", "credit", "org", "department",
                   "customer", "supplier", "bank_account"]
JOURNAL = ["voucher_no", "date", "summary", "account", "account_name", "debit", "credit", "department",
           "customer", "supplier"]


class CarryEntry(Exercise):
    """结转损益 / The carry-forward entry of one month (see module docstring)."""

    name = "05-carry-forward"
    title = "练习 05 结转损益 / Exercise 05: carrying profit and loss forward"
    questions = (Question("carry_entry", "四月的结转损益凭证 / the carry-forward voucher of April", "check_carry"),)
    pl_accounts, profit = PL_ACCOUNTS, PROFIT

    # -------------------------------------------------------------------- data
    @cached_property
    def _posted(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The month's journal lines and the engine's carry-forward lines (both in fen)."""
        rows = month_vouchers(self.rng())
        ledger = Ledger(fujian_case())
        with tempfile.TemporaryDirectory(prefix="finshare-ex05-") as tmp:
            path = Path(tmp) / "vouchers.csv"
            pd.DataFrame(rows, columns=VOUCHER_COLUMNS).to_csv(path, index=False)
            ledger.post_vouchers(path)
        journal = ledger.lines(BOOK, "business")
        result, _ = carry_forward(ledger, BOOK, PERIOD)
        ledger.close()
        return journal, result.business

    @property
    def chart(self):
        return fujian_case().books[BOOK].chart

    @property
    def journal(self) -> pd.DataFrame:
        """The month's vouchers in FJ-CAS, one row per line, money as exact yuan (Decimal)."""
        lines = self._posted[0]
        out = pd.DataFrame({c: lines[c].astype(str) for c in JOURNAL if c in lines.columns})
        out["date"] = pd.to_datetime(lines["date"]).dt.strftime("%Y-%m-%d")
        out["account_name"] = self.chart.full_name(lines["account"].astype(str)).to_numpy()
        out["debit"] = money.decimals(lines["debit"].to_numpy("int64"), 2)
        out["credit"] = money.decimals(lines["credit"].to_numpy("int64"), 2)
        return out[JOURNAL].reset_index(drop=True)

    @property
    def accounts(self) -> pd.DataFrame:
        """The accounts of the month's vouchers with their category (``profit_and_loss`` …) and normal balance."""
        codes = sorted({*self._posted[0]["account"].astype(str), PROFIT})
        return self.chart.accounts.loc[codes, ["name_zh", "name_en", "category", "normal_balance"]]

    @cached_property
    def expected(self) -> pd.DataFrame:
        """The engine's carry-forward lines: ``account, department, net`` (debit-positive fen)."""
        cf = self._posted[1]
        return pd.DataFrame({"account": cf["account"].astype(str).to_numpy(),
                             "department": cf["department"].astype(str).to_numpy(),
                             "net": (cf["debit"].astype("int64") - cf["credit"].astype("int64")).to_numpy()})

    def month_sides(self) -> pd.DataFrame:
        """Per account: the month's debit and credit totals (fen), for feedback on one-sided sums."""
        lines = self._posted[0]
        frame = pd.DataFrame({"account": lines["account"].astype(str), "debit": lines["debit"].astype("int64"),
                              "credit": lines["credit"].astype("int64")})
        return frame.groupby("account")[["debit", "credit"]].sum()

    # ------------------------------------------------------------------ checks
    def check_carry(self, value) -> list:
        lines, problems = read_entries(value, "carry_entry", columns=("account", "debit", "credit"))
        if lines is None:
            shape = [(r.name, r.title, r.max_points) for r in carry_results(self, None)]
            return unchecked(shape, problems)
        return with_notes(carry_results(self, lines), problems)


def month_vouchers(rng) -> list[dict]:
    """April's manual vouchers of 厦门制造工厂 in FJ-CAS, as rows of a manual-voucher file (amounts in yuan)."""
    rows: list[dict] = []

    def voucher(day: int, summary: str, *lines):
        no = f"MJ-{len({r['voucher'] for r in rows}) + 1:02d}"
        for account, debit, credit, dims in lines:
            rows.append({"voucher": no, "book": BOOK, "date": f"{PERIOD}-{day:02d}", "account": account,
                         "summary": summary, "debit": _yuan(debit), "credit": _yuan(credit), "org": "XM",
                         **{d: dims.get(d, "") for d in ("department", "customer", "supplier", "bank_account")}})

    def between(low: int, high: int) -> int:
        return int(rng.integers(low, high))

    bank, customer = {"bank_account": "B001"}, {"customer": "C001"}
    sales = [between(2_000_000, 20_000_000) for _ in range(2)]
    margin = [between(55, 80) for _ in range(2)]
    costs = [s * m // 100 for s, m in zip(sales, margin)]
    for day, net, cost in zip((3, 15), sales, costs):
        voucher(day, "销售商品 深圳零售公司", ("1122", net + _vat(net), 0, customer), ("6001", 0, net, {}),
                ("22210107", 0, _vat(net), {}))
        voucher(day, "结转销售成本", ("6401", cost, 0, {}), ("1405", 0, cost, {}))
    stock = between(500_000, 5_000_000)
    voucher(8, "采购原材料 收到发票", ("1403", stock, 0, {}), ("22210101", _vat(stock), 0, {}),
            ("220201", 0, stock + _vat(stock), {"supplier": "S001"}))
    office, ads = between(50_000, 800_000), between(100_000, 2_000_000)
    voucher(10, "办公用品 费用采购", ("6602", office, 0, {"department": "XM-ADM"}),
            ("220202", 0, office, {"supplier": "S002"}))
    voucher(12, "宣传品 费用采购", ("6601", ads, 0, {"department": "XM-MKT"}),
            ("220202", 0, ads, {"supplier": "S003"}))
    voucher(18, "收到货款", ("1002", sales[0] + _vat(sales[0]), 0, bank), ("1122", 0, sales[0] + _vat(sales[0]),
                                                                           customer))
    share = between(5, 30)
    back, back_cost = sales[1] * share // 100, costs[1] * share // 100
    voucher(20, "销售退回", ("6001", back, 0, {}), ("22210107", _vat(back), 0, {}),
            ("1122", 0, back + _vat(back), customer))
    voucher(20, "退货入库 冲减销售成本", ("1405", back_cost, 0, {}), ("6401", 0, back_cost, {}))
    scrap = between(100_000, 1_500_000)
    scrap_cost = scrap * between(60, 95) // 100
    voucher(22, "出售多余材料", ("1002", scrap + _vat(scrap), 0, bank), ("6051", 0, scrap, {}),
            ("22210107", 0, _vat(scrap), {}))
    voucher(22, "结转材料成本", ("6402", scrap_cost, 0, {}), ("1403", 0, scrap_cost, {}))
    travel = between(30_000, 600_000)
    voucher(25, "采购部差旅费", ("6602", travel, 0, {"department": "XM-PUR"}), ("1002", 0, travel, bank))
    fee = between(5_000, 80_000)
    interest = max(fee + between(1_000, 60_000) * (1 if rng.random() < 0.5 else -1), fee // 2)  # never = fee
    voucher(28, "银行手续费", ("6603", fee, 0, {}), ("1002", 0, fee, bank))
    voucher(30, "利息收入", ("1002", interest, 0, bank), ("6603", 0, interest, {}))
    fine = between(20_000, 500_000)
    voucher(30, "环保罚款", ("6711", fine, 0, {}), ("1002", 0, fine, bank))
    return rows


def _vat(net: int) -> int:
    """13% output or input VAT of ``net`` fen, half up to the fen."""
    return (net * 13 + 50) // 100


def _yuan(minor: int) -> str:
    return str(money.to_decimal(minor, 2)) if minor else ""
