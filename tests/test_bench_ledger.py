"""The document generator of benchmarks/bench_ledger.py (the timing part is never run here)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import finshare

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_ledger.py"
GENERATED = ("documents/purchase_receipt.csv", "documents/purchase_receipt_lines.csv", "rates.csv")


@pytest.fixture(scope="module")
def bench():
    """The benchmark script as a module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_ledger", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_case_loads_with_50_approved_documents(bench, tmp_path):
    case = finshare.load_case(bench.write_case(50, 7, tmp_path / "case-50"))
    docs = case.documents["purchase_receipt"]
    assert len(docs) == 50, "the case should hold the 50 generated purchase receipts"
    assert len(docs.approved()) == 50, "every generated receipt should be approved"
    assert not (tmp_path / "case-50" / "ledger.sqlite").exists(), "generating must not post anything"


def test_same_seed_gives_byte_identical_files(bench, tmp_path):
    a = bench.write_case(50, 7, tmp_path / "a")
    b = bench.write_case(50, 7, tmp_path / "b")
    c = bench.write_case(50, 8, tmp_path / "c")
    for rel in GENERATED:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), f"{rel} differs between two runs with seed 7"
    assert (a / GENERATED[0]).read_bytes() != (c / GENERATED[0]).read_bytes(), "seed 8 should draw other documents"


def test_expected_trial_balance_ties_out(bench, tmp_path):
    tb = bench.expected_tb(bench.case_lines(bench.write_case(50, 7, tmp_path / "case")), "2020-12")
    total = tb.loc[""]
    assert total["debit"] == total["credit"] and total["closing_debit"] == total["closing_credit"], \
        "the pandas trial balance the benchmark checks against should tie out"
    assert set(tb.index) <= {"", "1403", "1405", "2202", "220202", "6601", "6602"}, "unexpected accounts"
