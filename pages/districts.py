"""Districts (자치구 비교): employment and female employment rates across the 25 districts by half-year, ranks and
streak, tile map, targets."""

from __future__ import annotations

import streamlit as st

from kpi.domain import catalog, districts
from kpi.i18n import t, term
from kpi.views import districts as dv
from kpi.views import peers as pv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_districts", report)

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


def _tile_codes(points: list[dict]) -> list[str]:
    codes = [p.get("customdata") for p in points]
    return [c for c in codes if isinstance(c, str) and c in districts.BY_SIG]


def _bar_codes(points: list[dict]) -> list[str]:
    return [districts.BY_NAME[p["x"]].sig_cd for p in points if p.get("x") in districts.BY_NAME]


label = catalog.SURVEY_INDICATORS[indicator]
periods = ui.screen(dv.screen)(filters, indicator, basis).periods
if not periods:
    st.info(t("no_data"))
else:
    ui.seed_from_url("d_period", "period", periods)
    if st.session_state.get("d_period") not in periods:
        st.session_state.pop("d_period", None)
    period = c3.selectbox(t("period"), periods[::-1], key="d_period")
    ui.keep_in_url(indicator=indicator, basis=basis, period=period)
    st.caption(t("basis_note", basis=term(catalog.BASES[basis])) + " · " + t("selection_hint"))

    # The cross-filter: districts clicked on the tile map or the bars (kept in the URL as ?sel=11560,11440).
    chosen = tuple(ui.selection("d_sel", "sel", [d.sig_cd for d in districts.DISTRICTS]))
    view = ui.screen(dv.period_screen)(filters, indicator, basis, period, chosen)

    left, right = st.columns([3, 2])
    with right:
        st.header(t("tile_map"), divider=False)
        file = t("file_tiles", label=view.label, period=period)
        ui.select_chart(view.tiles, view.table, file, "d_sel", "d_tiles", _tile_codes, t("alt_tiles") + view.alt)
    with left:
        st.header(f"{view.label} · {period} · {view.basis}", divider=False)
        ui.select_chart(view.bars, view.table, f"{label}_{period}", "d_sel", "d_bars", _bar_codes, view.alt)

    ui.selection_bar("d_sel", view.selected_names)

    for card in view.histories:
        st.header(t("rank_history", district=card.name))
        if card.figure is None:
            st.caption(t("no_data"))
            continue
        for col, metric in zip(st.columns(3), card.cards, strict=True):
            col.metric(metric.label, metric.value, border=True)
        file = t("file_rank_history", name=card.name)
        ui.chart(card.figure, card.table, file, f"d_rank_{card.code}", select=False, alt=card.alt)


@st.fragment
def peer_comparison() -> None:
    """One 분야/부문's execution rate across the 시군구 (지방재정365): a choice here redraws only this part."""
    st.header(t("peer_title"))
    options = ui.screen(pv.choices)(filters)
    if options.as_of is None:
        first = options.snapshots[0].isoformat() if options.snapshots else ""
        st.info(
            t("peer_later_only", as_of=filters.as_of.isoformat(), first=first)
            if first
            else t("peer_none", year=filters.year)
        )
        return
    c1, c2, c3 = st.columns([2, 2, 1])
    fields = list(options.sectors)
    if st.session_state.get("d_peer_field") not in fields:
        st.session_state["d_peer_field"] = options.default[0]
    field = c1.selectbox(t("peer_field"), fields, key="d_peer_field")
    parts = [pv.ALL_PARTS, *options.sectors[field]]
    if st.session_state.get("d_peer_part") not in parts:
        st.session_state["d_peer_part"] = options.default[1] if options.default[1] in parts else parts[-1]
    part = c2.selectbox(t("peer_part"), parts, format_func=lambda p: p or t("peer_all_parts"), key="d_peer_part")
    national = c3.toggle(t("peer_national"), key="d_peer_national") if options.national else False
    view = ui.screen(pv.comparison)(filters, options.as_of, field, part, national)
    st.caption(md(view.caption))
    if view.figure is None:
        st.caption(t("no_data"))
        return
    ui.sample_banner(view.sample)
    for col, card in zip(st.columns(len(view.cards)), view.cards, strict=True):
        col.metric(card.label, card.value, border=True)
    file = t("file_peers", sector=f"{field}_{part or t('peer_all_parts')}")
    ui.chart(view.figure, view.table, file, "d_peers", select=False, alt=view.alt)


st.divider()
peer_comparison()
