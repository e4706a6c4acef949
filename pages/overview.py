"""Overview (종합 현황): headline KPIs of the chosen district, year and as-of date, and the programs that need
attention."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t
from kpi.views import overview
from pages import _ui as ui

filters = ui.current_filters()
view = ui.screen(overview.screen)(filters)
report = view.report
ui.page_header("nav_overview", report)
for line in view.missing_months:
    st.info(line)
if view.checks:
    with st.expander(t("data_checks", n=len(view.checks)), icon=":material/rule:"):
        for line in view.checks:
            st.caption(line)

for col, card in zip(st.columns(4), view.cards, strict=True):
    with col:
        st.metric(
            card.label,
            card.value,
            card.delta,
            delta_color=card.delta_color,
            help=card.help,
            border=True,
            chart_data=card.sparkline or None,
            chart_type="area",
        )
        for line in view.captions[card.key]:  # computed text, escaped all the same ('~' would strike through)
            st.caption(line)

if report.programs.empty:
    st.info(t("no_data"))
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(t("attention"))
    if not view.attention:
        st.success(t("attention_none"))
    for kind, text in view.attention:
        getattr(st, kind)(text)
with right:
    st.subheader(t("monthly_trend"))
    ui.chart(view.trend, view.trend_data, t("file_trend"), "o_trend", select=False)
    if view.trend_hatched:
        st.caption(t("hatched_sample", label=t("sample_badge")))

# Full width, the total (계) first: budget, executed and rate stay in view at 1366 px.
st.subheader(t("programs_table"))
table = view.table
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=35 * (len(table) + 1) + 3,  # every program in view, no inner scroll
    column_config={
        t("program"): st.column_config.TextColumn(t("program"), width=300, pinned=True),
        **{c: st.column_config.TextColumn(c, alignment="right") for c in view.right_aligned},
    },
)
