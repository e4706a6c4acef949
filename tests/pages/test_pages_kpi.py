"""The pages' kpi helpers: download bytes, colours, the tile grid, chart hovers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from kpi import theme as colors
from kpi.domain import districts
from kpi.exports.data_files import to_csv_bom
from kpi.exports.data_files import xlsx_bytes as to_xlsx_bytes
from kpi.views import charts
from kpi.views.tilemap import tile_figure

FRAME = pd.DataFrame({"사업명": ["동행일자리", "지역공동체일자리"], "예산액(백만원)": [3094, 199]})


def test_csv_has_bom_and_korean():
    data = to_csv_bom(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["사업명,예산액(백만원)", "동행일자리,3094", "지역공동체일자리,199"]


def test_xlsx_round_trips():
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(FRAME, "공약/예산"))).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["사업명", "예산액(백만원)"],
        ["동행일자리", 3094],
        ["지역공동체일자리", 199],
    ]


def test_program_colours_are_stable_and_inherited():
    a = colors.program_colors([1, 2, 3, 8], [None, None, None, 2])
    b = colors.program_colors([8, 3, 2, 1], [2, None, None, None])
    assert a == b and a[8] == a[2] and len({a[1], a[2], a[3]}) == 3 and colors.TARGET not in a.values()


def test_tiles_are_unique_and_roughly_geographic():
    cells = {(d.tile_row, d.tile_col) for d in districts.DISTRICTS}
    assert len(cells) == 25
    at = {d.name: (d.tile_row, d.tile_col) for d in districts.DISTRICTS}
    assert at["강북구"][0] < at["성북구"][0] and at["종로구"][0] < at["중구"][0] < at["용산구"][0]
    assert at["강서구"][1] < at["마포구"][1] < at["중구"][1] < at["성동구"][1] < at["광진구"][1] < at["강동구"][1]


def test_tile_map_hover_and_highlight():
    fig = tile_figure({"11560": 65.2, "11110": 52.5}, "11560", "고용률", {"11110": True})
    hover = fig.data[0].hovertext
    assert "영등포구 고용률 65.2%" in hover and "종로구 고용률 52.5% (표본)" in hover
    own = [s for s in fig.layout.shapes if s.line.width == 4]
    assert len(own) == 1


def test_hovers_carry_units():
    fig = charts.program_bars(["동행일자리"], [3094.0], [1000.0], [32.3], ["#0072B2"], [False], "백만원")
    assert "예산액 3,094백만원" in fig.data[0].customdata[0] and "집행률 32.3%" in fig.data[0].customdata[0]
