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
    if not isinstance(body, dict):
        raise FinshareError([Problem("bad-template", "模板应是一个映射 / a template is a mapping of keys",
                                     Source(source, 1), "start with 'code:' and 'doc_type:'")])
    problems = [Problem("missing-key", f"模板缺少 {key!r} / template lacks {key!r}", _where(source, body),
                        "see datasets/fujian/templates/purchase_receipt.yaml")
                for key in ("code", "doc_type", "classes") if key not in body]
    raise_if_any(problems, f"凭证模板 {source} 有错误 / template has problems")
    dt = doctypes.get(str(body["doc_type"]))
    if dt is None:
        raise FinshareError([Problem("unknown-doctype", f"未知单据类型 {body['doc_type']!r} / unknown document type",
                                     _where(source, body, "doc_type"), f"known: {', '.join(doctypes)}")])
    return _TemplateReader(dt, source, body).template()


def _where(source: str, m, key=None) -> Source:
    """The file, line and key of ``m[key]`` (or of the mapping ``m``) in the template."""
    line = m.key_lines.get(key, m.line) if isinstance(m, LineMap) and key else getattr(m, "line", None)
    return Source(source, line, key)


class _TemplateReader:
    """Reads one template's mappings against its document type, collecting every problem before raising."""

    def __init__(self, dt: DocumentType, source: str, body: dict):
        self.dt, self.source, self.body, self.problems = dt, source, body, []
        self.fields, self.aliases = dt.fields(), dt.aliases()
        header_fields = {f.name for f in dt.header.fields}
        self.header_aliases = {k: v for k, v in self.aliases.items() if v in header_fields}

    def where(self, m, key=None) -> Source:
        return _where(self.source, m, key)

    def problem(self, code: str, message: str, m, key=None, fix: str = "") -> None:
        self.problems.append(Problem(code, message, self.where(m, key), fix))

    def template(self) -> VoucherTemplate:
        """The whole template (raises listing every problem found)."""
        body, dt, fields = self.body, self.dt, self.fields
        classes = [self.business_class(c, ci) for ci, c in
                   enumerate(_items(body, "classes", "业务分类", "class", self.where, self.problems))]
        codes = [c.code for c in classes]
        if len(set(codes)) != len(codes):
            self.problem("duplicate-class", "业务分类编码重复 / repeated class code", body, "classes",
                         "give each class its own code")
        date_field = self.aliases.get(str(body.get("date_field", dt.date_field)), dt.date_field)
        if fields.get(date_field) is None or fields[date_field].type != "date":
            self.problem("bad-field-type", f"日期字段 {date_field!r} 无效 / date_field is not a date field",
                         body, "date_field", f"use {dt.date_field}")
        raise_if_any(self.problems, f"凭证模板 {self.source} 有错误 / template {self.source} has problems")
        return VoucherTemplate(
            code=str(body["code"]), name_zh=str(body.get("name_zh", body["code"])),
            name_en=str(body.get("name_en", body["code"])), doc_type=dt.code, chart=str(body.get("chart", "CAS")),
            voucher_word=str(body.get("voucher_word", "记")), date_field=date_field, classes=tuple(classes),
            source=self.source)

    def cond(self, m, key, allowed):
        """The parsed condition ``m[key]`` (None when absent or refused; a refusal is a problem)."""
        text = m.get(key)
        if text in (None, ""):
            return None
        try:
            return parse_condition(str(text), allowed, self.dt.kinds(), self.dt.choices())
        except ConditionError as exc:
            self.problems.append(_condition_problem(exc, self.where(m, key)))
            return None

    def field_name(self, m, key, want=None):
        """The document field named by ``m[key]`` (aliases resolved), checked to exist and be of kind ``want``."""
        name = m.get(key)
        if name is None:
            return None
        name = self.aliases.get(str(name), str(name))
        f = self.fields.get(name)
        if f is None:
            self.problem("unknown-field", f"字段 {name!r} 不是{self.dt.label_zh}的字段 / unknown field {name!r}", m, key,
                         f"fields: {', '.join(self.fields)}")
        elif want and f.kind != want:
            self.problem("bad-field-type", f"字段 {name!r} 不是金额 / field {name!r} is not an amount", m, key,
                         "use a money field such as amount")
        return name

    def business_class(self, c, ci: int) -> BusinessClass:
        """One business class with its entry lines."""
        code = str(c.get("code", ci + 1))
        lines = [self.entry_line(ln, li, c)
                 for li, ln in enumerate(_items(c, "lines", "分录行", "entry line", self.where, self.problems))]
        sides = {ln.side for ln in lines}
        if lines and sides != {"debit", "credit"}:
            self.problem("unbalanced-template", f"业务分类 {code} 只有{'借方' if 'debit' in sides else '贷方'}分录 / "
                         f"class {code} has {'debit' if 'debit' in sides else 'credit'} lines only", c,
                         fix="every class needs at least one debit and one credit line")
        if not lines:
            self.problem("empty-class", f"业务分类 {code} 没有分录行 / class {code} has no lines", c, fix="add lines")
        ids = [ln.id for ln in lines]
        if len(set(ids)) != len(ids):
            self.problem("duplicate-line", f"业务分类 {code} 的分录行号重复 / repeated line id", c,
                         fix="give each line its own id")
        return BusinessClass(code=code, name_zh=str(c.get("name_zh", code)), name_en=str(c.get("name_en", code)),
                             when=self.cond(c, "when", self.header_aliases), lines=tuple(lines), line=c.line,
                             when_line=c.key_lines.get("when", c.line))

    def entry_line(self, ln, li: int, c) -> EntryLine:
        """One entry line: side, amount, account, dimensions, summary, condition, and its scope."""
        side = SIDES.get(str(ln.get("side", "")).strip())
        if side is None:
            self.problem("bad-side", f"借贷方向 {ln.get('side')!r} 无效 / side must be debit or credit", ln, "side",
                         "write side: debit (借) or side: credit (贷)")
        amount = self.field_name(ln, "amount", want="money")
        if amount is None and "amount" not in ln:
            self.problem("missing-key", "分录行缺少金额字段 / entry line lacks amount", ln,
                         fix="add amount: <money field>")
        amount_local = self.field_name(ln, "amount_local", want="money")
        account, by_chart, account_field = self.account(ln)
        dims = self.dimensions(ln)
        summary = self.summary(ln, c)
        used = [amount, amount_local, account_field] + [v[1] for v in dims.values() if v[0] == "field"]
        scope = "line" if any(self.fields[u].scope == "line" for u in used if u in self.fields) else "header"
        when = self.cond(ln, "when", self.aliases)
        if when is not None and any(self.fields[f].scope == "line" for f in when.fields):
            scope = "line"
        return EntryLine(
            id=str(ln.get("id", li + 1)), side=side or "debit", amount=amount or "", account=account,
            account_by_chart=by_chart, account_field=account_field, amount_local=amount_local, dimensions=dims,
            when=when, summary=summary, scope=scope, line=getattr(ln, "line", None),
            when_line=getattr(ln, "key_lines", {}).get("when", getattr(ln, "line", None)))

    def account(self, ln) -> tuple[str | None, dict, str | None]:
        """``account`` (one code, or a mapping chart → code) or ``account_field``; one of them is required."""
        account, by_chart, account_field = None, {}, None
        acc = ln.get("account")
        if isinstance(acc, dict):
            by_chart = {str(k): str(v) for k, v in acc.items()}
        elif acc is not None:
            account = str(acc)
        if "account_field" in ln:
            account_field = self.field_name(ln, "account_field")
        if account is None and not by_chart and account_field is None:
            self.problem("missing-key", "分录行缺少科目 / entry line has no account", ln,
                         fix="add account: \"6602\" or account_field: <field>")
        return account, by_chart, account_field

    def dimensions(self, ln) -> dict:
        """Dimension → ``("value", text)`` or ``("field", name)``, each dimension and field checked."""
        spec_map = ln.get("dimensions")
        if not isinstance(spec_map or {}, dict):
            self.problem("bad-template", "核算项目应是映射 / dimensions are a mapping", ln, "dimensions",
                         "write dimensions: {supplier: supplier}")
        dims = {}
        for dim, spec in (spec_map if isinstance(spec_map, dict) else {}).items():
            if dim not in DIMENSIONS:
                self.problem("unknown-dimension", f"核算项目 {dim!r} 未知 / unknown dimension {dim!r}", spec_map, dim,
                             f"use {', '.join(DIMENSIONS)}")
                continue
            if isinstance(spec, dict) and "value" in spec:
                dims[dim] = ("value", str(spec["value"]))
                continue
            fname = spec.get("field") if isinstance(spec, dict) else spec
            fname = self.aliases.get(str(fname), str(fname))
            if fname not in self.fields:
                self.problem("unknown-field", f"核算项目字段 {fname!r} 不存在 / unknown field {fname!r}", spec_map, dim,
                             f"fields: {', '.join(self.fields)}")
            dims[dim] = ("field", fname)
        return dims

    def summary(self, ln, c) -> str:
        """The line's summary (else its class's, else the template's), each ``{field}`` a known field."""
        summary = str(ln.get("summary", c.get("summary", self.body.get("summary", ""))))
        for _, name, spec, conv in string.Formatter().parse(summary) if _ok_format(summary) else []:
            if name is not None and (self.aliases.get(name, name) not in self.fields or spec or conv):
                self.problems.append(Problem(
                    "bad-summary", f"摘要占位符 {{{name}}} 无效 / placeholder {{{name}}} is not a field",
                    self.where(ln, "summary") if "summary" in ln else self.where(c),
                    "use {field} with a field name and nothing else"))
        if not _ok_format(summary):
            self.problem("bad-summary", "摘要的花括号不配对 / unbalanced braces in summary", ln, "summary",
                         "write {{ and }} for literal braces")
        return summary


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
