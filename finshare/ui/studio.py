"""The voucher studio (凭证工作室): ipywidgets over :func:`finshare.why`, for Voila and notebooks.

This is the only module that imports ipywidgets; it holds no accounting
logic. Small factories build the widgets, pure functions render the
package's answers as HTML, and :class:`VoucherStudio` wires them: choose a
document and a book, see the matched business class, why each entry line
fired, the entries the book receives and their T-accounts (T型账户), then
edit a line condition and re-post in memory (nothing is stored)::

    from finshare import load_case
    from finshare.ui import VoucherStudio
    VoucherStudio(load_case("datasets/fujian")).widget

``notebooks/apps/voucher_studio.ipynb`` shows it; ``finshare app`` serves it.
Output panels carry stable DOM ids (``fs-class``, ``fs-entries``,
``fs-taccounts``, ``fs-error``) for browser tests.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from ..core import money
from ..core.case import Case
from ..core.chart import DIMENSIONS
from ..core.preview import Explanation, why
from ..core.problems import FinshareError
from ..core.template import VoucherTemplate

SIDE_ZH = {"debit": "借", "credit": "贷"}
STYLE = """<style>
.fs-panel table{border-collapse:collapse;margin:4px 0 10px 0;font-size:13px}
.fs-panel th,.fs-panel td{border:1px solid #c8c8c8;padding:3px 8px;text-align:left;vertical-align:top}
.fs-panel th{background:#f1f3f5} .fs-panel td.fs-num{text-align:right;font-family:monospace}
.fs-panel tr.fs-total td{font-weight:bold;border-top:2px solid #555}
.fs-panel .fs-yes{color:#1a7f37} .fs-panel .fs-no{color:#999}
.fs-taccounts{display:flex;flex-wrap:wrap;gap:14px}
.fs-t{min-width:240px} .fs-t table{width:100%} .fs-t caption{font-weight:bold;padding:2px}
.fs-t td.fs-dr{border-right:2px solid #333} #fs-error{color:#b00020}
</style>"""


# ----------------------------------------------------------------- factories
def document_dropdown(case: Case, value: str | None = None) -> widgets.Dropdown:
    """Dropdown of every document, labelled like ``"CG001 标准采购 瑞幸咖啡"``.

    The label is the number, the document's enum fields (not its status) and
    its first ``*_name`` look-up, so it works for any document type.

    Parameters
    ----------
    case : Case
    value : str, optional
        Number selected first (default: the first document).

    Returns
    -------
    ipywidgets.Dropdown
        Values are document numbers.
    """
    options = []
    for docs in case.documents.values():
        dt = docs.doctype
        enums = [f.name for f in dt.header.fields if f.type == "enum" and f.name != dt.status_field]
        names = [f.name for f in dt.header.fields if f.name.endswith("_name")][:1]
        for number, row in docs.header.iterrows():
            parts = [str(number)] + [str(row[c]) for c in enums + names if pd.notna(row[c]) and row[c] != ""]
            options.append((" ".join(parts), str(number)))
    return widgets.Dropdown(options=options, value=value or (options[0][1] if options else None),
                            description="单据 Document", style={"description_width": "initial"},
                            layout=widgets.Layout(width="360px"))


def book_dropdown(case: Case, value: str | None = None) -> widgets.Dropdown:
    """Dropdown of the case's books, labelled ``"FJ-CAS 福建制造公司中国准则账簿"``."""
    options = [(f"{b.code} {b.name_zh}", b.code) for b in case.books]
    default = value or ("FJ-CAS" if "FJ-CAS" in case.books.codes() else case.books.codes()[0])
    return widgets.Dropdown(options=options, value=default, description="账簿 Book",
                            style={"description_width": "initial"}, layout=widgets.Layout(width="420px"))


def line_label(class_code: str, line) -> str:
    """``'EXP/1 借 6602 when 部门属性 == "管理"'`` for an entry line of a template."""
    cond = f"when {line.when}" if line.when is not None else "(always 总是)"
    return f"{class_code}/{line.id} {SIDE_ZH[line.side]} {line.describe_account()} {cond}"


def html_panel() -> widgets.HTML:
    """An empty HTML widget for one output panel."""
    return widgets.HTML(layout=widgets.Layout(width="100%"))


# ----------------------------------------------------------------- rendering
def _amounts(values, exp) -> list[str]:
    return list(money.format_amounts(pd.Series(values).to_numpy("int64"), exp))


def _div(id_: str, body: str) -> str:
    return f'<div id="{id_}" class="fs-panel">{body}</div>'


def _check_rows(checks) -> str:
    rows = []
    for c in checks:
        mark = '<span class="fs-yes">✓</span>' if c.result else '<span class="fs-no">✗</span>'
        vals = ", ".join(f"{k} = {v!r}" for k, v in c.values.items()) or "–"
        rows.append(f"<tr><td>{mark}</td><td>{html.escape(c.what)}</td>"
                    f"<td><code>{html.escape(c.condition or '(always 总是)')}</code></td><td>{html.escape(vals)}</td></tr>")
    return ("<table><tr><th></th><th>项目 item</th><th>条件 condition</th><th>单据取值 values</th></tr>"
            + "".join(rows) + "</table>")


def class_html(ex: Explanation, book: str) -> str:
    """The matched business class and, line by line, why each entry line fired."""
    chosen = ex.business_class
    head = (f"<b>业务分类 Business class: {html.escape(chosen)}</b>" if chosen else
            "<b>没有唯一匹配的业务分类，不生成凭证 / no single business class matches</b>")
    body = [head, f"<div>单据 {html.escape(ex.document)} · 模板 template {html.escape(ex.template)}</div>",
            "<div>业务分类条件 Class conditions</div>", _check_rows(ex.classes)]
    if ex.lines:
        body += ["<div>分录行条件 Entry-line conditions (✓ 生成 fires, ✗ 不生成 skipped)</div>", _check_rows(ex.lines)]
    if book in ex.books:
        body.append(f"<div>账簿 Book {html.escape(book)}: {html.escape(ex.books[book][1])}</div>")
    return _div("fs-class", "".join(body))


def entries_html(lines: pd.DataFrame | None, book) -> str:
    """The business-voucher entries of one book as a table, with totals.

    Parameters
    ----------
    lines : pandas.DataFrame or None
        ``Explanation.books[code][2]``: entry lines in minor units, with ``account_name``.
    book : Book
        The book (its currency and exponent format the amounts).
    """
    if lines is None or len(lines) == 0:
        return _div("fs-entries", f"<i>账簿 {html.escape(book.code)} 没有分录 / the book receives no entries</i>")
    amount = _amounts(lines["debit"] + lines["credit"], book.exponent)
    orig = _amounts(lines["amount_orig"], money.exponents(lines["currency_orig"].astype(object)))
    rows = []
    for i, r in enumerate(lines.itertuples()):
        dims = ", ".join(f"{DIMENSIONS[d][0]} {getattr(r, d)}" for d in DIMENSIONS if getattr(r, d, ""))
        rows.append(f"<tr><td>{html.escape(r.template_line)}</td><td>{SIDE_ZH[r.side]}</td>"
                    f"<td>{html.escape(r.account)} {html.escape(r.account_name)}</td>"
                    f'<td class="fs-num">{amount[i]} {r.currency}</td>'
                    f'<td class="fs-num">{orig[i]} {r.currency_orig}</td>'
                    f"<td>{html.escape(dims)}</td><td>{html.escape(str(r.summary))}</td></tr>")
    dr, cr = _amounts([lines["debit"].sum(), lines["credit"].sum()], book.exponent)
    rows.append(f'<tr class="fs-total"><td colspan="3">合计 Total 借 Dr {dr} / 贷 Cr {cr} {book.currency}</td>'
                '<td colspan="4"></td></tr>')
    return _div("fs-entries", (
        f"<b>{html.escape(book.code)} {html.escape(book.name_zh)} 的分录 / entries ({book.currency})</b>"
        "<table><tr><th>行 line</th><th>借/贷</th><th>科目 account</th><th>金额 amount</th>"
        "<th>原币 original</th><th>核算项目 dimensions</th><th>摘要 summary</th></tr>" + "".join(rows) + "</table>"))


def taccounts_html(lines: pd.DataFrame | None, book) -> str:
    """A T-account (T型账户) per account of the voucher: debits left, credits right, totals, balance."""
    if lines is None or len(lines) == 0:
        return _div("fs-taccounts", "")
    cards = []
    for account, g in lines.groupby("account", sort=False):
        dr = [_amounts([v], book.exponent)[0] + f" ({t})" for v, t in zip(g["debit"], g["template_line"]) if v]
        cr = [_amounts([v], book.exponent)[0] + f" ({t})" for v, t in zip(g["credit"], g["template_line"]) if v]
        rows = "".join(f'<tr><td class="fs-num fs-dr">{dr[i] if i < len(dr) else ""}</td>'
                       f'<td class="fs-num">{cr[i] if i < len(cr) else ""}</td></tr>'
                       for i in range(max(len(dr), len(cr))))
        tot_dr, tot_cr = _amounts([g["debit"].sum(), g["credit"].sum()], book.exponent)
        net = int(g["debit"].sum() - g["credit"].sum())
        side = "借 Dr" if net > 0 else "贷 Cr" if net < 0 else "平 nil"
        bal = _amounts([abs(net)], book.exponent)[0]
        cards.append(
            f'<div class="fs-t"><table><caption>{html.escape(account)} {html.escape(g["account_name"].iloc[0])}'
            f'</caption><tr><th>借方 Dr</th><th>贷方 Cr</th></tr>{rows}'
            f'<tr class="fs-total"><td class="fs-num fs-dr">{tot_dr}</td><td class="fs-num">{tot_cr}</td></tr>'
            f'<tr><td colspan="2">余额 Balance: {side} {bal} {book.currency}</td></tr></table></div>')
    return _div("fs-taccounts", "<b>T型账户 T-accounts</b>" f'<div class="fs-taccounts">{"".join(cards)}</div>')


def error_html(error: FinshareError | None) -> str:
    """A FinshareError rendered with its own ``_repr_html_`` (empty div when none)."""
    return _div("fs-error", error._repr_html_() if error is not None else "")


# -------------------------------------------------------------------- the app
class VoucherStudio:
    """Pick a document and a book, see why it gives its voucher, edit a line condition, re-post.

    Parameters
    ----------
    case : Case
        A loaded case (:func:`finshare.load_case`); it is not modified.
    document : str, optional
        Document number shown first (default: the first document).
    book : str, optional
        Book code shown first (default ``FJ-CAS`` when present).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole app; display it (the last expression of a Voila cell).
    templates : dict of str to VoucherTemplate
        The templates in use, with the student's edits.

    Examples
    --------
    >>> studio = VoucherStudio(load_case("datasets/fujian"))         # doctest: +SKIP
    >>> studio.edit("EXP", "1", '部门属性 in ("管理", "销售")')      # doctest: +SKIP
    """

    def __init__(self, case: Case, document: str | None = None, book: str | None = None):
        self.case = case
        self.templates: dict[str, VoucherTemplate] = dict(case.templates)
        self.document = document_dropdown(case, document)
        self.book = book_dropdown(case, book)
        self.line = widgets.Dropdown(description="分录行 Line", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="520px"))
        self.condition = widgets.Text(description="生成条件 Condition", placeholder='部门属性 == "管理"',
                                      style={"description_width": "initial"}, layout=widgets.Layout(width="520px"))
        self.apply = widgets.Button(description="应用并重新过账 Apply & re-post", button_style="primary",
                                    layout=widgets.Layout(width="auto"))
        self.reset = widgets.Button(description="恢复 Reset", layout=widgets.Layout(width="auto"))
        self.class_panel, self.entries_panel, self.t_panel, self.error_panel = (html_panel() for _ in range(4))
        self.out = widgets.Output()          # any unexpected exception of a callback lands here, visibly
        self.error: FinshareError | None = None
        capture = self.out.capture()
        self.document.observe(capture(lambda change: self.refresh()), "value")
        self.book.observe(capture(lambda change: self.refresh()), "value")
        self.line.observe(capture(self._on_line), "value")
        self.apply.on_click(capture(lambda button: self.edit(*self.line.value, self.condition.value)
                                    if self.line.value else None))
        self.reset.on_click(capture(lambda button: self.restore()))
        editor = widgets.VBox([
            widgets.HTML("<b>修改分录行条件 Edit a line condition</b> "
                         "(字段名或中文标签、字面量、比较、in、and/or/not / fields, literals, comparisons)"),
            self.line, self.condition, widgets.HBox([self.apply, self.reset]), self.error_panel, self.out])
        self.widget = widgets.VBox([
            widgets.HTML(STYLE), widgets.HBox([self.document, self.book]),
            self.class_panel, self.entries_panel, self.t_panel, editor])
        self.refresh()

    # ------------------------------------------------------------- actions
    def template(self) -> VoucherTemplate:
        """The template (possibly edited) for the chosen document's type."""
        doc_type, _ = self.case.find_document(self.document.value)
        return self.templates[self.case.templates_for(doc_type)[0].code]

    def explain(self) -> Explanation:
        """:func:`finshare.why` for the chosen document and book with the current template."""
        return why(self.case, self.document.value, self.book.value, template=self.template())

    def edit(self, class_code: str, line_id: str, text: str) -> None:
        """Replace a line condition and re-post; a rejected condition is shown, the template kept."""
        tpl = self.template()
        try:
            new = tpl.replace_condition(class_code, line_id, text, self.case.doctypes[tpl.doc_type])
        except FinshareError as exc:
            self._show_error(exc)
            return
        self.templates[tpl.code] = new
        self.refresh()

    def restore(self) -> None:
        """Go back to the case's own templates."""
        self.templates = dict(self.case.templates)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the explanation and redraw every panel."""
        ex = self.explain()
        book = self.case.books[self.book.value]
        lines = ex.books[book.code][2]
        self.class_panel.value = class_html(ex, book.code)
        self.entries_panel.value = entries_html(lines, book)
        self.t_panel.value = taccounts_html(lines, book)
        self._show_error(FinshareError(ex.problems, "预览发现问题，不能过账 / the preview has problems, posting "
                                       "would be refused") if ex.problems else None)
        self._fill_lines(ex)

    # ------------------------------------------------------------- helpers
    def _show_error(self, error: FinshareError | None) -> None:
        self.error = error
        self.error_panel.value = error_html(error)

    def _fill_lines(self, ex: Explanation) -> None:
        bc = next((c for c in self.template().classes if c.code == ex.class_code), None)
        options = [(line_label(bc.code, ln), (bc.code, ln.id)) for ln in bc.lines] if bc else []
        keep = self.line.value if any(v == self.line.value for _, v in options) else None
        self.line.options = options
        self.line.value = keep or (options[0][1] if options else None)
        self._on_line({"new": self.line.value})

    def _on_line(self, change) -> None:
        if not change["new"]:
            self.condition.value = ""
            return
        class_code, line_id = change["new"]
        bc = next(c for c in self.template().classes if c.code == class_code)
        ln = next(x for x in bc.lines if x.id == line_id)
        self.condition.value = str(ln.when or "")
