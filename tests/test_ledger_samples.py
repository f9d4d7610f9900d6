"""A statement drawn from the generated year's own bank journal, and its 调节表 (ledger_samples, ledgerbank).

One small generated year (seed 3, scale 0.05) is posted once for the module. Expected figures are
computed here from the ledger's stored lines and the drawn statement, not from the matcher.
"""
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finshare.core.problems import FinshareError
from finshare.reconcile.bankfiles import detect_layout, read_statement
from finshare.reconcile.ledger_samples import bank_layout, statement_from_ledger, write_sample
from finshare.reconcile.ledgerbank import bank_books, decided_statement, reconcile_with_ledger

CASES = [("CN-MGT", "B001", "2020-06"), ("CN-MGT", "B002", "2020-08"), ("VN-MGT", "B101", "2020-11")]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    import finshare
    from finshare.generate.year import generate_year

    root = tmp_path_factory.mktemp("ledger-samples")
    generate_year(root / "year", seed=3, scale=0.05)
    led = finshare.Ledger(finshare.load_case(root / "year"), root / "ledger.sqlite")
    led.post()
    yield led
    led.close()


def bank_journal(ledger, book, account):
    """The account's stored bank lines (1002, that bank_account), every period."""
    gl = ledger.lines(book, "business")
    return gl[gl["account"].astype(str).str.startswith("1002") & (gl["bank_account"].astype(str) == account)]


@pytest.mark.parametrize("book,account,period", CASES)
def test_the_drawn_items_are_the_adjusted_statement(ledger, book, account, period):
    sample = statement_from_ledger(ledger, book, account, period, seed=7)
    mine = bank_journal(ledger, book, account)
    end = pd.Period(period, "M").end_time
    book_balance = int(mine.loc[mine["date"] <= end, "debit"].sum() - mine.loc[mine["date"] <= end, "credit"].sum())
    month = mine[(mine["period"].astype(str) == period) & (mine["source_type"].astype(str) != "opening_balance")]
    lines = sample.lines
    # every month line is on the statement once, unless in transit; the bank adds charges and interest
    assert len(lines) == len(month) - len(sample.in_transit) + len(sample.unbooked)
    assert set(sample.in_transit["line_id"]) <= set(month["line_id"].astype(str))
    assert (sample.unbooked["memo"].str.startswith("手续费") | sample.unbooked["memo"].str.startswith("结息")).all()
    assert (lines["date"].dt.strftime("%Y-%m") == period).all()
    # the running balance starts from the book's balance before the month
    opening = book_balance - int((month["debit"] - month["credit"]).sum())
    assert lines["balance"].tolist() == (opening + lines["amount"].cumsum()).tolist()

    rec = reconcile_with_ledger(ledger, book, account, period, lines, accept_proposed=True)
    st = rec.statement
    assert st.book_balance == book_balance
    assert st.bank_balance == int(lines["balance"].iloc[-1])
    got = st.items[["kind", "side", "id", "amount"]].assign(id=lambda d: d["id"].astype(str))
    want = sample.items().assign(id=lambda d: d["id"].astype(str))
    key = ["side", "id"]
    pd.testing.assert_frame_equal(got.sort_values(key).reset_index(drop=True), want.sort_values(key)
                                  .reset_index(drop=True), check_dtype=False)
    transit = int(sample.in_transit["amount"].sum())
    unbooked = int(sample.unbooked["amount"].sum())
    assert st.adjusted_book == book_balance + unbooked
    assert st.adjusted_bank == st.bank_balance + transit == st.adjusted_book


def test_same_seed_same_statement_other_seed_other_noise(ledger):
    a = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=1).lines
    b = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=1).lines
    c = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=2).lines
    pd.testing.assert_frame_equal(a, b)
    assert not (a[["counterparty", "reference"]].equals(c[["counterparty", "reference"]]))


def test_the_bank_prints_names_its_own_way(ledger):
    """Over the year: some references left out, some names without 有限公司, mistyped or blank."""
    frames = [statement_from_ledger(ledger, "CN-MGT", "B001", f"2020-{m:02d}", seed=0).lines for m in range(2, 13)]
    lines = pd.concat(frames)
    names = ledger.case.master["customers"]["name_zh"].tolist() + ledger.case.master["suppliers"]["name_zh"].tolist()
    trade = lines[lines["memo"].str.startswith(("货款", "付款"))]
    printed = trade["counterparty"].astype(str)
    assert 0.2 < (trade["reference"] == "").mean() < 0.5
    assert (printed == "").any()
    assert printed[~printed.isin(names) & (printed != "")].size > 3        # short or mistyped
    assert printed.isin(names).mean() > 0.5


def test_decisions_per_proposal(ledger):
    sample = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=0)
    rec = reconcile_with_ledger(ledger, "CN-MGT", "B001", "2020-06", sample.lines)
    everything = reconcile_with_ledger(ledger, "CN-MGT", "B001", "2020-06", sample.lines, accept_proposed=True)
    groups = rec.found.groups
    proposals = groups.loc[groups["status"] == "proposed", "group"].tolist()
    assert len(proposals) >= 2
    none = decided_statement(rec)
    assert (none.adjusted_book, none.adjusted_bank) == (rec.statement.adjusted_book, rec.statement.adjusted_bank)
    pd.testing.assert_frame_equal(decided_statement(rec, proposals).items, everything.statement.items)
    # accepting one proposal takes its bank lines out of 银收/银付企未 and its book lines out of 企收/企付银未
    g = proposals[0]
    bank_amount = int(rec.bank["amount"].to_numpy()[rec.found.bank_links.loc[rec.found.bank_links["group"] == g,
                                                                              "pos"]].sum())
    book_amount = int(rec.book["amount"].to_numpy()[rec.found.book_links.loc[rec.found.book_links["group"] == g,
                                                                              "pos"]].sum())
    one = decided_statement(rec, [g])
    assert one.adjusted_book == none.adjusted_book - bank_amount
    assert one.adjusted_bank == none.adjusted_bank - book_amount
    assert one.agrees
    with pytest.raises(FinshareError) as err:
        decided_statement(rec, [int(groups.loc[groups["status"] == "auto", "group"].iloc[0])])
    assert err.value.problems[0].code == "not-a-proposal"


@pytest.mark.parametrize("account,layout", [("B001", "icbc"), ("B002", "ccb")])
def test_written_in_the_banks_layout_and_read_back(ledger, tmp_path, account, layout):
    sample = statement_from_ledger(ledger, "CN-MGT", account, "2020-08", seed=0)
    path = write_sample(sample, ledger, tmp_path / f"{account}.csv")
    assert detect_layout(path) == layout
    back = read_statement(path)
    assert back.attrs["account_no"] == str(ledger.case.master["bank_accounts"].set_index("code")
                                           .at[account, "account_no"])
    cols = ["row", "date", "amount", "balance", "counterparty", "reference"]
    pd.testing.assert_frame_equal(back[cols], sample.lines[cols], check_dtype=False)


def test_bank_books_and_layouts(ledger):
    table = bank_books(ledger).set_index("bank_account")
    assert table["book"].to_dict() == {"B001": "CN-MGT", "B002": "CN-MGT", "B101": "VN-MGT", "B102": "FJ-CAS"}
    assert [bank_layout(b) for b in ("中国工商银行厦门分行", "中国建设银行深圳分行", "中国银行胡志明市分行", "Vietcombank")] \
        == ["icbc", "ccb", "boc", None]


def test_problems_are_named(ledger, tmp_path):
    codes = {}
    for name, call in {
        "unknown": lambda: statement_from_ledger(ledger, "CN-MGT", "B999", "2020-06"),
        "currency": lambda: statement_from_ledger(ledger, "CN-MGT", "B101", "2020-06"),
        "layout": lambda: write_sample(statement_from_ledger(ledger, "VN-MGT", "B101", "2020-06"), ledger,
                                       tmp_path / "vn.csv"),
        "empty": lambda: reconcile_with_ledger(ledger, "CN-MGT", "B001", "2020-01",
                                               statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06").lines),
    }.items():
        with pytest.raises(FinshareError) as err:
            call()
        problem = err.value.problems[0]
        assert " / " in problem.message                     # bilingual
        codes[name] = problem.code
    assert codes == {"unknown": "unknown-bank-account", "currency": "bank-currency-mismatch",
                     "layout": "no-bank-layout", "empty": "no-account-lines"}


def test_workbench_widgets_without_a_browser(ledger):
    """The workbench over the same store (nothing new to post): pick, accept, reject, a bad upload."""
    from finshare.core.money import display
    from finshare.ui.workbench import ReconciliationWorkbench

    root = ledger.case.path.parent
    app = ReconciliationWorkbench(root / "year", root / "ledger.sqlite")
    app.load()
    assert [v for _, v in app.account.options] == ["B001", "B002", "B101", "B102"]
    app.account.value, app.period.value = "B001", "2020-06"
    sample = statement_from_ledger(ledger, "CN-MGT", "B001", "2020-06", seed=0)
    rec = reconcile_with_ledger(ledger, "CN-MGT", "B001", "2020-06", sample.lines)
    groups = rec.found.groups
    first, second = sorted(groups.loc[groups["status"] == "proposed", "group"].astype(int))[:2]
    app.decide(first, "accept")
    app.decide(second, "reject")
    after = decided_statement(rec, [first])
    assert f'id="rw-adjusted-book">{display(after.adjusted_book, 2)}<' in app.adjusted.value
    assert f'id="rw-bank-balance">{display(int(sample.lines["balance"].iloc[-1]), 2)}<' in app.adjusted.value
    assert app.decisions == {first: "accepted", second: "rejected"}
    app.use_upload([{"name": "junk.csv", "content": memoryview(b"foo,bar\n1,2\n")}])
    assert "junk.csv" in app.problem.value and app.adjusted.value == ""
    assert app.out.outputs == ()


@pytest.fixture(scope="module")
def business_lines(ledger):
    """Each book's business lines, read once for the hypothesis examples."""
    return {b: ledger.lines(b, "business") for b in ("CN-MGT", "VN-MGT")}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), month=st.integers(2, 12), which=st.sampled_from(
    [("CN-MGT", "B001"), ("CN-MGT", "B002"), ("VN-MGT", "B101")]))
def test_any_seed_any_month_the_statement_agrees_with_the_drawn_items(ledger, business_lines, seed, month, which):
    book, account = which
    period = f"2020-{month:02d}"
    lines = business_lines[book]
    sample = statement_from_ledger(ledger, book, account, period, seed, lines=lines)
    rec = reconcile_with_ledger(ledger, book, account, period, sample.lines, accept_proposed=True, lines=lines)
    st_ = rec.statement
    assert st_.agrees
    assert st_.adjusted_bank - st_.bank_balance == int(sample.in_transit["amount"].sum())
    assert st_.adjusted_book - st_.book_balance == int(sample.unbooked["amount"].sum())
    assert sorted(zip(st_.items["side"], st_.items["id"].astype(str))) == sorted(
        zip(sample.items()["side"], sample.items()["id"].astype(str)))
