"""The explorer's drill-down and the chapter tables, against figures computed here from the ledger's own lines.

A small generated year (seed 3, scale 0.05) is posted once for the module; each answer of
:class:`finshare.ui.drill.Drill` and :mod:`finshare.ui.close_views` is compared with a sum or a path taken
independently (journal lines, the trial balance, the lineage graph, the case's CSV files, hand arithmetic).
"""
import csv
from decimal import Decimal

import pandas as pd
import pytest

import finshare
from finshare.core.lineage import documents_of
from finshare.generate.year import generate_year
from finshare.ui import close_views as views
from finshare.ui.drill import Drill, amount_text
from year_sample import year_sample

BOOK, PERIOD = "FJ-CAS", "2020-06"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("drill")
    generate_year(root / "year", seed=3, scale=0.05)
    ledger = finshare.Ledger(finshare.load_case(root / "year"), root / "ledger.sqlite")
    ledger.post()
    yield root / "year", ledger, Drill(ledger)
    ledger.close()


def net(lines: pd.DataFrame) -> int:
    return int(lines["debit"].sum() - lines["credit"].sum())


def test_cash_is_made_of_the_bank_account_with_its_balance(year):
    _, ledger, drill = year
    gl = ledger.lines(BOOK, "gl")
    bank = gl[(gl["account"].astype(str) == "1002") & (gl["period"].astype(str) <= PERIOD)]
    accounts = drill.line_accounts(BOOK, PERIOD, "bs", "BS02")
    assert accounts[["account", "name_zh"]].values.tolist() == [["1002", "银行存款"]]
    assert int(accounts["amount"].iloc[0]) == net(bank) != 0


def test_revenue_is_the_year_to_date_credit_of_6001_and_a_credit_account_adds_positive(year):
    _, ledger, drill = year
    bv = ledger.lines(BOOK, "business")
    sales = bv[(bv["account"].astype(str) == "6001") & (bv["period"].astype(str).between("2020-01", PERIOD))
               & (bv["source_type"].astype(str) != "close")]
    accounts = drill.line_accounts(BOOK, PERIOD, "is", "IS01")
    assert accounts["account"].tolist() == ["6001"]
    assert int(accounts["amount"].iloc[0]) == -net(sales) > 0


def test_the_accounts_of_total_assets_add_up_to_the_line(year):
    _, ledger, drill = year
    bs = drill.statements(BOOK, PERIOD)["bs"].set_index("code")["current"]
    accounts = drill.line_accounts(BOOK, PERIOD, "bs", "BS36")
    assert int(accounts["amount"].sum()) == int(bs["BS36"])
    tb = ledger.trial_balance(BOOK, PERIOD, exact=True).set_index("account")
    assert int(accounts.set_index("account").at["1602", "amount"]) == int(tb.at["1602", "closing_debit"]
                                                                          - tb.at["1602", "closing_credit"]) < 0


def test_an_accounts_vouchers_add_up_to_its_movement_in_the_trial_balance(year):
    _, ledger, drill = year
    vouchers = drill.account_vouchers(BOOK, PERIOD, "1002")
    tb = ledger.trial_balance(BOOK, PERIOD, exact=True).set_index("account")
    assert int(vouchers["debit"].sum()) == int(tb.at["1002", "debit"])
    assert int(vouchers["credit"].sum()) == int(tb.at["1002", "credit"])
    assert vouchers["voucher_no"].is_unique and vouchers["voucher_no"].is_monotonic_increasing


def test_a_vouchers_documents_are_those_of_the_lineage_graph(year):
    _, ledger, drill = year
    gl = ledger.lines(BOOK, "gl")
    graph = ledger.lineage()
    for number in drill.account_vouchers(BOOK, PERIOD, "1122")["voucher_no"].head(3):
        ids = gl.loc[(gl["period"].astype(str) == PERIOD) & (gl["voucher_no"].astype(str) == number), "line_id"]
        expected = set().union(*(documents_of(graph, i) for i in ids))
        docs = drill.voucher_documents(BOOK, PERIOD, number)
        assert set(zip(docs["doc_type"], docs["doc_no"])) == expected and len(expected) > 0


def test_a_document_reaches_the_books_of_its_unit_and_balances_in_each(year):
    _, ledger, drill = year
    case = ledger.case
    head = case.documents["receipt"].header
    number = str(head.index[head["org"].astype(str) == "VN"][0])
    books = drill.document_books("receipt", number)
    assert list(books) == ["VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"]
    assert {b for b, lines in books.items() if len(lines)} == set(case.books.reaching("VN")) == {"VN-MGT", "FJ-CAS",
                                                                                                "FJ-HKFRS"}
    for lines in books.values():
        assert int(lines["debit"].sum()) == int(lines["credit"].sum())
    assert drill.reach_reason("receipt", number, "CN-MGT").startswith("不进入：业务单元 VN 不属于核算组织 CN-PC")


def test_a_documents_fields_read_as_in_its_csv_file(year):
    folder, _, drill = year
    with open(folder / "documents" / "payment_lines.csv", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    head, lines = drill.document_fields("payment", row["doc_no"])
    assert head.set_index("field").at["doc_no", "value"] == row["doc_no"]
    shown = lines["付款金额 Amount paid"].iloc[0]
    assert Decimal(shown.replace(",", "")) == Decimal(row["amount"])
    assert drill.document_fields("payment", "NO-SUCH")[0].empty


def test_amounts_for_people_keep_the_currencys_decimals():
    assert amount_text([123456789, -5, 0], 2) == ["1,234,567.89", "-0.05", "0.00"]
    assert amount_text([5500000], 0) == ["5,500,000"]


def test_monthly_lines_add_up_to_the_year_and_january_is_januarys_revenue(year):
    _, ledger, _ = year
    monthly = views.monthly_lines(ledger, BOOK, "2020", ["IS01", "IS24"])
    bv = ledger.lines(BOOK, "business")
    jan = bv[(bv["account"].astype(str) == "6001") & (bv["period"].astype(str) == "2020-01")]
    assert int(monthly.at["2020-01", "IS01"]) == -net(jan)
    from finshare.close.statements.report import book_statements
    year_is = book_statements(ledger, BOOK, "2020-12", "is")["is"].set_index("code")["current"]
    assert int(monthly["IS24"].sum()) == int(year_is["IS24"])


def test_partner_balances_are_the_intercompany_lines(year):
    _, ledger, _ = year
    bv = ledger.lines("VN-MGT", "business")
    ic = bv[(bv["partner"].astype(str) == "XM") & (bv["account"].astype(str) == "6001")]
    table = views.partner_balances(ledger, "VN-MGT", "XM", "2020-12")
    assert table.at["6001", "余额 net (VND)"] == Decimal(net(ic)) < 0


def test_one_machine_depreciates_over_each_books_life(tmp_path):
    """100,000.00 cost, 5 % residual from April: 95,000.00 / 120 = 791.67 (CAS), / 96 = 989.58 (HKFRS)."""
    case = year_sample(tmp_path / "case")
    with finshare.Ledger(finshare.load_case(case), tmp_path / "l.sqlite") as ledger:
        ledger.post()
        table = views.asset_schedule(ledger, "FA001", ["2020-03", "2020-04", "2020-05"])
    assert table["FJ-CAS 年限 life (月 months)"].tolist() == [120] * 3
    assert table["FJ-HKFRS 年限 life (月 months)"].tolist() == [96] * 3
    assert table["FJ-CAS 折旧 charge"].tolist() == [Decimal("0.00"), Decimal("791.67"), Decimal("791.66")]
    assert table["FJ-HKFRS 折旧 charge"].tolist() == [Decimal("0.00"), Decimal("989.58"), Decimal("989.59")]


def test_a_case_that_cannot_load_is_said_in_both_languages_in_the_explorer(tmp_path):
    from finshare.ui.ledger_explorer import LedgerExplorer

    app = LedgerExplorer(tmp_path / "no-such-case", tmp_path / "l.sqlite")
    app.start(background=False)
    assert 'class="fx-failed"' in app.status.value
    assert "no-such-case" in app.status.value and " / " in app.status.value
    assert app.drill is None and app.book.disabled
