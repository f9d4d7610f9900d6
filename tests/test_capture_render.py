"""The capture renderer: every family draws, truths are self-consistent, boxes sit on ink, noise is seeded."""
import json
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image, ImageDraw
from PIL.PdfParser import PdfParser

from finshare.capture.numerals import words_to_amount
from finshare.capture.render import fields, fonts, noise, render_page, render_set
from finshare.capture.render.parties import OUR, from_master, invented, our_accounts
from finshare.cli import main
from finshare.core.problems import FinshareError
from finshare.core.uscc import uscc_problem

OTHERS = from_master() + invented(np.random.default_rng(0), 10)
OURS = our_accounts()


def fen(text: str) -> int:
    """'1234.50' → 123450, through Decimal (independent of the renderer's integer arithmetic)."""
    value = Decimal(text)
    assert value == value.quantize(Decimal("0.01")), text
    return int(value * 100)


@pytest.fixture(scope="module")
def pages():
    """One clean page of each of the five invoice families and four banks."""
    out = {}
    for i, fam in enumerate(fields.INVOICE_FAMILIES):
        out[fam] = render_page("invoice", fam, np.random.default_rng(i), OTHERS, OURS)
    for i, bank in enumerate(fields.RECEIPT_FAMILIES):
        out[bank] = render_page("receipt", bank, np.random.default_rng(10 + i), OTHERS, OURS)
    return out


def test_master_data_is_read_and_our_accounts_come_from_it():
    names = {p.name for p in OTHERS}
    assert "瑞幸咖啡" in names and all(uscc_problem(p.tax_id) is None for p in OTHERS)
    assert OURS["icbc"].account == "4100021709024500001" and OURS["ccb"].account == "44250100003500001234"
    assert OURS["boc"].bank == "中国银行胡志明市分行" and OURS["cmb"].account       # no CMB account in the case


@pytest.mark.parametrize("family", fields.INVOICE_FAMILIES + fields.RECEIPT_FAMILIES)
def test_every_family_draws_each_field_inside_the_image_on_ink(pages, family):
    truth, image = pages[family]
    gray = np.asarray(image.convert("L"))
    expected = set(truth["fields"]) - ({"invoice_code"} if truth["fields"].get("invoice_code") == "" else set())
    assert set(truth["boxes"]) == expected
    for name, (left, top, w, h) in truth["boxes"].items():
        assert 0 <= left and 0 <= top and left + w <= image.width and top + h <= image.height, name
        assert w > 5 and 8 <= h <= 40, (name, w, h)
        assert (gray[top:top + h, left:left + w] < 128).sum() > 20, f"no ink in the {name} box"


def check_invoice(truth: dict, family: str) -> None:
    f = truth["fields"]
    rate = Decimal(f["tax_rate"])
    assert f["tax_rate"] in {"0.13", "0.09", "0.06", "0.03", "0.01"}
    amounts = [fen(i["amount"]) for i in truth["items"]]
    taxes = [fen(i["tax"]) for i in truth["items"]]
    for item, a, t in zip(truth["items"], amounts, taxes):
        assert Decimal(item["tax_rate"].rstrip("%")) / 100 == rate
        assert t == int((Decimal(a) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert a == int((Decimal(item["qty"]) * Decimal(item["price"]) * 100).quantize(Decimal(1), ROUND_HALF_UP)) \
            or len(item["price"].split(".")[-1]) > 2
    assert sum(amounts) == fen(f["amount"]) and sum(taxes) == fen(f["tax"])
    assert fen(f["amount"]) + fen(f["tax"]) == fen(f["total"]) == words_to_amount(f["total_in_words"])
    assert f["total_in_words"].endswith(("圆整", "角整", "分")) and "元" not in f["total_in_words"]
    assert uscc_problem(f["seller_tax_id"]) is None and (f["buyer_name"], f["buyer_tax_id"]) == (OUR.name, OUR.tax_id)
    assert all(i["name"].startswith("*") and i["name"].count("*") == 2 for i in truth["items"])
    code, number, year = f["invoice_code"], f["invoice_no"], f["date"][:4]
    assert "2020-01-01" <= f["date"] <= "2025-12-31"
    if family.startswith("digital"):
        assert code == "" and len(number) == 20 and number.isdigit() and number[:2] == year[2:]
    else:
        assert len(number) == 8 and number.isdigit() and code.isdigit()
        assert int(code[-6 if family == "special" else -7:][:2]) <= int(year[2:])        # print version ≤ year
    if family == "special":
        assert len(code) == 10 and code[7] in "15"
    if family == "normal":
        assert len(code) == 12 and code[0] == "0" and code[-2:] in ("04", "05")
    if family == "e_normal":
        assert len(code) == 12 and code[0] == "0" and code[-2:] == "11"


@pytest.mark.parametrize("family", fields.INVOICE_FAMILIES)
def test_rendered_invoice_truth_is_self_consistent(pages, family):
    check_invoice(pages[family][0], family)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), family=st.sampled_from(fields.INVOICE_FAMILIES))
def test_any_drawn_invoice_is_self_consistent(seed, family):
    truth = fields.draw_invoice(np.random.default_rng(seed), family, OTHERS)
    check_invoice(truth, family)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), bank=st.sampled_from(fields.RECEIPT_FAMILIES))
def test_any_drawn_receipt_is_self_consistent(seed, bank):
    f = fields.draw_receipt(np.random.default_rng(seed), bank, OURS[bank], OTHERS)["fields"]
    assert fen(f["amount"]) == words_to_amount(f["amount_in_words"]) > 0
    assert OURS[bank].account in (f["payer_account"], f["payee_account"])
    assert OUR.name in (f["payer_name"], f["payee_name"]) and f["payer_name"] != f["payee_name"]
    assert f["payer_account"].isdigit() and f["payee_account"].isdigit() and f["serial_no"].isdigit()
    assert "2020-01-01" <= f["date"] <= "2025-12-31" and f["memo"]


def test_receipt_words_use_yuan_and_figures_carry_separators(pages):
    truth, _ = pages["icbc"]
    assert "圆" not in truth["fields"]["amount_in_words"]
    from finshare.capture.render.receipt import figures
    assert figures("1234567.05") == "1,234,567.05" and figures("12.30") == "12.30"


@pytest.mark.parametrize("name", sorted(noise.OPTIONS))
def test_noise_changes_the_image_the_same_way_per_seed(pages, name):
    _, image = pages["normal"]
    small = image.resize((700, 430))
    a, ma = noise.OPTIONS[name](small, np.random.default_rng(5))
    b, mb = noise.OPTIONS[name](small, np.random.default_rng(5))
    assert np.array_equal(np.asarray(a), np.asarray(b)) and np.array_equal(ma, mb)
    assert a.size != small.size or np.abs(np.asarray(a, int) - np.asarray(small.convert("RGB"), int)).mean() > 0.5
    if name in ("rotation", "desk_photo", "speckle", "blur"):
        c, _ = noise.OPTIONS[name](small, np.random.default_rng(6))
        assert c.size != a.size or not np.array_equal(np.asarray(a), np.asarray(c))


@pytest.mark.parametrize("name", ["rotation", "desk_photo"])
def test_geometry_matrix_follows_a_dot(name):
    """A black square on white goes where the returned matrix says (within 2 pixels)."""
    page = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(page).rectangle([420, 90, 430, 100], fill="black")
    out, matrix = noise.OPTIONS[name](page, np.random.default_rng(11))
    gray = np.asarray(out.convert("L")).astype(int)
    moved = matrix @ np.array([425, 95, 1])
    x, y = moved[:2] / moved[2]
    window = gray[int(y) - 15:int(y) + 16, int(x) - 15:int(x) + 16]
    ys, xs = np.nonzero(window < 100)
    assert len(xs) > 30
    assert abs(xs.mean() + int(x) - 15 - x) < 2 and abs(ys.mean() + int(y) - 15 - y) < 2


def test_move_boxes_takes_the_box_of_the_moved_corners_and_clips():
    matrix = np.array([[2, 0, 10], [0, 1, -5], [0, 0, 1]], float)
    moved = noise.move_boxes({"a": [10, 20, 30, 4], "b": [0, 0, 10, 3]}, matrix, (100, 100))
    assert moved == {"a": [30, 15, 60, 4], "b": [10, 0, 20, 0]}


def test_the_set_is_deterministic_writes_pdf_pages_and_moves_noisy_boxes(tmp_path):
    a = render_set(tmp_path / "a", 9, 2, 1, noisy_share=1.0, fmt="pdf")
    b = json.loads((tmp_path / "a" / "truth.json").read_text(encoding="utf-8"))
    assert a == b and [p["file"] for p in b] == ["invoice_0001.pdf", "invoice_0002.pdf", "receipt_0001.pdf"]
    assert [p["family"] for p in b] == ["digital_special", "digital_normal", "icbc"] and all(p["noise"] for p in b)
    for page in b:
        pdf = PdfParser(tmp_path / "a" / page["file"])
        assert len(pdf.pages) == 1
        pdf.close()
    again = render_set(tmp_path / "b", 9, 2, 1, noisy_share=1.0, fmt="pdf")
    assert (tmp_path / "b" / "truth.json").read_bytes() == (tmp_path / "a" / "truth.json").read_bytes()
    assert again == a and render_set(tmp_path / "c", 10, 2, 1, 1.0)[0]["fields"] != a[0]["fields"]


def test_cli_writes_the_set_and_refuses_a_full_folder(tmp_path, capsys):
    out = tmp_path / "set"
    assert main(["generate", "capture-set", "--seed", "4", "--out", str(out), "--invoices", "1", "--receipts", "2",
                 "--noisy", "0.5"]) == 0
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert [p["kind"] for p in truth] == ["invoice", "receipt", "receipt"]
    assert sum(bool(p["noise"]) for p in truth) == 2        # half up: 0.5 × 1 → 1 invoice, 0.5 × 2 → 1 receipt
    for page in truth:
        with Image.open(out / page["file"]) as im:
            assert im.format == "PNG" and im.width > 1000
    assert main(["generate", "capture-set", "--seed", "4", "--out", str(out)]) == 2
    assert "不是空文件夹" in capsys.readouterr().err


def test_a_missing_font_is_a_bilingual_problem_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "FONT_DIR", tmp_path)
    fonts.font.cache_clear()
    try:
        with pytest.raises(FinshareError) as err:
            fonts.font(20)
    finally:
        fonts.font.cache_clear()
    problem = err.value.problems[0]
    assert problem.code == "missing-font" and "apt-get install fonts-noto-cjk" in problem.fix
    assert "找不到中文字体" in problem.message and "not installed" in problem.message
