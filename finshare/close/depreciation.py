"""计提折旧: monthly straight-line depreciation of the fixed-asset register, per book policy.

The register is the fixed-asset cards in master data (``fixed_assets``,
assets in service before the ledger begins) and the approved fixed-asset
acquisitions in the store (``fa_acquisition`` lines). Each book's policy
chooses the useful life: ``asset_life: life_hkfrs`` in ``books.yaml``
(default ``life_cas``), so the CAS and HKFRS books depreciate the same
machine over different lives.

Rules (年限平均法, as CAS 4 and practice in China have it): depreciation
starts the month after the asset comes into service and stops when the
depreciable amount (cost − cost × residual rate, rounded half-up to the
minor unit) is used up. The charge of a month is the difference of the
cumulative charge ``round_half_up(depreciable × k / life)`` after ``k`` and
``k − 1`` months, so the months add up to the depreciable amount exactly and
any month can be computed alone. Entries are written in the CAS chart
(debit the using department's expense by its attribute — 管理 6602, 销售
6601, 生产 5101, 研发 6602 —, credit 1602) and mapped into each book's chart.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.problems import FinshareError, Problem, Source
from ..core.sync import stored_documents
from . import rules
from .entries import empty, entry_lines, period_end

SOURCE_TYPE = "depreciation"
CHART = "CAS"
SUMMARY = "计提折旧 / depreciation"
RATE_PLACES = 10_000                  # residual rates are read to four decimal places


def register(ledger) -> pd.DataFrame:
    """Every depreciable asset: ``asset, org, department, dept_attr, currency, month, cost, salvage_rate,
    life_cas, life_hkfrs`` (``month``: months since 1970 of coming into service; ``cost`` in minor units)."""
    cards = ledger.case.master["fixed_assets"]
    depts = ledger.case.master["departments"]["attribute"].astype(object)
    opening = pd.DataFrame({
        "asset": cards["code"].astype(object), "org": cards["org"].astype(object),
        "department": cards["department"].astype(object), "currency": cards["currency"].astype(object),
        "date": pd.to_datetime(cards["in_service"]), "cost": cards["cost"].astype("int64"),
        "salvage_rate": cards["salvage_rate"].astype("float64"),
        "life_cas": cards["life_cas"].astype("int64"), "life_hkfrs": cards["life_hkfrs"].astype("int64")})
    bought = _acquisitions(ledger)
    reg = pd.concat([opening, bought], ignore_index=True)
    reg["dept_attr"] = reg["department"].map(depts).fillna("").to_numpy(object)
    reg["month"] = reg["date"].to_numpy("datetime64[M]").astype("int64")
    reg["salvage_rate"] = reg["salvage_rate"].fillna(0.0)
    return reg.drop(columns="date")


def _acquisitions(ledger) -> pd.DataFrame:
    if "fa_acquisition" not in ledger.case.doctypes:
        return pd.DataFrame()
    f = stored_documents(ledger, "fa_acquisition").flat()
    return pd.DataFrame({
        "asset": f["asset"].astype(object), "org": f["org"].astype(object),
        "department": f["department"].astype(object), "currency": f["currency"].astype(object),
        "date": pd.to_datetime(f["date"]), "cost": f["amount"].astype("int64"),
        "salvage_rate": f["salvage_rate"].astype("float64"),
        "life_cas": f["life_cas"].astype("int64"), "life_hkfrs": f["life_hkfrs"].astype("int64")})


def life_field(ledger, book) -> str:
    """The register column of useful lives the book's policy uses."""
    field = str(ledger.case.books.policies.get(book.policy, {}).get("asset_life", "life_cas"))
    if field not in ("life_cas", "life_hkfrs"):
        raise FinshareError([Problem(
            "bad-asset-life", f"会计政策 {book.policy} 的 asset_life {field!r} 无效 / policy {book.policy}: "
            f"asset_life {field!r} is not a column of the asset register",
            Source(str(Path(ledger.case.path) / "books.yaml"), book=book.code, field="asset_life"),
            "write asset_life: life_cas or asset_life: life_hkfrs")])
    return field


def cumulative(depreciable: np.ndarray, months: np.ndarray, life: np.ndarray) -> np.ndarray:
    """Depreciation charged after ``months`` months: ``round_half_up(depreciable × min(months, life) / life)``."""
    k = np.clip(months, 0, life)
    return (2 * depreciable * k + life) // (2 * life)


def charges(reg: pd.DataFrame, life: str, period: str) -> pd.DataFrame:
    """The register with ``charge``: each asset's depreciation for ``period`` in its own currency."""
    lives = reg[life].to_numpy("int64")
    bad = lives <= 0
    if bad.any():
        asset = reg["asset"].to_numpy(object)[bad][0]
        raise FinshareError([Problem("bad-asset-life", f"资产 {asset} 的使用年限必须大于 0 / asset {asset}: the useful "
                                     "life must be at least one month", Source(field=life), "correct the card")])
    cost = reg["cost"].to_numpy("int64")
    rate = np.rint(reg["salvage_rate"].to_numpy("float64") * RATE_PLACES).astype("int64")
    depreciable = cost - (2 * cost * rate + RATE_PLACES) // (2 * RATE_PLACES)
    k = pd.Period(period, "M").ordinal - reg["month"].to_numpy("int64")    # months since coming into service
    charge = cumulative(depreciable, k, lives) - cumulative(depreciable, k - 1, lives)
    return reg.assign(charge=charge)


def entries(ledger, book, period: str, reg: pd.DataFrame | None = None) -> pd.DataFrame:
    """The depreciation voucher of ``book`` for ``period`` as entry lines in the CAS chart (none if nothing)."""
    reg = register(ledger) if reg is None else reg
    reg = reg[reg["org"].isin(book.units)]
    due = charges(reg, life_field(ledger, book), period)
    due = due[due["charge"] != 0]
    if due.empty:
        return empty()
    found = rules.rules(ledger.case, book, "depreciation_expense", CHART)
    expense = due["dept_attr"].map({str(k): str(v) for k, v in found["depreciation_expense"].items()})
    keys = ["org", "department", "currency"]
    debit = due.assign(account=expense).groupby(["account", *keys], sort=True)["charge"].sum().reset_index()
    credit = due.groupby(["org", "currency"], sort=True)["charge"].sum().reset_index()
    credit = credit.assign(account=str(found["accumulated_depreciation"]), department="", charge=-credit["charge"])
    rows = pd.concat([debit, credit], ignore_index=True).rename(columns={"charge": "net", "currency": "currency_orig"})
    name = f"DEP-{book.code}-{period}"
    return entry_lines(rows, period_end(period), name, SUMMARY, book.currency, word="转", prefix="depreciation")


def depreciate(ledger, book: str, period: str, by: str = "", reg: pd.DataFrame | None = None):
    """Post ``book``'s depreciation for ``period`` (once; a second call posts nothing). Returns post_entries' result.

    ``reg``: the :func:`register`, when the caller has it already.
    """
    b = ledger.case.books[book]
    e = entries(ledger, b, period, reg)
    return ledger.post_entries({book: e} if len(e) else {}, SOURCE_TYPE, f"<depreciation {book} {period}>", by,
                               chart=CHART)
