"""A staff member's whole round in chromium: log in, download the template, fill it, upload, preview,
commit, see the overview change, revert, and see the overview as it was. Screenshots kept."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kpi.domain.units import fmt_pct
from kpi.store import Store
from kpi.views.report import build_report
from tests.browser import (
    browser_login,
    browser_page,
    exception_boxes,
    screenshot,
    staff_server,
    upload_to_preview,
    wait_for_app,
)
from tests.factories import corner_file
from tests.seed_figures import SEED_PROGRAMS, THOUSAND

AS_OF = date(2024, 6, 30)
PROGRAM, _BUDGET, EXECUTED_BY_MAY, _RATE = SEED_PROGRAMS[1]  # 지역일자리 사업 지원; the demo has no June figure
JUNE = 1_600_000  # 천원, the figure the test types into the template
VIEW = f"/?district=11560&year=2024&as_of={AS_OF.isoformat()}"


@pytest.fixture
def staff_app(tmp_path, sqlite_demo_url):
    with staff_server(tmp_path / "round.db", sqlite_demo_url) as (url, base):
        yield Store(url), base


def execution_shown(page) -> str:
    return page.locator('[data-testid="stMetricValue"]').first.inner_text()


def open_page(page, base: str, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title).click()
    wait_for_app(page)


def test_staff_round_trip(staff_app):
    store, base = staff_app
    before = build_report(store, "11560", 2024, AS_OF)
    with browser_page() as page:
        page.goto(base + VIEW)
        wait_for_app(page)
        assert execution_shown(page) == fmt_pct(before.execution_rate)

        try:
            browser_login(page)
        finally:
            screenshot(page, "upload_0_login")
        open_page(page, base, "실적 업로드")
        screenshot(page, "upload_1_page")

        with page.expect_download() as info:
            page.get_by_role("button", name="입력 양식 내려받기 (.xlsx)").click()
        wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
        ws = wb["입력"]
        ws.append([PROGRAM, 2024, 6, "집행액", "계", JUNE])
        upload_to_preview(page, wb)
        screenshot(page, "upload_2_preview")
        assert exception_boxes(page) == []
        page.get_by_role("button", name="반영하기").click()
        page.get_by_text("반영했습니다").wait_for(timeout=60_000)
        screenshot(page, "upload_3_committed")

        after = build_report(store, "11560", 2024, AS_OF)
        assert after.executed == before.executed + (JUNE - EXECUTED_BY_MAY) * THOUSAND
        open_page(page, base, "종합 현황")
        assert execution_shown(page) == fmt_pct(after.execution_rate) != fmt_pct(before.execution_rate)
        screenshot(page, "upload_4_overview_changed")

        open_page(page, base, "실적 업로드")
        page.get_by_role("button", name="되돌리기").click()
        page.get_by_text("되돌렸습니다").wait_for(timeout=60_000)
        open_page(page, base, "종합 현황")
        assert execution_shown(page) == fmt_pct(before.execution_rate)
        screenshot(page, "upload_5_overview_reverted")
        assert exception_boxes(page) == [] and page.errors == []


def test_a_workbook_that_would_abort_the_reader_is_refused_and_the_server_keeps_serving(staff_app):
    """The 1.6 KB workbook holding only A1 and XFD1048576 (python-calamine would ask for 550 GB and abort the
    process) is refused on the 실적 업로드 page with the far cell named; the overview still answers afterwards."""
    import urllib.request

    store, base = staff_app
    before = build_report(store, "11560", 2024, AS_OF)
    with browser_page() as page:
        page.goto(base + VIEW)
        wait_for_app(page)
        browser_login(page)
        open_page(page, base, "실적 업로드")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "작은파일.xlsx", "mimeType": "application/octet-stream", "buffer": corner_file()}]
        )
        page.get_by_text("오류 1건").wait_for(timeout=60_000)
        wait_for_app(page)
        screenshot(page, "upload_corner_file_refused")
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=30_000)
        shown = " ".join(grid.locator('[role="gridcell"]').all_inner_texts()) or grid.inner_text()
        assert "XFD1048576 셀에 값이 있어" in shown and "지우고" in shown and "저장해 주세요" in shown, shown
        assert exception_boxes(page) == []

        assert urllib.request.urlopen(f"{base}/_stcore/health", timeout=10).status == 200
        page.goto(base + VIEW)  # a fresh session: the same server process answers
        wait_for_app(page)
        assert execution_shown(page) == fmt_pct(before.execution_rate)
        screenshot(page, "upload_corner_file_overview_after")
        assert exception_boxes(page) == []
