"""Colours in one place: the Okabe-Ito colour-blind-safe palette, one meaning per colour across pages.

Contrast (KWCAG 2.2 / WCAG 2.2, 1.4.3 and 1.4.11): every colour that draws a bar, line or marker has at least 3:1
against white, and every colour used for text at least 4.5:1 (tests/test_colors.py checks them). The Okabe-Ito
hues whose original value is lighter (orange, sky blue, yellow, reddish purple) are kept as hues and darkened
just enough.
"""

from __future__ import annotations

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


def program_color(index: int) -> str:
    """Stable colour of the index-th program (ordered by program id), cycling through the palette."""
    return OKABE_ITO[index % len(OKABE_ITO)]


# Program colours: the palette without black (black is for targets).
PROGRAM_PALETTE: tuple[str, ...] = OKABE_ITO[:7]
# Funding sources (재원), the same on every page.
SOURCE: dict[str, str] = {"national": "#1C92D4", "city": "#C76C9F", "district": "#0072B2", "other": "#8B8B8B"}
HIGHLIGHT = "#D55E00"  # the own district
OTHERS = "#8B8B8B"  # the other districts
# Text: captions and secondary text (7.0:1 on white, 6.3:1 on the sidebar's grey), and text on the tile map.
CAPTION_TEXT = "#595959"
TEXT = "#111111"


def program_colors(ids: list[int], parents: list[int | None]) -> dict[int, str]:
    """Stable colour per program id: unit programs (no parent) in id order cycle the palette; subs take their unit's."""
    parent_of = dict(zip(ids, parents, strict=True))
    units = sorted(i for i, p in parent_of.items() if p is None or p != p)
    out = {u: PROGRAM_PALETTE[n % len(PROGRAM_PALETTE)] for n, u in enumerate(units)}

    def root(i: int) -> int:
        seen = set()
        while parent_of.get(i) is not None and parent_of[i] == parent_of[i] and i not in seen:
            seen.add(i)
            i = int(parent_of[i])
        return i

    return {i: out.get(root(i), PROGRAM_PALETTE[0]) for i in ids}


def tint(hex_color: str, opacity: float = 0.35) -> str:
    """The colour drawn at `opacity` over white, as an opaque hex (a pale bar where opacity is not available)."""
    rgb = (int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02X}" for c in rgb)
