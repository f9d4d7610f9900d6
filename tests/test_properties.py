"""Invariants over random valid documents (hypothesis).

Any set of valid purchase receipts gives balanced vouchers in every book, a
trial balance that ties out, the same journal when posted twice, and a
journal that survives the SQLite round trip unchanged.
"""
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

import finshare
from finshare.core.balances import ties_out
from finshare.core.documents import Documents

DEPTS = {"费用采购": ["XM-ADM", "XM-MKT", "SZ-ADM"], "标准采购": ["XM-PUR", ""]}
MATERIAL = {"标准采购": "M001", "费用采购": "M002"}


@st.composite
def receipts(draw):
    n = draw(st.integers(1, 25))
    header, lines = [], []
    for i in range(n):
        kind = draw(st.sampled_from(["标准采购", "费用采购"]))
        org = draw(st.sampled_from(["XM", "SZ"]))
        dept = draw(st.sampled_from(DEPTS[kind]))
        day = draw(st.integers(1, 60))
        no = f"P{i:04d}"
        header.append({"doc_no": no, "date": str(pd.Timestamp("2020-02-29") + pd.Timedelta(days=day))[:10],
                       "org": org, "biz_type": kind, "supplier": draw(st.sampled_from(["S001", "S002", "S003"])),
                       "department": dept, "currency": "CNY", "status": "approved", "remark": ""})
        for ln in range(draw(st.integers(1, 3))):
            cents = draw(st.integers(1, 10**11))
            lines.append({"doc_no": no, "line_no": str(ln + 1), "material": MATERIAL[kind], "qty": "1",
                          "price": "", "amount": f"{cents // 100}.{cents % 100:02d}"})
    return pd.DataFrame(header), pd.DataFrame(lines)


def case_with(fujian, docs):
    header, lines = docs
    dt = fujian.doctypes["purchase_receipt"]
    fujian.documents["purchase_receipt"] = Documents.from_text(dt, header, lines, fujian.master)
    return fujian


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(docs=receipts())
def test_any_valid_documents_give_balanced_vouchers_and_tied_trial_balances(fujian, docs):
    case = case_with(fujian, docs)
    ledger = finshare.Ledger(case)
    result = ledger.post()
    for frame in (result.business, result.gl):
        sums = frame.groupby(["book", "voucher_no"])[["debit", "credit"]].sum()
        assert (sums["debit"] == sums["credit"]).all()
    # each CNY document's total reaches the CAS books unchanged; HKFRS gets exactly 1.10 x, rounded per line
    total = pd.to_numeric(docs[1]["amount"].str.replace(".", "", regex=False)).sum()
    for book in ("FJ-CAS", "CN-MGT"):
        assert result.business.loc[result.business["book"] == book, "debit"].sum() == total
    for book in case.books.codes():
        for period in sorted(set(ledger.lines(book)["period"])) or [None]:
            assert ties_out(ledger.trial_balance(book, period, exact=True))
    assert ledger.lines("VN-MGT").empty


@SETTINGS
@given(docs=receipts())
def test_posting_twice_and_the_store_round_trip_change_nothing(fujian, tmp_path_factory, docs):
    case = case_with(fujian, docs)
    path = tmp_path_factory.mktemp("store") / "ledger.sqlite"
    ledger = finshare.Ledger(case, path)
    first = ledger.post()
    stored = ledger.lines(None, None)
    assert ledger.post().documents == 0
    pd.testing.assert_frame_equal(stored, ledger.lines(None, None))
    reopened = finshare.Ledger(case, path).lines(None, None)
    pd.testing.assert_frame_equal(stored, reopened)
    in_memory = pd.concat([first.business, first.gl]).sort_values("line_id").reset_index(drop=True)
    from_disk = stored.sort_values("line_id").reset_index(drop=True)
    assert list(in_memory["line_id"]) == list(from_disk["line_id"])
    assert list(in_memory["debit"]) == list(from_disk["debit"])


@SETTINGS
@given(docs=receipts())
def test_same_inputs_same_numbers(fujian, docs):
    """Determinism: a fresh ledger numbers the same documents the same way."""
    case = case_with(fujian, docs)
    a = finshare.Ledger(case).post()
    b = finshare.Ledger(case).post()
    pd.testing.assert_frame_equal(a.business, b.business)
    pd.testing.assert_frame_equal(a.gl, b.gl)
    seqs = a.business.drop_duplicates(["book", "period", "voucher_no"]).groupby(["book", "period"])["voucher_no"]
    for _, nos in seqs:
        assert sorted(int(n.split("-")[1]) for n in nos) == list(range(1, len(nos) + 1))   # no gaps
