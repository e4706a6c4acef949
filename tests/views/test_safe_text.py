"""Uploaded text comes back out as text (issue 9): the escaping helpers, and every export read back.

Markdown and plotly escaping are checked here on the strings; tests/pages/test_safe_pages.py checks each page through
AppTest and tests/pages/test_browser_safe_text.py checks the rendered DOM and the network in chromium.
"""

from __future__ import annotations

import csv
import io
import json
import string
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from kpi.exports import data_files
from kpi.exports.council_xlsx import council_xlsx
from kpi.exports.figures import slide_figure
from kpi.exports.pptx import deck_pptx
from kpi.exports.slides import build_deck
from kpi.importers.template import HELP_SHEET, write_template
from kpi.views import charts
from kpi.views.safe_text import JOINER, MD_INLINE, csv_frame, csv_text, md, plot_text, safe_filename, text_cell
from kpi.views.tilemap import tile_figure
from tests import safe_payloads as sp


def unescape_md(text: str) -> str:
    """What Streamlit shows for md(text): the backslashes and word joiners gone."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out).replace(JOINER, "")


# --- Markdown


@pytest.mark.parametrize("payload", [*sp.MARKUP, *sp.FORMULAS, sp.TEAM, sp.PLEDGE, sp.FILENAME, sp.UPLOADER])
def test_md_escapes_markdown_characters_and_shows_the_same_text(payload):
    out = md(payload)
    assert unescape_md(out) == payload  # the text as written
    chars = out.replace(JOINER, "")
    i = 0
    while i < len(chars):  # every character with an inline Markdown meaning is a backslash escape
        if chars[i] == "\\":
            assert chars[i + 1] in string.punctuation, (payload, out)
            i += 2
        else:
            assert chars[i] not in MD_INLINE, (payload, out, i)
            i += 1


def test_md_escapes_what_opens_a_block_at_the_start_only():
    assert md("- 목록") == "\\- 목록" and md("+ 목록") == "\\+ 목록" and md("===") == "\\==="
    assert md("1. 목록") == "1\\. 목록" and md("2024. 5. 31.") == "2024\\. 5. 31."
    assert md("집행률 9.1% — 대비 -32.4%p") == "집행률 9.1% — 대비 -32.4%p"  # figures read as written
    assert md("    들여쓴\n# 제목\r\n\t- 목록") == "들여쓴 \\# 제목 - 목록"  # no line can start a block
    assert md(None) == "" and md(float("nan")) == "" and md(12) == "12"


def test_md_breaks_what_streamlit_rewrites_after_parsing():
    # Streamlit replaces `:material_x:`, `:streamlit:` and emoji in parsed text, remark-gfm links http://, www. and
    # a@b.c there, where a backslash no longer shows: a word joiner (invisible) splits each pattern.
    j = JOINER
    assert md(":material_warning:") == f"\\:{j}material\\_warning\\:"
    assert md(":streamlit: :smile:") == f"\\:{j}streamlit\\: \\:{j}smile\\:"
    assert md("http://evil.example") == f"http\\:{j}//evil.example"
    assert md("WWW.evil") == f"WWW{j}.evil"
    assert md("a@b.c") == f"a@{j}b.c"
    assert md("A -- B -> C") == f"A -{j}- B -{j}\\> C"
    assert md("긴급: 재설정") == "긴급\\: 재설정"  # a colon before a space needs no joiner


# --- plotly


def test_plot_text_escapes_tags_and_ampersands_only():
    assert plot_text('<a href="http://evil.example">x</a>') == '&lt;a href="http://evil.example"&gt;x&lt;/a&gt;'
    assert plot_text("R&amp;D <br> 'a'") == "R&amp;amp;D &lt;br&gt; 'a'"


def _spec_strings(fig) -> str:
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False)


def test_chart_builders_escape_every_text():
    names = list(sp.MARKUP)
    n = len(names)
    figs = [
        charts.program_bars(names, [1.0] * n, [0.5] * n, [50.0] * n, ["#000000"] * n, [False] * n, "천원"),
        charts.stacked_by_source(names, {sp.ANCHOR: [1.0] * n}, "천원"),
        charts.metric_trend([1, 2], [1.0, 2.0], sp.ANCHOR, "명", 3.0),
        charts.district_bars(names, [1.0] * n, names[0], [False] * n, sp.IMG, {sp.ANCHOR: 2.0}),
        charts.rank_history([sp.IMG], {sp.ANCHOR: [1]}),
        charts.target_vs_actual(names, [1.0] * n, [1.0] * n, "명", (sp.IMG, sp.ANCHOR)),
        charts.execution_vs_pace([1], [1.0], [1.0], [True], sp.ANCHOR),
        tile_figure({"11560": 60.0}, "11560", sp.ANCHOR, {}),
    ]
    for fig in figs:
        text = _spec_strings(fig)
        assert not any(tag in text for tag in sp.RAW_TAGS), text[:500]
        assert "&lt;" in text
    bars = figs[0].data[0]
    assert list(bars.y) == [plot_text(n) for n in names]


# --- spreadsheets


def test_csv_text_prefixes_formula_starts_only():
    for text in ("=1+1", "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1"):
        assert csv_text(text) == "'" + text
    for value in ("a=1", "사업", "", -5, -2.5, 3, None):
        assert csv_text(value) == value


def test_csv_download_prefixes_text_cells_and_keeps_numbers():
    frame = pd.DataFrame(
        {
            "사업명": [sp.FORMULA, sp.PLUS, sp.MINUS, sp.AT, "보통"],
            "값": [-5, 1, -2, 3, 4],
            "율": [-1.5, 0.0, 2.5, None, 1.0],
        }
    )
    assert csv_frame(frame)["값"].tolist() == [-5, 1, -2, 3, 4]
    rows = list(csv.reader(io.StringIO(data_files.csv_bytes(frame).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'" + sp.FORMULA, "'" + sp.PLUS, "'" + sp.MINUS, "'" + sp.AT, "보통"]
    assert [r[1] for r in rows[1:]] == ["-5", "1", "-2", "3", "4"]
    assert rows[1][2] == "-1.5"


def formula_cells(data: bytes) -> list[str]:
    """Coordinates of formula cells in every sheet of an xlsx."""
    wb = load_workbook(io.BytesIO(data))
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def xlsx_strings(data: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(data))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_xlsx_download_writes_text_as_string_cells():
    frame = pd.DataFrame({"사업명": [*sp.FORMULAS, sp.LINK], "값": [-1, 2, 3, 4, 5]})
    data = data_files.xlsx_bytes(frame, "단위사업:" + sp.FORMULA)
    assert formula_cells(data) == []
    assert set(sp.FORMULAS) <= xlsx_strings(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert [ws.cell(row=r, column=2).value for r in range(2, 7)] == [-1, 2, 3, 4, 5]


def test_text_cell_keeps_the_text():
    from openpyxl import Workbook

    ws = Workbook().active
    cell = text_cell(ws.cell(row=1, column=1, value="=1+1"))
    assert cell.data_type == "s" and cell.value == "=1+1"
    assert text_cell(ws.cell(row=2, column=1, value=-3)).data_type == "n"


def test_template_lists_program_names_as_text(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, [*sp.FORMULAS, "보통 사업"], None, 2024)
    data = path.read_bytes()
    assert formula_cells(data) == []
    ws = load_workbook(io.BytesIO(data))[HELP_SHEET]
    assert [ws[f"F{i}"].value for i in range(2, 7)] == [*sp.FORMULAS, "보통 사업"]


def test_safe_filename():
    assert safe_filename('a/b\\c:d*e?f"g<h>i|j[k]') == "a_b_c_d_e_f_g_h_i_j_k_"
    assert safe_filename("  ") == "data" and len(safe_filename("가" * 500)) == 120


# --- the exports of a store full of payloads


@pytest.fixture
def payload_store(store):
    return sp.load_payloads(store)


def test_council_xlsx_has_no_formula_from_names(payload_store):
    data = council_xlsx(payload_store, sp.DISTRICT, sp.YEAR, sp.AS_OF)
    assert formula_cells(data) == []
    strings = xlsx_strings(data)
    assert {sp.FORMULA, sp.PLUS, sp.AT} <= strings  # unit program names, as written
    assert sp.TEAM in strings and sp.MINUS in strings  # the team and the sub-program in the result boxes


def test_pptx_chart_workbooks_hold_names_as_text(payload_store):
    deck = build_deck(payload_store, sp.DISTRICT, sp.YEAR, sp.AS_OF)
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    seen: set[str] = set()
    books = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            blob = shape.chart.part.chart_workbook.xlsx_part.blob
            books += 1
            assert formula_cells(blob) == [], shape.chart.chart_type
            wb = load_workbook(io.BytesIO(blob))
            assert all(not ws._hyperlinks for ws in wb.worksheets)
            seen |= xlsx_strings(blob)
            assert zipfile.ZipFile(io.BytesIO(blob)).namelist()  # a real workbook
    assert books >= 4
    assert {sp.FORMULA, sp.PLUS, sp.AT, sp.MINUS, sp.LINK} <= seen
    text = " ".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert sp.LINK in text  # the headline names the lowest program as written (plain text in PowerPoint)


def test_slide_figures_escape_names(payload_store):
    deck = build_deck(payload_store, sp.DISTRICT, sp.YEAR, sp.AS_OF)
    for slide in deck.slides:
        text = _spec_strings(slide_figure(slide, deck))
        assert not any(tag in text for tag in sp.RAW_TAGS), (slide.key, text[:400])
    programs = next(s for s in deck.slides if s.key == "programs")
    fig = slide_figure(programs, deck)
    assert plot_text(sp.ANCHOR) in list(fig.data[0].y)
    assert plot_text(sp.LINK) in fig.layout.title.text


def test_pdf_has_no_link_from_names(payload_store):
    from pypdf import PdfReader

    from kpi.exports.pdf import deck_pdf
    from tests.browser import require_chromium

    require_chromium()
    deck = build_deck(payload_store, sp.DISTRICT, sp.YEAR, sp.AS_OF, ["title", "programs", "funding"])
    reader = PdfReader(io.BytesIO(deck_pdf(deck)))
    uris = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots") or []]
    assert [u for u in uris if u] == []
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "evil.example" in text  # shown, as text
