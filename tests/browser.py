"""Browser-test helpers: the app served on a loopback port, Debian's chromium driven by Playwright, and the
other outside tools some tests need (require_tool).

Browser tests skip on a laptop without /usr/bin/chromium, and fail under CI=true instead (so do tests of a
missing tool). Screenshots go to artifacts/screenshots/ (kept by CI as test artifacts).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.factories import STAFF_LOGIN

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts" / "screenshots"


def _missing(what: str, package: str) -> None:
    """Skip the test for a missing outside program; fail it under CI=true, where scripts/test installs them all."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true requires {what} (apt-get install {package})")
    pytest.skip(f"{what} is not installed (apt-get install {package})")


def require_chromium() -> None:
    """Skip (or fail under CI=true) when Debian's chromium is missing."""
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM, "chromium")


def require_tool(name: str, package: str) -> str:
    """Path of a command-line tool; skip without it (fail under CI=true)."""
    path = shutil.which(name)
    if path is None:
        _missing(name, package)
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(database_url: str, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `streamlit run app.py` on a free loopback port; yields the base URL, stops the server after."""
    port = free_port()
    env = {**os.environ, "JOBKPI_DATABASE_URL": database_url, "JOBKPI_LOAD_DEMO": "never", **(extra_env or {})}
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS.parent / f"server_{port}.log", "wb")  # noqa: SIM115 (closed below; a pipe would fill)
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "scripts" / "serve.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"the app server exited; see {log.name}") from None
                time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def browser_page(width: int = 1366, height: int = 768):
    """A Playwright page in Debian's chromium; collects console errors and page exceptions in page.errors."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        try:
            yield page
        finally:
            browser.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no running indicator, no skeletons)."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    idle = (
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
    )
    for _ in range(2):  # idle twice, half a second apart: a rerun that was about to start has started
        page.wait_for_function(idle, timeout=timeout)
        page.wait_for_timeout(500)


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/screenshots/ and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def exception_boxes(page) -> list[str]:
    """Texts of Streamlit exception boxes on the page."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


@contextmanager
def staff_server(path: Path, demo_url: str | None = None) -> Iterator[tuple[str, str]]:
    """A served app on a SQLite store at `path` with the demo data and the staff account kim
    (password 'password-kim'); yields (database URL, base URL). With `demo_url` (the sqlite_demo_url fixture)
    the store is a copy of that demo store, else the demo is loaded afresh."""
    from kpi.demo.seed import load_demo
    from kpi.store import Store
    from tests.factories import sqlite_url, staff_copy, with_staff_login

    require_chromium()
    if demo_url:
        store = staff_copy(demo_url, path)
    else:
        store = Store.open(sqlite_url(path))
        load_demo(store)
        with_staff_login(store)
    store.engine.dispose()
    with serve_app(store.url) as base:
        yield store.url, base


def browser_login(page, name: str = STAFF_LOGIN[0], password: str = STAFF_LOGIN[1]) -> None:
    """Sign in through the sidebar form and wait for the signed-in caption."""
    page.get_by_text("담당자 로그인").click()
    page.get_by_role("textbox", name="아이디").fill(name)
    page.get_by_role("textbox", name="비밀번호").fill(password)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.locator('[data-testid="stSidebar"]').get_by_text("(담당자)").wait_for(timeout=30_000)


def upload_to_preview(page, workbook, name: str = "6월_실적.xlsx") -> None:
    """Drop an openpyxl workbook on the upload page's file input and wait for its 반영 미리보기."""
    filled = io.BytesIO()
    workbook.save(filled)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": filled.getvalue()}]
    )
    page.get_by_text("반영 미리보기").wait_for(timeout=60_000)
    wait_for_app(page)
