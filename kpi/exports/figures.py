"""Plotly figures of briefing slides in the projector theme: the screen deck (pages/briefing.py, through
deck_html), the PNG and the PDF pages are the same figure.

Every text has a computed place on the 1280 x 720 page (kpi/theme.py explains why): the headline in the top band
(its size fitted to the width), the legend and the one unit label above the plot, the footer in the bottom band,
margins from the measured category labels. Colours are the dashboard's (kpi.theme, carried by each Series);
a chart whose headline is about pace draws the pace line; bars and lines start at zero.

Slide text (headlines and categories name programs from uploads) goes through safe_text.plot_text: plotly
reads <a href>, <b>, <span style> and <br> in titles, annotations, ticks and legends.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go

from kpi import theme
from kpi.exports.slides import Chart, Deck, Slide, dotted
from kpi.i18n import t
from kpi.views.safe_text import plot_text, plot_texts

W, H = theme.WIDTH_PX, theme.HEIGHT_PX
PAD = theme.PAD_PX
HEADLINE_Y = 50  # centre of the headline band (px from the top)
PLOT_TOP = 150  # the plot starts below the headline and the legend row
FOOTER_Y = H - 24  # centre of the footer line
FOOTER_BAND = 52  # room the footer takes at the bottom
TAG_W = 120  # the sample tag at TAG_PX, with its padding
STANDOFF = 10  # between category labels and the axis
REASON_LINES = 3  # reason lines on a slide, as in the .pptx (the rest are in the speaker notes)
REASON_PITCH = 26  # px per reason line


@dataclass(frozen=True)
class _Box:
    """Fixed margins of the plot area (px), to place texts by page position."""

    l: int  # noqa: E741 (plotly's names)
    r: int
    t: int
    b: int

    def x(self, px: float) -> float:
        """A page position (px from the left) as a paper x of the plot area."""
        return (px - self.l) / (W - self.l - self.r)

    def y(self, px: float) -> float:
        """A page position (px from the top) as a paper y of the plot area."""
        return 1 - (px - self.t) / (H - self.t - self.b)

    @property
    def height(self) -> int:
        """The plot area's height in px."""
        return H - self.t - self.b

    @property
    def width(self) -> int:
        """The plot area's width in px."""
        return W - self.l - self.r


def _fmt(chart: Chart) -> str:
    """d3 number format of a chart's values: thousands separators, the chart's decimals."""
    return f",.{chart.decimals}f"


def _font(size: float, color: str = theme.INK) -> dict:
    """A text's size and colour (the family is the projector template's)."""
    return {"size": size, "color": color}


def _note(fig: go.Figure, box: _Box, text: str, x: float, y: float, size: float, **kw) -> None:
    """A text at page position (x, y) px, anchored as given (default: left, middle)."""
    fig.add_annotation(
        text=text,
        x=box.x(x),
        y=box.y(y),
        xref="paper",
        yref="paper",
        xanchor=kw.pop("xanchor", "left"),
        yanchor=kw.pop("yanchor", "middle"),
        showarrow=False,
        font=_font(size, kw.pop("color", theme.INK)),
        **kw,
    )


def _sample_tag(fig: go.Figure, box: _Box, lang: str) -> None:
    """The red '표본 자료' tag in the top-right corner."""
    _note(fig, box, f"<b>{t('deck_sample_tag', lang)}</b>", W - PAD, 32, theme.TAG_PX, xanchor="right",
          color=theme.WHITE, bgcolor=theme.SAMPLE, borderpad=6)  # fmt: skip


def _horizontal(chart: Chart) -> bool:
    """True for bar charts drawn sideways (categories on the y axis)."""
    return chart.kind in ("bar", "stacked_bar")


def _value_max(chart: Chart) -> float:
    """The largest value drawn (stacked: the largest sum), the pace line included."""
    if chart.kind == "stacked_bar":
        sums = [sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.categories))]
        top = max(sums, default=0)
    else:
        top = max((v for s in chart.series for v in s.values if v is not None), default=0)
    return max(top, chart.pace or 0)


def _category_labels(chart: Chart, size: float, width: float) -> list[str]:
    """Escaped category labels; a name wider than `width` px is broken onto a second line (<br>)."""
    out = []
    for name in chart.categories:
        lines = theme.wrap(str(name), width, size)
        if len(lines) > 2:  # at most two lines: the rest joins the second
            lines = [lines[0], " ".join(lines[1:])]
        out.append("<br>".join(plot_texts(lines)))
    return out


def _layout_box(chart: Chart, with_headline: bool, below: int = 0) -> tuple[_Box, list[str], float, float]:
    """Margins, category labels, their size and angle, from the measured labels; `below` px kept above the footer
    (for the reason lines)."""
    top = PLOT_TOP if with_headline else PLOT_TOP - 80
    band = FOOTER_BAND + below
    n = max(1, len(chart.categories))
    if _horizontal(chart):
        size = max(11.0, min(theme.TICK_PX, (H - top - 90) / n * 0.5))
        cap = W * 0.36
        labels = _category_labels(chart, size, cap)
        widest = max((theme.text_px(part, size) for c in chart.categories for part in theme.wrap(str(c), cap, size)),
                     default=0)  # fmt: skip
        return _Box(l=int(min(cap, widest) + PAD + STANDOFF), r=PAD + 30, t=top, b=band + 40), labels, size, 0
    values_w = theme.text_px(format(_value_max(chart), _fmt(chart)), theme.TICK_PX)
    left = int(values_w + PAD + 16)
    slot = (W - left - PAD) / n
    size = float(theme.TICK_PX)
    widest = max((theme.text_px(str(c), size) for c in chart.categories), default=0)
    if widest + 8 <= slot:
        return _Box(l=left, r=PAD, t=top, b=band + int(size * 1.6)), plot_texts(chart.categories), size, 0
    size = max(12.0, min(size, slot * 0.9))  # rotated: the label's height is the slot
    widest = max((theme.text_px(str(c), size) for c in chart.categories), default=0)
    drop = int(widest * math.sin(math.radians(45)) + size * 1.2 + 8)
    return _Box(l=left, r=PAD, t=top, b=band + drop), plot_texts(chart.categories), size, -45


def _data_label_size(chart: Chart, box: _Box) -> float:
    """Value labels: the tick size, smaller when the bars are narrow."""
    n = max(1, len(chart.categories)) * (1 if chart.kind == "stacked_bar" else max(1, len(chart.series)))
    if _horizontal(chart):
        return max(11.0, min(theme.TICK_PX, box.height / n * 0.62))
    widest = max((len(format(v, _fmt(chart))) for s in chart.series for v in s.values if v is not None), default=1)
    return max(11.0, min(theme.TICK_PX, box.width / n / (widest * 0.6)))


def _line_label_positions(chart: Chart, i: int) -> list[str]:
    """Per point of line series i: its label above when it is the higher line there, below when another line is
    higher (on a tie the first series' label goes below, the later ones' above), so labels never read swapped."""
    out = []
    for k, v in enumerate(chart.series[i].values):
        others = [w for j, s in enumerate(chart.series) if j != i and (w := s.values[k]) is not None]
        if v is None or not others:
            out.append("top center")
            continue
        top = max(others)
        above = v > top or (v == top and i > 0)
        out.append("top center" if above else "bottom center")
    return out


def _traces(chart: Chart, labels: list[str], text_size: float) -> list[go.BaseTraceType]:
    """One trace per series; horizontal bars list the first category at the top."""
    horizontal = _horizontal(chart)
    overlay = _overlaid(chart)  # the executed amount's label inside its bar, the budget's beyond the pale bar
    out: list[go.BaseTraceType] = []
    for i, s in enumerate(chart.series):
        color = theme.series_color(s.color, i)
        text = [None if v is None else format(v, _fmt(chart)) for v in s.values]
        if chart.kind == "line":
            out.append(
                go.Scatter(
                    x=labels,
                    y=list(s.values),
                    name=plot_text(s.name),
                    mode="lines+markers+text",
                    text=text,
                    textposition=_line_label_positions(chart, i),
                    textfont={"size": text_size},
                    line={"color": color, "width": 4, "dash": "dash" if i else "solid"},
                    marker={"size": 12, "color": color},
                    cliponaxis=False,
                )
            )
            continue
        vals = list(s.values)
        out.append(
            go.Bar(
                x=vals if horizontal else labels,
                y=labels if horizontal else vals,
                name=plot_text(s.name),
                orientation="h" if horizontal else "v",
                marker_color=list(s.point_colors) or color,
                showlegend=not s.point_colors,  # per-category colours: the legend names them (below)
                text=text,
                textposition="inside" if chart.kind == "stacked_bar" or (overlay and i) else "outside",
                insidetextanchor="end",
                constraintext="inside",  # a label beyond its bar keeps its size (the rank's 25 narrow columns)
                textangle=0,
                textfont={"size": text_size},
                cliponaxis=False,
            )
        )
    return out


def _legend_entries(chart: Chart, lang: str) -> list[go.Scatter]:
    """Legend-only entries: per-category colours (status, own district), pale/solid series, the pace line."""
    swatch = {"mode": "markers", "x": [None], "y": [None], "hoverinfo": "skip"}
    entries = [
        go.Scatter(name=plot_text(label), marker={"symbol": "square", "size": 18, "color": color}, **swatch)
        for label, color in chart.legend
    ]
    if not chart.legend:
        entries += [
            go.Scatter(
                name=plot_text(s.name),
                marker={"symbol": "square", "size": 18, "color": theme.series_color(s.color, i)},
                **swatch,
            )
            for i, s in enumerate(chart.series)
            if s.point_colors
        ]
    if chart.pace is not None:
        entries.append(
            go.Scatter(
                name=t("deck_pace_legend", lang, pace=f"{chart.pace:.1f}"),
                mode="lines",
                x=[None],
                y=[None],
                hoverinfo="skip",
                line={"color": theme.PACE, "width": 4, "dash": "dash"},
            )
        )
    return entries


def _chart_figure(slide: Slide, deck: Deck, with_headline: bool) -> go.Figure:
    """A content slide: headline, legend and unit, the chart from zero, reason lines and the footer."""
    chart = slide.chart
    assert chart is not None
    horizontal = _horizontal(chart)
    reasons = _reason_lines(slide, deck.lang)
    box, labels, tick_size, angle = _layout_box(chart, with_headline, len(reasons) * REASON_PITCH)
    fig = go.Figure()
    label_size = _data_label_size(chart, box)
    for trace in _traces(chart, labels, label_size):
        fig.add_trace(trace)
    legend = _legend_entries(chart, deck.lang)
    for entry in legend:
        fig.add_trace(entry)
    shown = sum(1 for s in chart.series if not s.point_colors) + len(legend)
    top = _value_max(chart)
    value_axis = {
        "tickformat": _fmt(chart),
        "zeroline": True,
        "rangemode": "tozero",
        **({"range": [0, top * (1.16 if horizontal else 1.12)]} if top > 0 else {}),
    }
    cat_axis = {"tickfont": {"size": tick_size}, "tickangle": angle, "type": "category", "ticklabelstandoff": STANDOFF,
                "showgrid": False}  # fmt: skip
    if horizontal:
        cat_axis["autorange"] = "reversed"
    fig.update_xaxes(automargin=False, **(value_axis if horizontal else cat_axis))
    fig.update_yaxes(automargin=False, **(cat_axis if horizontal else value_axis))
    if chart.pace is not None:  # the pace line across the plot, over the bars
        pace = {"color": theme.PACE, "width": 4, "dash": "dash"}
        if horizontal:
            fig.add_shape(type="line", x0=chart.pace, x1=chart.pace, y0=0, y1=1, yref="paper", line=pace,
                          layer="above")  # fmt: skip
        else:
            fig.add_shape(type="line", y0=chart.pace, y1=chart.pace, x0=0, x1=1, xref="paper", line=pace,
                          layer="above")  # fmt: skip
    unit_y = box.t - 22
    unit = plot_text(theme.unit_label(chart.unit, deck.lang))
    _note(fig, box, unit, W - PAD, unit_y, theme.LEGEND_PX, xanchor="right", color=theme.MUTED)
    if with_headline:
        size = theme.fit_size(slide.headline, W - 2 * PAD - (TAG_W + 24 if slide.sample else 0), theme.HEADLINE_PX, 22)
        fig.update_layout(
            title={
                "text": f"<b>{plot_text(slide.headline)}</b>",
                "font": _font(size),
                "x": PAD / W,
                "xanchor": "left",
                "xref": "container",
                "y": 1 - HEADLINE_Y / H,
                "yanchor": "middle",
                "yref": "container",
            }
        )
        if slide.sample:
            _sample_tag(fig, box, deck.lang)
    _note(
        fig,
        box,
        footer(deck, slide.sample, plot_text(deck.district_name)),
        PAD,
        FOOTER_Y,
        theme.FOOTER_PX,
        color=theme.MUTED,
    )
    for i, line in enumerate(reasons):  # staff's 사유·조치계획 between the chart and the footer
        y = FOOTER_Y - FOOTER_BAND / 2 - (len(reasons) - i - 0.5) * REASON_PITCH
        _note(fig, box, plot_text(line), PAD, y, theme.FOOTER_PX)
    theme.use_template(
        fig,
        theme.PROJECTOR,
        barmode="stack" if chart.kind == "stacked_bar" else ("overlay" if _overlaid(chart) else "group"),
        bargap=0.3,
        legend={
            "orientation": "h",
            "traceorder": "normal",
            "x": box.x(PAD),
            "xanchor": "left",
            "y": box.y(unit_y),
            "yanchor": "middle",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        showlegend=shown > 1,
        uniformtext={"minsize": label_size, "mode": "hide"},  # a label that does not fit is left out, not shrunk
        margin={"l": box.l, "r": box.r, "t": box.t, "b": box.b, "autoexpand": False},
        width=W,
        height=H,
    )
    return fig


def footer(deck: Deck, sample: bool, district: str | None = None) -> str:
    """The footer line of a slide: district · as-of date, and the sample note on a slide with sample figures."""
    text = t("deck_footer", deck.lang, district=deck.district_name if district is None else district,
             date=dotted(deck.as_of, deck.lang))  # fmt: skip
    return text + (t("deck_footer_sample", deck.lang) if sample else "")


def _reason_lines(slide: Slide, lang: str) -> list[str]:
    """The slide's reason lines as the .pptx shows them: the first REASON_LINES, each cut to one line, and a
    pointer to the notes for the rest."""
    reasons = tuple(getattr(slide, "reasons", ()) or ())
    width = W - 2 * PAD
    shown = []
    for text in reasons[:REASON_LINES]:
        line = " ".join(str(text).split())
        if theme.text_px(line, theme.FOOTER_PX) > width:
            while line and theme.text_px(line + "…", theme.FOOTER_PX) > width:
                line = line[:-1]
            line += "…"
        shown.append(line)
    if len(reasons) > REASON_LINES:
        shown.append(t("deck_more_reasons", lang, n=len(reasons) - REASON_LINES))
    return shown


def _overlaid(chart: Chart) -> bool:
    """Budget and executed amounts in each program's colour: the pale budget bar behind the executed one, as on
    the dashboard."""
    return len(chart.series) == 2 and all(s.point_colors for s in chart.series)


def _title_figure(slide: Slide, deck: Deck) -> go.Figure:
    """The title slide: the headline, then the as-of and source lines, each at its own computed height.

    Lines are spaced by 2.8 em: the PDF's (Type 3) glyph boxes are 2.56 em tall, so text boxes read back from the
    PDF (pdftotext -bbox) do not overlap either."""
    box = _Box(0, 0, 0, 0)
    fig = go.Figure()
    width = W - 4 * PAD
    head = theme.fit_size(slide.headline, width, theme.TITLE_PX, 28)
    size = float(theme.BODY_PX) + 1
    below: float = H  # px the block takes below the headline's centre
    while size > 14 and below > H - 200:  # too many lines: smaller type
        size -= 1
        lines = [part for line in theme.title_lines(slide.body) for part in theme.wrap(line, width, size)]
        gap = 2.0 * head + 0.6 * size + 8  # the headline's glyph box reaches 2 em below its centre
        below = gap + (len(lines) - 1) * math.ceil(2.8 * size)
    head_y = max(150, (H - below) / 2)  # the block centred on the page
    first = head_y + gap
    _note(fig, box, f"<b>{plot_text(slide.headline)}</b>", W / 2, head_y, head, xanchor="center")
    for i, line in enumerate(lines):
        _note(fig, box, plot_text(line), W / 2, first + i * math.ceil(2.8 * size), size, xanchor="center")
    if slide.sample:
        _sample_tag(fig, box, deck.lang)
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    theme.use_template(
        fig,
        theme.PROJECTOR,
        font={"size": size},
        margin={"l": 0, "r": 0, "t": 0, "b": 0, "autoexpand": False},
        showlegend=False,
        width=W,
        height=H,
    )
    return fig


def slide_figure(slide: Slide, deck: Deck, with_headline: bool = True) -> go.Figure:
    """The slide as a 16:9 figure: headline on top, one chart, the unit once, a footer with district and as-of."""
    if slide.chart is None:
        return _title_figure(slide, deck)
    return _chart_figure(slide, deck, with_headline)
