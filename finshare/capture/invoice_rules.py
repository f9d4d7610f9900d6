"""The checks of a VAT invoice page (增值税发票), by family.

Rules stated:

* 发票代码 — 数电票 (``digital_special``, ``digital_normal``): none; 增值税专用发票
  (``special``): 10 digits, the 8th (type digit) 1 or 5; 增值税普通发票 (``normal``): 12
  digits starting 0, digits 11–12 ``04`` or ``05``; 电子普通发票 (``e_normal``): 12 digits
  starting 0, digits 11–12 ``11`` (DOMAIN §4.1, getFplx).
* 发票号码 — 20 digits on 数电票, else 8; 校验码, where read, 20 digits.
* both tax ids pass GB 32100 (:mod:`finshare.core.uscc`).
* 金额 + 税额 = 价税合计 exactly in fen; 税额 = 金额 × 税率 rounded half-up, within ±1 fen
  per item line (one line when the page does not list its items).
* 税率 one in force on the invoice date: 13/9/6 % from 2019-04-01, 16/10/6 % from 2018-05-01,
  17/11/6 % before; levy rates 0, 1, 1.5, 3 and 5 % at any date.
* 价税合计（大写） states the same amount as the figures (:mod:`finshare.capture.numerals`).
* the buyer is one of our entities (tax id ours, name exactly that entity's);
  the seller's tax id is a known counterparty and the name is exactly its master name.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rapidfuzz import fuzz

from ..core.uscc import uscc_problem
from .checks import Rule, date_plausible
from .context import norm_name
from .numerals import words_to_amount
from .values import parse_date, parse_money, parse_rate, tax_of

DIGITAL = {"digital_special", "digital_normal"}
FAMILIES = DIGITAL | {"special", "normal", "e_normal"}
_LEVY = {Decimal(x) for x in ("0", "0.01", "0.015", "0.03", "0.05")}
_GENERAL = ((dt.date(2019, 4, 1), {Decimal(x) for x in ("0.13", "0.09", "0.06")}),
            (dt.date(2018, 5, 1), {Decimal(x) for x in ("0.16", "0.10", "0.06")}),
            (dt.date.min, {Decimal(x) for x in ("0.17", "0.11", "0.06")}))


def code_problem(code: str, family: str) -> str | None:
    """Why ``code`` is not an invoice code of ``family`` (bilingual), or None."""
    if family in DIGITAL:
        return None if code == "" else f"数电票没有发票代码，却读到 {code!r} / a 数电 invoice has no code, read {code!r}"
    if family == "special":
        if len(code) != 10 or not code.isdigit() or code[7] not in "15":
            return (f"专票代码应为 10 位数字、第 8 位为 1 或 5，读到 {code!r} / a special invoice code is 10 digits "
                    f"with 1 or 5 in place 8, read {code!r}")
        return None
    tail = ("04", "05") if family == "normal" else ("11",)
    if len(code) != 12 or not code.isdigit() or code[0] != "0" or code[10:] not in tail:
        return (f"{family} 发票代码应为 12 位数字、首位 0、末两位 {'/'.join(tail)}，读到 {code!r} / a {family} invoice "
                f"code is 12 digits starting 0 and ending {'/'.join(tail)}, read {code!r}")
    return None


def _code(values, page, ctx):
    family = page.get("family")
    if family not in FAMILIES:
        return False, f"未知发票类型 {family!r} / unknown invoice family {family!r}: one of {', '.join(sorted(FAMILIES))}"
    why = code_problem(values.get("invoice_code", ""), family)
    return why is None, why or f"发票代码格式正确 / invoice code fits {family}"


def _number(values, page, ctx):
    no, n = values.get("invoice_no", ""), 20 if page.get("family") in DIGITAL else 8
    if len(no) == n and no.isdigit():
        return True, f"发票号码 {n} 位数字 / invoice number is {n} digits"
    return False, f"发票号码应为 {n} 位数字，读到 {no!r} / the invoice number should be {n} digits, read {no!r}"


def _check_code(values, page, ctx):
    c = values.get("check_code", "")
    if c == "" or (len(c) == 20 and c.isdigit()):
        return True, "校验码格式正确 / check code fits"
    return False, f"校验码应为 20 位数字，读到 {c!r} / the check code should be 20 digits, read {c!r}"


def _uscc(field):
    def test(values, page, ctx):
        why = uscc_problem(values.get(field, ""))
        return why is None, why or "纳税人识别号通过 GB 32100 校验 / tax id passes GB 32100"
    return test


def _money(field, label):
    def test(values, page, ctx):
        text = values.get(field, "")
        fen = parse_money(text)
        if fen is None or (fen == 0 and field != "tax"):
            return False, f"{label} {text!r} 不是两位小数的正金额 / {field} {text!r} is not a positive amount with 2 decimals"
        return True, f"{label} {text} 格式正确 / {field} is an amount"
    return test


def rates_in_force(day: dt.date | None) -> set[Decimal]:
    """VAT and levy rates an invoice dated ``day`` may carry (all of them when the date is unreadable)."""
    if day is None:
        return _LEVY.union(*(r for _, r in _GENERAL))
    return _LEVY | next(r for start, r in _GENERAL if day >= start)


def _rate(values, page, ctx):
    text = values.get("tax_rate", "")
    rate = parse_rate(text)
    if rate is None or rate not in rates_in_force(parse_date(values.get("date"))):
        return False, (f"税率 {text!r} 不是开票日适用的税率 / tax rate {text!r} is not a rate in force on the invoice "
                       "date"), ("tax_rate",)
    return True, f"税率 {text} 适用 / tax rate {text} is in force", ("tax_rate",)


def _sum(values, page, ctx):
    a, t, s = (parse_money(values.get(f)) for f in ("amount", "tax", "total"))
    if None in (a, t, s):
        return False, "金额、税额或价税合计读不出 / amount, tax or total unreadable"
    if a + t == s:
        return True, f"{values['amount']} + {values['tax']} = {values['total']}"
    return False, (f"金额 {values['amount']} + 税额 {values['tax']} ≠ 价税合计 {values['total']} / amount + tax ≠ total")


def _tax(values, page, ctx):
    a, t, r = parse_money(values.get("amount")), parse_money(values.get("tax")), parse_rate(values.get("tax_rate"))
    if None in (a, t, r):
        return False, "金额、税额或税率读不出 / amount, tax or rate unreadable"
    expected, allowance = tax_of(a, r), max(1, len(page.get("items") or ()))
    if abs(t - expected) <= allowance:
        return True, f"税额 {values['tax']} ≈ {values['amount']} × {values['tax_rate']} (±{allowance} 分 / fen)"
    return False, (f"税额 {values['tax']} 与 金额 × 税率 = {expected / 100:.2f} 相差超过 {allowance} 分 / tax differs from "
                   f"amount × rate by more than {allowance} fen")


def _words(values, page, ctx):
    said, total = words_to_amount(values.get("total_in_words", "")), parse_money(values.get("total"))
    if said is not None and said == total:
        return True, "大写与小写一致 / words equal the figures"
    return False, (f"大写 {values.get('total_in_words', '')!r} 与小写 {values.get('total', '')!r} 不一致 / the amount in "
                   "words does not equal the figures")


def _buyer(values, page, ctx):
    tax, name = values.get("buyer_tax_id", ""), values.get("buyer_name", "")
    entity = ctx.our_by_uscc.get(tax)
    if entity is None:
        return False, f"购买方税号 {tax!r} 不是本集团主体 / buyer tax id {tax!r} is none of our entities"
    if norm_name(name) != norm_name(entity.name):
        return False, (f"购买方名称 {name!r} 与税号对应的 {entity.name} 不一致 / buyer name does not agree with the tax id "
                       f"({entity.name})")
    return True, f"购买方是 {entity.name} / buyer is our entity {entity.code}"


def _seller(values, page, ctx):
    tax, name = values.get("seller_tax_id", ""), values.get("seller_name", "")
    party = ctx.party_by_uscc.get(tax)
    if party is None:
        return False, f"销售方税号 {tax!r} 不在供应商/客户主数据中 / seller tax id {tax!r} is not in the master data"
    if norm_name(name) == norm_name(party.name):
        return True, f"销售方是 {party.name} ({party.code}) / seller is {party.code}"
    score = fuzz.ratio(norm_name(name), norm_name(party.name))
    return False, (f"销售方名称 {name!r} 与主数据 {party.name!r} 不同（相似度 {score:.0f}） / seller name differs from the "
                   f"master name (similarity {score:.0f}; ≥ {ctx.name_threshold:.0f} is corrected to it)")


def rules(page: dict) -> tuple[Rule, ...]:
    """The invoice rules for this page (the 校验码 rule only where one was read)."""
    out = (Rule("invoice_code_format", ("invoice_code",), _code),
           Rule("invoice_no_format", ("invoice_no",), _number))
    if "check_code" in (page.get("fields") or {}):
        out += (Rule("check_code_format", ("check_code",), _check_code),)
    return out + (
        Rule("buyer_tax_id_gb32100", ("buyer_tax_id",), _uscc("buyer_tax_id")),
        Rule("seller_tax_id_gb32100", ("seller_tax_id",), _uscc("seller_tax_id")),
        Rule("amount_format", ("amount",), _money("amount", "金额")),
        Rule("tax_format", ("tax",), _money("tax", "税额")),
        Rule("total_format", ("total",), _money("total", "价税合计")),
        Rule("tax_rate_in_force", ("tax_rate", "date"), _rate),
        Rule("total_is_amount_plus_tax", ("amount", "tax", "total"), _sum),
        Rule("tax_is_amount_times_rate", ("amount", "tax_rate", "tax"), _tax),
        Rule("words_match_total", ("total_in_words", "total"), _words),
        Rule("date_plausible", ("date",), date_plausible),
        Rule("buyer_is_ours", ("buyer_name", "buyer_tax_id"), _buyer),
        Rule("seller_is_known", ("seller_name", "seller_tax_id"), _seller),
    )
