"""OCR engines: words with boxes and confidences, one schema for Tesseract and RapidOCR.

:func:`ocr_words` returns a DataFrame with the columns :data:`WORD_COLUMNS`:
``text`` (as read, not normalised), ``confidence`` (0..1), ``left``, ``top``,
``width``, ``height`` (pixels of the image given) and ``line`` (0, 1, … in
reading order, grouping the words of one text line); rows are in reading order.

- ``"tesseract"`` runs the ``tesseract`` program through pytesseract with
  ``--psm 6`` (one uniform block of text: it kept the first line of an invoice
  whole where ``--psm 3``/``4`` dropped a character) and ``OMP_THREAD_LIMIT=1``
  (RECIPES.md §5: about twice as fast on two cores). A word is what Tesseract
  calls one; a line is Tesseract's own (block, paragraph, line).
- ``"rapidocr"`` runs the PP-OCRv4 models that the ``rapidocr-onnxruntime``
  wheel ships, offline on onnxruntime, one engine per process (created on first
  use). A word is one detected text box: the detector puts text separated by
  wide gaps (table cells) in separate boxes and closely set text in one, so a
  "word" may hold ``金额￥274.34税率13%税额￥35.66``. Its boxes are grouped
  into lines by their vertical centres (:func:`group_lines`). ``lang`` does
  not apply (the models read Chinese and English). The threads of onnxruntime
  are ``FINSHARE_OCR_THREADS`` (default 1, at most the machine's cores: on a
  shared two-core machine one thread measured faster than two, 1.3 against
  2.2 s a page). Text is detected on a copy of the page scaled down to
  :data:`DET_LONG_SIDE` px (a third of the cost; :data:`DET_BOX_THRESHOLD` is
  lowered so that short labels are still found there) and recognised on crops
  of the page at its own resolution (recognition on a scaled-down page lost
  digits), :data:`REC_BATCH` crops a batch, each batch padded to its widest
  crop but at least :data:`REC_MIN_WIDTH` px (the package pads to 320 px in
  batches of 6, which cost 40 % more; without padding, short crops such as
  ``3%`` were misread). Transparent images are put on white first.

A missing program, language data or package raises one bilingual
:class:`~finshare.core.problems.FinshareError` naming what is missing and the fix.
"""
from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
from PIL import Image

from finshare.core.problems import FinshareError, Problem, Source

# Read by onnxruntime and by the tesseract program when they start; set before either does.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

WORD_COLUMNS = ["text", "confidence", "left", "top", "width", "height", "line"]
ENGINES = ("tesseract", "rapidocr")
TESSERACT_PSM = 6
#: RapidOCR: longest side of the page copy text is detected on (the page itself is larger; see above)
DET_LONG_SIDE = 1024
#: RapidOCR: lowest mean text score of a detected box (the package's 0.5 dropped short labels such as 称:)
DET_BOX_THRESHOLD = 0.3
#: RapidOCR: crops recognised per batch (each padded to the widest of its batch)
REC_BATCH = 3
#: RapidOCR: narrowest crop width (px at 48 px height) a batch is padded to
REC_MIN_WIDTH = 160
#: a box at most this many times as wide as high is one character (see :func:`group_lines`)
MARK_RATIO = 1.5


def ocr_words(image, engine: str = "tesseract", lang: str = "chi_sim+eng") -> pd.DataFrame:
    """Read an image into words with boxes, confidences and line ids.

    Parameters
    ----------
    image : str, Path, PIL.Image.Image or numpy.ndarray
        A file, a Pillow image or an array (grey ``H×W`` or RGB ``H×W×3``, uint8).
    engine : {"tesseract", "rapidocr"}, default "tesseract"
    lang : str, default "chi_sim+eng"
        Tesseract language data to use; ignored by RapidOCR.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`WORD_COLUMNS`, one row per word, in reading order.
    """
    if engine not in ENGINES:
        raise FinshareError([Problem(
            "unknown-engine", f"未知的 OCR 引擎 / unknown OCR engine: {engine!r}",
            Source(field="engine"), f"使用 / use one of {', '.join(ENGINES)}")])
    pixels = as_array(image)
    words = _tesseract_words(pixels, lang) if engine == "tesseract" else _rapidocr_words(pixels)
    return words[WORD_COLUMNS].astype({"text": str}).reset_index(drop=True)


def as_array(image) -> np.ndarray:
    """An image as a uint8 array, grey ``H×W`` or RGB ``H×W×3`` (files and Pillow images converted)."""
    if isinstance(image, np.ndarray):
        return image if image.dtype == np.uint8 else np.clip(image, 0, 255).astype(np.uint8)
    if isinstance(image, (str, Path)):
        try:
            with Image.open(image) as opened:
                image = opened.copy()
        except (OSError, ValueError) as exc:
            raise FinshareError([Problem(
                "bad-image", f"无法读取图像 / cannot read the image: {exc}", Source(file=str(image)),
                "提供 PNG、JPEG 或 TIFF 图像 / give a PNG, JPEG or TIFF image file")]) from None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    mode = "L" if image.mode in ("1", "L", "I;16", "I", "F") else "RGB"
    return np.asarray(image.convert(mode))


def available_engines(lang: str = "chi_sim+eng") -> list[str]:
    """The engines that are installed and ready (with ``lang`` for Tesseract), for benchmarks and tests."""
    ready = []
    for engine, check in (("tesseract", lambda: check_tesseract(lang)), ("rapidocr", _rapidocr_engine)):
        try:
            check()
        except FinshareError:
            continue
        ready.append(engine)
    return ready


# --- Tesseract ---------------------------------------------------------------------------------

def check_tesseract(lang: str = "chi_sim+eng") -> None:
    """Raise a bilingual FinshareError unless pytesseract, the program and ``lang``'s data are there."""
    try:
        import pytesseract
    except ImportError:
        raise _missing("pytesseract", "Python 包 pytesseract / the Python package pytesseract",
                       "安装 / install: pip install pytesseract "
                       "(conda: conda install -c conda-forge pytesseract)") from None
    languages = _tesseract_languages(pytesseract.pytesseract.tesseract_cmd)
    wanted = [code for code in lang.split("+") if code]
    absent = [code for code in wanted if code not in languages]
    if absent:
        packages = " ".join("tesseract-ocr-" + code.replace("_", "-") for code in absent)
        raise _missing(
            "tesseract-language",
            f"Tesseract 语言数据 / Tesseract language data: {', '.join(absent)} "
            f"(已安装 installed: {', '.join(sorted(languages)) or '—'})",
            f"安装语言数据 / install the language data: apt-get install {packages} "
            f"(或把 {absent[0]}.traineddata 放进 TESSDATA_PREFIX 目录 / "
            f"or put {absent[0]}.traineddata in the TESSDATA_PREFIX folder)")


@functools.lru_cache(maxsize=8)
def _tesseract_languages(cmd: str) -> frozenset[str]:
    """The language data the tesseract program ``cmd`` has (cached per program)."""
    import pytesseract
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, FileNotFoundError, PermissionError):
        raise _missing(
            "tesseract", f"Tesseract OCR 程序 / the Tesseract OCR program ({cmd})",
            "安装 / install: apt-get install tesseract-ocr tesseract-ocr-chi-sim "
            "(或运行 / or run: bash scripts/setup.sh; conda: conda install -c conda-forge tesseract)") from None


def _tesseract_words(pixels: np.ndarray, lang: str) -> pd.DataFrame:
    import pytesseract
    check_tesseract(lang)
    tsv = pytesseract.image_to_data(Image.fromarray(pixels), lang=lang, config=f"--psm {TESSERACT_PSM}",
                                    output_type=pytesseract.Output.BYTES)
    data = pd.read_csv(io.BytesIO(tsv), sep="\t", quoting=3, dtype={"text": str}, keep_default_na=False)
    data["text"] = data["text"].str.strip()
    words = data[(data["conf"].astype(float) >= 0) & (data["text"] != "")].copy()
    words["confidence"] = (words["conf"].astype(float) / 100.0).clip(0.0, 1.0)
    words["line"] = words.groupby(["block_num", "par_num", "line_num"], sort=False).ngroup()
    return words


# --- RapidOCR ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _rapidocr_engine():
    """The process's one RapidOCR engine (models from the wheel; created on first use)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise _missing("rapidocr", f"Python 包 rapidocr-onnxruntime / the Python package "
                       f"rapidocr-onnxruntime ({exc})",
                       "安装 / install: pip install 'rapidocr-onnxruntime>=1.4.4,<1.5'") from None
    threads = min(max(int(os.environ.get("FINSHARE_OCR_THREADS", "1")), 1), os.cpu_count() or 1)
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False,
                    det_limit_type="max", det_limit_side_len=2000, det_box_thresh=DET_BOX_THRESHOLD,
                    rec_img_shape=[3, 48, REC_MIN_WIDTH], rec_batch_num=REC_BATCH)


def _rapidocr_read(pixels: np.ndarray) -> list:
    """``[corners 4×2, text, confidence]`` per text box: detected on a scaled-down copy, read at full size."""
    engine = _rapidocr_engine()
    page = cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR) if pixels.ndim == 2 else pixels
    factor = min(1.0, DET_LONG_SIDE / max(page.shape[:2]))
    small = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else page
    found, _ = engine(small, use_cls=False, use_rec=False)
    if not found:
        return []
    corners = (np.array(found, dtype=np.float32).reshape(-1, 4, 2) / factor).clip(0, None)
    readings, _ = engine.text_rec(engine.get_crop_img_list(page, list(corners)))
    return [[box, text, score] for box, (text, score, *_) in zip(corners, readings) if score >= engine.text_score]


def _rapidocr_words(pixels: np.ndarray) -> pd.DataFrame:
    result = _rapidocr_read(pixels)
    corners = np.array([item[0] for item in result], dtype=float).reshape(-1, 4, 2)
    low, high = corners.min(axis=1), corners.max(axis=1)
    words = pd.DataFrame({
        "text": pd.Series([str(item[1]).strip() for item in result], dtype=object),
        "confidence": np.array([item[2] for item in result], dtype=float),
        "left": np.rint(low[:, 0]).astype("int64"),
        "top": np.rint(low[:, 1]).astype("int64"),
        "width": np.rint(high[:, 0] - low[:, 0]).astype("int64"),
        "height": np.rint(high[:, 1] - low[:, 1]).astype("int64"),
    })
    words["line"] = group_lines(words["top"].to_numpy(), words["height"].to_numpy(), words["width"].to_numpy())
    return words.sort_values(["line", "left"], kind="stable")


def group_lines(top: np.ndarray, height: np.ndarray, width: np.ndarray | None = None) -> np.ndarray:
    """Line ids (0, 1, … top to bottom) for boxes ``[left, top, width, height]``.

    A new line starts where a box's centre lies below the previous box's (in
    centre order) by more than half the smaller of the two heights. With
    ``width``, single characters (boxes at most :data:`MARK_RATIO` times as wide
    as high, such as the vertical 购/买/方 and 密/码/区 beside an invoice's
    blocks) do not take part: sitting between two lines, they would chain them
    into one. Each then joins the line whose centre is nearest, when within half
    its height, else lines of its own.
    """
    centre = top + height / 2.0
    mark = np.zeros(len(top), bool) if width is None else width <= MARK_RATIO * height
    if mark.all() or not mark.any():
        return _chain(centre, height)
    ids = np.empty(len(top), dtype="int64")
    ids[~mark] = _chain(centre[~mark], height[~mark])
    line_centre = pd.Series(centre[~mark]).groupby(ids[~mark]).mean().to_numpy()
    nearest = np.abs(centre[mark][:, None] - line_centre[None, :]).argmin(axis=1)
    near = np.abs(centre[mark] - line_centre[nearest]) <= height[mark] / 2.0
    ids[np.flatnonzero(mark)[near]] = nearest[near]
    alone = np.flatnonzero(mark)[~near]
    ids[alone] = len(line_centre) + _chain(centre[alone], height[alone])
    order = pd.Series(centre).groupby(ids).mean().rank(method="first").astype("int64") - 1
    return order.reindex(ids).to_numpy()


def _chain(centre: np.ndarray, height: np.ndarray) -> np.ndarray:
    """Line ids in centre order: a new line where a centre lies more than half the smaller height below the last."""
    if len(centre) == 0:
        return np.zeros(0, dtype="int64")
    order = np.argsort(centre, kind="stable")
    gaps = np.diff(centre[order])
    limit = np.minimum(height[order][1:], height[order][:-1]) / 2.0
    ids = np.empty(len(centre), dtype="int64")
    ids[order] = np.concatenate([[0], np.cumsum(gaps > limit)])
    return ids


def _missing(code: str, what: str, fix: str) -> FinshareError:
    return FinshareError([Problem(
        f"missing-{code}",
        f"缺少 OCR 组件 / OCR component missing: {what}", Source(field="engine"), fix)],
        "OCR 引擎不可用 / OCR engine not available")
