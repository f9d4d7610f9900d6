"""Exercise 04: master data and the 统一社会信用代码 (unified social credit code, GB 32100-2015).

Each student gets six candidate codes to sort into valid and invalid, a
17-character prefix whose check character they compute, and a list of new
suppliers to import that the core's master-data checks refuse; they return
the corrected list. Feedback names the kind of mistake (length, a letter
never used, the check character) without saying which code or character
would be right.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..core.masterdata import MasterData
from ..core.problems import FinshareError
from ..core.uscc import ALPHABET, WEIGHTS, check_character
from .answers import code_text, not_answered, read_codes
from .exercise import Exercise, Question, unchecked
from .fujian import fujian_case
from .result import CheckResult

KINDS = {  # why a code is invalid: (中文, English)
    "length": ("长度不是 18 位", "the wrong length"),
    "letter": ("含有不使用的字母（I、O、Z、S、V）", "a letter that is never used (I, O, Z, S, V)"),
    "check": ("校验码不对", "a wrong check character"),
}
NAMES = [("厦门包装材料有限公司", "Xiamen Packaging Co."), ("福州钢材贸易有限公司", "Fuzhou Steel Trading Co."),
         ("泉州物流有限公司", "Quanzhou Logistics Co."), ("漳州印刷厂", "Zhangzhou Printing Works")]
SUPPLIER_COLUMNS = ["code", "name_zh", "name_en", "uscc", "currency"]


def uscc_kind(code: str) -> str | None:
    """Which kind of invalid ``code`` is (a key of :data:`KINDS`), or None when it is valid."""
    code = str(code).strip().upper()
    if len(code) != 18:
        return "length"
    if any(c not in ALPHABET for c in code):
        return "letter"
    return None if check_character(code[:17]) == code[17] else "check"


class CreditCodes(Exercise):
    """基础资料与统一社会信用代码 / Master data and credit codes (see module docstring)."""

    name = "04-master-data"
    title = "练习 04 基础资料与统一社会信用代码 / Exercise 04: master data and credit codes"
    questions = (
        Question("invalid_codes", "找出无效的代码 / find the invalid codes", "check_invalid_codes"),
        Question("check_char", "计算校验码 / compute a check character", "check_check_char"),
        Question("suppliers", "修正供应商资料 / correct the supplier list", "check_suppliers"),
    )

    # -------------------------------------------------------------------- data
    @cached_property
    def codes(self) -> list[str]:
        """Six candidate codes: three valid, one of each invalid kind, in a seeded order."""
        rng = self.rng("codes")
        valid = [_valid_code(rng) for _ in range(3)]
        check = _valid_code(rng)
        check = check[:17] + next(c for c in rng.permutation(list(ALPHABET)) if c != check[17])
        letter = _valid_code(rng)
        at = int(rng.integers(8, 17))
        letter = letter[:at] + str(rng.choice(list("IOZSV"))) + letter[at + 1:]
        length = _valid_code(rng)[:17]
        every = valid + [check, letter, length]
        return [every[i] for i in rng.permutation(len(every))]

    @cached_property
    def prefix(self) -> str:
        """A 17-character prefix whose check character the student computes (S mod 31 is never 0)."""
        rng = self.rng("prefix")
        while True:
            first17 = _valid_code(rng)[:17]
            if _weighted_sum(first17) % 31:
                return first17

    @cached_property
    def new_suppliers(self) -> pd.DataFrame:
        """Four suppliers to import; the master-data checks refuse them as they are."""
        rng = self.rng("suppliers")
        rows = [{"code": f"S{101 + i}", "name_zh": zh, "name_en": en, "uscc": _valid_code(rng), "currency": "CNY"}
                for i, (zh, en) in enumerate(NAMES)]
        typo = int(rng.integers(0, 4))
        good = rows[typo]["uscc"]
        rows[typo]["uscc"] = good[:17] + next(c for c in rng.permutation(list(ALPHABET)) if c != good[17])
        rows[3]["code"] = rows[1]["code"]                      # the same code twice
        rows[int(rng.integers(0, 3))]["currency"] = "RMB"        # not an ISO currency code
        return pd.DataFrame(rows, columns=SUPPLIER_COLUMNS)

    @property
    def alphabet(self) -> str:
        return ALPHABET

    @property
    def weights(self) -> list[int]:
        return list(WEIGHTS)

    # ------------------------------------------------------------------ checks
    def check_invalid_codes(self, value) -> list[CheckResult]:
        title = "无效代码 / invalid codes"
        listed, why = read_codes(value, "invalid_codes")
        if listed is None:
            return unchecked([("invalid-codes", title, 6)], why)
        notes = [f"{c} 不是题目给出的代码 / {c} is not one of the six given codes"
                 for c in listed if c not in self.codes]
        found = false = 0
        for code in self.codes:
            kind, flagged = uscc_kind(code), code in listed
            found += kind is not None and flagged
            false += kind is None and flagged
            if kind is None and flagged:
                notes.append("列表里有一个有效的代码 / one of the codes in your list is valid")
            elif kind is not None and not flagged:
                notes.append(f"一个{KINDS[kind][0]}的代码没有被找出 / a code with {KINDS[kind][1]} is not in your "
                             "list")
        right = max(0, 2 * found - 2 * false)  # 2 per invalid code found, less 2 per valid code listed
        return [CheckResult("invalid-codes", title, right, 6, tuple(notes))]

    def check_check_char(self, value) -> list[CheckResult]:
        title = f"前 17 位 {self.prefix} 的校验码 / the check character of {self.prefix}"
        why = not_answered(value, "check_char", ("一个字符（str）", "one character (a str)"))
        if why is None and not isinstance(value, str):
            why = (f"check_char 应是一个字符（str），现在是 {type(value).__name__} / check_char should be one "
                   f"character (a str), not a {type(value).__name__}")
        if why:
            return unchecked([("check-char", title, 2)], [why])
        points, notes = self._char_points(value.strip().upper())
        return [CheckResult("check-char", title, points, 2, notes)]

    def _char_points(self, c: str) -> tuple[int, tuple[str, ...]]:
        s = _weighted_sum(self.prefix)
        if c == check_character(self.prefix):
            return 2, ()
        if c == str((31 - s % 31) % 31):
            return 1, ("这是校验值，不是校验字符：请在字符表中查出对应字符 / that is the check value, not the character: "
                       "look it up in the 31-character alphabet",)
        if len(c) != 1:
            return 0, (f"应是一个字符，现在有 {len(c)} 个 / one character is needed, not {len(c)}",)
        if c not in ALPHABET:
            return 0, (f"{c} 不在 31 个字符的字符表中 / {c} is not in the 31-character alphabet",)
        if c == ALPHABET[s % 31]:
            return 0, ("你把 S mod 31 当成了校验值；GB 32100 用 31 − (S mod 31) / you used S mod 31 as the check "
                       "value; GB 32100 takes 31 − (S mod 31)",)
        return 0, ("校验码不对：请重算 S = Σ 字符值 × 权重 / not the check character: recompute S = Σ value × weight "
                   "over the 17 characters",)

    def check_suppliers(self, value) -> list[CheckResult]:
        shape = [("suppliers-valid", _VALID, 2), ("suppliers-kept", _KEPT, 1), ("suppliers-uscc", _USCC, 1)]
        why = not_answered(value, "suppliers", ("一张供应商表 (pandas DataFrame)", "a supplier table (a DataFrame)"))
        if why is None and not isinstance(value, pd.DataFrame):
            why = f"suppliers 应是一张表，现在是 {type(value).__name__} / suppliers should be a table (a DataFrame)"
        if why is None and [c for c in SUPPLIER_COLUMNS if c not in value.columns]:
            why = f"suppliers 缺少列 / suppliers lacks columns; needed: {', '.join(SUPPLIER_COLUMNS)}"
        if why:
            return unchecked(shape, [why])
        table = value[SUPPLIER_COLUMNS].map(code_text)
        notes = supplier_problems(table)
        return [CheckResult("suppliers-valid", _VALID, 0 if notes else 2, 2, tuple(notes)),
                self._kept(table), self._uscc_kept(table)]

    def _kept(self, table: pd.DataFrame) -> CheckResult:
        names = list(table["name_zh"])
        lost = [n for n in self.new_suppliers["name_zh"] if names.count(n) != 1]
        notes = tuple(f"{n} 应在表中出现一次 / {n} should be in the list once" for n in lost)
        return CheckResult("suppliers-kept", _KEPT, 0 if lost else 1, 1, notes)

    def _uscc_kept(self, table: pd.DataFrame) -> CheckResult:
        mine = dict(zip(table["name_zh"], table["uscc"].str.upper()))
        changed = [n for n, u in zip(self.new_suppliers["name_zh"], self.new_suppliers["uscc"])
                   if n in mine and mine[n][:17] != u[:17]]
        notes = tuple(f"{n} 的代码前 17 位被改了；只有校验码打错了 / the first 17 characters of {n}'s code were "
                      "changed: only the check character was mistyped" for n in changed)
        return CheckResult("suppliers-uscc", _USCC, 0 if changed else 1, 1, notes)


_VALID = "供应商表通过基础资料检查 / the supplier list passes the master-data checks"
_KEPT = "每个供应商都保留 / every supplier is kept"
_USCC = "只修正校验码 / only the check character is corrected"


def supplier_problems(table: pd.DataFrame) -> list[str]:
    """What the core's checks (and the case's existing suppliers) refuse in ``table``, without the answer."""
    notes = []
    for i, code in enumerate(table["uscc"], start=1):
        kind = uscc_kind(code) if code else None
        if kind:
            notes.append(f"第 {i} 行：统一社会信用代码{KINDS[kind][0]} / row {i}: the credit code has {KINDS[kind][1]}")
    existing = fujian_case().master["suppliers"]
    for i, code in enumerate(table["code"], start=1):
        if code in existing.index:
            notes.append(f"第 {i} 行：编码 {code} 已是 {existing.at[code, 'name_zh']} 的编码 / row {i}: the code "
                         f"{code} already belongs to {existing.at[code, 'name_en']}")
    orgs = fujian_case().master["organisations"].drop(columns=["_line"]).reset_index(drop=True)
    try:
        MasterData.from_frames(organisations=orgs, suppliers=table.assign(uscc=table["uscc"].where(
            table["uscc"].map(lambda u: not u or uscc_kind(u) is None), "")))
    except FinshareError as exc:
        notes += [f"第 {p.source.line - 1} 行 row {p.source.line - 1}: {p.message} — {p.hint}" if p.source.line
                  else f"{p.message} — {p.hint}" for p in exc.problems]
    return notes


def _valid_code(rng) -> str:
    first17 = "91" + "3502" + f"{int(rng.integers(0, 100)):02d}" + "".join(rng.choice(list(ALPHABET), size=9))
    return first17 + check_character(first17)


def _weighted_sum(first17: str) -> int:
    return sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
