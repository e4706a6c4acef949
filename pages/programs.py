"""Programs (사업별 실적): the program table with filters; selecting a row drills down to the program."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t
from kpi.views import charts
from kpi.views import programs as pv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_programs", report)
table = pv.program_table(report, filters.unit)
if table.empty:
    st.info(t("no_data"))
    st.stop()

col = pv.table_columns(filters.unit)
c1, c2, c3 = st.columns(3)
teams = c1.multiselect(t("team"), sorted(table[col.team].unique()), key="p_team")
cats = c2.multiselect(t("category"), sorted(table[col.category].unique()), key="p_cat")
stats = c3.multiselect(t("status"), sorted(table[col.status].unique()), key="p_status")
shown = pv.filter_table(table, teams, cats, stats)

event = st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_order=[c for c in shown.columns if c != "id"],
    column_config={
        **{c: st.column_config.NumberColumn(c, format="localized") for c in (col.budget, col.executed)},
        col.rate: st.column_config.ProgressColumn(col.rate, format="%.1f%%", min_value=0, max_value=100),
        col.trend: st.column_config.LineChartColumn(col.trend, y_min=0, y_max=100),
    },
    key="p_table",
    on_select="rerun",
    selection_mode="single-row",
    placeholder="-",
)
ui.data_view(shown.drop(columns=["id", col.trend]), t("file_programs"), "p_table_dl")

names = pv.program_names(shown)
rows = event.selection.rows if event is not None else []
if rows:  # a row picked in the table drives the drill-down picker
    st.session_state["p_pick"] = int(shown.iloc[rows[0]]["id"])
ui.seed_from_url("p_pick", "program", list(names), int)
if st.session_state.get("p_pick") not in names:
    st.session_state.pop("p_pick", None)
pick = st.selectbox(t("pick_program"), list(names), format_func=names.__getitem__, key="p_pick", index=None)
ui.keep_in_url(program=pick)
if pick is None:
    st.stop()

detail = ui.cached_view(pv.program_detail)(report, int(pick))
st.subheader(md(detail.name))
ui.sample_banner(bool(detail.metrics["is_sample"].any()))

# The reason and action (사유·조치계획) of the month the data is from, and every month's (staff enter them on the
# upload page).
with st.container(border=True):
    st.markdown(f"**{t('reason_title')}** · {t('month_short', month=detail.month or '-')}")
    if detail.note is not None:
        for key in ("reason", "action"):
            text = getattr(detail.note, key)
            if text:  # each line escaped on its own (md makes a line start no block), kept as a line break
                st.markdown(f"**{t(key)}** " + "  \n".join(md(line) for line in text.splitlines() if line.strip()))
        sample = f" · {t('sample_short')}" if detail.note.is_sample else ""
        st.caption(t("reason_by", month=detail.note.month, who=md(detail.note.by)) + sample)
    elif detail.needs_reason:
        st.markdown(f":red-badge[{t('reason_missing')}] {t('reason_none_program', month=detail.month or '-')}")
    else:
        st.caption(t("reason_none_program", month=detail.month or "-"))
    if len(detail.reasons):
        with st.expander(t("reason_history")):
            st.dataframe(detail.reasons, hide_index=True, width="stretch")
left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{t('program_trend')}**")
    for trend in pv.metric_trends(detail, filters.unit):
        fig = ui.figure(charts.metric_trend, trend.months, trend.values, trend.label, trend.unit, trend.target)
        ui.chart(fig, trend.data, f"{detail.name}_{trend.label}", f"p_m_{trend.metric}", False)
with right:
    st.markdown(f"**{t('program_funding')}**")
    if detail.funding.empty:
        st.caption(t("no_data"))
    else:
        funding = pv.funding_chart(detail, filters.unit)
        fig = ui.figure(charts.stacked_by_source, [detail.name[:14]], funding.by_source, filters.unit)
        ui.chart(fig, funding.data, t("file_funding", name=detail.name), "p_fund", False)
    st.markdown(f"**{t('program_uploads')}**")
    st.dataframe(detail.uploads, hide_index=True, width="stretch")
