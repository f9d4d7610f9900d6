"""Chapter 5's tables and figure: counts per rule in the order tried, rates worked by hand, the 调节表's items."""
import io
import warnings
from decimal import Decimal

import matplotlib.text
import numpy as np
import pandas as pd

from finshare.reconcile.accuracy import Accuracy
from finshare.reconcile.bank import BankOptions, reconcile_bank
from finshare.reconcile.banklines import conform
from finshare.ui import reconcile_figures, reconcile_views as views

MATCHES = pd.DataFrame({"rule": ["amount_window", "reference", "reference", "combined_payment", "reference"],
                        "status": ["proposed", "auto", "auto", "auto", "proposed"]})
ORDER = ["reversal", "reference", "combined_payment", "amount_window"]


def test_rule_counts_follow_the_order_tried_with_bilingual_labels():
    t = views.rule_counts(MATCHES, ORDER)
    assert list(t.index) == ["参考号/发票号 reference", "合并付款 combined payment", "仅金额(窗口) amount only, in window"]
    assert t.to_dict("list") == {"自动 auto": [2, 1, 0], "待确认 proposed": [1, 0, 1]}


def test_clearing_rows_of_one_receipt_count_once():
    rows = pd.DataFrame({"receipt": ["R1", "R1", "R1", "R2", "R3"],
                         "rule": ["subset_sum"] * 3 + ["reference+fee", "reference"], "status": ["auto"] * 5})
    t = views.rule_counts(rows, ["reference", "subset_sum"], per="receipt")
    assert list(t.index) == ["参考号/发票号 reference", "参考号/发票号+手续费 reference, less a bank fee",
                             "多张发票合计 several invoices summed"]      # a variant follows its rule
    assert t["自动 auto"].to_dict() == {"参考号/发票号 reference": 1, "多张发票合计 several invoices summed": 1,
                                      "参考号/发票号+手续费 reference, less a bank fee": 1}
    assert views.rule_label("reference_fuzzy+partial") == "发票号有误(部分付款) reference with a typo, partial payment"
    assert views.rule_label("my_rule") == "my_rule"


def test_accuracy_table_rates_in_per_cent():
    t = views.accuracy_table({"2020-02": Accuracy(auto=40, auto_right=39, proposed=8, proposed_right=6, truth=50)})
    row = t.loc["2020-02"]
    assert row["准确率 precision %"] == 97.5          # 39 / 40
    assert row["覆盖率 coverage %"] == 78.0           # 39 / 50
    assert row["含待确认 with proposed %"] == 90.0    # (39 + 6) / 50


def _hand():
    """B001 in March: a receipt matched, interest and a fee the book lacks, a cheque the bank lacks."""
    bank = conform(pd.DataFrame({"row": [1, 2, 3], "date": pd.to_datetime(["2020-03-02", "2020-03-21", "2020-03-25"]),
                                 "amount": [2_000_000, 12_530, -3_500], "counterparty": ["华联", "", ""],
                                 "memo": ["XS001", "利息", "手续费"], "currency": "CNY"}), currency="CNY")
    journal = pd.DataFrame({"line_id": ["J1", "J2"], "date": pd.to_datetime(["2020-03-02", "2020-03-31"]),
                            "account": "100201", "debit": [2_000_000, 0], "credit": [0, 150_000],
                            "summary": ["收华联货款", "开支票"], "customer": ["C001", ""]})
    return reconcile_bank(bank, journal, "1002", "2020-03",
                          BankOptions(names={"C001": "华联"}, bank_opening=0, book_opening=0))


def test_items_and_kind_totals_of_a_hand_statement():
    rec = _hand()
    items = views.items_view(rec)
    assert list(zip(items["未达账项 kind"].str[:4], items["金额 amount"], items["行 line"])) == [
        ("企付银未", Decimal("1500.00"), "J2"), ("银收企未", Decimal("125.30"), "2"), ("银付企未", Decimal("35.00"), "3")]
    totals = views.kind_totals(rec)
    assert totals["笔数 items"].tolist() == [0, 1, 1, 1]
    assert totals["金额 amount"].tolist() == [Decimal("0.00"), Decimal("1500.00"), Decimal("125.30"), Decimal("35.00")]


def test_matches_by_rule_draws_one_bar_per_rule_and_status():
    counts = views.rule_counts(MATCHES, ORDER)
    fig = reconcile_figures.matches_by_rule(counts, "二月 February")
    ax = fig.axes[0]
    widths = np.array([p.get_width() for p in ax.patches])
    assert widths.tolist() == [2, 1, 0, 1, 0, 1]            # auto bars, then proposed bars, rule by rule
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(counts.index)
    assert {" 3", " 1"} <= {t.get_text() for t in fig.findobj(matplotlib.text.Text)}   # totals at the bar ends
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # a missing CJK glyph would warn
        fig.savefig(io.BytesIO(), format="png")
