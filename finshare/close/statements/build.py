"""Statement lines from statement balances: each line is a weighted sum of the balance rows.

Every term of a line rule gives a weight per balance row (+1, -1 or 0:
the row's net taken, negated or left out), a line's weights are the signed
sum of its terms' and an amount is ``weights @ net``, so a statement of a
year of data is a few matrix products. The weights also say where each
balance went: on a balance sheet, ``total assets - total liabilities and
equity`` must weigh every row exactly once; a row weighed 0 or 2 times is
an account the line rules leave out or take twice, and the build names it
instead of printing a sheet that does not balance.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ...core import money
from ...core.chart import Chart
from ...core.problems import FinshareError, Problem, Source
from .layout import Layout, layout as builtin_layout

#: Which balance column gives ``current`` and ``comparative``, by the statement's basis.
BASIS = {"position": ("closing", "prior_closing"), "performance": ("ytd", "prior_ytd")}
_DEBIT_CATEGORIES = ("asset", "cost")
OUTPUT = ["code", "name_zh", "name_en", "kind", "current", "comparative"]


def _direction(chart: Chart, code: str) -> int:
    """+1 when ``code`` is stated debit-positive (its normal balance; *either* by its category), else -1."""
    acc = chart.accounts
    if code not in acc.index:
        under = acc.index[acc.index.str.startswith(code)]
        if not len(under):
            return 1
        code = min(under, key=len)
    side = acc.at[code, "normal_balance"]
    if side == "either":
        return 1 if acc.at[code, "category"] in _DEBIT_CATEGORIES else -1
    return 1 if side == "debit" else -1


@lru_cache(maxsize=16)
def _tree(chart: Chart) -> pd.DataFrame:
    """The chart's ``(code, ancestor)`` pairs with the ancestor's parent (one per chart, reused)."""
    pairs = chart.ancestors()
    return pairs.assign(parent=pairs["ancestor"].map(chart.accounts["parent"]).to_numpy(object))


@lru_cache(maxsize=4096)
def _child_of(chart: Chart, code: str, accounts: tuple[str, ...]) -> np.ndarray:
    """For each of ``accounts`` under ``code``: its ancestor that is a direct child of ``code`` (itself if none)."""
    pairs = _tree(chart)
    child = pairs[pairs["parent"] == code].set_index("code")["ancestor"]
    mapped = pd.Series(accounts, dtype=object).map(child).astype(object)
    return mapped.where(mapped.notna(), pd.Series(accounts, dtype=object)).to_numpy(object)


@lru_cache(maxsize=16)
def _descendants(chart: Chart) -> dict[str, list[str]]:
    """Each account of the chart → itself and every account below it (one dict per chart, reused)."""
    pairs = _tree(chart)
    return {a: list(codes) for a, codes in pairs.groupby("ancestor", sort=False)["code"]}


@lru_cache(maxsize=4096)
def _under(chart: Chart, code: str, accounts: tuple[str, ...]) -> np.ndarray:
    """Which of ``accounts`` are ``code`` or below it: by the chart's hierarchy when ``code`` is in the chart
    (HKFRS codes do not extend their parent's), else by the code's prefix."""
    if code in chart.accounts.index:
        return np.isin(np.array(accounts, dtype=object), _descendants(chart).get(code, [code]))
    return np.array([a.startswith(code) for a in accounts], dtype=bool)


@lru_cache(maxsize=4096)
def _account_weights(term, chart: Chart, accounts: tuple[str, ...]) -> np.ndarray:
    """A term's weight of each distinct account, for terms that do not look at the balance's side."""
    if term.what == "category":
        category = pd.Series(accounts, dtype=object).map(chart.accounts["category"])
        sign = 1 if term.ref in _DEBIT_CATEGORIES else -1
        return np.where((category == term.ref).to_numpy(), sign, 0)
    return np.where(_under(chart, term.ref, accounts), _direction(chart, term.ref), 0)


def _term_weights(term, balances: pd.DataFrame, net: np.ndarray, chart: Chart,
                  accounts: tuple[str, ...], at: np.ndarray) -> np.ndarray:
    """A term's weight of each balance row; ``accounts`` are the distinct accounts and ``at`` each row's."""
    if term.what == "category" or not term.side:
        return _account_weights(term, chart, accounts)[at]
    matched = _under(chart, term.ref, accounts)[at]
    if term.by == "":
        keys = np.zeros(len(at), dtype="int64")
    elif term.by == "counterparty":
        keys = balances["counterparty"].to_numpy(object)
    elif term.by == "account":
        keys = at
    else:
        keys = _child_of(chart, term.ref, accounts)[at]
    group = pd.Series(np.where(matched, net, 0)).groupby(keys).transform("sum").to_numpy()
    if term.side == "debit":
        return np.where(matched & (group > 0), 1, 0)
    return np.where(matched & (group < 0), -1, 0)


def weights(lay: Layout, balances: pd.DataFrame, column: str, chart: Chart) -> np.ndarray:
    """Lines × balance rows: the weight of each row's ``column`` in each line (header lines all 0)."""
    net = balances[column].to_numpy("int64")
    at, distinct = pd.factorize(balances["account"].astype(str).to_numpy(object))
    accounts = tuple(str(a) for a in distinct)
    where = {code: i for i, code in enumerate(lay.codes)}
    w = np.zeros((len(lay.lines), len(balances)), dtype="int64")
    for i, line in enumerate(lay.lines):
        for t in line.terms:
            if t.what == "line":
                w[i] += t.sign * w[where[t.ref]]
            elif t.what == "range":
                rows = [j for j in range(where[t.ref], where[t.end] + 1) if lay.lines[j].kind == "detail"]
                w[i] += t.sign * w[rows].sum(axis=0)
            else:
                w[i] += t.sign * _term_weights(t, balances, net, chart, accounts, at)
    return w


def _unbalanced(lay: Layout, w: np.ndarray, balances: pd.DataFrame, column: str, book: str | None) -> None:
    """Refuse a balance sheet whose two totals differ, naming the accounts weighed other than once."""
    a, b = (lay.codes.index(c) for c in lay.balance)
    net = balances[column].to_numpy("int64")
    if int(w[a] @ net) == int(w[b] @ net):
        return
    off = (w[a] - w[b] != 1) & (net != 0)
    accounts = sorted(set(balances.loc[off, "account"]))
    if not accounts:                       # every account is in one line: the balances themselves do not net to 0
        raise FinshareError([Problem(
            "balances-unbalanced", f"余额借贷不平，差额 {int(net.sum())}（最小货币单位）/ the balances do not balance: "
            f"debits exceed credits by {int(net.sum())} minor units, so no {lay.title_en} can balance",
            Source(book=book, field=column), "检查试算平衡表：借方合计必须等于贷方合计 / check the trial balance: "
            "total debits must equal total credits")])
    raise FinshareError([Problem(
        "statement-unbalanced", f"{lay.title_zh}不平：科目 {', '.join(accounts)} 没有（或重复）列入报表行 / "
        f"{lay.title_en} does not balance: accounts {', '.join(accounts)} are in no line (or in two)",
        Source(book=book, field=column), "在报表定义中把这些科目列入恰好一行 / add each of them to exactly one line "
        f"rule of finshare/data/statements ({lay.id})")])


def build_statement(name: str | Layout, balances: pd.DataFrame, chart: Chart, book: str | None = None) -> pd.DataFrame:
    """A statement's lines from statement balances.

    Parameters
    ----------
    name : str or Layout
        A built-in statement id (``cas_bs``, ``cas_is``, ``mgt_pl``, ``hkfrs_sfp``, ``hkfrs_pl``) or a layout.
    balances : pandas.DataFrame
        From :func:`~finshare.close.statements.balances.statement_balances` (money in minor units).
    chart : Chart
        The book's chart (normal balances, categories, sub-accounts).
    book : str, optional
        Named in a problem.

    Returns
    -------
    pandas.DataFrame
        ``code, name_zh, name_en, kind, current, comparative``: int64 minor units, 0 on header lines.
        A balance sheet has ``current`` = closing balances and ``comparative`` = the previous year-end;
        an income statement the year to date and the same months of the previous year.

    Raises
    ------
    FinshareError
        ``statement-unbalanced`` when an account with a balance is in no balance-sheet line or in two.
    """
    lay = builtin_layout(name) if isinstance(name, str) else name
    out = pd.DataFrame({"code": lay.codes, "name_zh": [ln.name_zh for ln in lay.lines],
                        "name_en": [ln.name_en for ln in lay.lines], "kind": [ln.kind for ln in lay.lines]})
    for target, column in zip(("current", "comparative"), BASIS[lay.basis]):
        w = weights(lay, balances, column, chart)
        if lay.balance:
            _unbalanced(lay, w, balances, column, book)
        out[target] = (w @ balances[column].to_numpy("int64")).astype("int64")
    out.attrs["statement"] = lay.id
    return out


def as_decimals(frame: pd.DataFrame, exp: int, columns=("current", "comparative")) -> pd.DataFrame:
    """Money columns as exact Decimals with ``exp`` places for people; header lines show ``None``."""
    out = frame.copy()
    header = (out["kind"] == "header").to_numpy()
    for c in columns:
        values = money.decimals(out[c].to_numpy("int64"), exp)
        out[c] = pd.Series([None if h else v for h, v in zip(header, values)], index=out.index, dtype=object)
    return out


__all__ = ["BASIS", "OUTPUT", "weights", "build_statement", "as_decimals"]
