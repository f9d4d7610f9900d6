"""Fields of a VAT invoice (增值税发票) from its text cells.

- ``invoice_code`` right of 发票代码 (10 digits on 专票, 12 on 普票; empty on 数电票),
  ``invoice_no`` right of 发票号码 (20 digits on 数电票, else 8), ``date`` right of 开票日期;
- buyer and seller: the values right of 名称 and 纳税人识别号 (also in 统一社会信用代码/纳税人识别号);
  on a 数电票 the left block is the buyer and the right the seller, on older forms the
  block above the item table is the buyer's and the one below the seller's;
- ``amount`` and ``tax``: the first and last amounts on the 合计 row; ``total`` right of
  (小写); ``total_in_words`` the capital numerals right of (大写);
- ``tax_rate``: the rate most item rows show (between the table head and 合计).

A value whose label was not read is taken by its grammar alone where that is unambiguous
(a 20-digit number, a date), with lower confidence.
"""
from __future__ import annotations

import re
from collections import Counter

from . import grammar
from .anchors import PageText
from .fields import NO_ANCHOR_FACTOR, anywhere, first_after, missing, read_after

#: the item table's head, which also says 名称 (项目名称, 货物或应税劳务、服务名称)
TABLE_HEAD = re.compile("项目|服务名|劳务|规格|型号|单位|数量")
INVOICE_FIELDS = ("invoice_code", "invoice_no", "date", "buyer_name", "buyer_tax_id", "seller_name",
                  "seller_tax_id", "amount", "tax_rate", "tax", "total", "total_in_words")


def extract_invoice(text: PageText, family: str) -> dict:
    """Captured invoice fields (:data:`INVOICE_FIELDS`) of a page of ``family``."""
    digital = family.startswith("digital")
    out = dict.fromkeys(INVOICE_FIELDS)
    if digital:
        out["invoice_code"] = {"value": "", "confidence": 1.0, "box": None}
    else:
        out["invoice_code"] = first_after(text, ["发票代码"], lambda t: grammar.digits(t, (12, 10)))
    lengths = (20,) if digital else (8,)
    out["invoice_no"] = first_after(text, ["发票号码"], lambda t: grammar.digits(t, lengths))
    if out["invoice_no"] is None and digital:
        out["invoice_no"] = _only(anywhere(text, lambda t: grammar.digits(t, (20,))))
    out["date"] = first_after(text, ["开票日期"], grammar.date) or _only(anywhere(text, grammar.date))
    out.update(_parties(text, digital))
    out.update(_totals(text))
    out["tax_rate"] = _rate(text)
    return {k: v if v is not None else missing() for k, v in out.items()}


def _only(found: list[dict]) -> dict | None:
    """The one value found, or None when there are none or several different ones."""
    values = {f["value"] for f in found}
    return found[0] if len(values) == 1 else None


def _parties(text: PageText, digital: bool) -> dict:
    """buyer_/seller_ name and tax id: the blocks ordered left → right (数电) or top → bottom."""
    split = _split(text, digital)
    out = {}
    for field, anchors, parser in (("name", ["名称", "称:"], grammar.name),
                                   ("tax_id", ["纳税人识别号", "统一社会信用代码"], grammar.uscc)):
        found = []
        for anchor in anchors:
            for span in text.find(anchor):
                if TABLE_HEAD.search(text.cells.at[span.cell, "text"]):
                    continue
                value = read_after(text, span, parser)
                if value is not None and not TABLE_HEAD.search(value["value"]):
                    found.append((text.centre(span), value))
        for side in ("buyer", "seller"):
            mine = [v for (x, y), v in found if (("buyer" if (x if digital else y) < split else "seller") == side)]
            out[f"{side}_{field}"] = mine[0] if mine else None
    return out


def _split(text: PageText, digital: bool) -> float:
    """Between buyer and seller: the page's middle (数电), or the 价税合计 row's height (older forms)."""
    if digital:
        return text.mid_x()
    rows = text.find("价税合计") or text.find("合计")
    return text.centre(rows[0])[1] if rows else text.cells["top"].median()


def _totals(text: PageText) -> dict:
    out = {"amount": None, "tax": None}
    for span in text.find("合计"):
        if text.cells.at[span.cell, "text"][max(0, span.start - 2):span.start].endswith("税"):
            continue
        line = text.cells.at[span.cell, "line"]
        amounts = [v for v in anywhere(text, grammar.amount, [s.cell for s in text.line_cells(line)])]
        if len(amounts) >= 2:
            out = {"amount": _plain(amounts[0]), "tax": _plain(amounts[-1])}
            break
    if out["amount"] is None:
        out.update(_totals_above_words(text))
    out["total"] = first_after(text, ["(小写)", "小写"], grammar.amount)
    out["total_in_words"] = first_after(text, ["(大写)", "大写"], grammar.numerals)
    return out


def _totals_above_words(text: PageText) -> dict:
    """The 合计 row when its label was misread: the line just above 价税合计 holding two amounts."""
    rows = text.find("价税合计")
    if not rows:
        return {}
    line = text.cells.at[rows[0].cell, "line"] - 1
    amounts = anywhere(text, grammar.amount, [s.cell for s in text.line_cells(line)])
    return {"amount": _plain(amounts[0]), "tax": _plain(amounts[-1])} if len(amounts) == 2 else {}


def _plain(found: dict) -> dict:
    """A value on a labelled row: not discounted as an unanchored one."""
    return {**found, "confidence": round(min(1.0, found["confidence"] / NO_ANCHOR_FACTOR), 4)}


def _rate(text: PageText) -> dict | None:
    """The rate most item rows show: the % values between the table's head (税率) and the 合计 row."""
    head = text.find("税率")
    cells = text.cells
    top = cells.at[head[0].cell, "bottom"] if head else cells["top"].min()
    totals = [s for s in text.find("合计") if not text.text(s).startswith("价")]
    bottom = min((cells.at[s.cell, "top"] for s in totals), default=cells["bottom"].max())
    middle = (cells["top"] + cells["bottom"]) / 2       # a row's box may reach up into the head's
    ids = cells.index[(middle > top) & (middle < bottom)]
    found = [_plain(f) for f in anywhere(text, grammar.rate, ids)]
    if not found:
        return None
    common, n = Counter(f["value"] for f in found).most_common(1)[0]
    best = next(f for f in found if f["value"] == common)
    return best if n == len(found) else {**best, "confidence": round(best["confidence"] * n / len(found), 4)}
