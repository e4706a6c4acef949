"""The projector theme shared by the screen deck and every export: the dashboard's font stack and colours
(kpi.charts, kpi.colors), type sizes, slide size, and the text measures the slide layouts are computed from.

Slide layouts are fixed (no plotly automargin): every text box has a computed place, so nothing drifts onto the
footer, and a slide looks the same on screen (plotly.js in the browser), in the PNG/PDF (kaleido) and, as far as
PowerPoint allows, in the .pptx.
"""

from __future__ import annotations

import unicodedata

from kpi import colors
from kpi.views.charts import FONT

KOREAN_FONT = "Noto Sans CJK KR"  # ships with Debian's fonts-noto-cjk; PowerPoint on Windows falls back to 맑은 고딕
FONT_STACK = FONT  # the dashboard's stack; Debian's chromium resolves it to Noto Sans CJK KR
INK = "#111111"  # text on white: contrast ratio above 18:1
MUTED = "#444444"  # footer and unit label: 9.7:1 on white
GRID = "#D9D9D9"
BACKGROUND = "#FFFFFF"
SAMPLE = "#B00020"  # the sample-data tag
SERIES = (colors.EXECUTION, colors.PACE, colors.OKABE_ITO[2], colors.OKABE_ITO[5], colors.OKABE_ITO[3])
WIDTH_PX, HEIGHT_PX = 1280, 720  # 16:9, the PNG/PDF page and the screen slide; the .pptx is 13.333 x 7.5 in

# Type sizes in px of the 1280 x 720 slide (the .pptx uses pt = px * 0.75 where it follows).
TITLE_PX, HEADLINE_PX, BODY_PX, TICK_PX, LEGEND_PX, FOOTER_PX, TAG_PX = 44, 34, 20, 18, 18, 16, 20
PAD_PX = 40  # left and right page margin


def series_color(color: str | None, index: int) -> str:
    """A series' own colour (the dashboard's), else the index-th theme colour."""
    return color or SERIES[index % len(SERIES)]


def unit_label(unit: str) -> str:
    """The one unit label of a chart, the way Korean reports write it above a table: (단위: 백만원)."""
    return f"(단위: {unit})"


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
