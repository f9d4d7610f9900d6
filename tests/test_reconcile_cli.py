"""``finshare reconcile bank`` and ``finshare generate bank-statements`` from the command line.

The committed sample ``datasets/bank-2020`` is one statement in the four banks' layouts; each file must give
the same reconciliation, the truth's groups must be found (the issue's precision and coverage), and the
adjusted balances must agree. The truth is read from ``truth.csv`` here, independently of the package.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from finshare.cli import main
from finshare.reconcile.bankfiles import read_statement
from finshare.reconcile.sample_files import FILES, statement_name

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "bank-2020"
ARGS = ["--journal", str(SAMPLE / "journal.csv"), "--account", "1002", "--book-opening", "1000000.00"]


def reconcile(capsys, statement: Path, period: str, *more: str) -> tuple[int, dict | str, str]:
    code = main(["reconcile", "bank", "--statement", str(statement), *ARGS, "--period", period, *more])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 and "text" not in more else out), err


def truth_groups() -> set[tuple[frozenset, frozenset]]:
    truth = pd.read_csv(SAMPLE / "truth.csv", dtype=str, keep_default_na=False)
    both = truth[(truth["statement_rows"] != "") & (truth["journal_lines"] != "")]
    return {(frozenset(int(r) for r in rows.split()), frozenset(lines.split()))
            for rows, lines in zip(both["statement_rows"], both["journal_lines"])}


def test_the_committed_sample_is_the_generators_output(tmp_path):
    assert main(["generate", "bank-statements", "--seed", "2020", "--lines", "300", "--out", str(tmp_path)]) == 0
    for name in ["journal.csv", "truth.csv", "README.md"] + [statement_name(lay, f) for lay, f, _ in FILES
                                                               if f != "xlsx"]:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    workbook = statement_name("cmb", "xlsx")                # a workbook's bytes carry its creation time
    pd.testing.assert_frame_equal(read_statement(tmp_path / workbook), read_statement(SAMPLE / workbook))


@pytest.mark.parametrize("period", ["2020-01", "2020-02"])
def test_four_layouts_give_one_reconciliation_that_agrees(capsys, period):
    results = []
    for layout, fmt, _ in FILES:
        code, result, err = reconcile(capsys, SAMPLE / statement_name(layout, fmt), period)
        assert code == 0, err
        results.append(result)
    first = results[0]
    for other in results[1:]:
        assert other["matches"] == first["matches"] and other["statement"] == first["statement"]
    st = first["statement"]
    assert st["adjusted_book"] == st["adjusted_bank"]
    kinds = {i["kind"] for i in st["items"]}
    assert kinds <= {"企收银未", "企付银未", "银收企未", "银付企未"} and len(kinds) >= 3


def test_automatic_matches_are_precise_and_cover_the_truth(capsys):
    truth = truth_groups()
    found = {}
    for period in ("2020-01", "2020-02", "2020-03"):
        _, result, _ = reconcile(capsys, SAMPLE / "icbc_statement.csv", period)
        for m in result["matches"]:
            if m["statement_rows"] and m["journal_lines"]:
                key = (frozenset(m["statement_rows"]), frozenset(m["journal_lines"]))
                found[key] = m["status"]
    auto = {k for k, s in found.items() if s == "auto"}
    in_truth = lambda keys: {k for k in keys if k in truth}          # noqa: E731
    assert len(in_truth(auto)) >= 0.999 * len(auto)
    assert len(truth & auto) >= 0.85 * len(truth)                     # the three months of a 300-event sample
    assert len(in_truth(found)) >= 0.95 * len(truth)


def test_text_output(capsys):
    code, text, _ = reconcile(capsys, SAMPLE / "boc_statement.csv", "2020-02", "--format", "text")
    assert code == 0 and "两者相符 / they agree" in text


def test_a_case_folder_finds_the_bank_account_and_its_book(capsys, tmp_path):
    """A statement drawn from a small generated year: the account by its number, the book by its currency."""
    import finshare
    from finshare.generate.year import generate_year
    from finshare.reconcile.ledger_samples import statement_from_ledger, write_sample
    case = tmp_path / "year"
    generate_year(case, seed=3, scale=0.05)
    with finshare.Ledger(finshare.load_case(case, documents=False), case / "ledger.sqlite") as ledger:
        ledger.post()
        drawn = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=1)
        path = write_sample(drawn, ledger, tmp_path / "icbc.csv")
        expected = drawn.items()
    listed = {}
    for more in ([], ["--accept-proposed"]):
        code = main(["reconcile", "bank", "--statement", str(path), "--journal", str(case), "--period", "2020-06",
                     *more])
        out, err = capsys.readouterr()
        assert code == 0, err
        st = json.loads(out)["statement"]
        assert st["adjusted_book"] == st["adjusted_bank"]
        listed[bool(more)] = {(i["side"], str(i.get("journal_line", i.get("statement_row")))) for i in st["items"]}
    drawn = set(zip(expected["side"], expected["id"].astype(str)))
    assert listed[True] == drawn and drawn <= listed[False]         # proposals not applied stay outstanding
    code = main(["reconcile", "bank", "--statement", str(SAMPLE / "icbc_statement.csv"), "--journal", str(case),
                 "--period", "2020-06", "--bank-account", "B999"])
    assert code == 2


def test_bad_opening_and_bad_period_are_refused(capsys):
    code, _, err = reconcile(capsys, SAMPLE / "icbc_statement.csv", "2020-02", "--book-opening", "1,000,000.0x")
    assert code == 2 and "--book-opening" in err
    code, _, err = reconcile(capsys, SAMPLE / "icbc_statement.csv", "2020-13")
    assert code == 2 and "2020-13" in err
