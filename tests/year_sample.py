"""A small order-to-cash and procure-to-pay case: one document of each type, vouchers known by hand.

The Fujian case plus the year's templates (``finshare/generate/fujian/templates``),
an intercompany partner dimension, a product, an internal customer and
supplier, a Vietnamese bank account, and March 2020 documents of every type
on top of the receipts CG001–CG003. Amounts are chosen so each voucher can be
checked by hand.
"""
from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pandas as pd

from finshare.generate.year import partner_chart

FUJIAN = Path(__file__).resolve().parents[1] / "datasets" / "fujian"
#: Accounts that carry the intercompany partner (往来单位) in this case's CAS chart.
PARTNER_ACCOUNTS = ["1122", "220201", "6001", "6401"]

DOCUMENTS = {
    "opening_balance": (
        ["doc_no,date,org,currency,status", "QC001,2020-01-01,XM,CNY,approved"],
        ["doc_no,line_no,account,debit,credit,bank_account",
         "QC001,1,1002,500000.00,0,B001", "QC001,2,4001,0,500000.00,"]),
    "sales_outbound": (
        ["doc_no,date,org,customer,department,currency,status",
         "XS001,2020-03-12,XM,C001,XM-MKT,CNY,approved", "XS901,2020-03-16,VN,C900,,VND,approved"],
        ["doc_no,line_no,material,qty,cost", "XS001,1,P001,10,6000.00", "XS901,1,P001,5,9900000"]),
    "ar_invoice": (
        ["doc_no,date,org,customer,outbound,invoice_no,department,currency,status",
         "YS001,2020-03-12,XM,C001,XS001,20000001,XM-MKT,CNY,approved",
         "YS901,2020-03-16,VN,C900,XS901,,,VND,approved"],
        ["doc_no,line_no,material,qty,price,amount,tax_rate,tax,total",
         "YS001,1,P001,10,1000,10000.00,0.13,1300.00,11300.00",
         "YS901,1,P001,5,3300000,16500000,0,0,16500000"]),
    "receipt": (
        ["doc_no,date,org,customer,bank_account,invoice,currency,status",
         "SK001,2020-03-25,XM,C001,B001,YS001,CNY,approved"],
        ["doc_no,line_no,amount,purpose", "SK001,1,11300.00,货款"]),
    "ap_invoice": (
        ["doc_no,date,org,supplier,receipt,invoice_no,currency,status",
         "YF001,2020-03-20,XM,S001,CG001,30000001,CNY,approved"],
        ["doc_no,line_no,material,qty,amount,tax_rate,tax,total", "YF001,1,M001,1000,20000.00,0.13,2600.00,22600.00"]),
    "payment": (
        ["doc_no,date,org,supplier,bank_account,invoice,currency,status",
         "FK001,2020-03-28,XM,S001,B001,YF001,CNY,approved"],
        ["doc_no,line_no,amount,purpose", "FK001,1,22600.00,货款"]),
    "expense_claim": (
        ["doc_no,date,org,pay_mode,employee,department,bank_account,currency,status",
         "BX001,2020-03-18,XM,银行付款,E002,XM-MKT,B001,CNY,approved",
         "BX002,2020-03-19,XM,冲借款,E001,XM-PRD,,CNY,approved"],
        ["doc_no,line_no,item,amount", "BX001,1,差旅费,800.00", "BX001,2,招待费,450.50", "BX002,1,维修费,300.00"]),
    "fa_acquisition": (
        ["doc_no,date,org,supplier,department,invoice_no,currency,status",
         "ZC001,2020-03-06,XM,S002,XM-PRD,30000002,CNY,approved"],
        ["doc_no,line_no,asset,asset_name,category,amount,tax_rate,tax,total,life_cas,life_hkfrs,salvage_rate",
         "ZC001,1,FA001,数控机床,机器设备,100000.00,0.13,13000.00,113000.00,120,96,0.05"]),
    "payroll_accrual": (
        ["doc_no,date,org,currency,status", "GZ001,2020-03-31,XM,CNY,approved"],
        ["doc_no,line_no,department,amount", "GZ001,1,XM-ADM,30000.00", "GZ001,2,XM-MKT,20000.00",
         "GZ001,3,XM-PRD,50000.00"]),
}


def _append(path: Path, rows: list[str]) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")


def year_sample(dest: Path) -> Path:
    """Write the case folder at ``dest`` and return it."""
    shutil.copytree(FUJIAN, dest, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    folder = resources.files("finshare.generate").joinpath("fujian", "templates")
    for t in folder.iterdir():
        if t.name.endswith(".yaml"):
            (dest / "templates" / t.name).write_text(t.read_text(encoding="utf-8"), encoding="utf-8")
    (dest / "dimensions.yaml").write_text(
        "dimensions:\n  - {code: partner, label_zh: 往来单位, label_en: Intercompany partner, table: organisations}\n",
        encoding="utf-8")
    md = dest / "masterdata"
    _append(md / "materials.csv", ["P001,咖啡机,Coffee machine,台,产成品,1405"])
    _append(md / "bank_accounts.csv", ["B101,越南工厂基本户,Vietnam factory main account,VN,Vietcombank,0071001234567,VND"])
    for table, row in (("customers", "C900,厦门制造工厂（内部）,Xiamen factory (internal),,CNY,XM"),
                       ("suppliers", "S900,越南工厂（内部）,Vietnam factory (internal),,VND,VN")):
        frame = pd.read_csv(md / f"{table}.csv", dtype=str, keep_default_na=False)
        frame["org"] = ""
        frame.to_csv(md / f"{table}.csv", index=False)
        _append(md / f"{table}.csv", [row])
    _append(dest / "rates.csv", ["2020-01-01,CNY,VND,3300", "2020-01-01,CNY,HKD,1.10", "2020-01-01,HKD,VND,3000"])
    _with_partner_chart(dest)
    for code, (head, lines) in DOCUMENTS.items():
        (dest / "documents" / f"{code}.csv").write_text("\n".join(head) + "\n", encoding="utf-8")
        (dest / "documents" / f"{code}_lines.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


def _with_partner_chart(dest: Path) -> None:
    """The CAS chart with the partner on the intercompany accounts (written as text: loading a case with a
    new dimension registers it for the whole process, so the tests that use this case run the command line
    in a fresh process)."""
    partner_chart(dest, PARTNER_ACCOUNTS)
    books = (dest / "books.yaml").read_text(encoding="utf-8")
    (dest / "books.yaml").write_text(books.replace("chart: CAS}", "chart: charts/CAS.csv}"), encoding="utf-8")
