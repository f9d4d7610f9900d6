"""Counterparty names on bank lines: normalised, told by code, and the payer-alias table.

A bank prints the payer's name as the payer's bank has it (a customer's owner
paying from a personal card, an abbreviation, a typo); the book carries the
counterparty's code (``C001``). The alias table (bank name → code), learned
from confirmed matches, is a CSV the user keeps beside the statements
(e.g. ``CASE/reconcile/aliases.csv``) and passes on the next run.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from finshare.core.columns import arrow_text
from finshare.core.problems import FinshareError, Problem, Source
from finshare.core.textio import read_csv

ALIAS_COLUMNS = ("bank_name", "code", "matches")


def normalise_name(names: pd.Series) -> pd.Series:
    """Full-width to half-width, upper case, no blanks or punctuation (``"厦门 华联（有限）"`` → ``"厦门华联有限"``)."""
    arr = pc.utf8_upper(pc.utf8_normalize(pc.fill_null(arrow_text(names), ""), "NFKC"))
    arr = pc.replace_substring_regex(arr, r"[\s\.,;:'\"()\[\]{}·\-_/\\]", "")
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=names.index, dtype="string")


def name_table(names) -> pd.Series:
    """Code → normalised name from a dict, a Series or a frame with ``code`` and ``name``."""
    if names is None:
        return pd.Series(dtype="string")
    if isinstance(names, pd.DataFrame):
        names = pd.Series(names["name"].to_numpy(), index=names["code"].astype(str))
    s = pd.Series(names, dtype="string")
    return normalise_name(s)[lambda x: x != ""]


def codes_by_name(bank_names: pd.Series, aliases: pd.DataFrame | None, names: pd.Series) -> np.ndarray:
    """Code of each (normalised) bank name by the alias table, else by an exact known name; ``""`` if none."""
    lookup = pd.Series(dtype=object)
    if len(names):
        by_name = pd.Series(names.index.to_numpy(), index=names.to_numpy(), dtype="string")
        lookup = by_name[~by_name.index.duplicated(keep=False)]
    if aliases is not None and len(aliases):
        alias = pd.Series(aliases["code"].astype("string").to_numpy(),
                          index=normalise_name(aliases["bank_name"]).to_numpy())
        lookup = pd.concat([alias[~alias.index.duplicated()], lookup])
        lookup = lookup[~lookup.index.duplicated()]
    lookup = lookup[lookup.index.notna() & lookup.notna().to_numpy()]
    if lookup.empty:
        return np.full(len(bank_names), "", dtype=object)
    plain = pd.Series(bank_names.to_numpy(object), index=bank_names.index)     # object keys: no Arrow nulls
    return plain.map(lookup.astype(object)).astype(object).fillna("").to_numpy()


def fuzzy_codes(bank_names: pd.Series, names: pd.Series, cutoff: float) -> np.ndarray:
    """Code of each bank name by the most alike known name (WRatio ≥ ``cutoff``, one best only), else ``""``.

    Compares unique names only, and each only with the known names it shares a telling two-character piece
    with (:func:`name_pairs`), never every name with every other.
    """
    out = np.full(len(bank_names), "", dtype=object)
    uniq = pd.unique(bank_names[bank_names != ""])
    if not len(uniq) or not len(names):
        return out
    known = names.to_numpy(object)
    pairs = name_pairs(np.asarray(uniq, dtype=object), known)
    if pairs.empty:
        return out
    pairs["score"] = process.cpdist(list(uniq[pairs["a"]]), list(known[pairs["b"]]), scorer=fuzz.WRatio,
                                    score_cutoff=cutoff, dtype=np.float64)
    pairs = pairs[pairs["score"] > 0]
    top = pairs.groupby("a")["score"].transform("max")
    best = pairs[pairs["score"] == top]
    single = best.groupby("a")["b"].transform("size") == 1
    best = best[single.to_numpy()]
    mapped = pd.Series(names.index.to_numpy()[best["b"].to_numpy()], index=uniq[best["a"].to_numpy()], dtype=object)
    plain = pd.Series(bank_names.to_numpy(object), index=bank_names.index)
    return plain.map(mapped).astype(object).fillna("").to_numpy()


#: A two-character piece found in more known names than this tells nothing (有限, 公司, 贸易 …).
COMMON_PIECE = 50


def name_pairs(a: np.ndarray, b: np.ndarray, common: int = COMMON_PIECE) -> pd.DataFrame:
    """Positions ``a, b`` of the name pairs that share a two-character piece found in at most ``common`` of
    the names ``b`` (a hash join on the pieces: blocking, not all × all)."""
    left, right = _pieces(a), _pieces(b)
    df = right.groupby("piece")["pos"].transform("size")
    right = right[(df <= common).to_numpy()]
    joined = left.merge(right, on="piece", suffixes=("_a", "_b"))
    return joined[["pos_a", "pos_b"]].drop_duplicates().rename(columns={"pos_a": "a", "pos_b": "b"}) \
        .reset_index(drop=True)


def _pieces(names: np.ndarray) -> pd.DataFrame:
    """``pos, piece``: every two-character piece of every name (a one-character name is its own piece), one
    pass per position in C (pyarrow), not per name."""
    arr = pa.array(names, type=pa.large_string())
    length = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    parts = []
    for i in range(max(int(length.max(initial=0)) - 1, 1)):
        has = np.flatnonzero((length >= i + 2) | ((i == 0) & (length == 1)))
        piece = pc.utf8_slice_codeunits(arr.take(pa.array(has)), i, i + 2)
        parts.append(pd.DataFrame({"pos": has, "piece": piece.to_numpy(zero_copy_only=False)}))
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def name_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """WRatio (0–100) of each pair ``a[i]``, ``b[i]``; 0 where either is empty."""
    if not len(a):
        return np.zeros(0)
    sim = process.cpdist(list(a), list(b), scorer=fuzz.WRatio, dtype=np.float64)
    return np.where((pd.Series(a) == "").to_numpy() | (pd.Series(b) == "").to_numpy(), 0.0, sim)


def learn_aliases(confirmed, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The alias table (bank name → counterparty code) from confirmed matches.

    Parameters
    ----------
    confirmed : pandas.DataFrame or Reconciliation
        Rows with ``bank_name`` and ``code`` (a :class:`~finshare.reconcile.result.Reconciliation`
        gives its applied matches through ``.confirmed_names()``).
    previous : pandas.DataFrame, optional
        An earlier table to add to.

    Returns
    -------
    pandas.DataFrame
        ``bank_name, code, matches``: per bank name the code it was matched to most often.
    """
    if hasattr(confirmed, "confirmed_names"):
        confirmed = confirmed.confirmed_names()
    rows = confirmed[["bank_name", "code"]].astype("string").fillna("")
    rows = rows.assign(matches=1)
    if previous is not None and len(previous):
        rows = pd.concat([rows, previous[list(ALIAS_COLUMNS)].astype({"matches": "int64"})])
    rows = rows[(rows["bank_name"].str.strip() != "") & (rows["code"] != "")]
    rows = rows.assign(key=normalise_name(rows["bank_name"]))
    counts = rows.groupby(["key", "code"], sort=True).agg(bank_name=("bank_name", "first"),
                                                          matches=("matches", "sum")).reset_index()
    counts = counts.sort_values(["key", "matches", "code"], ascending=[True, False, True])
    best = counts.drop_duplicates("key")
    return _typed(best[list(ALIAS_COLUMNS)].reset_index(drop=True))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({"bank_name": "str", "code": "str", "matches": "int64"})


def write_aliases(table: pd.DataFrame, path: str | Path) -> Path:
    """Write the alias table as UTF-8 CSV (``bank_name,code,matches``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table[list(ALIAS_COLUMNS)].to_csv(path, index=False, encoding="utf-8")
    return path


def read_aliases(path: str | Path) -> pd.DataFrame:
    """Read an alias table written by :func:`write_aliases` (or by hand).

    Raises
    ------
    FinshareError
        ``bad-alias-file`` naming the file, line and column.
    """
    if not Path(path).is_file():
        raise FinshareError([Problem("missing-file", f"找不到别名表 / no such alias table: {path}", Source(str(path)),
                                     "检查路径；第一次对账时不指定别名表 / check the path; leave it out on the "
                                     "first reconciliation")])
    frame = read_csv(path)
    missing = [c for c in ("bank_name", "code") if c not in frame]
    if missing:
        raise FinshareError([Problem(
            "bad-alias-file", f"别名表缺少列 {', '.join(missing)} / the alias table has no column "
            f"{', '.join(missing)}", Source(str(path), 1, missing[0]),
            "表头写 bank_name,code,matches / write the header bank_name,code,matches")])
    if "matches" not in frame:
        frame["matches"] = "1"
    n = pd.to_numeric(frame["matches"], errors="coerce")
    bad = np.flatnonzero(n.isna().to_numpy())
    if len(bad):
        raise FinshareError([Problem(
            "bad-alias-file", f"matches 不是整数 / matches is not a whole number: {frame['matches'].iloc[bad[0]]!r}",
            Source(str(path), int(bad[0]) + 2, "matches"), "写整数，如 3 / write a whole number such as 3")])
    return _typed(frame.assign(matches=n.astype("int64"))[list(ALIAS_COLUMNS)])
