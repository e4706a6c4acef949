"""Plotly figures of briefing slides in the projector theme (the PNG and PDF pages, and the briefing page).

Slide text (headlines and categories name programs from uploads) goes through safe_text.plot_text: plotly
reads <a href>, <b>, <span style> and <br> in titles, annotations, ticks and legends.
"""

from __future__ import annotations

import plotly.graph_objects as go

from kpi.exports import theme
from kpi.exports.slides import Chart, Deck, Slide, dotted
from kpi.safe_text import plot_text, plot_texts


def _fmt(chart: Chart) -> str:
    """d3 number format of a chart's values: thousands separators, the chart's decimals."""
    return f",.{chart.decimals}f"


def _traces(chart: Chart) -> list[go.BaseTraceType]:
    """One trace per series; horizontal bars list the first category at the top."""
    horizontal = chart.kind in ("bar", "stacked_bar")
    out: list[go.BaseTraceType] = []
    for i, s in enumerate(chart.series):
        color = theme.SERIES[i % len(theme.SERIES)]
        text = [None if v is None else format(v, _fmt(chart)) for v in s.values]
        if chart.kind == "line":
            out.append(
                go.Scatter(
                    x=plot_texts(chart.categories),
                    y=list(s.values),
                    name=plot_text(s.name),
                    mode="lines+markers+text",
                    text=text,
                    textposition="top center" if i else "bottom center",
                    line={"color": color, "width": 4, "dash": "dash" if i else "solid"},
                    marker={"size": 12},
                )
            )
            continue
        cats, vals = plot_texts(chart.categories), list(s.values)
        out.append(
            go.Bar(
                x=vals if horizontal else cats,
                y=cats if horizontal else vals,
                name=plot_text(s.name),
                orientation="h" if horizontal else "v",
                marker_color=color,
                text=text,
                textposition="inside" if chart.kind == "stacked_bar" else "outside",
                cliponaxis=False,
            )
        )
    return out


def slide_figure(slide: Slide, deck: Deck, with_headline: bool = True) -> go.Figure:
    """The slide as a 16:9 figure: headline on top, one chart, a footer with district, as-of and unit."""
    fig = go.Figure()
    font = {"family": theme.FONT_STACK, "color": theme.INK}
    footer = f"{plot_text(deck.district_name)} · {dotted(deck.as_of)} 기준"
    headline = plot_text(slide.headline)
    if slide.chart is None:  # the title slide: text only
        paper = {"xref": "paper", "yref": "paper", "x": 0.5, "showarrow": False}
        fig.add_annotation(text=f"<b>{headline}</b>", y=0.72, font={**font, "size": 44}, **paper)
        for i, line in enumerate(slide.body):
            fig.add_annotation(text=plot_text(line), y=0.5 - 0.08 * i, font={**font, "size": 20}, **paper)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    else:
        chart = slide.chart
        for trace in _traces(chart):
            fig.add_trace(trace)
        horizontal = chart.kind in ("bar", "stacked_bar")
        unit = plot_text(chart.unit)
        value_axis = {"title": {"text": f"단위: {unit}"}, "tickformat": _fmt(chart), "gridcolor": "#CCCCCC"}
        cat_axis = {"autorange": "reversed"} if horizontal else {}
        fig.update_xaxes(**(value_axis if horizontal else cat_axis))
        fig.update_yaxes(**(cat_axis if horizontal else value_axis))
        footer += f" · 단위: {unit}"
    if slide.sample and with_headline:  # the briefing page shows its own tag above the headline
        fig.add_annotation(
            text="<b>표본 자료</b>",
            x=1,
            y=1.02,
            xref="paper",
            yref="paper",
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={**font, "size": 20, "color": "#FFFFFF"},
            bgcolor=theme.SAMPLE,
            borderpad=6,
        )
    fig.add_annotation(
        text=footer,
        x=0,
        y=-0.12,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={**font, "size": 16, "color": theme.MUTED},
    )
    fig.update_layout(
        title={
            "text": f"<b>{headline}</b>" if with_headline and slide.chart else "",
            "font": {"size": 34},
            "x": 0.02,
            "xanchor": "left",
        },
        font={**font, "size": 20},
        paper_bgcolor=theme.BACKGROUND,
        plot_bgcolor=theme.BACKGROUND,
        barmode="stack" if slide.chart and slide.chart.kind == "stacked_bar" else "group",
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 20}},
        margin={"t": 110 if with_headline else 50, "b": 90, "l": 40, "r": 40},
        showlegend=bool(slide.chart and len(slide.chart.series) > 1),
        width=theme.WIDTH_PX,
        height=theme.HEIGHT_PX,
    )
    fig.update_xaxes(automargin=True, tickfont={"size": 18})
    fig.update_yaxes(automargin=True, tickfont={"size": 18})
    return fig
