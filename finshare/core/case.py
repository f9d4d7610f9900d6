"""A case folder: master data, books, rates, document types, documents, templates, schemes.

Layout (``datasets/fujian`` is the model; copy it and replace the files)::

    masterdata/<table>.csv       organisations, departments, suppliers, …
    books.yaml                   accounting systems, policies, books
    rates.csv                    exchange rates (optional)
    doctypes/<type>.yaml         extra document types (optional)
    documents/<type>.csv         document headers (or <type>.xlsx, the first sheet)
    documents/<type>_lines.csv   document lines (or <type>_lines.xlsx)
    templates/*.yaml             voucher templates
    schemes.yaml                 automatic-generation schemes (optional)

:func:`load_case` reads it all and reports every problem of every file at once.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import docrefs
from .books import Books
from .chart import Chart
from .dimensions import read_dimensions
from .documents import DocumentType, Documents
from .masterdata import MasterData
from .problems import FinshareError, Problem, Source
from .rates import RateTable
from .schemes import Scheme, read_schemes
from .template import VoucherTemplate, load_template
from .textio import read_text


@dataclass
class Case:
    """Everything a posting run needs, loaded from one folder."""

    path: Path
    master: MasterData
    books: Books
    rates: RateTable
    doctypes: dict[str, DocumentType]
    documents: dict[str, Documents]
    templates: dict[str, VoucherTemplate]
    schemes: list[Scheme] = field(default_factory=list)
    #: Document files per type: (header CSV, lines CSV or None).
    document_files: dict[str, tuple[Path, Path | None]] = field(default_factory=dict)
    #: Whether ``documents`` holds the files' documents (False: the store is read instead).
    documents_loaded: bool = True

    def template_chart(self, template: VoucherTemplate) -> Chart:
        """The chart a template's fixed accounts are written in."""
        for b in self.books:
            if b.chart.name == template.chart:
                return b.chart
        return Chart.builtin(template.chart)

    def templates_for(self, doc_type: str) -> list[VoucherTemplate]:
        return [t for t in self.templates.values() if t.doc_type == doc_type]

    def find_document(self, number: str) -> tuple[str, Documents]:
        """The type and document set holding document ``number``."""
        for code, docs in self.documents.items():
            if number in docs.header.index:
                return code, docs
        raise FinshareError([Problem("unknown-document", f"单据 {number} 不存在 / no document {number}",
                                     Source(str(self.path / "documents"), document=number),
                                     "check the number in the documents CSV")])

    def _repr_html_(self) -> str:
        docs = ", ".join(f"{d.doctype.label_zh} {len(d)}" for d in self.documents.values())
        return (f"<b>案例 Case</b> {html.escape(str(self.path))}: {len(self.books)} books "
                f"({', '.join(self.books.codes())}); documents: {html.escape(docs)}; "
                f"templates: {', '.join(self.templates)}")

    def __repr__(self) -> str:
        return f"<Case {self.path.name}: books={self.books.codes()} documents={ {k: len(v) for k, v in self.documents.items()} }>"


def bundled_case(name: str = "fujian") -> Path:
    """The folder of a case that comes with finshare (``datasets/<name>`` of the checkout it is installed from)."""
    path = Path(__file__).resolve().parents[2] / "datasets" / name
    if not path.is_dir():
        raise FinshareError([Problem("missing-file", f"找不到案例 {name} / the case folder {name} is missing",
                                     Source(str(path)), "install finshare from its repository (pip install -e .)")])
    return path


def builtin_doctypes() -> dict[str, DocumentType]:
    folder = resources.files("finshare.data").joinpath("doctypes")
    return {p.name[:-5]: DocumentType.from_yaml(p.read_text(encoding="utf-8"), f"<built-in {p.name}>")
            for p in folder.iterdir() if p.name.endswith(".yaml")}


def _lines_without_header(folder: Path) -> list[Problem]:
    """A ``<type>_lines.csv`` whose ``<type>.csv`` is absent would be silently ignored."""
    problems = []
    for lines in sorted([*folder.glob("*_lines.csv"), *folder.glob("*_lines.xlsx")]):
        header = lines.with_name(lines.stem[:-len("_lines")] + lines.suffix)
        if not header.exists():
            problems.append(Problem(
                "missing-header-file", f"有分录文件 {lines.name}，却没有表头文件 {header.name} / "
                f"the lines file {lines.name} has no header file {header.name}", Source(str(lines)),
                f"add {header.name} with one row per document (or remove {lines.name})"))
    return problems


def _document_files(folder: Path, doctypes: dict) -> list[Path]:
    """Header files of a documents folder, a referenced type before the types that refer to it."""
    files = sorted(p for p in [*folder.glob("*.csv"), *folder.glob("*.xlsx")] if not p.stem.endswith("_lines"))
    rank = {c: i for i, c in enumerate(docrefs.read_order(doctypes, doctypes))}
    return sorted(files, key=lambda p: (rank.get(p.stem, -1), p.name))


def load_case(path: str | Path, documents: bool = True) -> Case:
    """Load a case folder; raise one :class:`FinshareError` listing all problems.

    Parameters
    ----------
    path : str or Path
        The case folder.
    documents : bool, default True
        Read and check the document files now. ``False`` (the command line)
        leaves them to :meth:`finshare.Ledger.sync`, which reads only files
        that changed since the store last imported them.

    Examples
    --------
    >>> case = load_case("datasets/fujian")                      # doctest: +SKIP
    >>> case.books.codes()                                       # doctest: +SKIP
    ['VN-MGT', 'CN-MGT', 'FJ-CAS', 'FJ-HKFRS']
    """
    path = Path(path)
    if not path.is_dir():
        raise FinshareError([Problem("missing-file", "案例文件夹不存在 / case folder not found", Source(str(path)),
                                     "give the path of a folder like datasets/fujian")])
    problems: list[Problem] = []

    def stage(fn, *args):
        try:
            return fn(*args)
        except FinshareError as exc:
            problems.extend(exc.problems)
            return None

    master = stage(MasterData.read, path / "masterdata")
    if master is None:
        raise FinshareError(problems, f"案例 {path} 有错误 / case {path} has problems")
    problems += read_dimensions(path / "dimensions.yaml", set(master.tables))
    books = stage(Books.read, path / "books.yaml", master["organisations"], path)
    rates = stage(RateTable.read, path / "rates.csv") or RateTable.empty()
    doctypes = builtin_doctypes()
    for p in sorted((path / "doctypes").glob("*.yaml")):
        dt = stage(lambda q: DocumentType.from_yaml(read_text(q), str(q)), p)
        if dt is not None:
            doctypes[dt.code] = dt
    problems += docrefs.problems_of(doctypes)
    docsets, files = {}, {}
    for p in _document_files(path / "documents", doctypes):
        if p.stem.endswith("_lines"):
            continue
        if p.suffix == ".xlsx" and p.with_suffix(".csv").exists():
            problems.append(Problem("two-document-files", f"{p.stem} 既有 CSV 又有 Excel 文件 / {p.stem} has both a CSV "
                                    "and an Excel file", Source(str(p)), "keep one of them"))
            continue
        dt = doctypes.get(p.stem)
        if dt is None:
            problems.append(Problem("unknown-doctype", f"文件名 {p.name} 不是已知单据类型 / unknown document type",
                                    Source(str(p)), f"name document files after a type: {', '.join(doctypes)}"))
            continue
        lines = p.with_name(f"{p.stem}_lines{p.suffix}")
        if not lines.exists() and any(f.required for f in dt.lines.fields):
            problems.append(Problem("missing-file", f"找不到分录文件 {lines.name} / the lines file is missing",
                                    Source(str(lines)), f"add {lines.name} with one row per document line"))
            continue
        files[dt.code] = (p, lines if lines.exists() else None)
        if not documents:
            continue
        docs = stage(Documents.read, dt, p, lines if lines.exists() else None, master,
                     docrefs.known_numbers(dt, docsets))
        if docs is not None:
            docsets[dt.code] = docs
    problems += _lines_without_header(path / "documents")
    templates = {}
    for p in sorted((path / "templates").glob("*.yaml")):
        t = stage(load_template, p, doctypes)
        if t is not None:
            if t.code in templates:
                problems.append(Problem("duplicate-code", f"模板编码 {t.code} 重复 / template code used twice",
                                        Source(str(p)), "give each template its own code"))
            templates[t.code] = t
    schemes = (stage(read_schemes, path / "schemes.yaml", templates, doctypes) or []) if not problems else []
    if problems:
        raise FinshareError(problems, f"案例 {path} 有错误 / case {path} has problems")
    return Case(path, master, books, rates, doctypes, docsets, templates, schemes, files, documents)
