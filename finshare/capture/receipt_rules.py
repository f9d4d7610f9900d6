"""The checks of a bank receipt page (银行回单).

Rules stated: the date is plausible (:func:`~finshare.capture.checks.date_plausible`);
the amount is a positive two-decimal amount and its capital numerals state the
same fen; both account numbers are 10–25 digits; one side's account is one of
our bank accounts (``bank_accounts.csv``) and that side's name is the account's
unit or its legal entity; the other side is a known supplier or customer by its
exact (normalised) master name or a learned alias; the serial number is 6–40
letters, digits or hyphens.
"""
from __future__ import annotations

import re

from .checks import Rule, date_plausible
from .context import norm_name
from .numerals import words_to_amount
from .values import parse_money

_SERIAL = re.compile(r"[0-9A-Za-z\-]{6,40}")
ACCOUNT_DIGITS = (10, 25)


def _amount(values, page, ctx):
    text = values.get("amount", "")
    fen = parse_money(text)
    if not fen:
        return False, f"金额 {text!r} 不是两位小数的正金额 / amount {text!r} is not a positive amount with 2 decimals"
    return True, f"金额 {text} 格式正确 / amount is an amount"


def _words(values, page, ctx):
    said, fen = words_to_amount(values.get("amount_in_words", "")), parse_money(values.get("amount"))
    if said is not None and said == fen:
        return True, "大写与小写一致 / words equal the figures"
    return False, (f"大写 {values.get('amount_in_words', '')!r} 与小写 {values.get('amount', '')!r} 不一致 / the amount "
                   "in words does not equal the figures")


def _account(field):
    lo, hi = ACCOUNT_DIGITS

    def test(values, page, ctx):
        no = values.get(field, "")
        if no.isdigit() and lo <= len(no) <= hi:
            return True, f"账号 {no} 格式正确 / account number fits"
        return False, f"账号应为 {lo}–{hi} 位数字，读到 {no!r} / an account number is {lo}–{hi} digits, read {no!r}"
    return test


def our_side(values: dict, ctx) -> str | None:
    """``"payee"`` or ``"payer"``: the side whose account is ours (payee first), or None."""
    return next((s for s in ("payee", "payer") if values.get(f"{s}_account", "") in ctx.account_by_no), None)


def _ours(values, page, ctx):
    side = our_side(values, ctx)
    if side is None:
        return False, "收付款账号都不是本集团的银行账户 / neither account is one of our bank accounts", \
            ("payer_account", "payee_account")
    code, org = ctx.account_by_no[values[f"{side}_account"]]
    if norm_name(values.get(f"{side}_name")) not in ctx.our_names(org):
        return False, (f"{side} 账号是本集团账户 {code}，名称 {values.get(f'{side}_name')!r} 却不是 {org} 或其法人 / the "
                       f"{side} account is our {code} but the name is not {org} or its legal entity"), \
            (f"{side}_name", f"{side}_account")
    return True, f"{side} 是本集团账户 {code} ({org}) / {side} is our account {code}"


def _counterparty(values, page, ctx):
    side = our_side(values, ctx)
    if side is None:
        return False, "无法判断对方单位 / cannot tell the counterparty", ("payer_name", "payee_name")
    other = "payer" if side == "payee" else "payee"
    account = values.get(f"{other}_account", "")
    if account in ctx.account_by_no:                      # a transfer between our own accounts: both names ours
        code, org = ctx.account_by_no[account]
        if account == values.get(f"{side}_account", ""):
            return False, (f"付款与收款是同一账号 {code} / payer and payee are the same account {code}"), \
                ("payer_account", "payee_account")
        if norm_name(values.get(f"{other}_name")) not in ctx.our_names(org):
            return False, (f"{other} 账号是本集团账户 {code}，名称 {values.get(f'{other}_name')!r} 却不是 {org} 或其法人 / "
                           f"the {other} account is our {code} but the name is not {org} or its legal entity"), \
                (f"{other}_name", f"{other}_account")
        return True, f"本集团内部划转 {code} / transfer between our own accounts ({code})", ()
    party = ctx.party_by_any_name(values.get(f"{other}_name", ""))
    if party is None:
        return False, (f"对方单位 {values.get(f'{other}_name')!r} 不是已知客户/供应商（也无别名） / the counterparty is no "
                       "known customer or supplier, nor a learned alias"), (f"{other}_name",)
    return True, f"对方单位是 {party.name} ({party.code}) / counterparty is {party.code}"


def _serial(values, page, ctx):
    s = values.get("serial_no", "")
    if _SERIAL.fullmatch(s):
        return True, "流水号格式正确 / serial number fits"
    return False, f"流水号应为 6–40 位字母数字，读到 {s!r} / a serial number is 6–40 letters or digits, read {s!r}"


RULES = (
    Rule("date_plausible", ("date",), date_plausible),
    Rule("amount_format", ("amount",), _amount),
    Rule("words_match_amount", ("amount_in_words", "amount"), _words),
    Rule("payer_account_format", ("payer_account",), _account("payer_account")),
    Rule("payee_account_format", ("payee_account",), _account("payee_account")),
    Rule("our_account", ("payer_account", "payee_account", "payer_name", "payee_name"), _ours),
    Rule("counterparty_known", ("payer_name", "payee_name", "payer_account", "payee_account"), _counterparty),
    Rule("serial_no_format", ("serial_no",), _serial),
)
