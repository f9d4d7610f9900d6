"""One customer's open invoices and April's receipts for exercise 08, with the true clearings.

Six open invoices of one customer of 厦门制造工厂 (amounts and numbers from the
student's seed) and four bank receipts from that customer in April: one pays
two invoices together and names neither, one pays part of an invoice, one is
short of an invoice by a bank fee, and one names its invoice with a digit of
the number mistyped. One invoice stays unpaid. Tables follow
:mod:`finshare.reconcile.clearing.tables`.
"""
from __future__ import annotations

import pandas as pd

from ..reconcile.clearing.tables import OPEN_ITEM_COLUMNS, RECEIPT_COLUMNS, conform

CUSTOMERS = {"C001": ("深圳零售公司", "Shenzhen Retail Co."), "C101": ("厦门百货公司", "Xiamen Department Store"),
             "C102": ("福州超市连锁", "Fuzhou Supermarkets"), "C103": ("泉州贸易公司", "Quanzhou Trading Co."),
             "C104": ("漳州食品公司", "Zhangzhou Foods Co.")}
#: The invoices' roles, in the order the seed deals them out.
ROLES = ("pair", "pair", "partial", "fee", "typo", "unpaid")


def ar_customer(rng) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(customers, invoices, receipts, truth)``; truth: ``receipt, role, invoice, amount, fee`` (fen)."""
    code = list(CUSTOMERS)[int(rng.integers(0, len(CUSTOMERS)))]
    amounts: list[int] = []
    while len(amounts) < len(ROLES):
        a = int(rng.integers(500_000, 9_000_000))
        if a not in amounts:
            amounts.append(a)
    numbers = rng.choice(90_000_000, len(ROLES), replace=False) + 10_000_000
    days = sorted(int(d) for d in rng.choice(range(1, 29), len(ROLES), replace=False))
    invoices = conform(pd.DataFrame({
        "invoice": [f"YS2003{k + 1:03d}" for k in range(len(ROLES))],
        "invoice_no": [f"FP{n:08d}" for n in numbers], "customer": code, "org": "XM",
        "date": pd.to_datetime([f"2020-03-{d:02d}" for d in days]), "currency": "CNY", "amount": amounts}),
        OPEN_ITEM_COLUMNS)
    role = dict(zip(invoices["invoice"], rng.permutation(ROLES)))
    by_role = {r: [i for i in invoices["invoice"] if role[i] == r] for r in ROLES}
    amount = dict(zip(invoices["invoice"], amounts))
    number = dict(zip(invoices["invoice"], invoices["invoice_no"]))
    part = amount[by_role["partial"][0]] * int(rng.integers(30, 71)) // 100 // 100 * 100
    fee = int(rng.integers(1_000, 5_001))
    pair, partial, short, typo = by_role["pair"], by_role["partial"][0], by_role["fee"][0], by_role["typo"][0]
    events = [  # (role, received, memo, [(invoice, cleared, fee)])
        ("pair", amount[pair[0]] + amount[pair[1]], "货款", [(pair[0], amount[pair[0]], 0),
                                                            (pair[1], amount[pair[1]], 0)]),
        ("partial", part, f"部分货款 {number[partial]}", [(partial, part, 0)]),
        ("fee", amount[short] - fee, f"货款 {short}", [(short, amount[short], fee)]),
        ("typo", amount[typo], f"支付发票 {_mistype(rng, number[typo])}", [(typo, amount[typo], 0)]),
    ]
    order = rng.permutation(len(events))
    rec_days = sorted(int(d) for d in rng.choice(range(1, 29), len(events), replace=False))
    rows, truth = [], []
    for k, (e, day) in enumerate(zip(order, rec_days), start=1):
        what, received, memo, clears = events[e]
        rid = f"BK0404{k:02d}"
        rows.append({"receipt": rid, "date": f"2020-04-{day:02d}", "amount": received, "memo": memo})
        truth += [(rid, what, inv, cleared, f) for inv, cleared, f in clears]
    receipts = conform(pd.DataFrame(rows).assign(
        source="bank", date=lambda f: pd.to_datetime(f["date"]), org="XM", bank_account="B001", currency="CNY",
        payer=CUSTOMERS[code][0]), RECEIPT_COLUMNS)
    customers = pd.DataFrame([(c, zh, en) for c, (zh, en) in CUSTOMERS.items()], columns=["code", "name_zh", "name_en"])
    truth = pd.DataFrame(truth, columns=["receipt", "role", "invoice", "amount", "fee"])
    return customers, invoices, receipts, truth


def _mistype(rng, number: str) -> str:
    """``number`` with one of its last six digits changed."""
    pos = len(number) - 1 - int(rng.integers(0, 6))
    digit = str((int(number[pos]) + int(rng.integers(1, 10))) % 10)
    return number[:pos] + digit + number[pos + 1:]
