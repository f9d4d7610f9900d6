"""One posting batch, built from pending documents: business lines, numbers, GL vouchers, last checks.

The steps of the one posting path after the entry lines: every book a
document reaches gets its business lines (:func:`business_lines`), vouchers
are numbered and GL vouchers made (:func:`number`), and a batch is checked
once more before it is stored (:func:`check_writable`). The :class:`Ledger`
runs them under the write lock; nothing here touches the store.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .booking import entries_for_book
from .journal import JOURNAL_COLUMNS
from .posting import DIMS, generate_entries
from .problems import FinshareError, Problem, Source
from .reach import nothing_to_post, unreachable
from .result import PostingResult
from .vouchers import changes, business_order, gl_from_business, number_vouchers


def business_lines(case, pend: dict, doc_type, numbers, templates, books,
                    active) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Business-voucher lines (not yet numbered) of the documents still to post."""
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
        tpl, probs = template_for(case, code, templates)
        problems += probs
        if tpl is None:
            continue
        try:
            frames, probs = _book_all(case, docs, tpl, approved, book_list, posted_in)
        except FinshareError:
            raise
        except Exception as exc:  # noqa: BLE001 — a fault on this input becomes a problem, never a traceback
            frames, probs = [], [engine_problem(exc, code, tpl.source)]
        problems += probs
        bv_frames += frames
    if not bv_frames:
        return None, problems
    return C.concat_frames(bv_frames).rename(columns={"doc_no": "source_no"}), problems


def _book_all(case, docs, tpl, approved, book_list, posted_in) -> tuple[list[pd.DataFrame], list[Problem]]:
    """Entries of the approved documents through one template, booked into every book."""
    entries, problems = generate_entries(docs, tpl, approved)
    problems = problems + nothing_to_post(docs, approved, entries, problems, case.books)
    chart = case.template_chart(tpl)
    frames = []
    for book in book_list:
        sub = entries
        if len(posted_in[book.code]):
            sub = entries[~entries["doc_no"].isin(posted_in[book.code])]
        lines, probs = entries_for_book(sub, book, tpl, case.rates, chart)
        problems += probs
        if len(lines):
            frames.append(lines)
    return frames, problems


def engine_problem(exc: Exception, code: str, source: str) -> Problem:
    """An unexpected failure of the engine on some input, as a problem naming that input."""
    return Problem("engine-error", f"过账单据类型 {code} 时出错 / posting {code} failed: {type(exc).__name__}: "
                   f"{str(exc)[:200]}", Source(source),
                   "nothing was stored; this is a fault in finshare, not in your data as far as it can tell: "
                   "report it with the case folder (FINSHARE_DEBUG=1 shows the traceback)")


def template_for(case, code: str, templates) -> tuple[object | None, list[Problem]]:
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


def numbered_columns() -> list[str]:
    """The journal columns numbering gives a line (``line_id`` is derived when a result is shown); read at
    call time, as a case may add dimensions."""
    return [c for c in JOURNAL_COLUMNS if c != "line_id"]


def number(case, bv: pd.DataFrame, batch: int, start: dict) -> PostingResult:
    """Number business vouchers, make and number GL vouchers, link each business line to its GL line."""
    bv = as_coded(bv)
    order = business_order(bv)
    if (np.diff(order) != 1).any():
        bv = bv.take(order).reset_index(drop=True)
    cols = numbered_columns()
    bv = number_vouchers(bv, ["source_type", "_doc"], start)
    bv["batch"] = batch
    book_rows = np.flatnonzero(np.r_[True, np.diff(np.asarray(bv["book"].array.codes)) != 0, True])
    gl_frames, targets, offset = [], [], 0
    for a, b in zip(book_rows[:-1], book_rows[1:]):
        part = bv.iloc[a:b]
        gl, target = gl_from_business(part, case.books[str(part["book"].iloc[0])])
        gl = number_vouchers(gl, ["_gl_key"], start)
        targets.append(target + offset)
        offset += len(gl)
        gl_frames.append(gl[cols[:-1] + ["seq"]])
    gl = C.concat_frames(gl_frames)
    gl["batch"] = batch
    bv["_gl_row"] = np.concatenate(targets)
    result = PostingResult(batch, bv[cols], gl[cols])
    result.stored = stored_frame(bv, gl)
    return result


def advance_numbers(last: dict, stored: pd.DataFrame) -> dict:
    """``last`` (highest number per book, kind, period and voucher word) moved past the numbers of ``stored``."""
    keys = ["book", "kind", "period", "voucher_word"]
    top = stored.groupby(keys, observed=True, sort=False)["seq"].max()
    out = dict(last)
    for key, seq in zip(top.index, top.to_numpy()):
        key = tuple(str(k) for k in key)
        out[key] = max(out.get(key, 0), int(seq))
    return out


def check_writable(result: PostingResult, closed: set) -> None:
    """Last guards before storing: every voucher balances exactly, no period is closed."""
    check_balanced(result)
    if not closed:
        return
    hit = result.numbered("business")[["book", "period"]].astype(str).drop_duplicates()
    bad = [(b, p) for b, p in hit.itertuples(index=False) if (b, p) in closed]
    if bad:
        raise FinshareError([Problem("period-closed", f"账簿 {b} 的 {p} 期间已结账，不能过账 / period {p} of book {b} "
                                     "is closed", Source(book=b), f"reopen it first: finshare period CASE --book {b} "
                                     f"--period {p} --reopen --reason ...") for b, p in bad],
                            "过账被拒绝，未保存任何凭证 / posting refused, nothing was stored")

def closed_only(result: PostingResult, closed: set, held: list) -> bool:
    """True (and the problems added to ``held``) when a balanced part fails only for closed periods."""
    check_balanced(result)
    try:
        check_writable(result, closed)
    except FinshareError as exc:
        if all(p.code == "period-closed" for p in exc.problems):
            held += exc.problems
            return True
        raise
    return False


def check_balanced(result: PostingResult) -> None:
    """Every voucher of the batch balances exactly.

    A voucher's lines are consecutive rows (numbering makes them so); each run of rows with one
    book, kind, period and voucher number must balance, which is never looser than summing the
    voucher wherever its lines are.
    """
    keys = ["book", "kind", "period", "voucher_no"]
    for frame in (result.numbered("business"), result.numbered("gl")):
        if frame.empty:
            continue
        starts = np.flatnonzero(changes(frame, keys))
        net = frame["debit"].to_numpy("int64") - frame["credit"].to_numpy("int64")
        bad = starts[np.add.reduceat(net, starts) != 0]
        if len(bad):
            rows = frame.iloc[bad][["book", "period", "voucher_no"]].astype(str)
            raise FinshareError([Problem("unbalanced-voucher", f"凭证 {b} {p} {v} 借贷不平 / voucher does not balance",
                                         Source(book=b)) for b, p, v in rows.itertuples(index=False)])


def as_coded(bv: pd.DataFrame) -> pd.DataFrame:
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


def stored_frame(bv: pd.DataFrame, gl: pd.DataFrame) -> pd.DataFrame:
    """Business and GL lines as the store takes them: ``seq`` and, per business line, its GL row."""
    cols = numbered_columns() + ["seq"]
    frame = C.concat_frames([bv[cols], gl[cols]])
    frame["gl_row"] = np.r_[bv["_gl_row"].to_numpy("int64") + len(bv), np.full(len(gl), -1, dtype="int64")]
    return frame
