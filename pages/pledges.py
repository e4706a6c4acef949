"""Pledges and targets (공약·목표 이행): pledge fulfilment and budget by source and year; 목표공시제 targets and
categories."""

from __future__ import annotations

import streamlit as st

from kpi.domain.units import fmt_number, fmt_pct
from kpi.i18n import t, unit_label
from kpi.views import breakdowns, charts
from kpi.views import pledges as plv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
report = ui.report(filters)
unit = filters.unit
ui.page_header("nav_pledges", report)

items = ui.cached_view(breakdowns.pledge_table)(filters.district)
yearly = ui.cached_view(breakdowns.pledge_yearly)(filters.district)
budget = ui.cached_view(breakdowns.pledge_budget)(filters.district)
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
        shown_item = item or item_names[0]
        rows = yearly[yearly["item"] == shown_item]
        row_years = [int(y) for y in rows["year"]]
        all_years = sorted({int(y) for y in yearly["year"]} | {int(y) for y in budget.get("year", [])})
        years = [int(y) for y in ui.selection("pl_sel", "years", [str(y) for y in all_years or row_years])]

        def _years(points: list[dict], row_years: list[int] = row_years) -> list[str]:
            """The years of the clicked bars."""
            picked = [int(p["point_index"]) for p in points if "point_index" in p]
            return [str(row_years[i]) for i in picked if 0 <= i < len(row_years)]

        fig = ui.figure(
            charts.target_vs_actual,
            [t("year_label", year=y) for y in row_years],
            list(rows["target"]),
            list(rows["actual"]),
            unit_label(plv.PERSONS),
            None,
            [row_years.index(y) for y in years if y in row_years],
        )
        alt = plv.yearly_alt(rows, shown_item)
        file = t("file_pledge", item=item)
        ui.select_chart(fig, plv.yearly_data(rows), file, "pl_sel", "pl_yearly", _years, alt)
    with right:
        st.header(f"{t('pledge_budget')} ({unit_label(unit)})")
        chart = plv.budget_chart(budget, years, unit)
        fig = ui.figure(charts.stacked_by_source, chart.years, chart.by_source, unit_label(unit), horizontal=False)
        ui.chart(fig, chart.data, t("file_pledge_budget"), "pl_budget", select=False, alt=chart.alt)
    ui.selection_bar("pl_sel", [t("year_label", year=y) for y in years])

st.divider()
st.header(t("disclosure", year=filters.year))
targets = ui.cached_view(plv.disclosure_targets)(report)
if targets.empty:
    st.caption(t("no_data"))
else:
    ui.sample_banner(bool(targets["is_sample"].any()))
    cards = plv.disclosure_cards(targets)
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        col.metric(card.label, card.value, card.delta, delta_color="off", border=True)
    ui.data_view(targets.drop(columns=["metric"]), t("file_disclosure", year=filters.year), "pl_targets")

st.header(t("by_category"))
cats = ui.cached_view(plv.by_category)(report)
if cats.empty:
    st.caption(t("no_data"))
else:
    by_cat = plv.category_chart(cats, unit)
    budget_label, executed_label = t("budget"), t("executed")
    fig = ui.figure(
        charts.target_vs_actual,
        by_cat.categories,
        by_cat.budget,
        by_cat.executed,
        unit_label(unit),
        (budget_label, executed_label),
    )
    ui.chart(fig, by_cat.data, t("file_by_category", year=filters.year), "pl_cats", select=False, alt=by_cat.alt)
