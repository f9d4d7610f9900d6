"""The course figures: real labels from the Fujian case, drawn with a CJK font and no missing glyphs."""
import io
import warnings

import matplotlib.text
import pytest

import finshare
from conftest import FUJIAN
from finshare.ui import figures


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def render(fig) -> bytes:
    """PNG bytes; any warning (e.g. "Glyph ... missing from font") fails the test."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buf, format="png")
    return buf.getvalue()


@pytest.fixture(scope="module")
def posted():
    case = finshare.load_case(FUJIAN)
    ledger = finshare.Ledger(case)
    ledger.post()
    return case, ledger


def test_a_cjk_font_from_debian_is_used():
    assert figures.cjk_family() == "Noto Sans CJK SC"


def test_categories_come_in_cas_order_with_their_balances():
    table = figures.category_counts(finshare.Chart.builtin("CAS"))
    assert list(table.index) == ["1 资产 Assets", "2 负债 Liabilities", "3 共同 Common", "4 所有者权益 Equity",
                                 "5 成本 Cost", "6 损益 Profit and loss"]
    assert table.loc["1 资产 Assets"].tolist() == [37, 12, 3]          # 12 contra accounts credit
    assert table.sum().sum() == 127
    fig = figures.category_figure(finshare.Chart.builtin("CAS"))
    assert render(fig)[:4] == b"\x89PNG" and "52" in texts(fig)


def test_chart_tree_shows_every_level_of_2202_and_2221():
    fig = figures.chart_tree(finshare.Chart.builtin("CAS"), ["2202", "2221"])
    labels = texts(fig)
    assert "2202 应付账款 (贷)  Accounts payable" in labels
    assert "22210101 进项税额 (借)  Input VAT" in labels
    assert sum(label[:4] in ("2202", "2221") for label in labels) == 3 + 1 + 1 + 10 + 9      # 2202 and its 2; 2221, 222101, its 10 columns, 9 more
    render(fig)


def test_posting_path_draws_the_three_vouchers(posted):
    case, _ = posted
    fig = figures.posting_path([finshare.why(case, n, "FJ-CAS") for n in ("CG001", "CG002", "CG003")])
    labels = texts(fig)
    assert "CG002 业务凭证 · FJ-CAS\n借 6602 管理费用 10,000.00\n贷 220202 应付账款—暂估应付款 10,000.00" in labels
    assert 'EXP/2 借 6601\n部门属性 == "销售"' in labels
    render(fig)


def test_books_diagram_has_units_organisations_and_four_books(posted):
    case, _ = posted
    labels = texts(figures.books_diagram(case))
    assert "FJ-HKFRS 福建制造公司香港准则账簿\nHKD · HKFRS · GL summary" in labels
    assert "CN-PC 中国工厂利润中心\n管理核算体系 MGT" in labels
    assert sum(label.split()[0] in ("XM", "SZ", "VN") for label in labels) == 3


def test_lineage_of_one_document(posted):
    _, ledger = posted
    fig = figures.lineage_figure(ledger.lineage(), "purchase_receipt", "CG003", ledger.lines(None, None))
    labels = texts(fig)
    assert "CG003" in labels and "FJ-CAS/2020-03/记-0002" in labels           # summarised GL voucher
    assert "FJ-HKFRS 记-0003/1\n借 6100 5,500.00 HKD" in labels
    render(fig)


def test_t_accounts_total_and_balance(posted):
    case, ledger = posted
    fig = figures.t_accounts(ledger.lines("FJ-CAS", "gl"), case.books["FJ-CAS"].chart)
    labels = texts(fig)
    assert "合计 35,000.00" in labels and "余额 balance 贷 Cr 35,000.00" in labels
    assert "记-0002  10,000.00" in labels
    render(fig)
