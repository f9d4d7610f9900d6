"""The store: one transaction per batch, SQLite file by default, PostgreSQL through the same code."""
import pandas as pd
import pytest
import sqlalchemy as sa

import finshare
from finshare.core.store import tables
from finshare.core.store import write as write_mod


def test_a_failing_batch_stores_nothing(fujian, tmp_path, monkeypatch):
    path = tmp_path / "ledger.sqlite"
    ledger = finshare.Ledger(fujian, path)
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "submitted"
    ledger.post()
    before = ledger.lines(None, None)
    fujian.documents["purchase_receipt"].header.loc["CG003", "status"] = "approved"

    def broken_insert(con, table, frame):       # the disk fails half-way through the batch
        if table is tables.lines:
            raise OSError("disk full")
        return original(con, table, frame)

    original = write_mod.insert_frame
    monkeypatch.setattr(write_mod, "insert_frame", broken_insert)
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
