"""The demo store reproduces ../shared/DOMAIN.md, section 3 through the report and breakdown functions."""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi.demo import seed as demo
from kpi.domain.units import round_half_up
from kpi.store import queries
from kpi.store.model import Upload
from kpi.views import breakdowns
from kpi.views.report import build_report
from tests.seed_figures import BUDGET_WON, EXECUTED_WON, EXECUTION_PCT, PACE_PCT, REPORTED_RATES, THOUSAND

AS_OF = date(2024, 5, 31)


@pytest.fixture(scope="module")
def report(demo_store):
    return build_report(demo_store, "11560", 2024, AS_OF)


def _rates(report) -> dict[str, float]:
    return {r.name: round_half_up(r.execution_rate) for r in report.programs.itertuples()}


def test_department_execution_as_of_may(report):
    assert report.budget == sum(b for *_x, b, _e in demo.UNIT_PROGRAMS) * THOUSAND == BUDGET_WON
    assert report.executed == EXECUTED_WON
    assert round_half_up(report.execution_rate) == EXECUTION_PCT
    assert round_half_up(report.pace) == PACE_PCT and round_half_up(report.pace_months) == 41.7
    assert report.gap_pp == pytest.approx(-0.8)
    assert not report.sample["budget"] and not report.sample["executed"]


def test_every_unit_program_rate(report):
    rates = _rates(report)
    assert {k: rates[k] for k in REPORTED_RATES} == REPORTED_RATES
    units = report.programs[report.programs["level"] == "unit"]
    assert units["budget"].sum() == report.budget and units["executed"].sum() == report.executed


def test_program_boxes_keep_their_stated_totals(report):
    rates = _rates(report)
    assert rates["근로약자 일자리 제공을 통한 생활안정 지원"] == 35.4  # stated total, not the parts' 1,170,096
    assert rates["청년의 안정적 사회진입을 위한 맞춤형 지원"] == 43.1
    assert rates["통합일자리지원센터 조성"] == 86.8 and rates["청년 국가자격시험 응시료 지원"] == 9.1


def test_placement_rate(report):
    assert (report.placements, report.job_seekers) == (391, 978)
    assert round_half_up(report.placement_rate) == 40.0
    assert not report.sample["placement"]


def test_monthly_series_adds_up_to_may_and_is_marked_sample(report):
    m = report.monthly.set_index("month")
    assert m.loc[5, "executed"] == report.executed
    assert m["executed"].is_monotonic_increasing
    assert m.loc[1:4, "executed_sample"].all() and not m.loc[5, "executed_sample"]


def test_achievement_2025_and_streak(demo_store):
    r = build_report(demo_store, "11560", 2025, date(2025, 6, 30))
    assert (r.jobs_actual, r.jobs_target) == (11_168, 13_000)
    assert round_half_up(r.achievement_rate) == 85.9
    assert not r.sample["achievement"]
    assert r.rank == 1 and r.rank_period == (2025, 1) and r.first_place_streak == 5


def test_known_survey_figures(demo_store):
    with demo_store.engine.connect() as conn:
        s = queries.survey(conn, "employment_rate", "15+")
    known = s[~s["is_sample"].astype(bool)]
    got = {
        (d, int(y), int(h)): v
        for d, y, h, v in zip(known["district_cd"], known["year"], known["half"], known["value"], strict=True)
    }
    assert got == demo.KNOWN_EMPLOYMENT_RATES
    h1 = s[(s["year"] == 2025) & (s["half"] == 1)]
    assert h1["value"].idxmax() == h1.index[h1["district_cd"] == "11560"][0]
    assert h1["value"].idxmin() == h1.index[h1["district_cd"] == "11110"][0]


def test_pledges(demo_store):
    table = breakdowns.pledge_table(demo_store, "11560").set_index("item")
    assert table.loc["기업과 연계한 일자리 창출", ["target", "actual"]].tolist() == [135, 112]
    assert table.loc["중장년 일자리 창출", ["target", "actual"]].tolist() == [115, 100]
    assert round_half_up(table.loc["기업과 연계한 일자리 창출", "fulfilment"], 0) == 83
    assert round_half_up(table.loc["중장년 일자리 창출", "fulfilment"], 0) == 87
    budget = breakdowns.pledge_budget(demo_store, "11560").set_index("year")
    by_source = budget[["district", "city", "national"]].sum() / 1_000_000
    assert by_source.tolist() == [1_233, 113, 226] and by_source.sum() == 1_572
    assert (budget[["district", "city", "national"]].sum(axis=1) / 1_000_000).tolist() == [19, 670, 532, 173, 178]


def test_funding_mix_of_public_jobs(demo_store):
    table = breakdowns.funding_table(demo_store, "11560", 2024).set_index("program")
    assert [round_half_up(table.loc["동행일자리", c], 0) for c in ("city_pct", "district_pct")] == [70, 30]
    assert [round_half_up(table.loc["지역공동체일자리", c], 0) for c in ("city_pct", "district_pct")] == [75, 25]
    assert table.loc["동행일자리", "total"] == 3_094_000_000


def test_yongsan_plan_targets(demo_store):
    with demo_store.engine.connect() as conn:
        t = queries.targets(conn, "11170", 2025).set_index("metric")
    assert t.loc["employment_rate", "value"] == 70.9 and t.loc["employment_rate", "basis"] == "15-64"
    assert (t.loc["employed", "value"], t.loc["jobs_created", "value"]) == (105_040, 7_640)


def test_job_fairs(demo_store):
    with demo_store.engine.connect() as conn:
        f = queries.facts(conn, "11560", 2019)
        names = queries.programs(conn, "11560").set_index("id")["name"]
    f = f.assign(program=f["program_id"].map(names))
    got = {(p, m, k): v for p, m, k, v in zip(f["program"], f["month"], f["metric"], f["value"], strict=True)}
    assert got[("여성 취업박람회", 5, "participating_firms")] == 24 and got[("여성 취업박람회", 5, "visitors")] == 337
    assert got[("중장년 희망 취업박람회", 10, "visitors")] == 476


def test_demo_uploads_are_labelled(demo_store):
    with demo_store.engine.connect() as conn:
        rows = conn.execute(sa.select(Upload.filename, Upload.is_sample, Upload.note)).all()
    assert all(("sample" in name) == is_sample for name, is_sample, _n in rows)
    assert all(note.startswith("표본") for _name, is_sample, note in rows if is_sample)


# sha256 of every store row after load_demo (timestamps left out), as the seed figures were written in Python
# before they moved to kpi/demo/data/ (re-pinned when migration 0005 added origin, code and level columns): moving
# or reformatting the tables must not change a single row. Upload files count as uploaded (how migration 0008's
# content_codec keeps them is left out).
DEMO_ROWS_SHA256 = "3c5774b28cd7c490cc212415cb27a9f77bda447b3662a3efaf8148ad237df0ad"


def test_loading_the_demo_writes_the_same_rows_as_before(store):
    from sqlmodel import SQLModel

    assert demo.load_demo(store) == len(demo.demo_batches()) == 15
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            cols = [c for c in table.c if c.name not in ("uploaded_at", "reverted_at", "created_at", "content_codec")]
            for row in conn.execute(sa.select(*cols).order_by(*table.primary_key.columns)):
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                if table.name == "upload":  # the file as uploaded, however the store keeps it
                    found = queries.original_file(conn, row.id, row.district_cd)
                    values[[c.name for c in cols].index("content")] = found[1] if found else b""
                digest.update(repr(tuple(values)).encode())
    assert digest.hexdigest() == DEMO_ROWS_SHA256


def test_demo_tables_are_package_data():
    config = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kpi.demo"]
    data = Path(demo.__file__).parent / "data"
    tables = sorted(p.name for p in data.iterdir() if p.suffix == ".csv")
    assert tables and all(any(fnmatch(f"data/{t}", pat) for pat in patterns) for t in tables)
