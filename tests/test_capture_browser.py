"""The invoice-capture app in a real browser: ``finshare app --name invoice_capture`` on the Fujian year.

A 增值税专用发票 of 长沙供应商21 (S025) to 福建制造公司 is drawn here with the renderer: 27,030.00 at 13 % —
the amount of purchase receipt CG0001599 (XM, 2020-12-19), which waits for its invoice in the year's data.
Uploaded through the file chooser, every field shows its true value, every check passes, the page is
accepted, and the voucher shown is the one the AP-invoice template gives in the CAS book: Dr 220202
暂估应付款 27,030.00 (reversing the receipt's accrual), Dr 22210101 进项税额 3,513.90, Cr 220201 应付账款
30,543.90. The same invoice with its total changed in figures to 30,643.90 goes to review, the failed
checks named (金额 + 税额 ≠ 价税合计, 大写 ≠ 小写), no voucher. Then a file that is no image shows its problem.
"""
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from browser import app_server, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.ocr]

CASE = Path(__file__).resolve().parents[1] / "datasets" / "fujian-2020"
KERNEL_READY_MS = 90_000
OCR_MS = 90_000
AMOUNT, RATE_PERCENT = 2_703_000, 13                          # fen: CG0001599's amount (purchase_receipt_lines.csv)
TAX = (AMOUNT * RATE_PERCENT + 50) // 100                     # half up, in fen: 351,390
FIELDS = {"invoice_code": "3500194130", "invoice_no": "04581726", "date": "2020-12-28",
          "buyer_name": "福建制造公司", "buyer_tax_id": "91350100M000100Y43",          # organisations.csv, FJ
          "seller_name": "长沙供应商21", "seller_tax_id": "91350203N1MXTPDAFW",         # suppliers.csv, S025
          "amount": "27030.00", "tax_rate": "0.13", "tax": "3513.90", "total": "30543.90",
          "total_in_words": "叁万零伍佰肆拾叁圆玖角整"}


def fen(text: str) -> int:
    whole, cents = text.replace(",", "").split(".")
    return int(whole) * 100 + int(cents)


def draw(path: Path, fields: dict) -> Path:
    """Render one 增值税专用发票 with these field values and one item line (318 张 × 85.00)."""
    from finshare.capture.render.invoice import draw_invoice

    truth = {"family": "special", "fields": fields,
             "items": [{"name": "*金属制品*不锈钢板", "spec": "1.5mm", "unit": "张", "qty": "318", "price": "85.00",
                        "amount": fields["amount"], "tax_rate": "13%", "tax": fields["tax"]}],
             "extra": {"machine_no": "661234567890", "cipher": ["03*1+<9-4/>725>*16-0+83<4/29"] * 4, "clerk": "王芳"}}
    draw_invoice(truth, np.random.default_rng(7)).image.save(path, dpi=(150, 150))
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("capture-app")
    server = app_server("invoice_capture", root, CASE)
    yield root, server
    server.stop()


def upload(page, path) -> None:
    """Choose ``path`` in the FileUpload's dialog (its input is not in the DOM in ipywidgets 8)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload").click()
    chooser.value.set_files(str(path))


def test_upload_clean_then_tampered_invoice(app, page, console_errors):
    from finshare.capture.numerals import amount_in_words

    root, server = app
    assert fen(FIELDS["tax"]) == TAX and fen(FIELDS["total"]) == AMOUNT + TAX
    assert FIELDS["total_in_words"] == amount_in_words(AMOUNT + TAX, unit="圆")
    clean = draw(root / "invoice-clean.png", FIELDS)
    tampered = draw(root / "invoice-tampered.png", {**FIELDS, "total": "30643.90"})

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url)
    expect(page.locator("#ic-status")).to_have_class("fx-ready", timeout=KERNEL_READY_MS)

    upload(page, clean)
    expect(page.locator("#ic-verdict")).to_have_attribute("data-status", "accepted", timeout=OCR_MS)
    for name, value in FIELDS.items():
        expect(page.locator(f"#ic-value-{name}")).to_have_text(value)
        expect(page.locator(f"#ic-ok-{name}")).to_have_text("✓")
    expect(page.locator("tr.ic-failed")).to_have_count(0)
    # a 专票's 16: present, code, number, 2 tax ids, 3 formats, rate, sum, tax, words, date, buyer, seller, duplicate
    expect(page.locator("tr.ic-passed")).to_have_count(16)
    expect(page.locator("#ic-number")).to_have_text("FP350019413004581726")
    expect(page.locator("#ic-document")).to_contain_text("CG0001599")
    cas = page.locator("#ic-voucher tr.ic-line").filter(has=page.locator("td.ic-book", has_text="FJ-CAS"))
    got = [(r.locator(".ic-account").inner_text(), r.locator(".ic-debit").inner_text(),
            r.locator(".ic-credit").inner_text()) for r in cas.all()]
    assert got == [("220202", "27,030.00", ""), ("22210101", "3,513.90", ""), ("220201", "", "30,543.90")]
    assert page.locator("#ic-voucher tr.ic-line").filter(
        has=page.locator("td.ic-book", has_text="CN-MGT")).count() == 3
    expect(page.locator(".ic-app img")).to_be_visible()

    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(height + 20, 900)})
    screenshot(page, "invoice_capture_1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 1280, "height": 900})

    upload(page, tampered)
    expect(page.locator("#ic-verdict")).to_have_attribute("data-status", "review", timeout=OCR_MS)
    expect(page.locator("#ic-value-total")).to_have_text("30643.90")
    expect(page.locator("#ic-check-total_is_amount_plus_tax")).to_have_class("ic-failed")
    expect(page.locator("#ic-check-total_is_amount_plus_tax")).to_contain_text("30643.90")
    expect(page.locator("#ic-check-words_match_total")).to_have_class("ic-failed")
    expect(page.locator("tr.ic-failed")).to_have_count(2)
    expect(page.locator("#ic-ok-total")).to_have_text("✗")
    expect(page.locator("#ic-ok-seller_tax_id")).to_have_text("✓")
    expect(page.locator("#ic-voucher")).to_contain_text("draft")
    expect(page.locator("#ic-voucher tr.ic-line")).to_have_count(0)

    bad = root / "not-an-image.png"
    bad.write_bytes(b"foo,bar\n1,2\n")
    upload(page, bad)
    expect(page.locator("#ic-problem")).to_contain_text("not-an-image.png")
    expect(page.locator("#ic-problem")).to_contain_text("bad-image")
    expect(page.locator("#ic-verdict")).to_have_count(0)

    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []
