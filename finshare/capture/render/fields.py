"""The truth values of a rendered page, drawn from a seeded generator before anything is drawn.

Money is integer fen: a line's 税额 is ``金额 × 税率`` rounded half up
(``(amount * rate_percent + 50) // 100``), totals are sums, 价税合计 =
金额 + 税额 exactly. Text fields follow the capture contract: amounts
``"1234.50"``, dates ``YYYY-MM-DD``, ``tax_rate`` a fraction (``"0.13"``).
Codes follow DOMAIN.md §4.1: 数电票 20-digit numbers and no code; 专票
10-digit codes (8th digit 1 or 5); 普票 12-digit codes ending 04/05 and
电子普票 ending 11, both with a 20-digit 校验码; old numbers 8 digits.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from ..numerals import amount_in_words
from .parties import BANKS, OTHER_BANKS, OUR, Party

INVOICE_FAMILIES = ("digital_special", "digital_normal", "special", "normal", "e_normal")
RECEIPT_FAMILIES = tuple(BANKS)
#: (税收分类简称, 项目名称, 单位, 规格型号, rate %) — the general taxpayer's rate by what is sold
CATALOGUE = [("咖啡", "生咖啡豆", "千克", "1kg/袋", 9), ("咖啡", "烘焙咖啡豆", "千克", "500g/袋", 13),
             ("纸制品", "复印纸", "箱", "A4 70g", 13), ("办公用品", "文件夹", "个", "A4", 13),
             ("金属制品", "不锈钢板", "张", "1.5mm", 13), ("电机", "交流电动机", "台", "Y2-90L", 13),
             ("电子元件", "印刷电路板", "片", "PCB-4L", 13), ("塑料制品", "包装袋", "个", "40×60", 13),
             ("纸制品", "瓦楞纸箱", "个", "600×400", 13), ("运输服务", "国内道路货物运输服务", "次", "", 9),
             ("广告服务", "广告制作费", "项", "", 6), ("信息技术服务", "软件维护服务", "项", "", 6),
             ("现代服务", "咨询服务费", "项", "", 6), ("餐饮服务", "餐饮服务", "次", "", 6)]
MEMOS = ["货款", "采购款", "服务费", "往来款", "运输费", "广告费", "设备款", "咨询费", "预付款", "材料款"]
CLERKS = ["王芳", "李娜", "张伟", "陈静", "林敏", "黄丽", "吴强", "郑洁"]


def money(fen: int) -> str:
    """``123450`` → ``"1234.50"``."""
    return f"{fen // 100}.{fen % 100:02d}"


def _date(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(map(str, rng.integers(0, 10, n)))


def _codes(rng: np.random.Generator, family: str, date: dt.date, seller: Party) -> dict:
    """发票代码, 发票号码 and, where the family has them, 校验码, 机器编号 and the 密码区 lines."""
    yy = f"{date.year % 100:02d}"
    if family.startswith("digital"):
        return {"invoice_code": "", "invoice_no": yy + seller.tax_id[2:4] + "2" + _digits(rng, 15)}
    region = seller.tax_id[2:6]
    version = f"{date.year % 100 - int(rng.integers(0, 2)):02d}"
    if family == "special":
        code = region + version + str(rng.integers(1, 4)) + str(rng.choice(["1", "5"])) + "30"
    else:
        code = "0" + region + version + f"{int(rng.integers(1, 400)):03d}" + (
            "11" if family == "e_normal" else str(rng.choice(["04", "05"])))
    extra = {"machine_no": "66" + _digits(rng, 10),
             "cipher": ["".join(rng.choice(list("0123456789+-*/<>"), 28)) for _ in range(4)]}
    if family != "special":
        extra["check_code"] = _digits(rng, 20)
    return {"invoice_code": code, "invoice_no": _digits(rng, 8), **extra}


def _lines(rng: np.random.Generator, rate: int, small: bool) -> list[dict]:
    """1–4 item lines at one rate; 金额 = 数量 × 单价 or a free amount whose 单价 has many decimals."""
    pool = [c for c in CATALOGUE if small or c[4] == rate]
    items = []
    for _ in range(int(rng.integers(1, 5))):
        abbr, name, unit, spec, _r = pool[int(rng.integers(len(pool)))]
        qty = int(rng.integers(1, 200)) if spec else 1
        if rng.random() < 0.5:
            price_fen = int(rng.integers(100, 300_000)) if spec else int(rng.integers(50_000, 5_000_000))
            amount, price = qty * price_fen, money(price_fen)
        else:
            amount = int(rng.integers(10_000, 20_000_000))
            price = format((Decimal(amount) / 100 / qty).quantize(Decimal("1e-8")).normalize(), "f")
        tax = (amount * rate + 50) // 100                       # half up, per line, in fen
        items.append({"name": f"*{abbr}*{name}", "spec": spec, "unit": unit, "qty": str(qty), "price": price,
                      "amount": money(amount), "tax_rate": f"{rate}%", "tax": money(tax),
                      "amount_fen": amount, "tax_fen": tax})
    return items


def draw_invoice(rng: np.random.Generator, family: str, sellers: list[Party]) -> dict:
    """The truth of one invoice: ``fields`` (contract names → text), ``items`` and ``extra`` (printed, not fields)."""
    digital = family.startswith("digital")
    date = _date(rng, dt.date(2022 if digital else 2020, 1, 1), dt.date(2025, 12, 31) if digital
                 else dt.date(2024, 11, 30))
    seller = sellers[int(rng.integers(len(sellers)))]
    small = rng.random() < 0.2                                  # small-scale seller: 征收率 3 % or 1 %
    rate = int(rng.choice([3, 1])) if small else int(rng.choice([13, 9, 6], p=[0.6, 0.2, 0.2]))
    items = _lines(rng, rate, small)
    amount = sum(i.pop("amount_fen") for i in items)
    tax = sum(i.pop("tax_fen") for i in items)
    codes = _codes(rng, family, date, seller)
    fields = {"invoice_code": codes.pop("invoice_code"), "invoice_no": codes.pop("invoice_no"),
              "date": date.isoformat(), "buyer_name": OUR.name, "buyer_tax_id": OUR.tax_id,
              "seller_name": seller.name, "seller_tax_id": seller.tax_id, "amount": money(amount),
              "tax_rate": f"{rate / 100:.2f}", "tax": money(tax), "total": money(amount + tax),
              "total_in_words": amount_in_words(amount + tax, unit="圆")}
    codes["clerk"] = str(rng.choice(CLERKS))
    return {"fields": fields, "items": items, "extra": codes}


def _account(rng: np.random.Generator) -> str:
    return str(rng.choice(["6", "4", "1", "3"])) + _digits(rng, int(rng.choice([15, 16, 18])))


def draw_receipt(rng: np.random.Generator, bank: str, ours: Party, others: list[Party]) -> dict:
    """The truth of one bank 回单 of ``ours`` at ``bank``: we pay or we are paid (even odds)."""
    other = others[int(rng.integers(len(others)))]
    other = Party(other.name, other.tax_id, str(rng.choice(OTHER_BANKS)) + "厦门分行", _account(rng))
    payer, payee = (ours, other) if rng.random() < 0.5 else (other, ours)
    fen = int(rng.integers(1_000, 50_000_000))
    when = _date(rng, dt.date(2020, 1, 1), dt.date(2025, 12, 31))
    memo = str(rng.choice(MEMOS))
    serial = {"icbc": 12, "ccb": 20, "boc": 16, "cmb": 14}[bank]
    fields = {"date": when.isoformat(), "payer_name": payer.name, "payer_account": payer.account,
              "payee_name": payee.name, "payee_account": payee.account, "amount": money(fen),
              "amount_in_words": amount_in_words(fen, unit="元"), "memo": memo, "serial_no": _digits(rng, serial)}
    extra = {"payer_bank": payer.bank, "payee_bank": payee.bank,
             "time": f"{int(rng.integers(8, 18)):02d}:{int(rng.integers(0, 60)):02d}:{int(rng.integers(0, 60)):02d}",
             "direction": "out" if payer is ours else "in"}
    return {"fields": fields, "items": [], "extra": extra}
