"""The ledger explorer in a real browser: ``finshare app --name ledger_explorer`` on a small generated year.

One page load: the explorer posts a generated year (seed 3, scale 0.05, a few seconds) into a temporary
store, FJ-CAS at 2020-06 shows total assets as the package computes them, 货币资金 → 1002 with its
balance → its vouchers → the first one's source documents → the first document in all four books.
The expected figures are computed here, in the test process, from the ledger's own lines.
"""

import pytest
from playwright.sync_api import expect

from browser import app_server, screenshot, small_year

KERNEL_READY_MS = 90_000
BOOKS = ["VN-MGT", "CN-MGT", "FJ-CAS", "FJ-HKFRS"]
BOOK, PERIOD = "FJ-CAS", "2020-06"


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A small generated year, posted here once for the expected figures."""
    root = tmp_path_factory.mktemp("explorer")
    ledger = small_year(root)
    yield root, ledger
    ledger.close()


@pytest.fixture(scope="module")
def explorer(year):
    """``finshare app --name ledger_explorer --case YEAR --store …`` on a free port; stopped afterwards."""
    root, _ = year
    server = app_server("ledger_explorer", root, root / "year", root / "app.sqlite")
    yield server
    server.stop()


def shown(minor: int) -> str:
    """An amount as the explorer prints CNY: thousands separators, two decimals."""
    from finshare.core.money import display
    return display(minor, 2)


def test_statement_line_to_accounts_vouchers_documents_and_every_book(year, explorer, page, console_errors):
    from finshare.close.statements.report import book_statements

    _, ledger = year
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(explorer.url)
    assert "finshare ledger explorer on http://127.0.0.1:" in explorer.log_tail()
    expect(page.locator("#fx-status")).to_have_class("fx-ready", timeout=KERNEL_READY_MS)

    page.get_by_label("账簿 Book").select_option(label=f"{BOOK} {ledger.case.books[BOOK].name_zh}")
    page.get_by_label("期间 Period").select_option(PERIOD)
    bs = book_statements(ledger, BOOK, PERIOD, "bs")["bs"].set_index("code")["current"]
    expect(page.locator("#fx-amt-bs-BS36")).to_have_text(shown(bs["BS36"]))      # 资产总计 as the package says
    expect(page.locator("#fx-amt-bs-BS73")).to_have_text(shown(bs["BS73"]))

    # 货币资金 → 1002 with its balance at the period end, from the ledger's GL lines
    gl = ledger.lines(BOOK, "gl")
    cash = gl[(gl["account"].astype(str) == "1002") & (gl["period"].astype(str) <= PERIOD)]
    page.get_by_role("button", name="货币资金", exact=True).click()
    expect(page.locator("#fx-accounts")).to_contain_text("货币资金")
    expect(page.locator("#fx-acc-1002")).to_have_text(shown(int(cash["debit"].sum() - cash["credit"].sum())))

    # 1002 → the period's GL vouchers that post to it
    month = cash[cash["period"].astype(str) == PERIOD]
    numbers = sorted(set(month["voucher_no"].astype(str)))
    page.get_by_role("button", name="1002 银行存款", exact=True).click()
    vouchers = page.locator(".widget-select select")
    expect(vouchers.locator("option")).to_have_count(len(numbers))
    first = month[month["voucher_no"].astype(str) == numbers[0]]
    expect(vouchers.locator("option").first).to_contain_text(
        f"{numbers[0]} · {first['date'].iloc[0].date()} · 借 Dr {shown(int(first['debit'].sum()))}")

    # pick it → its lines and source documents (from the lineage graph), the first document shown
    from finshare.core.lineage import documents_of

    graph = ledger.lineage()
    sources = set()
    for line_id in gl.loc[(gl["period"].astype(str) == PERIOD) & (gl["voucher_no"].astype(str) == numbers[0]), "line_id"]:
        sources |= documents_of(graph, line_id)
    doc_type, number = min(sources, key=lambda s: s[1])
    vouchers.select_option(index=0)
    voucher = page.locator("#fx-voucher")
    expect(voucher).to_contain_text(f"总账凭证 GL voucher {numbers[0]}")
    expect(voucher).to_contain_text(f"原始单据 Source documents ({len(sources)})")
    expect(page.locator("#fx-document")).to_contain_text(f"单据 Document {number}")
    expect(page.locator("#fx-document")).to_contain_text(ledger.case.doctypes[doc_type].label_zh)

    # the document in every book: a voucher card where it reaches, the reason where it does not
    books = page.locator("#fx-books > div")
    expect(books).to_have_count(4)
    bv = ledger.lines(None, "business")
    reached = set(bv.loc[(bv["source_no"].astype(str) == number), "book"].astype(str))
    assert len(reached) == 3
    for book in BOOKS:
        card = page.locator(f"#fx-book-{book}")
        if book in reached:
            mine = bv[(bv["book"].astype(str) == book) & (bv["source_no"].astype(str) == number)]
            expect(card.locator(".fs-number")).to_have_text(str(mine["voucher_no"].iloc[0]))
            exp = ledger.case.books[book].exponent
            from finshare.core.money import display
            expect(card.locator("tr.fs-total td").nth(1)).to_have_text(display(int(mine["debit"].sum()), exp))
        else:
            expect(card).to_contain_text("不进入")

    page.set_viewport_size({"width": 1280, "height": 900})
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(height + 20, 900)})
    screenshot(page, "ledger_explorer_1280")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    expect(page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")) \
        .to_have_count(0)
    assert console_errors == []
