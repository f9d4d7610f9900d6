"""The treasury dashboard in a real browser: ``finshare app --name treasury_dashboard`` on a small year.

The small generated year (seed 3, scale 0.05) has 220 AR invoices, far fewer than the 200 matured ones a
model needs, so the test trains one on ``datasets/ar-history/history.csv`` as of the year's default as-of and
passes it in ``FINSHARE_MODEL`` (the page loads it, no retraining); the history, open invoices and alerts are
the year's own. One page load: the 13-week totals and the first worklist row equal the package's, computed
here; picking another invoice shows its explanation; a dismissed alert changes status and is in the store.
"""
import os

import pytest
from playwright.sync_api import expect

from browser import app_server, screenshot, small_year

KERNEL_READY_MS = 90_000


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The small year posted here, its history and default as-of, and a model saved from the sample history."""
    from finshare.forecast.card import save_model
    from finshare.forecast.loaders import load_history
    from finshare.forecast.models import CollectionModel
    from finshare.forecast.store import load_store
    from finshare.forecast.treasury import SAMPLE_HISTORY, case_as_of

    root = tmp_path_factory.mktemp("treasury")
    ledger = small_year(root)
    history = load_store(ledger).table
    at = case_as_of(history)
    sample = load_history(SAMPLE_HISTORY).table
    model = CollectionModel().fit(sample, at)
    save_model(model, root / "model", sample, str(SAMPLE_HISTORY))
    yield root, ledger, history, at, model
    ledger.close()


@pytest.fixture(scope="module")
def dashboard(year):
    """The app with FINSHARE_MODEL set (the server inherits this process's environment); stopped afterwards."""
    root = year[0]
    saved = {k: os.environ.get(k) for k in ("FINSHARE_MODEL", "FINSHARE_MODEL_CACHE")}
    os.environ.update(FINSHARE_MODEL=str(root / "model"), FINSHARE_MODEL_CACHE=str(root / "cache"))
    try:
        server = app_server("treasury_dashboard", root, root / "year", root / "app.sqlite")
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    yield server
    server.stop()


def full_page(page, name: str) -> None:
    """A screenshot of the whole page at 1280 px wide, which must not scroll sideways."""
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(height + 20, 900)})
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 1280, "height": 900})


def tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def test_forecast_worklist_explain_and_dismiss(year, dashboard, page, console_errors):
    import finshare
    from finshare.core.money import display, exponent
    from finshare.forecast.alerts import dismissals, find_alerts
    from finshare.forecast.cash import cash_forecast
    from finshare.forecast.explain import explain
    from finshare.forecast.worklist import worklist

    root, ledger, history, at, model = year
    cash = cash_forecast(model, history, at, history=history)
    totals = cash.groupby("currency")["expected"].sum()
    todo = worklist(model, history, at, history=history)
    pick = todo.iloc[1]
    effects = explain(model, history, at, pick["invoice_id"], history=history)
    alerts = find_alerts(ledger)
    target = alerts[alerts["rule"] != "outlier"].iloc[0]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(dashboard.url)
    expect(page.locator("#tr-status")).to_have_class("fx-ready", timeout=KERNEL_READY_MS)
    expect(page.locator("#tr-source")).to_contain_text(f"预测日 as of {at:%Y-%m-%d} · {len(todo)} 张未结清")
    expect(page.locator("#tr-model")).to_contain_text("not retrained")
    for cur, total in totals.items():
        expect(page.locator(f"#tr-total-{cur}")).to_have_text(display(int(total), exponent(cur)))
    first_week = cash.iloc[0]
    expect(page.locator("#tr-cash tr.tr-week").first).to_contain_text(
        display(int(first_week["expected"]), exponent(first_week["currency"])))
    full_page(page, "treasury_dashboard_1280")

    tab(page, "催收清单 Worklist")
    first = page.locator("#tr-worklist tr.tr-row").first
    expect(first.locator("td.tr-invoice")).to_have_text(todo["invoice_id"].iat[0])
    expect(first).to_contain_text(todo["customer_id"].iat[0])
    expect(first).to_contain_text(f"{todo['p_late'].iat[0]:.2f}")

    tab(page, "发票解释 Invoice explained")
    page.get_by_label("发票 Invoice").select_option(
        label=f"{pick['rank']}. {pick['invoice_id']} · {pick['customer_id']} · {pick['currency']} {pick['amount']}")
    expect(page.locator("#tr-explain")).to_contain_text(f"发票 {pick['invoice_id']} 的预测")
    top = effects.iloc[0]
    expect(page.locator("#tr-explain tr.tr-effect").first).to_contain_text(f"{top['name_zh']} {top['name_en']}")
    expect(page.locator("#tr-explain tr.tr-effect").first).to_contain_text(f"{top['effect_days']:+.1f}")
    expect(page.locator("#tr-customer")).to_contain_text(f"客户 Customer {pick['customer_id']}")
    full_page(page, "treasury_dashboard_invoice_1280")

    tab(page, "风险预警 Alerts")
    page.get_by_label("期间 Period").select_option(target["period"])
    page.get_by_label("预警 Alert").select_option(
        label=f"{target['rule']} · {target['period']} · {' '.join(target['documents'])}")
    reason = "两张单据已核对，非重复 / both documents checked, not a duplicate"
    page.get_by_label("理由 Reason").fill(reason)
    page.get_by_label("处理人 By").fill("tester")
    page.locator(".tr-dismiss").click()
    status = page.locator(f'tr[data-alert="{target["alert_id"]}"] td.tr-alert-status')
    expect(status).to_contain_text(f"已关闭 dismissed：{reason}（tester）")
    expect(page.locator("#tr-alert-message")).to_contain_text(target["alert_id"])
    full_page(page, "treasury_dashboard_alerts_1280")

    # a file that is no receivable export: its problem, bilingual, and the case's forecast stays
    bad = root / "not-an-export.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload", has_text="上传应收导出").click()
    chooser.value.set_files(str(bad))
    expect(page.locator("#tr-problem")).to_contain_text("not-an-export.csv")
    expect(page.locator("#tr-problem")).to_contain_text("missing-column")
    expect(page.locator("#tr-source")).to_contain_text(f"as of {at:%Y-%m-%d}")

    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []
    reopened = finshare.Ledger(finshare.load_case(root / "year"), root / "app.sqlite")
    kept = dismissals(reopened).set_index("alert_id")
    reopened.close()
    assert kept.at[target["alert_id"], "reason"] == reason and kept.at[target["alert_id"], "dismissed_by"] == "tester"
