"""HTML tables and the customer figure of the treasury dashboard (资金看板); the numbers come from
:mod:`finshare.forecast` (cash forecast, worklist, explain, alerts) and are only formatted here.

Stable DOM ids: ``tr-cash`` (rows ``tr.tr-week``, per-currency totals ``tr-total-<CUR>``), ``tr-worklist``
(rows ``tr.tr-row`` with ``td.tr-invoice``), ``tr-customer``, ``tr-explain`` (rows ``tr.tr-effect``),
``tr-alerts`` (rows ``tr[data-alert=<alert_id>]`` with ``td.tr-alert-status``), ``tr-card``.
"""
from __future__ import annotations

import html
import io
from decimal import Decimal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..core.money import exponent
from .drill import amount_text
from .figures import _figure, cjk_style

STYLE = """<style>
.tr-app table.tr-t{border-collapse:collapse;font-size:12.5px;margin:4px 0 10px 0}
.tr-app table.tr-t th,.tr-app table.tr-t td{border:1px solid #c8c8c8;padding:2px 6px;vertical-align:top}
.tr-app table.tr-t th{background:#f1f3f5} .tr-app td.tr-num{text-align:right;font-family:monospace;white-space:nowrap}
.tr-app tr.tr-total td{font-weight:bold;background:#f7f7f7} .tr-app .tr-scroll{overflow-x:auto;max-width:100%}
.tr-app .tr-tall{max-height:460px;overflow-y:auto} .tr-app .tr-note{color:#555;font-size:12.5px;margin:2px 0 6px 0}
.tr-app tr.tr-dismissed td{color:#777;background:#fafafa} .tr-app .tr-controls{gap:6px 14px;flex-flow:row wrap}
.tr-app img{max-width:100%;height:auto}
.tr-app .jupyter-widgets.widget-tab>.lm-TabBar .lm-TabBar-tab{flex:0 0 auto;max-width:none}
#tr-status{padding:6px 10px;border-radius:4px;background:#fff8e1;border:1px solid #f0c36d}
#tr-status.fx-ready{background:#eef7ee;border-color:#9bc59d}
#tr-status.fx-failed{background:#fff5f5;border-color:#b00020}
</style>"""
STATUS = {"open": "待处理 open", "dismissed": "已关闭 dismissed"}


def _cell(value, cls: str = "") -> str:
    return f'<td class="{cls}">{html.escape(str(value))}</td>' if cls else f"<td>{html.escape(str(value))}</td>"


def _table(head: list[str], rows: list[str], ident: str, tall: bool = False) -> str:
    heads = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    box = "tr-scroll tr-tall" if tall else "tr-scroll"
    return f'<div class="{box}"><table class="tr-t" id="{ident}"><tr>{heads}</tr>{"".join(rows)}</table></div>'


def money_text(amounts, currency: str) -> list[str]:
    """Minor units of one currency as ``1,234.50`` (VND without decimals)."""
    return amount_text(np.asarray(amounts, dtype="int64"), exponent(currency))


def cash_html(forecast: pd.DataFrame) -> str:
    """The 13-week forecast per currency (week start, expected, lower, upper, invoices) and each currency's total
    expected; bands are not added up (the weeks' bands are not reached together), currencies never."""
    rows = []
    for cur, f in forecast.groupby("currency", sort=True):
        exp, lo, hi = (money_text(f[c], cur) for c in ("expected", "lower", "upper"))
        for w, e, a, b, n in zip(f["week_start"].dt.strftime("%Y-%m-%d"), exp, lo, hi, f["invoices"]):
            rows.append(f'<tr class="tr-week">{_cell(w)}{_cell(cur)}{_cell(e, "tr-num")}{_cell(a, "tr-num")}'
                        f'{_cell(b, "tr-num")}{_cell(int(n), "tr-num")}</tr>')
        total = money_text([int(f["expected"].sum())], cur)[0]
        rows.append(f'<tr class="tr-total"><td>13 周合计 13-week total</td>{_cell(cur)}'
                    f'<td class="tr-num" id="tr-total-{html.escape(cur)}">{html.escape(total)}</td>'
                    "<td>—</td><td>—</td><td></td></tr>")
    head = ["周起始 Week start", "币别 Currency", "期望流入 Expected", "下沿 Lower (80%)", "上沿 Upper (80%)",
            "发票 Invoices"]
    return _table(head, rows, "tr-cash")


def worklist_html(todo: pd.DataFrame, top: int = 20) -> str:
    """The first ``top`` invoices of each currency's worklist, with the reasons in words."""
    shown = todo[todo["rank"] <= top]
    rows = [f'<tr class="tr-row">{_cell(r.rank, "tr-num")}<td class="tr-invoice">{html.escape(r.invoice_id)}</td>'
            f"{_cell(r.customer_id)}{_cell(r.currency)}{_cell(f'{Decimal(r.amount):,}', 'tr-num')}"
            f"{_cell(r.due_date)}{_cell(r.days_past_due, 'tr-num')}{_cell(f'{r.p_late:.2f}', 'tr-num')}"
            f"{_cell(f'{r.expected_days_late:.1f}', 'tr-num')}{_cell(r.reasons_zh + ' / ' + r.reasons_en)}</tr>"
            for r in shown.itertuples()]
    head = ["序 Rank", "发票 Invoice", "客户 Customer", "币别 Currency", "金额 Amount", "到期日 Due", "已逾期天数 Days past due",
            "逾期概率 P(late)", "预计逾期天数 Expected days late", "理由 Reasons"]
    note = (f'<div class="tr-note">每个币别按 逾期概率 × 金额 排序，各列前 {top} 张（共 {len(todo):,} 张未结清）/ ranked by '
            f"P(late) × amount within each currency; the first {top} of each ({len(todo):,} open invoices)</div>")
    return note + _table(head, rows, "tr-worklist", tall=True)


def customer_html(rows: pd.DataFrame, customer: str) -> str:
    """One customer's invoices known at the as-of (:func:`finshare.forecast.treasury.customer_history`)."""
    open_ = "未结清 open"
    cells = [f"<tr>{_cell(r.invoice_id)}{_cell(r.invoice_date.date())}{_cell(r.due_date.date())}"
             f"{_cell(money_text([r.amount], r.currency)[0], 'tr-num')}{_cell(r.currency)}"
             f"{_cell(open_ if pd.isna(r.settled_date) else r.settled_date.date())}"
             f"{_cell('' if pd.isna(r.days_to_settle) else r.days_to_settle, 'tr-num')}"
             f"{_cell('' if pd.isna(r.days_late) else r.days_late, 'tr-num')}</tr>" for r in rows.itertuples()]
    settled = rows["days_to_settle"].dropna()
    median = f"{float(settled.median()):.0f}" if len(settled) else "—"
    head = f"<b>客户 Customer {html.escape(customer)}</b>: {len(rows)} 张发票，已结清 {len(settled)} 张，中位 {median} 天 / " \
           f"{len(rows)} invoices, {len(settled)} settled, median {median} days to settle"
    table = _table(["发票 Invoice", "开票日 Invoiced", "到期日 Due", "金额 Amount", "币别 Currency", "结清日 Settled",
                    "结清天数 Days to settle", "逾期天数 Days late"], cells, "tr-customer-table", tall=True)
    return f'<div id="tr-customer">{head}{table}</div>'


def customer_figure(rows: pd.DataFrame, customer: str) -> Figure:
    """Days to settle of the customer's settled invoices against the invoice date, late ones red, with the terms."""
    done = rows.dropna(subset=["days_to_settle"])
    terms = (rows["due_date"] - rows["invoice_date"]).dt.days
    late = done["days_late"].to_numpy("float64") > 0
    with cjk_style():
        fig, ax = _figure(6.4, 2.8)
        ax.scatter(done["invoice_date"][~late], done["days_to_settle"][~late], s=16, color="#4c78a8",
                   label="按期 on time")
        ax.scatter(done["invoice_date"][late], done["days_to_settle"][late], s=16, color="#e45756", label="逾期 late")
        if len(rows):
            ax.plot(rows["invoice_date"], terms, color="#999999", ls="--", lw=1, label="账期 terms")
        top = max(done["days_to_settle"].max() if len(done) else 0, terms.max() if len(rows) else 0, 1)
        ax.set_ylim(0, top * 1.2)                       # room above the slowest payment for nothing to hide it
        ax.set_ylabel("结清天数 days to settle")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        ax.set_title(f"客户 {customer} 的付款记录 / customer {customer}'s payments", loc="left", fontsize=9)
        fig.autofmt_xdate()
    return fig


def explain_html(effects: pd.DataFrame, invoice: str, prediction: pd.Series) -> str:
    """The explanation of one prediction: each feature's value, reference and effect (largest first)."""
    rows = [f'<tr class="tr-effect">{_cell(r.name_zh + " " + r.name_en)}{_cell(_num(r.value), "tr-num")}'
            f"{_cell(_num(r.reference), 'tr-num')}{_cell(f'{r.effect_days:+.1f}', 'tr-num')}"
            f"{_cell(f'{r.effect_p_late:+.3f}', 'tr-num')}</tr>" for r in effects.itertuples()]
    when = html.escape(str(prediction["predicted_settle_date"]))
    head = (f"<b>发票 {html.escape(invoice)} 的预测 / prediction</b>: 预计 {when}"
            f" 结清（80% 区间 {prediction['lower_date']} – {prediction['upper_date']}），逾期概率 {prediction['p_late']:.2f} / "
            f"expected to settle on {prediction['predicted_settle_date']}, P(late) {prediction['p_late']:.2f}"
            '<div class="tr-note">每个特征换成训练中位数（其他不变）时预测的变化；效应不必相加 / the change when one feature is set to '
            "its training median, the others kept; effects need not add up</div>")
    table = _table(["特征 Feature", "本发票 Value", "参照 Reference", "对天数 Effect on days", "对逾期概率 Effect on P(late)"],
                   rows, "tr-explain-table")
    return f'<div id="tr-explain">{head}{table}</div>'


def figure_png(fig: Figure) -> bytes:
    """A matplotlib figure as PNG bytes (for an ``ipywidgets.Image``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def _num(v: float) -> str:
    return "—" if pd.isna(v) else f"{v:,.2f}".rstrip("0").rstrip(".")


def alerts_html(alerts: pd.DataFrame) -> str:
    """The alerts queue, the rules' alerts before the isolation forest's: rule, period, documents, why, status
    (with the dismissal's reason and who)."""
    rows = []
    rules_first = alerts.iloc[np.argsort((alerts["rule"] == "outlier").to_numpy(), kind="stable")]
    for r in rules_first.itertuples():
        state = STATUS.get(r.status, r.status)
        if r.status == "dismissed":
            state += f"：{r.reason}（{r.dismissed_by}）"
        rows.append(f'<tr data-alert="{html.escape(r.alert_id)}" class="tr-{r.status}">{_cell(r.alert_id)}'
                    f"{_cell(r.name_zh + ' ' + r.name_en)}{_cell(r.period)}{_cell(' '.join(r.documents))}"
                    f"{_cell(r.why)}{_cell(state, 'tr-alert-status')}</tr>")
    head = ["编号 Alert", "规则 Rule", "期间 Period", "单据 Documents", "原因 Why", "状态 Status"]
    return _table(head, rows, "tr-alerts", tall=True)


def card_html(card: dict, note: str) -> str:
    """How the model was had (the note) and the main facts of its card."""
    data, split = card.get("data", {}), card.get("split", {})
    facts = [("训练日 As of", card.get("as_of", "")), ("数据 Data", data.get("source", "")),
             ("已知发票 Invoices known", data.get("invoices_known", "")),
             ("训练 Trained on", split.get("trained_on", "")), ("客户 Customers", data.get("customers", "")),
             ("币别 Currencies", ", ".join(data.get("currencies", []))),
             ("scikit-learn", card.get("sklearn_version", ""))]
    body = "".join(f"<tr>{_cell(k)}{_cell(v)}</tr>" for k, v in facts)
    return (f'<div id="tr-model" class="tr-note">{html.escape(note)}</div>'
            f'<details id="tr-card"><summary>模型卡 Model card</summary><table class="tr-t">{body}</table></details>')


__all__ = ["STYLE", "cash_html", "worklist_html", "customer_html", "customer_figure", "explain_html", "alerts_html",
           "card_html", "money_text", "figure_png"]
