"""Budget tables as people make them: rounded units (백만원, 억원), footnotes under or above the table, an empty
column, the 계 row first or last, an as-of date in a real date cell; and messages that show numbers as typed.

Built from ../shared/DOMAIN.md section 3, item 1 (seed 003: seven programs, 계 7,231,263 / 2,940,120 천원 -> 40.7%).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from openpyxl import Workbook

from kpi.domain.units import MONEY_UNITS, round_half_up
from kpi.importers import ImportLimits, ImportResult, parse_upload
from kpi.importers.conventions import parse_split
from kpi.views.report import build_report
from tests.corpus_factory import centre_xlsx, put, xlsx
from tests.importers.test_import_template import filled
from tests.seed_figures import SEED_BOX, SEED_BOX_NAME, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL, THOUSAND

SHEET = "예산현황"
AS_OF = date(2024, 5, 31)
HEADER = ["단위사업명", "예산액", "집행액", "집행률(%)"]
TITLE = ["2024년 주요업무 보고 (일자리정책과)"]
NAMES = {n for n, *_ in SEED_PROGRAMS}
Rows = list[list[object]]


def shown(thousands: int, unit: str, decimals: int) -> Decimal:
    """An amount in 천원 as a table in `unit` shows it: rounded half up to `decimals` places."""
    return (Decimal(thousands) * THOUSAND / MONEY_UNITS[unit]).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def seed_rows(
    unit: str = "천원", decimals: int = 0, *, total_first: bool = True, total: tuple[int, int] | None = None
) -> Rows:
    """The seed table in `unit` (numbers as Excel numbers), its 계 row rounded from the seed's 계 (or `total`)."""

    def cell(v: int) -> object:
        d = shown(v, unit, decimals)
        return int(d) if decimals == 0 else float(d)

    budget, executed = total or SEED_TOTAL[1:3]
    head = [SEED_TOTAL[0], cell(budget), cell(executed), SEED_TOTAL[3]]
    body = [[n, cell(b), cell(e), r] for n, b, e, r in SEED_PROGRAMS]
    return [head, *body] if total_first else [*body, head]


def sheet(
    body: Rows,
    *,
    units: str = "(단위: 천원)",
    above: Rows = (["(2024. 5. 31. 기준)"],),  # type: ignore[assignment]
    header: list[object] | None = None,
    below: Rows = (),  # type: ignore[assignment]
    style: Callable[[object, int], None] | None = None,
) -> bytes:
    """The 예산현황 sheet: title, '4 예산현황', lines above (as-of, notes), units line, header, body, lines below.
    `style(ws, first_row_below)` may merge or format cells afterwards."""

    def build(wb: Workbook) -> None:
        ws = wb.active
        ws.title = SHEET
        top = [TITLE, ["4 예산현황"], *above, [units]]
        put(ws, 1, top)
        put(ws, len(top) + 1, [header or HEADER])
        put(ws, len(top) + 2, body)
        put(ws, len(top) + 2 + len(body), below)
        if style is not None:
            style(ws, len(top) + 2 + len(body))

    return xlsx(build)


def parse(content: bytes, **kw: object) -> ImportResult:
    return parse_upload("예산현황.xlsx", content, district_cd="11560", **kw)  # type: ignore[arg-type]


def amounts(result: ImportResult) -> dict[str, tuple[int, int]]:
    """Program -> (budget, executed) in 원 as the batch holds them."""
    assert result.batch is not None
    budgets = {b.program: b.original for b in result.batch.budgets if b.source == "total"}
    executed = {f.program: f.value for f in result.batch.facts if f.metric == "executed" and f.source == "total"}
    return {p: (budgets[p], executed[p]) for p in budgets}  # type: ignore[misc]


def committed_rate(store, result: ImportResult) -> float | None:
    """The execution rate the report computes after committing the batch, rounded half up."""
    assert result.batch is not None
    store.commit(result.batch)
    return round_half_up(build_report(store, "11560", 2024, AS_OF).execution_rate, 1)


def codes(result: ImportResult, severity: str | None = None) -> set[str]:
    return {i.code for i in result.issues if severity is None or i.severity == severity}


# --- 1. rounded units -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "decimals"), [("백만원", 1), ("억원", 2), ("백만원", 0)])
def test_rounded_table_is_read_as_shown(store, unit: str, decimals: int) -> None:
    result = parse(sheet(seed_rows(unit, decimals), units=f"(단위: {unit})"))
    assert result.errors == [], [(i.code, i.where, i.message_ko) for i in result.errors]
    assert codes(result, "warning") == {"amounts_rounded"}
    want = {
        n: (int(shown(b, unit, decimals) * MONEY_UNITS[unit]), int(shown(e, unit, decimals) * MONEY_UNITS[unit]))
        for n, b, e, _ in SEED_PROGRAMS
    }
    assert amounts(result) == want  # stored in 원 as displayed (7,231.3 백만원 -> 7,231,300,000 원)
    budget = sum(b for b, _ in want.values())
    executed = sum(e for _, e in want.values())
    computed = round_half_up(Decimal(executed) / Decimal(budget) * 100, 1)
    assert computed == SEED_TOTAL[3]
    assert committed_rate(store, result) == computed
    note = next(i for i in result.warnings if i.code == "amounts_rounded")
    assert unit in note.message_ko and (
        f"소수점 {decimals}자리" in note.message_ko if decimals else "정수" in note.message_ko
    )
    half = Decimal(5).scaleb(-decimals - 1)
    assert f"±{half.normalize():f}{unit}" in note.message_ko
    assert (note.sheet, note.row) == (SHEET, 4)  # the units line


def test_rounded_rows_do_not_add_up_exactly_yet_pass() -> None:
    rows = seed_rows("백만원", 1)
    stated = Decimal(str(rows[0][1]))
    added = sum((Decimal(str(r[1])) for r in rows[1:]), Decimal(0))
    assert stated != added and abs(stated - added) <= Decimal("0.05") * 7  # the case this test is about
    assert parse(sheet(rows, units="(단위: 백만원)")).errors == []


def test_rounded_table_with_wrong_total_is_refused() -> None:
    rows = seed_rows("백만원", 1)
    rows[0][1] = float(Decimal(str(rows[0][1])) + 1)  # 7,232.3: one 백만원 off, beyond 7 x 0.05
    result = parse(sheet(rows, units="(단위: 백만원)"))
    issue = next(i for i in result.errors if i.code == "total_mismatch")
    assert (issue.sheet, issue.row, issue.column) == (SHEET, 6, "B")
    assert "7,232.3" in issue.message_ko and "±0.35" in issue.message_ko
    assert result.batch is None


def test_stated_rate_within_rounding_is_kept_but_a_wrong_one_warns() -> None:
    rows = seed_rows("억원", 2)
    name, *_amounts, rate = SEED_PROGRAMS[5]  # 인력운영비: 1.52 / 0.51 억원 gives 33.6 %, stated 33.5 %
    row = rows[6]
    assert row[0] == name and round_half_up(Decimal(str(row[2])) / Decimal(str(row[1])) * 100, 1) != rate
    assert "rate_mismatch" not in codes(parse(sheet(rows, units="(단위: 억원)")))
    row[3] = 40.0
    result = parse(sheet(rows, units="(단위: 억원)"))
    issue = next(i for i in result.warnings if i.code == "rate_mismatch")
    assert (issue.row, issue.column) == (12, "D") and result.batch is not None


def test_a_thousand_won_table_still_adds_up_exactly() -> None:
    rows = seed_rows()
    rows[0][1] = SEED_TOTAL[1] + 1  # one 천원: 천원 tables are adjusted to add up, so this is wrong
    assert "total_mismatch" in codes(parse(sheet(rows)), "error")


# --- 2. footnotes -----------------------------------------------------------------------------------------------

NOTE = "※ 인건비 제외"


def merge_note(ws, first: int) -> None:
    ws.merge_cells(start_row=first, start_column=1, end_row=first, end_column=4)


@pytest.mark.parametrize("total_first", [True, False])
@pytest.mark.parametrize(
    ("below", "style", "note"),
    [
        ([[NOTE], ["* 5.31. 기준"]], None, NOTE),
        ([[NOTE], [], ["* 5.31. 기준"]], None, NOTE),
        ([[NOTE], ["* 5.31. 기준"]], merge_note, NOTE),
        ([["인건비 제외"], ["* 5.31. 기준"]], merge_note, "인건비 제외"),  # a merged text-only row spanning the table
        ([["주) 인건비 제외"], ["* 5.31. 기준"]], None, "주) 인건비 제외"),
        ([["(주) 인건비 제외"], ["* 5.31. 기준"]], None, "(주) 인건비 제외"),
        ([["주 : 인건비 제외"], ["* 5.31. 기준"]], None, "주 : 인건비 제외"),
        ([["☞ 인건비 제외"], ["* 5.31. 기준"]], None, "☞ 인건비 제외"),
        ([["- 인건비 제외"], ["* 5.31. 기준"]], None, "- 인건비 제외"),
    ],
)
def test_footnoted_table(store, total_first: bool, below: Rows, style, note: str) -> None:
    result = parse(sheet(seed_rows(total_first=total_first), above=[], below=below, style=style))
    assert result.errors == [], [(i.code, i.where, i.message_ko) for i in result.errors]
    assert result.batch is not None and result.batch.as_of == AS_OF  # from '* 5.31. 기준' under the table
    assert {p.name for p in result.batch.programs} == NAMES
    notes = [i for i in result.warnings if i.code == "table_note"]
    assert [i.value for i in notes] == [note] and note in notes[0].message_ko
    first_body = 5  # title, '4 예산현황', units line, header: Excel rows 1-4
    assert (notes[0].sheet, notes[0].row, notes[0].column) == (SHEET, first_body + 1 + len(SEED_PROGRAMS), "A")
    budget = sum(b for b, _ in amounts(result).values())
    executed = sum(e for _, e in amounts(result).values())
    assert (budget, executed) == (SEED_TOTAL[1] * THOUSAND, SEED_TOTAL[2] * THOUSAND)
    assert committed_rate(store, result) == round_half_up(executed / budget * 100, 1) == SEED_TOTAL[3]


def test_note_above_the_table_is_reported_not_a_title() -> None:
    result = parse(sheet(seed_rows(), above=[[NOTE], ["(2024. 5. 31. 기준)"]]))
    assert result.errors == [] and codes(result, "warning") == {"table_note"}
    issue = next(i for i in result.warnings if i.code == "table_note")
    assert (issue.row, issue.value) == (3, NOTE) and "위" in issue.message_ko


@pytest.mark.parametrize("total_first", [True, False])
@pytest.mark.parametrize("style", [None, merge_note])
def test_note_does_not_hide_a_wrong_total(total_first: bool, style) -> None:
    total = (SEED_TOTAL[1] + 1_000, SEED_TOTAL[2])
    result = parse(sheet(seed_rows(total_first=total_first, total=total), below=[[NOTE]], style=style))
    issue = next(i for i in result.errors if i.code == "total_mismatch")
    total_row = 6 if total_first else 6 + len(SEED_PROGRAMS)
    assert (issue.sheet, issue.row, issue.column) == (SHEET, total_row, "B")
    assert f"{total[0]:,}" in issue.message_ko and f"{SEED_TOTAL[1]:,}" in issue.message_ko
    assert "table_note" in codes(result) and result.batch is None
    assert not any(NOTE in (i.value or "") for i in result.issues if i.code.startswith("program"))


def test_note_inside_the_body_does_not_drop_rows_silently() -> None:
    rows = seed_rows(total_first=False)
    rows.insert(3, [NOTE])
    result = parse(sheet(rows))
    issue = next(i for i in result.errors if i.code == "rows_after_note")
    assert (issue.row, issue.column, issue.value) == (6 + 4, "A", SEED_PROGRAMS[3][0])


def test_dash_sub_items_with_figures_stay_rows() -> None:
    rows = seed_rows(total_first=False)
    rows[0][0] = "- " + SEED_PROGRAMS[0][0]  # a bulleted program with figures is data, not a note
    result = parse(sheet(rows))
    assert result.errors == [] and result.batch is not None and len(result.batch.programs) == len(SEED_PROGRAMS)


# --- 3. empty column, 계 first or last ---------------------------------------------------------------------------


@pytest.mark.parametrize("total_first", [True, False])
@pytest.mark.parametrize("gap", [2, 3])
def test_empty_column_inside_the_table(total_first: bool, gap: int) -> None:
    header: list[object] = list(HEADER)
    header.insert(gap, None)
    rows = [[*r[:gap], None, *r[gap:]] for r in seed_rows(total_first=total_first)]
    result = parse(sheet(rows, header=header))
    assert result.issues == [], [(i.code, i.where) for i in result.issues]
    assert amounts(result) == {n: (b * THOUSAND, e * THOUSAND) for n, b, e, _ in SEED_PROGRAMS}


# --- 5. as-of date in a date cell ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "above",
    [
        [["기준일", datetime(2024, 5, 31)]],
        [["기준일:", date(2024, 5, 31)]],
        [[datetime(2024, 5, 31)]],  # a date alone above the table
        [["기준일", "2024. 5. 31."]],
        [["", "", "기준일자", datetime(2024, 5, 31, 0, 0)]],
    ],
)
def test_as_of_from_a_date_cell(above: Rows) -> None:
    result = parse(sheet(seed_rows(), above=above))
    assert result.issues == [], [(i.code, i.where) for i in result.issues]
    assert result.batch is not None and result.batch.as_of == AS_OF


def test_date_cell_in_another_year_is_refused_like_text() -> None:
    result = parse(sheet(seed_rows(), above=[["기준일", datetime(2023, 5, 31)]]), as_of=AS_OF)
    issue = next(i for i in result.errors if i.code == "date_outside_year")
    assert (issue.row, issue.column) == (3, "B")


def test_other_dates_are_not_the_as_of_date() -> None:
    result = parse(sheet(seed_rows(), above=[["작성일", datetime(2024, 6, 3)]]))
    assert "as_of_missing" in codes(result, "error")


# --- 4. numbers in messages are shown as typed --------------------------------------------------------------------

UNSEPARATED = re.compile(r"(?<![A-Z\d,.])\d{5,}(?!\d)")  # a cell reference (A10505) is no number
ZERO_FRACTION = re.compile(r"\d\.0(?![\d%])")  # a rate is written with one decimal (40.0%): that one is wanted


def refusals() -> list[ImportResult]:
    """Several refused uploads whose messages quote numbers (sheet cells are floats once read)."""
    wrong_total = seed_rows(total=(SEED_TOTAL[1] + 10_000, SEED_TOTAL[2]))
    negative = seed_rows()
    negative[1][1] = -SEED_PROGRAMS[0][1]
    huge = seed_rows()
    huge[2][1] = 10**13  # 천원: 10,000조 원
    long_name = seed_rows()
    long_name[3][0] = "가" * 12_345
    centre = list(SEED_CENTRE)
    centre[2] = 13_390.5  # a head count with a fraction
    many_rows = sheet([[f"사업{i}", 1, 1, 100.0] for i in range(10_500)])
    template = filled(
        [
            ["청년정책 활성화", 2023, 5, "집행액", "구비", 88_801],
            ["청년정책 활성화", 2024, 5, "집행액", "구비", -88_801],
        ]
    )
    return [
        parse(sheet(wrong_total)),
        parse(sheet(negative)),
        parse(sheet(huge)),
        parse(sheet(long_name)),
        parse_upload("센터.xlsx", centre_xlsx(centre), district_cd="11560"),
        parse(many_rows, limits=ImportLimits(max_rows=10_000)),
        parse(sheet(seed_rows()), limits=ImportLimits(max_bytes=1_000)),
        parse_upload("양식.xlsx", template, district_cd="11560"),
    ]


def test_messages_show_numbers_as_typed() -> None:
    results = refusals()
    assert all(r.batch is None and r.errors for r in results)
    seen = {i.code for r in results for i in r.errors}
    assert {"total_mismatch", "negative_budget", "number_too_large", "name_too_long", "number_not_count"} <= seen
    assert {"too_many_rows", "file_too_large", "date_outside_year", "negative_value"} <= seen
    for r in results:
        for i in r.issues:
            for text in (i.message_ko, i.message_en, i.value):
                assert not ZERO_FRACTION.search(text), (i.code, text)
                assert not UNSEPARATED.search(text), (i.code, text)
    messages = " ".join(i.message_ko for r in results for i in r.issues)
    assert f"{SEED_TOTAL[1] + 10_000:,}" in messages and f"{-SEED_PROGRAMS[0][1]:,}" in messages
    assert "13,390.5" in messages and "연도 '2023'" in messages and "-88,801" in messages


def box(unit: str, decimals: int, cells: tuple[str, str] | None = None) -> bytes:
    """The seed's program box (지역기반 상생기업 활성화, amounts with their funding split) shown in `unit`."""

    def split(text: str) -> str:
        total = parse_split(text)
        parts = {"국": "national", "시": "city", "구비": "district"}
        inner = ", ".join(f"{label} {fmt(total.parts[key])}" for label, key in parts.items())
        return f"{fmt(total.total)} ({inner})"

    def fmt(thousands: Decimal) -> str:
        return f"{shown(int(thousands), unit, decimals):,}"

    budget, executed = cells or (split(SEED_BOX[0]), split(SEED_BOX[1]))
    rows = [[SEED_BOX_NAME], ["□ 예산현황"], ["(2024. 5. 31. 기준)"], [f"(단위: {unit})"]]
    return xlsx(
        lambda wb: put(wb.active, 1, [*rows, ["예산액", "집행액", "집행률(%)"], [budget, executed, SEED_BOX[2]]])
    )


def test_rounded_funding_split_is_checked_within_rounding() -> None:
    content = box("억원", 2)
    executed = parse_split(SEED_BOX[1])
    parts = sum((shown(int(v), "억원", 2) for v in executed.parts.values()), Decimal(0))
    assert parts != shown(int(executed.total), "억원", 2)  # the parts, rounded, miss the rounded total
    result = parse_upload("상생.xlsx", content, district_cd="11560")
    assert result.errors == [] and codes(result, "warning") == {"amounts_rounded"}
    assert result.batch is not None
    facts = {f.source: f.value for f in result.batch.facts}
    assert facts["district"] == int(shown(int(executed.parts["district"]), "억원", 2) * MONEY_UNITS["억원"])
    wrong = parse_upload(
        "상생.xlsx", box("억원", 2, ("4.72 (국 1.26, 시 0.30, 구비 3.26)", "2.08")), district_cd="11560"
    )
    assert "split_mismatch" in codes(wrong, "error")
