"""The one theme: colours, the font stack, type sizes, the projector (slide) theme and the plotly templates.

Colours: the Okabe-Ito colour-blind-safe palette, one meaning per colour across pages, slides and files.

Contrast (KWCAG 2.2 / WCAG 2.2, 1.4.3 and 1.4.11): every colour that draws a bar, line or marker has at least 3:1
against white, and every colour used for text at least 4.5:1 (tests/test_theme.py checks them). The Okabe-Ito
hues whose original value is lighter (orange, sky blue, yellow, reddish purple) are kept as hues and darkened
just enough.

Charts: two templates registered with plotly.io, "jobkpi" (the dashboard's screen charts) and "jobkpi_projector"
(the briefing slides: screen deck, PNG, PDF), applied with use_template. Slide layouts are fixed (no plotly
automargin): every text box has a computed place, so nothing drifts onto the footer, and a slide looks the same on
screen (plotly.js in the browser), in the PNG/PDF (kaleido) and, as far as PowerPoint allows, in the .pptx.

Nothing here imports streamlit; .streamlit/config.toml's [theme] writes streamlit_theme() (a test checks it).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from kpi.i18n import t

# --- colours
# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
# Original values: #0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00 #F0E442 #000000.
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#B87F00", "#009E73", "#C76C9F", "#1C92D4", "#D55E00", "#958B0C", "#000000")

# Status -> (streamlit named colour for st.metric deltas and badges, hex for charts).
STATUS: dict[str, tuple[str, str]] = {
    "on_track": ("green", "#009E73"),
    "at_risk": ("orange", "#B87F00"),
    "behind": ("red", "#D55E00"),
    "no_data": ("gray", "#8B8B8B"),
}
EXECUTION = "#0072B2"  # executed / execution rate
PACE = "#B87F00"  # the pace line
TARGET = "#000000"  # target lines

# Program colours: the palette without black (black is for targets).
PROGRAM_PALETTE: tuple[str, ...] = OKABE_ITO[:7]
# Funding sources (재원), the same on every page.
SOURCE: dict[str, str] = {"national": "#1C92D4", "city": "#C76C9F", "district": "#0072B2", "other": "#8B8B8B"}
HIGHLIGHT = "#D55E00"  # the own district
OTHERS = "#8B8B8B"  # the other districts
# Text: captions and secondary text (7.0:1 on white, 6.3:1 on the sidebar's grey), and text on the tile map.
CAPTION_TEXT = "#595959"
TEXT = "#111111"
WHITE = "#FFFFFF"
BLACK = "#000000"
PRIMARY = "#0B50D0"  # Streamlit's primary colour (buttons, focus), the deck's buttons and the favicon
NO_DATA_TILE = "#EEEEEE"  # a tile-map district without a figure
TABLE_HEAD = "#D9E1F2"  # header cells of the council workbook
TABLE_RULE = "#000000"  # cell borders of the council workbook

# Projector theme: text on white (INK above 18:1, MUTED 9.7:1), grid, and the sample-data tag.
INK = TEXT
MUTED = "#444444"  # footer and unit label
GRID = "#D9D9D9"
BACKGROUND = WHITE
BLANK = BLACK  # the blanked or letterboxed presenting screen
SAMPLE = "#B00020"  # the sample-data tag (white text on it)
SERIES = (EXECUTION, PACE, OKABE_ITO[2], OKABE_ITO[5], OKABE_ITO[3])

# --- fonts: one stack, first choice first; Debian's chromium resolves it to Noto Sans CJK KR
FONTS: tuple[str, ...] = (
    "Pretendard GOV",
    "Pretendard",
    "Noto Sans KR",
    "Noto Sans CJK KR",
    "NanumGothic",
    "Malgun Gothic",
    "sans-serif",
)
FONT_STACK = ", ".join(FONTS)  # plotly's font.family
CSS_FONT_STACK = ", ".join(f"'{f}'" if " " in f else f for f in FONTS)  # CSS (and Streamlit's theme.font)
KOREAN_FONT = FONTS[3]  # ships with Debian's fonts-noto-cjk: the .pptx's typeface (PowerPoint falls back)
OFFICE_FONT = FONTS[5]  # Windows' Korean UI font (맑은 고딕): the council workbook's cells

# --- type sizes in px. Screen charts; the 1280 x 720 slide (the .pptx uses pt = px * 0.75 where it follows).
SCREEN_PX = 13
TITLE_PX, HEADLINE_PX, BODY_PX, TICK_PX, LEGEND_PX, FOOTER_PX, TAG_PX = 44, 34, 20, 18, 18, 16, 20
WIDTH_PX, HEIGHT_PX = 1280, 720  # 16:9, the PNG/PDF page and the screen slide; the .pptx is 13.333 x 7.5 in
PAD_PX = 40  # left and right page margin

# --- plotly templates
SCREEN = "jobkpi"
PROJECTOR = "jobkpi_projector"
_NUMBERS = {"tickformat": ",~r", "exponentformat": "none"}  # official figures in full: 7,231,263, never 7.2M
pio.templates[SCREEN] = go.layout.Template(
    layout={
        "font": {"family": FONT_STACK, "size": SCREEN_PX},
        "hoverlabel": {"font": {"family": FONT_STACK}},
        "margin": {"t": 40, "b": 30, "l": 10, "r": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xref": "container"},
        "separators": ".,",
        "colorway": PROGRAM_PALETTE,
        "xaxis": _NUMBERS,
        "yaxis": _NUMBERS,
    }
)
_PROJECTOR_AXIS = {"gridcolor": GRID, "zerolinecolor": MUTED, "zerolinewidth": 2, "tickfont": {"size": TICK_PX}}
pio.templates[PROJECTOR] = go.layout.Template(
    layout={
        "font": {"family": FONT_STACK, "size": TICK_PX, "color": INK},
        "hoverlabel": {"font": {"family": FONT_STACK}},
        "paper_bgcolor": BACKGROUND,
        "plot_bgcolor": BACKGROUND,
        "colorway": SERIES,
        "legend": {"font": {"size": LEGEND_PX}},
        "xaxis": _PROJECTOR_AXIS,
        "yaxis": _PROJECTOR_AXIS,
    }
)
# Streamlit's chart theme writes its own font, margins and hover font into a figure's template in the browser;
# a value in the figure's layout wins over it, so use_template puts these of the template there too.
_STREAMLIT_REWRITES = ("font", "margin", "hoverlabel")


def use_template(fig: go.Figure, name: str = SCREEN, **layout: Any) -> go.Figure:
    """The figure on a registered template (the keys Streamlit's theme rewrites copied to its layout), then `layout`."""
    template = pio.templates[name].layout
    kept = {key: template[key].to_plotly_json() for key in _STREAMLIT_REWRITES if template[key].to_plotly_json()}
    fig.update_layout(template=name, **kept)
    fig.update_layout(**layout)
    return fig


def streamlit_theme() -> dict[str, str]:
    """The [theme] values .streamlit/config.toml writes: the primary colour and the font stack."""
    return {"primaryColor": PRIMARY, "font": CSS_FONT_STACK}


# --- colour helpers
def program_colors(ids: list[int], parents: list[int | None]) -> dict[int, str]:
    """Stable colour per program id: unit programs (no parent) in id order cycle the palette; subs take their unit's."""
    parent_of = dict(zip(ids, parents, strict=True))
    units = sorted(i for i, p in parent_of.items() if p is None or pd.isna(p))
    out = {u: PROGRAM_PALETTE[n % len(PROGRAM_PALETTE)] for n, u in enumerate(units)}

    def root(i: int) -> int:
        """The unit program above a program (itself for a unit), stopping at a cycle."""
        seen = set()
        while (parent := parent_of.get(i)) is not None and parent == parent and i not in seen:
            seen.add(i)
            i = int(parent)
        return i

    return {i: out.get(root(i), PROGRAM_PALETTE[0]) for i in ids}


def tint(hex_color: str, opacity: float = 0.35) -> str:
    """The colour drawn at `opacity` over white, as an opaque hex (a pale bar where opacity is not available)."""
    rgb = (int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02X}" for c in rgb)


def series_color(color: str | None, index: int) -> str:
    """A series' own colour (the dashboard's), else the index-th projector colour."""
    return color or SERIES[index % len(SERIES)]


# --- slide text measures
def unit_label(unit: str, lang: str | None = None) -> str:
    """The one unit label of a chart, the way Korean reports write it above a table: (단위: 백만원)."""
    return t("deck_unit", lang, unit=unit)


def _em(ch: str) -> float:
    """Advance width of a character in em of the Korean font (an upper estimate)."""
    if ch == " ":
        return 0.28
    if unicodedata.east_asian_width(ch) in ("W", "F") or ch in "—…":
        return 1.0
    if ch in ".,:;·|'()[]!":
        return 0.36
    if ch.isupper() or ch in "%&@#":
        return 0.7
    return 0.58


def text_px(text: str, size: float) -> float:
    """Estimated width in px of one line of plain text at a font size (px)."""
    return sum(_em(c) for c in text) * size


def fit_size(text: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size (px, whole) at which the text fits the width, not below `smallest`."""
    per_px = text_px(text, 1.0) or 1.0
    return float(max(smallest, min(largest, int(width / per_px))))


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width` px at `size`, broken at spaces (a word longer than the width stays whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_px(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _common_prefix(lines: list[str]) -> str:
    """The characters all lines start with."""
    first = lines[0]
    n = 0
    while n < len(first) and all(len(line) > n and line[n] == first[n] for line in lines):
        n += 1
    return first[:n]


def title_lines(body: tuple[str, ...] | list[str]) -> list[str]:
    """The title slide's lines: consecutive lines that share a long lead (e.g. three 자료 lines from one report)
    become the lead once and their different tails on one line joined by ' · '."""
    out: list[str] = []
    lines = list(body)
    i = 0
    while i < len(lines):
        j, lead = i + 1, ""
        while j < len(lines):
            common = _common_prefix(lines[i : j + 1])
            common = common[: common.rfind(" ") + 1] if " " in common else ""
            if len(common.strip()) < 16:
                break
            lead, j = common, j + 1
        if j - i > 1:
            out += [lead.rstrip(), " · ".join(line[len(lead) :].strip() for line in lines[i:j])]
        else:
            out.append(lines[i])
        i = j
    return out
