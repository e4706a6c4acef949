"""KPI functions: pure, vectorised pandas over stored figures; results unrounded (round only for display).

Ratios are returned in percent (x100). A zero or missing denominator gives NaN, never an error
or an infinity: the page shows '-' for it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

import numpy as np
import pandas as pd

from kpi.domain.units import round_half_up
from kpi.settings import PaceBands

Num = TypeVar("Num", float, pd.Series)
Status = Literal["on_track", "at_risk", "behind", "no_data"]


def _as_float(value: Num | None) -> Num:
    """A Series as float64 (non-numbers NaN), a scalar as float (None NaN)."""
    if isinstance(value, pd.DataFrame):
        return value.apply(pd.to_numeric, errors="coerce").astype("float64")
    if isinstance(value, pd.Series):
        if value.dtype == "float64":  # already (the report's frames): the same values, no conversion
            return value
        return pd.to_numeric(value, errors="coerce").astype("float64")
    return np.nan if value is None or pd.isna(value) else float(value)


def ratio_pct(numerator: Num, denominator: Num) -> Num:
    """100 * numerator / denominator; NaN where the denominator is 0 or missing (Series and scalars mix;
    a DataFrame numerator with a Series denominator divides row-wise, e.g. program x month by budget)."""
    num, den = _as_float(numerator), _as_float(denominator)
    if isinstance(den, pd.Series):
        den = den.where(den != 0)
    elif den == 0:
        den = np.nan
    if isinstance(num, pd.DataFrame) and isinstance(den, pd.Series):
        return num.mul(100.0).div(den, axis=0)
    return 100.0 * num / den


def execution_rate(executed: Num, budget: Num) -> Num:
    """집행률 = 집행액 누계 / 예산현액 (예산액 when no 예산현액 is stated), in %."""
    return ratio_pct(executed, budget)


def placement_rate(placements: Num, job_seekers: Num) -> Num:
    """취업률 = 취업자 / 구직자, in %."""
    return ratio_pct(placements, job_seekers)


def achievement_rate(actual: Num, target: Num) -> Num:
    """달성률 = 실적 / 목표, in %."""
    return ratio_pct(actual, target)


def pledge_fulfilment(actual: Num, target: Num) -> Num:
    """공약 이행률 = 실적 누계 / 목표 누계, in %."""
    return ratio_pct(actual, target)


def pace_pct(as_of: date, basis: Literal["days", "months"] = "days") -> float:
    """경과율: share of the calendar year gone at as_of; days = day-of-year / days-in-year, months = month / 12."""
    if basis == "months":
        return 100.0 * as_of.month / 12
    days_in_year = 366 if calendar.isleap(as_of.year) else 365
    return 100.0 * as_of.timetuple().tm_yday / days_in_year


def pace_gap_pp(rate: Num, pace: float, decimals: int = 1) -> Num:
    """Gap to pace in %p = rounded rate - rounded pace, so the headline adds up as read (40.7 - 41.5 = -0.8)."""
    pace_r = round_half_up(pace, decimals)
    if not isinstance(rate, pd.Series):
        rate_r = round_half_up(rate, decimals)
        return np.nan if rate_r is None or pace_r is None else round(rate_r - pace_r, decimals)
    rounded = rate.map(lambda v: round_half_up(v, decimals)).astype("float64")
    return (rounded - pace_r).round(decimals)


def pace_status(gap_pp: Num, bands: PaceBands) -> Status | pd.Series:
    """on_track when gap >= -bands.at_risk, at_risk when gap >= -bands.behind, else behind; no_data for NaN."""
    gap = gap_pp.astype("float64") if isinstance(gap_pp, pd.Series) else pd.Series(gap_pp, dtype="float64")
    out = pd.Series(
        np.select(
            [gap.isna(), gap >= -bands.at_risk, gap >= -bands.behind],
            ["no_data", "on_track", "at_risk"],
            default="behind",
        ),
        index=gap.index,
    )
    return str(out.iloc[0]) if np.isscalar(gap_pp) else out


def funding_mix(amounts: pd.Series) -> pd.Series:
    """Share of each funding source in %, amounts indexed by source (e.g. 시 2,166 + 구 928 -> 70.0 : 30.0)."""
    total = amounts.sum()
    return ratio_pct(amounts, pd.Series(total, index=amounts.index))


def monthly_increments(cumulative: pd.Series) -> pd.Series:
    """Per-month flow from a year-to-date series indexed by month 1..12; a month after a gap is NaN."""
    s = cumulative.sort_index()
    full = s.reindex(range(1, int(s.index.max()) + 1)) if len(s) else s
    prev = full.shift(1)
    if len(full):
        prev.loc[full.index.min()] = 0.0 if full.index.min() == 1 else np.nan
    return (full - prev).reindex(s.index)


def change(current: Num, previous: Num) -> tuple[Num, Num]:
    """(difference, % change) of current against previous; % change is NaN when previous is 0 or missing."""
    diff = current - previous
    return diff, ratio_pct(diff, previous)


def _displayed(series: pd.Series, decimals: int | None) -> pd.Series:
    """A series as float64, rounded half up to `decimals` when given (the figures as displayed)."""
    s = series.astype("float64")
    return s if decimals is None else s.map(lambda v: round_half_up(v, decimals)).astype("float64")


def _changes(value: pd.Series, previous: pd.Series, decimals: int | None) -> pd.DataFrame:
    """value, previous, difference (rounded to `decimals` when given) and % change, side by side."""
    diff, pct = change(value, previous)
    diff = diff if decimals is None else diff.round(decimals)
    return pd.DataFrame({"value": value, "previous": previous, "diff": diff, "pct": pct})


def mom_change(series: pd.Series, decimals: int | None = None) -> pd.DataFrame:
    """Month-on-month by month: value, previous month's value, difference and % change; a missing month gives NaN
    (no gap is bridged). With `decimals` both sides are first rounded half up: a change of the displayed figures
    (a rate's change in %p reads as the difference of the two rates shown)."""
    s = _displayed(series.sort_index(), decimals)
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1)) if len(s) else s
    return _changes(s, full.shift(1).reindex(s.index), decimals)


def yoy_change(current: pd.Series, last_year: pd.Series, decimals: int | None = None) -> pd.DataFrame:
    """Year-on-year by month: value, the same month last year (like for like: never another month), difference
    and % change; with `decimals` of the displayed (half-up) figures, as mom_change."""
    return _changes(_displayed(current, decimals), _displayed(last_year, decimals).reindex(current.index), decimals)


def district_rank(values: pd.Series, by: list[pd.Series] | None = None) -> pd.Series:
    """Rank among districts (within each group of `by`, e.g. year and half), 1 = highest; ties share the best rank;
    missing values have no rank."""
    ranked = values.groupby(by) if by is not None else values
    return ranked.rank(ascending=False, method="min", na_option="keep").astype("Int64")


def first_place_streak(ranks: pd.DataFrame) -> int:
    """Consecutive latest periods in which the district ranks 1st on every column (rows = periods in order)."""
    streak = 0
    for _, row in ranks.sort_index(ascending=False).iterrows():
        if row.notna().all() and (row == 1).all():
            streak += 1
        else:
            break
    return streak


@dataclass(frozen=True)
class Projection:
    """A year-end projection of a cumulative figure with a low/high band, the months it rests on, and whether
    any of them is sample data (then the projection is sample too)."""

    value: float
    low: float
    high: float
    months_used: int
    first_month: int = 1
    last_month: int = 12
    is_sample: bool = False


def project_year_end(cumulative: pd.Series, window: int = 3, sample: pd.Series | None = None) -> Projection | None:
    """Year-end = YTD + mean of the last `window` monthly flows x remaining months; band from their min/max.

    `sample` (by month, truthy = sample) marks the projection as sample when any month it reads is: the
    latest month and the months before each flow used."""
    s = cumulative.dropna().sort_index()
    if s.empty:
        return None
    last_month = int(s.index.max())
    ytd = float(s.iloc[-1])
    flows = monthly_increments(s).dropna().tail(window)
    if flows.empty:
        flows = pd.Series([ytd / last_month])
        first = 1
    else:
        first = max(1, int(flows.index.min()) - 1)
    remaining = 12 - last_month
    read = [m for m in s.index if first <= int(m) <= last_month]
    flags = pd.Series(dtype="float64") if sample is None else pd.to_numeric(pd.Series(sample).reindex(read))
    is_sample = bool(flags.fillna(0).gt(0).any())
    return Projection(
        value=ytd + float(flows.mean()) * remaining,
        low=ytd + float(flows.min()) * remaining,
        high=ytd + float(flows.max()) * remaining,
        months_used=len(flows),
        first_month=first,
        last_month=last_month,
        is_sample=is_sample,
    )


# A program whose budget is at least this share (%) of the department's is large: no figure for the month is then
# a reason to look (자료 없음 flagged), not a blank.
LARGE_PROGRAM_SHARE_PCT = 1.0


def large_without_data(budget: pd.Series, executed: pd.Series, total_budget: float) -> pd.Series:
    """True for programs with a budget of at least LARGE_PROGRAM_SHARE_PCT of the total and no executed figure."""
    share = ratio_pct(budget, pd.Series(total_budget, index=budget.index))
    return (share >= LARGE_PROGRAM_SHARE_PCT).fillna(False) & _as_float(executed).isna()
