"""Matching bank lines to book lines, rule by rule, each line at most once.

:func:`match_lines` runs the rules of a :class:`~finshare.reconcile.rules.RuleSet`
in order over the lines still free. Each rule finds candidates by hash joins
on exact keys (reference, amount, counterparty code) and a date window, scores
them (a fuzzy name scales the rule's score), and keeps each line's unique best;
sums (one bank line = several book lines, or the reverse) are searched only
among a few nearest lines of the same counterparty. A match scoring below the
rule set's ``auto`` threshold is proposed, not applied.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .candidates import capped_join, memo_references, one_to_one_pairs
from .names import fuzzy_codes, name_similarity
from .resolve import mutual_best
from .rules import Rule, RuleSet
from .sums import sum_groups


@dataclass
class Matches:
    """The matcher's result as tables.

    ``groups``: ``group, rule, score, fields, status``; ``bank_links`` /
    ``book_links``: ``group, pos`` (positions in the bank and book side tables);
    ``bank_flags`` / ``book_flags``: per position why a free line stayed free
    (``"ambiguous"``, ``"below-threshold"`` or ``""``).
    """

    groups: pd.DataFrame
    bank_links: pd.DataFrame
    book_links: pd.DataFrame
    bank_flags: np.ndarray
    book_flags: np.ndarray


@dataclass
class _State:
    bank: pd.DataFrame
    book: pd.DataFrame
    rules: RuleSet
    bank_group: np.ndarray = field(init=False)
    book_group: np.ndarray = field(init=False)
    bank_flags: np.ndarray = field(init=False)
    book_flags: np.ndarray = field(init=False)
    groups: list = field(default_factory=list)
    links_b: list = field(default_factory=list)
    links_j: list = field(default_factory=list)
    n_groups: int = 0

    def __post_init__(self):
        self.bank_group = np.full(len(self.bank), -1, dtype="int64")
        self.book_group = np.full(len(self.book), -1, dtype="int64")
        self.bank_flags = np.full(len(self.bank), "", dtype=object)
        self.book_flags = np.full(len(self.book), "", dtype=object)

    def free_bank(self) -> pd.DataFrame:
        return self.bank[self.bank_group < 0]

    def free_book(self) -> pd.DataFrame:
        return self.book[self.book_group < 0]

    def flag(self, side: str, pos, what: str) -> None:
        flags = self.bank_flags if side == "b" else self.book_flags
        pos = np.asarray(pos, dtype="int64")
        flags[pos] = np.where(flags[pos] == "", what, flags[pos])

    def record(self, rule: Rule, bank_pos: list[np.ndarray], book_pos: list[np.ndarray],
               gid_b: list[np.ndarray], gid_j: list[np.ndarray], score: np.ndarray, fields: np.ndarray,
               n: int) -> None:
        """Add ``n`` groups; ``gid_*`` are 0-based group numbers within this call, parallel to ``*_pos``."""
        base = self.n_groups
        gb, pb = np.concatenate(gid_b + [np.zeros(0, "int64")]) + base, np.concatenate(bank_pos + [np.zeros(0, "int64")])
        gj, pj = np.concatenate(gid_j + [np.zeros(0, "int64")]) + base, np.concatenate(book_pos + [np.zeros(0, "int64")])
        assert (self.bank_group[pb] < 0).all() and (self.book_group[pj] < 0).all(), "a line matched twice"
        self.bank_group[pb], self.book_group[pj] = gb, gj
        self.links_b.append(pd.DataFrame({"group": gb, "pos": pb}))
        self.links_j.append(pd.DataFrame({"group": gj, "pos": pj}))
        status = np.where(score >= self.rules.auto, "auto", "proposed")
        self.groups.append(pd.DataFrame({"group": np.arange(n) + base, "rule": rule.name, "score": score,
                                         "fields": fields, "status": status}))
        self.n_groups += n


def match_lines(bank: pd.DataFrame, book: pd.DataFrame, rules: RuleSet, names: pd.Series,
                timings: dict | None = None) -> Matches:
    """Run ``rules`` over the bank side and book side tables.

    Parameters
    ----------
    bank : DataFrame
        ``pos, row, day, amount, code, name, ref, memo`` (see :func:`finshare.reconcile.match.bank_side`).
    book : DataFrame
        ``pos, line_id, day, amount, code, name, ref, red`` (see :func:`finshare.reconcile.bankjournal.book_side`).
    rules : RuleSet
    names : Series
        Counterparty code → normalised name, for telling codes of unknown bank names.
    timings : dict, optional
        Filled with seconds per rule (for the benchmark).
    """
    st = _State(bank, book, rules)
    memo_refs = memo_references(bank["memo"])
    for rule in rules.rules:
        t0 = time.perf_counter()
        if rule.kind == "one_to_one":
            _one_to_one(st, rule, memo_refs)
        elif rule.kind == "reversal":
            _reversal(st, rule)
        else:
            _sums(st, rule, names)
        if timings is not None:
            timings[rule.name] = time.perf_counter() - t0
    empty = pd.DataFrame({"group": pd.Series(dtype="int64"), "pos": pd.Series(dtype="int64")})
    groups = pd.concat(st.groups, ignore_index=True) if st.groups else pd.DataFrame(
        columns=["group", "rule", "score", "fields", "status"])
    return Matches(groups, pd.concat([empty] + st.links_b, ignore_index=True),
                   pd.concat([empty] + st.links_j, ignore_index=True), st.bank_flags, st.book_flags)


def _score(st: _State, rule: Rule, pairs: pd.DataFrame) -> pd.DataFrame:
    """Score pairs: the rule's score, scaled by (1 + name similarity) / 2 for ``counterparty~``."""
    score = np.full(len(pairs), rule.score)
    if "counterparty~" in rule.keys:
        same = (pairs["code_b"] == pairs["code_j"]) & (pairs["code_b"] != "")
        sim = np.where(same, 100.0, name_similarity(pairs["name_b"].to_numpy(), pairs["name_j"].to_numpy()))
        pairs = pairs.assign(sim=sim)[sim >= st.rules.name_score]
        score = rule.score * (1 + pairs["sim"].to_numpy() / 100) / 2
    return pairs.assign(score=np.round(score, 4))


def _fields(rule: Rule, took: pd.DataFrame) -> np.ndarray:
    """What agreed, per accepted pair, e.g. ``"reference,amount,date"``."""
    parts = [np.full(len(took), k) for k in rule.keys if k not in ("date", "counterparty~")]
    date = np.where(took["dd"].to_numpy() == 0, "date", "date±" + took["dd"].astype(str).to_numpy())
    parts.append(date)
    if "counterparty~" in rule.keys:
        parts.append(np.where(took["sim"].to_numpy() >= 100, "counterparty", "counterparty~"))
    out = parts[0].astype(object)
    for p in parts[1:]:
        out = out + "," + p
    return out


def _one_to_one(st: _State, rule: Rule, memo_refs: pd.DataFrame) -> None:
    pairs, crowded_b, crowded_j = one_to_one_pairs(st.free_bank(), st.free_book(), rule.keys,
                                                   rule.window_days, st.rules.max_pairs_per_key, memo_refs)
    st.flag("b", crowded_b, "ambiguous")
    st.flag("j", crowded_j, "ambiguous")
    if pairs.empty:
        return
    pairs = _score(st, rule, pairs)
    low = pairs["score"] < st.rules.propose
    st.flag("b", pairs.loc[low, "b"], "below-threshold")
    st.flag("j", pairs.loc[low, "j"], "below-threshold")
    took, tied_b, tied_j = mutual_best(pairs[~low])
    st.flag("b", tied_b, "ambiguous")
    st.flag("j", tied_j, "ambiguous")
    n = len(took)
    if n:
        gid = np.arange(n)
        st.record(rule, [took["b"].to_numpy()], [took["j"].to_numpy()], [gid], [gid],
                  took["score"].to_numpy(), _fields(rule, took), n)


def _reversal(st: _State, rule: Rule) -> None:
    """Pair each red-ink book line with the earlier book line it cancels (same amount, opposite sign)."""
    free = st.free_book()
    red, plain = free[free["red"]], free[~free["red"]]
    if red.empty:
        return
    red = red.assign(amount=-red["amount"])
    on = ["amount", "code"] if "counterparty" in rule.keys else ["amount"]
    pairs = capped_join(red[["pos", "day", "amount", "code"]], plain[["pos", "day", "amount", "code"]],
                        on, st.rules.max_pairs_per_key)[0]
    pairs = pairs.rename(columns={"pos_b": "b", "pos_j": "j"})
    pairs["dd"] = pairs["day_b"] - pairs["day_j"]
    pairs = pairs[(pairs["dd"] >= 0) & (pairs["dd"] <= rule.window_days)].assign(score=rule.score)
    took, tied, _ = mutual_best(pairs)
    st.flag("j", tied, "ambiguous")
    n = len(took)
    if n:
        gid = np.arange(n)
        fields = np.full(n, "amount,counterparty,reversal" if "counterparty" in rule.keys else "amount,reversal",
                         dtype=object)
        st.record(rule, [], [took["b"].to_numpy(), took["j"].to_numpy()], [], [gid, gid],
                  took["score"].to_numpy(), fields, n)


def _sums(st: _State, rule: Rule, names: pd.Series) -> None:
    """One line = the sum of several lines of the other side, same counterparty, within the window."""
    bank, book = st.free_bank(), st.free_book()
    code = bank["code"].to_numpy()
    unknown = code == ""
    if unknown.any():
        code = code.copy()
        code[unknown] = fuzzy_codes(bank["name"][unknown], names, st.rules.name_score)
    bank = bank.assign(code=code)
    by_code = "counterparty" in rule.keys
    if by_code:
        bank, book = bank[bank["code"] != ""], book[book["code"] != ""]
    else:                  # the payer is unknown: named bank lines without a code only (not fees)
        bank = bank[(bank["code"] == "") & (bank["name"] != "")]
    anchors, members = (bank, book) if rule.kind == "many_to_one" else (book, bank)
    found, ambiguous = sum_groups(anchors, members, rule.window_days, st.rules.group_candidates,
                                  st.rules.group_size, st.rules.max_pairs_per_key, by_code)
    side_a, side_m = ("b", "j") if rule.kind == "many_to_one" else ("j", "b")
    st.flag(side_a, ambiguous, "ambiguous")
    if found.empty:
        return
    gid_a = found.groupby("anchor", sort=False).ngroup().to_numpy()
    anchor_pos = found.drop_duplicates("anchor")["anchor"].to_numpy()
    n = len(anchor_pos)
    a_gid = np.arange(n)
    m_pos, m_gid = found["member"].to_numpy(), gid_a
    fields = np.full(n, "amount(sum)," + ("counterparty," if by_code else "") + "date±window", dtype=object)
    if rule.kind == "many_to_one":
        st.record(rule, [anchor_pos], [m_pos], [a_gid], [m_gid], np.full(n, rule.score), fields, n)
    else:
        st.record(rule, [m_pos], [anchor_pos], [m_gid], [a_gid], np.full(n, rule.score), fields, n)
