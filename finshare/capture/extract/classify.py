"""Which document a page is: invoice or bank receipt, and its family (invoice form) or bank.

Invoices by their title: 电子发票（增值税专用发票） → ``digital_special``,
电子发票（普通发票） → ``digital_normal``, 电子普通发票 → ``e_normal``,
增值税专用发票 → ``special``, 普通发票 → ``normal``; a title not read falls
back on the numbers (a 20-digit 发票号码 is a 数电票, a 12-digit 发票代码
ending 11 an 电子普通发票). Receipts by the bank in the title line (the line
with 回单), else by each bank's own title wording.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from .anchors import PageText

BANK_NAMES = {"icbc": "工商银行", "ccb": "建设银行", "cmb": "招商银行", "boc": "中国银行"}
BANK_TITLES = {"icbc": "网上银行电子回单", "ccb": "单位客户专用回单", "boc": "国内支付业务回单", "cmb": "收付款业务回单"}


def classify(text: PageText, kind: str = "auto") -> tuple[str, str]:
    """``(kind, family)`` of a page; ``kind`` given ("invoice"/"receipt") is kept, "auto" is decided.

    The family is ``""`` when it cannot be told.
    """
    whole = "\n".join(text.cells["text"])
    if kind == "auto":
        invoice = sum(word in whole for word in ("发票", "价税合计", "纳税人识别号", "开票日期", "税额"))
        receipt = sum(word in whole for word in ("回单", "付款人", "收款人", "户名", "交易时间", "摘要"))
        kind = "invoice" if invoice >= receipt and invoice else "receipt" if receipt else "invoice"
    return kind, (invoice_family(whole) if kind == "invoice" else bank(text))


def invoice_family(whole: str) -> str:
    """The invoice family from the page's text (see the module's summary)."""
    if "电子发票(增值税专用发票)" in whole or ("电子发票" in whole and "专用发票" in whole):
        return "digital_special"
    if "电子发票(普通发票)" in whole or "电子发票(" in whole:
        return "digital_normal"
    if "电子普通发票" in whole:
        return "e_normal"
    if "专用发票" in whole:
        return "special"
    if "普通发票" in whole:
        return "normal"
    if re.search(r"(?<!\d)\d{20}(?!\d)", whole) and "发票代码" not in whole:
        return "digital_normal"
    code = re.search(r"(?<!\d)\d{12}(?!\d)", whole)
    return "e_normal" if code and code.group().endswith("11") else ""


def bank(text: PageText) -> str:
    """The bank of a receipt: by name in its title line, else by the title's wording."""
    cells = text.cells
    titles = cells[cells["text"].str.contains("回单")].sort_values("top")
    for title in titles["text"]:
        for family, name in BANK_NAMES.items():
            if name in title:
                return family
    scores = {family: max((fuzz.partial_ratio(wording, t) for t in cells["text"]), default=0.0)
              for family, wording in BANK_TITLES.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 80 else ""
