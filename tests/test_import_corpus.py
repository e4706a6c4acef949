"""A corpus of bad and hostile uploads: each yields its own issue code at the right sheet, row and column."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest

from kpi.importers import ImportLimits, parse_upload
from kpi.importers.reader import ImportLimits as ReaderLimits
from tests.corpus_factory import (
    BOX_VALUE_ROW,
    BUDGET_FIRST_ROW,
    BUDGET_HEADER_ROW,
    CENTRE_VALUE_ROW,
    SEED_BOX,
    SEED_CENTRE,
    SEED_PROGRAMS,
    box_xlsx,
    budget_rows,
    budget_sheet,
    budget_xlsx,
    centre_xlsx,
    entity_bomb,
    huge_rows,
    kostat_csv,
    ole_encrypted,
    program_row,
    raw_xlsx,
    rewrite_part,
    with_total,
    xlsx,
    zip_bomb,
)

SHEET = "예산현황"


def seed_programs() -> list[list[object]]:
    return [[n, b, e, r] for n, b, e, r in SEED_PROGRAMS]


def changed(index: int, col: int, value: object, *, keep_total: bool = False) -> bytes:
    """The budget table with one program cell changed and (unless keep_total) a 계 row recomputed."""
    rows = seed_programs()
    rows[index][col] = value
    if keep_total:
        return budget_xlsx(budget_rows()[:1] + rows)
    return budget_xlsx(with_total(rows))


def formula_sheet() -> bytes:
    def build(wb):
        budget_sheet(wb.active)
        wb.active[f"C{program_row(1)}"] = "=B7*0.3"

    return xlsx(build)


def hidden_extra() -> bytes:
    def build(wb):
        budget_sheet(wb.active)
        ws = wb.create_sheet("메모")
        ws["A1"] = "내부 메모"
        ws.sheet_state = "hidden"

    return xlsx(build)


def hidden_only() -> bytes:
    def build(wb):
        wb.active.title = "표지"
        wb.active["A1"] = "일자리정책과"
        ws = wb.create_sheet()
        budget_sheet(ws)
        ws.sheet_state = "hidden"

    return xlsx(build)


def merged_over_numbers() -> bytes:
    def build(wb):
        budget_sheet(wb.active)
        r = program_row(3)
        wb.active.merge_cells(f"B{r}:C{r}")

    return xlsx(build)


def prose_only() -> bytes:
    def build(wb):
        wb.active["A1"] = "2024년 주요업무 보고"
        wb.active["A3"] = "□ 사업개요"
        wb.active["A4"] = "- 사업기간: 연중"

    return xlsx(build)


def not_workbook_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def broken_xml() -> bytes:
    return rewrite_part(budget_xlsx(), "xl/workbook.xml", lambda d: d[: len(d) // 2])


def duplicate_program() -> bytes:
    rows = seed_programs()
    rows.append(list(rows[3]))
    return budget_xlsx(with_total(rows))


def kostat_rows(rows: list[list[object]], title: str | None = "고용률(15세 이상)") -> bytes:
    return kostat_csv("utf-8-sig", title, rows)


@dataclass
class Case:
    """One corpus file and what must be reported for it."""

    id: str
    build: Callable[[], bytes]
    code: str
    severity: str = "error"
    sheet: str = ""
    row: int = 0
    column: str = ""
    filename: str = "upload.xlsx"
    kwargs: dict = field(default_factory=dict)
    value: str | None = None


MB = 1024 * 1024
PLAIN_HEADER = ["단위사업명", "예산액", "집행액", "집행률(%)"]
TOTAL_ROW = BUDGET_FIRST_ROW
CASES = [
    Case("pdf", lambda: b"%PDF-1.4\n\x00\x01\x02binary\xff\xfe", "not_spreadsheet", filename="report.xlsx"),
    Case("png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_spreadsheet"),
    Case("docx_zip", not_workbook_zip, "not_spreadsheet"),
    Case("empty_file", lambda: b"", "file_empty"),
    Case("html_as_xls", lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>", "html_as_excel",
         filename="export.xls"),
    Case("empty_workbook", lambda: xlsx(lambda wb: None), "workbook_empty"),
    Case("no_table", prose_only, "no_table"),
    Case("encrypted_ole", ole_encrypted, "encrypted"),
    Case("truncated_zip", lambda: budget_xlsx()[:3000], "file_corrupt"),
    Case("broken_xml", broken_xml, "file_corrupt"),
    Case("zip_bomb", lambda: zip_bomb(16 * MB), "zip_bomb"),
    Case("zip_bomb_size", lambda: zip_bomb(16 * MB), "zip_bomb", kwargs={"limits": ImportLimits(max_uncompressed=8 * MB,
                                                                                                  max_ratio=10**9)}),
    Case("xml_entity_bomb", lambda: entity_bomb(budget_xlsx()), "xml_entities"),
    Case("xml_entity_bomb_sheet", lambda: entity_bomb(budget_xlsx(), "xl/worksheets/sheet1.xml"), "xml_entities"),
    Case("formula_no_cache", formula_sheet, "formula_no_value", sheet=SHEET, row=program_row(1), column="C"),
    Case("hidden_sheet", hidden_extra, "hidden_sheet_skipped", "warning", sheet="메모"),
    Case("hidden_sheet_only", hidden_only, "no_table"),
    Case("merged_over_data", merged_over_numbers, "merged_cells_data", sheet=SHEET, row=program_row(3), column="B"),
    Case("about_300", lambda: changed(2, 2, "약 300", keep_total=True), "number_text", sheet=SHEET,
         row=program_row(2), column="C", value="약 300"),
    Case("negative_budget", lambda: changed(1, 1, "△1,000", keep_total=True), "negative_budget", sheet=SHEET,
         row=program_row(1), column="B"),
    Case("executed_over_budget", lambda: changed(0, 2, SEED_PROGRAMS[0][1] + 1), "executed_over_budget", "warning",
         sheet=SHEET, row=program_row(0), column="C"),
    Case("bad_total_row", lambda: changed(4, 1, SEED_PROGRAMS[4][1] + 1, keep_total=True), "total_mismatch",
         sheet=SHEET, row=TOTAL_ROW, column="B"),
    Case("bad_total_last", lambda: budget_xlsx([*budget_rows(False)[:-1], ["합계", 1, 2_940_120, 40.7]]),
         "total_mismatch", sheet=SHEET, row=program_row(len(SEED_PROGRAMS), False), column="B"),
    Case("misplaced_separator", lambda: centre_xlsx([*SEED_CENTRE[:3], "1,9235", *SEED_CENTRE[4:]]),
         "separator_misplaced", "warning", sheet="일자리플러스센터", row=CENTRE_VALUE_ROW, column="D"),
    Case("wrong_rate", lambda: changed(5, 3, 35.0, keep_total=True), "rate_mismatch", "warning", sheet=SHEET,
         row=program_row(5), column="D"),
    Case("wrong_placement_rate", lambda: centre_xlsx([*SEED_CENTRE[:5], 39.0]), "rate_mismatch", "warning",
         sheet="일자리플러스센터", row=CENTRE_VALUE_ROW, column="F"),
    Case("date_outside_year", box_xlsx, "date_outside_year", sheet="사업", row=3, column="A",
         kwargs={"as_of": date(2025, 6, 30)}),
    Case("duplicate_rows", duplicate_program, "duplicate_row", sheet=SHEET, row=program_row(len(SEED_PROGRAMS)),
         column="A"),
    Case("too_many_rows", lambda: raw_xlsx(huge_rows(100_001)), "too_many_rows", sheet="Sheet1", row=100_001),
    Case("too_many_rows_csv", lambda: ("사업명,값\n" + "x,1\n" * 100_000).encode(), "too_many_rows",
         filename="big.csv", sheet="CSV", row=100_001),
    Case("file_too_large", lambda: b"PK\x03\x04" + b"\0" * (20 * MB), "file_too_large"),
    Case("split_mismatch", lambda: box_xlsx([SEED_BOX[0], "1,175,096 (시 821,221 구비 348,875)", 44.1]),
         "split_mismatch", sheet="사업", row=BOX_VALUE_ROW, column="B"),
    Case("split_unknown_source", lambda: box_xlsx(["471,844 (도 126,447, 시 29,504, 구비 "
                                                   "315,893)", *SEED_BOX[1:]]),
         "split_source_unknown", sheet="사업", row=BOX_VALUE_ROW, column="A"),
    Case("box_without_title", lambda: box_xlsx(name=None), "program_name_missing", sheet="사업", row=5, column="A"),
    Case("no_units_line", lambda: budget_xlsx(units=None), "units_missing", "warning", sheet=SHEET,
         row=BUDGET_HEADER_ROW, column="A"),
    Case("people_units_on_money", lambda: budget_xlsx(units="(단위: "
                                                            "명)"), "units_not_money", sheet=SHEET, row=3,
         column="A"),
    Case("as_of_missing", lambda: budget_xlsx(title="일자리정책과", header=PLAIN_HEADER),
         "as_of_missing", sheet=SHEET, row=BUDGET_HEADER_ROW, column="A"),
    Case("as_of_without_year", lambda: budget_xlsx(title="일자리정책과"), "as_of_year_missing", sheet=SHEET,
         row=BUDGET_HEADER_ROW, column="D"),
    Case("invalid_as_of", lambda: budget_xlsx(title="(2024. 2. 30. "
                                                    "기준)"), "date_invalid", sheet=SHEET, row=1,
         column="A"),
    Case("cp949_csv_no_basis", lambda: kostat_csv("cp949", title="고용률"), "basis_missing", "warning", sheet="CSV",
         row=2, column="B", filename="kosis.csv"),
    Case("bom_csv_no_indicator", lambda: kostat_csv("utf-8-sig", title=None), "indicator_missing", sheet="CSV", row=1,
         column="B", filename="kosis.csv"),
    Case("kostat_duplicate", lambda: kostat_rows([["서울 "
                                                   "종로구", "52.9", "1", "2"], ["종로구", "52.9", "1", "2"]]),
         "duplicate_row", sheet="CSV", row=4, column="A", filename="kosis.csv"),
    Case("kostat_out_of_range", lambda: kostat_rows([["서울 "
                                                      "종로구", "152.9", "1", "2"]]), "value_out_of_range",
         sheet="CSV", row=3, column="B", filename="kosis.csv"),
    Case("binary_csv", lambda: b"a,b\n\x00\x01\x02\x03", "not_spreadsheet", filename="x.csv"),
    Case("unknown_district", budget_xlsx, "district_unknown", kwargs={"district_cd": "99999"}),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case) -> None:
    kwargs = {"district_cd": "11560", **case.kwargs}
    result = parse_upload(case.filename, case.build(), **kwargs)
    found = [i for i in result.issues if i.code == case.code]
    assert found, f"expected {case.code}, got {[(i.code, i.where) for i in result.issues]}"
    issue = found[0]
    assert (issue.severity, issue.sheet, issue.row, issue.column) == (case.severity, case.sheet, case.row, case.column)
    assert issue.message_ko and issue.message_en
    if case.value is not None:
        assert issue.value == case.value
    if case.severity == "error":
        assert result.batch is None and issue in result.errors
    else:
        assert issue in result.warnings


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert ImportLimits is ReaderLimits


def test_total_mismatch_names_both_figures() -> None:
    bumped = SEED_PROGRAMS[4][1] + 1
    result = parse_upload("x.xlsx", changed(4, 1, bumped, keep_total=True), district_cd="11560")
    issue = next(i for i in result.errors if i.code == "total_mismatch")
    stated = sum(p[1] for p in SEED_PROGRAMS)
    assert f"{stated:,}" in issue.message_ko and f"{stated + 1:,}" in issue.message_ko


def test_rate_mismatch_shows_both_rates() -> None:
    result = parse_upload("x.xlsx", changed(5, 3, 35.0, keep_total=True), district_cd="11560")
    issue = next(i for i in result.warnings if i.code == "rate_mismatch")
    assert "35.0%" in issue.message_ko and f"{SEED_PROGRAMS[5][3]}%" in issue.message_ko
    assert result.batch is not None


def test_misplaced_separator_value_is_read() -> None:
    result = parse_upload("x.xlsx", centre_xlsx([*SEED_CENTRE[:3], "1,9235", *SEED_CENTRE[4:]]), district_cd="11560")
    assert result.batch is not None
    referrals = next(f for f in result.batch.facts if f.metric == "referrals")
    assert referrals.value == int("1,9235".replace(",", ""))


def test_hidden_sheets_can_be_read() -> None:
    result = parse_upload("x.xlsx", hidden_only(), district_cd="11560", limits=ImportLimits(hidden_sheets="read"))
    assert result.batch is not None
    assert [i.code for i in result.warnings] == ["hidden_sheet_read"]


def test_fraction_rates_accepted() -> None:
    rows = [[n, b, e, e / b] for n, b, e, _ in SEED_PROGRAMS]
    result = parse_upload("x.xlsx", budget_xlsx(with_total(rows)), district_cd="11560")
    assert result.issues == [] and result.batch is not None


def test_never_raises_on_damaged_bytes() -> None:
    good = budget_xlsx()
    samples = [good[:n] for n in range(0, len(good), max(1, len(good) // 40))]
    samples += [good[:n] + bytes([good[n] ^ 0xFF]) + good[n + 1:] for n in range(30, len(good), len(good) // 25)]
    samples += [bytes(range(256)) * 4, "가나다,라\n1,2".encode("utf-16"), b"\xef\xbb\xbf", b"PK\x05\x06" + b"\0" * 18]
    for data in samples:
        result = parse_upload("x.xlsx", data, district_cd="11560")
        assert result.batch is not None or result.errors
