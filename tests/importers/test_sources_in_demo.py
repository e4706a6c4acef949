"""Every source, uploaded as staff do (prepare, preview, commit) into a store that already holds the demo: the
department's figures are what the file says, and never the sum of the file and what stood before."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from kpi.demo.seed import load_demo
from kpi.domain.units import round_half_up
from kpi.store import Store, auth, queries, uploads
from kpi.store.auth import User
from kpi.views.report import KpiReport, build_report
from tests.factories import with_accounts
from tests.importers import test_centre_monthly as centre
from tests.importers import test_ehojo as ehojo
from tests.importers import test_goal as goal
from tests.importers import test_human_tables as human
from tests.importers import test_kosis_layouts as kosis
from tests.importers import test_lofin as lofin
from tests.seed_figures import BUDGET_WON, EXECUTED_WON, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL

STAFF = User("kim", "staff")
SEED_2024 = (2024, date(2024, 5, 31))


def demo(store: Store) -> Store:
    """The store with the demo loaded (its tree, its sample series)."""
    load_demo(store)
    return store


def staff_upload(store: Store, name: str, content: bytes) -> uploads.Prepared:
    """Upload as staff do: prepared against the store's program tree, then committed."""
    if auth.active_account(store, STAFF.name) is None:
        with_accounts(store, STAFF)
    prepared = uploads.prepare(store, name, content, district_cd="11560", user=STAFF)
    assert prepared.result.errors == [], [(i.code, i.where, i.message_ko) for i in prepared.result.errors]
    uploads.commit(store, prepared, user=STAFF)
    return prepared


def execution(report: KpiReport) -> tuple[float, float, float]:
    """(budget, executed, rate half-up to one decimal) of a report."""
    return report.budget, report.executed, round_half_up(report.execution_rate, 1)


def lofin_csv() -> bytes:
    return lofin.csv_file(lofin.table(map(lofin.record, lofin.seed_programs()), "api", text=True), "utf-8-sig")


def lofin_xlsx_korean() -> bytes:
    return lofin.xlsx_file(lofin.table(map(lofin.record, lofin.seed_programs()), "korean", text=False))


def ehojo_merged() -> bytes:
    return ehojo.ehojo_xlsx(ehojo.entries(ehojo.seed_items()), "merged", "원")


def ehojo_repeated() -> bytes:
    return ehojo.ehojo_xlsx(ehojo.entries(ehojo.seed_items(), True, "first"), "repeated", "천원")


MONEY_FILES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "lofin365 csv (API names)": ("세출현황.csv", lofin_csv),
    "lofin365 xlsx (Korean headers)": ("세출현황.xlsx", lofin_xlsx_korean),
    "e-hojo merged": ("집행현황.xlsx", ehojo_merged),
    "e-hojo repeated": ("집행현황.xlsx", ehojo_repeated),
}


@pytest.mark.parametrize("source", list(MONEY_FILES))
def test_money_sources_into_the_demo_store(store, source: str) -> None:
    demo(store)
    before = execution(build_report(store, "11560", *SEED_2024))
    assert before == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])
    name, make = MONEY_FILES[source]
    staff_upload(store, name, make())
    after = build_report(store, "11560", *SEED_2024)
    assert execution(after) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])  # 7,231,263천원, 40.7%: not added


@pytest.mark.parametrize("source", list(MONEY_FILES))
def test_money_sources_into_an_empty_store(store, source: str) -> None:
    name, make = MONEY_FILES[source]
    staff_upload(store, name, make())
    assert execution(build_report(store, "11560", *SEED_2024)) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])


@pytest.mark.parametrize("empty", [True, False])
def test_rounded_and_footnoted_tables(store, empty: bool) -> None:
    if not empty:
        demo(store)
    staff_upload(store, "예산현황_백만원.xlsx", human.sheet(human.seed_rows("백만원", 1), units="(단위: 백만원)"))
    report = build_report(store, "11560", *SEED_2024)
    assert round_half_up(report.execution_rate, 1) == SEED_TOTAL[3]
    units = report.programs[report.programs["level"] == "unit"]
    assert set(units["name"]) >= {n for n, *_ in SEED_PROGRAMS}
    footnoted = human.sheet(human.seed_rows(), below=[[human.NOTE]])
    staff_upload(store, "예산현황_주석.xlsx", footnoted)
    report = build_report(store, "11560", *SEED_2024)
    assert execution(report) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])
    assert human.NOTE not in set(report.programs["name"])  # a footnote is not a program


@pytest.mark.parametrize("empty", [True, False])
def test_kosis_download(store, empty: bool) -> None:
    if not empty:
        demo(store)
    rows, _merges = kosis.long_layout("서울 {}", "dot")
    staff_upload(store, "고용률.csv", kosis.csv_file(rows, "cp949"))
    report = build_report(store, "11560", 2025, date(2025, 6, 30))
    assert (report.rank, report.ranked_districts, report.rank_period) == (1, 25, (2025, 1))
    assert report.to_dict()["rank"]["employment_rate_pct"] == 65.2
    assert report.to_dict()["rank"]["basis"] == "15+"


@pytest.mark.parametrize("empty", [True, False])
def test_goal_disclosure_result(store, empty: bool) -> None:
    if not empty:
        demo(store)
    rows, spans = goal.body()
    staff_upload(store, "목표공시제.xlsx", goal.sheet(rows, spans=spans))
    report = build_report(store, "11560", 2025, date(2025, 6, 30))
    assert (report.jobs_target, report.jobs_actual) == (13_000, 11_168)
    assert round_half_up(report.achievement_rate, 1) == 85.9


@pytest.mark.parametrize("monthly", [True, False])
@pytest.mark.parametrize("empty", [True, False])
def test_centre_logs(store, monthly: bool, empty: bool) -> None:
    if not empty:
        demo(store)
    if monthly:
        content = centre.log(centre.rows_of(centre.MONTHLY, total="계"))
    else:
        content = centre.log(
            centre.rows_of(centre.year_to_date()),
            header=[*centre.HEADER[:1], *(f"{h}(누계)" for h in centre.HEADER[1:])],
        )
    staff_upload(store, "센터실적.xlsx", content)
    report = build_report(store, "11560", *SEED_2024)
    assert (report.job_seekers, report.placements) == (SEED_CENTRE[2], SEED_CENTRE[4])
    assert round_half_up(report.placement_rate, 1) == SEED_CENTRE[5]


def test_whole_district_lofin_leaves_the_department_unchanged(store) -> None:
    demo(store)
    before = build_report(store, "11560", *SEED_2024).to_dict()
    others = [  # other departments' 세부사업 of a whole-district download (codes and names the tree lacks)
        lofin.record(lofin.Prog(f"09{i:014d}", f"타부서 사업 {i}", 10_000_000, 1_000_000 * i, 0, 0, 10_000_000, 0, 0))
        for i in range(40)
    ]
    content = lofin.csv_file(
        lofin.table([*map(lofin.record, lofin.seed_programs()), *others], "api", text=True), "cp949"
    )
    prepared = staff_upload(store, "세출현황_영등포구_전체.csv", content)
    assert any(i.code == "programs_excluded" and "40건" in i.message_ko for i in prepared.result.warnings)
    after = build_report(store, "11560", *SEED_2024).to_dict()
    for key in ("execution", "placement", "achievement", "rank"):
        assert after[key] == before[key]


@pytest.mark.parametrize("lofin_first", [False, True])
def test_report_table_and_lofin_file_in_either_order(store, lofin_first: bool) -> None:
    from tests.corpus_factory import budget_xlsx

    files = [("예산현황.xlsx", budget_xlsx()), ("세출현황.csv", lofin_csv())]
    if lofin_first:
        files.reverse()
    staff_upload(store, *files[0])
    assert execution(build_report(store, "11560", *SEED_2024)) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])
    staff_upload(store, *files[1])
    report = build_report(store, "11560", *SEED_2024)
    assert execution(report) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])  # not 14,462,526천원
    with store.read() as conn:
        split = queries.budget_split(conn, "11560", 2024)
    lofin_split = split[(split["origin"] == "lofin365") & (split["source"] != "total")]
    assert set(lofin_split["source"]) >= {"national", "city", "district"}  # the funding split per 세부사업
    with store.read() as conn:
        last = int(queries.uploads(conn, "11560")["id"].max())
    store.revert(last, "kim")
    assert execution(build_report(store, "11560", *SEED_2024)) == (BUDGET_WON, EXECUTED_WON, SEED_TOTAL[3])
