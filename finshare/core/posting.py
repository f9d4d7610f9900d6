"""The posting engine: documents × template × book → business-voucher lines.

Posting is a pure function of tables, vectorised over all documents at once:

1. :func:`generate_entries` (book-independent) picks each document's business
   class with masks over the header table, then for every entry line builds
   the rows where its condition holds — one numpy mask per line, never a
   Python loop per document.
2. :func:`finshare.core.booking.entries_for_book` turns them into one book's
   vouchers (accounts, currency, checks, balance).

Both return ``(frame, problems)``; nothing is stored here. Text that repeats
(accounts, dimensions, currencies…) is held as categoricals
(:mod:`finshare.core.columns`), so checks run once per distinct value.
"""
from __future__ import annotations

import string

import numpy as np
import pandas as pd

from . import columns as C
from . import money
from .dimensions import DIMS, on_new_dimension
from .documents import Documents
from .problems import Problem, Source
from .template import VoucherTemplate

CODED = ["doc_no", "org", "business_class", "class_name", "template_line", "side", "account",
         "currency_orig", "currency_local", *DIMS]
ENTRY_COLUMNS = ["doc_no", "_doc", "org", "date", "business_class", "class_name", "template_line", "line_order",
                 "side", "account", "amount_orig", "currency_orig", "amount_local", "currency_local",
                 "summary", *DIMS]


def _new_dimension(code: str) -> None:
    CODED.append(code)
    ENTRY_COLUMNS.append(code)


on_new_dimension(_new_dimension)


class _Scope:
    """The rows a template line is evaluated on: document headers or document lines.

    ``frame`` holds the fields conditions read; ``doc`` gives each row's
    document position in the (date, number)-ordered header; ``coded(f)``
    gives a field as codes for every row, reusing the header's coding for
    header fields.
    """

    def __init__(self, frame, doc, header_scope=None):
        self.frame, self.doc, self.header_scope = frame, doc, header_scope
        self._cache = {}

    def coded(self, field: str) -> pd.Categorical:
        if field not in self._cache:
            hs = self.header_scope
            if hs is not None and field in hs.frame.columns:
                cat = hs.coded(field)
                self._cache[field] = pd.Categorical.from_codes(cat.codes[self.doc], dtype=cat.dtype)
            else:
                self._cache[field] = C.coded(self.frame[field])
        return self._cache[field]


def _ordered_header(docs: Documents, numbers) -> pd.DataFrame:
    """Headers in numbering order: by date, then document number."""
    dt = docs.doctype
    header = docs.header if numbers is None else docs.header.loc[numbers]
    rank, _ = pd.factorize(header.index.to_numpy(object), sort=True)
    days = header[dt.date_field].to_numpy("datetime64[D]").astype("int64")
    return header.iloc[np.lexsort((rank, days))]


def _template_fields(template: VoucherTemplate, dt) -> set[str]:
    aliases = dt.aliases()
    used = {dt.number_field, dt.org_field, dt.currency_field, template.date_field}
    if dt.local_currency_field:
        used.add(dt.local_currency_field)
    for bc in template.classes:
        used |= set(bc.when.fields) if bc.when else set()
        for ln in bc.lines:
            used |= {ln.amount} | ({ln.amount_local} if ln.amount_local else set())
            used |= {ln.account_field} if ln.account_field else set()
            used |= {v[1] for v in ln.dimensions.values() if v[0] == "field"}
            used |= set(ln.when.fields) if ln.when else set()
            used |= {aliases.get(name, name) for _, name, _, _ in string.Formatter().parse(ln.summary) if name}
    return used


def generate_entries(docs: Documents, template: VoucherTemplate,
                     numbers: pd.Index | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Entry rows in the template's chart and the documents' currency.

    Parameters
    ----------
    docs : Documents
        Documents of ``template.doc_type``.
    template : VoucherTemplate
    numbers : pandas.Index, optional
        Document numbers to post (default: all).

    Returns
    -------
    entries : pandas.DataFrame
        Columns :data:`ENTRY_COLUMNS`, ordered by document (date, number)
        and entry line; one row per document, entry line and
        account/dimension combination, amounts in minor units. ``_doc`` is
        the document's rank in numbering order.
    problems : list of Problem
        Documents no class matches, or more than one class matches.
    """
    dt = docs.doctype
    header = _ordered_header(docs, numbers)
    cls_of, problems = _class_of(header, template, dt)
    by_line = any(ln.scope == "line" for bc in template.classes for ln in bc.lines)
    hs, ls = _scopes(docs, header, _template_fields(template, dt), by_line)
    doc_cats = pd.Index(np.r_[header.index.to_numpy(object), [""]])  # "" for GL lines of several documents
    blocks = []
    order = 0
    for k, bc in enumerate(template.classes):
        for ln in bc.lines:
            order += 1
            scope = ls if ln.scope == "line" else hs
            block = _entry_block(scope, cls_of == k, bc, ln, order, dt, doc_cats)
            if block is not None:
                blocks.append(block)
    if not blocks:
        return _empty_entries(), problems
    e = _blanks_as_empty(C.concat_frames(blocks))
    doc = e["_doc"].to_numpy()
    if len(doc) > 1 and ls is not None:
        dup = (doc[1:] == doc[:-1]) & (e["line_order"].to_numpy()[1:] == e["line_order"].to_numpy()[:-1])
        if dup.any():  # several document lines into one entry per account and dimensions
            e = _merge_lines(e)
    e.insert(0, "doc_no", C.from_codes(e["_doc"].to_numpy(), doc_cats))
    e["date"] = header[template.date_field].to_numpy()[e["_doc"].to_numpy()]
    return e[ENTRY_COLUMNS], problems


def _class_of(header: pd.DataFrame, template: VoucherTemplate, dt) -> tuple[np.ndarray, list[Problem]]:
    """Per document (header row), the index of the one business class its conditions match (-1: none, or
    several — each reported as a problem, the first 200 of each kind)."""
    n = len(header)
    hexp = money.exponents(header[dt.currency_field].astype(object))
    hits = np.vstack([bc.when.mask(header, dt.kinds(), hexp) if bc.when else np.ones(n, bool)
                      for bc in template.classes]) if template.classes else np.zeros((0, n), bool)
    count = hits.sum(axis=0)
    problems = [Problem(
        "no-business-class", f"单据 {header.index[i]} 不符合模板 {template.code} 的任何业务分类 / no business class matches",
        Source(template.source, document=header.index[i]),
        "add a class whose condition covers it, or correct the document's fields")
        for i in np.flatnonzero(count == 0)[:200]]
    for i in np.flatnonzero(count > 1)[:200]:
        names = [template.classes[k].code for k in np.flatnonzero(hits[:, i])]
        problems.append(Problem(
            "ambiguous-business-class", f"单据 {header.index[i]} 同时符合业务分类 {', '.join(names)} / several classes match",
            Source(template.source, document=header.index[i]), "make the class conditions exclusive"))
    return np.where(count == 1, np.argmax(hits, axis=0) if len(hits) else -1, -1), problems


def _scopes(docs: Documents, header: pd.DataFrame, used: set[str], by_line: bool) -> tuple[_Scope, _Scope | None]:
    """The header scope (one row per document) and, when ``by_line`` (some template line is per document
    line), the line scope: one row per document line, with the header fields the template uses."""
    dt = docs.doctype
    hfields = [f.name for f in dt.header.fields]
    hs = _Scope(header[[c for c in hfields if c in used]], np.arange(len(header)))
    if not by_line:
        return hs, None
    lines = docs.lines
    pos = header.index.get_indexer(lines[dt.number_field])
    keep = np.flatnonzero(pos >= 0)
    lcols = [f.name for f in dt.lines.fields if f.name in used and f.name not in hfields]
    frame = lines.iloc[keep][lcols].reset_index(drop=True)
    for c in hs.frame.columns:
        frame[c] = hs.frame[c].iloc[pos[keep]].reset_index(drop=True)
    return hs, _Scope(frame, pos[keep], hs)


def _entry_block(scope: _Scope | None, in_class: np.ndarray, bc, ln, order: int, dt,
                 doc_cats: pd.Index) -> pd.DataFrame | None:
    """The entry rows of one template line for the scope rows of its class (None when there are none)."""
    if scope is None or len(scope.frame) == 0:
        return None
    mask = in_class[scope.doc]
    if not mask.any():
        return None
    if ln.when is not None:
        exps = money.exponents(scope.frame[dt.currency_field].astype(object))
        mask &= ln.when.mask(scope.frame, dt.kinds(), exps)
    amount = scope.frame[ln.amount].to_numpy("int64")
    rows = np.flatnonzero(mask & (amount != 0))
    m = len(rows)
    if not m:
        return None
    block = {
        "_doc": scope.doc[rows].astype("int64"),
        "line_order": np.full(m, order, dtype="int64"),
        "amount_orig": amount[rows],
        "amount_local": scope.frame[ln.amount_local].to_numpy("int64")[rows] if ln.amount_local
        else np.zeros(m, dtype="int64"),
        "org": C.take(scope.coded(dt.org_field), rows),
        "currency_orig": C.take(scope.coded(dt.currency_field), rows),
        "currency_local": C.take(scope.coded(dt.local_currency_field), rows)
        if ln.amount_local and dt.local_currency_field else C.constant("", m),
        "business_class": C.constant(bc.code, m),
        "class_name": C.constant(bc.name_zh, m),
        "template_line": C.constant(f"{bc.code}/{ln.id}", m),
        "side": C.constant(ln.side, m),
        "account": C.take(scope.coded(ln.account_field), rows) if ln.account_field
        else C.constant(ln.account or "", m),
        "summary": render_summary(ln.summary, scope, rows, dt, doc_cats),
    }
    for dim in DIMS:
        spec = ln.dimensions.get(dim)
        block[dim] = (C.constant("" if spec is None else spec[1], m) if spec is None or spec[0] == "value"
                      else C.take(scope.coded(spec[1]), rows))
    return pd.DataFrame(block)


def _blanks_as_empty(e: pd.DataFrame) -> pd.DataFrame:
    """Entries in document and line order, with missing codes of the text columns as "" (not NA)."""
    e = e.take(np.lexsort((e["line_order"].to_numpy(), e["_doc"].to_numpy()))).reset_index(drop=True)
    for c in ["currency_local", "account", *DIMS]:
        cat = e[c].array
        if cat.isna().any():
            cat, code = C.with_value(cat, "")
            e[c] = pd.Categorical.from_codes(np.where(cat.codes < 0, code, cat.codes), dtype=cat.dtype)
    return e


def _merge_lines(e: pd.DataFrame) -> pd.DataFrame:
    keys = ["_doc", "line_order", "template_line", "business_class", "class_name", "side", "account",
            "currency_orig", "currency_local", "org", "summary", *DIMS]
    g = e.groupby(keys, sort=False, observed=True, dropna=False)[["amount_orig", "amount_local"]].sum().reset_index()
    return g.take(np.lexsort((g["line_order"].to_numpy(), g["_doc"].to_numpy()))).reset_index(drop=True)


def render_summary(text: str, scope: _Scope, rows: np.ndarray, doctype, doc_cats) -> pd.Series:
    """Fill ``{field}`` placeholders for the given rows (amounts printed exactly)."""
    parts = list(string.Formatter().parse(text))
    m = len(rows)
    if all(name is None for _, name, _, _ in parts):
        return pd.Series([text.replace("{{", "{").replace("}}", "}")] * m, dtype="str")
    aliases = doctype.aliases()
    fields = doctype.fields()
    pieces = []
    for literal, name, _, _ in parts:
        if literal:
            pieces.append(literal)
        if name is None:
            continue
        fname = aliases.get(name, name)
        kind = fields[fname].type
        if kind == "money":
            cur = scope.coded(doctype.currency_field)
            exps = np.asarray(money.exponents(pd.Series(cur.categories)))[cur.codes[rows]]
            pieces.append(C.arrow_text(money.format_amounts(scope.frame[fname].to_numpy("int64")[rows], exps)))
        elif kind == "date":
            cat = scope.coded(fname)
            days = pd.Categorical.from_codes(cat.codes[rows], categories=pd.DatetimeIndex(cat.categories).strftime("%Y-%m-%d"))
            pieces.append(C.arrow_text(days))
        else:
            cat = scope.coded(fname)
            pieces.append(C.arrow_text(C.take(cat, rows)).fill_null(""))
    return C.join_text(*pieces) if any(not isinstance(p, str) for p in pieces) else pd.Series(["".join(pieces)] * m, dtype="str")


def _empty_entries() -> pd.DataFrame:
    out = {c: pd.Series(dtype=object) for c in ENTRY_COLUMNS}
    for c in ("_doc", "line_order", "amount_orig", "amount_local"):
        out[c] = pd.Series(dtype="int64")
    out["date"] = pd.Series(dtype="datetime64[ns]")
    return pd.DataFrame(out)

