"""Statement layouts: how one bank's export maps onto the canonical bank-line table.

A layout is a YAML mapping file. The four built-in ones (ICBC, CCB, BOC, CMB)
live in ``finshare/data/bank_layouts/`` in exactly the format a user writes for
any other bank, so detection, reading and validation are one code path. The
format is documented in the README ("Bank statements"); :data:`KEYS` and
:data:`COLUMN_KEYS` list what a file may say.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ...core.problems import FinshareError, Problem, Source
from ...core.yamlio import read_yaml

#: Top-level keys of a layout file → meaning.
KEYS = {
    "name": "short name of the layout (required)",
    "bank": "the bank's name, for people",
    "columns": "canonical column → the file's header text (required)",
    "direction": "how the sign is read: in: credit|debit, or in:/out: flag values, or in: negative",
    "date_format": "strptime formats tried in order (default %Y-%m-%d, %Y%m%d)",
    "currency": "ISO currency when the file names none (default CNY)",
    "currencies": "currency names the file writes → ISO code (人民币元: CNY)",
    "banner": "attr (account_no, account_name, currency) → labels looked for in the rows above the header",
    "footer": "texts that start a total row (合计, 笔数 …); the data ends there",
    "write": "for the sample writer only: delimiter, thousands, header, fill, banner, totals, time_format",
}
#: Canonical keys under ``columns:`` → meaning.
COLUMN_KEYS = {
    "date": "booking date (required)", "time": "time of day (read and ignored)",
    "amount": "one signed amount", "debit": "借方 amount", "credit": "贷方 amount",
    "flag": "direction flag column (借/贷, 来账/往账, 1/2)", "value": "unsigned amount beside the flag",
    "balance": "余额 after the line", "currency": "currency of the line",
    "counterparty": "对方户名 (or in:/out: columns)", "counterparty_account": "对方账号 (or in:/out: columns)",
    "memo": "摘要/用途 (a list is joined with ' / ')", "reference": "流水号 / 凭证号",
    "account_no": "the statement's own account (attrs)", "account_name": "the statement's own name (attrs)",
}
DEFAULT_CURRENCIES = {"人民币": "CNY", "人民币元": "CNY", "RMB": "CNY", "港币": "HKD", "港元": "HKD",
                      "美元": "USD", "越南盾": "VND"}
_DIR = "finshare.data", "bank_layouts"


def norm(text: str) -> str:
    """Header text as compared: NFKC (full-width （） → ()), no blanks, no trailing colon."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).rstrip(":")


@dataclass(frozen=True)
class Layout:
    """One statement layout, read from its YAML file (see :data:`KEYS`)."""

    name: str
    bank: str
    columns: dict
    mode: str                       # "signed", "two" or "flag"
    direction: dict
    date_format: tuple[str, ...]
    currency: str
    currencies: dict
    banner: dict
    footer: tuple[str, ...]
    write: dict = field(default_factory=dict)
    source: str = ""

    def headers(self) -> list[str]:
        """Every header text the layout maps (all must be in the file's header row)."""
        out: list[str] = []
        for value in self.columns.values():
            vals = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            out += [v for v in vals if v not in out]
        return out

    def flag_values(self) -> tuple[list, list]:
        """Normalised flag texts for money in and money out (flag layouts)."""
        return ([norm(v) for v in _as_list(self.direction.get("in"))],
                [norm(v) for v in _as_list(self.direction.get("out"))])


def _as_list(value) -> list:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _mode(columns: dict) -> str | None:
    if "amount" in columns:
        return "signed"
    if "debit" in columns and "credit" in columns:
        return "two"
    if "flag" in columns and "value" in columns:
        return "flag"
    return None


def _problem(source: str, code: str, message: str, key: str, hint: str) -> Problem:
    return Problem(code, message, Source(source, field=key), hint)


def _check(data, source: str) -> list[Problem]:
    """Problems of a layout mapping (missing or unknown keys, wrong shapes)."""
    if not isinstance(data, dict):
        return [_problem(source, "bad-mapping", "映射文件不是键值表 / the mapping file is not a YAML mapping",
                         None, "按 README“Bank statements”一节的格式写 / write it as in the README, section "
                               "'Bank statements'")]
    problems = []
    for key in ("name", "columns"):
        if key not in data:
            problems.append(_problem(source, "mapping-missing-key", f"映射文件缺少 {key}: / the mapping file has "
                                     f"no {key}: key", key, f"加上 {key}: / add {key}: ({KEYS[key]})"))
    problems += [_problem(source, "mapping-unknown-key", f"未知的键 {k} / unknown key {k}", str(k),
                          f"可用的键 / known keys: {', '.join(KEYS)}") for k in data if k not in KEYS]
    columns = data.get("columns")
    if "columns" in data and not isinstance(columns, dict):
        problems.append(_problem(source, "bad-mapping", "columns: 应为 规范列: 表头 / columns: must map canonical "
                                 "names to the file's headers", "columns", "e.g. columns: {date: 交易日期, ...}"))
    elif isinstance(columns, dict):
        problems += _check_columns(columns, data.get("direction") or {}, source)
    return problems


def _check_columns(columns: dict, direction, source: str) -> list[Problem]:
    problems = [_problem(source, "mapping-unknown-key", f"未知的规范列 {k} / unknown canonical column {k}",
                         f"columns.{k}", f"可用的列 / known columns: {', '.join(COLUMN_KEYS)}")
                for k in columns if k not in COLUMN_KEYS]
    for key, spec in columns.items():
        ok = (isinstance(spec, (str, int)) or (key == "memo" and isinstance(spec, list) and spec)
              or (key in ("counterparty", "counterparty_account") and isinstance(spec, dict)
                  and set(spec) == {"in", "out"}))
        if not ok:
            problems.append(_problem(source, "bad-mapping", f"columns.{key} 的写法不对 / columns.{key} has the wrong "
                                     "shape", f"columns.{key}", "写一个列名；memo 可写列表 [摘要, 用途]；counterparty 可写 "
                                     "{in: 付款人名称, out: 收款人名称} / write one header; memo may be a list, "
                                     "counterparty {in: …, out: …}"))
    if "date" not in columns:
        problems.append(_problem(source, "mapping-missing-key", "columns: 缺少 date / columns: has no date",
                                 "columns.date", "加上交易日期列 / add date: <the file's date header>"))
    mode = _mode(columns)
    if mode is None:
        problems.append(_problem(source, "mapping-missing-key", "columns: 缺少金额列 / columns: has no amount",
                                 "columns.amount", "写 amount（带符号），或 debit 与 credit，或 flag 与 value / "
                                                   "map amount (signed), or debit and credit, or flag and value"))
    elif mode == "two" and (not isinstance(direction, dict) or direction.get("in") not in ("credit", "debit")):
        problems.append(_problem(source, "mapping-missing-key", "direction: 未说明哪一列是收入 / direction: does not "
                                 "say which column is money in", "direction.in",
                                 "写 direction: {in: credit}（贷方为收入）或 {in: debit} / add direction: {in: credit}"))
    elif mode == "flag" and (not isinstance(direction, dict) or not direction.get("in") or not direction.get("out")):
        problems.append(_problem(source, "mapping-missing-key", "direction: 缺少收付标志的取值 / direction: does not "
                                 "list the flag's values", "direction",
                                 "写 direction: {in: [来账], out: [往账]} / list the flag values for in and out"))
    return problems


def _currencies(own: dict) -> dict:
    """The layout's currency names first (the writer uses the first name of a code), then the defaults."""
    out = {str(k): str(v) for k, v in own.items()}
    for k, v in DEFAULT_CURRENCIES.items():
        out.setdefault(k, v)
    return out


def layout_from_data(data, source: str) -> Layout:
    """A :class:`Layout` from parsed YAML; problems raise :class:`FinshareError`."""
    problems = _check(data, source)
    if problems:
        raise FinshareError(problems, f"银行对账单映射文件 {source} 有错误 / bank layout {source} has problems")
    columns = {str(k): v for k, v in data["columns"].items()}
    banner = {k: _as_list(v) for k, v in (data.get("banner") or {}).items()}
    return Layout(
        name=str(data["name"]), bank=str(data.get("bank", data["name"])), columns=columns,
        mode=_mode(columns), direction=dict(data.get("direction") or {}),
        date_format=tuple(_as_list(data.get("date_format")) or ("%Y-%m-%d", "%Y%m%d")),
        currency=str(data.get("currency", "CNY")),
        currencies=_currencies(data.get("currencies") or {}),
        banner=banner, footer=tuple(_as_list(data.get("footer")) or ("合计", "总计")),
        write=dict(data.get("write") or {}), source=source)


def load_mapping(path: str | Path) -> Layout:
    """Read a user's layout mapping file (YAML)."""
    path = Path(path)
    if not path.is_file():
        raise FinshareError([Problem("missing-file", f"没有映射文件 {path} / no mapping file {path}", Source(str(path)),
                                     "检查路径 / check the path")])
    return layout_from_data(read_yaml(path), str(path))


def builtin_names() -> list[str]:
    """Names of the built-in layouts (icbc, ccb, boc, cmb)."""
    return ["icbc", "ccb", "boc", "cmb"]


def builtin(name: str, file: str | None = None) -> Layout:
    """A built-in layout by name; an unknown name is a ``no-such-layout`` problem (naming ``file``)."""
    if name not in builtin_names():
        raise FinshareError([Problem(
            "no-such-layout", f"没有名为 {name!r} 的内置版式 / there is no built-in layout {name!r}",
            Source(file, field="layout"),
            f"内置版式 / built-in layouts: {', '.join(builtin_names())}; 其他银行写一个映射文件并用 --mapping FILE / "
            "for another bank write a mapping file and pass --mapping FILE")])
    path = resources.files(_DIR[0]).joinpath(_DIR[1], f"{name}.yaml")
    return layout_from_data(read_yaml(Path(str(path))), f"bank_layouts/{name}.yaml")


def builtins() -> list[Layout]:
    """All built-in layouts."""
    return [builtin(n) for n in builtin_names()]
