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
