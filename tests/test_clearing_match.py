"""Receivable clearing rules on a hand-sized case worked by hand, and on the generated scenario's ground truth."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.core.problems import FinshareError
from finshare.reconcile.banklines import conform as bank_lines
from finshare.reconcile.clearing import (ar_scenario, learn_aliases, load_rules, match_receipts,
                                         receipts_from_bank_lines, scorecard)
from finshare.reconcile.clearing.aliases import read_aliases, write_aliases

CUSTOMERS = pd.DataFrame({"code": ["C1", "C2", "C3"], "name_zh": ["华南贸易有限公司", "厦门建材有限公司", "泉州食品有限公司"],
                          "name_en": ["South China Trading", "Xiamen Building", "Quanzhou Foods"]})
INVOICES = pd.DataFrame({
    "invoice": [f"YS000000{k}" for k in range(1, 7)], "invoice_no": ["FP20201001", "", "", "", "", ""],
    "customer": ["C1", "C1", "C1", "C2", "C3", "C3"], "org": "XM",
    "date": pd.to_datetime(["2020-03-01", "2020-03-02", "2020-03-03", "2020-03-04", "2020-03-05", "2020-03-06"]),
    "currency": "CNY", "amount": [1_000_000, 250_000, 150_000, 800_000, 800_000, 300_000]})
# bank statement rows: counterparty, memo, amount in fen
STATEMENT = [("华南贸易有限公司", "货款 FP20201001", 1_000_000),        # the invoice number in the memo
             ("华南贸易有限公司", "payment", 400_000),                # 2,500.00 + 1,500.00 together
             ("陈老板", "", 798_500),                              # the owner's card (a learned alias), 15.00 fee
             ("泉州食品有限公司", "货款 YS000005", 500_000),          # a typo (one 0 dropped), part of YS0000005
             ("泉州食品有限公司", "payment", 300_000)]               # 3,000.00: YS0000005's rest or YS0000006


def _receipts():
    frame = pd.DataFrame({"row": range(1, 6), "date": pd.date_range("2020-03-20", periods=5),
                          "counterparty": [s[0] for s in STATEMENT], "memo": [s[1] for s in STATEMENT],
                          "amount": [s[2] for s in STATEMENT], "currency": "CNY"})
    return receipts_from_bank_lines(bank_lines(frame, account_no="ACC"), org="XM", bank_account="B001")


def test_the_hand_case_clears_as_worked_by_hand():
    aliases = learn_aliases(pd.DataFrame({"payer": ["陈老板", "华南贸易有限公司"], "customer": ["C2", "C1"]}), CUSTOMERS)
    assert aliases.to_dict("records") == [{"payer": "陈老板", "customer": "C2"}]     # a master name is no alias
    m = match_receipts(INVOICES, _receipts(), CUSTOMERS, aliases)
    got = m.clearings[["receipt", "invoice", "amount", "fee", "rule", "status"]].to_dict("records")
    assert got == [
        {"receipt": "ACC#1", "invoice": "YS0000001", "amount": 1_000_000, "fee": 0, "rule": "reference", "status": "auto"},
        {"receipt": "ACC#2", "invoice": "YS0000002", "amount": 250_000, "fee": 0, "rule": "subset_sum", "status": "auto"},
        {"receipt": "ACC#2", "invoice": "YS0000003", "amount": 150_000, "fee": 0, "rule": "subset_sum", "status": "auto"},
        {"receipt": "ACC#3", "invoice": "YS0000004", "amount": 800_000, "fee": 1_500, "rule": "customer_tolerance",
         "status": "auto"},
        {"receipt": "ACC#4", "invoice": "YS0000005", "amount": 500_000, "fee": 0, "rule": "reference_fuzzy+partial",
         "status": "auto"},
        {"receipt": "ACC#5", "invoice": "YS0000005", "amount": 300_000, "fee": 0, "rule": "customer_amount",
         "status": "proposed"}]
    assert m.unmatched.empty
    assert m.clearings.loc[0, "agreed"] == "reference,customer,amount"


def test_without_the_alias_the_owner_card_is_unmatched_and_says_why():
    m = match_receipts(INVOICES, _receipts(), CUSTOMERS)
    assert "ACC#3" not in set(m.clearings["receipt"])
    [reason] = m.unmatched.loc[m.unmatched["receipt"] == "ACC#3", "reason"]
    assert reason.startswith("付款人 '陈老板' 不是已知客户") and "payer '陈老板' is no known customer" in reason


def test_a_customer_with_too_many_open_invoices_gets_no_subset_search():
    many = pd.DataFrame({"invoice": [f"YS01{k:05d}" for k in range(13)], "customer": "C1", "org": "XM",
                         "date": pd.Timestamp("2020-03-01"), "currency": "CNY", "amount": 100_000 + np.arange(13)})
    rec = _receipts().iloc[[1]].assign(amount=200_001)                 # 100,000 + 100,001: two of thirteen
    m = match_receipts(many, rec, CUSTOMERS, rules=load_rules())
    assert m.clearings.empty
    assert "13 open invoices, more than the 12 a subset search takes" in m.unmatched["reason"].iloc[0]


def test_fee_limit_is_the_larger_of_the_fixed_fee_and_half_a_percent_half_up():
    rules = load_rules()
    got = rules.fee_limit(np.array([100_000, 2_000_000, 2_000_100, 2_000_099]), np.array(["CNY"] * 4))
    assert got.tolist() == [5_000, 10_000, 10_001, 10_000]             # 10,000.50 → 10,001 (half up); 10,000.495 → 10,000


def test_a_case_rules_file_overrides_and_unknown_keys_are_refused(tmp_path):
    (tmp_path / "reconcile").mkdir()
    (tmp_path / "reconcile" / "clearing.yaml").write_text("subset_max_open: 8\norder: [reference]\n", encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.subset_max_open == 8 and rules.order == ("reference",) and rules.fee_percent == "0.5000"
    (tmp_path / "reconcile" / "clearing.yaml").write_text("order: [reference, guess]\n", encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        load_rules(tmp_path)
    assert "unknown rules guess" in str(err.value) and "clearing.yaml" in str(err.value)


def test_the_alias_table_round_trips_through_the_case_folder(tmp_path):
    aliases = pd.DataFrame({"payer": ["陈老板"], "customer": ["C2"]})
    path = write_aliases(aliases, tmp_path)
    assert path == tmp_path / "reconcile" / "aliases.csv"
    assert read_aliases(tmp_path).to_dict("records") == [{"payer": "陈老板", "customer": "C2"}]


# ------------------------------------------------------------------ the generated scenario
@pytest.fixture(scope="module")
def scenario():
    customers, invoices, receipts, truth = ar_scenario(7, 6000)
    aliases = learn_aliases(truth.attrs["history"], customers)
    return invoices, receipts, truth, match_receipts(invoices, receipts, customers, aliases)


def test_scenario_targets_precision_and_coverage(scenario):
    _, _, truth, m = scenario
    card = scorecard(m.clearings, truth)
    assert card["auto_precision"] >= 0.999
    assert card["auto_coverage"] >= 0.90
    assert card["all_coverage"] >= 0.97


def test_scenario_nothing_is_matched_twice_and_cleared_invoices_sum_to_their_amount(scenario):
    invoices, receipts, truth, m = scenario
    _invariants(invoices, receipts, m.clearings)
    full = m.clearings[~m.clearings["rule"].str.endswith("partial")]
    sums = m.clearings.groupby("invoice")["amount"].sum()
    amount = invoices.set_index("invoice")["amount"]
    # an invoice cleared by a full rule is cleared to the fen, whatever partial payments came first
    assert (sums[full["invoice"].unique()] == amount[full["invoice"].unique()]).all()


def test_the_scenario_is_deterministic_and_has_every_kind():
    a, b = ar_scenario(3, 400), ar_scenario(3, 400)
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y)
    truth = a[3]
    assert set(truth["kind"]) == {"reference", "typo", "plain", "combined", "partial", "fee"}
    assert set(truth["payer_kind"]) == {"master", "alias", "variant", "english", "owner"}
    amounts = a[1].groupby("amount")["customer"].nunique()
    assert (amounts > 1).any()                                          # an amount alone is ambiguous


def _invariants(invoices, receipts, clearings):
    c = clearings
    assert not c.duplicated(["receipt", "invoice"]).any()
    assert (c.groupby("receipt")["rule"].nunique() == 1).all()          # one rule per receipt
    taken = c.groupby("invoice")["amount"].sum()
    assert (taken <= invoices.set_index("invoice")["amount"].reindex(taken.index)).all()
    money = (c["amount"] - c["fee"] + c["advance"]).groupby(c["receipt"]).sum()
    assert (money == receipts.set_index("receipt")["amount"].reindex(money.index)).all()   # each fen of a receipt


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(5, 300))
def test_invariants_hold_for_any_scenario(seed, n):
    customers, invoices, receipts, truth = ar_scenario(seed, n)
    m = match_receipts(invoices, receipts, customers, learn_aliases(truth.attrs["history"], customers))
    _invariants(invoices, receipts, m.clearings)
    assert set(m.clearings["receipt"]).isdisjoint(m.unmatched["receipt"])
    assert len(set(m.clearings["receipt"]) | set(m.unmatched["receipt"])) == len(receipts)


def test_readme_documents_the_clearing_tables_from_their_schemas():
    from pathlib import Path
    from finshare.reconcile.clearing.tables import CLEARING_COLUMNS, OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, markdown_table
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert all(markdown_table(t) in readme for t in (OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, CLEARING_COLUMNS))
    assert "finshare reconcile ar" in readme


def test_an_overpayment_naming_its_invoice_goes_to_advances_and_a_stray_amount_says_why():
    rec = _receipts().iloc[[0, 1]].assign(amount=[1_020_000, 123_456], memo=["货款 FP20201001", "payment"])
    m = match_receipts(INVOICES, rec, CUSTOMERS)
    assert m.clearings[["invoice", "amount", "advance", "rule"]].to_dict("records") == [
        {"invoice": "YS0000001", "amount": 1_000_000, "advance": 20_000, "rule": "reference+advance"}]
    assert m.unmatched["reason"].tolist() == ["金额 1234.56 与客户 C1 的任何未核销发票、组合或手续费容差都不符 / amount 1234.56 "
                                              "fits no open invoice, combination or fee tolerance of customer C1"]
