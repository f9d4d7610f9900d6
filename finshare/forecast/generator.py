"""A generated receivable history for training and teaching (``finshare generate ar-history``).

Customers belong to segments that pay differently, and the noise is real, so that a good model
of "paid late" is useful but far from perfect (a test pins the ranking quality of the history's
own best single signal, not 0.99):

- delay after the due date is ``lognormal(mu_c, sigma_c) - early_c`` days per customer ``c``,
  with ``mu_c``, ``sigma_c``, ``early_c`` drawn around its segment (:data:`SEGMENTS`), and
  ``mu_c`` drifting as a slow random walk by month;
- one customer per 40 deteriorates over the last year of the history (``mu`` rises by up to 1.5 and it
  stops paying early);
- disputes (``disputed``): rarer for prompt payers, likelier on large invoices; add a long delay;
- large invoices (relative to the customer's usual) wait longer; electronic invoices (``paperless``)
  a little less; December and January are slower;
- many customers' payables systems pay on the due date (:data:`SCHEDULED`, 85 % of such a customer's
  invoices; the rest follow its delay, disputes and mislaid invoices still add theirs): a due date on a
  weekend is then paid on the Monday, late by the letter of the terms;
- calendar: payments fall on weekdays (a weekend date moves to Monday); some customers pay only in a
  month-end run (the last weekday of the month); payments due in the week before a quarter end are often
  pulled in; nothing is paid in the Chinese New Year holiday (they move to after it);
- amounts are heavy-tailed (lognormal customer scale × lognormal invoice factor), in CNY, HKD or VND by
  country; terms are 30, 45, 60 or 90 days.

Why the scheduled payers: without them every payment was a continuous lognormal draw around the due
date, and even the generator's own per-invoice probability of "late" (given every hidden customer
parameter) ranked the seed-2020 test year at only AUC 0.83-0.87 — below what the issue asks of a model
— while real receivables show a spike of payments on the due date, made by payables runs. With them the
ceiling is ≈ 0.89 (seed 2020) and the best single signal, the customer's past late share, ranks at ≈ 0.77
(a test pins it well below 0.85): lateness now depends on the calendar *and* the customer's habit, which a
model must combine, as a treasurer would.

Everything is drawn from one ``numpy.random.Generator`` seeded by ``seed``, except the scheduled payers,
drawn from a second one seeded by ``[seed, 1]`` (so invoices and amounts are those of earlier versions):
the same seed gives the same table and the same bytes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.money import EXPONENTS
from ..core.problems import FinshareError, Problem, Source
from .calendar import HOLIDAY_DAYS, SPRING_FESTIVAL
from .history import to_text

#: Segment: (share, mu of log delay, sigma, days early at best, dispute rate, month-end payer share).
SEGMENTS = {
    "prompt": (0.30, np.log(5.0), 0.55, 9.0, 0.01, 0.10),
    "steady": (0.30, np.log(9.0), 0.70, 11.0, 0.03, 0.30),
    "slow": (0.25, np.log(18.0), 0.65, 6.0, 0.05, 0.40),
    "erratic": (0.15, np.log(9.0), 1.25, 10.0, 0.07, 0.20),
}
#: Segment: share of customers whose payables system pays on the due date (when it is not a month-end payer).
SCHEDULED = {"prompt": 0.6, "steady": 0.5, "slow": 0.25, "erratic": 0.35}
#: Share of a scheduled payer's invoices paid on the due date (the rest follow its usual delay).
ON_SCHEDULE = 0.85
COUNTRIES = {"CN": ("CNY", 0.70, 1.0), "HK": ("HKD", 0.20, 1.1), "VN": ("VND", 0.10, 3400.0)}
TERMS = np.array([30, 45, 60, 90])
TERM_SHARES = np.array([0.45, 0.25, 0.20, 0.10])


def _customers(rng: np.random.Generator, n: int, months: int) -> pd.DataFrame:
    """Customer table: segment, behaviour parameters, terms, country, and a monthly drift of ``mu``."""
    names = list(SEGMENTS)
    seg = rng.choice(len(names), size=n, p=[SEGMENTS[s][0] for s in names])
    par = np.array([SEGMENTS[s][1:] for s in names])[seg]
    country = rng.choice(list(COUNTRIES), size=n, p=[c[1] for c in COUNTRIES.values()])
    frame = pd.DataFrame({
        "customer_id": np.char.add("K", np.char.zfill(np.arange(1, n + 1).astype(str), 4)),
        "segment": np.array(names)[seg], "mu": par[:, 0] + rng.normal(0, 0.25, n),
        "sigma": par[:, 1] * rng.uniform(0.85, 1.15, n), "early": par[:, 2] + rng.normal(0, 2, n),
        "dispute": par[:, 3] * rng.uniform(0.5, 1.5, n), "month_end": rng.random(n) < par[:, 4],
        "terms": rng.choice(TERMS, size=n, p=TERM_SHARES), "country": country,
        "paperless": rng.random(n) < 0.6, "scale": np.exp(rng.normal(np.log(30000), 1.0, n)),
        "rate": np.exp(rng.normal(np.log(18), 0.6, n)), "deteriorates": np.arange(n) % 40 == 7})
    drift = np.cumsum(rng.normal(0, 0.04, (n, months)), axis=1)
    worse = frame["deteriorates"].to_numpy()
    frame.loc[worse, ["sigma", "month_end"]] = [0.6, False]     # a steady payer until it deteriorates
    drift[worse] = 0.0
    return frame, drift


def _invoices(rng, cust: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Invoice dates (weekdays) and amounts per customer."""
    years = (end - start).days / 365.25
    counts = rng.poisson(cust["rate"].to_numpy() * years)
    idx = np.repeat(np.arange(len(cust)), counts)
    days = pd.bdate_range(start, end - pd.Timedelta(days=1))
    date = days[rng.integers(0, len(days), len(idx))]
    factor = np.exp(rng.normal(0, 0.9, len(idx)))
    inv = pd.DataFrame({"c": idx, "invoice_date": date, "factor": factor})
    return inv.sort_values(["invoice_date", "c"], kind="stable").reset_index(drop=True)


def _scheduled(seed: int, cust: pd.DataFrame, inv: pd.DataFrame) -> np.ndarray:
    """Per invoice: paid on its due date by the customer's payables system (drawn apart from the main stream)."""
    rng = np.random.default_rng([seed, 1])
    share = cust["segment"].map(SCHEDULED).to_numpy()
    habit = (rng.random(len(cust)) < share) & ~cust["month_end"].to_numpy() & ~cust["deteriorates"].to_numpy()
    return habit[inv["c"].to_numpy()] & (rng.random(len(inv)) < ON_SCHEDULE)


def _delays(rng, inv: pd.DataFrame, cust: pd.DataFrame, drift: np.ndarray, start, end, scheduled) -> np.ndarray:
    """Days from due date to intended payment, before the calendar moves it."""
    c = inv["c"].to_numpy()
    month = ((inv["invoice_date"].dt.year - start.year) * 12 + inv["invoice_date"].dt.month - start.month).to_numpy()
    mu = cust["mu"].to_numpy()[c] + drift[c, month]
    last_year = (inv["invoice_date"] - (end - pd.DateOffset(years=1))).dt.days.clip(lower=0).to_numpy() / 365.0
    worse = last_year * cust["deteriorates"].to_numpy()[c]
    mu = mu + 1.5 * worse
    mu = mu + 0.35 * (inv["factor"].to_numpy() > 2.5) - 0.12 * cust["paperless"].to_numpy()[c]
    mu = mu + 0.15 * inv["invoice_date"].dt.month.isin([11, 12]).to_numpy()
    delay = np.exp(rng.normal(mu, cust["sigma"].to_numpy()[c])) - cust["early"].to_numpy()[c] * (1 - worse)
    delay = np.where(scheduled, 0.0, delay)
    lost = rng.random(len(c)) < 0.03                          # an invoice mislaid at the customer
    delay = delay + lost * np.exp(rng.normal(np.log(20), 0.5, len(c)))
    disputed = rng.random(len(c)) < cust["dispute"].to_numpy()[c] * np.where(inv["factor"] > 2.5, 2.5, 1.0)
    delay = delay + disputed * np.exp(rng.normal(np.log(40), 0.5, len(c)))
    return np.round(delay).astype("int64"), disputed


def _calendar(rng, intended: pd.Series, month_end: np.ndarray) -> pd.Series:
    """Move intended payment dates to when money really moves (holidays, month-end runs, weekends)."""
    d = intended
    qend = d.dt.month.isin([3, 6, 9, 12]).to_numpy() & (d.dt.days_in_month - d.dt.day < 7).to_numpy()
    pull = qend & (rng.random(len(d)) < 0.5)
    d = d - pd.to_timedelta(np.where(pull, rng.integers(2, 8, len(d)), 0), unit="D")
    run = d + pd.offsets.BMonthEnd(0)
    d = d.where(~month_end, run)
    fest = pd.to_datetime(d.dt.year.astype(str) + "-" + d.dt.year.map(SPRING_FESTIVAL))
    in_holiday = ((d >= fest - pd.Timedelta(days=3)) & (d < fest + pd.Timedelta(days=HOLIDAY_DAYS))).to_numpy()
    after = fest + pd.to_timedelta(HOLIDAY_DAYS + rng.integers(0, 6, len(d)), unit="D")
    d = d.where(~in_holiday, after)
    return d + pd.offsets.BDay(0)                             # a weekend date rolls to Monday


def generate_history(seed: int = 2020, years: int = 3, customers: int = 60, start: str = "2018-01-01"
                     ) -> pd.DataFrame:
    """A receivable history (:mod:`finshare.forecast.history` schema) with customer segments and drift.

    Parameters
    ----------
    seed : int, default=2020
    years : int, default=3
        Length of the history; invoices still unpaid at its end are open (``settled_date`` NaT).
    customers : int, default=60
    start : str, default="2018-01-01"

    Returns
    -------
    DataFrame
        The history with ``disputed``, ``paperless``, ``country`` and ``payment_terms``;
        ``DataFrame.attrs["segments"]`` maps each customer to its segment, and
        ``attrs["deteriorating"]`` lists the customers that deteriorate (for teaching, never features).
    """
    if not 1 <= years <= 30:
        raise FinshareError([Problem("bad-years", f"年数 {years} 应在 1 到 30 之间 / years {years} must be 1 to 30",
                                     Source("--years", field="years"), "例如 / e.g. --years 3")])
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(start)
    end = start + pd.DateOffset(years=years)
    cust, drift = _customers(rng, customers, years * 12 + 1)
    inv = _invoices(rng, cust, start, end)
    c = inv["c"].to_numpy()
    terms = cust["terms"].to_numpy()[c]
    due = inv["invoice_date"] + pd.to_timedelta(terms, unit="D")
    delay, disputed = _delays(rng, inv, cust, drift, start, end, _scheduled(seed, cust, inv))
    paid = _calendar(rng, due + pd.to_timedelta(delay, unit="D"), cust["month_end"].to_numpy()[c])
    paid = paid.where(paid >= inv["invoice_date"], inv["invoice_date"] + pd.offsets.BDay(1))
    currency = cust["country"].map({k: v[0] for k, v in COUNTRIES.items()}).to_numpy()[c]
    fx = cust["country"].map({k: v[2] for k, v in COUNTRIES.items()}).to_numpy()[c]
    exp = pd.Series(currency).map(EXPONENTS).to_numpy()
    major = cust["scale"].to_numpy()[c] * inv["factor"].to_numpy() * fx
    amount = np.maximum(np.round(major * 10.0 ** exp), 1).astype("int64")
    ids = np.char.zfill((np.arange(len(inv)) + 1).astype(str), 8)
    table = pd.DataFrame({
        "invoice_id": pd.array(ids, dtype=str), "customer_id": cust["customer_id"].to_numpy()[c],
        "invoice_date": inv["invoice_date"].to_numpy(), "due_date": due.to_numpy(), "amount": amount,
        "currency": currency, "settled_date": paid.where(paid < end).to_numpy(),
        "disputed": pd.array(disputed, dtype="boolean"),
        "paperless": pd.array(cust["paperless"].to_numpy()[c], dtype="boolean"),
        "country": cust["country"].to_numpy()[c], "payment_terms": pd.array(terms, dtype="Int64")})
    table.attrs["segments"] = dict(zip(cust["customer_id"], cust["segment"]))
    table.attrs["deteriorating"] = list(cust.loc[cust["deteriorates"], "customer_id"])
    return table


def other_system_export(table: pd.DataFrame, seed: int = 7) -> pd.DataFrame:
    """The CNY invoices of ``table`` as another system would export them (for the mapping example).

    US dates (``%m/%d/%Y``), ``Yes``/``No`` and ``Electronic``/``Paper`` flags, no currency column,
    and a ``Days Late`` answer column that must never be a feature.
    """
    rng = np.random.default_rng(seed)
    t = to_text(table[table["currency"] == "CNY"].reset_index(drop=True))
    src = table[table["currency"] == "CNY"].reset_index(drop=True)
    late = (src["settled_date"] - src["due_date"]).dt.days
    return pd.DataFrame({
        "Invoice No": t["invoice_id"], "Customer": t["customer_id"],
        "Invoice Date": src["invoice_date"].dt.strftime("%m/%d/%Y"),
        "Due Date": src["due_date"].dt.strftime("%m/%d/%Y"),
        "Amount": t["amount"],
        "Paid On": src["settled_date"].dt.strftime("%m/%d/%Y").fillna(""),
        "Disputed": np.where(src["disputed"].to_numpy(bool), "Yes", "No"),
        "Delivery": np.where(src["paperless"].to_numpy(bool), "Electronic", "Paper"),
        "Days Late": late.astype("Int64").astype("string").fillna(""),
        "Sales Rep": rng.choice(["Lin", "Chen", "Wang", "Zhao"], len(src))})


def write_history(path: str | Path, seed: int = 2020, years: int = 3) -> pd.DataFrame:
    """Generate with :func:`generate_history` and write the CSV (UTF-8, decimal amounts); returns the table."""
    table = generate_history(seed, years)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    to_text(table).to_csv(path, index=False, lineterminator="\n")
    return table


__all__ = ["generate_history", "other_system_export", "write_history", "SEGMENTS", "SPRING_FESTIVAL"]
