"""Find tables in a sheet grid by their header words, and the units, as-of and title lines around them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from kpi.importers.conventions import (
    CellError,
    Units,
    clean_text,
    header_money_unit,
    looks_like_as_of,
    parse_as_of,
    parse_half,
    parse_number,
    parse_units,
)
from kpi.importers.issues import Issues
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import header_field

MAX_HEADER_ROWS = 3
LOOK_UP_ROWS = 8


@dataclass
class Header:
    """A header block: its rows, the field of each column, and the half-year of period columns."""

    top: int
    bottom: int
    cols: dict[str, int]
    periods: dict[int, tuple[int, int]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # column -> all header text of the column

    @property
    def fields(self) -> set[str]:
        """Fields named in the header."""
        return set(self.cols)

    @property
    def span(self) -> tuple[int, int]:
        """First and last column of the table."""
        used = list(self.cols.values()) + list(self.periods)
        return min(used), max(used)


def _is_numberish(value: object) -> bool:
    """True for a number or text that reads as one (before any bracket), so the row is data, not a header."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    head = clean_text(value).split("(")[0].strip()
    try:
        return bool(head) and parse_number(head).value is not None
    except CellError:
        return False


@lru_cache(maxsize=8192)
def _text_role(value: str) -> tuple[str | None, tuple[int, int] | None]:
    """(header field, half-year period) a text cell may name; cached: data rows repeat the same few texts."""
    name = header_field(value)
    if name:
        return name, None
    half = parse_half(value)
    return None, half if half and half[0] > 1900 else None


def _row_fields(row: list[object]) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """The header fields and half-year periods that a row's text cells name, by column."""
    fields: dict[int, str] = {}
    periods: dict[int, tuple[int, int]] = {}
    for c, value in enumerate(row):
        if isinstance(value, str):
            name, half = _text_role(value)
            if name:
                fields[c] = name
            elif half:
                periods[c] = half
    return fields, periods


def _header_like(row: list[object]) -> bool:
    """A row can be a header when it has a filled cell and none of its cells is a number."""
    cells = [v for v in row if not is_blank(v)]
    return bool(cells) and not any(_is_numberish(v) for v in cells)


def find_headers(grid: SheetGrid) -> list[Header]:
    """All header blocks of a sheet: up to three text rows that name at least two known fields."""
    out: list[Header] = []
    r = 0
    while r < grid.height:
        fields, periods = _row_fields(grid.rows[r])
        if len(fields) + len(periods) < 2 or not _header_like(grid.rows[r]):
            r += 1
            continue
        bottom = r
        col_field: dict[int, str] = dict(fields)
        col_period = dict(periods)
        texts = {c: clean_text(v) for c, v in enumerate(grid.rows[r]) if not is_blank(v)}
        while bottom + 1 < grid.height and bottom + 1 - r < MAX_HEADER_ROWS and _header_like(grid.rows[bottom + 1]):
            f2, p2 = _row_fields(grid.rows[bottom + 1])
            if not f2 and not p2:
                break
            bottom += 1
            col_field.update(f2)  # the lower (more specific) header wins
            col_period.update(p2)
            for c, v in enumerate(grid.rows[bottom]):
                if not is_blank(v):
                    texts[c] = (texts.get(c, "") + " " + clean_text(v)).strip()
        width = max((len(row) for row in grid.rows[r : bottom + 1]), default=0)
        for r0, c0, r1, c1 in grid.merged:  # a merged group header applies to every column under it
            if r0 <= bottom and r1 >= r and c1 > c0:
                text = clean_text(grid.cell(r0, c0))
                for c in range(c0 + 1, min(c1, width - 1) + 1):
                    texts[c] = (text + " " + texts.get(c, "")).strip()
        cols: dict[str, int] = {}
        for c in sorted(col_field):
            cols.setdefault(col_field[c], c)
        out.append(Header(r, bottom, cols, col_period, texts))
        r = bottom + 1
    return out


def body_rows(grid: SheetGrid, header: Header, stop: int) -> list[int]:
    """Rows of the table under a header, up to the first blank row or the next header (stop)."""
    first, last = header.span
    rows: list[int] = []
    for r in range(header.bottom + 1, min(stop, grid.height)):
        if all(is_blank(grid.cell(r, c)) for c in range(first, last + 1)):
            break
        rows.append(r)
    return rows


@dataclass
class Around:
    """What the lines above (and the header of) a table say: units, as-of date and a title."""

    units: Units | None = None
    units_at: tuple[int, int] | None = None
    as_of: date | None = None
    as_of_at: tuple[int, int] | None = None
    title: str | None = None
    year_hint: int | None = None


_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*년")
_TITLE_SKIP = re.compile(r"예산\s*현황|추진\s*실적|^\s*[□■○●▶※-]?\s*$")


def around(grid: SheetGrid, header: Header, floor: int, year_hint: int | None, issues: Issues) -> Around:
    """Read units, as-of and title from the rows above a header (down to floor) and the header cells."""
    found = Around(year_hint=year_hint)
    cells: list[tuple[int, int, object]] = []
    for r in range(header.bottom, max(floor, header.top - LOOK_UP_ROWS) - 1, -1):
        cells.extend((r, c, v) for c, v in enumerate(grid.rows[r]) if isinstance(v, str) and v.strip())
    if found.year_hint is None:
        for r in range(0, header.top):
            for v in grid.rows[r]:
                if isinstance(v, str) and (m := _YEAR.search(clean_text(v))):
                    found.year_hint = int(m[1])
    for r, c, v in cells:
        units = parse_units(v)
        if units is not None and found.units is None:
            found.units, found.units_at = units, (r, c)
        if found.as_of is None and (looks_like_as_of(v) or isinstance(v, (date,))):
            try:
                found.as_of = parse_as_of(v, found.year_hint)
                found.as_of_at = (r, c)
            except CellError as exc:
                issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=v)
    if found.units is None:
        money = {header_money_unit(t) for t in header.texts.values()} - {None}
        if len(money) == 1:
            found.units, found.units_at = Units(money.pop()), (header.top, header.span[0])
    for r, _c, v in cells:
        if r >= header.top:
            continue
        text = clean_text(v)
        if parse_units(text) or looks_like_as_of(text) or _TITLE_SKIP.search(text):
            continue
        found.title = re.sub(r"^[\d\s.□■○●①-⑳ⅠⅡⅢⅣⅤ-]+", "", text).strip() or None
        if found.title:
            break
    return found


def merged_over_data(grid: SheetGrid, rows: Sequence[int], cols: Sequence[int]) -> list[tuple[int, int, int, int]]:
    """Merged ranges that cover more than one value cell of a table body (counted, never enumerated)."""
    body = sorted(set(rows))
    wanted = sorted(set(cols))
    out = []
    for rng in grid.merged:
        r0, c0, r1, c1 = rng
        n_rows = bisect_right(body, r1) - bisect_left(body, r0)
        n_cols = bisect_right(wanted, c1) - bisect_left(wanted, c0)
        if n_rows * n_cols > 1:
            out.append(rng)
    return out
