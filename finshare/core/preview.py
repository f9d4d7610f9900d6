"""Template preview ("why"): which class matched, which lines fired, and why.

For one document and one or more books, :func:`why` evaluates every
business-class condition and every line condition on the document's own
values and shows the entries each book would receive, without storing
anything. It is the question students and consultants ask most: *why did
this document give this voucher?*
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from . import money
from .case import Case
from .booking import entries_for_book
from .posting import generate_entries
from .problems import FinshareError, Problem, Source


@dataclass
class Check:
    """One condition, the values it read and its outcome."""

    what: str            # "class EXP 费用采购" or "line EXP/1 借 6602"
    condition: str
    values: dict
    result: bool
    class_code: str = ""
    line_id: str | None = None


@dataclass
class Explanation:
    """The answer of :func:`why` for one document."""

    document: str
    doc_type: str
    template: str
    classes: list[Check] = field(default_factory=list)
    lines: list[Check] = field(default_factory=list)
    books: dict = field(default_factory=dict)          # book -> (reaches, reason, entries frame)
    problems: list[Problem] = field(default_factory=list)

    @property
    def business_class(self) -> str | None:
        """``"EXP 费用采购"`` when exactly one class matched, else None."""
        hits = [c.what.split(" ", 1)[1] for c in self.classes if c.result]
        return hits[0] if len(hits) == 1 else None

    @property
    def class_code(self) -> str | None:
        """Code of the one matched class (``"EXP"``), else None."""
        hits = [c.class_code for c in self.classes if c.result]
        return hits[0] if len(hits) == 1 else None

    def text(self) -> str:
        """The explanation in words (Chinese / English)."""
        out = [f"单据 Document {self.document} ({self.doc_type}), 模板 template {self.template}"]
        out.append("业务分类 Business classes:")
        for c in self.classes:
            mark = "✓ matched 匹配" if c.result else "✗ not matched 不匹配"
            out.append(f"  {mark}: {c.what}  when {c.condition or '(always 总是)'}  with {_fmt(c.values)}")
        if self.business_class is None:
            out.append("  → no single class matches, so no voucher 无唯一匹配的业务分类，不生成凭证")
        else:
            out.append("分录行 Entry lines:")
            for c in self.lines:
                mark = "✓ fires 生成" if c.result else "✗ skipped 不生成"
                out.append(f"  {mark}: {c.what}  when {c.condition or '(always 总是)'}  with {_fmt(c.values)}")
        for book, (reaches, reason, entries) in self.books.items():
            out.append(f"账簿 Book {book}: {reason}")
            if reaches and entries is not None and len(entries):
                for r in entries.itertuples():
                    side = "借 Dr" if r.debit != 0 else "贷 Cr"
                    amt = r.debit if r.debit != 0 else r.credit
                    dims = " ".join(f"{d}={getattr(r, d)}" for d in ("supplier", "customer", "department",
                                                                   "employee", "material", "bank_account")
                                    if getattr(r, d))
                    out.append(f"    {side} {r.account} {r.account_name}  {money.display(amt, money.EXPONENTS[r.currency])} "
                               f"{r.currency}  (原币 orig {money.display(r.amount_orig, money.EXPONENTS[r.currency_orig])} "
                               f"{r.currency_orig})  {dims}  [{r.template_line}]")
        for p in self.problems:
            out.append(f"问题 Problem: {p}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return "<pre style='white-space:pre-wrap'>" + html.escape(self.text()) + "</pre>"


def format_values(values: dict) -> str:
    """``部门属性='管理', 金额=10000.00``: text quoted, amounts in major units (yuan, not fen)."""
    return ", ".join(f"{k}={v}" if isinstance(v, Decimal) else f"{k}={v!r}" for k, v in values.items()) or "-"


_fmt = format_values


def _values(row: pd.Series, names, doctype) -> dict:
    """The document's values of ``names`` by Chinese label; amounts as Decimals in the document's currency."""
    fields = doctype.fields()
    out = {}
    for n in sorted(names):
        v = row.get(n)
        spec = fields.get(n)
        label = (spec.label_zh if spec else "") or n
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
            out[label] = None
        elif isinstance(v, pd.Timestamp):
            out[label] = v.date().isoformat()
        elif spec is not None and spec.type == "money":
            out[label] = money.to_decimal(int(v), money.EXPONENTS.get(str(row.get(_currency_of(spec, doctype))), 2))
        elif hasattr(v, "item"):                      # numpy scalars print as plain numbers
            out[label] = v.item()
        else:
            out[label] = v
    return out


def _currency_of(spec, doctype) -> str:
    return getattr(spec, "currency_field", None) or doctype.currency_field


def why(case: Case, number: str, book: str | None = None, template=None) -> Explanation:
    """Explain how document ``number`` becomes vouchers (nothing is stored).

    Parameters
    ----------
    case : Case
    number : str
        Document number, e.g. ``"CG002"``.
    book : str, optional
        One book code; default every book of the case.
    template : VoucherTemplate, optional
        A template to try instead of the case's (e.g. one with an edited
        condition, see :meth:`VoucherTemplate.replace_condition`).

    Examples
    --------
    >>> print(why(load_case("datasets/fujian"), "CG002", "FJ-HKFRS"))   # doctest: +SKIP
    """
    code, docs = case.find_document(number)
    dt = docs.doctype
    candidates = case.templates_for(code)
    if template is None and len(candidates) != 1:
        raise FinshareError([Problem("several-templates" if candidates else "no-template",
                                     f"单据类型 {code} 有 {len(candidates)} 个模板 / {len(candidates)} templates for {code}",
                                     Source(str(case.path / "templates")), "pass template= to choose one")])
    tpl = template or candidates[0]
    idx = pd.Index([number], dtype=object)
    header = docs.header.loc[idx]
    hrow = header.iloc[0]
    ex = Explanation(number, code, tpl.code)
    kinds = dt.kinds()
    exps = money.exponents(header[dt.currency_field].astype(object))
    for bc in tpl.classes:
        hit = bool(bc.when.mask(header, kinds, exps)[0]) if bc.when else True
        ex.classes.append(Check(f"class {bc.code} {bc.name_zh}", str(bc.when or ""),
                                _values(hrow, bc.when.fields if bc.when else [], dt), hit, bc.code))
    if ex.class_code is not None:
        bc = next(c for c in tpl.classes if c.code == ex.class_code)
        flat = docs.flat(idx)
        for ln in bc.lines:
            scope = flat if ln.scope == "line" else header
            if ln.when is None:
                fired, vals = True, {}
            else:
                m = ln.when.mask(scope, kinds, money.exponents(scope[dt.currency_field].astype(object)))
                fired = bool(m.any())
                vals = _values(scope.iloc[0], ln.when.fields, dt)
            ex.lines.append(Check(f"line {bc.code}/{ln.id} {'借' if ln.side == 'debit' else '贷'} "
                                  f"{ln.describe_account()}", str(ln.when or ""), vals, fired, bc.code, ln.id))
    entries, problems = generate_entries(docs, tpl, idx)
    ex.problems += problems
    unit = hrow[dt.org_field]
    for b in ([case.books[book]] if book else list(case.books)):
        if unit not in b.units:
            ex.books[b.code] = (False, f"不进入：业务单元 {unit} 不属于核算组织 {b.org} ({', '.join(b.units)}) / "
                                       f"does not reach it: unit {unit} is not accounted by {b.org}", None)
            continue
        lines, probs = entries_for_book(entries, b, tpl, case.rates, case.template_chart(tpl))
        ex.problems += probs
        lines = lines.assign(account_name=b.chart.full_name(lines["account"]) if len(lines) else [])
        ex.books[b.code] = (True, f"进入：业务单元 {unit} 由 {b.org} 核算，{b.currency}，科目表 {b.chart.name} / "
                                  f"reaches it: {b.org} accounts for {unit}", lines)
    return ex
