"""The words an OCR engine reads on a page, with boxes in the page's own pixels (for drawing and teaching).

:func:`page_words` runs the pipeline's preprocessing and one engine, then
maps every word box back through the preprocessing (page crop, deskew,
scaling), so the boxes can be drawn on the image as it was given — the same
coordinates as the field boxes of :func:`finshare.capture.pipeline.capture_image`.
"""
from __future__ import annotations

import pandas as pd

from .engines import ocr_words
from .preprocess import preprocess


def page_words(image, engine: str = "rapidocr") -> pd.DataFrame:
    """Words of a page image: ``text, confidence, left, top, width, height, line`` in the original pixels.

    Parameters
    ----------
    image : str, Path, PIL.Image.Image or numpy.ndarray
    engine : {"rapidocr", "tesseract"}, default "rapidocr"

    Returns
    -------
    pandas.DataFrame
        One row per word, in reading order (:data:`finshare.capture.engines.WORD_COLUMNS`).
    """
    grey, info = preprocess(image)
    words = ocr_words(grey, engine)
    if len(words):
        words[["left", "top", "width", "height"]] = info.to_original(words[["left", "top", "width", "height"]])
    return words
