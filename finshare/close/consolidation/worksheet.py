"""The consolidation worksheet (合并工作底稿) and the consolidated balances in the statement contract.

Worksheet rows are the group chart's leaf accounts with a balance, columns each entity translated into
the presentation currency (pre-closing: without the carry-forward vouchers, so profit and loss shows the
year to date), their sum, elimination debit, elimination credit and the consolidated amount, all net
debit-positive minor units, and a last row ``合计`` of column totals.
"""
from __future__ import annotations

import pandas as pd

from ...core.money import EXPONENTS, format_amounts

SUM, DEBIT, CREDIT, CONSOLIDATED = "sum", "elim_debit", "elim_credit", "consolidated"
TOTAL = "合计"
BALANCE_COLUMNS = ["account", "counterparty", "closing", "prior_closing", "ytd", "prior_ytd"]


def worksheet(rows: pd.DataFrame, elims: pd.DataFrame, chart, entities: list[str]) -> pd.DataFrame:
    """Build the worksheet from translated ``rows`` (with ``entity`` and ``pre_close``) and ``elims``."""
    by_entity = rows.pivot_table(index="account", columns="entity", values="pre_close", aggfunc="sum", fill_value=0)
    by_entity = by_entity.reindex(columns=entities, fill_value=0)
    e = elims.groupby("account")[["debit", "credit"]].sum()
    accounts = by_entity.index.union(e.index)
    sheet = by_entity.reindex(accounts, fill_value=0)
    sheet[SUM] = sheet[entities].sum(axis=1)
    sheet[DEBIT] = e["debit"].reindex(accounts, fill_value=0)
    sheet[CREDIT] = e["credit"].reindex(accounts, fill_value=0)
    sheet[CONSOLIDATED] = sheet[SUM] + sheet[DEBIT] - sheet[CREDIT]
    money = entities + [SUM, DEBIT, CREDIT, CONSOLIDATED]
    sheet = sheet[(sheet[money] != 0).any(axis=1)].astype("int64")
    names = chart.accounts.reindex(sheet.index)[["name_zh", "name_en", "category"]].fillna("")
    sheet = pd.concat([names, sheet], axis=1).rename_axis("account").reset_index()
    total = {"account": TOTAL, "name_zh": TOTAL, "name_en": "Total", "category": "",
             **{c: int(sheet[c].sum()) for c in money}}
    return pd.concat([sheet, pd.DataFrame([total])], ignore_index=True).astype({c: "int64" for c in money})


def ties_out(sheet: pd.DataFrame, entities: list[str]) -> bool:
    """Every net column sums to zero (its debits equal its credits), elimination debits equal credits, and
    each row's consolidated amount is its sum plus elimination debit less credit."""
    body, total = sheet[sheet["account"] != TOTAL], sheet[sheet["account"] == TOTAL].iloc[0]
    nets = all(int(body[c].sum()) == 0 for c in entities + [SUM, CONSOLIDATED])
    rows = bool((body[CONSOLIDATED] == body[SUM] + body[DEBIT] - body[CREDIT]).all())
    return nets and rows and int(total[DEBIT]) == int(total[CREDIT])


def consolidated_balances(rows: pd.DataFrame, elims: pd.DataFrame) -> pd.DataFrame:
    """The statement-balances contract: ``account, counterparty, closing, prior_closing, ytd, prior_ytd``.

    Entities' translated rows plus eliminations (year-to-date entries: they count in ``closing`` and
    ``ytd``); int64 minor units of the presentation currency, net debit-positive.
    """
    e = elims.assign(closing=elims["debit"] - elims["credit"])
    e = e.assign(ytd=e["closing"], prior_closing=0, prior_ytd=0)
    cols = ["closing", "prior_closing", "ytd", "prior_ytd"]
    both = pd.concat([rows[["account", "counterparty"] + cols], e[["account", "counterparty"] + cols]])
    out = both.groupby(["account", "counterparty"], as_index=False, sort=True)[cols].sum()
    out = out[(out[cols] != 0).any(axis=1)].reset_index(drop=True)
    return out.astype({"account": str, "counterparty": str, **{c: "int64" for c in cols}})[BALANCE_COLUMNS]


def styled(sheet: pd.DataFrame, currency: str, lang: str = "zh"):
    """The worksheet for people: amounts as decimals of ``currency``, one name column, the total row bold."""
    exp = EXPONENTS[currency]
    money = [c for c in sheet.columns if c not in ("account", "name_zh", "name_en", "category")]
    view = sheet.drop(columns=["name_en" if lang == "zh" else "name_zh", "category"])
    view = view.assign(**{c: format_amounts(sheet[c].to_numpy("int64"), exp) for c in money})
    labels = {SUM: "合计 Sum", DEBIT: "抵销借方 Elim. Dr", CREDIT: "抵销贷方 Elim. Cr", CONSOLIDATED: "合并数 Consolidated"}
    view = view.rename(columns=labels)
    last = len(view) - 1
    return (view.style.hide(axis="index")
            .set_properties(subset=[labels.get(c, c) for c in money], **{"text-align": "right"})
            .apply(lambda r: ["font-weight: bold" if r.name == last else ""] * len(r), axis=1))
