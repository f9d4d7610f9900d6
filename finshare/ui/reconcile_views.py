"""Tables for the reconciliation chapter (05): match counts per rule, rates against a truth, the 调节表's items.

Each function reshapes what :mod:`finshare.reconcile` computed into a small
table for people (amounts as exact ``Decimal``); nothing here matches lines or
adds accounting of its own.

    from finshare.ui import reconcile_views as views
    views.rule_counts(rec.matches(), [r.name for r in load_rules().rules])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import money
from ..reconcile.accuracy import Accuracy, accuracy
from ..reconcile.adjusted import KINDS
from ..reconcile.bank import period_days

#: Rule name → ``中文 English``: the bank rules (``reconcile_rules.yaml``) and the clearing rules (``clearing.yaml``).
RULE_LABELS = {
    "reversal": "红字冲销 red-ink reversal",
    "reference": "参考号/发票号 reference",
    "amount_date_counterparty": "金额+日期+对方 amount, date, counterparty",
    "amount_window_counterparty": "金额+对方(窗口) amount, counterparty in window",
    "amount_window_fuzzy_name": "金额+相似户名 amount, names alike",
    "combined_payment": "合并付款 combined payment",
    "split_payment": "分笔付款 split payment",
    "combined_payment_unknown_payer": "合并付款(付款人不明) combined, payer unknown",
    "split_payment_unknown_payee": "分笔付款(收款人不明) split, payee unknown",
    "amount_date": "金额+日期 amount, date",
    "amount_window": "仅金额(窗口) amount only, in window",
    "reference_fuzzy": "发票号有误 reference with a typo",
    "customer_amount": "客户+金额 customer, amount",
    "amount_only": "仅金额 amount only",
    "subset_sum": "多张发票合计 several invoices summed",
    "customer_tolerance": "客户+容差(手续费) customer, short by a fee",
}
#: Suffix of a clearing rule (``reference+fee``) → what it adds.
SUFFIX_LABELS = {"fee": "+手续费 less a bank fee", "partial": "(部分付款) partial payment",
                 "advance": "(多付转预收) overpayment"}
STATUS_LABELS = {"auto": "自动 auto", "proposed": "待确认 proposed"}


def rule_label(rule: str) -> str:
    """``中文 English`` label of a rule (``reference+fee`` → the reference label and the fee's); else its name."""
    base, _, suffix = rule.partition("+")
    if base not in RULE_LABELS or (suffix and suffix not in SUFFIX_LABELS):
        return rule
    zh, en = RULE_LABELS[base].split(" ", 1)
    if not suffix:
        return RULE_LABELS[base]
    s_zh, s_en = SUFFIX_LABELS[suffix].split(" ", 1)
    return f"{zh}{s_zh} {en}, {s_en}"


def rule_counts(matches: pd.DataFrame, order: list[str] | None = None, per: str | None = None) -> pd.DataFrame:
    """Matches per rule and status: index the rule's label, columns ``自动 auto``, ``待确认 proposed``.

    Parameters
    ----------
    matches : pandas.DataFrame
        With ``rule`` and ``status`` (``Reconciliation.matches()`` or ``Matching.clearings``).
    order : list of str, optional
        Rules in the order they are tried (a variant such as ``reference+fee`` follows its rule);
        rules that matched nothing are left out.
    per : str, optional
        Count distinct values of this column (``"receipt"`` for clearings: a receipt's rows are one match).
    """
    rows = matches.drop_duplicates(per) if per else matches
    table = pd.crosstab(rows["rule"], rows["status"]).reindex(columns=list(STATUS_LABELS), fill_value=0)
    rank = {r: i for i, r in enumerate(order or [])}
    ordered = sorted(table.index, key=lambda r: (rank.get(r.partition("+")[0], len(rank)), "+" in r, r))
    table = table.loc[ordered].astype("int64")
    table.index = [rule_label(r) for r in ordered]
    table.columns = [STATUS_LABELS[s] for s in table.columns]
    return table.rename_axis("规则 rule")


def scenario_accuracy(rec, bank_lines: pd.DataFrame, journal: pd.DataFrame, truth) -> Accuracy:
    """:func:`~finshare.reconcile.accuracy.accuracy` of one reconciliation against a scenario's truth."""
    day = lambda s: s.to_numpy(dtype="datetime64[D]").astype("int64")  # noqa: E731
    return accuracy(rec.matches(), truth.groups, period_days(rec.period),
                    pd.Series(day(bank_lines["date"]), index=bank_lines["row"].to_numpy()),
                    pd.Series(day(journal["date"]), index=journal["line_id"].to_numpy()))


def accuracy_table(results: dict) -> pd.DataFrame:
    """One row per label (e.g. period) of :class:`Accuracy`: counts and the three rates in per cent.

    Precision = right automatic / automatic; coverage = right automatic / true groups;
    with proposals = (right automatic + right proposed) / true groups.
    """
    rows = {k: {"真实匹配组 true groups": a.truth, "自动 auto": a.auto, "自动正确 auto right": a.auto_right,
                "待确认 proposed": a.proposed, "待确认正确 proposed right": a.proposed_right,
                "准确率 precision %": round(100 * a.precision, 1), "覆盖率 coverage %": round(100 * a.coverage, 1),
                "含待确认 with proposed %": round(100 * a.coverage_with_proposed, 1)}
            for k, a in results.items()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("期间 period")


def items_view(rec) -> pd.DataFrame:
    """The 调节表's outstanding items for people: kind (中文 English), date, amount (Decimal), text, id."""
    it = rec.statement.items
    return pd.DataFrame({
        "未达账项 kind": [f"{k} {KINDS[k][1]}" for k in it["kind"]],
        "日期 date": it["day"].to_numpy(dtype="int64").astype("datetime64[D]"),
        "金额 amount": money.decimals(np.abs(it["amount"].to_numpy(dtype="int64")), rec.exponent),
        "摘要/对方 text": it["text"].to_numpy(object),
        "行 line": it["id"].astype(str).to_numpy(object),
    })


def kind_totals(rec) -> pd.DataFrame:
    """Per kind of 未达账项: number of items and their total (Decimal), in the statement's order."""
    st = rec.statement
    return pd.DataFrame({"笔数 items": [int((st.items["kind"] == k).sum()) for k in KINDS],
                         "金额 amount": money.decimals(np.array([abs(st.total(k)) for k in KINDS], "int64"),
                                                     rec.exponent)},
                        index=[f"{k} {KINDS[k][0]} / {KINDS[k][1]}" for k in KINDS]).rename_axis("未达账项 kind")
