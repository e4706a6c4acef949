"""사업별 실적: the program table with monthly trend, and one program's drill-down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from kpi import theme as colors
from kpi.domain import catalog, kpis
from kpi.domain.filters import Filters
from kpi.domain.units import money_value, round_half_up, to_unit
from kpi.i18n import status_label, t, term, unit_word
from kpi.settings import load_settings
from kpi.store import Store, queries
from kpi.store.reasons import Note
from kpi.views import SUB_MARK, amount, charts, header, tree_label, with_unit
from kpi.views.report import KpiReport
from kpi.views.safe_text import md


def monthly_rates(report: KpiReport) -> pd.DataFrame:
    """Program id x month cumulative execution rate (%) = 집행액 누계 / 예산현액."""
    ex = report.program_executed
    if ex.empty or report.programs.empty:
        return pd.DataFrame()
    return kpis.execution_rate(ex, report.programs.set_index("id")["budget"].reindex(ex.index))


@dataclass(frozen=True)
class TableColumns:
    """Headers of program_table in the UI language, for the page to filter, format and pick by."""

    program: str
    team: str
    category: str
    status: str
    rate: str
    trend: str
    budget: str
    executed: str


def table_columns(unit: str) -> TableColumns:
    """The headers program_table gives its columns (money in `unit`)."""
    return TableColumns(
        t("program"),
        t("team"),
        t("category"),
        t("status"),
        t("execution_rate"),
        header("col_monthly_rate"),
        header("budget", unit),
        header("executed", unit),
    )


def program_table(report: KpiReport, unit: str) -> pd.DataFrame:
    """One row per program: id, labels, money in `unit`, rate (half-up, 1 decimal), trend list, status, sample."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    rates = monthly_rates(report)
    trend = [[round(float(v), 1) for v in rates.loc[i].dropna()] if i in rates.index else [] for i in p["id"]]
    col = table_columns(unit)
    return pd.DataFrame(
        {
            "id": p["id"],
            col.program: [tree_label(n, lv) for n, lv in zip(p["name"], p["level"], strict=True)],
            header("col_level"): [t("level_sub") if lv == "sub" else t("level_unit") for lv in p["level"]],
            col.team: p["team"].fillna("-"),
            col.category: [term(catalog.PROGRAM_CATEGORIES.get(c, "-")) for c in p["category"]],
            header("col_target_groups"): [_groups(g) for g in p["target_groups"]],
            col.budget: [money_value(v, unit) for v in p["budget"]],
            col.executed: [money_value(v, unit) for v in p["executed"]],
            col.rate: [round_half_up(v, 1) for v in p["execution_rate"]],
            col.trend: trend,
            col.status: [
                t("status_missing_data") if missing else status_label(s)
                for s, missing in zip(p["status"], p["missing_data"], strict=True)
            ],
            t("reason"): [_reason_cell(r, need) for r, need in zip(p["reason"], p["needs_reason"], strict=True)],
            header("col_sample"): [t("sample_short") if s else "" for s in p["is_sample"]],
        }
    )


def program_names(table: pd.DataFrame) -> dict[int, str]:
    """Program id -> its name (without the sub-program mark) of a program_table, for the drill-down picker."""
    names = table[t("program")].str.removeprefix(SUB_MARK)
    return {int(i): str(n) for i, n in zip(table["id"], names, strict=True)}


def _reason_cell(reason: str, needs_reason: bool) -> str:
    """A table cell: the month's 사유 on one line, or '사유 미입력' for a lagging program without one."""
    if reason:
        return " ".join(reason.split())
    return t("reason_missing") if needs_reason else ""


def _groups(value: object) -> str:
    """Target groups as one cell: 'a, b', '-' when none."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "-"
    return "-" if value is None or pd.isna(value) or value == "" else str(value).replace("|", ", ")


def filter_table(table: pd.DataFrame, teams: list[str], categories: list[str], statuses: list[str]) -> pd.DataFrame:
    """Rows whose team, category and status are among the chosen ones (an empty choice keeps all)."""
    keep = pd.Series(True, index=table.index)
    for col, chosen in ((t("team"), teams), (t("category"), categories), (t("status"), statuses)):
        if chosen:
            keep &= table[col].isin(chosen)
    return table[keep]


@dataclass
class ProgramDetail:
    """A program's monthly metrics (long form), targets per metric, budget by source, uploads that touched it."""

    name: str
    metrics: pd.DataFrame  # metric, label, unit, month, value, is_sample
    targets: dict[str, float]
    funding: pd.DataFrame  # source, funding-source label (UI language), budget (원)
    uploads: pd.DataFrame
    color: str
    reasons: pd.DataFrame = field(default_factory=pd.DataFrame)  # month, reason, action, by, upload, sample
    note: Note | None = None  # the 사유·조치계획 of the month the data is from
    needs_reason: bool = False  # lagging (or a large program without figures) and no reason for that month
    month: int | None = None  # the month the data is from


def program_detail(store: Store, report: KpiReport, program_id: int) -> ProgramDetail:
    """Drill-down of a program: own monthly facts (집행액 rolled up), targets, funding split, uploads."""
    through = report.data_month or 0
    with store.engine.connect() as conn:
        facts = queries.facts(conn, report.district_cd, report.year, through)
        tgt = queries.targets(conn, report.district_cd, report.year)
        split = queries.budget_split(conn, report.district_cd, report.year)
        ups = queries.program_uploads(conn, program_id)
        progs = queries.programs(conn, report.district_cd)
        written = queries.reasons(conn, report.district_cd, report.year, program_id=program_id)
    own = facts[(facts["program_id"] == program_id) & (facts["metric"] != "executed")]
    rows = own[["metric", "month", "value", "is_sample"]].copy()
    if program_id in report.program_executed.index:
        ex = report.program_executed.loc[program_id].dropna()
        flag = report.program_executed_sample.loc[program_id].reindex(ex.index).fillna(0) > 0
        rows = pd.concat(
            [
                pd.DataFrame({"metric": "executed", "month": ex.index, "value": ex.values, "is_sample": flag.values}),
                rows,
            ]
        )
    rows["label"] = [metric_label(m) for m in rows["metric"]]
    rows["unit"] = [unit_word(catalog.metric(m).unit) for m in rows["metric"]]
    mine = tgt[tgt["program_id"] == program_id]
    targets = dict(zip(mine["metric"], mine["value"].astype(float), strict=True))
    budget = report.programs.set_index("id")["budget"].get(program_id)
    if budget is not None and budget == budget:
        targets.setdefault("executed", float(budget))
    fund = split[(split["program_id"] == program_id) & (split["source"] != "total")]
    funding = pd.DataFrame(
        {
            "source": fund["source"],
            header("col_funding_source"): [term(catalog.FUNDING_SOURCES.get(s, s)) for s in fund["source"]],
            "budget": fund["budget"],
        }
    )
    name = progs.set_index("id")["name"].get(program_id, "")
    month_col = header("col_month")
    history = pd.DataFrame(
        {
            month_col: written["month"].astype("int64"),
            t("reason"): written["reason"],
            t("action"): written["action"],
            header("col_entered_by"): written["uploaded_by"],
            header("col_upload"): written["upload_id"].astype("int64"),
            header("col_sample"): [t("sample_short") if s else "" for s in written["is_sample"]],
        }
    ).sort_values(month_col, ascending=False)
    own = report.programs.set_index("id")
    needs = bool(own["needs_reason"].get(program_id, False)) if "needs_reason" in own else False
    return ProgramDetail(
        name,
        rows.reset_index(drop=True),
        targets,
        funding,
        ups,
        palette(progs).get(program_id, colors.EXECUTION),
        history.reset_index(drop=True),
        report.note(program_id),
        needs,
        report.data_month,
    )


def palette(programs: pd.DataFrame) -> dict[int, str]:
    """Colour per program id of a district's full program list (queries.programs), stable across pages."""
    parents = [None if p is None or pd.isna(p) else int(p) for p in programs["parent_id"]]
    return colors.program_colors([int(i) for i in programs["id"]], parents)


def metric_label(code: str) -> str:
    """A metric's name (kpi.domain.catalog) in the UI language."""
    metric = catalog.metric(code)
    return metric.en if load_settings().lang == "en" else metric.ko


@dataclass(frozen=True)
class MetricTrend:
    """One metric of a program's drill-down as its chart shows it: money in the display unit, with its target."""

    metric: str
    label: str
    unit: str  # the display unit (a money unit, or the metric's unit)
    months: list[int]
    values: list[float]
    target: float | None
    data: pd.DataFrame  # month, value (in unit), sample: the chart's data view


def metric_trends(detail: ProgramDetail, money_unit: str) -> list[MetricTrend]:
    """Per metric of the drill-down, in order: monthly values and target, money (집행액) in `money_unit`."""
    out = []
    for metric, rows in detail.metrics.groupby("metric", sort=False):
        money = metric == "executed"
        unit = money_unit if money else str(rows["unit"].iloc[0])
        values = [amount(v, unit) for v in rows["value"]] if money else [float(v) for v in rows["value"]]
        target = detail.targets.get(str(metric))
        target = to_unit(target, unit) if money and target is not None else target
        label = str(rows["label"].iloc[0])
        data = pd.DataFrame(
            {
                header("col_month"): list(rows["month"]),
                with_unit(label, unit): values,
                "is_sample": list(rows["is_sample"]),
            }
        )
        months = [int(m) for m in rows["month"]]
        out.append(MetricTrend(str(metric), label, unit, months, values, target, data))
    return out


@dataclass(frozen=True)
class FundingChart:
    """A program's budget by funding source in the display unit: the stacked bar's series and its data view."""

    by_source: dict[str, Sequence[float]]
    data: pd.DataFrame


def funding_chart(detail: ProgramDetail, unit: str) -> FundingChart:
    """The drill-down's funding split in `unit`: one bar segment per source, and the split as a table."""
    f = detail.funding
    source_col = header("col_funding_source")
    by: dict[str, Sequence[float]] = {
        str(lab): [amount(v, unit)] for lab, v in zip(f[source_col], f["budget"], strict=True)
    }
    data = (
        f.assign(budget=[to_unit(v, unit) for v in f["budget"]])
        .rename(columns={"budget": header("budget", unit)})
        .drop(columns=["source"])
    )
    return FundingChart(by, data)


@dataclass(frozen=True)
class Screen:
    """The 사업별 실적 page's program table for its filters, the choices of its filters and the rows shown for the
    chosen teams, categories and statuses (read it, never change it)."""

    report: KpiReport
    columns: TableColumns
    teams: list[str]
    categories: list[str]
    statuses: list[str]
    shown: pd.DataFrame  # program_table rows of the choices (all when none)
    shown_data: pd.DataFrame  # the data view: shown without id and trend
    names: dict[int, str]  # program_names of shown


def screen(
    store: Store,
    report: KpiReport,
    filters: Filters,
    teams: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
) -> Screen:
    """The program table of the filters' report in the filters' unit, filtered by filter_table."""
    table = program_table(report, filters.unit)
    col = table_columns(filters.unit)
    if table.empty:
        return Screen(report, col, [], [], [], table, table, {})
    shown = filter_table(table, list(teams), list(categories), list(statuses))
    return Screen(
        report,
        col,
        sorted(table[col.team].unique()),
        sorted(table[col.category].unique()),
        sorted(table[col.status].unique()),
        shown,
        shown.drop(columns=["id", col.trend]),
        program_names(shown),
    )


@dataclass(frozen=True)
class DetailScreen:
    """One program's drill-down as the page lays it out: the detail, its 사유·조치계획 lines, the metric charts and
    the funding chart (read it, never change it)."""

    detail: ProgramDetail
    sample: bool  # some metric of the program is sample data
    note_lines: list[str]  # Markdown of the month's reason and action, each line escaped
    note_caption: str | None  # who entered them, and the sample tag
    trends: list[tuple[MetricTrend, go.Figure]]
    funding: FundingChart | None  # None: no funding split
    funding_figure: go.Figure | None


def detail_screen(store: Store, report: KpiReport, filters: Filters, program_id: int) -> DetailScreen:
    """The drill-down of a program of the filters' report, money in the filters' unit."""
    detail = program_detail(store, report, program_id)
    unit = filters.unit
    lines, caption = [], None
    if detail.note is not None:
        for key in ("reason", "action"):
            text = getattr(detail.note, key)
            if text:  # each line escaped on its own (md makes a line start no block), kept as a line break
                lines.append(f"**{t(key)}** " + "  \n".join(md(line) for line in text.splitlines() if line.strip()))
        sample = f" · {t('sample_short')}" if detail.note.is_sample else ""
        caption = t("reason_by", month=detail.note.month, who=md(detail.note.by)) + sample
    trends = [
        (trend, charts.metric_trend(trend.months, trend.values, trend.label, trend.unit, trend.target))
        for trend in metric_trends(detail, unit)
    ]
    funding = None if detail.funding.empty else funding_chart(detail, unit)
    figure = None if funding is None else charts.stacked_by_source([detail.name[:14]], funding.by_source, filters.unit)
    return DetailScreen(detail, bool(detail.metrics["is_sample"].any()), lines, caption, trends, funding, figure)
