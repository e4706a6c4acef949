"""The importer reproduces ../shared/DOMAIN.md, section 3 from sheets laid out like seed 003."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.domain.units import round_half_up
from kpi.importers import parse_upload
from kpi.importers.conventions import parse_split
from tests.corpus_factory import (
    box_sheet,
    budget_rows,
    budget_sheet,
    budget_xlsx,
    centre_sheet,
    centre_xlsx,
    kostat_csv,
    xls_bytes,
    xlsx,
)
from tests.seed_figures import SEED_BOX, SEED_BOX_NAME, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL, THOUSAND


def _budget(batch, program, source="total"):
    return next(b for b in batch.budgets if b.program == program and b.source == source)


def _executed(batch, program, source="total"):
    return next(f for f in batch.facts if f.program == program and f.metric == "executed" and f.source == source)


@pytest.mark.parametrize("total_first", [True, False])
@pytest.mark.parametrize("as_text", [False, True])
def test_budget_table_reproduces_seed(total_first: bool, as_text: bool) -> None:
    result = parse_upload("예산현황.xlsx", budget_xlsx(budget_rows(total_first, as_text)), district_cd="11560")
    assert result.errors == [] and result.warnings == []
    batch = result.batch
    assert batch is not None and result.kind == "budget_table"
    assert batch.as_of == date(2024, 5, 31)
    assert {p.name for p in batch.programs} == {n for n, *_ in SEED_PROGRAMS}  # 계 is not a program
    for name, budget, executed, rate in SEED_PROGRAMS:
        b, e = _budget(batch, name), _executed(batch, name)
        assert (b.year, b.original, b.current) == (2024, budget * THOUSAND, None)
        assert (e.year, e.month, e.value) == (2024, 5, executed * THOUSAND)
        assert round_half_up(e.value / b.original * 100) == rate
    total_budget = sum(b.original for b in batch.budgets)
    total_exec = sum(f.value for f in batch.facts)
    assert (total_budget, total_exec) == (SEED_TOTAL[1] * THOUSAND, SEED_TOTAL[2] * THOUSAND)
    assert round_half_up(total_exec / total_budget * 100) == SEED_TOTAL[3] == 40.7


def test_job_centre_reproduces_seed() -> None:
    result = parse_upload("센터.xlsx", centre_xlsx(), district_cd="11560")
    assert result.issues == [] and result.batch is not None and result.kind == "job_centre"
    facts = {f.metric: f for f in result.batch.facts}
    assert {f.program for f in facts.values()} == {JOB_CENTRE_PROGRAM}
    codes = ("employers", "openings", "job_seekers", "referrals", "placements")
    assert tuple(facts[c].value for c in codes) == SEED_CENTRE[:5]
    assert {(f.year, f.month) for f in facts.values()} == {(2024, 5)}
    assert round_half_up(facts["placements"].value / facts["job_seekers"].value * 100) == SEED_CENTRE[5] == 40.0


def test_program_box_funding_split() -> None:
    result = parse_upload("상생.xlsx", xlsx(lambda wb: box_sheet(wb.active)), district_cd="11560")
    assert result.issues == [] and result.batch is not None and result.kind == "program_box"
    batch = result.batch
    budget, executed = parse_split(SEED_BOX[0]), parse_split(SEED_BOX[1])
    for key in ("national", "city", "district"):
        assert _budget(batch, SEED_BOX_NAME, key).original == budget.parts[key] * THOUSAND
        assert _executed(batch, SEED_BOX_NAME, key).value == executed.parts[key] * THOUSAND
    total = _budget(batch, SEED_BOX_NAME).original
    assert total == 471_844 * THOUSAND
    assert total == sum(_budget(batch, SEED_BOX_NAME, k).original for k in ("national", "city", "district"))
    assert round_half_up(_executed(batch, SEED_BOX_NAME).value / total * 100) == SEED_BOX[2]


def test_whole_report_workbook_combines_tables() -> None:
    def build(wb):
        budget_sheet(wb.active)
        centre_sheet(wb.create_sheet())
        box_sheet(wb.create_sheet())

    result = parse_upload("업무보고.xlsx", xlsx(build), district_cd="11560", known_programs=[SEED_BOX_NAME])
    assert result.errors == [] and result.batch is not None
    assert result.kind == "budget_table+job_centre+program_box"
    # the box repeats the table's total for the same program: kept once, not flagged
    assert _budget(result.batch, SEED_BOX_NAME).original == 471_844 * THOUSAND
    assert sum(1 for b in result.batch.budgets if (b.program, b.source) == (SEED_BOX_NAME, "total")) == 1
    assert {i.code for i in result.warnings} == {"program_new"}


def test_xls_budget_table() -> None:
    rows = [
        ["2024년 일자리정책과"],
        ["(단위: 천원)"],
        ["단위사업명", "예산액", "집행액", "집행률(%) (5.31.기준)"],
        *budget_rows(),
    ]
    result = parse_upload("old.xls", xls_bytes(rows), district_cd="11560")
    assert result.issues == [] and result.batch is not None
    name, budget, executed, _ = SEED_PROGRAMS[2]
    assert (_budget(result.batch, name).original, _executed(result.batch, name).value) == (
        budget * THOUSAND,
        executed * THOUSAND,
    )


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr", "utf-8-sig"])
def test_kostat_csv(encoding: str) -> None:
    result = parse_upload("kosis.csv", kostat_csv(encoding), district_cd="11560")
    assert result.batch is not None and result.kind == "kostat_csv"
    rows = {(s.district_cd, s.year, s.half): s for s in result.batch.surveys}
    ydp = rows[("11560", 2025, 1)]
    assert (ydp.value, ydp.indicator, ydp.basis) == (65.2, "employment_rate", "15+")
    assert rows[("11110", 2025, 1)].value == 52.5
    assert ("11110", 2024, 2) not in rows  # '-' is missing, not zero
    assert [(i.code, i.row, i.column) for i in result.issues] == [("region_skipped", 6, "A")]


def test_kostat_female_15_64() -> None:
    data = kostat_csv("utf-8-sig", title="시군구별 여성고용률 (15~64세)")
    result = parse_upload("kosis.csv", data, district_cd="11560")
    assert result.batch is not None
    assert {(s.indicator, s.basis) for s in result.batch.surveys} == {("female_employment_rate", "15-64")}
