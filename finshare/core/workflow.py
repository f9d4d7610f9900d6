"""Document workflow in the store: approve (单据审核) and un-approve (反审核), each step logged.

Statuses live in the store; these functions move them one step at a time,
write every change to the event log with who and why, and keep a case held
in memory in step.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from .manual import SOURCE_TYPE as MANUAL
from .problems import FinshareError, Problem, Source
from .store import docstore


def set_status(ledger, numbers, doc_type, action: str, by: str, reason: str) -> str:
    """Approve (drafts are submitted first) or unapprove stored documents, logged; keep memory in step."""
    ledger.sync(by, strict=False)
    with ledger.store.writer(by) as w:
        code = doc_type or find_type(ledger.case, w.con, numbers[0])
        ids = document_ids(w.con, code, numbers)
        missing = [n for n in numbers if n not in ids.index]
        if missing:
            raise FinshareError([Problem("unknown-document", f"单据 {n} 不存在 / no document {n}",
                                         Source(document=n), "check the number (finshare export --what documents)")
                                 for n in missing])
        rows = docstore.stored(w.con, w.code(code), numbers)
        now = dict(zip(rows["number"], rows["status"].map(docstore.STATUS_NAMES)))
        if action == "approve":
            drafts = [n for n in numbers if now[n] == "draft"]
            docstore.set_status(w.con, code, drafts, "submitted", by, reason, "submit")
            docstore.set_status(w.con, code, numbers, "approved", by, reason, "approve")
        else:
            not_approved = [n for n in numbers if now[n] != "approved"]
            if not_approved:
                raise FinshareError([Problem(
                    "not-approved", f"单据 {n} 未审核，不能反审核 / {n} is {now[n]}, not approved",
                    Source(document=n), "only an approved document is un-approved") for n in not_approved])
            docstore.set_status(w.con, code, numbers, "submitted", by, reason, "unapprove")
    target = "approved" if action == "approve" else "submitted"
    if ledger.case.documents_loaded and code in ledger.case.documents:
        docs = ledger.case.documents[code]
        docs.header.loc[numbers, docs.doctype.status_field] = target
    return code

def find_type(case, con, number: str) -> str:
    from .store.tables import codes, documents
    q = (sa.select(codes.c.value).join_from(documents, codes, documents.c.doc_type == codes.c.id)
         .where(documents.c.number == number))
    found = [t for (t,) in con.execute(q).all() if t in case.doctypes]
    if not found:
        raise FinshareError([Problem("unknown-document", f"单据 {number} 不存在 / no document {number}",
                                     Source(str(case.path / "documents"), document=number),
                                     "check the number in the documents CSV")])
    return found[0]

def document_ids(con, code: str, numbers) -> pd.Series:
    from .store.tables import codes
    type_id = con.execute(sa.select(codes.c.id).where(codes.c.value == code)).scalar()
    rows = docstore.stored(con, int(type_id or -1), numbers)
    return pd.Series(rows["id"].to_numpy("int64"), index=rows["number"].to_numpy(object))


def standing_manual(con, per_book: dict, source_type: str = MANUAL) -> set[tuple[str, str]]:
    """``(voucher, book)`` of the given vouchers (manual, closing …) that already stand in the store."""
    from .store.read import code_table
    from .store.tables import codes
    type_id = con.execute(sa.select(codes.c.id).where(codes.c.value == source_type)).scalar()
    if type_id is None:
        return set()
    keys = sorted({str(k) for e in per_book.values() for k in e["doc_no"].astype(str)})
    rows = docstore.stored(con, int(type_id), keys, text=False)
    hit = docstore.standing(con, rows["id"].to_numpy())
    names = code_table(con)
    number = pd.Series(rows["number"].to_numpy(object), index=rows["id"].to_numpy())
    return set(zip(number.reindex(hit["document"]).to_numpy(object), names.reindex(hit["book"]).to_numpy(object)))


def voucher_document(con, voucher: int) -> int:
    from .store.tables import vouchers
    return int(con.execute(sa.select(vouchers.c.document).where(vouchers.c.id == voucher)).scalar() or 0)


def standing_vouchers(con, document: int) -> list[tuple[str, str, str]]:
    """``(book, period, voucher_no)`` of the document's business vouchers that stand (not reversed)."""
    from .store.read import journal
    from .store.tables import vouchers
    lines = journal(con, None, "business", (vouchers.c.document == document,))
    if lines.empty:
        return []
    heads = lines.drop_duplicates(["book", "period", "voucher_no"]).astype(
        {c: str for c in ("book", "period", "voucher_no", "reverses")})
    gone = set(zip(heads["book"], heads["reverses"]))
    return [(b, p, v) for b, p, v, r in zip(heads["book"], heads["period"], heads["voucher_no"], heads["reverses"])
            if not r and (b, f"{p}/{v}") not in gone]
