"""What the treasury dashboard (资金看板) computes, without widgets: the as-of date, the model, one customer's past.

- :func:`case_as_of`, :func:`export_as_of` — the default as-of of a case's history (the last month end that
  leaves :data:`WEEKS` weeks of known outcomes after it) and of a client's export (the last date it holds);
- :func:`cached_model` — a model trained on a history as of a date, saved once in a cache folder
  (``model.joblib`` with its card, :mod:`finshare.forecast.card`) and loaded, not retrained, on later calls;
- :func:`choose_model` — the model a dashboard uses: a saved model folder as it is; else one trained on the
  history (cached); else, when that history is too short, one trained on the sample history — each says which;
- :func:`customer_history` — one customer's invoices known at the as-of, with days to settle and days late;
- :func:`read_export` — an uploaded export as a history, any unreadable file as one problem.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sklearn

from ..core.problems import FinshareError, Problem, Source
from .card import load_model, save_model
from .loaders import load_history
from .models import CollectionModel
from .training import MATURITY_DAYS, as_date, known_at

#: Weeks of the cash forecast.
WEEKS = 13
#: The committed sample history, trained on when a case's own history is too short.
SAMPLE_HISTORY = Path(__file__).resolve().parents[2] / "datasets" / "ar-history" / "history.csv"
HASHED = ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "settled_date",
          "disputed", "paperless", "payment_terms"]


def last_date(history: pd.DataFrame) -> pd.Timestamp:
    """The latest invoice or settlement date of a history."""
    return max(history["invoice_date"].max(), history["settled_date"].max()).normalize()


def case_as_of(history: pd.DataFrame, weeks: int = WEEKS) -> pd.Timestamp:
    """The last month end with ``weeks`` weeks of the history after it (so the forecast can be set against what
    happened); the history's last date when it is shorter than that."""
    end = last_date(history) - pd.Timedelta(weeks=weeks)
    month_end = pd.offsets.MonthEnd().rollback(end).normalize()
    return month_end if month_end >= history["invoice_date"].min() else last_date(history)


def export_as_of(history: pd.DataFrame) -> pd.Timestamp:
    """The date of a client's export: its latest invoice or settlement date (forecast from there on)."""
    return last_date(history)


def cache_root() -> Path:
    """``FINSHARE_MODEL_CACHE``, else ``$XDG_CACHE_HOME/finshare/models`` (``~/.cache/finshare/models``)."""
    if os.environ.get("FINSHARE_MODEL_CACHE"):
        return Path(os.environ["FINSHARE_MODEL_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "finshare" / "models"


def model_key(history: pd.DataFrame, as_of, params: dict) -> str:
    """A folder name for a model: the as-of and a hash of the history, the settings and scikit-learn's version."""
    at = as_date(as_of)
    cols = [c for c in HASHED if c in history]
    digest = hashlib.sha256(pd.util.hash_pandas_object(history[cols], index=False).to_numpy().tobytes())
    digest.update(f"{cols}|{at:%Y-%m-%d}|{sorted(params.items())}|{sklearn.__version__}".encode())
    return f"{at:%Y-%m-%d}-{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class ModelChoice:
    """The model a dashboard uses, its card, how it was had (``loaded``, ``cached``, ``trained``), where it is,
    whether the sample history stood in for a too-short one, and a bilingual note saying so."""

    model: CollectionModel
    card: dict
    how: str
    folder: Path
    fallback: bool = False
    note: str = ""


def cached_model(history: pd.DataFrame, as_of, source: str, root: Path | None = None,
                 params: dict | None = None) -> ModelChoice:
    """The model trained on ``history`` as of ``as_of``: from the cache folder when it is there, else trained and
    saved there (``root``, default :func:`cache_root`).

    Raises
    ------
    FinshareError
        ``too-little-history`` (fewer than 200 invoices matured by ``as_of``), ``bad-date``.
    """
    params = params or {}
    folder = Path(root or cache_root()) / model_key(history, as_of, CollectionModel(**params).get_params())
    try:
        model, card = load_model(folder)
        return ModelChoice(model, card, "cached", folder)
    except FinshareError:
        pass                                        # not there yet (or from another scikit-learn): train it
    model = CollectionModel(**params).fit(history, as_of)
    card = save_model(model, folder, history, source)
    return ModelChoice(model, card, "trained", folder)


def choose_model(history: pd.DataFrame, as_of, source: str, saved: str | Path | None = None,
                 root: Path | None = None, sample: Path = SAMPLE_HISTORY, params: dict | None = None) -> ModelChoice:
    """The model for ``history`` at ``as_of``, with a note for the page (see the module docstring).

    Parameters
    ----------
    history : DataFrame
        The receivable history the dashboard shows.
    as_of : date-like
    source : str
        Where ``history`` came from (named in the card and the note).
    saved : path, optional
        A model folder written by ``finshare forecast train`` (``FINSHARE_MODEL``): loaded, never retrained.
    root : path, optional
        The cache folder (default :func:`cache_root`).
    sample : path
        The history trained on when ``history`` is too short (default the committed sample).
    params : dict, optional
        :class:`CollectionModel` settings of a model trained here.
    """
    at = as_date(as_of)
    if saved:
        model, card = load_model(saved)
        later = (f"；注意：训练日晚于预测日，模型见过 {at:%Y-%m-%d} 之后的结果 / note: trained after the as-of, so the model "
                 f"has seen outcomes after {at:%Y-%m-%d}" if model.as_of_ > at else "")
        return ModelChoice(model, card, "loaded", Path(saved), note=(
            f"模型：载入 {saved}（按 {card['as_of']} 训练，不重新训练）/ model: loaded from {saved} (trained as of "
            f"{card['as_of']}; not retrained){later}"))
    try:
        got = cached_model(history, at, source, root, params)
        return _noted(got, source, at)
    except FinshareError as exc:
        if not any(p.code == "too-little-history" for p in exc.problems) or not Path(sample).is_file():
            raise
        short = exc.problems[0].message
    got = cached_model(load_history(sample).table, at, str(sample), root, params)
    why = (f"{source} 的历史太短，无法训练（{short}）；改用样例历史 {Path(sample).name} 训练，预测的仍是本历史的未结清发票 / "
           f"the history of {source} is too short to train on; the model is trained on the sample history "
           f"{Path(sample).name} instead, and still forecasts this history's open invoices")
    return _noted(ModelChoice(got.model, got.card, got.how, got.folder, True), str(sample), at, why)


def _noted(got: ModelChoice, source: str, at: pd.Timestamp, before: str = "") -> ModelChoice:
    what = {"cached": f"模型：从缓存载入（不重新训练）/ model: loaded from the cache (not retrained) — {got.folder}",
            "trained": f"模型：刚训练并存入缓存，重新打开页面时直接载入 / model: trained now and saved in the cache, so a "
                       f"reload does not retrain — {got.folder}"}[got.how]
    trained = (f"{source} 按 {at:%Y-%m-%d} 已知的数据训练，{got.model.counts_['trained_on']:,} 张已满 {MATURITY_DAYS} 天的"
               f"发票 / trained on {source} as known at {at:%Y-%m-%d}: {got.model.counts_['trained_on']:,} invoices "
               f"{MATURITY_DAYS}+ days old")
    note = " ".join(t for t in (before, what, trained) if t)
    return ModelChoice(got.model, got.card, got.how, got.folder, got.fallback, note)


def customer_history(history: pd.DataFrame, customer_id: str, as_of) -> pd.DataFrame:
    """One customer's invoices as known at ``as_of``, oldest first.

    Returns
    -------
    DataFrame
        ``invoice_id, invoice_date, due_date, amount`` (int64 minor units), ``currency, settled_date``
        (NaT while open at ``as_of``), ``days_to_settle``, ``days_late`` (Int64, ``<NA>`` while open).
    """
    h = known_at(history, as_of)
    h = h[h["customer_id"] == str(customer_id)].sort_values(["invoice_date", "invoice_id"], kind="stable")
    out = h[["invoice_id", "invoice_date", "due_date", "amount", "currency", "settled_date"]].reset_index(drop=True)
    out["days_to_settle"] = (out["settled_date"] - out["invoice_date"]).dt.days.astype("Int64")
    out["days_late"] = (out["settled_date"] - out["due_date"]).dt.days.astype("Int64")
    return out


def read_export(path: Path, mapping: Path | None = None) -> pd.DataFrame:
    """A client's receivable export as a history (:func:`~finshare.forecast.loaders.load_history`); a file the
    readers cannot open at all (a damaged workbook) becomes one bilingual ``unreadable-file`` problem."""
    path = Path(path)
    try:
        return load_history(path, mapping).table
    except FinshareError:
        raise
    except Exception as exc:                                # noqa: BLE001 — an unreadable file, for people
        raise FinshareError([Problem("unreadable-file", f"无法读取 {path.name} / cannot read {path.name}: {exc}",
                                     Source(path.name), "另存为 UTF-8 的 .csv 或 .xlsx / save the export as a UTF-8 "
                                     ".csv or an .xlsx")]) from None


__all__ = ["WEEKS", "SAMPLE_HISTORY", "ModelChoice", "case_as_of", "export_as_of", "cache_root", "model_key",
           "cached_model", "choose_model", "customer_history", "read_export"]
