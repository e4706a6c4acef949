"""The 브리핑 page in chromium: present the whole deck by keyboard at 1366x768 and 1920x1080 right after entering
presentation mode (each slide fully inside the viewport, every control covered, no script rerun per step), and,
as a new presenter, pick slides, step through them and download the .pptx.

Screenshots of every presented slide are kept in artifacts/screenshots/briefing_present_<size>_<n>.png.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation

from tests import browser
from tests.browser import browser_page, exception_boxes, require_chromium, screenshot, serve_app, wait_for_app

DECK = 'iframe[title^="브리핑 슬라이드"]'
KEYS_NEXT = ("ArrowRight", "PageDown", "Space")  # → PageDown Space (a clicker sends PageDown or →)
TEXTS = """el => [...el.querySelectorAll('text')]
  .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent, cls: t.getAttribute('class') || '',
                      box: [r.left, r.top, r.right, r.bottom]}; })"""


@pytest.fixture(scope="module")
def server(sqlite_demo_url, tmp_path_factory):
    require_chromium()
    prefs_dir = tmp_path_factory.mktemp("prefs")
    with serve_app(sqlite_demo_url, {"JOBKPI_BRIEFING_PREFS_DIR": str(prefs_dir)}) as base:
        yield base, prefs_dir


def _server_log(base: str) -> str:
    return (browser.ARTIFACTS.parent / f"server_{base.rsplit(':', 1)[1]}.log").read_text(errors="replace")


def _open_briefing(page, base: str, slides: int | None = 10):
    """The 브리핑 page with its deck frame loaded (and, when `slides` is given, that many slides drawn)."""
    page.goto(f"{base}/?district=11560&year=2024&as_of=2024-05-31")  # a deep link 404s Streamlit's own probes
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("브리핑").click()
    page.wait_for_selector(DECK)
    wait_for_app(page)
    deck = page.frame_locator(DECK)
    if slides is not None:
        deck.locator(f'html[data-drawn="{slides}"]').wait_for(state="attached")
    return deck


def _runs(page) -> int:
    """How many times the page's script has run in this session (the page counts its runs)."""
    return int(page.locator('[data-testid="briefing-keys"]').get_attribute("data-runs"))


def _slide_no(deck) -> int:
    return int(deck.locator("html").get_attribute("data-slide"))


def _inside(box, outer, tol: float = 0.5) -> bool:
    """(left, top, right, bottom) box within the outer one."""
    return all(box[i] >= outer[i] - tol for i in (0, 1)) and all(box[i] <= outer[i] + tol for i in (2, 3))


def _overlap(a: list[float], b: list[float], tol: float = 1.0) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _check_presented_slide(page, deck, width: int, height: int) -> None:
    """The current slide fills the viewport (16:9, letterboxed), every text of it inside; the frame covers the app."""
    svg = deck.locator("section.slide.current .main-svg").first.bounding_box()
    box = (svg["x"], svg["y"], svg["x"] + svg["width"], svg["y"] + svg["height"])
    view = (0.0, 0.0, float(width), float(height))
    assert _inside(box, view), f"slide {box} not inside the {width}x{height} viewport"
    assert svg["width"] >= width - 2 or svg["height"] >= height - 2, "the slide fills the viewport"
    texts = deck.locator("section.slide.current").evaluate(TEXTS)
    assert texts, "the slide has text"
    for t in texts:
        assert _inside(t["box"], box), f"text {t['text']!r} leaves the slide"
    footer = [t for t in texts if "2024. 5. 31. 기준" in t["text"]]
    headline = [t for t in texts if "gtitle" in t["cls"]]
    for fixed in footer + headline:  # nothing runs into the footer or the headline (rotated rank labels did)
        for other in texts:
            if other is not fixed:
                assert not _overlap(fixed["box"], other["box"]), f"{fixed['text']!r} overlaps {other['text']!r}"
    # Every control of the app page is under the frame: the picker, the title, the sidebar.
    hits = page.evaluate(
        """() => [[innerWidth / 2, 30], [innerWidth / 2, innerHeight / 4], [20, innerHeight / 2],
                  [innerWidth - 20, innerHeight - 20]].map(([x, y]) => document.elementFromPoint(x, y)?.tagName)"""
    )
    assert set(hits) == {"IFRAME"}, hits


def _check_back_on_the_page(page) -> None:
    """After presenting: the app's controls are reachable again and the frame is as tall as the deck (no gap)."""
    pick = page.locator('[data-testid="stMultiSelect"]').bounding_box()
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.tagName", [pick["x"] + 20, pick["y"] + 10])
    assert hit != "IFRAME"
    frame, content = page.evaluate(
        f"""() => {{ const f = document.querySelector('{DECK}');
                    return [f.getBoundingClientRect().height,
                            f.contentDocument.getElementById('deck').getBoundingClientRect().height]; }}"""
    )
    assert abs(frame - content) <= 2, (frame, content)


def _check_title_slide(deck) -> None:
    """The title slide on screen: the title once, and no two texts on top of each other."""
    texts = deck.locator("section.slide.current").evaluate(TEXTS)
    joined = " ".join(t["text"] for t in texts)
    assert joined.count("일자리 주요 지표 브리핑") == 1
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), f"{a['text']!r} overlaps {b['text']!r}"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_present_the_whole_deck_by_keyboard(server, width, height):
    base, _ = server
    size = f"{width}x{height}"
    with browser_page(width, height) as page:
        sent: list[object] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
        deck = _open_briefing(page, base)
        screenshot(page, f"briefing_page_{size}")
        stage = deck.locator("#stage").bounding_box()  # on the page, the whole slide shows without scrolling
        assert stage["y"] + stage["height"] <= height and stage["x"] + stage["width"] <= width
        runs, messages = _runs(page), len(sent)
        assert _slide_no(deck) == 1

        deck.get_by_role("button", name="발표 모드").click()
        assert deck.locator("html.presenting").count() == 1
        for n in range(1, 11):  # the keys work at once: no click into the slide first
            assert _slide_no(deck) == n
            _check_presented_slide(page, deck, width, height)
            if n == 1:
                _check_title_slide(deck)
            page.screenshot(path=str(browser.ARTIFACTS / f"briefing_present_{size}_{n:02d}.png"))
            page.keyboard.press(KEYS_NEXT[n % len(KEYS_NEXT)])
        assert _slide_no(deck) == 10  # past the last slide it stays there
        for key, want in (("PageUp", 9), ("ArrowLeft", 8), ("Shift+Space", 7), ("Home", 1), ("End", 10)):
            page.keyboard.press(key)
            assert _slide_no(deck) == want, key
        page.keyboard.press("Escape")
        assert deck.locator("html.presenting").count() == 0
        _check_back_on_the_page(page)

        # Focus on the app page (a click on its title): ← and → still step the deck.
        page.locator('[data-testid="stMain"] h1').click()
        page.keyboard.press("ArrowLeft")
        assert _slide_no(deck) == 9
        # Full screen right after a click on the page: keys go to the deck at once.
        deck.get_by_role("button", name="전체 화면으로 발표").click()
        assert deck.locator("html.presenting").count() == 1
        page.keyboard.press("PageDown")
        assert _slide_no(deck) == 10
        _check_presented_slide(page, deck, width, height)
        page.keyboard.press("Escape")
        deck.locator("html:not(.presenting)").wait_for(state="attached")

        # Not one step reran the script or even sent a message to the server.
        assert _runs(page) == runs
        assert len(sent) == messages
        assert exception_boxes(page) == [] and page.errors == []
    assert "deprecat" not in _server_log(base).lower()


@pytest.fixture
def fresh_server(sqlite_demo_url, tmp_path):
    """A server whose presenters have no saved slide choice yet."""
    require_chromium()
    with serve_app(sqlite_demo_url, {"JOBKPI_BRIEFING_PREFS_DIR": str(tmp_path)}) as base:
        yield base, tmp_path


def test_pick_present_and_download(fresh_server):
    base, prefs_dir = fresh_server
    with browser_page(1920, 1080) as page:
        deck = _open_briefing(page, base)
        pick = page.locator('[data-testid="stMultiSelect"]')
        clear = pick.locator('[aria-label="모두 지우기"], [aria-label="Clear all"]')  # ko: localized
        clear.first.click()  # start from an empty choice, then pick three slides in presentation order
        wait_for_app(page)
        for title in ("예산 집행률", "단위사업별 집행률", "취업률"):
            pick.locator("input").click()
            page.get_by_role("option", name=title, exact=True).click()
            wait_for_app(page)
        page.keyboard.press("Escape")
        assert list(prefs_dir.glob("*.json")), "the choice is saved for the user"
        deck = page.frame_locator(DECK)
        deck.locator('html[data-drawn="3"]').wait_for(state="attached")
        headline = deck.locator("section.slide.current .gtitle")
        assert headline.text_content() == "집행률 40.7% — 경과율 대비 0.8%p 부족"
        page.locator('[data-testid="stMain"] h1').click()  # focus the page, away from any widget
        page.keyboard.press("ArrowRight")
        assert headline.text_content().startswith("경과율 미달 단위사업 4/7개")
        assert deck.locator("#pos").inner_text() == "2 / 3"
        notes = deck.locator(".notes ol.current").inner_text()
        assert "인력운영비: 33.5%" in notes  # the current slide's speaker notes
        screenshot(page, "briefing_slide2_keyboard_1920x1080")
        with page.expect_download() as info:
            page.get_by_role("button", name="파워포인트 (.pptx)").click()
        prs = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
        assert len(prs.slides) == 3
        assert exception_boxes(page) == [] and page.errors == []
