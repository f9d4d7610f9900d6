"""The ledger explorer (账簿穿透查询): from a statement line down to the source documents, for Voila and notebooks.

Pick a book and a period; the balance sheet and income statement appear
with a button per line. Click a line: the accounts that make it, with their
amounts. Click an account: the period's GL vouchers that post to it. Pick a
voucher: its lines and its source documents (凭证追溯). Pick a document: its
fields and lines, and its business vouchers in every book side by side. The
widgets only wire :class:`finshare.ui.drill.Drill`'s answers; posting a
large year takes a while, so :meth:`LedgerExplorer.start` posts in a thread
while the page shows "正在过账 / posting…".

    LedgerExplorer.from_environment().widget        # notebooks/apps/ledger_explorer.ipynb

Stable DOM ids for browser tests: ``fx-status``, ``fx-amt-<bs|is>-<line>``,
``fx-accounts``, ``fx-voucher``, ``fx-document``, ``fx-books``, ``fx-book-<book>``.
"""
from __future__ import annotations

import html
import threading
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from .drill import Drill, amount_text
from .voucher_form import FORM_STYLE, voucher_card
from .loading import case_folder, failure_html, store_path

TITLES = {"bs": ("资产负债表", "Balance sheet"), "is": ("利润表", "Income statement")}
STYLE = """<style>
.fx-explorer .fx-stmt{display:grid;grid-template-columns:minmax(0,1fr) 130px 130px;align-items:center;
  column-gap:6px;font-size:13px;margin-bottom:12px}
.fx-explorer .widget-button.fx-line{background:none;box-shadow:none;color:#1a4f8b;justify-content:flex-start;
  text-align:left;height:24px;padding:0 4px;width:100%;overflow:hidden;text-overflow:ellipsis}
.fx-explorer .widget-button.fx-line:hover{background:#eef3fa;text-decoration:underline}
.fx-explorer .widget-button.fx-sub{font-weight:bold} .fx-explorer .widget-button.fx-total{font-weight:bold;color:#000}
.fx-explorer .fx-num{text-align:right;font-family:monospace;white-space:nowrap}
.fx-explorer .fx-head{font-weight:bold;color:#444;padding-top:6px}
.fx-explorer .fx-cap{font-size:12px;color:#666;text-align:right}
.fx-explorer table.fx-t{border-collapse:collapse;font-size:12.5px;margin:4px 0 10px 0}
.fx-explorer table.fx-t th,.fx-explorer table.fx-t td{border:1px solid #c8c8c8;padding:2px 6px;vertical-align:top}
.fx-explorer table.fx-t th{background:#f1f3f5} .fx-explorer table.fx-t td.fx-num{text-align:right}
.fx-explorer .fx-scroll{overflow-x:auto;max-width:100%} .fx-explorer .fx-row{gap:8px 16px}
#fx-status{padding:6px 10px;border-radius:4px;background:#fff8e1;border:1px solid #f0c36d}
#fx-status.fx-ready{background:#eef7ee;border-color:#9bc59d} #fx-status.fx-failed{background:#fff5f5;border-color:#b00020}
""" + FORM_STYLE + "</style>"


# ----------------------------------------------------------------- HTML pieces
def table_html(frame: pd.DataFrame, numeric=()) -> str:
    """A small HTML table (``fx-t``); the ``numeric`` columns right-aligned."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(
        f'<td class="fx-num">{html.escape(str(v))}</td>' if c in numeric else f"<td>{html.escape(str(v))}</td>"
        for c, v in zip(frame.columns, row)) + "</tr>" for row in frame.itertuples(index=False))
    return f'<div class="fx-scroll"><table class="fx-t"><tr>{head}</tr>{body}</table></div>'


def status_html(text: str, state: str = "") -> str:
    return f'<div id="fx-status" class="{state}">{text}</div>'


def books_html(drill: Drill, doc_type: str, number: str, lang: str = "zh") -> str:
    """The document's business vouchers in every book, side by side (a book it does not reach says why)."""
    cards = []
    for code, lines in drill.document_books(doc_type, number).items():
        book = drill.case.books[code]
        if lines.empty:
            reason = drill.reach_reason(doc_type, number, code)
            inner = (f'<div class="fs-voucher fs-missed"><h4>{html.escape(code)}</h4>'
                     f'<div class="fs-book">{html.escape(book.name_zh)}</div><p class="fs-reason">'
                     f"{html.escape(reason)}</p></div>")
        else:
            inner = "".join(voucher_card(book, part, str(no), lang)
                            for no, part in lines.groupby(lines["voucher_no"].astype(str), sort=True))
        cards.append(f'<div id="fx-book-{html.escape(code)}">{inner}</div>')
    return f'<div id="fx-books" class="fs-books">{"".join(cards)}</div>'


# ----------------------------------------------------------------- the app
class LedgerExplorer:
    """Statements → accounts → vouchers → documents → every book, over one posted ledger.

    Parameters
    ----------
    case_dir : str or Path
        A case folder (e.g. ``datasets/fujian-2020``); it is not written to.
    store : str or Path
        Where the ledger is posted: a SQLite file or SQLAlchemy URL outside the case folder.
    lang : {"zh", "en"}, default "zh"

    Attributes
    ----------
    widget : ipywidgets.Box
        The whole app; display it.
    drill : Drill or None
        The reads, once the ledger is posted.
    """

    def __init__(self, case_dir, store, lang: str = "zh"):
        self.case_dir, self.store, self.drill = Path(case_dir), store, None
        self.statements: dict[str, pd.DataFrame] = {}
        self._quiet = False                  # True while the code itself sets a dropdown
        self.status = widgets.HTML(status_html(f"正在加载并过账 {html.escape(self.case_dir.name)}… / loading and "
                                               "posting the ledger…"))
        w = {"style": {"description_width": "initial"}}
        self.book = widgets.Dropdown(description="账簿 Book", disabled=True, **w)
        self.period = widgets.Dropdown(description="期间 Period", disabled=True, **w)
        self.lang = widgets.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=lang,
                                          style={"button_width": "72px"})
        self.stmt_boxes = {k: widgets.Box(layout=widgets.Layout(width="100%")) for k in TITLES}
        self.accounts = widgets.VBox()
        self.vouchers = widgets.Select(description="凭证 Vouchers", rows=8, style={"description_width": "initial"},
                                       layout=widgets.Layout(width="100%", max_width="640px"))
        self.voucher_panel = widgets.HTML()
        self.document = widgets.Dropdown(description="单据 Document", style={"description_width": "initial"},
                                         layout=widgets.Layout(width="100%", max_width="480px"))
        self.document_panel, self.books_panel = widgets.HTML(), widgets.HTML()
        self.out = widgets.Output()          # an unexpected exception of a callback shows here
        self._wire()
        self.widget = self._layout()

    @classmethod
    def from_environment(cls, start: bool = True) -> "LedgerExplorer":
        """The case in ``FINSHARE_CASE`` (``finshare app --case``) or the repository's ``datasets/fujian-2020``;
        the store in ``FINSHARE_STORE``, else a temporary file removed when the kernel ends."""
        case_dir = case_folder()
        store, tmp = store_path("finshare-explorer-")
        app = cls(case_dir, store)
        app._tmp = tmp
        if start:
            app.start()
        return app

    # ------------------------------------------------------------- loading
    def start(self, background: bool = True) -> None:
        """Load the case and post it (in a thread unless ``background`` is False), then show the statements."""
        if background:
            threading.Thread(target=self.load, daemon=True, name="finshare-explorer-post").start()
        else:
            self.load()

    def load(self) -> None:
        """Load, post and read what the drill-down needs; the status line says how it went."""
        from .. import Ledger, load_case
        try:
            ledger = Ledger(load_case(self.case_dir), self.store)
            posted = ledger.post(by="ledger explorer")
            drill = Drill(ledger)
            drill.links()
            for b in ledger.case.books.codes():
                drill.lines(b), drill.lines(b, "business")
        except Exception as exc:                            # noqa: BLE001 — shown, not swallowed
            self.status.value = status_html(failure_html(exc), "fx-failed")
            return
        self.drill = drill
        self.status.value = status_html(f"已过账 posted: {html.escape(self.case_dir.name)} — {posted.documents} 张单据 "
                                        f"documents this run; 请选择账簿和期间 / choose a book and a period", "fx-ready")
        self._quiet = True
        self.book.options = [(f"{b.code} {b.name_zh}", b.code) for b in ledger.case.books]
        self.book.value = ledger.case.books.codes()[0]
        self._quiet = False
        self.book.disabled = self.period.disabled = False
        self._on_book()

    # ------------------------------------------------------------- wiring
    def _wire(self) -> None:
        capture = self.out.capture()
        self.book.observe(capture(lambda change: None if self._quiet else self._on_book()), "value")
        self.period.observe(capture(lambda change: None if self._quiet else self.show_statements()), "value")
        self.lang.observe(capture(lambda change: self.show_statements()), "value")
        self.vouchers.observe(capture(lambda change: self.show_voucher(change["new"])), "value")
        self.document.observe(capture(lambda change: self.show_document(change["new"])), "value")

    def _layout(self) -> widgets.Box:
        head = widgets.HTML("<h3 style='margin:4px 0'>账簿穿透查询 Ledger explorer</h3>"
                            "<div>报表行 → 科目 → 凭证 → 原始单据 → 各账簿 / statement line → accounts → vouchers → "
                            "source documents → every book</div>")
        controls = widgets.Box([self.book, self.period, self.lang], layout=widgets.Layout(flex_flow="row wrap"))
        controls.add_class("fx-row")
        left = widgets.VBox([self.stmt_boxes["bs"], self.stmt_boxes["is"]],
                            layout=widgets.Layout(flex="1 1 460px", min_width="0"))
        right = widgets.VBox([self.accounts, self.vouchers, self.voucher_panel, self.document, self.document_panel],
                             layout=widgets.Layout(flex="1 1 460px", min_width="0"))
        body = widgets.Box([left, right], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start",
                                                                 width="100%"))
        body.add_class("fx-row")
        box = widgets.VBox([widgets.HTML(STYLE), head, self.status, controls, body, self.books_panel, self.out],
                           layout=widgets.Layout(width="100%"))
        box.add_class("fx-explorer")
        return box

    def _on_book(self) -> None:
        periods = self.drill.periods(self.book.value)
        ends = [p for p in periods if p.endswith("-12")]
        self._quiet = True
        self.period.options = periods
        self.period.value = (ends or periods)[-1] if periods else None
        self._quiet = False
        self.show_statements()

    # ------------------------------------------------------------- statements
    def show_statements(self) -> None:
        """Draw the book's statements at the period, a button per line with an amount."""
        if self.drill is None or not self.period.value:
            return
        book = self.drill.case.books[self.book.value]
        self.statements = self.drill.statements(book.code, self.period.value)
        for key, box in self.stmt_boxes.items():
            old = list(box.children)
            box.children = [self._statement(key, self.statements[key], book)] if key in self.statements else []
            for w in old:
                _close(w)
        self._clear_drill()

    def _statement(self, key: str, frame: pd.DataFrame, book) -> widgets.Box:
        lang = self.lang.value
        title = f"{TITLES[key][0]} {TITLES[key][1]} · {book.code} · {self.period.value} · {book.currency}"
        cells = [widgets.HTML(f"<b>{html.escape(title)}</b>"), widgets.HTML('<div class="fx-cap">本期 Current</div>'),
                 widgets.HTML('<div class="fx-cap">比较 Comparative</div>')]
        shown = frame[(frame["kind"] != "detail") | (frame["current"] != 0) | (frame["comparative"] != 0)]
        shown = shown[(shown["kind"] != "detail-of") | (shown["current"] != 0)]
        current = amount_text(shown["current"], book.exponent)
        prior = amount_text(shown["comparative"], book.exponent)
        for row, now, then in zip(shown.itertuples(), current, prior):
            name = row.name_zh if lang == "zh" else row.name_en
            if row.kind == "header":
                cells += [widgets.HTML(f'<div class="fx-head">{html.escape(name)}</div>'), widgets.HTML(), widgets.HTML()]
                continue
            cells += [self._line_button(key, row.code, name, row.kind),
                      widgets.HTML(f'<div class="fx-num" id="fx-amt-{key}-{row.code}">{now}</div>'),
                      widgets.HTML(f'<div class="fx-num">{then}</div>')]
        grid = widgets.GridBox(cells, layout=widgets.Layout(width="100%"))
        grid.add_class("fx-stmt")
        return grid

    def _line_button(self, key: str, code: str, name: str, kind: str) -> widgets.Button:
        button = widgets.Button(description=name, tooltip=f"{code}: 点击查看科目 / click for its accounts")
        button.add_class("fx-line")
        if kind in ("subtotal", "total"):
            button.add_class("fx-sub" if kind == "subtotal" else "fx-total")
        button.on_click(self.out.capture()(lambda _b, k=key, c=code: self.show_line(k, c)))
        return button

    # ------------------------------------------------------------- drilling down
    def show_line(self, key: str, code: str) -> None:
        """The accounts that make statement line ``code`` of ``key``, each a button to its vouchers."""
        book = self.drill.case.books[self.book.value]
        frame = self.statements[key].set_index("code")
        name = frame.at[code, "name_zh"] if self.lang.value == "zh" else frame.at[code, "name_en"]
        accounts = self.drill.line_accounts(book.code, self.period.value, key, code)
        amounts = amount_text(accounts["amount"], book.exponent)
        names = accounts["name_zh"] if self.lang.value == "zh" else accounts["name_en"]
        rows = []
        for acc, nm, amt in zip(accounts["account"], names, amounts):
            b = widgets.Button(description=f"{acc} {nm}", tooltip="点击查看本期凭证 / click for the period's vouchers")
            b.add_class("fx-line")
            b.on_click(self.out.capture()(lambda _b, a=acc: self.show_account(a)))
            rows += [b, widgets.HTML(f'<div class="fx-num" id="fx-acc-{acc}">{amt}</div>')]
        head = widgets.HTML(f'<div id="fx-accounts"><b>{html.escape(str(name))}</b> ({code}) 由以下科目构成 / is made of '
                            f"these accounts{'' if len(accounts) else ': 无 none'}</div>")
        grid = widgets.GridBox(rows, layout=widgets.Layout(grid_template_columns="minmax(0,1fr) 150px", width="100%"))
        self._clear_drill()
        old = list(self.accounts.children)
        self.accounts.children = [head, grid]
        for w in old:
            _close(w)

    def show_account(self, account: str) -> None:
        """The GL vouchers of the period that post to ``account``."""
        book = self.drill.case.books[self.book.value]
        v = self.drill.account_vouchers(book.code, self.period.value, account)
        dr, cr = amount_text(v["debit"], book.exponent), amount_text(v["credit"], book.exponent)
        self.vouchers.description = f"{account} 本期凭证 Vouchers"
        self.vouchers.options = [(f"{no} · {pd.Timestamp(d).date()} · 借 Dr {a} · 贷 Cr {b}", no)
                                 for no, d, a, b in zip(v["voucher_no"], v["date"], dr, cr)]
        self.vouchers.value = None
        self.voucher_panel.value = (f"<div>{len(v)} 张总账凭证记入 {html.escape(account)} / GL vouchers post to it in "
                                    f"{html.escape(self.period.value)}; 选择一张 / pick one</div>")
        self.document.options, self.document_panel.value, self.books_panel.value = [], "", ""

    def show_voucher(self, voucher_no: str | None) -> None:
        """A voucher's lines and its source documents; the first document is shown."""
        if not voucher_no:
            return
        book = self.drill.case.books[self.book.value]
        lines = self.drill.voucher_lines(book.code, self.period.value, voucher_no)
        names = book.chart.full_name(lines["account"].astype(str), self.lang.value).fillna("")
        view = pd.DataFrame({"科目 Account": lines["account"].astype(str) + " " + names,
                             "摘要 Summary": lines["summary"].astype(str),
                             "借方 Debit": amount_text(lines["debit"], book.exponent),
                             "贷方 Credit": amount_text(lines["credit"], book.exponent)})
        docs = self.drill.voucher_documents(book.code, self.period.value, voucher_no)
        listing = docs.rename(columns={"doc_type": "类型 Type", "doc_no": "单据号 Document",
                                       "business_voucher": "业务凭证 Business voucher"})
        self.voucher_panel.value = (
            f'<div id="fx-voucher"><b>{html.escape(book.code)} {html.escape(self.period.value)} 总账凭证 GL voucher '
            f"{html.escape(voucher_no)}</b>{table_html(view, numeric=('借方 Debit', '贷方 Credit'))}"
            f"<b>原始单据 Source documents ({len(docs)})</b>{table_html(listing)}</div>")
        options = [(f"{n} {self._type_label(t)}", (t, n)) for t, n in docs[["doc_type", "doc_no"]].drop_duplicates()
                   .itertuples(index=False)]
        self.document.options = options
        self.document.value = options[0][1] if options else None

    def show_document(self, chosen) -> None:
        """One document's fields and lines, and its business vouchers in every book side by side."""
        if not chosen:
            return
        doc_type, number = chosen
        head, lines = self.drill.document_fields(doc_type, number)
        if head.empty:
            body = (f"<div><b>{html.escape(number)}</b> — 期末处理凭证，没有原始单据 / a closing entry "
                    f"({html.escape(doc_type)}), no source document</div>")
        else:
            fields = pd.DataFrame({"字段 Field": head["label_zh"] + " " + head["label_en"], "值 Value": head["value"]})
            body = f"{table_html(fields)}{table_html(lines) if len(lines) else ''}"
        self.document_panel.value = (f'<div id="fx-document"><b>单据 Document {html.escape(number)} · '
                                     f"{html.escape(self._type_label(doc_type))}</b>{body}</div>")
        self.books_panel.value = ("<b>各账簿的业务凭证 Its business vouchers in every book</b>"
                                  + books_html(self.drill, doc_type, number, self.lang.value))

    # ------------------------------------------------------------- helpers
    def _type_label(self, doc_type: str) -> str:
        dt = self.drill.case.doctypes.get(doc_type)
        return f"{dt.label_zh} {dt.label_en}" if dt is not None else doc_type

    def _clear_drill(self) -> None:
        old = list(self.accounts.children)
        self.accounts.children = []
        for w in old:
            _close(w)
        self.vouchers.options = []
        self.voucher_panel.value = self.document_panel.value = self.books_panel.value = ""
        self.document.options = []


def _close(widget) -> None:
    """Close a widget and its children (their front-end views go away, their comms are freed)."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()


__all__ = ["LedgerExplorer", "books_html", "table_html"]
