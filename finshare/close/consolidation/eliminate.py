"""Elimination entries (合并抵销分录) in the group chart; never posted to a book, they live in the worksheet.

Three kinds, each a balanced set of lines (``account, counterparty, partner, debit, credit,
description, kind``; minor units of the presentation currency):

- ``ic_sales_cogs`` — 借 营业收入 / 贷 营业成本: the seller's translated IC revenue for the year to date;
- ``ic_balances`` — every IC receivable and payable (account × counterparty × partner) reversed in full;
  goods in transit at their invoiced amount to 在途物资, and what is left (exchange differences: the
  seller's receivable in its own currency at the closing rate against the buyer's payable) to the
  stated difference account (6603 财务费用—汇兑损益);
- ``unrealised_profit`` — 借 营业成本 / 贷 存货, 在途物资: the seller's margin on IC goods still in the
  group (:mod:`finshare.close.consolidation.ic_goods`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

KINDS = ("ic_sales_cogs", "ic_balances", "unrealised_profit")
COLUMNS = ["kind", "account", "counterparty", "partner", "debit", "credit", "description"]


def entry(kind: str, rows: list[tuple[str, str, str, int, str]]) -> pd.DataFrame:
    """Lines from ``(account, counterparty, partner, net, description)``: positive net is a debit."""
    frame = pd.DataFrame(rows, columns=["account", "counterparty", "partner", "net", "description"])
    net = frame.pop("net").to_numpy("int64")
    frame["debit"], frame["credit"] = np.maximum(net, 0), np.maximum(-net, 0)
    frame["kind"] = kind
    return frame[COLUMNS][net != 0]


def sales_cogs(rows: pd.DataFrame, ic: dict, units: set) -> pd.DataFrame:
    """借 revenue / 贷 cost of sales for the year-to-date IC revenue (translated) per partner."""
    rev = rows[(rows["account"] == ic["revenue"]) & rows["partner"].isin(units)]
    amount = -rev.groupby("partner")["ytd"].sum()
    lines = []
    for partner, value in amount.items():  # one pair per group partner
        text = f"抵销对 {partner} 的内部销售收入与成本 / IC revenue to {partner} against cost of sales"
        lines += [(ic["revenue"], "", partner, int(value), text), (ic["cost_of_sales"], "", partner, -int(value), text)]
    return entry("ic_sales_cogs", lines)


def balances(rows: pd.DataFrame, ic: dict, units: set, transit: int) -> tuple[pd.DataFrame, int]:
    """Reverse every IC receivable and payable; transit to 在途物资, the rest to the difference account.

    Returns the entry and the difference put to ``ic['difference']`` (debit positive).
    """
    accounts = set(ic["receivables"]) | set(ic["payables"])
    held = rows[rows["account"].isin(accounts) & rows["partner"].isin(units)]
    held = held.groupby(["account", "counterparty", "partner"], as_index=False)["pre_close"].sum()
    text = "抵销内部应收应付 / IC receivable against IC payable"
    lines = [(a, c, p, -int(v), text) for a, c, p, v in held.itertuples(index=False)]
    rest = int(held["pre_close"].sum()) - transit
    lines.append((ic["in_transit"], "", "", transit, "在途的内部购货 / IC goods in transit"))
    lines.append((ic["difference"], "", "", rest, "内部往来汇兑差额 / exchange difference on IC balances"))
    return entry("ic_balances", lines), rest


def unrealised(goods: pd.DataFrame, ic: dict, partner: str) -> pd.DataFrame:
    """借 cost of sales / 贷 inventory (goods held) and 在途物资 (goods in transit)."""
    held, transit = int(goods["unrealised_held"].sum()), int(goods["unrealised_transit"].sum())
    text = f"抵销 {partner} 期末存货中未实现内部销售利润 / unrealised profit in {partner}'s IC goods"
    return entry("unrealised_profit", [(ic["cost_of_sales"], "", partner, held + transit, text),
                                       (ic["inventory"], "", "", -held, text),
                                       (ic["in_transit"], "", "", -transit, text)])
