"""Values know their origin: two sources of one figure are alternatives, never added; the program tree matches
by code, name and remembered alias; a department's report holds only its programs."""

from __future__ import annotations

import math
from datetime import date

import pytest

from kpi.domain.batch import Batch, BudgetRow, FactRow, ProgramSpec
from kpi.importers import parse_upload
from kpi.settings import load_settings
from kpi.store import queries
from kpi.store.programs import attach, known_tree
from kpi.views.report import build_report
from tests.corpus_factory import budget_xlsx
from tests.seed_figures import BUDGET_WON, EXECUTED_WON, SEED_PROGRAMS, THOUSAND

AS_OF = date(2024, 5, 31)


def report_batch() -> Batch:
    """The report's 예산현황 table (seed 003) as staff upload it."""
    result = parse_upload("예산현황.xlsx", budget_xlsx(), district_cd="11560")
    assert result.batch is not None and result.errors == []
    return result.batch


def lofin_batch(scale: int = 1, as_of: date = AS_OF) -> Batch:
    """What a 지방재정365 download of the same date states: one 세부사업 per unit program, with codes, no unit
    and no department, amounts in 원 (each unit's figures split over two 세부사업)."""
    batch = Batch("11560", "lofin365", "세출현황.csv", f"lofin {scale} {as_of}".encode(), as_of=as_of)
    for i, (name, budget, executed, _rate) in enumerate(SEED_PROGRAMS):
        for half, share in (("1", budget // 2), ("2", budget - budget // 2)):
            code = f"{i:014d}0{half}"
            spent = executed // 2 if half == "1" else executed - executed // 2
            batch.programs.append(ProgramSpec(f"{name} 세부{half}", code=code, level="detail"))
            batch.budgets.append(BudgetRow(code, 2024, "total", None, share * THOUSAND * scale))
            batch.facts.append(FactRow(code, 2024, as_of.month, "executed", spent * THOUSAND * scale))
    return batch


def figures(store) -> tuple[float, float]:
    """(budget, executed) of the department's report as of 2024-05-31."""
    report = build_report(store, "11560", 2024, AS_OF)
    return report.budget, report.executed


@pytest.mark.parametrize("lofin_first", [False, True])
def test_report_table_and_lofin_of_the_same_date_never_add_up(store, lofin_first: bool) -> None:
    first, second = (lofin_batch(), report_batch()) if lofin_first else (report_batch(), lofin_batch())
    a = store.commit(first)
    assert figures(store) == (BUDGET_WON, EXECUTED_WON)
    b = store.commit(second)
    assert figures(store) == (BUDGET_WON, EXECUTED_WON)  # not 14,462,526천원
    report = build_report(store, "11560", 2024, AS_OF)
    assert report.unassigned == (14, float(BUDGET_WON))  # the 세부사업 await their unit, left out of the total
    store.revert(b.upload_id, "staff")
    assert figures(store) == (BUDGET_WON, EXECUTED_WON)
    store.revert(a.upload_id, "staff")
    assert all(math.isnan(v) for v in figures(store))  # nothing left


def test_the_shown_origin_follows_the_source_order(store, monkeypatch) -> None:
    store.commit(report_batch())
    name, budget, *_ = SEED_PROGRAMS[0]
    lofin = Batch("11560", "lofin365", "세출현황.csv", b"one", as_of=AS_OF)
    lofin.programs = [ProgramSpec(name, code="1234567890123456", level="detail")]  # same name: the same program
    lofin.budgets = [BudgetRow("1234567890123456", 2024, "total", None, (budget + 1) * THOUSAND)]
    store.commit(lofin)

    def shown() -> float:
        report = build_report(store, "11560", 2024, AS_OF)
        return float(report.programs.set_index("name").at[name, "budget"])

    assert shown() == (budget + 1) * THOUSAND  # 지방재정365 ranks above the report table by default
    monkeypatch.setenv("JOBKPI_SOURCE_ORDER", "report,lofin365")
    assert load_settings().source_order[0] == ("report",)
    assert shown() == budget * THOUSAND
    with store.read() as conn:
        origins = set(queries.budget_split(conn, "11560", 2024)["origin"])
    assert origins == {"report"}


def test_alike_ranked_origins_show_the_newest_upload(store) -> None:
    store.commit(report_batch())
    name, budget, *_ = SEED_PROGRAMS[1]
    template = Batch("11560", "template", "양식.xlsx", b"t", as_of=AS_OF)
    template.programs = [ProgramSpec(name)]
    template.budgets = [BudgetRow(name, 2024, "total", (budget - 40) * THOUSAND)]
    store.commit(template)
    report = build_report(store, "11560", 2024, AS_OF)
    assert report.budget == BUDGET_WON - 40 * THOUSAND  # report=template rank alike: the newer one is shown


def test_an_upload_stating_one_measure_keeps_the_others(store) -> None:
    def budget_of(original: int | None, current: int | None, tag: bytes) -> Batch:
        batch = Batch("11560", "template", "a.xlsx", tag)
        batch.programs = [ProgramSpec("A")]
        batch.budgets = [BudgetRow("A", 2024, "total", original, current)]
        return batch

    store.commit(budget_of(100, 150, b"1"))
    later = store.commit(budget_of(200, None, b"2"))
    row = build_report(store, "11560", 2024, date(2024, 12, 31)).programs.iloc[0]
    assert (row["original"], row["budget"]) == (200, 150)  # 예산현액 150 stands; 예산액 is now 200
    store.revert(later.upload_id, "staff")
    row = build_report(store, "11560", 2024, date(2024, 12, 31)).programs.iloc[0]
    assert (row["original"], row["budget"]) == (100, 150)


def test_codes_keep_their_zeros_and_common_names_do_not_collide(store) -> None:
    batch = Batch("11560", "ehojo", "e호조.xlsx", b"e", as_of=AS_OF)
    for dept, code, amount in (("일자리정책과", "0012000000000001", 97), ("복지정책과", "0034000000000001", 55)):
        batch.programs.append(ProgramSpec("기본경비", department=dept, code=code, level="detail"))
        batch.budgets.append(BudgetRow(code, 2024, "total", None, amount * THOUSAND))
    store.commit(batch)
    with store.read() as conn:
        progs = queries.programs(conn, "11560")
    basics = progs[progs["name"] == "기본경비"]
    assert sorted(basics["code"]) == ["0012000000000001", "0034000000000001"]
    assert sorted(basics["department"]) == ["복지정책과", "일자리정책과"]
    mine = build_report(store, "11560", 2024, AS_OF, department="일자리정책과")
    theirs = build_report(store, "11560", 2024, AS_OF, department="복지정책과")
    assert (mine.budget, theirs.budget) == (97 * THOUSAND, 55 * THOUSAND)
    assert mine.departments == ["복지정책과", "일자리정책과"] and mine.department == "일자리정책과"


def test_a_program_attached_once_is_matched_in_the_next_file(store) -> None:
    store.commit(report_batch())
    unit = SEED_PROGRAMS[2][0]
    with store.read() as conn:
        progs = queries.programs(conn, "11560").set_index("name")
    unit_id = int(progs.at[unit, "id"])
    assert (
        store.write(lambda conn: attach(conn, "11560", "상생기업 지원", "0000000000000777", unit_id, "kim")) == "child"
    )
    with store.read() as conn:
        names, codes, _aliases, units = known_tree(conn, "11560")
    assert "0000000000000777" in codes and unit in units and "상생기업 지원" in names
    later = Batch("11560", "lofin365", "l.csv", b"l", as_of=AS_OF)
    later.programs = [ProgramSpec("상생기업지원(변경)", code="0000000000000777", level="detail")]
    later.budgets = [BudgetRow("0000000000000777", 2024, "total", None, 5 * THOUSAND)]
    result = store.commit(later)
    assert result.programs_created == 0  # matched by its code, under the unit it was attached to
    report = build_report(store, "11560", 2024, AS_OF)
    row = report.programs.set_index("name").loc["상생기업 지원"]
    assert row["parent"] == unit and row["budget"] == 5 * THOUSAND
    assert report.budget == BUDGET_WON  # the unit's stated figure wins over its 세부사업's (never both)
    assert any(name == unit for _pid, name, _stated, _kids in report.mismatches)


def _through_shown(conn, table, keys: tuple[str, ...], *where) -> dict:
    """Reference: the rows of `shown()` (the window-function rule in SQL), stated-or-summed per keys."""
    import sqlalchemy as sa

    s = queries.shown(table, keys, table.c.district_cd == "11560", table.c.year == 2024, *where)
    value = s.c.value if "value" in s.c else sa.func.coalesce(s.c.current, s.c.original)
    stmt = sa.select(*[s.c[k] for k in keys], queries._stated_or_sum(value, s.c.source), sa.func.max(s.c.origin))
    return {tuple(r[: len(keys)]): tuple(r[len(keys) :]) for r in conn.execute(stmt.group_by(*[s.c[k] for k in keys]))}


@pytest.mark.parametrize("order", [None, "report,lofin365", "lofin365=report"])
def test_reads_pick_the_origin_as_shown_does(store, monkeypatch, order: str | None) -> None:
    """queries.facts and budgets pick one origin from aggregated rows; they agree with the SQL rule of shown()
    under every source order, alike ranks (the newest upload wins) included."""
    import sqlalchemy as sa

    from kpi.store.model import Budget, Fact, table_of

    if order:
        monkeypatch.setenv("JOBKPI_SOURCE_ORDER", order)
    store.commit(report_batch())
    store.commit(lofin_batch())
    name, budget, executed, _ = SEED_PROGRAMS[0]
    late = Batch("11560", "lofin365", "세출현황.csv", b"late", as_of=AS_OF)
    late.programs = [ProgramSpec(name, code="1234567890123456", level="detail")]
    late.budgets = [BudgetRow("1234567890123456", 2024, "total", None, (budget + 7) * THOUSAND)]
    late.facts = [FactRow("1234567890123456", 2024, 5, "executed", (executed + 3) * THOUSAND)]
    store.commit(late)
    with store.read() as conn:
        facts = queries.facts(conn, "11560", 2024)
        budgets = queries.budgets(conn, "11560", 2024)
        want_f = _through_shown(conn, table_of(Fact), ("program_id", "metric", "month"))
        want_b = _through_shown(conn, table_of(Budget), ("program_id",))
    got_f = {(int(r.program_id), r.metric, int(r.month)): (r.value, r.origin) for r in facts.itertuples()}
    got_b = {(int(r.program_id),): (r.budget, r.origin) for r in budgets.itertuples()}
    assert got_f == {(int(k[0]), k[1], int(k[2])): v for k, v in want_f.items()}
    assert got_b == {(int(k[0]),): v for k, v in want_b.items()}
    with store.read() as conn:  # the case the pick exists for: one program's budget stated by two origins
        b = table_of(Budget)
        origins = conn.execute(
            sa.select(b.c.program_id, sa.func.count(sa.distinct(b.c.origin))).group_by(b.c.program_id)
        )
        assert max(n for _, n in origins) == 2
