"""공약·목표 이행: pledge fulfilment, pledge budget by source and year, 목표공시제 targets and categories."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kpi.domain import catalog
from kpi.domain.filters import Filters
from kpi.domain.kpis import achievement_rate, execution_rate
from kpi.domain.units import fmt_number, fmt_pct, in_unit, round_half_up, to_unit
from kpi.i18n import t, term, unit_label, unit_word
from kpi.store import Store, queries
from kpi.views import Metric, amount, breakdowns, charts, header
from kpi.views.programs import metric_label
from kpi.views.report import KpiReport
from kpi.views.safe_text import md

TOTAL = "계"  # the total column of budget_by_source, a kpi.domain.catalog label like the sources beside it
PERSONS = "명"  # the unit of pledge targets and actuals (people)
CATEGORY = "분야"  # by_category's column of category labels (kpi.domain.catalog)


def budget_by_source(pledge_budget: pd.DataFrame) -> pd.DataFrame:
    """Pledge budget (원) per year with one column per funding source label and the total (sum of sources)."""
    if pledge_budget.empty:
        return pledge_budget
    cols = [s for s in catalog.SPLIT_SOURCES if s in pledge_budget.columns]
    by_year = pledge_budget.groupby("year")[cols].sum(min_count=1)
    out = by_year.rename(columns=catalog.FUNDING_SOURCES)
    out[TOTAL] = by_year.sum(axis=1, min_count=1)
    return out.reset_index()


def disclosure_targets(store: Store, report: KpiReport) -> pd.DataFrame:
    """The district's 목표공시제 targets of the year: metric label, basis, target, actual and 달성률 where known."""
    with store.engine.connect() as conn:
        rows = queries.targets(conn, report.district_cd, report.year)
    rows = rows[rows["program_id"].isna()]
    actual = {"jobs_created": report.jobs_actual}
    out = pd.DataFrame(
        {
            "metric": rows["metric"],
            "지표": [catalog.metric(m).ko for m in rows["metric"]],
            "기준": [catalog.BASES.get(b, "") if b else "" for b in rows["basis"]],
            "단위": [unit_word(catalog.metric(m).unit) for m in rows["metric"]],
            "목표": rows["value"].astype(float),
            "실적": [actual.get(m, float("nan")) for m in rows["metric"]],
            "is_sample": rows["is_sample"].astype(bool),
        }
    )
    out["달성률"] = achievement_rate(out["실적"], out["목표"])
    return out.reset_index(drop=True)


def by_category(store: Store, report: KpiReport) -> pd.DataFrame:
    """Per 목표공시제 category (unit programs' category): budget, executed (원), 집행률, and program job targets."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    units = p[p["level"] == "unit"]
    with store.engine.connect() as conn:
        tgt = queries.targets(conn, report.district_cd, report.year)
    jobs = tgt[tgt["program_id"].notna() & (tgt["metric"] == "jobs_created")]
    cat_of = p.set_index("id")["category"]
    job_targets = jobs.assign(category=jobs["program_id"].map(cat_of)).groupby("category")["value"].sum()
    g = units.groupby("category")[["budget", "executed"]].sum(min_count=1)
    g["rate"] = execution_rate(g["executed"], g["budget"])
    g["jobs_target"] = job_targets.reindex(g.index)
    g.insert(0, CATEGORY, [catalog.PROGRAM_CATEGORIES.get(c, c) for c in g.index])
    order = list(catalog.PROGRAM_CATEGORIES)
    return g.loc[sorted(g.index, key=lambda c: order.index(c) if c in order else 99)].reset_index()


def yearly_data(rows: pd.DataFrame) -> pd.DataFrame:
    """A pledge item's yearly target and actual (pledge_yearly rows) as the chart's data view."""
    columns = ["pledge", "item", "year", "target", "actual"]
    names = ["col_pledge", "col_item", "year", "target", "actual"]
    return rows.rename(columns={c: header(k) for c, k in zip(columns, names, strict=True)})


def yearly_alt(rows: pd.DataFrame, item: str) -> str:
    """A pledge item's yearly chart in words: target and actual of every year."""
    labels = [t("year_label", year=int(y)) for y in rows["year"]]
    years = "; ".join(
        t("alt_target_actual", x=x, target=fmt_number(a), actual=fmt_number(b))
        for x, a, b in zip(labels, rows["target"], rows["actual"], strict=True)
    )
    return t("alt_pledge_yearly", item=item, years=years)


@dataclass(frozen=True)
class BudgetChart:
    """Pledge budget by year and source in the display unit: bars, data view and text alternative (total in words)."""

    years: list[str]
    by_source: dict[str, Sequence[float]]
    data: pd.DataFrame
    alt: str


def budget_chart(pledge_budget: pd.DataFrame, years: list[int], unit: str) -> BudgetChart:
    """The pledge budget (pledge_budget) by year and source in `unit`, limited to `years` when any are chosen."""
    by_year = budget_by_source(pledge_budget)
    if years:
        by_year = by_year[by_year["year"].isin(years)]
    total_col = TOTAL
    sources = [c for c in by_year.columns if c not in ("year", total_col)]
    data = by_year.copy()
    for c in [*sources, total_col]:
        data[c] = [in_unit(v, unit) for v in data[c]]
    summary = t(
        "pledge_total",
        total=fmt_number(to_unit(by_year[total_col].sum(), unit)),
        unit=unit_label(unit),
        parts=" + ".join(f"{term(s)} {fmt_number(to_unit(by_year[s].sum(), unit))}" for s in sources),
    )
    by_year_text = "; ".join(
        f"{t('year_label', year=int(y))} {fmt_number(to_unit(v, unit))}"
        for y, v in zip(by_year["year"], by_year[total_col], strict=True)
    )
    return BudgetChart(
        [t("year_label", year=int(y)) for y in by_year["year"]],
        {term(s): [amount(v, unit) for v in by_year[s].fillna(0)] for s in sources},
        data.rename(columns={"year": header("year")}),
        t("alt_sources", unit=unit_label(unit), parts=f"{summary}; {by_year_text}"),
    )


def disclosure_cards(targets: pd.DataFrame) -> list[Metric]:
    """One card per 목표공시제 target (disclosure_targets): name and basis, target with its unit, achievement."""
    out = []
    for r in targets.itertuples():
        unit, target, basis, rate = str(r.단위), float(r.목표), str(r.기준), float(r.달성률)
        value = fmt_pct(target) if unit == "%" else f"{fmt_number(target)}{unit_label(unit)}"
        name = metric_label(str(r.metric))
        delta = None if pd.isna(rate) else f"{t('achievement_rate')} {fmt_pct(rate)}"
        label = f"{name} {t('target')}" + (f" ({term(basis)})" if basis else "")
        out.append(Metric(label, value, delta))
    return out


@dataclass(frozen=True)
class CategoryChart:
    """Budget and executed per category in the display unit: bars, data view and text alternative."""

    categories: list[str]
    budget: list[float]
    executed: list[float]
    data: pd.DataFrame
    alt: str


def category_chart(cats: pd.DataFrame, unit: str) -> CategoryChart:
    """by_category in `unit`: categories in the UI language, whole amounts and rates to one decimal in the table."""
    names = [term(c) for c in cats[CATEGORY]]
    budget = [amount(v, unit) for v in cats["budget"]]
    executed = [amount(v, unit) for v in cats["executed"]]
    parts = "; ".join(
        t("alt_budget_executed", x=x, budget=fmt_number(b), executed=fmt_number(e))
        for x, b, e in zip(names, budget, executed, strict=True)
    )
    data = (
        cats.assign(
            budget=[in_unit(v, unit) for v in cats["budget"]],
            executed=[in_unit(v, unit) for v in cats["executed"]],
            rate=[round_half_up(v, 1) for v in cats["rate"]],
        )
        .drop(columns=["category"])
        .rename(
            columns={
                "budget": header("budget", unit),
                "executed": header("executed", unit),
                "rate": header("execution_rate", "%"),
                "jobs_target": header("col_job_target", "개"),
            }
        )
    )
    return CategoryChart(names, budget, executed, data, t("alt_by_category", unit=unit_label(unit), parts=parts))


@dataclass(frozen=True)
class Screen:
    """Everything the 공약·목표 이행 page lays out for its filters but the yearly chart's choices (read it, never
    change it): pledge cards, the items and years to choose from, 목표공시제 targets and the category chart."""

    report: KpiReport
    items: pd.DataFrame  # breakdowns.pledge_table
    yearly: pd.DataFrame  # breakdowns.pledge_yearly
    budget: pd.DataFrame  # breakdowns.pledge_budget
    cards: list[tuple[str, list[Metric]]]  # per pledge (escaped): its items' fulfilment cards
    item_names: list[str]
    years: list[int]  # every year with a target, an actual or a budget: what a selection is made of
    targets: pd.DataFrame  # disclosure_targets
    target_cards: list[Metric]
    targets_data: pd.DataFrame
    categories: CategoryChart | None  # None: no programs
    categories_figure: go.Figure | None


def screen(store: Store, report: KpiReport, filters: Filters) -> Screen:
    """The pledge page of the filters' district and year, money in the filters' unit."""
    unit = filters.unit
    items = breakdowns.pledge_table(store, filters.district)
    yearly = breakdowns.pledge_yearly(store, filters.district)
    budget = breakdowns.pledge_budget(store, filters.district)
    cards = []
    if not items.empty:
        for pledge, rows in items.groupby("pledge", sort=False):
            cards.append((md(pledge), [_fulfilment_card(r) for r in rows.itertuples()]))
    years = sorted({int(y) for y in yearly.get("year", [])} | {int(y) for y in budget.get("year", [])})
    targets = disclosure_targets(store, report)
    cats = by_category(store, report)
    chart = None if cats.empty else category_chart(cats, unit)
    figure = (
        None
        if chart is None
        else charts.target_vs_actual(
            chart.categories, chart.budget, chart.executed, unit_label(unit), (t("budget"), t("executed"))
        )
    )
    return Screen(
        report,
        items,
        yearly,
        budget,
        cards,
        list(dict.fromkeys(yearly["item"])) if not yearly.empty else [],
        years,
        targets,
        [] if targets.empty else disclosure_cards(targets),
        targets.drop(columns=["metric"]),
        chart,
        figure,
    )


def _fulfilment_card(r: object) -> Metric:
    """A pledge item's card (a pledge_table row): fulfilment, and actual against target."""
    actual, target = fmt_number(r.actual), fmt_number(r.target)  # type: ignore[attr-defined]
    return Metric(
        f"{t('pledge_fulfilment')} · {md(r.item)}",  # type: ignore[attr-defined]
        fmt_pct(r.fulfilment),  # type: ignore[attr-defined]
        f"{t('actual')} {actual} / {t('target')} {target}",
    )


@dataclass(frozen=True)
class YearlyScreen:
    """The pledge page's yearly chart of one item and the budget chart of the selected years."""

    item: str  # the item shown
    row_years: list[int]  # the years of the item's bars, in order
    figure: go.Figure
    data: pd.DataFrame
    alt: str
    file: str
    budget: BudgetChart
    budget_figure: go.Figure


def yearly_screen(
    store: Store, report: KpiReport, filters: Filters, item: str | None, years: tuple[int, ...]
) -> YearlyScreen:
    """The yearly target and actual of `item` (the first item when None) with the selected years outlined, and
    the pledge budget of those years (all years when none is selected) by source in the filters' unit."""
    unit = filters.unit
    yearly = breakdowns.pledge_yearly(store, filters.district)
    shown = item or str(yearly["item"].iloc[0])
    rows = yearly[yearly["item"] == shown]
    row_years = [int(y) for y in rows["year"]]
    figure = charts.target_vs_actual(
        [t("year_label", year=y) for y in row_years],
        list(rows["target"]),
        list(rows["actual"]),
        unit_label(PERSONS),
        None,
        [row_years.index(y) for y in years if y in row_years],
    )
    budget = budget_chart(breakdowns.pledge_budget(store, filters.district), list(years), unit)
    budget_figure = charts.stacked_by_source(budget.years, budget.by_source, unit_label(unit), horizontal=False)
    return YearlyScreen(
        shown,
        row_years,
        figure,
        yearly_data(rows),
        yearly_alt(rows, shown),
        t("file_pledge", item=item),
        budget,
        budget_figure,
    )
