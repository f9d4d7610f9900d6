"""Bad input gives one clear FinshareError naming file, line, field and fix; never a traceback.

Each test copies the Fujian case (``case_dir``), breaks one file the way a
user would, and pins the problem's code and bilingual message.
"""
from decimal import Decimal

import pytest

import finshare
from finshare import FinshareError

HEADER = "documents/purchase_receipt.csv"
LINES = "documents/purchase_receipt_lines.csv"
TEMPLATE = "templates/purchase_receipt.yaml"


def read(case_dir, rel):
    return (case_dir / rel).read_text(encoding="utf-8")


def write(case_dir, rel, text, encoding="utf-8"):
    (case_dir / rel).write_text(text, encoding=encoding)


def replace(case_dir, rel, old, new):
    text = read(case_dir, rel)
    assert old in text, old
    write(case_dir, rel, text.replace(old, new))


def problems_of(case_dir, post=False):
    """Every problem of loading (and, if ``post``, posting) the case."""
    with pytest.raises(FinshareError) as info:
        case = finshare.load_case(case_dir)
        if post:
            finshare.Ledger(case, "sqlite://").post()
    return info.value.problems


def only(case_dir, post=False):
    (p,) = problems_of(case_dir, post)
    return p


# ------------------------------------------------------------------ encodings
def test_a_gbk_csv_of_documents_loads_with_its_chinese_text(case_dir):
    write(case_dir, HEADER, read(case_dir, HEADER), encoding="gbk")
    raw = (case_dir / HEADER).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    case = finshare.load_case(case_dir)
    header = case.documents["purchase_receipt"].header
    assert header.loc["CG002", "biz_type"] == "费用采购"
    assert header.loc["CG002", "remark"] == "行政部办公用品"
    assert header.loc["CG003", "dept_attr"] == "销售"
    result = finshare.Ledger(case, "sqlite://").post()
    assert result.documents == 3


def test_a_gb18030_master_data_csv_and_a_gbk_template_load(case_dir):
    rel = "masterdata/departments.csv"
    write(case_dir, rel, read(case_dir, rel), encoding="gb18030")
    write(case_dir, TEMPLATE, read(case_dir, TEMPLATE), encoding="gbk")
    case = finshare.load_case(case_dir)
    assert case.master["departments"].loc["XM-ADM", "name_zh"] == "行政部"
    assert str(case.templates["PR"].classes[1].lines[0].when) == '部门属性 == "管理"'


def test_a_file_in_neither_utf8_nor_gbk_is_refused(case_dir):
    (case_dir / LINES).write_bytes(b"doc_no,line_no\n\xff\xfe\xff,1\n")
    p = only(case_dir)
    assert p.code == "bad-encoding"
    assert p.message == "文件既不是 UTF-8 也不是 GBK/GB18030 文本 / the file is neither UTF-8 nor GBK/GB18030 text"
    assert p.source.file.endswith("purchase_receipt_lines.csv")
    assert "UTF-8" in p.hint


# ------------------------------------------------------------------ CSV shape
def test_an_empty_csv_is_refused_with_its_name(case_dir):
    write(case_dir, LINES, "")
    p = only(case_dir)
    assert p.code == "empty-file"
    assert p.message == "文件是空的 / the file is empty: it has no header line"
    assert p.source.file.endswith("purchase_receipt_lines.csv") and p.source.line == 1
    assert "header line" in p.hint


@pytest.mark.parametrize("row, saw", [("CG002,1,M002,1000,10,10000.00,5,6", 8),
                                      ("CG002,1,M002,1000,10,10000.00,", 7)])
def test_a_row_with_too_many_fields_or_a_trailing_comma_names_the_line(case_dir, row, saw):
    replace(case_dir, LINES, "CG002,1,M002,1000,10,10000.00", row)
    p = only(case_dir)
    assert p.code == "csv-too-many-fields"
    assert p.message == f"第 3 行有 {saw} 个字段，表头只有 6 个 / line 3 has {saw} fields, the header has 6"
    assert p.source.file.endswith("purchase_receipt_lines.csv") and p.source.line == 3
    assert "trailing comma" in p.hint


def test_a_trailing_comma_on_every_line_shifts_nothing(case_dir):
    text = "".join(line + ",\n" for line in read(case_dir, LINES).splitlines())
    write(case_dir, LINES, text)
    lines = finshare.load_case(case_dir).documents["purchase_receipt"].lines
    assert list(lines["material"]) == ["M001", "M002", "M003"]
    assert list(lines["amount"]) == [2000000, 1000000, 500000]


def test_a_trailing_comma_on_data_lines_only_is_refused(case_dir):
    lines = read(case_dir, LINES).splitlines()
    write(case_dir, LINES, "\n".join([lines[0]] + [x + "," for x in lines[1:]]) + "\n")
    p = only(case_dir)
    assert p.code == "csv-too-many-fields" and p.source.line == 2


def test_an_unterminated_quote_names_the_line(case_dir):
    replace(case_dir, LINES, "CG002,1,M002", 'CG002,1,"M002')
    p = only(case_dir)
    assert p.code == "csv-unclosed-quote"
    assert p.message == '第 3 行的引号没有结束 / the quote " opened on line 3 is never closed'
    assert p.source.line == 3
    assert '""' in p.hint


def test_a_column_named_twice_is_refused(case_dir):
    replace(case_dir, LINES, "doc_no,line_no,material", "doc_no,line_no,line_no")
    p = only(case_dir)
    assert p.code == "duplicate-column"
    assert p.message == "列名 'line_no' 出现两次 / column 'line_no' appears twice in the header"
    assert (p.source.line, p.source.field) == (1, "line_no")


def test_values_under_a_blank_column_name_are_refused(case_dir):
    replace(case_dir, LINES, "doc_no,line_no,material,qty,price,amount", "doc_no,line_no,material,qty,price,amount,")
    replace(case_dir, LINES, "CG003,1,M003,1000,5,5000.00", "CG003,1,M003,1000,5,5000.00,x")
    p = only(case_dir)
    assert p.code == "unnamed-column"
    assert p.message == "第 7 列没有列名 / column 7 has values but no name"
    assert p.source.line == 4


# ------------------------------------------------------------------------ YAML
def test_a_key_written_twice_in_books_yaml_is_refused(case_dir):
    replace(case_dir, "books.yaml", "    policy: CAS\n", "    policy: CAS\n    policy: HKFRS\n")
    p = only(case_dir)
    assert p.code == "duplicate-key"
    assert p.message == "键 'policy' 在第 47 行和第 48 行重复 / key 'policy' is written twice (lines 47 and 48)"
    assert p.source.file.endswith("books.yaml") and (p.source.line, p.source.field) == (48, "policy")
    assert "keep one" in p.hint


def test_a_key_written_twice_in_a_template_is_refused(case_dir):
    replace(case_dir, TEMPLATE, '        when: 部门属性 == "销售"\n',
            '        when: 部门属性 == "销售"\n        when: 部门属性 == "管理"\n')
    p = only(case_dir)
    assert p.code == "duplicate-key"
    assert "key 'when' is written twice" in p.message
    assert p.source.file.endswith("purchase_receipt.yaml") and p.source.line == 46


def test_yaml_merge_keys_may_still_be_overridden():
    from finshare.core.yamlio import load_yaml

    body = load_yaml("base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n")
    assert body["child"] == {"a": 1, "b": 3}
