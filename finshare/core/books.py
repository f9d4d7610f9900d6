"""Accounting systems (核算体系), policies (会计政策) and books (账簿).

An accounting system says which accounting organisation keeps accounts for
which business units: in the Fujian case the management system has the
China profit centre (Xiamen + Shenzhen factories) and the Vietnam profit
centre; the legal-entity system has 福建制造公司 for all three factories. A
book belongs to one system and one accounting organisation and follows one
policy (currency, chart of accounts, account map). A document reaches every
book whose accounting organisation accounts for the document's business unit.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .chart import Chart, account_map
from .money import EXPONENTS
from .problems import FinshareError, Problem, Source, raise_if_any
from .yamlio import read_yaml

#: Default summarisation of business vouchers into GL vouchers (one voucher a
#: day and voucher word, one line per account, dimensions and side).
DEFAULT_GL_RULE = {"mode": "summary", "voucher_by": ["date", "voucher_word"], "line_by": ["account", "dimensions"]}


@dataclass(frozen=True)
class Book:
    """One book (账簿) and everything posting needs to know about it."""

    code: str
    name_zh: str
    name_en: str
    system: str
    org: str
    units: tuple[str, ...]
    currency: str
    chart: Chart
    account_map: pd.Series | None = None
    gl_rule: dict = field(default_factory=lambda: dict(DEFAULT_GL_RULE))
    rounding_account: str | None = None
    policy: str = ""
    #: where conversion differences of opening-balance vouchers go (an equity account: the opening position
    #: has no profit or loss); default ``rounding_account``
    opening_rounding_account: str | None = None

    @property
    def exponent(self) -> int:
        return EXPONENTS[self.currency]

    def __repr__(self) -> str:
        return f"<Book {self.code} {self.name_zh} {self.currency} chart={self.chart.name}>"


class Books:
    """The books of a case, with their systems and policies (from ``books.yaml``)."""

    def __init__(self, books: list[Book], systems: dict, policies: dict):
        self.books = {b.code: b for b in books}
        self.systems = systems
        self.policies = policies

    def __getitem__(self, code: str) -> Book:
        try:
            return self.books[code]
        except KeyError:
            raise FinshareError([Problem("unknown-book", f"账簿 {code!r} 不存在 / no book {code!r}",
                                         Source(field="book"), f"books: {', '.join(self.books)}")]) from None

    def __iter__(self):
        return iter(self.books.values())

    def __len__(self) -> int:
        return len(self.books)

    def codes(self) -> list[str]:
        return list(self.books)

    def reaching(self, unit: str) -> list[str]:
        """Codes of the books a document of business unit ``unit`` reaches."""
        return [b.code for b in self if unit in b.units]

    @classmethod
    def read(cls, path: str | Path, organisations: pd.DataFrame, base: Path | None = None) -> "Books":
        """Load ``books.yaml``; check systems, policies, charts and organisations."""
        path = Path(path)
        if not path.exists():
            raise FinshareError([Problem("missing-file", "找不到账簿定义 / books.yaml not found", Source(str(path)),
                                         "copy books.yaml from datasets/fujian")])
        body = read_yaml(path, lines=True) or {}
        return cls.from_dict(body, organisations, base or path.parent, str(path))

    @classmethod
    def from_dict(cls, body: dict, organisations: pd.DataFrame, base: Path, source: str = "<books>") -> "Books":
        problems = []
        src = Source(source)
        orgs = set(organisations.index)
        systems = {}
        for s in body.get("systems", []):
            units = {str(k): tuple(str(u) for u in v) for k, v in (s.get("orgs") or {}).items()}
            for org, us in units.items():
                for o in (org, *us):
                    if o not in orgs:
                        problems.append(Problem("unknown-organisation",
                                                f"核算体系 {s.get('code')} 中的组织 {o!r} 不存在 / unknown organisation {o!r}",
                                                Source(source, field="systems"), "add it to masterdata/organisations.csv"))
            problems += _units_accounted_twice(s, units, source)
            systems[str(s["code"])] = {**s, "orgs": units}
        charts: dict[str, Chart] = {}

        def chart(name):
            if name not in charts:
                p = base / name
                charts[name] = Chart.read(p) if p.suffix in (".csv", ".xlsx") else Chart.builtin(name)
            return charts[name]

        policies = {}
        for p in body.get("policies", []):
            code = str(p["code"])
            if p.get("currency") not in EXPONENTS:
                problems.append(Problem("unknown-currency", f"会计政策 {code} 的本位币无效 / bad currency",
                                        Source(source, field="policies"), f"use {', '.join(sorted(EXPONENTS))}"))
                continue
            policies[code] = p
        books = []
        for b in body.get("books", []):
            code = str(b.get("code"))
            sys_ = systems.get(str(b.get("system")))
            pol = policies.get(str(b.get("policy")))
            if sys_ is None or pol is None:
                problems.append(Problem("bad-book", f"账簿 {code} 的核算体系或会计政策不存在 / unknown system or policy",
                                        Source(source, field="books"), f"systems: {', '.join(systems)}; "
                                        f"policies: {', '.join(policies)}"))
                continue
            org = str(b.get("org"))
            if org not in sys_["orgs"]:
                problems.append(Problem("bad-book", f"账簿 {code} 的核算组织 {org} 不在核算体系 {sys_['code']} 中 / "
                                        "accounting organisation is not in the system", Source(source, field="books"),
                                        f"organisations of {sys_['code']}: {', '.join(sys_['orgs'])}"))
                continue
            ch = chart(str(pol.get("chart", "CAS")))
            amap = None
            if pol.get("account_map"):
                mp = str(pol["account_map"])
                if mp != "builtin" and not (base / mp).is_file():
                    problems.append(_missing_map(pol, base / mp, source))
                    continue
                amap = account_map(str(pol.get("map_from", "CAS")), ch.name,
                                   None if mp == "builtin" else base / mp)
            rule = dict(DEFAULT_GL_RULE, **(b.get("gl") or {}))
            if rule["mode"] not in ("summary", "one_to_one"):
                problems.append(Problem("bad-gl-rule", f"账簿 {code} 的总账凭证规则无效 / gl.mode must be summary or one_to_one",
                                        Source(source, field="books"), "write gl: {mode: one_to_one}"))
            rounding = b.get("rounding_account", pol.get("rounding_account"))
            opening = b.get("opening_rounding_account", pol.get("opening_rounding_account"))
            for name, acct in (("rounding_account", rounding), ("opening_rounding_account", opening)):
                if acct is not None and str(acct) not in ch:
                    problems.append(Problem("unknown-account", f"尾差科目 {acct} 不在科目表 {ch.name} / {name} {acct} "
                                            f"is not in chart {ch.name}", Source(source, field=name),
                                            "use a leaf account of the book's chart"))
            books.append(Book(code=code, name_zh=str(b.get("name_zh", code)), name_en=str(b.get("name_en", code)),
                              system=str(sys_["code"]), org=org, units=sys_["orgs"][org], currency=pol["currency"],
                              chart=ch, account_map=amap, gl_rule=rule,
                              rounding_account=None if rounding is None else str(rounding), policy=str(pol["code"]),
                              opening_rounding_account=None if opening is None else str(opening)))
        codes = [b.code for b in books]
        if len(set(codes)) != len(codes):
            problems.append(Problem("duplicate-code", "账簿编码重复 / duplicate book code", src, "rename one"))
        raise_if_any(problems, f"账簿定义 {source} 有错误 / books have problems")
        return cls(books, systems, policies)

    def table(self) -> pd.DataFrame:
        """One row per book: system, organisation, units, currency, chart."""
        return pd.DataFrame([{
            "book": b.code, "name_zh": b.name_zh, "name_en": b.name_en, "system": b.system, "org": b.org,
            "business_units": ", ".join(b.units), "currency": b.currency, "chart": b.chart.name,
            "gl_rule": b.gl_rule["mode"]} for b in self])

    def _repr_html_(self) -> str:
        return "<b>账簿 Books</b>" + html.escape("") + self.table().to_html(index=False)


def _line(mapping, key: str) -> int | None:
    """The line of ``key`` in a mapping read by :func:`~finshare.core.yamlio.read_yaml` (None for plain dicts)."""
    return getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", None))


def _units_accounted_twice(system, units: dict, source: str) -> list[Problem]:
    """A business unit under two organisations of one system would reach two of its books."""
    owner, problems = {}, []
    code = system.get("code")
    for org, us in units.items():
        for u in us:
            first = owner.setdefault(u, org)
            if first != org:
                problems.append(Problem(
                    "duplicate-unit", f"业务单元 {u} 在核算体系 {code} 中由 {first} 和 {org} 两个核算组织核算 / "
                    f"business unit {u} is accounted by two organisations of system {code}: {first} and {org}",
                    Source(source, _line(system.get("orgs"), org), "orgs"),
                    f"list {u} under one organisation of {code} only: otherwise its documents reach two books "
                    "of the same system"))
    return problems


def _missing_map(policy, path: Path, source: str) -> Problem:
    name = policy["account_map"]
    return Problem(
        "missing-file", f"会计政策 {policy['code']} 的科目对照表 {name} 不存在 / the account map {name} named by "
        f"policy {policy['code']} does not exist", Source(source, _line(policy, "account_map"), "account_map"),
        f"create {path} with the columns from_code,to_code, or write account_map: builtin")
