"""What ``finshare forecast train | predict | cash | evaluate`` do (the parser is in ``finshare/cli_parser.py``)."""
from __future__ import annotations

import json
import sys

import pandas as pd

from .card import load_model, save_model
from .cash import cash_forecast, to_text
from .evaluate import evaluate
from .history import build_history
from .loaders import Mapping, apply_mapping, load_history, read_mapping, read_table
from .models import CollectionModel
from .training import as_date


def load_open(path, mapping=None) -> pd.DataFrame:
    """Open invoices from a file (history columns; ``settled_date`` may be absent)."""
    frame = read_table(path)
    mapping = read_mapping(mapping) if mapping else Mapping()
    if mapping.columns:
        frame = apply_mapping(frame, mapping, str(path))
    if "settled_date" not in frame:
        frame = frame.assign(settled_date="")
    return build_history(frame, str(path), mapping.date_format, mapping.true_values, mapping.false_values).table


def _write(table: pd.DataFrame, fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(json.loads(table.to_json(orient="records", force_ascii=False)), ensure_ascii=False) + "\n")
    else:
        table.to_csv(out, index=False, lineterminator="\n")


def train(args, out=None) -> int:
    at = as_date(args.as_of)
    history = load_history(args.history, args.mapping).table
    model = CollectionModel().fit(history, at)
    card = save_model(model, args.out, history, str(args.history))
    c = card["split"]
    model_row = next((m for m in card["figures"].get("metrics", []) if m["method"] == "model"), None)
    figures = (f"; held-out MAE {model_row['mae_days']:.1f} days, AUC {model_row['auc_late']:.3f}, coverage "
               f"{model_row['coverage']:.3f}" if model_row else "")
    (out or sys.stdout).write(f"trained on {c['trained_on']:,} invoices known at {at:%Y-%m-%d} ({c['censored']:,} still open, counted "
              f"late; {c['immature']:,} too recent) → {args.out}{figures} / 模型已保存\n")
    return 0


def predict(args, out=None) -> int:
    model, _ = load_model(args.model)
    history = load_history(args.history, args.mapping).table if args.history else None
    _write(model.predict(load_open(args.open, args.mapping), as_of_arg(args), history), args.format, out)
    return 0


def cash(args, out=None) -> int:
    model, _ = load_model(args.model)
    table = cash_forecast(model, load_open(args.open, args.mapping), as_of_arg(args), args.weeks)
    _write(to_text(table), "csv", out)
    return 0


def evaluate_cmd(args, out=None) -> int:
    metrics, _ = evaluate(load_history(args.history, args.mapping).table, as_date(args.split_date, "--split-date"))
    _write(metrics.round(4), args.format, out)
    return 0


def as_of_arg(args) -> pd.Timestamp:
    return as_date(args.as_of)


COMMANDS = {"train": train, "predict": predict, "cash": cash, "evaluate": evaluate_cmd}


def run(args) -> int:
    """Carry out ``finshare forecast <command>``."""
    return COMMANDS[args.forecast_command](args)
