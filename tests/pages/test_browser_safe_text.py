"""Uploaded Markdown/HTML payloads in chromium (issue 9): every page at 1366x768 shows them as text.

The store holds programs, a team, a pledge, a file name, an uploader and an upload note named with payloads
(tests/safe_payloads.py, committed through Store.commit), and the test uploads one more file through the upload
page. On every page: no <a> to another origin, no <img> from outside (or from `<img src=x>`), no coloured text,
badge or icon made from a name, no KaTeX, no emoji from a shortcode, no dialog, and no network request to any
host but the app's own. Screenshots go to artifacts/screenshots/safe_text_*.png.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlparse

import pytest
from openpyxl import load_workbook

from kpi.importers import write_template
from kpi.store import Store, queries
from kpi.views.safe_text import JOINER
from tests import safe_payloads as sp
from tests.browser import (
    browser_login,
    browser_page,
    exception_boxes,
    require_chromium,
    screenshot,
    serve_app,
    wait_for_app,
)

QUERY = urlencode(sp.VIEW)
STATUS_BADGES = {"정상", "주의", "부진", "자료 없음", "사유 미입력"}  # the badges the app itself draws
UPLOAD_NAME = "[파일](http:evil.example) <img src=x> :red[파일] $y$.xlsx"
NEW_PROGRAM = "<a href='http://evil.example/new'>신규</a> :red[신규] ![n](http://evil.example/n.png)"

# Violations in the rendered DOM, as lists of short descriptions (empty lists when the page shows text only).
DOM_CHECK = """(statuses) => {
  const here = location.origin;
  const outside = (url) => { try { const u = new URL(url, location.href);
      return !['data:', 'blob:', 'about:', 'javascript:'].includes(u.protocol) && u.origin !== here; }
    catch (e) { return true; } };
  const short = (e) => e.outerHTML.slice(0, 160);
  const out = {};
  out.links = [...document.querySelectorAll('a')].filter(a => {
      const href = a.getAttribute('href') || a.getAttribute('xlink:href') || '';
      return href && !href.startsWith('#') && outside(href); }).map(short);
  out.images = [...document.querySelectorAll('img, image')].filter(i => {
      const src = i.getAttribute('src') || i.getAttribute('href') || i.getAttribute('xlink:href') || '';
      return outside(src) || src === 'x' || i.getAttribute('alt') === 'Streamlit logo'; }).map(short);
  out.handlers = [...document.querySelectorAll('[onerror], [onload], [onclick]')]
      .filter(e => !e.closest('.js-plotly-plot')).map(short);
  out.colored = [...document.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground')].map(short);
  out.badges = [...document.querySelectorAll('.stMarkdownBadge')]
      .filter(b => !statuses.includes(b.textContent.trim())).map(short);
  out.styled = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] [style]')]
      .filter(e => /긴급|적색|업로더|파일|신규|evil/.test(e.textContent)).map(short);
  out.icons = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] [role="img"]')].map(short);
  out.katex = [...document.querySelectorAll('.katex, .katex-display, math')].map(short);
  out.plotly = [...document.querySelectorAll('.js-plotly-plot tspan[style*="fill"], .js-plotly-plot a')]
      .filter(e => /적색|evil|신규|x/.test(e.textContent)).map(short);
  out.emoji = /[\\u{1F300}-\\u{1FAFF}\\u{2600}-\\u{27BF}]/u.test(document.body.innerText) ? ['emoji in text'] : [];
  return out;
}"""


@pytest.fixture(scope="module")
def payload_app(tmp_path_factory):
    require_chromium()
    url = sp.payload_store_url(tmp_path_factory.mktemp("payload_app") / "payloads.db")
    store = Store(url)
    with store.read() as conn:
        ids = queries.programs(conn, sp.DISTRICT).set_index("name")["id"]
    store.engine.dispose()
    with serve_app(url) as base:
        yield base, ids


def visible_text(page) -> str:
    return page.inner_text('[data-testid="stApp"]').replace(JOINER, "")


def check(page, base: str, name: str, requests: list[str], dialogs: list[str]) -> str:
    """Assert the page shows uploaded text as text only; screenshot it; return its visible text."""
    page.wait_for_timeout(700)  # plotly draws after the script ends
    path = screenshot(page, f"safe_text_{name}")
    found = page.evaluate(DOM_CHECK, sorted(STATUS_BADGES))
    assert {k: v for k, v in found.items() if v} == {}, (name, path)
    host = urlparse(base).netloc
    assert [u for u in requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != host] == []
    assert dialogs == [], name
    assert exception_boxes(page) == [], name
    return visible_text(page)


def go(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    page.wait_for_function(f"() => document.querySelector('h1')?.innerText.startsWith('{title}')")
    wait_for_app(page)


def test_payloads_render_as_text_on_every_page(payload_app):
    base, ids = payload_app
    with browser_page(1366, 768) as page:
        requests: list[str] = []
        dialogs: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(f"{base}/?{QUERY}")
        wait_for_app(page)
        text = check(page, base, "overview", requests, dialogs)
        for name in (sp.LINK, sp.PIXEL, sp.RED, sp.IMG, sp.ANCHOR, sp.MATH, sp.ICON):  # the attention list
            assert name in text, name
        assert sp.UPLOADER in text and sp.FILENAME in text  # the freshness caption

        go(page, "브리핑")  # the deck is one document in an iframe: its steps run there (kpi.exports.deck_html)
        deck = page.frame_locator('iframe[title^="브리핑 슬라이드"]')
        deck.locator("html[data-drawn]").wait_for(state="attached")
        for _ in range(2):  # to 단위사업별 집행률, whose headline and notes name the programs
            deck.get_by_role("button", name="다음").click()
        check(page, base, "briefing", requests, dialogs)
        frame = next(f for f in page.frames if f.url == "about:srcdoc")
        found = frame.evaluate(DOM_CHECK, sorted(STATUS_BADGES))
        assert {k: v for k, v in found.items() if v} == {}, "briefing deck"
        headline = deck.locator("section.slide.current .gtitle").text_content()
        notes = deck.locator(".notes ol.current").inner_text()
        assert f"최저 {sp.LINK}" in headline and sp.FORMULA in notes and sp.ANCHOR in notes

        go(page, "예산 집행")
        bar = page.locator(".js-plotly-plot").first.locator("g.point path").nth(0)
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()  # select the first program's bar: the page names it in an info box
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("선택: ").first.wait_for(timeout=20_000)
        wait_for_app(page)
        text = check(page, base, "budget", requests, dialogs)
        assert f"선택: {sp.LINK}" in text

        go(page, "자치구 비교")
        check(page, base, "districts", requests, dialogs)

        go(page, "공약·목표 이행")
        text = check(page, base, "pledges", requests, dialogs)
        assert sp.PLEDGE in text and sp.IMG in text

        go(page, "사업별 실적")
        page.locator('[data-testid="stSelectbox"]').filter(has_text="상세를 볼 사업").click()
        page.keyboard.type("긴급")  # filter the plain-text options, pick the one left
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => location.search.includes('program={int(ids[sp.RED])}')")
        wait_for_app(page)
        text = check(page, base, "programs", requests, dialogs)
        assert sp.RED in text  # the drill-down subheader

        browser_login(page, sp.UPLOADER, sp.UPLOADER_PASSWORD)
        assert f"{sp.UPLOADER} (담당자)" in visible_text(page)  # the signed-in caption, as text
        go(page, "실적 업로드")
        buf = io.BytesIO()
        write_template(buf, [sp.LINK], None, sp.YEAR)
        wb = load_workbook(buf)
        wb["입력"].append([NEW_PROGRAM, sp.YEAR, 5, "집행액", "계", 1_000])
        filled = io.BytesIO()
        wb.save(filled)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": UPLOAD_NAME, "mimeType": "application/octet-stream", "buffer": filled.getvalue()}]
        )
        page.get_by_text("반영 미리보기").wait_for(timeout=60_000)
        wait_for_app(page)
        text = check(page, base, "upload_preview", requests, dialogs)
        assert UPLOAD_NAME in text
        page.get_by_role("button", name="반영하기").click()
        page.get_by_text("반영했습니다").wait_for(timeout=60_000)
        wait_for_app(page)
        check(page, base, "upload_committed", requests, dialogs)

        go(page, "종합 현황")
        text = check(page, base, "overview_after_upload", requests, dialogs)
        assert UPLOAD_NAME in text and sp.UPLOADER in text  # the freshness caption names the new upload
        assert page.errors == [], page.errors
