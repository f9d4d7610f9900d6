"""The Fujian case posted: the exact vouchers of CG001-CG003 in each of the four books."""
from decimal import Decimal

import pandas as pd
import pytest

import finshare
from finshare.core.balances import ties_out

D = Decimal


def entries(ledger, book, kind="business"):
    j = ledger.journal(book, kind)
    return {(r.source_no, r.account, r.debit, r.credit, r.supplier, r.department) for r in j.itertuples()}


@pytest.fixture
def posted(fujian):
    ledger = finshare.Ledger(fujian)
    result = ledger.post()
    return ledger, result


@pytest.mark.parametrize("book", ["FJ-CAS", "CN-MGT"])
def test_cny_books_get_the_three_vouchers(posted, book):
    ledger, _ = posted
    assert entries(ledger, book) == {
        ("CG001", "1403", D("20000.00"), D("0.00"), "", ""),
        ("CG001", "220202", D("0.00"), D("20000.00"), "S001", ""),
        ("CG002", "6602", D("10000.00"), D("0.00"), "", "XM-ADM"),
        ("CG002", "220202", D("0.00"), D("10000.00"), "S002", ""),
        ("CG003", "6601", D("5000.00"), D("0.00"), "", "XM-MKT"),
        ("CG003", "220202", D("0.00"), D("5000.00"), "S003", ""),
    }
    j = ledger.journal(book, "business")
    assert set(j["currency"]) == {"CNY"}
    assert j.loc[j["account"] == "220202", "account_name"].unique().tolist() == ["应付账款—暂估应付款"]
    assert list(j.drop_duplicates("voucher_no")["voucher_no"]) == ["记-0001", "记-0002", "记-0003"]


def test_hkfrs_book_in_hkd_with_cny_as_original(posted):
    ledger, _ = posted
    j = ledger.journal("FJ-HKFRS", "business")
    got = {(r.source_no, r.account, r.debit, r.credit, r.amount_orig, r.currency_orig) for r in j.itertuples()}
    assert got == {
        ("CG001", "1310", D("22000.00"), D("0.00"), D("20000.00"), "CNY"),
        ("CG001", "2120", D("0.00"), D("22000.00"), D("20000.00"), "CNY"),
        ("CG002", "6200", D("11000.00"), D("0.00"), D("10000.00"), "CNY"),   # administrative expenses
        ("CG002", "2120", D("0.00"), D("11000.00"), D("10000.00"), "CNY"),
        ("CG003", "6100", D("5500.00"), D("0.00"), D("5000.00"), "CNY"),     # selling and distribution
        ("CG003", "2120", D("0.00"), D("5500.00"), D("5000.00"), "CNY"),
    }
    assert set(j["currency"]) == {"HKD"}
    names = dict(zip(j["account"], ledger.journal("FJ-HKFRS", "business", lang="en")["account_name"]))
    assert names["6100"] == "Selling and distribution expenses"
    assert names["6200"] == "Administrative expenses"


def test_vietnam_book_receives_nothing(posted):
    ledger, result = posted
    assert ledger.lines("VN-MGT", None).empty
    assert set(result.business["book"]) == {"CN-MGT", "FJ-CAS", "FJ-HKFRS"}
    assert result.documents == 3
    assert result.vouchers("business") == 9


def test_gl_one_to_one_and_summarised(posted):
    ledger, _ = posted
    cn = ledger.journal("CN-MGT", "gl")          # one_to_one
    assert cn["voucher_no"].nunique() == 3
    cas = ledger.journal("FJ-CAS", "gl")         # summarised per day and voucher word
    assert cas["voucher_no"].nunique() == 2
    day10 = cas[cas["voucher_no"] == "记-0002"]
    assert sorted(zip(day10["account"], day10["debit"], day10["credit"], day10["supplier"])) == [
        ("220202", D("0.00"), D("5000.00"), "S003"),
        ("220202", D("0.00"), D("10000.00"), "S002"),
        ("6601", D("5000.00"), D("0.00"), ""),
        ("6602", D("10000.00"), D("0.00"), ""),
    ]


def test_trial_balances_tie_out(posted):
    ledger, _ = posted
    tb = ledger.trial_balance("FJ-CAS", "2020-03", exact=True)
    assert ties_out(tb)
    row = tb.set_index("account")
    assert row.at["2202", "closing_credit"] == 3_500_000          # 35,000.00 in fen
    assert row.at["220202", "credit"] == 3_500_000
    assert row.at["1403", "closing_debit"] == 2_000_000
    hk = ledger.trial_balance("FJ-HKFRS", "2020-03", exact=True).set_index("account")
    assert hk.at["2100", "closing_credit"] == 3_850_000           # HK$38,500.00
    assert hk.at["", "debit"] == hk.at["", "credit"] == 3_850_000


def test_posting_twice_adds_nothing(posted):
    ledger, _ = posted
    before = ledger.lines(None, None)
    again = ledger.post()
    assert again.documents == 0
    pd.testing.assert_frame_equal(before, ledger.lines(None, None))


def test_changing_a_line_condition_changes_the_vouchers(fujian):
    """The student's experiment: make 营销部 count as administration."""
    tpl = fujian.templates["PR"]
    dt = fujian.doctypes["purchase_receipt"]
    tpl = tpl.replace_condition("EXP", "1", '部门属性 in ("管理", "销售")', dt)
    tpl = tpl.replace_condition("EXP", "2", '部门属性 == "研发"', dt)
    fujian.templates["PR"] = tpl
    ledger = finshare.Ledger(fujian)
    ledger.post()
    j = ledger.journal("FJ-CAS", "business")
    cg003 = j[j["source_no"] == "CG003"]
    assert set(cg003["account"]) == {"6602", "220202"}


def test_why_explains_class_and_lines(fujian):
    ex = finshare.why(fujian, "CG002", "FJ-HKFRS")
    assert ex.business_class == "EXP 费用采购"
    assert [c.result for c in ex.lines] == [True, False, True]
    text = ex.text()
    assert "部门属性='管理'" in text
    assert "6200" in text and "11,000.00 HKD" in text
    reaches, _, lines = ex.books["FJ-HKFRS"]
    assert reaches and list(lines["debit"]) == [1_100_000, 0]
    vn = finshare.why(fujian, "CG002", "VN-MGT")
    assert vn.books["VN-MGT"][0] is False


def test_approving_posts_through_the_scheme(fujian):
    docs = fujian.documents["purchase_receipt"]
    docs.header.loc["CG003", "status"] = "draft"
    ledger = finshare.Ledger(fujian)
    first = ledger.post()
    assert set(first.business["source_no"]) == {"CG001", "CG002"}
    result = ledger.approve("CG003")
    assert result is not None and set(result.business["source_no"]) == {"CG003"}
    assert docs.header.at["CG003", "status"] == "approved"
    # numbering continues without gaps
    cas = ledger.journal("FJ-CAS", "business")
    assert list(cas.drop_duplicates("voucher_no")["voucher_no"]) == ["记-0001", "记-0002", "记-0003"]


def test_reversal_red_ink_then_repost(fujian):
    ledger = finshare.Ledger(fujian)
    ledger.post()
    rev = ledger.reverse("FJ-CAS", "记-0002", "2020-03", reason="部门错误")
    lines = rev.business
    assert list(lines["debit"]) == [-1_000_000, 0] and list(lines["credit"]) == [0, -1_000_000]
    assert set(lines["reverses"]) == {"2020-03/记-0002"}
    assert lines["voucher_no"].iloc[0] == "记-0004"
    tb = ledger.trial_balance("FJ-CAS", exact=True).set_index("account")
    assert "6602" not in tb.index                          # reversed to zero
    again = ledger.post()                                  # the document can be posted again
    assert set(again.business["source_no"]) == {"CG002"}
    with pytest.raises(finshare.FinshareError, match="already-reversed"):
        ledger.reverse("FJ-CAS", "记-0002", "2020-03")


def test_store_round_trip_on_a_sqlite_file(fujian, tmp_path):
    path = tmp_path / "ledger.sqlite"
    ledger = finshare.Ledger(fujian, path)
    ledger.post()
    before = ledger.lines(None, None)
    reopened = finshare.Ledger(finshare.load_case(fujian.path), path)
    pd.testing.assert_frame_equal(before, reopened.lines(None, None))
    assert reopened.post().documents == 0


def test_lineage_graph(fujian):
    ledger = finshare.Ledger(fujian)
    ledger.post()
    g = ledger.lineage()
    from finshare.core.lineage import documents_of, produced_by
    gl = ledger.lines("FJ-CAS", "gl")
    line = gl[(gl["account"] == "6601")]["line_id"].iloc[0]
    assert documents_of(g, line) == {("purchase_receipt", "CG003")}
    made = produced_by(g, "purchase_receipt", "CG002")
    assert {n.split("/")[0] for n in made["business"]} == {"CN-MGT", "FJ-CAS", "FJ-HKFRS"}
    assert len(made["gl"]) == 3
