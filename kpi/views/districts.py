"""자치구 비교: an indicator across the 25 districts by half-year, ranks, first-place streak, same-basis targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from kpi.domain import catalog, districts, kpis
from kpi.domain.dates import half_end
from kpi.domain.filters import Filters
from kpi.domain.units import fmt_pct, round_half_up
from kpi.i18n import t, term
from kpi.store import Store, queries
from kpi.views import Metric, charts, header, with_unit
from kpi.views.report import KpiReport, rank_table
from kpi.views.tilemap import tile_figure


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


@dataclass(frozen=True)
class Screen:
    """The 자치구 비교 page's ranking of an indicator on a basis up to the filters' as-of date: the half-years to
    choose from (read it, never change it)."""

    report: KpiReport
    ranked: pd.DataFrame  # survey_ranked
    periods: list[str]  # in order, oldest first


def screen(store: Store, report: KpiReport, filters: Filters, indicator: str, basis: str) -> Screen:
    """The ranking of `indicator` on `basis` of the half-years ended by the filters' as-of date."""
    ranked = survey_ranked(store, indicator, basis, filters.as_of)
    return Screen(report, ranked, list(dict.fromkeys(ranked["period"])) if not ranked.empty else [])


@dataclass(frozen=True)
class RankCard:
    """One district's rank history: its three cards, its chart, the chart's text alternative and its data."""

    code: str
    name: str
    cards: list[Metric]  # empty: no figures
    figure: go.Figure | None
    table: pd.DataFrame
    alt: str


@dataclass(frozen=True)
class PeriodScreen:
    """One half-year of the ranking: tile map and bars with the selected districts, and the rank history of the
    selected districts (the own one when none), read it, never change it."""

    table: pd.DataFrame  # period_table
    label: str  # the indicator's label in the UI language
    basis: str  # the basis in the UI language
    alt: str  # period_alt
    tiles: go.Figure
    bars: go.Figure
    selected_names: list[str]
    histories: list[RankCard]


def period_screen(
    store: Store,
    report: KpiReport,
    filters: Filters,
    indicator: str,
    basis: str,
    period: str,
    chosen: tuple[str, ...],
) -> PeriodScreen:
    """The half-year `period` of the ranking of `indicator` on `basis`, the districts `chosen` outlined."""
    ranked = survey_ranked(store, indicator, basis, filters.as_of)
    label = catalog.SURVEY_INDICATORS[indicator]
    label_ui, basis_ui = term(label), term(catalog.BASES[basis])
    now = ranked[ranked["period"] == period].sort_values("rank")
    year = int(now["year"].iloc[0])
    table = period_table(now, label)
    targets = targets_for(store, indicator, basis, year)
    alt = period_alt(now, filters.district, label_ui, period, basis_ui)
    values = dict(zip(now["district_cd"], now["value"].astype(float), strict=True))
    flags = dict(zip(now["district_cd"], now["is_sample"].astype(bool), strict=True))
    tiles = tile_figure(values, filters.district, f"{label_ui} ({period})", flags, list(chosen))
    selected = [districts.BY_SIG[c].name for c in chosen]
    bars = charts.district_bars(
        list(now["name"]),
        list(now["value"].astype(float)),
        districts.BY_SIG[filters.district].name,
        list(now["is_sample"].astype(bool)),
        label_ui,
        targets,
        selected,
    )
    focus = list(chosen) or [filters.district]
    histories = [_rank_card(store, ranked, indicator, basis, code, filters.as_of) for code in focus[:3]]
    return PeriodScreen(table, label_ui, basis_ui, alt, tiles, bars, selected, histories)


def _rank_card(store: Store, ranked: pd.DataFrame, indicator: str, basis: str, code: str, until: date) -> RankCard:
    """A district's rank history card: latest value, rank and first-place streak, and ranks per half-year."""
    name = districts.BY_SIG[code].name
    hist = rank_history(store, code, basis, until)
    if hist.table.empty:
        return RankCard(code, name, [], None, hist.table, "")
    label_ui = term(catalog.SURVEY_INDICATORS[indicator])
    latest = ranked[ranked["district_cd"] == code].iloc[-1]
    cards = [
        Metric(f"{label_ui} ({latest['period']})", fmt_pct(float(latest["value"]))),
        Metric(
            t("employment_rank") if indicator == "employment_rate" else t("rank_label", label=label_ui),
            t("rank_value", rank=int(latest["rank"]), of=int(latest["of"])),
        ),
        Metric(t("streak_label"), t("times", n=hist.streak)),
    ]
    ranks = {c: [None if v is pd.NA else int(v) for v in hist.table[c]] for c in hist.table.columns if c != "period"}
    figure = charts.rank_history(list(hist.table["period"]), {term(c): v for c, v in ranks.items()})
    series = "; ".join(
        f"{term(c)}: " + ", ".join(t("rank_of", period=p, rank=r) for p, r in zip(hist.table["period"], v, strict=True)
                                   if r is not None)
        for c, v in ranks.items()
    )  # fmt: skip
    return RankCard(code, name, cards, figure, hist.table, t("alt_rank_history", district=name, series=series))
