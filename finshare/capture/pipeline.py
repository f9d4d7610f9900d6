"""The capture pipeline: file → page images → preprocess → OCR → classify → extract → validate.

:func:`capture_file` returns one captured page per page of an image or PDF::

    {"file", "page", "kind", "family", "fields": {name: {"value", "confidence", "box", "ok"}},
     "checks": [{"name", "passed", "detail", "fields"}], "status": "accepted" | "review", "engine"}

Boxes are ``[left, top, width, height]`` in the pixels of the page image as
given (mapped back through preprocessing). Engines: ``"rapidocr"``,
``"tesseract"``, or ``"combined"`` (the default): RapidOCR reads the page and
Tesseract is run only when a field is missing, to fill the missing fields
(RapidOCR reads the Chinese labels and names far better; Tesseract is a second
opinion on pages where RapidOCR lost a value).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..core.problems import FinshareError, Problem, Source
from .context import load_context
from .engines import as_array, ocr_words
from .extract import FIELDS, PageText, classify, extract_fields
from .preprocess import preprocess
from .status import assess

ENGINES = ("combined", "rapidocr", "tesseract")
KINDS = ("auto", "invoice", "receipt")
PDF_DPI = 150
#: confidence kept from a value Tesseract filled in for a field RapidOCR missed
FILL_FACTOR = 0.9


def capture_file(path, kind: str = "auto", engine: str = "combined", context=None) -> list[dict]:
    """Capture every page of an image (PNG, JPEG, TIFF …) or PDF file.

    Parameters
    ----------
    path : str or Path
    kind : {"auto", "invoice", "receipt"}, default "auto"
    engine : {"combined", "rapidocr", "tesseract"}, default "combined"
    context : dict, optional
        A :class:`~finshare.capture.context.CaptureContext`
        (default: :func:`~finshare.capture.context.load_context`, the Fujian master data).

    Returns
    -------
    list of dict
        One captured page each (see the module's summary).
    """
    _check_options(kind, engine)
    context = load_context() if context is None else context
    return [capture_image(image, file=str(path), page=number, kind=kind, engine=engine, context=context)
            for number, image in enumerate(page_images(path), 1)]


def capture_image(image, file: str = "", page: int = 1, kind: str = "auto", engine: str = "combined",
                  context=None) -> dict:
    """Capture one page image (array, Pillow image or file); see :func:`capture_file`."""
    _check_options(kind, engine)
    context = load_context() if context is None else context
    grey, info = preprocess(image)
    first = "tesseract" if engine == "tesseract" else "rapidocr"
    words = ocr_words(grey, first)
    kind, family = classify(PageText(words), kind)
    fields = extract_fields(words, kind, family)
    if engine == "combined" and any(not f["value"] and f["confidence"] == 0.0 for f in fields.values()):
        second = extract_fields(ocr_words(grey, "tesseract"), kind, family)
        fields = {name: _fill(f, second[name]) for name, f in fields.items()}
    for field in fields.values():
        field["box"] = _to_original(info, field["box"])
    result = {"file": file, "page": page, "kind": kind, "family": family, "engine": engine,
              "fields": {name: fields[name] for name in FIELDS[kind]}}
    return validate(result, context)


def validate(page: dict, context) -> dict:
    """The page with its fields judged (``ok``), checks, corrections and status (see :mod:`.status`); the page is
    then remembered, so capturing the same invoice or receipt again in this context is a duplicate."""
    judged = assess(page, context)
    context.register.add(judged.kind, judged.values)
    fields = {name: {**page["fields"].get(name, {}), **f} for name, f in judged.fields.items()}
    checks = [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in judged.checks]
    return {**page, "fields": fields, "checks": checks, "status": judged.status,
            "corrections": judged.corrections}


def _fill(first: dict, second: dict) -> dict:
    if first["value"] or first["confidence"] > 0.0 or not second["value"]:
        return first
    return {**second, "confidence": round(second["confidence"] * FILL_FACTOR, 4)}


def _to_original(info, box) -> list[int] | None:
    return None if box is None else [int(v) for v in info.to_original(np.array([box]))[0]]


def page_images(path) -> list:
    """The page images of a file: one for an image, one per page for a PDF (rendered at 150 dpi)."""
    path = Path(path)
    if not path.is_file():
        raise FinshareError([Problem(
            "missing-file", f"找不到文件 {path} / file {path} not found", Source(file=str(path)),
            "检查文件路径 / check the path")])
    with open(path, "rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-":
        return _pdf_pages(path)
    return [as_array(path)]


def _pdf_pages(path: Path) -> list:
    import pypdfium2 as pdfium
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise FinshareError([Problem(
            "bad-pdf", f"无法读取 PDF / cannot read the PDF: {exc}", Source(file=str(path)),
            "提供完好的 PDF 或导出为 PNG / give an intact PDF, or export the pages as PNG")]) from None
    try:
        return [np.asarray(document[i].render(scale=PDF_DPI / 72).to_pil().convert("RGB"))
                for i in range(len(document))]
    finally:
        document.close()


def _check_options(kind: str, engine: str) -> None:
    problems = []
    if kind not in KINDS:
        problems.append(Problem("bad-value", f"未知的票据类型 / unknown kind {kind!r}", Source(field="kind"),
                                f"使用 / use one of {', '.join(KINDS)}"))
    if engine not in ENGINES:
        problems.append(Problem("unknown-engine", f"未知的 OCR 引擎 / unknown OCR engine {engine!r}",
                                Source(field="engine"), f"使用 / use one of {', '.join(ENGINES)}"))
    if problems:
        raise FinshareError(problems)
