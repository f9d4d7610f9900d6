"""Booking: book-independent entries into one book's vouchers.

:func:`entries_for_book` keeps the documents that reach a book, maps
accounts into the book's chart, converts amounts into the book currency
(exact, half away from zero), checks accounts and dimensions once per
distinct account, and checks that every voucher balances exactly; a
conversion difference goes to the book's rounding account as an explicit
line (汇率折算尾差).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import columns as C
from . import money
from .books import Book
from .chart import DIMENSIONS, Chart, map_accounts
from .posting import DIMS, ENTRY_COLUMNS
from .problems import Problem, Source
from .rates import RateTable
from .template import VoucherTemplate


def entries_for_book(entries: pd.DataFrame, book: Book, template: VoucherTemplate, rates: RateTable,
                     template_chart: Chart, by_unit: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """Business-voucher lines of one book from entry lines (the one posting path's booking step).

    Parameters
    ----------
    entries : pandas.DataFrame
        Entry lines (:data:`finshare.core.posting.ENTRY_COLUMNS`), from
        templates or any other source; a ``voucher_word`` column, when
        present, overrides the source's word line by line.
    template : VoucherTemplate or EntrySource
        Where the entries come from: ``code``, ``doc_type``, ``voucher_word``,
        ``chart`` (the chart the accounts are written in), ``source`` (file
        for messages) and ``classes`` (per-chart account overrides).
    by_unit : bool, default True
        Keep only entries whose business unit the book accounts for. Entries
        made for one book (manual vouchers) pass ``False``.

    Returns
    -------
    lines : pandas.DataFrame
        Entry columns plus ``book, kind, voucher_word, template,
        source_type, period, debit, credit, currency`` (minor units;
        ``debit``/``credit`` in the book currency), in voucher order.
    problems : list of Problem
        Unknown, unmapped or non-postable accounts, missing dimensions,
        missing rates, unbalanced vouchers. When not empty, nothing of this
        template and book may be stored.
    """
    problems: list[Problem] = []
    org = C.coded(entries["org"]) if len(entries) else None
    if org is None:
        return _empty_lines(), problems
    reach = np.asarray(org.categories.isin(book.units)) if by_unit else np.ones(len(org.categories), bool)
    codes = np.asarray(org.codes)
    rows = np.flatnonzero(np.where(codes >= 0, reach[codes], not by_unit))
    if not len(rows):
        return _empty_lines(), problems
    e = entries.take(rows).reset_index(drop=True)
    unmapped = _book_accounts(e, book, template, template_chart, problems)
    problems += check_accounts(e, book, template.source, unmapped)
    _convert(e, book, rates, problems)
    n = len(e)
    for col, value in (("currency", book.currency), ("book", book.code), ("kind", "business"),
                       ("voucher_word", template.voucher_word), ("template", template.code),
                       ("source_type", template.doc_type), ("reverses", "")):
        if col != "voucher_word" or col not in e:
            e[col] = C.constant(value, n)
    months = e["date"].to_numpy("datetime64[M]").astype("int64")       # months since 1970-01
    lo = months.min()
    present = np.flatnonzero(np.bincount(months - lo))                   # few distinct months: no sort
    remap = np.zeros(present.max() + 1, dtype="int64")
    remap[present] = np.arange(len(present))
    e["_ym"] = (months // 12 + 1970) * 100 + months % 12 + 1
    e["period"] = C.from_codes(remap[months - lo], [f"{(m + lo) // 12 + 1970:04d}-{(m + lo) % 12 + 1:02d}"
                                                     for m in present])
    unbalanced = check_balance(e, book, template.source)
    problems += unbalanced
    e = add_rounding_lines(e, book, template.source, problems, skip={p.source.document for p in unbalanced})
    return e, problems


@dataclass(frozen=True)
class EntrySource:
    """Where entry lines that do not come from a template come from (manual vouchers, closing …).

    Its accounts are written in ``chart``; the fields mirror those of a
    :class:`~finshare.core.template.VoucherTemplate` the booking step reads.
    """

    code: str
    doc_type: str
    voucher_word: str
    chart: str
    source: str
    classes: tuple = ()


def _book_accounts(e: pd.DataFrame, book: Book, template: VoucherTemplate, template_chart: Chart,
                   problems: list[Problem]) -> np.ndarray:
    """Accounts into the book's chart, decided once per (template line, account) pair."""
    overrides = {f"{bc.code}/{ln.id}": ln.account_by_chart[book.chart.name]
                 for bc in template.classes for ln in bc.lines if book.chart.name in ln.account_by_chart}
    if book.chart.name == template.chart and not overrides:
        return np.zeros(len(e), dtype=bool)
    tl, acc = e["template_line"].array, e["account"].array
    pair = np.asarray(tl.codes, "int64") * (len(acc.categories) + 1) + np.asarray(acc.codes, "int64")
    pcode, pairs = pd.factorize(pair)
    p_tl = tl.categories.to_numpy(object)[pairs // (len(acc.categories) + 1)]
    p_acc = acc.categories.to_numpy(object)[pairs % (len(acc.categories) + 1)]
    target = pd.Series(p_acc, dtype=object)
    if book.chart.name != template.chart:
        if book.account_map is not None:
            target = map_accounts(pd.Series(p_acc, dtype=object), book.account_map, template_chart)
        else:
            target = pd.Series([None] * len(p_acc), dtype=object)
    for i, name in enumerate(p_tl):
        if name in overrides:
            target.iloc[i] = overrides[name]
    bad = target.isna().to_numpy() & (p_acc != "")
    for i in np.flatnonzero(bad):
        first = int(np.flatnonzero(pcode == i)[0])
        problems.append(Problem(
            "unmapped-account", f"科目 {p_acc[i]} 在 {book.chart.name} 科目表中没有对应科目 / "
            f"account {p_acc[i]} has no counterpart in chart {book.chart.name}",
            Source(template.source, document=str(e["doc_no"].iloc[first]), book=book.code, template_line=p_tl[i]),
            f"add {p_acc[i]} to the account map of book {book.code}, or give the line account: "
            f"{{{book.chart.name}: ...}}"))
    values = target.where(target.notna(), "").astype(object).to_numpy()
    vcode, vcats = pd.factorize(values)
    e["account"] = C.from_codes(vcode[pcode], vcats)
    return bad[pcode]


def check_accounts(e: pd.DataFrame, book: Book, source: str, unmapped: np.ndarray | None = None) -> list[Problem]:
    """Unknown or non-leaf accounts, and required dimensions left empty.

    Each check runs once per distinct account; dimensions an account does
    not carry are dropped from its lines, optional ones (``partner?``) may
    be blank.
    """
    problems = []
    acc = book.chart.accounts
    cat = e["account"].array
    codes = np.asarray(cat.codes)
    names = cat.categories.to_numpy(object)
    known = np.asarray(pd.Index(names).isin(acc.index))
    skip = unmapped if unmapped is not None else np.zeros(len(e), bool)

    def report(bad_values: np.ndarray, code, message, hint):
        for v in np.flatnonzero(bad_values):
            hit = (codes == v) & ~skip
            for tl in pd.unique(e["template_line"].to_numpy(object)[hit]):
                first = int(np.flatnonzero(hit & (e["template_line"].to_numpy(object) == tl))[0])
                problems.append(Problem(code, message(names[v]), Source(
                    source, document=str(e["doc_no"].iloc[first]), book=book.code, template_line=tl), hint(names[v])))

    report(~known & (names != ""), "unknown-account",
           lambda a: f"科目 {a} 不在 {book.chart.name} 科目表中 / account {a} is not in chart {book.chart.name}",
           lambda a: "add it to the chart or correct the template (or the material's account)")
    report(names == "", "missing-account", lambda a: "分录科目为空 / the entry has no account",
           lambda a: "fill the account field of the document or master data")
    leaf = np.asarray([bool(acc.at[a, "is_leaf"]) if k else True for a, k in zip(names, known)])
    report(~leaf, "non-leaf-account",
           lambda a: f"科目 {a} {acc.at[a, 'name_zh']} 有下级科目，不能直接记账 / account {a} is not a leaf",
           lambda a: f"post to one of its sub-accounts: {', '.join(acc.index[acc['parent'] == a][:4])}")
    for dim in DIMS:
        carries = np.asarray([k and dim in acc.at[a, "dimensions"] for a, k in zip(names, known)], dtype=bool)
        needs = carries & ~np.asarray([k and dim in acc.at[a, "optional_dimensions"] for a, k in zip(names, known)],
                                      dtype=bool)
        kept = np.where(codes >= 0, carries[codes], False)
        req = np.where(codes >= 0, needs[codes], False)
        dcat = e[dim].array
        dcat, blank = C.with_value(dcat, "")
        dcodes = np.asarray(dcat.codes)
        empty = dcodes == blank
        missing = req & empty & ~skip
        if missing.any():
            for a in pd.unique(names[codes[missing]]):
                hit = missing & (names[codes] == a)
                first = int(np.flatnonzero(hit)[0])
                problems.append(Problem(
                    "missing-dimension", f"科目 {a} 需要核算项目 {DIMENSIONS[dim][0]} / account {a} requires dimension {dim}",
                    Source(source, document=str(e["doc_no"].iloc[first]), book=book.code,
                           template_line=str(e["template_line"].iloc[first])),
                    f"add dimensions: {{{dim}: <field>}} to the template line, or fill the document's field"))
        drop = ~kept & ~empty  # a dimension the account does not carry is dropped
        if drop.any():
            e[dim] = pd.Categorical.from_codes(np.where(drop, blank, dcodes), dtype=dcat.dtype)
    return problems


def _convert(e: pd.DataFrame, book: Book, rates: RateTable, problems: list[Problem]) -> None:
    """Book-currency amounts: rates looked up once per (currency, date)."""
    cur = e["currency_orig"].array
    days = e["date"].to_numpy("datetime64[D]").astype("int64")
    lo = days.min() if len(days) else 0
    span = days.max() - lo + 1 if len(days) else 1                      # days before 1970 are negative
    key = np.asarray(cur.codes, "int64") * span + (days - lo)
    kcode, keys = pd.factorize(key)
    u_cur = pd.Series(cur.categories.to_numpy(object)[keys // span])
    u_date = pd.Series((keys % span + lo).astype("datetime64[D]"))
    num, den, missing = rates.lookup(u_cur, book.currency, u_date)
    exp_from = money.exponents(u_cur)
    amount, over = money.convert_checked(e["amount_orig"].to_numpy("int64"), num[kcode], den[kcode],
                                         exp_from[kcode], book.exponent)
    # a document that states its amount in the book's currency (本位币金额) is taken at its word
    lcat = e["currency_local"].array
    is_book = np.asarray(lcat.categories == book.currency)
    lcodes = np.asarray(lcat.codes)
    local = np.where(lcodes >= 0, is_book[lcodes], False) & (e["amount_local"].to_numpy("int64") != 0)
    amount = np.where(local, e["amount_local"].to_numpy("int64"), amount)
    miss = missing[kcode] & ~local
    source = getattr(rates, "source", "rates.csv")
    absent = not getattr(rates, "exists", True)
    for k in pd.unique(kcode[miss]):
        d = str(u_date[k].date())
        first = int(np.flatnonzero(miss & (kcode == k))[0])
        row = f"{d},{u_cur[k]},{book.currency},<rate>"
        problems.append(Problem(
            "missing-rate", (f"汇率表文件不存在，没有 {u_cur[k]}→{book.currency} 在 {d} 的汇率 / the rates file is missing: "
                             if absent else f"没有 {u_cur[k]}→{book.currency} 在 {d} 的汇率 / ")
            + f"no {u_cur[k]}→{book.currency} rate on {d}",
            Source(source, document=str(e["doc_no"].iloc[first]), book=book.code),
            f"{source} does not exist: create it with the header date,from_currency,to_currency,rate and a row {row}"
            if absent else f"add a row to {source}: {row}"))
    over &= ~local & ~missing[kcode]
    for doc in pd.unique(e["doc_no"].to_numpy(object)[over])[:20]:
        problems.append(Problem(
            "amount-overflow", f"单据 {doc} 的金额折算为 {book.currency} 后超出账簿能记录的范围 / the amount of {doc} "
            f"converted to {book.currency} is too large for the ledger", Source(document=str(doc), book=book.code,
                                                                                 field="amount"),
            "check the amount and the rate: a converted amount must stay below 2**62 minor units"))
    debit = _is_debit(e)
    e["debit"] = np.where(debit, amount, 0)
    e["credit"] = np.where(debit, 0, amount)


def _doc_sums(e: pd.DataFrame, values: np.ndarray, by_currency: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact int64 sums per document (and original currency): ``(first_row, currency_code, sum)``."""
    doc = e["_doc"].to_numpy()
    cur = np.asarray(e["currency_orig"].array.codes, "int64") if by_currency else np.zeros(len(e), "int64")
    if by_currency and len(e) and (cur != cur[0]).any():
        order = np.lexsort((cur, doc))
    else:
        order = np.arange(len(e))
    d, c = doc[order], cur[order]
    starts = np.flatnonzero(np.r_[True, (d[1:] != d[:-1]) | (c[1:] != c[:-1])]) if len(e) else np.zeros(0, int)
    sums = np.add.reduceat(values[order], starts) if len(e) else np.zeros(0, "int64")
    return order[starts], c[starts], sums


def check_balance(e: pd.DataFrame, book: Book, source: str) -> list[Problem]:
    """Each voucher's debits equal its credits in every original currency."""
    problems = []
    signed = np.where(_is_debit(e), 1, -1) * e["amount_orig"].to_numpy("int64")
    first, cur, sums = _doc_sums(e, signed, by_currency=True)
    cats = e["currency_orig"].array.categories
    for row, c, diff in zip(first[sums != 0], cur[sums != 0], sums[sums != 0]):
        doc = str(e["doc_no"].iloc[row])
        cur_code = cats[c]
        exp = money.EXPONENTS.get(cur_code, 2)
        lines = pd.unique(e.loc[e["_doc"] == e["_doc"].iloc[row], "template_line"].astype(str))
        problems.append(Problem(
            "unbalanced-voucher", f"单据 {doc} 的凭证借贷不平，差额 {money.display(diff, exp)} {cur_code} / "
            f"voucher for {doc} does not balance by {money.display(diff, exp)} {cur_code}",
            Source(source, document=doc, book=book.code, template_line=", ".join(lines)),
            "check the line conditions: each document must fire debit and credit lines of equal amounts"))
    return problems


def _is_debit(e: pd.DataFrame) -> np.ndarray:
    side = e["side"].array
    return np.asarray(side.categories == "debit")[np.asarray(side.codes)]


#: the document type of opening balances (期初余额), whose conversion differences may go to equity
OPENING_TYPE = "opening_balance"


def add_rounding_lines(e: pd.DataFrame, book: Book, source: str, problems: list[Problem],
                       skip: set = frozenset()) -> pd.DataFrame:
    """Post book-currency conversion differences explicitly (汇率折算尾差).

    Documents in ``skip`` (already unbalanced in their own currency) get no
    rounding line: their difference is an error, not a conversion effect.
    """
    first, _, diff = _doc_sums(e, e["debit"].to_numpy("int64") - e["credit"].to_numpy("int64"), by_currency=False)
    docs = e["doc_no"].to_numpy(object)[first] if len(first) else np.zeros(0, object)
    keep = (diff != 0) & ~pd.Index(docs).isin(list(skip))
    if not keep.any():
        return e
    if book.rounding_account is None:
        for doc, d in zip(docs[keep], diff[keep]):
            problems.append(Problem(
                "rounding-difference", f"单据 {doc} 折算为 {book.currency} 后差 {money.to_decimal(d, book.exponent)} / "
                "conversion leaves a rounding difference", Source(source, document=doc, book=book.code),
                f"set rounding_account for book {book.code} in books.yaml"))
        return e
    extra = e.take(first[keep]).reset_index(drop=True)
    d = diff[keep]
    m = len(extra)
    account = np.full(m, book.rounding_account, dtype=object)
    if book.opening_rounding_account is not None:          # the opening position has no profit or loss
        account[extra["source_type"].astype(str).to_numpy() == OPENING_TYPE] = book.opening_rounding_account
    extra["account"] = C.coded(pd.Series(account, dtype=object))
    extra["side"] = pd.Categorical(np.where(d > 0, "credit", "debit"))
    extra["debit"] = np.where(d < 0, -d, 0)
    extra["credit"] = np.where(d > 0, d, 0)
    extra["amount_orig"] = 0
    extra["amount_local"] = 0
    extra["template_line"] = C.constant("rounding", m)
    extra["line_order"] = 10**6
    extra["summary"] = pd.Series(["汇率折算尾差 / FX rounding difference"] * m, dtype="str")
    for dim in DIMS:
        extra[dim] = C.constant("", m)
    out = C.concat_frames([e, extra[e.columns]])
    return out.take(np.lexsort((out["line_order"].to_numpy(), out["_doc"].to_numpy()))).reset_index(drop=True)


def _empty_lines() -> pd.DataFrame:
    cols = ENTRY_COLUMNS + ["debit", "credit", "currency", "book", "kind", "voucher_word", "template",
                            "source_type", "reverses", "period", "_ym"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
