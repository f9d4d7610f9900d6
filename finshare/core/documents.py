"""Business documents (业务单据): header and line tables of a type described as data.

A document type is a YAML schema (``finshare/data/doctypes/*.yaml`` or a
case's ``doctypes/`` folder): header fields, line fields, master-data
look-ups (``dept_attr`` from the department's 部门属性) and which fields are
the number, date, organisation, currency and status. The documents of one
type are two DataFrames, ``header`` (one row per document, indexed by number)
and ``lines``. Status moves ``draft → submitted → approved``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from . import columns as C
from . import money
from .masterdata import MasterData, table_specs
from .problems import FinshareError, Problem, Source, raise_if_any
from .schema import LINE, FieldSpec, TableSpec, check_table, field_from_yaml, read_text_table
from .yamlio import load_yaml

STATUSES = ("draft", "submitted", "approved")
STATUS_LABELS = {"draft": "草稿", "submitted": "已提交", "approved": "已审核"}


@dataclass(frozen=True)
class DocumentType:
    """The schema of one document type (see module docstring)."""

    code: str
    label_zh: str
    label_en: str
    header: TableSpec
    lines: TableSpec
    number_field: str = "doc_no"
    date_field: str = "date"
    org_field: str = "org"
    currency_field: str = "currency"
    local_currency_field: str | None = None
    status_field: str = "status"
    source: str = ""

    @classmethod
    def from_yaml(cls, text: str, source: str = "<yaml>") -> "DocumentType":
        body = load_yaml(text, source)
        code = body["code"]
        header = TableSpec(code, body["label_zh"], body.get("label_en", code), body.get("number_field", "doc_no"),
                           tuple(field_from_yaml(k, v, "header") for k, v in body["header"].items()))
        lines = TableSpec(f"{code}_lines", body["label_zh"] + "分录", body.get("label_en", code) + " lines", None,
                          tuple(field_from_yaml(k, v, "line") for k, v in (body.get("lines") or {}).items()))
        keys = {k: body[k] for k in ("number_field", "date_field", "org_field", "currency_field",
                                                "local_currency_field", "status_field")
                if k in body}
        return cls(code, body["label_zh"], body.get("label_en", code), header, lines, source=source, **keys)

    @classmethod
    def builtin(cls, code: str) -> "DocumentType":
        res = resources.files("finshare.data").joinpath("doctypes", f"{code}.yaml")
        if not res.is_file():
            raise FinshareError([Problem("unknown-doctype", f"未知单据类型 {code!r} / unknown document type",
                                         hint="add doctypes/<code>.yaml to the case folder")])
        return cls.from_yaml(res.read_text(encoding="utf-8"), f"<built-in {code}>")

    def fields(self) -> dict[str, FieldSpec]:
        """Every field a template may use, header first (the shared number once)."""
        out = {f.name: f for f in self.header.fields}
        out.update({f.name: f for f in self.lines.fields if f.name not in out})
        return out

    def aliases(self) -> dict[str, str]:
        """Names a condition may use: field names and Chinese labels -> field name."""
        out = {}
        for f in self.fields().values():
            out[f.name] = f.name
            if f.label_zh:
                out.setdefault(f.label_zh, f.name)
        return out

    def kinds(self) -> dict[str, str]:
        return {n: f.kind for n, f in self.fields().items()}

    def choices(self) -> dict[str, tuple]:
        """Allowed values of enumerated fields; a look-up takes its master-data column's.

        Examples
        --------
        >>> DocumentType.builtin("purchase_receipt").choices()["dept_attr"]   # doctest: +SKIP
        ('管理', '销售', '生产', '研发')
        """
        out = {}
        for f in self.fields().values():
            spec = f
            if f.lookup is not None:
                table = table_specs().get(f.lookup[1])
                spec = table.field(f.lookup[2]) if table and f.lookup[2] in table.names else None
            if spec is not None and spec.type == "enum" and spec.values:
                out[f.name] = tuple(spec.values)
        return out

    def table(self) -> pd.DataFrame:
        """The schema as a table: one row per field, header then lines."""
        return pd.DataFrame([{
            "part": "header" if f.scope == "header" else "lines", "field": f.name, "label_zh": f.label_zh,
            "label_en": f.label_en, "type": "lookup" if f.lookup else f.type, "required": f.required,
            "source": (f"{f.lookup[1]}.{f.lookup[2]} via {f.lookup[0]}" if f.lookup else
                       f.ref or ", ".join(map(str, f.values)) or ""),
        } for f in (*self.header.fields, *self.lines.fields)])

    def _repr_html_(self) -> str:
        return (f"<b>单据类型 {html.escape(self.label_zh)} / {html.escape(self.label_en)}</b> ({self.code})"
                + self.table().to_html(index=False))


class Documents:
    """The documents of one type: ``header`` indexed by number, and ``lines``.

    Look-up fields (e.g. ``dept_attr``) are filled from master data when the
    documents are loaded, so templates and conditions see them as columns.
    """

    def __init__(self, doctype: DocumentType, header: pd.DataFrame, lines: pd.DataFrame,
                 master: MasterData | None = None):
        self.doctype = doctype
        self.header = header
        self.lines = lines
        self.master = master

    # ----------------------------------------------------------------- loading
    @classmethod
    def read(cls, doctype: DocumentType, header_path: str | Path, lines_path: str | Path | None,
             master: MasterData, known: Mapping[str, pd.Index] | None = None) -> "Documents":
        """Load and validate the header CSV and (optional) lines CSV (``known``: see :meth:`from_text`)."""
        for p in (header_path, lines_path):
            if p is not None and not Path(p).exists():
                raise FinshareError([Problem("missing-file", "找不到单据文件 / document file not found",
                                             Source(str(p)), f"create it with the columns of {doctype.code}")])
        raw_h = read_text_table(header_path)
        raw_l = read_text_table(lines_path) if lines_path else None
        return cls.from_text(doctype, raw_h, raw_l, master, str(header_path), str(lines_path or ""), known)

    @classmethod
    def from_text(cls, doctype: DocumentType, raw_header: pd.DataFrame, raw_lines: pd.DataFrame | None,
                  master: MasterData, header_source: str = "<header>", lines_source: str = "<lines>",
                  known: Mapping[str, pd.Index] | None = None):
        """Validate text tables (as read from CSV) and fill look-ups.

        ``known`` holds, under ``"doc:<type>"``, the numbers ``docref``
        fields may name (see :mod:`finshare.core.docrefs`); without it they
        are not checked. A reference to the document's own type may also
        name a document of the same file.
        """
        refs = {k: v.index for k, v in master.tables.items()} | dict(known or {})
        own = f"doc:{doctype.code}"
        if own in refs and doctype.number_field in raw_header.columns:
            refs[own] = refs[own].append(pd.Index(raw_header[doctype.number_field].astype(object)))
        raise_if_any(_other_type(raw_header, doctype, header_source) + _other_type(raw_lines, doctype, lines_source),
                     f"{doctype.label_zh}有其他类型的单据 / {doctype.code} file holds other document types")
        header, problems = check_table(raw_header, doctype.header, header_source, refs)
        raise_if_any(problems, f"{doctype.label_zh}表头有错误 / {doctype.code} header has problems")
        number = doctype.number_field
        header = header.set_index(number, drop=False).rename_axis(None)
        if raw_lines is None:
            raw_lines = pd.DataFrame(columns=[f.name for f in doctype.lines.fields if f.lookup is None])
        has_no = number in raw_lines.columns
        pos = C.positions(raw_lines[number], header.index) if has_no else None     # each line's document
        cur = _at(header[doctype.currency_field], pos, raw_lines.index) if has_no else None
        context = {f.name: _at(header[f.name], pos, raw_lines.index)
                   for f in doctype.header.fields if f.type == "currency" and has_no}
        lines, problems = check_table(raw_lines, doctype.lines, lines_source, refs, currency=cur, context=context)
        if not problems and number in lines.columns:
            orphan = pos < 0
            problems += [Problem("unknown-document", f"分录行的单据 {n!r} 不在表头中 / line for unknown document {n!r}",
                                 Source(lines_source, int(line), number), "add the document to the header file")
                         for n, line in zip(lines.loc[orphan, number], lines.loc[orphan, LINE])]
            dup = lines.duplicated([number, "line_no"], keep="first") if "line_no" in lines else None
            if dup is not None:
                problems += [Problem("duplicate-line", f"单据 {n} 行号重复 / line number repeated in {n}",
                                     Source(lines_source, int(line), "line_no"), "number the lines 1, 2, 3 …")
                             for n, line in zip(lines.loc[dup, number], lines.loc[dup, LINE])]
        raise_if_any(problems, f"{doctype.label_zh}分录有错误 / {doctype.code} lines have problems")
        header = _fill_lookups(header, doctype.header, master)
        lines = _fill_lookups(lines, doctype.lines, master)
        return cls(doctype, header, lines, master)

    # ------------------------------------------------------------------ status
    def set_status(self, numbers, status: str) -> list[str]:
        """Move documents to ``status`` along draft → submitted → approved.

        Submitting needs a draft, approving needs a submitted document
        (审核 follows 提交); going back one step is allowed (反审核, 撤销).
        Returns the numbers whose status changed.
        """
        if status not in STATUSES:
            raise FinshareError([Problem("bad-status", f"无效状态 {status!r} / invalid status",
                                         hint=f"use one of {', '.join(STATUSES)}")])
        numbers = [numbers] if isinstance(numbers, str) else list(numbers)
        problems = []
        col = self.doctype.status_field
        target = STATUSES.index(status)
        for n in numbers:
            if n not in self.header.index:
                problems.append(Problem("unknown-document", f"单据 {n} 不存在 / no document {n}",
                                        Source(document=n), "check the document number"))
                continue
            now = STATUSES.index(self.header.at[n, col])
            if abs(target - now) > 1:
                problems.append(Problem(
                    "bad-status-change",
                    f"单据 {n} 是{STATUS_LABELS[STATUSES[now]]}，不能直接改为{STATUS_LABELS[status]} / "
                    f"{n} is {STATUSES[now]} and cannot become {status} directly",
                    Source(document=n), "submit before approving"))
        raise_if_any(problems, "单据状态不能修改 / status change refused")
        changed = [n for n in numbers if self.header.at[n, col] != status]
        self.header.loc[changed, col] = status
        return changed

    def edit(self, number: str, line_no: int | None = None, **values) -> None:
        """Correct fields of a document that is not approved, checked like the CSV.

        Look-ups (e.g. 部门属性 from the department) follow the change. An
        approved document is refused: un-approve it first (反审核).

        Parameters
        ----------
        number : str
            Document number.
        line_no : int, optional
            Edit this line's fields instead of the header's.
        **values
            Field names (or Chinese labels) and new values as text,
            e.g. ``department="XM-ADM"`` or ``amount="12000.00"``.
        """
        dt = self.doctype
        if number not in self.header.index:
            raise FinshareError([Problem("unknown-document", f"单据 {number} 不存在 / no document {number}",
                                         Source(document=number), "check the document number")])
        if self.header.at[number, dt.status_field] == "approved":
            raise FinshareError([Problem("document-approved", f"单据 {number} 已审核，不能修改 / {number} is approved",
                                         Source(document=number), "set it back to submitted (反审核) before editing")])
        spec = dt.lines if line_no is not None else dt.header
        frame = self.lines if line_no is not None else self.header
        if line_no is None:
            rows = pd.Index([number])
        else:
            rows = self.lines.index[(self.lines[dt.number_field] == number) & (self.lines["line_no"] == int(line_no))]
            if not len(rows):
                raise FinshareError([Problem("unknown-line", f"单据 {number} 没有第 {line_no} 行 / no such line",
                                             Source(document=number), "check the line number")])
        labels = {f.label_zh: f.name for f in spec.fields if f.label_zh}
        values = {labels.get(k, k): v for k, v in values.items()}
        stored = {f.name for f in spec.fields if f.lookup is None}
        bad = [k for k in values if k not in stored or k in (dt.number_field, dt.status_field, "line_no")]
        if bad:
            raise FinshareError([Problem("unknown-field", f"不能修改字段 {k!r} / cannot edit field {k!r}",
                                         Source(document=number, field=k), f"editable: {', '.join(sorted(stored))}")
                                 for k in bad])
        raw = pd.DataFrame({f.name: [_as_text(frame.at[rows[0], f.name], f, self, number)]
                            for f in spec.fields if f.lookup is None})
        for k, v in values.items():
            raw[k] = str(v)
        refs = {k: v.index for k, v in self.master.tables.items()} if self.master else None
        cur = pd.Series([self.header.at[number, dt.currency_field]])
        context = {f.name: pd.Series([self.header.at[number, f.name]]) for f in dt.header.fields if f.type == "currency"}
        checked, problems = check_table(raw, spec, f"<edit {number}>", refs, currency=cur, context=context)
        raise_if_any(problems, f"单据 {number} 未修改 / {number} not changed")
        for k in values:
            frame.loc[rows, k] = checked[k].iloc[0]
        if self.master is not None:
            part = _fill_lookups(frame.loc[rows].copy(), spec, self.master)
            for f in spec.fields:
                if f.lookup is not None:
                    frame.loc[rows, f.name] = part[f.name]

    def approved(self) -> pd.Index:
        """Numbers of approved documents."""
        return self.header.index[self.header[self.doctype.status_field] == "approved"]

    # ------------------------------------------------------------------ frames
    def flat(self, numbers: pd.Index | None = None) -> pd.DataFrame:
        """Lines joined with their header fields, one row per document line."""
        h = self.header if numbers is None else self.header.loc[numbers]
        number = self.doctype.number_field
        lines = self.lines[h.index.get_indexer(self.lines[number]) >= 0] if numbers is not None else self.lines
        hcols = [c for c in h.columns if (c not in lines.columns or c == number) and c != LINE]
        return lines.drop(columns=[LINE]).merge(h[hcols].reset_index(drop=True),
                                                on=number, how="left", validate="many_to_one")

    def save(self, header_path: str | Path, lines_path: str | Path) -> None:
        """Write header and lines back as CSV (amounts as decimal text)."""
        for frame, spec, path in ((self.header, self.doctype.header, header_path),
                                  (self.lines, self.doctype.lines, lines_path)):
            out = pd.DataFrame(index=frame.index)
            for f in spec.fields:
                if f.lookup is not None:
                    continue
                col = frame[f.name]
                if f.type == "money":
                    cur = frame[self.doctype.currency_field] if self.doctype.currency_field in frame else \
                        frame[self.doctype.number_field].map(self.header[self.doctype.currency_field])
                    col = money.format_amounts(col.to_numpy(), money.exponents(cur))
                elif f.type == "date":
                    col = col.dt.strftime("%Y-%m-%d")
                out[f.name] = col
            out.to_csv(path, index=False, encoding="utf-8")

    def __len__(self) -> int:
        return len(self.header)

    def view(self, part: str = "header") -> pd.DataFrame:
        """Header or lines for reading: amounts as exact Decimals, no bookkeeping columns."""
        frame = self.header if part == "header" else self.lines
        spec = self.doctype.header if part == "header" else self.doctype.lines
        out = frame.drop(columns=[LINE]).reset_index(drop=True)
        for f in spec.fields:
            if f.type == "money" and f.name in out:
                cur_field = f.currency_field or self.doctype.currency_field
                cur = frame[cur_field] if cur_field in frame else \
                    frame[self.doctype.number_field].map(self.header[cur_field].astype(object))
                exps = money.exponents(cur.astype(object).fillna(""))
                out[f.name] = money.decimals(out[f.name].to_numpy(), np.maximum(exps, 0))
        return out

    def _repr_html_(self) -> str:
        d = self.doctype
        return (f"<b>{html.escape(d.label_zh)} {html.escape(d.label_en)}</b>: {len(self)} documents, "
                f"{len(self.lines)} lines" + self.view("header").to_html(max_rows=30, na_rep="", index=False)
                + (self.view("lines").to_html(max_rows=30, na_rep="", index=False) if len(self.lines) else ""))

    def __repr__(self) -> str:
        return f"<Documents {self.doctype.code}: {len(self)} documents, {len(self.lines)} lines>"


def _as_text(value, f: FieldSpec, docs: "Documents", number: str) -> str:
    """A stored value back as the text a CSV would hold (for re-checking an edit)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if f.type == "date":
        return value.strftime("%Y-%m-%d")
    if f.type == "money":
        cur = docs.header.at[number, f.currency_field or docs.doctype.currency_field]
        if pd.isna(cur):
            return "" if int(value) == 0 else str(value)
        return str(money.to_decimal(int(value), money.EXPONENTS[cur]))
    if f.type in ("int",):
        return str(int(value))
    return str(value)


def _other_type(raw: pd.DataFrame | None, doctype: DocumentType, source: str) -> list[Problem]:
    """Rows an export marked (``_doc_type``) as another document type than the file's."""
    if raw is None or "_doc_type" not in raw.columns:
        return []
    kind = raw["_doc_type"].fillna("").astype(str)
    bad = np.flatnonzero(((kind != "") & (kind != doctype.code)).to_numpy())
    rows = raw[LINE].to_numpy() if LINE in raw.columns else np.arange(len(raw)) + 2
    return [Problem("other-doc-type", f"这一行是 {kind.iloc[i]} 单据，不是 {doctype.code} / this row is a "
                    f"{kind.iloc[i]} document, not {doctype.code}", Source(source, int(rows[i]), "_doc_type"),
                    f"keep only the rows whose _doc_type is {doctype.code}; put the others in "
                    f"documents/{kind.iloc[i]}.csv") for i in bad[:200]]


def _at(col: pd.Series, pos: np.ndarray, index: pd.Index) -> pd.Series:
    """A header column's text for each line (``pos``: the line's header row, -1 for none)."""
    return pd.Series(C.at_positions(col, pos), index=index, dtype="str")


def _fill_lookups(frame: pd.DataFrame, spec: TableSpec, master: MasterData) -> pd.DataFrame:
    """Fill look-up fields from master data, one look-up per distinct code."""
    for f in spec.fields:
        if f.lookup is not None:
            via, table, column = f.lookup
            codes, uniques = pd.factorize(frame[via])
            values = master[table][column].astype(object)
            found = C.positions(pd.Series(np.asarray(uniques, dtype=object), dtype="str"), values.index)
            frame[f.name] = pd.array(C.at_positions(values, found).take(pa.array(codes, mask=codes < 0)),
                                     dtype="string")
    return frame


def empty_like(doctype: DocumentType) -> Documents:
    """A document set of ``doctype`` with no documents (typed columns)."""
    md = MasterData({})
    return Documents.from_text(doctype, pd.DataFrame(columns=[f.name for f in doctype.header.fields
                                                               if f.lookup is None]), None, md)


__all__ = ["DocumentType", "Documents", "STATUSES", "empty_like"]
