"""What tests build and start, in one place, so each test states only what it is about: small batches, stores
with accounts, and the one AppTest launcher (start_app, open_page, rerun, login) every AppTest test uses."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from kpi.domain.batch import Batch, BudgetRow, FactRow, ProgramSpec
from kpi.store import Store, auth, queries
from kpi.store.model import VERSIONED_KEYS, Upload
from tests.corpus_factory import sparse_xlsx

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
UPLOAD_PAGE = str(ROOT / "pages" / "upload.py")
STAFF_LOGIN = ("kim", "password-kim")  # the staff account of the served stores (staff_copy, browser.staff_server)
TIMEOUT_S = 60


def with_accounts(store: Store, *users: auth.User) -> Store:
    """Give a store the accounts of the people a test acts as (every write checks the account in the store)."""
    for user in users:
        auth.add_user(store, user.name, user.role, None)
    return store


def budget_batch(
    values: dict[str, tuple[int, int]],
    *,
    year: int = 2024,
    month: int = 5,
    district: str = "11560",
    name: str = "sheet.xlsx",
    by: str = "staff1",
    sample: bool = False,
) -> Batch:
    """A batch like an 예산현황 sheet: program -> (budget 원, executed 원) for one month."""
    return Batch(
        district_cd=district,
        kind="budget_table",
        filename=name,
        content=repr((values, year, month, name)).encode(),
        as_of=date(year, month, 28),
        uploaded_by=by,
        is_sample=sample,
        programs=[ProgramSpec(p, department="일자리정책과") for p in values],
        budgets=[BudgetRow(p, year, "total", b) for p, (b, _e) in values.items()],
        facts=[FactRow(p, year, month, "executed", e) for p, (_b, e) in values.items()],
    )


@cache
def corner_file() -> bytes:
    """The 1.6 KB workbook holding only A1 and XFD1048576 (python-calamine would allocate 550 GB)."""
    return sparse_xlsx({"A1": "사업명", "XFD1048576": 1})


# --- stores


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every value table and of the upload table, for before/after comparisons."""
    out = {}
    with store.engine.connect() as conn:
        for model in [*VERSIONED_KEYS, Upload]:
            table = model.__table__
            cols = [c for c in table.c if c.name not in ("content", "uploaded_at")]
            out[table.name] = [tuple(r) for r in conn.execute(sa.select(*cols).order_by(table.c.id))]
    return out


def current(store: Store, district: str = "11560", year: int = 2024) -> dict[tuple, int]:
    """Current executed facts as {(program_id, month): value}."""
    with store.engine.connect() as conn:
        rows = queries.facts(conn, district, year)
    rows = rows[rows["metric"] == "executed"]
    return {(int(p), int(m)): int(v) for p, m, v in zip(rows["program_id"], rows["month"], rows["value"], strict=True)}


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{path}"


def with_staff_login(store: Store, name: str = STAFF_LOGIN[0], password: str = STAFF_LOGIN[1]) -> Store:
    """Give a store a staff account that signs in by password (the login form of a served app)."""
    auth.add_user(store, name, "staff", password)
    return store


def staff_copy(demo_url: str, path: Path) -> Store:
    """A copy of a SQLite store (the session's demo store) at `path`, with the staff account kim
    (password 'password-kim'): what every served test that writes needs, without loading the demo again."""
    shutil.copyfile(demo_url.removeprefix("sqlite:///"), path)
    return with_staff_login(Store.open(sqlite_url(path)))


def migrated_to(url: str, revision: str) -> Store:
    """A store at `url` (an empty database) migrated only up to `revision`, with 영등포구 in its district table:
    an office's store of an older version, to migrate further in a test."""
    from alembic import command

    from kpi.store.engine import alembic_config

    store = Store(url)
    with store.engine.begin() as conn:
        cfg = alembic_config(store.url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.execute(
            sa.text(
                "INSERT INTO district (sig_cd, kostat_cd, name, sort_order) VALUES ('11560', '11190', '영등포구', 0)"
            )
        )
    return store


# --- the AppTest launcher


def serve(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Make the app that AppTest runs next read the store at `url` (and never load the demo into it)."""
    monkeypatch.setenv("JOBKPI_DATABASE_URL", url)
    monkeypatch.setenv("JOBKPI_LOAD_DEMO", "never")


def start_app(
    params: Mapping[str, str] | None = None, *, state: Mapping[str, object] | None = None, script: str = APP
) -> AppTest:
    """Run the app (or one page file, as the server runs a deep link's first run) once, with these query
    parameters and session state; returns the AppTest after its first run."""
    at = AppTest.from_file(script, default_timeout=TIMEOUT_S)
    at.query_params.update(params or {})
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def open_page(at: AppTest, path: str) -> AppTest:
    """Switch a running app to a page (e.g. "pages/overview.py") and run it; the page must raise nothing."""
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def start_page(
    path: str, params: Mapping[str, str] | None = None, *, state: Mapping[str, object] | None = None
) -> AppTest:
    """start_app, then open_page: the page as a user reaches it from the front door."""
    return open_page(start_app(params, state=state), path)


def rerun(at: AppTest) -> AppTest:
    """Rerun from the frame, as the server does. AppTest resets Streamlit's legacy pages/-folder flag before every
    run and would rerun only the page the last run finished on (skipping app.py and its sidebar); an empty page
    hash makes it start at app.py. (The real server's first-run quirk is handled in app.py itself.)"""
    at._finished_page_script_hash = ""
    return at.run()


def login(at: AppTest, name: str = STAFF_LOGIN[0], password: str = STAFF_LOGIN[1]) -> AppTest:
    """Submit the sidebar login form."""
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(password)
    next(b for b in at.sidebar.button if b.label == "로그인").click()
    return rerun(at)
