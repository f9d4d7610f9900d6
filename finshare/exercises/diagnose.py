"""Why an account or an amount on a student's entry line is wrong, in accounting terms.

Each function gets what the student wrote and what the engine posted and
returns one bilingual sentence that names the student's choice and the fact
of the document it contradicts, without naming the right account or amount.
"""
from __future__ import annotations

from fractions import Fraction

from ..core.chart import Chart
from .result import yuan

#: The role of an account in these exercises, CAS and HKFRS codes alike.
ROLES = {
    "6601": "selling", "6100": "selling", "6602": "admin", "6200": "admin",
    "1403": "inventory", "1405": "inventory", "1310": "inventory", "1330": "inventory",
    "220202": "accrued", "2120": "accrued", "220201": "invoiced", "2110": "invoiced",
    "1001": "cash", "1002": "cash", "1000": "cash", "1221": "advance", "1120": "advance",
}
SIDE_ZH = {"debit": "借方", "credit": "贷方"}


def account_label(chart: Chart, code: str) -> str:
    """``6602 管理费用 Administrative expenses`` (the code alone when the chart lacks it)."""
    if code in chart:
        return f"{code} {chart.name_of(code)} {chart.name_of(code, 'en')}"
    return code


def wrong_account(doc: str, side: str, got: str, want: str, facts: dict, chart: Chart,
                  other_chart: Chart | None = None) -> str:
    """One sentence on why ``got`` (instead of the engine's ``want``) is wrong for ``doc``."""
    if got not in chart:
        return _not_in_chart(doc, got, chart, other_chart)
    if not bool(chart.accounts.at[got, "is_leaf"]):
        return (f"{doc}：{got} {chart.name_of(got)} 不是末级科目，不能记账 / {doc}: {got} "
                f"{chart.name_of(got, 'en')} has sub-accounts and cannot be posted to — use one of them")
    label = account_label(chart, got)
    pair = (ROLES.get(got), ROLES.get(want))
    rule = _PAIR_RULES.get(pair)
    if rule is not None:
        return rule(doc, label, facts)
    return (f"{doc}：{SIDE_ZH[side]}科目 {label} 不符合这张单据的业务 / {doc}: the {side} account {label} does not "
            f"fit this document ({facts.get('what', 'its business class and fields')})")


def _not_in_chart(doc, got, chart, other_chart) -> str:
    text = (f"{doc}：科目 {got} 不在{chart.name}科目表中 / {doc}: account {got} is not in the {chart.name} chart")
    if other_chart is not None and got in other_chart:
        text += (f"；{got} 是{other_chart.name}科目，这个账簿用自己的科目表（费用按功能分类）/ {got} is a "
                 f"{other_chart.name} code: this book keeps its own chart (expenses classified by function)")
    return text


def _dept(doc, label, facts) -> str:
    return (f"{doc} 记入了 {label}；但部门 {facts.get('dept_name', '?')} 的部门属性是 {facts.get('dept_attr', '?')} / "
            f"{doc} went to {label}, but the department {facts.get('dept_name', '?')} has the attribute "
            f"{facts.get('dept_attr', '?')}")


def _stock_not_expense(doc, label, facts) -> str:
    return (f"{doc} 是{facts.get('biz_type', '标准采购')}（{facts.get('material_name', '')}）：入库的存货不是费用，"
            f"不应记入 {label} / {doc} is a {facts.get('biz_type', '标准采购')} of {facts.get('material_name', '')}: "
            f"goods received into stock are inventory, not an expense like {label}")


def _expense_not_stock(doc, label, facts) -> str:
    return (f"{doc} 是费用采购：{facts.get('material_name', '')} 由部门直接耗用，不进存货 {label} / {doc} is a "
            f"费用采购 (expense purchase): {facts.get('material_name', '')} is used up by the department, it is not "
            f"inventory like {label}")


def _other_stock(doc, label, facts) -> str:
    return (f"{doc}：{label} 不是物料 {facts.get('material_name', '')} 的存货科目 / {doc}: {label} is not the "
            f"inventory account of the material {facts.get('material_name', '')} (see the materials master data)")


def _accrued(doc, label, facts) -> str:
    return (f"{doc} 的发票还没有收到（货到票未到），贷方不应是 {label} / {doc} has no invoice yet (goods received, "
            f"not invoiced), so its payable is not {label}")


def _unpaid(doc, label, facts) -> str:
    return (f"{doc} 还没有付款，入库形成的是一笔应付款，不是 {label} / nothing has been paid for {doc} yet: a receipt "
            f"creates a payable, not a movement of {label}")


def _pay_mode(doc, label, facts) -> str:
    return (f"{doc} 的付款方式是 {facts.get('pay_mode', '?')}，贷方不应是 {label} / {doc} is settled by "
            f"{facts.get('pay_mode', '?')}, so its credit is not {label}")


_PAIR_RULES = {
    ("admin", "selling"): _dept, ("selling", "admin"): _dept,
    ("admin", "inventory"): _stock_not_expense, ("selling", "inventory"): _stock_not_expense,
    ("inventory", "admin"): _expense_not_stock, ("inventory", "selling"): _expense_not_stock,
    ("inventory", "inventory"): _other_stock,
    ("invoiced", "accrued"): _accrued, ("cash", "accrued"): _unpaid,
    ("cash", "advance"): _pay_mode, ("advance", "cash"): _pay_mode,
    ("accrued", "cash"): _pay_mode, ("accrued", "advance"): _pay_mode,
}


def wrong_amount(doc: str, side: str, got: int, want: int, facts: dict, exp: int = 2) -> str:
    """One sentence on why the ``side`` total ``got`` (minor units) differs from the document's."""
    head = (f"{doc}：{SIDE_ZH[side]}金额 {yuan(got, exp)} 与单据不符 / {doc}: the {side} amount {yuan(got, exp)} "
            "does not match the document")
    orig, rate = facts.get("amount_orig"), facts.get("rate")
    if orig is not None and rate is not None:
        return head + " — " + _conversion_hint(got, int(orig), Fraction(str(rate)))
    if want and Fraction(got, want) == Fraction(113, 100):
        return head + (" — 看起来含了 13% 增值税；入库按不含税金额记账 / it looks like it includes 13% VAT: a receipt "
                       "is booked at the tax-exclusive amount")
    rule = facts.get("amount_rule")
    return head + (f" ({rule})" if rule else "")


def _conversion_hint(got: int, orig: int, rate: Fraction) -> str:
    if got == orig:
        return "金额还是人民币，没有换算成港币 / it is still the CNY amount, not converted into HKD"
    if got in (int(orig / rate), _half_up(orig / rate)):
        return ("换算方向反了：汇率是 1 人民币兑多少港币 / converted the wrong way: the rate says how many HKD one "
                "CNY buys")
    if got == int(orig * rate) and got != _half_up(orig * rate):
        return ("尾数舍去了；每一行按四舍五入保留到分 / the cents were cut off: each line is rounded half up to "
                "the cent")
    return "请按单据日期的汇率逐行换算，四舍五入到分 / convert line by line at the rate of the document's date"


def _half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))
