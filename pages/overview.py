"""종합 현황: headline KPIs of the chosen district, year and as-of date."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from kpi import colors, overview
from kpi.i18n import t
from kpi.units import round_half_up
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)

st.title(f"{t('nav_overview')} · {report.district_name} {report.year}년")
last = report.last_upload
freshness = (
    t(
        "freshness",
        as_of=report.as_of.isoformat(),
        when=f"{last['uploaded_at']:%Y-%m-%d %H:%M}",
        who=last["uploaded_by"],
        file=last["filename"],
    )
    if last
    else t("no_upload")
)
st.caption(freshness)
ui.sample_banner(report.includes_sample)
for note in report.notes:
    if note.startswith("missing_months:"):
        st.info(t("missing_months", months=note.split(":")[1], data_month=report.data_month))

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

if report.programs.empty:
    st.info(t("no_data"))
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(t("programs_table"))
    st.dataframe(overview.program_table(report, filters.unit), hide_index=True, width="stretch")
with right:
    st.subheader(t("monthly_trend"))
    m = report.monthly
    fig = go.Figure()
    sample = m["executed_sample"].tolist()
    fig.add_bar(
        x=[f"{v}월" for v in m["month"]],
        y=[round_half_up(v, 1) for v in m["execution_rate"]],
        name=t("execution_rate"),
        marker_color=colors.EXECUTION,
        marker_pattern_shape=["/" if s else "" for s in sample],
        customdata=[t("sample_short") if s else "" for s in sample],
        hovertemplate="%{x} 집행률 %{y:.1f}% %{customdata}<extra></extra>",
    )
    fig.add_scatter(
        x=[f"{v}월" for v in m["month"]],
        y=[round_half_up(v, 1) for v in m["pace"]],
        name=t("pace"),
        mode="lines+markers",
        line={"color": colors.PACE, "dash": "dash"},
        hovertemplate="%{x} 경과율 %{y:.1f}%<extra></extra>",
    )
    fig.update_layout(yaxis_title="%", height=380, margin={"t": 20, "b": 20}, legend={"orientation": "h"})
    st.plotly_chart(fig, width="stretch")
    if any(sample):
        st.caption(f"빗금 막대: {t('sample_badge')}")
