"""Manual vouchers (手工凭证) from a CSV file, as entry lines for the one posting path.

One row per voucher line::

    voucher,book,date,word,account,summary,debit,credit,currency,org,supplier,department,…
    MJ-001,FJ-CAS,2020-03-31,记,6602,计提三月水电费,1200.00,,CNY,XM,,XM-ADM
    MJ-001,FJ-CAS,2020-03-31,记,2241,计提三月水电费,,1200.00,CNY,XM,,

``voucher`` names the voucher (its lines share book, date and word), ``book``
is the book it is posted to, accounts are that book's; ``word`` defaults to
记, ``currency`` to the book's (another currency is converted at the rate of
the date, as a document would be), ``org`` and the dimension columns are
optional. A line has a debit or a credit, not both. The lines go through the
same booking, numbering and store as every voucher: accounts, dimensions,
balance and period are checked there; a voucher already posted is not posted
again.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import columns as C
from .dimensions import DIMENSIONS, TABLES
from .posting import ENTRY_COLUMNS
from .problems import FinshareError, Problem, Source, raise_if_any
from .schema import LINE, FieldSpec, TableSpec, check_table, read_text_table

SOURCE_TYPE = "manual"


def spec() -> TableSpec:
    """The columns of a manual-voucher file."""
    dims = [FieldSpec(d, "ref" if TABLES.get(d) else "str", ref=TABLES.get(d), label_zh=zh, label_en=en)
            for d, (zh, en) in DIMENSIONS.items()]
    return TableSpec("manual_vouchers", "手工凭证", "Manual vouchers", None, (
        FieldSpec("voucher", "code", required=True, label_zh="凭证", label_en="Voucher"),
        FieldSpec("book", "str", required=True, label_zh="账簿", label_en="Book"),
        FieldSpec("date", "date", required=True, label_zh="日期", label_en="Date"),
        FieldSpec("word", "str", label_zh="凭证字", label_en="Voucher word"),
        FieldSpec("account", "str", required=True, label_zh="科目", label_en="Account"),
        FieldSpec("summary", "str", label_zh="摘要", label_en="Summary"),
        FieldSpec("currency", "currency", label_zh="币别", label_en="Currency"),
        FieldSpec("debit", "money", currency_field="currency", label_zh="借方", label_en="Debit"),
        FieldSpec("credit", "money", currency_field="currency", label_zh="贷方", label_en="Credit"),
        FieldSpec("org", "ref", ref="organisations", label_zh="业务组织", label_en="Business unit"),
        *dims))


def _fill_defaults(raw: pd.DataFrame, case, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Blank word → 记, blank currency → the book's; an unknown book is a problem."""
    raw = raw.copy()
    books = {b.code: b.currency for b in case.books}
    book = raw["book"] if "book" in raw else pd.Series("", index=raw.index)
    unknown = ~book.isin(list(books)) & (book != "")
    problems = [Problem("unknown-book", f"账簿 {b!r} 不存在 / no book {b!r}", Source(source, int(ln), "book"),
                        f"books: {', '.join(books)}") for b, ln in zip(book[unknown], raw.loc[unknown, LINE])]
    cur = raw["currency"] if "currency" in raw else pd.Series("", index=raw.index)
    raw["currency"] = cur.where(cur != "", book.map(books).fillna(""))
    word = raw["word"] if "word" in raw else pd.Series("", index=raw.index)
    raw["word"] = word.where(word != "", "记")
    return raw, problems


def _voucher_problems(frame: pd.DataFrame, source: str) -> list[Problem]:
    """A line has one side; a voucher's lines share book, date and word."""
    out = []
    both = (frame["debit"] != 0) == (frame["credit"] != 0)
    for v, ln in zip(frame.loc[both, "voucher"], frame.loc[both, LINE]):
        out.append(Problem("manual-line-sides", f"凭证 {v} 的一行要么记借方要么记贷方 / a line of {v} needs a debit or a "
                           "credit, not both or neither", Source(source, int(ln), "debit", document=v),
                           "fill exactly one of debit and credit"))
    heads = frame.groupby("voucher", observed=True)[["book", "date", "word"]].nunique()
    for v in heads.index[(heads > 1).any(axis=1)]:
        ln = int(frame.loc[frame["voucher"] == v, LINE].iloc[0])
        out.append(Problem("manual-voucher-split", f"凭证 {v} 的各行账簿、日期或凭证字不同 / the lines of {v} differ in "
                           "book, date or word", Source(source, ln, document=v),
                           "give every line of a voucher the same book, date and word, or name them apart"))
    return out


def read_manual_vouchers(path: str | Path, case) -> dict[str, pd.DataFrame]:
    """Entry lines per book from a manual-voucher CSV (see the module docstring).

    Raises
    ------
    FinshareError
        Every problem of the file, each with its line.
    """
    path = Path(path)
    if not path.is_file():
        raise FinshareError([Problem("missing-file", "找不到手工凭证文件 / manual-voucher file not found",
                                     Source(str(path)), "give the path of a CSV with the columns voucher,book,date,…")])
    raw, problems = _fill_defaults(read_text_table(path), case, str(path))
    refs = {k: v.index for k, v in case.master.tables.items()}
    frame, more = check_table(raw, spec(), str(path), refs)
    problems += more
    raise_if_any(problems, f"手工凭证 {path.name} 有错误，未过账 / manual vouchers not posted")
    problems += _voucher_problems(frame, str(path))
    raise_if_any(problems, f"手工凭证 {path.name} 有错误，未过账 / manual vouchers not posted")
    return {b: _entries(part) for b, part in frame.groupby("book", sort=True)}


def _entries(frame: pd.DataFrame) -> pd.DataFrame:
    """One book's lines as entry lines (:data:`ENTRY_COLUMNS` plus ``voucher_word``)."""
    frame = frame.reset_index(drop=True)
    key = frame["voucher"].astype(object).to_numpy()
    rank = pd.Series(pd.factorize(key, sort=True)[0])
    order = np.lexsort((frame[LINE].to_numpy(), rank.to_numpy(), frame["date"].to_numpy("datetime64[D]")))
    frame, rank = frame.take(order).reset_index(drop=True), rank.take(order).reset_index(drop=True)
    debit = frame["debit"].to_numpy("int64")
    n = len(frame)
    line_order = frame.groupby(rank).cumcount().to_numpy() + 1
    out = {
        "doc_no": C.coded(frame["voucher"].astype(object)), "_doc": rank.to_numpy("int64"),
        "org": C.coded(frame["org"].astype(object).fillna("")), "date": frame["date"].to_numpy(),
        "business_class": C.constant("", n), "class_name": C.constant("", n),
        "template_line": C.coded(pd.Series(["manual/" + str(i) for i in line_order], dtype=object)),
        "line_order": line_order.astype("int64"), "side": pd.Categorical(np.where(debit != 0, "debit", "credit")),
        "account": C.coded(frame["account"].astype(object)),
        "amount_orig": np.where(debit != 0, debit, frame["credit"].to_numpy("int64")),
        "currency_orig": C.coded(frame["currency"].astype(object)), "amount_local": np.zeros(n, "int64"),
        "currency_local": C.constant("", n), "summary": frame["summary"].astype(object).fillna("").astype("str"),
    }
    for d in DIMENSIONS:
        out[d] = C.coded(frame[d].astype(object).fillna("")) if d in frame else C.constant("", n)
    entries = pd.DataFrame(out)[ENTRY_COLUMNS]
    entries["voucher_word"] = C.coded(frame["word"].astype(object))
    return entries
