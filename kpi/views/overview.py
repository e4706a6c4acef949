"""What the 종합 현황 page shows, as plain data: KPI cards and the program table (no streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, cast

import pandas as pd
import plotly.graph_objects as go

from kpi import theme as colors
from kpi.domain import kpis
from kpi.domain.dates import month_end
from kpi.domain.filters import Filters
from kpi.domain.units import fmt_money, fmt_pct, fmt_pp
from kpi.i18n import status_label, t, unit_label
from kpi.settings import load_settings
from kpi.store import Store
from kpi.store.reasons import Note
from kpi.views import charts, header, tree_label
from kpi.views.report import KpiReport, build_report
from kpi.views.safe_text import md

DEFAULT_UNIT = "천원"  # a key of kpi.domain.units.MONEY_UNITS


# Colour of a metric's delta, as st.metric takes it (the status colours of kpi.colors are among them).
DeltaColor = Literal["normal", "inverse", "off", "red", "orange", "yellow", "green", "blue", "violet", "gray", "grey"]


@dataclass(frozen=True)
class Card:
    """One KPI card: label, value and delta as displayed, the exact value, a sparkline, and its sample flag."""

    key: str
    label: str
    value: str
    exact: float | None
    delta: str | None
    delta_color: DeltaColor
    sparkline: list[float]
    sample: bool
    help: str


def _at(series: pd.Series, months: pd.Series, month: int | None) -> float | None:
    """The value of a monthly series at a month (None when that month has no figure)."""
    if month is None:
        return None
    hit = series[months == month]
    return None if hit.empty or pd.isna(hit.iloc[0]) else float(hit.iloc[0])


def _flag(m: pd.DataFrame, col: str, month: int | None) -> bool:
    """True when a monthly sample column is set at a month."""
    return bool(_at(m[col].astype("float64"), m["month"], month) or 0) if col in m else False


# Sample columns of report.monthly behind each compared rate.
SAMPLE_COLUMNS = {
    "execution_rate": ("executed_sample",),
    "placement_rate": ("placements_sample", "job_seekers_sample"),
}


@dataclass(frozen=True)
class MonthChange:
    """A rate's change from the previous month to the data month, in %p of the displayed figures."""

    pp: float
    month: int
    previous: int
    sample: bool


def mom(report: KpiReport, col: str) -> MonthChange | None:
    """Month-on-month (kpis.mom_change of the displayed rates): the data month against the month before it, both
    with figures (no gap bridged)."""
    m, month = report.monthly, report.data_month
    if not len(m) or month is None or month < 2:
        return None
    changes = kpis.mom_change(pd.Series(m[col].to_numpy(), index=m["month"].astype(int)), decimals=1)
    pp = changes["diff"].get(month)
    if pp is None or pd.isna(pp):
        return None
    sample = any(_flag(m, c, mo) for c in SAMPLE_COLUMNS.get(col, ()) for mo in (month, month - 1))
    return MonthChange(float(pp), month, month - 1, sample)


def _tag(sample: bool, lang: str | None = None) -> str:
    """' · 표본' after a figure resting on sample data, else nothing."""
    return f" · {t('sample_short', lang)}" if sample else ""


def cards(report: KpiReport, lang: str | None = None) -> list[Card]:
    """The four headline cards of the overview, in display order."""
    m = report.monthly
    sample_tag = f" ·{t('sample_short', lang)}"
    exec_delta = None if pd.isna(report.gap_pp) else f"{fmt_pp(report.gap_pp)} {t('gap_to_pace', lang)}"
    place = mom(report, "placement_rate")
    rank_text = "-" if report.rank is None else t("rank_value", lang, rank=report.rank, of=report.ranked_districts)
    streak = report.first_place_streak
    period = "" if report.rank_period is None else f"{report.rank_period[0]}.{report.rank_period[1]}/2"
    out = [
        Card(
            "execution",
            t("execution_rate", lang),
            fmt_pct(report.execution_rate),
            _exact(report.execution_rate),
            exec_delta,
            cast(DeltaColor, colors.STATUS[report.status][0]),
            _spark(m.get("execution_rate")),
            report.sample["executed"] or report.sample["budget"],
            t(
                "card_execution_help",
                lang,
                executed=fmt_money(report.executed),
                budget=fmt_money(report.budget),
                pace=fmt_pct(report.pace),
                status=status_label(report.status, lang),
            ),
        ),
        Card(
            "placement",
            t("placement_rate", lang),
            fmt_pct(report.placement_rate),
            _exact(report.placement_rate),
            None
            if place is None
            else f"{fmt_pp(place.pp)} {t('vs_previous_month', lang)}" + (sample_tag if place.sample else ""),
            "normal",
            _spark(m.get("placement_rate")),
            report.sample["placement"],
            t("card_placement_help", lang, placements=_n(report.placements), job_seekers=_n(report.job_seekers)),
        ),
        Card(
            "achievement",
            t("achievement_rate", lang),
            fmt_pct(report.achievement_rate),
            _exact(report.achievement_rate),
            None,
            "off",
            _spark(kpis.achievement_rate(m["jobs_created"], report.jobs_target) if len(m) else None),
            report.sample["achievement"],
            t("card_achievement_help", lang, actual=_n(report.jobs_actual), target=_n(report.jobs_target)),
        ),
        Card(
            "rank",
            t("employment_rank", lang),
            rank_text,
            None if report.rank is None else float(report.rank),
            t("streak", lang, n=streak) if streak >= 2 else None,
            "off",
            [],
            report.sample["rank"],
            t("card_rank_help", lang, period=period),
        ),
    ]
    return [c if not c.sample else Card(**{**c.__dict__, "label": c.label + sample_tag}) for c in out]


def program_table(report: KpiReport, unit: str = DEFAULT_UNIT, lang: str | None = None) -> pd.DataFrame:
    """The 계 row, then unit and sub-programs: budget, executed (in `unit`), rate, gap, status, team, sample.

    Money first after the name, so that 예산액, 집행액 and 집행률 are in view on a narrow screen; a large program
    without a figure for the month reads '자료 없음 (확인 필요)'."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    total_sample = report.sample["budget"] or report.sample["executed"]
    names = [
        t("col_total", lang),
        *(("　" if lvl == "sub" else "") + tree_label(n, lvl) for n, lvl in zip(p["name"], p["level"], strict=True)),
    ]
    status = [
        t("status_missing_data", lang) if missing else status_label(s, lang)
        for s, missing in zip(p["status"], p["missing_data"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("program", lang): names,
            header("budget", unit, lang): [fmt_money(v, unit) for v in (report.budget, *p["budget"])],
            header("executed", unit, lang): [fmt_money(v, unit) for v in (report.executed, *p["executed"])],
            t("execution_rate", lang): [fmt_pct(v) for v in (report.execution_rate, *p["execution_rate"])],
            t("gap_to_pace", lang): [fmt_pp(v) for v in (report.gap_pp, *p["gap_pp"])],
            t("status", lang): [status_label(report.status, lang), *status],
            t("team", lang): ["", *p["team"].fillna("-")],
            t("sample_short", lang): [t("sample_short", lang) if s else "" for s in (total_sample, *p["is_sample"])],
        }
    )


def _exact(v: float) -> float | None:
    """A figure as a float, None when missing."""
    return None if pd.isna(v) else float(v)


def _spark(series: pd.Series | None) -> list[float]:
    """A sparkline's points: the series' figures (2 decimals), missing months left out."""
    return [] if series is None else [round(float(v), 2) for v in series.dropna()]


def _n(v: float) -> str:
    """A count with thousands separators, '-' when missing."""
    return "-" if pd.isna(v) else f"{round(v):,}"


def comparison_as_of(report: KpiReport) -> date | None:
    """The date last year's report is read at for a like-for-like comparison: the end of the month the data is
    from (not the as-of month, which may lie past the data), one year earlier."""
    return None if report.data_month is None else month_end(report.year - 1, report.data_month)


def comparisons(report: KpiReport, last_year: KpiReport | None, lang: str | None = None) -> dict[str, str]:
    """Per card key: '전월 대비 ±x.x%p (4월→5월) · 전년 동월 대비 ±y.y%p (2023.5→2024.5)', each from the month
    the data is from on both sides (a month without figures is said, not bridged) and tagged 표본 when any figure
    behind it is sample data. `last_year` is the report at comparison_as_of(report); one without any figure
    (no data month) is not compared."""
    last_year = last_year if last_year is not None and last_year.data_month else None
    month = report.data_month
    same_month = last_year is not None and month is not None and last_year.data_month == month
    span = "" if month is None else f"{report.year - 1}.{month}→{report.year}.{month}"
    series = {
        "execution": ("execution_rate", "executed", "budget"),
        "placement": ("placement_rate", "placement", None),
        "achievement": ("achievement_rate", "achievement", None),
    }
    out: dict[str, str] = {}
    for key, (col, flag, flag2) in series.items():
        parts = []
        change = mom(report, col) if key != "achievement" else None
        if change is not None:
            sample = _tag(change.sample, lang)
            pp = fmt_pp(change.pp)
            parts.append(t("mom_line", lang, pp=pp, previous=change.previous, month=change.month, sample=sample))
        if last_year is not None and month is not None:
            yoy = _yoy(getattr(report, col), getattr(last_year, col), month) if same_month else None
            if yoy is not None:
                either = any(r.sample.get(f, False) for r in (report, last_year) for f in (flag, flag2) if f)
                parts.append(t("yoy_line", lang, pp=fmt_pp(yoy), span=span, sample=_tag(either, lang)))
            elif not same_month:
                parts.append(t("last_year_missing", lang, period=f"{report.year - 1}.{month}"))
        out[key] = " · ".join(parts)
    if last_year is not None and report.rank is not None and last_year.rank is not None:
        sample = f" ({t('sample_short', lang)})" if last_year.sample["rank"] else ""
        out["rank"] = t("rank_last_year", lang, rank=last_year.rank, sample=sample)
    return out


def _yoy(now: float, last_year: float, month: int) -> float | None:
    """Year-on-year change in %p of the displayed rates at the data month (kpis.yoy_change); None when missing."""
    diff = kpis.yoy_change(pd.Series({month: now}), pd.Series({month: last_year}), decimals=1)["diff"][month]
    return None if pd.isna(diff) else float(diff)


def projection_line(report: KpiReport, lang: str | None = None) -> str | None:
    """'연말 집행률 전망 95.9% (범위 94.1%~99.0%, 2~5월 추세 · 표본)': the year-end projection of execution,
    labelled 표본 when any month it reads is sample data; None when there is nothing to project."""
    rates, p = report.projection_rate, report.projection
    if rates is None or p is None or pd.isna(rates[0]):
        return None
    value, low, high = (fmt_pct(v) for v in rates)
    months = t("month_range", lang, first=p.first_month, last=p.last_month)
    sample = _tag(p.is_sample, lang)
    return t("projection_overview", lang, value=value, low=low, high=high, months=months, sample=sample)


@dataclass(frozen=True)
class Attention:
    """A program (or the district's jobs target) that needs attention: name, status, a one-line explanation, and
    for a program staff's 사유·조치계획 of the month, or needs_reason when a lagging program has none."""

    name: str
    status: str
    reason: str  # why it is listed (the figures), not staff's 사유
    program_id: int | None = None
    note: Note | None = None
    needs_reason: bool = False
    team: str | None = None

    @property
    def badge(self) -> str:
        """Streamlit colour name of the status badge."""
        return colors.STATUS[self.status][0]


def attention(report: KpiReport, lang: str | None = None, unit: str = DEFAULT_UNIT) -> list[Attention]:
    """Large programs without figures for the month (biggest first, budget in `unit`), programs behind pace (worst
    gap first), then the district behind its jobs target. Each program item carries its 사유·조치계획 or
    needs_reason."""
    p = report.programs
    out = []
    month = report.data_month
    if not p.empty:
        missing = p[p["missing_data"]].sort_values("budget", ascending=False, kind="stable")
        lagging = p[p["status"].isin(["behind", "at_risk"]) & ~p["missing_data"]].sort_values("gap_pp", kind="stable")
        for r in missing.itertuples():
            budget = fmt_money(r.budget, unit)
            why = t("missing_data_line", lang, budget=budget, unit=unit_label(unit, lang), month=month or "-")
            out.append(_program_item(report, r, why + (f" ({t('sample_short', lang)})" if r.is_sample else "")))
        for r in lagging.itertuples():
            rate, pace = fmt_pct(r.execution_rate), fmt_pct(report.pace)
            why = t("lagging_line", lang, rate=rate, pace=pace, gap=fmt_pp(r.gap_pp))
            out.append(_program_item(report, r, why + (f" ({t('sample_short', lang)})" if r.is_sample else "")))
    if not pd.isna(report.achievement_rate):
        gap = kpis.pace_gap_pp(report.achievement_rate, report.pace)
        if gap < 0:
            out.append(
                Attention(
                    t("achievement_rate", lang),
                    kpis.pace_status(gap, load_settings().pace_bands),
                    t(
                        "jobs_behind_line",
                        lang,
                        actual=_n(report.jobs_actual),
                        target=_n(report.jobs_target),
                        rate=fmt_pct(report.achievement_rate),
                        gap=fmt_pp(gap),
                    )
                    + (f" ({t('sample_short', lang)})" if report.sample["achievement"] else ""),
                )
            )
    return out


def _program_item(report: KpiReport, row: object, why: str) -> Attention:
    """An attention item of a program row (itertuples of report.programs) with its note and needs_reason."""
    pid = int(row.id)  # type: ignore[attr-defined]
    team = row.team if isinstance(row.team, str) else None  # type: ignore[attr-defined]
    return Attention(
        row.name,  # type: ignore[attr-defined]
        row.status,  # type: ignore[attr-defined]
        why,
        pid,
        report.note(pid),
        bool(row.needs_reason),  # type: ignore[attr-defined]
        team,
    )


def trend_data(report: KpiReport) -> pd.DataFrame:
    """The monthly trend chart's data view: month, cumulative execution rate and pace (%, 2 decimals), sample."""
    m = report.monthly
    columns = {
        "month": header("col_month"),
        "execution_rate": header("col_cum_rate", "%"),
        "pace": header("pace", "%"),
        "executed_sample": header("col_sample"),
    }
    return m[list(columns)].rename(columns=columns).round(2)


def data_checks(report: KpiReport, unit: str) -> list[str]:
    """What staff should know about the figures: sub-programs not yet attached to a unit (left out of the totals)
    and programs whose stated budget differs from the sum of their sub-programs (both numbers shown)."""
    out = []
    if report.unassigned is not None:
        count, won = report.unassigned
        out.append(t("check_unassigned", n=f"{count:,}", amount=fmt_money(won, unit), unit=unit_label(unit)))
    for _pid, name, stated, kids in report.mismatches:
        out.append(
            t(
                "check_mismatch",
                program=name,
                stated=fmt_money(stated, unit),
                kids=fmt_money(kids, unit),
                diff=fmt_money(stated - kids, unit),
                unit=unit_label(unit),
            )
        )
    return out


@dataclass(frozen=True)
class Screen:
    """Everything the 종합 현황 page lays out for its filters, computed once per data version: the notes, the data
    checks, the cards with their comparison captions, the attention list as Markdown lines, the trend chart and the
    program table (a page reads it and never changes it)."""

    report: KpiReport
    missing_months: list[str]  # info lines: months without figures before the as-of month
    checks: list[str]  # data-check captions, escaped
    cards: list[Card]
    captions: dict[str, list[str]]  # per card key: the captions under it, escaped
    attention: list[tuple[str, str]]  # ("markdown" | "caption", text), escaped, in order
    trend: go.Figure
    trend_data: pd.DataFrame
    trend_hatched: bool  # some month of the trend is sample data
    table: pd.DataFrame
    right_aligned: list[str]  # the table's money and rate columns


def screen(store: Store, report: KpiReport, filters: Filters) -> Screen:
    """The overview of `report` in the filters' unit; last year is compared at comparison_as_of (like for like)."""
    unit = filters.unit
    missing = [
        t("missing_months", months=note.split(":")[1], data_month=report.data_month)
        for note in report.notes
        if note.startswith("missing_months:")
    ]
    compare_at = comparison_as_of(report)
    last_year = (
        build_report(store, filters.district, compare_at.year, compare_at, department=filters.department)
        if compare_at
        else None
    )
    compare = comparisons(report, last_year)
    projection = projection_line(report)
    card_list = cards(report)
    captions = {
        c.key: [md(x) for x in (compare.get(c.key), projection if c.key == "execution" else None) if x]
        for c in card_list
    }
    m = report.monthly
    trend = charts.execution_vs_pace(
        list(m["month"]),
        list(m["execution_rate"]),
        list(m["pace"]),
        list(m["executed_sample"].astype(bool)),
        t("sample_short"),
    )
    table = program_table(report, unit)
    right = [c for c in table.columns if c.startswith((t("budget"), t("executed")))]
    return Screen(
        report,
        missing,
        [md(line) for line in data_checks(report, unit)],
        card_list,
        captions,
        attention_lines(attention(report, unit=unit)),
        trend,
        trend_data(report),
        bool(m["executed_sample"].any()),
        table,
        [*right, t("execution_rate"), t("gap_to_pace")],
    )


def attention_lines(items: list[Attention]) -> list[tuple[str, str]]:
    """The attention list as the page writes it: a badge line per item, then its 사유·조치계획 (and who entered it),
    or a red badge asking the team for one; every uploaded text escaped."""
    out: list[tuple[str, str]] = []
    for item in items:
        badge = f":{item.badge}-badge[{md(status_label(item.status))}]"
        out.append(("markdown", f"{badge} **{md(item.name)}** — {md(item.reason)}"))
        if item.note is not None:
            lines = [f"↳ **{t(k)}** {md(getattr(item.note, k))}" for k in ("reason", "action") if getattr(item.note, k)]
            out.append(("markdown", "  \n".join(lines)))
            out.append(("caption", t("reason_by", month=item.note.month, who=md(item.note.by))))
        elif item.needs_reason:
            ask = f" {t('reason_ask', team=md(item.team))}" if item.team else ""
            out.append(("markdown", f"↳ :red-badge[{t('reason_missing')}]{ask}"))
    return out
