"""Districts (자치구 비교): employment and female employment rates across the 25 districts by half-year, ranks and
streak, tile map, targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpi.domain import catalog, districts
from kpi.domain.units import fmt_pct
from kpi.i18n import t, term
from kpi.views import charts
from kpi.views import districts as dv
from kpi.views.tilemap import tile_figure
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_districts", report)
own = districts.BY_SIG[filters.district].name

c1, c2, c3 = st.columns(3)
ui.seed_from_url("d_ind", "indicator", list(catalog.SURVEY_INDICATORS))
ui.seed_from_url("d_basis", "basis", list(catalog.BASES))
indicator = c1.selectbox(
    t("indicator"),
    list(catalog.SURVEY_INDICATORS),
    format_func=lambda c: term(catalog.SURVEY_INDICATORS[c]),
    key="d_ind",
)
basis = c2.selectbox(t("basis"), list(catalog.BASES), format_func=lambda b: term(catalog.BASES[b]), key="d_basis")
label = catalog.SURVEY_INDICATORS[indicator]
ranked = ui.cached_view(dv.survey_ranked)(indicator, basis, filters.as_of)
if ranked.empty:
    st.info(t("no_data"))
    st.stop()
periods = list(dict.fromkeys(ranked["period"]))
ui.seed_from_url("d_period", "period", periods)
if st.session_state.get("d_period") not in periods:
    st.session_state.pop("d_period", None)
period = c3.selectbox(t("period"), periods[::-1], key="d_period")
ui.keep_in_url(indicator=indicator, basis=basis, period=period)
now = ranked[ranked["period"] == period].sort_values("rank")
year = int(now["year"].iloc[0])
label_ui = term(label)
table = dv.period_table(now, label)
targets = ui.cached_view(dv.targets_for)(indicator, basis, year)
st.caption(t("basis_note", basis=term(catalog.BASES[basis])) + " · " + t("selection_hint"))

# The cross-filter: districts clicked on the tile map or the bars (kept in the URL as ?sel=11560,11440).
chosen = ui.selection("d_sel", "sel", [d.sig_cd for d in districts.DISTRICTS])
first, last = now.iloc[0], now.iloc[-1]
alt = dv.period_alt(now, filters.district, term(label), period, term(catalog.BASES[basis]))


def _tile_codes(points: list[dict]) -> list[str]:
    codes = [p.get("customdata") for p in points]
    return [c for c in codes if isinstance(c, str) and c in districts.BY_SIG]


def _bar_codes(points: list[dict]) -> list[str]:
    return [districts.BY_NAME[p["x"]].sig_cd for p in points if p.get("x") in districts.BY_NAME]


left, right = st.columns([3, 2])
with right:
    st.header(t("tile_map"), divider=False)
    values = dict(zip(now["district_cd"], now["value"].astype(float), strict=True))
    flags = dict(zip(now["district_cd"], now["is_sample"].astype(bool), strict=True))
    fig = ui.figure(tile_figure, values, filters.district, f"{label_ui} ({period})", flags, chosen)
    ui.select_chart(
        fig,
        table,
        t("file_tiles", label=term(label), period=period),
        "d_sel",
        "d_tiles",
        _tile_codes,
        t("alt_tiles") + alt,
    )
with left:
    st.header(f"{label_ui} · {period} · {term(catalog.BASES[basis])}", divider=False)
    fig = ui.figure(
        charts.district_bars,
        list(now["name"]),
        list(now["value"].astype(float)),
        own,
        list(now["is_sample"].astype(bool)),
        label_ui,
        targets,
        [districts.BY_SIG[c].name for c in chosen],
    )
    ui.select_chart(fig, table, f"{label}_{period}", "d_sel", "d_bars", _bar_codes, alt)

ui.selection_bar("d_sel", [districts.BY_SIG[c].name for c in chosen])
focus = chosen or [filters.district]

for code in focus[:3]:
    name = districts.BY_SIG[code].name
    hist = ui.cached_view(dv.rank_history)(code, basis, filters.as_of)
    st.header(t("rank_history", district=name))
    if hist.table.empty:
        st.caption(t("no_data"))
        continue
    mine = ranked[ranked["district_cd"] == code]
    cols = st.columns(3)
    latest = mine.iloc[-1]
    cols[0].metric(f"{label_ui} ({latest['period']})", fmt_pct(float(latest["value"])), border=True)
    cols[1].metric(
        t("employment_rank") if indicator == "employment_rate" else t("rank_label", label=label_ui),
        t("rank_value", rank=int(latest["rank"]), of=int(latest["of"])),
        border=True,
    )
    cols[2].metric(t("streak_label"), t("times", n=hist.streak), border=True)
    ranks = {c: [None if v is pd.NA else int(v) for v in hist.table[c]] for c in hist.table.columns if c != "period"}
    fig = ui.figure(charts.rank_history, list(hist.table["period"]), {term(c): v for c, v in ranks.items()})
    series = "; ".join(
        f"{term(c)}: " + ", ".join(t("rank_of", period=p, rank=r) for p, r in zip(hist.table["period"], v, strict=True)
                                   if r is not None)
        for c, v in ranks.items()
    )  # fmt: skip
    alt_hist = t("alt_rank_history", district=name, series=series)
    ui.chart(fig, hist.table, t("file_rank_history", name=name), f"d_rank_{code}", select=False, alt=alt_hist)
