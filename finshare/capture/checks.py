"""Checks of a captured page: what makes OCR output trustworthy.

:func:`check_page` runs every rule of the page's kind and returns one
:class:`Check` per rule — its name, whether it passed, a bilingual detail
and the fields it concerns (a failed check flags those fields). The rules
themselves live in :mod:`finshare.capture.invoice_rules` and
:mod:`finshare.capture.receipt_rules`; each is a :class:`Rule`, a pure
function of the page's field values and the :class:`CaptureContext`, so the
corrector (:mod:`finshare.capture.correct`) can run them on candidate readings.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .context import CaptureContext
from .values import parse_date

INVOICE_FIELDS = ("invoice_code", "invoice_no", "date", "buyer_name", "buyer_tax_id", "seller_name",
                  "seller_tax_id", "amount", "tax_rate", "tax", "total", "total_in_words")
RECEIPT_FIELDS = ("date", "payer_name", "payer_account", "payee_name", "payee_account", "amount",
                  "amount_in_words", "memo", "serial_no")
#: Fields that may be blank: the invoice code (数电票 have none) and a receipt's memo.
MAY_BE_BLANK = {"invoice": {"invoice_code"}, "receipt": {"memo"}}


@dataclass(frozen=True)
class Check:
    """The result of one rule on one page."""

    name: str
    passed: bool
    detail: str
    fields: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "detail": self.detail, "fields": list(self.fields)}


@dataclass(frozen=True)
class Rule:
    """A named check over some fields: ``test(values, page, context) -> (passed, detail[, flagged fields])``.

    ``fields`` are all the fields the test reads (the corrector relies on
    it); the test may flag fewer of them when it fails.

    ``correctable`` is False for rules a different reading must never be
    made to satisfy (duplicates, presence): they constrain corrections but do
    not start one.
    """

    name: str
    fields: tuple[str, ...]
    test: Callable[[dict, dict, CaptureContext], tuple[bool, str]]
    correctable: bool = True

    def run(self, values: dict, page: dict, ctx: CaptureContext) -> Check:
        passed, detail, *flagged = self.test(values, page, ctx)
        return Check(self.name, bool(passed), detail, tuple(flagged[0]) if flagged else self.fields)


def values_of(page: dict) -> dict[str, str]:
    """Field name → value text of a captured page (missing fields as ``""``)."""
    return {k: ("" if f.get("value") is None else str(f.get("value")).strip())
            for k, f in (page.get("fields") or {}).items()}


def date_plausible(values: dict, page: dict, ctx: CaptureContext) -> tuple[bool, str]:
    """A real day, not after today and not before ``ctx.earliest`` (2017-01-01)."""
    text = values.get("date", "")
    day = parse_date(text)
    if day is None:
        return False, f"日期 {text!r} 不是 YYYY-MM-DD 格式的有效日期 / date {text!r} is not a valid YYYY-MM-DD date"
    if day > ctx.today:
        return False, f"日期 {day} 晚于今天 {ctx.today} / date {day} is in the future (today {ctx.today})"
    if day < ctx.earliest:
        return False, f"日期 {day} 早于 {ctx.earliest} / date {day} is before {ctx.earliest}"
    return True, f"日期 {day} 合理 / date {day} is plausible"


def present_rule(kind: str) -> Rule:
    """Every field of the kind is read (blank allowed where the form has none)."""
    names = INVOICE_FIELDS if kind == "invoice" else RECEIPT_FIELDS

    def test(values, page, ctx):
        missing = [n for n in names if not values.get(n) and n not in MAY_BE_BLANK[kind]]
        if missing:
            return False, f"未读出字段 {', '.join(missing)} / fields not read: {', '.join(missing)}"
        return True, "字段齐全 / all fields read"
    return Rule("fields_present", names, test, correctable=False)


def duplicate_rule(kind: str) -> Rule:
    """Not captured before (see :class:`~finshare.capture.register.Register`)."""
    fields = ("seller_tax_id", "invoice_code", "invoice_no") if kind == "invoice" else ("serial_no", "date", "amount")

    def test(values, page, ctx):
        if ctx.register.seen(kind, values):
            what = "发票" if kind == "invoice" else "回单"
            return False, (f"这张{what}已采集过（{', '.join(values.get(f, '') for f in fields)}） / this {kind} was "
                           "captured before")
        return True, "未重复 / not captured before"
    return Rule("not_duplicate", fields, test, correctable=False)


def rules_for(page: dict) -> tuple[Rule, ...]:
    """The rules of the page's kind (and family)."""
    from . import invoice_rules, receipt_rules
    kind = page.get("kind")
    if kind == "invoice":
        return (present_rule(kind),) + invoice_rules.rules(page) + (duplicate_rule(kind),)
    if kind == "receipt":
        return (present_rule(kind),) + receipt_rules.RULES + (duplicate_rule(kind),)
    return (Rule("kind_known", (), lambda v, p, c: (False, f"未知单据种类 {kind!r}，应为 invoice 或 receipt / unknown "
                                                    f"kind {kind!r}: invoice or receipt"), correctable=False),)


def check_page(page: dict, context: CaptureContext) -> list[Check]:
    """Run every check of the page's kind.

    Parameters
    ----------
    page : dict
        A captured page ``{"file", "page", "kind", "family", "fields": {name: {"value", "confidence", "box"}}}``.
    context : CaptureContext

    Returns
    -------
    list of Check
        One per rule, in a fixed order.
    """
    values = values_of(page)
    return [r.run(values, page, context) for r in rules_for(page)]
