"""Field extraction, the capture pipeline and ``finshare capture``.

The grammar, anchor and extraction tests run on words written here (no OCR).
Tests marked ``ocr`` render pages with :func:`finshare.capture.render.render_set`
and read them with RapidOCR (a few seconds a page): every field of a clean page
of each invoice family and each bank must equal the renderer's truth.
"""
import json

import pandas as pd
import pytest

from finshare.capture.context import load_context
from finshare.capture.extract import PageText, classify, extract_fields, grammar
from finshare.capture.render import render_set
from finshare.capture.pipeline import validate
from finshare.cli import main


def words(rows) -> pd.DataFrame:
    """OCR words from (text, left, top, width) tuples: height 20, confidence 0.99, a line per distinct top."""
    frame = pd.DataFrame(rows, columns=["text", "left", "top", "width"]).assign(height=20, confidence=0.99)
    frame["line"] = frame["top"].rank(method="dense").astype(int) - 1
    return frame


# --- grammars -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, repaired", [
    ("¥12,345.60", "12345.60", False), ("(小写)¥488739.76", "488739.76", False),
    ("¥331.475.45", "331475.45", True), ("¥1,234,567.00元", "1234567.00", False)])
def test_amount_grammar(text, value, repaired):
    found = grammar.amount(text)
    assert (found.value, found.repaired) == (value, repaired)


def test_date_grammar_reads_both_styles_and_rejects_impossible_days():
    assert grammar.date("开票日期:2025年02月10日").value == "2025-02-10"
    assert grammar.date("2024-04-0210:08:36").value == "2024-04-02"
    assert grammar.date("2023年02月30日") is None


def test_uscc_and_digit_grammars_repair_lookalikes():
    found = grammar.uscc("9135O1OOM000100Y43")               # letter O where GB 32100 only has 0
    assert (found.value, found.repaired) == ("91350100M000100Y43", True)
    assert grammar.digits("发票号码:0338771З", (8,)) is None   # a Cyrillic Ze is no digit
    assert grammar.digits("号码:O3387713", (8,)) == grammar.Reading("03387713", 3, 11, True)
    assert grammar.rate("9%").value == "0.09" and grammar.rate("13%").value == "0.13"


# --- anchors and extraction on written words -------------------------------------------------------

DIGITAL = [("电子发票(增值税专用发票)", 500, 40, 330), ("发票号码:", 1100, 10, 90),
           ("24352000000012345678", 1200, 10, 220), ("开票日期:2024年05月06日", 1100, 60, 240),
           ("名称:福建制造公司", 100, 150, 200), ("名称:厦门鑫华科技有限公司", 850, 150, 260),
           ("统一社会信用代码/纳税人识别号:91350100M000100Y43", 100, 200, 520),
           ("统一社会信用代码/纳税人识别号:913502007N15Y30K7X", 850, 200, 520),
           ("税率/征收率", 1150, 260, 100), ("13%", 1180, 300, 40), ("13%", 1180, 340, 40),
           ("合计", 120, 420, 40), ("¥1000.00", 1000, 420, 100), ("¥130.00", 1400, 420, 90),
           ("价税合计(大写)", 60, 470, 150), ("⊗壹仟壹佰叁拾圆整", 290, 470, 200), ("(小写)¥1130.00", 1030, 470, 150)]


def test_digital_invoice_fields_from_words():
    page = words(DIGITAL)
    kind, family = classify(PageText(page))
    fields = extract_fields(page, kind, family)
    assert (kind, family) == ("invoice", "digital_special")
    assert {k: v["value"] for k, v in fields.items()} == {
        "invoice_code": "", "invoice_no": "24352000000012345678", "date": "2024-05-06",
        "buyer_name": "福建制造公司", "buyer_tax_id": "91350100M000100Y43", "seller_name": "厦门鑫华科技有限公司",
        "seller_tax_id": "913502007N15Y30K7X", "amount": "1000.00", "tax_rate": "0.13", "tax": "130.00",
        "total": "1130.00", "total_in_words": "壹仟壹佰叁拾圆整"}
    # the date is the last 11 of the cell's 16 characters: its box starts 5/16 of the way in
    assert fields["date"]["box"] == [1100 + round(240 * 5 / 16), 60, round(240 * 11 / 16), 20]


def test_receipt_sides_and_a_misread_account_label():
    page = words([("中国建设银行 单位客户专用回单", 400, 20, 400), ("流水号:02414105350850087109", 40, 60, 300),
                  ("付款人名称", 50, 100, 100), ("福建制造公司", 180, 100, 140),
                  ("收款人名称", 630, 100, 100), ("厦门餐饮管理有限公司00", 760, 100, 240),
                  ("付款人账号", 50, 150, 100), ("44250100003500001234", 180, 150, 230),
                  ("教张号", 630, 150, 100), ("4902354124154143", 760, 150, 180),
                  ("金额(大写):人民币叁拾万捌仟贰佰陆拾伍元捌角伍分", 60, 200, 500),
                  ("金额(小写):¥308,265.85", 60, 240, 250), ("摘要/用途:", 60, 290, 100), ("设备款", 190, 290, 70),
                  ("交易时间:", 60, 330, 90), ("2021年01月24日17:03:30", 190, 330, 230)])
    kind, family = classify(PageText(page))
    fields = {k: v["value"] for k, v in extract_fields(page, kind, family).items()}
    assert (kind, family) == ("receipt", "ccb")
    assert fields == {"date": "2021-01-24", "payer_name": "福建制造公司", "payer_account": "44250100003500001234",
                      "payee_name": "厦门餐饮管理有限公司00", "payee_account": "4902354124154143",
                      "amount": "308265.85", "amount_in_words": "叁拾万捌仟贰佰陆拾伍元捌角伍分", "memo": "设备款",
                      "serial_no": "02414105350850087109"}


def test_the_pipelines_checks_flag_the_fields_of_a_broken_sum():
    page = words(DIGITAL)
    fields = extract_fields(page, "invoice", "digital_special")
    fields["tax"] = {**fields["tax"], "value": "131.00"}          # 1000.00 + 131.00 ≠ 1130.00
    captured = validate({"file": "x.png", "page": 1, "kind": "invoice", "family": "digital_special",
                         "fields": fields}, load_context())
    failed = {c["name"] for c in captured["checks"] if not c["passed"]}
    assert captured["status"] == "review" and "total_is_amount_plus_tax" in failed, failed
    assert not captured["fields"]["tax"]["ok"] and captured["fields"]["buyer_name"]["ok"]


# --- real pages (OCR) ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clean_set(tmp_path_factory):
    """One clean page of each invoice family and each bank, and one noisy invoice and receipt."""
    folder = tmp_path_factory.mktemp("capture")
    truths = render_set(folder / "clean", seed=31, n_invoices=5, n_receipts=4, noisy_share=0.0)
    noisy = render_set(folder / "noisy", seed=32, n_invoices=1, n_receipts=1, noisy_share=1.0)
    return folder, truths, noisy


@pytest.mark.ocr
def test_every_field_of_a_clean_page_of_each_family_and_bank(clean_set):
    from finshare.capture.pipeline import capture_file
    folder, truths, _ = clean_set
    context = load_context()
    for truth in truths:
        page = capture_file(folder / "clean" / truth["file"], engine="rapidocr", context=context)[0]
        assert (page["kind"], page["family"]) == (truth["kind"], truth["family"]), truth["file"]
        assert {k: f["value"] for k, f in page["fields"].items()} == truth["fields"], truth["file"]


@pytest.mark.ocr
def test_noisy_pages_still_read(clean_set):
    from finshare.capture.pipeline import capture_file
    folder, _, noisy = clean_set
    for truth in noisy:
        page = capture_file(folder / "noisy" / truth["file"], context=load_context())[0]
        right = sum(page["fields"][k]["value"] == v for k, v in truth["fields"].items())
        assert right >= len(truth["fields"]) - 1, (truth["file"], truth["noise"], page["fields"])


@pytest.mark.ocr
def test_cli_json_shape_for_a_pdf(clean_set, tmp_path, capsys):
    from PIL import Image
    folder, truths, _ = clean_set
    pdf = tmp_path / "receipt.pdf"
    Image.open(folder / "clean" / truths[5]["file"]).convert("RGB").save(pdf, resolution=150)
    assert main(["capture", str(pdf), "--format", "json", "--kind", "receipt"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    page = json.loads(line)
    assert set(page) >= {"file", "kind", "fields", "checks", "status"}
    assert page["kind"] == "receipt" and page["status"] in ("accepted", "review")
    assert set(page["fields"]) == set(truths[5]["fields"])
    assert all({"value", "confidence", "ok"} <= set(f) for f in page["fields"].values())
    assert all({"name", "passed", "detail"} <= set(c) for c in page["checks"])
    assert page["fields"]["amount"]["value"] == truths[5]["fields"]["amount"]


def test_cli_rejects_a_file_that_is_no_image(tmp_path, capsys):
    text = tmp_path / "notes.png"
    text.write_text("not an image", encoding="utf-8")
    assert main(["capture", str(text)]) == 2
    err = capsys.readouterr().err
    assert "无法读取图像" in err and "cannot read the image" in err and "notes.png" in err


def test_the_item_tables_head_is_no_buyer_name():
    """Older forms: the buyer's 名 and 称 set apart; the table head 货物或应税劳务、服务名称 must not be taken."""
    page = words([("增值税专用发票", 600, 20, 300), ("名", 110, 190, 20), ("称:", 170, 190, 30),
                  ("福建制造公司", 280, 190, 140), ("货物或应税劳务、服务名称", 120, 340, 240),
                  ("规格型号单位数量", 440, 340, 200), ("价税合计(大写)", 60, 630, 150)])
    fields = extract_fields(page, "invoice", "special")
    assert fields["buyer_name"]["value"] == "福建制造公司" and fields["seller_name"]["value"] == ""


def test_a_rate_no_law_has_is_read_by_its_last_digit():
    assert grammar.rate("63%") == grammar.Reading("0.03", 0, 3, True)
    assert grammar.rate("9%") == grammar.Reading("0.09", 0, 2, False)


def test_numbers_in_neighbouring_columns_are_separate_cells_but_a_spaced_number_is_one():
    # An item row as RapidOCR boxed it: the amount ends 37 px (1.2 heights of 31 px) left of the rate, closer
    # than a column gap (1.8 heights, 56 px) but wider than a space; ¥ and its figures 30 px apart stay one.
    row = words([("23475.84", 1053, 367, 98), ("9%", 1188, 367, 45), ("发票号码:0338", 100, 40, 150),
                 ("7713", 258, 40, 50), ("¥", 600, 80, 10), ("1130.00", 640, 80, 80)]).assign(height=31)
    cells = PageText(row).cells["text"].tolist()
    assert cells == ["发票号码:03387713", "¥1130.00", "23475.84", "9%"]


def test_an_item_rate_whose_box_reaches_into_the_head_is_read():
    # Boxes detected on a scaled-down page: the head's 税率 ends at 369, the item row's 9% starts at 367.
    page = words([("税率", 1191, 333, 53), ("9%", 1195, 367, 45), ("合计", 120, 580, 91)])
    page["height"] = [36, 31, 38]
    assert extract_fields(page, "invoice", "special")["tax_rate"]["value"] == "0.09"


def test_a_character_read_in_two_overlapping_boxes_is_kept_once():
    # The detector cut 发票号码:53016847 into boxes overlapping by 14 px, about one digit of the second.
    row = words([("发票号码:5", 1114, 48, 119), ("53016847", 1219, 48, 106),
                 ("校验码:7", 1114, 90, 100), ("12345", 1200, 90, 70)])          # 7 ≠ 1: nothing repeated
    assert PageText(row).cells["text"].tolist() == ["发票号码:53016847", "校验码:712345"]
    assert grammar.digits(PageText(row).cells["text"].iat[0], (8,)).value == "53016847"
