"""Drilling down a posted ledger: statement line → accounts → vouchers → source documents → every book.

The questions the ledger explorer asks, as tables (no widgets here, so a
notebook or a test can ask them too). Money stays in int64 minor units of
the book's currency; the widgets format it. Each answer comes from the
package: the statement lines and their weights from
:mod:`finshare.close.statements`, the vouchers from ``ledger.lines``, the
GL → business line links from the store, the documents from the case.

    drill = Drill(ledger)
    drill.line_accounts("FJ-CAS", "2020-06", "bs", "BS02")     # 货币资金 → 1002 银行存款
    drill.account_vouchers("FJ-CAS", "2020-06", "1002")
    drill.voucher_documents("FJ-CAS", "2020-06", "记-0003")
    drill.document_books("receipt", "SK0000001")
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..close.statements.balances import book_balances
from ..close.statements.build import BASIS, build_statement, weights
from ..close.statements.layout import for_chart, layout
from ..core import money

#: Statements the explorer shows (the management P&L has a column per unit, no account drill-down).
SHOWN = ("bs", "is")
VOUCHER_COLUMNS = ["voucher_no", "date", "summary", "debit", "credit"]


class Drill:
    """Cached reads of one posted ledger for the explorer.

    Parameters
    ----------
    ledger : finshare.Ledger
        Posted; it is only read.
    """

    def __init__(self, ledger):
        self.ledger = ledger
        self.case = ledger.case
        self._lines: dict[tuple[str, str], pd.DataFrame] = {}
        self._balances: dict[tuple[str, str], pd.DataFrame] = {}
        self._links: pd.DataFrame | None = None

    # ------------------------------------------------------------ reads, cached
    def lines(self, book: str, kind: str = "gl") -> pd.DataFrame:
        """``ledger.lines(book, kind)``, read once."""
        if (book, kind) not in self._lines:
            self._lines[book, kind] = self.ledger.lines(book, kind)
        return self._lines[book, kind]

    def links(self) -> pd.DataFrame:
        """The store's GL line → business line links, read once."""
        if self._links is None:
            self._links = self.ledger.store.read_links()
        return self._links

    def balances(self, book: str, period: str) -> pd.DataFrame:
        """Statement balances of ``book`` at ``period`` (:func:`book_balances`), read once."""
        if (book, period) not in self._balances:
            self._balances[book, period] = book_balances(self.ledger, book, period)
        return self._balances[book, period]

    def periods(self, book: str) -> list[str]:
        """The periods of ``book`` that hold vouchers, in order."""
        return sorted({str(p) for p in self.lines(book)["period"].unique()})

    # ------------------------------------------------------------ statements
    def statements(self, book: str, period: str) -> dict[str, pd.DataFrame]:
        """The balance sheet and income statement of ``book`` at ``period`` (``{"bs": …, "is": …}``)."""
        chart = self.case.books[book].chart
        ids = for_chart(chart.name)
        return {k: build_statement(ids[k], self.balances(book, period), chart, book) for k in SHOWN if k in ids}

    def line_accounts(self, book: str, period: str, key: str, code: str) -> pd.DataFrame:
        """The accounts that make statement line ``code`` of statement ``key`` (``bs``/``is``).

        Returns
        -------
        pandas.DataFrame
            ``account, name_zh, name_en, amount``: the account's share of the line's current amount
            (its balance or year-to-date movement, signed as the line adds it), non-zero shares only,
            by account code. The amounts add up to the line.
        """
        b = self.case.books[book]
        lay = layout(for_chart(b.chart.name)[key])
        bal = self.balances(book, period)
        column = BASIS[lay.basis][0]
        w = weights(lay, bal, column, b.chart)[lay.codes.index(code)]
        share = pd.Series(w * bal[column].to_numpy("int64"), index=bal["account"].to_numpy(object))
        share = share.groupby(level=0, sort=True).sum()
        share = share[share != 0].astype("int64")
        codes = pd.Series(share.index.astype(str), dtype=object)
        return pd.DataFrame({"account": codes.to_numpy(object),
                             "name_zh": b.chart.full_name(codes, "zh").fillna("").to_numpy(object),
                             "name_en": b.chart.full_name(codes, "en").fillna("").to_numpy(object),
                             "amount": share.to_numpy("int64")})

    # ------------------------------------------------------------ vouchers
    def account_vouchers(self, book: str, period: str, account: str) -> pd.DataFrame:
        """The GL vouchers of ``period`` that post to ``account``: the account's debit and credit in each.

        Returns ``voucher_no, date, summary, debit, credit`` (int64 minor units), in voucher order.
        """
        gl = self.lines(book)
        on = (gl["period"].astype(str) == period).to_numpy() & (gl["account"].astype(str) == account).to_numpy()
        x = gl.loc[on, ["voucher_no", "date", "summary", "debit", "credit"]].astype({"voucher_no": str, "summary": str})
        out = x.groupby("voucher_no", sort=True).agg(date=("date", "first"), summary=("summary", "first"),
                                                   debit=("debit", "sum"), credit=("credit", "sum")).reset_index()
        return out[VOUCHER_COLUMNS]

    def voucher_lines(self, book: str, period: str, voucher_no: str, kind: str = "gl") -> pd.DataFrame:
        """The lines of one voucher."""
        x = self.lines(book, kind)
        on = (x["period"].astype(str) == period).to_numpy() & (x["voucher_no"].astype(str) == voucher_no).to_numpy()
        return x[on].sort_values("line")

    def voucher_documents(self, book: str, period: str, voucher_no: str) -> pd.DataFrame:
        """The source documents behind a GL voucher, through its business vouchers (凭证追溯).

        Returns ``doc_type, doc_no, business_voucher``, one row per document and business voucher, in
        document order. Closing entries (depreciation, revaluation, 结转损益) have a source but no document
        in the case.
        """
        prefix = f"{book}/GL/{period}/{voucher_no}/"
        links = self.links()
        mine = links.loc[links["gl_line_id"].astype(str).str.startswith(prefix), "business_line_id"]
        bv = self.lines(book, "business")
        x = bv.loc[bv["line_id"].isin(set(mine)), ["source_type", "source_no", "voucher_no"]].astype(str)
        x = x.drop_duplicates().rename(columns={"source_type": "doc_type", "source_no": "doc_no",
                                                "voucher_no": "business_voucher"})
        return x.sort_values(["doc_no", "business_voucher"]).reset_index(drop=True)

    # ------------------------------------------------------------ documents
    def document_fields(self, doc_type: str, number: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A document as people read it: header ``field, label_zh, label_en, value`` and its lines (text).

        Money in the document's currency with its decimals; an unknown type or number gives empty tables.
        """
        docs = self.case.documents.get(doc_type)
        if docs is None or number not in docs.header.index:
            return pd.DataFrame(columns=["field", "label_zh", "label_en", "value"]), pd.DataFrame()
        dt = docs.doctype
        head = docs.header.loc[[number]]
        currency = str(head[dt.currency_field].iloc[0]) if dt.currency_field in head else ""
        rows = [(f.name, f.label_zh, getattr(f, "label_en", "") or f.name, _text(head[f.name], f, currency)[0])
                for f in dt.header.fields if f.name in head]
        lines = docs.lines[docs.lines[dt.number_field].astype(str) == number]
        body = pd.DataFrame({f"{f.label_zh} {getattr(f, 'label_en', '') or ''}".strip(): _text(lines[f.name], f, currency)
                             for f in dt.lines.fields if f.name in lines and f.name != dt.number_field})
        return pd.DataFrame(rows, columns=["field", "label_zh", "label_en", "value"]), body.reset_index(drop=True)

    def document_books(self, doc_type: str, number: str) -> dict[str, pd.DataFrame]:
        """The document's business vouchers in every book: ``{book: lines}`` (empty where it does not reach)."""
        out = {}
        for b in self.case.books:
            bv = self.lines(b.code, "business")
            on = (bv["source_no"].astype(str) == number).to_numpy() & (bv["source_type"].astype(str) == doc_type).to_numpy()
            out[b.code] = bv[on].sort_values(["period", "voucher_no", "line"])
        return out

    def reach_reason(self, doc_type: str, number: str, book: str) -> str:
        """Why a document has no voucher in ``book`` (its business unit is not the book's), in both languages."""
        b = self.case.books[book]
        docs = self.case.documents.get(doc_type)
        unit = str(docs.header.at[number, docs.doctype.org_field]) if docs is not None and number in docs.header.index else "?"
        if unit not in b.units:
            return (f"不进入：业务单元 {unit} 不属于核算组织 {b.org} ({', '.join(b.units)}) / does not reach it: "
                    f"unit {unit} is not accounted by {b.org}")
        return "没有凭证（未过账或已冲销）/ no voucher (not posted, or reversed)"


def _text(values: pd.Series, spec, currency: str) -> list[str]:
    """One document field as text: money with its currency's decimals, dates as YYYY-MM-DD, blanks empty."""
    if spec.type == "money":
        return amount_text(values.fillna(0).to_numpy("int64"), money.EXPONENTS.get(currency, 2))
    if spec.type == "date":
        return [v.date().isoformat() if pd.notna(v) else "" for v in values]
    return ["" if pd.isna(v) else (str(v.item()) if isinstance(v, np.generic) else str(v)) for v in values]


def amount_text(minor, exp: int) -> list[str]:
    """Amounts for people: thousands separators and the currency's decimals (``"1,234.50"``)."""
    return [f"{d:,.{int(exp)}f}" for d in money.decimals(np.asarray(minor, dtype="int64"), exp)]


__all__ = ["Drill", "SHOWN", "amount_text"]
