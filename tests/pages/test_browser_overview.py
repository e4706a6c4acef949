"""The overview in a real browser: the seed figures, no exception box, no console error, the URL kept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser import browser_page, exception_boxes, require_chromium, screenshot, serve_app, wait_for_app


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_overview_in_chromium(demo_server, size):
    with browser_page(*size) as page:
        page.goto(f"{demo_server}/?district=11560&year=2024&as_of=2024-05-31")
        wait_for_app(page)
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert metrics[:2] == ["40.7%", "40.0%"]
        assert "표본 자료" in page.inner_text("body")
        screenshot(page, f"overview_{size[0]}x{size[1]}")
        assert exception_boxes(page) == [] and page.errors == []
        params = parse_qs(urlparse(page.url).query)
        assert params["district"] == ["11560"] and params["as_of"] == ["2024-05-31"]


def test_copied_link_reopens_the_view(demo_server):
    with browser_page() as page:
        page.goto(f"{demo_server}/?district=11170&year=2024&as_of=2024-04-30&unit=%EB%B0%B1%EB%A7%8C%EC%9B%90")
        wait_for_app(page)
        assert "용산구" in page.locator("h1").first.inner_text()
        assert "기준일: 2024. 4. 30." in page.locator('[data-testid="stSidebar"]').inner_text()
        assert page.errors == []


def test_first_click_keeps_the_other_filters(sqlite_demo_url):
    """Regression: on a fresh server the first widget change used to reset every sidebar filter."""
    require_chromium()
    with serve_app(sqlite_demo_url) as fresh, browser_page() as page:
        page.goto(f"{fresh}/?district=11560&year=2024&as_of=2024-05-31")
        wait_for_app(page)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(3).click()
        page.get_by_role("option", name="백만원").click()
        page.wait_for_function("() => location.search.includes('unit=%EB%B0%B1%EB%A7%8C%EC%9B%90')")
        wait_for_app(page)
        params = parse_qs(urlparse(page.url).query)
        assert params == {"district": ["11560"], "year": ["2024"], "as_of": ["2024-05-31"], "unit": ["백만원"]}
        assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "40.7%"
