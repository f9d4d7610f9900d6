"""Draw a VAT invoice (增值税发票) of any family from its truth values.

数电票 (``digital_special``, ``digital_normal``): red title 电子发票（…）,
发票号码/开票日期 top right, 购买方信息/销售方信息 side by side, the item table,
合计, 价税合计 大写 (⊗) and 小写 (¥), 备注, 开票人. Older families (``special``,
``normal``, ``e_normal``): the province's title over the 监制章, 机器编号,
发票代码/号码/日期 (and 校验码), 购买方 with 密码区, the ruled item table,
销售方 with 备注 and the seller's 发票专用章. Printed values on the older
families are shifted a few pixels, like a misaligned printer.
"""
from __future__ import annotations

import numpy as np

from .layout import INK, RED, Page
from .parties import PROVINCES

SIZE = (1400, 860)
BROWN = (150, 75, 40)
TITLES = {"digital_special": "电子发票（增值税专用发票）", "digital_normal": "电子发票（普通发票）",
          "special": "增值税专用发票", "normal": "增值税普通发票", "e_normal": "增值税电子普通发票"}
HEAD_NEW = ["项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额"]
HEAD_OLD = ["货物或应税劳务、服务名称", "规格型号", "单位", "数量", "单价", "金额", "税率", "税额"]
#: column edges of the item table
COLS = [50, 370, 490, 560, 650, 820, 1010, 1120, 1350]


def cn_date(iso: str) -> str:
    """``2024-05-06`` → ``2024年05月06日`` as printed."""
    y, m, d = iso.split("-")
    return f"{y}年{m}月{d}日"


def _vertical(page: Page, x: int, top: int, bottom: int, label: str, color) -> None:
    """A label written top to bottom, centred in a narrow column."""
    step = (bottom - top) / (len(label) + 1)
    for i, ch in enumerate(label):
        page.text((x, int(top + step * (i + 1))), ch, size=18, fill=color, anchor="mm")


def _items(page: Page, truth: dict, top: int, head: list[str], color, jitter) -> int:
    """Header, item lines and the 合计 row; returns the y below 合计."""
    for i, h in enumerate(head):
        page.fit(None, ((COLS[i] + COLS[i + 1]) // 2, top + 16), h, COLS[i + 1] - COLS[i] - 6, size=17,
                 fill=color, anchor="mm")
    for r, item in enumerate(truth["items"]):
        y = top + 48 + 34 * r + jitter[1]
        x = jitter[0]
        page.fit(None, (COLS[0] + 6 + x, y), item["name"], COLS[1] - COLS[0] - 10, size=18, anchor="lm")
        for c, key in ((1, "spec"), (2, "unit")):
            page.fit(None, ((COLS[c] + COLS[c + 1]) // 2 + x, y), item[key], COLS[c + 1] - COLS[c] - 6, size=17,
                     anchor="mm")
        for c, key in ((3, "qty"), (4, "price"), (5, "amount"), (7, "tax")):
            page.fit(None, (COLS[c + 1] - 8 + x, y), item[key], COLS[c + 1] - COLS[c] - 10, size=18, anchor="rm")
        box = page.text(((COLS[6] + COLS[7]) // 2 + x, y), item["tax_rate"], size=18, anchor="mm")
        if r == 0:
            page.boxes["tax_rate"] = box
    y = top + 48 + 34 * 5 + 14
    f = truth["fields"]
    page.text((COLS[0] + 60, y), "合        计", size=18, fill=color, anchor="lm")
    for c, key in ((5, "amount"), (7, "tax")):
        box = page.field(key, (COLS[c + 1] - 8 + jitter[0], y + jitter[1]), f[key], size=19, anchor="rm")
        page.text((box[0] - 4, y + jitter[1]), "¥", size=19, anchor="rm")
    return y + 22


def _totals(page: Page, truth: dict, top: int, color, jitter) -> None:
    """价税合计（大写）⊗ words …（小写）¥ figures, in a row 44 pixels high."""
    f, y = truth["fields"], top + 22
    page.text((COLS[0] + 10, y), "价税合计（大写）", size=18, fill=color, anchor="lm")
    page.text((COLS[0] + 210 + jitter[0], y + jitter[1]), "⊗", size=20, anchor="lm")
    page.fit("total_in_words", (COLS[0] + 240 + jitter[0], y + jitter[1]), f["total_in_words"], 560, size=20,
             anchor="lm")
    page.text((900, y), "（小写）", size=18, fill=color, anchor="lm")
    page.text((990 + jitter[0], y + jitter[1]), "¥", size=20, anchor="lm")
    page.field("total", (1012 + jitter[0], y + jitter[1]), f["total"], size=20, anchor="lm")


def _party_new(page: Page, left: int, right: int, name: str, tax_id: str, fields: tuple[str, str]) -> None:
    page.text((left, 150), "名称：", size=18, fill=BROWN, anchor="lm")
    page.fit(fields[0], (left + 60, 150), name, right - left - 70, size=20, anchor="lm")
    label = page.text((left, 205), "统一社会信用代码/纳税人识别号：", size=16, fill=BROWN, anchor="lm")
    page.field(fields[1], (label[0] + label[2] + 4, 205), tax_id, size=20, anchor="lm")


def draw_digital(truth: dict, rng: np.random.Generator) -> Page:
    """A 数电票 (电子发票（增值税专用发票） or 电子发票（普通发票）)."""
    page, f = Page(SIZE), truth["fields"]
    page.qr(rng, 60, 18)
    page.text((700, 58), TITLES[truth["family"]], size=34, style="bold", fill=RED, anchor="mm")
    page.hline(470, 930, 88, RED, 2), page.hline(470, 930, 93, RED, 2)
    page.text((980, 45), "发票号码：", size=18, fill=BROWN, anchor="lm")
    page.field("invoice_no", (1075, 45), f["invoice_no"], size=19, anchor="lm")
    page.text((980, 80), "开票日期：", size=18, fill=BROWN, anchor="lm")
    page.field("date", (1075, 80), cn_date(f["date"]), size=19, anchor="lm")
    page.rect((50, 120, 1350, 770), BROWN)
    page.vline(90, 120, 240, BROWN), page.vline(700, 120, 240, BROWN), page.vline(740, 120, 240, BROWN)
    _vertical(page, 70, 120, 240, "购买方信息", BROWN), _vertical(page, 720, 120, 240, "销售方信息", BROWN)
    _party_new(page, 100, 690, f["buyer_name"], f["buyer_tax_id"], ("buyer_name", "buyer_tax_id"))
    _party_new(page, 750, 1340, f["seller_name"], f["seller_tax_id"], ("seller_name", "seller_tax_id"))
    page.hline(50, 1350, 240, BROWN)
    y = _items(page, truth, 240, HEAD_NEW, BROWN, (0, 0))
    page.hline(50, 1350, y, BROWN)
    _totals(page, truth, y, BROWN, (0, 0))
    page.hline(50, 1350, y + 44, BROWN)
    page.vline(90, y + 44, 770, BROWN)
    _vertical(page, 70, y + 44, 770, "备注", BROWN)
    page.text((100, y + 70), "购方开户银行：中国工商银行厦门分行；银行账号：4100021709024500001", size=16, anchor="lm")
    page.text((100, 805), "开票人：", size=18, fill=BROWN, anchor="lm")
    page.text((180, 805), truth["extra"]["clerk"], size=18, anchor="lm")
    return page


def _party_old(page: Page, top: int, name: str, tax_id: str, fields: tuple[str, str], jitter) -> None:
    labels = ["名        称：", "纳税人识别号：", "地 址、电 话：", "开户行及账号："]
    for i, label in enumerate(labels):
        page.text((100, top + 18 + 32 * i), label, size=17, fill=BROWN, anchor="lm")
    x, y = 250 + jitter[0], top + 18 + jitter[1]
    page.fit(fields[0], (x, y), name, 540, size=20, anchor="lm")
    page.field(fields[1], (x, y + 32), tax_id, size=20, anchor="lm")


def draw_old(truth: dict, rng: np.random.Generator) -> Page:
    """A 税控 invoice: 增值税专用发票, 增值税普通发票 or 增值税电子普通发票."""
    page, f, extra = Page(SIZE), truth["fields"], truth["extra"]
    jitter = tuple(int(v) for v in rng.integers(-6, 7, 2))
    province = PROVINCES.get(f["seller_tax_id"][2:4], "福建")
    page.stamp((700, 62), 72, "全国统一发票监制章", ("国家税务总局", f"{province}省税务局"), oval=True)
    page.text((700, 45), province + TITLES[truth["family"]], size=32, style="bold", fill=BROWN, anchor="mm")
    page.hline(500, 900, 78, BROWN, 2)
    page.text((700, 100), "发票联", size=18, fill=BROWN, anchor="mm")
    page.qr(rng, 60, 10, cells=25, cell=4)
    page.text((60, 130), "机器编号：", size=16, fill=BROWN, anchor="lm")
    page.text((150, 130), extra["machine_no"], size=17, anchor="lm")
    rows = [("发票代码：", "invoice_code", f["invoice_code"]), ("发票号码：", "invoice_no", f["invoice_no"]),
            ("开票日期：", "date", cn_date(f["date"]))]
    if "check_code" in extra:
        cc = extra["check_code"]
        rows.append(("校 验 码：", None, " ".join(cc[i:i + 5] for i in range(0, 20, 5))))
    for i, (label, name, value) in enumerate(rows):
        y = 22 + 34 * i
        page.text((980, y), label, size=17, fill=BROWN, anchor="lm")
        if name:
            page.field(name, (1070 + jitter[0], y + jitter[1]), value, size=19, anchor="lm")
        else:
            page.text((1070 + jitter[0], y + jitter[1]), value, size=16, anchor="lm")
    page.rect((50, 160, 1350, 790), BROWN)
    page.vline(90, 160, 290, BROWN), page.vline(800, 160, 290, BROWN), page.vline(840, 160, 290, BROWN)
    _vertical(page, 70, 160, 290, "购买方", BROWN), _vertical(page, 820, 160, 290, "密码区", BROWN)
    _party_old(page, 160, f["buyer_name"], f["buyer_tax_id"], ("buyer_name", "buyer_tax_id"), jitter)
    for i, line in enumerate(extra["cipher"]):
        page.text((855 + jitter[0], 178 + 32 * i + jitter[1]), line, size=19, anchor="lm")
    page.hline(50, 1350, 290, BROWN)
    y = _items(page, truth, 290, HEAD_OLD, BROWN, jitter)
    for x in COLS[1:-1]:
        page.vline(x, 290, y - 44, BROWN)
    page.hline(50, 1350, y - 44, BROWN), page.hline(50, 1350, y, BROWN)
    _totals(page, truth, y, BROWN, jitter)
    page.hline(50, 1350, y + 44, BROWN)
    top = y + 44
    page.vline(90, top, 790, BROWN), page.vline(800, top, 790, BROWN), page.vline(840, top, 790, BROWN)
    _vertical(page, 70, top, 790, "销售方", BROWN), _vertical(page, 820, top, 790, "备注", BROWN)
    _party_old(page, top, f["seller_name"], f["seller_tax_id"], ("seller_name", "seller_tax_id"), jitter)
    page.stamp((1180, 720), 100, f["seller_name"][:16], (f["seller_tax_id"], "发票专用章"), oval=True)
    for x, label in ((60, "收款人："), (380, "复核："), (680, "开票人："), (1000, "销售方：（章）")):
        page.text((x, 820), label, size=17, fill=BROWN, anchor="lm")
    page.text((760, 820), extra["clerk"], size=17, fill=INK, anchor="lm")
    return page


def draw_invoice(truth: dict, rng: np.random.Generator) -> Page:
    """The page of an invoice truth (``family``, ``fields``, ``items``, ``extra``)."""
    return (draw_digital if truth["family"].startswith("digital") else draw_old)(truth, rng)
