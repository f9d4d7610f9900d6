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
import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import balances, money
from . import columns as C
from .case import Case
from .booking import entries_for_book
from .posting import DIMS, generate_entries
from .problems import FinshareError, Problem, Source, raise_if_any
from .store import Store
from .booking import EntrySource
from .journal import JOURNAL_COLUMNS
from .result import PostingResult, by_period
from .manual import SOURCE_TYPE as MANUAL
from .manual import read_manual_vouchers
from .store import docstore
from .reach import mark_posted, nothing_to_post, unreachable
from .sync import pending, standing_postings, sync
from .vouchers import business_order, gl_from_business, number_vouchers


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
        bv, problems = self._business_lines(pend, doc_type, numbers, templates, books, active)
        if bv is None:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS})
            return PostingResult(batch, empty, empty.copy()), problems
        return self._number(bv, batch, self.store.last_numbers()), problems

    def _business_lines(self, pend: dict, doc_type, numbers, templates, books,
                        active) -> tuple[pd.DataFrame | None, list[Problem]]:
        """Business-voucher lines (not yet numbered) of the documents still to post."""
        case = self.case
        book_list = [case.books[b] for b in (books or case.books.codes())]
        problems: list[Problem] = []
        bv_frames = []
        for code, (docs, ids) in pend.items():
            if doc_type is not None and code != doc_type:
                continue
            approved = docs.approved()
            if ids is not None:
                approved = approved.intersection(ids.index)
            if numbers is not None:
                approved = approved.intersection(pd.Index(list(numbers)))
            act = active[active["source_type"] == code]
            posted_in = {b.code: pd.Index(act.loc[act["book"] == b.code, "source_no"]) for b in book_list}
            if len(act):
                orgs = docs.header.loc[approved, docs.doctype.org_field]
                still = np.zeros(len(approved), dtype=bool)
                for b in book_list:
                    still |= orgs.isin(b.units).to_numpy() & ~approved.isin(posted_in[b.code])
                approved = approved[still]
            if len(approved) == 0:
                continue
            if books is None:
                problems += unreachable(docs, approved, case.books)
            tpl, probs = self._template(code, templates)
            problems += probs
            if tpl is None:
                continue
            entries, probs = generate_entries(docs, tpl, approved)
            problems += probs + nothing_to_post(docs, approved, entries, probs, case.books)
            chart = case.template_chart(tpl)
            for book in book_list:
                sub = entries
                if len(posted_in[book.code]):
                    sub = entries[~entries["doc_no"].isin(posted_in[book.code])]
                lines, probs = entries_for_book(sub, book, tpl, case.rates, chart)
                problems += probs
                if len(lines):
                    bv_frames.append(lines)
        if not bv_frames:
            return None, problems
        return C.concat_frames(bv_frames).rename(columns={"doc_no": "source_no"}), problems

    def sync(self, by: str = "") -> dict:
        """Bring the case's documents into the store (see :func:`finshare.core.sync.sync`)."""
        return sync(self.store, self.case, by)

    def _template(self, code: str, templates) -> tuple[object | None, list[Problem]]:
        case = self.case
        tpls = [case.templates[t] for t in templates] if templates else case.templates_for(code)
        tpls = [t for t in tpls if t.doc_type == code]
        where = Source(str(case.path / "templates"))
        if len(tpls) > 1:
            return None, [Problem("several-templates", f"单据类型 {code} 有多个模板 / several templates for {code}", where,
                                  "keep one template per document type, or name the template in a scheme")]
        if not tpls:
            return None, [Problem("no-template", f"单据类型 {code} 没有凭证模板 / no template for {code}", where,
                                  "add a template for it")]
        return tpls[0], []

    def _number(self, bv: pd.DataFrame, batch: int, start: dict) -> PostingResult:
        """Number business vouchers, make and number GL vouchers, link each business line to its GL line."""
        bv = _as_coded(bv)
        order = business_order(bv)
        if (np.diff(order) != 1).any():
            bv = bv.take(order).reset_index(drop=True)
        bv = number_vouchers(bv, ["source_type", "_doc"], start)
        bv["batch"] = batch
        book_rows = np.flatnonzero(np.r_[True, np.diff(np.asarray(bv["book"].array.codes)) != 0, True])
        gl_frames, targets, offset = [], [], 0
        for a, b in zip(book_rows[:-1], book_rows[1:]):
            part = bv.iloc[a:b]
            gl, target = gl_from_business(part, self.case.books[str(part["book"].iloc[0])])
            gl = number_vouchers(gl, ["_gl_key"], start)
            targets.append(target + offset)
            offset += len(gl)
            gl_frames.append(gl[JOURNAL_COLUMNS[:-1] + ["seq"]])
        gl = C.concat_frames(gl_frames)
        gl["batch"] = batch
        bv["_gl_row"] = np.concatenate(targets)
        result = PostingResult(batch, bv[JOURNAL_COLUMNS], gl[JOURNAL_COLUMNS])
        result.links = pd.DataFrame({"gl_line_id": gl["line_id"].array.take(bv["_gl_row"].to_numpy()),
                                     "business_line_id": bv["line_id"].array})
        result.stored = _stored_frame(bv, gl)
        return result

    def post(self, doc_type: str | None = None, numbers=None, templates=None, books=None,
             by: str = "") -> PostingResult:
        """Post approved documents not yet posted; store the batch in one transaction.

        The case's documents are first brought into the store (:meth:`sync`).
        Then, under the ledger's write lock, the posted set is read again
        (another writer may have posted meanwhile) and the documents are
        booked, numbered and stored period by period — one part of the batch
        in memory at a time — and the batch row is chained last. Any problem
        in any period rolls the whole batch back.

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
            closed, writer = w.closed_periods(), w.batch("post")
            kept, problems = PostingResult.collecting(self.store), []
            for part in by_period(pend, self.case):
                bv, probs = self._business_lines(part, doc_type, numbers, templates, books, active)
                problems += probs
                if bv is None or problems:
                    continue
                result = self._number(bv, writer.batch, w.last_numbers())
                self._check_writable(result, closed)
                writer.add(result.stored, known)
                kept.add(result)
            raise_if_any(problems, "过账被拒绝，未保存任何凭证 / posting refused, nothing was stored")
            if not kept.parts:
                return PostingResult.empty()
            kept.batch = writer.finish()
            mark_posted(w.con, pend, active, kept.keys(), self.case.books)
        return kept

    def post_vouchers(self, path, by: str = "") -> tuple[PostingResult, list[tuple[str, str]]]:
        """Post manual vouchers (手工凭证) from a CSV through the one posting path.

        See :mod:`finshare.core.manual` for the file. Vouchers already
        posted (same ``voucher`` in the same book) are not posted again;
        they are returned as ``(voucher, book)`` pairs.
        """
        per_book = read_manual_vouchers(path, self.case)
        with self.store.writer(by) as w:
            held = _standing_manual(w.con, per_book)
            frames, problems, skipped = [], [], []
            for code, e in per_book.items():
                book = self.case.books[code]
                again = e["doc_no"].astype(str).isin([k for k, b in held if b == code]).to_numpy()
                skipped += sorted({(k, code) for k in e.loc[again, "doc_no"].astype(str)})
                src = EntrySource(MANUAL, MANUAL, "记", book.chart.name, str(path))
                lines, probs = entries_for_book(e[~again].reset_index(drop=True), book, src, self.case.rates,
                                                book.chart, by_unit=False)
                problems += probs
                if len(lines):
                    frames.append(lines)
            raise_if_any(problems, "手工凭证未过账，未保存任何凭证 / manual vouchers refused, nothing was stored")
            if not frames:
                empty = pd.DataFrame({c: pd.Series(dtype=object) for c in JOURNAL_COLUMNS})
                return PostingResult(0, empty, empty.copy()), skipped
            bv = C.concat_frames(frames).rename(columns={"doc_no": "source_no"})
            result = self._number(bv, 0, w.last_numbers())
            self._check_writable(result, w.closed_periods())
            result.batch = w.write(result.stored, "manual", note=Path(path).name)
        result.business["batch"] = result.batch
        result.gl["batch"] = result.batch
        return result, skipped

    def _check_writable(self, result: PostingResult, closed: set) -> None:
        """Last guards before storing: every voucher balances exactly, no period is closed."""
        self._check_balanced(result)
        if not closed:
            return
        hit = result.business[["book", "period"]].astype(str).drop_duplicates()
        bad = [(b, p) for b, p in hit.itertuples(index=False) if (b, p) in closed]
        if bad:
            raise FinshareError([Problem("period-closed", f"账簿 {b} 的 {p} 期间已结账，不能过账 / period {p} of book {b} "
                                         "is closed", Source(book=b), f"reopen it first: finshare period CASE --book {b} "
                                         f"--period {p} --reopen --reason ...") for b, p in bad],
                                "过账被拒绝，未保存任何凭证 / posting refused, nothing was stored")

    @staticmethod
    def _check_balanced(result: PostingResult) -> None:
        """Every voucher of the batch balances exactly."""
        for frame in (result.business, result.gl):
            sums = frame.groupby(["book", "kind", "period", "voucher_no"], observed=True)[["debit", "credit"]].sum()
            bad = sums[sums["debit"] != sums["credit"]]
            if len(bad):
                raise FinshareError([Problem("unbalanced-voucher", f"凭证 {b} {p} {v} 借贷不平 / voucher does not balance",
                                             Source(book=b)) for (b, _, p, v) in bad.index])

    # ------------------------------------------------------- workflow, schemes
    def approve(self, numbers, doc_type: str | None = None, by: str = "", reason: str = "") -> PostingResult | None:
        """Approve documents (单据审核) in the store; post them where an enabled scheme says so.

        Draft documents are submitted first. Each change is written to the
        event log with ``by`` and ``reason``. Returns the posting result, or
        None when no enabled on-approve scheme covers the type.
        """
        numbers = [numbers] if isinstance(numbers, str) else list(numbers)
        code = self._set_status(numbers, doc_type, "approve", by, reason)
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
        code = self._set_status(numbers, doc_type, "unapprove", by, reason)
        with self.store.reading() as con:
            ids = self._document_ids(con, code, numbers)
            held = docstore.standing(con, ids.to_numpy())
        return sorted(ids.index[ids.isin(held["document"])])

    def _set_status(self, numbers, doc_type, action: str, by: str, reason: str) -> str:
        """Approve (drafts are submitted first) or unapprove stored documents, logged; keep memory in step."""
        self.sync(by)
        with self.store.writer(by) as w:
            code = doc_type or self._find_type(w.con, numbers[0])
            ids = self._document_ids(w.con, code, numbers)
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
        if self.case.documents_loaded and code in self.case.documents:
            docs = self.case.documents[code]
            docs.header.loc[numbers, docs.doctype.status_field] = target
        return code

    def _find_type(self, con, number: str) -> str:
        from .store.tables import codes, documents
        q = (sa.select(codes.c.value).join_from(documents, codes, documents.c.doc_type == codes.c.id)
             .where(documents.c.number == number))
        found = [t for (t,) in con.execute(q).all() if t in self.case.doctypes]
        if not found:
            raise FinshareError([Problem("unknown-document", f"单据 {number} 不存在 / no document {number}",
                                         Source(str(self.case.path / "documents"), document=number),
                                         "check the number in the documents CSV")])
        return found[0]

    @staticmethod
    def _document_ids(con, code: str, numbers) -> pd.Series:
        from .store.tables import codes
        type_id = con.execute(sa.select(codes.c.id).where(codes.c.value == code)).scalar()
        rows = docstore.stored(con, int(type_id or -1), numbers)
        return pd.Series(rows["id"].to_numpy("int64"), index=rows["number"].to_numpy(object))

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
            result = self._number(rev.drop(columns=["_voucher"]), 0, w.last_numbers())
            result.stored["reverses_id"] = np.where(result.stored["kind"].astype(str) == "business",
                                                    int(orig["_voucher"].iloc[0]), 0)
            self._check_writable(result, w.closed_periods())
            result.batch = w.write(result.stored, "reverse", note=reason)
            docstore.set_posted(w.con, [_voucher_document(w.con, int(orig["_voucher"].iloc[0]))], 0)
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


def _as_coded(bv: pd.DataFrame) -> pd.DataFrame:
    """Lines read back from the store (plain text) in the engine's coded form."""
    bv = bv.copy()
    for c in ("book", "kind", "voucher_word", "source_type", "source_no", "period", "account", "side",
              "currency", "currency_orig", "business_class", "template", "template_line", "reverses", "org", *DIMS):
        if c in bv and not C.is_coded(bv[c]):
            bv[c] = pd.Categorical(bv[c].astype(object))
    if "_ym" not in bv:
        months = bv["date"].to_numpy("datetime64[M]").astype("int64")
        bv["_ym"] = (months // 12 + 1970) * 100 + months % 12 + 1
    if "_doc" not in bv:
        bv["_doc"] = pd.factorize(bv["source_no"].astype(str).to_numpy(object), sort=True)[0]
    return bv


def _standing_manual(con, per_book: dict) -> set[tuple[str, str]]:
    """``(voucher, book)`` of the file's manual vouchers that already stand in the store."""
    from .store.read import code_table
    from .store.tables import codes
    type_id = con.execute(sa.select(codes.c.id).where(codes.c.value == MANUAL)).scalar()
    if type_id is None:
        return set()
    keys = sorted({str(k) for e in per_book.values() for k in e["doc_no"].astype(str)})
    rows = docstore.stored(con, int(type_id), keys, text=False)
    hit = docstore.standing(con, rows["id"].to_numpy())
    names = code_table(con)
    number = pd.Series(rows["number"].to_numpy(object), index=rows["id"].to_numpy())
    return set(zip(number.reindex(hit["document"]).to_numpy(object), names.reindex(hit["book"]).to_numpy(object)))


def _voucher_document(con, voucher: int) -> int:
    from .store.tables import vouchers
    return int(con.execute(sa.select(vouchers.c.document).where(vouchers.c.id == voucher)).scalar() or 0)


def check_period(period: str) -> str:
    """``YYYY-MM`` with a real month, or a problem that says how to write it."""
    text = str(period)
    ok = len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() \
        and 1900 <= int(text[:4]) <= 2999 and 1 <= int(text[5:]) <= 12
    if not ok:
        raise FinshareError([Problem("bad-period", f"期间 {text!r} 无效 / {text!r} is not a period",
                                     Source(field="period"), "write YYYY-MM with a month 01–12, e.g. 2020-03")])
    return text


def _stored_frame(bv: pd.DataFrame, gl: pd.DataFrame) -> pd.DataFrame:
    """Business and GL lines as the store takes them: ``seq`` and, per business line, its GL row."""
    cols = JOURNAL_COLUMNS + ["seq"]
    frame = C.concat_frames([bv[cols], gl[cols]])
    frame["gl_row"] = np.r_[bv["_gl_row"].to_numpy("int64") + len(bv), np.full(len(gl), -1, dtype="int64")]
    return frame


def display_journal(lines: pd.DataFrame, books, lang: str = "zh") -> pd.DataFrame:
    """Add ``account_name`` and turn minor units into Decimals (display only)."""
    out = lines.copy()
    names = pd.Series("", index=out.index, dtype=object)
    for code in out["book"].unique() if len(out) else []:
        rows = out["book"] == code
        names[rows] = books[code].chart.full_name(out.loc[rows, "account"], lang).to_numpy()
    out.insert(out.columns.get_loc("account") + 1, "account_name", names)
    exp = money.exponents(out["currency"]) if len(out) else np.zeros(0, "int64")
    for c in ("debit", "credit"):
        out[c] = money.decimals(out[c].to_numpy(), exp)
    out["amount_orig"] = money.decimals(out["amount_orig"].to_numpy(), money.exponents(out["currency_orig"])
                                        if len(out) else np.zeros(0, "int64"))
    return out


__all__ = ["Ledger", "PostingResult", "display_journal", "check_period", "DIMS"]
