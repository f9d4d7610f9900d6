"""The store: one transaction per batch, SQLite file by default, PostgreSQL through the same code."""
import pandas as pd
import pytest
import sqlalchemy as sa

import finshare
from finshare.core.store import tables
from finshare.core.store import write as write_mod


def _fail_lines_insert(monkeypatch):
    """Make inserting journal lines fail as a full disk would; return the real insert."""
    original = write_mod.insert_frame

    def broken_insert(con, table, frame):
        if table is tables.lines:
            raise OSError("disk full")
        return original(con, table, frame)

    monkeypatch.setattr(write_mod, "insert_frame", broken_insert)
    return original


def test_a_failing_batch_stores_nothing(fujian, tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    ledger = finshare.Ledger(fujian, path)
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "submitted"
    ledger.post()
    before = ledger.lines(None, None)
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "approved"
    original = _fail_lines_insert(monkeypatch)               # the disk fails half-way through the batch
    with pytest.raises(OSError):
        ledger.post()
    monkeypatch.setattr(write_mod, "insert_frame", original)
    pd.testing.assert_frame_equal(before, finshare.Ledger(fujian, path).lines(None, None))
    assert finshare.Ledger(fujian, path).store.next_batch() == 2
    assert set(ledger.post().business["source_no"]) == {"CG003"}


def test_voucher_numbers_pass_9999_in_order(fujian):
    from finshare.core.vouchers import number_vouchers
    lines = pd.DataFrame({"book": "B", "kind": "business", "_ym": 202003, "period": "2020-03", "voucher_word": "记",
                          "doc": [f"D{i:05d}" for i in range(3)]})
    out = number_vouchers(lines, ["doc"], {("B", "business", "2020-03", "记"): 9998})
    assert list(out["voucher_no"]) == ["记-9999", "记-10000", "记-10001"]


def test_postgresql_same_code(fujian, pg_url):
    engine = sa.create_engine(pg_url)
    _drop_all(engine)
    try:
        ledger = finshare.Ledger(fujian, pg_url)
        result = ledger.post()
        assert result.vouchers("business") == 9
        stored = ledger.lines(None, None)
        reopened = finshare.Ledger(finshare.load_case(fujian.path), pg_url)
        pd.testing.assert_frame_equal(stored, reopened.lines(None, None))
        assert reopened.post().documents == 0
        tb = reopened.trial_balance("FJ-HKFRS", "2020-03", exact=True).set_index("account")
        assert tb.at["2100", "closing_credit"] == 3_850_000
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from vouchers where kind = 1")).scalar() == 9
            assert {i["name"] for i in sa.inspect(con).get_indexes("vouchers")} >= LOOKUP_INDEXES
    finally:
        _drop_all(engine)
        engine.dispose()


def _drop_all(engine):
    """An empty database again (the store's tables and Alembic's version table)."""
    with engine.begin() as con:
        for name in sa.inspect(con).get_table_names():
            con.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def test_a_batch_stored_period_by_period_reads_back_the_same(tmp_path, monkeypatch):
    """Above KEEP_LINES a result reads its lines from the store; they equal what a small batch keeps."""
    from cases import grown_case
    from finshare.core import result as result_mod
    case = finshare.load_case(grown_case(tmp_path / "case", "P", 120, days=90))
    kept = finshare.Ledger(case, tmp_path / "kept.sqlite").post()
    monkeypatch.setattr(result_mod, "KEEP_LINES", 50)
    read_back = finshare.Ledger(finshare.load_case(case.path), tmp_path / "read.sqlite").post()
    assert read_back.parts and all(p is None for p in read_back.parts)
    assert read_back.documents == kept.documents == 120
    for kind in ("business", "gl"):
        a = getattr(kept, kind).astype(str).reset_index(drop=True)
        b = getattr(read_back, kind).astype(str).reset_index(drop=True)
        pd.testing.assert_frame_equal(a.sort_values(list(a.columns)).reset_index(drop=True),
                                      b[a.columns].sort_values(list(a.columns)).reset_index(drop=True))


LOOKUP_INDEXES = {"ix_vouchers_document", "ix_vouchers_reverses"}


def _index_names(path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as con:
        names = {i["name"] for i in sa.inspect(con).get_indexes("vouchers")}
    engine.dispose()
    return names


def test_a_first_batch_rebuilds_the_lookup_indexes_and_later_batches_keep_them(fujian, tmp_path):
    """A batch larger than the stored vouchers builds the document index once at the end, in its transaction."""
    path = tmp_path / "ledger.sqlite"
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "submitted"
    ledger = finshare.Ledger(fujian, path)
    assert ledger.post().vouchers("business") == 6
    assert _index_names(path) >= LOOKUP_INDEXES
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "approved"
    assert set(ledger.post().business["source_no"]) == {"CG003"}
    assert _index_names(path) >= LOOKUP_INDEXES
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as con:
        plan = " ".join(str(r) for r in con.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT id FROM vouchers WHERE kind = 1 AND document = 3")))
        doc3 = con.execute(sa.text("SELECT count(*) FROM vouchers WHERE kind = 1 AND document = 3")).scalar()
    engine.dispose()
    assert "ix_vouchers_document" in plan
    assert doc3 >= 1


def test_a_failed_first_batch_leaves_the_lookup_indexes(fujian, tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    ledger = finshare.Ledger(fujian, path)
    _fail_lines_insert(monkeypatch)
    with pytest.raises(OSError):
        ledger.post()
    assert _index_names(path) >= LOOKUP_INDEXES


@pytest.mark.parametrize("rows, limit", [(1, None), (255, None), (256, None), (600, None), (40, 10)])
def test_bulk_insert_keeps_every_value_and_every_null(tmp_path, monkeypatch, rows, limit):
    """Multi-row statements: full statements and the remainder; NULLs, int64 extremes and text come back as sent
    (``limit``: an SQLite that binds only that many parameters a statement)."""
    from finshare.core.store import bulk
    from finshare.core.store.bulk import insert_frame
    if limit:
        monkeypatch.setattr(bulk, "_max_parameters", lambda cursor: limit)
    meta = sa.MetaData()
    table = sa.Table("t", meta, sa.Column("a", sa.BigInteger), sa.Column("b", sa.BigInteger),
                     sa.Column("c", sa.Text))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    meta.create_all(engine)
    i = pd.Series(range(rows), dtype="int64")
    ints = pd.DataFrame({"a": i * 7 - 3, "b": pd.Series(i * 1000, dtype="Int64").mask(i % 3 == 0)})
    extreme = ints.assign(b=ints["b"].mask(i == rows - 1, -(2 ** 63)).mask(i == 0, 2 ** 63 - 1))
    mixed = ints.assign(c=pd.Series([f"摘要 {k}" for k in range(rows)], dtype=object).mask(i % 4 == 1))
    for frame in (ints, extreme, mixed):
        with engine.begin() as con:
            con.execute(table.delete())
            insert_frame(con, table, frame)
        with engine.connect() as con:
            back = [tuple(r) for r in con.execute(sa.select(table).order_by(table.c.a))]
        assert [r[0] for r in back] == frame["a"].tolist()
        assert [r[1] for r in back] == [None if pd.isna(x) else int(x) for x in frame["b"]]
        assert [r[2] for r in back] == ([None if pd.isna(x) else x for x in frame["c"]] if "c" in frame
                                        else [None] * rows)
    engine.dispose()


def test_a_prepared_part_writes_nothing_until_stored_and_waits_before_reading(fujian, tmp_path):
    """The posting thread prepares a part while a worker stores the last: preparing touches no table, and a
    document the writer was not told about is looked up only after waiting for the worker."""
    path = tmp_path / "ledger.sqlite"
    ledger = finshare.Ledger(fujian, path)
    result, problems = ledger.prepare()
    assert problems == [] and len(result.stored) > 0
    waits = []

    def count(con, table):
        return con.execute(sa.select(sa.func.count()).select_from(table)).scalar()

    with ledger.store.writer() as w:
        writer = w.batch("post", wait=lambda: waits.append(True))
        before = {t.name: count(w.con, t) for t in (tables.vouchers, tables.lines, tables.codes, tables.texts)}
        writes = writer.prepare(result.stored)                  # no ids given: the documents are looked up
        assert waits and writes
        assert {t.name: count(w.con, t) for t in (tables.vouchers, tables.lines, tables.codes,
                                                  tables.texts)} == before
        writer.store(writes)
        batch = writer.finish()
        assert count(w.con, tables.vouchers) == result.vouchers("business") + result.vouchers("gl")
    assert batch == 1
    stored = finshare.Ledger(fujian, path).lines(None, None)
    assert len(stored) == len(result.business) + len(result.gl)
    assert stored["debit"].sum() == result.business["debit"].sum() + result.gl["debit"].sum()


def test_a_worker_failing_in_a_later_part_leaves_nothing_and_a_rerun_posts_everything(tmp_path, monkeypatch):
    """Parts of one batch: the worker fails storing the second part while the third is prepared; the whole
    batch rolls back (no voucher, line, batch or posted flag; the lookup indexes stand) and a rerun posts all."""
    from cases import grown_case
    from finshare.core import result as result_mod
    case_dir = grown_case(tmp_path / "case", "P", 120, days=90)
    monkeypatch.setattr(result_mod, "PART_DOCUMENTS", 30)
    original, calls = write_mod.insert_frame, []

    def fail_second_lines(con, table, frame):
        if table is tables.lines:
            calls.append(len(frame))
            if len(calls) == 2:
                raise OSError("disk full")
        return original(con, table, frame)

    monkeypatch.setattr(write_mod, "insert_frame", fail_second_lines)
    path = tmp_path / "ledger.sqlite"
    with pytest.raises(OSError, match="disk full"):
        finshare.Ledger(finshare.load_case(case_dir, documents=False), path).post()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as con:
        counts = [con.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in ("vouchers", "lines", "batches")]
        posted = con.execute(sa.text("SELECT count(*) FROM documents WHERE posted = 1")).scalar()
    engine.dispose()
    assert counts == [0, 0, 0] and posted == 0
    assert _index_names(path) >= LOOKUP_INDEXES
    monkeypatch.setattr(write_mod, "insert_frame", original)
    again = finshare.Ledger(finshare.load_case(case_dir, documents=False), path).post()
    assert again.documents == 120 and len(again.parts) >= 3
    checks = finshare.Ledger(finshare.load_case(case_dir, documents=False), path).store.check()
    assert len(checks) == 7 and checks["ok"].tolist() == [True] * 7
