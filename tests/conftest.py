"""The fixtures of the test suite, in one place.

One factory for stores: every store test runs on SQLite, and on PostgreSQL when JOBKPI_TEST_POSTGRES_URL is set
(under CI=true an unreachable PostgreSQL fails instead of skipping). Each test gets a fresh, migrated, empty store
copied from a template migrated once per session: a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL.

The app under AppTest reads the store a fixture serves it (served_demo_url, served_staff_store); tests start it
with the one launcher in tests/factories.py (start_app, start_page, open_page, login).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi.demo.seed import load_demo
from kpi.store import Store
from tests.browser import require_chromium, serve_app
from tests.factories import serve, sqlite_url, staff_copy

PG_URL = os.environ.get("JOBKPI_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ["sqlite", "postgres"]
_counter = itertools.count()


def _pg_admin() -> sa.Engine:
    return sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def _pg_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    if not PG_URL:
        return "JOBKPI_TEST_POSTGRES_URL is not set"
    try:
        with _pg_admin().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver error means unreachable
        return f"PostgreSQL unreachable at {PG_URL}: {exc}"
    return None


class StoreFactory:
    """Makes fresh empty stores of one backend, and cleans them up."""

    def __init__(self, backend: str, workdir: Path) -> None:
        self.backend = backend
        self.workdir = workdir
        self.made: list[tuple[Store, str]] = []
        tag = f"{os.getpid()}"
        if backend == "sqlite":
            self.template = workdir / "template.db"
            Store.open(f"sqlite:///{self.template}").engine.dispose()
        else:
            self.template_db = f"jobkpi_tpl_{tag}"
            with _pg_admin().connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.template_db}"'))
                conn.execute(sa.text(f'CREATE DATABASE "{self.template_db}"'))
            tpl = Store.open(self._pg_url(self.template_db))
            tpl.engine.dispose()

    def _pg_url(self, db: str) -> str:
        return sa.engine.make_url(PG_URL).set(database=db).render_as_string(hide_password=False)

    def __call__(self) -> Store:
        n = next(_counter)
        if self.backend == "sqlite":
            path = self.workdir / f"store_{n}.db"
            shutil.copy(self.template, path)
            store, name = Store(f"sqlite:///{path}"), str(path)
        else:
            name = f"jobkpi_t_{os.getpid()}_{n}"
            with _pg_admin().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_db}"'))
            store = Store(self._pg_url(name))
        self.made.append((store, name))
        return store

    def cleanup(self) -> None:
        for store, name in self.made:
            store.engine.dispose()
            if self.backend == "postgres":
                with _pg_admin().connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if self.backend == "postgres":
            with _pg_admin().connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.template_db}" WITH (FORCE)'))


@pytest.fixture(scope="session", params=BACKENDS)
def store_factory(request, tmp_path_factory) -> Iterator[StoreFactory]:
    """A factory of fresh stores for each backend (PostgreSQL skipped off CI when unreachable)."""
    if request.param == "postgres":
        why = _pg_reachable()
        if why:
            if IN_CI:
                pytest.fail(f"CI=true requires PostgreSQL: {why}")
            pytest.skip(why)
    factory = StoreFactory(request.param, tmp_path_factory.mktemp(request.param))
    yield factory
    factory.cleanup()


@pytest.fixture
def make_store(store_factory) -> Iterator[Callable[[], Store]]:
    """Call to get a fresh, empty, migrated store of the current backend (its connections close after the test)."""
    first = len(store_factory.made)
    yield store_factory
    for made, _name in store_factory.made[first:]:
        made.engine.dispose()


@pytest.fixture
def store(make_store) -> Store:
    """A fresh, empty, migrated store of the current backend."""
    return make_store()


@pytest.fixture
def empty_database(store_factory, tmp_path) -> Iterator[str]:
    """The URL of an empty database of the current backend (no schema at all): for stores migrated step by step."""
    if store_factory.backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    name = f"jobkpi_old_{os.getpid()}"
    with _pg_admin().connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield store_factory._pg_url(name)
    with _pg_admin().connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def demo_store(store_factory) -> Store:
    """A store holding the demo data, shared read-only by the tests of one backend."""
    s = store_factory()
    load_demo(s)
    return s


@pytest.fixture(scope="session")
def sqlite_demo_url(tmp_path_factory) -> str:
    """URL of a SQLite file holding the demo data (for app and CLI tests)."""
    url = sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db")
    s = Store.open(url)
    load_demo(s)
    s.engine.dispose()
    return url


@pytest.fixture
def served_demo_url(monkeypatch, sqlite_demo_url) -> str:
    """The session's SQLite demo store, served to this test's AppTest runs (read-only: nobody logs in)."""
    serve(monkeypatch, sqlite_demo_url)
    return sqlite_demo_url


@pytest.fixture
def served_staff_store(monkeypatch, tmp_path, sqlite_demo_url) -> Iterator[Store]:
    """A private copy of the demo store with the staff account kim (password 'password-kim'), served to this
    test's AppTest runs; the test may write to it."""
    store = staff_copy(sqlite_demo_url, tmp_path / "staff.db")
    serve(monkeypatch, store.url)
    yield store
    store.engine.dispose()


@pytest.fixture(scope="module")
def demo_server(sqlite_demo_url) -> Iterator[str]:
    """The app served on a loopback port over the session's demo store (read-only), one per module; its base URL.
    Skips without chromium (fails under CI=true)."""
    require_chromium()
    with serve_app(sqlite_demo_url) as base:
        yield base
