"""Earlier captures, for duplicate detection.

An invoice is the same invoice when (seller tax id, invoice code, invoice
number) agree; a bank receipt when (serial number, date, amount) agree. The
register is a set of such keys, filled from pages captured in this run and
from documents already stored (captured AP invoices are numbered
``FP<code><number>``, captured receipts ``HD<serial>``, see
:mod:`finshare.capture.todocs`).
"""
from __future__ import annotations

from .values import parse_money

AP_PREFIX, RECEIPT_PREFIX = "FP", "HD"


def page_key(kind: str, values: dict) -> tuple | None:
    """The duplicate key of a page's field values, or None when a part is missing."""
    if kind == "invoice":
        key = ("invoice", values.get("seller_tax_id") or "", values.get("invoice_code") or "",
               values.get("invoice_no") or "")
        return key if key[1] and key[3] else None
    amount = parse_money(values.get("amount"))
    key = ("receipt", values.get("serial_no") or "", values.get("date") or "", amount)
    return key if key[1] and key[2] and amount is not None else None


class Register:
    """Keys of invoices and receipts captured before.

    Examples
    --------
    >>> r = Register()
    >>> v = {"seller_tax_id": "91350200MA2Y00011P", "invoice_code": "", "invoice_no": "20350000000000000001"}
    >>> r.seen("invoice", v), r.add("invoice", v), r.seen("invoice", v)
    (False, None, True)
    """

    def __init__(self, keys=()):
        self._keys = set(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def seen(self, kind: str, values: dict) -> bool:
        """Whether a page with these values was captured before (a stored invoice without its code matches any)."""
        key = page_key(kind, values)
        if key is None:
            return False
        return key in self._keys or (kind == "invoice" and key[:2] + (None,) + key[3:] in self._keys)

    def add(self, kind: str, values: dict) -> None:
        """Remember a captured page."""
        key = page_key(kind, values)
        if key is not None:
            self._keys.add(key)

    @classmethod
    def from_ledger(cls, ledger) -> "Register":
        """Keys of the AP invoices and receipts a ledger's store holds."""
        from .todocs import existing_documents
        docs = existing_documents(ledger)
        return cls.from_documents(docs.get("ap_invoice"), docs.get("receipt"), ledger.case.master["suppliers"])

    @classmethod
    def from_documents(cls, ap_invoices=None, receipts=None, suppliers=None) -> "Register":
        """Keys of stored documents.

        Parameters
        ----------
        ap_invoices : Documents, optional
            Stored AP invoices; those with an ``invoice_no`` count, keyed by their supplier's USCC.
        receipts : Documents, optional
            Stored receipts numbered ``HD<serial>`` (captured ones), keyed by serial, date and amount.
        suppliers : pandas.DataFrame
            The supplier master (``uscc`` by code).
        """
        keys = set()
        if ap_invoices is not None and len(ap_invoices):
            h = ap_invoices.header
            h = h[h["invoice_no"].fillna("").astype(str) != ""]
            uscc = h["supplier"].map(suppliers["uscc"]).fillna("")
            for no, inv, tax in zip(h.index, h["invoice_no"].astype(str), uscc):
                code = no[len(AP_PREFIX):-len(inv)] if no.startswith(AP_PREFIX) and no.endswith(inv) else None
                keys.add(("invoice", tax, code, inv))
        if receipts is not None and len(receipts):
            h = receipts.header
            h = h[h.index.str.startswith(RECEIPT_PREFIX)]
            fen = receipts.lines.groupby("doc_no")["amount"].sum()
            for no, day in zip(h.index, h["date"]):
                keys.add(("receipt", no[len(RECEIPT_PREFIX):], str(day)[:10], int(fen.get(no, 0))))
        return cls(keys)
