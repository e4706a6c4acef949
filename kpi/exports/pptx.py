"""The briefing as an editable PowerPoint: native charts (python-pptx) whose data is the deck's figures.

Hangul renders because every run, every chart text and the theme's fonts carry an East-Asian
typeface (a:ea) naming a Korean font, and every run is tagged lang="ko-KR".

Each chart's data sheet (an xlsx python-pptx writes with xlsxwriter) keeps program names as text: xlsxwriter's
write() would turn a name starting with '=' into a formula and a URL into a hyperlink.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide as PptxSlide
from pptx.text.text import Font, TextFrame
from pptx.util import Emu, Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from kpi import theme
from kpi.exports.figures import footer
from kpi.exports.slides import Chart, Deck, Slide
from kpi.i18n import t
from kpi.views.safe_text import XLSXWRITER_OPTIONS

CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
}
BLANK_LAYOUT = 6
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
CHART_BOX = (0.5, 1.6, 12.3, 5.15)  # left, top, width, height in inches; the legend row and unit label above it
PX_PER_IN = 96  # theme sizes are px of the 1280 x 720 slide, which is 13.333 in wide


def _rgb(hex_color: str) -> RGBColor:
    """A '#RRGGBB' colour as python-pptx takes it."""
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


def _sample_tag(slide: PptxSlide, lang: str) -> None:
    """The red '표본 자료' tag in the top-right corner."""
    tag = _textbox(slide, (11.35, 0.15, 1.6, 0.5), [t("deck_sample_tag", lang)], 16, bold=True, color=theme.WHITE,
                   align=PP_ALIGN.CENTER)  # fmt: skip
    tag.fill.solid()
    tag.fill.fore_color.rgb = _rgb(theme.SAMPLE)
    tag.name = "sample-tag"


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's chart-data writer, with xlsxwriter writing strings as strings (no formulas, no hyperlinks)."""

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple]:
        """An in-memory workbook whose write() keeps strings as strings, and its one worksheet."""
        workbook = Workbook(xlsx_file, {"in_memory": True, **XLSXWRITER_OPTIONS})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook holds category and series names as text cells."""

    @lazyproperty
    def _workbook_writer(self) -> _TextWorkbookWriter:
        """The writer of the embedded workbook: text cells for names."""
        return _TextWorkbookWriter(self)


def _number_format(chart: Chart) -> str:
    """Excel's number format of a chart's values: thousands separators, the chart's decimals."""
    return "#,##0" + ("." + "0" * chart.decimals if chart.decimals else "")


def _own_legend(chart: Chart, lang: str) -> list[tuple[str, str, str]]:
    """(mark, label, colour) of a legend drawn as text when bars carry per-category colours or a pace line."""
    if not (chart.legend or chart.pace is not None or any(s.point_colors for s in chart.series)):
        return []
    items = [("■", label, color) for label, color in chart.legend]
    if not chart.legend:
        items += [("■", s.name, theme.series_color(s.color, i)) for i, s in enumerate(chart.series)]
    if chart.pace is not None:
        items.append(("╌╌", t("deck_pace_legend", lang, pace=f"{chart.pace:.1f}"), theme.PACE))
    return items


def _legend_row(slide: PptxSlide, items: list[tuple[str, str, str]]) -> None:
    """The legend above the chart as one line of coloured marks and labels."""
    shape = slide.shapes.add_textbox(*(Inches(v) for v in (CHART_BOX[0], CHART_BOX[1] - 0.45, 9.0, 0.4)))
    shape.name = "legend"
    para = shape.text_frame.paragraphs[0]
    for n, (mark, label, color) in enumerate(items):
        for text, hue in ((("   " if n else "") + mark + " ", color), (label, theme.INK)):
            run = para.add_run()
            run.text = text
            korean_font(run.font, 14, color=hue)


def _value_max(chart: Chart) -> float:
    """A round axis maximum above the largest value (stacked: the largest sum) and the pace line."""
    if chart.kind == "stacked_bar":
        top = max((sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))), default=0)
    else:
        top = max((v for s in chart.series for v in s.values if v is not None), default=0)
    top = max(top, chart.pace or 0) * 1.12
    if top <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(top))
    return math.ceil(top / step * 2) / 2 * step


def _inner_box(chart: Chart) -> tuple[float, float, float, float]:
    """The plot area inside the axes as fractions of the chart frame: room for the category labels (measured at
    14 pt) left of horizontal bars, for the value labels left of and the categories below columns."""
    if chart.kind in ("bar", "stacked_bar"):
        label_in = max((theme.text_px(str(c), 14 / 0.75) for c in chart.categories), default=0) / PX_PER_IN
        x = min(0.4, (label_in + 0.25) / CHART_BOX[2])
        return (x, 0.03, 0.95 - x, 0.85)
    return (0.07, 0.05, 0.9, 0.78)


def _fix_plot_area(chart_space, x: float, y: float, w: float, h: float) -> None:
    """Fix the plot area (inside the axes) at fractions of the chart frame, so a shape can be drawn at a value."""
    plot_area = chart_space.find(qn("c:chart")).find(qn("c:plotArea"))
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    layout = plot_area.makeelement(qn("c:layout"), {})
    manual = layout.makeelement(qn("c:manualLayout"), {})
    for tag, val in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge"),
                     ("x", x), ("y", y), ("w", w), ("h", h)):  # fmt: skip
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": str(val)}))
    layout.append(manual)
    plot_area.insert(0, layout)


def _pace_line(slide: PptxSlide, chart: Chart) -> None:
    """The dashed pace line across the chart's fixed plot area, at the pace on the value axis (drawn last, from the
    chart frame as it finally stands)."""
    frame = next(sh for sh in slide.shapes if sh.name == "chart")
    left, upper, width, height = (v / 914400 for v in (frame.left, frame.top, frame.width, frame.height))
    x, y, w, h = _inner_box(chart)
    share = (chart.pace or 0) / _value_max(chart)
    if chart.kind in ("bar", "stacked_bar"):
        at = left + width * (x + w * share)
        ends = (at, upper + height * y, at, upper + height * (y + h))
    else:
        at = upper + height * (y + h * (1 - share))
        ends = (left + width * x, at, left + width * (x + w), at)
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, *(Inches(v) for v in ends))
    line.name = "pace-line"
    line.line.color.rgb = _rgb(theme.PACE)
    line.line.width = Pt(3)
    line.line.dash_style = MSO_LINE.DASH


def _color_series(plot, chart: Chart) -> None:
    """The dashboard's colours: one per series, or one per category (status, program, own district)."""
    for i, (series, spec) in enumerate(zip(plot.series, chart.series, strict=True)):
        color = _rgb(theme.series_color(spec.color, i))
        if chart.kind == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3.5)
            if i:
                series.format.line.dash_style = MSO_LINE.DASH
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.marker.format.line.color.rgb = color
            series.smooth = False
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = color
        for n, hue in enumerate(spec.point_colors):
            point = series.points[n].format
            point.fill.solid()
            point.fill.fore_color.rgb = _rgb(hue)


def _add_chart(slide: PptxSlide, chart: Chart, lang: str) -> None:
    """A native chart whose data sheet holds the slide's categories and series."""
    data = TextChartData(number_format=_number_format(chart))
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, list(s.values))
    left, top, width, height = (Inches(v) for v in CHART_BOX)
    # python-pptx annotates add_chart as taking ChartData (its deprecated alias of CategoryChartData) and returning
    # the Chart; it takes any CategoryChartData and returns the GraphicFrame that holds the chart
    added = slide.shapes.add_chart(CHART_TYPES[chart.kind], left, top, width, height, data)  # type: ignore[arg-type]
    frame = cast(GraphicFrame, added)
    frame.name = "chart"
    c = frame.chart
    korean_font(c.font, 16, color=theme.INK)
    c.has_title = False
    own_legend = _own_legend(chart, lang)
    if own_legend:
        _legend_row(slide, own_legend)
    c.has_legend = len(chart.series) > 1 and not own_legend
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.TOP
        c.legend.include_in_layout = False
        korean_font(c.legend.font, 16)
    plot = c.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = _number_format(chart)
    labels.number_format_is_linked = False
    korean_font(labels.font, 14, color=theme.WHITE if chart.kind == "stacked_bar" else theme.INK)
    overlaid = len(chart.series) == 2 and all(s.point_colors for s in chart.series)  # budget behind executed
    if chart.kind in ("bar", "column", "stacked_bar"):
        plot.gap_width = 60
        if chart.kind == "stacked_bar" or overlaid:
            plot.overlap = 100
    _color_series(plot, chart)
    if chart.kind in ("bar", "stacked_bar"):  # first category at the top, as read; the value axis stays below
        c.category_axis.reverse_order = True
        c.value_axis._element.find(qn("c:crosses")).set("val", "max")  # crosses the reversed axis at its end
    if chart.kind == "line":  # two lines close together: one series' labels below, the other's above
        for i, series in enumerate(plot.series):
            own = series.data_labels
            own.show_value = True
            own.number_format = _number_format(chart)
            own.number_format_is_linked = False
            own.position = XL_LABEL_POSITION.ABOVE if i else XL_LABEL_POSITION.BELOW
            korean_font(own.font, 14, color=theme.INK)
    korean_font(c.category_axis.tick_labels.font, 14)
    value_axis = c.value_axis
    value_axis.has_major_gridlines = True
    value_axis.tick_labels.number_format = _number_format(chart)
    value_axis.tick_labels.number_format_is_linked = False
    korean_font(value_axis.tick_labels.font, 14)
    value_axis.has_title = False  # the unit is said once, above the chart
    value_axis.minimum_scale = 0  # bars from zero: a cut axis exaggerates the gaps
    if chart.pace is not None:  # a fixed axis and plot area: the pace line (drawn last) lands on its value
        value_axis.maximum_scale = _value_max(chart)
        _fix_plot_area(c._chartSpace, *_inner_box(chart))
    unit = _textbox(slide, (CHART_BOX[0] + CHART_BOX[2] - 3.0, CHART_BOX[1] - 0.45, 3.0, 0.4),
                    [theme.unit_label(chart.unit, lang)], 14, color=theme.MUTED, align=PP_ALIGN.RIGHT)  # fmt: skip
    unit.name = "unit"


REASON_LINES = 3  # reason lines shown on a slide; the rest are in the speaker notes
REASON_CHARS = 110  # characters of a reason line on the slide (the whole text is in the notes)


def _reason_box(page: PptxSlide, reasons: tuple[str, ...], lang: str) -> None:
    """Staff's 사유·조치계획 under the chart (the chart gives up the room), a line per lagging program."""
    shown = [r if len(r) <= REASON_CHARS else r[: REASON_CHARS - 1] + "…" for r in reasons[:REASON_LINES]]
    if len(reasons) > REASON_LINES:
        shown.append(t("deck_more_reasons", lang, n=len(reasons) - REASON_LINES))
    height = 0.3 * len(shown) + 0.1
    for shape in page.shapes:
        if shape.name == "chart":
            shape.height = Emu(shape.height - Inches(height))
    top = 6.75 - height
    _textbox(page, (0.5, top, 12.3, height), shown, 13, color=theme.INK).name = "reasons"


def _headline_pt(text: str, width_in: float, largest: float) -> float:
    """The headline's size (pt): the theme's, smaller when it would not fit one line of the box."""
    return theme.fit_size(text, width_in * PX_PER_IN, largest / 0.75, 18 / 0.75) * 0.75


def _content_slide(prs: PresentationT, deck: Deck, slide: Slide) -> None:
    """A content slide: headline, native chart, legend and unit, reasons, sample tag, pace line, footer, notes."""
    page = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    width = 12.3 - (1.8 if slide.sample else 0)  # beside the sample tag
    size = _headline_pt(slide.headline, width, theme.HEADLINE_PX * 0.75)
    head = _textbox(page, (0.5, 0.3, width, 0.8), [slide.headline], size, bold=True, color=theme.INK)
    head.name = "headline"
    head.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    if slide.chart is not None:
        _add_chart(page, slide.chart, deck.lang)
    if slide.reasons:
        _reason_box(page, slide.reasons, deck.lang)
    if slide.sample:
        _sample_tag(page, deck.lang)
    if slide.chart is not None and slide.chart.pace is not None:
        _pace_line(page, slide.chart)
    _textbox(page, (0.5, 6.85, 12.3, 0.45), [footer(deck, slide.sample)], 12, color=theme.MUTED).name = "footer"
    _write(page.notes_slide.notes_text_frame, list(slide.notes), 14)


def _title_slide(prs: PresentationT, deck: Deck, slide: Slide) -> None:
    """The title slide: the headline and the as-of and source lines, centred."""
    page = prs.slides.add_slide(prs.slide_layouts[BLANK_LAYOUT])
    size = _headline_pt(slide.headline, 11.7, theme.TITLE_PX * 0.75)
    _textbox(page, (0.8, 2.0, 11.7, 1.2), [slide.headline], size, bold=True, align=PP_ALIGN.CENTER).name = "headline"
    body = _textbox(page, (0.8, 3.4, 11.7, 3.4), theme.title_lines(slide.body), 18, align=PP_ALIGN.CENTER)
    body.name = "body"
    for para in body.text_frame.paragraphs:
        para.space_after = Pt(8)
    if deck.includes_sample:
        _sample_tag(page, deck.lang)
    _write(page.notes_slide.notes_text_frame, list(slide.notes), 14)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as .pptx bytes: 16:9, one native chart per content slide, speaker notes, sample tags."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _korean_theme(prs)
    lang = deck.lang
    prs.core_properties.title = t("deck_title", lang, district=deck.district_name, year=deck.year)
    prs.core_properties.subject = t("deck_as_of", lang, date=deck.as_of.isoformat()) + (
        " · " + t("deck_includes_sample", lang) if deck.includes_sample else ""
    )
    prs.core_properties.language = t("deck_locale", lang)
    for slide in deck.slides:
        (_title_slide if slide.key == "title" else _content_slide)(prs, deck, slide)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
