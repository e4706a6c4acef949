"""The .pptx read back with python-pptx: native charts whose values equal the KPI functions' figures,
Korean East-Asian fonts, notes, sample tags; and a real render (LibreOffice) that shows Korean text."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from kpi.domain.units import round_half_up
from kpi.exports.pptx import deck_pptx
from kpi.exports.slides import build_deck
from kpi.theme import KOREAN_FONT
from kpi.views.report import build_report
from tests.browser import require_tool


@pytest.fixture(scope="module")
def deck(demo_store):
    return build_deck(demo_store, "11560", 2024, date(2024, 5, 31))


@pytest.fixture(scope="module")
def pptx_bytes(deck):
    return deck_pptx(deck)


def _charts(prs):
    return {i: s.shapes for i, s in enumerate(prs.slides)}


def test_chart_values_equal_the_kpis(pptx_bytes, deck, demo_store):
    prs = Presentation(io.BytesIO(pptx_bytes))
    assert len(prs.slides) == len(deck.slides) == 10
    report = build_report(demo_store, "11560", 2024, date(2024, 5, 31))
    units = report.programs[report.programs["level"] == "unit"]
    for page, slide in zip(prs.slides, deck.slides, strict=True):
        charts = [sh.chart for sh in page.shapes if sh.has_chart]
        assert len(charts) == (0 if slide.chart is None else 1)
        if not charts:
            continue
        plot = charts[0].plots[0]
        assert tuple(plot.categories) == slide.chart.categories
        for got, want in zip(plot.series, slide.chart.series, strict=True):
            assert got.name == want.name and tuple(got.values) == want.values
    programs = next(p for p, s in zip(prs.slides, deck.slides, strict=True) if s.key == "programs")
    values = next(sh.chart for sh in programs.shapes if sh.has_chart).plots[0].series[0].values
    assert tuple(values) == tuple(round_half_up(v, 1) for v in units["execution_rate"])
    assert tuple(values)[:2] == (34.5, 36.9)
    execution = next(p for p, s in zip(prs.slides, deck.slides, strict=True) if s.key == "execution")
    line = next(sh.chart for sh in execution.shapes if sh.has_chart).plots[0].series
    assert line[0].values[-1] == round_half_up(report.execution_rate, 1) == 40.7


def test_text_notes_and_sample_marks(pptx_bytes, deck):
    prs = Presentation(io.BytesIO(pptx_bytes))
    for page, slide in zip(prs.slides, deck.slides, strict=True):
        texts = [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]
        assert slide.headline in texts
        assert ("표본 자료" in texts) == (slide.sample if slide.key != "title" else deck.includes_sample)
        assert page.notes_slide.notes_text_frame.text == "\n".join(slide.notes)
    title = prs.slides[0].shapes
    body = next(sh.text_frame.text for sh in title if sh.name == "body")
    assert "기준일: 2024. 5. 31." in body and "자료:" in body


def test_every_run_and_chart_names_a_korean_east_asian_font(pptx_bytes):
    prs = Presentation(io.BytesIO(pptx_bytes))
    for page in prs.slides:
        for shape in page.shapes:
            parts = [shape.chart.part._element] if shape.has_chart else [shape._element]
            for el in parts:
                for rpr in el.iter(qn("a:rPr"), qn("a:defRPr")):
                    if rpr.getparent().tag == qn("a:lvl1pPr") or rpr.find(qn("a:latin")) is None:
                        continue
                    assert rpr.find(qn("a:ea")).get("typeface") == KOREAN_FONT
    fonts = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    if KOREAN_FONT not in fonts and os.environ.get("CI", "").lower() != "true":
        pytest.skip(f"{KOREAN_FONT} is not installed (apt-get install fonts-noto-cjk)")
    assert KOREAN_FONT in fonts


def test_a_render_shows_korean_text(pptx_bytes, tmp_path):
    soffice = require_tool("soffice", "libreoffice-impress-nogui")
    pdftotext = require_tool("pdftotext", "poppler-utils")
    src = tmp_path / "deck.pptx"
    src.write_bytes(pptx_bytes)
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180, env=env)  # fmt: skip
    text = subprocess.run([pdftotext, str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True).stdout
    assert "집행률 40.7% — 경과율 대비 0.8%p 부족" in " ".join(text.split())
    assert "희망이 되는 안정적인 일자리지원" in text and "표본 자료" in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "deck.pdf")], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts  # the glyphs came from the Korean font, not a fallback box
