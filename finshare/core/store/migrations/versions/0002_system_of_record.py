"""System of record: integer-coded vouchers and lines, balances, counters, periods, events, a batch chain.

Converts a 0001 ledger (text journal rows, ``gl_links``, ``postings``) into
the coded tables; voucher numbers, lines, amounts and links are kept as they
were. Batch digests are left empty here: the store seals them (computes the
SHA-256 chain) the first time it opens the upgraded file.

Revision ID: 0002
Revises: 0001
"""
import numpy as np
import pandas as pd
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CODE = 200
DIMS = ["supplier", "customer", "department", "employee", "material", "bank_account"]


def _ints(*names, nullable=False):
    return [sa.Column(n, sa.Integer, nullable=nullable) for n in names]


def _create() -> dict:
    t = {}
    t["codes"] = op.create_table("codes", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                                 sa.Column("value", sa.String(CODE), nullable=False, unique=True))
    t["texts"] = op.create_table("texts", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                                 sa.Column("text", sa.Text, nullable=False))
    t["dimsets"] = op.create_table("dimsets", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                                   sa.Column("key", sa.Text, nullable=False, unique=True))
    t["dimset_values"] = op.create_table(
        "dimset_values", sa.Column("dimset", sa.Integer, primary_key=True),
        sa.Column("dim", sa.Integer, primary_key=True), sa.Column("value", sa.Integer, nullable=False))
    t["documents"] = op.create_table(
        "documents", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("doc_type", sa.Integer, nullable=False), sa.Column("number", sa.String(CODE), nullable=False),
        sa.UniqueConstraint("doc_type", "number", name="uq_documents_type_number"))
    t["batches"] = op.create_table(
        "batches", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(20), nullable=False), sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(80), nullable=False), *_ints("documents", "vouchers", "lines"),
        sa.Column("note", sa.Text, nullable=False), sa.Column("digest", sa.String(64)))
    t["vouchers"] = op.create_table(
        "vouchers", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False), *_ints("batch", "book"),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        *_ints("period", "word", "seq", "date", "currency", "source_type", "document"),
        sa.Column("reverses", sa.Integer),
        sa.UniqueConstraint("book", "kind", "period", "word", "seq", name="uq_vouchers_number"))
    op.create_index("ix_vouchers_document", "vouchers", ["document"])
    op.create_index("ix_vouchers_reverses", "vouchers", ["reverses"])
    t["lines"] = op.create_table(
        "lines", sa.Column("voucher", sa.Integer, primary_key=True), sa.Column("line", sa.Integer, primary_key=True),
        *_ints("account", "summary"), sa.Column("debit", sa.BigInteger, nullable=False),
        sa.Column("credit", sa.BigInteger, nullable=False), sa.Column("amount_orig", sa.BigInteger, nullable=False),
        *_ints("currency_orig", "dimset", "org", "business_class", "template", "template_line"),
        *_ints("gl_voucher", "gl_line", "document", nullable=True), sqlite_with_rowid=False)
    t["balances"] = op.create_table(
        "balances", *[sa.Column(n, sa.SmallInteger if n == "kind" else sa.Integer, primary_key=True)
                      for n in ("book", "kind", "period", "account")],
        sa.Column("debit", sa.BigInteger, nullable=False), sa.Column("credit", sa.BigInteger, nullable=False))
    t["counters"] = op.create_table(
        "counters", *[sa.Column(n, sa.SmallInteger if n == "kind" else sa.Integer, primary_key=True)
                      for n in ("book", "kind", "period", "word")],
        sa.Column("last_seq", sa.Integer, nullable=False))
    t["periods"] = op.create_table(
        "periods", sa.Column("book", sa.Integer, primary_key=True), sa.Column("period", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(10), nullable=False))
    t["events"] = op.create_table(
        "events", sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime, nullable=False), sa.Column("by", sa.String(80), nullable=False),
        sa.Column("object_type", sa.String(20), nullable=False), sa.Column("object", sa.String(CODE), nullable=False),
        sa.Column("action", sa.String(20), nullable=False), sa.Column("from_state", sa.String(20), nullable=False),
        sa.Column("to_state", sa.String(20), nullable=False), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("batch", sa.Integer))
    return t


def _plain(x):
    if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)):
        return None
    return x.item() if hasattr(x, "item") else x


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _convert(con, t: dict, old: pd.DataFrame, links: pd.DataFrame, old_batches: pd.DataFrame) -> None:
    """Old text rows → coded tables (small files: a course's ledger)."""
    j = old.copy()
    j["org"] = ""
    j["date"] = pd.to_datetime(j["date"])
    text_cols = ["book", "voucher_word", "currency", "currency_orig", "account", "source_type", "business_class",
                 "template", "template_line", "org", *DIMS]
    values = sorted(set(np.concatenate([j[c].astype(str).to_numpy() for c in text_cols])) | set(DIMS) | {""})
    code = {v: i + 1 for i, v in enumerate(values)}
    docs = j.loc[j["source_no"] != "", ["source_type", "source_no"]].drop_duplicates().reset_index(drop=True)
    docs["id"] = np.arange(1, len(docs) + 1)
    doc_id = {(a, b): i for a, b, i in docs.itertuples(index=False)}
    j["vkey"] = j["book"] + "|" + j["kind"] + "|" + j["period"] + "|" + j["voucher_no"]
    j = j.sort_values(["batch", "book", "kind", "period", "voucher_word", "seq", "line"]).reset_index(drop=True)
    vkeys = pd.unique(j["vkey"])
    vid = {k: i + 1 for i, k in enumerate(vkeys)}
    j["voucher"] = j["vkey"].map(vid)
    heads = j.drop_duplicates("vkey")
    src = j.groupby("vkey")["source_no"].agg(lambda s: s.iloc[0] if (s == s.iloc[0]).all() else "")
    bv_key = {(r.book, r.period, r.voucher_no): vid[r.vkey] for r in heads.itertuples() if r.kind == "business"}
    v = pd.DataFrame({
        "id": heads["voucher"].to_numpy(), "batch": heads["batch"].to_numpy(),
        "book": heads["book"].map(code).to_numpy(), "kind": np.where(heads["kind"] == "gl", 2, 1),
        "period": heads["period"].str.replace("-", "").astype(int).to_numpy(),
        "word": heads["voucher_word"].map(code).to_numpy(), "seq": heads["seq"].to_numpy(),
        "date": (heads["date"] - pd.Timestamp("1970-01-01")).dt.days.to_numpy(),
        "currency": heads["currency"].map(code).to_numpy(),
        "source_type": heads["source_type"].map(code).to_numpy(),
        "document": [doc_id.get((t_, src[k]), 0) for t_, k in zip(heads["source_type"], heads["vkey"])],
        "reverses": pd.array([bv_key.get((b, *r.split("/", 1))) if r else None
                              for b, r in zip(heads["book"], heads["reverses"])], dtype="Int64"),
    })
    j["dimkey"] = ""
    for d in DIMS:
        j["dimkey"] = j["dimkey"] + np.where(j[d] != "", d + "=" + j[d] + ";", "")
    dkeys = [""] + sorted(set(j["dimkey"]) - {""})
    did = {k: i for i, k in enumerate(dkeys)}  # the empty set is 0
    texts = pd.unique(j["summary"])
    tid = {s: i + 1 for i, s in enumerate(texts)}
    where = dict(zip(j["line_id"], zip(j["voucher"], j["line"])))
    gl_of = dict(zip(links["business_line_id"], links["gl_line_id"]))
    target = [where.get(gl_of.get(lid)) for lid in j["line_id"]]
    lines = pd.DataFrame({
        "voucher": j["voucher"], "line": j["line"], "account": j["account"].map(code),
        "summary": j["summary"].map(tid), "debit": j["debit"], "credit": j["credit"], "amount_orig": j["amount_orig"],
        "currency_orig": j["currency_orig"].map(code), "dimset": j["dimkey"].map(did), "org": code[""],
        "business_class": j["business_class"].map(code), "template": j["template"].map(code),
        "template_line": j["template_line"].map(code),
        "gl_voucher": pd.array([t_[0] if t_ else None for t_ in target], dtype="Int64"),
        "gl_line": pd.array([t_[1] if t_ else None for t_ in target], dtype="Int64"),
        "document": pd.array([doc_id.get((a, b)) if b != src[k] else None for a, b, k in
                              zip(j["source_type"], j["source_no"], j["vkey"])], dtype="Int64"),
    })
    bal = j.assign(kind_=np.where(j["kind"] == "gl", 2, 1), period_=j["period"].str.replace("-", "").astype(int)
                   ).groupby(["book", "kind_", "period_", "account"])[["debit", "credit"]].sum().reset_index()
    bal = pd.DataFrame({"book": bal["book"].map(code), "kind": bal["kind_"], "period": bal["period_"],
                        "account": bal["account"].map(code), "debit": bal["debit"], "credit": bal["credit"]})
    cnt = v.groupby(["book", "kind", "period", "word"])["seq"].max().reset_index().rename(columns={"seq": "last_seq"})
    nv = v.groupby("batch").size()
    batches = pd.DataFrame({
        "id": old_batches["batch"], "kind": old_batches["kind"], "created_at": pd.to_datetime(old_batches["created_at"]),
        "by": "", "documents": old_batches["documents"], "vouchers": old_batches["batch"].map(nv).fillna(0).astype(int),
        "lines": old_batches["lines"], "note": old_batches["note"], "digest": None})
    dv = [{"dimset": did[k], "dim": code[p.split("=", 1)[0]], "value": code[p.split("=", 1)[1]]}
          for k in dkeys for p in k.split(";") if p]
    rows = {
        "codes": [{"id": i, "value": s} for s, i in code.items()],
        "texts": [{"id": i, "text": s} for s, i in tid.items()],
        "dimsets": [{"id": i, "key": k} for k, i in did.items() if i], "dimset_values": dv,
        "documents": [{"id": i, "doc_type": code[a], "number": b} for (a, b), i in doc_id.items()],
        "batches": _records(batches), "vouchers": _records(v), "lines": _records(lines),
        "balances": _records(bal), "counters": _records(cnt),
    }
    for name, data in rows.items():
        if data:
            con.execute(t[name].insert(), data)


def upgrade() -> None:
    con = op.get_bind()
    old = pd.read_sql(sa.text("SELECT * FROM journal"), con)
    links = pd.read_sql(sa.text("SELECT * FROM gl_links"), con)
    old_batches = pd.read_sql(sa.text("SELECT * FROM batches"), con)
    op.drop_table("batches")
    t = _create()
    con.execute(t["dimsets"].insert(), [{"id": 0, "key": ""}])
    if len(old):
        _convert(con, t, old, links, old_batches)
    for name in ("postings", "gl_links", "journal"):
        op.drop_table(name)


def downgrade() -> None:
    raise NotImplementedError("a system-of-record ledger is not converted back to 0.1.0 text rows")
