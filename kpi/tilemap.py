"""The Seoul tile-grid cartogram: 25 equal square tiles placed by districts.tile_row/tile_col."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from kpi import charts, colors
from kpi.districts import DISTRICTS
from kpi.safe_text import plot_text
from kpi.units import round_half_up

SCALE = "Blues"  # sequential, readable under colour-vision deficiencies
GAP = 0.06


def tile_color(value: float | None, low: float, high: float) -> str:
    """Fill of a tile: position of value in [low, high] on the sequential scale (kept off white); grey if None."""
    if value is None or value != value:
        return "#EEEEEE"
    share = 0.5 if high <= low else (value - low) / (high - low)
    return sample_colorscale(SCALE, [0.2 + 0.8 * share])[0]


def tile_figure(values: Mapping[str, float | None], own: str, label: str, sample: Mapping[str, bool]) -> go.Figure:
    """Tiles coloured by value (by SIG_CD), name and value on each, own district outlined; hover exact value
    (every text escaped with plot_text: plotly reads HTML tags in tile text and hovers)."""
    label = plot_text(label)
    present = [v for v in values.values() if v is not None and v == v]
    low, high = (min(present), max(present)) if present else (0.0, 1.0)
    fig = go.Figure()
    xs, ys, text, hover, codes, ink = [], [], [], [], [], []
    for d in DISTRICTS:
        v = values.get(d.sig_cd)
        x, y = d.tile_col, -d.tile_row
        fig.add_shape(
            type="rect",
            x0=x - 0.5 + GAP,
            x1=x + 0.5 - GAP,
            y0=y - 0.5 + GAP,
            y1=y + 0.5 - GAP,
            fillcolor=tile_color(v, low, high),
            line={"color": colors.HIGHLIGHT if d.sig_cd == own else "white", "width": 4 if d.sig_cd == own else 1},
            layer="below",
        )
        shown = "-" if v is None or v != v else f"{round_half_up(v, 1):.1f}"
        dark = v is not None and v == v and high > low and (v - low) / (high - low) > 0.55
        name = plot_text(d.name.removesuffix("구") if len(d.name) > 3 else d.name)
        text.append(f"<b>{name}</b><br>{shown}")
        ink.append("white" if dark else "black")
        tag = " (표본)" if sample.get(d.sig_cd) else ""
        hover.append(f"{plot_text(d.name)} {label} {shown}%{tag}")
        xs.append(x)
        ys.append(y)
        codes.append(d.sig_cd)
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        text=text,
        textfont={"size": 12, "color": ink},
        marker={"symbol": "square", "size": 40, "opacity": 0.01, "color": "#000000"},
        customdata=codes,
        hovertext=hover,
        hoverinfo="text",
        name=label,
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[-0.6, 6.6], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-4.6, 0.6], scaleanchor="x", fixedrange=True)
    fig.update_layout(clickmode="event+select", dragmode="select", plot_bgcolor="white")
    return charts.base(fig, height=430)
