"""예산 집행: programs with sub-programs, funding split, cumulative execution vs pace, year-end projection."""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import t
from kpi.safe_text import md
from kpi.settings import load_settings
from kpi.units import fmt_pct, fmt_pp, round_half_up, to_unit
from kpi.views import budget as bv
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
unit = filters.unit
ui.page_header("nav_budget", report)
progs = ui.view("kpi.views.budget.program_frame", report)
if progs.empty:
    st.info(t("no_data"))
    st.stop()
st.caption(t("selection_hint"))

left, right = st.columns([3, 2])
with left:
    st.subheader(t("budget_programs"))
    fig = ui.figure(
        charts.program_bars,
        list(progs["label"]),
        [to_unit(v, unit) for v in progs["budget"]],
        [to_unit(v, unit) for v in progs["executed"]],
        list(progs["rate"]),
        list(progs["color"]),
        list(progs["is_sample"]),
        unit,
    )
    data = progs.assign(
        budget=[round_half_up(to_unit(v, unit), 0) for v in progs["budget"]],
        executed=[round_half_up(to_unit(v, unit), 0) for v in progs["executed"]],
        rate=[round_half_up(v, 1) for v in progs["rate"]],
    ).rename(
        columns={"name": "사업명", "budget": f"예산액({unit})", "executed": f"집행액({unit})", "rate": "집행률(%)"}
    )
    points = ui.chart(fig, data.drop(columns=["id", "label", "color"]), "단위사업별_예산집행", "b_bars")

picked = sorted({int(p["point_index"]) for p in points if "point_index" in p})
ids = [int(progs["id"].iloc[i]) for i in picked]
chosen = progs[progs["id"].isin(ids)]
if ids:
    st.info(t("selected", what=", ".join(md(n) for n in chosen["name"])))

with right:
    st.subheader(t("budget_sources"))
    fund = ui.view("kpi.views.budget.funding", report, ids or None)
    if fund.empty:
        st.caption(t("no_data"))
    else:
        labels = bv.source_columns(fund)
        by = {lab: [to_unit(v, unit) or 0 for v in fund[s].fillna(0)] for s, lab in labels.items()}
        fig = ui.figure(charts.stacked_by_source, [n[:16] for n in fund["program"]], by, unit)
        data = fund[["program", "total", *labels]].rename(columns={"program": "사업명", "total": "계", **labels})
        for col in ["계", *labels.values()]:
            data[col] = [round_half_up(to_unit(v, unit), 0) for v in data[col]]
        ui.chart(fig, data, "재원별_예산", "b_sources", select=False)

st.subheader(t("budget_cumulative"))
one = ids[0] if len(ids) == 1 else None
cum = bv.cumulative(report, one)
rapid = load_settings().rapid_target
m = cum.monthly
fig = ui.figure(
    charts.execution_vs_pace,
    list(m["month"]),
    list(m["rate"]),
    list(m["pace"]),
    list(m["is_sample"]),
    rapid_target=rapid,
    projection=cum.projection_rate,
)
data = m.assign(executed=[round_half_up(to_unit(v, unit), 0) for v in m["executed"]]).rename(
    columns={
        "month": "월",
        "executed": f"집행액 누계({unit})",
        "rate": "누계 집행률(%)",
        "pace": "경과율(%)",
        "is_sample": "표본",
    }
)
cols = st.columns(2)
first = cum.first_half_rate
cols[0].metric(
    t("rapid_label"),
    fmt_pct(first),
    None if first is None else f"{fmt_pp(first - rapid)} 목표 대비",
    help=t("rapid_status", target=fmt_pct(rapid), actual=fmt_pct(first)),
    border=True,
)
if cum.projection_rate:
    value, low, high = cum.projection_rate
    text = t("projection", value=fmt_pct(value), low=fmt_pct(low), high=fmt_pct(high), n=cum.projection.months_used)
    cols[1].metric(t("projection_label"), fmt_pct(value), help=text, border=True)
    cols[1].caption(text)
ui.chart(fig, data, "월별_누계집행", "b_cum", select=False)
