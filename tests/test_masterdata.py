"""Master data: unified codes, references, GB 32100 check characters."""
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from stdnum.cn import uscc as stdnum_uscc

from finshare import FinshareError, MasterData
from finshare.core.uscc import ALPHABET, check_character, uscc_problem


def test_fujian_master_data(fujian):
    md = fujian.master
    assert md["departments"].loc["XM-ADM", "attribute"] == "管理"
    assert md["departments"].loc["XM-MKT", "name_zh"] == "营销部"
    assert md["organisations"].loc["FJ", "kind"] == "legal_entity"
    assert md["suppliers"].loc["S001", "name_zh"] == "瑞幸咖啡"
    assert md["materials"].loc["M001", "account"] == "1403"


def test_bad_master_data_is_refused_with_places():
    with pytest.raises(FinshareError) as info:
        MasterData.from_frames(
            organisations=pd.DataFrame({"code": ["FJ"], "name_zh": ["福建"], "kind": ["法人"],
                                        "uscc": ["91350100M000100Y43"], "currency": ["CNY"]}),
            departments=pd.DataFrame({"code": ["D1", "D1", "D 2"], "name_zh": ["行政部", "营销部", "生产部"],
                                      "org": ["FJ", "FJ", "XX"], "attribute": ["管理", "sales", "后勤"]}),
            suppliers=pd.DataFrame({"code": ["S1"], "name_zh": ["甲"], "uscc": ["91350100M000100Y44"]}),
        )
    got = sorted((p.code, p.source.line, p.source.field) for p in info.value.problems)
    assert got == [("bad-code", 4, "code"), ("bad-uscc", 2, "uscc"), ("bad-value", 4, "attribute"),
                   ("duplicate-code", 3, "code"), ("unknown-reference", 4, "org")]
    text = str(info.value)
    assert "check character is '4' but GB 32100 gives '3'" in text


def test_enum_aliases_are_canonicalised():
    md = MasterData.from_frames(
        organisations=pd.DataFrame({"code": ["FJ"], "name_zh": ["福建"], "kind": ["法人"], "currency": ["CNY"]}),
        departments=pd.DataFrame({"code": ["D1"], "name_zh": ["营销部"], "org": ["FJ"], "attribute": ["sales"]}))
    assert md["departments"].loc["D1", "attribute"] == "销售"
    assert md["organisations"].loc["FJ", "kind"] == "legal_entity"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8),
       st.text(alphabet=ALPHABET, min_size=9, max_size=9))
def test_check_character_agrees_with_python_stdnum(region, body):
    first17 = region + body
    code = first17 + check_character(first17)
    assert uscc_problem(code) is None
    assert stdnum_uscc.is_valid(code)
    wrong = first17 + ALPHABET[(ALPHABET.index(code[-1]) + 1) % 31]
    assert uscc_problem(wrong) is not None and not stdnum_uscc.is_valid(wrong)
