"""Field grammars: find a field's value in OCR text and write it the contract's way.

Each parser takes normalised text (:func:`.anchors.normalise`) and returns a
:class:`Reading` — the value, where in the text it was found, and whether the
text had to be repaired (look-alike letters read for digits, a thousands
comma read as a point) — or None when the grammar is not met.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from ...core.uscc import ALPHABET

#: letters OCR reads for digits, in digit-only fields
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
                                  "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "b": "6", "g": "9"})
#: letters GB 32100 never uses (I O Z S V), read for the digits they resemble
USCC_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "Z": "2", "S": "5", "o": "0"})
#: VAT rates and 征收率 in per cent
RATES = {0, 1, 3, 5, 6, 9, 10, 11, 13, 16, 17}
NUMERALS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整正"
#: characters OCR confuses with capital numerals
NUMERAL_LOOKALIKES = str.maketrans({"园": "圆", "仔": "仟", "百": "佰", "什": "仟", "忏": "仟", "武": "贰",
                                    "陆": "陆", "乙": "亿", "正": "整"})
_USCC = re.compile(f"(?<![{ALPHABET}])[{ALPHABET}]{{18}}(?![{ALPHABET}])")
_DATE = re.compile(r"(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})日?")
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{2}(?!\d)|\d+\.\d{2}(?!\d)")
_RATE = re.compile(r"(\d{1,2})%")


class Reading(NamedTuple):
    """A value found in a text: the value, its position ``start:end`` in the text, and if repaired."""

    value: str
    start: int
    end: int
    repaired: bool = False


def digits(text: str, lengths: tuple[int, ...]) -> Reading | None:
    """A run of exactly one of ``lengths`` digits (look-alike letters taken as digits, marked repaired)."""
    fixed = text.translate(DIGIT_LOOKALIKES)
    for n in lengths:
        found = re.search(rf"(?<!\d)\d{{{n}}}(?!\d)", fixed)
        if found:
            s, e = found.span()
            return Reading(found.group(), s, e, fixed[s:e] != text[s:e])
    return None


def uscc(text: str) -> Reading | None:
    """An 18-character credit code from the GB 32100 alphabet (I O Z S taken as 1 0 2 5, marked repaired)."""
    upper = text.upper()
    for candidate in (upper, upper.translate(USCC_LOOKALIKES)):
        found = _USCC.search(candidate)
        if found:
            s, e = found.span()
            return Reading(found.group(), s, e, candidate[s:e] != text[s:e])
    return None


def amount(text: str) -> Reading | None:
    """An amount with two decimals, ``¥12,345.60`` → ``"12345.60"`` (a comma read as a point repaired)."""
    found = _AMOUNT.search(text)
    odd = re.search(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+[.,]\d{2}(?!\d)", text)   # 313.357.83, 313,357,83
    if odd and (found is None or odd.start() < found.start() or odd.end() > found.end()) and \
            odd.group().replace(",", "") != (found.group().replace(",", "") if found else None):
        raw = re.sub(r"[.,]", "", odd.group())
        return Reading(f"{int(raw[:-2])}.{raw[-2:]}", *odd.span(), True)
    return Reading(found.group().replace(",", ""), *found.span()) if found else None


def date(text: str) -> Reading | None:
    """A date ``2025年02月10日`` or ``2025-02-10`` → ``"2025-02-10"`` (must be a real calendar day)."""
    fixed = text.translate(DIGIT_LOOKALIKES)
    found = _DATE.search(fixed)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    if len(found.group(3)) == 1 and found.end() < len(fixed) and fixed[found.end()].isdigit():
        return None
    try:
        value = dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    return Reading(value, *found.span(), fixed[found.start():found.end()] != text[found.start():found.end()])


def rate(text: str) -> Reading | None:
    """A tax rate ``13%`` → ``"0.13"``; a rate no law has whose last digit is one (``63%``) → that, repaired."""
    found = _RATE.search(text.translate(DIGIT_LOOKALIKES))
    if not found:
        return None
    percent = int(found.group(1))
    if percent not in RATES and percent % 10 in RATES:      # 63% for 3%: a stray stroke read as a digit
        return Reading(f"{percent % 10 / 100:.2f}", *found.span(), True)
    return Reading(f"{percent / 100:.2f}", *found.span())


def numerals(text: str) -> Reading | None:
    """The longest run of capital numerals (大写金额), look-alikes mapped (marked repaired)."""
    fixed = text.translate(NUMERAL_LOOKALIKES)
    runs = list(re.finditer(f"[{NUMERALS}]+", fixed))
    if not runs:
        return None
    best = max(runs, key=lambda m: len(m.group()))
    if len(best.group()) < 2:
        return None
    s, e = best.span()
    return Reading(best.group(), s, e, fixed[s:e] != text[s:e])


def name(text: str) -> Reading | None:
    """A party's name: the text without surrounding punctuation (at least two characters)."""
    found = re.search(r"[^\s:;,.、()（）\[\]|]+.*[^\s:;,.、()（）\[\]|]", text)
    if not found:
        return None
    return Reading(found.group(), *found.span())


def plain(text: str) -> Reading | None:
    """Any text (a memo): stripped of punctuation at the ends."""
    found = re.search(r"[^\s:;,.|]+(?:.*[^\s:;,.|])?", text)
    return Reading(found.group(), *found.span()) if found else None
