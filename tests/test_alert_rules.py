"""Each alert rule fires on a case built by hand and not on its near miss (thresholds of finshare/data/alerts.yaml)."""
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from finshare.core.problems import FinshareError
from finshare.forecast.alerts import load_rules, rule_alerts
from finshare.forecast.alerts.frames import COLUMNS
from finshare.forecast.alerts.rules import RULES

RULES_ = load_rules()


def frame(doc_type, rows):
    """Document totals as :func:`finshare.forecast.alerts.frames.totals` gives them; amounts in minor units."""
    base = {c: "" for c in COLUMNS}
    out = pd.DataFrame([{**base, "doc_type": doc_type, "org": "XM", "currency": "CNY", **r} for r in rows],
                       columns=COLUMNS)
    out["date"] = pd.to_datetime(out["date"])
    out["amount"] = out["amount"].astype("int64")
    return out


def run(rule, payment=(), ap=(), ar=(), claims=(), history=()):
    docs = {"payment": frame("payment", payment), "ap_invoice": frame("ap_invoice", ap),
            "ar_invoice": frame("ar_invoice", ar), "expense_claim": frame("expense_claim", claims)}
    master = {"supplier_bank_accounts": pd.DataFrame(
        list(history), columns=["code", "supplier", "valid_from", "bank", "account_no"])}
    return RULES[rule](docs, master, RULES_[rule])


def docs_of(alerts):
    return [list(d) for d in alerts["documents"]]


HISTORY = [("A1", "S001", "2019-01-01", "中国银行", "111"), ("A2", "S001", "2020-05-01", "中国银行", "222")]


def test_bank_change_then_large_payment():
    pay = [{"doc_no": "FK1", "date": "2020-05-09", "supplier": "S001", "amount": 6_000_000},    # 8 days, 60,000.00
           {"doc_no": "FK2", "date": "2020-06-01", "supplier": "S001", "amount": 6_000_000},    # 31 days: too late
           {"doc_no": "FK3", "date": "2020-05-02", "supplier": "S001", "amount": 4_999_999},    # 49,999.99: small
           {"doc_no": "FK4", "date": "2020-04-30", "supplier": "S001", "amount": 9_000_000},    # before the change
           {"doc_no": "FK5", "date": "2020-05-03", "supplier": "S002", "amount": 9_000_000}]    # no change
    a = run("bank-change-payment", payment=pay, history=HISTORY)
    assert docs_of(a) == [["payment/FK1"]]
    assert a.loc[0, "period"] == "2020-05" and a.loc[0, "score"] == pytest.approx(6_000_000 / 5_000_000)
    assert "8 天后付款 60000.00 CNY" in a.loc[0, "why"] and "8 days later" in a.loc[0, "why"]


def test_bank_change_thirty_days_is_inside_the_window():
    pay = [{"doc_no": "FK1", "date": "2020-05-31", "supplier": "S001", "amount": 5_000_000}]
    assert docs_of(run("bank-change-payment", payment=pay, history=HISTORY)) == [["payment/FK1"]]
    assert run("bank-change-payment", payment=pay, history=HISTORY[:1]).empty     # the first account is no change


def _red(no, day, customer="C001", amount=-300_000):
    return {"doc_no": no, "date": day, "customer": customer, "amount": amount}


def test_three_small_returns_in_sixty_days_fire():
    ar = [_red("YS1", "2020-03-01"), _red("YS2", "2020-03-20"), _red("YS3", "2020-04-30"),
          _red("YS9", "2020-03-05", "C002"), _red("YS8", "2020-03-06", "C002"),
          {"doc_no": "YS7", "date": "2020-03-07", "customer": "C002", "amount": 900_000}]   # a sale, not a return
    a = run("many-returns", ar=ar)
    assert docs_of(a) == [["ar_invoice/YS1", "ar_invoice/YS2", "ar_invoice/YS3"]]
    assert "合计 -9000.00 CNY" in a.loc[0, "why"] and a.loc[0, "period"] == "2020-04"


def test_returns_spread_over_sixty_one_days_or_large_do_not_fire():
    spread = [_red("YS1", "2020-03-01"), _red("YS2", "2020-03-20"), _red("YS3", "2020-05-01")]
    assert run("many-returns", ar=spread).empty
    large = [_red("YS1", "2020-03-01"), _red("YS2", "2020-03-20"), _red("YS3", "2020-03-21", amount=-500_000)]
    assert run("many-returns", ar=large).empty                     # 5,000.00 is not below the small limit


def _claim(no, day, amount=45_000, employee="E001"):
    return {"doc_no": no, "date": day, "employee": employee, "amount": amount}


def test_five_small_claims_in_thirty_days_fire_four_do_not():
    five = [_claim(f"BX{i}", f"2020-06-{1 + 7 * i:02d}") for i in range(5)]        # 1 … 29 June
    assert docs_of(run("many-refunds", claims=five)) == [[f"expense_claim/BX{i}" for i in range(5)]]
    assert run("many-refunds", claims=five[:4]).empty
    assert run("many-refunds", claims=five[:4] + [_claim("BX4", "2020-06-29", 50_000)]).empty   # 500.00: not small
    assert run("many-refunds", claims=five[:4] + [_claim("BX4", "2020-07-02")]).empty   # 32 days after the first


def test_one_receipt_invoiced_twice_and_one_invoice_paid_twice():
    ap = [{"doc_no": "YF1", "date": "2020-03-01", "supplier": "S001", "receipt": "CG1", "amount": 100},
          {"doc_no": "YF2", "date": "2020-03-03", "supplier": "S001", "receipt": "CG1", "amount": 100},
          {"doc_no": "YF3", "date": "2020-03-03", "supplier": "S001", "receipt": "CG2", "amount": 100},
          {"doc_no": "YF4", "date": "2020-03-04", "supplier": "S001", "receipt": "CG2", "amount": 90}]  # partial
    pay = [{"doc_no": "FK1", "date": "2020-04-01", "supplier": "S002", "invoice": "YF9", "amount": 500},
           {"doc_no": "FK2", "date": "2020-05-01", "supplier": "S002", "invoice": "YF9", "amount": 700}]
    a = run("duplicate-invoice", ap=ap, payment=pay)
    assert sorted(docs_of(a)) == [["ap_invoice/YF1", "ap_invoice/YF2"], ["payment/FK1", "payment/FK2"]]


def test_same_supplier_and_amount_paid_ten_days_apart_fires_eleven_does_not():
    pay = [{"doc_no": "FK1", "date": "2020-04-01", "supplier": "S002", "amount": 12_345},
           {"doc_no": "FK2", "date": "2020-04-11", "supplier": "S002", "amount": 12_345},
           {"doc_no": "FK3", "date": "2020-04-22", "supplier": "S002", "amount": 12_345},   # 11 days after FK2
           {"doc_no": "FK4", "date": "2020-04-02", "supplier": "S003", "amount": 12_345}]
    assert docs_of(run("duplicate-invoice", payment=pay)) == [["payment/FK1", "payment/FK2"]]


@pytest.mark.parametrize("amount, fires", [(475_000, True), (499_999, True), (474_999, False), (500_000, False)])
def test_just_under_the_approval_limit(amount, fires):
    a = run("just-under-limit", claims=[_claim("BX1", "2020-06-01", amount)])
    assert (not a.empty) == fires


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 30_000_000), st.sampled_from([("CNY", 2, "5000.00"), ("VND", 0, "16500000")]))
def test_just_under_fires_exactly_within_five_percent_below_the_limit(amount, cur):
    code, exp, limit = cur
    value, limit = Decimal(amount).scaleb(-exp), Decimal(limit)
    claims = [{**_claim("BX1", "2020-06-01", amount), "currency": code}]
    assert (not run("just-under-limit", claims=claims).empty) == (limit * Decimal("0.95") <= value < limit)


@pytest.mark.parametrize("day, amount, fires", [
    ("2020-06-06", 2_000_000, True),      # Saturday, 20,000.00
    ("2020-06-07", 2_000_000, True),      # Sunday
    ("2020-06-05", 2_000_000, False),     # Friday
    ("2020-06-06", 1_000_000, False),     # 10,000.00 is not above 10,000.00
    ("2020-06-06", 2_000_050, False),     # 20,000.50 is not round
])
def test_round_amount_on_a_weekend(day, amount, fires):
    a = run("round-weekend", payment=[{"doc_no": "FK1", "date": day, "supplier": "S001", "amount": amount}])
    assert (not a.empty) == fires


def test_vnd_thresholds_are_in_dong():
    pay = [{"doc_no": "FK1", "date": "2020-06-06", "supplier": "S001", "amount": 40_000_000, "currency": "VND"}]
    assert docs_of(run("round-weekend", payment=pay)) == [["payment/FK1"]]


def test_no_documents_no_alerts():
    assert rule_alerts({k: frame(k, []) for k in ("payment", "ap_invoice", "ar_invoice", "expense_claim")},
                       {"supplier_bank_accounts": pd.DataFrame(columns=["supplier", "valid_from", "account_no"])}
                       ).empty


def test_rules_without_a_name_are_refused_bilingually():
    with pytest.raises(FinshareError) as err:
        load_rules("rules:\n  round-weekend: {severity: low}\noutlier: {}\n")
    assert err.value.problems[0].code == "bad-alert-rules"
    assert "预警规则" in err.value.problems[0].message and "alert rules" in err.value.problems[0].message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["E001", "E002"]), st.integers(0, 120)), max_size=14))
def test_many_refunds_fires_for_an_employee_iff_some_thirty_day_window_holds_five(claims):
    rows = [_claim(f"BX{i:02d}", str(pd.Timestamp("2020-03-01") + pd.Timedelta(days=d))[:10], employee=e)
            for i, (e, d) in enumerate(claims)]
    fired = {d.split("/")[1] for docs in run("many-refunds", claims=rows)["documents"] for d in docs}
    for who in ("E001", "E002"):
        days = sorted(d for e, d in claims if e == who)
        dense = any(sum(end - 30 <= d <= end for d in days) >= 5 for end in days)
        mine = {f"BX{i:02d}" for i, (e, _) in enumerate(claims) if e == who}
        assert bool(fired & mine) == dense
