"""What a captured page is checked against: our entities, known counterparties, bank accounts, dates, earlier captures.

A :class:`CaptureContext` is built once (from a case's master data) and
passed to :func:`finshare.capture.checks.check_page` for every page; its
look-ups are plain dictionaries keyed by tax id, normalised name and
account number, so checking a page costs a few dictionary reads.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.problems import FinshareError, Problem, Source

from .register import Register

#: Earliest invoice or receipt date accepted (rule: not before 2017-01-01, not after today).
EARLIEST = dt.date(2017, 1, 1)
#: Lowest OCR confidence of a field on an accepted page (a corrected field gets exactly this).
CONFIDENCE_FLOOR = 0.75
#: rapidfuzz ``fuzz.ratio`` (0–100) from which a read name is taken as a misreading of a master name.
NAME_THRESHOLD = 85.0

_PUNCT = re.compile(r"[\s\.,;:'\"()\[\]{}·\-_/\\]")


def norm_name(text) -> str:
    """Full-width to half-width, upper case, no blanks or punctuation (``"福建 制造（公司）"`` → ``"福建制造公司"``)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text or "")).upper())


@dataclass(frozen=True)
class Party:
    """An organisation a page may name: ``code``, ``name`` (Chinese), ``uscc``, ``role``, ``org``.

    ``org`` is a business unit's legal entity, a counterparty's internal organisation.
    """

    code: str
    name: str
    uscc: str
    role: str
    org: str = ""


@dataclass
class CaptureContext:
    """Master data and rules one capture run checks pages against.

    Parameters
    ----------
    ours : list of Party
        Our organisations (legal entities with their USCC, business units with theirs empty).
    counterparties : list of Party
        Suppliers and customers with their USCC (may be empty).
    bank_accounts : pandas.DataFrame
        ``code, org, account_no, currency`` of our bank accounts.
    aliases : dict
        Normalised name as banks print it → customer code (learned aliases).
    today : datetime.date
        No page may be dated later.
    register : Register
        Earlier captures, for duplicates.
    """

    ours: list[Party]
    counterparties: list[Party]
    bank_accounts: pd.DataFrame
    aliases: dict[str, str] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    earliest: dt.date = EARLIEST
    register: Register = field(default_factory=Register)
    floor: float = CONFIDENCE_FLOOR
    name_threshold: float = NAME_THRESHOLD

    def __post_init__(self):
        self.our_by_uscc = {p.uscc: p for p in self.ours if p.uscc}
        self.our_by_code = {p.code: p for p in self.ours}
        self.party_by_uscc = {p.uscc: p for p in self.counterparties if p.uscc}
        self.party_by_name = {norm_name(p.name): p for p in self.counterparties}
        banks = self.bank_accounts
        self.account_by_no = {str(n): (str(c), str(o)) for c, o, n in
                              zip(banks["code"], banks["org"], banks["account_no"])}

    def our_names(self, org: str) -> set[str]:
        """Normalised names a page may print for our unit ``org``: its own and its legal entity's."""
        unit = self.our_by_code.get(org)
        if unit is None:
            return set()
        names = {norm_name(unit.name)}
        if unit.org in self.our_by_code:
            names.add(norm_name(self.our_by_code[unit.org].name))
        return names

    def party_by_any_name(self, name: str) -> Party | None:
        """The counterparty a name denotes: exact (normalised) master name, else a learned alias."""
        key = norm_name(name)
        if key in self.party_by_name:
            return self.party_by_name[key]
        code = self.aliases.get(key)
        return next((p for p in self.counterparties if p.code == code and p.role == "customer"), None)

    @classmethod
    def from_master(cls, master, **options) -> "CaptureContext":
        """Build from :class:`~finshare.core.masterdata.MasterData`: organisations, suppliers, customers, bank accounts."""
        orgs = master["organisations"]
        ours = [Party(c, n, "" if pd.isna(u) else u, "ours", "" if pd.isna(le) else le)
                for c, n, u, le in zip(orgs["code"], orgs["name_zh"], orgs["uscc"], orgs["legal_entity"])]
        parties = []
        for table, role in (("suppliers", "supplier"), ("customers", "customer")):
            t = master[table]
            parties += [Party(c, n, "" if pd.isna(u) else u, role, "" if pd.isna(o) else o)
                        for c, n, u, o in zip(t["code"], t["name_zh"], t["uscc"], t["org"])]
        banks = master["bank_accounts"][["code", "org", "account_no", "currency"]].astype(str)
        return cls(ours, parties, banks.reset_index(drop=True), **options)

    @classmethod
    def from_case(cls, case, aliases: str | Path | None = None, **options) -> "CaptureContext":
        """Build from a loaded case; ``aliases`` defaults to ``CASE/reconcile/aliases.csv`` when it exists."""
        path = Path(aliases) if aliases else Path(case.path) / "reconcile" / "aliases.csv"
        learned = {}
        if path.exists():
            table = pd.read_csv(path, dtype=str).dropna(subset=["bank_name", "code"])
            learned = {norm_name(n): c for n, c in zip(table["bank_name"], table["code"])}
        return cls.from_master(case.master, aliases=learned, **options)


#: The master data capture checks against unless told otherwise: the generated Fujian year's.
DEFAULT_MASTER = Path(__file__).resolve().parents[2] / "datasets" / "fujian-2020" / "masterdata"


def load_context(master=None, **options) -> CaptureContext:
    """A :class:`CaptureContext` from a master-data folder (default: the Fujian year's) or a ``MasterData``.

    ``options`` as :class:`CaptureContext` (``today``, ``register``, ``aliases`` …).
    """
    from ..core.masterdata import MasterData
    if master is None or isinstance(master, (str, Path)):
        folder = DEFAULT_MASTER if master is None else Path(master)
        if not (folder / "organisations.csv").exists() and not (folder / "organisations.xlsx").exists():
            raise FinshareError([Problem(
                "missing-file", f"找不到主数据 {folder}/organisations.csv / master data {folder}/organisations.csv "
                "not found", Source(file=str(folder)), "give the master-data folder that holds organisations.csv")])
        master = MasterData.read(folder)
    return CaptureContext.from_master(master, **options)
