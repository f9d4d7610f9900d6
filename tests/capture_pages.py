"""Hand-built captured pages (the values of real-looking invoices and receipts) for the capture tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from finshare.capture.context import CaptureContext
from finshare.core.masterdata import MasterData

ROOT = Path(__file__).resolve().parents[1]
YEAR = ROOT / "datasets" / "fujian-2020"
TODAY = dt.date(2021, 1, 31)
FJ = ("福建制造公司", "91350100M000100Y43")
S025 = ("长沙供应商21", "91350203N1MXTPDAFW")           # suppliers.csv
S015 = ("福州供应商11", None)


def context(**options) -> CaptureContext:
    return CaptureContext.from_master(MasterData.read(YEAR / "masterdata"), today=TODAY, **options)


def page(kind: str, family: str, values: dict, confidence: float = 0.97, file: str = "scan.png") -> dict:
    return {"file": file, "page": 1, "kind": kind, "family": family,
            "fields": {k: {"value": v, "confidence": confidence, "box": [10, 10, 100, 20]} for k, v in values.items()}}


def invoice_values(**over) -> dict:
    """增值税专用发票 of 长沙供应商21 to 福建制造公司: 27,030.00 + 13 % = 30,543.90."""
    values = {"invoice_code": "3500194130", "invoice_no": "04581726", "date": "2020-12-28",
              "buyer_name": FJ[0], "buyer_tax_id": FJ[1], "seller_name": S025[0], "seller_tax_id": S025[1],
              "amount": "27030.00", "tax_rate": "0.13", "tax": "3513.90", "total": "30543.90",
              "total_in_words": "⊗叁万零伍佰肆拾叁圆玖角"}
    values.update(over)
    return values


def invoice(family: str = "special", confidence: float = 0.97, file: str = "scan.png", **over) -> dict:
    return page("invoice", family, invoice_values(**over), confidence, file)


def receipt_values(**over) -> dict:
    """工商银行 回单: 深圳零售公司 (C001) pays 6,627.45 into 厦门工厂基本户 (B001)."""
    values = {"date": "2020-12-30", "payer_name": "深圳零售公司", "payer_account": "6222020200112233445",
              "payee_name": "厦门制造工厂", "payee_account": "4100021709024500001", "amount": "6627.45",
              "amount_in_words": "陆仟陆佰贰拾柒元肆角伍分", "memo": "货款", "serial_no": "ICBC20201230000123"}
    values.update(over)
    return values


def receipt(confidence: float = 0.97, file: str = "receipt.png", **over) -> dict:
    return page("receipt", "icbc", receipt_values(**over), confidence, file)
