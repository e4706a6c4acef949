"""PNG and PDF through kaleido and Debian's chromium: Korean glyphs (not boxes), non-blank images, one browser."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from kpi.exports import png
from kpi.exports.pdf import deck_pdf
from kpi.exports.slides import build_deck
from kpi.theme import FONT_STACK, KOREAN_FONT
from tests.browser import ARTIFACTS, require_chromium


@pytest.fixture(scope="module")
def deck(demo_store):
    require_chromium()
    return build_deck(demo_store, "11560", 2024, date(2024, 5, 31), ["execution", "programs", "rank"])


def _gray(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def _ink(data: bytes) -> int:
    """Number of non-white pixels."""
    return sum(_gray(data).histogram()[:200])


def test_korean_glyphs_are_drawn_not_boxes():
    require_chromium()
    fonts = subprocess.run(["fc-match", "-f", "%{family}", f"{KOREAN_FONT}:lang=ko"], capture_output=True, text=True)
    assert KOREAN_FONT in fonts.stdout  # fontconfig resolves the theme's Korean font to itself

    def title_png(text: str) -> bytes:
        fig = go.Figure(layout={"title": {"text": text, "font": {"family": FONT_STACK, "size": 40}},
                                "xaxis": {"visible": False}, "yaxis": {"visible": False}})  # fmt: skip
        return png.render(fig)

    hangul, other = title_png("집행률 경과율"), title_png("취업률 달성률")
    boxes = title_png("\U000f0000\U000f0001\U000f0002 \U000f0003\U000f0004\U000f0005")  # private-use: tofu boxes
    assert _ink(hangul) > 500
    # Distinct Hangul words draw distinct glyphs; tofu would draw the same boxes for both.
    assert ImageChops.difference(_gray(hangul), _gray(other)).getbbox()
    assert ImageChops.difference(_gray(hangul), _gray(boxes)).getbbox()


def test_slide_pngs_are_16_9_and_not_blank(deck):
    pngs = png.slide_pngs(deck)
    assert [name for name, _ in pngs] == ["01_execution.png", "02_programs.png", "03_rank.png"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, data in pngs:
        img = Image.open(io.BytesIO(data))
        assert img.size == (1280, 720)
        assert _ink(data) > 5_000
        (ARTIFACTS / f"briefing_{name}").write_bytes(data)


def test_pdf_has_a_page_per_slide_with_korean_text(deck):
    reader = PdfReader(io.BytesIO(deck_pdf(deck)))
    assert len(reader.pages) == 3
    first = " ".join(reader.pages[0].extract_text().split())
    assert "집행률 40.7% — 경과율 대비 0.8%p 부족" in first and "표본 자료" in first
    assert "인력운영비" in reader.pages[1].extract_text()
