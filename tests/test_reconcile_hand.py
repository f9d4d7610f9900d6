"""A hand-sized bank reconciliation: every figure of the 调节表 worked out by hand (see the comments)."""
import io
import json

import pandas as pd
import pytest

from finshare.core.problems import FinshareError
from finshare.reconcile.bank import BankOptions, reconcile_bank
from finshare.reconcile.bankjournal import journal_for_account, read_journal
from finshare.reconcile.banklines import conform
from finshare.reconcile.names import learn_aliases, read_aliases, write_aliases

# Statement of B001, March 2020; bank balance before row 1: 100,000.00.
BANK = """row,date,amount,balance,counterparty,memo,reference
1,2020-03-02,2000000,12000000,厦门华联商贸有限公司,货款 XS001,BK01
2,2020-03-03,-240000,11760000,办公用品供应商,支票 0211,BK02
3,2020-03-06,-500000,11260000,办公用品供应商,,BK03
4,2020-03-12,500000,11760000,泉州海丰贸易公司,合并付款,BK04
5,2020-03-16,70000,11830000,林小明,,BK05
6,2020-03-20,-330000,11500000,广告供应商,广告费,BK06
7,2020-03-21,12530,11512530,,利息,BK07
8,2020-03-25,-3500,11509030,,手续费,BK08
9,2020-04-01,800000,12309030,厦门华联商贸有限公司,货款,BK09
"""
# Book opening (before J0): 100,000.00. J8 is a red-ink reversal of the duplicate J9.
JOURNAL = """line_id,date,account,debit,credit,summary,customer,supplier,bank_account,source_no
J0,2020-02-27,100201,0,2400.00,开支票付办公用品款,,S001,B001,CG011
J1,2020-03-02,100201,20000.00,0,收华联货款,C001,,B001,XS001
J2,2020-03-05,100201,0,5000.00,付办公用品款,,S001,B001,CG012
J3,2020-03-10,100201,3000.00,0,收海丰货款,C002,,B001,XS002
J4,2020-03-11,100201,2000.00,0,收海丰货款,C002,,B001,XS003
J5,2020-03-30,100201,8000.00,0,收华联货款（存入支票）,C001,,B001,XS004
J6,2020-03-31,100201,0,1500.00,开支票付印刷费,,S002,B001,CG013
J7,2020-03-15,100201,700.00,0,收明辉货款,C003,,B001,XS005
J8,2020-03-18,100201,-700.00,0,冲销重复记账,C003,,B001,XS005
J9,2020-03-16,100201,700.00,0,收明辉货款,C003,,B001,XS005
J10,2020-03-20,100201,0,3300.00,付广告费,,S003,B001,CG014
X1,2020-03-20,6601,3300.00,0,广告费,,S003,,CG014
Y1,2020-03-20,100202,999.00,0,另一银行账户,,,B002,
"""
NAMES = {"C001": "厦门华联商贸有限公司", "C002": "泉州海丰贸易有限公司", "C003": "漳州明辉食品有限公司",
         "S001": "办公用品供应商", "S002": "福州印刷有限公司", "S003": "广告供应商"}


@pytest.fixture()
def inputs(tmp_path):
    bank = conform(pd.read_csv(io.StringIO(BANK), parse_dates=["date"], dtype={"memo": str}).fillna(""),
                   currency="CNY")
    bank["currency"] = "CNY"
    path = tmp_path / "journal.csv"
    path.write_text(JOURNAL, encoding="utf-8")
    aliases = pd.DataFrame({"bank_name": ["林小明"], "code": ["C003"], "matches": [1]})
    return bank, read_journal(path), aliases


def run(inputs, **kw):
    bank, journal, aliases = inputs
    opt = BankOptions(names=NAMES, aliases=aliases, bank_account="B001", book_opening=10_000_000, **kw)
    return reconcile_bank(bank, journal, "1002", "2020-03", opt)


def test_statement_worked_by_hand(inputs):
    out = json.loads(run(inputs).to_json())["statement"]
    # book: 100,000 − 2,400 + 20,000 − 5,000 + 3,000 + 2,000 + 8,000 − 1,500 + 700 + 700 − 700 − 3,300
    assert out["book_balance"] == "121500.00"
    assert out["bank_balance"] == "115090.30"           # printed balance after row 8 (the last of March)
    kinds = {(i["kind"], i.get("journal_line", i.get("statement_row")), i["amount"]) for i in out["items"]}
    assert kinds == {("企收银未", "J5", "8000.00"), ("企付银未", "J6", "1500.00"),
                     ("银收企未", 7, "125.30"), ("银付企未", 8, "35.00")}
    assert out["adjusted_book"] == "121590.30"          # 121,500 + 125.30 − 35
    assert out["adjusted_bank"] == "121590.30"          # 115,090.30 + 8,000 − 1,500
    assert out["agree"] is True
    assert [i["clears"] for i in out["items"] if i["kind"] == "企收银未"] == ["2020-04-01"]


def test_matches_by_rule(inputs):
    got = json.loads(run(inputs).to_json())
    by_rows = {(tuple(m["statement_rows"]), tuple(m["journal_lines"])): (m["rule"], m["status"])
               for m in got["matches"]}
    assert by_rows == {
        ((1,), ("J1",)): ("reference", "auto"),
        ((2,), ("J0",)): ("amount_window_counterparty", "auto"),     # last month's cheque clears in March
        ((3,), ("J2",)): ("amount_window_counterparty", "auto"),
        ((4,), ("J3", "J4")): ("combined_payment", "auto"),          # one transfer for two receipts
        ((5,), ("J7",)): ("amount_window_counterparty", "auto"),     # the owner's card, by the alias table
        ((6,), ("J10",)): ("amount_date_counterparty", "auto"),
        ((), ("J8", "J9")): ("reversal", "auto"),                    # the red-ink line cancels the duplicate
        ((9,), ("J5",)): ("amount_window_counterparty", "auto"),     # deposit in transit, clears 1 April
    }
    reasons = {r["row"]: r["reason"] for r in got["unmatched_statement_rows"]}
    assert reasons == {7: "no-candidate", 8: "no-candidate"}
    assert {r["line_id"]: r["reason"] for r in got["unmatched_journal_lines"]} == {"J6": "no-candidate"}
    first = next(m for m in got["matches"] if m["statement_rows"] == [1])
    assert first["fields"] == ["reference", "amount", "date"] and first["score"] == 1.0


def test_without_alias_the_owner_payment_is_only_proposed(inputs):
    bank, journal, _ = inputs
    rec = run((bank, journal, None))
    m = {tuple(x["statement_rows"]): x for x in json.loads(rec.to_json())["matches"]}
    assert m[(5,)]["status"] == "proposed" and m[(5,)]["journal_lines"] == ["J7"]
    assert not rec.statement.agrees or rec.statement.adjusted_book == rec.statement.adjusted_bank
    # not applied: row 5 and J7 stand in the 调节表 as items on both sides
    items = rec.statement.items
    assert {("bank", 5), ("book", "J7")} <= set(zip(items["side"], items["id"]))


def test_learned_aliases_round_trip(inputs, tmp_path):
    rec = run(inputs)
    table = learn_aliases(rec)
    row = table[table["bank_name"] == "泉州海丰贸易公司"]
    assert row["code"].tolist() == ["C002"]
    path = write_aliases(table, tmp_path / "reconcile" / "aliases.csv")
    assert read_aliases(path).equals(table)


def test_text_shows_the_adjusted_balances(inputs):
    text = run(inputs).text()
    assert "121,590.30" not in text and text.count("121590.30") == 2 and "两者相符" in text
    assert "调节后余额" in run(inputs)._repr_html_()


def test_selection_of_the_bank_account(inputs):
    _, journal, _ = inputs
    assert set(journal_for_account(journal, "1002")["line_id"]) == {f"J{i}" for i in range(11)} | {"Y1"}
    assert "Y1" not in set(journal_for_account(journal, "1002", "B001")["line_id"])


def test_bad_journal_csv_names_line_and_field(tmp_path):
    path = tmp_path / "j.csv"
    path.write_text(JOURNAL.replace("3000.00", "3000.0x"), encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        read_journal(path)
    p = err.value.problems[0]
    assert (p.code, p.source.line, p.source.field) == ("bad-journal-value", 5, "debit")
    path.write_text(JOURNAL.replace("2020-03-05", "2020-13-05"), encoding="utf-8")
    with pytest.raises(FinshareError) as err:
        read_journal(path)
    assert (err.value.problems[0].source.line, err.value.problems[0].source.field) == (4, "date")


def test_bank_line_takes_its_vouchers_counterparty():
    journal = pd.DataFrame({
        "line_id": ["V1/1", "V1/2", "V2/1", "V2/2", "V2/3"], "voucher_no": ["记-1", "记-1", "记-2", "记-2", "记-2"],
        "date": pd.to_datetime(["2020-03-02"] * 5), "account": ["100201", "1122", "100201", "1122", "1122"],
        "debit": [500, 0, 900, 0, 0], "credit": [0, 500, 0, 400, 500], "summary": "收款",
        "customer": ["", "C001", "", "C001", "C002"]})
    lines = journal_for_account(journal, "1002")
    assert lines["counterparty"].tolist() == ["C001", ""]       # a voucher of two customers gives none


@pytest.mark.parametrize("change, code, field", [
    (lambda j: j.drop(columns="summary"), "no-journal-column", "summary"),
    (lambda j: j.assign(debit=j["debit"].astype("float64")), "journal-money-not-minor-units", "debit"),
])
def test_bad_journal_frame(inputs, change, code, field):
    bank, journal, _ = inputs
    with pytest.raises(FinshareError) as err:
        reconcile_bank(bank, change(journal), "1002", "2020-03")
    assert (err.value.problems[0].code, err.value.problems[0].source.field) == (code, field)


def test_bad_period_account_and_files(inputs, tmp_path):
    bank, journal, _ = inputs
    for call, code in [(lambda: reconcile_bank(bank, journal, "1002", "2020-3"), "bad-period"),
                       (lambda: reconcile_bank(bank, journal, "1012", "2020-03"), "no-account-lines"),
                       (lambda: read_journal(tmp_path / "none.csv"), "missing-file"),
                       (lambda: read_aliases(tmp_path / "none.csv"), "missing-file"),
                       (lambda: reconcile_bank(bank, journal, "1002", "2020-03",
                                               BankOptions(rules=tmp_path / "r.yaml")), "missing-file")]:
        with pytest.raises(FinshareError) as err:
            call()
        assert err.value.problems[0].code == code


def test_reasons_ambiguous_and_outside_window():
    bank = conform(pd.DataFrame({
        "row": [1, 2, 3], "date": pd.to_datetime(["2020-03-10", "2020-03-10", "2020-03-20"]),
        "amount": [10000, 10000, 77700], "counterparty": ["", "", ""], "currency": "CNY"}), currency="CNY")
    journal = pd.DataFrame({
        "line_id": ["A", "B"], "date": pd.to_datetime(["2020-03-10", "2020-01-05"]), "account": "1002",
        "debit": [10000, 77700], "credit": [0, 0], "summary": ["收款", "收款"]})
    got = json.loads(reconcile_bank(bank, journal, "1002", "2020-03").to_json())
    assert got["matches"] == []
    assert {r["row"]: r["reason"] for r in got["unmatched_statement_rows"]} == {
        1: "ambiguous", 2: "ambiguous", 3: "outside-window"}       # two equal bank lines for one book line
    assert {r["line_id"]: r["reason"] for r in got["unmatched_journal_lines"]} == {
        "A": "ambiguous", "B": "outside-window"}                 # 77,700 is 75 days away
