"""Accounts in the app: the lockout message on the login form, a session that drops at once when its account
is deactivated or demoted, and no upload or write for a viewer by URL or query parameter (AppTest and chromium)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from kpi.domain.filters import Filters
from kpi.store import auth
from tests.browser import browser_page, exception_boxes, screenshot, wait_for_app
from tests.factories import UPLOAD_PAGE, login, open_page, rerun, start_app

VIEW = {"district": "11560", "year": "2024", "as_of": "2024-05-31"}
FORGED = {**VIEW, "page": "upload", "user": "kim", "role": "admin", "name": "kim"}


def no_write_controls(at: AppTest) -> bool:
    """No file uploader, commit, revert or user form on the page."""
    labels = {b.label for b in at.button}
    return not at.get("file_uploader") and not labels & {"반영하기", "되돌리기", "사용자 추가"}


def cannot_open_the_upload_page(at: AppTest) -> bool:
    """Asking for the upload page (as a link to /upload does) opens no upload page and no write control."""
    try:
        at.switch_page("pages/upload.py")
    except ValueError:  # not among the pages this session was ever offered
        return True
    at.run()
    return not at.exception and no_write_controls(at) and all(t.value != "실적 업로드" for t in at.title)


def test_the_login_form_says_until_when_the_account_is_locked(served_staff_store, monkeypatch):
    monkeypatch.setenv("JOBKPI_LOGIN_MAX_FAILURES", "2")
    at = login(start_app(VIEW), "kim", "wrong-password")
    assert [e.value for e in at.sidebar.error] == ["아이디 또는 비밀번호가 맞지 않습니다."]
    at = login(at, "kim", "wrong-password")
    locked = [e.value for e in at.sidebar.error]
    assert len(locked) == 1 and "2회 잘못 입력해" in locked[0] and "까지 로그인할 수 없습니다" in locked[0]
    at = login(at, "kim", "password-kim")  # the right password, refused while locked
    assert [e.value for e in at.sidebar.error] == locked
    assert not any("kim (담당자)" in c.value for c in at.sidebar.caption)
    at = login(at, "nobody", "wrong-password")  # an unknown name: the same message as a wrong password
    assert [e.value for e in at.sidebar.error] == ["아이디 또는 비밀번호가 맞지 않습니다."]
    auth.unlock(served_staff_store, "kim")
    at = login(at, "kim", "password-kim")
    assert any("kim (담당자)" in c.value for c in at.sidebar.caption)


def test_a_viewer_finds_no_upload_by_url_or_query_parameter(served_staff_store):
    for params in (VIEW, FORGED):
        at = start_app(params)
        assert not at.exception and no_write_controls(at)
        with pytest.raises(ValueError):
            at.switch_page("pages/upload.py")
    # What the server runs for a deep link (/upload) opened as a session's first run: the page file alone.
    for params in (VIEW, FORGED):
        page = start_app(params, state={"filters": Filters("11560", 2024, date(2024, 5, 31))}, script=UPLOAD_PAGE)
        assert not page.exception and no_write_controls(page)
        assert any("로그인" in w.value for w in page.warning)


@pytest.mark.parametrize("change", ["deactivated", "demoted"])
def test_a_session_loses_writing_at_once_when_its_account_changes(served_staff_store, change):
    on_upload = login(start_app(VIEW), "kim", "password-kim")  # one session on the upload page,
    assert open_page(on_upload, "pages/upload.py").get("file_uploader")
    on_overview = login(start_app(VIEW), "kim", "password-kim")  # another on the front page
    assert any(c.value == "kim (담당자)" for c in on_overview.sidebar.caption)
    if change == "deactivated":
        auth.set_role(served_staff_store, "kim", "staff", active=False)
    else:
        auth.set_role(served_staff_store, "kim", "viewer")
    on_upload.run()  # the upload page's next rerun
    assert not on_upload.exception and no_write_controls(on_upload)
    assert any("로그인" in w.value for w in on_upload.warning)
    on_overview = rerun(on_overview)  # the frame's next rerun: the sidebar and the navigation
    shown = [c.value for c in on_overview.sidebar.caption if "kim" in c.value]
    assert shown == ([] if change == "deactivated" else ["kim (열람자)"])  # signed out, or a viewer
    assert cannot_open_the_upload_page(on_overview)


def test_a_viewer_opening_upload_in_chromium_gets_no_uploader(demo_server):
    base, query = demo_server, urlencode(FORGED)
    with browser_page() as page:
        for n, path in enumerate(("/upload", f"/upload?{query}", f"/?{query}")):
            page.goto(base + path)
            wait_for_app(page)
            screenshot(page, f"viewer_upload_url_{n}")
            assert page.locator('[data-testid="stFileUploader"]').count() == 0, path
            assert page.get_by_role("button", name="반영하기").count() == 0, path
            assert page.locator('[data-testid="stMain"] h1').first.inner_text() != "실적 업로드", path
            assert exception_boxes(page) == [], path
