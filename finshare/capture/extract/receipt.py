"""Fields of a bank 回单 (ICBC, CCB, BOC, CMB) from its text cells.

付款人 and 收款人 stand side by side on every bank's form, so a 户名/名称 or
账号 label left of the page's middle is the payer's and one right of it the
payee's. ``amount`` right of (小写), ``amount_in_words`` the capital numerals
right of (大写) (after 人民币), ``memo`` right of 用途/摘要, ``date`` right
of 交易时间, ``serial_no`` right of 回单号码 / 回单编号 / 流水号.
"""
from __future__ import annotations

from . import grammar
from .anchors import PageText
from .fields import anywhere, first_after, missing, read_after

RECEIPT_FIELDS = ("date", "payer_name", "payer_account", "payee_name", "payee_account", "amount",
                  "amount_in_words", "memo", "serial_no")
SERIAL_LENGTHS = {"icbc": (12,), "ccb": (20,), "boc": (16,), "cmb": (14,)}


def extract_receipt(text: PageText, family: str) -> dict:
    """Captured receipt fields (:data:`RECEIPT_FIELDS`) of a page from bank ``family``."""
    lengths = SERIAL_LENGTHS.get(family, (20, 16, 14, 12))
    out = {"serial_no": first_after(text, ["回单号码", "回单编号", "流水号", "编号"],
                                    lambda t: grammar.digits(t, lengths)),
           "date": first_after(text, ["交易时间", "交易日期"], grammar.date),
           "amount": first_after(text, ["(小写)", "小写"], grammar.amount),
           "amount_in_words": first_after(text, ["(大写)", "大写"], grammar.numerals),
           "memo": first_after(text, ["摘要/用途", "用途", "摘要"], grammar.plain)}
    out.update(_sides(text, "name", ["户名", "名称"], grammar.name))
    out.update(_sides(text, "account", ["账号"], _account))
    for side in ("payer", "payee"):
        if out.get(f"{side}_account") is None:
            out[f"{side}_account"] = _unlabelled_account(text, side)
    return {k: out.get(k) or missing() for k in RECEIPT_FIELDS}


def _sides(text: PageText, field: str, anchors, parser) -> dict:
    """``payer_<field>`` left of the page's middle, ``payee_<field>`` right of it."""
    middle = text.mid_x()
    out = {}
    for anchor in anchors:
        for span in text.find(anchor):
            side = "payer" if text.centre(span)[0] < middle else "payee"
            if out.get(f"{side}_{field}") is None:
                out[f"{side}_{field}"] = read_after(text, span, parser)
        if out:
            break
    return out


def _account(text: str):
    return grammar.digits(text, tuple(range(20, 11, -1)))


def _unlabelled_account(text: PageText, side: str) -> dict | None:
    """An account whose 账号 label was misread: the one cell of 12–20 digits on ``side`` between the
    name row and the (大写) row."""
    cells = text.cells
    names = text.find_any(["户名", "名称"])
    words = text.find_any(["(大写)", "大写"])
    if not names or not words:
        return None
    top, bottom = cells.at[names[0].cell, "line"], cells.at[words[0].cell, "line"]
    middle = text.mid_x()
    centre = (cells["left"] + cells["right"]) / 2
    ids = cells.index[(cells["line"] > top) & (cells["line"] < bottom)
                      & ((centre < middle) if side == "payer" else (centre >= middle))]
    found = anywhere(text, _account, ids)
    return found[0] if len(found) == 1 else None
