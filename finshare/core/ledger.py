"""The shared multi-book ledger: post a case's documents, store, query, reverse.

:class:`Ledger` joins a :class:`~finshare.core.case.Case` with a
:class:`~finshare.core.store.Store`. ``post()`` turns approved documents into
business vouchers in every book they reach and GL vouchers by each book's
rule, numbers them, and stores the batch in one transaction. Posting is
idempotent: documents already posted to a book are skipped. Posted vouchers
are never edited; :meth:`Ledger.reverse` writes a red-ink reversal (红字冲销).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import balances
from . import columns as C
from .batch import advance_numbers, business_lines, check_writable, closed_only, number
from .booking import EntrySource, entries_for_book
from .case import Case
from .journal import JOURNAL_COLUMNS, check_period, display_journal
from .manual import SOURCE_TYPE as MANUAL
from .manual import read_manual_vouchers
from .problems import FinshareError, Problem, Source, raise_if_any
from .reach import mark_posted
from .result import PostingResult, by_period
from .store import Store, docstore
from .store.background import OneAhead
from .sync import pending, standing_postings, sync
from .workflow import document_ids, find_type, set_status, standing_manual, standing_vouchers, voucher_document


class Ledger:
    """A case's shared ledger in a store.

    Parameters
    ----------
    case : Case
    store : Store or str, optional
        A :class:`Store` or a URL/path; default an in-memory SQLite database.

    Examples
    --------
    >>> case = load_case("datasets/fujian")                     # doctest: +SKIP
    >>> ledger = Ledger(case, "ledger.sqlite")                   # doctest: +SKIP
    >>> ledger.post()                                            # doctest: +SKIP
    <PostingResult batch 1: 3 documents, 9 business vouchers, 7 GL vouchers>
    """

    def __init__(self, case: Case, store: Store | str | Path | None = None):
        self.case = case
        self.store = store if isinstance(store, Store) else Store(store or "sqlite://")
        self.store.check_currencies(case.books, case.path / "books.yaml")

    # ---------------------------------------------------------------- posting
    def prepare(self, doc_type: str | None = None, numbers=None, templates=None, books=None,
                batch: int = 0) -> tuple[PostingResult, list[Problem]]:
        """Compute a posting batch without storing it: ``(result, problems)``.

        Uses the documents in memory when the case was loaded with them,
        else the store's approved documents not yet posted.
        """
        if self.case.documents_loaded:
            pend = {code: (docs, None) for code, docs in self.case.documents.items()}
            active = self.store.active_postings()
        else:
            with self.store.reading() as con:
                pend = pending(con, self.case, {})
                active = standing_postings(con, pend)
        bv, problems = business_lines(self.case, pend, doc_type, numbers, templates, books, active)
        if bv is None:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS})
            return PostingResult(batch, empty, empty.copy()), problems
        return number(self.case, bv, batch, self.store.last_numbers()), problems

    def sync(self, by: str = "", strict: bool = True) -> dict:
        """Bring the case's documents into the store (see :func:`finshare.core.sync.sync`)."""
        return sync(self.store, self.case, by, strict)

    def post(self, doc_type: str | None = None, numbers=None, templates=None, books=None,
             by: str = "", hold_closed: bool = False) -> PostingResult:
        """Post approved documents not yet posted; store the batch in one transaction.

        The case's documents are first brought into the store (:meth:`sync`).
        Then, under the ledger's write lock, the posted set is read again
        (another writer may have posted meanwhile) and the documents are
        booked, numbered and stored period by period — a worker thread
        writes part k while this thread books and prepares part k + 1, so at
        most two parts are in memory — and the batch row is chained last. Any
        problem in any period rolls the whole batch back.

        Parameters
        ----------
        doc_type : str, optional
            Only this document type (default: all).
        numbers : iterable of str, optional
            Only these documents.
        templates, books : list of str, optional
            Restrict to these templates and books.
        by : str, optional
            Who posts (kept with the batch).
        hold_closed : bool, default False
            Documents dated in a closed period wait instead of refusing the
            batch: the rest is posted and ``result.held`` lists the
            ``period-closed`` problems (what a command that reads the ledger
            wants; posting on purpose refuses).

        Raises
        ------
        FinshareError
            Listing every problem; nothing is stored then.
        """
        read = self.sync(by)
        with self.store.reading() as con:
            pend = pending(con, self.case, read)
        known = {code: ids for code, (_, ids) in pend.items()}
        with self.store.writer(by) as w:
            active = standing_postings(w.con, pend)
            closed, last = w.closed_periods(), w.last_numbers()
            kept, problems = PostingResult.collecting(self.store), []
            with OneAhead() as store_part:          # part k is stored while part k + 1 is booked
                writer = w.batch("post", wait=store_part.wait)
                for part in by_period(pend, self.case):
                    bv, probs = business_lines(self.case, part, doc_type, numbers, templates, books, active)
                    problems += probs
                    if bv is None or problems:
                        continue
                    result = number(self.case, bv, writer.batch, last)
                    if hold_closed and closed_only(result, closed, kept.held):
                        continue
                    check_writable(result, closed)
                    last = advance_numbers(last, result.stored)
                    store_part.submit(writer.store, writer.prepare(result.stored, known))
                    kept.add(result)
            raise_if_any(problems, "过账被拒绝，未保存任何凭证 / posting refused, nothing was stored")
            if not kept.parts:
                empty = PostingResult.empty()
                empty.held = kept.held
                return empty
            kept.batch = writer.finish()
            held = pd.concat([active[["document", "book_id"]], writer.held_vouchers()], ignore_index=True)
            mark_posted(w.con, pend, held, self.case.books)
        return kept

    def post_vouchers(self, path, by: str = "") -> tuple[PostingResult, list[tuple[str, str]]]:
        """Post manual vouchers (手工凭证) from a CSV through the one posting path.

        See :mod:`finshare.core.manual` for the file. Vouchers already
        posted (same ``voucher`` in the same book) are not posted again;
        they are returned as ``(voucher, book)`` pairs.
        """
        return self.post_entries(read_manual_vouchers(path, self.case), MANUAL, str(path), by)

    def post_entries(self, per_book: dict[str, pd.DataFrame], source_type: str, source: str,
                     by: str = "", chart: str | None = None,
                     record=None) -> tuple[PostingResult, list[tuple[str, str]]]:
        """Post entry lines that do not come from documents (manual, closing …) through the one posting path.

        Parameters
        ----------
        per_book : dict
            Book code → entry lines (:data:`~finshare.core.posting.ENTRY_COLUMNS`
            plus ``voucher_word``), accounts in that book's chart; ``doc_no``
            names each voucher.
        source_type : str
            What kind of source they are (``"manual"``, ``"close"`` …); a
            voucher already standing under the same name, type and book is
            not posted again and is returned as ``(name, book)``.
        source : str
            The file or process they come from, for messages and the batch note.
        chart : str, optional
            The chart the accounts are written in (e.g. ``"CAS"``); each
            book maps them through its account map as template lines are.
            Default: each book's own chart.
        record : callable, optional
            ``record(writer, batch)`` is called in the same transaction after
            the vouchers are written (``batch`` None when none were), so a
            capability's own rows (e.g. clearing history) stand or fall with them.
        """
        with self.store.writer(by) as w:
            held = standing_manual(w.con, per_book, source_type)
            frames, problems, skipped = [], [], []
            for code, e in per_book.items():
                book = self.case.books[code]
                again = e["doc_no"].astype(str).isin([k for k, b in held if b == code]).to_numpy()
                skipped += sorted({(k, code) for k in e.loc[again, "doc_no"].astype(str)})
                src = EntrySource(source_type, source_type, "记", chart or book.chart.name, source)
                written = self.case.template_chart(src) if chart else book.chart
                lines, probs = entries_for_book(e[~again].reset_index(drop=True), book, src, self.case.rates,
                                                written, by_unit=False)
                problems += probs
                if len(lines):
                    frames.append(lines)
            raise_if_any(problems, "凭证未过账，未保存任何凭证 / vouchers refused, nothing was stored")
            if not frames:
                if record is not None:
                    record(w, None)
                empty = pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS})
                return PostingResult(0, empty, empty.copy()), skipped
            bv = C.concat_frames(frames).rename(columns={"doc_no": "source_no"})
            result = number(self.case, bv, 0, w.last_numbers())
            check_writable(result, w.closed_periods())
            result.batch = w.write(result.stored, source_type, note=Path(source).name)
            if record is not None:
                record(w, result.batch)
        result.business["batch"] = result.batch
        result.gl["batch"] = result.batch
        return result, skipped

    # ------------------------------------------------------- workflow, schemes
    def approve(self, numbers, doc_type: str | None = None, by: str = "", reason: str = "") -> PostingResult | None:
        """Approve documents (单据审核) in the store; post them where an enabled scheme says so.

        Draft documents are submitted first. Each change is written to the
        event log with ``by`` and ``reason``. Returns the posting result, or
        None when no enabled on-approve scheme covers the type.
        """
        numbers = [numbers] if isinstance(numbers, str) else list(numbers)
        code = set_status(self, numbers, doc_type, "approve", by, reason)
        schemes = [s for s in self.case.schemes if s.enabled and s.on_approve and s.doc_type == code]
        if not schemes:
            return None
        s = schemes[0]
        return self.post(code, numbers, templates=list(s.templates) or None, books=list(s.books) or None, by=by)

    def unapprove(self, numbers, doc_type: str | None = None, by: str = "", reason: str = "") -> list[str]:
        """反审核: approved documents back to submitted, logged. Returns the numbers that still have vouchers.

        Their vouchers stand until reversed (:meth:`reverse`, 红字冲销); the
        document may then be corrected and approved again.
        """
        numbers = [numbers] if isinstance(numbers, str) else list(numbers)
        code = set_status(self, numbers, doc_type, "unapprove", by, reason)
        with self.store.reading() as con:
            ids = document_ids(con, code, numbers)
            held = docstore.standing(con, ids.to_numpy())
        return sorted(ids.index[ids.isin(held["document"])])

    def run_schemes(self, now: dt.datetime | None = None, force: bool = False) -> dict[str, PostingResult]:
        """Run every enabled scheme with a schedule that is due (or all with ``force``)."""
        now = now or dt.datetime.now()
        out = {}
        for s in self.case.schemes:
            last = self.store.last_scheme_run(s.code)
            if s.enabled and s.cron and (force or s.due(last, now)):
                out[s.code] = self.post(s.doc_type, templates=list(s.templates) or None, books=list(s.books) or None)
                self.store.record_scheme_run(s.code, now, out[s.code].batch)
        return out

    # -------------------------------------------------------------- reversal
    def reverse_document(self, number: str, doc_type: str | None = None, books=None, date: str | None = None,
                         reason: str = "", by: str = "") -> list[PostingResult]:
        """Reverse (红字冲销) every business voucher of a document that still stands, book by book.

        Returns one result per reversed voucher; the document is then free to
        be corrected and posted again.
        """
        self.sync(by, strict=False)
        with self.store.reading() as con:
            code = doc_type or find_type(self.case, con, number)
            ids = document_ids(con, code, [number])
            standing = standing_vouchers(con, int(ids.iloc[0])) if len(ids) else []
        standing = [v for v in standing if books is None or v[0] in books]
        if not standing:
            raise FinshareError([Problem("nothing-to-reverse", f"单据 {number} 没有未冲销的凭证 / {number} has no voucher "
                                         "left to reverse", Source(document=number),
                                         "see finshare journal --kind business for its vouchers")])
        return [self.reverse(book, voucher_no, period, date, reason, by) for book, period, voucher_no in standing]

    def reverse(self, book: str, voucher_no: str, period: str, date: str | None = None,
                reason: str = "", by: str = "") -> PostingResult:
        """Reverse a business voucher with red ink (红字冲销) and its GL effect.

        The reversal repeats the voucher's lines with negated amounts on the
        same sides, dated ``date`` (default: the original date), and frees
        its documents to be posted again after correction. It goes through
        the same numbering and store as every voucher, under the write lock.
        """
        with self.store.writer(by) as w:
            orig = self._reversible(w, book, voucher_no, period)
            rev = orig.drop(columns=["line_id", "voucher_no", "line", "_gl_voucher", "_gl_line"]).copy()
            for c in ("debit", "credit", "amount_orig"):
                rev[c] = -rev[c]
            if date:
                rev["date"] = pd.Timestamp(date)
                rev["period"] = rev["date"].dt.strftime("%Y-%m")
            rev["summary"] = ("冲销 " + period + " " + voucher_no + "：" + rev["summary"].astype(str)
                              + (f"（{reason}）" if reason else ""))
            rev["reverses"] = f"{period}/{voucher_no}"
            rev["line_order"] = orig["line"].to_numpy()
            rev["side"] = np.where(orig["debit"].to_numpy() != 0, "debit", "credit")
            result = number(self.case, rev.drop(columns=["_voucher"]), 0, w.last_numbers())
            result.stored["reverses_id"] = np.where(result.stored["kind"].astype(str) == "business",
                                                    int(orig["_voucher"].iloc[0]), 0)
            check_writable(result, w.closed_periods())
            result.batch = w.write(result.stored, "reverse", note=reason)
            docstore.set_posted(w.con, [voucher_document(w.con, int(orig["_voucher"].iloc[0]))], 0)
            w.event("voucher", f"{book}/{period}/{voucher_no}", "reverse", "posted", "reversed", reason, result.batch)
        return result

    @staticmethod
    def _reversible(w, book: str, voucher_no: str, period: str) -> pd.DataFrame:
        """The voucher's lines, read under the lock; refused when it cannot be reversed."""
        from .store import read
        lines = read.journal(w.con, book, "business")
        orig = lines[(lines["voucher_no"] == voucher_no) & (lines["period"] == period)]
        if orig.empty:
            raise FinshareError([Problem("unknown-voucher", f"账簿 {book} {period} 没有凭证 {voucher_no} / no such voucher",
                                         Source(book=book), "see finshare journal --kind business")])
        if (lines["reverses"] == f"{period}/{voucher_no}").any():
            raise FinshareError([Problem("already-reversed", f"凭证 {voucher_no} 已冲销 / already reversed",
                                         Source(book=book), "a voucher is reversed once")])
        if str(orig["reverses"].iloc[0]):
            raise FinshareError([Problem("reverse-reversal", "不能冲销冲销凭证 / a reversal is not reversed",
                                         Source(book=book), "post the document again instead")])
        return orig

    # ---------------------------------------------------------------- periods
    def close_period(self, book: str, period: str, reason: str = "", by: str = "") -> str:
        """Close a book's period (结账): nothing can be posted or reversed into it until reopened."""
        return self._set_period(book, period, "closed", reason, by)

    def reopen_period(self, book: str, period: str, reason: str = "", by: str = "") -> str:
        """Reopen a closed period (反结账); the reason is kept in the event log."""
        return self._set_period(book, period, "open", reason, by)

    def _set_period(self, book: str, period: str, status: str, reason: str, by: str) -> str:
        self.case.books[book]                       # an unknown book is refused with the list of books
        check_period(period)
        with self.store.writer(by) as w:
            return w.set_period(book, period, status, reason)

    # ---------------------------------------------------------------- queries
    def lines(self, book: str | None = None, kind: str | None = "gl") -> pd.DataFrame:
        """Journal lines with money in integer minor units (see README schema)."""
        return self.store.read_journal(book, kind)

    def journal(self, book: str | None = None, kind: str = "gl", lang: str = "zh") -> pd.DataFrame:
        """The journal for people: amounts as exact Decimals and account names."""
        return display_journal(self.lines(book, kind), self.case.books, lang)

    def trial_balance(self, book: str, period: str | None = None, lang: str = "zh",
                      exact: bool = False) -> pd.DataFrame:
        """Trial balance (科目余额表) of a book and period; see :func:`finshare.core.balances.trial_balance`."""
        b = self.case.books[book]
        if period is not None:
            check_period(period)
        tb = balances.trial_balance(self.store.movements(book), b.chart, period, lang)
        return tb if exact else balances.as_decimals(tb, b.exponent)

    def general_ledger(self, book: str, account: str | None = None, lang: str = "zh") -> pd.DataFrame:
        b = self.case.books[book]
        return balances.as_decimals(balances.general_ledger(self.store.movements(book), b.chart, account, lang),
                                    b.exponent)

    def subsidiary(self, book: str, account: str, dimension: str, period: str | None = None) -> pd.DataFrame:
        b = self.case.books[book]
        sub = balances.subsidiary_ledger(self.lines(book, "gl"), account, dimension, period, b.chart)
        return balances.as_decimals(sub, b.exponent)

    def lineage(self):
        """The document → business voucher → GL voucher graph (networkx)."""
        from .lineage import build_lineage
        return build_lineage(self.store.read_journal(kind=None), self.store.read_links())

    def close(self) -> None:
        """Release the database connections (before deleting a SQLite file)."""
        self.store.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Ledger {self.case.path.name} in {self.store.url}>"




__all__ = ["Ledger", "PostingResult", "display_journal", "check_period"]
