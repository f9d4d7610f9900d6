"""OCR engines and preprocessing on images drawn here with the Noto CJK font (SC face).

Tests marked ``ocr`` run a real engine (a second or more each); the rest are fast.
"""
import re
import sys
import unicodedata

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from finshare.capture import engines
from finshare.capture.engines import WORD_COLUMNS, group_lines, ocr_words
from finshare.capture.preprocess import estimate_skew, find_page, preprocess
from finshare.core.problems import FinshareError

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 36, index=2)
LINES = [
    "发票号码 24352000000012345678",
    "购买方 统一社会信用代码 91350100M000100Y43",
    "价税合计（大写）⊗叁佰壹拾圆整 （小写）¥310.00",
    "开票日期 2020年03月15日  金额 274.34  税率 13%",
]
ORIGIN, PITCH = (40, 30), 80


def draw_lines(lines=LINES, size=(1200, 380)) -> Image.Image:
    """Black text on white, one line every PITCH pixels from ORIGIN."""
    image = Image.new("L", size, 255)
    pen = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        pen.text((ORIGIN[0], ORIGIN[1] + PITCH * i), text, font=FONT, fill=0)
    return image


def drawn_box(line: int, text: str, start: str = "") -> np.ndarray:
    """[left, top, width, height] of ``text`` drawn after ``start`` on line ``line`` (from Pillow's metrics)."""
    x = ORIGIN[0] + FONT.getlength(start)
    left, top, right, bottom = FONT.getbbox(text)
    return np.array([x + left, ORIGIN[1] + PITCH * line + top, right - left, bottom - top])


def squash(text: str) -> str:
    """Compatibility forms folded (（ → (, ￥ → ¥), spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def line_texts(words) -> list[str]:
    return [squash("".join(group["text"])) for _, group in words.groupby("line", sort=True)]


@pytest.fixture(scope="module")
def lines_image():
    return draw_lines()


@pytest.fixture(scope="module")
def tesseract_words(lines_image):
    pytest.importorskip("pytesseract")
    return ocr_words(lines_image, "tesseract")


@pytest.fixture(scope="module")
def rapidocr_words(lines_image):
    return ocr_words(np.asarray(lines_image), "rapidocr")


# --- both engines -------------------------------------------------------------------------------

@pytest.mark.ocr
@pytest.mark.parametrize("fixture", ["tesseract_words", "rapidocr_words"])
def test_one_schema_for_both_engines(fixture, request, lines_image):
    words = request.getfixturevalue(fixture)
    assert list(words.columns) == WORD_COLUMNS
    assert words["confidence"].between(0, 1).all()
    width, height = lines_image.size
    assert (words["left"] >= 0).all() and (words["left"] + words["width"] <= width + 1).all()
    assert (words["top"] >= 0).all() and (words["top"] + words["height"] <= height + 1).all()
    assert sorted(words["line"].unique()) == list(range(len(LINES)))
    # Lines in reading order: each line's words sit lower on the page than the previous line's.
    middles = (words["top"] + words["height"] / 2).groupby(words["line"]).median()
    assert middles.is_monotonic_increasing


@pytest.mark.ocr
def test_tesseract_reads_codes_and_figures_but_not_capital_numerals(tesseract_words):
    read = line_texts(tesseract_words)
    assert read[0] == squash(LINES[0])
    assert read[1] == squash(LINES[1])
    assert read[3] == squash(LINES[3])
    # Tesseract's chi_sim misreads the capital numerals (叁 → 参, 壹 → 喜) and ⊗; the figure survives.
    assert read[2].endswith("¥310.00")
    assert "叁佰壹拾" not in read[2]


@pytest.mark.ocr
def test_tesseract_word_box_is_where_the_number_was_drawn(tesseract_words):
    number = tesseract_words[tesseract_words["text"] == "24352000000012345678"]
    assert len(number) == 1
    found = number[["left", "top", "width", "height"]].to_numpy()[0]
    assert np.abs(found - drawn_box(0, "24352000000012345678", "发票号码 ")).max() <= 5


@pytest.mark.ocr
def test_rapidocr_reads_every_line_but_the_cancel_mark(rapidocr_words):
    read = line_texts(rapidocr_words)
    assert read[0] == squash(LINES[0])
    assert read[1] == squash(LINES[1])
    assert read[3] == squash(LINES[3])
    # The ⊗ before the capital numerals comes back as ⑧ or not at all; everything else is exact.
    without_mark = [squash(re.sub("[⊗⑧]", "", text)) for text in ("".join(
        rapidocr_words.loc[rapidocr_words["line"] == 2, "text"]), LINES[2])]
    assert without_mark[0] == without_mark[1]


@pytest.mark.ocr
def test_rapidocr_line_box_is_where_the_line_was_drawn(rapidocr_words):
    first = rapidocr_words[rapidocr_words["line"] == 0]
    assert len(first) == 1  # one detected box for the line: the space is too narrow to split it
    found = first[["left", "top", "width", "height"]].to_numpy()[0]
    # within 10 px of the ink (detected on a copy scaled to 1024 px, whose boxes reach 1.2 px here per px there)
    assert np.abs(found - drawn_box(0, LINES[0])).max() <= 10


@pytest.mark.ocr
def test_blank_page_gives_no_words_from_either_engine():
    blank = np.full((200, 400), 255, np.uint8)
    for engine in ("tesseract", "rapidocr"):
        words = ocr_words(blank, engine)
        assert words.empty and list(words.columns) == WORD_COLUMNS


def test_group_lines_puts_boxes_of_one_row_together():
    # Two boxes on row 1 (one a little taller), one on row 2, listed out of order.
    top = np.array([100, 10, 12, 100])
    height = np.array([30, 30, 26, 34])
    assert group_lines(top, height).tolist() == [1, 0, 0, 1]
    assert group_lines(np.array([], dtype=int), np.array([], dtype=int)).tolist() == []


def test_group_lines_keeps_single_characters_between_lines_from_chaining_them():
    # An invoice's buyer block as detected, left half: 福建制造公司 beside 名 称, then 购, the tax id
    # beside 纳税人识别号, 买, 地址、电话, 方; right half: cipher lines between 密, 码, 区. The vertical
    # 购买方 and 密码区 sit between the lines and, taken as lines, chain the first three into one.
    top = np.array([184, 184, 194, 194, 208, 209, 222, 223, 223, 242, 245, 256, 262, 283, 283, 295])
    height = np.array([31, 31, 27, 28, 28, 27, 25, 27, 36, 33, 28, 34, 31, 27, 28, 30])
    width = np.array([334, 142, 34, 27, 30, 30, 239, 323, 130, 34, 27, 308, 120, 28, 25, 317])
    assert group_lines(top, height).tolist() == [0] * 9 + [1] * 4 + [2] * 3
    assert group_lines(top, height, width).tolist() == [0, 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 5]



# --- missing engines and bad input ---------------------------------------------------------------

def problem_of(excinfo):
    assert len(excinfo.value.problems) == 1
    return excinfo.value.problems[0]


def test_missing_tesseract_program_says_how_to_install(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(FinshareError) as excinfo:
        ocr_words(np.full((50, 50), 255, np.uint8), "tesseract")
    problem = problem_of(excinfo)
    assert problem.code == "missing-tesseract"
    assert "/nonexistent/tesseract" in problem.message and "缺少" in problem.message
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in problem.fix
    assert "tesseract" not in engines.available_engines()


def test_missing_language_data_names_the_debian_package():
    pytest.importorskip("pytesseract")
    with pytest.raises(FinshareError) as excinfo:
        ocr_words(np.full((50, 50), 255, np.uint8), "tesseract", lang="chi_sim+chi_tra")
    problem = problem_of(excinfo)
    assert problem.code == "missing-tesseract-language"
    assert "chi_tra" in problem.message
    assert "apt-get install tesseract-ocr-chi-tra" in problem.fix


def test_missing_rapidocr_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails as if not installed
    engines._rapidocr_engine.cache_clear()
    try:
        with pytest.raises(FinshareError) as excinfo:
            ocr_words(np.full((50, 50), 255, np.uint8), "rapidocr")
    finally:
        engines._rapidocr_engine.cache_clear()
    problem = problem_of(excinfo)
    assert problem.code == "missing-rapidocr"
    assert "pip install 'rapidocr-onnxruntime" in problem.fix


def test_unknown_engine_and_unreadable_file(tmp_path):
    with pytest.raises(FinshareError) as excinfo:
        ocr_words(np.zeros((5, 5), np.uint8), "easyocr")
    assert problem_of(excinfo).code == "unknown-engine"
    not_an_image = tmp_path / "scan.png"
    not_an_image.write_text("not a picture", encoding="utf-8")
    with pytest.raises(FinshareError) as excinfo:
        ocr_words(not_an_image)
    problem = problem_of(excinfo)
    assert problem.code == "bad-image" and problem.source.file == str(not_an_image)


# --- preprocessing -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page_image():
    """An invoice-like page, 1600×1000, with a black square marker at (1300, 700)–(1380, 780)."""
    image = draw_lines(LINES * 2, size=(1600, 1000))
    ImageDraw.Draw(image).rectangle((1300, 700, 1379, 779), fill=0)
    return image


def marker_box(grey: np.ndarray) -> np.ndarray:
    """[left, top, width, height] of the largest dark blob (the square marker)."""
    dark = (grey < 100).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark)
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return stats[biggest, :4]


@pytest.mark.parametrize("angle", [3.0, -4.5, 5.5, -7.0])
def test_deskew_finds_the_angle_within_half_a_degree(page_image, angle):
    turned = page_image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    flat, info = preprocess(turned, page=False)
    assert abs(info.angle - angle) < 0.5
    assert "deskew" in info.steps
    assert abs(estimate_skew(flat)) < 0.5
    # The marker found on the processed image maps back onto the marker in the turned image.
    back = info.to_original([marker_box(flat)])[0]
    assert np.abs(back - marker_box(np.asarray(turned))).max() <= 4


def test_straight_page_is_left_alone(page_image):
    flat, info = preprocess(page_image)
    assert info.quad is None and info.scale == 1.0 and abs(info.angle) < 0.2
    assert info.steps == ["denoise"] and flat.shape == (1000, 1600)


def warped_on_desk(page: Image.Image, corners: np.ndarray, size=(2000, 1300)) -> np.ndarray:
    """The page warped onto ``corners`` over a dark, grainy desk."""
    grey = np.asarray(page)
    h, w = grey.shape
    matrix = cv2.getPerspectiveTransform(np.float32([[0, 0], [w, 0], [w, h], [0, h]]), np.float32(corners))
    on_desk = cv2.warpPerspective(grey, matrix, size)
    covered = cv2.warpPerspective(np.full_like(grey, 255), matrix, size) > 127
    desk = np.clip(np.random.default_rng(1).normal(60, 12, (size[1], size[0])), 0, 255)
    return np.where(covered, on_desk, desk).astype(np.uint8)


def test_page_on_a_dark_desk_is_found_and_flattened(page_image):
    corners = np.array([[210, 160], [1790, 240], [1720, 1180], [150, 1080]], dtype=float)
    photo = warped_on_desk(page_image, corners)
    assert np.abs(find_page(photo) - corners).max() <= 3
    flat, info = preprocess(photo)
    assert info.steps[0] == "page" and np.abs(info.quad - corners).max() <= 3
    assert max(flat.shape) == 1600
    # Flattened, the square marker is square again and back where it was on the page (scaled).
    box = marker_box(flat)
    sx, sy = flat.shape[1] / 1600, flat.shape[0] / 1000
    assert abs(box[2] - box[3]) <= 4
    assert np.abs(box - np.array([1300 * sx, 700 * sy, 80 * sx, 80 * sy])).max() <= 5
    # The processed image's corners map back to the page corners in the photo.
    whole = info.to_original([[0, 0, flat.shape[1], flat.shape[0]]])[0]
    assert np.abs(whole - np.array([150, 160, 1790 - 150, 1180 - 160])).max() <= 4


def test_denoise_and_binarise_options(page_image):
    grey = np.asarray(page_image).copy()
    speckled = grey.copy()
    speckled[np.random.default_rng(3).random(grey.shape) < 0.01] = 0  # 1 % pepper
    cleaned, info = preprocess(speckled, page=False, deskew=False, binarise="otsu")
    assert info.steps == ["denoise", "binarise"]
    assert set(np.unique(cleaned)) <= {0, 255}
    # The median removes isolated specks: the white area is white again.
    assert (cleaned[880:980, 40:1500] == 255).mean() > 0.999
    with pytest.raises(FinshareError):
        preprocess(grey, denoise="gaussian")


def test_images_come_in_as_uint8_arrays_with_transparency_on_white():
    rgba = Image.new("RGBA", (20, 10), (0, 0, 0, 0))  # transparent black everywhere …
    rgba.putpixel((3, 4), (0, 0, 0, 255))  # … but one opaque black pixel
    pixels = engines.as_array(rgba)
    assert pixels.shape == (10, 20, 3) and pixels.dtype == np.uint8
    assert pixels[0, 0].tolist() == [255, 255, 255] and pixels[4, 3].tolist() == [0, 0, 0]
    assert engines.as_array(Image.new("1", (4, 2), 1)).tolist() == [[255] * 4] * 2
