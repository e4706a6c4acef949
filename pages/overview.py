"""종합 현황: headline KPIs of the chosen district, year and as-of date, and the programs that need attention."""

from __future__ import annotations

import streamlit as st

from kpi import charts, colors, overview
from kpi.i18n import status_label, t
from kpi.report import month_end
from kpi.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_overview", report)
for note in report.notes:
    if note.startswith("missing_months:"):
        st.info(t("missing_months", months=note.split(":")[1], data_month=report.data_month))

last_year = ui.report_for(filters, filters.year - 1, month_end(filters.year - 1, filters.as_of.month))
last_year = last_year if last_year.data_month else None
compare = overview.comparisons(report, last_year)
cols = st.columns(4)
for col, card in zip(cols, overview.cards(report), strict=True):
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
        if compare.get(card.key):
            st.caption(compare[card.key])

if report.programs.empty:
    st.info(t("no_data"))
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(t("attention"))
    items = overview.attention(report)
    if not items:
        st.success(t("attention_none"))
    for item in items:
        badge = colors.STATUS[item.status][0]
        st.markdown(f":{badge}-badge[{md(status_label(item.status))}] **{md(item.name)}** — {md(item.reason)}")
    st.subheader(t("programs_table"))
    st.dataframe(overview.program_table(report, filters.unit), hide_index=True, width="stretch")
with right:
    st.subheader(t("monthly_trend"))
    m = report.monthly
    fig = ui.figure(
        charts.execution_vs_pace,
        list(m["month"]),
        list(m["execution_rate"]),
        list(m["pace"]),
        list(m["executed_sample"].astype(bool)),
        t("sample_short"),
    )
    data = m[["month", "execution_rate", "pace", "executed_sample"]].rename(
        columns={"month": "월", "execution_rate": "누계 집행률(%)", "pace": "경과율(%)", "executed_sample": "표본"}
    )
    ui.chart(fig, data.round(2), "월별_집행률", "o_trend", select=False)
    if m["executed_sample"].any():
        st.caption(f"빗금 막대: {t('sample_badge')}")
