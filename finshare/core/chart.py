"""Charts of accounts (会计科目表): codes, bilingual names, hierarchy, dimensions.

Two charts are built in: ``CAS``, the general-enterprise chart of the
企业会计准则应用指南 appendix (财会〔2006〕18号, with the post-2006 accounts and
the 应交税费 detail of 财会〔2016〕22号) plus the second-level accounts the
Fujian case needs; and ``HKFRS``, a function-classified chart for the Hong
Kong book. A chart is a table; load and save it as CSV or Excel.
"""
from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .dimensions import DIMENSIONS
from .problems import FinshareError, Problem, Source, raise_if_any
from .textio import read_csv

#: Auxiliary dimensions (核算项目) an account may require, with their labels.
CATEGORIES = {
    "asset": "资产", "liability": "负债", "common": "共同", "equity": "所有者权益",
    "cost": "成本", "profit_and_loss": "损益",
}
_BALANCE_WORDS = {
    "debit": "debit", "借": "debit", "借方": "debit", "d": "debit", "dr": "debit",
    "credit": "credit", "贷": "credit", "贷方": "credit", "c": "credit", "cr": "credit",
    "either": "either", "借/贷": "either", "借贷": "either", "双向": "either",
}
_CATEGORY_WORDS = {**{k: k for k in CATEGORIES}, **{v: k for k, v in CATEGORIES.items()}}
COLUMNS = ["code", "parent", "name_zh", "name_en", "category", "normal_balance", "dimensions"]
BUILTIN = {"CAS": "chart_cas.csv", "HKFRS": "chart_hkfrs.csv"}
BUILTIN_MAPS = {("CAS", "HKFRS"): "map_cas_hkfrs.csv"}


class Chart:
    """A chart of accounts.

    Build with :meth:`builtin`, :meth:`read` or :meth:`from_frame`.

    Attributes
    ----------
    name : str
        Short name books refer to, e.g. ``"CAS"``.
    accounts : pandas.DataFrame
        Indexed by ``code`` (str) with columns ``parent``, ``level``,
        ``name_zh``, ``name_en``, ``category``, ``normal_balance``
        (``debit``/``credit``/``either``), ``dimensions`` (tuple of names the
        account carries), ``optional_dimensions`` (those of them a line may
        leave blank, written ``partner?`` in a chart file; the others are
        required) and ``is_leaf``.
    """

    def __init__(self, name: str, accounts: pd.DataFrame, source: str = ""):
        self.name = name
        self.accounts = accounts
        self.source = source

    # ----------------------------------------------------------------- loading
    @classmethod
    def builtin(cls, name: str = "CAS") -> "Chart":
        """A built-in chart: ``"CAS"`` or ``"HKFRS"``."""
        if name not in BUILTIN:
            raise FinshareError([Problem(
                "unknown-chart", f"没有内置科目表 {name!r} / no built-in chart {name!r}",
                hint=f"use one of {', '.join(BUILTIN)} or a CSV/Excel file path")])
        with resources.files("finshare.data").joinpath(BUILTIN[name]).open(encoding="utf-8") as fh:
            frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
        return cls.from_frame(frame, name=name, source=f"<built-in {name}>")

    @classmethod
    def read(cls, path: str | Path, name: str | None = None) -> "Chart":
        """Load a chart from CSV (UTF-8 or GBK) or Excel (``.xlsx``), columns as in :data:`COLUMNS`."""
        path = Path(path)
        if not path.exists():
            raise FinshareError([Problem("missing-file", "找不到科目表文件 / chart file not found",
                                         Source(str(path)), "check the path in books.yaml")])
        if path.suffix.lower() in (".xlsx", ".xls"):
            frame = pd.read_excel(path, dtype=str).fillna("")
        else:
            frame = read_csv(path)
        return cls.from_frame(frame, name=name or path.stem, source=str(path))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, name: str, source: str = "<frame>") -> "Chart":
        """Validate a table of accounts and build a chart (all problems at once).

        ``frame`` has the columns of :data:`COLUMNS` (as in a CSV file), or is
        ``chart.accounts`` of another chart (indexed by code, dimensions as
        tuples), possibly with rows added, so a custom chart starts from a
        built-in one::

            extra = pd.DataFrame({"parent": ["6602"], "name_zh": ["办公费"], "category": ["损益"],
                                  "normal_balance": ["借"]}, index=pd.Index(["660201"], name="code"))
            Chart.from_frame(pd.concat([cas.accounts, extra]), "my CAS")
        """
        accounts, problems = _validate(_as_table(frame), source)
        raise_if_any(problems, f"科目表 {name} 有错误 / chart {name} has problems")
        return cls(name, accounts, source)

    def dimension_text(self, sep: str) -> pd.Series:
        """Each account's dimensions as written in a chart file, an optional one with ``?``."""
        acc = self.accounts
        return pd.Series([sep.join(d + ("?" if d in opt else "") for d in dims)
                          for dims, opt in zip(acc["dimensions"], acc["optional_dimensions"])], index=acc.index)

    def save(self, path: str | Path) -> Path:
        """Write the chart as CSV or Excel (by the file's suffix)."""
        path = Path(path)
        out = self.accounts.reset_index()[COLUMNS].copy()
        out["dimensions"] = self.dimension_text(";").to_numpy()
        if path.suffix.lower() == ".xlsx":
            out.to_excel(path, index=False, sheet_name=self.name[:31])
        else:
            out.to_csv(path, index=False, encoding="utf-8")
        return path

    # ----------------------------------------------------------------- queries
    def __contains__(self, code) -> bool:
        return str(code) in self.accounts.index

    def __len__(self) -> int:
        return len(self.accounts)

    def name_of(self, code: str, lang: str = "zh") -> str:
        """The account's name, ``"管理费用"`` or ``"Administrative expenses"``."""
        return self.accounts.at[str(code), f"name_{lang}"]

    def full_name(self, codes: pd.Series, lang: str = "zh") -> pd.Series:
        """Names with all their parents, ``应交税费—应交增值税—进项税额`` (vectorised)."""
        names = self.accounts[f"name_{lang}"]
        sep = "—" if lang == "zh" else " - "
        full = pd.Series(names.to_numpy(object), index=self.accounts.index)
        parent = self.accounts["parent"]
        for _ in range(int(self.accounts["level"].max()) - 1):
            has = parent != ""
            full = full.where(~has, parent.map(names).fillna("") + sep + full)
            parent = parent.map(self.accounts["parent"]).fillna("")
        return codes.map(full)

    def ancestors(self) -> pd.DataFrame:
        """Pairs ``(code, ancestor)`` including each code itself, for roll-ups."""
        parent = self.accounts["parent"]
        pairs = [pd.DataFrame({"code": self.accounts.index, "ancestor": self.accounts.index})]
        cur = pd.Series(self.accounts.index, index=self.accounts.index)
        for _ in range(int(self.accounts["level"].max())):
            cur = cur.map(parent)
            keep = cur.fillna("") != ""
            if not keep.any():
                break
            pairs.append(pd.DataFrame({"code": cur.index[keep], "ancestor": cur[keep].to_numpy()}))
            cur = cur[keep]
        return pd.concat(pairs, ignore_index=True)

    def leaf_codes(self) -> list[str]:
        return list(self.accounts.index[self.accounts["is_leaf"]])

    def _repr_html_(self) -> str:
        head = (f"<b>科目表 Chart {html.escape(self.name)}</b> — {len(self)} accounts, "
                f"{int(self.accounts['is_leaf'].sum())} postable (leaf)")
        view = self.accounts[["name_zh", "name_en", "category", "normal_balance", "dimensions"]].copy()
        view["dimensions"] = self.dimension_text(", ")
        return head + view.head(60).to_html()

    def __repr__(self) -> str:
        return f"<Chart {self.name}: {len(self)} accounts>"


def account_map(from_chart: str, to_chart: str, path: str | Path | None = None) -> pd.Series:
    """A mapping of account codes between charts, as a Series ``from_code -> to_code``.

    Parameters
    ----------
    from_chart, to_chart : str
        Chart names; the built-in ``CAS -> HKFRS`` map is used when ``path`` is None.
    path : path, optional
        A CSV (UTF-8 or GBK) with columns ``from_code, to_code``.
    """
    if path is None:
        key = (from_chart, to_chart)
        if key not in BUILTIN_MAPS:
            raise FinshareError([Problem(
                "unknown-account-map", f"没有 {from_chart}→{to_chart} 的科目对照表 / no account map",
                hint="give the book an account_map: CSV file with from_code,to_code")])
        with resources.files("finshare.data").joinpath(BUILTIN_MAPS[key]).open(encoding="utf-8") as fh:
            frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    else:
        frame = read_csv(path)
        lacking = [c for c in ("from_code", "to_code") if c not in frame.columns]
        if lacking:
            raise FinshareError([Problem(
                "missing-column", f"科目对照表缺少列 {c} / the account map lacks column {c}", Source(str(path), 1, c),
                "the columns are from_code,to_code") for c in lacking])
    dup = frame["from_code"].duplicated()
    if dup.any():
        raise FinshareError([Problem(
            "duplicate-code", f"科目对照重复 / account {c} is mapped twice", Source(str(path or key), int(i) + 2),
            "keep one row per from_code") for i, c in frame.loc[dup, "from_code"].items()])
    return pd.Series(frame["to_code"].to_numpy(), index=frame["from_code"].to_numpy(), name="to_code")


def map_accounts(codes: pd.Series, mapping: pd.Series, chart_from: Chart) -> pd.Series:
    """Translate codes through ``mapping``, falling back to the nearest mapped ancestor.

    Unmapped codes give NaN.
    """
    pairs = chart_from.ancestors()
    pairs = pairs[pairs["ancestor"].isin(mapping.index)].copy()
    pairs["depth"] = pairs["ancestor"].map(chart_from.accounts["level"])
    best = pairs.sort_values("depth", ascending=False).drop_duplicates("code")
    resolved = pd.Series(best["ancestor"].map(mapping).to_numpy(), index=best["code"].to_numpy())
    return codes.map(resolved)


def _as_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``Chart.accounts`` (code as index, tuples of dimensions) back to the file's columns."""
    if "code" not in frame.columns and frame.index.name == "code":
        frame = frame.reset_index()
    if "dimensions" in frame.columns:
        frame = frame.assign(dimensions=frame["dimensions"].map(
            lambda d: ";".join(map(str, d)) if isinstance(d, (tuple, list, set)) else ("" if pd.isna(d) else d)))
    extra = [c for c in ("level", "is_leaf") if c in frame.columns]   # derived again from parent
    return frame.drop(columns=extra).astype(object)


def _validate(frame: pd.DataFrame, source: str):
    problems: list[Problem] = []
    missing = [c for c in ("code", "name_zh", "category", "normal_balance") if c not in frame.columns]
    if missing:
        problems.append(Problem("missing-column", f"科目表缺少列 / chart lacks column(s) {', '.join(missing)}",
                                Source(source, 1), f"columns are: {', '.join(COLUMNS)}"))
        return None, problems
    f = frame.copy().fillna("")
    for col in ("parent", "name_en", "dimensions"):
        if col not in f.columns:
            f[col] = ""
    f["code"] = f["code"].astype(str).str.strip()
    f["parent"] = f["parent"].astype(str).str.strip()
    line = pd.Series(np.arange(len(f)) + 2, index=f.index)

    def bad(mask, code, message, field, hint):
        for i in f.index[mask]:
            problems.append(Problem(code, message.format(**f.loc[i].to_dict()),
                                    Source(source, int(line[i]), field), hint))

    bad(f["code"] == "", "missing-code", "科目编码为空 / empty account code", "code", "give every row a code")
    bad(f["code"].duplicated(keep="first") & (f["code"] != ""), "duplicate-code",
        "科目编码 {code} 重复 / account code {code} appears twice", "code", "keep one row per code")
    known = set(f["code"])
    bad((f["parent"] != "") & ~f["parent"].isin(known), "unknown-parent",
        "上级科目 {parent} 不存在 / parent account {parent} is not in the chart", "parent",
        "add the parent account or clear the parent column")
    f["category"] = f["category"].str.strip().map(_CATEGORY_WORDS)
    bad(f["category"].isna(), "bad-category", "科目类别无效 / invalid category for account {code}", "category",
        "use one of " + ", ".join(f"{k} ({v})" for k, v in CATEGORIES.items()))
    f["normal_balance"] = f["normal_balance"].str.strip().str.lower().map(_BALANCE_WORDS)
    bad(f["normal_balance"].isna(), "bad-normal-balance",
        "余额方向无效 / invalid normal balance for account {code}", "normal_balance",
        "use debit (借), credit (贷) or either (借/贷)")
    tokens = f["dimensions"].astype(str).str.replace("；", ";").str.split(";").map(
        lambda xs: tuple(x.strip() for x in xs if x.strip()))
    dims = tokens.map(lambda xs: tuple(x.rstrip("?").strip() for x in xs))
    optional = tokens.map(lambda xs: tuple(x.rstrip("?").strip() for x in xs if x.endswith("?")))
    unknown_dim = dims.map(lambda ds: any(d not in DIMENSIONS for d in ds))
    bad(unknown_dim, "unknown-dimension", "科目 {code} 的核算项目无效 / unknown dimension '{dimensions}'",
        "dimensions", "use any of " + ", ".join(DIMENSIONS))
    f["dimensions"], f["optional_dimensions"] = dims, optional
    if problems:
        return None, problems
    acc = f.set_index("code")[["parent", "name_zh", "name_en", "category", "normal_balance", "dimensions",
                               "optional_dimensions"]]
    acc["name_en"] = acc["name_en"].where(acc["name_en"] != "", acc["name_zh"])
    acc["is_leaf"] = ~acc.index.isin(acc["parent"])
    level = pd.Series(1, index=acc.index)
    cur = acc["parent"]
    for depth in range(2, 12):
        has = cur != ""
        if not has.any():
            break
        level[has] = depth
        cur = cur.map(acc["parent"]).fillna("")
    else:
        problems.append(Problem("parent-cycle", "上级科目循环 / the parent column forms a cycle",
                                Source(source), "check the parent codes"))
    acc["level"] = level
    return acc[["parent", "level", "name_zh", "name_en", "category", "normal_balance",
                "dimensions", "optional_dimensions", "is_leaf"]], problems
