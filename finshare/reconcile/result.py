"""The result of a bank reconciliation: matches, what is left and why, the 调节表; as JSON and text."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finshare.core.money import format_amounts

from .adjusted import KINDS, Statement
from .matching import Matches
from .reasons import REASONS


def _dates(days) -> list[str]:
    return pd.Series(np.asarray(days, dtype="int64").astype("datetime64[D]")).dt.strftime("%Y-%m-%d").tolist()


def _lists(group: np.ndarray, ids: np.ndarray) -> pd.Series:
    """Group → sorted list of its ids (one sort, one split; no group-by of Python lists)."""
    if not len(group):
        return pd.Series(dtype=object)
    order = np.lexsort((ids, group))
    g, v = group[order], ids[order]
    uniq, start, count = np.unique(g, return_index=True, return_counts=True)
    out = np.empty(len(uniq), dtype=object)
    one = count == 1
    out[one] = pd.Series([[x] for x in v[start[one]].tolist()], dtype=object).to_numpy()  # most groups
    many = np.flatnonzero(~one)
    out[many] = pd.Series([v[start[i]:start[i] + count[i]].tolist() for i in many], dtype=object).to_numpy()
    return pd.Series(out, index=uniq, dtype=object)


@dataclass(frozen=True)
class Reconciliation:
    """Matches of one bank account and period, the unmatched lines with reasons, and the :class:`Statement`.

    ``bank`` and ``book`` are the matcher's side tables (``pos`` = position);
    ``bank_reason`` / ``book_reason`` give a reason code per free line (see
    :data:`~finshare.reconcile.reasons.REASONS`).
    """

    found: Matches
    bank: pd.DataFrame
    book: pd.DataFrame
    statement: Statement
    bank_reason: np.ndarray
    book_reason: np.ndarray
    days: tuple[int, int]
    period: str
    account: str
    exponent: int
    currency: str

    def _money(self, minor) -> list[str]:
        return list(format_amounts(np.asarray(minor, dtype="int64"), self.exponent))

    def matches(self) -> pd.DataFrame:
        """Matches touching the period: ``group, statement_rows, journal_lines, rule, score, fields, status``.

        Groups wholly before the period (cleared history) or wholly after it are left out.
        """
        start, end = self.days
        b = self.found.bank_links.assign(day=self.bank["day"].to_numpy()[self.found.bank_links["pos"]],
                                         id=self.bank["row"].to_numpy()[self.found.bank_links["pos"]])
        j = self.found.book_links.assign(day=self.book["day"].to_numpy()[self.found.book_links["pos"]],
                                         id=self.book["line_id"].to_numpy()[self.found.book_links["pos"]])
        span = pd.concat([b[["group", "day"]], j[["group", "day"]]]).groupby("group")["day"].agg(["min", "max"])
        shown = span.index[(span["min"] <= end) & (span["max"] >= start)]
        rows, ids = _lists(b["group"].to_numpy(), b["id"].to_numpy()), _lists(j["group"].to_numpy(), j["id"].to_numpy())
        g = self.found.groups.set_index("group").loc[shown]
        return g.assign(statement_rows=rows.reindex(shown), journal_lines=ids.reindex(shown)).reset_index()

    def unmatched(self, side: str) -> pd.DataFrame:
        """Free lines of ``"bank"`` or ``"book"`` dated on or before the period end, with ``reason``."""
        table, why = (self.bank, self.bank_reason) if side == "bank" else (self.book, self.book_reason)
        keep = (why != "") & (table["day"].to_numpy() <= self.days[1])
        return table[keep].assign(reason=why[keep])

    def confirmed_names(self) -> pd.DataFrame:
        """``bank_name, code`` of each bank line in an applied match whose book lines share one code."""
        auto = self.found.groups.loc[self.found.groups["status"] == "auto", "group"]
        j = self.found.book_links[self.found.book_links["group"].isin(auto)]
        codes = pd.DataFrame({"group": j["group"].to_numpy(), "code": self.book["code"].to_numpy()[j["pos"]]})
        one = codes.groupby("group")["code"].agg(["nunique", "first"])
        one = one[(one["nunique"] == 1) & (one["first"] != "")]["first"]
        b = self.found.bank_links[self.found.bank_links["group"].isin(one.index)]
        return pd.DataFrame({"bank_name": self.bank["counterparty"].to_numpy()[b["pos"]],
                             "code": one.reindex(b["group"]).to_numpy()})

    def as_dict(self) -> dict:
        """The JSON shape: ``matches``, ``unmatched_statement_rows``, ``unmatched_journal_lines``, ``statement``."""
        m = self.matches()
        matches = [{"statement_rows": [int(r) for r in (rows if isinstance(rows, list) else [])],
                    "journal_lines": list(lines) if isinstance(lines, list) else [],
                    "rule": rule, "score": float(score), "fields": fields.split(","), "status": status}
                   for rows, lines, rule, score, fields, status in
                   zip(m["statement_rows"], m["journal_lines"], m["rule"], m["score"], m["fields"], m["status"])]
        ub, uj = self.unmatched("bank"), self.unmatched("book")
        return {
            "account": self.account, "period": self.period, "currency": self.currency,
            "matches": matches,
            "unmatched_statement_rows": [
                {"row": int(r), "date": d, "amount": a, "counterparty": c, "reason": w, "reason_text": REASONS[w]}
                for r, d, a, c, w in zip(ub["row"], _dates(ub["day"]), self._money(ub["amount"]),
                                         ub["counterparty"], ub["reason"])],
            "unmatched_journal_lines": [
                {"line_id": i, "date": d, "amount": a, "summary": s, "reason": w, "reason_text": REASONS[w]}
                for i, d, a, s, w in zip(uj["line_id"], _dates(uj["day"]), self._money(uj["amount"]),
                                         uj["summary"], uj["reason"])],
            "statement": self._statement_dict(),
        }

    def _statement_dict(self) -> dict:
        st, it = self.statement, self.statement.items
        clears = it["clears"].to_numpy()
        return {
            "date": _dates([self.days[1]])[0],
            "book_balance": self._money([st.book_balance])[0], "bank_balance": self._money([st.bank_balance])[0],
            "adjusted_book": self._money([st.adjusted_book])[0], "adjusted_bank": self._money([st.adjusted_bank])[0],
            "agree": st.agrees,
            "totals": {k: self._money([abs(st.total(k))])[0] for k in KINDS},
            "items": [{"kind": k, "kind_en": KINDS[k][1], "side": s,
                       ("journal_line" if s == "book" else "statement_row"): (i if s == "book" else int(i)),
                       "date": d, "amount": a, "text": t, "clears": (c if c_ >= 0 else None)}
                      for k, s, i, d, a, t, c, c_ in zip(it["kind"], it["side"], it["id"], _dates(it["day"]),
                                                         self._money(it["amount"].abs()), it["text"],
                                                         _dates(np.maximum(clears, 0)), clears)],
        }

    def to_json(self, indent: int | None = None) -> str:
        """The reconciliation as JSON text (money as decimal strings, e.g. ``"1234.50"``).

        Compact by default (the fast encoder); ``indent=2`` for people.
        """
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=indent)

    def text(self) -> str:
        """The 银行存款余额调节表 and the match counts, for a terminal."""
        st = self.statement
        g = self.matches()
        m = lambda v: self._money([v])[0]  # noqa: E731
        out = [f"银行存款余额调节表 / bank reconciliation  科目 account {self.account}  期间 period {self.period}"
               f"  ({self.currency})",
               f"  匹配 matches: {int((g['status'] == 'auto').sum())} 自动 auto, "
               f"{int((g['status'] == 'proposed').sum())} 待确认 proposed; 未匹配 unmatched: "
               f"{len(self.unmatched('bank'))} 对账单行 statement rows, {len(self.unmatched('book'))} 日记账行 book lines",
               f"  企业银行存款日记账余额 book balance      {m(st.book_balance):>18}",
               f"  加 add 银行已收、企业未收               {m(st.total('银收企未')):>18}",
               f"  减 less 银行已付、企业未付              {m(-st.total('银付企未')):>18}",
               f"  调节后余额 adjusted book balance         {m(st.adjusted_book):>18}",
               f"  银行对账单余额 bank balance              {m(st.bank_balance):>18}",
               f"  加 add 企业已收、银行未收               {m(st.total('企收银未')):>18}",
               f"  减 less 企业已付、银行未付              {m(-st.total('企付银未')):>18}",
               f"  调节后余额 adjusted bank balance         {m(st.adjusted_bank):>18}",
               "  " + ("两者相符 / they agree" if st.agrees else
                       f"两者不符，差额 {m(st.adjusted_book - st.adjusted_bank)} / they differ: look for a missed "
                       "item or a recording error")]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.text()) + "</pre>"

    def __repr__(self) -> str:
        return f"<Reconciliation {self.account} {self.period}: {len(self.found.groups)} matches, agree={self.statement.agrees}>"
