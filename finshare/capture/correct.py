"""Single-reading correction: change a misread field only when exactly one reading passes every check.

When checks fail, the fields they concern are read again in every way an OCR
engine plausibly misreads them:

* one character swapped within a confusion class (:data:`CONFUSIONS`:
  0/O/D, 1/I/l/7, 2/Z, 5/S, 6/G/b, 8/B/3, 9/g);
* in amounts, also one digit dropped or doubled, or the decimal point misplaced;
* in names, also a master name (ours or a counterparty's) at least
  ``context.name_threshold`` similar (rapidfuzz ``fuzz.ratio``, 85) — names
  pass their checks only when equal to a master name, so a fuzzy reading is
  taken only where the tax id or account singles that name out.

Each field takes at most one such edit and at most :data:`MAX_FIELDS` fields
change together. Every combination is run through *all* checks of the page;
the correction is applied only when exactly one minimal combination passes
them all (one that no smaller passing combination is part of: changing the
date as well as the misread rate is not another reading).
It is recorded (field, original, corrected, why) and the field's confidence
is set to the context's floor: the value is vouched for by the checks, not by
the eye, so it is trusted no more than the least a page may be accepted with. None or several → the page stays as read
(and goes to review). A failing duplicate or presence check never starts a
correction.
"""
from __future__ import annotations

import itertools

from rapidfuzz import fuzz, process

from .checks import rules_for, values_of
from .context import CaptureContext, norm_name

CONFUSIONS = ("0OD", "1Il7", "2Z", "5S", "6Gb", "8B3", "9g")
_ALTERNATIVES = {c: cls.replace(c, "") for cls in CONFUSIONS for c in cls}
MONEY = {"amount", "tax", "total"}
NAMES = {"buyer_name", "seller_name", "payer_name", "payee_name"}
TEXT = {"invoice_code", "invoice_no", "check_code", "date", "buyer_tax_id", "seller_tax_id", "tax_rate",
        "payer_account", "payee_account", "serial_no"}
#: Most fields changed together, and most combinations tried before giving up (→ review).
MAX_FIELDS = 2
MAX_TRIALS = 60_000


def substitutions(text: str) -> set[str]:
    """Readings of ``text`` with one character swapped within its confusion class."""
    return {text[:i] + alt + text[i + 1:] for i, c in enumerate(text) for alt in _ALTERNATIVES.get(c, "")}


def money_edits(text: str) -> set[str]:
    """Substitutions plus one digit dropped (inserted back) or doubled (removed), or the point misplaced."""
    out = substitutions(text)
    out |= {text[:i] + d + text[i:] for i in range(len(text) + 1) for d in "0123456789"}
    out |= {text[:i] + text[i + 1:] for i in range(1, len(text)) if text[i] == text[i - 1]}
    digits = text.replace(".", "")
    if len(digits) > 2:
        out.add(digits[:-2] + "." + digits[-2:])
    out.discard(text)
    return out


def name_candidates(field: str, text: str, ctx: CaptureContext) -> set[str]:
    """Master names at least ``ctx.name_threshold`` similar to the read name (ours for the buyer)."""
    pool = [p.name for p in ctx.ours] if field == "buyer_name" else \
        [p.name for p in ctx.counterparties] + ([p.name for p in ctx.ours] if field in ("payer_name", "payee_name")
                                                 else [])
    keys = {norm_name(n): n for n in pool}
    hits = process.extract(norm_name(text), list(keys), scorer=fuzz.ratio, score_cutoff=ctx.name_threshold,
                           limit=None)
    return {keys[k] for k, _, _ in hits if k != norm_name(text)}


def readings(field: str, text: str, ctx: CaptureContext) -> set[str]:
    """Every other reading of one field within one edit."""
    if field in MONEY:
        return money_edits(text)
    if field in NAMES:
        return name_candidates(field, text, ctx) | substitutions(text)
    if field in TEXT:
        return substitutions(text)
    return set()


def _combinations(options: dict[str, list[str]], failing: list[set[str]]):
    """Field → value dicts changing 1..MAX_FIELDS fields, each touching every failing rule."""
    names = sorted(options)
    for n in range(1, MAX_FIELDS + 1):
        for chosen in itertools.combinations(names, n):
            if all(set(chosen) & f for f in failing):
                for values in itertools.product(*(options[c] for c in chosen)):
                    yield dict(zip(chosen, values))


def _options(page: dict, values: dict, rules, failed, ctx: CaptureContext) -> dict[str, list[str]]:
    """Field → its other readings that pass the field's own checks, for the fields of the failed rules."""
    options = {}
    for f in set().union(*(r.fields for r in failed)):
        own = [r for r in rules if r.fields == (f,)]
        found = [v for v in sorted(readings(f, values.get(f, ""), ctx))
                 if all(r.run(values | {f: v}, page, ctx).passed for r in own)]
        if found:
            options[f] = found
    return options


def _solutions(page: dict, values: dict, rules, failed, ctx: CaptureContext) -> list[dict]:
    """Minimal combinations passing every rule; stops at two (ambiguous) and returns none past MAX_TRIALS."""
    order = failed + [r for r in rules if r not in failed]          # fail fast on the rules that failed
    solutions = []
    combos = _combinations(_options(page, values, rules, failed, ctx), [set(r.fields) for r in failed])
    for trials, combo in enumerate(combos, 1):
        if trials > MAX_TRIALS:
            return []
        if any(s.items() <= combo.items() for s in solutions):        # not minimal: a part already passes
            continue
        if all(r.run(values | combo, page, ctx).passed for r in order):
            solutions.append(combo)
            if len(solutions) > 1:
                break
    return solutions


def correct_page(page: dict, ctx: CaptureContext) -> tuple[dict, list[dict]]:
    """The page with its one passing reading applied, and the corrections made (empty when none or several).

    Parameters
    ----------
    page : dict
        A captured page (see :func:`finshare.capture.checks.check_page`).
    ctx : CaptureContext

    Returns
    -------
    page : dict
        A new page when corrected, else the same object.
    corrections : list of dict
        ``{"field", "original", "corrected", "why"}`` for each changed field.
    """
    rules, values = rules_for(page), values_of(page)
    failed = [r for r in rules if not r.run(values, page, ctx).passed]
    if not failed or not all(r.correctable for r in failed):
        return page, []
    solutions = _solutions(page, values, rules, failed, ctx)
    if len(solutions) != 1:
        return page, []
    why = ("唯一一个通过全部校验的读法（未通过: {0}） / the only reading that passes every check (failed: {0})"
           .format(", ".join(r.name for r in failed)))
    fields = {k: dict(v) for k, v in page["fields"].items()}
    corrections = []
    for f, v in solutions[0].items():
        corrections.append({"field": f, "original": values.get(f, ""), "corrected": v, "why": why})
        fields[f] = fields.get(f, {}) | {"value": v, "confidence": ctx.floor}
    return page | {"fields": fields}, corrections
