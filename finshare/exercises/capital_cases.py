"""Pairs of capital numerals (大写金额) and figures, by class of case, for exercise 09's first question.

Each class is a way an invoice's 价税合计（大写） may agree or disagree with its
figures: written plainly, with 零 inside, in the other zero style the rules
allow, with 元/正/人民币, one numeral off, 角 and 分 swapped, a place lost
behind a 零, or not well formed. A case is ``(words, figures, class)``; whether
the words state the figures is always the engine's word
(:func:`finshare.capture.numerals.words_to_amount`), never this module's.
Amounts are integer fen; figures are written as on a captured invoice
(``"1234.50"``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..capture.numerals import DIGITS, amount_in_words, words_to_amount
from ..capture.values import money_text, parse_money

#: class name → (中文, English) as the feedback names it.
CLASSES = {
    "plain": ("没有零的金额", "amounts with no zero inside"),
    "zero-inside": ("中间有零的金额", "amounts with 零 in the middle"),
    "zero-style": ("另一种零的写法（万后仟前、圆后角前加零）", "the other zero style (a 零 before 仟 after 万, or before 角)"),
    "units": ("写“元”“正”或带“人民币”“⊗”的金额", "amounts written with 元, 正, 人民币 or ⊗"),
    "digit-off": ("有一个数字写错的大写", "words with one numeral wrong"),
    "jiao-fen": ("角和分颠倒的大写", "words with 角 and 分 swapped"),
    "place-lost": ("丢了一个零位的大写（如 1009 写成 109）", "words that drop a zero place (1009 written as 109)"),
    "malformed": ("不合规范的大写（小写数字、到分还写整）", "words not well formed (ordinary numerals, 整 after 分)"),
}
_LOWER = dict(zip(DIGITS[1:], "一二三四五六七八九"))


@dataclass(frozen=True)
class Case:
    """One pair to judge: the words, the figures, its class, and whether the words state the figures."""

    words: str
    figures: str
    kind: str

    @property
    def equal(self) -> bool:
        """The engine's verdict: the words are well formed and state the figures' amount."""
        said = words_to_amount(self.words)
        return said is not None and said == parse_money(self.figures)


def _digits_amount(rng, n_digits: int, zeros: bool) -> int:
    """A yuan amount of ``n_digits`` digits, none zero, or (``zeros``, 3 digits or more) zeros strictly inside."""
    digits = [int(d) for d in rng.integers(1, 10, n_digits)]
    if zeros and n_digits >= 3:
        inside = np.arange(1, n_digits - 1)
        for i in rng.choice(inside, size=int(rng.integers(1, len(inside) + 1)), replace=False):
            digits[int(i)] = 0
    return int("".join(map(str, digits)))


def _cents(rng, style: str) -> int:
    """角分: both non-zero (``"both"``), 整 (``"none"``), or any of the three endings (``"any"``)."""
    style = str(rng.choice(["both", "jiao", "none"])) if style == "any" else style
    jiao, fen = int(rng.integers(1, 10)), int(rng.integers(1, 10))
    while style == "both" and fen == jiao:
        fen = int(rng.integers(1, 10))
    return {"both": jiao * 10 + fen, "jiao": jiao * 10, "none": 0}[style]


def _plain(rng, big):
    fen = _digits_amount(rng, int(rng.integers(2, big)), False) * 100 + _cents(rng, "any")
    return amount_in_words(fen), fen


def _zero_inside(rng, big):
    yuan = _digits_amount(rng, int(rng.integers(4, big + 1)), True)
    cents = int(rng.integers(1, 10)) if rng.random() < 0.4 else _cents(rng, "any")   # 零 before 分
    return amount_in_words(yuan * 100 + cents), yuan * 100 + cents


def _zero_style(rng, big):
    if rng.random() < 0.5:                                       # yuan ending in 0, then 角: 圆零叁角
        yuan = _digits_amount(rng, int(rng.integers(2, big)), False) * 10
        fen = yuan * 100 + _cents(rng, str(rng.choice(["both", "jiao"])))
        return amount_in_words(fen).replace("圆", "圆零", 1), fen
    ten_thousands = _digits_amount(rng, int(rng.integers(1, max(2, big - 4))), False) * 10   # …拾万, then 仟
    yuan = ten_thousands * 10_000 + _digits_amount(rng, 4, False)
    fen = yuan * 100 + _cents(rng, "any")
    return amount_in_words(fen).replace("万", "万零", 1), fen


def _units(rng, big):
    words, fen = (_zero_inside if rng.random() < 0.5 else _plain)(rng, big)
    words = words.replace("圆", "元")
    if words.endswith("整") and rng.random() < 0.5:
        words = words[:-1] + "正"
    return str(rng.choice(["", "⊗", "人民币"])) + words, fen


def _digit_off(rng, big):
    words, fen = (_zero_inside if rng.random() < 0.5 else _plain)(rng, big)
    places = [i for i, c in enumerate(words) if c in DIGITS[1:]]
    i = int(rng.choice(places))
    other = str(rng.choice([d for d in DIGITS[1:] if d != words[i]]))
    return words[:i] + other + words[i + 1:], fen


def _jiao_fen(rng, big):
    yuan = _digits_amount(rng, int(rng.integers(1, big)), rng.random() < 0.5)
    cents = _cents(rng, "both")
    swapped = cents % 10 * 10 + cents // 10
    return amount_in_words(yuan * 100 + swapped), yuan * 100 + cents


def _place_lost(rng, big):
    yuan = _digits_amount(rng, int(rng.integers(4, big + 1)), True)
    text = str(yuan)
    zeros = [i for i, c in enumerate(text) if c == "0"]
    i = int(rng.choice(zeros))
    cents = _cents(rng, "any")
    return amount_in_words(int(text[:i] + text[i + 1:]) * 100 + cents), yuan * 100 + cents


def _malformed(rng, big):
    if rng.random() < 0.5:                                       # an ordinary numeral among the capitals
        words, fen = _plain(rng, big)
        places = [i for i, c in enumerate(words) if c in _LOWER]
        i = int(rng.choice(places))
        return words[:i] + _LOWER[words[i]] + words[i + 1:], fen
    yuan = _digits_amount(rng, int(rng.integers(1, big)), rng.random() < 0.5)
    fen = yuan * 100 + _cents(rng, "both")
    return amount_in_words(fen) + str(rng.choice(["整", "正"])), fen


_MAKERS = {"plain": _plain, "zero-inside": _zero_inside, "zero-style": _zero_style, "units": _units,
           "digit-off": _digit_off, "jiao-fen": _jiao_fen, "place-lost": _place_lost, "malformed": _malformed}


def make_cases(rng: np.random.Generator, per_class: int, big: int) -> list[Case]:
    """``per_class`` cases of every class, shuffled; yuan of up to ``big`` digits.

    Parameters
    ----------
    rng : numpy.random.Generator
        The student's generator for this set.
    per_class : int
    big : int
        Most digits of the yuan part (at least 5; 9 and more reach 亿).
    """
    cases = []
    for kind, make in _MAKERS.items():
        for _ in range(per_class):
            words, fen = make(rng, big)
            cases.append(Case(words, money_text(fen), kind))
    return [cases[i] for i in rng.permutation(len(cases))]
