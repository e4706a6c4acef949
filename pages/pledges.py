"""공약·목표 이행: pledge fulfilment and budget by source and year; 목표공시제 targets and categories."""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import t
from kpi.safe_text import md
from kpi.units import fmt_number, fmt_pct, round_half_up, to_unit
from kpi.views import pledges as plv
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
unit = filters.unit
ui.page_header("nav_pledges", report)

items = ui.view("kpi.breakdowns.pledge_table", filters.district)
yearly = ui.view("kpi.breakdowns.pledge_yearly", filters.district)
budget = ui.view("kpi.breakdowns.pledge_budget", filters.district)
if items.empty:
    st.info(t("no_data"))
else:
    ui.sample_banner(bool(items["is_sample"].any()))
    for pledge, rows in items.groupby("pledge", sort=False):
        st.subheader(md(pledge))
        cols = st.columns(max(2, len(rows)))
        for col, r in zip(cols, rows.itertuples(), strict=False):
            col.metric(
                f"{t('pledge_fulfilment')} · {md(r.item)}",
                fmt_pct(r.fulfilment),
                f"{t('actual')} {fmt_number(r.actual)} / {t('target')} {fmt_number(r.target)}",
                delta_color="off",
                border=True,
            )
    st.caption(t("selection_hint"))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('pledge_yearly')}**")
        item_names = list(dict.fromkeys(yearly["item"]))
        item = st.segmented_control(  # its option labels are Markdown
            t("program"), item_names, default=item_names[0], format_func=md, key="pl_item"
        )
        rows = yearly[yearly["item"] == (item or item_names[0])]
        fig = ui.figure(
            charts.target_vs_actual, [f"{y}년" for y in rows["year"]], list(rows["target"]), list(rows["actual"]), "명"
        )
        picked = ui.chart(
            fig,
            rows.rename(columns={"pledge": "공약", "item": "세부", "year": "연도", "target": "목표", "actual": "실적"}),
            f"공약_{item}",
            "pl_yearly",
        )
    years = sorted({int(str(p["x"]).removesuffix("년")) for p in picked if str(p.get("x", "")).endswith("년")})
    with right:
        st.markdown(f"**{t('pledge_budget')}** ({unit})")
        by_year = plv.budget_by_source(budget)
        if years:
            by_year = by_year[by_year["year"].isin(years)]
            st.info(t("selected", what=", ".join(f"{y}년" for y in years)))
        sources = [c for c in by_year.columns if c not in ("year", "계")]
        fig = ui.figure(
            charts.stacked_by_source,
            [f"{y}년" for y in by_year["year"]],
            {s: [to_unit(v, unit) or 0 for v in by_year[s].fillna(0)] for s in sources},
            unit,
            horizontal=False,
        )
        data = by_year.copy()
        for c in [*sources, "계"]:
            data[c] = [round_half_up(to_unit(v, unit), 0) for v in data[c]]
        ui.chart(fig, data.rename(columns={"year": "연도"}), "공약_예산", "pl_budget", select=False)
        total = by_year["계"].sum()
        st.caption(
            f"계 {fmt_number(to_unit(total, unit))}{unit} = "
            + " + ".join(f"{s} {fmt_number(to_unit(by_year[s].sum(), unit))}" for s in sources)
        )

st.divider()
st.subheader(t("disclosure", year=filters.year))
targets = ui.view("kpi.views.pledges.disclosure_targets", report)
if targets.empty:
    st.caption(t("no_data"))
else:
    ui.sample_banner(bool(targets["is_sample"].any()))
    cols = st.columns(len(targets))
    for col, r in zip(cols, targets.itertuples(), strict=True):
        value = fmt_pct(r.목표) if r.단위 == "%" else f"{fmt_number(r.목표)}{r.단위}"
        delta = None if r.달성률 != r.달성률 else f"{t('achievement_rate')} {fmt_pct(r.달성률)}"
        col.metric(
            f"{r.지표} {t('target')}" + (f" ({r.기준})" if r.기준 else ""), value, delta, delta_color="off", border=True
        )
    ui.data_view(targets.drop(columns=["metric"]), f"목표공시_{filters.year}", "pl_targets")

st.subheader(t("by_category"))
cats = ui.view("kpi.views.pledges.by_category", report)
if cats.empty:
    st.caption(t("no_data"))
else:
    fig = ui.figure(
        charts.target_vs_actual,
        list(cats["분야"]),
        [to_unit(v, unit) for v in cats["budget"]],
        [to_unit(v, unit) for v in cats["executed"]],
        unit,
        ("예산액", "집행액"),
    )
    data = (
        cats.assign(
            budget=[round_half_up(to_unit(v, unit), 0) for v in cats["budget"]],
            executed=[round_half_up(to_unit(v, unit), 0) for v in cats["executed"]],
            rate=[round_half_up(v, 1) for v in cats["rate"]],
        )
        .drop(columns=["category"])
        .rename(
            columns={
                "budget": f"예산액({unit})",
                "executed": f"집행액({unit})",
                "rate": "집행률(%)",
                "jobs_target": "일자리 목표(개)",
            }
        )
    )
    ui.chart(fig, data, f"분야별_{filters.year}", "pl_cats", select=False)
