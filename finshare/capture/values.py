"""Captured field text as exact values: amounts in fen, rates as Decimal, dates.

Captured amounts are decimal strings with exactly two decimals (``"1234.50"``,
no sign, no separators — the extractor normalises ¥ and commas); anything
else is not an amount, so a misread never becomes a number by guessing.
Rounding of amount × rate is half-up to the fen.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_MONEY = re.compile(r"(?:0|[1-9]\d{0,12})\.\d{2}")
_RATE = re.compile(r"0(\.\d{1,3})?|1(\.0{1,3})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_money(text) -> int | None:
    """Fen of ``"1234.50"`` (→ 123450); None unless digits (no leading zero), a point and two decimals."""
    s = str(text or "")
    return int(s.replace(".", "")) if _MONEY.fullmatch(s) else None


def money_text(fen: int) -> str:
    """``123450`` → ``"1234.50"``."""
    return f"{fen // 100}.{fen % 100:02d}"


def parse_rate(text) -> Decimal | None:
    """``"0.13"`` → Decimal('0.13'); None unless a fraction 0..1 with at most three decimals."""
    s = str(text or "")
    if not _RATE.fullmatch(s):
        return None
    try:
        return Decimal(s).normalize()
    except InvalidOperation:                      # pragma: no cover - the pattern admits only decimals
        return None


def parse_date(text) -> dt.date | None:
    """``"2020-03-18"`` → date; None unless YYYY-MM-DD and a real day."""
    s = str(text or "")
    if not _DATE.fullmatch(s):
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def tax_of(amount_fen: int, rate: Decimal) -> int:
    """VAT in fen on ``amount_fen`` at ``rate``, rounded half-up to the fen."""
    return int((Decimal(amount_fen) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
