"""A store that cannot be used: one bilingual problem naming the store and the fix, exit 2, the store unchanged.

Each test pins one problem code's message through ``finshare.cli.main`` and
checks that an existing store holds what it held before.
"""
import gc
import os
import socket
import sqlite3
import subprocess
import time
from contextlib import closing

import pytest
import sqlalchemy as sa

from finshare.cli import main
from finshare.core.problems import FinshareError
from finshare.core.store import Store
from finshare.core.store.tables import CODE_LENGTH

LONG = "L" * 250
NEW_DOCUMENT = ("CG004,2020-03-12,XM,费用采购,S002,XM-ADM,CNY,approved,more\n", "CG004,1,M002,10,10,100.00\n")


@pytest.fixture(autouse=True)
def _no_store_from_environment(monkeypatch):
    monkeypatch.delenv("FINSHARE_STORE", raising=False)
    monkeypatch.setenv("FINSHARE_USER", "tester")


def _run(capsys, *argv) -> tuple[int, str]:
    """Exit status and stderr of ``finshare *argv`` run in this process."""
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    return code, err


def _refused(capsys, code: str, *argv) -> str:
    """Run the command, require exit 2 with exactly one problem ``code`` and no traceback; return stderr."""
    status, err = _run(capsys, *argv)
    assert status == 2, f"expected exit 2 for {argv}, got {status}: {err}"
    assert f"[{code}]" in err and "(1 problem)" in err, err
    assert "Traceback" not in err and "sqlalchemy" not in err.lower(), err
    return err


def _posted(case_dir, capsys, store=None) -> str:
    """Post the case into its store (or ``store``); return the store argument."""
    store = store or str(case_dir / "ledger.sqlite")
    status, err = _run(capsys, "journal", case_dir, "--store", store)
    assert status == 0, err
    return store


def _add_document(case_dir) -> None:
    """One more approved purchase receipt, so the next command has something to store."""
    for name, row in zip(("purchase_receipt.csv", "purchase_receipt_lines.csv"), NEW_DOCUMENT):
        with open(case_dir / "documents" / name, "a", encoding="utf-8") as fh:
            fh.write(row)


def _snapshot(url: str, tables=None) -> dict:
    """Every row of the store's tables (or of ``tables``), for comparing before and after."""
    engine = sa.create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with engine.connect() as con:
            names = tables or sorted(sa.inspect(con).get_table_names())
            return {t: sorted(map(repr, con.execute(sa.text(f'SELECT * FROM "{t}"')).all())) for t in names}
    finally:
        engine.dispose()


# ---------------------------------------------------------------- store-is-directory
def test_store_naming_a_folder_is_refused(case_dir, capsys, tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for store in (folder, f"sqlite:///{folder}"):
        for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
            err = _refused(capsys, "store-is-directory", cmd[0], case_dir, *cmd[1:], "--store", store)
            assert f"{folder} 是文件夹，不是账簿文件 / {folder} is a folder, not a ledger file" in err
            assert "fix: name a file inside it, e.g. " in err and str(folder / "ledger.sqlite") in err
    assert list(folder.iterdir()) == [], "nothing may be created inside the folder"


# ---------------------------------------------------------------- store-not-writable
NOT_WRITABLE = "账簿文件不能写入 / the ledger file cannot be written"


def _make_read_only(path) -> bool:
    """chmod 444; as root (who writes through permission bits) also the immutable flag. True if set."""
    path.chmod(0o444)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:   # no CAP_LINUX_IMMUTABLE or a file system without it: the URI test below still runs
        pytest.skip(f"root cannot make {path} read-only here (chattr: {done.stderr.strip()})")
    return True


def test_read_only_ledger_file_is_refused_and_unchanged(case_dir, capsys):
    store = _posted(case_dir, capsys)
    _add_document(case_dir)                      # the next command must write
    ledger = case_dir / "ledger.sqlite"
    before = ledger.read_bytes()
    immutable = _make_read_only(ledger)
    try:
        for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
            err = _refused(capsys, "store-not-writable", cmd[0], case_dir, *cmd[1:], "--store", store)
            assert NOT_WRITABLE in err and f"sqlite:///{ledger}" in err
            assert "fix: check the file's permissions, or name a file you may write with --store" in err
        assert ledger.read_bytes() == before
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(ledger)], check=True)
        ledger.chmod(0o644)


def test_ledger_opened_read_only_by_uri_is_refused_and_unchanged(case_dir, capsys):
    """SQLite's ``mode=ro`` refuses writes to root too: the same problem on any machine."""
    _posted(case_dir, capsys)
    _add_document(case_dir)
    ledger = case_dir / "ledger.sqlite"
    before = _snapshot(str(ledger))
    uri = f"sqlite:///file:{ledger}?mode=ro&uri=true"
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "store-not-writable", cmd[0], case_dir, *cmd[1:], "--store", uri)
        assert NOT_WRITABLE in err and uri in err
    assert _snapshot(str(ledger)) == before


# ---------------------------------------------------------------- not-a-ledger
NOT_A_LEDGER = "文件不是 SQLite 数据库或已损坏 / the file is not a SQLite database or is damaged"


def test_text_file_named_like_a_ledger_is_refused_and_unchanged(case_dir, capsys, tmp_path):
    text = tmp_path / "ledger.sqlite"
    text.write_text("这不是账簿 / not a ledger\n" * 100, encoding="utf-8")
    before = text.read_bytes()
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "not-a-ledger", cmd[0], case_dir, *cmd[1:], "--store", text)
        assert NOT_A_LEDGER in err and f"sqlite:///{text}" in err
        assert "fix: name another file (a new name creates an empty ledger), or restore it from a backup" in err
    assert text.read_bytes() == before


def test_damaged_ledger_file_is_refused_and_unchanged(case_dir, capsys):
    """The middle third overwritten (codes, documents, vouchers pages): every command that reads it refuses.

    Damage in pages a command does not read goes unnoticed by that command
    (``tb`` reads ``balances``); ``finshare check`` reads them all.
    """
    store = _posted(case_dir, capsys)
    ledger = case_dir / "ledger.sqlite"
    gc.collect()                                 # the posting's engine closes its connections
    with closing(sqlite3.connect(ledger)) as con:   # every page into the file itself, the WAL emptied
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = ledger.stat().st_size
    with open(ledger, "r+b") as fh:
        fh.seek(size // 3)
        fh.write(b"\xff" * (size // 3))
    before = ledger.read_bytes()
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"], ["check"]):
        err = _refused(capsys, "not-a-ledger", cmd[0], case_dir, *cmd[1:], "--store", store)
        assert NOT_A_LEDGER in err
    assert ledger.read_bytes() == before


# ---------------------------------------------------------------- foreign-database
def _foreign_tables(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as con:
        con.execute(sa.text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(40))"))
        con.execute(sa.text("INSERT INTO customers VALUES (1, 'Luckin')"))
    engine.dispose()


FOREIGN = "数据库里有不属于 finshare 账簿的表（customers）/ the database holds other tables (customers)"


def _assert_foreign_refused(case_dir, capsys, url):
    _foreign_tables(url)
    before = _snapshot(url)
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "foreign-database", cmd[0], case_dir, *cmd[1:], "--store", url)
        assert FOREIGN in err
        assert "fix: give finshare its own database or file; it does not share one with other programs" in err
    assert _snapshot(url) == before, "no table may be created in another program's database"


def test_sqlite_file_of_another_program_is_refused(case_dir, capsys, tmp_path):
    _assert_foreign_refused(case_dir, capsys, f"sqlite:///{tmp_path / 'crm.sqlite'}")


def test_postgresql_database_of_another_program_is_refused(case_dir, capsys, pg_database):
    _assert_foreign_refused(case_dir, capsys, pg_database)


def test_another_programs_alembic_table_is_foreign_not_too_new(case_dir, capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    _foreign_tables(url)
    engine = sa.create_engine(url)
    with engine.begin() as con:
        con.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        con.execute(sa.text("INSERT INTO alembic_version VALUES ('ae1027a6acf')"))
    engine.dispose()
    err = _refused(capsys, "foreign-database", "journal", case_dir, "--store", url)
    assert FOREIGN in err


# ---------------------------------------------------------------- store-unreachable
def test_unreachable_postgresql_server_fails_fast(case_dir, capsys):
    with socket.socket() as s:                   # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg2://finshare@127.0.0.1:{port}/ledger"
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        start = time.monotonic()
        err = _refused(capsys, "store-unreachable", cmd[0], case_dir, *cmd[1:], "--store", url)
        assert time.monotonic() - start < 5, "a closed port must be reported at once"
        assert "连不上数据库服务器 / cannot reach the database server" in err and url in err
        assert "fix: check host, port, user and that the server runs (pg_isready)" in err


# ---------------------------------------------------------------- unknown-store-scheme
@pytest.mark.parametrize("url, scheme", [("mysql://u@localhost/ledger", "mysql"), ("foo://", "foo")])
def test_unknown_url_scheme_is_refused(case_dir, capsys, url, scheme):
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "unknown-store-scheme", cmd[0], case_dir, *cmd[1:], "--store", url)
        assert f"不支持的数据库类型 {scheme!r} / unsupported store {scheme!r}" in err
        assert "fix: give a SQLite file path or a URL such as postgresql+psycopg2://user@host/db" in err
    assert not (case_dir / "ledger.sqlite").exists()


# ---------------------------------------------------------------- value-too-long
LEDGER_TABLES = ["batches", "vouchers", "lines", "balances", "counters", "texts", "codes", "dimsets"]
TOO_LONG = (f"book 的值有 250 个字符，账簿最多保存 {CODE_LENGTH} 个 / book value is 250 characters long; "
            f"the store keeps at most {CODE_LENGTH}: {LONG[:40]!r}…")


def _add_long_book(case_dir) -> None:
    with open(case_dir / "books.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"  - code: {LONG}\n    name_zh: 长代码账簿\n    name_en: Long code book\n    system: LEGAL\n"
                 "    org: FJ\n    policy: CAS\n    gl: {mode: one_to_one}\n")


def _assert_long_book_refused(case_dir, capsys, store):
    """A book code of 250 characters reaches the store only when a document is posted to it: refused then.

    The new document is imported (as before any refused posting); the
    ledger itself (vouchers, lines, balances, codes …) is unchanged.
    """
    _posted(case_dir, capsys, store)
    _add_long_book(case_dir)
    _add_document(case_dir)
    url = store if "://" in store else f"sqlite:///{store}"
    before = _snapshot(url, LEDGER_TABLES)
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "value-too-long", cmd[0], case_dir, *cmd[1:], "--store", store)
        assert TOO_LONG in err and "field book" in err
        assert f"fix: shorten it to {CODE_LENGTH} characters or fewer (codes are usually 1-40 characters)" in err
    assert _snapshot(url, LEDGER_TABLES) == before


def test_code_longer_than_the_store_keeps_is_refused_on_sqlite(case_dir, capsys):
    """SQLite ignores VARCHAR widths: without the check the code would be stored silently."""
    _assert_long_book_refused(case_dir, capsys, str(case_dir / "ledger.sqlite"))


def test_code_longer_than_the_store_keeps_is_refused_on_postgresql(case_dir, capsys, pg_database):
    """PostgreSQL refuses it with a DataError: the problem comes first."""
    _assert_long_book_refused(case_dir, capsys, pg_database)


def test_long_document_number_is_refused_by_the_import(case_dir):
    """The case loader keeps numbers to 40 characters; the store's import checks its own limit too."""
    import finshare
    from finshare.core.doctext import canonical, layout_key
    from finshare.core.store import docstore
    case = finshare.load_case(case_dir)
    docs = case.documents["purchase_receipt"]
    can = canonical(docs)
    can.loc[0, "number"] = LONG
    store = Store(case_dir / "ledger.sqlite")
    before = _snapshot(store.url)
    with store.writer("tester") as w:
        statuses, problems = docstore.import_documents(w.con, "purchase_receipt", layout_key(docs.doctype), can,
                                                       "documents/purchase_receipt.csv", "tester")
    assert [p.code for p in problems] == ["value-too-long"] and statuses.empty
    p = problems[0]
    assert p.message == (f"单据号有 250 个字符，账簿最多保存 {CODE_LENGTH} 个 / the document number is 250 characters "
                         f"long; the store keeps at most {CODE_LENGTH}: {LONG[:40]!r}…")
    assert p.source.file == "documents/purchase_receipt.csv" and p.source.line == 2
    assert _snapshot(store.url) == before
    store.engine.dispose()


def test_long_event_object_and_user_are_refused(case_dir, capsys):
    store_path = _posted(case_dir, capsys)
    store = Store(store_path)
    before = _snapshot(store.url)
    with pytest.raises(FinshareError) as info:
        with store.writer("tester") as w:
            w.event("file", LONG, "import", "", "1 new", "")
    assert [p.code for p in info.value.problems] == ["value-too-long"]
    assert "object 的值有 250 个字符" in info.value.problems[0].message
    store.engine.dispose()
    err = _refused(capsys, "value-too-long", "approve", case_dir, "--doc", "CG001", "--by", "U" * 100,
                   "--store", store_path)
    assert "by 的值有 100 个字符，账簿最多保存 80 个 / by value is 100 characters long; the store keeps at most 80" in err
    assert _snapshot(store.url) == before


# ---------------------------------------------------------------- book-currency-changed
def test_book_currency_changed_after_posting_is_refused(case_dir, capsys):
    store = _posted(case_dir, capsys)
    books = case_dir / "books.yaml"
    books.write_text(books.read_text(encoding="utf-8").replace(
        "{code: CAS, name_zh: 中国企业会计准则, currency: CNY", "{code: CAS, name_zh: 中国企业会计准则, currency: USD"),
        encoding="utf-8")
    _add_document(case_dir)
    before = _snapshot(store)
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "book-currency-changed", cmd[0], case_dir, *cmd[1:], "--store", store)
        assert (f"账簿 FJ-CAS 的本位币在 {books} 中是 USD，但已存凭证用的是 CNY / book FJ-CAS has currency USD "
                f"in {books}, but its stored vouchers are in CNY") in err
        assert ("fix: a book's currency cannot change once it has vouchers: restore CNY in its policy, or start a "
                "new book (a new code) in USD and carry the balances over") in err
        assert "账簿 book FJ-CAS, 字段 field currency" in err
    assert _snapshot(store) == before


def test_book_currencies_are_read_per_book(case_dir, capsys):
    store = Store(_posted(case_dir, capsys))
    assert store.book_currencies() == {"CN-MGT": {"CNY"}, "FJ-CAS": {"CNY"}, "FJ-HKFRS": {"HKD"}}
    store.engine.dispose()


# ---------------------------------------------------------------- store-too-new
def _assert_too_new(case_dir, capsys, store, url):
    engine = sa.create_engine(url)
    with engine.begin() as con:
        con.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = _snapshot(url)
    for cmd in (["journal"], ["tb", "--book", "FJ-CAS"]):
        err = _refused(capsys, "store-too-new", cmd[0], case_dir, *cmd[1:], "--store", store)
        assert ("账簿由更新版本的 finshare 写入（数据库版本 9999，本程序只认识到 0005）/ the store was written by a newer "
                "finshare (schema revision 9999; this finshare knows revisions up to 0005)") in err
        assert "fix: upgrade finshare (pip install -U finshare) to open it; this version leaves it unchanged" in err
    assert _snapshot(url) == before


def test_store_written_by_a_newer_finshare_is_refused_on_sqlite(case_dir, capsys):
    store = _posted(case_dir, capsys)
    _assert_too_new(case_dir, capsys, store, f"sqlite:///{store}")


def test_store_written_by_a_newer_finshare_is_refused_on_postgresql(case_dir, capsys, pg_database):
    _posted(case_dir, capsys, pg_database)
    _assert_too_new(case_dir, capsys, pg_database, pg_database)
