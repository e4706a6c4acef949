"""자치구 비교: an indicator across the 25 districts by half-year, ranks, first-place streak, same-basis targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from kpi.domain import catalog, districts, kpis
from kpi.domain.dates import half_end
from kpi.domain.units import round_half_up
from kpi.i18n import t, term
from kpi.store import Store, queries
from kpi.views import header, with_unit
from kpi.views.report import rank_table


def period_label(year: int, half: int) -> str:
    """'2025.1/2' as Statistics Korea writes a half-year."""
    return f"{year}.{half}/2"


def survey_ranked(store: Store, indicator: str, basis: str, until: date) -> pd.DataFrame:
    """Survey figures of half-years ended by `until`, with district name, rank (1 = highest) and period label."""
    with store.engine.connect() as conn:
        rows = queries.survey(conn, indicator, basis)
    if rows.empty:
        return rows
    ended = [half_end(int(y), int(h)) <= until for y, h in zip(rows["year"], rows["half"], strict=True)]
    ranked = rank_table(rows[pd.Series(ended, index=rows.index)])
    return ranked.assign(
        name=ranked["district_cd"].map(lambda c: districts.BY_SIG[c].name),
        period=[period_label(int(y), int(h)) for y, h in zip(ranked["year"], ranked["half"], strict=True)],
    ).sort_values(["year", "half", "rank"])


def targets_for(store: Store, indicator: str, basis: str, year: int) -> dict[str, float]:
    """Targets of the indicator stated on exactly this basis for `year`, by district name (other bases never)."""
    with store.engine.connect() as conn:
        rows = queries.rate_targets(conn, indicator, basis)
    rows = rows[rows["year"] == year]
    return {districts.BY_SIG[c].name: float(v) for c, v in zip(rows["district_cd"], rows["value"], strict=True)}


# An indicator without figures: an empty column on the same (year, half) index, so it joins the other as all-NA.
_NO_RANKS = pd.Series(dtype="Int64", index=pd.MultiIndex.from_arrays([[], []], names=["year", "half"]))


@dataclass
class RankHistory:
    """Rank per half-year of one district in each indicator, and its consecutive first places in all of them."""

    table: pd.DataFrame  # period, then one column per indicator label
    streak: int


def rank_history(store: Store, district_cd: str, basis: str, until: date) -> RankHistory:
    """Ranks of the district per half-year (report.rank_table) and kpis.first_place_streak over both indicators."""
    per = {}
    for ind, label in catalog.SURVEY_INDICATORS.items():
        r = survey_ranked(store, ind, basis, until)
        mine = r[r["district_cd"] == district_cd] if not r.empty else r
        per[label] = mine.set_index(["year", "half"])["rank"] if not mine.empty else _NO_RANKS
    ranks = pd.concat(per, axis=1).sort_index()
    if ranks.empty:
        return RankHistory(pd.DataFrame(), 0)
    streak = kpis.first_place_streak(ranks)
    table = ranks.reset_index()
    table.insert(0, "period", [period_label(int(y), int(h)) for y, h in zip(table["year"], table["half"], strict=True)])
    return RankHistory(table.drop(columns=["year", "half"]), streak)


def period_table(now: pd.DataFrame, label: str) -> pd.DataFrame:
    """One half-year's districts (survey_ranked rows) as the charts' data view: district, value (%), rank, sample."""
    columns = {"name": t("district"), "value": with_unit(term(label), "%"), "rank": header("col_rank")}
    return now[["name", "value", "rank", "is_sample"]].rename(columns={**columns, "is_sample": header("col_sample")})


def period_alt(now: pd.DataFrame, own_cd: str, label: str, period: str, basis: str) -> str:
    """One half-year's ranking in words: highest and lowest district, and the own district's value and rank."""
    first, last = now.iloc[0], now.iloc[-1]
    mine = now[now["district_cd"] == own_cd]

    def pct(value: object) -> str:
        """A rate half up to one decimal, without the % sign."""
        return f"{round_half_up(float(value), 1):.1f}"  # type: ignore[arg-type]

    return t(
        "alt_districts",
        label=label,
        period=period,
        basis=basis,
        top=first["name"],
        top_v=pct(first["value"]),
        low=last["name"],
        low_v=pct(last["value"]),
        own=districts.BY_SIG[own_cd].name,
        own_v="-" if mine.empty else pct(mine["value"].iloc[0]),
        n=len(now),
        rank="-" if mine.empty else int(mine["rank"].iloc[0]),
    )
