"""Colours in one place: the Okabe-Ito colour-blind-safe palette, one meaning per colour across pages."""

from __future__ import annotations

# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

# Status -> (streamlit named colour for st.metric deltas and badges, hex for charts).
STATUS: dict[str, tuple[str, str]] = {
    "on_track": ("green", "#009E73"),
    "at_risk": ("orange", "#E69F00"),
    "behind": ("red", "#D55E00"),
    "no_data": ("gray", "#999999"),
}
EXECUTION = "#0072B2"  # executed / execution rate
PACE = "#E69F00"  # the pace line
TARGET = "#000000"  # target lines


def program_color(index: int) -> str:
    """Stable colour of the index-th program (ordered by program id), cycling through the palette."""
    return OKABE_ITO[index % len(OKABE_ITO)]


# Program colours: the palette without black (black is for targets).
PROGRAM_PALETTE: tuple[str, ...] = OKABE_ITO[:7]
# Funding sources (재원), the same on every page.
SOURCE: dict[str, str] = {"national": "#56B4E9", "city": "#CC79A7", "district": "#0072B2", "other": "#999999"}
HIGHLIGHT = "#D55E00"  # the own district
OTHERS = "#BBBBBB"  # the other districts


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
