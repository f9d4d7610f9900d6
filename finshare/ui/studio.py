"""The voucher studio (凭证工作室): ipywidgets over :func:`finshare.why`, for Voila and notebooks.

This module wires widgets and holds no accounting logic. Choose a document:
see the matched business class and why each entry line fired, and the
document's voucher in **every** book side by side as a 记账凭证 (摘要, 科目,
借方金额, 贷方金额, voucher word and number, date, 附单据, totals), including
the books it does not reach and why. Edit a line condition and re-post in
memory (nothing is stored); a problem appears beside the vouchers and names
the line you edited, in Chinese and English::

    from finshare import load_case
    from finshare.ui import VoucherStudio
    VoucherStudio(load_case("datasets/fujian")).widget

``notebooks/apps/voucher_studio.ipynb`` shows it; ``finshare app`` serves it.
Output panels carry stable DOM ids (``fs-class``, ``fs-vouchers``,
``fs-voucher-<book>``, ``fs-error``) for browser tests.
"""
from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as widgets
import pandas as pd

from ..core.case import Case
from ..core.ledger import Ledger
from ..core.preview import Explanation, format_values, why
from ..core.problems import FinshareError
from ..core.template import VoucherTemplate
from .voucher_form import FORM_STYLE, books_side_by_side

SIDE_ZH = {"debit": "借", "credit": "贷"}
STYLE = """<style>
.fs-panel table{border-collapse:collapse;margin:4px 0 10px 0;font-size:13px}
.fs-panel th,.fs-panel td{border:1px solid #c8c8c8;padding:3px 8px;text-align:left;vertical-align:top}
.fs-panel th{background:#f1f3f5}
.fs-panel .fs-yes{color:#1a7f37} .fs-panel .fs-no{color:#999}
.fs-panel{max-width:100%;overflow-x:auto}
#fs-error{color:#b00020} #fs-error .fs-edited{font-weight:bold;margin:4px 0}
#fs-error:not(:empty){border:2px solid #b00020;border-radius:4px;padding:6px;background:#fff5f5}
.fs-studio .widget-text,.fs-studio .widget-dropdown{max-width:100%}
""" + FORM_STYLE + "</style>"


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


def line_label(class_code: str, line) -> str:
    """``'EXP/1 借 6602 when 部门属性 == "管理"'`` for an entry line of a template."""
    cond = f"when {line.when}" if line.when is not None else "(always 总是)"
    return f"{class_code}/{line.id} {SIDE_ZH[line.side]} {line.describe_account()} {cond}"


def html_panel() -> widgets.HTML:
    """An empty HTML widget for one output panel."""
    return widgets.HTML(layout=widgets.Layout(width="100%"))


# ----------------------------------------------------------------- rendering
def _div(id_: str, body: str) -> str:
    return f'<div id="{id_}" class="fs-panel">{body}</div>'


def _check_rows(checks) -> str:
    rows = []
    for c in checks:
        mark = '<span class="fs-yes">✓</span>' if c.result else '<span class="fs-no">✗</span>'
        rows.append(f"<tr><td>{mark}</td><td>{html.escape(c.what)}</td>"
                    f"<td><code>{html.escape(c.condition or '(always 总是)')}</code></td>"
                    f"<td>{html.escape(format_values(c.values))}</td></tr>")
    return ("<table><tr><th></th><th>项目 item</th><th>条件 condition</th><th>单据取值 values</th></tr>"
            + "".join(rows) + "</table>")


def class_html(ex: Explanation) -> str:
    """The matched business class and, line by line, why each entry line fired."""
    chosen = ex.business_class
    head = (f"<b>业务分类 Business class: {html.escape(chosen)}</b>" if chosen else
            "<b>没有唯一匹配的业务分类，不生成凭证 / no single business class matches</b>")
    body = [head, f"<div>单据 {html.escape(ex.document)} · 模板 template {html.escape(ex.template)}</div>",
            "<div>业务分类条件 Class conditions</div>", _check_rows(ex.classes)]
    if ex.lines:
        body += ["<div>分录行条件 Entry-line conditions (✓ 生成 fires, ✗ 不生成 skipped)</div>", _check_rows(ex.lines)]
    return _div("fs-class", "".join(body))


def error_html(error: FinshareError | None, edited: str = "") -> str:
    """A FinshareError beside the vouchers: the edited line first (both languages), then every problem."""
    if error is None:
        return _div("fs-error", "")
    line = f'<div class="fs-edited">{html.escape(edited)}</div>' if edited else ""
    return _div("fs-error", line + error._repr_html_())


# -------------------------------------------------------------------- the app
class VoucherStudio:
    """Pick a document, see its voucher in every book, edit a line condition, re-post in memory.

    Parameters
    ----------
    case : Case
        A loaded case (:func:`finshare.load_case`); it is not modified.
    document : str, optional
        Document number shown first (default: the first document).
    lang : {"zh", "en"}, default "zh"
        Language of the account names on the vouchers.

    Attributes
    ----------
    widget : ipywidgets.Box
        The whole app; display it (the last expression of a Voila cell).
    templates : dict of str to VoucherTemplate
        The templates in use, with the student's edits.
    edited : tuple of (str, str) or None
        The entry line the student last changed, ``("EXP", "1")``.

    Examples
    --------
    >>> studio = VoucherStudio(load_case("datasets/fujian"))         # doctest: +SKIP
    >>> studio.edit("EXP", "1", '部门属性 in ("管理", "销售")')      # doctest: +SKIP
    """

    def __init__(self, case: Case, document: str | None = None, lang: str = "zh"):
        self.case = case
        self.templates: dict[str, VoucherTemplate] = dict(case.templates)
        self.edited: tuple[str, str] | None = None
        self.error: FinshareError | None = None
        self._numbers: tuple[int, dict] | None = None
        self.document = document_dropdown(case, document)
        self.lang = widgets.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                                          description="科目名称 Names", style={"description_width": "initial",
                                                                              "button_width": "72px"})
        self.line = widgets.Dropdown(description="分录行 Line", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="100%", max_width="520px"))
        self.condition = widgets.Text(description="生成条件 Condition", placeholder='部门属性 == "管理"',
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="100%", max_width="520px"))
        self.apply = widgets.Button(description="应用并重新过账 Apply & re-post", button_style="primary",
                                    layout=widgets.Layout(width="auto"))
        self.reset = widgets.Button(description="恢复 Reset", layout=widgets.Layout(width="auto"))
        self.class_panel, self.vouchers_panel, self.error_panel = (html_panel() for _ in range(3))
        self.out = widgets.Output()          # any unexpected exception of a callback lands here, visibly
        self._wire()
        self.widget = self._layout()
        self.refresh()

    def _wire(self) -> None:
        capture = self.out.capture()
        self.document.observe(capture(lambda change: self.refresh()), "value")
        self.lang.observe(capture(lambda change: self.refresh()), "value")
        self.line.observe(capture(self._on_line), "value")
        self.apply.on_click(capture(lambda button: self.edit(*self.line.value, self.condition.value)
                                    if self.line.value else None))
        self.reset.on_click(capture(lambda button: self.restore()))

    def _layout(self) -> widgets.Box:
        """Controls and explanation on the left, the books' vouchers on the right; stacked when narrow."""
        editor = widgets.VBox([
            widgets.HTML("<b>修改分录行条件 Edit a line condition</b><br>"
                         "字段名或中文标签、字面量、比较、in、and/or/not / fields, literals, comparisons, in, and/or/not"),
            self.line, self.condition, widgets.HBox([self.apply, self.reset], layout=widgets.Layout(flex_flow="row wrap"))])
        left = widgets.VBox([self.class_panel, editor, self.out],
                            layout=widgets.Layout(flex="1 1 400px", min_width="0", max_width="100%"))
        right = widgets.VBox([self.error_panel, self.vouchers_panel],
                             layout=widgets.Layout(flex="2 1 560px", min_width="0", max_width="100%"))
        top = widgets.Box([self.document, self.lang], layout=widgets.Layout(flex_flow="row wrap", width="100%"))
        body = widgets.Box([left, right], layout=widgets.Layout(flex_flow="row wrap", width="100%",
                                                                 align_items="flex-start"))
        box = widgets.VBox([widgets.HTML(STYLE), top, body], layout=widgets.Layout(width="100%"))
        box.add_class("fs-studio")
        return box

    # ------------------------------------------------------------- actions
    def template(self) -> VoucherTemplate:
        """The template (possibly edited) for the chosen document's type."""
        doc_type, _ = self.case.find_document(self.document.value)
        return self.templates[self.case.templates_for(doc_type)[0].code]

    def explain(self) -> Explanation:
        """:func:`finshare.why` for the chosen document in every book, with the current template."""
        return why(self.case, self.document.value, template=self.template())

    def edit(self, class_code: str, line_id: str, text: str) -> None:
        """Replace a line condition and re-post; a refused condition is shown (naming the line), the template kept."""
        tpl = self.template()
        self.edited = (class_code, line_id)
        try:
            new = tpl.replace_condition(class_code, line_id, text, self.case.doctypes[tpl.doc_type])
        except FinshareError as exc:
            self._show_error(FinshareError(exc.problems, f"分录行 {class_code}/{line_id} 的条件没有修改 / the condition "
                                           f"of line {class_code}/{line_id} was not changed"))
            return
        self.templates[tpl.code] = new
        self.refresh()

    def restore(self) -> None:
        """Go back to the case's own templates."""
        self.templates = dict(self.case.templates)
        self.edited = None
        self.refresh()

    def refresh(self) -> None:
        """Recompute the explanation and redraw every panel."""
        ex = self.explain()
        self.class_panel.value = class_html(ex)
        self.vouchers_panel.value = books_side_by_side(ex, self.case.books, self.numbers(), self.lang.value)
        self._show_error(FinshareError(ex.problems, self._problem_context()) if ex.problems else None)
        self._fill_lines(ex)

    def numbers(self) -> dict:
        """``book -> voucher number`` the chosen document gets when every approved document is posted (in memory)."""
        key = hash(tuple(id(t) for t in self.templates.values()))
        if self._numbers is None or self._numbers[0] != key:
            trial = Ledger(replace(self.case, templates=dict(self.templates)))
            result, _ = trial.prepare()
            trial.store.engine.dispose()
            bv = result.business.astype({"book": str, "source_no": str, "voucher_no": str})
            self._numbers = (key, {(r.source_no, r.book): r.voucher_no for r in bv.itertuples()})
        return {book: no for (doc, book), no in self._numbers[1].items() if doc == self.document.value}

    # ------------------------------------------------------------- helpers
    def _problem_context(self) -> str:
        if self.edited is None:
            return "预览发现问题，不能过账 / the preview has problems, posting would be refused"
        line = "/".join(self.edited)
        return (f"修改分录行 {line} 后，预览发现问题，不能过账 / after your edit of line {line} the preview has "
                "problems, posting would be refused")

    def _show_error(self, error: FinshareError | None) -> None:
        self.error = error
        edited = ""
        if error is not None and self.edited is not None:
            bc = next((c for c in self.template().classes if c.code == self.edited[0]), None)
            ln = next((x for x in bc.lines if x.id == self.edited[1]), None) if bc else None
            edited = (f"你修改的分录行 line you edited: {line_label(self.edited[0], ln)}" if ln is not None
                      else f"你修改的分录行 line you edited: {'/'.join(self.edited)}")
        self.error_panel.value = error_html(error, edited)

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
