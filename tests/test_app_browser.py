"""The voucher studio in a real browser: Voila serves notebooks/apps/voucher_studio.ipynb, Chromium drives it.

One page load (each ``goto`` starts a kernel) walks through the student's experiment of
test_fujian_case.py: CG003 (营销部, 销售) goes to 6601/6100 until the EXP line conditions are edited.
"""
from playwright.sync_api import expect

from browser import screenshot

APP = "notebooks/apps/voucher_studio.ipynb"
KERNEL_READY_MS = 90_000


def fit_viewport(page) -> None:
    """Grow the viewport to the whole app: Voila 0.5 scrolls inside #rendered_cells, so a
    full-page screenshot would otherwise stop at the viewport's height."""
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": max(height + 20, 900)})


def apply_condition(page, line_label: str, text: str) -> None:
    """Choose an entry line by its label, wait for its condition to load, replace it and apply."""
    page.get_by_label("分录行 Line").select_option(label=line_label)
    expect(page.get_by_label("生成条件 Condition")).to_have_value(line_label.split(" when ", 1)[1])
    page.get_by_label("生成条件 Condition").fill(text)
    page.get_by_role("button", name="应用并重新过账 Apply & re-post").click()


def test_voucher_studio_edit_condition_and_repost(voila_server, page, console_errors):
    page.goto(voila_server(APP))
    document = page.get_by_label("单据 Document")
    book = page.get_by_label("账簿 Book")
    expect(document).to_be_visible(timeout=KERNEL_READY_MS)
    expect(page.locator(".widget-dropdown select")).to_have_count(3)   # document, book, entry line

    # default: CG001 (标准采购) in FJ-CAS
    expect(document.locator("option:checked")).to_have_text("CG001 标准采购 瑞幸咖啡")
    expect(book.locator("option:checked")).to_have_text("FJ-CAS 福建制造公司中国准则账簿")
    entries = page.locator("#fs-entries")
    expect(entries).to_contain_text("1403 原材料")
    expect(entries).to_contain_text("20000.00 CNY")
    expect(entries).to_contain_text("220202 应付账款—暂估应付款")
    expect(page.locator("#fs-class")).to_contain_text("业务分类 Business class: STD 标准采购")
    expect(page.locator("#fs-taccounts")).to_contain_text("余额 Balance: 贷 Cr 20000.00 CNY")

    # CG003 in the Hong Kong book: selling and distribution, converted to HKD
    document.select_option(label="CG003 费用采购 广告供应商")
    book.select_option(label="FJ-HKFRS 福建制造公司香港准则账簿")
    expect(entries).to_contain_text("6100 销售及分销开支")
    expect(entries).to_contain_text("5500.00 HKD")
    expect(entries).to_contain_text("5000.00 CNY")
    expect(page.locator("#fs-class")).to_contain_text("EXP 费用采购")
    expect(page.locator("#fs-error")).to_have_text("")

    # the experiment: half-edited, both debit lines fire and the preview reports the imbalance
    apply_condition(page, 'EXP/1 借 6602 when 部门属性 == "管理"', '部门属性 in ("管理", "销售")')
    expect(page.locator("#fs-error")).to_contain_text("unbalanced-voucher")
    apply_condition(page, 'EXP/2 借 6601 when 部门属性 == "销售"', '部门属性 == "研发"')
    expect(entries).to_contain_text("6200 行政开支")
    expect(entries).not_to_contain_text("6100")
    expect(page.locator("#fs-error")).to_have_text("")
    expect(page.get_by_label("分录行 Line").locator("option:checked")).to_have_text(
        'EXP/2 借 6601 when 部门属性 == "研发"')

    # the same edited template in the CAS book: 管理费用
    book.select_option(label="FJ-CAS 福建制造公司中国准则账簿")
    expect(entries).to_contain_text("6602 管理费用")
    expect(entries).to_contain_text("5000.00 CNY")

    # an unsafe condition is refused and shown; the vouchers stay as they were
    apply_condition(page, 'EXP/1 借 6602 when 部门属性 in ("管理", "销售")', '__import__("os")')
    expect(page.locator("#fs-error")).to_contain_text("bad-condition")
    expect(page.locator("#fs-error")).to_contain_text("a function call is not allowed")
    expect(entries).to_contain_text("6602 管理费用")
    fit_viewport(page)
    screenshot(page, "voucher_studio")

    # reset: back to the template in the case folder
    page.get_by_role("button", name="恢复 Reset").click()
    expect(entries).to_contain_text("6601 销售费用")
    expect(page.locator("#fs-error")).to_have_text("")
    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []


def test_finshare_app_command_serves_the_studio(page, tmp_path, console_errors):
    """The README's main command path: ``finshare app`` (Voila on 127.0.0.1) shows the Fujian case."""
    import sys
    from pathlib import Path

    from browser import VoilaServer

    root = Path(__file__).resolve().parents[1]
    server = VoilaServer(root / APP, tmp_path / "app.log",
                         command=[sys.executable, "-m", "finshare.cli", "app", "--port", "{port}"]).start()
    try:
        page.goto(server.url)
        expect(page.get_by_label("单据 Document")).to_be_visible(timeout=KERNEL_READY_MS)
        expect(page.locator("#fs-entries")).to_contain_text("220202 应付账款—暂估应付款")
        assert "finshare voucher studio on http://127.0.0.1:" in server.log_tail()
    finally:
        server.stop()
    assert server.proc.returncode is not None          # Voila ended with the command: nothing left running
