"""The reconciliation workbench in a real browser: ``finshare app --name reconciliation_workbench`` on a small year.

One page load: the workbench posts a generated year (seed 3, scale 0.05) into a temporary store; B001 at
2020-06 shows the book balance (summed here from the stored 1002 lines) and the bank balance (the drawn
statement's last printed balance); accepting a proposal moves the adjusted balances by the group's amounts
to the package's figure, rejecting one changes nothing; a bad upload shows its bilingual problem, a bank's
export (CCB layout, detected) switches the account and month.
"""

import pytest
from playwright.sync_api import expect

from browser import app_server, screenshot, small_year

KERNEL_READY_MS = 90_000
BOOK, ACCOUNT, PERIOD = "CN-MGT", "B001", "2020-06"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A small generated year, posted here once for the expected figures."""
    root = tmp_path_factory.mktemp("workbench")
    ledger = small_year(root)
    yield root, ledger
    ledger.close()


@pytest.fixture(scope="module")
def workbench(year):
    """``finshare app --name reconciliation_workbench --case YEAR --store …`` on a free port; stopped afterwards."""
    root, _ = year
    server = app_server("reconciliation_workbench", root, root / "year", root / "app.sqlite")
    yield server
    server.stop()


def shown(minor: int) -> str:
    from finshare.core.money import display
    return display(minor, 2)


def upload(page, path) -> None:
    """Choose ``path`` in the FileUpload's dialog (its input is not in the DOM in ipywidgets 8)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".widget-upload").click()
    chooser.value.set_files(str(path))


def option_label(ledger, account: str) -> str:
    """The bank-account choice as the workbench lists it: code, name, book, currency."""
    row = ledger.case.master["bank_accounts"].set_index("code").loc[account]
    return f"{account} {row['name_zh']} · {BOOK} · {row['currency']}"


def group_amount(rec, side: str, group: int) -> int:
    """Signed sum of one match group's lines on one side (bank rows or book lines)."""
    table, links = (rec.bank, rec.found.bank_links) if side == "bank" else (rec.book, rec.found.book_links)
    return int(table["amount"].to_numpy()[links.loc[links["group"] == group, "pos"].to_numpy()].sum())


def test_pick_decide_and_upload(year, workbench, page, console_errors):
    from finshare.reconcile.ledger_samples import statement_from_ledger, write_sample
    from finshare.reconcile.ledgerbank import decided_statement, reconcile_with_ledger

    root, ledger = year
    sample = statement_from_ledger(ledger, BOOK, ACCOUNT, PERIOD, seed=0)
    rec = reconcile_with_ledger(ledger, BOOK, ACCOUNT, PERIOD, sample.lines)
    groups = rec.found.groups
    proposals = sorted(groups.loc[groups["status"] == "proposed", "group"].astype(int))
    assert len(proposals) >= 2
    gl = ledger.lines(BOOK, "business")
    mine = gl[gl["account"].astype(str).str.startswith("1002") & (gl["bank_account"].astype(str) == ACCOUNT)
              & (gl["period"].astype(str) <= PERIOD)]
    book_balance = int(mine["debit"].sum() - mine["credit"].sum())

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(workbench.url)
    assert "finshare reconciliation workbench on http://127.0.0.1:" in workbench.log_tail()
    expect(page.locator("#rw-status")).to_have_class("fx-ready", timeout=KERNEL_READY_MS)
    page.get_by_label("银行账户 Bank account").select_option(label=option_label(ledger, ACCOUNT))
    page.get_by_label("期间 Period").select_option(PERIOD)
    expect(page.locator("#rw-source")).to_contain_text(f"{ACCOUNT} · {PERIOD} · {len(sample.lines)} 行 rows")
    expect(page.locator("#rw-book-balance")).to_have_text(shown(book_balance))
    expect(page.locator("#rw-bank-balance")).to_have_text(shown(int(sample.lines["balance"].iloc[-1])))
    before = rec.statement
    expect(page.locator("#rw-adjusted-book")).to_have_text(shown(before.adjusted_book))
    expect(page.locator("#rw-auto")).to_contain_text(f"自动匹配 Automatic matches ({int((groups['status'] == 'auto').sum())})")
    expect(page.locator("#rw-unmatched")).to_contain_text("手续费")

    # accept the first proposal: its bank lines leave 银收/银付企未, its book lines 企收/企付银未
    first, second = proposals[0], proposals[1]
    after = decided_statement(rec, [first])
    assert after.adjusted_book == before.adjusted_book - group_amount(rec, "bank", first)
    assert after.adjusted_bank == before.adjusted_bank - group_amount(rec, "book", first)
    page.locator(f".rw-accept-{first}").click()
    expect(page.locator(f"#rw-decision-{first}")).to_contain_text("已接受 accepted")
    expect(page.locator("#rw-adjusted-book")).to_have_text(shown(after.adjusted_book))
    expect(page.locator("#rw-adjusted-bank")).to_have_text(shown(after.adjusted_bank))
    expect(page.locator("#rw-agree")).to_have_text("两者相符 / they agree")
    # reject the second: it stays outstanding, the statement does not move
    page.locator(f".rw-reject-{second}").click()
    expect(page.locator(f"#rw-decision-{second}")).to_contain_text("已拒绝 rejected")
    expect(page.locator("#rw-adjusted-book")).to_have_text(shown(after.adjusted_book))

    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(height + 20, 900)})
    screenshot(page, "reconciliation_workbench_1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.set_viewport_size({"width": 1280, "height": 900})

    # a file that is no bank statement: its problem, bilingual, no traceback
    bad = root / "not-a-statement.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    upload(page, bad)
    expect(page.locator("#rw-problem")).to_contain_text("not-a-statement.csv")
    expect(page.locator("#rw-problem")).to_contain_text(" / ")
    expect(page.locator("#rw-statement")).to_have_count(0)

    # a CCB export of B002: the layout is detected, the account and month follow the file
    other = statement_from_ledger(ledger, BOOK, "B002", "2020-08", seed=5)
    path = write_sample(other, ledger, root / "ccb-b002-2020-08.csv")
    upload(page, path)
    expect(page.locator("#rw-source")).to_contain_text("格式 layout ccb")
    expect(page.get_by_label("银行账户 Bank account").locator("option:checked")).to_have_text(option_label(ledger, "B002"))
    expect(page.get_by_label("期间 Period").locator("option:checked")).to_have_text("2020-08")
    expect(page.locator("#rw-bank-balance")).to_have_text(shown(int(other.lines["balance"].iloc[-1])))
    expect(page.locator("#rw-agree")).to_have_text("两者相符 / they agree")
    expect(page.locator("#rw-problem")).to_have_count(0)

    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []
