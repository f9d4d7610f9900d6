"""A small stand-in for the capture checks (``checks.py``/``correct.py``/``status.py`` are built
apart): ``validate(page, context) -> (page, checks, status)``.

Checks: every field present and in its grammar, confidence at least
:data:`MIN_CONFIDENCE`, credit codes by GB 32100, 金额 + 税额 = 价税合计,
税额 ≈ 金额 × 税率 (within 1 fen per item line, at most 5), 大写 = 小写, the
date between 2000-01-01 and today, the buyer one of our entities (credit code and name), on a
receipt one side ours (by account or name). ``accepted`` only when all pass;
a field named by a failing check gets ``ok: False``. No correction is tried.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..core.uscc import uscc_problem
from .numerals import words_to_amount

MIN_CONFIDENCE = 0.80
GRAMMAR = {"invoice_code": r"(\d{10}|\d{12})?", "invoice_no": r"\d{8}|\d{20}", "date": r"\d{4}-\d{2}-\d{2}",
           "buyer_tax_id": r"[0-9A-Z]{18}", "seller_tax_id": r"[0-9A-Z]{18}", "amount": r"\d+\.\d{2}",
           "tax": r"\d+\.\d{2}", "total": r"\d+\.\d{2}", "tax_rate": r"0\.\d{2}", "payer_account": r"\d{8,20}",
           "payee_account": r"\d{8,20}", "serial_no": r"\d{8,24}"}
OPTIONAL = {"invoice_code"}


def _check(name: str, passed: bool, detail: str, fields) -> dict:
    return {"name": name, "passed": bool(passed), "detail": detail, "fields": list(fields)}


def _fen(text: str) -> int | None:
    return int(Decimal(text) * 100) if re.fullmatch(r"\d+\.\d{2}", text or "") else None


def validate(page: dict, context: dict) -> tuple[dict, list[dict], str]:
    """Check a captured page; return it with ``ok`` on each field, the checks and the status."""
    fields = {k: v["value"] for k, v in page["fields"].items()}
    checks = []
    for name, field in page["fields"].items():
        pattern = GRAMMAR.get(name, r".+")
        good = (name in OPTIONAL and field["value"] == "") or re.fullmatch(pattern, field["value"]) is not None
        checks.append(_check(f"format:{name}", good, f"{field['value']!r} 格式 / format {pattern}", [name]))
        checks.append(_check(f"confidence:{name}", field["confidence"] >= MIN_CONFIDENCE,
                             f"置信度 / confidence {field['confidence']:.2f}", [name]))
    checks += (_invoice if page["kind"] == "invoice" else _receipt)(fields, context)
    when = fields.get("date", "")
    try:
        plausible = dt.date(2000, 1, 1) <= dt.date.fromisoformat(when) <= dt.date.today()
    except ValueError:
        plausible = False
    checks.append(_check("date-plausible", plausible, f"日期 / date {when}", ["date"]))
    failing = {f for c in checks if not c["passed"] for f in c["fields"]}
    for name, field in page["fields"].items():
        field["ok"] = name not in failing
    return page, checks, "accepted" if all(c["passed"] for c in checks) else "review"


def _invoice(f: dict, context: dict) -> list[dict]:
    out = [_check(f"uscc:{k}", uscc_problem(f[k]) is None, uscc_problem(f[k]) or "GB 32100", [k])
           for k in ("buyer_tax_id", "seller_tax_id")]
    amount, tax, total = _fen(f["amount"]), _fen(f["tax"]), _fen(f["total"])
    sums = None not in (amount, tax, total) and amount + tax == total
    out.append(_check("amount+tax=total", sums, f"{f['amount']} + {f['tax']} = {f['total']}",
                      ["amount", "tax", "total"]))
    rate = Decimal(f["tax_rate"]) if re.fullmatch(r"0\.\d{2}", f["tax_rate"]) else None
    near = None not in (amount, tax, rate) and abs(Decimal(amount) * rate - tax) <= 5
    out.append(_check("tax≈amount×rate", near, f"{f['amount']} × {f['tax_rate']} ≈ {f['tax']}",
                      ["amount", "tax_rate", "tax"]))
    out.append(_check("words=figures", total is not None and words_to_amount(f["total_in_words"]) == total,
                      f"{f['total_in_words']} = {f['total']}", ["total_in_words", "total"]))
    ours = context["entities"].get(f["buyer_tax_id"])
    out.append(_check("buyer-is-ours", ours is not None and ours == f["buyer_name"],
                      f"{f['buyer_name']} {f['buyer_tax_id']}", ["buyer_name", "buyer_tax_id"]))
    return out


def _receipt(f: dict, context: dict) -> list[dict]:
    amount = _fen(f["amount"])
    ours = any(f[f"{side}_account"] in context["accounts"] or f[f"{side}_name"] in context["names"]
               for side in ("payer", "payee"))
    return [_check("words=figures", amount is not None and words_to_amount(f["amount_in_words"]) == amount,
                   f"{f['amount_in_words']} = {f['amount']}", ["amount_in_words", "amount"]),
            _check("party-is-ours", ours, f"{f['payer_name']} / {f['payee_name']}",
                   ["payer_name", "payer_account", "payee_name", "payee_account"])]
