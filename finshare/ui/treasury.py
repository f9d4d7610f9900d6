"""The treasury dashboard (资金看板): 13-week inflow with its band, the collection worklist, one invoice explained
with its customer's history, and the alerts queue with dismissal — for Voila.

The case is posted (as the other dashboards do); its receivable history is
:func:`finshare.forecast.store.load_store`; the model comes from :func:`finshare.forecast.treasury.choose_model`
(``FINSHARE_MODEL`` loaded, else trained once and cached, else trained on the sample history — the page says
which). An uploaded export (CSV/XLSX, optional mapping YAML) replaces the history; a bad file shows its problem.
Dismissals go to the store's event log (:func:`finshare.forecast.alerts.dismiss`) and so outlive the page.

    TreasuryDashboard.from_environment().widget        # notebooks/apps/treasury_dashboard.ipynb

Stable DOM ids (besides those of :mod:`.treasury_views`): ``tr-status``, ``tr-source``, ``tr-problem``,
``tr-alert-message``; the Dismiss button has the class ``tr-dismiss``.
"""
from __future__ import annotations

import html
import os
import tempfile
import threading
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd

from ..core.problems import FinshareError
from ..forecast import alerts as fa
from ..forecast.cash import cash_forecast
from ..forecast.explain import explain
from ..forecast.store import load_store
from ..forecast.treasury import case_as_of, choose_model, customer_history, export_as_of, read_export
from ..forecast.worklist import worklist
from . import treasury_views as tv
from .forecast_figures import cash_band
from .loading import case_folder, failure_html, store_path

ALL = "全部 all"
TABS = ["13 周回款 13-week inflow", "催收清单 Worklist", "发票解释 Invoice explained", "风险预警 Alerts"]


def _status(text: str, state: str = "") -> str:
    return f'<div id="tr-status" class="{state}">{text}</div>'


def _png(fig) -> bytes:
    data = tv.figure_png(fig)
    plt.close(fig)
    return data


class TreasuryDashboard:
    """Cash forecast, worklist, explanations and alerts of one case (or an uploaded export).

    Parameters
    ----------
    case_dir : str or Path
        A case folder (e.g. ``datasets/fujian-2020``); it is not written to.
    store : str or Path
        Where the ledger is posted (outside the case folder).
    model : str or Path, optional
        A model folder (``finshare forecast train --out``) to load instead of training.
    """

    def __init__(self, case_dir, store, model=None):
        self.case_dir, self.store, self.saved = Path(case_dir), store, model
        self.ledger = self.history = self.choice = self.alerts = None
        self.source, self._quiet, self._files = "", False, {}
        self._upload_dir = tempfile.TemporaryDirectory(prefix="finshare-treasury-")
        off, wide = {"disabled": True}, {"style": {"description_width": "initial"}, "disabled": True}
        self.status = widgets.HTML(_status(f"正在加载并过账 {html.escape(self.case_dir.name)}… / loading and posting the "
                                           "ledger…"))
        self.as_of = widgets.DatePicker(description="预测日 As of", **wide)
        self.export = widgets.FileUpload(accept=".csv,.xlsx", description="上传应收导出 Upload export", **off)
        self.mapping = widgets.FileUpload(accept=".yaml,.yml", description="映射文件（可选）Mapping (optional)", **off)
        self.use_case = widgets.Button(description="用案例数据 Case data", **off)
        for w in (self.export, self.mapping, self.use_case):
            w.layout = widgets.Layout(width="auto")
        self.source_html, self.problem, self.model_html = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.band = widgets.Image(format="png", layout=widgets.Layout(max_width="1100px", width="100%"))
        self.cust_fig = widgets.Image(format="png", layout=widgets.Layout(max_width="660px", width="100%"))
        self.cash, self.todo, self.customer, self.explained = (widgets.HTML() for _ in range(4))
        self.invoice = widgets.Dropdown(description="发票 Invoice", layout=widgets.Layout(width="520px"), **wide)
        self.period = widgets.Dropdown(description="期间 Period", layout=widgets.Layout(width="200px"), **wide)
        self.alert = widgets.Dropdown(description="预警 Alert", layout=widgets.Layout(width="520px"), **wide)
        self.reason = widgets.Text(description="理由 Reason", layout=widgets.Layout(width="420px"), **wide)
        self.by = widgets.Text(description="处理人 By", layout=widgets.Layout(width="220px"), **wide)
        self.dismiss = widgets.Button(description="关闭预警 Dismiss", button_style="warning", **off)
        self.dismiss.add_class("tr-dismiss")
        self.alert_msg, self.alert_table = widgets.HTML(), widgets.HTML()
        self.out = widgets.Output()
        self._wire()
        self.widget = self._layout()

    @classmethod
    def from_environment(cls, start: bool = True) -> "TreasuryDashboard":
        """The case in ``FINSHARE_CASE`` (else ``datasets/fujian-2020`` above here), the store in ``FINSHARE_STORE``
        (else a temporary file removed when the kernel ends), the model folder in ``FINSHARE_MODEL`` (optional)."""
        case_dir = case_folder()
        store, tmp = store_path("finshare-treasury-store-")
        app = cls(case_dir, store, os.environ.get("FINSHARE_MODEL") or None)
        app._tmp = tmp
        if start:
            threading.Thread(target=app.load, daemon=True, name="finshare-treasury-load").start()
        return app

    # ------------------------------------------------------------- loading
    def load(self) -> None:
        """Post the case, read its receivable history and alerts, and show the forecast at the default as-of."""
        from .. import Ledger, load_case
        try:
            self.ledger = Ledger(load_case(self.case_dir), self.store)
            self.ledger.post(by="treasury dashboard")
            self.alerts = fa.find_alerts(self.ledger)
            history = load_store(self.ledger)
            self.use(history.table, f"{self.case_dir.name} (store)", case_as_of(history.table))
        except Exception as exc:                            # noqa: BLE001 — shown, not swallowed
            self.status.value = _status(failure_html(exc), "fx-failed")
            return
        for w in (self.as_of, self.export, self.mapping, self.use_case, self.invoice, self.period, self.alert,
                  self.reason, self.by, self.dismiss):
            w.disabled = False
        self.status.value = _status(f"已过账 posted: {html.escape(self.case_dir.name)}；可改预测日或上传应收导出 / change the "
                                    "as-of date or upload a receivable export", "fx-ready")

    def use(self, history: pd.DataFrame, source: str, as_of: pd.Timestamp) -> None:
        """Show ``history`` (from ``source``) as of ``as_of``."""
        self.history, self.source = history, source
        self._quiet = True
        self.as_of.value = as_of.date()
        self._quiet = False
        self.refresh()
        self._show_alerts(period=f"{as_of:%Y-%m}")

    def refresh(self) -> None:
        """Model, 13-week forecast and worklist of the current history at the as-of."""
        at = pd.Timestamp(self.as_of.value)
        self.choice = choose_model(self.history, at, self.source, self.saved)
        self.model_html.value = tv.card_html(self.choice.card, self.choice.note)
        forecast = cash_forecast(self.choice.model, self.history, at, history=self.history)
        self.band.value = _png(cash_band(forecast))
        self.cash.value = tv.cash_html(forecast)
        self.todo_table = worklist(self.choice.model, self.history, at, history=self.history)
        self.todo.value = tv.worklist_html(self.todo_table)
        n_open = len(self.todo_table)
        self.source_html.value = (f'<div id="tr-source">应收历史 Receivable history: {html.escape(self.source)} · '
                                  f"{len(self.history):,} 张发票 invoices · 预测日 as of {at:%Y-%m-%d} · {n_open:,} 张未结清 "
                                  "open</div>")
        self._quiet = True
        self.invoice.options = [(f"{r.rank}. {r.invoice_id} · {r.customer_id} · {r.currency} {r.amount}", r.invoice_id)
                                for r in self.todo_table.itertuples()]
        self.invoice.value = self.todo_table["invoice_id"].iat[0] if n_open else None
        self._quiet = False
        self.show_invoice()

    def show_invoice(self) -> None:
        """The chosen invoice's customer history (table and figure) and the explanation of its prediction."""
        if self.invoice.value is None:
            self.customer.value = self.explained.value = ""
            return
        at, inv = pd.Timestamp(self.as_of.value), self.invoice.value
        row = self.todo_table.set_index("invoice_id").loc[inv]
        rows = customer_history(self.history, row["customer_id"], at)
        self.customer.value = tv.customer_html(rows, row["customer_id"])
        self.cust_fig.value = _png(tv.customer_figure(rows, row["customer_id"]))
        model, mine = self.choice.model, self.history[self.history["invoice_id"] == inv]
        effects = explain(model, self.history, at, inv, history=self.history)
        prediction = model.predict(mine, at, history=self.history).iloc[0]
        self.explained.value = tv.explain_html(effects, inv, prediction)

    # ------------------------------------------------------------- uploads
    def upload(self) -> None:
        """Replace the history by the uploaded export (with the uploaded mapping, if any)."""
        if not self.export.value:
            return
        try:
            path = self._saved_file(self.export.value[0])
            mapping = self._saved_file(self.mapping.value[0]) if self.mapping.value else None
            history = read_export(path, mapping)
            self.use(history, path.name + (f" + {mapping.name}" if mapping else ""), export_as_of(history))
            self.problem.value = ""
        except Exception as exc:                            # noqa: BLE001 — shown, not swallowed
            self.problem.value = (f'<div id="tr-problem">{failure_html(exc)}<div class="tr-note">未载入；仍显示 '
                                  f"{html.escape(self.source)} / not loaded; still showing {html.escape(self.source)}"
                                  "</div></div>")

    def _saved_file(self, item) -> Path:
        path = Path(self._upload_dir.name) / Path(item["name"]).name
        path.write_bytes(bytes(item["content"]))
        return path

    def back_to_case(self) -> None:
        """The case's own history again, at the default as-of."""
        self.problem.value = ""
        history = load_store(self.ledger).table
        self.use(history, f"{self.case_dir.name} (store)", case_as_of(history))

    # ------------------------------------------------------------- alerts
    def _show_alerts(self, period: str | None = None) -> None:
        periods = sorted(self.alerts["period"].unique())
        period = period or self.period.value
        self._quiet = True
        self.period.options = [ALL, *periods]
        self.period.value = period if period in periods else ALL
        self._quiet = False
        shown = self.alerts if self.period.value == ALL else self.alerts[self.alerts["period"] == self.period.value]
        self.alert_table.value = tv.alerts_html(shown)
        still = shown[shown["status"] == "open"]
        self.alert.options = [(f"{r.rule} · {r.period} · {' '.join(r.documents)}", r.alert_id)
                              for r in still.itertuples()]
        self.alert.value = still["alert_id"].iat[0] if len(still) else None

    def do_dismiss(self) -> None:
        """Dismiss the chosen alert with the reason and name given; the queue shows its new status."""
        try:
            fa.dismiss(self.ledger, self.alert.value or "", self.reason.value, self.by.value)
        except FinshareError as exc:
            self.alert_msg.value = f'<div id="tr-alert-message">{failure_html(exc)}</div>'
            return
        done = self.alert.value
        base = [c for c in fa.COLUMNS if c not in ("status", "reason", "dismissed_by", "dismissed_at")]
        self.alerts = fa.with_status(self.alerts[base], fa.dismissals(self.ledger))[fa.COLUMNS]
        self.alert_msg.value = (f'<div id="tr-alert-message">已关闭 dismissed: {html.escape(done)} — '
                                f"{html.escape(self.reason.value.strip())}</div>")
        self.reason.value = ""
        self._show_alerts()

    # ------------------------------------------------------------- wiring and layout
    def _wire(self) -> None:
        capture = self.out.capture()
        quiet = lambda f: capture(lambda c: None if self._quiet else f())      # noqa: E731
        self.as_of.observe(quiet(self.refresh), "value")
        self.invoice.observe(quiet(self.show_invoice), "value")
        self.period.observe(quiet(self._show_alerts), "value")
        self.export.observe(capture(lambda c: self.upload()), "value")
        self.mapping.observe(capture(lambda c: self.upload()), "value")
        self.use_case.on_click(capture(lambda _b: self.back_to_case()))
        self.dismiss.on_click(capture(lambda _b: self.do_dismiss()))

    def _layout(self) -> widgets.Box:
        head = widgets.HTML("<h3 style='margin:4px 0'>资金看板 Treasury dashboard</h3><div>未来 13 周回款（带 80% 区间）、催收清单、"
                            "一张发票的解释与客户付款记录、风险预警队列 / the 13-week inflow with its band, the collection "
                            "worklist, one prediction explained with its customer's history, and the alerts "
                            "queue</div>")
        controls = widgets.HBox([self.as_of, self.export, self.mapping, self.use_case])
        controls.add_class("tr-controls")
        dismiss = widgets.HBox([self.reason, self.by, self.dismiss])
        dismiss.add_class("tr-controls")
        tabs = widgets.Tab(children=[
            widgets.VBox([self.band, self.cash]), widgets.VBox([self.todo]),
            widgets.VBox([self.invoice, self.explained, self.cust_fig, self.customer]),
            widgets.VBox([self.period, self.alert_table, self.alert, dismiss, self.alert_msg])], titles=TABS)
        box = widgets.VBox([widgets.HTML(tv.STYLE), head, self.status, controls, self.source_html, self.problem,
                            self.model_html, tabs, self.out], layout=widgets.Layout(width="100%"))
        box.add_class("tr-app")
        return box


__all__ = ["TreasuryDashboard"]
