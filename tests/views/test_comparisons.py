"""Like-for-like comparisons, sample-aware projections, flagged missing data and small amounts in coarse units."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kpi.domain import kpis
from kpi.domain.units import fmt_money, money_decimals, money_value
from kpi.views import overview
from kpi.views.report import build_report


def test_projection_is_sample_when_any_month_it_reads_is():
    cumulative = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0], index=range(1, 6))
    real = kpis.project_year_end(cumulative, sample=pd.Series(False, index=range(1, 6)))
    assert real.value == 120.0 and (real.first_month, real.last_month) == (2, 5) and not real.is_sample

    def flags(*sample: bool) -> pd.Series:
        return pd.Series(sample, index=range(1, 6))

    assert kpis.project_year_end(cumulative, sample=flags(False, True, False, False, False)).is_sample
    # January is not read by a three-month trend ending in May
    assert not kpis.project_year_end(cumulative, sample=flags(True, False, False, False, False)).is_sample
    assert not kpis.project_year_end(cumulative).is_sample


@pytest.mark.parametrize(
    ("won", "unit", "shown"),
    [
        (25_000_000, "억원", "0.3"),  # 25,000천원: half up, one decimal, not 0
        (25_000_000, "백만원", "25"),
        (400_000, "백만원", "0.4"),
        (3_094_000_000, "억원", "31"),
        (7_231_263_000, "억원", "72"),
        (0, "억원", "0"),
        (None, "억원", "-"),
        (25_000_000, "천원", "25,000"),
        (-25_000_000, "억원", "-0.3"),
    ],
)
def test_coarse_units_keep_a_decimal_where_a_whole_number_reads_zero(won, unit, shown):
    assert fmt_money(won, unit) == shown
    assert fmt_money(25_000_000, "억원", decimals=0) == "0"  # an explicit choice is kept


def test_money_value_for_table_cells():
    assert money_value(25_000_000, "억원") == 0.3 and money_value(3_094_000_000, "억원") == 31.0
    assert money_decimals(25_000_000, "억원") == 1 and money_decimals(250_000_000, "억원") == 0


def test_comparisons_read_both_sides_at_the_data_month(demo_store):
    report = build_report(demo_store, "11560", 2024, date(2024, 8, 31))  # data end in May
    assert report.data_month == 5 and overview.comparison_as_of(report) == date(2023, 5, 31)
    like = build_report(demo_store, "11560", 2023, overview.comparison_as_of(report))
    text = overview.comparisons(report, like)
    assert text["execution"] == "전월 대비 +8.4%p (4월→5월 · 표본) · 전년 동월 대비 +1.2%p (2023.5→2024.5 · 표본)"
    # a last-year report read at another month is not compared, it is said to be missing
    august = build_report(demo_store, "11560", 2023, date(2023, 8, 31))
    assert "-23.0%p" not in overview.comparisons(report, august)["execution"]
    assert "전년 동월(2023.5) 자료 없음" in overview.comparisons(report, august)["execution"]


def test_large_programs_without_figures_are_flagged(demo_store):
    report = build_report(demo_store, "11560", 2024, date(2024, 5, 31))
    items = overview.attention(report)
    assert [i.name for i in items[:2]] == ["동행일자리", "지역공동체일자리"]  # biggest first, before the lagging
    assert items[0].status == "no_data" and items[0].needs_reason and items[0].team == "일자리사업팀"
    flagged = report.programs.set_index("name")["missing_data"]
    assert flagged["동행일자리"] and not flagged["일자리플러스센터 운영"]  # no budget: nothing to execute
    table = overview.program_table(report)
    assert table.iloc[0]["사업명"] == "계" and table.iloc[0]["집행률"] == "40.7%"
    assert list(table.columns[:4]) == ["사업명", "예산액(천원)", "집행액(천원)", "집행률"]


def test_report_projection_is_labelled_sample(demo_store):
    report = build_report(demo_store, "11560", 2024, date(2024, 5, 31))
    assert report.projection.is_sample
    line = overview.projection_line(report)
    assert line == "연말 집행률 전망 95.9% (범위 94.1%~99.0%, 2~5월 추세 · 표본)"
