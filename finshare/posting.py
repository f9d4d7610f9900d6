"""The posting engine: documents × template × book → business-voucher lines.

Posting is a pure function of tables, vectorised over all documents at once:

1. :func:`generate_entries` (book-independent) picks each document's business
   class with masks over the header table, then for every entry line builds
   the rows where its condition holds — one numpy mask per line, never a
   Python loop per document.
2. :func:`entries_for_book` keeps the documents that reach a book, maps
   accounts into the book's chart, converts amounts into the book currency
   (exact, half away from zero), checks accounts and dimensions, and checks
   that every voucher balances exactly; a conversion difference goes to the
   book's rounding account as an explicit line.

Both return ``(frame, problems)``; nothing is stored here.
"""
from __future__ import annotations

import string

import numpy as np
import pandas as pd

from . import money
from .books import Book
from .chart import DIMENSIONS, Chart, map_accounts
from .documents import Documents
from .problems import Problem, Source
from .rates import RateTable
from .template import VoucherTemplate

DIMS = list(DIMENSIONS)
ENTRY_COLUMNS = ["doc_no", "org", "date", "business_class", "class_name", "template_line", "line_order",
                 "side", "account", "amount_orig", "currency_orig", "amount_local", "currency_local",
                 "summary", *DIMS]


def generate_entries(docs: Documents, template: VoucherTemplate, numbers: pd.Index | None = None,
                     flat: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Entry rows in the template's chart and the documents' currency.

    Parameters
    ----------
    docs : Documents
        Documents of ``template.doc_type``.
    template : VoucherTemplate
    numbers : pandas.Index, optional
        Document numbers to post (default: all).
    flat : pandas.DataFrame, optional
        ``docs.flat(numbers)`` if already built (it is shared across templates).

    Returns
    -------
    entries : pandas.DataFrame
        Columns :data:`ENTRY_COLUMNS`; one row per document, entry line and
        account/dimension combination, amounts in minor units.
    problems : list of Problem
        Documents no class matches, or more than one class matches.
    """
    dt = docs.doctype
    header = docs.header if numbers is None else docs.header.loc[numbers]
    problems: list[Problem] = []
    kinds = dt.kinds()
    hexp = money.exponents(header[dt.currency_field].astype(object))
    cls_masks = [bc.when.mask(header, kinds, hexp) if bc.when else np.ones(len(header), bool)
                 for bc in template.classes]
    hits = np.vstack(cls_masks) if cls_masks else np.zeros((0, len(header)), bool)
    count = hits.sum(axis=0)
    for n in header.index[count == 0]:
        problems.append(Problem(
            "no-business-class", f"单据 {n} 不符合模板 {template.code} 的任何业务分类 / no business class matches",
            Source(template.source, document=n),
            "add a class whose condition covers it, or correct the document's fields"))
    for i in np.flatnonzero(count > 1):
        names = [template.classes[k].code for k in np.flatnonzero(hits[:, i])]
        problems.append(Problem(
            "ambiguous-business-class", f"单据 {header.index[i]} 同时符合业务分类 {', '.join(names)} / several classes match",
            Source(template.source, document=header.index[i]), "make the class conditions exclusive"))
    cls_of = np.where(count == 1, np.argmax(hits, axis=0) if len(hits) else -1, -1)
    cls_by_doc = pd.Series(cls_of, index=header.index)

    need_lines = any(ln.scope == "line" for bc in template.classes for ln in bc.lines)
    if need_lines and flat is None:
        flat = docs.flat(header.index)
    frames = []
    order = 0
    for k, bc in enumerate(template.classes):
        for ln in bc.lines:
            order += 1
            scope = flat if ln.scope == "line" else header
            if scope is None or scope.empty:
                continue
            doc_col = scope[dt.number_field]
            in_class = (cls_by_doc.reindex(doc_col.to_numpy()).to_numpy() == k)
            if not in_class.any():
                continue
            mask = in_class
            if ln.when is not None:
                exps = money.exponents(scope[dt.currency_field].astype(object))
                mask = mask & ln.when.mask(scope, kinds, exps)
            rows = scope[mask]
            amount = rows[ln.amount].to_numpy("int64")
            keep = amount != 0
            rows, amount = rows[keep], amount[keep]
            if rows.empty:
                continue
            out = pd.DataFrame({
                "doc_no": rows[dt.number_field].to_numpy(object),
                "org": rows[dt.org_field].to_numpy(object),
                "date": rows[template.date_field].to_numpy(),
                "business_class": bc.code,
                "class_name": bc.name_zh,
                "template_line": f"{bc.code}/{ln.id}",
                "line_order": order,
                "side": ln.side,
                "account": _account_column(ln, rows),
                "amount_orig": amount,
                "currency_orig": rows[dt.currency_field].to_numpy(object),
                "amount_local": rows[ln.amount_local].to_numpy("int64") if ln.amount_local else 0,
                "currency_local": (rows[dt.local_currency_field].astype(object).fillna("").to_numpy()
                                   if ln.amount_local and dt.local_currency_field else ""),
                "summary": render_summary(ln.summary, rows, dt),
            })
            for dim in DIMS:
                spec = ln.dimensions.get(dim)
                if spec is None:
                    out[dim] = ""
                elif spec[0] == "value":
                    out[dim] = spec[1]
                else:
                    out[dim] = rows[spec[1]].astype(object).fillna("").to_numpy()
            frames.append(out)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ENTRY_COLUMNS}), problems
    entries = pd.concat(frames, ignore_index=True)
    keys = ["doc_no", "line_order", "template_line", "business_class", "class_name", "side", "account",
            "currency_orig", "currency_local", "org", "date", "summary", *DIMS]
    if need_lines:  # several document lines into one entry per account and dimensions
        entries = entries.groupby(keys, sort=False, dropna=False, observed=True)[
            ["amount_orig", "amount_local"]].sum().reset_index()
    return entries[ENTRY_COLUMNS], problems


def _account_column(ln, rows) -> np.ndarray | str:
    if ln.account_field:
        return rows[ln.account_field].astype(object).fillna("").to_numpy()
    return ln.account if ln.account is not None else ""


def render_summary(text: str, rows: pd.DataFrame, doctype) -> np.ndarray | str:
    """Fill ``{field}`` placeholders column-wise (amounts printed exactly)."""
    parts = list(string.Formatter().parse(text))
    if all(name is None for _, name, _, _ in parts):
        return text.replace("{{", "{").replace("}}", "}")
    aliases = doctype.aliases()
    fields = doctype.fields()
    out = pd.Series("", index=rows.index, dtype=object)
    for literal, name, _, _ in parts:
        out = out + literal
        if name is None:
            continue
        fname = aliases.get(name, name)
        col = rows[fname]
        kind = fields[fname].type
        if kind == "money":
            vals = money.format_amounts(col.to_numpy("int64"), money.exponents(rows[doctype.currency_field].astype(object)))
            out = out + pd.Series(vals, index=rows.index)
        elif kind == "date":
            out = out + col.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out = out + col.astype(object).where(col.notna(), "").astype(str)
    return out.to_numpy(object)


def entries_for_book(entries: pd.DataFrame, book: Book, template: VoucherTemplate, rates: RateTable,
                     template_chart: Chart) -> tuple[pd.DataFrame, list[Problem]]:
    """Business-voucher lines of one book from book-independent entries.

    Returns
    -------
    lines : pandas.DataFrame
        Entry columns plus ``book, kind, voucher_word, period, debit, credit,
        currency, amount_orig`` (minor units; ``debit``/``credit`` in the
        book currency), sorted by voucher and line.
    problems : list of Problem
        Unknown, unmapped or non-postable accounts, missing dimensions,
        missing rates, unbalanced vouchers. When not empty, nothing of this
        template and book may be stored.
    """
    problems: list[Problem] = []
    e = entries[entries["org"].isin(book.units)].copy()
    if e.empty:
        return _empty_lines(), problems
    # 1. accounts into the book's chart
    if book.chart.name != template.chart:
        direct = pd.Series(np.nan, index=e.index, dtype=object)
        for bc in template.classes:
            for ln in bc.lines:
                if book.chart.name in ln.account_by_chart:
                    direct[e["template_line"] == f"{bc.code}/{ln.id}"] = ln.account_by_chart[book.chart.name]
        by_map = map_accounts(e["account"], book.account_map, template_chart) if book.account_map is not None \
            else pd.Series(np.nan, index=e.index, dtype=object)
        mapped = direct.where(direct.notna(), by_map)
        bad = mapped.isna() & (e["account"] != "")
        for (acc, tl), g in e[bad].groupby(["account", "template_line"]):
            problems.append(Problem(
                "unmapped-account", f"科目 {acc} 在 {book.chart.name} 科目表中没有对应科目 / "
                f"account {acc} has no counterpart in chart {book.chart.name}",
                Source(template.source, document=g["doc_no"].iloc[0], book=book.code, template_line=tl),
                f"add {acc} to the account map of book {book.code}, or give the line account: {{{book.chart.name}: ...}}"))
        e["account"] = mapped.where(mapped.notna(), "").astype(object)
        e["_unmapped"] = bad.to_numpy()  # reported above; not reported again as missing
    else:
        for bc in template.classes:
            for ln in bc.lines:
                if template.chart in ln.account_by_chart:
                    e.loc[e["template_line"] == f"{bc.code}/{ln.id}", "account"] = ln.account_by_chart[template.chart]
    problems += check_accounts(e, book, template.source)
    # 2. currency
    exp_from = money.exponents(e["currency_orig"])
    num, den, missing = rates.lookup(e["currency_orig"], book.currency, e["date"])
    amount = money.convert(e["amount_orig"].to_numpy("int64"), num, den, exp_from, book.exponent)
    # a document that states its amount in the book's currency (本位币金额) is taken at its word
    local = (e["currency_local"].to_numpy() == book.currency) & (e["amount_local"].to_numpy("int64") != 0)
    amount = np.where(local, e["amount_local"].to_numpy("int64"), amount)
    missing = missing & ~local
    for (cur, d), g in e[missing].groupby(["currency_orig", e.loc[missing, "date"].dt.strftime("%Y-%m-%d")]):
        problems.append(Problem(
            "missing-rate", f"没有 {cur}→{book.currency} 在 {d} 的汇率 / no {cur}→{book.currency} rate on {d}",
            Source("rates.csv", document=g["doc_no"].iloc[0], book=book.code),
            f"add a row to rates.csv: {d},{cur},{book.currency},<rate>"))
    debit = e["side"].to_numpy() == "debit"
    e["debit"] = np.where(debit, amount, 0)
    e["credit"] = np.where(debit, 0, amount)
    e["currency"] = book.currency
    e["book"] = book.code
    e["kind"] = "business"
    e["voucher_word"] = template.voucher_word
    e["template"] = template.code
    e["source_type"] = template.doc_type
    ym = e["date"].dt.year.to_numpy() * 100 + e["date"].dt.month.to_numpy()
    uniq = np.unique(ym)
    e["period"] = pd.Series(ym, index=e.index).map({u: f"{u // 100:04d}-{u % 100:02d}" for u in uniq})
    e = e.drop(columns=["_unmapped"], errors="ignore")
    e = e.sort_values(["date", "doc_no", "line_order"], kind="stable").reset_index(drop=True)
    # 3. balance: exactly, per currency
    unbalanced = check_balance(e, book, template.source)
    problems += unbalanced
    e = add_rounding_lines(e, book, template.source, problems, skip={p.source.document for p in unbalanced})
    return e, problems


def check_accounts(e: pd.DataFrame, book: Book, source: str) -> list[Problem]:
    """Unknown or non-leaf accounts, and required dimensions left empty (vectorised)."""
    problems = []
    acc = book.chart.accounts
    known = e["account"].isin(acc.index)
    for (a, tl), g in e[~known & (e["account"] != "")].groupby(["account", "template_line"]):
        problems.append(Problem(
            "unknown-account", f"科目 {a} 不在 {book.chart.name} 科目表中 / account {a} is not in chart {book.chart.name}",
            Source(source, document=g["doc_no"].iloc[0], book=book.code, template_line=tl),
            "add it to the chart or correct the template (or the material's account)"))
    reported = e["_unmapped"] if "_unmapped" in e else False
    for tl, g in e[(e["account"] == "") & ~reported].groupby("template_line"):
        problems.append(Problem(
            "missing-account", "分录科目为空 / the entry has no account", Source(
                source, document=g["doc_no"].iloc[0], book=book.code, template_line=tl),
            "fill the account field of the document or master data"))
    leaf = e["account"].map(acc["is_leaf"]).fillna(True).astype(bool)
    for (a, tl), g in e[~leaf].groupby(["account", "template_line"]):
        kids = ", ".join(acc.index[acc["parent"] == a][:4])
        problems.append(Problem(
            "non-leaf-account", f"科目 {a} {acc.at[a, 'name_zh']} 有下级科目，不能直接记账 / account {a} is not a leaf",
            Source(source, document=g["doc_no"].iloc[0], book=book.code, template_line=tl),
            f"post to one of its sub-accounts: {kids}"))
    codes = pd.Index(e["account"])
    for dim in DIMS:
        carries = acc["dimensions"].map(lambda ds, d=dim: d in ds)  # per account, not per line
        req = carries.reindex(codes).fillna(False).to_numpy(bool)
        empty = (e[dim] == "").to_numpy()
        for (a, tl), g in e[req & empty].groupby(["account", "template_line"]):
            problems.append(Problem(
                "missing-dimension", f"科目 {a} 需要核算项目 {DIMENSIONS[dim][0]} / account {a} requires dimension {dim}",
                Source(source, document=g["doc_no"].iloc[0], book=book.code, template_line=tl),
                f"add dimensions: {{{dim}: <field>}} to the template line, or fill the document's field"))
        e.loc[~req & ~empty, dim] = ""  # a dimension the account does not carry is dropped
    return problems


def check_balance(e: pd.DataFrame, book: Book, source: str) -> list[Problem]:
    """Each voucher's debits equal its credits in every original currency."""
    problems = []
    signed = np.where(e["side"].to_numpy() == "debit", 1, -1) * e["amount_orig"].to_numpy("int64")
    net = pd.Series(signed).groupby([e["doc_no"].to_numpy(), e["currency_orig"].to_numpy()]).sum()
    for (doc, cur), diff in net[net != 0].items():
        exp = money.EXPONENTS.get(cur, 2)
        lines = e.loc[e["doc_no"] == doc, "template_line"].unique()
        problems.append(Problem(
            "unbalanced-voucher", f"单据 {doc} 的凭证借贷不平，差额 {money.to_decimal(diff, exp)} {cur} / "
            f"voucher for {doc} does not balance by {money.to_decimal(diff, exp)} {cur}",
            Source(source, document=doc, book=book.code, template_line=", ".join(lines)),
            "check the line conditions: each document must fire debit and credit lines of equal amounts"))
    return problems


def add_rounding_lines(e: pd.DataFrame, book: Book, source: str, problems: list[Problem],
                       skip: set = frozenset()) -> pd.DataFrame:
    """Post book-currency conversion differences explicitly (汇率折算尾差).

    Documents in ``skip`` (already unbalanced in their own currency) get no
    rounding line: their difference is an error, not a conversion effect.
    """
    diff = (e["debit"] - e["credit"]).groupby(e["doc_no"], sort=False).sum()
    diff = diff[(diff != 0) & ~diff.index.isin(list(skip))]
    if diff.empty:
        return e
    if book.rounding_account is None:
        for doc, d in diff.items():
            problems.append(Problem(
                "rounding-difference", f"单据 {doc} 折算为 {book.currency} 后差 {money.to_decimal(d, book.exponent)} / "
                "conversion leaves a rounding difference", Source(source, document=doc, book=book.code),
                f"set rounding_account for book {book.code} in books.yaml"))
        return e
    first = e.drop_duplicates("doc_no").set_index("doc_no").loc[diff.index]
    extra = first.reset_index().copy()
    d = diff.to_numpy()
    extra["account"] = book.rounding_account
    extra["side"] = np.where(d > 0, "credit", "debit")
    extra["debit"] = np.where(d < 0, -d, 0)
    extra["credit"] = np.where(d > 0, d, 0)
    extra["amount_orig"] = 0
    extra["template_line"] = "rounding"
    extra["line_order"] = 10**6
    extra["summary"] = "汇率折算尾差 / FX rounding difference"
    for dim in DIMS:
        extra[dim] = ""
    return pd.concat([e, extra[e.columns]], ignore_index=True).sort_values(
        ["date", "doc_no", "line_order"], kind="stable").reset_index(drop=True)


def _empty_lines() -> pd.DataFrame:
    cols = ENTRY_COLUMNS + ["debit", "credit", "currency", "book", "kind", "voucher_word", "template",
                            "source_type", "period"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
