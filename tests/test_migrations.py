"""Schema changes are Alembic migrations: a 0.1.0 ledger file opens and upgrades; the head matches the tables."""
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import finshare
from finshare.core.store import Store, tables
from finshare.core.store.schema import HEAD, head

V0 = Path(__file__).parent / "data" / "ledger_v0.sqlite"   # written by finshare 0.1.0 (commit ab7b23f)
COLUMNS = ["line_id", "book", "kind", "voucher_no", "date", "period", "line", "account", "summary", "debit", "credit",
           "currency", "amount_orig", "currency_orig", "supplier", "department", "source_type", "source_no",
           "business_class", "template", "template_line", "reverses", "batch"]


def _old_journal(path) -> pd.DataFrame:
    con = sqlite3.connect(path)
    try:
        frame = pd.read_sql("select * from journal", con)
    finally:
        con.close()
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_a_010_ledger_file_upgrades_with_every_line_kept(tmp_path):
    path = tmp_path / "ledger.sqlite"
    shutil.copy(V0, path)
    before = _old_journal(path).sort_values("line_id").reset_index(drop=True)
    store = Store(path)
    after = store.read_journal().astype({c: object for c in COLUMNS if c not in ("date", "line", "debit", "credit",
                                                                                   "amount_orig", "batch")})
    after = after.sort_values("line_id").reset_index(drop=True)
    assert len(before) == len(after) == 40
    pd.testing.assert_frame_equal(before[COLUMNS], after[COLUMNS], check_dtype=False)
    old_links = sqlite3.connect(V0).execute("select gl_line_id, business_line_id from gl_links").fetchall()
    assert set(map(tuple, store.read_links().to_numpy().tolist())) == set(old_links)
    with store.engine.connect() as con:
        assert MigrationContext.configure(con).get_current_revision() == head()
        assert "journal" not in sa.inspect(con).get_table_names()


def test_an_upgraded_file_posts_on_where_it_stopped(tmp_path, fujian):
    path = tmp_path / "ledger.sqlite"
    shutil.copy(V0, path)
    ledger = finshare.Ledger(fujian, path)
    assert ledger.store.active_postings().shape[0] == 8          # CG002 was reversed in FJ-CAS
    result = ledger.post()
    assert result.documents == 1 and set(result.business["voucher_no"].astype(str)) == {"记-0005"}
    assert ledger.store.last_scheme_run("nightly") == pd.Timestamp("2020-03-31 02:00")


def test_the_migrations_build_exactly_the_tables_the_code_declares(tmp_path):
    store = Store(tmp_path / "new.sqlite")
    with store.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), tables.metadata)
    assert diff == []
    assert tables.check_schema() == []
    assert HEAD == head()
