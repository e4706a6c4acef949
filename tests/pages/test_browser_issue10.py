"""Issue 10 in Debian's chromium, at 1366x768 and 1920x1080: the cross-filter (a click on a tile or a bar filters the
page, the selection lives in the URL and reopens from a copied link, one click clears it), every page reachable by
its path, the UI in one language (no English widget text in the Korean UI, no Hangul but data in the English one),
the upload flow after a commit, and the axe-core audit (KWCAG 2.2 rules) of every page in both languages.

axe-core comes from the installed axe-playwright-python package (its bundled axe.min.js): nothing is fetched.
Screenshots go to artifacts/screenshots/ (i10_*), axe reports to artifacts/axe/.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

from kpi.domain import districts
from kpi.settings import load_settings
from kpi.store import Store, queries
from kpi.views import breakdowns
from tests.browser import (
    ARTIFACTS,
    browser_login,
    browser_page,
    exception_boxes,
    require_chromium,
    screenshot,
    serve_app,
    staff_server,
    upload_to_preview,
    wait_for_app,
)

SIZES = [(1366, 768), (1920, 1080)]
QUERY = "district=11560&year=2024&as_of=2024-05-31"
PAGES = ["overview", "briefing", "programs", "budget", "districts", "pledges"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
REPORTS = ARTIFACTS.parent / "axe"


@pytest.fixture(scope="module")
def servers(sqlite_demo_url):
    require_chromium()
    with serve_app(sqlite_demo_url) as ko, serve_app(sqlite_demo_url, {"JOBKPI_LANG": "en"}) as en:
        yield {"ko": ko, "en": en}


def real_errors(page) -> list[str]:
    """Console errors, less the two 404s Streamlit's frontend itself causes on a deep link (/budget?...): it asks
    /budget/_stcore/health and /_stcore/host-config relative to the path before it asks them at the root."""
    return [e for e in page.errors if "status of 404" not in e]


IDLE = (
    "() => !!document.querySelector('[data-testid=\"stMain\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    " && !document.querySelector('[data-stale=\"true\"]')"
    " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
)


def open_path(page, base: str, path: str, query: str = QUERY) -> None:
    """Open a page by its path and wait until the script has finished (twice idle, half a second apart; not
    tests.browser.wait_for_app, which needs an h1 in the main area, and the briefing draws its own)."""
    page.goto(f"{base}/{path}?{query}")
    page.wait_for_selector('[data-testid="stMain"] h1, [data-testid="stMain"] iframe', timeout=60_000)
    for _ in range(2):
        page.wait_for_function(IDLE, timeout=60_000)
        page.wait_for_timeout(500)
    page.wait_for_timeout(600)  # plotly draws after the script has ended


def plot_data(page, chart: int) -> list[dict]:
    script = "(i) => document.querySelectorAll('.js-plotly-plot')[i].data.map(d => ({x: d.x, y: d.y}))"
    return page.evaluate(script, chart)


def click_point(page, chart: int, trace: int, index: int) -> None:
    """Click the index-th bar of a trace at its position (plotly's drag layer takes the mouse): the centre of the
    bar's visible part (a hatched bar's element reaches past the plot area)."""
    page.locator(".js-plotly-plot").nth(chart).scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([chart, trace, index]) => {
          const gd = document.querySelectorAll('.js-plotly-plot')[chart];
          const bar = gd.querySelectorAll('g.trace.bars')[trace].querySelectorAll('g.point')[index];
          const b = bar.querySelector('path').getBoundingClientRect();
          const a = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const left = Math.max(a.left, b.left), right = Math.min(a.right, b.right);
          const top = Math.max(a.top, b.top), bottom = Math.min(a.bottom, b.bottom);
          return [(left + right) / 2, (top + bottom) / 2];
        }""",
        [chart, trace, index],
    )
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    wait_for_app(page)


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


# --- cross-filter ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_click_a_tile_and_a_bar_filter_the_districts_page_and_the_link_reopens_it(servers, size):
    with browser_page(*size) as page:
        open_path(page, servers["ko"], "districts")
        assert "선택:" not in page.inner_text("body")
        # a tile: 마포구 (tile map is the second chart; tiles are one scatter trace, in DISTRICTS order)
        tiles = page.locator('[data-testid="stPlotlyChart"]').nth(1)
        tiles.scroll_into_view_if_needed()
        label = tiles.locator("g.textpoint text").filter(has_text="마포")
        box = label.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.get_by_text("선택: 마포구").wait_for(timeout=20_000)
        wait_for_app(page)
        assert params(page)["sel"] == ["11440"]
        assert page.get_by_role("heading", name="마포구 순위 추이").count() == 1  # the rest of the page follows
        assert page.get_by_role("heading", name="영등포구 순위 추이").count() == 0
        screenshot(page, f"i10_districts_tile_{size[0]}x{size[1]}")

        # a bar: the last district on the bars chart (ranked lowest)
        names = plot_data(page, 0)[0]["x"]
        click_point(page, 0, 0, len(names) - 1)
        lowest = names[-1]
        page.get_by_text(f"선택: {lowest}").wait_for(timeout=20_000)
        assert params(page)["sel"] == [districts.BY_NAME[lowest].sig_cd]
        assert page.get_by_role("heading", name=f"{lowest} 순위 추이").count() == 1
        screenshot(page, f"i10_districts_bar_{size[0]}x{size[1]}")
        copied = page.url
        assert exception_boxes(page) == [] and real_errors(page) == []

    with browser_page(*size) as page:  # someone opens the copied link
        page.goto(copied)
        wait_for_app(page)
        page.get_by_text(f"선택: {lowest}").wait_for(timeout=20_000)
        assert page.get_by_role("heading", name=f"{lowest} 순위 추이").count() == 1
        widths = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[0].data[0].marker.line.width")
        assert widths[names.index(lowest)] > 0 and sum(1 for w in widths if w) == 1  # outlined on the chart too
        screenshot(page, f"i10_districts_reopened_{size[0]}x{size[1]}")
        page.get_by_role("button", name="선택 해제").click()  # one click clears it
        wait_for_app(page)
        assert "선택:" not in page.inner_text("body") and "sel" not in params(page)
        assert page.get_by_role("heading", name="영등포구 순위 추이").count() == 1
        assert exception_boxes(page) == [] and real_errors(page) == []


@pytest.mark.parametrize("size", SIZES)
def test_a_unit_programs_bar_filters_funding_with_its_sub_programs(servers, size):
    with browser_page(*size) as page:
        open_path(page, servers["ko"], "budget")
        names = [n.removeprefix("└ ") for n in plot_data(page, 0)[0]["y"]]
        index = names.index("지역일자리 사업 지원")
        click_point(page, 0, 1, index)  # the executed (dark) bar
        page.get_by_text("선택: 지역일자리 사업 지원").wait_for(timeout=20_000)
        funded = plot_data(page, 1)[0]["y"]  # 재원별 예산: its sub-programs carry 시비/구비
        assert {"동행일자리", "지역공동체일자리"} <= set(funded), funded
        assert "지역기반 상생기업 활성화" not in funded
        chosen = params(page)["programs"]
        screenshot(page, f"i10_budget_unit_{size[0]}x{size[1]}")
        copied = page.url
        assert exception_boxes(page) == [] and real_errors(page) == []

    with browser_page(*size) as page:
        page.goto(copied)
        wait_for_app(page)
        page.get_by_text("선택: 지역일자리 사업 지원").wait_for(timeout=20_000)
        page.wait_for_timeout(500)
        assert "동행일자리" in plot_data(page, 1)[0]["y"] and params(page)["programs"] == chosen
        page.get_by_role("button", name="선택 해제").click()
        wait_for_app(page)
        page.wait_for_timeout(500)
        assert "programs" not in params(page) and "지역기반 상생기업 활성화" in plot_data(page, 1)[0]["y"]


def test_a_year_bar_filters_the_pledge_budget(servers):
    with browser_page(1366, 768) as page:
        open_path(page, servers["ko"], "pledges")
        years = plot_data(page, 0)[0]["x"]
        click_point(page, 0, 1, 1)  # the actual bar of the second year
        page.get_by_text(f"선택: {years[1]}").wait_for(timeout=20_000)
        page.wait_for_timeout(500)
        assert plot_data(page, 1)[0]["x"] == [years[1]]
        assert params(page)["years"] == [years[1].removesuffix("년")]
        screenshot(page, "i10_pledges_year_1366x768")
        assert exception_boxes(page) == [] and real_errors(page) == []


# --- every page by its path -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_at_its_path(servers, path):
    titles = {"overview": "종합 현황", "briefing": "브리핑", "programs": "사업별 실적", "budget": "예산 집행",
              "districts": "자치구 비교", "pledges": "공약·목표 이행"}  # fmt: skip
    with browser_page() as page:
        open_path(page, servers["ko"], path)
        assert page.locator("h1").first.inner_text().startswith(titles[path])
        assert page.locator('[role="dialog"]').count() == 0  # no "page not found"
        assert urlparse(page.url).path == f"/{path}"


# --- one language -----------------------------------------------------------------------------------------

SCAN = """() => {
  const out = [];
  const root = document.querySelector('[data-testid="stApp"]');
  const skip = (el) => el.closest('[data-testid="stIconMaterial"], script, style, [aria-hidden="true"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el) || !n.nodeValue.trim()) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    out.push(n.nodeValue.trim());
  }
  for (const el of root.querySelectorAll('[placeholder], [aria-label], [title], [data-title]')) {
    if (el.closest('[data-testid="stIconMaterial"]')) continue;
    for (const a of ['placeholder', 'aria-label', 'title', 'data-title']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
}"""
# Latin words that are not English UI text: file types, units, key names, the login kind, and data (below).
LATIN_OK = {"CSV", "PDF", "PNG", "png", "XLSX", "XLS", "xlsx", "xls", "csv", "pptx", "zip", "MB", "KB", "KPI", "OIDC",
            "Shift", "Enter", "PageDown", "PageUp", "Space", "Home", "End", "Esc", "F11", "Plotly", "js"}  # fmt: skip


def data_strings(url: str) -> list[str]:
    """Texts that come from the data (names of programs, pledges, districts, teams, programs' target groups as the
    sheets state them, files, uploaders), longest first, with the shortened forms the charts draw."""
    store = Store(url)
    out: set[str] = set()
    with store.engine.connect() as conn:
        progs = queries.programs(conn, "11560")
        uploads = queries.uploads(conn, "11560")
    for name in [*progs["name"], *progs.get("team", []), *uploads["filename"], *uploads["uploaded_by"]]:
        if isinstance(name, str):
            out |= {name, name[:14].strip(), name[:16].strip()}
    for groups in progs.get("target_groups", []):
        out |= {g.strip() for g in str(groups or "").split("|") if g.strip()}
    pledges = breakdowns.pledge_table(store, "11560")
    out |= {str(x) for x in [*pledges["pledge"], *pledges["item"]]}
    for d in districts.DISTRICTS:
        out |= {d.name, d.name.removesuffix("구")}
    store.engine.dispose()
    return sorted(out, key=len, reverse=True)


def foreign(texts: list[str], lang: str, data: list[str]) -> list[str]:
    bad = set()
    for text in texts:
        for d in data:
            text = text.replace(d, " ")
        if lang == "ko":
            words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in LATIN_OK]
        else:
            words = re.findall(r"[\uac00-\ud7a3]+", text)
        if words:
            bad.add(text)
    return sorted(bad)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_the_ui_is_in_one_language(servers, sqlite_demo_url, lang, path, request):
    data = data_strings(sqlite_demo_url)
    with browser_page(1366, 768) as page:
        open_path(page, servers[lang], path)
        page.locator('[data-testid="stExpander"] summary').first.click()  # a data view open: its headers too
        wait_for_app(page)
        texts = page.evaluate(SCAN)
        assert foreign(texts, lang, data) == []


# --- axe-core ---------------------------------------------------------------------------------------------


def axe_run(page) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_axe_finds_no_serious_violation(servers, lang, size):
    REPORTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list] = {}
    with browser_page(*size) as page:
        for path in PAGES:
            open_path(page, servers[lang], path)
            result = axe_run(page)
            found[path] = [
                {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:160] for n in v["nodes"]]}
                for v in result["violations"]
            ]
            screenshot(page, f"i10_{lang}_{path}_{size[0]}x{size[1]}")
    (REPORTS / f"axe_{lang}_{size[0]}x{size[1]}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    serious = {p: [v for v in vs if v["impact"] in ("serious", "critical")] for p, vs in found.items()}
    assert {p: vs for p, vs in serious.items() if vs} == {}


# --- upload: after a commit only the success, and the uploader empty --------------------------------------


@pytest.fixture
def staff_app(tmp_path):
    with staff_server(tmp_path / "i10.db") as (_url, base):
        yield base


def test_after_a_commit_the_uploader_is_empty_and_only_the_success_shows(staff_app):
    with browser_page() as page:
        page.goto(f"{staff_app}/?district=11560&year=2024&as_of=2024-06-30")
        wait_for_app(page)
        browser_login(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("실적 업로드").click()
        wait_for_app(page)
        dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').inner_text()
        settings = load_settings()  # the browser takes the larger limit (a national 지방재정365 CSV); the importer
        server_mb = max(settings.max_upload_mb, settings.lofin_max_upload_mb)  # refuses by each format's own
        assert "파일 선택" in dropzone and f"파일당 {server_mb}MB까지" in dropzone and "Upload" not in dropzone
        with page.expect_download() as info:
            page.get_by_role("button", name="입력 양식 내려받기 (.xlsx)").click()
        wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
        wb["입력"].append(["지역일자리 사업 지원", 2024, 6, "집행액", "계", 1_600_000])
        upload_to_preview(page, wb)
        page.get_by_role("button", name="반영하기").click()
        page.get_by_text("반영했습니다").wait_for(timeout=60_000)
        wait_for_app(page)
        screenshot(page, "i10_upload_committed_1366x768")
        body = page.inner_text('[data-testid="stMain"]')
        assert "이미 반영된 적이" not in body and "반영 미리보기" not in body
        assert page.locator('[data-testid="stFileUploaderFile"]').count() == 0  # the uploader is empty again
        assert "+00:00" not in body
        page.get_by_role("link", name="종합 현황에서 바뀐 수치 보기").click()
        page.wait_for_function("() => document.querySelector('h1')?.innerText.startsWith('종합 현황')")
        assert exception_boxes(page) == [] and real_errors(page) == []
