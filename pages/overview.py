"""Overview (종합 현황): headline KPIs of the chosen district, year and as-of date, and the programs that need
attention."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import status_label, t
from kpi.views import charts, overview
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
ui.page_header("nav_overview", report)
for note in report.notes:
    if note.startswith("missing_months:"):
        st.info(t("missing_months", months=note.split(":")[1], data_month=report.data_month))
checks = overview.data_checks(report, ui.current_filters().unit)
if checks:
    with st.expander(t("data_checks", n=len(checks)), icon=":material/rule:"):
        for line in checks:
            st.caption(md(line))

# Last year at the month the data is from (not the as-of month, which may lie past the data): like for like.
compare_at = overview.comparison_as_of(report)
last_year = ui.report_for(filters, compare_at.year, compare_at) if compare_at else None
compare = overview.comparisons(report, last_year)
projection = overview.projection_line(report)
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
        if compare.get(card.key):  # computed text, escaped all the same ('~' would strike through)
            st.caption(md(compare[card.key]))
        if card.key == "execution" and projection:
            st.caption(md(projection))

if report.programs.empty:
    st.info(t("no_data"))
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(t("attention"))
    items = overview.attention(report, unit=filters.unit)
    if not items:
        st.success(t("attention_none"))
    for item in items:
        st.markdown(f":{item.badge}-badge[{md(status_label(item.status))}] **{md(item.name)}** — {md(item.reason)}")
        if item.note is not None:
            lines = [f"↳ **{t(k)}** {md(getattr(item.note, k))}" for k in ("reason", "action") if getattr(item.note, k)]
            st.markdown("  \n".join(lines))
            st.caption(t("reason_by", month=item.note.month, who=md(item.note.by)))
        elif item.needs_reason:
            ask = f" {t('reason_ask', team=md(item.team))}" if item.team else ""
            st.markdown(f"↳ :red-badge[{t('reason_missing')}]{ask}")
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
    ui.chart(fig, overview.trend_data(report), t("file_trend"), "o_trend", select=False)
    if m["executed_sample"].any():
        st.caption(t("hatched_sample", label=t("sample_badge")))

# Full width, the total (계) first: budget, executed and rate stay in view at 1366 px.
st.subheader(t("programs_table"))
table = overview.program_table(report, filters.unit)
right_aligned = [c for c in table.columns if c.startswith((t("budget"), t("executed")))]
right_aligned += [t("execution_rate"), t("gap_to_pace")]
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=35 * (len(table) + 1) + 3,  # every program in view, no inner scroll
    column_config={
        t("program"): st.column_config.TextColumn(t("program"), width=300, pinned=True),
        **{c: st.column_config.TextColumn(c, alignment="right") for c in right_aligned},
    },
)
