"""Exact money: integer minor units per currency, vectorised.

Amounts are held as ``int64`` counts of the currency's minor unit (fen for
CNY, cents for HKD, dong for VND, whose ISO 4217 exponent is 0). Text is
parsed and printed without passing through floats; conversion between
currencies multiplies by an exact rational rate and rounds half away from
zero ("四舍五入"), once per line.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: ISO 4217 minor-unit exponents of the currencies finshare knows.
EXPONENTS: dict[str, int] = {
    "CNY": 2, "HKD": 2, "USD": 2, "EUR": 2, "GBP": 2, "MOP": 2, "TWD": 2,
    "SGD": 2, "VND": 0, "JPY": 0, "KRW": 0,
}

_INT64_SAFE = 2**62
#: Limits of an exchange rate: more places or a larger rate is a typing error, and
#: ``num`` and ``den`` of the exact fraction must fit int64 (99999999.9999999999 -> ~1e18).
MAX_RATE_PLACES = 10
MAX_RATE = Decimal(10**8)
_AMOUNT_RE = r"^\s*(?P<sign>[+-]?)(?P<whole>\d*)(?:\.(?P<frac>\d*))?\s*$"


def exponent(currency: str) -> int:
    """Minor-unit exponent of ``currency`` (``KeyError`` names the fix)."""
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise KeyError(
            f"unknown currency {currency!r}; known: {', '.join(sorted(EXPONENTS))}"
        ) from None


def exponents(currencies: pd.Series) -> np.ndarray:
    """Exponent per row of a currency column (unknown currencies give -1)."""
    codes, uniques = pd.factorize(currencies)          # a few distinct currencies: look each up once
    table = np.array([EXPONENTS.get(u, -1) if isinstance(u, str) else -1 for u in uniques] + [-1], dtype="int64")
    return table[codes]


def parse_amounts(text: pd.Series, exp: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """Parse decimal text into minor units, exactly and without a row loop.

    Thousands separators (``,``) and surrounding blanks are accepted; so are
    trailing zeros beyond the currency's exponent (``"10000000.00"`` VND).

    Parameters
    ----------
    text : pandas.Series of str
        Amounts as written, e.g. ``"20,000.00"``.
    exp : numpy.ndarray or int
        Minor-unit exponent per row (or one for all rows).

    Returns
    -------
    minor : numpy.ndarray of int64
        Amounts in minor units (0 where invalid).
    bad : numpy.ndarray of bool
        True where the text is not an amount with at most ``exp`` decimals.
    """
    arr = pa.array(np.asarray(text.astype(object).where(text.notna(), ""), dtype=object), type=pa.large_string())
    arr = pc.replace_substring(pc.replace_substring(arr, ",", ""), "，", "")
    parts = pc.extract_regex(arr, _AMOUNT_RE)              # C, not a Python call per row
    n = len(arr)
    exp = np.broadcast_to(np.asarray(exp, dtype="int64"), (n,))
    matched = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    blank = pa.scalar("", pa.large_string())
    sign = pc.fill_null(pc.struct_field(parts, "sign"), blank)
    whole = pc.fill_null(pc.struct_field(parts, "whole"), blank)
    frac = pc.fill_null(pc.struct_field(parts, "frac"), blank)
    frac_kept = pc.utf8_rtrim(frac, characters="0")
    whole_len = pc.utf8_length(whole).to_numpy(zero_copy_only=False)
    bad = (~matched | ((whole_len == 0) & (pc.utf8_length(frac).to_numpy(zero_copy_only=False) == 0))
           | (pc.utf8_length(frac_kept).to_numpy(zero_copy_only=False) > exp) | (exp < 0) | (whole_len > 15))
    whole_v = pc.cast(pc.if_else(pa.array(bad | (whole_len == 0)), pa.scalar("0", pa.large_string()), whole),
                      pa.int64()).to_numpy(zero_copy_only=False)
    width = np.maximum(exp, 0)
    frac_digits = np.zeros(n, dtype="int64")
    for e in np.unique(width):                        # one pass per exponent in the column (two at most)
        rows = (width == e) & ~bad
        if e > 0 and rows.any():
            kept = pc.filter(frac_kept, pa.array(rows))
            digits = pc.utf8_slice_codeunits(pc.utf8_rpad(kept, width=int(e), padding="0"), 0, int(e))
            frac_digits[rows] = pc.cast(digits, pa.int64()).to_numpy(zero_copy_only=False)
    minor = whole_v * (10 ** width) + frac_digits
    minor = np.where(pc.equal(sign, "-").to_numpy(zero_copy_only=False), -minor, minor)
    minor[bad] = 0
    return minor.astype("int64"), np.asarray(bad, dtype=bool)


def format_amounts(minor: np.ndarray | pd.Series, exp: np.ndarray | int) -> np.ndarray:
    """Print minor units as plain decimal text (``2000000, 2 -> "20000.00"``)."""
    return amount_text(minor, exp).to_numpy(zero_copy_only=False)


def amount_text(minor: np.ndarray | pd.Series, exp: np.ndarray | int) -> pa.Array:
    """:func:`format_amounts` as a pyarrow string array (printed in C, no Python string per row)."""
    minor = np.asarray(minor, dtype="int64")
    n = len(minor)
    exp = np.broadcast_to(np.asarray(exp, dtype="int64"), (n,))
    scale = 10 ** exp
    a = np.abs(minor)
    out = pc.cast(pa.array(a // scale), pa.large_string())
    for e in np.unique(exp):
        if e > 0:
            frac = pc.utf8_lpad(pc.cast(pa.array(a % scale), pa.large_string()), width=int(e), padding="0")
            point = pc.binary_join_element_wise(out, frac, pa.scalar(".", pa.large_string()))
            out = pc.if_else(pa.array(exp == e), point, out)
    minus = pc.binary_join_element_wise(pa.scalar("-", pa.large_string()), out, pa.scalar("", pa.large_string()))
    return pc.if_else(pa.array(minor < 0), minus, out)


def display(minor: int, exp: int) -> str:
    """One amount for people: thousands separators and ``exp`` places (``2000000, 2 -> "20,000.00"``).

    Examples
    --------
    >>> display(-123456789, 2), display(5500000, 0)
    ('-1,234,567.89', '5,500,000')
    """
    return f"{to_decimal(minor, exp):,.{int(exp)}f}"


def to_decimal(minor: int, exp: int) -> Decimal:
    """One amount in minor units as a :class:`~decimal.Decimal` with ``exp`` places."""
    return Decimal(int(minor)).scaleb(-int(exp))


def decimals(minor: np.ndarray | pd.Series, exp: np.ndarray | int) -> list[Decimal]:
    """Minor units as Decimals, for display tables (not for hot paths)."""
    minor = np.asarray(minor, dtype="int64")
    exp = np.broadcast_to(np.asarray(exp, dtype="int64"), minor.shape)
    return [Decimal(int(m)).scaleb(-int(e)) for m, e in zip(minor, exp)]


def to_minor(amount: Decimal | int | str, exp: int) -> int:
    """One decimal amount to minor units; raises ``ValueError`` if it has too many places."""
    d = Decimal(str(amount)).scaleb(exp)
    if d != d.to_integral_value():
        raise ValueError(f"{amount} has more than {exp} decimal places")
    return int(d)


def rate_problem(rate: Decimal | str | float) -> tuple[str, str] | None:
    """Why ``rate`` is not an acceptable exchange rate, as ``(中文, English)``, or None.

    A rate is a positive decimal below :data:`MAX_RATE` with at most
    :data:`MAX_RATE_PLACES` decimal places.
    """
    try:
        d = Decimal(str(rate).strip())
    except (InvalidOperation, ValueError):
        return "不是数字", "it is not a number"
    if not d.is_finite():
        return "不是有限的数", "it is not a finite number"
    if d <= 0:
        return "必须大于 0", "it must be greater than 0"
    if d >= MAX_RATE:
        return f"必须小于 {MAX_RATE:,}", f"it must be less than {MAX_RATE:,}"
    if -d.normalize().as_tuple().exponent > MAX_RATE_PLACES:
        return (f"小数位超过 {MAX_RATE_PLACES} 位", f"it has more than {MAX_RATE_PLACES} decimal places")
    return None


def rate_fraction(rate: Decimal | str | float) -> Fraction:
    """An exchange rate as an exact fraction (``"1.10" -> 11/10``).

    Raises
    ------
    ValueError
        When :func:`rate_problem` refuses the rate.
    """
    why = rate_problem(rate)
    if why:
        raise ValueError(f"rate {rate!r}: {why[1]}")
    return Fraction(Decimal(str(rate).strip()))


def convert(
    minor: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    exp_from: np.ndarray | int,
    exp_to: np.ndarray | int,
) -> np.ndarray:
    """Convert minor units with a rational rate, rounding half away from zero.

    ``result = round(minor * num / den * 10**(exp_to - exp_from))``, exact.

    Raises
    ------
    OverflowError
        When a result does not fit the ledger's int64 amounts
        (:func:`convert_checked` reports the rows instead).
    """
    out, over = convert_checked(minor, num, den, exp_from, exp_to)
    if over.any():
        raise OverflowError("converted amount exceeds the int64 range of the ledger")
    return out


def convert_checked(
    minor: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    exp_from: np.ndarray | int,
    exp_to: np.ndarray | int,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`convert`, returning ``(amounts, overflow)`` instead of raising.

    Rows whose operands could overflow int64 are computed with exact Python
    integers; ``overflow`` marks results beyond the ledger's range (their
    amount is 0 and must not be used).
    """
    minor = np.asarray(minor, dtype="int64")
    n = len(minor)
    shift = np.broadcast_to(np.asarray(exp_to, "int64") - np.asarray(exp_from, "int64"), (n,))
    up, down = 10 ** np.maximum(shift, 0), 10 ** np.maximum(-shift, 0)
    num = np.broadcast_to(np.asarray(num, "int64"), (n,))
    den = np.broadcast_to(np.asarray(den, "int64"), (n,))
    a = np.abs(minor)
    bound = a.astype("float64") * num * up * 2 + den.astype("float64") * down * 2
    fast = bound < _INT64_SAFE
    q = np.zeros(n, dtype="int64")
    over = np.zeros(n, dtype=bool)
    f = fast if not fast.all() else slice(None)
    q[f] = (2 * a[f] * num[f] * up[f] + den[f] * down[f]) // (2 * den[f] * down[f])
    slow = np.flatnonzero(~fast)
    if len(slow):  # exact Python integers for the few rows near the limits
        big = [(2 * int(a[i]) * int(num[i]) * int(up[i]) + int(den[i]) * int(down[i]))
               // (2 * int(den[i]) * int(down[i])) for i in slow]
        fits = np.array([v < _INT64_SAFE for v in big], dtype=bool)
        q[slow[fits]] = [v for v, ok in zip(big, fits) if ok]
        over[slow[~fits]] = True
    return np.where(minor < 0, -q, q).astype("int64"), over
