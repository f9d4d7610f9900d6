"""The reconciliation workbench (银行对账工作台): a statement against the stored bank journal, for Voila.

Pick a bank account and a month: the statement drawn from the case's own bank
journal (:func:`finshare.reconcile.ledger_samples.statement_from_ledger`) is
matched, or upload a bank's export (layout detected; a bad file shows its
problem). The page lists the automatic matches (statement rows ↔ journal
lines, rule, fields, score), the proposals with 接受 Accept / 拒绝 Reject, the
unmatched lines with their reasons, and the 余额调节表, drawn up again after
every decision (:func:`finshare.reconcile.ledgerbank.decided_statement`).
Nothing is posted.

    ReconciliationWorkbench.from_environment().widget   # notebooks/apps/reconciliation_workbench.ipynb

Stable DOM ids for browser tests: ``rw-status``, ``rw-source``, ``rw-problem``, ``rw-book-balance``,
``rw-bank-balance``, ``rw-adjusted-book``, ``rw-adjusted-bank``, ``rw-agree``, ``rw-auto``,
``rw-unmatched``, ``rw-decision-<group>``; buttons carry the classes ``rw-accept-<group>`` and
``rw-reject-<group>``.
"""
from __future__ import annotations

import html
import tempfile
import threading
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from ..core.problems import FinshareError
from ..reconcile.adjusted import KINDS
from ..reconcile.bankcase import bank_account_of
from ..reconcile.bankfiles import read_statement
from ..reconcile.ledger_samples import statement_from_ledger
from ..reconcile.ledgerbank import BANK_ACCOUNT, bank_books, decided_statement, reconcile_with_ledger
from ..reconcile.reasons import REASONS
from .drill import amount_text
from .ledger_explorer import status_html, table_html
from .loading import case_folder, failure_html, store_path

STYLE = """<style>
.rw-bench table.fx-t{border-collapse:collapse;font-size:12.5px;margin:4px 0 10px 0}
.rw-bench table.fx-t th,.rw-bench table.fx-t td{border:1px solid #c8c8c8;padding:2px 6px;vertical-align:top}
.rw-bench table.fx-t th{background:#f1f3f5} .rw-bench td.fx-num{text-align:right;font-family:monospace}
.rw-bench .fx-scroll{overflow-x:auto;max-width:100%} .rw-bench .rw-controls{gap:6px 14px}
.rw-bench table.rw-adj td{padding:3px 10px;border:1px solid #c8c8c8} .rw-bench table.rw-adj{border-collapse:collapse}
.rw-bench table.rw-adj td.n{text-align:right;font-family:monospace;min-width:120px}
.rw-bench .rw-ok{color:#1b5e20;font-weight:bold} .rw-bench .rw-bad{color:#b00020;font-weight:bold}
.rw-bench .rw-prop{border:1px solid #ddd;border-radius:4px;padding:4px 8px;margin:3px 0;gap:8px;align-items:center}
.rw-bench .rw-prop .rw-prop-text{flex:1 1 auto;min-width:0} .rw-bench .rw-prop .widget-button{flex:0 0 auto}
.rw-bench .rw-prop .rw-prop-state{flex:0 0 190px;font-size:12.5px}
#rw-status{padding:6px 10px;border-radius:4px;background:#fff8e1;border:1px solid #f0c36d}
#rw-status.fx-ready{background:#eef7ee;border-color:#9bc59d} #rw-status.fx-failed{background:#fff5f5;border-color:#b00020}
</style>"""
DECIDED = {"accepted": "已接受 accepted", "rejected": "已拒绝 rejected — 仍为未达账项 / stays outstanding",
           "": "待确认 to decide"}


def _status(text: str, state: str = "") -> str:
    return status_html(text, state).replace('id="fx-status"', 'id="rw-status"')


def line_texts(rec) -> tuple[pd.Series, pd.Series]:
    """Statement row → ``#row date amount counterparty``; journal line_id → ``date amount summary``."""
    bank, book = rec.bank, rec.book
    b_date = pd.Series(bank["day"].to_numpy().astype("datetime64[D]")).dt.strftime("%Y-%m-%d")
    j_date = pd.Series(book["day"].to_numpy().astype("datetime64[D]")).dt.strftime("%Y-%m-%d")
    b_amt, j_amt = amount_text(bank["amount"], rec.exponent), amount_text(book["amount"], rec.exponent)
    b_who = pd.Series(bank["counterparty"].to_numpy(object)).where(bank["counterparty"].to_numpy(object) != "",
                                                                   pd.Series(bank["memo"].to_numpy(object)))
    bank_text = "#" + bank["row"].astype(str).to_numpy(object) + " " + b_date + " " + pd.Series(b_amt) + " " + b_who
    book_text = j_date + " " + pd.Series(j_amt) + " " + pd.Series(book["summary"].to_numpy(object))
    return (pd.Series(bank_text.to_numpy(), index=bank["row"].to_numpy()),
            pd.Series(book_text.to_numpy(), index=book["line_id"].to_numpy()))


def match_view(rec, status: str) -> pd.DataFrame:
    """The period's matches of one status for people: group, statement rows, journal lines, rule, fields, score."""
    m = rec.matches()
    m = m[m["status"] == status].reset_index(drop=True)
    bank_text, book_text = line_texts(rec)
    listed = lambda v: v if isinstance(v, list) else []         # noqa: E731  (a reversal has no statement row)
    rows = [" ; ".join(bank_text.reindex(listed(r)).fillna("").tolist()) for r in m["statement_rows"]]   # dozens
    lines = [" ; ".join(book_text.reindex(listed(j)).fillna("").tolist()) for j in m["journal_lines"]]
    return pd.DataFrame({"group": m["group"].astype(int), "对账单 Statement": rows, "日记账 Journal": lines,
                         "规则 Rule": m["rule"], "一致字段 Fields": m["fields"],
                         "分数 Score": m["score"].map(lambda s: f"{float(s):.2f}")})


def unmatched_view(rec) -> pd.DataFrame:
    """Unmatched statement rows and journal lines of the period with the reason, bilingual."""
    bank_text, book_text = line_texts(rec)
    ub, uj = rec.unmatched("bank"), rec.unmatched("book")
    return pd.DataFrame({
        "方 Side": ["对账单 statement"] * len(ub) + ["日记账 journal"] * len(uj),
        "行 Line": bank_text.reindex(ub["row"]).tolist() + book_text.reindex(uj["line_id"]).tolist(),
        "原因 Reason": [REASONS[w] for w in list(ub["reason"]) + list(uj["reason"])]})


def adjusted_html(st, exp: int, currency: str) -> str:
    """The 余额调节表 as two sides, each balance in a cell with its own id."""
    m = lambda v: amount_text([v], exp)[0]      # noqa: E731
    rows = [("企业银行存款日记账余额 Book balance", "rw-book-balance", st.book_balance,
             "银行对账单余额 Bank balance", "rw-bank-balance", st.bank_balance),
            ("加：银行已收、企业未收 add bank credits not booked", "rw-bank-credits", st.total("银收企未"),
             "加：企业已收、银行未收 add deposits in transit", "rw-deposits", st.total("企收银未")),
            ("减：银行已付、企业未付 less bank debits not booked", "rw-bank-debits", -st.total("银付企未"),
             "减：企业已付、银行未付 less outstanding payments", "rw-payments", -st.total("企付银未")),
            ("调节后余额 Adjusted book balance", "rw-adjusted-book", st.adjusted_book,
             "调节后余额 Adjusted bank balance", "rw-adjusted-bank", st.adjusted_bank)]
    body = "".join(f'<tr><td>{a}</td><td class="n" id="{ia}">{m(va)}</td><td>{b}</td><td class="n" id="{ib}">'
                   f"{m(vb)}</td></tr>" for a, ia, va, b, ib, vb in rows)
    agree = ('<span id="rw-agree" class="rw-ok">两者相符 / they agree</span>' if st.agrees else
             f'<span id="rw-agree" class="rw-bad">两者不符，差额 {m(st.adjusted_book - st.adjusted_bank)} / they '
             "differ</span>")
    items = st.items.assign(kind=st.items["kind"].map(lambda k: f"{k} {KINDS[k][1]}"),
                            day=st.items["day"].to_numpy().astype("datetime64[D]").astype(str),
                            amount=amount_text(st.items["amount"].abs(), exp))
    listing = items[["kind", "day", "amount", "text"]].set_axis(
        ["未达账项 Item", "日期 Date", "金额 Amount", "摘要 Text"], axis=1)
    return (f"<b>银行存款余额调节表 Bank reconciliation statement ({html.escape(currency)})</b>"
            f'<table class="rw-adj">{body}</table><p>{agree}</p>'
            f"<b>未达账项 Outstanding items ({len(items)})</b>{table_html(listing, numeric=('金额 Amount',))}")


class ReconciliationWorkbench:
    """Bank statement ↔ stored bank journal of one account and month, with decisions on the proposals.

    Parameters
    ----------
    case_dir : str or Path
        A case folder (e.g. ``datasets/fujian-2020``); it is not written to.
    store : str or Path
        Where the ledger is posted (outside the case folder).
    seed : int, default 0
        Seed of the drawn statements.
    """

    def __init__(self, case_dir, store, seed: int = 0):
        self.case_dir, self.store, self.seed = Path(case_dir), store, seed
        self.ledger, self.rec, self.lines, self.decisions, self._book_lines = None, None, None, {}, {}
        self._quiet, self._upload_dir = False, tempfile.TemporaryDirectory(prefix="finshare-workbench-")
        w, off = {"style": {"description_width": "initial"}, "disabled": True}, {"disabled": True}
        self.status = widgets.HTML(_status(f"正在加载并过账 {html.escape(self.case_dir.name)}… / loading and posting "
                                           "the ledger…"))
        self.account = widgets.Dropdown(description="银行账户 Bank account", layout=widgets.Layout(width="440px"), **w)
        self.period = widgets.Dropdown(description="期间 Period", layout=widgets.Layout(width="180px"), **w)
        self.upload = widgets.FileUpload(accept=".csv,.txt,.xlsx", multiple=False,
                                         description="上传对账单 Upload statement",
                                         layout=widgets.Layout(width="auto"), **off)
        self.sample = widgets.Button(description="样例对账单 Sample statement", layout=widgets.Layout(width="auto"),
                                     **off)
        self.source, self.problem, self.adjusted = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.auto, self.unmatched = widgets.HTML(), widgets.HTML()
        self.proposals = widgets.VBox()
        self.out = widgets.Output()
        self._wire()
        self.widget = self._layout()

    @classmethod
    def from_environment(cls, start: bool = True) -> "ReconciliationWorkbench":
        """The case in ``FINSHARE_CASE`` (else ``datasets/fujian-2020`` above here), the store in
        ``FINSHARE_STORE`` (else a temporary file removed when the kernel ends)."""
        case_dir = case_folder()
        store, tmp = store_path("finshare-workbench-store-")
        app = cls(case_dir, store)
        app._tmp = tmp
        if start:
            threading.Thread(target=app.load, daemon=True, name="finshare-workbench-post").start()
        return app

    # ------------------------------------------------------------- loading
    def load(self) -> None:
        """Load and post the case, list its bank accounts, show the first account's last month."""
        from .. import Ledger, load_case
        try:
            self.ledger = Ledger(load_case(self.case_dir), self.store)
            self.ledger.post(by="reconciliation workbench")
            self.accounts = bank_books(self.ledger, cache=self._book_lines).set_index("bank_account")
        except Exception as exc:                            # noqa: BLE001 — shown, not swallowed
            self.status.value = _status(failure_html(exc), "fx-failed")
            return
        self._quiet = True
        self.account.options = [(f"{c} {r.name_zh} · {r.book} · {r.currency}", c) for c, r in self.accounts.iterrows()]
        self.account.value = self.accounts.index[0]
        self._set_periods()
        self._quiet = False
        for w in (self.account, self.period, self.upload, self.sample):
            w.disabled = False
        self.status.value = _status(f"已过账 posted: {html.escape(self.case_dir.name)}; 请选择银行账户和期间，或上传对账单 / "
                                    "choose a bank account and a month, or upload a statement", "fx-ready")
        self.use_sample()

    def book_lines(self, book: str) -> pd.DataFrame:
        """A book's business lines, read once (nothing is posted while the page is open)."""
        if book not in self._book_lines:
            self._book_lines[book] = self.ledger.lines(book, "business")
        return self._book_lines[book]

    def _set_periods(self) -> None:
        code = self.account.value
        lines = self.book_lines(self.accounts.at[code, "book"])
        mine = lines[lines["account"].astype(str).str.startswith(BANK_ACCOUNT)
                     & (lines["bank_account"].astype(str) == code)
                     & (lines["source_type"].astype(str) != "opening_balance")]
        periods = sorted(set(mine["period"].astype(str)))
        self.period.options = periods
        self.period.value = periods[-1] if periods else None

    # ------------------------------------------------------------- wiring
    def _wire(self) -> None:
        capture = self.out.capture()
        self.account.observe(capture(lambda c: None if self._quiet else self._on_account()), "value")
        self.period.observe(capture(lambda c: None if self._quiet else self.use_sample()), "value")
        self.upload.observe(capture(lambda c: self.use_upload(c["new"])), "value")
        self.sample.on_click(capture(lambda _b: self.use_sample()))

    def _on_account(self) -> None:
        self._quiet = True
        self._set_periods()
        self._quiet = False
        self.use_sample()

    def _layout(self) -> widgets.Box:
        head = widgets.HTML("<h3 style='margin:4px 0'>银行对账工作台 Reconciliation workbench</h3><div>对账单 ↔ 银行存款日记账："
                            "自动匹配、待确认的提议、未达账项与余额调节表；不生成凭证 / statement ↔ bank journal: automatic "
                            "matches, proposals to decide, outstanding items and the reconciliation statement; nothing "
                            "is posted</div>")
        controls = widgets.HBox([self.account, self.period, self.upload, self.sample],
                                layout=widgets.Layout(flex_flow="row wrap"))
        controls.add_class("rw-controls")
        box = widgets.VBox([widgets.HTML(STYLE), head, self.status, controls, self.source, self.problem,
                            self.adjusted, widgets.HTML("<b>待确认的提议 Proposals to decide</b>"), self.proposals,
                            self.auto, self.unmatched, self.out], layout=widgets.Layout(width="100%"))
        box.add_class("rw-bench")
        return box

    # ------------------------------------------------------------- statements
    def use_sample(self) -> None:
        """Reconcile the statement drawn from the ledger for the chosen account and month."""
        if self.ledger is None or not self.period.value:
            return
        code, period = self.account.value, self.period.value
        book = self.accounts.at[code, "book"]
        sample = statement_from_ledger(self.ledger, book, code, period, self.seed, lines=self.book_lines(book))
        self.source.value = (f'<div id="rw-source">对账单 Statement: 由账簿抽样 drawn from the ledger (seed {self.seed}) · '
                             f"{html.escape(code)} · {period} · {len(sample.lines)} 行 rows</div>")
        self.problem.value = ""
        self.reconcile(sample.lines)

    def use_upload(self, files) -> None:
        """Read an uploaded statement (layout detected) and reconcile it; a bad file shows its problem."""
        if not files:
            return
        f = files[0]
        path = Path(self._upload_dir.name) / Path(f["name"]).name
        path.write_bytes(bytes(f["content"]))
        try:
            lines = read_statement(path)
        except FinshareError as exc:
            self._show_problem(exc)
            return
        code = bank_account_of(self.ledger.case, str(lines.attrs.get("account_no", "")))
        month = str(lines["date"].max().to_period("M")) if len(lines) else None
        self._quiet = True
        if code in self.accounts.index and code != self.account.value:
            self.account.value = code
            self._set_periods()
        if month in self.period.options:
            self.period.value = month
        self._quiet = False
        self.source.value = (f'<div id="rw-source">对账单 Statement: {html.escape(path.name)} · 格式 layout '
                             f"{html.escape(str(lines.attrs.get('layout', '')))} · {len(lines)} 行 rows</div>")
        self.problem.value = ""
        self.reconcile(lines)

    def _show_problem(self, exc: FinshareError) -> None:
        self.problem.value = f'<div id="rw-problem" class="rw-bad-file">{exc._repr_html_()}</div>'
        self.rec = None
        self.adjusted.value = self.auto.value = self.unmatched.value = ""
        self._set_proposals([])

    def reconcile(self, lines: pd.DataFrame) -> None:
        """Match ``lines`` to the chosen account's journal of the month and draw every panel."""
        code = self.account.value
        book = self.accounts.at[code, "book"]
        try:
            self.rec = reconcile_with_ledger(self.ledger, book, code, self.period.value, lines,
                                             lines=self.book_lines(book))
        except FinshareError as exc:
            self._show_problem(exc)
            return
        self.lines, self.decisions = lines, {}
        auto = match_view(self.rec, "auto")
        self.auto.value = (f'<div id="rw-auto"><b>自动匹配 Automatic matches ({len(auto)})</b>'
                           f"{table_html(auto.drop(columns='group'), numeric=('分数 Score',))}</div>")
        left = unmatched_view(self.rec)
        self.unmatched.value = (f'<div id="rw-unmatched"><b>未匹配 Unmatched ({len(left)})</b>'
                                f"{table_html(left)}</div>")
        self._set_proposals(match_view(self.rec, "proposed").to_dict("records"))
        self.show_statement()

    # ------------------------------------------------------------- decisions
    def _set_proposals(self, rows: list[dict]) -> None:
        old = list(self.proposals.children)
        self.proposals.children = [self._proposal(r) for r in rows] or [widgets.HTML("无 none")]
        for w in old:
            for c in getattr(w, "children", ()):
                c.close()
            w.close()

    def _proposal(self, row: dict) -> widgets.Box:
        g = int(row["group"])
        text = widgets.HTML(f"<b>#{g}</b> {html.escape(row['对账单 Statement'])} ↔ {html.escape(row['日记账 Journal'])}"
                            f" · 规则 rule {html.escape(row['规则 Rule'])} · 一致 fields {html.escape(row['一致字段 Fields'])}"
                            f" · 分数 score {row['分数 Score']}")
        text.add_class("rw-prop-text")
        state = widgets.HTML(f'<span id="rw-decision-{g}">{DECIDED[""]}</span>')
        state.add_class("rw-prop-state")
        buttons = []
        for verb, label, style in (("accept", "接受 Accept", "success"), ("reject", "拒绝 Reject", "warning")):
            b = widgets.Button(description=label, button_style=style, layout=widgets.Layout(width="auto", min_width="96px"))
            b.add_class(f"rw-{verb}-{g}")
            b.on_click(self.out.capture()(lambda _b, v=verb: self.decide(g, v)))
            buttons.append(b)
        box = widgets.HBox([text, *buttons, state])
        box.add_class("rw-prop")
        return box

    def decide(self, group: int, verb: str) -> None:
        """Accept or reject proposal ``group``; the 调节表 is drawn up again."""
        self.decisions[group] = "accepted" if verb == "accept" else "rejected"
        for box in self.proposals.children:
            state = box.children[-1] if getattr(box, "children", ()) else None
            if state is not None and f'id="rw-decision-{group}"' in state.value:
                state.value = f'<span id="rw-decision-{group}">{DECIDED[self.decisions[group]]}</span>'
        self.show_statement()

    def show_statement(self) -> None:
        """The 余额调节表 with the automatic matches and the accepted proposals applied."""
        accepted = [g for g, d in self.decisions.items() if d == "accepted"]
        st = decided_statement(self.rec, accepted)
        self.adjusted.value = f'<div id="rw-statement">{adjusted_html(st, self.rec.exponent, self.rec.currency)}</div>'


__all__ = ["ReconciliationWorkbench", "adjusted_html", "match_view", "unmatched_view"]
