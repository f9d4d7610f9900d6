"""Master data (基础资料) with unified codes: organisations, departments, partners, materials.

Each table is a CSV in a case's ``masterdata/`` folder, validated against the
schema in ``finshare/data/masterdata.yaml``: codes are unique and well
formed, references point at existing codes, 统一社会信用代码 pass the GB 32100
check.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from .problems import Problem, Source, raise_if_any
from .schema import LINE, TableSpec, check_table, field_from_yaml, read_text_table
from .yamlio import load_yaml

#: Which master-data table a journal dimension refers to.
DIMENSION_TABLES = {
    "supplier": "suppliers", "customer": "customers", "department": "departments",
    "employee": "employees", "material": "materials", "bank_account": "bank_accounts",
}
#: Load order, so that references are checked against tables already loaded.
TABLE_ORDER = ["organisations", "departments", "suppliers", "customers", "materials",
               "bank_accounts", "employees", "fixed_assets", "supplier_bank_accounts"]


@lru_cache(maxsize=1)
def table_specs() -> dict[str, TableSpec]:
    """Schemas of the master-data tables, from ``masterdata.yaml``."""
    text = resources.files("finshare.data").joinpath("masterdata.yaml").read_text(encoding="utf-8")
    specs = {}
    for name, body in load_yaml(text, "<built-in masterdata.yaml>").items():
        fields = tuple(field_from_yaml(k, v) for k, v in body["fields"].items())
        specs[name] = TableSpec(name, body["label_zh"], body["label_en"], body.get("key"), fields)
    return specs


class MasterData:
    """The master-data tables of one case, each a DataFrame indexed by code.

    Examples
    --------
    >>> md = MasterData.read("datasets/fujian/masterdata")      # doctest: +SKIP
    >>> md["departments"].loc["D01", "attribute"]                 # doctest: +SKIP
    '管理'
    """

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = {name: tables.get(name, _empty(name)) for name in TABLE_ORDER}

    @classmethod
    def read(cls, folder: str | Path) -> "MasterData":
        """Load ``<table>.csv`` (or ``.xlsx``) files from ``folder``; missing tables are empty."""
        folder = Path(folder)
        tables, problems = {}, []
        for name in TABLE_ORDER:
            path = next((p for p in (folder / f"{name}.csv", folder / f"{name}.xlsx") if p.exists()), None)
            if path is None:
                continue
            frame, probs = check_table(read_text_table(path), table_specs()[name], str(path),
                                       refs={k: v.index for k, v in tables.items()})
            problems += probs
            if not probs:
                tables[name] = frame.set_index("code", drop=False).rename_axis(None)
        raise_if_any(problems, f"基础资料有错误 / master data in {folder} has problems")
        return cls(tables)

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame) -> "MasterData":
        """Build from DataFrames of text (as a notebook or test would), validated."""
        tables, problems = {}, []
        for name in TABLE_ORDER:
            if name in frames:
                frame, probs = check_table(frames[name].fillna("").astype(str), table_specs()[name], f"<{name}>",
                                           refs={k: v.index for k, v in tables.items()})
                problems += probs
                if not probs:
                    tables[name] = frame.set_index("code", drop=False).rename_axis(None)
        raise_if_any(problems, "基础资料有错误 / master data has problems")
        return cls(tables)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def names(self, table: str, codes: pd.Series, lang: str = "zh") -> pd.Series:
        """Display names for codes of ``table`` (vectorised; unknown codes give <NA>)."""
        return codes.map(self.tables[table][f"name_{lang}"].astype(object))

    def check_uscc_unique(self) -> list[Problem]:
        """Two partners with one 统一社会信用代码 are one legal person entered twice."""
        problems = []
        for name in ("organisations", "suppliers", "customers"):
            t = self.tables[name]
            if "uscc" not in t or t.empty:
                continue
            dup = t["uscc"].notna() & t["uscc"].duplicated(keep="first")
            for _, row in t[dup].iterrows():
                problems.append(Problem(
                    "duplicate-uscc", f"{row['uscc']} 已被另一{table_specs()[name].label_zh}使用 / "
                    f"USCC used twice in {name}", Source(f"{name}.csv", int(row[LINE]), "uscc"),
                    "merge the two records"))
        return problems

    def _repr_html_(self) -> str:
        parts = []
        for name, t in self.tables.items():
            spec = table_specs()[name]
            cols = [c for c in t.columns if c not in (LINE, "code")]
            parts.append(f"<h4>{spec.label_zh} {spec.label_en} ({len(t)})</h4>"
                         + t[cols].to_html(max_rows=20, na_rep=""))
        return "".join(parts)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables.items())
        return f"<MasterData {sizes}>"


def _empty(name: str) -> pd.DataFrame:
    spec = table_specs()[name]
    cols = [f.name for f in spec.fields]
    return pd.DataFrame({c: pd.Series(dtype="string") for c in cols}).set_index("code", drop=False).rename_axis(None)


def describe(name: str) -> str:
    """One line per field of a master-data table: name, type, label (for notebooks)."""
    spec = table_specs()[name]
    return "\n".join(f"{f.name:14} {f.type:9} {f.label_zh}{' (required)' if f.required else ''}"
                     for f in spec.fields)


__all__ = ["MasterData", "DIMENSION_TABLES", "table_specs", "describe"]
