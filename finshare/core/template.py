"""Voucher templates (凭证模板) as YAML: business classes and entry lines.

A template turns documents of one type into vouchers. Its business classes
(业务分类) are chosen by a condition on header fields; each class lists
entry lines (分录行) with side, account, amount field, dimensions (核算项目),
an optional line condition and a summary (摘要) with ``{field}`` placeholders.
Example (the Fujian purchase-receipt template, abridged)::

    code: PR
    doc_type: purchase_receipt
    chart: CAS
    voucher_word: 记
    classes:
      - code: EXP
        name_zh: 费用采购
        when: 单据类型 == "费用采购"
        lines:
          - side: debit
            account: "6602"
            when: 部门属性 == "管理"
            amount: amount
            dimensions: {department: department}
          - side: credit
            account: "220202"
            amount: amount
            dimensions: {supplier: supplier}

A template file is only data: conditions go through
:func:`finshare.core.condition.parse_condition`, placeholders must be plain field
names, and every fault is reported with the file, line and reason.
"""
from __future__ import annotations

import html
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .chart import DIMENSIONS
from .condition import Condition, ConditionError, parse_condition
from .documents import DocumentType
from .problems import FinshareError, Problem, Source, raise_if_any
from .textio import read_text
from .yamlio import LineMap, load_yaml

SIDES = {"debit": "debit", "借": "debit", "借方": "debit", "credit": "credit", "贷": "credit", "贷方": "credit"}


@dataclass(frozen=True)
class EntryLine:
    """One entry line of a business class (see module docstring)."""

    id: str
    side: str
    amount: str
    account: str | None = None
    account_by_chart: Mapping[str, str] = field(default_factory=dict)
    account_field: str | None = None
    amount_local: str | None = None
    dimensions: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    when: Condition | None = None
    summary: str = ""
    scope: str = "header"
    line: int | None = None
    when_line: int | None = None

    def describe_account(self) -> str:
        if self.account_field:
            return f"from field {self.account_field}"
        if self.account_by_chart:
            return ", ".join(f"{k}: {v}" for k, v in self.account_by_chart.items())
        return str(self.account)


@dataclass(frozen=True)
class BusinessClass:
    """A business class: a header condition and its entry lines."""

    code: str
    name_zh: str
    name_en: str
    when: Condition | None
    lines: tuple[EntryLine, ...]
    line: int | None = None
    when_line: int | None = None


@dataclass(frozen=True)
class VoucherTemplate:
    """A voucher template for one document type, loaded with :func:`load_template`."""

    code: str
    name_zh: str
    name_en: str
    doc_type: str
    chart: str
    voucher_word: str
    date_field: str
    classes: tuple[BusinessClass, ...]
    source: str = ""

    def replace_condition(self, class_code: str, line_id: str | None, text: str,
                          doctype: DocumentType) -> "VoucherTemplate":
        """A copy with one condition changed (the class's ``when``, or a line's).

        This is how a notebook or the voucher studio lets a student edit a
        line condition and re-post. The new text is checked as strictly as a
        file's: a class condition may read header fields only; an empty text
        removes the condition.

        Raises
        ------
        FinshareError
            ``unknown-class``/``unknown-line`` or ``bad-condition``, naming the
            template line.
        """
        bc = next((c for c in self.classes if c.code == class_code), None)
        where = Source(self.source, bc.when_line if bc else None, "when", template_line=f"{class_code}/{line_id or ''}")
        if bc is None:
            raise FinshareError([Problem("unknown-class", f"模板 {self.code} 没有业务分类 {class_code} / no such class",
                                         where, f"classes: {', '.join(c.code for c in self.classes)}")])
        ln = None
        if line_id is not None:
            ln = next((x for x in bc.lines if x.id == str(line_id)), None)
            if ln is None:
                raise FinshareError([Problem("unknown-line", f"业务分类 {class_code} 没有分录行 {line_id} / no such line",
                                             where, f"lines: {', '.join(x.id for x in bc.lines)}")])
            where = replace(where, line=ln.when_line)
        header = {f.name for f in doctype.header.fields}
        allowed = doctype.aliases() if ln is not None else {k: v for k, v in doctype.aliases().items() if v in header}
        try:
            cond = parse_condition(text, allowed, doctype.kinds(), doctype.choices()) if text.strip() else None
        except ConditionError as exc:
            raise FinshareError([_condition_problem(exc, where)],
                                f"条件未修改 / condition not changed ({self.source})") from None
        if ln is None:
            new_bc = replace(bc, when=cond)
        else:
            fields = doctype.fields()
            used = [ln.amount, ln.amount_local, ln.account_field, *(v[1] for v in ln.dimensions.values() if v[0] == "field"),
                    *(cond.fields if cond else ())]
            scope = "line" if any(fields[u].scope == "line" for u in used if u in fields) else "header"
            new_bc = replace(bc, lines=tuple(replace(x, when=cond, scope=scope) if x is ln else x for x in bc.lines))
        return replace(self, classes=tuple(new_bc if c is bc else c for c in self.classes))

    def _repr_html_(self) -> str:
        rows = []
        for bc in self.classes:
            for ln in bc.lines:
                rows.append(
                    f"<tr><td>{html.escape(bc.name_zh)} ({bc.code})</td><td>{html.escape(str(bc.when or ''))}</td>"
                    f"<td>{ln.id}</td><td>{'借 Dr' if ln.side == 'debit' else '贷 Cr'}</td>"
                    f"<td>{html.escape(ln.describe_account())}</td><td>{ln.amount}</td>"
                    f"<td>{html.escape(', '.join(f'{k}={v[1]}' for k, v in ln.dimensions.items()))}</td>"
                    f"<td>{html.escape(str(ln.when or ''))}</td></tr>")
        return (f"<b>凭证模板 {html.escape(self.name_zh)} / {html.escape(self.name_en)}</b> ({self.code}, "
                f"{self.doc_type}, chart {self.chart}, 凭证字 {self.voucher_word})"
                "<table><tr><th>业务分类 class</th><th>分类条件 when</th><th>行 line</th><th>方向 side</th>"
                "<th>科目 account</th><th>金额 amount</th><th>核算项目 dimensions</th><th>生成条件 when</th></tr>"
                + "".join(rows) + "</table>")


# --------------------------------------------------------------------- loading
def load_template(path: str | Path, doctypes: Mapping[str, DocumentType]) -> VoucherTemplate:
    """Load and check a template file; raise listing every problem.

    Parameters
    ----------
    path : path
        The YAML file.
    doctypes : mapping
        Known document types by code.
    """
    path = Path(path)
    if not path.exists():
        raise FinshareError([Problem("missing-file", "找不到凭证模板文件 / template file not found",
                                     Source(str(path)), "check the templates/ folder")])
    return parse_template(read_text(path), doctypes, str(path))


def parse_template(text: str, doctypes: Mapping[str, DocumentType], source: str = "<template>") -> VoucherTemplate:
    """Parse template YAML text (see :func:`load_template`)."""
    body = load_yaml(text, source, lines=True)  # plain data only, no repeated keys
    problems: list[Problem] = []
    if not isinstance(body, dict):
        raise FinshareError([Problem("bad-template", "模板应是一个映射 / a template is a mapping of keys",
                                     Source(source, 1), "start with 'code:' and 'doc_type:'")])

    def where(m, key=None):
        line = m.key_lines.get(key, m.line) if isinstance(m, LineMap) and key else getattr(m, "line", None)
        return Source(source, line, key)

    for key in ("code", "doc_type", "classes"):
        if key not in body:
            problems.append(Problem("missing-key", f"模板缺少 {key!r} / template lacks {key!r}", where(body),
                                    "see datasets/fujian/templates/purchase_receipt.yaml"))
    raise_if_any(problems, f"凭证模板 {source} 有错误 / template has problems")
    dt = doctypes.get(str(body["doc_type"]))
    if dt is None:
        raise FinshareError([Problem("unknown-doctype", f"未知单据类型 {body['doc_type']!r} / unknown document type",
                                     where(body, "doc_type"), f"known: {', '.join(doctypes)}")])
    fields = dt.fields()
    aliases = dt.aliases()
    header_fields = {f.name for f in dt.header.fields}
    header_aliases = {k: v for k, v in aliases.items() if v in header_fields}
    kinds, choices = dt.kinds(), dt.choices()

    def cond(m, key, allowed):
        text = m.get(key)
        if text in (None, ""):
            return None
        try:
            return parse_condition(str(text), allowed, kinds, choices)
        except ConditionError as exc:
            problems.append(_condition_problem(exc, where(m, key)))
            return None

    def field_name(m, key, want=None):
        name = m.get(key)
        if name is None:
            return None
        name = aliases.get(str(name), str(name))
        f = fields.get(name)
        if f is None:
            problems.append(Problem("unknown-field", f"字段 {name!r} 不是{dt.label_zh}的字段 / unknown field {name!r}",
                                    where(m, key), f"fields: {', '.join(fields)}"))
        elif want and f.kind != want:
            problems.append(Problem("bad-field-type", f"字段 {name!r} 不是金额 / field {name!r} is not an amount",
                                    where(m, key), "use a money field such as amount"))
        return name

    classes = []
    for ci, c in enumerate(_items(body, "classes", "业务分类", "class", where, problems)):
        code = str(c.get("code", ci + 1))
        lines = []
        for li, ln in enumerate(_items(c, "lines", "分录行", "entry line", where, problems)):
            lid = str(ln.get("id", li + 1))
            side = SIDES.get(str(ln.get("side", "")).strip())
            if side is None:
                problems.append(Problem("bad-side", f"借贷方向 {ln.get('side')!r} 无效 / side must be debit or credit",
                                        where(ln, "side"), "write side: debit (借) or side: credit (贷)"))
            amount = field_name(ln, "amount", want="money")
            if amount is None and "amount" not in ln:
                problems.append(Problem("missing-key", "分录行缺少金额字段 / entry line lacks amount", where(ln),
                                        "add amount: <money field>"))
            amount_local = field_name(ln, "amount_local", want="money")
            account, by_chart, account_field = None, {}, None
            acc = ln.get("account")
            if isinstance(acc, dict):
                by_chart = {str(k): str(v) for k, v in acc.items()}
            elif acc is not None:
                account = str(acc)
            if "account_field" in ln:
                account_field = field_name(ln, "account_field")
            if account is None and not by_chart and account_field is None:
                problems.append(Problem("missing-key", "分录行缺少科目 / entry line has no account", where(ln),
                                        "add account: \"6602\" or account_field: <field>"))
            dims = {}
            if not isinstance(ln.get("dimensions") or {}, dict):
                problems.append(Problem("bad-template", "核算项目应是映射 / dimensions are a mapping",
                                        where(ln, "dimensions"), "write dimensions: {supplier: supplier}"))
            for dim, spec in (ln.get("dimensions") if isinstance(ln.get("dimensions"), dict) else {}).items():
                if dim not in DIMENSIONS:
                    problems.append(Problem("unknown-dimension", f"核算项目 {dim!r} 未知 / unknown dimension {dim!r}",
                                            where(ln.get("dimensions"), dim), f"use {', '.join(DIMENSIONS)}"))
                    continue
                if isinstance(spec, dict) and "value" in spec:
                    dims[dim] = ("value", str(spec["value"]))
                else:
                    fname = spec.get("field") if isinstance(spec, dict) else spec
                    fname = aliases.get(str(fname), str(fname))
                    if fname not in fields:
                        problems.append(Problem("unknown-field", f"核算项目字段 {fname!r} 不存在 / unknown field {fname!r}",
                                                where(ln.get("dimensions"), dim), f"fields: {', '.join(fields)}"))
                    dims[dim] = ("field", fname)
            summary = str(ln.get("summary", c.get("summary", body.get("summary", ""))))
            for _, name, spec, conv in string.Formatter().parse(summary) if _ok_format(summary) else []:
                if name is not None and (aliases.get(name, name) not in fields or spec or conv):
                    problems.append(Problem("bad-summary", f"摘要占位符 {{{name}}} 无效 / placeholder {{{name}}} is not a field",
                                            where(ln, "summary") if "summary" in ln else where(c),
                                            "use {field} with a field name and nothing else"))
            if not _ok_format(summary):
                problems.append(Problem("bad-summary", "摘要的花括号不配对 / unbalanced braces in summary",
                                        where(ln, "summary"), "write {{ and }} for literal braces"))
            used = [amount, amount_local, account_field] + [v[1] for v in dims.values() if v[0] == "field"]
            scope = "line" if any(fields[u].scope == "line" for u in used if u in fields) else "header"
            when = cond(ln, "when", aliases)
            if when is not None and any(fields[f].scope == "line" for f in when.fields):
                scope = "line"
            lines.append(EntryLine(
                id=lid, side=side or "debit", amount=amount or "", account=account, account_by_chart=by_chart,
                account_field=account_field, amount_local=amount_local, dimensions=dims, when=when,
                summary=summary, scope=scope, line=getattr(ln, "line", None),
                when_line=getattr(ln, "key_lines", {}).get("when", getattr(ln, "line", None))))
        sides = {ln.side for ln in lines}
        if lines and sides != {"debit", "credit"}:
            problems.append(Problem(
                "unbalanced-template", f"业务分类 {code} 只有{'借方' if 'debit' in sides else '贷方'}分录 / "
                f"class {code} has {'debit' if 'debit' in sides else 'credit'} lines only", where(c),
                "every class needs at least one debit and one credit line"))
        if not lines:
            problems.append(Problem("empty-class", f"业务分类 {code} 没有分录行 / class {code} has no lines",
                                    where(c), "add lines"))
        ids = [ln.id for ln in lines]
        if len(set(ids)) != len(ids):
            problems.append(Problem("duplicate-line", f"业务分类 {code} 的分录行号重复 / repeated line id",
                                    where(c), "give each line its own id"))
        classes.append(BusinessClass(code=code, name_zh=str(c.get("name_zh", code)), name_en=str(c.get("name_en", code)),
                                     when=cond(c, "when", header_aliases), lines=tuple(lines), line=c.line,
                                     when_line=c.key_lines.get("when", c.line)))
    codes = [c.code for c in classes]
    if len(set(codes)) != len(codes):
        problems.append(Problem("duplicate-class", "业务分类编码重复 / repeated class code", where(body, "classes"),
                                "give each class its own code"))
    date_field = aliases.get(str(body.get("date_field", dt.date_field)), dt.date_field)
    if fields.get(date_field) is None or fields[date_field].type != "date":
        problems.append(Problem("bad-field-type", f"日期字段 {date_field!r} 无效 / date_field is not a date field",
                                where(body, "date_field"), f"use {dt.date_field}"))
    raise_if_any(problems, f"凭证模板 {source} 有错误 / template {source} has problems")
    return VoucherTemplate(
        code=str(body["code"]), name_zh=str(body.get("name_zh", body["code"])),
        name_en=str(body.get("name_en", body["code"])), doc_type=dt.code, chart=str(body.get("chart", "CAS")),
        voucher_word=str(body.get("voucher_word", "记")), date_field=date_field, classes=tuple(classes),
        source=source)


def _items(m: dict, key: str, zh: str, en: str, where, problems: list[Problem]) -> list[dict]:
    """The mappings listed under ``m[key]``; anything else there is a problem naming the line."""
    value = m.get(key) or []
    if not isinstance(value, list):
        problems.append(Problem("bad-template", f"{key} 应是{zh}的列表 / {key} is a list: one {en} per item",
                                where(m, key),
                                f"write each {en} on its own line starting with '- '"))
        return []
    bad = [v for v in value if not isinstance(v, dict)]
    if bad:
        problems.append(Problem("bad-template", f"每个{zh}应是映射 / each {en} is a mapping of keys", where(m, key),
                                f"give each {en} keys such as " + ("code: and lines:" if key == "classes" else
                                                                    "side:, account: and amount:")))
    return [v for v in value if isinstance(v, dict)]


def _condition_problem(exc: ConditionError, where: Source) -> Problem:
    """A refused condition as a problem: its code, the reason in both languages and the fix."""
    return Problem(exc.code, f"{exc.zh} / condition rejected: {exc.reason}", where,
                   exc.hint or "use field names, literals, comparisons, in, and/or/not")


def _ok_format(text: str) -> bool:
    try:
        list(string.Formatter().parse(text))
        return True
    except ValueError:
        return False
