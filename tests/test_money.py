"""Exact money: parsing, printing and conversion in integer minor units."""
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given, strategies as st

from finshare.core import money


def test_parse_amounts():
    text = pd.Series(["20,000.00", "0.05", "-1.5", "10000000.00", "12.345", "abc", "", "7"])
    exp = np.array([2, 2, 2, 0, 2, 2, 2, 0])
    minor, bad = money.parse_amounts(text, exp)
    assert minor[:4].tolist() == [2_000_000, 5, -150, 10_000_000]
    assert bad.tolist() == [False, False, False, False, True, True, True, False]
    assert minor[7] == 7


def test_format_amounts():
    out = money.format_amounts(np.array([2_000_000, 5, -150, 10_000_000]), np.array([2, 2, 2, 0]))
    assert out.tolist() == ["20000.00", "0.05", "-1.50", "10000000"]


def test_convert_half_away_from_zero():
    f = Fraction("1.10")
    got = money.convert(np.array([2_000_000, 5, -5, 15, 1]), f.numerator, f.denominator, 2, 2)
    assert got.tolist() == [2_200_000, 6, -6, 17, 1]          # 5.5 -> 6, -5.5 -> -6, 16.5 -> 17, 1.1 -> 1
    vnd = money.convert(np.array([100]), 3300, 1, 2, 0)          # 1.00 CNY -> 3300 VND
    assert vnd.tolist() == [3300]


def test_convert_large_amounts_take_the_exact_path():
    r = Fraction("3312.123456")
    a = np.array([9_000_000_000_000])                            # 90 billion yuan in fen
    got = money.convert(a, r.numerator, r.denominator, 2, 0)
    exact = (Fraction(int(a[0]), 100) * r)
    assert got[0] == int(exact + Fraction(1, 2))


@given(st.lists(st.integers(-10**13, 10**13), min_size=1, max_size=50), st.sampled_from([0, 2]))
def test_print_then_parse_is_identity(values, exp):
    a = np.array(values, dtype="int64")
    text = pd.Series(money.format_amounts(a, exp))
    back, bad = money.parse_amounts(text, exp)
    assert not bad.any()
    assert back.tolist() == values
    assert [money.to_decimal(v, exp) for v in values] == [Decimal(t) for t in text]


@given(st.integers(-10**12, 10**12), st.decimals("0.0001", "50000", places=4))
def test_convert_matches_decimal_rounding(amount, rate):
    f = Fraction(rate)
    got = money.convert(np.array([amount]), f.numerator, f.denominator, 2, 2)[0]
    want = (Decimal(amount) * rate).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert got == int(want)
