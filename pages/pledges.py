"""공약·목표 이행: pledge fulfilment and budget by source and year; 목표공시제 targets and categories."""

from __future__ import annotations

import streamlit as st

from kpi.domain import catalog
from kpi.domain.units import fmt_number, fmt_pct, round_half_up, to_unit
from kpi.i18n import t, term, unit_label
from kpi.settings import load_settings
from kpi.views import charts
from kpi.views import pledges as plv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
unit = filters.unit
ui.page_header("nav_pledges", report)

items = ui.view("kpi.views.breakdowns.pledge_table", filters.district)
yearly = ui.view("kpi.views.breakdowns.pledge_yearly", filters.district)
budget = ui.view("kpi.views.breakdowns.pledge_budget", filters.district)
if items.empty:
    st.info(t("no_data"))
else:
    ui.sample_banner(bool(items["is_sample"].any()))
    for pledge, rows in items.groupby("pledge", sort=False):
        st.header(md(pledge))
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
        st.header(t("pledge_yearly"))
        item_names = list(dict.fromkeys(yearly["item"]))
        item = st.segmented_control(  # its option labels are Markdown
            t("program"), item_names, default=item_names[0], format_func=md, key="pl_item"
        )
        rows = yearly[yearly["item"] == (item or item_names[0])]
        row_years = [int(y) for y in rows["year"]]
        all_years = sorted({int(y) for y in yearly["year"]} | {int(y) for y in budget.get("year", [])})
        years = [int(y) for y in ui.selection("pl_sel", "years", all_years or row_years)]

        def _years(points: list[dict], row_years: list[int] = row_years) -> list[str]:
            picked = [int(p["point_index"]) for p in points if "point_index" in p]
            return [str(row_years[i]) for i in picked if 0 <= i < len(row_years)]

        labels = [t("year_label", year=y) for y in row_years]
        fig = ui.figure(
            charts.target_vs_actual,
            labels,
            list(rows["target"]),
            list(rows["actual"]),
            unit_label("명"),
            None,
            [row_years.index(y) for y in years if y in row_years],
        )
        alt = t(
            "alt_pledge_yearly",
            item=item or item_names[0],
            years="; ".join(
                t("alt_target_actual", x=x, target=fmt_number(a), actual=fmt_number(b))
                for x, a, b in zip(labels, rows["target"], rows["actual"], strict=True)
            ),
        )
        data = rows.rename(
            columns={"pledge": "공약", "item": "세부", "year": "연도", "target": "목표", "actual": "실적"}
        )
        ui.select_chart(fig, data, f"공약_{item}", "pl_sel", "pl_yearly", _years, alt)
    with right:
        st.header(f"{t('pledge_budget')} ({unit_label(unit)})")
        by_year = plv.budget_by_source(budget)
        if years:
            by_year = by_year[by_year["year"].isin(years)]
        sources = [c for c in by_year.columns if c not in ("year", "계")]
        fig = ui.figure(
            charts.stacked_by_source,
            [t("year_label", year=y) for y in by_year["year"]],
            {term(s): [to_unit(v, unit) or 0 for v in by_year[s].fillna(0)] for s in sources},
            unit_label(unit),
            horizontal=False,
        )
        data = by_year.copy()
        for c in [*sources, "계"]:
            data[c] = [round_half_up(to_unit(v, unit), 0) for v in data[c]]
        total = by_year["계"].sum()
        summary = t(
            "pledge_total",
            total=fmt_number(to_unit(total, unit)),
            unit=unit_label(unit),
            parts=" + ".join(f"{term(s)} {fmt_number(to_unit(by_year[s].sum(), unit))}" for s in sources),
        )
        by_year_text = "; ".join(
            f"{t('year_label', year=int(y))} {fmt_number(to_unit(v, unit))}"
            for y, v in zip(by_year["year"], by_year["계"], strict=True)
        )
        alt = t("alt_sources", unit=unit_label(unit), parts=f"{summary}; {by_year_text}")
        ui.chart(fig, data.rename(columns={"year": "연도"}), "공약_예산", "pl_budget", select=False, alt=alt)
    ui.selection_bar("pl_sel", [t("year_label", year=y) for y in years])

st.divider()
st.header(t("disclosure", year=filters.year))
targets = ui.view("kpi.views.pledges.disclosure_targets", report)
if targets.empty:
    st.caption(t("no_data"))
else:
    ui.sample_banner(bool(targets["is_sample"].any()))
    cols = st.columns(len(targets))
    for col, r in zip(cols, targets.itertuples(), strict=True):
        value = fmt_pct(r.목표) if r.단위 == "%" else f"{fmt_number(r.목표)}{unit_label(r.단위)}"
        name = catalog.metric(r.metric).en if load_settings().lang == "en" else r.지표
        delta = None if r.달성률 != r.달성률 else f"{t('achievement_rate')} {fmt_pct(r.달성률)}"
        col.metric(
            f"{name} {t('target')}" + (f" ({term(r.기준)})" if r.기준 else ""),
            value,
            delta,
            delta_color="off",
            border=True,
        )
    ui.data_view(targets.drop(columns=["metric"]), f"목표공시_{filters.year}", "pl_targets")

st.header(t("by_category"))
cats = ui.view("kpi.views.pledges.by_category", report)
if cats.empty:
    st.caption(t("no_data"))
else:
    fig = ui.figure(
        charts.target_vs_actual,
        [term(c) for c in cats["분야"]],
        [to_unit(v, unit) for v in cats["budget"]],
        [to_unit(v, unit) for v in cats["executed"]],
        unit_label(unit),
        (t("budget"), t("executed")),
    )
    alt = t(
        "alt_by_category",
        unit=unit_label(unit),
        parts="; ".join(
            t("alt_budget_executed", x=term(c), budget=fmt_number(b), executed=fmt_number(e))
            for c, b, e in zip(
                cats["분야"],
                [to_unit(v, unit) for v in cats["budget"]],
                [to_unit(v, unit) for v in cats["executed"]],
                strict=True,
            )
        ),
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
    ui.chart(fig, data, f"분야별_{filters.year}", "pl_cats", select=False, alt=alt)
