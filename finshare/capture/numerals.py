"""Amounts in capital numerals (大写金额), both ways, by the PBOC rules for bills and invoices.

``amount_in_words(123456, unit="圆")`` gives ``壹仟贰佰叁拾肆圆伍角陆分`` (minor units of
a two-decimal currency); :func:`words_to_amount` reads such text back, accepting
元 or 圆, 整 or 正, the ⊗/ⓧ mark and 人民币 before the words, and both zero styles
the rules allow (with or without the optional 零 before a non-zero 仟 or 角), so
it can check an invoice's 价税合计（大写） against its figures.
"""
from __future__ import annotations

import re

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_VALUE = {c: i for i, c in enumerate(DIGITS)}
_PREFIX = re.compile(r"^[\s⊗ⓧ（(]*(人民币)?[\s:：)）]*")


def _group(n: int) -> str:
    """A number 1..9999 in capitals, zeros inside written as one 零 (``1009`` → 壹仟零玖)."""
    out, zero = [], False
    for pos in range(3, -1, -1):
        d = n // 10 ** pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + _SMALL[pos])
    return "".join(out)


def _integer(n: int) -> str:
    """The whole part in capitals with 万 and 亿; 壹拾 keeps its 壹 (bill practice)."""
    groups = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    out, gap = [], False
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out.append("零")
        gap = False
        out.append(_group(g) + ("", "万", "亿", "万亿")[i])
    return "".join(out)


def amount_in_words(minor: int, unit: str = "圆", whole: str = "整") -> str:
    """Capital numerals of a non-negative amount in minor units (fen).

    Parameters
    ----------
    minor : int
        Amount in fen, e.g. ``140950`` for ¥1,409.50.
    unit : {"圆", "元"}
        Invoices print 圆; bills 元.
    whole : {"整", "正"}
        Written after an amount without 分.

    Examples
    --------
    >>> amount_in_words(140950, unit="元")
    '壹仟肆佰零玖元伍角整'
    >>> amount_in_words(1640902, unit="元")
    '壹万陆仟肆佰零玖元零贰分'
    >>> amount_in_words(31000)
    '叁佰壹拾圆整'
    """
    if minor < 0:
        raise ValueError("amount_in_words takes a non-negative amount")
    yuan, jiao, fen = minor // 100, minor // 10 % 10, minor % 10
    text = _integer(yuan) + unit if yuan else ""
    if jiao:
        text += DIGITS[jiao] + "角"
    elif fen and yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    if not fen:
        text = (text or "零" + unit) + whole
    return text


def words_to_amount(text: str) -> int | None:
    """The amount in fen that capital numerals state, or None when the text is not a well-formed amount.

    Examples
    --------
    >>> words_to_amount("⊗叁佰壹拾圆整")
    31000
    >>> words_to_amount("壹仟陆佰捌拾元叁角贰分") == words_to_amount("壹仟陆佰捌拾元零叁角贰分") == 168032
    True
    >>> words_to_amount("壹仟陆佰捌拾元叁角二分") is None          # 二 is not a capital numeral
    True
    """
    s = _PREFIX.sub("", str(text).strip()).replace(" ", "").replace("元", "圆")
    m = re.fullmatch(r"(?:(.+?)圆)?零?(?:([壹贰叁肆伍陆柒捌玖])角)?零?(?:([壹贰叁肆伍陆柒捌玖])分)?([整正]?)", s)
    if not m or not (m[1] or m[2] or m[3]) or (m[3] and m[4]):
        return None
    yuan = _words_integer(m[1]) if m[1] else 0
    if yuan is None:
        return None
    return yuan * 100 + (_VALUE[m[2]] * 10 if m[2] else 0) + (_VALUE[m[3]] if m[3] else 0)


def _words_integer(text: str) -> int | None:
    """壹仟零玖 → 1009; with 万 and 亿. None when a numeral or a place is out of order."""
    total = 0
    for big, scale in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if big in text:
            head, text = text.split(big, 1)
            value = _words_integer(head)
            if value is None or value == 0:
                return None
            total += value * scale
    if text in ("", "零"):
        return total
    value, digit, last = 0, None, 10_000
    for ch in text:
        if ch == "零":
            digit = None
            continue
        if ch in _VALUE:
            if digit is not None:
                return None                              # two numerals in a row
            digit = _VALUE[ch]
            continue
        place = {"拾": 10, "佰": 100, "仟": 1000}.get(ch)
        if place is None or digit is None or place >= last:
            return None
        value, digit, last = value + digit * place, None, place
    return total + value + (digit or 0)
