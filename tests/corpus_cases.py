"""The corpus of bad, hostile and degenerate uploads, one Case each: the file (built on demand, giant ones cached
per session) and the issue it must yield, at which sheet, row and column. test_import_corpus parses each case;
test_uploads sends each through the upload pipeline."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from kpi.importers import ImportLimits
from kpi.importers.issues import col_letter
from tests.corpus_factory import (
    BOX_VALUE_ROW,
    BUDGET_FIRST_ROW,
    BUDGET_HEADER_ROW,
    CENTRE_VALUE_ROW,
    MAIN_NS,
    SHEET_PART,
    add_parts,
    box_xlsx,
    budget_rows,
    budget_sheet,
    budget_table_rows,
    budget_xlsx,
    centre_xlsx,
    csv_bytes,
    entity_bomb,
    hide_every_sheet,
    huge_rows,
    kostat_csv,
    ods_bytes,
    ods_table,
    ole_encrypted,
    program_row,
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
from tests.factories import corner_file
from tests.seed_figures import EXECUTION_PCT, SEED_BOX, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL

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
        lambda: budget_xlsx([*budget_rows(False)[:-1], ["합계", 1, SEED_TOTAL[2], EXECUTION_PCT]]),
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
