"""Seconds per call of preprocessing and of each OCR engine on an invoice-like page.

    .venv/bin/python benchmarks/bench_ocr.py [--repeat 5] [--size 1600 1000]

Draws a page of invoice lines (Noto Sans CJK SC, 32 px) on white, then times
:func:`finshare.capture.preprocess.preprocess` and
:func:`finshare.capture.engines.ocr_words` for every engine that is installed
(the first RapidOCR call, which loads the models, is timed apart). Prints min
and median seconds per call and how many lines each engine read exactly. A
measuring tool: nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time
import unicodedata

from PIL import Image, ImageDraw, ImageFont

from finshare.capture.engines import available_engines, ocr_words
from finshare.capture.preprocess import preprocess

FONT_FILE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
LINES = [
    "电子发票（增值税专用发票）",
    "发票号码 24352000000012345678",
    "开票日期 2020年03月15日",
    "购买方名称 福建制造公司",
    "统一社会信用代码/纳税人识别号 91350100M000100Y43",
    "销售方名称 瑞幸咖啡有限公司",
    "金额 ¥274.34  税率 13%  税额 ¥35.66",
    "价税合计（大写）⊗叁佰壹拾圆整 （小写）¥310.00",
    "备注 采购咖啡 1000 件",
]


def page(size: tuple[int, int]) -> Image.Image:
    image = Image.new("L", size, 255)
    pen, font = ImageDraw.Draw(image), ImageFont.truetype(FONT_FILE, 32, index=2)
    for i, text in enumerate(LINES):
        pen.text((80, 60 + 70 * i), text, font=font, fill=0)
    return image


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def timed(call, repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", type=int, nargs=2, default=(1600, 1000), metavar=("W", "H"))
    args = parser.parse_args()
    image = page(tuple(args.size))
    print(f"page {args.size[0]}×{args.size[1]}, {len(LINES)} lines, {args.repeat} calls each")
    print(f"{'step':<12}{'min s':>8}{'median s':>10}  lines read exactly")
    pre = timed(lambda: preprocess(image), args.repeat)
    print(f"{'preprocess':<12}{min(pre):>8.3f}{statistics.median(pre):>10.3f}")
    for engine in available_engines():
        first = timed(lambda: ocr_words(image, engine), 1)[0]
        calls = timed(lambda: ocr_words(image, engine), args.repeat)
        words = ocr_words(image, engine)
        read = {squash("".join(g["text"])) for _, g in words.groupby("line")}
        exact = sum(squash(line) in read for line in LINES)
        print(f"{engine:<12}{min(calls):>8.3f}{statistics.median(calls):>10.3f}  {exact}/{len(LINES)}"
              f"   (first call {first:.2f} s)")


if __name__ == "__main__":
    main()
