"""``finshare generate fujian-year``: a whole year of the group, the same bytes for the same seed, posting cleanly."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from finshare.cli import main
from finshare.core.problems import FinshareError
from finshare.generate.year import generate_year

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "datasets" / "fujian-2020"

#: Posts the case in a fresh process (its partner dimension registers for the process) and reports,
#: per book and month, whether the trial balance ties out, plus the intercompany lines of FJ-CAS.
POST_AND_REPORT = """
import json, sys
import finshare
from finshare.core.balances import ties_out
case = finshare.load_case(sys.argv[1], documents=False)
with finshare.Ledger(case, sys.argv[1] + "/ledger.sqlite") as ledger:
    ledger.post()
    tied = {b: [ties_out(ledger.trial_balance(b, f"2020-{m:02d}")) for m in range(1, 13)] for b in case.books.codes()}
    lines = ledger.lines("FJ-CAS", kind="business")
    ic = lines[lines["partner"].astype(str) != ""]
    print(json.dumps({"tied": tied, "partners": sorted(set(zip(ic["account"].astype(str), ic["partner"].astype(str)))),
                      "posted": int(lines["source_no"].nunique())}))
"""


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    a = generate_year(tmp_path / "a", seed=11, scale=0.05)
    generate_year(tmp_path / "b", seed=11, scale=0.05)
    generate_year(tmp_path / "c", seed=12, scale=0.05)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == 46 and sum(a.values()) > 1000         # 20 document files, 8 master-data tables, 10 templates, group.yaml …
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert (tmp_path / "a" / "documents" / "ar_invoice_lines.csv").read_bytes() != \
        (tmp_path / "c" / "documents" / "ar_invoice_lines.csv").read_bytes()


def test_the_committed_dataset_is_the_generators_output(tmp_path):
    seed, scale = re.search(r"--seed (\d+) --scale (\S+) --out", (DATASET / "README.md").read_text()).groups()
    generate_year(tmp_path / "again", seed=int(seed), scale=float(scale))
    files = sorted(p.relative_to(DATASET) for p in DATASET.rglob("*") if p.is_file() and "sqlite" not in p.name)
    again = sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file())
    differ = [str(f) for f in files if (DATASET / f).read_bytes() != (tmp_path / "again" / f).read_bytes()]
    fix = f"regenerate: rm -r {DATASET} && finshare generate fujian-year --seed {seed} --scale {scale} --out {DATASET}"
    assert files == again and differ == [], fix


def test_a_generated_year_posts_in_every_book_and_every_month_ties_out(tmp_path):
    case = tmp_path / "year"
    counts = generate_year(case, seed=3, scale=0.05)
    assert set(counts) == {"opening_balance", "sales_outbound", "ar_invoice", "receipt", "purchase_receipt",
                           "ap_invoice", "payment", "expense_claim", "payroll_accrual", "fa_acquisition"}
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("FINSHARE_STORE", None)
    run = subprocess.run([sys.executable, "-c", POST_AND_REPORT, str(case)], capture_output=True, text=True, env=env,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["tied"] == {b: [True] * 12 for b in ("VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS")}
    assert report["posted"] == sum(counts.values())          # every document reaches the legal-entity book
    assert [tuple(p) for p in report["partners"]] == [("1122", "XM"), ("220201", "VN"), ("220202", "VN"),
                                                       ("6001", "XM"), ("6401", "XM")]


def test_references_name_documents_of_the_year(tmp_path):
    generate_year(tmp_path / "y", seed=5, scale=0.05)
    docs = tmp_path / "y" / "documents"
    read = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in docs.glob("*.csv")}
    assert set(read["ap_invoice"]["receipt"]) <= set(read["purchase_receipt"]["doc_no"])
    assert set(read["ar_invoice"]["outbound"]) <= set(read["sales_outbound"]["doc_no"])
    assert set(read["receipt"]["invoice"]) <= set(read["ar_invoice"]["doc_no"])
    assert set(read["payment"]["invoice"]) <= set(read["ap_invoice"]["doc_no"])
    returned = read["ar_invoice"][read["ar_invoice"]["remark"] != ""]
    lines = read["ar_invoice_lines"].set_index("doc_no")
    assert len(returned) > 0 and (lines.loc[returned["doc_no"], "amount"].str.startswith("-")).all()


def test_an_output_folder_that_holds_files_is_refused(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["generate", "fujian-year", "--out", str(tmp_path)]) == 2
    assert "[folder-not-empty]" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    with pytest.raises(FinshareError) as err:
        generate_year(tmp_path / "new", scale=0)
    assert err.value.problems[0].code == "bad-option"
