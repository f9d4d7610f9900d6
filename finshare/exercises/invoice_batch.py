"""A student's batch of eight captured VAT invoice pages, some with one planted fault, and the engine's verdicts.

The pages are the truth values of realistic invoices
(:func:`finshare.capture.render.fields.draw_invoice`) sold by the Fujian
case's counterparties to 福建制造公司, read with full confidence; then one
fault each is planted on some of them: a wrong GB 32100 check character in a
tax id, a total that is not amount + tax, words that do not state the total,
a buyer that is not ours, a tax rate not in force, and a second capture of an
earlier page. The verdict of every page is :func:`finshare.capture.status.assess`
on the pages in order (:func:`~finshare.capture.status.assess_pages`, so a
second capture is a duplicate); a planted fault is redrawn until the engine
sees exactly the checks the fault is meant to fail, so each page teaches what
it says.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..capture.checks import INVOICE_FIELDS
from ..capture.context import CaptureContext
from ..capture.correct import CONFUSIONS
from ..capture.numerals import DIGITS, amount_in_words
from ..capture.register import Register
from ..capture.render.fields import INVOICE_FAMILIES, draw_invoice
from ..capture.render.parties import Party, invented
from ..capture.status import assess_pages
from ..capture.values import money_text, parse_money, tax_of
from ..core.uscc import ALPHABET
from .fujian import fujian_case

#: The day the batch is checked on (no page may be dated later).
TODAY = dt.date(2026, 1, 31)
#: What each planted fault must make the engine fail (the buyer's or the seller's tax id for a check character).
FAULTS = {"clean": set(), "sum": {"total_is_amount_plus_tax"}, "words": {"words_match_total"},
          "buyer": {"buyer_is_ours"}, "rate": {"tax_rate_in_force"}, "duplicate": {"not_duplicate"},
          "check-char": None}
#: The batch: the faults of the eight pages before shuffling ("duplicate" repeats a clean page).
BATCH = ("clean", "clean", "check-char", "sum", "words", "buyer", "rate", "duplicate")
#: check name → (area 中文, area English, what it checks 中文, English).
CHECK_TERMS = {
    "fields_present": ("字段", "the fields", "每个字段都读出（数电票没有发票代码）", "every field read (a 数电票 has no code)"),
    "invoice_code_format": ("发票代码和号码", "the invoice code and number", "发票代码符合发票种类",
                            "the invoice code fits the kind of invoice"),
    "invoice_no_format": ("发票代码和号码", "the invoice code and number", "发票号码位数（数电票 20 位，其他 8 位）",
                          "the invoice number's length (20 digits on a 数电票, else 8)"),
    "buyer_tax_id_gb32100": ("纳税人识别号", "the credit codes", "购买方纳税人识别号通过 GB 32100 校验码",
                             "the buyer's tax id passes the GB 32100 check character"),
    "seller_tax_id_gb32100": ("纳税人识别号", "the credit codes", "销售方纳税人识别号通过 GB 32100 校验码",
                              "the seller's tax id passes the GB 32100 check character"),
    "amount_format": ("金额格式", "the form of the amounts", "金额是两位小数的正数", "the amount has two decimals"),
    "tax_format": ("金额格式", "the form of the amounts", "税额是两位小数的金额", "the tax has two decimals"),
    "total_format": ("金额格式", "the form of the amounts", "价税合计是两位小数的正数", "the total has two decimals"),
    "tax_rate_in_force": ("税率", "the tax rate", "税率是开票日适用的税率（或征收率）",
                          "the rate was in force on the invoice date (or is a levy rate)"),
    "total_is_amount_plus_tax": ("金额勾稽", "how the amounts add up", "金额 + 税额 = 价税合计",
                                 "amount + tax = total"),
    "tax_is_amount_times_rate": ("金额勾稽", "how the amounts add up", "税额 = 金额 × 税率（每行 ±1 分）",
                                 "tax = amount × rate (±1 fen per item line)"),
    "words_match_total": ("大写金额", "the amount in words", "价税合计（大写）与小写一致",
                          "the total in words states the total in figures"),
    "date_plausible": ("开票日期", "the invoice date", "开票日期有效且不晚于今天", "a real date, not in the future"),
    "buyer_is_ours": ("购销双方", "the parties", "购买方是本集团主体（税号和名称一致）",
                      "the buyer is our entity (tax id and name agree)"),
    "seller_is_known": ("购销双方", "the parties", "销售方在主数据中（税号和名称一致）",
                        "the seller is in the master data (tax id and name agree)"),
    "not_duplicate": ("重复", "earlier captures", "这张发票没有采集过", "the invoice was not captured before"),
}
_CONFUSABLE = {c: set(cls) for cls in CONFUSIONS for c in cls}


@dataclass(frozen=True)
class Verdict:
    """The engine's verdict on one page: ``status`` (accepted / review) and the names of the checks that failed."""

    status: str
    failed: frozenset[str]


def context() -> CaptureContext:
    """What the pages are checked against: the case's master data, checked on :data:`TODAY`, nothing captured."""
    return CaptureContext.from_master(fujian_case().master, today=TODAY, register=Register())


def sellers() -> list[Party]:
    """The case's suppliers and customers that have a credit code."""
    return [Party(p.name, p.uscc) for p in context().counterparties if p.uscc]


def _numeral_off(rng, words: str) -> str:
    places = [i for i, c in enumerate(words) if c in DIGITS[1:]]
    i = int(rng.choice(places))
    return words[:i] + str(rng.choice([d for d in DIGITS[1:] if d != words[i]])) + words[i + 1:]


def _wrong_check_char(rng, code: str) -> str:
    near = _CONFUSABLE.get(code[-1], {code[-1]})
    return code[:-1] + str(rng.choice([c for c in ALPHABET if c not in near]))


def _with_total(fields: dict, total: int) -> dict:
    return fields | {"total": money_text(total), "total_in_words": amount_in_words(total, unit="圆")}


def plant(rng, fault: str, fields: dict) -> dict:
    """``fields`` with ``fault`` planted (see module docstring); "clean" and "duplicate" leave them as they are."""
    amount, tax, total = (parse_money(fields[f]) for f in ("amount", "tax", "total"))
    if fault == "check-char":
        side = str(rng.choice(["buyer", "seller"]))
        return fields | {f"{side}_tax_id": _wrong_check_char(rng, fields[f"{side}_tax_id"])}
    if fault == "sum":
        return _with_total(fields, total + int(rng.integers(1, 10)) * 10 ** int(rng.integers(2, 5)))
    if fault == "words":
        return fields | {"total_in_words": _numeral_off(rng, fields["total_in_words"])}
    if fault == "buyer":
        other = invented(rng, 1)[0]
        return fields | {"buyer_name": other.name, "buyer_tax_id": other.tax_id}
    if fault == "rate":
        rate = Decimal(str(rng.choice(["0.16", "0.10", "0.17", "0.11"])))
        new_tax = tax_of(amount, rate)
        return _with_total(fields | {"tax_rate": str(rate), "tax": money_text(new_tax)}, amount + new_tax)
    return fields


def page_of(number: int, family: str, fields: dict, items: int) -> dict:
    """A captured page as :func:`~finshare.capture.status.assess` takes it, every field read with confidence 0.97."""
    return {"file": f"invoice_{number:02d}.png", "page": 1, "kind": "invoice", "family": family,
            "items": [{}] * items,
            "fields": {k: {"value": fields[k], "confidence": 0.97, "box": None} for k in INVOICE_FIELDS}}


def verdicts(pages: list[dict]) -> list[Verdict]:
    """The engine's verdicts on the pages, assessed in order (a second capture is a duplicate)."""
    results = assess_pages(pages, context())
    return [Verdict(r.status, frozenset(c.name for c in r.checks if not c.passed)) for r in results]


def _fits(fault: str, page: dict, side: set | None, earlier: list[dict]) -> bool:
    v = verdicts([*earlier, page])[-1]
    if fault == "check-char":
        return v.status == "review" and len(v.failed) == 2 and any(n.endswith("gb32100") for n in v.failed)
    return (v.status == ("accepted" if fault == "clean" else "review")) and v.failed == side


def make_batch(rng: np.random.Generator) -> tuple[list[dict], list[str]]:
    """Eight pages of the student's batch in order, and the fault planted on each (for tests and feedback)."""
    order = [BATCH[i] for i in rng.permutation(len(BATCH))]
    first_clean = order.index("clean")
    if order.index("duplicate") < first_clean:                   # a second capture comes after the first
        i, j = order.index("duplicate"), first_clean
        order[i], order[j] = order[j], order[i]
        first_clean = i
    parties, pages = sellers(), []
    for n, fault in enumerate(order, start=1):
        if fault == "duplicate":
            pages.append(pages[first_clean] | {"file": f"invoice_{n:02d}.png"})
            continue
        for _ in range(50):
            family = str(rng.choice(INVOICE_FAMILIES))
            truth = draw_invoice(rng, family, parties)
            page = page_of(n, family, plant(rng, fault, truth["fields"]), len(truth["items"]))
            if _fits(fault, page, FAULTS[fault], pages):
                break
        else:                                                   # pragma: no cover - every fault fits in a few draws
            raise RuntimeError(f"no page with the fault {fault} fits the engine's checks")
        pages.append(page)
    return pages, order


def pages_table(pages: list[dict]) -> pd.DataFrame:
    """The pages as the student sees them: one row per page, every field as read, and its number of item lines."""
    rows = [{"page": n, "family": p["family"], **{k: p["fields"][k]["value"] for k in INVOICE_FIELDS},
             "item_lines": len(p["items"])} for n, p in enumerate(pages, start=1)]
    return pd.DataFrame(rows)
