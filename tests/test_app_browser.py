"""The voucher studio in a real browser: Voila serves notebooks/apps/voucher_studio.ipynb, Chromium drives it.

Two page loads (each ``goto`` starts a kernel): the first walks through the voucher form, all books
side by side, the language switch, an edit that unbalances a voucher (the message names the line),
a refused condition, the layout at 1280 and 800 px; the second serves the app through ``finshare app``
and checks that closing the page frees its kernel (culling configured in notebooks/apps/voila.json).
"""
import re
import time

from playwright.sync_api import expect

from browser import screenshot

APP = "notebooks/apps/voucher_studio.ipynb"
KERNEL_READY_MS = 90_000
BOOKS = ["VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"]


def fit_viewport(page, width: int) -> None:
    """Set the width and grow the height to the whole app: Voila 0.5 scrolls inside #rendered_cells,
    so a full-page screenshot would otherwise stop at the viewport's height."""
    page.set_viewport_size({"width": width, "height": 900})
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height + 20, 900)})


def apply_condition(page, line_label: str, text: str) -> None:
    """Choose an entry line by its label, wait for its condition to load, replace it and apply."""
    page.get_by_label("分录行 Line").select_option(label=line_label)
    expect(page.get_by_label("生成条件 Condition")).to_have_value(line_label.split(" when ", 1)[1])
    page.get_by_label("生成条件 Condition").fill(text)
    page.get_by_role("button", name="应用并重新过账 Apply & re-post").click()


def card(page, book: str):
    return page.locator(f"#fs-voucher-{book}")


def nothing_cut_off(page, width: int) -> None:
    """No voucher card reaches past the right edge, and the page does not scroll sideways."""
    for book in BOOKS:
        box = card(page, book).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (book, box, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_voucher_form_all_books_and_an_edit_that_unbalances(voila_server, page, console_errors):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(voila_server(APP))
    document = page.get_by_label("单据 Document")
    expect(document).to_be_visible(timeout=KERNEL_READY_MS)
    expect(document.locator("option:checked")).to_have_text("CG001 标准采购 瑞幸咖啡")

    # the 记账凭证 form: word and number, date, 附单据, the four columns, totals with thousands separators
    cas = card(page, "FJ-CAS")
    expect(cas.locator("h4")).to_have_text("记 账 凭 证")
    expect(cas.locator("th")).to_have_text(["摘要", "会计科目", "借方金额", "贷方金额"])
    expect(cas.locator(".fs-number")).to_have_text("记-0001")
    expect(cas).to_contain_text("日期: 2020-03-05")
    expect(cas).to_contain_text("附单据 1 张")
    expect(cas.locator("tr[data-line='STD/1']")).to_contain_text("1403 原材料")
    expect(cas.locator("tr[data-line='STD/2'] td")).to_have_text(
        ["暂估应付 瑞幸咖啡 CG001 / accrued payable", "220202 应付账款—暂估应付款S001", "", "20,000.00"])
    expect(cas.locator("tr.fs-total td")).to_have_text(["合计 (CNY)", "20,000.00", "20,000.00"])

    # every book side by side, the one not reached with its reason
    expect(page.locator("#fs-vouchers .fs-voucher")).to_have_count(4)
    expect(card(page, "VN-MGT")).to_have_class(re.compile("fs-missed"))
    expect(card(page, "VN-MGT")).to_contain_text("不进入：业务单元 XM 不属于核算组织 VN-PC")
    expect(card(page, "FJ-HKFRS").locator("tr.fs-total td")).to_have_text(["合计 (HKD)", "22,000.00", "22,000.00"])
    expect(card(page, "FJ-HKFRS")).to_contain_text("20,000.00 CNY")               # 原币 kept
    expect(card(page, "CN-MGT").locator(".fs-number")).to_have_text("记-0001")
    row_of = {b: card(page, b).bounding_box()["y"] for b in BOOKS}
    assert row_of["VN-MGT"] == row_of["CN-MGT"] and row_of["FJ-CAS"] == row_of["FJ-HKFRS"]   # two per row at 1280
    vouchers_x = page.locator("#fs-vouchers").bounding_box()["x"]
    assert page.locator("#fs-class").bounding_box()["x"] < vouchers_x                # explanation left, books right

    # account names in English, and back
    page.get_by_role("button", name="English").click()
    expect(cas.locator("th")).to_have_text(["Summary", "Account", "Debit", "Credit"])
    expect(cas.locator("tr[data-line='STD/1']")).to_contain_text("1403 Raw materials")
    page.get_by_role("button", name="中文").click()
    expect(cas.locator("tr[data-line='STD/1']")).to_contain_text("1403 原材料")

    # CG003: an edit that makes the voucher unbalanced; the message beside the vouchers names the line
    document.select_option(label="CG003 费用采购 广告供应商")
    expect(cas.locator(".fs-number")).to_have_text("记-0003")
    expect(page.locator("#fs-error")).to_have_text("")
    apply_condition(page, 'EXP/1 借 6602 when 部门属性 == "管理"', '部门属性 in ("管理", "销售")')
    error = page.locator("#fs-error")
    expect(error.locator(".fs-edited")).to_have_text(
        '你修改的分录行 line you edited: EXP/1 借 6602 when 部门属性 in ("管理", "销售")')
    expect(error).to_contain_text("修改分录行 EXP/1 后，预览发现问题，不能过账 / after your edit of line EXP/1")
    expect(error).to_contain_text("单据 CG003 的凭证借贷不平，差额 5,000.00 CNY / voucher for CG003 does not balance")
    expect(cas.locator("tr.fs-total td").first).to_contain_text("≠ 借贷不平")
    expect(cas.locator("tr.fs-total td")).to_have_text(["合计 (CNY) ≠ 借贷不平", "10,000.00", "5,000.00"])
    error_box, vouchers_box = error.bounding_box(), page.locator("#fs-vouchers").bounding_box()
    assert abs(error_box["x"] - vouchers_box["x"]) < 2 and error_box["y"] < vouchers_box["y"]   # right above them
    fit_viewport(page, 1280)
    screenshot(page, "voucher_studio_1280")

    # the other line too: balanced again, 管理费用 / 行政开支 in every book
    apply_condition(page, 'EXP/2 借 6601 when 部门属性 == "销售"', '部门属性 == "研发"')
    expect(error).to_have_text("")
    expect(cas.locator("tr[data-line='EXP/1']")).to_contain_text("6602 管理费用")
    expect(card(page, "FJ-HKFRS").locator("tr[data-line='EXP/1']")).to_contain_text("6200 行政开支")
    expect(card(page, "FJ-HKFRS").locator("tr.fs-total td")).to_have_text(["合计 (HKD)", "5,500.00", "5,500.00"])

    # an unsafe condition is refused, in both languages, naming the line; the vouchers stay as they were
    apply_condition(page, 'EXP/1 借 6602 when 部门属性 in ("管理", "销售")', '__import__("os")')
    expect(error).to_contain_text("分录行 EXP/1 的条件没有修改 / the condition of line EXP/1 was not changed")
    expect(error).to_contain_text("条件中不允许函数调用")
    expect(error).to_contain_text("a function call is not allowed")
    expect(cas.locator("tr[data-line='EXP/1']")).to_contain_text("6602 管理费用")

    # 800 px: panels stack, nothing is cut off (tables scroll inside their card)
    fit_viewport(page, 800)
    nothing_cut_off(page, 800)
    assert page.locator("#fs-class").bounding_box()["y"] < page.locator("#fs-vouchers").bounding_box()["y"]
    screenshot(page, "voucher_studio_800")
    fit_viewport(page, 1280)
    nothing_cut_off(page, 1280)

    # reset: back to the template in the case folder
    page.get_by_role("button", name="恢复 Reset").click()
    expect(cas.locator("tr[data-line='EXP/2']")).to_contain_text("6601 销售费用")
    expect(error).to_have_text("")
    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []


def test_finshare_app_serves_the_studio_and_a_closed_page_frees_its_kernel(page, tmp_path, console_errors):
    """The README's command path: ``finshare app`` (Voila on 127.0.0.1); closing the page releases the kernel."""
    import sys
    from pathlib import Path

    from browser import VoilaServer

    root = Path(__file__).resolve().parents[1]
    server = VoilaServer(root / APP, tmp_path / "app.log",
                         command=[sys.executable, "-m", "finshare.cli", "app", "--port", "{port}"]).start()
    try:
        page.goto(server.url)
        expect(page.get_by_label("单据 Document")).to_be_visible(timeout=KERNEL_READY_MS)
        expect(card(page, "FJ-CAS")).to_contain_text("220202 应付账款—暂估应付款")
        assert "finshare voucher studio on http://127.0.0.1:" in server.log_tail()
        started = re.findall(r"Kernel started: ([0-9a-f-]{36})", server.log_path.read_text(encoding="utf-8"))
        assert len(started) == 1
        page.close()
        deadline = time.monotonic() + 45          # cull_idle_timeout 10 s, checked every 5 s
        while time.monotonic() < deadline and f"Kernel shutdown: {started[0]}" not in server.log_tail(200):
            time.sleep(1)
        log = server.log_tail(200)
        assert f"Kernel shutdown: {started[0]}" in log, log
        assert "Culling 'idle' kernel" in log
    finally:
        server.stop()
    assert server.proc.returncode is not None          # Voila ended with the command: nothing left running
    assert console_errors == []
