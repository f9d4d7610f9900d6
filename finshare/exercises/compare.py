"""Compare a student's entry lines with the engine's, document by document, for partial credit.

Four checks, one point per document each: the voucher balances (借贷平衡),
its accounts and sides are right (科目与方向), its amounts are right (金额),
and its lines carry the right auxiliary dimensions (核算项目). Money is
compared in integer minor units.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..core.chart import Chart
from ..core.dimensions import DIMENSIONS as DIMENSION_LABELS
from .diagnose import SIDE_ZH, account_label, wrong_account, wrong_amount
from .result import CheckResult, yuan


@dataclass
class Comparison:
    """A student's lines (``got``) against the engine's (``want``) in one book.

    Parameters
    ----------
    got, want : pandas.DataFrame
        ``doc_no, side, account, amount`` and dimension columns.
    chart : Chart
        The book's chart (names, leaf accounts).
    facts : dict
        Per document, what the feedback may cite (``dept_name``, ``dept_attr``,
        ``biz_type``, ``material_name``, ``pay_mode``, ``amount_orig``, ``rate``).
    dims : tuple of str
        Dimensions to check.
    prefix, label : str
        Check-name prefix and a bilingual book label for titles (several books in one exercise).
    """

    got: pd.DataFrame
    want: pd.DataFrame
    chart: Chart
    facts: dict = field(default_factory=dict)
    dims: tuple[str, ...] = ("supplier", "department")
    prefix: str = ""
    label: str = ""
    other_chart: Chart | None = None
    exp: int = 2

    def docs(self) -> list[str]:
        return list(dict.fromkeys(self.want["doc_no"]))

    def part(self, frame: pd.DataFrame, doc: str) -> pd.DataFrame:
        return frame[frame["doc_no"] == doc]

    def results(self) -> list[CheckResult]:
        """The checks, each one point per document."""
        names = "、".join(DIMENSION_LABELS.get(d, (d,))[0] for d in self.dims)
        checks = [("balanced", "借贷平衡", "each voucher balances", self._balance_notes),
                  ("accounts", "科目与借贷方向", "accounts and sides", self._account_notes),
                  ("amounts", "金额", "amounts", self._amount_notes)]
        if self.dims:
            checks.append(("dimensions", f"核算项目（{names}）", f"auxiliary dimensions ({', '.join(self.dims)})",
                           self._dimension_notes))
        return [self._check(*c) for c in checks]

    def bad_docs(self) -> set[str]:
        """Documents with anything wrong (for a check that gives a point per fully right document)."""
        checks = [self._balance_notes, self._account_notes, self._amount_notes]
        checks += [self._dimension_notes] if self.dims else []
        return {doc for doc in self.docs() for fn in checks if fn(doc)}

    def _check(self, name: str, zh: str, en: str, notes_of) -> CheckResult:
        good, notes = 0, self._unknown_docs() if name == "accounts" else []
        for doc in self.docs():
            found = notes_of(doc)
            good += not found
            notes += found
        return CheckResult(self.prefix + name, f"{self.label}{zh} / {en}", good, len(self.docs()), tuple(notes))

    # ------------------------------------------------------- findings per document
    def _balance_notes(self, doc: str) -> list[str]:
        g = self.part(self.got, doc)
        dr, cr = (int(g.loc[g["side"] == s, "amount"].sum()) for s in ("debit", "credit"))
        if g.empty:
            return [f"{doc} 没有分录 / {doc} has no entry lines"]
        if dr != cr:
            return [f"{doc}：借方合计 {yuan(dr, self.exp)} ≠ 贷方合计 {yuan(cr, self.exp)}，凭证不平衡 / "
                    f"{doc}: debits {yuan(dr, self.exp)} ≠ credits {yuan(cr, self.exp)}, the voucher does not "
                    "balance"]
        return []

    def _amount_notes(self, doc: str) -> list[str]:
        g, w = self.part(self.got, doc), self.part(self.want, doc)
        if g.empty:
            return [f"{doc} 没有分录 / {doc} has no entry lines"]
        found = []
        for side in ("debit", "credit"):
            got, want = (int(f.loc[f["side"] == side, "amount"].sum()) for f in (g, w))
            if sorted(g.loc[g["side"] == side, "amount"]) != sorted(w.loc[w["side"] == side, "amount"]):
                found.append(wrong_amount(doc, side, got, want, self.facts.get(doc, {}), self.exp)
                             if got != want else self._split_note(doc, side))
        return found

    # ----------------------------------------------------------------- helpers
    def _unknown_docs(self) -> list[str]:
        extra = [d for d in dict.fromkeys(self.got["doc_no"]) if d not in set(self.docs())]
        return [f"{d or '(空 blank)'} 不是本练习的单据 / {d or '(blank)'} is not a document of this exercise: "
                "check the number in doc_no" for d in extra]

    def _account_notes(self, doc: str) -> list[str]:
        g, w = self.part(self.got, doc), self.part(self.want, doc)
        if g.empty:
            return [f"{doc} 没有分录 / {doc} has no entry lines"]
        got = set(zip(g["side"], g["account"]))
        want = set(zip(w["side"], w["account"]))
        if got == want:
            return []
        flip = {"debit": "credit", "credit": "debit"}
        if {(flip[s], a) for s, a in got} == want:
            dr = ", ".join(account_label(self.chart, a) for s, a in sorted(got) if s == "credit")
            return [f"{doc}：借贷方向反了，{dr} 记在了贷方 / {doc}: debit and credit are swapped — {dr} is on the "
                    "credit side"]
        notes = []
        for side in ("debit", "credit"):
            gs = {a for s, a in got if s == side}
            ws = {a for s, a in want if s == side}
            notes += self._side_notes(doc, side, gs, ws, {a for s, a in want if s != side})
        return notes

    def _side_notes(self, doc: str, side: str, gs: set, ws: set, other_side: set) -> list[str]:
        if not gs:
            return [f"{doc} 没有{SIDE_ZH[side]}分录 / {doc} has no {side} line"]
        notes = []
        for a in sorted(gs - ws):
            if a in other_side:
                notes.append(f"{doc}：{account_label(self.chart, a)} 记在了{SIDE_ZH[side]} / {doc}: "
                             f"{account_label(self.chart, a)} is on the {side} side")
            else:
                want = sorted(ws - gs)[0] if ws - gs else sorted(ws)[0]
                notes.append(wrong_account(doc, side, a, want, self.facts.get(doc, {}), self.chart, self.other_chart))
        if not gs - ws and ws - gs:
            notes.append(f"{doc}：{SIDE_ZH[side]}少了一个科目 / {doc}: the {side} side lacks an account")
        return notes

    def _split_note(self, doc: str, side: str) -> str:
        return (f"{doc}：{SIDE_ZH[side]}合计对，但分行不对 / {doc}: the {side} total is right but it is split "
                "over the lines differently from the document")

    def _dimension_notes(self, doc: str) -> list[str]:
        g, w = self.part(self.got, doc), self.part(self.want, doc)
        notes, compared = [], 0
        for row in w.itertuples(index=False):
            mine = g[(g["side"] == row.side) & (g["account"] == row.account)]
            if mine.empty:
                continue
            compared += 1
            for dim in self.dims:
                notes += self._dimension_note(doc, row, dim, mine)
        if not compared and not g.empty:
            notes.append(f"{doc}：科目对了才能检查核算项目 / {doc}: dimensions are checked once its accounts are right")
        elif g.empty:
            notes.append(f"{doc} 没有分录 / {doc} has no entry lines")
        return notes

    def _dimension_note(self, doc: str, row, dim: str, mine: pd.DataFrame) -> list[str]:
        want, values = getattr(row, dim), set(mine[dim])
        zh = DIMENSION_LABELS.get(dim, (dim,))[0]
        label = account_label(self.chart, row.account)
        if want and values == {""}:
            return [f"{doc}：{label} 没有填{zh} / {doc}: the {label} line lacks its {dim} (核算项目)"]
        if want and values != {want}:
            shown = ", ".join(sorted(values - {want}))
            return [f"{doc}：{label} 的{zh} {shown} 不是单据上的{zh} / {doc}: the {dim} {shown} on the {label} line "
                    "is not the document's"]
        if not want and values != {""}:
            return [f"{doc}：{label} 不带{zh} / {doc}: the {label} line carries no {dim}"]
        return []
