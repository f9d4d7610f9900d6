"""Capital numerals (大写金额): the PBOC examples, and a round trip for any amount."""
from hypothesis import given, strategies as st

from finshare.capture.numerals import amount_in_words, words_to_amount

# the examples of the PBOC rules (DOMAIN.md §4.5), amounts in fen
EXAMPLES = {140950: "壹仟肆佰零玖元伍角", 600714: "陆仟零柒元壹角肆分", 1640902: "壹万陆仟肆佰零玖元零贰分",
            32504: "叁佰贰拾伍元零肆分", 168032: "壹仟陆佰捌拾元叁角贰分", 10700053: "壹拾万柒仟元伍角叁分",
            1000: "壹拾元整", 5: "伍分", 31000: "叁佰壹拾元整", 1234: "壹拾贰元叁角肆分"}


def test_the_pboc_examples():
    for fen, words in EXAMPLES.items():
        assert amount_in_words(fen, unit="元").rstrip("整") == words.rstrip("整"), fen
    assert amount_in_words(31000) == "叁佰壹拾圆整" and amount_in_words(140950, whole="正") == "壹仟肆佰零玖圆伍角正"


def test_both_zero_styles_and_invoice_marks_are_read():
    assert words_to_amount("壹仟陆佰捌拾元零叁角贰分") == words_to_amount("壹仟陆佰捌拾元叁角贰分") == 168032
    assert words_to_amount("壹拾万零柒仟元伍角叁分") == words_to_amount("壹拾万柒仟元零伍角叁分") == 10700053
    assert words_to_amount("⊗叁佰壹拾圆整") == words_to_amount("人民币叁佰壹拾元正") == 31000
    assert words_to_amount("（大写）ⓧ壹佰陆拾陆圆整") is None            # a label is not part of the amount


def test_malformed_words_are_refused():
    for text in ("", "整", "壹仟陆佰捌拾元叁角二分", "两佰元整", "壹佰佰元", "拾元整", "壹分整", "壹佰壹仟元",
                 "壹万万元", "叁佰壹拾"):
        assert words_to_amount(text) is None, text


@given(st.integers(min_value=0, max_value=10 ** 14 - 1), st.sampled_from(["元", "圆"]))
def test_any_amount_reads_back(fen, unit):
    words = amount_in_words(fen, unit=unit)
    assert words_to_amount(words) == fen
    assert set(words) <= set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿角分整" + unit)
