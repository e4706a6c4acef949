"""Programs (사업별 실적): the program table with filters; selecting a row drills down to the program."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t
from kpi.views import programs as pv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
# The multiselects' choices are kept by their keys: read before they are drawn, they pick the screen's rows.
chosen = tuple(tuple(st.session_state.get(k) or ()) for k in ("p_team", "p_cat", "p_status"))
view = ui.screen(pv.screen)(filters, *chosen)
ui.page_header("nav_programs", view.report)
if view.report.programs.empty:
    st.info(t("no_data"))
    st.stop()

col = view.columns
c1, c2, c3 = st.columns(3)
teams = c1.multiselect(t("team"), view.teams, key="p_team")
cats = c2.multiselect(t("category"), view.categories, key="p_cat")
stats = c3.multiselect(t("status"), view.statuses, key="p_status")
if (tuple(teams), tuple(cats), tuple(stats)) != chosen:  # not yet in session state (a first run): as chosen now
    view = ui.screen(pv.screen)(filters, tuple(teams), tuple(cats), tuple(stats))
shown = view.shown

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
ui.data_view(view.shown_data, t("file_programs"), "p_table_dl")

rows = event.selection.rows if event is not None else []
if rows:  # a row picked in the table drives the drill-down picker
    st.session_state["p_pick"] = int(shown.iloc[rows[0]]["id"])


@st.fragment
def drill_down() -> None:
    """The program picker and the picked program's drill-down: another pick redraws only this part."""
    names = view.names
    ui.seed_from_url("p_pick", "program", list(names), int)
    if st.session_state.get("p_pick") not in names:
        st.session_state.pop("p_pick", None)
    pick = st.selectbox(t("pick_program"), list(names), format_func=names.__getitem__, key="p_pick", index=None)
    ui.keep_in_url(program=pick)
    if pick is None:
        return
    drill = ui.screen(pv.detail_screen)(filters, int(pick))
    detail = drill.detail
    st.subheader(md(detail.name))
    ui.sample_banner(drill.sample)

    # The reason and action (사유·조치계획) of the month the data is from, and every month's (staff enter them on
    # the upload page).
    with st.container(border=True):
        st.markdown(f"**{t('reason_title')}** · {t('month_short', month=detail.month or '-')}")
        if detail.note is not None:
            for line in drill.note_lines:
                st.markdown(line)
            st.caption(drill.note_caption or "")
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
        for trend, fig in drill.trends:
            ui.chart(fig, trend.data, f"{detail.name}_{trend.label}", f"p_m_{trend.metric}", False)
    with right:
        st.markdown(f"**{t('program_funding')}**")
        if drill.funding is None or drill.funding_figure is None:
            st.caption(t("no_data"))
        else:
            file = t("file_funding", name=detail.name)
            ui.chart(drill.funding_figure, drill.funding.data, file, "p_fund", False)
        st.markdown(f"**{t('program_uploads')}**")
        st.dataframe(detail.uploads, hide_index=True, width="stretch")


drill_down()
