"""Checks of captured invoices and receipts, the status rule, and single-reading correction."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_pages import context, invoice, receipt
from finshare.capture.checks import check_page
from finshare.capture.correct import CONFUSIONS, money_edits, substitutions
from finshare.capture.numerals import amount_in_words
from finshare.capture.register import Register
from finshare.capture.status import assess, assess_pages

CTX = context()


def failed(page, ctx=CTX):
    return {c.name for c in check_page(page, ctx) if not c.passed}


def test_real_looking_invoice_and_receipt_pass_every_check():
    for page in (invoice(), receipt(), invoice("digital_special", invoice_code="", invoice_no="20352000000012345678"),
                 invoice("normal", invoice_code="035001900104"), invoice("e_normal", invoice_code="035002000111")):
        result = assess(page, CTX)
        assert result.status == "accepted", [c for c in result.checks if not c.passed]
        assert result.corrections == [] and result.flagged == []
        assert result.values == {k: f["value"] for k, f in page["fields"].items()}


INVOICE_FAILURES = [
    # (family, changed fields, the check that must fail, the fields it flags)
    ("special", {"invoice_code": "3500194330"}, "invoice_code_format", {"invoice_code"}),   # 8th digit 3: 普票
    ("normal", {"invoice_code": "035001900111"}, "invoice_code_format", {"invoice_code"}),   # ends 11: 电子普票
    ("e_normal", {"invoice_code": "135002000111"}, "invoice_code_format", {"invoice_code"}),  # must start 0
    ("digital_normal", {"invoice_code": "3500194130", "invoice_no": "20352000000012345678"}, "invoice_code_format",
     {"invoice_code"}),
    ("special", {"invoice_no": "0458172"}, "invoice_no_format", {"invoice_no"}),
    ("digital_special", {"invoice_code": "", "invoice_no": "04581726"}, "invoice_no_format", {"invoice_no"}),
    ("special", {"buyer_tax_id": "91350100M000100Y44"}, "buyer_tax_id_gb32100", {"buyer_tax_id"}),
    ("special", {"seller_tax_id": "91350203N1MXTPDAFX"}, "seller_tax_id_gb32100", {"seller_tax_id"}),
    ("special", {"amount": "27030.0"}, "amount_format", {"amount"}),
    ("special", {"tax": "3,513.90"}, "tax_format", {"tax"}),
    ("special", {"total": "¥30543.90"}, "total_format", {"total"}),
    ("special", {"tax_rate": "0.16"}, "tax_rate_in_force", {"tax_rate"}),                  # 16 % ended 2019-03-31
    ("special", {"total": "30543.91", "total_in_words": "叁万零伍佰肆拾叁圆玖角壹分"}, "total_is_amount_plus_tax",
     {"amount", "tax", "total"}),
    ("special", {"tax": "3513.88", "total": "30543.88", "total_in_words": "叁万零伍佰肆拾叁圆捌角捌分"},
     "tax_is_amount_times_rate", {"amount", "tax_rate", "tax"}),                            # 2 fen off, 1 allowed
    ("special", {"total_in_words": "叁万零伍佰肆拾叁圆捌角"}, "words_match_total", {"total_in_words", "total"}),
    ("special", {"date": "2021-02-01"}, "date_plausible", {"date"}),                         # after today 2021-01-31
    ("special", {"date": "2016-12-31"}, "date_plausible", {"date"}),
    ("special", {"date": "2020-02-30"}, "date_plausible", {"date"}),
    ("special", {"buyer_tax_id": "91350203N1MXTPDAFW"}, "buyer_is_ours", {"buyer_name", "buyer_tax_id"}),
    ("special", {"buyer_name": "厦门制造工厂"}, "buyer_is_ours", {"buyer_name", "buyer_tax_id"}),
    ("special", {"seller_tax_id": "91110000600037341L"}, "seller_is_known", {"seller_name", "seller_tax_id"}),
    ("special", {"seller_name": "泉州供应商18"}, "seller_is_known", {"seller_name", "seller_tax_id"}),
    ("special", {"seller_name": ""}, "fields_present", None),
]


@pytest.mark.parametrize("family, change, check, flagged", INVOICE_FAILURES)
def test_each_invoice_check_fails_on_its_fault(family, change, check, flagged):
    page = invoice(family, **change)
    assert check in failed(page)
    checks = {c.name: c for c in check_page(page, CTX)}
    assert " / " in checks[check].detail                                  # bilingual
    result = assess(page, CTX, correct=False)
    assert result.status == "review"
    if flagged is not None:
        assert set(checks[check].fields) == flagged and flagged <= set(result.flagged)


def test_passing_counterparts_of_the_rules():
    # 16 % was in force on 2018-06-01; 1 fen off passes (one item line), ±3 fen with three items
    old = invoice(date="2018-06-01", tax_rate="0.16", tax="4324.80", total="31354.80",
                  total_in_words="叁万壹仟叁佰伍拾肆圆捌角")
    assert failed(old) == set()
    off1 = invoice(tax="3513.91", total="30543.91", total_in_words="叁万零伍佰肆拾叁圆玖角壹分")
    assert failed(off1) == set()
    off3 = invoice(tax="3513.93", total="30543.93", total_in_words="叁万零伍佰肆拾叁圆玖角叁分")
    assert failed(off3) == {"tax_is_amount_times_rate"}
    off3["items"] = [{}, {}, {}]
    assert failed(off3) == set()
    assert failed(invoice(check_code="12345678901234567890")) == set()
    assert failed(invoice(check_code="1234")) == {"check_code_format"}
    assert failed(invoice(seller_name="长沙供应商２１")) == set()          # full-width digits normalise


RECEIPT_FAILURES = [
    ({"date": "2021-03-01"}, "date_plausible", {"date"}),
    ({"amount": "6627.4"}, "amount_format", {"amount"}),
    ({"amount_in_words": "陆仟陆佰贰拾柒元肆角"}, "words_match_amount", {"amount_in_words", "amount"}),
    ({"payer_account": "62220202001122A3445"}, "payer_account_format", {"payer_account"}),
    ({"payee_account": "410002"}, "payee_account_format", {"payee_account"}),
    ({"payee_account": "4100021709024500002"}, "our_account", {"payer_account", "payee_account"}),
    ({"payee_name": "深圳制造工厂"}, "our_account", {"payee_name", "payee_account"}),     # B001 is Xiamen's
    ({"payer_name": "深圳零售有限公司"}, "counterparty_known", {"payer_name"}),
    ({"serial_no": "12#4"}, "serial_no_format", {"serial_no"}),
]


@pytest.mark.parametrize("change, check, flagged", RECEIPT_FAILURES)
def test_each_receipt_check_fails_on_its_fault(change, check, flagged):
    page = receipt(**change)
    checks = {c.name: c for c in check_page(page, CTX)}
    assert not checks[check].passed and set(checks[check].fields) == flagged
    assert assess(page, CTX, correct=False).status == "review"


def test_receipt_names_the_legal_entity_or_a_learned_alias():
    assert failed(receipt(payee_name="福建制造公司")) == set()                # B001's unit belongs to FJ
    aliased = context(aliases={"深圳零售": "C001"})
    assert failed(receipt(payer_name="深圳零售"), aliased) == set()
    assert failed(receipt(payer_name="深圳零售")) == {"counterparty_known"}


def test_duplicates_are_flagged_and_never_corrected_away():
    ctx = context()
    first, again = assess_pages([invoice(), invoice(file="again.jpg")], ctx)
    assert first.status == "accepted"
    assert again.status == "review" and again.corrections == []
    assert {c.name for c in again.checks if not c.passed} == {"not_duplicate"}
    assert {"seller_tax_id", "invoice_code", "invoice_no"} <= set(again.flagged)
    rec = assess_pages([receipt(), receipt()], ctx)
    assert [r.status for r in rec] == ["accepted", "review"]
    assert not Register().seen("receipt", {"serial_no": "X1", "date": "2020-01-01", "amount": "bad"})


def test_low_confidence_sends_a_passing_page_to_review():
    page = invoice()
    page["fields"]["invoice_no"]["confidence"] = 0.5
    result = assess(page, CTX)
    assert all(c.passed for c in result.checks)
    assert result.status == "review" and result.flagged == ["invoice_no"]


@pytest.mark.parametrize("field, misread, restored", [
    ("amount", "27080.00", "27030.00"),          # 3 read as 8
    ("amount", "2703.00", "27030.00"),           # a dropped 0
    ("amount", "270300.00", "27030.00"),         # a doubled 0
    ("amount", "2703000", "27030.00"),           # the point lost
    ("tax", "35I3.90", "3513.90"),
    ("total", "3O543.90", "30543.90"),
    ("seller_tax_id", "9135O203N1MXTPDAFW", "91350203N1MXTPDAFW"),
    ("buyer_tax_id", "91350100M0001OOY43", None),   # two misreads in one field: beyond one edit
    ("invoice_no", "0458I726", None),               # I is 1 or 7: two readings
    ("invoice_no", "04S81726", "04581726"),
    ("seller_name", "长沙供应商2l", "长沙供应商21"),
    ("tax_rate", "0.18", "0.13"),
])
def test_single_reading_correction(field, misread, restored):
    result = assess(invoice(**{field: misread}), CTX)
    if restored is None:
        assert result.status == "review" and result.corrections == [] and field in result.flagged
        return
    assert result.status == "accepted"
    assert result.values[field] == restored
    assert [(c["field"], c["original"], c["corrected"]) for c in result.corrections] == [(field, misread, restored)]
    assert result.fields[field]["confidence"] == CTX.floor < 0.97


def test_receipt_correction_uses_our_account_and_the_words():
    result = assess(receipt(payee_account="41000217O9024500001", amount="6627.4S"), CTX)
    assert result.status == "accepted"
    assert (result.values["payee_account"], result.values["amount"]) == ("4100021709024500001", "6627.45")


def test_candidate_readings():
    assert substitutions("10") == {"I0", "l0", "70", "1O", "1D"}
    edits = money_edits("12.50")
    assert {"72.50", "12.5O", "112.50", "172.50", "102.50"} <= edits      # swapped, a dropped digit put back
    assert "12.50" not in edits and "1250.00" not in edits
    assert "12.50" in money_edits("1250") and "12.50" in money_edits("122.50")  # lost point, doubled digit


# --------------------------------------------------------------- property: never a wrong value accepted
SUPPLIERS = [("瑞幸咖啡", "91350200MA2Y00011P"), ("办公用品供应商", "91350203MA2Y00027N"),
             ("广告供应商", "91350206MA2Y00035W"), ("长沙供应商21", "91350203N1MXTPDAFW"),
             ("泉州供应商18", "91350203MYTJYQJ2GD"), ("厦门供应商22", "91350203AWNBU356Y8")]
CODES = {"special": "3500194130", "normal": "035001900104", "e_normal": "035002000111",
         "digital_special": "", "digital_normal": ""}
ALT = {c: cls.replace(c, "") for cls in CONFUSIONS for c in cls}
CHECKED = ["amount", "tax", "total", "tax_rate", "buyer_tax_id", "seller_tax_id", "seller_name"]
FORMAT_ONLY = ["invoice_code", "invoice_no", "date"]          # no check can tell 1 from 7 here: letters only


@st.composite
def corrupted_invoice(draw):
    family = draw(st.sampled_from(sorted(CODES)))
    amount = draw(st.integers(100, 50_000_000))
    pct = draw(st.sampled_from([13, 9, 6, 3]))
    tax = (amount * pct + 50) // 100                       # half-up to the fen, by integers
    seller = draw(st.sampled_from(SUPPLIERS))
    digits = 20 if family.startswith("digital") else 8
    values = {"invoice_code": CODES[family], "invoice_no": draw(st.text("0123456789", min_size=digits,
                                                                        max_size=digits)),
              "date": f"2020-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
              "buyer_name": "福建制造公司", "buyer_tax_id": "91350100M000100Y43", "seller_name": seller[0],
              "seller_tax_id": seller[1], "amount": f"{amount // 100}.{amount % 100:02d}", "tax_rate": f"0.{pct:02d}",
              "tax": f"{tax // 100}.{tax % 100:02d}", "total": f"{(amount + tax) // 100}.{(amount + tax) % 100:02d}",
              "total_in_words": "⊗" + amount_in_words(amount + tax)}
    field = draw(st.sampled_from(CHECKED + FORMAT_ONLY))
    text = values[field]
    spots = [i for i, c in enumerate(text) if c in ALT]
    edits = [text[:i] + a + text[i + 1:] for i in spots for a in ALT[text[i]]
             if field in CHECKED or not a.isdigit()]
    if field in ("amount", "tax", "total"):
        edits += sorted(money_edits(text) - set(edits))
    if not edits:
        return family, values, values
    bad = dict(values, **{field: draw(st.sampled_from(edits))})
    return family, values, bad


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted_invoice())
def test_a_misread_is_restored_or_sent_to_review(case):
    family, truth, read = case
    result = assess(invoice(family, **read), CTX)
    if result.status == "accepted":
        assert result.values == truth


CUSTOMERS = ["深圳零售公司", "厦门餐饮管理有限公司00", "上海商贸有限公司01"]
OURS = [("4100021709024500001", "厦门制造工厂"), ("44250100003500001234", "深圳制造工厂"),
        ("4100021709024500001", "福建制造公司")]
RECEIPT_CHECKED = ["amount", "payee_account", "payer_name"]
RECEIPT_FORMAT_ONLY = ["payer_account", "date"]
# serial_no is left out: serials mix letters and digits, so no check sees a misread in them (the confidence
# floor is their only guard) — see the test below.


@st.composite
def corrupted_receipt(draw):
    fen = draw(st.integers(1, 90_000_000))
    account, name = draw(st.sampled_from(OURS))
    values = {"date": f"2020-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
              "payer_name": draw(st.sampled_from(CUSTOMERS)),
              "payer_account": draw(st.text("0123456789", min_size=16, max_size=19)), "payee_name": name,
              "payee_account": account, "amount": f"{fen // 100}.{fen % 100:02d}",
              "amount_in_words": amount_in_words(fen, unit="元"), "memo": "货款",
              "serial_no": "CCB" + draw(st.text("0123456789", min_size=12, max_size=12))}
    field = draw(st.sampled_from(RECEIPT_CHECKED + RECEIPT_FORMAT_ONLY))
    text = values[field]
    edits = [text[:i] + a + text[i + 1:] for i, c in enumerate(text) for a in ALT.get(c, "")
             if field in RECEIPT_CHECKED or not a.isdigit()]
    if field == "amount":
        edits += sorted(money_edits(text) - set(edits))
    if not edits:
        return values, values
    return values, dict(values, **{field: draw(st.sampled_from(edits))})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted_receipt())
def test_a_misread_receipt_is_restored_or_sent_to_review(case):
    truth, read = case
    result = assess(receipt(**read), CTX)
    if result.status == "accepted":
        assert result.values == truth


def test_a_transfer_between_our_accounts_checks_both_names():
    """Found by the property above: with both accounts ours, a misread payer name (O for 0) was accepted."""
    same = receipt(payer_name="厦门餐饮管理有限公司O0", payer_account="4100021709024500001",
                   payee_account="4100021709024500001", amount="0.01", amount_in_words="壹分")
    result = assess(same, CTX)
    assert result.status == "review" and "counterparty_known" in {c.name for c in result.checks if not c.passed}
    stranger = receipt(payer_name="厦门餐饮管理有限公司O0", payer_account="44250100003500001234")   # B002 is ours
    result = assess(stranger, CTX)
    assert result.status == "review" and "payer_name" in result.flagged


def test_an_unverifiable_field_is_guarded_by_its_confidence_only():
    misread = receipt(serial_no="ICBC2O201230000123")                  # O for 0: still a well-formed serial
    assert assess(misread, CTX).status == "accepted"
    misread["fields"]["serial_no"]["confidence"] = 0.6
    result = assess(misread, CTX)
    assert result.status == "review" and result.flagged == ["serial_no"]
