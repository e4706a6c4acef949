"""Every dashboard page in Debian's chromium: no exception box or console error, screenshots, one chart selection."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import browser_page, exception_boxes, screenshot, wait_for_app

PAGES = {
    "overview": "종합 현황",
    "programs": "사업별 실적",
    "budget": "예산 집행",
    "districts": "자치구 비교",
    "pledges": "공약·목표 이행",
}
QUERY = "district=11560&year=2024&as_of=2024-05-31"


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_page_in_chromium(demo_server, size):
    with browser_page(*size) as page:
        page.goto(f"{demo_server}/?{QUERY}")  # then navigate as a user does, through the sidebar
        wait_for_app(page)
        for name, title in PAGES.items():
            page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
            page.wait_for_function(f"() => document.querySelector('h1')?.innerText.startsWith('{title}')")
            wait_for_app(page)
            page.wait_for_timeout(500)  # plotly draws after the script ends
            screenshot(page, f"{name}_{size[0]}x{size[1]}")
            assert exception_boxes(page) == [], name
            assert page.errors == [], (name, page.errors)
            params = parse_qs(urlparse(page.url).query)
            assert params["district"] == ["11560"] and params["as_of"] == ["2024-05-31"], name


def test_selecting_a_bar_filters_the_page(demo_server):
    with browser_page(1366, 768) as page:
        page.goto(f"{demo_server}/?{QUERY}")
        wait_for_app(page)
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text="예산 집행").click()
        page.wait_for_function("() => document.querySelector('h1')?.innerText.startsWith('예산 집행')")
        wait_for_app(page)
        bar = page.locator(".js-plotly-plot").first.locator("g.point path").nth(0)
        box = bar.bounding_box()  # plotly's drag layer takes the mouse: click at the bar's position
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_selector("text=선택: 희망이 되는 안정적인 일자리지원", timeout=20_000)
        wait_for_app(page)
        assert page.errors == [] and exception_boxes(page) == []
        screenshot(page, "budget_selected_1366x768")
