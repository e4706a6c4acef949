"""자치구 비교: 고용률·여성고용률 across the 25 districts by half-year, ranks and streak, tile map, targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kpi import catalog, charts, districts
from kpi.i18n import t
from kpi.tilemap import tile_figure
from kpi.units import fmt_pct
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_districts", report)
own = districts.BY_SIG[filters.district].name

c1, c2, c3 = st.columns(3)
ui.seed_from_url("d_ind", "indicator", list(catalog.SURVEY_INDICATORS))
ui.seed_from_url("d_basis", "basis", list(catalog.BASES))
indicator = c1.selectbox(
    t("indicator"), list(catalog.SURVEY_INDICATORS), format_func=catalog.SURVEY_INDICATORS.get, key="d_ind"
)
basis = c2.selectbox(t("basis"), list(catalog.BASES), format_func=catalog.BASES.get, key="d_basis")
label = catalog.SURVEY_INDICATORS[indicator]
ranked = ui.view("kpi.views.districts.survey_ranked", indicator, basis, filters.as_of)
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
table = now[["name", "value", "rank", "is_sample"]].rename(
    columns={"name": "자치구", "value": f"{label}(%)", "rank": "순위", "is_sample": "표본"}
)
targets = ui.view("kpi.views.districts.targets_for", indicator, basis, year)
st.caption(t("basis_note", basis=catalog.BASES[basis]) + " · " + t("selection_hint"))

left, right = st.columns([3, 2])
with right:
    st.subheader(t("tile_map"))
    values = dict(zip(now["district_cd"], now["value"].astype(float), strict=True))
    flags = dict(zip(now["district_cd"], now["is_sample"].astype(bool), strict=True))
    fig = ui.figure(tile_figure, values, filters.district, f"{label} ({period})", flags)
    tiles = ui.chart(
        fig,
        table,
        f"{label}_{period}_타일",
        "d_tiles",
    )
with left:
    st.subheader(f"{label} · {period} · {catalog.BASES[basis]}")
    fig = ui.figure(
        charts.district_bars,
        list(now["name"]),
        list(now["value"].astype(float)),
        own,
        list(now["is_sample"].astype(bool)),
        label,
        targets,
    )
    bars = ui.chart(
        fig,
        table,
        f"{label}_{period}",
        "d_bars",
    )

chosen = {p["customdata"] for p in tiles if isinstance(p.get("customdata"), str)}
chosen |= {districts.BY_NAME[p["x"]].sig_cd for p in bars if p.get("x") in districts.BY_NAME}
focus = sorted(chosen) or [filters.district]
if chosen:
    st.info(t("selected", what=", ".join(districts.BY_SIG[c].name for c in focus)))

for code in focus[:3]:
    name = districts.BY_SIG[code].name
    hist = ui.view("kpi.views.districts.rank_history", code, basis, filters.as_of)
    st.subheader(t("rank_history", district=name))
    if hist.table.empty:
        st.caption(t("no_data"))
        continue
    mine = ranked[ranked["district_cd"] == code]
    cols = st.columns(3)
    latest = mine.iloc[-1]
    cols[0].metric(f"{label} ({latest['period']})", fmt_pct(float(latest["value"])), border=True)
    cols[1].metric(
        t("employment_rank") if indicator == "employment_rate" else f"{label} 순위",
        t("rank_value", rank=int(latest["rank"]), of=int(latest["of"])),
        border=True,
    )
    cols[2].metric("연속 1위 (고용률·여성고용률)", f"{hist.streak}회", border=True)
    fig = ui.figure(
        charts.rank_history,
        list(hist.table["period"]),
        {c: [None if v is pd.NA else int(v) for v in hist.table[c]] for c in hist.table.columns if c != "period"},
    )
    ui.chart(fig, hist.table, f"{name}_순위추이", f"d_rank_{code}", select=False)
