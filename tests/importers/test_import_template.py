"""The project's own template: written with dropdowns and an 안내 sheet, and read back into a Batch."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from kpi.domain.catalog import metric
from kpi.importers import parse_upload, write_template
from kpi.importers.template import DATA_SHEET, HELP_SHEET

PROGRAMS = ["청년정책 활성화", "지역일자리 사업 지원"]
FIRST = 4  # first data row of the template


def filled(rows: list[list[object]], year: int = 2024, units: str | None = None) -> bytes:
    buf = io.BytesIO()
    write_template(buf, PROGRAMS, year=year)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb[DATA_SHEET]
    if units:
        ws["A2"] = units
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            ws.cell(row=FIRST + i, column=j, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_layout() -> None:
    buf = io.BytesIO()
    write_template(buf, PROGRAMS, metrics=["executed", "placements"], year=2024)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.sheetnames == [DATA_SHEET, HELP_SHEET]
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[3]][:6] == ["사업명", "연도", "월", "지표", "재원", "값"]
    assert "단위" in ws["A2"].value
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"A", "B", "C", "D", "E"}
    help_ws = wb[HELP_SHEET]
    assert [help_ws[f"F{i}"].value for i in (2, 3)] == PROGRAMS
    labels = [help_ws[f"G{i}"].value for i in range(2, 6)]
    assert labels[:2] == [metric("executed").ko, metric("placements").ko]


def test_template_round_trip() -> None:
    rows = [
        ["청년정책 활성화", 2024, None, "예산액", "구비", 157_200],
        ["청년정책 활성화", 2024, None, "예산액", "계", 157_200],
        ["청년정책 활성화", 2024, 5, "집행액", "구비", "88,801"],
        [None, None, None, None, None, None],  # a blank row in the middle is skipped
        ["지역일자리 사업 지원", 2024, 5, metric("participants").ko, None, 206],
        ["지역일자리 사업 지원", 2024, 6, metric("participants").ko, None, None],  # no value yet
    ]
    result = parse_upload("양식.xlsx", filled(rows), district_cd="11560", known_programs=PROGRAMS)
    assert result.issues == [] and result.batch is not None and result.kind == "template"
    batch = result.batch
    budgets = {(b.program, b.source): b.original for b in batch.budgets}
    assert budgets == {("청년정책 활성화", "district"): 157_200 * 1000, ("청년정책 활성화", "total"): 157_200 * 1000}
    facts = {(f.program, f.month, f.metric, f.source): f.value for f in batch.facts}
    assert facts == {
        ("청년정책 활성화", 5, "executed", "district"): 88_801 * 1000,
        ("지역일자리 사업 지원", 5, "participants", "total"): 206,
    }
    assert batch.as_of == date(2024, 5, 31)


def test_template_units_line_in_won() -> None:
    rows = [["청년정책 활성화", 2024, 5, "집행액", None, 1234]]
    result = parse_upload("양식.xlsx", filled(rows, units="(단위: 원)"), district_cd="11560")
    assert result.batch is not None and result.batch.facts[0].value == 1234


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (["청년정책 활성화", 2023, 5, "집행액", None, 1], "date_outside_year", "B"),
        (["청년정책 활성화", 2024, 13, "집행액", None, 1], "date_outside_year", "C"),
        (["청년정책 활성화", 2024, 5, "만족도", None, 1], "metric_unknown", "D"),
        (["청년정책 활성화", 2024, 5, "집행액", "도비", 1], "source_unknown", "E"),
        (["청년정책 활성화", 2024, 5, "구직자", "시비", 1], "source_not_money", "E"),
        (["청년정책 활성화", 2024, 5, "구직자", None, "약 300"], "number_text", "F"),
        (["청년정책 활성화", 2024, 5, "구직자", None, 1.5], "number_not_count", "F"),
        ([None, 2024, 5, "구직자", None, 3], "program_name_missing", "A"),
    ],
)
def test_template_row_errors(row: list[object], code: str, column: str) -> None:
    result = parse_upload("양식.xlsx", filled([row]), district_cd="11560")
    issue = next(i for i in result.errors if i.code == code)
    assert (issue.sheet, issue.row, issue.column) == (DATA_SHEET, FIRST, column)
    assert result.batch is None


def test_template_duplicate_rows() -> None:
    row = ["청년정책 활성화", 2024, 5, "구직자", None, 3]
    result = parse_upload("양식.xlsx", filled([row, list(row)]), district_cd="11560")
    issue = next(i for i in result.errors if i.code == "duplicate_row")
    assert (issue.row, issue.column) == (FIRST + 1, "A")


def test_template_month_after_as_of() -> None:
    row = ["청년정책 활성화", 2024, 7, "구직자", None, 3]
    result = parse_upload("양식.xlsx", filled([row]), district_cd="11560", as_of=date(2024, 5, 31))
    assert [(i.code, i.column) for i in result.errors] == [("date_outside_year", "C")]


def test_program_names_matched() -> None:
    rows = [
        ["청년정책활성화", 2024, 5, "구직자", None, 3],
        ["청년정책 활성하", 2024, 5, "취업자", None, 1],
        ["완전히 새로운 사업", 2024, 5, "취업자", None, 1],
    ]
    result = parse_upload("양식.xlsx", filled(rows), district_cd="11560", known_programs=PROGRAMS)
    codes = [(i.code, i.row) for i in result.warnings]
    assert codes == [("program_name_normalised", FIRST), ("program_similar", FIRST + 1), ("program_new", FIRST + 2)]
    assert result.batch is not None
    assert {f.program for f in result.batch.facts} == {"청년정책 활성화", "청년정책 활성하", "완전히 새로운 사업"}
