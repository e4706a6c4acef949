"""A corpus of bad, hostile and degenerate uploads: each yields its own issue code at the right sheet, row and
column (never a crash turned into `internal_error`), within a memory budget; and human variants that must import
right (stored values checked on every backend). Giant files are written part by part and cached per session."""

from __future__ import annotations

import io
import time
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.importers import KIND_LENGTH, ImportLimits, fit_kind, parse_upload
from kpi.importers.issues import col_letter
from kpi.importers.reader import ImportLimits as ReaderLimits
from tests.corpus_factory import (
    BOX_VALUE_ROW,
    BUDGET_FIRST_ROW,
    BUDGET_HEADER_ROW,
    CENTRE_VALUE_ROW,
    MAIN_NS,
    SEED_BOX,
    SEED_BOX_NAME,
    SEED_CENTRE,
    SEED_PROGRAMS,
    SHEET_PART,
    add_parts,
    box_sheet,
    box_xlsx,
    budget_rows,
    budget_sheet,
    budget_table_rows,
    budget_xlsx,
    centre_sheet,
    centre_xlsx,
    csv_bytes,
    entity_bomb,
    full_width,
    hide_every_sheet,
    huge_rows,
    kostat_csv,
    ods_bytes,
    ods_table,
    ole_encrypted,
    program_row,
    put,
    raw_sheet_xlsx,
    raw_xlsx,
    replace_cell,
    rewrite_part,
    shared_strings_xlsx,
    sparse_xlsx,
    with_merge,
    with_total,
    xls_bytes,
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
    Case(
        "html_as_xls",
        lambda: b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "html_as_excel",
        filename="export.xls",
    ),
    Case("empty_workbook", lambda: xlsx(lambda wb: None), "workbook_empty"),
    Case("no_table", prose_only, "no_table"),
    Case("encrypted_ole", ole_encrypted, "encrypted"),
    Case("truncated_zip", lambda: budget_xlsx()[:3000], "file_corrupt"),
    Case("broken_xml", broken_xml, "file_corrupt"),
    Case("zip_bomb", lambda: zip_bomb(16 * MB), "zip_bomb"),
    Case(
        "zip_bomb_size",
        lambda: zip_bomb(16 * MB),
        "zip_bomb",
        kwargs={"limits": ImportLimits(max_uncompressed=8 * MB, max_ratio=10**9)},
    ),
    Case("xml_entity_bomb", lambda: entity_bomb(budget_xlsx()), "xml_entities"),
    Case("xml_entity_bomb_sheet", lambda: entity_bomb(budget_xlsx(), "xl/worksheets/sheet1.xml"), "xml_entities"),
    Case("formula_no_cache", formula_sheet, "formula_no_value", sheet=SHEET, row=program_row(1), column="C"),
    Case("hidden_sheet", hidden_extra, "hidden_sheet_skipped", "warning", sheet="메모"),
    Case("hidden_sheet_only", hidden_only, "no_table"),
    Case("merged_over_data", merged_over_numbers, "merged_cells_data", sheet=SHEET, row=program_row(3), column="B"),
    Case(
        "about_300",
        lambda: changed(2, 2, "약 300", keep_total=True),
        "number_text",
        sheet=SHEET,
        row=program_row(2),
        column="C",
        value="약 300",
    ),
    Case(
        "negative_budget",
        lambda: changed(1, 1, "△1,000", keep_total=True),
        "negative_budget",
        sheet=SHEET,
        row=program_row(1),
        column="B",
    ),
    Case(
        "executed_over_budget",
        lambda: changed(0, 2, SEED_PROGRAMS[0][1] + 1),
        "executed_over_budget",
        "warning",
        sheet=SHEET,
        row=program_row(0),
        column="C",
    ),
    Case(
        "bad_total_row",
        lambda: changed(4, 1, SEED_PROGRAMS[4][1] + 1, keep_total=True),
        "total_mismatch",
        sheet=SHEET,
        row=TOTAL_ROW,
        column="B",
    ),
    Case(
        "bad_total_last",
        lambda: budget_xlsx([*budget_rows(False)[:-1], ["합계", 1, 2_940_120, 40.7]]),
        "total_mismatch",
        sheet=SHEET,
        row=program_row(len(SEED_PROGRAMS), False),
        column="B",
    ),
    Case(
        "misplaced_separator",
        lambda: centre_xlsx([*SEED_CENTRE[:3], "1,9235", *SEED_CENTRE[4:]]),
        "separator_misplaced",
        "warning",
        sheet="일자리플러스센터",
        row=CENTRE_VALUE_ROW,
        column="D",
    ),
    Case(
        "wrong_rate",
        lambda: changed(5, 3, 35.0, keep_total=True),
        "rate_mismatch",
        "warning",
        sheet=SHEET,
        row=program_row(5),
        column="D",
    ),
    Case(
        "wrong_placement_rate",
        lambda: centre_xlsx([*SEED_CENTRE[:5], 39.0]),
        "rate_mismatch",
        "warning",
        sheet="일자리플러스센터",
        row=CENTRE_VALUE_ROW,
        column="F",
    ),
    Case(
        "date_outside_year",
        box_xlsx,
        "date_outside_year",
        sheet="사업",
        row=3,
        column="A",
        kwargs={"as_of": date(2025, 6, 30)},
    ),
    Case(
        "duplicate_rows",
        duplicate_program,
        "duplicate_row",
        sheet=SHEET,
        row=program_row(len(SEED_PROGRAMS)),
        column="A",
    ),
    Case("too_many_rows", lambda: raw_xlsx(huge_rows(100_001)), "too_many_rows", sheet="Sheet1", row=100_001),
    Case(
        "too_many_rows_csv",
        lambda: ("사업명,값\n" + "x,1\n" * 100_000).encode(),
        "too_many_rows",
        filename="big.csv",
        sheet="CSV",
        row=100_001,
    ),
    Case("file_too_large", lambda: b"PK\x03\x04" + b"\0" * (20 * MB), "file_too_large"),
    Case(
        "split_mismatch",
        lambda: box_xlsx([SEED_BOX[0], "1,175,096 (시 821,221 구비 348,875)", 44.1]),
        "split_mismatch",
        sheet="사업",
        row=BOX_VALUE_ROW,
        column="B",
    ),
    Case(
        "split_unknown_source",
        lambda: box_xlsx(["471,844 (도 126,447, 시 29,504, 구비 315,893)", *SEED_BOX[1:]]),
        "split_source_unknown",
        sheet="사업",
        row=BOX_VALUE_ROW,
        column="A",
    ),
    Case("box_without_title", lambda: box_xlsx(name=None), "program_name_missing", sheet="사업", row=5, column="A"),
    Case(
        "no_units_line",
        lambda: budget_xlsx(units=None),
        "units_missing",
        "warning",
        sheet=SHEET,
        row=BUDGET_HEADER_ROW,
        column="A",
    ),
    Case(
        "people_units_on_money",
        lambda: budget_xlsx(units="(단위: 명)"),
        "units_not_money",
        sheet=SHEET,
        row=3,
        column="A",
    ),
    Case(
        "as_of_missing",
        lambda: budget_xlsx(title="일자리정책과", header=PLAIN_HEADER),
        "as_of_missing",
        sheet=SHEET,
        row=BUDGET_HEADER_ROW,
        column="A",
    ),
    Case(
        "as_of_without_year",
        lambda: budget_xlsx(title="일자리정책과"),
        "as_of_year_missing",
        sheet=SHEET,
        row=BUDGET_HEADER_ROW,
        column="D",
    ),
    Case(
        "invalid_as_of",
        lambda: budget_xlsx(title="(2024. 2. 30. 기준)"),
        "date_invalid",
        sheet=SHEET,
        row=1,
        column="A",
    ),
    Case(
        "cp949_csv_no_basis",
        lambda: kostat_csv("cp949", title="고용률"),
        "basis_missing",
        "warning",
        sheet="CSV",
        row=2,
        column="B",
        filename="kosis.csv",
    ),
    Case(
        "bom_csv_no_indicator",
        lambda: kostat_csv("utf-8-sig", title=None),
        "indicator_missing",
        sheet="CSV",
        row=1,
        column="B",
        filename="kosis.csv",
    ),
    Case(
        "kostat_duplicate",
        lambda: kostat_rows([["서울 종로구", "52.9", "1", "2"], ["종로구", "52.9", "1", "2"]]),
        "duplicate_row",
        sheet="CSV",
        row=4,
        column="A",
        filename="kosis.csv",
    ),
    Case(
        "kostat_out_of_range",
        lambda: kostat_rows([["서울 종로구", "152.9", "1", "2"]]),
        "value_out_of_range",
        sheet="CSV",
        row=3,
        column="B",
        filename="kosis.csv",
    ),
    Case("binary_csv", lambda: b"a,b\n\x00\x01\x02\x03", "not_spreadsheet", filename="x.csv"),
    Case("unknown_district", budget_xlsx, "district_unknown", kwargs={"district_cd": "99999"}),
]


# ------------------------------------------------------------------ hostile and degenerate files (issue 9)

MILLION = 1_048_576


@cache
def million_rows() -> bytes:
    """Every row of a sheet filled: A1:A1048576 (about 4 MB zipped, 40 MB of XML)."""
    return raw_xlsx(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, MILLION + 1))


@cache
def all_columns() -> bytes:
    """One row filled across all 16,384 columns (A1:XFD1)."""
    return raw_xlsx(
        ['<row r="1">' + "".join(f'<c r="{col_letter(c)}1"><v>{c}</v></c>' for c in range(16_384)) + "</row>"]
    )


@cache
def corner_file() -> bytes:
    """The 1.6 KB workbook holding only A1 and XFD1048576 (python-calamine would allocate 550 GB)."""
    return sparse_xlsx({"A1": "사업명", "XFD1048576": 1})


@cache
def million_strings() -> bytes:
    return shared_strings_xlsx(1_000_000)


def duplicate_sheet_part() -> bytes:
    """The sheet part twice: the second says 9 where the first says 1,377,421 (tools differ on which counts)."""
    first = zipfile.ZipFile(io.BytesIO(budget_xlsx())).read(SHEET_PART)
    return add_parts(budget_xlsx(), {SHEET_PART: first.replace(b"<v>1377421</v>", b"<v>9</v>")}, keep_duplicates=True)


def xlsb_file() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
        z.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    return buf.getvalue()


def ods_repeated() -> bytes:
    """A few hundred bytes of ODS whose one cell is repeated over 1,048,576 rows x 16,384 columns."""
    return ods_bytes(
        '<table:table table:name="S1"><table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell office:value-type="float" office:value="1" '
        'table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table>"
    )


def ods_far_cell() -> bytes:
    """The budget table in ODS, then empty repeated rows, then one value at XFD1048576."""
    table = ods_table("예산현황", budget_table_rows()).replace(
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>',
        '<table:table-row table:number-rows-repeated="1048563"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row><table:table-row><table:table-cell '
        'table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="7">'
        "<text:p>7</text:p></table:table-cell></table:table-row>",
    )
    return ods_bytes(table)


C7 = f"C{program_row(1)}"  # 집행액 of 지역일자리 사업 지원


def formula_cell(formula: str, value: int = SEED_PROGRAMS[1][2]) -> bytes:
    return replace_cell(budget_xlsx(), C7, f'<c r="{C7}"><f>{formula}</f><v>{value}</v></c>')


def external_link() -> bytes:
    content = formula_cell("[1]집행!C7")
    return add_parts(
        content,
        {
            "xl/externalLinks/externalLink1.xml": (
                f'<externalLink xmlns="{MAIN_NS}"><externalBook><sheetNames><sheetName val="집행"/></sheetNames>'
                "</externalBook></externalLink>"
            ).encode()
        },
    )


def csv_nul_late() -> tuple[bytes, int]:
    """A KOSIS CSV with a NUL inside a cell far past the first 4 KB (where a binary sniff looks)."""
    rows = [["고용률(15세 이상)"], ["행정구역별", "2024.1/2", "2024.2/2", "2025.1/2"]]
    rows += [[f"부산 {i}구", "50.0", "51.0", "52.0"] for i in range(300)]
    rows += [["서울 영등포구", "64.8\x00", "65.0", "65.2"]]
    return csv_bytes(rows), len(rows)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfd_twins() -> bytes:
    rows = seed_programs()
    rows.append([nfd(rows[3][0]), *rows[3][1:]])
    rows[3][1:] = [1_000, 500, 50.0]  # the NFC row and its NFD twin would otherwise simply repeat
    return budget_xlsx(with_total(rows))


def many_merges(count: int = 50_001) -> bytes:
    merges = "".join(f'<mergeCell ref="F{r}:G{r}"/>' for r in range(20, 20 + count))
    return rewrite_part(
        budget_xlsx(),
        SHEET_PART,
        lambda d: d.replace(
            b"</sheetData>", f'</sheetData><mergeCells count="{count}">{merges}</mergeCells>'.encode(), 1
        ),
    )


NO_R = (
    f'<worksheet xmlns="{MAIN_NS}"><sheetData><row><c t="inlineStr"><is><t>사업명</t></is></c></row>'
    '<row r="1048576"><c><v>2</v></c></row></sheetData></worksheet>'
)
PREFIXED = (
    f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
    '<x:c r="XFD1"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>'
)
ISO_BAD_DATE = [["2024년 주요업무 보고"], ["(2024-02-30 기준)"], ["(단위: 천원)"], PLAIN_HEADER, *budget_rows()]
P = [program_row(i) for i in range(len(SEED_PROGRAMS))]

CASES += [
    Case("rows_1048576", million_rows, "too_many_rows", sheet="Sheet1", row=100_001),
    Case("columns_16384", all_columns, "too_many_columns", sheet="Sheet1", column="XFD"),
    Case("corner_a1_xfd1048576", corner_file, "far_cell", sheet="Sheet1", row=MILLION, column="XFD"),
    Case(
        "a1_all100000",
        cache(lambda: sparse_xlsx({"A1": "사업명", "ALL100000": 1})),
        "far_cell",
        sheet="Sheet1",
        row=100_000,
        column="ALL",
    ),
    Case(
        "merged_b6_xfd1048576",
        lambda: with_merge(budget_xlsx(), "B6:XFD1048576"),
        "merged_cells_data",
        sheet=SHEET,
        row=6,
        column="B",
    ),
    Case(
        "cell_32767_chars_name",
        lambda: changed(2, 0, "가" * 32_767),
        "name_too_long",
        sheet=SHEET,
        row=P[2],
        column="A",
        value="가" * 40 + "…",
    ),
    Case(
        "cell_32767_digits",
        lambda: changed(2, 1, "9" * 32_767, keep_total=True),
        "number_too_large",
        sheet=SHEET,
        row=P[2],
        column="B",
    ),
    Case("million_shared_strings", million_strings, "too_many_strings"),
    Case(
        "zip_path_traversal",
        lambda: add_parts(budget_xlsx(), {"../../../tmp/evil.sh": b"#!/bin/sh\n"}),
        "zip_unsafe_name",
    ),
    Case("zip_duplicate_part", duplicate_sheet_part, "zip_duplicate_part"),
    Case("corrupt_xls", lambda: xls_bytes(budget_table_rows())[:2_000], "file_corrupt", filename="old.xls"),
    Case("xlsb", xlsb_file, "xlsb_unsupported", filename="보고.xlsb"),
    Case("ods_repeated_rows", ods_repeated, "too_many_rows", sheet="S1", row=100_001, filename="x.ods"),
    Case("ods_far_cell", ods_far_cell, "far_cell", sheet=SHEET, row=MILLION, column="XFD", filename="x.ods"),
    Case(
        "xlsm_macros",
        lambda: add_parts(budget_xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "macros_ignored",
        "warning",
        filename="보고.xlsm",
    ),
    Case("dde_formula", lambda: formula_cell("cmd|' /C calc'!A0"), "dde_formula", sheet=SHEET, row=P[1], column="C"),
    Case("external_link_formula", external_link, "external_link", sheet=SHEET, row=P[1], column="C"),
    Case(
        "csv_nul_late",
        lambda: csv_nul_late()[0],
        "nul_character",
        sheet="CSV",
        row=csv_nul_late()[1],
        column="B",
        filename="kosis.csv",
    ),
    Case(
        "xlsx_nul_in_cell",
        lambda: replace_cell(
            budget_xlsx(), f"A{P[3]}", f'<c r="A{P[3]}" t="inlineStr"><is><t>청년정책_x0000_ 활성화</t></is></c>'
        ),
        "nul_character",
        sheet=SHEET,
        row=P[3],
        column="A",
    ),
    Case(
        "csv_10mb_single_line", cache(lambda: b"a," * (5 * MB)), "line_too_long", sheet="CSV", row=1, filename="big.csv"
    ),
    Case(
        "value_1e308",
        lambda: changed(1, 2, 1e308, keep_total=True),
        "number_too_large",
        sheet=SHEET,
        row=P[1],
        column="C",
    ),
    Case(
        "value_nan",
        lambda: replace_cell(budget_xlsx(), C7, f'<c r="{C7}"><v>NaN</v></c>'),
        "number_invalid",
        sheet=SHEET,
        row=P[1],
        column="C",
    ),
    Case(
        "value_inf",
        lambda: replace_cell(budget_xlsx(), C7, f'<c r="{C7}"><v>inf</v></c>'),
        "number_invalid",
        sheet=SHEET,
        row=P[1],
        column="C",
    ),
    Case(
        "amount_beyond_bigint",
        lambda: changed(0, 1, "9,223,372,036,854,776", keep_total=True),
        "number_too_large",
        sheet=SHEET,
        row=P[0],
        column="B",
    ),
    Case(
        "date_2024_02_30_csv",
        lambda: csv_bytes(ISO_BAD_DATE),
        "date_invalid",
        sheet="CSV",
        row=2,
        column="A",
        filename="예산.csv",
    ),
    Case(
        "name_rtl_override",
        lambda: changed(3, 0, "청년정책\u202e활성화"),
        "invisible_chars_removed",
        "warning",
        sheet=SHEET,
        row=P[3],
        column="A",
        value="청년정책활성화",
    ),
    Case(
        "name_zero_width",
        lambda: changed(3, 0, "청년정책\u200b 활성화"),
        "invisible_chars_removed",
        "warning",
        sheet=SHEET,
        row=P[3],
        column="A",
        value="청년정책 활성화",
    ),
    Case(
        "name_nfc_nfd_twins", nfd_twins, "duplicate_row", sheet=SHEET, row=program_row(len(SEED_PROGRAMS)), column="A"
    ),
    Case("all_sheets_hidden", lambda: hide_every_sheet(budget_xlsx()), "all_sheets_hidden"),
    Case("cells_without_r", lambda: raw_sheet_xlsx(NO_R), "far_cell", sheet="Sheet1", row=MILLION, column="A"),
    Case("prefixed_tags", lambda: raw_sheet_xlsx(PREFIXED), "far_cell", sheet="Sheet1", row=1, column="XFD"),
    Case("merges_50001", cache(many_merges), "too_many_merges", sheet=SHEET),
]


BUDGET_MB = 512  # peak memory of one parse: the app process (tracemalloc) plus the parsing child (VmHWM)
RESOURCES: dict[str, tuple[float, float, float]] = {}  # case id -> seconds, app MB, child MB


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def measured_parse(case_id: str, filename: str, content: bytes, **kwargs: object):
    """parse_upload with its time and peak memory recorded (time is reported, never asserted).

    The app side is the rise of this process's peak RSS during the parse (its high-water mark reset first through
    /proc/self/clear_refs; tracemalloc where that is not possible); the child reports its own VmHWM.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
        base, traced = _status_mb("VmRSS"), False
    except OSError:
        tracemalloc.start()
        base, traced = 0.0, True
    started = time.perf_counter()
    try:
        result = parse_upload(filename, content, **kwargs)  # type: ignore[arg-type]
    finally:
        seconds = time.perf_counter() - started
        if traced:
            app_mb = tracemalloc.get_traced_memory()[1] / 1048576
            tracemalloc.stop()
        else:
            app_mb = max(0.0, _status_mb("VmHWM") - base)
    child_mb = result.stats.get("child_peak_mb", 0.0)
    RESOURCES[case_id] = (seconds, app_mb, child_mb)
    assert app_mb + child_mb < BUDGET_MB, f"{case_id}: {app_mb:.0f} MB here + {child_mb:.0f} MB in the child"
    return result


@pytest.fixture(scope="module", autouse=True)
def resource_report():
    """After the module: a table of time and peak memory per file, printed and kept under artifacts/."""
    yield
    if not RESOURCES:
        return
    lines = [f"{'file':32s} {'seconds':>8s} {'app MB':>8s} {'child MB':>9s}"]
    lines += [f"{k:32s} {t:8.2f} {a:8.1f} {c:9.1f}" for k, (t, a, c) in sorted(RESOURCES.items())]
    text = "\n".join(lines)
    out = Path(__file__).resolve().parent.parent / "artifacts" / "import_corpus_resources.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print("\n" + text)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case) -> None:
    kwargs = {"district_cd": "11560", **case.kwargs}
    result = measured_parse(case.id, case.filename, case.build(), **kwargs)
    crashes = [i for i in result.issues if i.code == "internal_error"]
    assert not crashes, f"a crash became a generic issue: {crashes[0].message_en}"
    found = [i for i in result.issues if i.code == case.code]
    assert found, f"expected {case.code}, got {[(i.code, i.where) for i in result.issues]}"
    issue = found[0]
    assert (issue.severity, issue.sheet, issue.row, issue.column) == (case.severity, case.sheet, case.row, case.column)
    assert issue.message_ko and issue.message_en
    assert len(issue.message_ko) < 400 and len(issue.value) <= 80  # a 33 KB cell is never echoed
    if case.value is not None:
        assert issue.value == case.value
    if case.severity == "error":
        assert result.batch is None and issue in result.errors
    else:
        assert issue in result.warnings


def test_corpus_is_large_enough() -> None:
    files = {c.id for c in CASES} | {g.id for g in GOOD}
    assert len(files) >= 60
    assert ImportLimits is ReaderLimits


def test_the_corner_file_is_tiny_and_refused_by_the_prescan_with_the_far_cell_named() -> None:
    content = corner_file()
    assert len(content) < 2_000
    result = parse_upload("작은파일.xlsx", content, district_cd="11560")
    assert [i.code for i in result.issues] == ["far_cell"]
    assert "XFD1048576" in result.issues[0].message_ko and "지우고" in result.issues[0].message_ko


def test_the_child_turns_an_abort_into_a_refusal() -> None:
    """Without the pre-scan's verdict, python-calamine aborts on the corner file: only the child dies."""
    from kpi.importers import sandbox

    res = sandbox.run_calamine(
        corner_file(),
        memory_mb=1024,
        timeout_s=60,
        max_rows=10**7,
        max_cols=10**7,
        max_cells=10**15,
        hidden_sheets="skip",
    )
    assert res.hit_limit and res.status == "crashed", res
    from kpi.importers.issues import Issues
    from kpi.importers.reader import _read_calamine

    issues = Issues()
    job = sandbox.CalamineJob(
        corner_file(),
        memory_mb=1024,
        timeout_s=60,
        max_rows=10**7,
        max_cols=10**7,
        max_cells=10**15,
        hidden_sheets="skip",
    )
    assert _read_calamine("x.xlsx", "xlsx", ImportLimits(), issues, job) is None
    assert [i.code for i in issues] == ["parse_limit_exceeded"] and "메모리/시간 한도" in issues[0].message_ko


def test_the_child_time_limit() -> None:
    from kpi.importers import sandbox

    res = sandbox.run_calamine(
        million_rows(),
        memory_mb=1024,
        timeout_s=0.05,
        max_rows=10**7,
        max_cols=10,
        max_cells=10**8,
        hidden_sheets="skip",
    )
    assert res.status == "timeout" and res.hit_limit


def test_a_merge_beyond_the_data_is_clipped() -> None:
    result = parse_upload("x.xlsx", with_merge(budget_xlsx(), "A20:XFD1048576"), district_cd="11560")
    assert result.errors == [] and result.batch is not None


def test_four_table_kinds_fit_the_kind_column() -> None:
    result = parse_upload("x.xlsx", four_kinds(), district_cd="11560")
    assert result.errors == [], [(i.code, i.where) for i in result.errors]
    assert set(result.kind.split("+")) == {"budget_table", "program_box", "job_centre", "kostat_csv"}
    assert result.batch is not None and len(result.batch.kind) <= KIND_LENGTH
    assert result.batch.kind.startswith("budget_table+") and result.batch.kind.endswith("+…")
    assert fit_kind("budget_table") == "budget_table"


def test_million_shared_strings_parse_within_budget_when_allowed() -> None:
    limits = ImportLimits(max_shared_strings=2_000_000)
    result = measured_parse(
        "million_shared_strings(allowed)", "x.xlsx", million_strings(), district_cd="11560", limits=limits
    )
    assert result.errors == [] and result.batch is not None
    assert result.stats["child_peak_mb"] > 0


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
    samples += [good[:n] + bytes([good[n] ^ 0xFF]) + good[n + 1 :] for n in range(30, len(good), len(good) // 25)]
    samples += [bytes(range(256)) * 4, "가나다,라\n1,2".encode("utf-16"), b"\xef\xbb\xbf", b"PK\x05\x06" + b"\0" * 18]
    samples += [corner_file()[:n] for n in range(200, len(corner_file()), 150)]
    samples += [ods_repeated()[:n] + b"\0" * 7 for n in range(100, len(ods_repeated()), 97)]
    for data in samples:
        result = parse_upload("x.xlsx", data, district_cd="11560")
        assert result.batch is not None or result.errors
        assert not [i for i in result.issues if i.code == "internal_error"], [i.message_en for i in result.issues]


# ------------------------------------------------------------------ human variants that must import right

KOSTAT_ROWS = [
    ["고용률(15세 이상)"],
    ["행정구역별", "2024.1/2", "2024.2/2", "2025.1/2"],
    ["서울특별시", "59.9", "60.1", "60.3"],
    ["서울 종로구", "52.9", "-", "52.5"],
    ["서울 영등포구", "64.8", "65.0", "65.2"],
    ["부산 중구", "50.0", "51.0", "52.0"],
]
SEED_BUDGETS = {(n, "total"): b * 1000 for n, b, _e, _r in SEED_PROGRAMS}
SEED_EXECUTED = {(n, 5, "executed", "total"): e * 1000 for n, _b, e, _r in SEED_PROGRAMS}
KOSTAT_SURVEYS = {
    ("11110", 2024, 1): 52.9,
    ("11110", 2025, 1): 52.5,
    ("11560", 2024, 1): 64.8,
    ("11560", 2024, 2): 65.0,
    ("11560", 2025, 1): 65.2,
}


def renamed(index: int, name: str) -> tuple[dict, dict]:
    """The seed budgets and executed facts with one program renamed."""
    old = SEED_PROGRAMS[index][0]
    budgets = {((name if p == old else p), s): v for (p, s), v in SEED_BUDGETS.items()}
    facts = {((name if p == old else p), *k): v for (p, *k), v in SEED_EXECUTED.items()}
    return budgets, facts


@dataclass
class Good:
    """A file that must import, and what the store must hold afterwards (budgets, executed facts, surveys)."""

    id: str
    build: Callable[[], bytes]
    filename: str = "upload.xlsx"
    budgets: dict = field(default_factory=dict)  # (program, source) -> 예산액 in 원
    facts: dict = field(default_factory=dict)  # (program, month, metric, source) -> value
    surveys: dict = field(default_factory=dict)  # (sig_cd, year, half) -> 고용률 (15+)
    warnings: frozenset[str] = frozenset()
    kwargs: dict = field(default_factory=dict)


def fullwidth_budget() -> bytes:
    rows = [[n, full_width(b), full_width(e), r] for n, b, e, r in SEED_PROGRAMS]
    return budget_xlsx([["계", full_width(7_231_263), full_width(2_940_120), 40.7], *rows])


def bom_mid_csv() -> bytes:
    """Two exports pasted together: the second one's BOM sits at the start of a line, before its quote."""
    text = csv_bytes(KOSTAT_ROWS).decode("utf-8-sig")
    return ("\ufeff" + text.replace('"서울 영등포구"', '\ufeff"서울 영등포구"')).encode("utf-8")


def four_kinds() -> bytes:
    """예산현황, a program box, the 일자리플러스센터 table and a KOSIS table, one per sheet of one workbook."""

    def build(wb):
        budget_sheet(wb.active)
        box_sheet(wb.create_sheet())
        centre_sheet(wb.create_sheet())
        put(wb.create_sheet("고용률"), 1, KOSTAT_ROWS)

    return xlsx(build)


HTML_NAME = "<b>청년</b><script>alert(1)</script>"
BOX_BUDGETS = {
    (SEED_BOX_NAME, "national"): 126_447_000,
    (SEED_BOX_NAME, "city"): 29_504_000,
    (SEED_BOX_NAME, "district"): 315_893_000,
}
GOOD = [
    Good(
        "merge_beyond_data",
        lambda: with_merge(budget_xlsx(), "A20:XFD1048576"),
        budgets=SEED_BUDGETS,
        facts=SEED_EXECUTED,
    ),
    Good("xlsx_named_csv", budget_xlsx, "예산현황.csv", SEED_BUDGETS, SEED_EXECUTED),
    Good(
        "csv_named_xlsx",
        lambda: csv_bytes(KOSTAT_ROWS),
        "kosis.xlsx",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "ods_budget",
        lambda: ods_bytes(ods_table("예산현황", budget_table_rows())),
        "예산.ods",
        SEED_BUDGETS,
        SEED_EXECUTED,
    ),
    Good(
        "csv_bom_in_the_middle",
        bom_mid_csv,
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "csv_cr_only_line_ends",
        lambda: csv_bytes(KOSTAT_ROWS, newline="\r"),
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "csv_utf16_without_bom",
        lambda: csv_bytes(KOSTAT_ROWS, encoding="utf-16-le"),
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good("full_width_digits", fullwidth_budget, budgets=SEED_BUDGETS, facts=SEED_EXECUTED),
    Good("name_with_html", lambda: changed(3, 0, HTML_NAME), "x.xlsx", *renamed(3, HTML_NAME)),
    Good("name_nfd", lambda: changed(3, 0, nfd(SEED_PROGRAMS[3][0])), "x.xlsx", SEED_BUDGETS, SEED_EXECUTED),
    Good(
        "name_rtl_override_removed",
        lambda: changed(3, 0, "청년정책\u202e 활성화"),
        "x.xlsx",
        SEED_BUDGETS,
        SEED_EXECUTED,
        warnings=frozenset({"invisible_chars_removed"}),
    ),
    Good(
        "xlsm_values_read",
        lambda: add_parts(budget_xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "보고.xlsm",
        SEED_BUDGETS,
        SEED_EXECUTED,
        warnings=frozenset({"macros_ignored"}),
    ),
    Good(
        "four_table_kinds",
        four_kinds,
        "보고.xlsx",
        {**SEED_BUDGETS, **BOX_BUDGETS},
        {**SEED_EXECUTED, (JOB_CENTRE_PROGRAM, 5, "placements", "total"): 391},
        KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "million_shared_strings_allowed",
        million_strings,
        "x.xlsx",
        SEED_BUDGETS,
        SEED_EXECUTED,
        kwargs={"limits": ImportLimits(max_shared_strings=2_000_000)},
    ),
]


def stored(store) -> tuple[dict, dict, dict]:
    """Current budgets, facts and 15+ employment-rate surveys of district 11560's store, keyed like Good."""
    with store.engine.connect() as conn:
        budgets = {
            (p, s): v
            for p, s, v in conn.execute(
                sa.text(
                    "SELECT p.name, b.source, b.original FROM budget b JOIN program p ON p.id = b.program_id "
                    "WHERE b.is_current AND b.year = 2024"
                )
            )
        }
        facts = {
            (p, m, k, s): v
            for p, m, k, s, v in conn.execute(
                sa.text(
                    "SELECT p.name, f.month, f.metric, f.source, f.value "
                    "FROM fact f JOIN program p ON p.id = f.program_id "
                    "WHERE f.is_current AND f.year = 2024"
                )
            )
        }
        surveys = {
            (d, y, h): v
            for d, y, h, v in conn.execute(
                sa.text(
                    "SELECT district_cd, year, half, value FROM survey "
                    "WHERE is_current AND indicator = 'employment_rate' "
                    "AND basis = '15+'"
                )
            )
        }
    return budgets, facts, surveys


@pytest.mark.parametrize("good", GOOD, ids=[g.id for g in GOOD])
def test_human_variants_import_right(store, good: Good) -> None:
    result = measured_parse(good.id, good.filename, good.build(), district_cd="11560", **good.kwargs)
    assert result.errors == [], [(i.code, i.where, i.message_en) for i in result.errors]
    assert {i.code for i in result.warnings} <= good.warnings | {"units_missing"}, result.warnings
    assert {i.code for i in result.warnings} >= good.warnings
    store.commit(result.batch)
    budgets, facts, surveys = stored(store)
    assert {k: budgets.get(k) for k in good.budgets} == good.budgets
    assert {k: facts.get(k) for k in good.facts} == good.facts
    assert {k: surveys.get(k) for k in good.surveys} == pytest.approx(good.surveys)
    if good.budgets:  # nothing beyond what the file says
        assert set(budgets) == set(good.budgets)
