"""Draw a bank 电子回单 (ICBC, CCB, BOC, CMB) from its truth values.

Two layouts: ``side`` (付款人 and 收款人 side by side, ICBC and CMB) and
``rows`` (one ruled row per item, CCB and BOC); each bank has its own title,
colour, labels and date style, and a round red 电子回单专用章. Printed
amounts carry thousands separators (``¥12,345.60``); the truth keeps
``"12345.60"``.
"""
from __future__ import annotations

import numpy as np

from .layout import INK, Page
from .parties import BANKS

SIZE = (1240, 660)
#: bank → (title, colour, serial-number label, layout, date style)
STYLES = {"icbc": ("网上银行电子回单", (200, 30, 30), "电子回单号码：", "side", "iso"),
          "ccb": ("单位客户专用回单", (10, 60, 140), "流水号：", "rows", "cn"),
          "boc": ("国内支付业务回单", (160, 20, 40), "回单编号：", "rows", "cn"),
          "cmb": ("收付款业务回单", (190, 25, 35), "回单编号：", "side", "iso")}


def figures(amount: str) -> str:
    """``"12345.60"`` → ``"12,345.60"``."""
    whole, frac = amount.split(".")
    return f"{int(whole):,}.{frac}"


def _date_text(iso: str, style: str) -> str:
    y, m, d = iso.split("-")
    return iso if style == "iso" else f"{y}年{m}月{d}日"


def _amount_rows(page: Page, f: dict, y: int, left: int, color) -> None:
    """金额 in words (人民币 …) and in figures (¥ …) on two lines from ``y``."""
    page.text((left, y), "金额（大写）：", size=18, fill=color, anchor="lm")
    box = page.text((left + 130, y), "人民币", size=20, anchor="lm")
    page.fit("amount_in_words", (box[0] + box[2] + 8, y), f["amount_in_words"], 620, size=20, anchor="lm")
    page.text((left, y + 40), "金额（小写）：", size=18, fill=color, anchor="lm")
    box = page.text((left + 130, y + 40), "¥", size=20, anchor="lm")
    page.field("amount", (box[0] + box[2] + 6, y + 40), figures(f["amount"]), size=20, anchor="lm")


def _side(page: Page, truth: dict, color) -> int:
    """付款人 | 收款人 blocks side by side; returns the y below them."""
    f, extra = truth["fields"], truth["extra"]
    page.rect((40, 110, 1200, 560), color)
    page.vline(90, 110, 260, color), page.vline(620, 110, 260, color), page.vline(670, 110, 260, color)
    for x, label in ((65, "付款人"), (645, "收款人")):
        for i, ch in enumerate(label):
            page.text((x, 150 + 40 * i), ch, size=18, fill=color, anchor="mm")
    for x, who in ((100, "payer"), (680, "payee")):
        for i, (label, key) in enumerate((("户名", "name"), ("账号", "account"), ("开户银行", None))):
            y = 140 + 45 * i
            page.text((x, y), label + "：", size=17, fill=color, anchor="lm")
            if key:
                page.fit(f"{who}_{key}", (x + 95, y), f[f"{who}_{key}"], 420, size=20, anchor="lm")
            else:
                page.fit(None, (x + 95, y), extra[f"{who}_bank"], 420, size=19, anchor="lm")
    page.hline(40, 1200, 260, color)
    return 260


def _rows(page: Page, truth: dict, color) -> int:
    """Ruled rows: 付款人/收款人 名称, 账号, 开户行 in two columns; returns the y below them."""
    f, extra = truth["fields"], truth["extra"]
    page.rect((40, 110, 1200, 560), color)
    for i, (label, key) in enumerate((("名称", "name"), ("账号", "account"), ("开户行", None))):
        y = 110 + 50 * i
        page.hline(40, 1200, y + 50, color)
        for x, who, side in ((50, "payer", "付款人"), (630, "payee", "收款人")):
            page.text((x, y + 25), side + label, size=17, fill=color, anchor="lm")
            if key:
                page.fit(f"{who}_{key}", (x + 125, y + 25), f[f"{who}_{key}"], 430, size=20, anchor="lm")
            else:
                page.fit(None, (x + 125, y + 25), extra[f"{who}_bank"], 430, size=19, anchor="lm")
    page.vline(620, 110, 260, color), page.vline(165, 110, 260, color), page.vline(745, 110, 260, color)
    return 260


def draw_receipt(truth: dict, rng: np.random.Generator) -> Page:
    """The page of a receipt truth (``family`` = bank, ``fields``, ``extra``)."""
    bank, f, extra = truth["family"], truth["fields"], truth["extra"]
    title, color, serial_label, layout, date_style = STYLES[bank]
    page = Page(SIZE)
    name = BANKS[bank][0]
    page.text((620, 48), f"{name}  {title}", size=32, style="bold", fill=color, anchor="mm")
    page.hline(380, 860, 78, color, 2)
    box = page.text((40, 95), serial_label, size=17, fill=color, anchor="lm")
    page.field("serial_no", (box[0] + box[2] + 6, 95), f["serial_no"], size=19, anchor="lm")
    y = (_side if layout == "side" else _rows)(page, truth, color)
    _amount_rows(page, f, y + 30, 60, color)
    page.hline(40, 1200, y + 100, color)
    page.text((60, y + 130), "摘要/用途：", size=18, fill=color, anchor="lm")
    page.field("memo", (190, y + 130), f["memo"], size=20, anchor="lm")
    page.text((60, y + 175), "交易时间：", size=18, fill=color, anchor="lm")
    box = page.field("date", (190, y + 175), _date_text(f["date"], date_style), size=20, anchor="lm")
    page.text((box[0] + box[2] + 14, y + 175), extra["time"], size=20, anchor="lm")
    page.text((60, y + 220), "币种：人民币      交易渠道：网上银行", size=17, fill=INK, anchor="lm")
    cx, cy = int(1030 + rng.integers(-25, 26)), int(470 + rng.integers(-15, 16))
    page.stamp((cx, cy), 78, name + "电子回单专用章", ())
    page.text((40, 600), f"打印时间：{f['date']}  本回单仅作为收付款凭证，不作为收款方发货依据", size=15, fill=INK,
              anchor="lm")
    return page
