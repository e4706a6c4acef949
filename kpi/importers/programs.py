"""Match uploaded program names to the district's known programs, ignoring spacing and punctuation."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

SIMILARITY = 0.8


def normalise_name(name: str) -> str:
    """A program name without spaces, punctuation or case: '청년정책 활성화' == '청년정책활성화'."""
    text = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class ProgramMatch:
    """How a name matched: exact, normalised (same after normalising), similar (a suggestion) or new."""

    name: str  # the name to use
    status: Literal["exact", "normalised", "similar", "new"]
    known: str | None = None  # the matched or suggested known name


@functools.lru_cache(maxsize=8)
def _by_key(known_names: tuple[str, ...]) -> dict[str, list[str]]:
    """Known names per normalised key (cached: one file matches all its names against the same known list)."""
    out: dict[str, list[str]] = {}
    for k in known_names:
        out.setdefault(normalise_name(k), []).append(k)
    return out


def match_program(name: str, known_names: Sequence[str], *, similar: bool = True) -> ProgramMatch:
    """Use a known name when exactly one equals the name after normalising; else (when `similar`) suggest one close
    name, else new."""
    if name in known_names:
        return ProgramMatch(name, "exact", name)
    key = normalise_name(name)
    same = sorted(set(_by_key(tuple(known_names)).get(key, ())))
    if len(same) == 1:
        return ProgramMatch(same[0], "normalised", same[0])
    if not similar or same:
        return ProgramMatch(name, "new", None)
    close = sorted(
        {k for k in known_names if difflib.SequenceMatcher(None, key, normalise_name(k)).ratio() >= SIMILARITY}
    )
    if len(close) == 1:
        return ProgramMatch(name, "similar", close[0])
    return ProgramMatch(name, "new", None)
