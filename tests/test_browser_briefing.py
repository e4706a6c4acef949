"""The 브리핑 page in chromium, as a new presenter: pick slides, present, next by keyboard, download the .pptx."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from tests.browser import browser_page, exception_boxes, require_chromium, screenshot, serve_app, wait_for_app


@pytest.fixture(scope="module")
def server(sqlite_demo_url, tmp_path_factory):
    require_chromium()
    prefs_dir = tmp_path_factory.mktemp("prefs")
    with serve_app(sqlite_demo_url, {"JOBKPI_BRIEFING_PREFS_DIR": str(prefs_dir)}) as base:
        yield base, prefs_dir


def _headline(page) -> str:
    return page.locator('[data-testid="briefing-headline"]').inner_text()


def test_present_and_download(server):
    base, prefs_dir = server
    with browser_page(1920, 1080) as page:
        page.goto(f"{base}/?district=11560&year=2024&as_of=2024-05-31")  # a deep link 404s Streamlit's own probes
        wait_for_app(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("브리핑").click()
        page.wait_for_selector('[data-testid="briefing-headline"]')
        wait_for_app(page)
        pick = page.locator('[data-testid="stMultiSelect"]')
        for _ in range(10):  # start from an empty choice, then pick three slides in presentation order
            clear = pick.locator('[data-testid="stMultiSelectClearAll"], [aria-label="Clear all"]')
            if clear.count():
                clear.first.click()
                break
        wait_for_app(page)
        for title in ("예산 집행률", "단위사업별 집행률", "취업률"):
            pick.locator("input").click()
            page.get_by_role("option", name=title, exact=True).click()
            wait_for_app(page)
        page.keyboard.press("Escape")
        assert list(prefs_dir.glob("*.json")), "the choice is saved for the user"
        assert _headline(page) == "집행률 40.7% — 경과율 대비 0.8%p 부족"
        page.get_by_text("발표 모드").click()
        wait_for_app(page)
        screenshot(page, "briefing_slide1_1920x1080")
        page.mouse.click(1900, 1000)  # focus the page, away from any widget
        page.keyboard.press("ArrowRight")
        wait_for_app(page)
        assert _headline(page).startswith("경과율 미달 단위사업 4/7개")
        assert "2 / 3" in page.inner_text("body")
        screenshot(page, "briefing_slide2_keyboard_1920x1080")
        with page.expect_download() as info:
            page.get_by_role("button", name="파워포인트 (.pptx)").click()
        prs = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
        assert len(prs.slides) == 3
        assert exception_boxes(page) == [] and page.errors == []
