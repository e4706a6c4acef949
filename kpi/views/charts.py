"""Plotly figure builders over plain data (no streamlit), shared by the pages and the exports.

Every builder takes values as computed by kpi/ (rates in %, money already in the display unit) and
returns a go.Figure whose hovers show the exact displayed value with its unit. Every text a builder puts into
the figure (categories, trace names, labels) goes through safe_text.plot_text: plotly reads a subset of HTML
(<a href>, <b>, <span style>, <br>) in labels, ticks and hovers, and program names come from uploads.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from kpi import theme
from kpi.domain.units import fmt_number, fmt_pct, round_half_up
from kpi.i18n import t, term
from kpi.views.safe_text import plot_text, plot_texts

SAMPLE_PATTERN = "/"


def _r(values: Sequence[float | None], decimals: int = 1) -> list[float | None]:
    """Half-up rounded values for plotting (what the hover shows is what a report prints)."""
    return [round_half_up(v, decimals) for v in values]


def base(fig: go.Figure, height: int = 380, ytitle: str = "", xtitle: str = "") -> go.Figure:
    """The dashboard's template (font stack, legend above, figures in full with thousands separators), a height
    and the axis titles."""
    return theme.use_template(fig, theme.SCREEN, height=height, yaxis_title=ytitle, xaxis_title=xtitle)


def _pattern(sample: Sequence[bool]) -> list[str]:
    """The bar pattern of each value: hatched when it is sample data."""
    return [SAMPLE_PATTERN if s else "" for s in sample]


def _tag(sample: Sequence[bool], label: str) -> list[str]:
    """The hover tag of each value: ' (표본)' when it is sample data."""
    return [f" ({plot_text(label)})" if s else "" for s in sample]


def execution_vs_pace(
    months: Sequence[int],
    rate: Sequence[float],
    pace: Sequence[float],
    sample: Sequence[bool],
    sample_label: str = "",
    rapid_target: float | None = None,
    projection: tuple[float, float, float] | None = None,
) -> go.Figure:
    """Cumulative execution rate (bars) vs the pace line; optional 신속집행 target at June and year-end band."""
    mon = [t("month_short", month=m) for m in range(1, 13)]
    x = [mon[int(m) - 1] for m in months]
    rate_name, pace_name = t("series_rate"), t("series_pace")
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=_r(rate),
        name=rate_name,
        marker_color=theme.EXECUTION,
        marker_pattern_shape=_pattern(sample),
        customdata=_tag(sample, sample_label or t("sample_short")),
        hovertemplate=f"%{{x}} {rate_name} %{{y:.1f}}%%{{customdata}}<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=_r(pace),
        name=pace_name,
        mode="lines+markers",
        line={"color": theme.PACE, "dash": "dash"},
        hovertemplate=f"%{{x}} {pace_name} %{{y:.1f}}%<extra></extra>",
    )
    if rapid_target is not None:
        fig.add_scatter(
            x=[mon[5]],
            y=[rapid_target],
            name=t("series_rapid"),
            mode="markers",
            marker={"symbol": "star", "size": 14, "color": theme.TARGET},
            hovertemplate=f"{t('rapid_hover')} %{{y:.1f}}%<extra></extra>",
        )
    if projection is not None and months:
        value, low, high = (float(round_half_up(v, 1) or 0.0) for v in projection)  # never None: v is a float
        last = mon[int(months[-1]) - 1]
        fig.add_scatter(
            x=[last, mon[11]],
            y=[_r(rate)[-1], value],
            name=t("series_projection"),
            mode="lines+markers",
            line={"color": theme.EXECUTION, "dash": "dot"},
            error_y={"type": "data", "symmetric": False, "array": [0, high - value], "arrayminus": [0, value - low]},
            hovertemplate=f"%{{x}} {t('projection_word')} %{{y:.1f}}% ({t('range')} {low:.1f}~{high:.1f}%)"
            "<extra></extra>",
        )
    fig.update_xaxes(categoryorder="array", categoryarray=mon)
    return base(fig, ytitle="%")


def program_bars(
    names: Sequence[str],
    budget: Sequence[float],
    executed: Sequence[float],
    rate: Sequence[float],
    bar_colors: Sequence[str],
    sample: Sequence[bool],
    unit: str,
    selected: Sequence[int] = (),
) -> go.Figure:
    """Horizontal bars per program: budget (pale) with executed (solid) over it; hover gives both and the rate.
    The bars at the `selected` positions are outlined in black (a selection opened from a link shows)."""
    names, unit = plot_texts(names), plot_text(unit)
    hover = [
        f"{t('budget')} {fmt_number(b)}{unit}<br>{t('executed')} {fmt_number(e)}{unit}<br>"
        f"{t('execution_rate')} {fmt_pct(r)}{s}"
        for b, e, r, s in zip(budget, executed, rate, _tag(sample, t("sample_short")), strict=True)
    ]
    outline = {"color": theme.TARGET, "width": [3 if i in set(selected) else 0 for i in range(len(names))]}
    fig = go.Figure()
    fig.add_bar(
        y=list(names),
        x=_r(budget, 0),
        orientation="h",
        name=t("series_budget_pale"),
        marker={"color": list(bar_colors), "opacity": 0.35, "line": outline},
        customdata=hover,
        hovertemplate="%{y}<br>%{customdata}<extra></extra>",
    )
    fig.add_bar(
        y=list(names),
        x=_r(executed, 0),
        orientation="h",
        name=t("series_executed_dark"),
        marker={"color": list(bar_colors), "pattern_shape": _pattern(sample), "line": outline},
        customdata=hover,
        hovertemplate="%{y}<br>%{customdata}<extra></extra>",
    )
    fig.update_layout(barmode="overlay", clickmode="event+select")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return base(fig, height=max(300, 34 * len(names) + 80), xtitle=unit)


def stacked_by_source(
    categories: Sequence[str], by_source: dict[str, Sequence[float]], unit: str, horizontal: bool = True
) -> go.Figure:
    """Stacked bars of amounts (in `unit`) by funding source (keys are source labels in either UI language;
    colours by source code, the same in both)."""
    from kpi.domain.catalog import FUNDING_SOURCES

    code_of = {label: code for code, ko in FUNDING_SOURCES.items() for label in (ko, term(ko, "en"))}
    categories, unit = plot_texts(categories), plot_text(unit)
    fig = go.Figure()
    for source, values in by_source.items():
        label = plot_text(source)
        vals = _r(values, 0)
        axis = (
            {"y": list(categories), "x": vals, "orientation": "h"} if horizontal else {"x": list(categories), "y": vals}
        )
        fig.add_bar(
            **axis,
            name=label,
            marker_color=theme.SOURCE.get(code_of.get(source, "other"), theme.SOURCE["other"]),
            hovertemplate=f"%{{{'y' if horizontal else 'x'}}} {label} %{{{'x' if horizontal else 'y'}:,.0f}}{unit}"
            "<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
    return base(
        fig,
        height=max(300, 34 * len(categories) + 80) if horizontal else 360,
        **({"xtitle": unit} if horizontal else {"ytitle": unit}),
    )


def metric_trend(
    months: Sequence[int], values: Sequence[float], label: str, unit: str, target: float | None = None
) -> go.Figure:
    """A cumulative monthly series of one metric with its target as a horizontal line."""
    label, unit = plot_text(label), plot_text(unit)
    fig = go.Figure()
    fig.add_scatter(
        x=[t("month_short", month=m) for m in months],
        y=_r(values, 0),
        name=label,
        mode="lines+markers",
        line={"color": theme.EXECUTION},
        hovertemplate=f"%{{x}} {label} %{{y:,.0f}}{unit}<extra></extra>",
    )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": theme.TARGET, "dash": "dash"},
            annotation_text=f"{t('chart_target')} {target:,.0f}{unit}",
        )
    return base(fig, height=260, ytitle=unit)


def district_bars(
    names: Sequence[str],
    values: Sequence[float],
    own: str,
    sample: Sequence[bool],
    label: str,
    targets: dict[str, float] | None = None,
    selected: Sequence[str] = (),
) -> go.Figure:
    """Bars of an indicator (%) across districts, own district highlighted, same-basis targets as markers; the
    selected districts (names) are outlined in black, so a selection opened from a link shows on the chart."""
    highlight = [theme.HIGHLIGHT if n == own else theme.OTHERS for n in names]
    label = plot_text(label)
    chosen = set(selected)
    fig = go.Figure()
    fig.add_bar(
        x=plot_texts(names),
        y=_r(values),
        name=label,
        marker={
            "color": highlight,
            "pattern_shape": _pattern(sample),
            "line": {"color": theme.TARGET, "width": [3 if n in chosen else 0 for n in names]},
        },
        customdata=_tag(sample, t("sample_short")),
        hovertemplate=f"%{{x}} {label} %{{y:.1f}}%%{{customdata}}<extra></extra>",
    )
    if targets:
        fig.add_scatter(
            x=plot_texts(targets),
            y=list(targets.values()),
            name=t("chart_target"),
            mode="markers",
            marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3, "color": theme.TARGET}},
            hovertemplate=f"%{{x}} {t('chart_target')} %{{y:.1f}}%<extra></extra>",
        )
    fig.update_layout(clickmode="event+select")
    fig.update_xaxes(tickangle=-60)
    # From zero, as on the slides: an axis starting near the lowest district exaggerates the gaps.
    fig.update_yaxes(range=[0, max([*(v for v in values if v == v), *(targets or {}).values()], default=0) + 2])
    return base(fig, height=400, ytitle="%")


def rank_history(periods: Sequence[str], ranks: dict[str, Sequence[int | None]]) -> go.Figure:
    """Rank per half-year for each indicator (1 at the top)."""
    fig = go.Figure()
    for (name, values), color in zip(ranks.items(), (theme.EXECUTION, theme.HIGHLIGHT), strict=False):
        label = plot_text(name)
        fig.add_scatter(
            x=plot_texts(periods),
            y=list(values),
            name=label,
            mode="lines+markers",
            line={"color": color},
            hovertemplate=f"%{{x}} {label} {t('rank_suffix', rank='%{y}')}<extra></extra>",
        )
    fig.update_yaxes(autorange="reversed", dtick=1, rangemode="tozero")
    return base(fig, height=300, ytitle=t("chart_rank"))


def target_vs_actual(
    x: Sequence[str],
    target: Sequence[float | None],
    actual: Sequence[float | None],
    unit: str,
    names: tuple[str, str] | None = None,
    selected: Sequence[int] = (),
) -> go.Figure:
    """Grouped bars of a target-like and an actual-like series per x (years or categories); the groups at the
    `selected` positions are outlined in black."""
    x, unit = plot_texts(x), plot_text(unit)
    names = names or (t("target"), t("actual"))
    outline = {"color": theme.TARGET, "width": [3 if i in set(selected) else 0 for i in range(len(x))]}
    fig = go.Figure()
    for series, values, color in ((names[0], target, theme.OTHERS), (names[1], actual, theme.EXECUTION)):
        name = plot_text(series)
        fig.add_bar(
            x=x,
            y=list(values),
            name=name,
            marker={"color": color, "line": outline},
            hovertemplate=f"%{{x}} {name} %{{y:,.0f}}{unit}<extra></extra>",
        )
    fig.update_layout(barmode="group", clickmode="event+select")
    return base(fig, height=320, ytitle=unit)
