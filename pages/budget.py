"""Budget (예산 집행): programs with sub-programs, funding split, cumulative execution vs pace, year-end projection.

Clicking a program's bar (or box-selecting several) filters the funding chart and the monthly execution to it; a
unit program's selection includes its sub-programs. The selection is kept in the URL (?programs=3,7)."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t, unit_label
from kpi.settings import load_settings
from kpi.views import budget as bv
from kpi.views import charts
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
unit = filters.unit
ui.page_header("nav_budget", report)
progs = ui.cached_view(bv.program_frame)(report)
if progs.empty:
    st.info(t("no_data"))
    st.stop()
st.caption(t("selection_hint"))

ids_all = [int(i) for i in progs["id"]]
chosen = [int(i) for i in ui.selection("b_sel", "programs", [str(i) for i in ids_all])]
with_subs = bv.with_sub_programs(progs, chosen)


def _program_ids(points: list[dict]) -> list[str]:
    """The program ids of the clicked bars."""
    return [str(ids_all[int(p["point_index"])]) for p in points if 0 <= int(p.get("point_index", -1)) < len(ids_all)]


left, right = st.columns([3, 2])
with left:
    st.header(t("budget_programs"))
    bars = bv.program_bars(progs, report, unit)
    fig = ui.figure(
        charts.program_bars,
        list(progs["label"]),
        bars.budget,
        bars.executed,
        list(progs["rate"]),
        list(progs["color"]),
        list(progs["is_sample"]),
        unit_label(unit),
        [ids_all.index(i) for i in chosen],
    )
    ui.select_chart(fig, bars.data, t("file_budget_programs"), "b_sel", "b_bars", _program_ids, bars.alt)

ui.selection_bar("b_sel", list(progs.set_index("id").loc[chosen, "name"]) if chosen else [])

with right:
    st.header(t("budget_sources"))
    fund = ui.cached_view(bv.funding)(report, with_subs or None)
    if chosen:
        st.caption(t("sel_programs_funding"))
    if fund.empty:
        st.caption(t("no_data"))
    else:
        sources = bv.source_bars(fund, unit)
        fig = ui.figure(charts.stacked_by_source, sources.programs, sources.by_source, unit_label(unit))
        ui.chart(fig, sources.data, t("file_sources"), "b_sources", select=False, alt=sources.alt)

st.header(t("budget_cumulative"))
cum = bv.cumulative(report, chosen[0] if len(chosen) == 1 else None)
m = cum.monthly
fig = ui.figure(
    charts.execution_vs_pace,
    list(m["month"]),
    list(m["rate"]),
    list(m["pace"]),
    list(m["is_sample"]),
    rapid_target=load_settings().rapid_target,
    projection=cum.projection_rate,
)
cols = st.columns(2)
for col, card in zip(
    cols, (bv.rapid_metric(cum, load_settings().rapid_target), bv.projection_metric(cum)), strict=True
):
    if card is not None:
        col.metric(card.label, card.value, card.delta, help=card.help, border=True)
        if card.caption:
            col.caption(card.caption)
ui.chart(fig, bv.cumulative_data(cum, unit), t("file_cumulative"), "b_cum", select=False, alt=bv.cumulative_alt(cum))
