"""Excel error values (#DIV/0!, #REF!, #N/A …) are refused with their cell, never read as blank or 0.

python-calamine returns an error cell as an empty string; a 집행액 whose formula broke would otherwise be read as
missing without a word (../shared/DOMAIN.md: a figure read wrong is worse than a refusal).
"""

from __future__ import annotations

import io
import zipfile

import pytest

from kpi.importers import parse_upload
from tests.corpus_factory import budget_sheet, xlsx


def _with_error(cell: str, error: str = "#DIV/0!", *, hidden_sheet: bool = False) -> bytes:
    """The seed's 예산현황 table with one cell replaced by an Excel error value (optionally on a hidden sheet)."""

    def build(wb):
        budget_sheet(wb.active)
        ws = wb.create_sheet("메모") if hidden_sheet else wb.active
        if hidden_sheet:
            ws.sheet_state = "hidden"
        ws[cell].value = error
        ws[cell].data_type = "e"

    return xlsx(build)


def _as_formula(content: bytes, cell: str, formula: str) -> bytes:
    """The same workbook with the error cell written as Excel does: a formula and its cached error value."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    f'<c r="{cell}" t="e"><v>'.encode(), f'<c r="{cell}" t="e"><f>{formula}</f><v>'.encode()
                )
                assert f"<f>{formula}</f>".encode() in data
            dst.writestr(info, data)
    return out.getvalue()


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A", "#VALUE!"])
def test_an_error_value_is_refused_with_its_cell(error):
    result = parse_upload("예산.xlsx", _with_error("C6", error), district_cd="11560")
    assert result.batch is None
    (issue,) = [i for i in result.issues if i.code == "cell_error_value"]
    assert (issue.sheet, issue.row, issue.column) == ("예산현황", 6, "C")
    assert error in issue.message_ko and "C6" in issue.message_ko


def test_a_formula_whose_cached_value_is_an_error_is_refused():
    content = _as_formula(_with_error("D7"), "D7", "C7/0")
    result = parse_upload("예산.xlsx", content, district_cd="11560")
    assert result.batch is None
    assert [(i.code, i.row, i.column) for i in result.errors] == [("cell_error_value", 7, "D")]


def test_an_error_on_a_hidden_sheet_that_is_not_read_does_not_block():
    result = parse_upload("예산.xlsx", _with_error("B2", hidden_sheet=True), district_cd="11560")
    assert "cell_error_value" not in {i.code for i in result.issues}
    assert result.batch is not None


def test_an_error_cell_of_an_ods_file_is_refused_with_its_cell():
    from tests.corpus_factory import budget_table_rows, ods_bytes, ods_table

    rows = [list(r) for r in budget_table_rows()]
    r, c = next((i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if isinstance(v, int | float))
    rows[r][c] = "__ERROR__"
    error_cell = (
        '<table:table-cell xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
        'table:formula="of:=1/0" office:value-type="float" office:value="0" calcext:value-type="error">'
        "<text:p>#DIV/0!</text:p></table:table-cell>"
    )
    table = ods_table("예산현황", rows).replace(
        '<table:table-cell office:value-type="string"><text:p>__ERROR__</text:p></table:table-cell>', error_cell
    )
    assert error_cell in table
    result = parse_upload("예산.ods", ods_bytes(table), district_cd="11560")
    assert result.batch is None
    (issue,) = [i for i in result.issues if i.code == "cell_error_value"]
    assert (issue.sheet, issue.row, issue.column) == ("예산현황", r + 1, chr(ord("A") + c))
