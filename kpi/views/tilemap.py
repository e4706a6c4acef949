"""The Seoul tile-grid cartogram: 25 equal square tiles placed by districts.tile_row/tile_col."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from kpi import theme
from kpi.domain.districts import DISTRICTS
from kpi.domain.units import round_half_up
from kpi.i18n import t
from kpi.views import charts
from kpi.views.safe_text import plot_text

SCALE = "Blues"  # sequential, readable under colour-vision deficiencies
GAP = 0.06


def tile_color(value: float | None, low: float, high: float) -> str:
    """Fill of a tile: position of value in [low, high] on the sequential scale (kept off white); grey if None.
    The middle of the scale, where neither black nor white text reaches 4.5:1, is skipped."""
    if value is None or pd.isna(value):
        return theme.NO_DATA_TILE
    share = 0.5 if high <= low else (value - low) / (high - low)
    pos = 0.2 + 0.8 * share
    if MID[0] < pos < MID[1]:
        pos = MID[0] if pos - MID[0] < MID[1] - pos else MID[1]
    return sample_colorscale(SCALE, [pos])[0]


MID = (0.66, 0.76)  # positions on the Blues scale whose fill gives black and white text both under 4.5:1


def _luminance(color: str) -> float:
    """WCAG relative luminance of '#RRGGBB' or 'rgb(r, g, b)'."""
    if color.startswith("#"):
        rgb = [float(int(color[i : i + 2], 16)) for i in (1, 3, 5)]
    else:
        rgb = [float(x) for x in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
    lin = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tile_ink(fill: str) -> str:
    """Black or white text, whichever contrasts more with the tile's fill."""
    return theme.BLACK if contrast(fill, theme.BLACK) >= contrast(fill, theme.WHITE) else theme.WHITE


def tile_figure(
    values: Mapping[str, float | None],
    own: str,
    label: str,
    sample: Mapping[str, bool],
    selected: Sequence[str] = (),
) -> go.Figure:
    """Tiles coloured by value (by SIG_CD), name and value on each, own district outlined (orange), selected ones
    outlined in black; hover exact value (every text escaped with plot_text: plotly reads HTML tags in tile text and
    hovers). Each tile is one marker as large as the tile, so a click anywhere on a tile selects it."""
    label = plot_text(label)
    chosen = set(selected)
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
            line={
                "color": theme.TARGET if d.sig_cd in chosen else theme.HIGHLIGHT if d.sig_cd == own else theme.WHITE,
                "width": 4 if d.sig_cd in chosen or d.sig_cd == own else 1,
            },
            layer="below",
        )
        shown = "-" if v is None or pd.isna(v) else f"{round_half_up(v, 1):.1f}"
        name = plot_text(d.name.removesuffix("구") if len(d.name) > 3 else d.name)
        text.append(f"<b>{name}</b><br>{shown}")
        ink.append(tile_ink(tile_color(v, low, high)))
        tag = f" ({t('sample_short')})" if sample.get(d.sig_cd) else ""
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
        marker={"symbol": "square", "size": 40, "opacity": 0.01, "color": theme.BLACK},
        customdata=codes,
        hovertext=hover,
        hoverinfo="text",
        name=label,
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[-0.6, 6.6], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-4.6, 0.6], scaleanchor="x", fixedrange=True)
    # No dragmode="select": Streamlit then makes a click only an event, not a selection (box select stays in the
    # toolbar).
    fig.update_layout(clickmode="event+select", plot_bgcolor=theme.WHITE)
    return charts.base(fig, height=430)
