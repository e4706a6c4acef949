"""KWCAG 2.2 contrast of the palette (kpi/theme.py) and of the tile map's text: 3:1 for bars, lines and markers
against white, 4.5:1 for text."""

from __future__ import annotations

import pytest

from kpi import theme
from kpi.views.tilemap import contrast, tile_color, tile_ink

WHITE = "#FFFFFF"
GRAPHICS = [
    *theme.OKABE_ITO,
    *(hex_ for _name, hex_ in theme.STATUS.values()),
    theme.EXECUTION,
    theme.PACE,
    theme.TARGET,
    *theme.SOURCE.values(),
    theme.HIGHLIGHT,
    theme.OTHERS,
]


@pytest.mark.parametrize("color", GRAPHICS)
def test_chart_colours_reach_3_to_1_on_white(color):
    assert contrast(color, WHITE) >= 3.0, color


@pytest.mark.parametrize("color", [theme.CAPTION_TEXT, theme.TEXT])
def test_text_colours_reach_4_5_to_1_on_white_and_on_the_sidebar(color):
    assert contrast(color, WHITE) >= 4.5 and contrast(color, "#F0F2F6") >= 4.5


@pytest.mark.parametrize("value", [i / 100 for i in range(101)])
def test_tile_text_reaches_4_5_to_1_on_every_fill(value):
    fill = tile_color(value, 0.0, 1.0)
    assert contrast(fill, tile_ink(fill)) >= 4.5, (value, fill)


def test_streamlit_config_uses_the_one_font_stack():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["theme"]["font"] == theme.CSS_FONT_STACK == theme.streamlit_theme()["font"]
    assert theme.FONT_STACK.split(", ") == [f.strip("'") for f in theme.CSS_FONT_STACK.split(", ")]
    assert theme.KOREAN_FONT in theme.FONTS and theme.OFFICE_FONT in theme.FONTS


def test_screen_and_slide_figures_use_the_registered_templates():
    import plotly.io as pio

    from kpi.views import charts

    assert {theme.SCREEN, theme.PROJECTOR} <= set(pio.templates)
    fig = charts.metric_trend([1, 2], [1.0, 2.0], "x", "%")
    assert fig.layout.template.layout.font.family == theme.FONT_STACK == fig.layout.font.family
    assert fig.layout.template.layout.separators == ".,"


def test_funding_source_colours_are_the_same_in_both_languages():
    from kpi.domain.catalog import FUNDING_SOURCES, SPLIT_SOURCES
    from kpi.i18n import term
    from kpi.views import charts

    def colours(lang: str) -> list[str]:
        by = {term(FUNDING_SOURCES[s], lang): [1.0] for s in SPLIT_SOURCES}
        return [bar.marker.color for bar in charts.stacked_by_source(["a"], by, "천원").data]

    assert colours("en") == colours("ko") == [theme.SOURCE[s] for s in SPLIT_SOURCES]
