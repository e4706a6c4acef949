"""The slides' layout and theme: the PDF's title slide has no overlapping text (pdftotext -bbox, and a pdftoppm
render kept in artifacts/screenshots/), and screen, PNG/PDF and .pptx share the dashboard's theme (kpi/theme.py):
colours per funding source, status and own district, one font stack, the unit said once, a pace line on the pace slides,
value axes from zero."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from datetime import date

import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from kpi import theme
from kpi.domain.units import round_half_up
from kpi.exports.figures import slide_figure
from kpi.exports.pdf import deck_pdf
from kpi.exports.pptx import deck_pptx
from kpi.exports.slides import build_deck
from kpi.views import charts
from kpi.views.report import build_report
from tests.browser import ARTIFACTS, require_chromium, require_tool

AS_OF = date(2024, 5, 31)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
SOURCE_OF = {"국비": "national", "시비": "city", "구비": "district", "기타": "other"}


@pytest.fixture(scope="module")
def deck(demo_store):
    return build_deck(demo_store, "11560", 2024, AS_OF)


@pytest.fixture(scope="module")
def by(deck):
    return {s.key: s for s in deck.slides}


def _title_page_words(deck, name: str, tmp_path) -> list[tuple[float, float, float, float, str]]:
    """The PDF's first page: rendered to artifacts/screenshots/<name>.png, its words with boxes (pt)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(deck_pdf(deck))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-r", "96", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / name)],
                   check=True)  # fmt: skip
    out = subprocess.run([pdftotext, "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True)
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(out.stdout)]


def _assert_no_overlap(words) -> None:
    """Words of different lines never share area; every word lies on the 960 x 540 pt page."""
    assert words
    for x0, y0, x1, y1, w in words:
        assert 0 <= x0 < x1 <= 960 and 0 <= y0 < y1 <= 540, (w, x0, y0, x1, y1)
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            same_line = abs(a[1] - b[1]) < 0.5 and abs(a[3] - b[3]) < 0.5
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            assert same_line or dx <= 0.5 or dy <= 0.5, f"{a[4]!r} overlaps {b[4]!r}: {a[:4]} {b[:4]}"


def test_pdf_title_slide_has_no_overlapping_text(deck, tmp_path):
    require_chromium()
    words = _title_page_words(dataclasses.replace(deck, slides=deck.slides[:2]), "briefing_pdf_title", tmp_path)
    _assert_no_overlap(words)
    text = " ".join(w for *_, w in words)
    assert text.count("브리핑") == 1  # the title once
    assert "기준일:" in text and "자료:" in text and "표본" in text


def test_pdf_title_slide_with_many_long_sources_stays_clean(deck, tmp_path):
    require_chromium()
    title = deck.slides[0]
    body = (
        title.body[0],
        *(f"자료: 2024년 주요업무 보고 ({n}) 세부사업별 세출현황 지방재정365 내려받기 사본 {n}" for n in range(9)),
    )
    stressed = dataclasses.replace(deck, slides=(dataclasses.replace(title, body=body),))
    _assert_no_overlap(_title_page_words(stressed, "briefing_pdf_title_many_sources", tmp_path))


def _texts(fig) -> list[str]:
    """Every text a figure prints: title, annotations, axis titles."""
    out = [fig.layout.title.text or "", *(a.text or "" for a in fig.layout.annotations)]
    return [*out, fig.layout.xaxis.title.text or "", fig.layout.yaxis.title.text or ""]


def test_figures_use_the_dashboard_theme(deck, by, demo_store):
    report = build_report(demo_store, "11560", 2024, AS_OF)
    for slide in deck.slides:
        fig = slide_figure(slide, deck)
        assert fig.layout.font.family == theme.FONT_STACK == charts.base(go.Figure()).layout.font.family
        if slide.chart is None:
            continue
        assert sum(t.count("단위:") for t in _texts(fig)) == 1, slide.key  # the unit once
        value_axis = fig.layout.xaxis if slide.chart.kind in ("bar", "stacked_bar") else fig.layout.yaxis
        assert value_axis.range[0] == 0, slide.key  # from zero
    funding = slide_figure(by["funding"], deck)
    for trace in funding.data:
        if trace.type == "bar":
            assert trace.marker.color == theme.SOURCE[SOURCE_OF[trace.name]]
    rank = next(t for t in slide_figure(by["rank"], deck).data if t.type == "bar")
    own = list(by["rank"].chart.categories).index("영등포구")
    assert rank.marker.color[own] == theme.HIGHLIGHT
    assert {c for i, c in enumerate(rank.marker.color) if i != own} == {theme.OTHERS}
    units = report.programs[report.programs["level"] == "unit"]
    for key in ("programs", "lagging"):  # headlines about pace draw the pace line
        fig = slide_figure(by[key], deck)
        (line,) = [s for s in fig.layout.shapes if s.type == "line"]
        assert line.x0 == line.x1 == round_half_up(report.pace, 1) == 41.5
        assert line.line.color == theme.PACE
        assert any(t.name == "경과율 41.5%" for t in fig.data)
    bars = next(t for t in slide_figure(by["programs"], deck).data if t.type == "bar")
    assert list(bars.marker.color) == [theme.STATUS[s][1] for s in units["status"]]


def test_dashboard_district_bars_start_at_zero():
    fig = charts.district_bars(["영등포구", "종로구"], [65.2, 52.5], "영등포구", [False, False], "고용률")
    assert fig.layout.yaxis.range[0] == 0


def test_pptx_uses_the_dashboard_theme(deck, by):
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    pages = dict(zip((s.key for s in deck.slides), prs.slides, strict=True))
    for key, page in pages.items():
        if by[key].chart is None:
            continue
        chart = next(sh.chart for sh in page.shapes if sh.has_chart)
        assert chart.value_axis.minimum_scale == 0 and not chart.value_axis.has_title, key
        units = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame and "단위:" in sh.text_frame.text]
        assert units == [theme.unit_label(by[key].chart.unit)], key
    funding = next(sh.chart for sh in pages["funding"].shapes if sh.has_chart)
    for series in funding.plots[0].series:
        assert f"#{series.format.fill.fore_color.rgb}" == theme.SOURCE[SOURCE_OF[series.name]]
    rank = next(sh.chart for sh in pages["rank"].shapes if sh.has_chart).plots[0].series[0]
    own = list(by["rank"].chart.categories).index("영등포구")
    assert f"#{rank.points[own].format.fill.fore_color.rgb}" == theme.HIGHLIGHT
    assert f"#{rank.points[own + 1].format.fill.fore_color.rgb}" == theme.OTHERS
    for key in ("programs", "lagging"):  # the pace line stands at the pace on the chart's fixed value axis
        page = pages[key]
        frame = next(sh for sh in page.shapes if sh.has_chart)
        (line,) = [sh for sh in page.shapes if sh.name == "pace-line"]
        manual = frame.chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea")).find(qn("c:layout"))[0]
        x, w = (float(manual.find(qn(f"c:{tag}")).get("val")) for tag in ("x", "w"))
        share = by[key].chart.pace / frame.chart.value_axis.maximum_scale
        assert line.begin_x == line.end_x
        assert abs(line.begin_x - (frame.left + frame.width * (x + w * share))) < 12700  # within 1 pt
        assert f"#{line.line.color.rgb}" == theme.PACE
