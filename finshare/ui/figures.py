"""Figures for the course chapters: the chart's tree and categories, the posting path, books, lineage, T-accounts.

Every function returns a :class:`matplotlib.figure.Figure` (not shown yet,
not kept by pyplot), labelled in Chinese and English with Debian's Noto Sans
CJK font, so a notebook cell that ends with the call shows the picture once.
Drawing only: the numbers come from the core (charts, :func:`finshare.why`,
the journal, the lineage graph); nothing here computes accounting.

    from finshare.ui import figures
    figures.chart_tree(finshare.Chart.builtin("CAS"), ["2202", "2221"])
"""
from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import networkx as nx
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from ..core import money
from ..core.chart import CATEGORIES, Chart

#: Font families tried in order: Debian's fonts-noto-cjk (scripts/setup.sh installs it), then fallbacks.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC")
CATEGORY_EN = {"asset": "Assets", "liability": "Liabilities", "common": "Common", "equity": "Equity",
               "cost": "Cost", "profit_and_loss": "Profit and loss"}
BALANCE_LABELS = {"debit": "借 debit", "credit": "贷 credit", "either": "借或贷 either"}
BALANCE_COLOURS = {"debit": "#4c78a8", "credit": "#e45756", "either": "#b0b0b0"}
#: Arrow colours, one per document traced.
EDGE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
#: Box colours by role: documents, template parts, vouchers, organisations, books.
COLOURS = {"document": "#fde2b8", "class": "#d7e8f7", "line": "#e8f4e1", "voucher": "#f3d9e8",
           "unit": "#fde2b8", "MGT": "#ffe9c7", "LEGAL": "#d7e8f7", "book": "#e8f4e1", "skip": "#eeeeee"}


# ----------------------------------------------------------------- fonts
def cjk_family() -> str:
    """The first CJK font family matplotlib knows, e.g. ``"Noto Sans CJK SC"``.

    Raises
    ------
    RuntimeError
        When no CJK font is installed, with the Debian package that provides one.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    raise RuntimeError("没有中文字体 / no CJK font: install Debian's fonts-noto-cjk (scripts/setup.sh does)")


@contextmanager
def cjk_style():
    """matplotlib settings under which Chinese labels render (no boxes, no missing-glyph warnings)."""
    with matplotlib.rc_context({"font.family": [cjk_family(), "DejaVu Sans"], "axes.unicode_minus": False,
                                "figure.dpi": 100, "savefig.dpi": 100}):
        yield


def _new_figure(width: float, height: float) -> Figure:
    """A figure made through pyplot (so Jupyter's inline backend shows it) but not kept open by it."""
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)                      # shown once, as the cell's value, not again at the end of the cell
    return fig


def _figure(width: float, height: float) -> tuple[Figure, object]:
    fig = _new_figure(width, height)
    return fig, fig.add_subplot()


def _box(ax, xy, text, colour, size=9, **kw):
    ax.text(*xy, text, ha="center", va="center", fontsize=size, zorder=3,
            bbox={"boxstyle": "round,pad=0.35", "fc": colour, "ec": "#555555", "lw": 0.8}, **kw)


def _arrow(ax, start, end, colour="#555555", style="-|>", dashed=False):
    ax.annotate("", xy=end, xytext=start, zorder=2,
                arrowprops={"arrowstyle": style, "color": colour, "lw": 1.1, "shrinkA": 28, "shrinkB": 28,
                            "linestyle": "--" if dashed else "-"})


def _bare(ax, title: str) -> None:
    ax.set_axis_off()
    ax.set_title(title, fontsize=12, loc="left")
    ax.margins(0.12, 0.08)


# ----------------------------------------------------------------- chapter 1: the chart
def chart_tree(chart: Chart, roots) -> Figure:
    """The accounts under ``roots`` as a tree: level left to right, leaves (postable) in green.

    Parameters
    ----------
    chart : Chart
    roots : list of str
        First-level codes, e.g. ``["2202", "2221"]``.
    """
    acc = chart.accounts
    order = [c for r in roots for c in _subtree(acc, str(r))]
    leaves = [c for c in order if acc.at[c, "is_leaf"]]
    y = {c: float(i) for i, c in enumerate(leaves)}     # leaves take rows top to bottom
    for code in reversed(order):                         # a heading sits between its children
        kids = [k for k in order if acc.at[k, "parent"] == code]
        if kids:
            y[code] = sum(y[k] for k in kids) / len(kids)
    with cjk_style():
        fig, ax = _figure(11, 0.42 * len(leaves) + 1.2)
        for code in order:
            row = acc.loc[code]
            x = int(row["level"])
            if row["parent"]:
                px, py = int(acc.at[row["parent"], "level"]), y[row["parent"]]
                ax.plot([px + 0.15, px + 0.5, px + 0.5, x - 0.05], [py, py, y[code], y[code]], color="#888", lw=0.8)
            side = BALANCE_LABELS[row["normal_balance"]].split()[0]
            ax.text(x, y[code], f"{code} {row['name_zh']} ({side})  {row['name_en']}", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.25", "lw": 0.6, "ec": "#666",
                          "fc": COLOURS["line"] if row["is_leaf"] else COLOURS["class"]})
        ax.set_xlim(0.8, acc.loc[order, "level"].max() + 2.6)
        ax.set_ylim(max(y.values()) + 0.8, -0.8)
        _bare(ax, f"科目层级 Account hierarchy ({chart.name}) — 绿色=末级可记账 green = leaf, postable; "
                  "蓝色=汇总 blue = heading")
    return fig


def _subtree(acc: pd.DataFrame, root: str) -> list[str]:
    """``root`` and its descendants, depth first in code order."""
    out = [root]
    for kid in sorted(acc.index[acc["parent"] == root]):
        out += _subtree(acc, kid)
    return out


def category_counts(chart: Chart) -> pd.DataFrame:
    """Accounts per category (CAS order 1 资产 … 6 损益, not Unicode order) and normal balance."""
    acc = chart.accounts
    cat = pd.Categorical(acc["category"], categories=list(CATEGORIES))
    table = pd.crosstab(cat, acc["normal_balance"], dropna=False).reindex(columns=list(BALANCE_LABELS), fill_value=0)
    table.index = [f"{i} {CATEGORIES[c]} {CATEGORY_EN[c]}" for i, c in enumerate(CATEGORIES, 1)]
    table.columns = [BALANCE_LABELS[c] for c in table.columns]
    return table


def category_figure(chart: Chart) -> Figure:
    """Stacked bars: accounts per category in CAS order, split by normal balance (借/贷/借或贷)."""
    table = category_counts(chart)
    with cjk_style():
        fig, ax = _figure(9, 3.6)
        left = pd.Series(0, index=table.index)
        for col, key in zip(table.columns, BALANCE_LABELS):
            ax.barh(table.index, table[col], left=left, color=BALANCE_COLOURS[key], label=col)
            left += table[col]
        for i, total in enumerate(left):
            ax.text(total + 0.4, i, str(int(total)), va="center", fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel("科目数 number of accounts")
        ax.legend(title="余额方向 normal balance", fontsize=8, loc="lower right")
        ax.set_title(f"{chart.name} 科目类别（编码首位）Categories by first digit of the code", loc="left")
    return fig


# ----------------------------------------------------------------- chapter 2: the posting path
def posting_path(explanations) -> Figure:
    """Document → business class → entry line → voucher, for the explanations of :func:`finshare.why`.

    Parameters
    ----------
    explanations : list of Explanation
        One per document, each for one book (``why(case, "CG001", "FJ-CAS")``).
    """
    g = nx.DiGraph()
    for ex, colour in zip(explanations, EDGE_COLOURS * 10):
        book = next(iter(ex.books))
        lines = ex.books[book][2]
        g.add_node(("doc", ex.document), layer=0, text=_doc_text(ex), colour=COLOURS["document"])
        g.add_node(("class", ex.class_code), layer=1, text=ex.business_class or "?", colour=COLOURS["class"])
        g.add_edge(("doc", ex.document), ("class", ex.class_code), colour=colour)
        voucher = ("voucher", ex.document)
        g.add_node(voucher, layer=3, text=_voucher_text(ex.document, book, lines), colour=COLOURS["voucher"])
        for check in ex.lines:
            node = ("line", f"{check.class_code}/{check.line_id}")
            g.add_node(node, layer=2, text=f"{check.what[5:]}\n{check.condition or '总是 always'}",
                       colour=COLOURS["line"])
            g.add_edge(("class", ex.class_code), node)
            if check.result:
                g.add_edge(node, voucher, colour=colour)
    return _layered(g, "单据 → 业务分类 → 分录行 → 凭证  Document → business class → entry line → voucher",
                    ["单据 document", "业务分类 business class", "分录行 entry line (条件 condition)",
                     "凭证 voucher"], width=15)


def _doc_text(ex) -> str:
    vals = {k: v for c in ex.classes + ex.lines for k, v in c.values.items()}
    return f"{ex.document}\n" + "\n".join(f"{k} {v}" for k, v in vals.items())


def _voucher_text(number: str, book: str, lines) -> str:
    if lines is None or not len(lines):
        return f"{number} · {book}\n(无分录 no entries)"
    rows = [f"{'借' if r.debit else '贷'} {r.account} {r.account_name} "
            f"{money.display(r.debit or r.credit, money.EXPONENTS[r.currency])}" for r in lines.itertuples()]
    return f"{number} 业务凭证 · {book}\n" + "\n".join(rows)


def _layered(g: nx.DiGraph, title: str, headings: list[str], width: float) -> Figure:
    """Draw a graph whose nodes carry ``layer``, ``text`` and ``colour``: layers left to right."""
    layers = [[n for n in g if g.nodes[n]["layer"] == k] for k in range(len(headings))]
    pos = {n: (float(k), (len(nodes) - 1) / 2 - i) for k, nodes in enumerate(layers) for i, n in enumerate(nodes)}
    tallest = max(len(nodes) for nodes in layers)
    with cjk_style():
        fig, ax = _figure(width, max(3.2, 1.1 * tallest + 1.2))
        for a, b, colour in g.edges(data="colour", default="#555555"):
            _arrow(ax, pos[a], pos[b], colour)
        for n, (x, y) in pos.items():
            _box(ax, (x, y), g.nodes[n]["text"], g.nodes[n]["colour"], size=8.5)
        top = max(y for _, y in pos.values()) + 0.35
        for k, head in enumerate(headings):
            ax.text(k, top, head, ha="center", fontsize=10, weight="bold")
        ax.set_xlim(-0.6, len(headings) - 0.4)
        ax.set_ylim(min(y for _, y in pos.values()) - 0.3, top + 0.2)
        _bare(ax, title)
    return fig


# ----------------------------------------------------------------- chapter 3: books, lineage, T-accounts
def books_diagram(case) -> Figure:
    """Business units → accounting organisations (by system) → books, with currency, chart and GL rule."""
    g = nx.DiGraph()
    orgs = case.master["organisations"]
    for system, body in case.books.systems.items():
        for org, units in body["orgs"].items():
            g.add_node(org, layer=1, colour=COLOURS.get(system, COLOURS["class"]),
                       text=f"{org} {orgs.at[org, 'name_zh']}\n{body['name_zh']} {system}")
            for unit in units:
                g.add_node(unit, layer=0, colour=COLOURS["unit"],
                           text=f"{unit} {orgs.at[unit, 'name_zh']}\n{orgs.at[unit, 'name_en']}")
                g.add_edge(unit, org)
    for b in case.books:
        g.add_node(b.code, layer=2, colour=COLOURS["book"],
                   text=f"{b.code} {b.name_zh}\n{b.currency} · {b.chart.name} · GL {b.gl_rule.get('mode', '')}")
        g.add_edge(b.org, b.code)
    return _layered(g, "组织 → 核算体系 → 账簿  Organisation → accounting system → book",
                    ["业务单元 business unit", "核算组织（核算体系）accounting org (system)", "账簿 book"], width=13)


def lineage_figure(graph: nx.DiGraph, doc_type: str, number: str, lines: pd.DataFrame | None = None) -> Figure:
    """One document's lineage: document → business vouchers → lines → GL lines ← GL vouchers.

    Parameters
    ----------
    graph : networkx.DiGraph
        ``Ledger.lineage()``.
    doc_type, number : str
        The document, e.g. ``"purchase_receipt", "CG001"``.
    lines : pandas.DataFrame, optional
        ``Ledger.lines(None, None)``: labels the line nodes with their account and amount.
    """
    start = f"doc:{doc_type}:{number}"
    keep = {start} | nx.descendants(graph, start)
    keep |= {v for n in list(keep) for v in graph.predecessors(n) if graph.nodes[v]["kind"] == "gl_voucher"}
    sub = graph.subgraph(keep)
    layer = {"document": 0, "business_voucher": 1, "business_line": 2, "gl_line": 3, "gl_voucher": 4}
    label = _line_labels(lines)
    g = nx.DiGraph()
    for n in sorted(sub, key=str):
        kind = sub.nodes[n]["kind"]
        text = n.split(":", 2)[-1] if kind in ("document", "business_voucher", "gl_voucher") else label.get(n, n)
        colour = {0: COLOURS["document"], 1: COLOURS["voucher"], 4: COLOURS["class"]}.get(layer[kind], COLOURS["line"])
        g.add_node(n, layer=layer[kind], text=text, colour=colour)
    for a, b in sub.edges:
        if sub.nodes[a]["kind"] == "gl_voucher":
            g.add_edge(b, a)                       # drawn towards the GL voucher that holds the line
        else:
            g.add_edge(a, b)
    return _layered(g, f"凭证追溯 Lineage of {number}",
                    ["单据 document", "业务凭证 business voucher", "业务凭证行 business line", "总账凭证行 GL line",
                     "总账凭证 GL voucher"], width=17)


def _line_labels(lines: pd.DataFrame | None) -> dict:
    if lines is None:
        return {}
    exp = lines["currency"].astype(str).map(money.EXPONENTS)
    out = {}
    for r, e in zip(lines.itertuples(), exp):
        side, amount = ("借", r.debit) if r.debit else ("贷", r.credit)
        out[r.line_id] = f"{r.book} {r.voucher_no}/{r.line}\n{side} {r.account} {money.display(amount, e)} {r.currency}"
    return out


def t_accounts(lines: pd.DataFrame, chart: Chart, title: str = "", columns: int = 3) -> Figure:
    """T-accounts (T型账户): per account, debits left and credits right by voucher, totals and balance.

    Parameters
    ----------
    lines : pandas.DataFrame
        Journal lines of one book in minor units (``Ledger.lines(book, "gl")``).
    chart : Chart
        The book's chart, for the account names.
    """
    accounts = sorted(lines["account"].astype(str).unique())
    rows = -(-len(accounts) // columns)
    exp = money.EXPONENTS[str(lines["currency"].iloc[0])]
    with cjk_style():
        fig = _new_figure(4.2 * columns, 1.1 + 0.32 * (rows * 6))
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        groups = [lines[lines["account"].astype(str) == code] for code in accounts]
        depth = max(max((g["debit"] != 0).sum(), (g["credit"] != 0).sum()) for g in groups)
        for ax, code, rows_of in zip(axes, accounts, groups):
            _t_account(ax, code, rows_of, chart, exp, depth)
        for ax in axes[len(accounts):]:
            ax.set_axis_off()
        fig.suptitle(title or "T型账户 T-accounts", x=0.01, ha="left")
    return fig


def _t_account(ax, code: str, rows: pd.DataFrame, chart: Chart, exp: int, depth: int) -> None:
    ax.set_axis_off()
    ax.set_xlim(0, 2)
    ax.set_ylim(-depth - 2.6, 1.6)
    ax.text(1, 0.9, f"{code} {chart.full_name(pd.Series([code])).iloc[0]}\n{chart.name_of(code, 'en')}", ha="center", fontsize=9,
            weight="bold")
    ax.plot([0.05, 1.95], [0, 0], color="black", lw=1.2)
    dr = [(v, a) for v, a in zip(rows["voucher_no"].astype(str), rows["debit"]) if a]
    cr = [(v, a) for v, a in zip(rows["voucher_no"].astype(str), rows["credit"]) if a]
    for x, entries in ((0.95, dr), (1.95, cr)):
        for i, (v, a) in enumerate(entries):
            colour = "#c00000" if a < 0 else "black"      # red ink (红字) for reversals
            ax.text(x - 0.04, -0.6 - i, f"{v}  {money.display(a, exp)}", ha="right", fontsize=8.5, color=colour)
    n = max(len(dr), len(cr))
    ax.plot([1, 1], [0, -n - 1.1], color="black", lw=1.2)
    tot_dr, tot_cr = int(rows["debit"].sum()), int(rows["credit"].sum())
    ax.plot([0.05, 1.95], [-n - 0.2, -n - 0.2], color="#888", lw=0.6)
    ax.text(0.91, -n - 0.9, f"合计 {money.display(tot_dr, exp)}", ha="right", fontsize=8.5)
    ax.text(1.91, -n - 0.9, f"合计 {money.display(tot_cr, exp)}", ha="right", fontsize=8.5)
    net = tot_dr - tot_cr
    side = "借 Dr" if net > 0 else "贷 Cr" if net < 0 else "平 nil"
    ax.text(1, -n - 1.9, f"余额 balance {side} {money.display(abs(net), exp)}", ha="center", fontsize=8.5,
            style="italic")
