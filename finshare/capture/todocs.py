"""Captured pages as documents: AP invoices (应付单) and customer receipts (收款单) in the store.

:func:`to_documents` turns assessed pages into documents of the case's
``ap_invoice`` and ``receipt`` types — ``approved`` for accepted pages,
``draft`` for pages in review — and lists the pages that give no document
and why. :func:`store_captured` imports them through the store's document
import with the image as their source file, so ``Ledger.post`` posts only
the approved (validated) ones.

Rules stated:

* AP invoice: supplier by the seller's tax id in the supplier master (never
  invented); it settles the oldest purchase receipt of that supplier in CNY
  whose amount equals the invoice's 金额 and that no AP invoice names yet,
  booked at a unit of the buyer entity; number ``FP<发票代码><发票号码>``; one line
  (the receipt's first material, its total quantity; 金额, 税率, 税额, 价税合计).
* Receipt: only money received (the payee account is ours, in CNY); customer
  by the payer's exact master name or a learned alias; number ``HD<流水号>``;
  one line (amount, memo as purpose).
* A number the store or the case already holds is a duplicate: no document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.doctext import canonical, layout_key
from ..core.documents import Documents
from ..core.problems import raise_if_any
from .context import CaptureContext
from .receipt_rules import our_side
from .register import AP_PREFIX, RECEIPT_PREFIX
from .status import ACCEPTED
from .values import parse_date, parse_money, parse_rate

CURRENCY = "CNY"


@dataclass
class CapturedDocuments:
    """Documents built from captured pages, the image each came from, and the pages that gave none."""

    documents: dict[str, Documents]
    files: dict[str, str]
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "page", "kind", "reason"]))

    def numbers(self, code: str, status: str | None = None) -> list[str]:
        """Numbers of the documents of one type (with ``status``)."""
        docs = self.documents.get(code)
        if docs is None:
            return []
        h = docs.header
        return list(h.index if status is None else h.index[h["status"] == status])


def _frames(docsets) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Header and lines per type, the same number kept once (the first source wins)."""
    out = {}
    for code in ("purchase_receipt", "ap_invoice", "receipt"):
        parts = [d[code] for d in docsets if code in d and d[code] is not None and len(d[code])]
        if not parts:
            out[code] = (pd.DataFrame(), pd.DataFrame())
            continue
        head = pd.concat([p.header for p in parts])
        head = head[~head.index.duplicated()]
        lines = pd.concat([p.lines for p in parts], ignore_index=True).drop_duplicates(["doc_no", "line_no"])
        out[code] = (head, lines)
    return out


def document_number(r) -> tuple[str, str]:
    """Document type and number of a page: ``FP<发票代码><发票号码>`` (``ap_invoice``) or ``HD<流水号>`` (``receipt``)."""
    v = r.values
    if r.kind == "invoice":
        return "ap_invoice", f"{AP_PREFIX}{v.get('invoice_code', '')}{v.get('invoice_no', '')}"
    return "receipt", f"{RECEIPT_PREFIX}{v.get('serial_no', '')}"


def _open_receipts(frames, supplier: str, amount: int, unit_orgs: set[str], taken: set[str]) -> pd.DataFrame:
    """Purchase receipts of the supplier in CNY with this amount that no AP invoice names, oldest first."""
    head, lines = frames["purchase_receipt"]
    if head.empty:
        return head
    invoiced = set(frames["ap_invoice"][0].get("receipt", pd.Series(dtype=object)).dropna()) | taken
    sums = lines.groupby("doc_no")["amount"].sum()
    mask = ((head["supplier"] == supplier) & (head["currency"] == CURRENCY) & head["org"].isin(unit_orgs)
            & ~head.index.isin(list(invoiced)) & (head.index.map(sums).fillna(-1).astype("int64") == amount))
    return head[mask].sort_values(["date", "doc_no"])


def _ap_invoice(r, ctx: CaptureContext, frames, taken: set[str]):
    """``(header row, line row)`` of one invoice page, or ``(None, reason)``."""
    v = r.values
    party = ctx.party_by_uscc.get(v.get("seller_tax_id", ""))
    if party is None or party.role != "supplier":
        return None, "销售方税号不在供应商主数据中，不新建供应商 / the seller's tax id is no supplier; none is invented"
    amount, tax, total = (parse_money(v.get(f)) for f in ("amount", "tax", "total"))
    rate, day = parse_rate(v.get("tax_rate")), parse_date(v.get("date"))
    if None in (amount, tax, total, rate, day):
        return None, "金额、税率或日期读不出，无法生成单据 / amount, rate or date unreadable: no document"
    buyer = ctx.our_by_uscc.get(v.get("buyer_tax_id", ""))
    units = {p.code for p in ctx.ours if buyer is not None and p.org == buyer.code}
    found = _open_receipts(frames, party.code, amount, units, taken)
    if found.empty:
        return None, (f"找不到 {party.code} 金额 {v['amount']} 未开票的采购入库单 / no purchase receipt of {party.code} "
                      f"for {v['amount']} is waiting for its invoice")
    receipt = found.index[0]
    rlines = frames["purchase_receipt"][1]
    rlines = rlines[rlines["doc_no"] == receipt]
    number = document_number(r)[1]
    head = {"doc_no": number, "date": v["date"], "org": found.loc[receipt, "org"], "supplier": party.code,
            "receipt": receipt, "invoice_no": v["invoice_no"], "currency": CURRENCY,
            "status": "approved" if r.status == ACCEPTED else "draft", "remark": f"OCR {r.file} p.{r.page}"}
    line = {"doc_no": number, "line_no": "1", "material": rlines["material"].iloc[0],
            "qty": str(rlines["qty"].sum()), "amount": v["amount"], "tax_rate": v["tax_rate"], "tax": v["tax"],
            "total": v["total"]}
    return (head, line), None


def _receipt(r, ctx: CaptureContext):
    """``(header row, line row)`` of one bank receipt page, or ``(None, reason)``."""
    v = r.values
    if our_side(v, ctx) != "payee" or parse_money(v.get("amount")) is None or parse_date(v.get("date")) is None:
        return None, "不是本集团账户收款，或金额/日期读不出 / not money received into our account, or amount/date unreadable"
    code, org = ctx.account_by_no[v["payee_account"]]
    currency = ctx.bank_accounts.set_index("code").loc[code, "currency"]
    party = ctx.party_by_any_name(v.get("payer_name", ""))
    if party is None or party.role != "customer" or currency != CURRENCY:
        return None, (f"付款方 {v.get('payer_name')!r} 不是已知客户（名称或别名），或账户不是人民币户 / the payer is no known "
                      "customer (name or alias), or the account is not in CNY")
    number = document_number(r)[1]
    head = {"doc_no": number, "date": v["date"], "org": org, "customer": party.code, "bank_account": code,
            "invoice": "", "currency": CURRENCY, "status": "approved" if r.status == ACCEPTED else "draft",
            "remark": f"OCR {r.file} p.{r.page}"}
    return (head, {"doc_no": number, "line_no": "1", "amount": v["amount"], "purpose": v.get("memo", "")}), None


def to_documents(results, case, context: CaptureContext | None = None, existing=()) -> CapturedDocuments:
    """Documents of assessed pages (see module docstring for the rules).

    Parameters
    ----------
    results : list of CaptureResult
        From :func:`finshare.capture.status.assess_pages`.
    case : Case
        The case whose document types, master data and documents are used.
    context : CaptureContext, optional
        Default :meth:`CaptureContext.from_case`.
    existing : sequence of dict, optional
        More documents by type (e.g. the store's), besides the case's own.

    Returns
    -------
    CapturedDocuments
    """
    ctx = context or CaptureContext.from_case(case)
    frames = _frames([case.documents if case.documents_loaded else {}, *existing])
    rows = {"ap_invoice": [], "receipt": []}
    files, review, taken = {}, [], set()
    held = {c: set(frames[c][0].index) for c in rows}
    for r in results:
        code, number = document_number(r)
        if r.kind not in ("invoice", "receipt"):
            made, note = None, f"未知单据种类 {r.kind!r} / unknown kind {r.kind!r}"
        elif number in held[code] or number in files:
            made, note = None, f"单据 {number} 已存在（重复采集） / {number} exists: a duplicate capture"
        else:
            made, note = _ap_invoice(r, ctx, frames, taken) if r.kind == "invoice" else _receipt(r, ctx)
        if made is None:
            review.append((r.file, r.page, r.kind, note))
            continue
        taken.add(made[0].get("receipt"))
        rows[code].append(made)
        files[made[0]["doc_no"]] = r.file
        if r.status != ACCEPTED:
            review.append((r.file, r.page, r.kind, "待复核，存为草稿 / in review: stored as a draft"))
    return CapturedDocuments(_as_documents(case, rows, frames), files,
                             pd.DataFrame(review, columns=["file", "page", "kind", "reason"]))


def _as_documents(case, rows: dict, frames) -> dict[str, Documents]:
    """Header and line rows per type, checked by the core as any document file is."""
    known = {"doc:purchase_receipt": pd.Index(frames["purchase_receipt"][0].index, dtype=object),
             "doc:ar_invoice": pd.Index([], dtype=object)}
    return {code: Documents.from_text(case.doctypes[code], pd.DataFrame([h for h, _ in made], dtype=object),
                                      pd.DataFrame([ln for _, ln in made], dtype=object), case.master,
                                      "<capture>", "<capture lines>", known)
            for code, made in rows.items() if made}


def existing_documents(ledger) -> dict[str, Documents]:
    """The store's purchase receipts, AP invoices and receipts of any status (the store is the truth)."""
    from ..core.sync import stored_documents
    out = {}
    for code in ("purchase_receipt", "ap_invoice", "receipt"):
        parts = [stored_documents(ledger, code, s) for s in ("approved", "submitted", "draft")]
        parts = [p for p in parts if len(p)]
        if parts:
            out[code] = Documents(parts[0].doctype, pd.concat([p.header for p in parts]),
                                  pd.concat([p.lines for p in parts], ignore_index=True), parts[0].master)
    return out


def store_captured(ledger, results, context: CaptureContext | None = None, by: str = "capture") -> CapturedDocuments:
    """Build the documents of assessed pages and import them into the ledger's store, each with its image as source.

    Accepted pages become ``approved`` documents (posted by the next
    ``ledger.post()``), pages in review ``draft`` ones (posted never, until
    someone corrects and approves them).
    """
    made = to_documents(results, ledger.case, context, existing=[existing_documents(ledger)])
    with ledger.store.writer(by) as w:
        for code, docs in made.documents.items():
            for file in sorted({made.files[n] for n in docs.header.index}):
                mine = docs.header.index[[made.files[n] == file for n in docs.header.index]]
                part = Documents(docs.doctype, docs.header.loc[mine], docs.lines[docs.lines["doc_no"].isin(mine)],
                                 docs.master)
                _, problems = import_documents(w.con, code, part, file, by)
                raise_if_any(problems, "采集的单据没有导入 / captured documents not imported")
    return made


def import_documents(con, code: str, docs: Documents, source: str, by: str):
    """The store's document import for documents whose source is an image file."""
    from ..core.store import docstore
    return docstore.import_documents(con, code, layout_key(docs.doctype), canonical(docs), source, by)
