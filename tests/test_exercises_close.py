"""Exercises 05 (结转损益) and 06 (资产负债表项目): data, typical mistakes and their feedback, wrong shapes."""
from decimal import Decimal

import pandas as pd
import pytest
from exercise_helpers import teacher_answers
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.core import money
from finshare.exercises import exercise_class, start
from finshare.exercises.plain import round_trip

PL = ["6001", "6051", "6401", "6402", "6601", "6602", "6603", "6711"]


def grade(name, student, **answers):
    return exercise_class(name)(student).grade({k: round_trip(v) for k, v in answers.items()})


def text(report):
    return "\n".join(report.feedback())


# ------------------------------------------------------------------ 05 carry-forward
@pytest.fixture(scope="module")
def ex05():
    return start("05-carry-forward", "2023001")


@pytest.fixture(scope="module")
def entry(ex05):
    return teacher_answers("05-carry-forward", "2023001")["carry_entry"]


def month_balance(journal: pd.DataFrame) -> dict:
    """Per P&L account: the month's debit-positive balance in fen, from the journal as a student reads it."""
    net = {}
    for account, debit, credit in zip(journal["account"], journal["debit"], journal["credit"]):
        net[account] = net.get(account, 0) + money.to_minor(debit, 2) - money.to_minor(credit, 2)
    return {a: net[a] for a in PL}


def check05(frame, student="2023001"):
    return grade("05-carry-forward", student, carry_entry=frame)


def test_the_month_moves_every_pl_account_and_each_voucher_balances(ex05):
    journal = ex05.journal
    assert journal["voucher_no"].nunique() == 16
    sums = journal.groupby("voucher_no")[["debit", "credit"]].sum()
    assert (sums["debit"] == sums["credit"]).all()
    balance = month_balance(journal)
    assert all(balance[a] != 0 for a in PL)
    assert balance["6001"] < 0 and balance["6401"] > 0           # revenue credit, cost of sales debit
    assert set(journal.loc[journal["account"] == "6602", "department"]) == {"XM-ADM", "XM-PUR"}


@settings(max_examples=6, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_the_engine_carries_what_the_journal_says(student):
    """For any student every P&L account moves, and the engine empties each into 4103 (summed from the journal)."""
    ex = start("05-carry-forward", student)
    balance = month_balance(ex.journal)
    cf = ex.expected.groupby("account")["net"].sum()
    assert all(balance[a] != 0 for a in PL)
    assert {a: -int(cf[a]) for a in PL} == balance
    assert int(cf["4103"]) == sum(balance.values())
    assert set(cf.index) == {*PL, "4103"}


def test_a_reversed_entry_doubles_every_balance(entry):
    bad = entry.copy()
    bad[["debit", "credit"]] = bad[["credit", "debit"]].to_numpy()
    report = check05(bad)
    assert report.points == 2                                     # balanced, only P&L accounts
    assert ("6602 管理费用 Administrative expenses: the carry-forward is on the same side as its balance, so it doubles "
            "the balance instead of emptying it") in text(report)
    assert "4103 is on the wrong side: a profit is credited to 本年利润, a loss debited" in text(report)


def test_an_account_left_out_is_named_with_its_side_not_its_amount(ex05, entry):
    bad = entry[entry["account"] != "6602"]
    report = check05(bad)
    assert report.result("emptied-6602").points == 0 and report.result("profit").points == 2
    assert report.result("balanced").points == 0 and report.points == 10
    assert "the voucher does not balance: debits" in text(report)
    assert ("6602 管理费用 Administrative expenses is not emptied: its balance is on the debit side, so the "
            "carry-forward credits it") in text(report)
    owed = money.display(month_balance(ex05.journal)["6602"], 2)
    assert owed not in text(report) and owed.replace(",", "") not in text(report)


def test_a_credit_balance_on_an_expense_account_is_debited():
    for student in (f"s{i}" for i in range(40)):
        ex = start("05-carry-forward", student)
        if month_balance(ex.journal)["6603"] < 0:                # interest income above the bank charges
            break
    else:
        pytest.fail("no student with a credit balance on 6603 among 40")
    entry = teacher_answers("05-carry-forward", student)["carry_entry"]
    report = check05(entry[entry["account"] != "6603"], student)
    assert ("6603 财务费用 Financial expenses is not emptied: its balance is on the credit side, so the carry-forward "
            "debits it") in text(report)


def test_one_sided_sums_and_one_department_are_named(ex05, entry):
    journal = ex05.journal
    credits = journal.loc[journal["account"] == "6001", "credit"].sum()
    admin = journal.loc[(journal["account"] == "6602") & (journal["department"] == "XM-ADM"), "debit"].sum()
    bad = entry.astype(object).copy()
    bad.loc[bad["account"] == "6001", "debit"] = credits
    bad.loc[bad["account"] == "6602", "credit"] = admin
    feedback = text(check05(bad))
    assert "6001 主营业务收入 Main operating revenue: the amount carried" in feedback
    assert "only the credit lines were added up: the month's debit lines on it reduce the balance" in feedback
    assert "only one department's balance was carried: it is kept per department" in feedback


def test_4103_that_offsets_wrong_lines_gets_part_credit(entry):
    bad = entry.astype(object).copy()
    wrong = Decimal(bad.loc[bad["account"] == "6602", "credit"].iloc[0]) + Decimal("100.00")
    bad.loc[bad["account"] == "6602", "credit"] = wrong
    four = bad["account"] == "4103"
    side = "debit" if Decimal(bad.loc[four, "debit"].iloc[0]) else "credit"
    bad.loc[four, side] = Decimal(bad.loc[four, side].iloc[0]) + (Decimal("100.00") if side == "debit" else
                                                                  Decimal("-100.00"))
    report = check05(bad)
    assert report.result("profit").points == 1 and report.result("balanced").points == 1
    assert "4103 offsets your profit-and-loss lines, but they do not empty every" in text(report)


def test_other_accounts_are_refused_by_kind(entry):
    extra = pd.DataFrame([{"account": "1002", "debit": "5.00", "credit": 0}, {"account": "6403", "debit": 0,
                                                                              "credit": "5.00"},
                          {"account": "9999", "debit": "1.00", "credit": ""},
                          {"account": "6602", "debit": "1.00", "credit": "1.00"}])
    report = check05(pd.concat([entry, extra], ignore_index=True))
    feedback = text(report)
    assert report.result("only-pl").points == 0
    assert "1002 银行存款 Bank deposits is not a profit-and-loss account" in feedback
    assert "6403 税金及附加 Taxes and surcharges has no balance this month" in feedback
    assert "account 9999 is not in the CAS chart" in feedback
    assert "row 13: it has both a debit and a credit amount" in feedback   # the teacher's 9 lines, then these


@pytest.mark.parametrize("answer, says", [
    ("6602 100", "carry_entry should be a table (a pandas DataFrame), not a str"),
    (pd.DataFrame({"account": ["6602"], "debit": ["1"]}), "lacks the column(s) credit"),
    (pd.DataFrame(columns=["account", "debit", "credit"]), "has no rows yet"),
])
def test_wrong_shapes_of_the_entry_get_feedback(answer, says):
    report = check05(answer)
    assert report.points == 0 and says in text(report)


def test_an_entry_touching_no_pl_account_earns_nothing():
    report = check05(pd.DataFrame([{"account": "1002", "debit": "1.00", "credit": ""},
                                   {"account": "2241", "debit": "", "credit": "1.00"}]))
    assert report.points == 0
    assert "the voucher carries no profit-and-loss account" in text(report)


# --------------------------------------------------------------- 06 balance sheet
def trial_balance_net(ex) -> pd.DataFrame:
    tb = ex.trial_balance
    return tb.assign(net=[money.to_minor(d, 2) - money.to_minor(c, 2) for d, c in zip(tb["debit"], tb["credit"])])


def netted(tb: pd.DataFrame, prefix: str) -> int:
    """An account's balance without regrouping (what a student who skips 重分类 writes), debit-positive."""
    return int(tb.loc[tb["account"].str.startswith(prefix), "net"].sum())


@pytest.fixture(scope="module")
def ex06():
    return start("06-balance-sheet-lines", "2023001")


@pytest.fixture(scope="module")
def bs(ex06):
    return teacher_answers("06-balance-sheet-lines", "2023001")["bs_lines"]


def check06(answer):
    return grade("06-balance-sheet-lines", "2023001", bs_lines=answer)


def yuan(minor):
    return money.to_decimal(minor, 2)


def test_the_trial_balance_balances_and_has_balances_to_regroup(ex06):
    tb = trial_balance_net(ex06)
    assert tb["net"].sum() == 0
    by_party = tb.groupby(["account", "counterparty"])["net"].sum()
    assert (by_party.loc["1122"] < 0).sum() == 1 and (by_party.loc["1122"] > 0).sum() == 3
    assert (by_party.loc["2203"] > 0).sum() == 1 and (by_party.loc["220201"] > 0).sum() == 1
    assert netted(tb, "222101") > 0 and netted(tb, "222102") < 0   # VAT to be credited beside VAT unpaid


def test_a_trial_balance_netted_without_regrouping_is_named(ex06, bs):
    tb = trial_balance_net(ex06)
    naive = {**bs, "BS06": yuan(netted(tb, "1122") + netted(tb, "1231")), "BS42": yuan(-netted(tb, "2202")),
             "BS46": yuan(-netted(tb, "2221"))}
    report = check06(naive)
    assert report.points == 14
    feedback = text(report)
    assert ("应收账款 Accounts receivable is taken per customer: a customer whose 1122 Accounts receivable balance is on "
            "the other side belongs to another line (regrouping)") in feedback
    assert "Accounts payable is taken per supplier: a supplier whose 2202 Accounts payable balance" in feedback
    assert ("Taxes payable is taken per sub-account of 2221 Taxes payable: a sub-account whose balance is on the other "
            "side (such as VAT with a debit balance) belongs to another line") in feedback


def test_left_out_and_unsubtracted_accounts_are_named_not_the_figure(ex06, bs):
    tb = trial_balance_net(ex06)
    wrong = {**bs, "BS10": Decimal(bs["BS10"]) - yuan(netted(tb, "5101")), "BS24": yuan(netted(tb, "1601")),
             "BS71": yuan(-netted(tb, "4103") - netted(tb, "4104"))}
    feedback = text(check06(wrong))
    assert "存货 还包括 5101 制造费用 / 存货 Inventories also includes 5101 Manufacturing overhead" in feedback
    assert "Property plant and equipment is stated net of 1602 Accumulated depreciation (subtract it)" in feedback
    assert ("Retained earnings also includes the balances of profit-and-loss accounts not yet carried "
            "forward") in feedback
    for code in ("BS10", "BS24", "BS71"):
        assert str(Decimal(bs[code]).quantize(Decimal("0.01"))) not in feedback
        assert money.display(money.to_minor(bs[code], 2), 2) not in feedback


def test_a_liability_written_negative_is_a_sign_error(bs):
    report = check06({**bs, "BS42": -Decimal(bs["BS42"])})
    assert report.result("line-BS42").points == 0 and report.points == 18
    assert "应付账款 Accounts payable: the sign is reversed" in text(report)


def test_lines_may_be_named_in_chinese(bs):
    named = {"货币资金" if k == "BS02" else k: v for k, v in bs.items()}
    assert check06(named).points == 20


@pytest.mark.parametrize("answer, says", [
    ([1, 2], "bs_lines should be a dict such as {\"BS02\": \"123.45\"}, not a list"),
    ({"BS02": "abc"}, "the amount of BS02, 'abc', is not an amount in yuan"),
    ({"BS99": "1.00"}, "'BS99' is not one of the lines asked"),
    ({"BS02": "1.005"}, "the amount of BS02, '1.005', is not an amount"),
    ({}, "no amount for BS06 Accounts receivable"),
])
def test_wrong_shapes_of_the_lines_get_feedback(answer, says):
    report = check06(answer)
    assert report.points == 0 and says in text(report)


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_student_must_regroup(student):
    """For any student id the trial balance balances and netting without regrouping is wrong on every such line."""
    ex = start("06-balance-sheet-lines", student)
    tb = trial_balance_net(ex)
    assert tb["net"].sum() == 0
    want = ex.expected
    assert want["BS06"] != netted(tb, "1122") + netted(tb, "1231")
    assert want["BS43"] != -netted(tb, "2203") and want["BS08"] != netted(tb, "1123")
    assert want["BS42"] != -netted(tb, "2202") and want["BS46"] != -netted(tb, "2221")
