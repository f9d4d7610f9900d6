"""Known cases planted into a generated year (a case folder), the truth written beside them, and the measure.

:func:`plant_alerts` appends documents to the folder's CSV files (and writes the suppliers' payee-account
history ``masterdata/supplier_bank_accounts.csv``), so that each rule has cases it must find; the truth is
``alerts_truth.csv`` (``case, rule, document``). :func:`measure` scores alerts against it: recall per rule
(a case is found when an alert of its rule names one of its documents) and false alarms (alerts naming no
planted document of their rule) per 1,000 documents.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

TRUTH = "alerts_truth.csv"


class _Folder:
    """Appends rows to a case folder's document CSVs, numbering documents after the last of each type."""

    def __init__(self, root: Path):
        self.root = root
        self.next: dict[str, int] = {}
        self.truth: list[tuple[int, str, str]] = []

    def read(self, name: str) -> pd.DataFrame:
        return pd.read_csv(self.root / "documents" / f"{name}.csv", dtype=str, keep_default_na=False)

    def number(self, code: str) -> str:
        if code not in self.next:
            nos = self.read(code)["doc_no"]
            self.next[code] = int(nos.str[2:].astype(int).max()) + 1
            self.prefix = getattr(self, "prefix", {}) | {code: nos.iloc[0][:2]}
        n = self.next[code]
        self.next[code] += 1
        return f"{self.prefix[code]}{n:07d}"

    def add(self, code: str, header: dict, lines: list[dict], case: int, rule: str) -> str:
        no = self.number(code)
        for name, rows in ((code, [{**header, "doc_no": no, "status": "approved"}]),
                           (f"{code}_lines", [{**r, "doc_no": no, "line_no": i + 1} for i, r in enumerate(lines)])):
            path = self.root / "documents" / f"{name}.csv"
            cols = path.open(encoding="utf-8").readline().rstrip("\n").split(",")
            with path.open("a", encoding="utf-8", newline="") as f:
                csv.DictWriter(f, cols, restval="", lineterminator="\n").writerows(rows)
        self.truth.append((case, rule, f"{code}/{no}"))
        return no


def _day(start: str, business_days: int) -> np.datetime64:
    return np.busday_offset(np.datetime64(start), int(business_days), roll="forward")


def _cents(rng, low: float, high: float) -> str:
    return f"{rng.integers(int(low * 100), int(high * 100)) / 100:.2f}"


def plant_alerts(case_dir: str | Path, seed: int = 0) -> pd.DataFrame:
    """Plant known cases of every rule into the generated (CNY, 厦门 XM) year at ``case_dir``; return the truth.

    Planted: 3 large payments days after a supplier's payee account changed; 2 customers with 4 small returns
    in 40 days; 2 employees with 6 small claims in 20 days; an AP invoice captured twice and a payment made
    twice; 3 claims just under 5,000.00; 3 round payments on Saturdays. Every supplier gets a first payee
    account from 2019-01-01, and one supplier a harmless change on 2020-12-31.
    """
    root = Path(case_dir)
    rng = np.random.default_rng(seed)
    f = _Folder(root)
    md = root / "masterdata"
    suppliers = pd.read_csv(md / "suppliers.csv", dtype=str, keep_default_na=False)
    suppliers = suppliers.loc[suppliers["org"] == "", "code"].to_numpy()
    customers = pd.read_csv(md / "customers.csv", dtype=str, keep_default_na=False)
    customers = customers.loc[customers["currency"].isin(["CNY", ""]), "code"].to_numpy()
    emps = pd.read_csv(md / "employees.csv", dtype=str, keep_default_na=False)
    emps = emps[emps["department"].str.startswith("XM-")]
    sup = rng.permutation(suppliers)
    history = [(s, "2019-01-01") for s in suppliers]
    case = 0
    pay = {"org": "XM", "bank_account": "B001", "invoice": "", "currency": "CNY", "remark": ""}
    for k in range(3):                                   # bank account changed, then a large payment
        case += 1
        change = _day("2020-03-02", 40 * k + rng.integers(0, 20))
        history.append((sup[k], str(change)))
        f.add("payment", {**pay, "date": str(_day(str(change), rng.integers(1, 15))), "supplier": sup[k]},
              [{"amount": _cents(rng, 60_000, 150_000), "purpose": "货款"}], case, "bank-change-payment")
    history.append((sup[3], "2020-12-31"))
    ar_line = f.read("ar_invoice_lines").iloc[0]
    for k, cust in enumerate(rng.choice(customers, 2, replace=False)):     # many small returns
        case += 1
        for j, day in enumerate(np.sort(rng.choice(40, 4, replace=False))):
            amount = -int(rng.integers(50_000, 300_000))
            tax = -((-amount * 13 + 50) // 100)
            f.add("ar_invoice", {"date": str(_day("2020-04-01", 60 * k) + day), "org": "XM", "customer": cust,
                                 "outbound": "", "invoice_no": "", "department": "XM-MKT", "currency": "CNY",
                                 "remark": ""},
                  [{"material": ar_line["material"], "qty": "-1", "price": f"{-amount / 100:.2f}",
                    "amount": f"{amount / 100:.2f}", "tax_rate": "0.13", "tax": f"{tax / 100:.2f}",
                    "total": f"{(amount + tax) / 100:.2f}"}], case, "many-returns")
    claim = {"org": "XM", "pay_mode": "银行付款", "bank_account": "B001", "currency": "CNY", "remark": ""}
    picked = emps.iloc[rng.permutation(len(emps))[:5]]
    for k in range(2):                                   # many small refunds to one employee
        case += 1
        e = picked.iloc[k]
        for day in np.sort(rng.choice(20, 6, replace=False)):
            f.add("expense_claim", {**claim, "date": str(np.datetime64("2020-06-01") + 45 * k + day),
                                    "employee": e["code"], "department": e["department"]},
                  [{"item": "差旅费", "amount": _cents(rng, 120, 450)}], case, "many-refunds")
    _plant_duplicates(f, rng, case)
    case += 2
    for k in range(3):                                   # just under the approval limit
        case += 1
        e = picked.iloc[2 + k]
        f.add("expense_claim", {**claim, "date": str(_day("2020-02-03", 70 * k)), "employee": e["code"],
                                "department": e["department"]},
              [{"item": "业务招待费", "amount": _cents(rng, 4_760, 4_999)}], case, "just-under-limit")
    for k in range(3):                                   # round payments on a Saturday
        case += 1
        saturday = np.busday_offset(np.datetime64("2020-02-01") + 63 * k, 0, roll="forward", weekmask="Sat")
        f.add("payment", {**pay, "date": str(saturday), "supplier": sup[4 + k]},
              [{"amount": f"{(2 + 3 * k) * 10_000}.00", "purpose": "预付款"}], case, "round-weekend")
    _write_history(md, history)
    truth = pd.DataFrame(f.truth, columns=["case", "rule", "document"])
    truth.to_csv(root / TRUTH, index=False, lineterminator="\n")
    return truth


def _plant_duplicates(f: _Folder, rng, case: int) -> None:
    """An XM AP invoice captured again two days later, and an XM payment paid again three days later."""
    for code, days in (("ap_invoice", 2), ("payment", 3)):
        case += 1
        head, lines = f.read(code), f.read(f"{code}_lines")
        pool = head[(head["org"] == "XM") & (head["currency"] == "CNY") & (head["date"] < "2020-11-01")]
        src = pool.iloc[int(rng.integers(len(pool)))]
        copy = {**src.drop(["doc_no", "status"]).to_dict(),
                "date": str(np.datetime64(src["date"]) + days)}
        rows = lines[lines["doc_no"] == src["doc_no"]].drop(columns=["doc_no", "line_no"]).to_dict("records")
        f.add(code, copy, rows, case, "duplicate-invoice")


def _write_history(md: Path, history: list[tuple[str, str]]) -> None:
    frame = pd.DataFrame(history, columns=["supplier", "valid_from"])
    frame.insert(0, "code", [f"SBA{i + 1:04d}" for i in range(len(frame))])
    frame["bank"] = "中国银行"
    frame["account_no"] = [f"62170{i * 7919 % 10_000_000:011d}" for i in range(len(frame))]
    frame.to_csv(md / "supplier_bank_accounts.csv", index=False, lineterminator="\n")


def measure(alerts: pd.DataFrame, truth: pd.DataFrame, n_documents: int) -> pd.DataFrame:
    """Per rule: ``planted`` cases, ``found``, ``recall``, ``alerts``, ``false_alarms`` and
    ``false_per_1000_docs`` (false alarms per 1,000 documents of the year). For ``outlier`` the planted
    cases are those of every rule, found when the forest names one of their documents."""
    a = alerts[["rule", "documents"]].reset_index(names="alert").explode("documents")
    hits = a.merge(truth, left_on=["rule", "documents"], right_on=["rule", "document"])
    rules = sorted(set(truth["rule"]) | set(alerts["rule"]))
    planted = truth.groupby("rule")["case"].nunique().reindex(rules, fill_value=0)
    found = hits.groupby("rule")["case"].nunique().reindex(rules, fill_value=0)
    n_alerts = alerts.groupby("rule").size().reindex(rules, fill_value=0)
    true_alerts = hits.groupby("rule")["alert"].nunique().reindex(rules, fill_value=0)
    out = pd.DataFrame({"planted": planted, "found": found, "alerts": n_alerts, "false_alarms": n_alerts - true_alerts})
    if "outlier" in out.index:                    # the second opinion: planted cases of any rule it names
        flagged = a[a["rule"] == "outlier"].merge(truth, left_on="documents", right_on="document")
        out.loc["outlier", ["planted", "found"]] = [truth["case"].nunique(), flagged["case"].nunique()]
        out.loc["outlier", "false_alarms"] = n_alerts["outlier"] - flagged["alert"].nunique()
    out["recall"] = (out["found"] / out["planted"].where(out["planted"] > 0)).round(3)
    out["false_per_1000_docs"] = (out["false_alarms"] * 1000 / n_documents).round(2)
    return out.rename_axis("rule").reset_index()
