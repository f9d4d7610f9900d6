"""Auxiliary dimensions are data: a case adds 往来单位 (partner) with no engine code.

The case's dimensions are registered for the whole process, so these tests run
the command line in a fresh process and leave this one's column set alone.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTNER = "dimensions:\n  - {code: partner, label_zh: 往来单位, label_en: Intercompany partner, table: organisations}\n"


def finshare(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("FINSHARE_STORE", None)
    return subprocess.run([sys.executable, "-m", "finshare.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def with_partner(case_dir: Path, dimensions: str = PARTNER) -> Path:
    (case_dir / "dimensions.yaml").write_text(dimensions, encoding="utf-8")
    chart = (ROOT / "finshare" / "data" / "chart_cas.csv").read_text(encoding="utf-8")
    line = next(ln for ln in chart.splitlines() if ln.startswith("220202,"))
    (case_dir / "CAS.csv").write_text(chart.replace(line, line + ";partner"), encoding="utf-8")
    books = (case_dir / "books.yaml").read_text(encoding="utf-8")
    (case_dir / "books.yaml").write_text(books.replace(", chart: CAS}", ", chart: CAS.csv}"), encoding="utf-8")
    tpl = case_dir / "templates" / "purchase_receipt.yaml"
    text = tpl.read_text(encoding="utf-8")             # every 220202 line names the counterparty: 深圳工厂
    tpl.write_text(text.replace("dimensions: {supplier: supplier}",
                                "dimensions: {supplier: supplier, partner: {value: SZ}}"), encoding="utf-8")
    return case_dir


def test_a_case_adds_a_dimension_that_posts_stores_and_prints(case_dir):
    out = finshare("journal", with_partner(case_dir), "--book", "FJ-CAS", "--kind", "business")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    names = list(rows[0])
    assert names.index("partner") == names.index("bank_account") + 1 == names.index("source_type") - 1
    assert [(r["source_no"], r["account"], r["supplier"], r["partner"]) for r in rows if r["account"] == "220202"] == [
        ("CG001", "220202", "S001", "SZ"), ("CG002", "220202", "S002", "SZ"), ("CG003", "220202", "S003", "SZ")]
    again = finshare("journal", case_dir, "--book", "FJ-CAS", "--kind", "business")      # read back from the store
    assert again.stdout == out.stdout
    assert finshare("check", case_dir).returncode == 0


def test_a_dimension_value_outside_its_table_or_a_reserved_name_is_refused(case_dir):
    bad = "dimensions:\n  - {code: book, label_zh: 账簿}\n  - {code: project, table: projects}\n"
    out = finshare("journal", with_partner(case_dir, bad))
    assert out.returncode == 2 and out.stdout == ""
    assert "核算项目编码 'book' 无效 / dimension code 'book' is not allowed [bad-dimension-code]" in out.stderr
    assert "核算项目 project 的基础资料表 'projects' 不存在 / dimension project: no master-data table 'projects' " \
           "[unknown-table]" in out.stderr
