"""The upload pipeline: seed sheets reproduce the figures of ../shared/DOMAIN.md, section 3 in an empty store;
preview, commit, duplicates, revert and roles; every bad file of the corpus leaves the store unchanged row for row."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.demo.seed import load_demo
from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.domain.units import round_half_up
from kpi.store import StoreError, uploads
from kpi.store.auth import User
from kpi.views.report import build_report
from tests.corpus_cases import CASES
from tests.corpus_factory import budget_sheet, budget_xlsx, centre_sheet, xlsx
from tests.factories import current, snapshot, with_accounts
from tests.seed_figures import (
    BUDGET_WON,
    EXECUTED_WON,
    EXECUTION_PCT,
    SEED_PROGRAMS,
    SEED_TOTAL,
    THOUSAND,
    executed_plus,
)

STAFF, OTHER, ADMIN, VIEWER = User("kim", "staff"), User("lee", "staff"), User("boss", "admin"), User("guest")


@pytest.fixture
def store(make_store):
    """A fresh store holding the accounts of this module's people."""
    return with_accounts(make_store(), STAFF, OTHER, ADMIN)


AS_OF = date(2024, 5, 31)


def seed_workbook() -> bytes:
    """The 예산현황 and 일자리플러스센터 tables of seed 003, typed into two sheets as the report shows them."""

    def build(wb):
        budget_sheet(wb.active)
        centre_sheet(wb.create_sheet("일자리플러스센터"))

    return xlsx(build)


def test_seed_sheets_reproduce_section_3_in_an_empty_store(store):
    prepared = uploads.prepare(store, "2024_주요업무보고.xlsx", seed_workbook(), district_cd="11560", user=STAFF)
    assert prepared.result.errors == [], [(i.code, i.where) for i in prepared.result.errors]
    uploads.commit(store, prepared, user=STAFF)
    report = build_report(store, "11560", 2024, AS_OF)
    assert round_half_up(report.execution_rate) == EXECUTION_PCT
    assert (report.budget, report.executed) == (BUDGET_WON, EXECUTED_WON)
    rates = {r.name: round_half_up(r.execution_rate) for r in report.programs.itertuples()}
    assert {n: rates[n] for n, *_ in SEED_PROGRAMS} == {n: r for n, _b, _e, r in SEED_PROGRAMS}
    assert round_half_up(report.placement_rate) == 40.0 and report.placements == 391
    assert JOB_CENTRE_PROGRAM in set(report.programs["name"])


def test_preview_shows_new_changed_unchanged_and_kpis_after_without_writing(store):
    uploads.commit(store, uploads.prepare(store, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF), user=STAFF)
    rows = [[n, b, e, r] for n, b, e, r in SEED_PROGRAMS]
    rows[0][2] += 10_000  # 집행액 of the first program changes
    rows.append(["신규 사업", 1_000, 100, 10.0])
    total = ["계", sum(r[1] for r in rows), sum(r[2] for r in rows), 0]
    content = xlsx(lambda wb: budget_sheet(wb.active, [total, *rows]))
    before = snapshot(store)
    prepared = uploads.prepare(store, "b.xlsx", content, district_cd="11560", user=STAFF)
    assert snapshot(store) == before  # the preview was rolled back
    p = prepared.preview
    facts = p.changes[p.changes["table"] == "실적"].set_index("program")
    assert facts.loc[SEED_PROGRAMS[0][0], "status"] == "changed"
    assert facts.loc[SEED_PROGRAMS[0][0], ["value_old", "value_new"]].tolist() == [
        SEED_PROGRAMS[0][2] * THOUSAND,
        (SEED_PROGRAMS[0][2] + 10_000) * THOUSAND,
    ]
    assert facts.loc["신규 사업", "status"] == "new" and facts.loc[SEED_PROGRAMS[1][0], "status"] == "unchanged"
    assert p.counts["changed"] == 1 and p.programs_created == 1
    assert p.after.executed - p.before.executed == (10_000 + 100) * THOUSAND
    assert p.after.execution_rate == pytest.approx(100 * (SEED_TOTAL[2] + 10_100) / (SEED_TOTAL[1] + 1_000))
    totals = p.totals.set_index(["table", "label"])
    executed = totals.loc[("실적", "집행액")]
    assert executed["after"] - executed["before"] == (10_000 + 100) * THOUSAND  # a new key counts from 0 before


def test_same_file_twice_is_detected_and_asked_about(store):
    content = budget_xlsx()
    first = uploads.commit(
        store, uploads.prepare(store, "a.xlsx", content, district_cd="11560", user=STAFF), user=STAFF
    )
    again = uploads.prepare(store, "a (1).xlsx", content, district_cd="11560", user=STAFF)
    assert again.duplicates["id"].tolist() == [first.upload_id]
    with pytest.raises(StoreError, match="같은 파일이 이미 반영"):
        uploads.commit(store, again, user=STAFF)
    assert uploads.commit(store, again, user=STAFF, allow_duplicate=True).upload_id > first.upload_id


def test_revert_restores_the_overview_exactly(store):
    load_demo(store)
    before = build_report(store, "11560", 2024, AS_OF).to_dict()
    content = xlsx(lambda wb: budget_sheet(wb.active, executed_plus(1_000)))
    prepared = uploads.prepare(store, "c.xlsx", content, district_cd="11560", user=STAFF)
    assert prepared.result.errors == []
    result = uploads.commit(store, prepared, user=STAFF)
    changed = build_report(store, "11560", 2024, AS_OF).to_dict()
    raised = 1_000 * THOUSAND * len(SEED_PROGRAMS)
    assert changed["execution"]["executed_won"] == before["execution"]["executed_won"] + raised
    assert uploads.revert(store, result.upload_id, STAFF) == result.rows
    after = build_report(store, "11560", 2024, AS_OF).to_dict()
    for d in (before, after):
        d.pop("rows_read")
    assert after == before


def test_roles(store):
    prepared = uploads.prepare(store, "a.xlsx", budget_xlsx(), district_cd="11560", user=VIEWER)
    with pytest.raises(StoreError, match="권한"):
        uploads.commit(store, prepared, user=VIEWER)
    result = uploads.commit(store, prepared, user=STAFF)
    with pytest.raises(StoreError, match="권한"):
        uploads.revert(store, result.upload_id, OTHER)
    assert current(store) != {}
    assert uploads.revert(store, result.upload_id, ADMIN) == 0  # nothing stood before
    assert current(store) == {}  # nothing stood before the only upload


@pytest.fixture(scope="module")
def busy_store(store_factory):
    """One store with the demo loaded, shared by the corpus cases (each must leave it as it was)."""
    s = with_accounts(store_factory(), STAFF)
    load_demo(s)
    return s


PIPELINE_CASES = [c for c in CASES if "limits" not in c.kwargs]


@pytest.mark.parametrize("case", PIPELINE_CASES, ids=[c.id for c in PIPELINE_CASES])
def test_corpus_leaves_the_store_unchanged(busy_store, case):
    before = snapshot(busy_store)
    district = case.kwargs.get("district_cd", "11560")
    prepared = uploads.prepare(
        busy_store, case.filename, case.build(), district_cd=district, user=STAFF, as_of=case.kwargs.get("as_of")
    )
    codes = {i.code for i in prepared.result.issues}
    assert "internal_error" not in codes
    assert case.code in codes
    if case.severity == "error":
        assert prepared.result.errors and prepared.preview is None
        with pytest.raises(StoreError):
            uploads.commit(busy_store, prepared, user=STAFF)
    assert snapshot(busy_store) == before
