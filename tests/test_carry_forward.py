"""结转损益: a period's profit and loss emptied into 本年利润 (CAS) or retained earnings (HKFRS), once."""
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import finshare
from finshare.close.carry import carry_forward

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"


@pytest.fixture
def ledger(tmp_path):
    shutil.copytree(FUJIAN, tmp_path / "case", ignore=shutil.ignore_patterns("ledger.sqlite*"))
    with finshare.Ledger(finshare.load_case(tmp_path / "case"), tmp_path / "case" / "ledger.sqlite") as led:
        led.post()
        yield led


def lines(result):
    b = result.business
    return list(zip(b["voucher_no"], b["account"], b["debit"], b["credit"], b["org"], b["department"]))


def test_the_cas_book_carries_march_into_4103_per_department(ledger):
    result, skipped = carry_forward(ledger, "FJ-CAS", "2020-03")
    assert skipped == [] and lines(result) == [
        ("转-0001", "6601", 0, 500000, "XM", "XM-MKT"), ("转-0001", "6602", 0, 1000000, "XM", "XM-ADM"),
        ("转-0001", "4103", 1500000, 0, "XM", "")]
    assert set(result.business["date"].astype(str)) == {"2020-03-31"}
    tb = ledger.trial_balance("FJ-CAS", "2020-03").set_index("account")
    assert (tb.loc["6601", "closing_debit"], tb.loc["6602", "closing_debit"]) == (Decimal("0.00"), Decimal("0.00"))
    assert tb.loc["4103", "closing_debit"] == Decimal("15000.00")


def test_the_hkfrs_book_carries_into_retained_earnings(ledger):
    result, _ = carry_forward(ledger, "FJ-HKFRS", "2020-03")
    assert lines(result) == [("转-0001", "6100", 0, 550000, "XM", "XM-MKT"),
                             ("转-0001", "6200", 0, 1100000, "XM", "XM-ADM"), ("转-0001", "3200", 1650000, 0, "XM", "")]


def test_carrying_forward_twice_posts_nothing_and_a_later_posting_is_carried_alone(ledger, tmp_path):
    first, _ = carry_forward(ledger, "FJ-CAS", "2020-03")
    again, _ = carry_forward(ledger, "FJ-CAS", "2020-03")
    assert first.batch > 0 and again.batch == 0 and len(again.business) == 0
    _one_expense(ledger, tmp_path)
    later, _ = carry_forward(ledger, "FJ-CAS", "2020-03")
    assert lines(later) == [("转-0002", "6602", 0, 12345, "XM", "XM-ADM"), ("转-0002", "4103", 12345, 0, "XM", "")]
    assert list(ledger.store.documents("close")["number"]) == ["CF-FJ-CAS-2020-03", "CF-FJ-CAS-2020-03-2"]


def test_a_book_without_profit_and_loss_in_the_period_posts_nothing(ledger):
    result, skipped = carry_forward(ledger, "VN-MGT", "2020-03")
    assert (result.batch, skipped, len(result.business)) == (0, [], 0)


def _one_expense(ledger, folder: Path) -> Path:
    """A manual voucher of 123.45 administrative expense in March, posted into FJ-CAS."""
    path = folder / "mj.csv"
    path.write_text("voucher,book,date,account,summary,debit,credit,org,department\n"
                    "MJ-9,FJ-CAS,2020-03-20,6602,水电费,123.45,,XM,XM-ADM\n"
                    "MJ-9,FJ-CAS,2020-03-20,2241,水电费,,123.45,XM,\n", encoding="utf-8")
    ledger.post_vouchers(path)
    return path
