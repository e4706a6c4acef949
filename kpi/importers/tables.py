"""Find tables in a sheet grid by their header words, and the units, as-of and title lines around them."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np

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
from kpi.importers.issues import Issues, cell_ref
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


# A KOSIS figure with its flag or a KOSIS symbol ('65.2 e', 'p65.2', 'x', '…'): data, not header text (kostat.py).
_KOSIS_FIGURE = re.compile(r"(?:[ep]\s*)?\d[\d,]*(?:\.\d+)?(?:\s*[ep])?|x|\.{3}", re.IGNORECASE)


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
        return bool(_KOSIS_FIGURE.fullmatch(head))


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


def _candidate_rows(grid: SheetGrid) -> list[int]:
    """Rows with at least two cells that name a header field or a half-year: the only rows a header block can
    start at. Counted column by column (each distinct text judged once), not cell by cell."""
    rows = grid.rows
    if not rows:
        return []
    try:
        distinct = set().union(*rows)
    except TypeError:  # an unhashable cell (never from a reader): every row is a candidate
        return list(range(len(rows)))
    roles = {v for v in distinct if type(v) is str and any(_text_role(v))}
    if not roles:
        return []
    counts = np.zeros(len(rows), dtype=np.int32)
    for column in itertools.zip_longest(*rows, fillvalue=""):
        counts += np.fromiter(map(roles.__contains__, column), dtype=bool, count=len(rows))
    return np.flatnonzero(counts >= 2).tolist()


def find_headers(grid: SheetGrid) -> list[Header]:
    """All header blocks of a sheet: up to three text rows that name at least two known fields."""
    out: list[Header] = []
    starts = _candidate_rows(grid)
    r = 0
    while r < grid.height:
        at = bisect_left(starts, r)
        if at == len(starts):
            break
        r = starts[at]  # rows before it name fewer than two fields: no header starts there
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


# A note line: '※', '*', '☞', '주)', '주 :', '(주)' then text always; '- ' then text only where no data row follows
# (inside a body '- ' also starts a sub-item).
_NOTE_MARK = re.compile(r"^(?:※|\*|☞|주\s*\)|주\s*[:：]|\(주\))\s*\S")
_WEAK_NOTE_MARK = re.compile(r"^-\s+\S")
MAX_NOTE_ROWS = 12  # rows under a table searched for notes; a longer run of "- " lines is body, not notes
MAX_NOTE_GAP = 2  # blank rows a run of notes may skip


@dataclass(frozen=True)
class Note:
    """A note line of a table: its row, the column of its text, the text, and whether it is under the table."""

    r: int
    c: int
    text: str
    below: bool = True


def is_note_text(value: object) -> bool:
    """True for text that starts with a strong note mark: '※', '*', '☞', '주)', '주 :' or '(주)', then text."""
    return isinstance(value, str) and bool(_NOTE_MARK.match(clean_text(value)))


def _row_cells(grid: SheetGrid, r: int) -> list[tuple[int, object]]:
    """The filled cells of a row, by column."""
    return [(c, v) for c, v in enumerate(grid.rows[r]) if not is_blank(v)] if 0 <= r < grid.height else []


Starts = dict[tuple[int, int], int]


def merge_starts(grid: SheetGrid) -> Starts:
    """Last column of each merged range by its top-left cell (the cell that holds the range's value)."""
    return {(r0, c0): c1 for r0, c0, _r1, c1 in grid.merged}


def _spans_table(header: Header, r: int, c: int, starts: Starts) -> bool:
    """True when a merged range holding (r, c) covers at least half of the table's columns (two or more)."""
    first, last = header.span
    c1 = starts.get((r, c))
    if c1 is None or c1 <= c:
        return False
    return min(c1, last) - max(c, first) + 1 >= max(2, (last - first + 2) // 2)


def _note_kind(grid: SheetGrid, header: Header, r: int, starts: Starts) -> str | None:
    """'strong' for a row whose first filled cell is a marked note and that holds no number; 'weak' for a
    '- ' line or a text-only merged row spanning the table; else None."""
    cells = _row_cells(grid, r)
    if not cells or not isinstance(cells[0][1], str):
        return None
    c, first = cells[0]
    text = clean_text(first)
    if _NOTE_MARK.match(text):
        kind = "strong"
    elif _WEAK_NOTE_MARK.match(text) or (len(cells) == 1 and _spans_table(header, r, c, starts)):
        kind = "weak"
    else:
        return None
    if any(_is_numberish(v) for _c, v in cells):
        return None
    if kind == "weak" and not all(isinstance(v, str) for _c, v in cells):
        return None
    return kind


def _data_follows(grid: SheetGrid, header: Header, r: int, stop: int, starts: Starts) -> bool:
    """True when a row that is neither blank nor a note follows row r before the next blank row (or stop); a run of
    more than MAX_NOTE_ROWS note-like lines counts as body rows too (and keeps this look-ahead short)."""
    first, last = header.span
    for k in range(r + 1, min(stop, grid.height, r + MAX_NOTE_ROWS + 1)):
        if all(is_blank(grid.cell(k, c)) for c in range(first, last + 1)):
            return False
        if _note_kind(grid, header, k, starts) is None:
            return True
    return r + MAX_NOTE_ROWS < min(stop, grid.height)


def note_at(grid: SheetGrid, header: Header, r: int, stop: int, starts: Starts) -> Note | None:
    """The note row r holds: a marked note always; a '- ' line or a merged text row only when no data row follows
    it in the same block (else it is a sub-item or section row of the body)."""
    kind = _note_kind(grid, header, r, starts)
    if kind is None or (kind == "weak" and _data_follows(grid, header, r, stop, starts)):
        return None
    cells = _row_cells(grid, r)
    text = " ".join(clean_text(v) for _c, v in cells)
    return Note(r, cells[0][0], text)


def body_rows(grid: SheetGrid, header: Header, stop: int) -> list[int]:
    """Rows of the table under a header, up to the first blank row, the first note line or the next header (stop)."""
    first, last = header.span
    starts = merge_starts(grid)
    rows: list[int] = []
    for r in range(header.bottom + 1, min(stop, grid.height)):
        if all(is_blank(grid.cell(r, c)) for c in range(first, last + 1)) or note_at(grid, header, r, stop, starts):
            break
        rows.append(r)
    return rows


@dataclass
class Trailer:
    """What follows a table body: its note lines, the first data row found after a note (an error), the end row."""

    notes: list[Note]
    stray: int | None
    end: int


def notes_below(grid: SheetGrid, header: Header, rows: Sequence[int]) -> Trailer:
    """The note lines under a table body (blank rows between them allowed), and a data row that follows a note
    inside the same block: rows after a note are not read, so such a row must be reported."""
    start = (rows[-1] if rows else header.bottom) + 1
    first, last = header.span
    starts = merge_starts(grid)
    notes: list[Note] = []
    stray: int | None = None
    gap = 0
    end = start - 1
    for r in range(start, min(grid.height, start + MAX_NOTE_ROWS)):
        if not _row_cells(grid, r):
            gap += 1
            if gap > MAX_NOTE_GAP:
                break
            continue
        note = note_at(grid, header, r, grid.height, starts)
        if note is None:
            data = any(_is_numberish(grid.cell(r, c)) for c in range(first, last + 1))
            if notes and gap == 0 and data:
                stray = r
            break
        notes.append(note)
        gap, end = 0, r
    return Trailer(notes, stray, end)


def table_end(grid: SheetGrid, header: Header, rows: Sequence[int]) -> int:
    """The last row of a table: its last body row or the last note line under it."""
    return max((rows[-1] if rows else header.bottom), notes_below(grid, header, rows).end)


@dataclass
class Around:
    """What the lines above (and the header of) a table say: units, as-of date, a title and note lines."""

    units: Units | None = None
    units_at: tuple[int, int] | None = None
    as_of: date | None = None
    as_of_at: tuple[int, int] | None = None
    title: str | None = None
    year_hint: int | None = None
    notes: list[Note] = field(default_factory=list)


_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*년")
_TITLE_SKIP = re.compile(r"예산\s*현황|추진\s*실적|^\s*[□■○●▶※-]?\s*$")
_AS_OF_LABEL = re.compile(r"^[(\[]?\s*기준\s*(?:일|일자|날짜)?\s*[:：)\]]?\s*$")


def _left_text(grid: SheetGrid, r: int, c: int) -> str | None:
    """Clean text of the nearest filled cell left of (r, c), None when there is none or it is not text."""
    for k in range(c - 1, -1, -1):
        v = grid.cell(r, k)
        if not is_blank(v):
            return clean_text(v) if isinstance(v, str) else None
    return None


def _as_of_cell(grid: SheetGrid, r: int, c: int, v: object) -> bool:
    """True for a cell that states the as-of date: text such as '(2024. 5. 31. 기준)'; a date cell (or date text)
    next to a '기준일' label; a date cell alone in its row."""
    if isinstance(v, str) and looks_like_as_of(v):
        return True
    left = _left_text(grid, r, c)
    labelled = left is not None and "기준" in left and (isinstance(v, date) or bool(_AS_OF_LABEL.match(left)))
    if isinstance(v, date):
        return labelled or len(_row_cells(grid, r)) == 1
    return labelled and isinstance(v, str) and any(ch.isdigit() for ch in v)


def around(grid: SheetGrid, header: Header, floor: int, year_hint: int | None, issues: Issues) -> Around:
    """Read units, as-of (text or a date cell), title and note lines from the rows above a header (down to floor)
    and the header cells."""
    found = Around(year_hint=year_hint)
    cells: list[tuple[int, int, object]] = []
    for r in range(header.bottom, max(floor, header.top - LOOK_UP_ROWS) - 1, -1):
        cells.extend(
            (r, c, v) for c, v in enumerate(grid.rows[r]) if (isinstance(v, str) and v.strip()) or isinstance(v, date)
        )
    if found.year_hint is None:
        for r in range(0, header.top):
            for v in grid.rows[r]:
                if isinstance(v, str) and (m := _YEAR.search(clean_text(v))):
                    found.year_hint = int(m[1])
    for r, c, v in cells:
        units = parse_units(v) if isinstance(v, str) else None
        if units is not None and found.units is None:
            found.units, found.units_at = units, (r, c)
        if found.as_of is None and _as_of_cell(grid, r, c, v):
            try:
                found.as_of = parse_as_of(v, found.year_hint)
            except CellError as exc:
                issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=v)
                continue
            if found.as_of is not None:
                found.as_of_at = (r, c)
    if found.units is None:
        money = {header_money_unit(t) for t in header.texts.values()} - {None}
        if len(money) == 1:
            found.units, found.units_at = Units(money.pop()), (header.top, header.span[0])
    starts = merge_starts(grid)
    for r, c, v in cells:
        if r >= header.top or not isinstance(v, str):
            continue
        text = clean_text(v)
        label = found.as_of_at is not None and found.as_of_at[0] == r and "기준" in text  # '기준일' beside a date
        if parse_units(text) or looks_like_as_of(text) or label:
            continue
        if is_note_text(text):
            if _row_cells(grid, r)[0][0] == c and _note_kind(grid, header, r, starts) == "strong":
                found.notes.append(Note(r, c, text, below=False))
            continue
        if found.title is None and not _TITLE_SKIP.search(text):
            found.title = re.sub(r"^[\d\s.□■○●①-⑳ⅠⅡⅢⅣⅤ-]+", "", text).strip() or None
    found.notes.sort(key=lambda n: (n.r, n.c))
    return found


def refuse_merged_values(grid: SheetGrid, rows: Sequence[int], cols: Sequence[int], issues: Issues) -> None:
    """A merged range over several value cells of a table body hides their values: an error at each range."""
    for r0, c0, r1, c1 in merged_over_data(grid, rows, cols):
        issues.error(
            "merged_cells_data",
            f"병합된 셀({cell_ref(r0, c0)}:{cell_ref(r1, c1)})이 숫자 칸을 가리고 있습니다. 셀 병합을 "
            "풀고 칸마다 값을 적어 주세요.",
            f"Merged cells {cell_ref(r0, c0)}:{cell_ref(r1, c1)} hide values; unmerge and fill each cell.",
            sheet=grid.name,
            row=r0,
            col=c0,
            value=grid.cell(r0, c0),
        )


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
