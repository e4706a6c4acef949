"""KWCAG 2.2 contrast of the palette (kpi/colors.py) and of the tile map's text: 3:1 for bars, lines and markers
against white, 4.5:1 for text."""

from __future__ import annotations

import pytest

from kpi import colors
from kpi.views.tilemap import contrast, tile_color, tile_ink

WHITE = "#FFFFFF"
GRAPHICS = [
    *colors.OKABE_ITO,
    *(hex_ for _name, hex_ in colors.STATUS.values()),
    colors.EXECUTION,
    colors.PACE,
    colors.TARGET,
    *colors.SOURCE.values(),
    colors.HIGHLIGHT,
    colors.OTHERS,
]


@pytest.mark.parametrize("color", GRAPHICS)
def test_chart_colours_reach_3_to_1_on_white(color):
    assert contrast(color, WHITE) >= 3.0, color


@pytest.mark.parametrize("color", [colors.CAPTION_TEXT, colors.TEXT])
def test_text_colours_reach_4_5_to_1_on_white_and_on_the_sidebar(color):
    assert contrast(color, WHITE) >= 4.5 and contrast(color, "#F0F2F6") >= 4.5


@pytest.mark.parametrize("value", [i / 100 for i in range(101)])
def test_tile_text_reaches_4_5_to_1_on_every_fill(value):
    fill = tile_color(value, 0.0, 1.0)
    assert contrast(fill, tile_ink(fill)) >= 4.5, (value, fill)
