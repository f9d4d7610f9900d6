"""Matching rules as data: the order, keys, date windows and scores of bank reconciliation.

The rules ship in ``finshare/data/reconcile_rules.yaml``; a user's file of the
same shape replaces them (to reorder the rules, change a window or a score,
or switch one off with ``enabled: false``). Nothing in the file runs code.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from finshare.core.problems import FinshareError, Problem, Source
from finshare.core.yamlio import read_yaml

DEFAULT_RULES = Path(__file__).resolve().parents[1] / "data" / "reconcile_rules.yaml"
KINDS = ("one_to_one", "many_to_one", "one_to_many", "reversal")
KEYS = ("reference", "amount", "date", "counterparty", "counterparty~")


@dataclass(frozen=True)
class Rule:
    """One matching rule: ``name``, ``kind`` (see :data:`KINDS`), ``keys`` (see :data:`KEYS`),
    ``window_days`` between bank and book dates, and ``score`` (0–1)."""

    name: str
    kind: str
    keys: tuple[str, ...]
    window_days: int
    score: float


@dataclass(frozen=True)
class RuleSet:
    """The rules in order and the settings they share (thresholds, caps)."""

    rules: tuple[Rule, ...]
    auto: float = 0.9
    propose: float = 0.5
    name_score: float = 80.0
    max_pairs_per_key: int = 400
    group_candidates: int = 8
    group_size: int = 4
    source: str = ""

    @property
    def max_window(self) -> int:
        """The widest date window between bank and book of any rule (days; reversals are book-only)."""
        return max((r.window_days for r in self.rules if r.kind != "reversal"), default=0)


def _problem(source: str, line, field: str, what: str, fix: str) -> Problem:
    return Problem("bad-reconcile-rules", f"对账规则有误 / bad reconciliation rule: {what}",
                   Source(source, line, field), fix)


def _rule(raw, source: str, problems: list) -> Rule | None:
    line = getattr(raw, "line", None)
    if not isinstance(raw, dict):
        problems.append(_problem(source, line, "rules", "each rule must be a mapping",
                                 "按 name/kind/keys/window_days/score 写每条规则 / write name, kind, keys, "
                                 "window_days and score"))
        return None
    name = str(raw.get("name", ""))
    kind, keys = raw.get("kind", "one_to_one"), raw.get("keys", [])
    bad = []
    if not name:
        bad.append(("name", "a rule has no name", "give it a name"))
    if kind not in KINDS:
        bad.append(("kind", f"{name}: kind {kind!r} is unknown", f"use one of {', '.join(KINDS)}"))
    if not isinstance(keys, list) or any(k not in KEYS for k in keys):
        bad.append(("keys", f"{name}: keys {keys!r}", f"use keys from {', '.join(KEYS)}"))
    elif kind != "reversal" and not {"reference", "amount"} & set(keys):
        bad.append(("keys", f"{name}: keys need reference or amount",
                    "add amount (or reference) to the keys: a rule must compare something exact"))
    window, score = raw.get("window_days", 0), raw.get("score", 1.0)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 366:
        bad.append(("window_days", f"{name}: window_days {window!r}", "write whole days from 0 to 366"))
    if not isinstance(score, (int, float)) or isinstance(score, bool) or not 0 <= score <= 1:
        bad.append(("score", f"{name}: score {score!r}", "write a number from 0 to 1"))
    for field, what, fix in bad:
        problems.append(_problem(source, line, field, what, fix))
    if bad or raw.get("enabled", True) is False:
        return None
    return Rule(name, kind, tuple(keys), int(window), float(score))


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read the matching rules (the shipped ones when ``path`` is None).

    Raises
    ------
    FinshareError
        ``bad-reconcile-rules`` naming the file, line and field.
    """
    source = str(path or DEFAULT_RULES)
    if not Path(source).is_file():
        raise FinshareError([Problem("missing-file", f"找不到对账规则文件 / no such rules file: {source}",
                                     Source(source), "检查路径，或不指定规则文件以使用默认规则 / check the path, or "
                                                     "leave it out to use the shipped rules")])
    data = read_yaml(source, lines=True)
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise FinshareError([_problem(source, 1, "rules", "the file has no list 'rules:'",
                                      "copy finshare/data/reconcile_rules.yaml and edit it")])
    rules = tuple(r for r in (_rule(raw, source, problems) for raw in data["rules"]) if r)
    th, group = data.get("thresholds", {}) or {}, data.get("group", {}) or {}
    auto, propose = th.get("auto", 0.9), th.get("propose", 0.5)
    if not (isinstance(auto, (int, float)) and isinstance(propose, (int, float)) and 0 <= propose <= auto <= 1):
        problems.append(_problem(source, getattr(th, "line", None), "thresholds",
                                 f"auto {auto!r} / propose {propose!r}",
                                 "write 0 ≤ propose ≤ auto ≤ 1, e.g. auto: 0.9, propose: 0.5"))
    if problems:
        raise FinshareError(problems, f"对账规则文件 {source} 有错误 / {source} has problems")
    return RuleSet(rules, float(auto), float(propose), float(data.get("name_score", 80)),
                   int(data.get("max_pairs_per_key", 400)), int(group.get("max_candidates", 8)),
                   int(group.get("max_size", 4)), source)
