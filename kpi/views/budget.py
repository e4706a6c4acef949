"""예산 집행: programs with sub-programs, funding split, cumulative execution vs pace and the year-end projection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kpi import theme
from kpi.domain import catalog, kpis
from kpi.domain.dates import month_end
from kpi.domain.filters import Filters
from kpi.domain.units import fmt_number, fmt_pct, fmt_pp, in_unit, round_half_up, to_unit
from kpi.i18n import t, term, unit_label
from kpi.settings import load_settings
from kpi.store import Store, queries
from kpi.views import Metric, amount, charts, header, tree_label
from kpi.views.breakdowns import funding_table
from kpi.views.programs import palette
from kpi.views.report import KpiReport


def program_frame(store: Store, report: KpiReport) -> pd.DataFrame:
    """Programs in tree order with budget/executed (원), rate (%), status, sample flag and the program's colour."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    with store.engine.connect() as conn:
        colours = palette(queries.programs(conn, report.district_cd))
    return pd.DataFrame(
        {
            "id": p["id"],
            "name": p["name"],
            "label": [tree_label(n, lv) for n, lv in zip(p["name"], p["level"], strict=True)],
            "level": p["level"],
            "parent": p["parent"],
            "parent_id": p["parent_id"],
            "budget": p["budget"],
            "executed": p["executed"],
            "rate": p["execution_rate"],
            "status": p["status"],
            "is_sample": p["is_sample"],
            "color": [colours.get(int(i), theme.EXECUTION) for i in p["id"]],
        }
    )


def with_sub_programs(programs: pd.DataFrame, ids: list[int]) -> list[int]:
    """The selected program ids and the sub-programs under them (a unit program stands for its 세부사업), in the
    order of `programs` (a program_frame)."""
    chosen = {int(i) for i in ids}
    for _ in range(3):  # unit -> sub (and one more level, should a sheet ever have it)
        pairs = zip(programs["id"], programs["parent_id"], strict=True)
        chosen |= {int(i) for i, p in pairs if p is not None and p == p and int(p) in chosen}
    return [int(i) for i in programs["id"] if int(i) in chosen]


def funding(store: Store, report: KpiReport, program_ids: list[int] | None = None) -> pd.DataFrame:
    """Funding split per program (breakdowns.funding_table), limited to program_ids when given."""
    table = funding_table(store, report.district_cd, report.year)
    if table.empty or not program_ids:
        return table
    return table[table["program_id"].isin(program_ids)]


def source_columns(table: pd.DataFrame) -> dict[str, str]:
    """Funding-source columns present in a funding table -> their Korean labels."""
    return {s: catalog.FUNDING_SOURCES[s] for s in catalog.SPLIT_SOURCES if s in table.columns}


@dataclass
class Cumulative:
    """Cumulative execution by month of the whole or one program: amounts (원), rate and pace (%), projection."""

    monthly: pd.DataFrame  # month, executed, rate, pace, is_sample
    budget: float
    projection: kpis.Projection | None
    projection_rate: tuple[float, float, float] | None
    first_half_rate: float | None


def cumulative(report: KpiReport, program_id: int | None = None) -> Cumulative:
    """Monthly cumulative execution vs pace (days basis, month ends) and kpis.project_year_end as rates."""
    if program_id is None:
        m = report.monthly
        executed, sample, budget = m["executed"], m["executed_sample"].astype(bool), report.budget
        months = m["month"]
    else:
        executed = report.program_executed.loc[program_id]
        sample = report.program_executed_sample.loc[program_id].fillna(0) > 0
        budget = float(report.programs.set_index("id")["budget"].get(program_id, float("nan")))
        months = executed.index.to_series()
    executed = pd.Series(list(executed), index=list(months), dtype="float64")
    frame = pd.DataFrame(
        {
            "month": list(months),
            "executed": executed.values,
            "rate": kpis.execution_rate(executed, pd.Series(budget, index=executed.index)).values,
            "pace": [kpis.pace_pct(month_end(report.year, int(mo))) for mo in months],
            "is_sample": list(sample),
        }
    )
    sample_by_month = pd.Series(list(sample), index=list(months))
    has_months = len(executed.dropna()) and int(executed.index.max()) < 12
    proj = kpis.project_year_end(executed, sample=sample_by_month) if has_months else None
    proj_rate = (
        None
        if proj is None
        else (
            float(kpis.execution_rate(proj.value, budget)),
            float(kpis.execution_rate(proj.low, budget)),
            float(kpis.execution_rate(proj.high, budget)),
        )
    )
    june = frame[frame["month"] == 6]["rate"]
    return Cumulative(frame, budget, proj, proj_rate, None if june.empty else float(june.iloc[0]))


@dataclass(frozen=True)
class ProgramBars:
    """The budget page's program bars in the display unit, their data view and their text alternative."""

    budget: list[float]
    executed: list[float]
    data: pd.DataFrame
    alt: str


def program_bars(programs: pd.DataFrame, report: KpiReport, unit: str) -> ProgramBars:
    """Budget and executed per program (a program_frame) in `unit`, the table behind them (whole amounts, rates to
    one decimal) and the sentence naming the lowest and highest execution and the total."""
    rates = programs["rate"]
    low = programs.loc[rates.idxmin()] if rates.notna().any() else None
    high = programs.loc[rates.idxmax()] if rates.notna().any() else None
    alt = t(
        "alt_budget_programs",
        n=len(programs),
        unit=unit_label(unit),
        low="-" if low is None else low["name"],
        low_v="-" if low is None else fmt_pct(low["rate"]),
        high="-" if high is None else high["name"],
        high_v="-" if high is None else fmt_pct(high["rate"]),
        total=fmt_pct(report.execution_rate),
    )
    data = programs.assign(
        budget=[in_unit(v, unit) for v in programs["budget"]],
        executed=[in_unit(v, unit) for v in programs["executed"]],
        rate=[round_half_up(v, 1) for v in rates],
    ).rename(
        columns={
            "budget": header("budget", unit),
            "executed": header("executed", unit),
            "rate": header("execution_rate", "%"),
        }
    )
    return ProgramBars(
        [amount(v, unit) for v in programs["budget"]],
        [amount(v, unit) for v in programs["executed"]],
        data.drop(columns=["id", "label", "color", "parent_id"]),
        alt,
    )


@dataclass(frozen=True)
class SourceBars:
    """The funding chart in the display unit: bar labels, one series per source, data view and text alternative."""

    programs: list[str]
    by_source: dict[str, Sequence[float]]
    data: pd.DataFrame
    alt: str


def source_bars(fund: pd.DataFrame, unit: str) -> SourceBars:
    """A funding table (funding) as stacked bars in `unit`: sources in the UI language, whole amounts in the table,
    and each program's total and parts in words."""
    labels = {s: term(lab) for s, lab in source_columns(fund).items()}
    by: dict[str, Sequence[float]] = {lab: [amount(v, unit) for v in fund[s].fillna(0)] for s, lab in labels.items()}
    total = t("col_total")
    data = fund[["program", "total", *labels]].rename(columns={"program": t("program"), "total": total, **labels})
    for col in [total, *labels.values()]:
        data[col] = [in_unit(v, unit) for v in data[col]]
    parts = [
        f"{name} {fmt_number(to_unit(all_, unit))} ("
        + ", ".join(f"{lab} {fmt_number(to_unit(row[s], unit))}" for s, lab in labels.items() if row[s] == row[s])
        + ")"
        for name, all_, row in zip(fund["program"], fund["total"], fund.to_dict("records"), strict=True)
    ]
    alt = t("alt_sources", unit=unit_label(unit), parts="; ".join(parts))
    return SourceBars([str(n)[:16] for n in fund["program"]], by, data, alt)


def cumulative_data(cum: Cumulative, unit: str) -> pd.DataFrame:
    """The cumulative chart's data view: month, executed so far (whole, in `unit`), rate and pace (%), sample."""
    m = cum.monthly
    return m.assign(executed=[in_unit(v, unit) for v in m["executed"]]).rename(
        columns={
            "month": header("col_month"),
            "executed": header("col_executed_cum", unit),
            "rate": header("col_cum_rate", "%"),
            "pace": header("pace", "%"),
            "is_sample": header("col_sample"),
        }
    )


def cumulative_alt(cum: Cumulative) -> str:
    """The cumulative chart in words: the rate of every month and the pace at the as-of date."""
    m = cum.monthly
    months = [f"{t('month_short', month=int(mo))} {fmt_pct(r)}" for mo, r in zip(m["month"], m["rate"], strict=True)]
    return t("alt_cumulative", months=", ".join(months), pace=fmt_pct(float(m["pace"].iloc[-1])) if len(m) else "-")


def rapid_metric(cum: Cumulative, rapid_target: float) -> Metric:
    """The end-of-June (rapid spending) card: the June rate against the first-half target in %p."""
    first = cum.first_half_rate
    return Metric(
        t("rapid_label"),
        fmt_pct(first),
        None if first is None else t("vs_target", pp=fmt_pp(first - rapid_target)),
        t("rapid_status", target=fmt_pct(rapid_target), actual=fmt_pct(first)),
    )


def projection_metric(cum: Cumulative) -> Metric | None:
    """The year-end projection card (labelled sample when any month it reads is), None without a projection."""
    if not cum.projection_rate or cum.projection is None:
        return None
    value, low, high = cum.projection_rate
    n = cum.projection.months_used
    text = t("projection", value=fmt_pct(value), low=fmt_pct(low), high=fmt_pct(high), n=n)
    label = t("projection_label") + (f" ({t('sample_short')})" if cum.projection.is_sample else "")
    return Metric(label, fmt_pct(value), None, text, text)


def programs_screen(store: Store, report: KpiReport, filters: Filters) -> pd.DataFrame:
    """The budget page's programs (program_frame) of the filters' report: what a selection is made of."""
    return program_frame(store, report)


@dataclass(frozen=True)
class Screen:
    """Everything the 예산 집행 page lays out for its filters and selected programs (read it, never change it)."""

    report: KpiReport
    programs: pd.DataFrame  # program_frame
    bars: ProgramBars
    bars_figure: go.Figure
    selected_names: list[str]  # the selection in words
    funding: SourceBars | None  # None: no funding split
    funding_figure: go.Figure | None
    cards: list[Metric]  # the rapid-spending card, and the projection card when there is one
    cumulative_figure: go.Figure
    cumulative_data: pd.DataFrame
    cumulative_alt: str


def screen(store: Store, report: KpiReport, filters: Filters, chosen: tuple[int, ...]) -> Screen:
    """The budget page of the filters' report with the programs `chosen` (ids of program_frame): the bars outline
    them, the funding split is theirs and their sub-programs', the cumulative execution is the one program's."""
    unit = filters.unit
    progs = program_frame(store, report)
    ids_all = [int(i) for i in progs["id"]]
    bars = program_bars(progs, report, unit)
    bars_figure = charts.program_bars(
        list(progs["label"]),
        bars.budget,
        bars.executed,
        list(progs["rate"]),
        list(progs["color"]),
        list(progs["is_sample"]),
        unit_label(unit),
        [ids_all.index(i) for i in chosen],
    )
    names = list(progs.set_index("id").loc[list(chosen), "name"]) if chosen else []
    fund = funding(store, report, with_sub_programs(progs, list(chosen)) or None)
    sources = None if fund.empty else source_bars(fund, unit)
    sources_figure = (
        None if sources is None else charts.stacked_by_source(sources.programs, sources.by_source, unit_label(unit))
    )
    cum = cumulative(report, chosen[0] if len(chosen) == 1 else None)
    m = cum.monthly
    rapid = load_settings().rapid_target
    cum_figure = charts.execution_vs_pace(
        list(m["month"]),
        list(m["rate"]),
        list(m["pace"]),
        list(m["is_sample"]),
        rapid_target=rapid,
        projection=cum.projection_rate,
    )
    cards = [c for c in (rapid_metric(cum, rapid), projection_metric(cum)) if c is not None]
    return Screen(
        report,
        progs,
        bars,
        bars_figure,
        names,
        sources,
        sources_figure,
        cards,
        cum_figure,
        cumulative_data(cum, unit),
        cumulative_alt(cum),
    )
