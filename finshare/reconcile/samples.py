"""Bank reconciliation scenarios with ground truth, for teaching and for measuring the matcher.

:func:`bank_scenario` makes a bank statement and the bank account's journal
for a few months with the noise of real statements: references missing or
mistyped, names mistyped, abbreviated or an owner's personal card, combined
and split payments, bank fees and interest the book learns of late or never,
cheques and deposits crossing month ends, red-ink reversals of duplicates,
and stale cheques. The truth tells which lines belong together.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .banklines import conform

CITIES = list("厦泉福漳莆龙宁深广沪杭苏")
CITY_NAMES = dict(zip(CITIES, ["厦门", "泉州", "福州", "漳州", "莆田", "龙岩", "宁德", "深圳", "广州", "上海",
                               "杭州", "苏州"]))
CHARS = list("华联海丰明辉恒达鑫源金信荣盛和泰鸿运嘉瑞兴隆宏远佳美新天正通永安顺德")
TRADES = ["贸易", "商贸", "食品", "电子", "机械", "纺织", "包装", "物流", "科技", "建材", "印刷", "化工"]
SURNAMES = list("林陈黄张吴王李刘郑杨蔡许")
TYPO = list("华化联连海每丰风明名辉晖达大源元信新盛胜泰太运云瑞锐")
#: Event types and their shares of the events.
EVENTS = {"receipt": 0.38, "payment": 0.28, "combined": 0.05, "split": 0.03, "fee": 0.05, "interest": 0.01,
          "cheque": 0.05, "deposit": 0.04, "duplicate": 0.04, "stale": 0.01, "unbooked": 0.02,
          "wrong_amount": 0.02, "recurring": 0.02}


@dataclass(frozen=True)
class Truth:
    """What belongs together: ``groups`` (``group, kind, statement_rows, journal_lines``), and per line
    its group (``bank``: ``row, group``; ``book``: ``line_id, group``; −1 for none)."""

    groups: pd.DataFrame
    bank: pd.DataFrame
    book: pd.DataFrame
    names: pd.Series

    def items(self, bank_lines: pd.DataFrame, journal: pd.DataFrame, period: str) -> pd.DataFrame:
        """The 未达账项 at the end of ``period``: ``kind, side, id, amount`` (amount signed, minor units).

        A line on or before the end is outstanding unless it belongs with other lines
        (a bank↔book match, or a red-ink reversal pair) all dated on or before the end;
        a split or combined payment half through the bank at the end stays outstanding whole.
        """
        end = pd.Period(period, "M").end_time.normalize()
        b = bank_lines[["row", "date", "amount"]].merge(self.bank, on="row")
        j = journal[journal["account"].astype(str).str.startswith("1002")]
        j = j[["line_id", "date"]].assign(amount=j["debit"] - j["credit"]).merge(self.book, on="line_id")
        dates = pd.concat([b[["group", "date"]], j[["group", "date"]]])
        size = dates.groupby("group")["date"].size()
        cleared = set(size.index[(size >= 2) & (dates.groupby("group")["date"].max() <= end)])
        out_b = b[(b["date"] <= end) & ~b["group"].isin(cleared)]
        out_j = j[(j["date"] <= end) & ~j["group"].isin(cleared)]
        rows = [pd.DataFrame({"kind": np.where(out_j["amount"] > 0, "企收银未", "企付银未"), "side": "book",
                              "id": out_j["line_id"].astype(object), "amount": out_j["amount"]}),
                pd.DataFrame({"kind": np.where(out_b["amount"] > 0, "银收企未", "银付企未"), "side": "bank",
                              "id": out_b["row"].astype(object), "amount": out_b["amount"]})]
        return pd.concat(rows, ignore_index=True)


def _parties(rng, n: int, prefix: str) -> pd.DataFrame:
    combos = rng.choice(len(CITIES) * len(CHARS) ** 2 * len(TRADES), size=n, replace=False)
    city, rest = np.divmod(combos, len(CHARS) ** 2 * len(TRADES))
    word, trade = np.divmod(rest, len(TRADES))
    w1, w2 = np.divmod(word, len(CHARS))
    names = [CITY_NAMES[CITIES[c]] + CHARS[a] + CHARS[b] + TRADES[t] + "有限公司"
             for c, a, b, t in zip(city, w1, w2, trade)]
    owners = [SURNAMES[s] + CHARS[a] + CHARS[b] for s, a, b in
              zip(rng.integers(0, len(SURNAMES), n), rng.integers(0, len(CHARS), n), rng.integers(0, len(CHARS), n))]
    return pd.DataFrame({"code": [f"{prefix}{i:05d}" for i in range(1, n + 1)], "name": names, "owner": owners})


def _amounts(rng, n: int) -> np.ndarray:
    """Amounts in fen: log-uniform 500.00–300,000.00, two in five rounded to whole hundreds of yuan."""
    a = np.exp(rng.uniform(np.log(50_000), np.log(30_000_000), n)).astype("int64")
    return np.where(rng.random(n) < 0.4, np.maximum(a // 10_000, 1) * 10_000, a)


def _typo(rng, names: list[str]) -> list[str]:
    out = []
    for name in names:
        i = int(rng.integers(2, max(3, len(name) - 4)))
        out.append(name[:i] + TYPO[int(rng.integers(0, len(TYPO)))] + name[i + 1:])
    return out


def _bank_names(rng, party: pd.DataFrame) -> np.ndarray:
    """The name the bank prints: exact, mistyped, the owner's card, short (no 有限公司), or blank."""
    n = len(party)
    u = rng.random(n)
    names = party["name"].to_numpy(dtype=object).copy()
    typo, owner, short, blank = (u < 0.08), (u >= 0.08) & (u < 0.13), (u >= 0.13) & (u < 0.19), u >= 0.98
    names[typo] = _typo(rng, list(names[typo]))
    names[owner] = party["owner"].to_numpy(dtype=object)[owner]
    names[short] = [s.replace("有限公司", "") for s in names[short]]
    names[blank] = ""
    return names


def _memos(rng, refs: np.ndarray, word: str) -> np.ndarray:
    """附言: the book's document number (55%), mistyped (10%), or none."""
    u = rng.random(len(refs))
    typo = np.array([r[:-1] + str((int(r[-1]) + 1) % 10) for r in refs], dtype=object) if len(refs) else refs
    ref = np.where(u < 0.55, refs, np.where(u < 0.65, typo, ""))
    return np.array([f"{word} {r}".strip() for r in ref], dtype=object)


class _Builder:
    """Collects book lines and bank lines with their truth group."""

    def __init__(self, rng, start: np.datetime64, days: int, customers, suppliers):
        self.rng, self.start, self.days = rng, start, days
        self.customers, self.suppliers = customers, suppliers
        self.book, self.bank, self.kinds, self.next_group, self.next_ref = [], [], [], 0, 0

    def groups(self, n: int, kind: str) -> np.ndarray:
        g = np.arange(self.next_group, self.next_group + n)
        self.next_group += n
        self.kinds.append(pd.DataFrame({"group": g, "kind": kind}))
        return g

    def refs(self, n: int, prefix: str) -> np.ndarray:
        r = np.array([f"{prefix}{i:06d}" for i in range(self.next_ref, self.next_ref + n)], dtype=object)
        self.next_ref += n
        return r

    def add_book(self, group, day, amount, code, summary, ref, counter_account, red=False):
        n = len(group)
        self.book.append(pd.DataFrame({"group": group, "day": day, "amount": amount, "code": code,
                                       "summary": summary, "ref": ref, "counter": counter_account,
                                       "red": np.broadcast_to(red, (n,))}))

    def add_bank(self, group, day, amount, name, memo):
        self.bank.append(pd.DataFrame({"group": group, "day": day, "amount": amount, "name": name, "memo": memo}))

    def party(self, n: int, receipt: bool) -> pd.DataFrame:
        table = self.customers if receipt else self.suppliers
        return table.iloc[self.rng.integers(0, len(table), n)].reset_index(drop=True)


def _one_to_one(b: _Builder, n: int, receipt: bool, kind: str, day=None, lag=None, amount=None, party=None):
    rng = b.rng
    g = b.groups(n, kind)
    party = b.party(n, receipt) if party is None else party
    day = rng.integers(0, b.days, n) if day is None else day
    lag = rng.choice([0, 0, 0, 0, 1, 1, 2, 3], n) if lag is None else lag
    amt = _amounts(rng, n) if amount is None else amount
    sign = 1 if receipt else -1
    refs = b.refs(n, "XS" if receipt else "CG")
    b.add_book(g, day, sign * amt, party["code"].to_numpy(), "收货款" if receipt else "付货款", refs,
               "1122" if receipt else "2202")
    b.add_bank(g, day + lag, sign * amt, _bank_names(rng, party), _memos(rng, refs, "货款" if receipt else "付款"))
    return g, party, day, amt, refs


def _month_ends(b: _Builder, n: int, last: int) -> np.ndarray:
    """Days within the last ``last`` days of a random month of the scenario."""
    months = pd.date_range(pd.Timestamp(b.start), periods=b.days, freq="D")
    ends = np.flatnonzero(months.is_month_end)
    return ends[b.rng.integers(0, len(ends), n)] - b.rng.integers(0, last, n)


def _generate(b: _Builder, counts: dict) -> None:
    rng = b.rng
    _one_to_one(b, counts["receipt"], True, "receipt")
    _one_to_one(b, counts["payment"], False, "payment")
    _one_to_one(b, counts["cheque"], False, "cheque", day=_month_ends(b, counts["cheque"], 3),
                lag=rng.integers(2, 9, counts["cheque"]))
    _one_to_one(b, counts["deposit"], True, "deposit", day=_month_ends(b, counts["deposit"], 2),
                lag=rng.integers(1, 4, counts["deposit"]))
    # a customer paying the same fixed amount every month
    n = counts["recurring"]
    party = b.party(max(-(-n // 3), 1), True)
    fixed = _amounts(rng, len(party)) // 100_000 * 100_000 + 100_000
    k = np.repeat(np.arange(len(party)), 3)[:n]
    _one_to_one(b, n, True, "recurring", day=(np.tile([5, 35, 65], len(party))[:n] + k % 3) % b.days,
                amount=fixed[k], party=party.iloc[k].reset_index(drop=True))
    _combined(b, counts["combined"])
    _split(b, counts["split"])
    _bank_only(b, counts["fee"], counts["interest"], counts["unbooked"])
    _reversals(b, counts["duplicate"], counts["wrong_amount"])
    n = counts["stale"]
    g = b.groups(n, "stale")
    party = b.party(n, False)
    b.add_book(g, rng.integers(0, b.days, n), -_amounts(rng, n), party["code"].to_numpy(), "开支票付款",
               b.refs(n, "CG"), "2202")


def _combined(b: _Builder, n: int) -> None:
    """One transfer paying 2–3 invoices booked as separate receipts."""
    rng = b.rng
    g = b.groups(n, "combined")
    party = b.party(n, True)
    size = rng.integers(2, 4, n)
    gg = np.repeat(g, size)
    day0 = rng.integers(0, b.days, n)
    day = np.repeat(day0, size) + rng.integers(0, 3, len(gg))
    amt = _amounts(rng, len(gg))
    code = np.repeat(party["code"].to_numpy(), size)
    b.add_book(gg, day, amt, code, "收货款", b.refs(len(gg), "XS"), "1122")
    total = pd.Series(amt).groupby(gg).sum().to_numpy()
    last = pd.Series(day).groupby(gg).max().to_numpy()
    b.add_bank(g, last + rng.integers(0, 3, n), total, _bank_names(rng, party), np.full(n, "合并付款", object))


def _split(b: _Builder, n: int) -> None:
    """One booked payment the bank executes as two transfers."""
    rng = b.rng
    g = b.groups(n, "split")
    party = b.party(n, False)
    amt = _amounts(rng, n) + 200_000
    part = (amt * rng.uniform(0.3, 0.7, n)).astype("int64") // 10_000 * 10_000
    day = rng.integers(0, b.days, n)
    b.add_book(g, day, -amt, party["code"].to_numpy(), "付货款", b.refs(n, "CG"), "2202")
    names = _bank_names(rng, party)
    b.add_bank(np.concatenate([g, g]), np.concatenate([day + rng.integers(0, 2, n), day + rng.integers(1, 4, n)]),
               np.concatenate([-part, -(amt - part)]), np.concatenate([names, names]),
               np.full(2 * n, "分笔付款", object))


def _bank_only(b: _Builder, fees: int, interest: int, unbooked: int) -> None:
    """Fees and interest (booked 1–4 days later or never) and receipts the book never learns of."""
    rng = b.rng
    for n, kind, sign, memo, lo, hi in ((fees, "fee", -1, "手续费", 50, 8_000), (interest, "interest", 1, "利息", 1_000, 500_000)):
        g = b.groups(n, kind)
        day = rng.integers(0, b.days, n)
        amt = sign * rng.integers(lo, hi, n)
        b.add_bank(g, day, amt, np.full(n, "", object), np.full(n, memo, object))
        booked = rng.random(n) < 0.6
        b.add_book(g[booked], day[booked] + rng.integers(1, 5, booked.sum()), amt[booked],
                   np.full(booked.sum(), "", object), "银行" + memo, np.full(booked.sum(), "", object),
                   "6603")
    g = b.groups(unbooked, "unbooked")
    party = b.party(unbooked, True)
    b.add_bank(g, rng.integers(0, b.days, unbooked), _amounts(rng, unbooked), _bank_names(rng, party),
               np.full(unbooked, "货款", object))


def _reversals(b: _Builder, dup: int, wrong: int) -> None:
    """Receipts booked twice with the second reversed in red ink; and wrong amounts reversed and rebooked."""
    rng = b.rng
    g, party, day, amt, refs = _one_to_one(b, dup, True, "receipt")
    rg = b.groups(dup, "reversal")
    dday = day + rng.integers(1, 3, dup)
    b.add_book(rg, dday, amt, party["code"].to_numpy(), "收货款", refs, "1122")
    b.add_book(rg, dday + rng.integers(1, 6, dup), -amt, party["code"].to_numpy(), "冲销重复记账", refs, "1122",
               red=True)
    g, party, day, amt, refs = _one_to_one(b, wrong, True, "receipt", lag=rng.integers(2, 4, wrong))
    rg = b.groups(wrong, "reversal")
    bad = amt + rng.integers(1, 100, wrong) * 10_000
    b.add_book(rg, np.maximum(day - 1, 0), bad, party["code"].to_numpy(), "收货款（金额错误）", refs, "1122")
    b.add_book(rg, day, -bad, party["code"].to_numpy(), "冲销错误金额", refs, "1122", red=True)


def bank_scenario(seed: int = 0, n_lines: int = 1000, start: str = "2020-01", months: int = 3):
    """A statement of bank account B001 (account 100201) and its journal, with the truth.

    Parameters
    ----------
    seed : int
        Same seed, same scenario.
    n_lines : int
        About this many events (each one bank line or more, or none).
    start : str
        First month ``YYYY-MM``.
    months : int
        Months covered (lines clearing after the last month are included).

    Returns
    -------
    bank_lines : DataFrame
        The canonical bank-line table, with a running ``balance`` from 1,000,000.00.
    journal : DataFrame
        ``line_id, date, period, voucher_no, account, debit, credit, summary, customer, supplier,
        bank_account, source_no, counterparty_name``: the bank lines (100201) and their counter
        lines, the customer or supplier on the counter line only; book opening balance
        1,000,000.00 (not a line).
    truth : Truth
    """
    rng = np.random.default_rng(seed)
    first = np.datetime64(pd.Period(start, "M").start_time.date(), "D")
    days = int((np.datetime64((pd.Period(start, "M") + months).start_time.date(), "D") - first).astype(int))
    n_party = max(20, n_lines // 40)
    b = _Builder(rng, first, days, _parties(rng, n_party, "C"), _parties(rng, n_party, "S"))
    counts = dict(zip(EVENTS, rng.multinomial(n_lines, list(EVENTS.values()))))
    _generate(b, counts)
    names = pd.concat([b.customers, b.suppliers]).set_index("code")["name"]
    kinds = pd.concat(b.kinds, ignore_index=True)
    bank = _bank_table(rng, pd.concat(b.bank, ignore_index=True), first)
    book = pd.concat(b.book, ignore_index=True)
    journal, book_ids = _journal_table(book, first, names)
    truth_bank = pd.DataFrame({"row": bank["row"].to_numpy(), "group": bank["group"].to_numpy()})
    truth_book = pd.DataFrame({"line_id": book_ids, "group": book["group"].to_numpy()})
    rows = truth_bank.groupby("group")["row"].agg(lambda s: tuple(sorted(s)))
    ids = truth_book.groupby("group")["line_id"].agg(lambda s: tuple(sorted(s)))
    kinds = kinds.assign(statement_rows=kinds["group"].map(rows), journal_lines=kinds["group"].map(ids))
    kinds = kinds.assign(statement_rows=[r if isinstance(r, tuple) else () for r in kinds["statement_rows"]],
                         journal_lines=[r if isinstance(r, tuple) else () for r in kinds["journal_lines"]])
    return conform(bank.drop(columns="group"), currency="CNY", account_no="B001"), journal, \
        Truth(kinds, truth_bank, truth_book, names)


def _bank_table(rng, bank: pd.DataFrame, first) -> pd.DataFrame:
    bank = bank.assign(tie=rng.random(len(bank))).sort_values(["day", "tie"]).reset_index(drop=True)
    bank["row"] = np.arange(1, len(bank) + 1)
    bank["date"] = (first + bank["day"].to_numpy().astype("timedelta64[D]")).astype("datetime64[ns]")
    bank["balance"] = 100_000_000 + bank["amount"].cumsum()
    bank["counterparty"], bank["currency"] = bank["name"], "CNY"
    bank["reference"] = ["BK" + str(r).zfill(8) for r in bank["row"]]
    return bank[["row", "date", "amount", "balance", "currency", "counterparty", "memo", "reference", "group"]]


def _journal_table(book: pd.DataFrame, first, names: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """Each book event as a voucher: the bank line (100201) and its counter line; line ids in date order."""
    book = book.assign(o=np.arange(len(book))).sort_values(["day", "o"], kind="stable")
    date = first + book["day"].to_numpy().astype("timedelta64[D]")
    period = pd.Series(date).dt.strftime("%Y-%m").to_numpy()
    seq = pd.Series(period).groupby(period).cumcount().to_numpy() + 1
    vno = np.array([f"{p}/记-{s:05d}" for p, s in zip(period, seq)], dtype=object)
    amt = book["amount"].to_numpy()
    code = book["code"].to_numpy(dtype=object)
    is_c = np.array([str(c).startswith("C") for c in code])
    is_s = np.array([str(c).startswith("S") for c in code])
    red = book["red"].to_numpy()
    # a red-ink line keeps its side: a negative amount on the side of the line it reverses
    bank_debit = np.where(red, np.where(amt < 0, amt, 0), np.where(amt > 0, amt, 0))
    bank_credit = np.where(red, np.where(amt > 0, -amt, 0), np.where(amt < 0, -amt, 0))
    common = {"date": pd.to_datetime(date), "summary": book["summary"].to_numpy(), "period": period,
              "voucher_no": [v.split("/", 1)[1] for v in vno], "source_no": book["ref"].to_numpy(),
              "counterparty_name": pd.Series(code).map(names).fillna("").to_numpy()}
    ids = "FJ-CAS/GL/" + vno + "/1"
    # as in the Fujian case, the customer or supplier sits on the counter line (1122, 2202), not on 1002
    lines = pd.DataFrame({"line_id": ids, "account": "100201", "debit": bank_debit, "credit": bank_credit,
                          "bank_account": "B001", "customer": "", "supplier": "", **common})
    counter = pd.DataFrame({"line_id": "FJ-CAS/GL/" + vno + "/2", "account": book["counter"].to_numpy(),
                            "debit": bank_credit, "credit": bank_debit, "bank_account": "",
                            "customer": np.where(is_c, code, ""), "supplier": np.where(is_s, code, ""), **common})
    journal = pd.concat([lines, counter]).sort_values("line_id", kind="stable").reset_index(drop=True)
    cols = ["line_id", "date", "period", "voucher_no", "account", "debit", "credit", "summary", "customer",
            "supplier", "bank_account", "source_no", "counterparty_name"]
    out_ids = np.empty(len(book), dtype=object)
    out_ids[book["o"].to_numpy()] = ids
    return journal[cols].astype({"debit": "int64", "credit": "int64"}), out_ids
