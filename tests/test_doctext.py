"""Documents as canonical text: the text the store keeps per document, written out here row by row in Python."""
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from finshare.core import columns as C
from finshare.core import money
from finshare.core.doctext import FIELD_SEP, LINE_SEP, canonical
from finshare.core.documents import DocumentType, Documents
from finshare.core.masterdata import MasterData

ROOT = Path(__file__).resolve().parents[1]
MASTER = MasterData.from_frames(
    organisations=pd.DataFrame({"code": ["XM"], "name_zh": ["厦门制造工厂"], "name_en": ["Xiamen"],
                                "kind": ["business_unit"], "currency": ["CNY"]}),
    suppliers=pd.DataFrame({"code": ["S001", "S002"], "name_zh": ["瑞幸咖啡", "办公用品供应商"], "name_en": ["A", "B"]}),
    departments=pd.DataFrame({"code": ["XM-ADM"], "name_zh": ["行政部"], "name_en": ["Admin"], "org": ["XM"],
                              "attribute": ["管理"]}),
    materials=pd.DataFrame({"code": ["M001", "M002"], "name_zh": ["咖啡", "办公用品"], "name_en": ["C", "O"],
                            "account": ["1403", "1403"]}),
)

# one document: (currency, day, supplier, department, remark, lines); a line: (material, qty, amount in minor units)
LINE = st.tuples(st.sampled_from(["M001", "M002"]), st.integers(1, 10**6), st.integers(-10**12, 10**12))
DOC = st.tuples(st.sampled_from(["CNY", "VND", "HKD"]), st.integers(0, 3000), st.sampled_from(["S001", "S002"]),
                st.sampled_from(["XM-ADM", ""]), st.sampled_from(["", "急件", "a, b"]), st.lists(LINE, max_size=3))


def _amount(minor: int, currency: str) -> str:
    """An amount as the store prints it: the currency's decimals, no thousands separator."""
    return f"{Decimal(minor).scaleb(-money.EXPONENTS[currency]):f}"


def _csv_tables(docs: list, shuffle: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    head, lines = [], []
    for i, (cur, day, sup, dept, remark, items) in enumerate(docs):
        number = f"PR{i:05d}"
        date = (np.datetime64("2000-01-01") + day).astype(str)
        head.append([number, date, "XM", "标准采购", sup, dept, cur, "approved", remark])
        lines += [[number, str(k + 1), m, str(q), _amount(a, cur)] for k, (m, q, a) in enumerate(items)]
    raw_h = pd.DataFrame(head, columns=["doc_no", "date", "org", "biz_type", "supplier", "department", "currency",
                                        "status", "remark"], dtype="str")
    raw_l = pd.DataFrame(lines, columns=["doc_no", "line_no", "material", "qty", "amount"], dtype="str")
    if shuffle and len(raw_l):                     # lines out of header order take the hashed match
        raw_l = raw_l.sample(frac=1, random_state=shuffle).reset_index(drop=True)
    return raw_h, raw_l


def _expected(docs: list) -> list[tuple[str, str]]:
    """Header and lines text of each document, built field by field as the layout says (a blank amount is 0)."""
    out = []
    for cur, day, sup, dept, remark, items in docs:
        date = (np.datetime64("2000-01-01") + day).astype(str)
        header = FIELD_SEP.join([date, "XM", "标准采购", sup, dept, cur, "", remark])
        lines = LINE_SEP.join(FIELD_SEP.join([str(k + 1), m, str(q), "", _amount(a, cur), _amount(0, cur)])
                              for k, (m, q, a) in enumerate(items))
        out.append((header, lines))
    return out


@settings(max_examples=25, deadline=None)
@given(st.lists(DOC, min_size=1, max_size=12), st.integers(0, 3))
def test_canonical_text_is_each_documents_fields_in_layout_order(docs, shuffle):
    raw_h, raw_l = _csv_tables(docs, shuffle)
    got = canonical(Documents.from_text(DocumentType.builtin("purchase_receipt"), raw_h, raw_l, MASTER))
    assert list(zip(got["header"], got["lines"])) == _expected(docs)
    assert got["number"].tolist() == [f"PR{i:05d}" for i in range(len(docs))]


def test_lines_take_their_header_currency_and_lookups_whatever_their_order():
    raw_h, raw_l = _csv_tables([("VND", 0, "S001", "XM-ADM", "", [("M001", 1, 5)]),
                                ("CNY", 1, "S002", "", "", [("M002", 2, 5), ("M001", 1, -7)])], shuffle=1)
    docs = Documents.from_text(DocumentType.builtin("purchase_receipt"), raw_h, raw_l, MASTER)
    by_no = docs.lines.set_index(["doc_no", "line_no"])
    assert by_no["amount"].to_dict() == {("PR00000", 1): 5, ("PR00001", 1): 5, ("PR00001", 2): -7}
    assert by_no["material_name"].to_dict() == {("PR00000", 1): "咖啡", ("PR00001", 1): "办公用品",
                                                ("PR00001", 2): "咖啡"}
    assert docs.header["dept_attr"].tolist()[0] == "管理" and pd.isna(docs.header["dept_attr"].tolist()[1])


@given(st.lists(st.sampled_from(["a", "b", "c", "d", "", None]), max_size=30),
       st.lists(st.sampled_from(["a", "b", "c", "e"]), unique=True))
def test_positions_agree_with_a_dictionary_lookup(values, keys):
    where = {k: i for i, k in enumerate(keys)}
    assert C.positions(pd.Series(values, dtype="str"), pd.Index(keys, dtype="str")).tolist() == \
        [where.get(v, -1) for v in values]


def test_positions_of_lines_in_header_order_by_runs():
    keys = pd.Index(["A1", "A2", "A3"], dtype="str")
    assert C.positions(pd.Series(["A1", "A1", "A2", "A3", "A3"], dtype="str"), keys).tolist() == [0, 0, 1, 2, 2]
    assert C.positions(pd.Series(["A1", "A3"], dtype="str"), keys).tolist() == [0, 2]        # A2 without lines


@given(st.lists(st.tuples(st.integers(-10**15, 10**15), st.sampled_from(["CNY", "VND", "HKD", "XXX", None]))))
def test_exponents_and_amount_text_agree_with_decimal(rows):
    minor = np.array([m for m, _ in rows], dtype="int64")
    exp = money.exponents(pd.Series([c for _, c in rows], dtype=object))
    assert exp.tolist() == [money.EXPONENTS.get(c, -1) if c else -1 for _, c in rows]
    width = np.maximum(exp, 0)
    assert money.format_amounts(minor, width).tolist() == \
        [f"{Decimal(int(m)).scaleb(-int(e)):f}" for m, e in zip(minor, width)]


def test_the_command_line_does_not_import_parquet_or_croniter_until_needed():
    code = ("import sys, finshare.cli, finshare.core.export, finshare.core.schemes as s;"
            "print(sorted(m for m in ('pyarrow.parquet', 'croniter') if m in sys.modules));"
            "import finshare.core.tablefiles as tf; print(s._cron_valid('0 2 * * *'), s._cron_valid('nonsense'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True False"]


def _python_decimal_text(x: float) -> str:
    """How a decimal field was printed row by row: Python's ``str``, a trailing ``.0`` dropped, NaN blank."""
    if x != x:
        return ""
    text = str(x)
    return text[:-2] if text.endswith(".0") else text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=60))
def test_decimal_text_prints_as_python_does(values):
    """Stored documents compare by this text: printing through pyarrow must not change a single character."""
    from finshare.core.doctext import decimal_text
    got = decimal_text(np.array(values, dtype="float64")).to_pylist()
    assert got == [_python_decimal_text(v) for v in values]


def test_decimal_text_at_the_magnitudes_where_pyarrow_and_python_differ():
    from finshare.core.doctext import decimal_text
    values = [0.0, -0.0, 2.5, 3.0, 0.1 + 0.2, 1e-3, 0.00099999, 1e-5, 999999999.5, 1e9, 123456789012345.0,
              999999999999999.9, 1e15, 1e16, 1e21, 5e-324, float("inf"), float("nan")]
    assert decimal_text(np.array(values)).to_pylist() == [_python_decimal_text(v) for v in values]
