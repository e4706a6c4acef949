"""KPI functions on the figures of ../shared/DOMAIN.md, section 3 and on edge cases."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi.domain import kpis
from kpi.domain.units import fmt_pct, round_half_up
from kpi.settings import PaceBands, load_settings

# ../shared/DOMAIN.md, section 3, item 1 (천원): unit program -> (예산액, 집행액, 집행률 as reported)
from tests.seed_figures import BUDGET_TABLE, EXECUTION_PCT, PACE_PCT, SEED_TOTAL


def test_round_half_up_is_not_bankers_rounding():
    assert round_half_up(34.45) == 34.5
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(-0.85) == -0.9
    assert round_half_up(np.float64(40.65)) == 40.7
    assert round_half_up(float("nan")) is None
    assert fmt_pct(None) == "-"


def test_execution_rate_reproduces_the_budget_table():
    frame = pd.DataFrame(BUDGET_TABLE, index=["budget", "executed", "stated"]).T
    rates = kpis.execution_rate(frame["executed"], frame["budget"])
    assert [round_half_up(r) for r in rates] == frame["stated"].tolist()
    total = kpis.execution_rate(frame["executed"].sum(), frame["budget"].sum())
    assert frame["budget"].sum() == SEED_TOTAL[1] and frame["executed"].sum() == SEED_TOTAL[2]
    assert round_half_up(total) == EXECUTION_PCT


def test_small_programs():
    assert round_half_up(kpis.execution_rate(4_606, 50_500)) == 9.1
    assert round_half_up(kpis.execution_rate(21_700, 25_000)) == 86.8


def test_pace_by_days_and_by_months():
    assert round_half_up(kpis.pace_pct(date(2024, 5, 31))) == PACE_PCT  # day 152 of 366
    assert round_half_up(kpis.pace_pct(date(2024, 5, 31), "months")) == 41.7
    assert kpis.pace_pct(date(2023, 12, 31)) == 100.0
    assert kpis.pace_pct(date(2024, 1, 1)) == pytest.approx(100 / 366)


def test_gap_to_pace_adds_up_as_read():
    rate = kpis.execution_rate(SEED_TOTAL[2], SEED_TOTAL[1])
    gap = kpis.pace_gap_pp(rate, kpis.pace_pct(date(2024, 5, 31)))
    assert gap == pytest.approx(round_half_up(rate) - round_half_up(kpis.pace_pct(date(2024, 5, 31))))
    assert gap == pytest.approx(-0.8)
    series = kpis.pace_gap_pp(pd.Series([40.66, np.nan]), 41.53)
    assert series.iloc[0] == pytest.approx(-0.8) and math.isnan(series.iloc[1])


@pytest.mark.parametrize(
    ("gap", "bands", "expected"),
    [
        (-0.8, PaceBands(), "on_track"),
        (-2.0, PaceBands(), "on_track"),
        (-2.1, PaceBands(), "at_risk"),
        (-5.0, PaceBands(), "at_risk"),
        (-5.1, PaceBands(), "behind"),
        (-0.8, PaceBands(0.5, 1.0), "at_risk"),
        (float("nan"), PaceBands(), "no_data"),
        (3.0, PaceBands(), "on_track"),
    ],
)
def test_status_bands_are_settings(gap, bands, expected):
    assert kpis.pace_status(gap, bands) == expected


def test_bands_come_from_the_environment():
    assert load_settings({"JOBKPI_PACE_BANDS": "1,3"}).pace_bands == PaceBands(1.0, 3.0)
    with pytest.raises(ValueError, match="JOBKPI_PACE_BANDS"):
        load_settings({"JOBKPI_PACE_BANDS": "5,1"})


def test_placement_and_achievement():
    assert round_half_up(kpis.placement_rate(391, 978)) == 40.0
    assert round_half_up(kpis.achievement_rate(11_168, 13_000)) == 85.9


def test_pledge_fulfilment_of_the_card():
    company = {"target": [10, 30, 35, 40, 20], "actual": [10, 59, 43]}
    midlife = {"target": [30, 30, 35, 20], "actual": [20, 65, 15]}
    assert round_half_up(kpis.pledge_fulfilment(sum(company["actual"]), sum(company["target"])), 0) == 83
    assert round_half_up(kpis.pledge_fulfilment(sum(midlife["actual"]), sum(midlife["target"])), 0) == 87


def test_funding_mix():
    dh = kpis.funding_mix(pd.Series({"city": 2_166, "district": 928}))
    assert [round_half_up(v, 0) for v in dh] == [70, 30]
    community = kpis.funding_mix(pd.Series({"city": 150, "district": 49}))
    assert [round_half_up(v, 0) for v in community] == [75, 25]
    assert kpis.funding_mix(pd.Series({"city": 0, "district": 0})).isna().all()


def test_zero_and_missing_denominators_give_nan():
    assert math.isnan(kpis.execution_rate(10, 0))
    assert math.isnan(kpis.placement_rate(5, float("nan")))
    rates = kpis.execution_rate(pd.Series([1, 2, 3]), pd.Series([0, np.nan, 4]))
    assert rates.isna().tolist() == [True, True, False]


def test_negative_correction_and_missing_month():
    cum = pd.Series({1: 100.0, 2: 250.0, 3: 240.0, 5: 400.0})  # March corrects February; April is missing
    flows = kpis.monthly_increments(cum)
    assert flows[1] == 100 and flows[2] == 150 and flows[3] == -10
    assert math.isnan(flows[5])  # the month after a gap has no flow
    mom = kpis.mom_change(cum)
    assert mom.loc[3, "diff"] == -10 and math.isnan(mom.loc[5, "diff"])


def test_year_on_year():
    yoy = kpis.yoy_change(pd.Series({4: 120.0, 5: 150.0}), pd.Series({4: 100.0, 5: 0.0}))
    assert yoy.loc[4, "pct"] == pytest.approx(20.0) and math.isnan(yoy.loc[5, "pct"])


def test_rank_and_streak():
    values = pd.Series({"11560": 65.2, "11110": 52.5, "11440": 60.0, "11170": None})
    ranks = kpis.district_rank(values)
    assert ranks["11560"] == 1 and ranks["11110"] == 3 and pd.isna(ranks["11170"])
    history = pd.DataFrame(
        {"employment_rate": [1, 2, 1, 1, 1, 1, 1], "female_employment_rate": [1, 1, 1, 1, 1, 1, 1]},
        index=pd.MultiIndex.from_tuples([(2022, 1), (2022, 2), (2023, 1), (2023, 2), (2024, 1), (2024, 2), (2025, 1)]),
    )
    assert kpis.first_place_streak(history) == 5
    assert kpis.first_place_streak(history.iloc[:2]) == 0
    assert kpis.first_place_streak(history.iloc[:0]) == 0


def test_ties_share_the_best_rank():
    ranks = kpis.district_rank(pd.Series({"a": 61.0, "b": 61.0, "c": 60.0}))
    assert ranks.tolist() == [1, 1, 3]


def test_year_end_projection_and_band():
    cum = pd.Series({1: 10.0, 2: 25.0, 3: 30.0, 4: 50.0})
    p = kpis.project_year_end(cum)
    flows = [15.0, 5.0, 20.0]
    assert p.value == pytest.approx(50 + sum(flows) / 3 * 8)
    assert (p.low, p.high) == (50 + 5 * 8, 50 + 20 * 8)
    assert kpis.project_year_end(pd.Series(dtype="float64")) is None
    single = kpis.project_year_end(pd.Series({5: 50.0}))  # one month after a gap: straight line from January
    assert single.value == pytest.approx(50 / 5 * 12)


def test_ratio_mixes_series_and_scalars():
    rates = kpis.achievement_rate(pd.Series({1: 1_300.0, 6: 11_168.0}), 13_000)
    assert rates.round(3).tolist() == [10.0, 85.908]
    assert kpis.ratio_pct(5, pd.Series([10, 0])).tolist()[0] == 50.0
    assert math.isnan(kpis.ratio_pct(None, 10))


def test_ratio_of_a_program_by_month_frame_by_budgets():
    executed = pd.DataFrame({1: [10.0, 5.0], 2: [20.0, 5.0]}, index=[7, 8])
    rates = kpis.execution_rate(executed, pd.Series({7: 100.0, 8: 0.0}))
    assert rates.loc[7].tolist() == [10.0, 20.0] and rates.loc[8].isna().all()
