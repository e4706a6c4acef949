"""AppTest of the dashboard pages: rendered metrics and chart specs equal the kpi functions' results on the demo."""

from __future__ import annotations

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kpi.domain.units import fmt_pct, round_half_up, to_unit
from kpi.store import Store
from kpi.views import budget as bv
from kpi.views import overview
from kpi.views import programs as pv
from kpi.views.breakdowns import pledge_table
from kpi.views.report import build_report
from kpi.views.safe_text import md
from tests.factories import APP
from tests.seed_figures import EXECUTION_PCT


@pytest.fixture
def page(monkeypatch, sqlite_demo_url):
    monkeypatch.setenv("JOBKPI_DATABASE_URL", sqlite_demo_url)
    monkeypatch.setenv("JOBKPI_LOAD_DEMO", "never")

    def open_page(path: str, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(params)
        at.run()
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def specs(at: AppTest) -> list[dict]:
    """The plotly figure specs rendered on the page, in order."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def trace(spec: dict, name: str) -> dict:
    return next(d for d in spec["data"] if d.get("name", "").split(" (")[0] == name)


def district_bars(at: AppTest) -> dict:
    return next(s for s in specs(at) if s["data"][0].get("type") == "bar")


YDP = {"district": "11560", "year": "2024", "as_of": "2024-05-31"}


def test_overview_cards_comparisons_and_attention(page, sqlite_demo_url):
    at = page("pages/overview.py", **YDP)
    report = build_report(Store(sqlite_demo_url), "11560", 2024, date(2024, 5, 31))
    assert [(m.label, m.value) for m in at.metric] == [(c.label, c.value) for c in overview.cards(report)]
    assert [m.value for m in at.metric][:2] == [fmt_pct(EXECUTION_PCT), "40.0%"]  # the seed's figures, not the view's
    captions = " ".join(c.value for c in at.caption)
    assert "전월 대비" in captions and "전년 동월 대비" in captions  # 2023 sample data gives the YoY delta
    text = " ".join(m.value for m in at.markdown)
    for item in overview.attention(report):
        assert md(item.name) in text and md(item.reason) in text
    assert "인력운영비" in text  # 33.5% against a pace of 41.5%
    bars = trace(specs(at)[0], "누계 집행률")
    assert bars["y"][-1] == 40.7


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def program_frame(at: AppTest):
    """The overview's program table (the one with a 사업명 column)."""
    return next(d.value for d in at.dataframe if "사업명" in d.value.columns)


def test_year_on_year_with_a_missing_month_compares_like_with_like(page):
    # As of August, data ends in May: both sides of every comparison are May (2024.5 against 2023.5).
    at = page("pages/overview.py", district="11560", year="2024", as_of="2024-08-31")
    text = captions(at)
    assert md("전년 동월 대비 +1.2%p (2023.5→2024.5 · 표본)") in text  # not -23.0%p (2024-05 against 2023-08)
    assert "-23.0%p" not in text
    assert md("전월 대비 +8.4%p (4월→5월 · 표본)") in text  # April is sample data
    assert any("6~8월 실적이 아직" in i.value for i in at.info)


def test_projection_carries_the_sample_label(page):
    at = page("pages/overview.py", **YDP)
    line = next(c.value for c in at.caption if c.value.startswith("연말 집행률 전망"))
    assert line == md("연말 집행률 전망 95.9% (범위 94.1%~99.0%, 2~5월 추세 · 표본)")  # February-April are sample


def test_program_table_leads_with_the_total_and_flags_missing_data(page):
    at = page("pages/overview.py", **YDP)
    table = program_frame(at)
    first = table.iloc[0]
    assert first["사업명"] == "계" and first["예산액(천원)"] == "7,231,263" and first["집행률"] == "40.7%"
    rows = table.set_index("사업명")
    assert rows.loc["　└ 동행일자리", "상태"] == "자료 없음 (확인 필요)"
    text = " ".join(m.value for m in at.markdown)
    assert "**동행일자리** — 예산 3,094,000천원, 5월 집행 자료 없음" in text  # the biggest item, flagged


def test_small_amounts_in_hundred_millions_keep_a_decimal(page):
    at = page("pages/overview.py", **YDP, unit="억원")
    rows = program_frame(at).set_index("사업명")
    assert rows.loc["　└ 통합일자리지원센터 조성", "예산액(억원)"] == "0.3"  # 25,000천원, not 0
    assert rows.loc["계", "예산액(억원)"] == "72"
    at = page("pages/programs.py", **YDP, unit="억원")
    row = at.dataframe[0].value.set_index("사업명").loc["└ 통합일자리지원센터 조성"]
    assert row["예산액(억원)"] == 0.3


def test_programs_table_and_drill_down(page, sqlite_demo_url):
    at = page("pages/programs.py", **YDP, program="8")
    report = build_report(Store(sqlite_demo_url), "11560", 2024, date(2024, 5, 31))
    shown = at.dataframe[0].value
    expected = pv.program_table(report, "천원")
    assert shown["집행률"].fillna(-1).tolist() == expected["집행률"].fillna(-1).tolist()
    row = shown.set_index("사업명").loc["희망이 되는 안정적인 일자리지원"]
    assert row["예산액(천원)"] == 384_871 and row["집행률"] == 34.5 and row["분야"] == "고용서비스"
    assert at.selectbox(key="p_pick").value == 8  # from the URL
    assert any("근로약자" in h.value for h in at.subheader)
    trend = trace(specs(at)[0], "집행액")
    assert trend["y"][-1] == 1_175_096  # 천원, as stated in seed 003
    funding = {d["name"]: d["x"][0] for d in specs(at)[1]["data"]}
    assert funding == {"시비": 2_333_727, "구비": 986_078}


def test_programs_filters(page):
    at = page("pages/programs.py", **YDP)
    at.multiselect(key="p_team").set_value(["청년지원팀"]).run()
    assert set(at.dataframe[0].value["담당팀"]) == {"청년지원팀"}


def test_budget_page(page, sqlite_demo_url):
    at = page("pages/budget.py", **YDP, unit="백만원")
    store = Store(sqlite_demo_url)
    report = build_report(store, "11560", 2024, date(2024, 5, 31))
    bars = specs(at)[0]
    frame = bv.program_frame(store, report)
    assert trace(bars, "예산액")["x"] == [round_half_up(to_unit(v, "백만원"), 0) for v in frame["budget"]]
    cum = bv.cumulative(report)
    assert at.metric[1].value == fmt_pct(cum.projection_rate[0])
    assert cum.projection.is_sample and at.metric[1].label.endswith("(표본)")  # the demo's months 2-4 are sample
    spec = specs(at)[2]
    assert trace(spec, "누계 집행률")["y"][-1] == 40.7
    assert trace(spec, "신속집행 목표(6월말)")["y"] == [60.0]
    assert "연말 전망" in [d["name"] for d in spec["data"]]


def test_budget_rapid_target_setting(page, monkeypatch):
    monkeypatch.setenv("JOBKPI_RAPID_TARGET", "55.5")
    at = page("pages/budget.py", **YDP)
    assert trace(specs(at)[2], "신속집행 목표(6월말)")["y"] == [55.5]


def test_districts_page_seed_figures_and_streak(page):
    at = page("pages/districts.py", district="11560", year="2025", as_of="2025-06-30")
    bars = district_bars(at)
    first = bars["data"][0]
    assert (
        first["x"][0] == "영등포구" and first["y"][0] == 65.2 and first["x"][-1] == "종로구" and first["y"][-1] == 52.5
    )
    assert [d["name"] for d in bars["data"]] == ["고용률"]  # no target on the 15+ basis
    values = {m.label: m.value for m in at.metric}
    assert values["고용률 순위"] == "1위 / 25" and values["연속 1위 (고용률·여성고용률)"] == "5회"


def test_districts_target_only_on_same_basis(page):
    at = page("pages/districts.py", district="11170", year="2025", as_of="2025-06-30", basis="15-64")
    target = trace(district_bars(at), "목표")
    assert target["x"] == ["용산구"] and target["y"] == [70.9]


def test_pledges_page(page, sqlite_demo_url):
    at = page("pages/pledges.py", district="11560", year="2025", as_of="2025-06-30", unit="백만원")
    table = pledge_table(Store(sqlite_demo_url), "11560")
    assert [m.value for m in at.metric[:2]] == [fmt_pct(v) for v in table["fulfilment"]] == ["83.0%", "87.0%"]
    assert any("계 1,572백만원 = 국비 226 + 시비 113 + 구비 1,233" in c.value for c in at.caption)
    jobs = next(m for m in at.metric if m.label.startswith("일자리 창출 목표"))
    assert jobs.value == "13,000개" and "85.9%" in jobs.delta


def test_page_parameters_round_trip(page):
    at = page(
        "pages/districts.py",
        district="11170",
        year="2025",
        as_of="2025-06-30",
        indicator="female_employment_rate",
        basis="15-64",
        period="2024.2/2",
        unit="억원",
    )
    assert at.selectbox(key="d_ind").value == "female_employment_rate"
    assert at.selectbox(key="d_basis").value == "15-64" and at.selectbox(key="d_period").value == "2024.2/2"
    assert dict(at.query_params) == {
        "district": "11170",
        "year": "2025",
        "as_of": "2025-06-30",
        "unit": "억원",
        "indicator": "female_employment_rate",
        "basis": "15-64",
        "period": "2024.2/2",
    }


PAGES = ["overview", "briefing", "programs", "budget", "districts", "pledges"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_run_without_deprecation_warnings(page, name):
    """No page uses a deprecated Streamlit (or pandas, plotly) API: DeprecationWarning and FutureWarning are recorded
    here whatever the pytest filters say (pyproject ignores Streamlit's own), so a removed-soon call fails."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page(f"pages/{name}.py", **YDP)
    found = [
        f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in caught
        if issubclass(w.category, DeprecationWarning | FutureWarning)
    ]
    assert not found, "\n".join(found)
