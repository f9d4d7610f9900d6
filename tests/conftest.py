import os
from pathlib import Path

import pytest

from browser import CHROMIUM, DEFAULT_TIMEOUT_MS, VIEWPORT, VoilaServer, collect_console_errors

ROOT = Path(__file__).resolve().parents[1]
BROWSER_FIXTURES = {"voila_server", "browser", "page"}


def pytest_collection_modifyitems(items):
    """Tests using the browser or PostgreSQL fixtures get the matching marker (-m 'not browser')."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & {"pg_url", "pg_database"}:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_url():
    url = os.environ.get("FINSHARE_PG_URL")
    if not url:
        pytest.fail("no PostgreSQL server (FINSHARE_PG_URL is not set): run scripts/test.sh, which starts one, "
                    "or deselect these tests with -m 'not postgres'", pytrace=False)
    return url


@pytest.fixture
def pg_database(pg_url):
    """A fresh, empty PostgreSQL database on the test server; dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    name = f"finshare_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(sa.text(f"CREATE DATABASE {name}"))
    yield pg_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as con:
        con.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Factory: voila_server("notebooks/apps/x.ipynb") -> base URL; one server per notebook per session."""
    servers: dict[Path, VoilaServer] = {}

    def serve(notebook) -> str:
        path = Path(notebook)
        path = (path if path.is_absolute() else ROOT / path).resolve()
        if path not in servers:
            log = tmp_path_factory.mktemp("voila") / f"{path.stem}.log"
            servers[path] = VoilaServer(path, log).start()
        return servers[path].url

    yield serve
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/setup.sh (installs Debian's chromium; "
            "Playwright never downloads its own browser here)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def console_errors():
    """Console errors of `page`, known-harmless noise removed; assert it is empty at the end of a test."""
    return []


@pytest.fixture
def page(browser, console_errors):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(DEFAULT_TIMEOUT_MS)
    collect_console_errors(pg, console_errors)
    yield pg
    context.close()


FUJIAN = ROOT / "datasets" / "fujian"


@pytest.fixture
def fujian():
    """The Fujian case, freshly loaded (documents may be changed by a test)."""
    import finshare

    return finshare.load_case(FUJIAN)


@pytest.fixture
def case_dir(tmp_path):
    """A private copy of the Fujian case folder, as a consultant would make."""
    import shutil

    dest = tmp_path / "case"
    shutil.copytree(FUJIAN, dest, ignore=shutil.ignore_patterns("ledger.sqlite*"))
    return dest
