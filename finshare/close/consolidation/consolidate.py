"""``consolidate(ledger, period)``: translate, eliminate, and lay out the group's worksheet and balances."""
from __future__ import annotations

import html
from dataclasses import dataclass, replace

import pandas as pd

from ...core.sync import stored_documents
from . import eliminate as E
from .config import GroupConfig, read_group
from .ic_goods import COUNTERPARTY, INVOICE, OUTBOUND, RECEIPT, ic_goods
from .positions import OPENING, positions
from .translate import translate
from .worksheet import consolidated_balances, styled, ties_out, worksheet


@dataclass(frozen=True)
class Consolidation:
    """The group's consolidation for one period (money in int64 minor units of ``currency``).

    Attributes
    ----------
    period, currency : str
    entities : list of str
        Book codes, in the order of the worksheet's columns.
    worksheet : pandas.DataFrame
        :func:`~finshare.close.consolidation.worksheet.worksheet`.
    eliminations : pandas.DataFrame
        ``kind, account, counterparty, partner, debit, credit, description``.
    translation : pandas.DataFrame
        Rates used: ``book, basis, date, rate`` (units of ``currency`` per unit of the book's).
    reserve : pandas.DataFrame
        Translation reserve per book: ``book, closing, prior_closing``.
    rows : pandas.DataFrame
        Translated entity rows: ``entity, account, counterparty, partner, closing, prior_closing, ytd,
        close, prior_ytd, pre_close``.
    goods : pandas.DataFrame
        IC goods per seller, buyer and product (:mod:`~finshare.close.consolidation.ic_goods`).
    ic_difference : int
        What remained between IC receivables and payables (besides goods in transit), put to the
        difference account.
    balances : pandas.DataFrame
        Consolidated balances in the statement contract.
    """

    period: str
    currency: str
    entities: list
    worksheet: pd.DataFrame
    eliminations: pd.DataFrame
    translation: pd.DataFrame
    reserve: pd.DataFrame
    rows: pd.DataFrame
    goods: pd.DataFrame
    ic_difference: int
    balances: pd.DataFrame

    def ties_out(self) -> bool:
        """Whether every worksheet column ties (see :func:`~finshare.close.consolidation.worksheet.ties_out`)."""
        return ties_out(self.worksheet, self.entities) and bool(
            (self.eliminations.groupby("kind")["debit"].sum() == self.eliminations.groupby("kind")["credit"].sum()).all())

    def styled(self, lang: str = "zh"):
        """The worksheet as a pandas Styler for notebooks."""
        return styled(self.worksheet, self.currency, lang)

    def _repr_html_(self) -> str:
        head = (f"<b>合并工作底稿 Consolidation worksheet {html.escape(self.period)} ({self.currency})</b>"
                f" — ties out: {self.ties_out()}")
        return head + self.styled().to_html()


def consolidate(ledger, period: str, group: GroupConfig | None = None) -> Consolidation:
    """Consolidate the group of ``ledger.case`` (``group.yaml``) for ``period`` (YYYY-MM).

    Examples
    --------
    >>> c = consolidate(ledger, "2020-12")          # doctest: +SKIP
    >>> c.ties_out(), c.balances.head()             # doctest: +SKIP
    """
    case = ledger.case
    group = group or read_group(case)
    # the entities' business lines summed in the store (each carries its document's type exactly)
    sums = {e.book: ledger.store.sums(e.book, kind="business", upto=period) for e in group.entities}
    types = [t for t in (OUTBOUND, INVOICE, RECEIPT, OPENING) if t in case.doctypes]
    units = {u for ent in group.entities for u in case.books[ent.book].units}
    stored = {t: stored_documents(ledger, t, having=_partners(case, t, units)) for t in types}
    case = replace(case, documents={**case.documents, **stored})
    rows, used, reserve = _translated(case, group, sums, period)
    elims, goods, diff = _eliminations(case, group, rows, units, period)
    sheet = worksheet(rows, elims, group.chart, [e.book for e in group.entities])
    return Consolidation(period, group.currency, [e.book for e in group.entities], sheet, elims, used, reserve, rows,
                         goods, diff, consolidated_balances(rows, elims))


def _partners(case, doc_type: str, units: set) -> list[str] | None:
    """For AR invoices, the customer codes that are group units (only intercompany invoices are used); None for
    the other types, whose documents the stock of the traded products needs whatever the counterparty."""
    if doc_type != INVOICE:
        return None
    table = case.master[COUNTERPARTY[doc_type][1]]
    return table.loc[table["org"].astype(str).isin(list(units)), "code"].astype(str).tolist()


def _translated(case, group: GroupConfig, sums: dict, period: str):
    categories = group.chart.accounts["category"]
    frames, used, reserve = [], [], []
    for ent in group.entities:  # one pass per entity (a handful)
        book = case.books[ent.book]
        pos = positions(sums[ent.book], period, ent.account_map, group.dimension)
        rows, rates = translate(pos, categories, case.rates, ent.book, book.currency, group.currency, period,
                                _opening_date(case, book.units, period), group.reserve)
        frames.append(rows.assign(entity=ent.book, pre_close=rows["closing"] - rows["close"]))
        used.append(rates)
        last = rows.iloc[-1]
        reserve.append((ent.book, int(last["closing"]), int(last["prior_closing"])))
    return (pd.concat(frames, ignore_index=True), pd.concat(used, ignore_index=True),
            pd.DataFrame(reserve, columns=["book", "closing", "prior_closing"]))


def _opening_date(case, units, period: str) -> pd.Timestamp:
    """The date of the year's opening-balance documents of ``units`` (the historical rate's date), else 1 January."""
    year = pd.Timestamp(f"{period[:4]}-01-01")
    docs = case.documents.get(OPENING)
    if docs is None or not len(docs):
        return year
    h = docs.header
    dates = pd.to_datetime(h["date"])[h["org"].astype(str).isin(list(units)).to_numpy()]
    dates = dates[dates >= year]
    return pd.Timestamp(dates.min()) if len(dates) else year


def _eliminations(case, group: GroupConfig, rows, units: set, period: str):
    end = pd.Period(period, "M").end_time.normalize()
    ic = group.ic
    goods, transit, unreal = [], 0, []
    unit_of = {u: e.book for e in group.entities for u in case.books[e.book].units}
    sellers = rows[(rows["account"] == ic["revenue"]) & rows["partner"].isin(units) & (rows["ytd"] != 0)]
    for seller, buyer_unit in sellers[["entity", "partner"]].drop_duplicates().itertuples(index=False):
        g = ic_goods(case, seller, case.books[seller].units, unit_of[buyer_unit], buyer_unit, end,
                     group.currency).assign(seller=seller, buyer=buyer_unit)
        goods.append(g)
        transit += int(g["transit_amount"].sum())
        unreal.append(E.unrealised(g, ic, buyer_unit))
    bal, diff = E.balances(rows, ic, units, transit)
    elims = pd.concat([E.sales_cogs(rows, ic, units), bal, *unreal], ignore_index=True)
    elims = elims.astype({"debit": "int64", "credit": "int64"})
    goods_frame = pd.concat(goods, ignore_index=True) if goods else pd.DataFrame()
    return elims, goods_frame, diff
