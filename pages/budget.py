"""Budget (예산 집행): programs with sub-programs, funding split, cumulative execution vs pace, year-end projection.

Clicking a program's bar (or box-selecting several) filters the funding chart and the monthly execution to it; a
unit program's selection includes its sub-programs. The selection is kept in the URL (?programs=3,7)."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t
from kpi.views import budget as bv
from pages import _ui as ui

filters = ui.current_filters()
progs = ui.screen(bv.programs_screen)(filters)
report = ui.report(filters)
ui.page_header("nav_budget", report)
if progs.empty:
    st.info(t("no_data"))
    st.stop()
st.caption(t("selection_hint"))

ids_all = [int(i) for i in progs["id"]]
chosen = tuple(int(i) for i in ui.selection("b_sel", "programs", [str(i) for i in ids_all]))
view = ui.screen(bv.screen)(filters, chosen)


def _program_ids(points: list[dict]) -> list[str]:
    """The program ids of the clicked bars."""
    return [str(ids_all[int(p["point_index"])]) for p in points if 0 <= int(p.get("point_index", -1)) < len(ids_all)]


left, right = st.columns([3, 2])
with left:
    st.header(t("budget_programs"))
    bars = view.bars
    ui.select_chart(view.bars_figure, bars.data, t("file_budget_programs"), "b_sel", "b_bars", _program_ids, bars.alt)

ui.selection_bar("b_sel", view.selected_names)

with right:
    st.header(t("budget_sources"))
    if chosen:
        st.caption(t("sel_programs_funding"))
    if view.funding is None or view.funding_figure is None:
        st.caption(t("no_data"))
    else:
        sources = view.funding
        ui.chart(view.funding_figure, sources.data, t("file_sources"), "b_sources", select=False, alt=sources.alt)

st.header(t("budget_cumulative"))
for col, card in zip(st.columns(2), view.cards, strict=False):  # the projection card only when there is one
    col.metric(card.label, card.value, card.delta, help=card.help, border=True)
    if card.caption:
        col.caption(card.caption)
ui.chart(
    view.cumulative_figure, view.cumulative_data, t("file_cumulative"), "b_cum", select=False, alt=view.cumulative_alt
)
