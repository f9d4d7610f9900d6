"""Who paid: the customer a receipt's payer name stands for.

In order: the customer code the 收款单 names; the master name (name_zh or
name_en, exact after normalising); the learned alias table (payer name →
customer code, ``reconcile/aliases.csv`` of the case); then rapidfuzz WRatio
against the customer names that share the payer's first characters (the
block), scored 0–100.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ...core.problems import FinshareError, Problem, Source

ALIAS_COLUMNS = ["payer", "customer"]


def normalise(names: pd.Series) -> pd.Series:
    """Names compared: upper case, no blanks or punctuation, full-width brackets as half-width."""
    s = names.fillna("").astype("string").str.upper()
    s = s.str.replace("（", "(", regex=False).str.replace("）", ")", regex=False)
    return s.str.replace(r"[\s.,·\-_/()]+", "", regex=True)


def learn_aliases(confirmed: pd.DataFrame, customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """An alias table from confirmed clearings: each payer name seen with one customer only.

    Parameters
    ----------
    confirmed : DataFrame
        ``payer`` and ``customer`` columns (a confirmed match each).
    customers : DataFrame, optional
        Customer master (``code``, ``name_zh``, ``name_en``): payers equal to
        a master name need no alias and are left out.

    Returns
    -------
    DataFrame
        ``payer, customer`` sorted by payer, CSV-able.
    """
    pairs = confirmed[ALIAS_COLUMNS].astype("string").dropna()
    pairs = pairs[pairs["payer"].str.strip() != ""].drop_duplicates()
    one = pairs.groupby("payer")["customer"].transform("nunique") == 1
    pairs = pairs[one]
    if customers is not None:
        masters = set(normalise(pd.concat([customers["name_zh"], customers["name_en"]])))
        pairs = pairs[~normalise(pairs["payer"]).isin(masters)]
    return pairs.sort_values("payer").reset_index(drop=True)


def read_aliases(case_dir: str | Path) -> pd.DataFrame:
    """The case's ``reconcile/aliases.csv`` (payer,customer), or an empty table where there is none."""
    path = Path(case_dir) / "reconcile" / "aliases.csv"
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype="string") for c in ALIAS_COLUMNS})
    table = pd.read_csv(path, dtype="string", keep_default_na=False)
    if list(table.columns[:2]) != ALIAS_COLUMNS:
        raise FinshareError([Problem("alias-columns", "别名表的列应为 payer,customer / the alias table needs the "
                                     "columns payer,customer", Source(str(path), 1), "write the header payer,customer")])
    return table[ALIAS_COLUMNS]


def write_aliases(aliases: pd.DataFrame, case_dir: str | Path) -> Path:
    """Write the alias table to ``<case_dir>/reconcile/aliases.csv``; return the path."""
    path = Path(case_dir) / "reconcile" / "aliases.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    aliases[ALIAS_COLUMNS].to_csv(path, index=False)
    return path


def resolve_payers(receipts: pd.DataFrame, customers: pd.DataFrame, aliases: pd.DataFrame | None,
                   block_chars: int = 2, floor: int = 85) -> pd.DataFrame:
    """The customer of each receipt: ``customer``, ``how`` (code|name|alias|fuzzy|''), ``score`` (0–100)."""
    n = len(receipts)
    customer = receipts["customer"].fillna("").astype(object).to_numpy().copy()
    how = np.where(customer != "", "code", "").astype(object)
    score = np.where(customer != "", 100, 0).astype("int64")
    codes, uniq = pd.factorize(receipts["payer"].fillna("").astype(object))
    payer = normalise(pd.Series(uniq, dtype=object)).astype(object).to_numpy()[codes] if len(uniq) \
        else np.zeros(0, object)
    names = pd.concat([pd.DataFrame({"name": normalise(customers[c]), "code": customers["code"]})
                       for c in ("name_zh", "name_en") if c in customers], ignore_index=True)
    names = names[names["name"] != ""].drop_duplicates("name").astype(object)
    for label, table in (("name", names),
                         ("alias", _alias_names(aliases))):
        todo = (how == "") & (payer != "")
        hit = pd.Series(payer[todo]).map(table.set_index("name")["code"]).to_numpy()
        got = pd.notna(hit)
        idx = np.flatnonzero(todo)[got]
        customer[idx], how[idx], score[idx] = hit[got], label, 100
    todo = np.flatnonzero((how == "") & (payer != ""))
    if len(todo):
        best = _fuzzy(pd.Series(payer[todo]), names, block_chars, floor)
        got = best["code"].notna().to_numpy()
        idx = todo[got]
        customer[idx], how[idx] = best["code"].to_numpy()[got], "fuzzy"
        score[idx] = best["score"].to_numpy("int64")[got]
    return pd.DataFrame({"customer": customer, "how": how, "score": score}, index=range(n))


def _alias_names(aliases: pd.DataFrame | None) -> pd.DataFrame:
    if aliases is None or aliases.empty:
        return pd.DataFrame({"name": pd.Series(dtype=object), "code": pd.Series(dtype=object)})
    t = pd.DataFrame({"name": normalise(aliases["payer"]), "code": aliases["customer"]}).astype(object)
    return t[t["name"] != ""].drop_duplicates("name")


def _fuzzy(payers: pd.Series, names: pd.DataFrame, block_chars: int, floor: int) -> pd.DataFrame:
    """Best customer per payer among the names of its block (same first characters), WRatio ≥ ``floor``.

    Within a block, ``rapidfuzz.process.cdist`` (plain ratio, in C) picks each payer's three
    closest names; WRatio scores those. Two customers scored equally give no customer.
    """
    uniq = pd.DataFrame({"payer": payers.unique()})
    uniq["block"] = uniq["payer"].str[:block_chars]
    names = names.assign(block=names["name"].str[:block_chars])
    names = names[names["block"].isin(uniq["block"])]
    found = []
    for block, part in names.groupby("block", sort=False):
        who = uniq.loc[uniq["block"] == block, "payer"].to_numpy(object)
        score = process.cdist(list(who), list(part["name"]), scorer=fuzz.ratio, dtype=np.uint8)
        top = np.argsort(-score.astype("int16"), axis=1, kind="stable")[:, :3]
        found.append(pd.DataFrame({"payer": np.repeat(who, top.shape[1]),
                                   "name": part["name"].to_numpy(object)[top.ravel()],
                                   "code": part["code"].to_numpy(object)[top.ravel()]}))
    if not found:
        return pd.DataFrame({"code": [None] * len(payers), "score": np.zeros(len(payers), "int64")})
    pairs = pd.concat(found, ignore_index=True)
    pairs["score"] = [int(round(fuzz.WRatio(a, b))) for a, b in zip(pairs["payer"], pairs["name"])]
    pairs = pairs[pairs["score"] >= floor].sort_values(["payer", "score", "code"], ascending=[True, False, True])
    first = pairs.drop_duplicates("payer")
    runner = pairs[pairs.duplicated("payer")].drop_duplicates("payer").set_index("payer")["score"]
    tie = first["payer"].map(runner).eq(first["score"]).to_numpy()          # two customers equally close
    best = first[~tie].set_index("payer")
    return pd.DataFrame({"code": payers.map(best["code"]).to_numpy(object),
                         "score": payers.map(best["score"]).fillna(0).to_numpy("int64")})
