"""Exercises 07 (未达账项 and 调节表) and 08 (应收核销): data, typical mistakes and their feedback, wrong shapes."""
from decimal import Decimal

import pandas as pd
import pytest
from exercise_helpers import teacher_answers
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.core import money
from finshare.exercises import exercise_class, start
from finshare.exercises.plain import round_trip

KINDS = ["企收银未", "企付银未", "银收企未", "银付企未"]


def grade(name, student, **answers):
    return exercise_class(name)(student).grade({k: round_trip(v) for k, v in answers.items()})


def text(report):
    return "\n".join(report.feedback())


# ------------------------------------------------------------------ 07 bank reconciliation
@pytest.fixture(scope="module")
def ex07():
    return start("07-bank-reconciliation", "2023001")


@pytest.fixture(scope="module")
def sol07():
    ns = teacher_answers("07-bank-reconciliation", "2023001")
    return ns["items"], ns["balances"]


def check07(items=None, balances=None):
    return grade("07-bank-reconciliation", "2023001", items=items, balances=balances)


def minor(x):
    return money.to_minor(x, 2)


@settings(max_examples=12, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_month_has_each_kind_and_the_engine_agrees_with_the_truth(student):
    """For any student: 8–13 lines a side, every kind outstanding, the engine's items are the truth's, and
    the balances are the journal's and the statement's own (summed here, not taken from the engine)."""
    ex = start("07-bank-reconciliation", student)
    lines, journal, truth, opening = ex._month
    assert 8 <= len(lines) <= 13 and 8 <= len(journal) <= 13
    t = truth.items(lines, journal, "2020-03")
    want = sorted(zip(t["kind"], t["side"], t["id"].astype(str), t["amount"].abs()))
    got = sorted(zip(ex.expected["kind"], ex.expected["side"], ex.expected["id"], ex.expected["amount"]))
    assert got == want and set(ex.expected["kind"]) == set(KINDS)
    book = opening + sum(minor(d) - minor(c) for d, c in zip(ex.journal["debit"], ex.journal["credit"]))
    assert ex.result.book_balance == book
    assert ex.result.bank_balance == minor(ex.bank_statement["balance"].iloc[-1])
    assert ex.result.adjusted_book == ex.result.adjusted_bank


def test_the_2023001_month(ex07):
    """The items of one student, read off the data by hand: deposits on the 30th and 31st, one cheque, interest
    and a customer's transfer, one bank fee; adjusted: 846,569.33 + 63.47 + 224,100.00 − 61.95."""
    e = ex07.expected
    assert list(zip(e["kind"], e["id"])) == [("企收银未", "记-010"), ("企收银未", "记-011"), ("企付银未", "记-009"),
                                             ("银收企未", "8"), ("银收企未", "10"), ("银付企未", "11")]
    assert ex07.bank_statement.loc[ex07.bank_statement["row"] == 11, "memo"].item() == "手续费 汇划费"
    assert ex07.result.adjusted_book == ex07.result.adjusted_bank == 107_067_085


def test_a_deposit_in_transit_taken_for_a_bank_credit_is_named(sol07):
    items, balances = sol07
    bad = items.copy()
    bad.loc[bad["journal_line"] == "记-010", "kind"] = "银收企未"
    report = check07(bad, balances)
    assert report.result("kind-企收银未").points == 1 and report.result("kind-银收企未").points == 1
    assert report.points == 12
    assert ("journal line 记-010 (03-30 收泉州贸易公司转账支票) was received by the company (journal) and not yet by the bank "
            "(statement) at the month end: it is 企收银未") in text(report)
    assert "not 银收企未" in text(report)
    assert "企收银未: items are missing — look for a receipt the journal records in the last days" in text(report)


def test_an_adjusted_balance_without_the_fee_is_explained_by_the_fee_not_its_figure(ex07, sol07):
    items, balances = sol07
    fee = ex07.bank_statement.loc[ex07.bank_statement["row"] == 11, "paid"].item()
    report = check07(items, {**balances, "adjusted_book": balances["adjusted_book"] + fee})
    assert report.result("adjusted_book").points == 0 and report.points == 12
    feedback = text(report)
    assert "adjusted_book differs from the right adjusted balance by statement row 11 (手续费 汇划费)" in feedback
    assert "the adjusted balances must agree; yours differ by statement row 11 (手续费 汇划费)" in feedback
    assert str(fee) not in feedback


def test_lines_that_are_not_outstanding_and_wrong_amounts(sol07):
    items, balances = sol07
    extra = pd.DataFrame([{"kind": "银收企未", "statement_row": 1, "journal_line": "", "amount": "1.00"},
                          {"kind": "银付企未", "statement_row": 99, "journal_line": "", "amount": "1.00"}])
    wrong = items.copy()
    wrong.loc[wrong["journal_line"] == "记-009", "amount"] = Decimal("1.00")
    report = check07(pd.concat([wrong, extra], ignore_index=True), balances)
    assert [report.result(f"kind-{k}").points for k in KINDS] == [2, 1, 1, 1]
    feedback = text(report)
    assert "statement row 1 (03-04 福州超市连锁) is recorded by both the bank and the company" in feedback
    assert "statement row 99: there is no such statement row" in feedback
    assert "the amount of journal line 记-009 is not the line's" in feedback


def test_a_line_listed_twice_is_a_slip(sol07):
    items, balances = sol07
    twice = pd.concat([items, items[items["kind"] == "银付企未"]], ignore_index=True)
    report = check07(twice, balances)
    assert report.result("kind-银付企未").points == 1 and report.points == 13
    assert "statement row 11 is listed twice" in text(report)


def test_balances_from_the_wrong_starting_point(ex07, sol07):
    items, balances = sol07
    opening = money.to_decimal(ex07.opening, 2)
    wrong_start = {**balances, "book_balance": opening,
                   "adjusted_book": opening + (balances["adjusted_book"] - balances["book_balance"])}
    report = check07(items, wrong_start)
    assert report.result("book_balance").points == 0 and report.result("adjusted_book").points == 1
    assert "book_balance is the balance on 1 March" in text(report)
    assert "adjusted_book: the items are applied right, but to a wrong book_balance" in text(report)
    swapped = {**balances, "book_balance": balances["bank_balance"], "bank_balance": balances["book_balance"]}
    assert "book_balance is the other side's balance" in text(check07(items, swapped))


def test_items_may_be_written_in_chinese_and_lines_by_number(sol07):
    items, balances = sol07
    zh = items.rename(columns={"kind": "种类", "statement_row": "对账单行", "journal_line": "日记账行", "amount": "金额"})
    zh["日记账行"] = zh["日记账行"].str.replace("记-0", "", regex=False)
    zh["种类"] = zh["种类"].replace({"企收银未": "企业已收、银行未收", "银付企未": "bank debit not yet booked"})
    assert check07(zh, balances).points == 14


@pytest.mark.parametrize("items, says", [
    ("企收银未", "items should be a table (a pandas DataFrame), not a str"),
    (pd.DataFrame({"kind": ["企收银未"], "amount": ["1"]}), "lacks the column(s) statement_row / journal_line"),
    (pd.DataFrame({"kind": ["收入"], "statement_row": [1], "journal_line": [""], "amount": ["1"]}),
     "the kind '收入' is not one of the four"),
    (pd.DataFrame({"kind": ["企收银未"], "statement_row": [1], "journal_line": ["记-001"], "amount": ["1"]}),
     "give either the statement row or the journal line"),
    (pd.DataFrame(columns=["kind", "statement_row", "journal_line", "amount"]), "items has no rows yet"),
])
def test_wrong_shapes_of_the_items_get_feedback(items, says):
    report = check07(items=items)
    assert report.points == 0 and says in text(report)


@pytest.mark.parametrize("balances, says", [
    ([1, 2], "balances should be a dict such as"),
    ({"book": "1.00"}, "'book' is not a figure of the 调节表"),
    ({"book_balance": "abc"}, "the book_balance 'abc' is not an amount"),
    ({}, "no book_balance given"),
])
def test_wrong_shapes_of_the_balances_get_feedback(balances, says):
    report = check07(balances=balances)
    assert report.points == 0 and says in text(report)


# ------------------------------------------------------------------ 08 AR clearing
@pytest.fixture(scope="module")
def ex08():
    return start("08-ar-clearing", "2023001")


@pytest.fixture(scope="module")
def sol08():
    ns = teacher_answers("08-ar-clearing", "2023001")
    return ns["clearings"], ns["residual"]


def check08(clearings=None, residual=None):
    return grade("08-ar-clearing", "2023001", clearings=clearings, residual=residual)


def receipt_of(ex, role):
    return ex.truth.loc[ex.truth["role"] == role, "receipt"].iloc[0]


@settings(max_examples=12, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_the_engine_clears_every_receipt_as_the_truth_says(student):
    """For any student: match_receipts clears each receipt automatically exactly as the scenario meant, the fee
    is within the tolerance, the pair's memo names no invoice and the typo's names no existing number."""
    ex = start("08-ar-clearing", student)
    t = ex.truth
    assert sorted(zip(ex.expected["receipt"], ex.expected["invoice"], ex.expected["amount"], ex.expected["fee"])) == \
        sorted(zip(t["receipt"], t["invoice"], t["amount"], t["fee"]))
    memo = ex.receipts.set_index("receipt")["memo"]
    assert memo[receipt_of(ex, "pair")] == "货款"
    typo = memo[receipt_of(ex, "typo")].split()[-1]
    assert typo not in set(ex.invoices["invoice_no"])
    fee = int(t.loc[t["role"] == "fee", "fee"].iloc[0])
    assert 0 < fee <= 5000
    amount = dict(zip(ex.invoices["invoice"], ex.invoices["amount"]))
    received = dict(zip(ex.receipts["receipt"], ex.receipts["amount"]))
    pair = t[t["role"] == "pair"]
    assert sum(amount[i] for i in pair["invoice"]) == received[pair["receipt"].iloc[0]]


def test_the_2023001_customer(ex08):
    """Read off the data by hand: C103 泉州贸易公司; the fee receipt names YS2003004 and is 14.26 short."""
    assert ex08.customer.name == "C103" and ex08.customer["name_zh"] == "泉州贸易公司"
    assert list(ex08.receipts["memo"]) == ["支付发票 FP27710783", "货款 YS2003004", "货款", "部分货款 FP20148169"]
    assert ex08.open_after == {"YS2003001": 0, "YS2003002": 0, "YS2003003": 0, "YS2003004": 0,
                               "YS2003005": 1_568_864, "YS2003006": 7_264_165}


def test_a_fee_left_open_and_a_part_payment_cleared_in_full(ex08, sol08):
    clearings, residual = sol08
    bad = clearings.copy()
    fee_row = bad["receipt"] == receipt_of(ex08, "fee")
    bad.loc[fee_row, "amount"] = bad.loc[fee_row, "amount"] - bad.loc[fee_row, "fee"]
    bad.loc[fee_row, "fee"] = Decimal(0)
    part_row = bad["receipt"] == receipt_of(ex08, "partial")
    bad.loc[part_row, "amount"] = Decimal("34863.64")                      # the invoice in full
    report = check08(bad, residual)
    assert report.points == 10
    feedback = text(report)
    assert "BK040402: the right invoice, but only the money received is cleared, leaving the fee open" in feedback
    assert "BK040404: a part payment clears only what was received; the rest of the invoice stays open" in feedback


def test_a_combined_payment_on_one_invoice_and_the_mistyped_number_taken_literally(ex08, sol08):
    clearings, residual = sol08
    bad = clearings[clearings["invoice"] != "YS2003003"].copy()
    bad.loc[bad["receipt"] == "BK040401", "invoice"] = "FP27710783"     # the memo's number, mistyped
    report = check08(bad, residual)
    assert report.result("receipt-BK040403").points == 0 and report.result("receipt-BK040401").points == 0
    feedback = text(report)
    assert "BK040403 clears the wrong invoice(s): this receipt names no invoice" in feedback
    assert "BK040401: FP27710783 is not an invoice of this customer; the invoice number in the memo has one digit" \
        in feedback
    assert "75404.46" not in feedback and "19440.40" not in feedback


def test_residuals_typical_mistakes(ex08, sol08):
    clearings, _ = sol08
    report = check08(clearings, {"YS2003005": "34863.64", "YS2003004": "14.26"})
    assert [report.result(n).points for n in ("residual-partial", "residual-unpaid", "residual-cleared")] == [0, 0, 0]
    feedback = text(report)
    assert "YS2003005 has received a part payment: what stays open is what is left after it" in feedback
    assert "YS2003006 received no payment: it stays open in full" in feedback
    assert "YS2003004 is cleared in full and has nothing open: the bank fee is the company's cost (6603)" in feedback
    by_number = check08(clearings, {"FP20148169": "15688.64", "fp89108695": "72641.65"})
    assert by_number.points == 12
    assert "that is the part received" in text(check08(clearings, {"YS2003005": "19175.00", "YS2003006": "72641.65"}))


@pytest.mark.parametrize("clearings, says", [
    ({"BK040401": "YS2003002"}, "clearings should be a table (a pandas DataFrame), not a dict"),
    (pd.DataFrame({"receipt": ["BK040401"], "invoice": ["YS2003002"]}), "lacks the column(s) amount"),
    (pd.DataFrame({"receipt": ["BK040401"], "invoice": ["YS2003002"], "amount": ["-1"]}),
     "row 1: the amount or fee is not an amount"),
    (pd.DataFrame({"receipt": ["BK999"], "invoice": ["YS2003002"], "amount": ["1"]}),
     "BK999 is not one of the receipts"),
])
def test_wrong_shapes_of_the_clearings_get_feedback(clearings, says):
    report = check08(clearings=clearings)
    assert report.points == 0 and says in text(report)


@pytest.mark.parametrize("residual, says", [
    ("0", "residual should be a dict such as"),
    ({"YS9": "1.00"}, "'YS9' is not an invoice of this customer"),
    ({"YS2003005": "x"}, "the open amount of YS2003005, 'x', is not an amount"),
])
def test_wrong_shapes_of_the_residual_get_feedback(residual, says):
    assert says in text(check08(residual=residual))
