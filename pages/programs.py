"""사업별 실적: the program table with filters; selecting a row drills down to the program."""

from __future__ import annotations

import streamlit as st

from kpi.domain.units import to_unit
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

c1, c2, c3 = st.columns(3)
teams = c1.multiselect(t("team"), sorted(table["담당팀"].unique()), key="p_team")
cats = c2.multiselect(t("category"), sorted(table["분야"].unique()), key="p_cat")
stats = c3.multiselect(t("status"), sorted(table["상태"].unique()), key="p_status")
shown = pv.filter_table(table, teams, cats, stats)

money = [c for c in shown.columns if c.startswith(("예산액", "집행액"))]
event = st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_order=[c for c in shown.columns if c != "id"],
    column_config={
        **{c: st.column_config.NumberColumn(c, format="localized") for c in money},
        "집행률": st.column_config.ProgressColumn("집행률", format="%.1f%%", min_value=0, max_value=100),
        "월별 집행률": st.column_config.LineChartColumn("월별 집행률", y_min=0, y_max=100),
    },
    key="p_table",
    on_select="rerun",
    selection_mode="single-row",
    placeholder="-",
)
ui.data_view(shown.drop(columns=["id", "월별 집행률"]), "사업별_실적", "p_table_dl")

names = dict(zip(shown["id"], shown["사업명"].str.removeprefix("└ "), strict=True))
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

detail = ui.view("kpi.views.programs.program_detail", report, int(pick))
st.subheader(md(detail.name))
ui.sample_banner(bool(detail.metrics["is_sample"].any()))

# 사유·조치계획 of the month the data is from, and every month's (staff enter them on the upload page).
with st.container(border=True):
    st.markdown(f"**{t('reason_title')}** · {detail.month or '-'}월")
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
    for metric, rows_m in detail.metrics.groupby("metric", sort=False):
        money_metric = metric == "executed"
        unit = filters.unit if money_metric else rows_m["unit"].iloc[0]
        values = [to_unit(v, unit) for v in rows_m["value"]] if money_metric else list(rows_m["value"])
        target = detail.targets.get(metric)
        target = to_unit(target, unit) if money_metric and target is not None else target
        label = rows_m["label"].iloc[0]
        fig = ui.figure(charts.metric_trend, list(rows_m["month"]), values, label, unit, target)
        data = rows_m.assign(value=values).rename(columns={"month": "월", "value": f"{label}({unit})"})
        ui.chart(fig, data[["월", f"{label}({unit})", "is_sample"]], f"{detail.name}_{label}", f"p_m_{metric}", False)
with right:
    st.markdown(f"**{t('program_funding')}**")
    f = detail.funding
    if f.empty:
        st.caption(t("no_data"))
    else:
        by = {lab: [to_unit(v, filters.unit)] for lab, v in zip(f["재원"], f["budget"], strict=True)}
        fig = ui.figure(charts.stacked_by_source, [detail.name[:14]], by, filters.unit)
        ui.chart(
            fig,
            f.assign(budget=[to_unit(v, filters.unit) for v in f["budget"]])
            .rename(columns={"budget": f"예산액({filters.unit})"})
            .drop(columns=["source"]),
            f"{detail.name}_재원",
            "p_fund",
            False,
        )
    st.markdown(f"**{t('program_uploads')}**")
    st.dataframe(detail.uploads, hide_index=True, width="stretch")
