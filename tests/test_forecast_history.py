"""Receivable history: schema, CSV/Excel loaders with a mapping file, and every kind of bad input."""
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from finshare.core.problems import FinshareError
from finshare.forecast.history import build_history, to_text
from finshare.forecast.loaders import load_history, read_mapping

ROOT = Path(__file__).resolve().parents[1]
HEAD = "invoice_id,customer_id,invoice_date,due_date,amount,currency,settled_date\n"
GOOD = HEAD + "0042,C1,2020-01-02,2020-02-01,1234.50,CNY,2020-02-05\n0043,C1,2020-01-03,2020-02-02,100,VND,\n"


def write(tmp_path, text, name="h.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems(tmp_path, text, mapping=None):
    with pytest.raises(FinshareError) as exc:
        load_history(write(tmp_path, text), mapping)
    return exc.value.problems


def test_a_canonical_csv_loads_exactly_with_leading_zeros_and_open_invoices(tmp_path):
    t = load_history(write(tmp_path, GOOD)).table
    assert list(t["invoice_id"]) == ["0042", "0043"]
    assert list(t["amount"]) == [123450, 100] and t["amount"].dtype == "int64"
    assert t["settled_date"].iloc[0] == pd.Timestamp("2020-02-05") and pd.isna(t["settled_date"].iloc[1])
    assert list(to_text(t)["amount"]) == ["1234.50", "100"] and to_text(t)["settled_date"].iloc[1] == ""


def test_a_mapping_with_every_key_reads_another_systems_export_and_ignores_the_answer_column(tmp_path):
    export = ("Inv,Cust,Date,Due,Amt,Paid,Dispute,Delivery,Country,Terms,Days Late\n"
              "007,K1,03/31/2020,04/30/2020,\"1,000.10\",05/10/2020,Yes,Electronic,CN,Net 30,10\n"
              "008,K1,04/01/2020,05/01/2020,5,,No,Paper,CN,30,\n")
    mapping = write(tmp_path, "columns: {invoice_id: Inv, customer_id: Cust, invoice_date: Date, due_date: Due,\n"
                              "  amount: Amt, settled_date: Paid, disputed: Dispute, paperless: Delivery,\n"
                              "  country: Country, payment_terms: Terms}\n"
                              'date_format: "%m/%d/%Y"\ntrue_values: [Yes, Electronic]\n'
                              "false_values: [No, Paper]\ncurrency: HKD\n", "map.yaml")
    m = read_mapping(mapping)
    assert m.currency == "HKD" and m.date_format == "%m/%d/%Y" and "electronic" in [v.lower() for v in m.true_values]
    t = load_history(write(tmp_path, export, "x.csv"), mapping).table
    assert "Days Late" not in t and list(t.columns) == ["invoice_id", "customer_id", "invoice_date", "due_date",
                                                        "amount", "currency", "settled_date", "disputed",
                                                        "paperless", "country", "payment_terms"]
    assert list(t["invoice_id"]) == ["007", "008"] and list(t["amount"]) == [100010, 500]
    assert list(t["currency"]) == ["HKD", "HKD"] and t["invoice_date"].iloc[0] == pd.Timestamp("2020-03-31")
    assert list(t["disputed"]) == [True, False] and list(t["paperless"]) == [True, False]
    assert list(t["payment_terms"]) == [30, 30] and list(t["country"]) == ["CN", "CN"]


def test_an_xlsx_export_loads_with_date_cells_and_text_ids(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "currency", "settled_date",
               "disputed"])
    ws.append(["00017", "C9", pd.Timestamp("2020-05-04").to_pydatetime(), "2020-06-03", 99.9, "CNY", None, True])
    path = tmp_path / "h.xlsx"
    wb.save(path)
    t = load_history(path).table
    assert t["invoice_id"].iloc[0] == "00017" and t["amount"].iloc[0] == 9990
    assert t["invoice_date"].iloc[0] == pd.Timestamp("2020-05-04") and t["due_date"].iloc[0] == pd.Timestamp("2020-06-03")
    assert bool(t["disputed"].iloc[0]) and pd.isna(t["settled_date"].iloc[0])


def test_the_committed_example_export_loads_through_its_mapping():
    h = load_history(ROOT / "datasets/ar-history/other_system.csv", ROOT / "datasets/ar-history/mapping.yaml")
    full = load_history(ROOT / "datasets/ar-history/history.csv").table.set_index("invoice_id")
    t = h.table.set_index("invoice_id")
    assert len(t) == 400 and (t["currency"] == "CNY").all() and len(h.excluded) == 0
    pd.testing.assert_series_equal(t["amount"], full.loc[t.index, "amount"])
    pd.testing.assert_series_equal(t["settled_date"], full.loc[t.index, "settled_date"])


def test_a_missing_column_is_named_with_the_fix(tmp_path):
    (p,) = problems(tmp_path, "invoice_id,customer_id,invoice_date,due_date,amount,currency\n1,C,2020-01-01,"
                              "2020-01-31,1,CNY\n")
    assert p.code == "missing-column" and p.source.field == "settled_date"
    assert p.message == "缺少列 settled_date（结清日期）/ column settled_date (settled date) is missing"


def test_a_mapped_column_absent_from_the_file_is_named(tmp_path):
    mapping = write(tmp_path, "columns: {invoice_id: Number}\n", "m.yaml")
    (p,) = problems(tmp_path, GOOD, mapping)
    assert p.code == "missing-column" and p.message.startswith(
        "映射的列 'Number'（invoice_id）不在文件中 / the mapping's column 'Number' (for invoice_id) is not in the file")


def test_a_date_that_does_not_parse_names_its_rows(tmp_path):
    (p,) = problems(tmp_path, HEAD + "1,C,2020-01-01,2020-01-31,1,CNY,\n2,C,2020-02-30,2020-03-01,1,CNY,\n")
    assert p.code == "bad-date" and p.source.line == 3 and p.source.field == "invoice_date"
    assert p.message == ("第 3 行的 invoice_date 不是日期（格式 %Y-%m-%d） / rows 3: invoice_date is not a date in the "
                         "format %Y-%m-%d")


def test_settled_before_invoiced_is_refused(tmp_path):
    (p,) = problems(tmp_path, HEAD + "1,C,2020-01-10,2020-02-09,1,CNY,2020-01-09\n")
    assert p.code == "settled-before-invoiced"
    assert p.message == "第 2 行的结清日期早于开票日期 / rows 2: settled_date is before invoice_date"


def test_a_negative_amount_is_refused(tmp_path):
    (p,) = problems(tmp_path, HEAD + "1,C,2020-01-10,2020-02-09,-5.00,CNY,\n")
    assert p.code == "negative-amount" and p.message == (
        "第 2 行的金额不大于零（红字发票不是应收） / rows 2: amount is zero or negative (a credit note is not a receivable)")


def test_duplicate_invoice_ids_name_every_repeat(tmp_path):
    (p,) = problems(tmp_path, HEAD + "07,C,2020-01-10,2020-02-09,5,CNY,\n08,C,2020-01-10,2020-02-09,5,CNY,\n"
                                     "07,D,2020-01-11,2020-02-10,5,CNY,\n")
    assert p.code == "duplicate-invoice" and p.message == (
        "第 2, 4 行的发票号重复 / rows 2, 4: the same invoice_id appears more than once")


def test_amount_currency_flag_terms_and_blank_faults_each_have_a_message(tmp_path):
    text = ("invoice_id,customer_id,invoice_date,due_date,amount,currency,settled_date,disputed,payment_terms\n"
            "1,C,2020-01-10,2020-02-09,1.234,CNY,,maybe,net\n2,,2020-01-10,2020-01-01,5,XYZ,,no,30\n")
    got = {p.code: p.message for p in problems(tmp_path, text)}
    assert got == {
        "bad-amount": "第 2 行的金额不是该币别的金额 / rows 2: amount is not a decimal amount of its currency",
        "bad-flag": "第 2 行的 disputed 不是“是/否” / rows 2: disputed is neither a true nor a false value",
        "bad-terms": "第 2 行的账期不是天数 / rows 2: payment_terms holds no number of days",
        "missing-value": "第 3 行的 customer_id 是空的 / rows 3: customer_id is empty",
        "unknown-currency": "第 3 行的币别未知 / rows 3: currency is not one finshare knows",
        "due-before-invoiced": "第 3 行的到期日早于开票日期 / rows 3: due_date is before invoice_date"}


def test_excluding_bad_rows_counts_and_lists_them(tmp_path):
    text = GOOD + "0044,C1,2020-01-04,2020-02-03,-1,CNY,\n0042,C2,2020-01-05,2020-02-04,1,CNY,\n"
    h = load_history(write(tmp_path, text), exclude_bad=True)
    assert list(h.table["invoice_id"]) == ["0043"] and h.excluded_rows == 3
    assert sorted(zip(h.excluded["line"], h.excluded["code"])) == [
        (2, "duplicate-invoice"), (4, "negative-amount"), (5, "duplicate-invoice")]
    assert "排除 3 行 / 3 rows excluded: duplicate-invoice 2, negative-amount 1" in h.summary()


def test_a_bad_mapping_key_is_named(tmp_path):
    with pytest.raises(FinshareError) as exc:
        read_mapping(write(tmp_path, "columns: {invoice: Number}\ndate_fmt: x\n", "m.yaml"))
    got = {(p.code, p.source.field): p.message for p in exc.value.problems}
    assert got == {("bad-mapping", "date_fmt"): "未知的键 'date_fmt' / unknown key 'date_fmt'",
                   ("bad-mapping", "columns.invoice"): "未知的规范列名 'invoice' / 'invoice' is not a history column"}


def test_build_history_without_a_file_uses_row_numbers_from_two():
    with pytest.raises(FinshareError) as exc:
        build_history(pd.DataFrame({"invoice_id": ["1"], "customer_id": ["C"], "invoice_date": ["2020-01-01"],
                                    "due_date": ["2020-01-31"], "amount": ["0"], "currency": ["CNY"],
                                    "settled_date": [""]}), "frame")
    assert [(p.code, p.source.line) for p in exc.value.problems] == [("negative-amount", 2)]
