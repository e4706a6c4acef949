"""The importers' fast paths read exactly as their row-by-row reading does.

template.read_template checks whole columns at once (_columns) and turns every row whose cells all read cleanly
into its fact or budget row directly; every other row goes through _TemplateRows.read_row, the cell-by-cell
reading that words the messages. tables.find_headers only tries the rows _candidate_rows pre-filters. Each test
reads seeded random messy grids twice: as shipped, and with the seams forced to the slow path (no row is clean, so
every row goes through read_row; every row is a header candidate). Both readings must give the same messages in
the same order at the same cells, the same extracts and the same batch rows."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest

from kpi import importers
from kpi.domain.catalog import FUNDING_SOURCES, METRICS
from kpi.importers import tables, template
from kpi.importers.conventions import MAX_NUMBER, MAX_WON, parse_half
from kpi.importers.extract import Context
from kpi.importers.issues import Issues
from kpi.importers.reader import SheetGrid
from kpi.importers.synonyms import header_field
from kpi.store.model import REASON_MAX_CHARS

KNOWN = ["청년정책 활성화", "지역일자리 사업 지원"]
TEMPLATE_GRIDS = 400
HEADER_GRIDS = 1500
ZW, BOM, NBSP, RLO = "\u200b", "\ufeff", "\u00a0", "\u202e"


def _fullwidth(text: str) -> str:
    """ASCII digits and punctuation as their full-width forms ('2024' -> '２０２４')."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- what the cells of a template may hold

PROGRAMS: list[object] = [
    *KNOWN,
    "신중년 일자리",
    "청년정책활성화",  # a normalised match
    "청년정책 활성하",  # a similar name
    f"청년{ZW}정책 활성화",  # invisible characters: a warning, read row by row
    f"{BOM}지역일자리 사업 지원",
    f"지역일자리{NBSP}사업 지원",
    f"청년정책 활성화{RLO}",
    " 청년정책 활성화 ",
    unicodedata.normalize("NFD", "청년정책 활성화"),
    "ｘ사업",
    "합계",
    "계",
    "※ 참고: 누계 기준",
    "",
    "  ",
    None,
    123,
    1.0,
    True,
    "=SUM(A1)",
    "가" * 300,
]
YEARS: list[object] = [
    2024.0,
    2024,
    "2024",
    _fullwidth("2024"),
    " 2024 ",
    "2024년",
    2023.0,
    2025,
    2024.5,
    0,
    -5.0,
    "",
    None,
    True,
    float("nan"),
    float("inf"),
    1e19,
    10**19,
    datetime(2024, 1, 1),
]
MONTHS: list[object] = [
    *[float(m) for m in range(1, 13)],
    *range(1, 13),
    0,
    13,
    -1.0,
    5.5,
    "5",
    _fullwidth("5"),
    "5월",
    "",
    " ",
    None,
    True,
    date(2024, 5, 1),
]
METRIC_CELLS: list[object] = [
    *[m.ko for m in METRICS],  # survey rates and 취업자 수(지역) are not template metrics
    *[m.code for m in METRICS],
    *[m.en for m in METRICS],
    *template.BUDGET_LABELS,
    " 집행액 ",
    "집 행 액(천원)",
    f"집행액{ZW}",
    f"참여자{NBSP}",
    "EXECUTED AMOUNT",
    "만족도",
    "",
    None,
    5.0,
]
SOURCES: list[object] = [
    *FUNDING_SOURCES.values(),
    *FUNDING_SOURCES,
    "합계",
    "총계",
    "국",
    "시",
    "구",
    " 구비 ",
    f"구{ZW}비",
    "도비",
    "",
    None,
    1.0,
]
VALUES: list[object] = [
    0,
    0.0,
    -0.0,
    5,
    5.0,
    88_801.0,
    1234.5,
    0.1,
    2.5,
    -3.0,
    -3,
    "88,801",
    "1,9235",  # a misplaced separator: read with a warning
    _fullwidth("1,234"),
    "△1,000",
    "1.5",
    "1e5",
    "약 300",
    "abc",
    "-",
    "—",
    "",
    "  ",
    None,
    True,
    float("nan"),
    float("inf"),
    datetime(2024, 1, 1),
    1e12,
    1e15,
    1e16,
    1e18,
    MAX_NUMBER,
    MAX_NUMBER + 1,
    MAX_WON,
    MAX_WON + 1,
    MAX_WON // 1000,
    MAX_WON // 1000 + 1,
    float(MAX_WON // 1000),
    MAX_WON // 1_000_000 + 1,
]
REASONS: list[object] = [
    "예산 집행 지연",
    "계약 지연으로 집행 부진",
    "하반기 집중 집행 예정",
    "가" * (REASON_MAX_CHARS + 1),
    "가" * REASON_MAX_CHARS,
    f"사유{ZW}",
    "\x07",
    "  ",
    "",
    None,
    5.0,
]
UNITS = ["(단위: 천원, 명, 건)", "(단위: 원)", "(단위: 백만원)", "(단위:억원)", "(단위: 명)", None]
TITLES = ["일자리 실적 입력 양식 (2024년)"] * 3 + ["일자리 실적 입력 양식 (2023년)", "실적 입력", None]
AS_OF = [None, None, None, date(2024, 6, 30), date(2024, 12, 31), date(2024, 1, 31)]
# Columns of a template table: the five it needs, then optional ones (any of the 사유/조치계획 words names them).
NEEDED = [("program", "사업명"), ("year", "연도"), ("month", "월"), ("metric", "지표"), ("value", "값")]
OPTIONAL = [
    ("source", ["재원", "재원구분"]),
    ("note", ["비고"]),
    ("reason", list(template.REASON_HEADERS["reason"])),
    ("action", list(template.REASON_HEADERS["action"])),
]


def _clean_row(rng: random.Random) -> dict[str, object]:
    """A row that reads cleanly: a known program, the year, a month, a template metric, its source and a count."""
    code = rng.choice([*template.TEMPLATE_METRICS, "budget", "budget_current"])
    money = code in template.BUDGET_CODES or code == "executed"
    label = template.BUDGET_LABELS if code in template.BUDGET_CODES else {}
    metric_cell = next((k for k, v in label.items() if v == code), None) or template.metric_label(code)
    return {
        "program": rng.choice([*KNOWN[:2], "신중년 일자리"]),
        "year": rng.choice([2024.0, 2024.0, 2024]),
        "month": None if code in template.BUDGET_CODES and rng.random() < 0.5 else float(rng.randint(1, 12)),
        "metric": metric_cell,
        "source": rng.choice([*FUNDING_SOURCES.values(), None]) if money else rng.choice(["계", "", None]),
        "value": rng.choice([float(rng.randint(0, 99_999)), rng.randint(0, 9_999), None]),
        "note": rng.choice(["", "", None, "메모"]),
        "reason": None,
        "action": None,
    }


POOLS: dict[str, list[object]] = {
    "program": PROGRAMS,
    "year": YEARS,
    "month": MONTHS,
    "metric": METRIC_CELLS,
    "source": SOURCES,
    "value": VALUES,
    "note": ["", "메모", None, 5],
    "reason": REASONS,
    "action": REASONS,
}


def _template_block(rng: random.Random, n: int) -> list[list[object]]:
    """A template header (columns in a random order, optional ones sometimes left out) and n messy body rows."""
    columns = [(f, text) for f, text in NEEDED]
    columns += [(f, rng.choice(words)) for f, words in OPTIONAL if rng.random() < 0.8]
    if rng.random() < 0.5:
        rng.shuffle(columns)
    if rng.random() < 0.2:
        columns.insert(rng.randint(0, len(columns)), ("", ""))  # a blank column inside the table
    fields = [f for f, _text in columns]
    block: list[list[object]] = [[text for _f, text in columns]]
    body: list[dict[str, object]] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.04:
            block.append([None] * len(columns) if rng.random() < 0.5 else [])
            continue
        if roll < 0.14 and body:  # a repeated row, as typed or with a cosmetic change
            row = dict(rng.choice(body))
            if rng.random() < 0.5:
                row[rng.choice(["year", "month", "value", "program"])] = rng.choice(
                    ["2024", " 청년정책 활성화 ", 5, 2024, "1,000"]
                )
        else:
            row = _clean_row(rng)
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
                f = rng.choice(list(POOLS))
                row[f] = rng.choice(POOLS[f])
            if rng.random() < 0.12:  # a reason, for a row with a value or alone
                row["reason"], row["action"] = rng.choice(REASONS[:3]), rng.choice([*REASONS[:3], None])
                if rng.random() < 0.5:
                    row["value"] = row["metric"] = None
        body.append(row)
        cells = [row.get(f) if f else None for f in fields]
        if rng.random() < 0.08:
            cells = cells[: rng.randint(0, len(cells))]  # a short row
        block.append(cells)
    return block


def template_grid(rng: random.Random) -> SheetGrid:
    """A messy 입력 sheet: title, units and as-of lines (each maybe), one or two template tables."""
    rows: list[list[object]] = []
    if title := rng.choice(TITLES):
        rows.append([title])
    if (units := rng.choice(UNITS)) is not None:
        rows.append([units])
    if rng.random() < 0.2:
        rows.append(["(2024. 6. 30. 기준)"])
    rows.extend([[]] * rng.randint(0, 2))
    rows.extend(_template_block(rng, rng.randint(0, 60)))
    if rng.random() < 0.15:  # a second table further down
        rows.append([])
        rows.extend(_template_block(rng, rng.randint(0, 15)))
    if rng.random() < 0.2:
        width = max(map(len, rows))
        rows = [row + [None] * (width - len(row)) for row in rows]  # rectangular, as a reader gives it
    return SheetGrid("입력", rows)


# --- the two readings


@dataclasses.dataclass
class Counts:
    """How many template body rows each reading saw and how many went through read_row."""

    rows: int = 0
    read_row: int = 0


@contextmanager
def counted(counts: Counts) -> Iterator[None]:
    """Count body rows and read_row calls (the shipped code otherwise unchanged)."""
    real_columns, real_read_row = template._columns, template._TemplateRows.read_row

    def columns(grid: SheetGrid, rows: list[int], reader: template._TemplateRows) -> template._Columns:
        counts.rows += len(rows)
        return real_columns(grid, rows, reader)

    def read_row(self: template._TemplateRows, r: int) -> None:
        counts.read_row += 1
        real_read_row(self, r)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(template, "_columns", columns)
        mp.setattr(template._TemplateRows, "read_row", read_row)
        yield


@contextmanager
def row_by_row() -> Iterator[None]:
    """The slow path everywhere: no template row reads as clean (so every row goes through read_row), and every
    row of a sheet is a header candidate (the scan before the pre-filter)."""
    real_columns = template._columns

    def nothing_clean(grid: SheetGrid, rows: list[int], reader: template._TemplateRows) -> template._Columns:
        n = len(rows)
        return dataclasses.replace(real_columns(grid, rows, reader), quiet=[False] * n, programs=[None] * n)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(template, "_columns", nothing_clean)
        mp.setattr(tables, "_candidate_rows", lambda grid: list(range(grid.height)))
        yield


def read_sheet(grid: SheetGrid, as_of: date | None) -> dict[str, object]:
    """Everything reading the sheet gives: messages (with sheet, row, column, value), the extracts with the cell of
    each row, and the batch rows built from them."""
    issues = Issues()
    ctx = Context("11560", as_of=as_of, known_programs=KNOWN, issues=issues)
    try:
        extracts = importers._read_sheet(grid, ctx)
    except Exception as exc:  # both readings must raise alike (parse_upload words it as internal_error)
        return {"issues": list(issues), "raised": repr(exc)}
    batch = importers._assemble("양식.xlsx", b"", ctx, extracts, "template", "test") if extracts else None
    return {
        "issues": list(issues),
        "raised": None,
        "extracts": repr(extracts),  # repr: 0 and Decimal('0') or 5 and 5.0 must not pass as equal
        "batch": None
        if batch is None
        else repr((batch.as_of, batch.programs, batch.facts, batch.budgets, batch.reasons, batch.aliases)),
    }


def first_difference(fast: dict[str, object], slow: dict[str, object]) -> str:
    """The first part where the readings differ, and the first differing item (or characters) of it."""
    for part in ("raised", "issues", "extracts", "batch"):
        a, b = fast.get(part), slow.get(part)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
            return f"{part}[{i}]: fast {a[i : i + 1]} vs row-by-row {b[i : i + 1]} ({len(a)} vs {len(b)} items)"
        x, y = str(a), str(b)
        i = next((i for i, (u, v) in enumerate(zip(x, y, strict=False)) if u != v), min(len(x), len(y)))
        return f"{part}: fast …{x[max(0, i - 150) : i + 150]}… vs row-by-row …{y[max(0, i - 150) : i + 150]}…"
    return ""


def compare(grid: SheetGrid, as_of: date | None, fast_counts: Counts, slow_counts: Counts) -> dict[str, object]:
    """Read the sheet both ways; fail with the grid and the first difference when they differ."""
    with counted(fast_counts):
        fast = read_sheet(grid, as_of)
    with row_by_row(), counted(slow_counts):
        slow = read_sheet(grid, as_of)
    assert fast == slow, f"as_of={as_of} {first_difference(fast, slow)}\ngrid rows: {grid.rows!r}"
    return fast


# --- the tests


def test_template_fast_path_reads_as_row_by_row() -> None:
    """A few hundred messy template sheets read the same with the columnar fast path as row by row."""
    rng = random.Random(20261123)
    fast, slow = Counts(), Counts()
    codes: Counter[str] = Counter()
    rows_out = 0
    for _ in range(TEMPLATE_GRIDS):
        grid = template_grid(rng)
        as_of = rng.choice(AS_OF)
        got = compare(grid, as_of, fast, slow)
        codes.update(i.code for i in got["issues"])  # type: ignore[attr-defined]
        extracts = str(got.get("extracts", ""))
        rows_out += extracts.count("FactRow(") + extracts.count("BudgetRow(")
    # The forced reading really went row by row, and the shipped one really took the fast path for most rows.
    assert slow.rows == fast.rows and slow.read_row == slow.rows, ("the forced reading skipped read_row", fast, slow)
    assert fast.rows - fast.read_row > 4000, (fast, slow)
    assert rows_out > 3000, rows_out
    # The grids are messy enough to word every message the template reader has.
    wanted = {
        "program_name_missing",
        "invisible_chars_removed",
        "metric_unknown",
        "source_unknown",
        "source_not_money",
        "date_invalid",
        "date_outside_year",
        "number_text",
        "number_invalid",
        "number_too_large",
        "number_not_count",
        "negative_value",
        "separator_misplaced",
        "duplicate_row",
        "reason_too_long",
        "conflicting_reasons",
        "reason_program_unknown",
        "units_missing",
        "units_not_money",
        "program_new",
        "program_similar",
        "program_name_normalised",
    }
    assert wanted <= set(codes), sorted(wanted - set(codes))


@pytest.mark.parametrize(
    "row",
    [
        ["청년정책 활성화", 2024.0, 5.0, "참여자", "", float(2**59)],  # a count: float beyond 2**53
        ["청년정책 활성화", float(2**59), None, "예산액", "계", 3.0],  # a budget's year, in a sheet naming no year
    ],
    ids=["count", "year"],
)
def test_template_big_float_reads_as_row_by_row(row: list[object]) -> None:
    """A whole float beyond 2**53 (exact in binary, but not as Python prints it) reads as row by row."""
    grid = SheetGrid("입력", [["(단위: 천원)"], [h for h in template.HEADERS], row])
    compare(grid, None, Counts(), Counts())


# --- the header finder's pre-filter

HEADER_WORDS: list[object] = [
    "사업명",
    "단위사업명",
    "예산액",
    "집행액",
    "집행률",
    "연도",
    "월",
    "지표",
    "값",
    "재원",
    "구직자",
    "취업자",
    "행정구역별",
    f"예{ZW}산액",
    " 예 산 액(천원) ",
    _fullwidth("2024") + " 상반기",
    "2024 상반기",
    "2025.1/2",
    "1800.1/2",  # a half-year before 1900 names nothing
    "상반기",
    "구분",
    "합계",
    "비고",
    "세부사업명",
    "예산현액",
    "※ 주: 누계",
    "x",
    "",
    "",
    "",
    "  ",
    None,
    None,
    1.0,
    2024.0,
    0,
    "1,000",
    "65.2 e",
    True,
    date(2024, 5, 31),
]


def header_grid(rng: random.Random) -> SheetGrid:
    """A random sheet of header words, numbers and blanks; ragged rows and a merged group header sometimes."""
    height, width = rng.randint(0, 14), rng.randint(0, 9)
    rows = [
        [rng.choice(HEADER_WORDS) for _ in range(rng.randint(0, width) if rng.random() < 0.3 else width)]
        for _ in range(height)
    ]
    merged = []
    if height and rng.random() < 0.25:
        r0, c0 = rng.randrange(height), rng.randint(0, 3)
        merged.append((r0, c0, min(height - 1, r0 + rng.randint(0, 1)), c0 + rng.randint(0, 3)))
    return SheetGrid("s", rows, False, merged)


def candidates_by_cell(grid: SheetGrid) -> list[int]:
    """Rows where at least two text cells name a header field or a half-year after 1900, cell by cell."""

    def names(v: object) -> bool:
        half = parse_half(v) if isinstance(v, str) and not header_field(v) else None
        return isinstance(v, str) and (bool(header_field(v)) or (half is not None and half[0] > 1900))

    return [r for r, row in enumerate(grid.rows) if sum(map(names, row)) >= 2]


def test_header_prefilter_finds_what_the_full_scan_finds() -> None:
    """find_headers with the pre-filter finds the same header blocks as trying every row; the pre-filter keeps
    exactly the rows that name two fields or half-years."""
    rng = random.Random(5)
    found = 0
    for _ in range(HEADER_GRIDS):
        grid = header_grid(rng)
        assert tables._candidate_rows(grid) == candidates_by_cell(grid), grid
        fast = repr(tables.find_headers(grid))
        with row_by_row():
            slow = repr(tables.find_headers(grid))
        assert fast == slow, (grid, fast, slow)
        found += fast.count("Header(")
    assert found > 500, found  # the grids do hold headers


@pytest.mark.parametrize(
    "make",
    [
        lambda: SheetGrid("s", []),
        lambda: SheetGrid("s", [[], [], []]),
        lambda: SheetGrid("s", [["사업명", ["unhashable"], "예산액", "집행액"], ["가", 1, 2, 3]]),
        lambda: SheetGrid("s", [["x"], ["사업명", "예산액", "집행액"], [], ["단위사업명", *["예산액"] * 3000]]),
    ],
    ids=["empty", "blank-rows", "unhashable-cell", "wide"],
)
def test_header_prefilter_edges(make: Callable[[], SheetGrid]) -> None:
    """No rows, only blank rows, an unhashable cell and a very wide row find what the full scan finds."""
    grid = make()
    fast = repr(tables.find_headers(grid))
    with row_by_row():
        assert repr(tables.find_headers(grid)) == fast


@pytest.mark.parametrize("year", [0, -3, 202, 9999, 10**6])
def test_a_year_that_is_no_year_is_refused_at_its_cell(year: int) -> None:
    """A sheet that names no year: a typed year outside catalog.PLAUSIBLE_YEARS is an error at its cell (it used to
    reach the as-of date and end as an internal error)."""
    import io

    import openpyxl

    from kpi.importers import parse_upload

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "입력"
    ws.append(["(단위: 천원)"])
    ws.append(list(template.HEADERS))
    ws.append(["청년정책 활성화", year, 5, "참여자", "", 3])
    ws.append(["청년정책 활성화", 2024, 5, "구직자", "", 4])
    buf = io.BytesIO()
    wb.save(buf)
    result = parse_upload("x.xlsx", buf.getvalue(), district_cd="11560")
    assert result.batch is None
    [issue] = result.errors
    assert (issue.code, issue.sheet, issue.row, issue.column) == ("date_outside_year", "입력", 3, "B")
    assert "네 자리 연도" in issue.message_ko
