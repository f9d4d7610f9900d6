"""Order-to-cash and procure-to-pay: every document type of the year posts the vouchers an accountant expects.

The case (``year_sample``) declares the intercompany partner dimension, which
registers for a whole process, so the ledger is driven through the command
line in a fresh process.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from year_sample import year_sample

ROOT = Path(__file__).resolve().parents[1]


def finshare(*args) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("FINSHARE_STORE", None)
    out = subprocess.run([sys.executable, "-m", "finshare.cli", *map(str, args)], capture_output=True, text=True,
                         env=env, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> Path:
    return year_sample(tmp_path_factory.mktemp("year") / "case")


def vouchers(case: Path, book: str) -> dict[str, list[tuple]]:
    """Business vouchers of a book by source document: (account, debit, credit, dimensions…) per line."""
    out: dict[str, list[tuple]] = {}
    for r in csv.DictReader(io.StringIO(finshare("journal", case, "--book", book, "--kind", "business"))):
        dims = tuple(f"{d}={r[d]}" for d in ("supplier", "customer", "department", "employee", "bank_account",
                                              "partner") if r[d])
        out.setdefault(r["source_no"], []).append((r["account"], r["debit"], r["credit"], *dims))
    return out


def test_every_document_type_posts_its_voucher_in_the_cas_book(case):
    v = vouchers(case, "FJ-CAS")
    assert v["QC001"] == [("1002", "500000.00", "0.00", "bank_account=B001"), ("4001", "0.00", "500000.00")]
    assert v["XS001"] == [("6401", "6000.00", "0.00"), ("1405", "0.00", "6000.00")]
    assert v["YS001"] == [("1122", "11300.00", "0.00", "customer=C001"), ("6001", "0.00", "10000.00"),
                          ("22210107", "0.00", "1300.00")]
    assert v["SK001"] == [("1002", "11300.00", "0.00", "bank_account=B001"),
                          ("1122", "0.00", "11300.00", "customer=C001")]
    assert v["YF001"] == [("220202", "20000.00", "0.00", "supplier=S001"), ("22210101", "2600.00", "0.00"),
                          ("220201", "0.00", "22600.00", "supplier=S001")]      # the 暂估 of CG001 reversed
    assert v["FK001"] == [("220201", "22600.00", "0.00", "supplier=S001"), ("1002", "0.00", "22600.00",
                                                                             "bank_account=B001")]
    assert v["BX001"] == [("6601", "1250.50", "0.00", "department=XM-MKT"),
                          ("1002", "0.00", "1250.50", "bank_account=B001")]
    assert v["BX002"] == [("5101", "300.00", "0.00", "department=XM-PRD"), ("1221", "0.00", "300.00", "employee=E001")]
    assert v["ZC001"] == [("1601", "100000.00", "0.00"), ("22210101", "13000.00", "0.00"),
                          ("220201", "0.00", "113000.00", "supplier=S002")]
    assert v["GZ001"] == [("6602", "30000.00", "0.00", "department=XM-ADM"),
                          ("6601", "20000.00", "0.00", "department=XM-MKT"),
                          ("5101", "50000.00", "0.00", "department=XM-PRD"), ("2211", "0.00", "100000.00")]


def test_intercompany_sales_of_the_vietnam_factory_name_the_partner_and_convert_vnd(case):
    cas = vouchers(case, "FJ-CAS")                      # 16,500,000 VND at 3,300 VND per CNY
    assert cas["YS901"] == [("1122", "5000.00", "0.00", "customer=C900", "partner=XM"),
                            ("6001", "0.00", "5000.00", "partner=XM")]
    assert cas["XS901"] == [("6401", "3000.00", "0.00", "partner=XM"), ("1405", "0.00", "3000.00")]
    vn = vouchers(case, "VN-MGT")                       # the factory's own book keeps VND
    assert sorted(vn) == ["XS901", "YS901"]
    assert vn["YS901"] == [("1122", "16500000", "0", "customer=C900", "partner=XM"),
                           ("6001", "0", "16500000", "partner=XM")]
    assert "YS901" not in vouchers(case, "CN-MGT")


def test_the_hkfrs_book_classifies_by_function_and_capitalises_overheads(case):
    hk = vouchers(case, "FJ-HKFRS")                     # HKD at 1.10 per CNY
    assert hk["GZ001"] == [("6200", "33000.00", "0.00", "department=XM-ADM"),
                           ("6100", "22000.00", "0.00", "department=XM-MKT"),
                           ("1320", "55000.00", "0.00"), ("2130", "0.00", "110000.00")]
    assert hk["YF001"] == [("2120", "22000.00", "0.00", "supplier=S001"), ("2200", "2860.00", "0.00"),
                           ("2110", "0.00", "24860.00", "supplier=S001")]


def test_every_trial_balance_of_march_ties_out(case):
    for book in ("VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"):
        rows = list(csv.DictReader(io.StringIO(finshare("tb", case, "--book", book, "--period", "2020-03"))))
        total = rows[-1]
        assert total["account_name"] == "合计", book
        assert total["closing_debit"] == total["closing_credit"] and total["debit"] == total["credit"], book
    rows = {r["account"]: r for r in csv.DictReader(io.StringIO(finshare("tb", case, "--book", "FJ-CAS",
                                                                           "--period", "2020-03")))}
    assert (rows["1002"]["opening_debit"], rows["1002"]["closing_debit"]) == ("500000.00", "487449.50")
    assert rows["220202"]["closing_credit"] == "15000.00"          # CG002 and CG003 still wait for invoices
    assert rows["1122"]["closing_debit"] == "5000.00"               # only the intercompany invoice is open
