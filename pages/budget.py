"""예산 집행: programs with sub-programs, funding split, cumulative execution vs pace, year-end projection.

Clicking a program's bar (or box-selecting several) filters the funding chart and the monthly execution to it; a
unit program's selection includes its sub-programs. The selection is kept in the URL (?programs=3,7)."""

from __future__ import annotations

import streamlit as st

from kpi.domain.units import fmt_number, fmt_pct, fmt_pp, round_half_up, to_unit
from kpi.i18n import t, term, unit_label
from kpi.settings import load_settings
from kpi.views import budget as bv
from kpi.views import charts
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

ids_all = [int(i) for i in progs["id"]]
chosen = [int(i) for i in ui.selection("b_sel", "programs", ids_all)]
with_subs = bv.with_sub_programs(progs, chosen)


def _program_ids(points: list[dict]) -> list[str]:
    return [str(ids_all[int(p["point_index"])]) for p in points if 0 <= int(p.get("point_index", -1)) < len(ids_all)]


left, right = st.columns([3, 2])
with left:
    st.header(t("budget_programs"))
    fig = ui.figure(
        charts.program_bars,
        list(progs["label"]),
        [to_unit(v, unit) for v in progs["budget"]],
        [to_unit(v, unit) for v in progs["executed"]],
        list(progs["rate"]),
        list(progs["color"]),
        list(progs["is_sample"]),
        unit_label(unit),
        [ids_all.index(i) for i in chosen],
    )
    data = progs.assign(
        budget=[round_half_up(to_unit(v, unit), 0) for v in progs["budget"]],
        executed=[round_half_up(to_unit(v, unit), 0) for v in progs["executed"]],
        rate=[round_half_up(v, 1) for v in progs["rate"]],
    ).rename(columns={"budget": f"예산액({unit})", "executed": f"집행액({unit})", "rate": "집행률(%)"})
    low = progs.loc[progs["rate"].idxmin()] if progs["rate"].notna().any() else None
    high = progs.loc[progs["rate"].idxmax()] if progs["rate"].notna().any() else None
    alt = t(
        "alt_budget_programs",
        n=len(progs),
        unit=unit_label(unit),
        low="-" if low is None else low["name"],
        low_v="-" if low is None else fmt_pct(low["rate"]),
        high="-" if high is None else high["name"],
        high_v="-" if high is None else fmt_pct(high["rate"]),
        total=fmt_pct(report.execution_rate),
    )
    shown = data.drop(columns=["id", "label", "color", "parent_id"])
    ui.select_chart(fig, shown, "단위사업별_예산집행", "b_sel", "b_bars", _program_ids, alt)

ui.selection_bar("b_sel", list(progs.set_index("id").loc[chosen, "name"]) if chosen else [])

with right:
    st.header(t("budget_sources"))
    fund = ui.view("kpi.views.budget.funding", report, with_subs or None)
    if chosen:
        st.caption(t("sel_programs_funding"))
    if fund.empty:
        st.caption(t("no_data"))
    else:
        labels = {s: term(lab) for s, lab in bv.source_columns(fund).items()}
        by = {lab: [to_unit(v, unit) or 0 for v in fund[s].fillna(0)] for s, lab in labels.items()}
        fig = ui.figure(charts.stacked_by_source, [n[:16] for n in fund["program"]], by, unit_label(unit))
        data = fund[["program", "total", *labels]].rename(columns={"program": "사업명", "total": "계", **labels})
        for col in ["계", *labels.values()]:
            data[col] = [round_half_up(to_unit(v, unit), 0) for v in data[col]]
        parts = [
            f"{name} {fmt_number(to_unit(total, unit))} ("
            + ", ".join(f"{lab} {fmt_number(to_unit(row[s], unit))}" for s, lab in labels.items() if row[s] == row[s])
            + ")"
            for name, total, row in zip(fund["program"], fund["total"], fund.to_dict("records"), strict=True)
        ]
        alt = t("alt_sources", unit=unit_label(unit), parts="; ".join(parts))
        ui.chart(fig, data, "재원별_예산", "b_sources", select=False, alt=alt)

st.header(t("budget_cumulative"))
one = chosen[0] if len(chosen) == 1 else None
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
    None if first is None else t("vs_target", pp=fmt_pp(first - rapid)),
    help=t("rapid_status", target=fmt_pct(rapid), actual=fmt_pct(first)),
    border=True,
)
if cum.projection_rate:
    value, low_p, high_p = cum.projection_rate
    text = t("projection", value=fmt_pct(value), low=fmt_pct(low_p), high=fmt_pct(high_p), n=cum.projection.months_used)
    label = t("projection_label") + (f" ({t('sample_short')})" if cum.projection.is_sample else "")
    cols[1].metric(label, fmt_pct(value), help=text, border=True)
    cols[1].caption(text)
alt = t(
    "alt_cumulative",
    months=", ".join(
        f"{t('month_short', month=int(mo))} {fmt_pct(r)}" for mo, r in zip(m["month"], m["rate"], strict=True)
    ),
    pace=fmt_pct(float(m["pace"].iloc[-1])) if len(m) else "-",
)
ui.chart(fig, data, "월별_누계집행", "b_cum", select=False, alt=alt)
