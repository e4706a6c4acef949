"""The 업무보고 workbook read back with openpyxl equals the council's tables of seed 003."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from kpi.exports.council_xlsx import council_xlsx
from tests.seed_figures import SEED_BOX, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL

SEED_TABLE = [SEED_TOTAL, *SEED_PROGRAMS]  # the seed's own figures, shared with the importer tests


@pytest.fixture(scope="module")
def workbook(demo_store):
    return openpyxl.load_workbook(io.BytesIO(council_xlsx(demo_store, "11560", 2024, date(2024, 5, 31))))


def test_budget_table_as_the_council_reads_it(workbook):
    ws = workbook["예산현황"]
    assert ws["A2"].value == "(단위: 천원)"
    assert [c.value for c in ws[3]] == ["단위사업명", "예산액", "집행액", "집행률(%) (5.31.기준)"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=4, max_row=11)]
    assert rows == SEED_TABLE
    assert ws["D4"].number_format == "0.0" and ws["B4"].number_format == "#,##0"


def test_program_boxes_carry_the_seed_figures(workbook):
    ws = workbook["주요추진실적"]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    for text in (
        "384,871 (구비 384,871)",
        "3,319,805 (시 2,333,727, 구비 986,078)",
        "1,175,096 (시 821,221, 구비 348,875)",
        *SEED_BOX[:2],
        "50,500 (구비 50,500)",
        "4,606 (구비 4,606)",
    ):
        assert text in cells
    rows = {(r[0], r[1]): r[2] for r in ws.iter_rows(values_only=True) if r[0] and r[1] and r[2] is not None}
    centre = "일자리플러스센터 운영"
    labels = ("구인업체(개)", "구인인원(명)", "구직자(명)", "취업알선(건)", "취업자(명)")
    assert tuple(rows[(centre, k)] for k in (*labels, "취업률(%)")) == SEED_CENTRE
    assert rows[("동행일자리", "선발인원(명)")] == 190 and rows[("지역공동체일자리", "선발인원(명)")] == 16
    rates = [
        r[2] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith(("25,000", "50,500"))
    ]
    assert rates == [86.8, 9.1]
