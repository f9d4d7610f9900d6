"""Intercompany matching (finshare.reconcile.intercompany): a hand-made case with every reason code, the year's
in-transit goods, agreement with consolidation, the command line, and bad input."""
import io
import json
import shutil
from fractions import Fraction
from pathlib import Path

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import finshare
from finshare import cli
from finshare.close.consolidation import consolidate
from finshare.core.problems import FinshareError
from finshare.reconcile.intercompany import match_intercompany
from finshare.reconcile.intercompany.pairing import one_to_one

DATASET = Path(__file__).resolve().parents[1] / "datasets" / "fujian-2020"


def half_up(x: Fraction) -> int:
    """Round half away from zero, written independently of the package."""
    q = int(abs(x) + Fraction(1, 2))
    return q if x >= 0 else -q


def post(folder: Path):
    ledger = finshare.Ledger(finshare.load_case(folder), folder / "ledger.sqlite")
    ledger.post()
    return ledger


# --- a hand-made case: the Fujian folder with four shipments and one settlement -------------------------------
SMALL = {
    "sales_outbound": ("doc_no,date,org,customer,department,currency,status,remark",
                       ["XS1,2020-03-02,VN,C900,VN-MKT,CNY,approved,", "XS2,2020-03-10,VN,C900,VN-MKT,CNY,approved,",
                        "XS3,2020-03-28,VN,C900,VN-MKT,CNY,approved,", "XS4,2020-03-05,VN,C900,VN-MKT,CNY,approved,"],
                       "doc_no,line_no,material,qty,cost",
                       ["XS1,1,P002,10,1800.00", "XS2,1,P003,20,1600.00", "XS3,1,P004,5,1250.00", "XS4,1,P005,7,290.00"]),
    "ar_invoice": ("doc_no,date,org,customer,outbound,invoice_no,department,currency,status,remark",
                   ["YS1,2020-03-02,VN,C900,XS1,,VN-MKT,CNY,approved,", "YS2,2020-03-10,VN,C900,XS2,,VN-MKT,CNY,approved,",
                    "YS3,2020-03-28,VN,C900,XS3,,VN-MKT,CNY,approved,", "YS4,2020-03-05,VN,C900,XS4,,VN-MKT,CNY,approved,"],
                   "doc_no,line_no,material,qty,price,amount,tax_rate,tax,total",
                   ["YS1,1,P002,10,216,2160.00,0,0.00,2160.00", "YS2,1,P003,20,100,2000.00,0,0.00,2000.00",
                    "YS3,1,P004,5,300,1500.00,0,0.00,1500.00", "YS4,1,P005,7,50,350.00,0,0.00,350.00"]),
    "receipt": ("doc_no,date,org,customer,bank_account,invoice,currency,status,remark",
                ["SK1,2020-03-20,VN,C900,B102,YS1,CNY,approved,"], "doc_no,line_no,amount,purpose",
                ["SK1,1,2160.00,内部货款 / intercompany"]),
    "purchase_receipt": ("doc_no,date,org,biz_type,supplier,department,currency,status,remark",
                         ["CG1,2020-03-06,XM,标准采购,S900,XM-PUR,CNY,approved,",
                          "CG2,2020-03-14,XM,标准采购,S900,XM-PUR,CNY,approved,",
                          "CG3,2020-04-03,XM,标准采购,S900,XM-PUR,CNY,approved,"],
                         "doc_no,line_no,material,qty,price,amount",
                         ["CG1,1,P002,10,216,2160.00", "CG2,1,P003,20,95,1900.00", "CG3,1,P004,5,300,1500.00"]),
    "ap_invoice": ("doc_no,date,org,supplier,receipt,invoice_no,currency,status,remark",
                   ["YF1,2020-03-08,XM,S900,CG1,,CNY,approved,"],
                   "doc_no,line_no,material,qty,amount,tax_rate,tax,total", ["YF1,1,P002,10,2160.00,0,0.00,2160.00"]),
    "payment": ("doc_no,date,org,supplier,bank_account,invoice,currency,status,remark",
                ["FK1,2020-03-20,XM,S900,B001,YF1,CNY,approved,"], "doc_no,line_no,amount,purpose", ["FK1,1,2160.00,货款"]),
}
#: a rate on the last day of March, so the closing rate differs from the rate the sales were booked at
CLOSING = "2020-03-31,CNY,VND,3400"


def small_case(folder: Path, no_partner: bool = False) -> Path:
    shutil.copytree(DATASET, folder, ignore=shutil.ignore_patterns("documents", "ledger.sqlite*", "export"))
    (folder / "documents").mkdir()
    for name, (head, rows, lhead, lrows) in SMALL.items():
        (folder / "documents" / f"{name}.csv").write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
        (folder / "documents" / f"{name}_lines.csv").write_text("\n".join([lhead, *lrows]) + "\n", encoding="utf-8")
    with open(folder / "rates.csv", "a", encoding="utf-8") as fh:
        fh.write(CLOSING + "\n")
    if no_partner:  # the internal customer and supplier lose their group organisation: no line carries a partner
        for table, code in (("customers", "C900"), ("suppliers", "S900")):
            path = folder / "masterdata" / f"{table}.csv"
            lines = path.read_text(encoding="utf-8").splitlines()
            path.write_text("\n".join(line.rsplit(",", 1)[0] + "," if line.startswith(code + ",") else line
                                      for line in lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return post(small_case(tmp_path_factory.mktemp("ic-small") / "case"))


def test_hand_made_case_every_reason_code_and_the_tie_out(small):
    m = match_intercompany(small, "2020-03")
    p = m.pairs.set_index("ar_doc", drop=False)
    assert p.at["YS1", "ap_doc"] == "CG1" and p.at["YS1", "ap_ref"] == "YF1" and p.at["YS1", "reason"] == "matched"
    assert p.at["YS2", "ap_doc"] == "CG2" and p.at["YS2", "reason"] == "amount" and p.at["YS2", "difference"] == 10000
    assert p.at["YS3", "ap_doc"] == "CG3" and p.at["YS3", "reason"] == "timing"
    assert p.at["YS3", "other_period"] == "2020-04" and p.at["YS3", "difference"] == 150000
    assert p.at["YS4", "ap_doc"] == "" and p.at["YS4", "reason"] == "missing" and p.at["YS4", "missing_side"] == "ap"
    assert p.at["SK1", "ap_doc"] == "FK1" and p.at["SK1", "kind"] == "settlement" and p.at["SK1", "reason"] == "matched"
    # VN books every sale at 3,289 VND a yuan (March) and holds 3,850.00 yuan = 12,662,650 VND at the end of March;
    # at the closing rate of 3,400 that is 3,724.31 yuan, so 125.69 of translation difference
    vnd = 385000 * 3289 // 100
    closing = half_up(Fraction(vnd * 100, 3400))
    assert m.balances["receivable"]["book_amount"] == vnd == 12_662_650
    assert m.balances["receivable"]["amount"] == closing == 372431
    assert m.balances["payable"]["amount"] == 190000                     # CG2 only: CG1 was invoiced and paid
    assert m.differences == {"matched": 0, "timing": 150000, "fx": closing - 385000, "missing": 35000,
                             "amount": 10000}
    assert m.balances["difference"] == closing - 190000 == sum(m.differences.values()) and m.ties_out()
    assert m.in_transit == 150000
    # April: CG3 arrived, the rest is unchanged
    april = match_intercompany(small, "2020-04")
    assert april.differences["timing"] == 0 and april.differences["missing"] == 35000 and april.ties_out()


def test_hand_made_case_json(small):
    out = match_intercompany(small, "2020-03").to_dict()
    assert set(out) == {"period", "currency", "pairs", "balances", "differences"}
    assert out["differences"]["amount"] == "100.00" and out["differences"]["missing"] == "350.00"
    assert out["balances"]["receivable"]["book_amount"] == "12662650" and out["balances"]["payable"]["amount"] == "1900.00"
    row = next(r for r in out["pairs"] if r["ar_doc"] == "YS3")
    assert row["ap_date"] == "2020-04-03" and "2020-04" in row["detail"] and "in transit" in row["detail"]


def test_one_to_one_takes_the_nearest_when_documents_compete():
    cand = pd.DataFrame({"ar_doc": ["A", "A", "B", "C"], "ap_doc": ["X", "Y", "X", "Z"], "cost": [1, 2, 5, 0]})
    got = one_to_one(cand).sort_values("ar_doc").values.tolist()
    assert got == [["A", "Y"], ["B", "X"], ["C", "Z"]]                  # B has only X: A yields it and takes Y


@st.composite
def candidates(draw):
    edges = draw(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from("WXYZ"), st.integers(0, 15)),
                          min_size=1, max_size=9, unique_by=lambda e: e[:2]))
    return pd.DataFrame(edges, columns=["ar_doc", "ap_doc", "cost"])


@settings(max_examples=150, deadline=None)
@given(candidates())
def test_one_to_one_pairs_the_most_documents_at_the_least_cost(cand):
    got = one_to_one(cand)
    assert got["ar_doc"].is_unique and got["ap_doc"].is_unique
    cost = cand.set_index(["ar_doc", "ap_doc"])["cost"]
    assert all(k in cost.index for k in zip(got["ar_doc"], got["ap_doc"]))
    # brute force over every set of candidate pairs that uses no document twice
    edges = list(cost.items())
    best = max(((len(sub), -sum(c for _, c in sub)) for n in range(len(edges) + 1)
                for sub in itertools.combinations(edges, n)
                if len({a for (a, _), _ in sub}) == n == len({b for (_, b), _ in sub})))
    assert (len(got), -int(sum(cost[k] for k in zip(got["ar_doc"], got["ap_doc"])))) == best


def test_bad_input_is_refused_in_both_languages(small, tmp_path):
    with pytest.raises(FinshareError) as bad:
        match_intercompany(small, "2021-03")
    p = bad.value.problems[0]
    assert p.code == "unknown-period" and "期间" in p.message and "2020-03" in p.fix and "period" in p.message
    with pytest.raises(FinshareError) as bad:
        match_intercompany(small, "2020-13")
    assert bad.value.problems[0].code == "bad-period"
    folder = tmp_path / "nogroup"
    shutil.copytree(small.case.path, folder)
    (folder / "group.yaml").unlink()
    ledger = finshare.Ledger(finshare.load_case(folder, documents=False), folder / "ledger.sqlite")
    with pytest.raises(FinshareError) as bad:
        match_intercompany(ledger, "2020-03")
    p = bad.value.problems[0]
    assert p.code == "missing-file" and "group.yaml" in p.message and "找不到" in p.message
    ledger.close()


def test_a_case_whose_lines_carry_no_partner_is_refused(tmp_path):
    ledger = post(small_case(tmp_path / "case", no_partner=True))
    with pytest.raises(FinshareError) as bad:
        match_intercompany(ledger, "2020-03")
    p = bad.value.problems[0]
    assert p.code == "no-ic-partner" and "往来单位" in p.message and "partner" in p.message
    assert p.source.file.endswith("group.yaml") and "dimensions.yaml" in p.fix
    ledger.close()


# --- the year ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ic-year") / "case"
    shutil.copytree(DATASET, folder, ignore=shutil.ignore_patterns("ledger.sqlite*", "export"))
    return post(folder)


def _docs(name: str, party: str, upto: str = "2020-12-31", since: str = "2020-01-01") -> pd.DataFrame:
    """The case files' documents of ``name`` with customer or supplier ``party`` dated in [since, upto], in fen."""
    d = DATASET / "documents"
    head = pd.read_csv(d / f"{name}.csv", dtype=str)
    lines = pd.read_csv(d / f"{name}_lines.csv", dtype=str)
    lines["fen"] = lines["amount"].map(lambda a: int(Fraction(a) * 100))
    f = lines.merge(head, on="doc_no")
    who = f["customer"] if "customer" in f else f["supplier"]
    return f[(who == party) & (f["date"] >= since) & (f["date"] <= upto)]


def _not_received(sold: pd.DataFrame, bought: pd.DataFrame) -> pd.DataFrame:
    """Invoices with no purchase receipt of the same goods and amount dated on or after them."""
    keys = ["material", "qty", "fen"]
    both = sold.merge(bought[keys + ["date"]], on=keys, how="left", suffixes=("", "_in"))
    hit = both[both["date_in"] >= both["date"]]["doc_no"]
    return sold[~sold["doc_no"].isin(hit)]


def test_year_march_goods_in_transit_and_the_balances_from_the_documents(year):
    end = "2020-03-31"
    sold, got = _docs("ar_invoice", "C900", end), _docs("receipt", "C900", end)
    bought, paid = _docs("purchase_receipt", "S900", end), _docs("payment", "S900", end)
    # in transit: March invoices with no receipt of the same goods and amount by the end of March
    transit = _not_received(sold[sold["date"] >= "2020-03-01"], bought)
    m = match_intercompany(year, "2020-03")
    timing = m.pairs[m.pairs["reason"] == "timing"]
    assert sorted(timing["ar_doc"]) == sorted(transit["doc_no"]) == ["YS0000816", "YS0000840"]
    assert set(timing["other_period"]) == {"2020-04"}
    assert m.differences["timing"] == transit["fen"].sum() == 1_197_600 == m.in_transit
    # the receivable in VND: each document at the rate of its month (rates.csv), less receipts
    rates = pd.read_csv(DATASET / "rates.csv", dtype=str)
    rates = rates[(rates["from_currency"] == "CNY") & (rates["to_currency"] == "VND")]
    rate = {r.date[:7]: Fraction(r.rate) for r in rates.itertuples()}

    def vnd(frame):
        return sum(half_up(Fraction(f, 100) * rate[d[:7]]) for f, d in zip(frame["fen"], frame["date"]))
    book = vnd(sold) - vnd(got)
    closing = half_up(Fraction(book * 100) / rate["2020-03"])
    payable = bought["fen"].sum() - paid["fen"].sum()
    transaction = sold["fen"].sum() - got["fen"].sum()
    assert m.balances["receivable"]["book_amount"] == book
    assert m.balances["receivable"]["amount"] == closing and m.balances["receivable"]["transaction_amount"] == transaction
    assert m.balances["payable"]["amount"] == payable
    assert m.differences["fx"] == closing - transaction
    assert m.balances["difference"] == closing - payable == sum(m.differences.values())
    assert m.differences["missing"] == 0 and m.differences["amount"] == 0


@pytest.mark.parametrize("period", ["2020-03", "2020-12"])
def test_year_agrees_with_consolidation_in_transit_and_exchange_difference(year, period):
    m, c = match_intercompany(year, period), consolidate(year, period)
    assert m.in_transit == int(c.goods["transit_amount"].sum()) > 0
    # consolidation puts the rest of the IC balances to 6603: exactly the classified fx (and nothing else here)
    assert c.ic_difference == m.balances["difference"] - m.in_transit == m.differences["fx"] + m.differences["missing"] \
        + m.differences["amount"]
    elim = c.eliminations[(c.eliminations["kind"] == "ic_balances") & (c.eliminations["account"] == "1402")]
    assert int(elim["debit"].sum() - elim["credit"].sum()) == m.in_transit


def test_year_december_shipments_not_yet_received_are_in_transit(year):
    m = match_intercompany(year, "2020-12")
    timing = m.pairs[m.pairs["reason"] == "timing"]
    open_ = _not_received(_docs("ar_invoice", "C900", since="2020-12-01"), _docs("purchase_receipt", "S900"))
    assert sorted(timing["ar_doc"]) == sorted(open_["doc_no"])
    assert (timing["ap_doc"] == "").all() and (timing["other_period"] == "").all()
    assert m.differences["timing"] == open_["fen"].sum() and m.ties_out()


def test_command_line_json_and_csv(year, capsys):
    folder = str(year.case.path)
    assert cli.main(["reconcile", "ic", folder, "--period", "2020-03"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["period"] == "2020-03" and out["differences"]["timing"] == "11976.00"
    assert cli.main(["reconcile", "ic", folder, "--period", "2020-03", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert sorted(table.loc[table["reason"] == "timing", "ar_doc"]) == ["YS0000816", "YS0000840"]
    assert cli.main(["reconcile", "ic", folder, "--period", "2031-01"]) == 2
    err = capsys.readouterr().err
    assert "unknown-period" in err and "期间" in err
