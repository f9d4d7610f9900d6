"""Saving a trained model with its model card, and loading it without retraining.

A model folder holds ``model.joblib`` (the fitted :class:`~finshare.forecast.models.CollectionModel`,
with the customer history known at ``as_of``), ``card.json`` and ``card.md`` (data, split, figures,
known limits). A joblib file is Python pickle: load only model folders you trust, as you would code.

The card's **figures** come from a time split inside what was known at ``as_of``: the settings are
refitted as of ``as_of − maturity − 182 days`` and tested on the invoices of the following 182 days
(:func:`finshare.forecast.evaluate.evaluate`); a history too short for that gets no figures (said so).
"""
from __future__ import annotations

import json
from pathlib import Path

import joblib
import pandas as pd
import sklearn

from ..core.problems import FinshareError, Problem, Source
from .evaluate import evaluate
from .models import CollectionModel
from .training import known_at

MODEL_FILE, CARD_JSON, CARD_MD = "model.joblib", "card.json", "card.md"
TEST_DAYS = 182
LIMITS = [
    "训练只用到期满 maturity_days 天的发票；仍未结清的按 as-of 截断计入（天数为下限）/ trained only on invoices at "
    "least maturity_days old; the few still open count as late with days up to as-of (a lower bound)",
    "区间覆盖率是在留出时间上测得的边际覆盖率，对单个客户可能偏高或偏低 / interval coverage is measured marginally on "
    "held-out time; for one customer it may be higher or lower",
    "现金预测假设发票彼此独立结清；同一客户的批量付款会使实际波动更大 / the cash band assumes invoices settle "
    "independently; a customer paying in batches makes weeks lumpier than the band",
    "不同币别的金额不相加；WAPE 按币别计算 / amounts in different currencies are never added; WAPE is per currency",
    "没有历史的新客户只按发票本身的特征预测 / a new customer is predicted from the invoice's own features only",
]


def model_card(model: CollectionModel, history: pd.DataFrame, source: str) -> dict:
    """The card of a fitted model: data, split, figures (a time split before ``as_of``), known limits."""
    h = model.history_
    card = {"model": "finshare.forecast.CollectionModel", "params": model.get_params(),
            "sklearn_version": sklearn.__version__, "as_of": str(model.as_of_.date()),
            "data": {"source": source, "invoices_known": len(h), "customers": int(h["customer_id"].nunique()),
                     "currencies": sorted(h["currency"].unique()), "first_invoice": str(h["invoice_date"].min().date()),
                     "open_at_as_of": int(h["settled_date"].isna().sum())},
            "split": dict(model.counts_, rule="train on the earlier 80 % of the matured invoices' time, calibrate "
                          "P(late) and take conformal residuals on the latest 20 %"),
            "limits": LIMITS}
    split = model.as_of_ - pd.Timedelta(days=model.maturity_days + TEST_DAYS)
    try:
        metrics, counts = evaluate(known_at(history, model.as_of_), split, CollectionModel(**model.get_params()))
        card["figures"] = {"split": counts, "metrics": json.loads(metrics.to_json(orient="records"))}
    except FinshareError as exc:
        card["figures"] = {"note": f"历史太短，无法做时间切分评估 / too short a history for a time-split evaluation: {exc}"}
    return card


def card_markdown(card: dict) -> str:
    """The card as Markdown for people."""
    lines = [f"# 回款预测模型卡 / Collection model card — as of {card['as_of']}", "",
             f"Model: {card['model']} (scikit-learn {card['sklearn_version']}), params `{card['params']}`", "",
             "## Data", *[f"- {k}: {v}" for k, v in card["data"].items()], "",
             "## Split", *[f"- {k}: {v}" for k, v in card["split"].items()], "", "## Figures (held-out time)"]
    fig = card["figures"]
    if "metrics" in fig:
        table = pd.DataFrame(fig["metrics"]).drop(columns=["name_zh", "name_en"])
        lines += [f"- split: {fig['split']}", "", "```", table.to_string(index=False, float_format="%.3f"), "```"]
    else:
        lines.append(fig["note"])
    return "\n".join(lines + ["", "## Known limits", *[f"- {x}" for x in card["limits"]], ""])


def save_model(model: CollectionModel, folder, history: pd.DataFrame, source: str = "<history>") -> dict:
    """Write ``model.joblib``, ``card.json`` and ``card.md`` into ``folder``; returns the card."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    card = model_card(model, history, source)
    joblib.dump(model, folder / MODEL_FILE, compress=3)
    (folder / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    (folder / CARD_MD).write_text(card_markdown(card), encoding="utf-8")
    return card


def load_model(folder) -> tuple[CollectionModel, dict]:
    """The fitted model and its card from a folder written by :func:`save_model`.

    Raises
    ------
    FinshareError
        ``missing-model`` (no such folder or files), ``bad-model`` (not a finshare model),
        ``model-version`` (saved with another scikit-learn: retrain).
    """
    folder = Path(folder)
    paths = [folder / MODEL_FILE, folder / CARD_JSON]
    if not all(p.is_file() for p in paths):
        raise FinshareError([Problem("missing-model", f"{folder} 中没有训练好的模型 / {folder} holds no trained model "
                                     f"({MODEL_FILE}, {CARD_JSON})", Source(str(folder)),
                                     "先运行 / first run: finshare forecast train --history FILE --as-of DATE --out "
                                     f"{folder}")])
    card = json.loads(paths[1].read_text(encoding="utf-8"))
    if card.get("sklearn_version") != sklearn.__version__:
        raise FinshareError([Problem("model-version", f"模型用 scikit-learn {card.get('sklearn_version')} 训练，当前是 "
                                     f"{sklearn.__version__} / the model was trained with scikit-learn "
                                     f"{card.get('sklearn_version')}, this is {sklearn.__version__}",
                                     Source(str(paths[1]), field="sklearn_version"), "重新训练 / train it again")])
    try:
        model = joblib.load(paths[0])
    except Exception as exc:  # noqa: BLE001 — any unreadable file is the same fault for the user
        model = exc
    if not isinstance(model, CollectionModel):
        raise FinshareError([Problem("bad-model", f"{paths[0]} 不是 finshare 回款模型 / {paths[0]} is not a finshare "
                                     "collection model", Source(str(paths[0])), "重新训练 / train it again")])
    return model, card


__all__ = ["save_model", "load_model", "model_card", "card_markdown"]
