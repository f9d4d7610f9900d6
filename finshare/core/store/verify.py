"""Proving a stored ledger: named checks, and sealing batches into the hash chain.

:func:`run_checks` answers, from the database alone, whether every voucher
balances, every book's trial balance ties out and equals its lines, numbers
run without gaps, each GL line equals the business lines it summarises, and
no stored batch was edited or deleted since it was written (the SHA-256
chain of :mod:`finshare.core.store.chain`). ``finshare check`` prints the
table and exits 1 when a check fails.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import read
from .bulk import read_frame
from .chain import LINE_FIELDS, VOUCHER_FIELDS, batch_digest
from .tables import SUM_KEYS, balances, batches, codes, counters, documents, line_sums, lines, texts, vouchers

CHECKS = ("vouchers-balance", "trial-balances-tie-out", "balances-equal-lines", "numbering-gapless",
          "gl-equals-business", "documents-posted", "hash-chain")


def _result(name: str, problems: list[str], what: str) -> dict:
    return {"check": name, "ok": not problems, "detail": "; ".join(problems[:5]) + (
        f" … and {len(problems) - 5} more" if len(problems) > 5 else "") if problems else what}


def _unbalanced(con) -> list[str]:
    q = (sa.select(lines.c.voucher).group_by(lines.c.voucher)
         .having(sa.func.sum(lines.c.debit) != sa.func.sum(lines.c.credit)))
    return [f"voucher id {v} 借贷不平 / does not balance" for (v,) in con.execute(q).all()]


def _tie_out(con, names: pd.Series) -> list[str]:
    q = (sa.select(balances.c.book, balances.c.kind, sa.func.sum(balances.c.debit), sa.func.sum(balances.c.credit))
         .group_by(balances.c.book, balances.c.kind))
    return [f"{names.get(b, b)} {'gl' if k == 2 else 'business'}: 借 {d} ≠ 贷 {c} / debits differ from credits"
            for b, k, d, c in con.execute(q).all() if d != c]


def _balances_equal_lines(con, names: pd.Series) -> list[str]:
    keys = [vouchers.c.book, vouchers.c.kind, vouchers.c.period, lines.c.account]
    q = (sa.select(*keys, sa.func.sum(lines.c.debit).label("debit"), sa.func.sum(lines.c.credit).label("credit"))
         .join_from(lines, vouchers, lines.c.voucher == vouchers.c.id).group_by(*keys))
    summed = read_frame(con, q)
    kept = read_frame(con, sa.select(balances))
    both = summed.merge(kept, on=["book", "kind", "period", "account"], how="outer", suffixes=("", "_kept")).fillna(0)
    bad = both[(both["debit"] != both["debit_kept"]) | (both["credit"] != both["credit_kept"])]
    return [f"{names.get(r.book, r.book)} {int(r.period) // 100:04d}-{int(r.period) % 100:02d} "
            f"{names.get(r.account, r.account)}: 余额表与凭证行不符 / "
            "balance differs from its lines" for r in bad.itertuples()] + _line_sums_equal_lines(con, names)


def _line_sums_equal_lines(con, names: pd.Series) -> list[str]:
    """``line_sums`` against the lines summed again, key by key."""
    keys = [vouchers.c.book, vouchers.c.kind, vouchers.c.period, vouchers.c.source_type, lines.c.account,
            lines.c.org, lines.c.dimset, lines.c.currency_orig]
    signed = sa.case((lines.c.credit > 0, -lines.c.amount_orig), else_=lines.c.amount_orig)
    q = (sa.select(*keys, sa.func.sum(lines.c.debit).label("debit"), sa.func.sum(lines.c.credit).label("credit"),
                   sa.func.sum(signed).label("orig"))
         .join_from(lines, vouchers, lines.c.voucher == vouchers.c.id).group_by(*keys))
    summed = read_frame(con, q)
    kept = read_frame(con, sa.select(line_sums))
    both = summed.merge(kept, on=SUM_KEYS, how="outer", suffixes=("", "_kept")).fillna(0)
    bad = both[(both[["debit", "credit", "orig"]].to_numpy() != both[["debit_kept", "credit_kept", "orig_kept"]]
                .to_numpy()).any(axis=1)]
    return [f"{names.get(r.book, r.book)} {int(r.period) // 100:04d}-{int(r.period) % 100:02d} "
            f"{names.get(r.account, r.account)}: 科目汇总与凭证行不符 / line sums differ from the lines"
            for r in bad.itertuples()]


def _gaps(con, names: pd.Series) -> list[str]:
    g = [vouchers.c.book, vouchers.c.kind, vouchers.c.period, vouchers.c.word]
    q = sa.select(*g, sa.func.count(), sa.func.min(vouchers.c.seq), sa.func.max(vouchers.c.seq)).group_by(*g)
    seen = {(b, k, p, w): (n, lo, hi) for b, k, p, w, n, lo, hi in con.execute(q).all()}
    last = {(b, k, p, w): s for b, k, p, w, s in con.execute(sa.select(counters)).all()}
    out = []
    for key in sorted(set(seen) | set(last)):
        n, lo, hi = seen.get(key, (0, 0, 0))
        if n != hi or (n and lo != 1) or last.get(key, 0) != hi:
            b, k, p, w = key
            out.append(f"{names.get(b, b)} {p // 100:04d}-{p % 100:02d} {names.get(w, w)}: {n} 张凭证，号码 {lo}–{hi}，计数器 {last.get(key, 0)} / "
                       "numbers have gaps or duplicates")
    return out


def _gl_equals_business(con) -> list[str]:
    bus = (sa.select(lines.c.gl_voucher, lines.c.gl_line, sa.func.sum(lines.c.debit).label("d"),
                     sa.func.sum(lines.c.credit).label("c"))
           .where(lines.c.gl_voucher.is_not(None)).group_by(lines.c.gl_voucher, lines.c.gl_line).subquery())
    gl = sa.select(lines.c.voucher, lines.c.line, lines.c.debit, lines.c.credit).join_from(
        lines, vouchers, lines.c.voucher == vouchers.c.id).where(vouchers.c.kind == 2).subquery()
    q = sa.select(gl.c.voucher, gl.c.line).join_from(
        gl, bus, (gl.c.voucher == bus.c.gl_voucher) & (gl.c.line == bus.c.gl_line), isouter=True).where(
        (sa.func.coalesce(bus.c.d, -1) != gl.c.debit) | (sa.func.coalesce(bus.c.c, -1) != gl.c.credit))
    return [f"GL voucher id {v} line {ln}: 不等于其业务凭证行之和 / differs from its business lines"
            for v, ln in con.execute(q).all()]


def _rows_by_batch(con):
    """The stored rows and texts the digests cover, grouped by batch."""
    v = read_frame(con, sa.select(*[vouchers.c[c] for c in VOUCHER_FIELDS]))
    ln = read_frame(con, sa.select(*[lines.c[c] for c in LINE_FIELDS]))
    ln["batch"] = v.set_index("id")["batch"].reindex(ln["voucher"].to_numpy()).to_numpy()
    lookups = (read.code_table(con), _all_texts(con), read.documents_text(con, v["document"].to_numpy("int64")
               if len(v) else np.zeros(0, "int64")), read.dimset_keys(con))
    if len(ln):
        extra = ln["document"].dropna().to_numpy("int64")
        lookups = (lookups[0], lookups[1], pd.concat([lookups[2], read.documents_text(con, extra)]).groupby(level=0)
                   .first(), lookups[3])
    return v.groupby("batch"), ln.groupby("batch"), lookups


def _all_texts(con) -> pd.Series:
    frame = read_frame(con, sa.select(texts.c.id, texts.c.text))
    return pd.Series(frame["text"].to_numpy(object), index=frame["id"].to_numpy())


def digests(con) -> pd.DataFrame:
    """Each batch's stored digest beside the one its stored rows give now."""
    heads = read_frame(con, sa.select(batches.c.id, batches.c.kind, batches.c.digest).order_by(batches.c.id))
    vg, lg, lookups = _rows_by_batch(con)
    empty_v = pd.DataFrame({c: pd.Series(dtype="int64") for c in VOUCHER_FIELDS})
    empty_l = pd.DataFrame({c: pd.Series(dtype="int64") for c in LINE_FIELDS})
    prev, now = "", []
    for b, kind, stored in heads.itertuples(index=False):      # one per batch: few
        v = vg.get_group(b) if b in vg.groups else empty_v
        ln = lg.get_group(b) if b in lg.groups else empty_l
        now.append(batch_digest(prev, b, kind, v, ln, *lookups))
        prev = stored if stored is not None else now[-1]       # chained to what was stored before it
    heads["computed"] = now
    return heads


def seal(con) -> int:
    """Give batches without a digest (from a migrated file) theirs; return how many.

    Reads the ledger only when a batch lacks its digest, so upgrading a sealed store is quick.
    """
    if not con.execute(sa.select(sa.func.count()).select_from(batches).where(batches.c.digest.is_(None))).scalar():
        return 0
    heads = digests(con)
    todo = heads[heads["digest"].isna()]
    for b, d in zip(todo["id"], todo["computed"]):
        con.execute(batches.update().where(batches.c.id == int(b)).values(digest=d))
    return len(todo)


def _chain(con) -> list[str]:
    heads = digests(con)
    bad = heads[heads["digest"] != heads["computed"]]
    out = [f"batch {b}: 内容与写入时不同（被修改或删除）/ its rows changed since they were written"
           for b in bad["id"]]
    ids = heads["id"].to_numpy()
    if len(ids) and (ids != np.arange(1, len(ids) + 1)).any():
        out.append("batch ids have a gap: 批次缺失 / a batch was deleted")
    return out


def _posted_have_vouchers(con, reach: pd.DataFrame | None) -> list[str]:
    """Every document marked posted has a standing business voucher in each book its unit reaches."""
    docs = read_frame(con, sa.select(documents.c.id, documents.c.number, documents.c.org)
                      .where((documents.c.posted == 1) & documents.c.header.is_not(None)))
    if docs.empty or reach is None:
        return []
    names = read.code_table(con)
    docs["unit"] = names.reindex(docs["org"].to_numpy("int64")).to_numpy(object)
    want = docs.merge(reach, on="unit")
    from .docstore import standing
    have = standing(con, docs["id"].to_numpy())
    have["book"] = names.reindex(have["book"].to_numpy("int64")).to_numpy(object)
    got = want.merge(have.rename(columns={"document": "id"}), on=["id", "book"], how="left", indicator=True)
    missing = got[got["_merge"] == "left_only"]
    return [f"{n}: 已过账但账簿 {b} 没有它的凭证 / posted, but book {b} holds no voucher of it"
            for n, b in zip(missing["number"], missing["book"])]


def run_checks(con, reach: pd.DataFrame | None = None) -> pd.DataFrame:
    """The named checks of a stored ledger as a table ``check, ok, detail``.

    ``reach`` (``unit, book``: which books a business unit's documents reach)
    comes from the case; without it the documents check has nothing to compare.
    """
    names = read.code_table(con)
    n_v = con.execute(sa.select(sa.func.count()).select_from(vouchers)).scalar()
    n_b = con.execute(sa.select(sa.func.count()).select_from(batches)).scalar()
    rows = [
        _result("vouchers-balance", _unbalanced(con), f"{n_v} vouchers: 借贷相等 / debits equal credits"),
        _result("trial-balances-tie-out", _tie_out(con, names), "每本账试算平衡 / every book ties out"),
        _result("balances-equal-lines", _balances_equal_lines(con, names),
                "余额表等于凭证行之和 / balances equal the sum of lines"),
        _result("numbering-gapless", _gaps(con, names), "凭证号连续无重复 / numbers without gaps or duplicates"),
        _result("gl-equals-business", _gl_equals_business(con),
                "总账凭证行等于其业务凭证行之和 / GL lines equal their business lines"),
        _result("documents-posted", _posted_have_vouchers(con, reach),
                "已过账单据在每本账都有凭证 / every posted document has its vouchers in each book it reaches"),
        _result("hash-chain", _chain(con), f"{n_b} batches: 哈希链完整 / the chain is intact"),
    ]
    return pd.DataFrame(rows)


__all__ = ["run_checks", "seal", "digests", "CHECKS", "codes"]
