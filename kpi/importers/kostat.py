"""KOSIS 지역별고용조사 시군구 tables as staff download them: every layout, each value's own item, KOSIS symbols.

Layouts (CSV in cp949 or UTF-8, or xlsx), all recognised from their header words (synonyms.py, KOSIS block):

- wide by half-year, the indicator in the title: 행정구역별 | 2021.1/2 | 2021.2/2 | …
- wide with a two-row header: 시점 (merged or written once) over its items, 항목 on the row below
- wide with items in rows: 행정구역별 | 항목 | [단위] | 2023.1/2 | …
- long with items as columns: 행정구역별 | 시점 | 고용률 (%) | 15~64세 고용률 (%) | 취업자 (천명) | …
- long with one value a row: the OpenAPI's C1, C1_NM, ITM_NM, UNIT_NM, PRD_SE, PRD_DE, DT (or 항목 | 시점 | 데이터)

Each value's indicator and age basis come from its own item label (column head or row's 항목); the title is read
only for values without one. A plain 고용률 is the 15세 이상 rate: KOSIS labels the OECD basis '15~64세 고용률'.
취업자 (천명) is stored in persons as the catalog's "employed" next to the rates; other items are skipped with a note.
KOSIS symbols are no error: '-' (no figure), 'x' (suppressed) and '…' (unknown) give no row; a number flagged 'e'
(estimate) or 'p' (provisional) is read, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kpi.domain.batch import SurveyRow
from kpi.domain.catalog import METRIC_BY_CODE, SURVEY_COUNTS, SURVEY_INDICATORS
from kpi.domain.districts import BY_KOSTAT, District, find_district
from kpi.importers.conventions import DASHES, CellError, clean_text, parse_half, parse_number, shown
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import Issues, clip
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import header_field, is_total_label, normalise_header
from kpi.importers.tables import LOOK_UP_ROWS, Header

KIND = "kostat_csv"
EMPLOYED = METRIC_BY_CODE["employed"].code  # 취업자 수(지역): stored in persons next to the rates
DEFAULT_BASIS = "15+"  # a plain 고용률 in KOSIS 지역별고용조사 시군구 tables is the 15세 이상 rate
_BASIS_1564 = re.compile(r"15\s*[~∼〜\-–—]\s*64\s*세?")
_BASIS_15P = re.compile(r"15\s*세\s*이상")
_BRACKETED = re.compile(r"[(\[（]\s*([^)\]）]*?)\s*[)\]）]")
_RATE_WORDS = ("고용률", "고용율")
_EMPLOYED_WORDS = ("취업자", "취업자수")
_FEMALE, _MALE = ("여성", "여자"), ("남성", "남자")
_PERSON_UNITS = {"천명": 1000, "만명": 10_000, "명": 1}
_SEOUL = ("서울", "서울특별시", "서울시")
_PROVINCES = (
    *("부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원"),
    *("충북", "충남", "충청", "전북", "전남", "전라", "경북", "경남", "경상", "제주"),
)
_PERIOD_CODE = re.compile(r"(\d{4})(0[12])")
_FLAGGED = re.compile(r"\(?([ep])\)?\s*(.*?)|(.*?)\s*\(?([ep])\)?", re.IGNORECASE)
# Columns that say where or when a value is, not what: never read as an item.
ROLE_FIELDS = frozenset(
    {
        *("region", "kosis_region_code", "kosis_period", "kosis_period_kind", "kosis_unit"),
        *("kosis_item_code", "kosis_dimension", "kosis_meta", "metric", "value"),
    }
)
# Header words that make a file look like a KOSIS download (행정구역별, C1_NM, 시점, PRD_DE, ITM_NM).
_KOSIS_WORDS = frozenset(
    normalise_header(w) for w in ("행정구역별", "C1_NM", "c1_nm", "시점", "PRD_DE", "prd_de", "ITM_NM")
)


@dataclass(frozen=True)
class Item:
    """What an item label means: a rate (indicator, basis stated or None), the employed count (persons per unit),
    or nothing read (indicator None, with why)."""

    label: str
    indicator: str | None
    basis: str | None = None
    scale: int = 1
    why: str = ""
    from_title: bool = False


@dataclass(frozen=True)
class _Cell:
    """One value cell of a table: where it is, its half-year, its item label and where that label is written."""

    r: int
    c: int
    period: tuple[int, int] | None
    label: str
    label_at: tuple[int, int]
    unit: str = ""


@dataclass
class _Notes:
    """What the reader noticed on the way, reported once each at the end."""

    other_rows: list[int] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)
    unknown: dict[str, tuple[int, int]] = field(default_factory=dict)
    symbols: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    flagged: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    duplicate_rows: set[int] = field(default_factory=set)


def is_kosis_header(header: Header) -> bool:
    """A KOSIS 지역별고용조사 header names a region (행정구역별, C1_NM or C1) and its half-years: period columns
    (2025.1/2 …) or a 시점 / PRD_DE column; or KOSIS's own 행정구역별 over item columns (고용률 (%) …), whose 시점
    is on the row above (a download of one half-year) or missing (refused by the reader in KOSIS terms)."""
    f = header.fields
    if not f & {"region", "kosis_region_code"}:
        return False
    own_words = any(normalise_header(t) in _KOSIS_WORDS for t in header.texts.values())
    return bool(header.periods) or "kosis_period" in f or ("kosis_survey_item" in f and own_words)


# ------------------------------------------------------------------------------------------------ items and bases


def _units_of(text: str) -> list[str]:
    """Unit words written in brackets in a label: '취업자 (천명)' -> ['천명']."""
    return [u.replace(" ", "") for u in _BRACKETED.findall(text)]


def item_of(label: str, unit: str = "") -> Item:
    """Read an item label on its own: '[15~64세|15세 이상] [여성] 고용률 (%)' is a rate, '취업자 (천명)' the employed
    count; anything else (15세이상인구, 실업률, 남자 고용률 …) is not read."""
    text = clean_text(label)
    basis = "15-64" if _BASIS_1564.search(text) else "15+" if _BASIS_15P.search(text) else None
    core = _BASIS_15P.sub("", _BASIS_1564.sub("", _BRACKETED.sub("", text)))
    core = re.sub(r"[\s·ㆍ_:\-]", "", core)
    female = any(w in core for w in _FEMALE)
    male = any(w in core for w in _MALE)
    for word in (*_FEMALE, *_MALE):
        core = core.replace(word, "")
    if core in _RATE_WORDS and not male:
        return Item(text, "female_employment_rate" if female else "employment_rate", basis)
    if core in _EMPLOYED_WORDS and not (male or female):
        units = [*_units_of(text), clean_text(unit).replace(" ", "")]
        scale = next((_PERSON_UNITS[u] for u in units if u in _PERSON_UNITS), None)
        if scale is None:
            return Item(text, None, why="단위 없음")
        return Item(text, EMPLOYED, None, scale)
    return Item(text, None)


def title_item(text: str) -> Item:
    """The indicator and basis a title states, for values whose own label names none: 여성고용률 before 고용률."""
    compact = text.replace(" ", "")
    basis = "15-64" if _BASIS_1564.search(text) else "15+" if _BASIS_15P.search(text) else None
    if "여성" in compact and "고용률" in compact:
        return Item(text, "female_employment_rate", basis, from_title=True)
    if "고용률" in compact:
        return Item(text, "employment_rate", basis, from_title=True)
    return Item(text, None, from_title=True)


# ------------------------------------------------------------------------------------------------ regions


def _code_text(value: object) -> str:
    """A code cell as text: 11190.0 -> '11190'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def place_of(label: str, code: str, in_seoul: bool | None) -> tuple[str, District | None, bool | None]:
    """(kind, district, Seoul context after the row) of a region: kind is district, total (전국, a 시도), other
    (a 시군구 outside Seoul) or unknown (a Seoul name that is no district). A KOSTAT code (C1) decides first; a bare
    name ('중구') is Seoul's only while no other 시도 row came before it."""
    if code.isdigit():
        if int(code) == 0:
            return "total", None, None
        if len(code) == 2:
            return "total", None, code == "11"
        if len(code) == 5:
            if code in BY_KOSTAT:
                return "district", BY_KOSTAT[code], True
            if not code.startswith("11"):
                return "other", None, False
    text = " ".join(clean_text(label).split())
    compact = text.replace(" ", "")
    if compact == "전국" or is_total_label(compact):
        return "total", None, None if compact == "전국" else in_seoul
    for prefix in sorted(_SEOUL, key=len, reverse=True):
        if compact.startswith(prefix):
            rest = compact[len(prefix) :]
            if not rest or is_total_label(rest):
                return "total", None, True
            district = find_district(rest)
            return ("district", district, True) if district else ("unknown", None, True)
    if compact.startswith(_PROVINCES):
        whole = " " not in text and (compact in _PROVINCES or compact.endswith(("도", "광역시", "특별자치시")))
        return ("total" if whole else "other"), None, False
    if in_seoul is False:
        return "other", None, False
    district = find_district(compact)
    return ("district", district, in_seoul) if district else ("other", None, in_seoul)


# ------------------------------------------------------------------------------------------------ values


def read_value(value: object) -> tuple[Decimal | None, str]:
    """A KOSIS value cell: (number, flag). flag '' plain, 'e' estimate, 'p' provisional ('65.2 e', 'p65.2',
    '65.2p'); no number for '' blank, '-' no figure, 'x' suppressed, '...' unknown ('…'). Other text: CellError."""
    if not isinstance(value, str):
        return parse_number(value, blank="missing").value, ""
    text = clean_text(value)
    if not text:
        return None, ""
    if text in DASHES or value.strip() in DASHES:
        return None, "-"
    if text.lower() == "x":
        return None, "x"
    if set(text) <= {".", "…", "‥"}:
        return None, "..."
    m = _FLAGGED.fullmatch(text)
    flag, core = "", text
    if m and m[1] and m[2]:
        flag, core = m[1].lower(), m[2]
    elif m and m[4] and m[3]:
        flag, core = m[4].lower(), m[3]
    return parse_number(core, blank="missing").value, flag


# ------------------------------------------------------------------------------------------------ layouts


def _fields(grid: SheetGrid, header: Header) -> dict[int, str]:
    """The header field each column names; a lower header row wins over the one above it."""
    out: dict[int, str] = {}
    for r in range(header.top, header.bottom + 1):
        for c, v in enumerate(grid.rows[r]):
            name = header_field(v)
            if name:
                out[c] = name
    return out


def _is_period(value: object) -> bool:
    """True for a header cell that names a half-year (2025.1/2, 2025 1/2, 2025년 상반기)."""
    half = parse_half(value) if isinstance(value, str) else None
    return half is not None and half[0] > 1900


def _label(grid: SheetGrid, header: Header, c: int) -> str:
    """A column's own header text without its half-year: '2025.1/2' over '고용률 (%)' -> '고용률 (%)'."""
    parts = [clean_text(grid.cell(r, c)) for r in range(header.top, header.bottom + 1)]
    return " ".join(p for p in parts if p and not _is_period(p))


def _label_row(grid: SheetGrid, header: Header, c: int) -> int:
    """The header row of a column's item text (the lowest filled one), for messages."""
    filled = [r for r in range(header.top, header.bottom + 1) if not is_blank(grid.cell(r, c))]
    return filled[-1] if filled else header.top


def _width(grid: SheetGrid, header: Header, rows: list[int]) -> int:
    """Columns a table uses: its header rows and body rows."""
    return max((len(grid.rows[r]) for r in [*range(header.top, header.bottom + 1), *rows]), default=0)


def _periods_above(grid: SheetGrid, header: Header) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Half-years written on the row just above a header (a 시점 over its items, one half-year downloaded)."""
    for r in range(header.top - 1, max(-1, header.top - 3), -1):
        found = {c: half for c, v in enumerate(grid.rows[r]) if _is_period(v) and (half := parse_half(v))}
        if found:
            return found, [r]
    return {}, []


def _wide_periods(grid: SheetGrid, header: Header, fields: dict[int, str], width: int) -> dict[int, tuple[int, int]]:
    """The half-year of each value column of a wide table; a 시점 written once over several item columns (merged
    or left blank after its first column) holds for each of them."""
    period_rows = [r for r in range(header.top, header.bottom + 1) if any(_is_period(v) for v in grid.rows[r])]
    periods = header.periods
    if not periods:
        periods, period_rows = _periods_above(grid, header)
    out: dict[int, tuple[int, int]] = {}
    current: tuple[int, int] | None = None
    for c in range(width):
        if fields.get(c) in ROLE_FIELDS:
            current = None
        elif c in periods:
            current = out[c] = periods[c]
        elif current and all(is_blank(grid.cell(r, c)) for r in period_rows) and _label(grid, header, c):
            out[c] = current
        else:
            current = None
    return out


def _row_period(value: object, kind: str) -> tuple[int, int] | None:
    """A long table's 시점 cell: PRD_DE '202501' (PRD_SE H: 01 상반기, 02 하반기) or '2025.1/2', '2025년 상반기'."""
    text = _code_text(value)
    m = _PERIOD_CODE.fullmatch(text)
    if m and kind in ("", "H", "반기"):
        return int(m[1]), int(m[2])
    return parse_half(text) if _is_period(text) else None


def _with_dimension(dimension: str, label: str) -> str:
    """An item label with its row's 성별 (or C2) in front; a total (계, 전체) adds nothing."""
    dim = clean_text(dimension)
    return f"{dim} {label}".strip() if dim and not is_total_label(dim) else label


class _Layout:
    """The value cells of one KOSIS table, whatever its layout, with errors for what it lacks."""

    def __init__(self, grid: SheetGrid, header: Header, rows: list[int]) -> None:
        """Read the table's columns: roles from the header words, value cells by layout."""
        self.grid, self.header, self.rows = grid, header, rows
        self.fields = _fields(grid, header)
        self.width = _width(grid, header, rows)
        role = {name: c for c, name in sorted(self.fields.items(), reverse=True)}  # the first column of each role
        self.region_col = role.get("region")
        self.code_col = role.get("kosis_region_code")
        self.item_col = role.get("metric")
        self.unit_col = role.get("kosis_unit")
        self.dim_col = role.get("kosis_dimension")
        self.period_col = role.get("kosis_period")
        self.kind_col = role.get("kosis_period_kind")
        self.value_col = role.get("value")
        self.bad_periods: list[tuple[int, int]] = []
        self.lacks = ""  # the KOSIS column the table lacks (시점, 항목), if any

    @property
    def where_col(self) -> int:
        """The column that names a row's region (for messages)."""
        return self.region_col if self.region_col is not None else (self.code_col or 0)

    def text(self, r: int, c: int | None) -> str:
        """A body cell's clean text ('' for no column)."""
        return "" if c is None else clean_text(self.grid.cell(r, c))

    def cells(self) -> list[_Cell]:
        """Every value cell, row by row."""
        if self.period_col is not None:
            return self._long()
        return self._wide()

    def _row_label(self, r: int) -> tuple[str, tuple[int, int], str]:
        """(item label, its cell, unit) of a row that names its item (항목 / ITM_NM)."""
        assert self.item_col is not None
        label = _with_dimension(self.text(r, self.dim_col), self.text(r, self.item_col))
        return label, (r, self.item_col), self.text(r, self.unit_col)

    def _wide(self) -> list[_Cell]:
        """Wide by half-year: items in rows (항목 column), in the header (two-row) or only in the title."""
        periods = _wide_periods(self.grid, self.header, self.fields, self.width)
        if not periods:
            self.lacks = "시점"
        labels = {c: _label(self.grid, self.header, c) for c in periods}
        label_at = {c: (_label_row(self.grid, self.header, c), c) for c in periods}
        out: list[_Cell] = []
        for r in self.rows:
            for c, period in periods.items():
                if self.item_col is not None:
                    label, at, unit = self._row_label(r)
                else:
                    label = _with_dimension(self.text(r, self.dim_col), labels[c])
                    at, unit = label_at[c], self.text(r, self.unit_col)
                out.append(_Cell(r, c, period, label, at, unit))
        return out

    def _long(self) -> list[_Cell]:
        """Long by half-year: one row per region and 시점, items as columns or one value (DT, 데이터) a row; a lone
        value column without 항목 takes its item from the title."""
        assert self.period_col is not None
        per_row = self.item_col is not None and self.value_col is not None
        skip = {c for c, name in self.fields.items() if name in ROLE_FIELDS}
        value_cols = [c for c in range(self.width) if c not in skip and _label(self.grid, self.header, c)]
        if per_row or (not value_cols and self.value_col is not None):
            value_cols = [self.value_col] if self.value_col is not None else []
        if not value_cols:
            self.lacks = "항목"
        own = {c: "" if c == self.value_col else _label(self.grid, self.header, c) for c in value_cols}
        own_at = {c: (_label_row(self.grid, self.header, c), c) for c in value_cols}
        out: list[_Cell] = []
        for r in self.rows:
            raw = self.grid.cell(r, self.period_col)
            period = _row_period(raw, self.text(r, self.kind_col).upper())
            if period is None and not is_blank(raw):
                self.bad_periods.append((r, self.period_col))
            for c in value_cols:
                if per_row:
                    label, at, unit = self._row_label(r)
                else:
                    label = _with_dimension(self.text(r, self.dim_col), own[c])
                    at, unit = own_at[c], self.text(r, self.unit_col)
                out.append(_Cell(r, c, period, label, at, unit))
        return out


# ------------------------------------------------------------------------------------------------ the reader


def read_kostat(grid: SheetGrid, header: Header, rows: list[int], ctx: Context) -> Extract:
    """SurveyRows of the 25 Seoul districts from a KOSIS table in any layout: rates by their own item's indicator
    and basis, 취업자 in persons; other regions, totals, other items and KOSIS symbols are skipped with one note
    each; e/p-flagged values are read with a warning."""
    issues = ctx.issues
    errors_before = sum(1 for i in issues if i.severity == "error")
    layout = _Layout(grid, header, rows)
    out = Extract(KIND)
    cells = layout.cells()
    if layout.lacks:
        refuse(grid, issues, [layout.lacks], header.top, layout.where_col)
        return out
    _report_periods(grid, layout, issues)
    items = _items(grid, header, cells, issues)
    notes = _Notes()
    seen: dict[tuple[str, int, int, str, str], int] = {}
    places: dict[int, tuple[str, District | None]] = {}
    in_seoul: bool | None = None
    last: tuple[str, str] | None = None
    for cell in cells:
        if cell.r not in places:
            label = layout.text(cell.r, layout.region_col)
            code = "" if layout.code_col is None else _code_text(grid.cell(cell.r, layout.code_col))
            if not label and not code and last is not None:  # a region merged down over its item rows
                label, code = last
            last = (label, code)
            kind, district, in_seoul = place_of(label, code, in_seoul)
            places[cell.r] = (kind, district)
            _note_place(notes, kind, label, cell.r, layout.where_col)
        kind, district = places[cell.r]
        item = items.get(cell)
        if district is None or item is None or item.indicator is None or cell.period is None:
            continue
        _read_cell(grid, layout, cell, district, item, seen, notes, out, issues)
    _report(grid, layout, notes, issues)
    if not out.surveys and sum(1 for i in issues if i.severity == "error") == errors_before:
        issues.error(
            "kosis_no_values",
            "서울 자치구의 고용률·여성고용률·취업자 값이 하나도 없습니다. KOSIS에서 행정구역으로 서울의 "
            "구를 고르고 해당 항목을 넣어 다시 내려받아 주세요.",
            "No value of a Seoul district (employment rate, female employment rate, employed) was found.",
            sheet=grid.name,
            row=header.top,
            col=layout.where_col,
        )
    return out


def _items(grid: SheetGrid, header: Header, cells: list[_Cell], issues: Issues) -> dict[_Cell, Item]:
    """The meaning of each cell's item with its basis decided: stated in the label; else 15세 이상, silently when
    the table labels its 15~64세 items (so the plain ones are the 15+ rates), with one warning when assumed."""
    above = range(max(0, header.top - LOOK_UP_ROWS), header.top)
    title = " ".join(clean_text(v) for r in above for v in grid.rows[r] if isinstance(v, str))
    title = f"{title} {grid.name}".strip()
    by_label: dict[tuple[str, str], Item] = {}
    for cell in cells:
        key = (cell.label, cell.unit)
        if key not in by_label:
            by_label[key] = item_of(cell.label, cell.unit) if cell.label else title_item(title)
    rates = [i for i in by_label.values() if i.indicator in SURVEY_INDICATORS]
    labelled_1564 = any(i.basis == "15-64" and not i.from_title for i in rates)
    assumed: dict[str, tuple[int, int]] = {}
    missing: list[tuple[int, int]] = []
    skipped: dict[str, tuple[int, int]] = {}
    out: dict[_Cell, Item] = {}
    for cell in cells:
        item = by_label[(cell.label, cell.unit)]
        if item.indicator is None and item.from_title:
            missing.append(cell.label_at)
            continue
        if item.indicator is None:
            skipped.setdefault(f"{item.label} ({item.why})" if item.why else item.label, cell.label_at)
            continue
        if item.indicator in SURVEY_INDICATORS and item.basis is None:
            if item.from_title or not labelled_1564:
                assumed.setdefault(cell.label or title, cell.label_at)
            item = Item(item.label, item.indicator, DEFAULT_BASIS, item.scale, item.why, item.from_title)
        out[cell] = item
    if missing:
        r, c = missing[0]
        issues.error(
            "indicator_missing",
            "어떤 항목(고용률·여성고용률)의 값인지 알 수 없습니다. KOSIS에서 '항목'을 표에 넣어(열이나 행) 다시 "
            "내려받거나, 표 위 제목에 지표명을 적어 주세요.",
            "Cannot tell which item (고용률 or 여성고용률) the values are: download the table with its 항목.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
    if assumed:
        _warn_basis(grid, issues, assumed, title)
    _report_items(grid, skipped, issues)
    return out


def _warn_basis(grid: SheetGrid, issues: Issues, assumed: dict[str, tuple[int, int]], title: str) -> None:
    """One warning naming the items whose age basis was assumed to be 15세 이상 (and a title's 15~64 left aside)."""
    names = ", ".join(clip(n, 30) for n in list(assumed)[:4]) + (" 등" if len(assumed) > 4 else "")
    own = [n for n in assumed if n != title]
    aside = own and _BASIS_1564.search(title)
    r, c = next(iter(assumed.values()))
    issues.warning(
        "basis_missing",
        f"연령 기준(15세 이상 / 15~64세)이 적혀 있지 않은 항목({names})은 KOSIS 지역별고용조사의 '고용률'처럼 "
        "'15세 이상'으로 읽었습니다"
        + (" (제목의 15~64세는 항목명에 연령이 없는 값에 적용하지 않았습니다)" if aside else "")
        + ". 15~64세 값이면 항목명에 '15~64세'를 적어 주세요.",
        f"The age basis of {names} is not stated; read as 15+ (KOSIS labels the 15-64 rate '15~64세 고용률')"
        + ("; the title's 15~64 was not applied to these items" if aside else "")
        + ".",
        sheet=grid.name,
        row=r,
        col=c,
        value=grid.cell(r, c),
    )


def _note_place(notes: _Notes, kind: str, label: str, r: int, col: int) -> None:
    """Count a row whose region is not read: another 시도's 시군구, a total, or an unknown Seoul name."""
    if kind == "other":
        notes.other_rows.append(r)
    elif kind == "total":
        notes.total_rows.append(r)
    elif kind == "unknown":
        notes.unknown.setdefault(label, (r, col))


def _read_cell(
    grid: SheetGrid,
    layout: _Layout,
    cell: _Cell,
    district: District,
    item: Item,
    seen: dict[tuple[str, int, int, str, str], int],
    notes: _Notes,
    out: Extract,
    issues: Issues,
) -> None:
    """Read one value of a district into the extract: KOSIS symbols counted, e/p flags kept for a warning,
    a rate outside 0-100 and a second value for the same key refused."""
    assert cell.period is not None and item.indicator is not None
    raw = grid.cell(cell.r, cell.c)
    try:
        value, flag = read_value(raw)
    except CellError as exc:
        issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=cell.r, col=cell.c, value=raw)
        return
    if value is None:
        if flag:
            notes.symbols.setdefault(flag, []).append((cell.r, cell.c))
        return
    year, half = cell.period
    basis = item.basis or DEFAULT_BASIS
    key = (district.sig_cd, year, half, item.indicator, basis)
    if key in seen:
        if cell.r not in notes.duplicate_rows:
            notes.duplicate_rows.add(cell.r)
            first = seen[key]
            label = SURVEY_INDICATORS.get(item.indicator) or SURVEY_COUNTS.get(item.indicator, item.indicator)
            issues.error(
                "duplicate_row",
                f"{district.name} {year}.{half}/2 {label} 값이 "
                f"{first + 1}행과 {cell.r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
                f"{district.name} {year}.{half}/2 {item.indicator} appears twice (rows {first + 1} and {cell.r + 1}).",
                sheet=grid.name,
                row=cell.r,
                col=layout.where_col,
                value=grid.cell(cell.r, layout.where_col),
            )
        return
    seen[key] = cell.r
    if item.indicator == EMPLOYED:
        if value < 0:
            _out_of_range(grid, cell, raw, issues, "취업자 수는 0 이상이어야 합니다", "The employed count is negative")
            return
        number = float(value * item.scale)
    else:
        if not 0 <= value <= 100:
            _out_of_range(grid, cell, raw, issues, "고용률은 0~100 사이여야 합니다", "The rate is outside 0-100")
            return
        number = float(value)
    if flag:
        notes.flagged.append((f"{district.name} {year}.{half}/2 {clip(item.label, 24)} {shown(raw)}", (cell.r, cell.c)))
    out.surveys.append(
        (SurveyRow(district.sig_cd, year, half, item.indicator, basis, number), Loc(grid.name, cell.r, cell.c))
    )


def _out_of_range(grid: SheetGrid, cell: _Cell, raw: object, issues: Issues, ko: str, en: str) -> None:
    """A value outside its possible range: an error at its cell."""
    issues.error(
        "value_out_of_range",
        f"{shown(raw)}: {ko}. KOSIS에서 내려받은 값 그대로인지 확인해 주세요.",
        f"{shown(raw)!r}: {en}.",
        sheet=grid.name,
        row=cell.r,
        col=cell.c,
        value=raw,
    )


def _report_periods(grid: SheetGrid, layout: _Layout, issues: Issues) -> None:
    """One error for 시점 cells that are no half-year (a yearly or monthly download, or a typing slip)."""
    if not layout.bad_periods:
        return
    r, c = layout.bad_periods[0]
    raw = grid.cell(r, c)
    more = f" 외 {len(layout.bad_periods) - 1}칸" if len(layout.bad_periods) > 1 else ""
    issues.error(
        "period_unreadable",
        f"시점 '{shown(raw)}'{more}을(를) 반기로 읽을 수 없습니다. KOSIS에서 수록주기를 '반기'로 골라 "
        "'2025.1/2'(PRD_DE 202501) 형식의 시점으로 다시 내려받아 주세요.",
        f"The period {shown(raw)!r} is not a half-year (2025.1/2 or PRD_DE 202501 with PRD_SE H).",
        sheet=grid.name,
        row=r,
        col=c,
        value=raw,
    )


def _rows_text(rows: Iterable[int]) -> str:
    """Row numbers as a person reads them: '3, 7, 12행'."""
    shown_rows = sorted(set(rows))
    text = ", ".join(str(r + 1) for r in shown_rows[:5])
    return text + (" 등" if len(shown_rows) > 5 else "")


def _report(grid: SheetGrid, layout: _Layout, notes: _Notes, issues: Issues) -> None:
    """The notes of one table: skipped regions (other 시도 and totals), unknown Seoul names, KOSIS symbols and
    e/p values. The symbol note comes when a figure is hidden ('x' suppressed, '…' unknown) and counts the '-' too;
    '-' alone (no figure, as a blank) makes no note."""
    other, total = sorted(set(notes.other_rows)), sorted(set(notes.total_rows))
    if other or total:
        first = other[0] if other else total[0]
        issues.warning(
            "region_skipped",
            f"서울 자치구가 아닌 행은 건너뛰었습니다: 다른 시도의 시군구 {len(other)}행, 전국·시도 합계 "
            f"{len(total)}행 (처음: {first + 1}행).",
            f"Skipped rows that are not Seoul districts: {len(other)} of other regions, {len(total)} totals.",
            sheet=grid.name,
            row=first,
            col=layout.where_col,
            value=grid.cell(first, layout.where_col),
        )
    if notes.unknown:
        names = ", ".join(f"'{clip(n, 20)}'" for n in list(notes.unknown)[:5])
        r, c = next(iter(notes.unknown.values()))
        issues.warning(
            "region_unknown",
            f"서울의 자치구 이름으로 읽을 수 없는 지역({names})은 건너뛰었습니다. 구 이름을 확인해 주세요.",
            f"Skipped Seoul regions that are no district: {names}.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
    hidden = len(notes.symbols.get("x", [])) + len(notes.symbols.get("...", []))
    if hidden:
        counts = {k: len(v) for k, v in notes.symbols.items()}
        r, c = min(p for k in ("x", "...") for p in notes.symbols.get(k, []))
        issues.warning(
            "kosis_symbols",
            f"KOSIS 기호로 표시된 값은 건너뛰었습니다: 'x'(비밀보호) {counts.get('x', 0)}칸, '…'(미상) "
            f"{counts.get('...', 0)}칸, '-'(없음) {counts.get('-', 0)}칸 (처음: {r + 1}행).",
            f"Skipped KOSIS symbols: {counts.get('x', 0)} suppressed (x), {counts.get('...', 0)} unknown (…), "
            f"{counts.get('-', 0)} none (-).",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
    if notes.flagged:
        listed = "; ".join(text for text, _ in notes.flagged[:4]) + (" 등" if len(notes.flagged) > 4 else "")
        r, c = notes.flagged[0][1]
        issues.warning(
            "kosis_estimate",
            f"추정치(e)·잠정치(p) 표시가 있는 값 {len(notes.flagged)}개를 숫자로 읽었습니다: {clip(listed, 160)}. "
            "확정치가 나오면 다시 올려 주세요.",
            f"Read {len(notes.flagged)} values flagged as estimate (e) or provisional (p): {clip(listed, 160)}.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )


def _report_items(grid: SheetGrid, skipped: dict[str, tuple[int, int]], issues: Issues) -> None:
    """One note listing the items that are neither a rate of the catalog nor the employed count."""
    if not skipped:
        return
    names = ", ".join(f"'{clip(n, 24)}'" for n in list(skipped)[:6]) + (" 등" if len(skipped) > 6 else "")
    r, c = next(iter(skipped.values()))
    issues.warning(
        "item_skipped",
        f"고용률·여성고용률·취업자가 아닌 항목은 건너뛰었습니다: {names}.",
        f"Skipped items that are not employment rates or the employed count: {names}.",
        sheet=grid.name,
        row=r,
        col=c,
        value=grid.cell(r, c),
    )


# ------------------------------------------------------------------------------------------------ refusals


def explain_kosis(sheets: Iterable[SheetGrid], issues: Issues) -> bool:
    """For a file with no table read: when a sheet looks like a KOSIS download (행정구역별, C1_NM, 시점, PRD_DE
    in its first rows), an error in KOSIS terms naming what it lacks (시점, 항목, 행정구역). True when any."""
    found = False
    for grid in sheets:
        hit = _kosis_word(grid)
        if hit is None:
            continue
        found = True
        r, c = hit
        block = [rr for rr in range(r, min(r + 3, grid.height)) if not _has_number(grid.rows[rr])] or [r]
        fields = {header_field(v) for rr in block for v in grid.rows[rr]}
        texts = [clean_text(v) for rr in block for v in grid.rows[rr] if isinstance(v, str) and v.strip()]
        title = " ".join(clean_text(v) for rr in range(r) for v in grid.rows[rr] if isinstance(v, str))
        has_period = "kosis_period" in fields or any(_is_period(t) for t in texts)
        has_region = bool(fields & {"region", "kosis_region_code"})
        has_item = bool(fields & {"metric", "kosis_survey_item", "placements"}) or any(
            header_field(t) is None and not _is_period(t) for t in texts
        )
        has_item = has_item or title_item(title).indicator is not None
        missing = [name for name, ok in (("시점", has_period), ("항목", has_item), ("행정구역", has_region)) if not ok]
        refuse(grid, issues, missing, r, c)
    return found


def refuse(grid: SheetGrid, issues: Issues, missing: list[str], r: int, c: int) -> None:
    """The error for a KOSIS download that cannot be read, naming the columns it lacks (시점, 항목, 행정구역)."""
    lacks = "·".join(f"'{m}'" for m in missing)
    issues.error(
        "kosis_unreadable",
        (
            f"KOSIS 지역별고용조사 표로 보이지만 {lacks} 열이 없어 읽을 수 없습니다. "
            if missing
            else "KOSIS 지역별고용조사 표로 보이지만 머리글(행정구역별·시점·항목)을 알아볼 수 없습니다. "
        )
        + "KOSIS에서 행정구역·시점·항목을 모두 골라(시점은 열이나 행 어디든) CSV나 엑셀로 다시 내려받아 "
        "고치지 않고 올려 주세요.",
        f"This looks like a KOSIS download but lacks {', '.join(missing) or 'a readable header'}: download it "
        "again with 행정구역, 시점 and 항목 all in the table.",
        sheet=grid.name,
        row=r,
        col=c,
        value=grid.cell(r, c),
    )


def _kosis_word(grid: SheetGrid) -> tuple[int, int] | None:
    """The first cell in a sheet's first rows holding a KOSIS header word, or None."""
    for r in range(min(grid.height, 30)):
        for c, v in enumerate(grid.rows[r]):
            if isinstance(v, str) and normalise_header(v) in _KOSIS_WORDS:
                return r, c
    return None


def _has_number(row: list[object]) -> bool:
    """True for a row holding a number (a data row, not a header)."""
    for v in row:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return True
        if isinstance(v, str) and v.strip():
            try:
                if read_value(v)[0] is not None:
                    return True
            except CellError:
                continue
    return False
