"""Pledges and targets (공약·목표 이행): pledge fulfilment and budget by source and year; 목표공시제 targets and
categories."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t, unit_label
from kpi.views import pledges as plv
from kpi.views.safe_text import md
from pages import _ui as ui

filters = ui.current_filters()
view = ui.screen(plv.screen)(filters)
report = view.report
unit = filters.unit
ui.page_header("nav_pledges", report)


@st.fragment
def yearly_and_budget() -> None:
    """The item's yearly chart and the budget of the years clicked on it: a choice here redraws only this part."""
    item_names = view.item_names
    left, right = st.columns(2)
    with left:
        st.header(t("pledge_yearly"))
        item = st.segmented_control(  # its option labels are Markdown
            t("program"), item_names, default=item_names[0], format_func=md, key="pl_item"
        )
        years = tuple(int(y) for y in ui.selection("pl_sel", "years", [str(y) for y in view.years]))
        chart = ui.screen(plv.yearly_screen)(filters, item, years)
        row_years = chart.row_years

        def _years(points: list[dict], row_years: list[int] = row_years) -> list[str]:
            """The years of the clicked bars."""
            picked = [int(p["point_index"]) for p in points if "point_index" in p]
            return [str(row_years[i]) for i in picked if 0 <= i < len(row_years)]

        ui.select_chart(chart.figure, chart.data, chart.file, "pl_sel", "pl_yearly", _years, chart.alt)
    with right:
        st.header(f"{t('pledge_budget')} ({unit_label(unit)})")
        budget = chart.budget
        ui.chart(chart.budget_figure, budget.data, t("file_pledge_budget"), "pl_budget", select=False, alt=budget.alt)
    ui.selection_bar("pl_sel", [t("year_label", year=y) for y in years])


if view.items.empty:
    st.info(t("no_data"))
else:
    ui.sample_banner(bool(view.items["is_sample"].any()))
    for pledge, cards in view.cards:
        st.header(pledge)
        for col, card in zip(st.columns(max(2, len(cards))), cards, strict=False):
            col.metric(card.label, card.value, card.delta, delta_color="off", border=True)
    st.caption(t("selection_hint"))
    yearly_and_budget()

st.divider()
st.header(t("disclosure", year=filters.year))
if view.targets.empty:
    st.caption(t("no_data"))
else:
    ui.sample_banner(bool(view.targets["is_sample"].any()))
    cards = view.target_cards
    for col, card in zip(st.columns(len(cards)), cards, strict=True):
        col.metric(card.label, card.value, card.delta, delta_color="off", border=True)
    ui.data_view(view.targets_data, t("file_disclosure", year=filters.year), "pl_targets")

st.header(t("by_category"))
if view.categories is None or view.categories_figure is None:
    st.caption(t("no_data"))
else:
    by_cat = view.categories
    file = t("file_by_category", year=filters.year)
    ui.chart(view.categories_figure, by_cat.data, file, "pl_cats", select=False, alt=by_cat.alt)
