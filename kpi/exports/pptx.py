"""The briefing as an editable PowerPoint: native charts (python-pptx) whose data is the deck's figures.

Hangul renders because every run, every chart text and the theme's fonts carry an East-Asian
typeface (a:ea) naming a Korean font, and every run is tagged lang="ko-KR".

Each chart's data sheet (an xlsx python-pptx writes with xlsxwriter) keeps program names as text: xlsxwriter's
write() would turn a name starting with '=' into a formula and a URL into a hyperlink.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.slide import Slide as PptxSlide
from pptx.text.text import Font, TextFrame
from pptx.util import Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from kpi.exports import theme
from kpi.exports.slides import Chart, Deck, Slide, dotted
from kpi.safe_text import XLSXWRITER_OPTIONS

CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
}
BLANK_LAYOUT = 6
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


def korean_font(font: Font, size: float | None = None, bold: bool | None = None, color: str | None = None) -> None:
    """Set the Korean font as latin and East-Asian typeface (a:ea) of a font, tagged ko-KR."""
    font.name = theme.KOREAN_FONT
    rpr = font._rPr
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.get_or_add_latin().addnext(ea)
    ea.set("typeface", theme.KOREAN_FONT)
    rpr.set("lang", "ko-KR")
    rpr.set("altLang", "en-US")
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = _rgb(color)


def _korean_theme(prs: PresentationT) -> None:
    """Name the Korean font as the theme's East-Asian major and minor font (text without its own font)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    part._blob = part.blob.replace(b'<a:ea typeface=""/>', f'<a:ea typeface="{theme.KOREAN_FONT}"/>'.encode())


def _write(frame: TextFrame, lines: tuple[str, ...] | list[str], size: float, **style) -> None:
    """Replace a text frame's text by lines, one paragraph each, in the Korean font."""
    frame.word_wrap = True
    align = style.pop("align", None)
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        korean_font(run.font, size, **style)
        if align is not None:
            para.alignment = align


def _textbox(slide: PptxSlide, box: tuple[float, float, float, float], lines, size: float, **style):
    """A text box at (left, top, width, height) inches."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    _write(shape.text_frame, lines, size, **style)
    return shape


def _sample_tag(slide: PptxSlide) -> None:
    """The red '표본 자료' tag in the top-right corner."""
    tag = _textbox(slide, (11.35, 0.15, 1.6, 0.5), ["표본 자료"], 16, bold=True, color="#FFFFFF", align=PP_ALIGN.CENTER)
    tag.fill.solid()
    tag.fill.fore_color.rgb = _rgb(theme.SAMPLE)
    tag.name = "sample-tag"


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's chart-data writer, with xlsxwriter writing strings as strings (no formulas, no hyperlinks)."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple]:
        workbook = Workbook(xlsx_file, {"in_memory": True, **XLSXWRITER_OPTIONS})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook holds category and series names as text cells."""

    @lazyproperty
    def _workbook_writer(self) -> _TextWorkbookWriter:
        return _TextWorkbookWriter(self)


def _number_format(chart: Chart) -> str:
    return "#,##0" + ("." + "0" * chart.decimals if chart.decimals else "")


def _add_chart(slide: PptxSlide, chart: Chart) -> None:
    """A native chart whose data sheet holds the slide's categories and series."""
    data = TextChartData(number_format=_number_format(chart))
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, list(s.values))
    frame = slide.shapes.add_chart(CHART_TYPES[chart.kind], Inches(0.5), Inches(1.45), Inches(12.3), Inches(5.3), data)
    frame.name = "chart"
    c = frame.chart
    korean_font(c.font, 16, color=theme.INK)
    c.has_title = False
    c.has_legend = len(chart.series) > 1
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
        korean_font(c.legend.font, 16)
    plot = c.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = _number_format(chart)
    labels.number_format_is_linked = False
    korean_font(labels.font, 14, color="#FFFFFF" if chart.kind == "stacked_bar" else theme.INK)
    if chart.kind in ("bar", "column", "stacked_bar"):
        plot.gap_width = 60
        if chart.kind == "stacked_bar":
            plot.overlap = 100
    for i, series in enumerate(plot.series):
        color = _rgb(theme.SERIES[i % len(theme.SERIES)])
        if chart.kind == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3.5)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    if chart.kind in ("bar", "stacked_bar"):  # first category at the top, as read
        c.category_axis.reverse_order = True
    korean_font(c.category_axis.tick_labels.font, 14)
    value_axis = c.value_axis
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = _number_format(chart)
    value_axis.tick_labels.number_format_is_linked = False
    korean_font(value_axis.tick_labels.font, 14)
    value_axis.has_title = True
    _write(value_axis.axis_title.text_frame, [f"단위: {chart.unit}"], 14)


def _content_slide(prs: PresentationT, deck: Deck, slide: Slide) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _textbox(page, (0.5, 0.55, 12.3, 0.9), [slide.headline], 28, bold=True, color=theme.INK).name = "headline"
    footer = f"{deck.district_name} · {dotted(deck.as_of)} 기준"
    if slide.chart is not None:
        _add_chart(page, slide.chart)
        footer += f" · 단위: {slide.chart.unit}"
    if slide.sample:
        _sample_tag(page)
        footer += " · 표본 표시 수치는 시연용 표본 자료"
    _textbox(page, (0.5, 6.85, 12.3, 0.45), [footer], 12, color=theme.MUTED).name = "footer"
    _write(page.notes_slide.notes_text_frame, list(slide.notes), 14)


def _title_slide(prs: PresentationT, deck: Deck, slide: Slide) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    _textbox(page, (0.8, 2.0, 11.7, 1.2), [slide.headline], 40, bold=True, align=PP_ALIGN.CENTER).name = "headline"
    _textbox(page, (0.8, 3.5, 11.7, 3.0), list(slide.body), 18, align=PP_ALIGN.CENTER).name = "body"
    if deck.includes_sample:
        _sample_tag(page)
    _write(page.notes_slide.notes_text_frame, list(slide.notes), 14)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as .pptx bytes: 16:9, one native chart per content slide, speaker notes, sample tags."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _korean_theme(prs)
    prs.core_properties.title = f"{deck.district_name} 일자리 주요 지표 브리핑 ({deck.year}년)"
    prs.core_properties.subject = f"{deck.as_of.isoformat()} 기준" + (
        " · 표본 자료 포함" if deck.includes_sample else ""
    )
    prs.core_properties.language = "ko-KR"
    for slide in deck.slides:
        (_title_slide if slide.key == "title" else _content_slide)(prs, deck, slide)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
