"""The briefing as plain data: one headline, one chart and speaker notes per slide, every figure from kpi.

Chart values are the figures as reported: rates half-up to one decimal (%), money in 백만원 half-up to
whole units, people as counts. Headlines read from the same rounded figures (report.gap_pp is already
the difference of the rounded rate and pace), so a slide adds up as read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

import pandas as pd

from kpi import theme
from kpi.domain import catalog, kpis
from kpi.domain.districts import BY_SIG
from kpi.domain.units import MONEY_UNITS, fmt_money, fmt_number, fmt_pct, in_unit, round_half_up
from kpi.i18n import status_label, t, term, unit_label, unit_word
from kpi.settings import load_settings
from kpi.store import Store, queries
from kpi.views import breakdowns
from kpi.views.report import KpiReport, build_report, rank_table

ChartKind = Literal["bar", "column", "line", "stacked_bar"]
_UNIT_OF = {factor: unit for unit, factor in MONEY_UNITS.items()}
CHART_MONEY_UNIT = _UNIT_OF[1_000_000]  # charts: 백만원; notes and the council table: 천원
JOB_CENTRE_METRICS = ("employers", "openings", "job_seekers", "referrals", "placements")
_TARGET_ACTUAL = (theme.OTHERS, theme.EXECUTION)
_PALE = theme.tint(theme.EXECUTION)  # the legend swatch of pale (budget) bars


@dataclass(frozen=True)
class Series:
    """One chart series: its name, one value per category (None = no figure), and its colours from kpi.theme
    (the dashboard's): one for the series, or one per category (status, program, own district)."""

    name: str
    values: tuple[float | None, ...]
    color: str | None = None
    point_colors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart as data: kind, categories, series, the unit of the values and their decimals; `pace` draws the
    pace line (경과율, %) on the value axis; `legend` names the per-category colours as (label, colour)."""

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    decimals: int = 0
    pace: float | None = None
    legend: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Slide:
    """One slide: a key, a short title, one headline, one chart (None on the title slide), notes, sample flag."""

    key: str
    title: str
    headline: str
    chart: Chart | None
    notes: tuple[str, ...]
    sample: bool
    body: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # a line per lagging program of the slide: staff's 사유·조치계획 (kpi.reasons)


@dataclass(frozen=True)
class Deck:
    """The briefing of one district-year as of a date: slides in presentation order, written in `lang`."""

    district_cd: str
    district_name: str
    year: int
    as_of: date
    slides: tuple[Slide, ...]
    sources: tuple[str, ...] = field(default=())
    lang: str = "ko"
    department: str | None = None  # the department reported on (None: the home department)

    @property
    def includes_sample(self) -> bool:
        """True when any slide shows sample data."""
        return any(s.sample for s in self.slides)


def dotted(d: date, lang: str | None = None) -> str:
    """A date the way reports write it: 2024. 5. 31. (Korean), 2024-05-31 (English)."""
    return t("deck_date", lang, year=d.year, month=d.month, day=d.day)


def _r1(v: float | None) -> float | None:
    """A rate as charted: half up to one decimal."""
    return round_half_up(v, 1)


def _money(won: float | None) -> float | None:
    """원 -> whole 백만원, half up (the chart unit)."""
    return None if won is None or pd.isna(won) else in_unit(won, CHART_MONEY_UNIT)


def _count(v: float | None) -> float | None:
    """A count as charted: a whole number (None stays None)."""
    return None if v is None or pd.isna(v) else float(round(v))


def _gap_words(gap_pp: float | None, lang: str) -> str:
    """'0.8%p 부족' / '1.2%p 초과' / '같음' for a gap to pace."""
    if gap_pp is None or pd.isna(gap_pp):
        return t("deck_gap_none", lang)
    if gap_pp == 0:
        return t("deck_gap_equal", lang)
    return t("deck_gap_short" if gap_pp < 0 else "deck_gap_over", lang, pp=f"{abs(gap_pp):.1f}")


def _one_line(reason: object, action: object, lang: str, sep: str = " / ") -> str:
    """'사유: … / 조치계획: …' on one line (line breaks as spaces), the parts that were written ('' for none)."""
    texts = ((t("reason", lang), reason), (t("action", lang), action))
    return sep.join(f"{label}: {' '.join(text.split())}" for label, text in texts if isinstance(text, str) and text)


def metric_label(code: str, lang: str | None = None) -> str:
    """A metric with its unit word, as the report's tables head a figure: 구인업체(개), Employers (firms)."""
    lang = lang or load_settings().lang
    spec = catalog.metric(code)
    name = spec.ko if lang == "ko" else spec.en
    return t("deck_metric_unit", lang, metric=name, unit=unit_word(spec.unit, lang))


def _status_colors(frame: pd.DataFrame, lang: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The dashboard's status colour of each row, and the legend of the statuses shown (in status order)."""
    shown = list(frame["status"])
    point = tuple(theme.STATUS.get(s, theme.STATUS["no_data"])[1] for s in shown)
    return point, tuple((status_label(s, lang), theme.STATUS[s][1]) for s in theme.STATUS if s in shown)


def _program_colors(r: KpiReport, ids: pd.Series) -> tuple[str, ...]:
    """The dashboard's colour of each program (units in id order; subs take their unit's)."""
    parents = [None if pd.isna(p) else int(p) for p in r.programs["parent_id"]]
    palette = theme.program_colors([int(i) for i in r.programs["id"]], parents)
    return tuple(palette[int(i)] for i in ids)


class _Sources:
    """The figures behind the slides, each read once and only when a chosen slide needs it, and the language."""

    def __init__(
        self, store: Store, district_cd: str, year: int, as_of: date, lang: str, department: str | None = None
    ) -> None:
        """What the figures are read for (one department), and the language the slides are written in."""
        self.store, self.district_cd, self.year, self.as_of, self.lang = store, district_cd, year, as_of, lang
        self.department = department

    def t(self, key: str, **values: object) -> str:
        """The slide text of a key in the deck's language."""
        return t(key, self.lang, **values)

    def months(self, months: pd.Series) -> tuple[str, ...]:
        """Month numbers as chart categories (5월, M5)."""
        return tuple(t("month_short", self.lang, month=int(m)) for m in months)

    @cached_property
    def report(self) -> KpiReport:
        """The KPI report of the district-year as of the date."""
        return build_report(self.store, self.district_cd, self.year, self.as_of, department=self.department)

    @cached_property
    def funding(self) -> pd.DataFrame:
        """Budgets per program and funding source."""
        return breakdowns.funding_table(self.store, self.district_cd, self.year)

    @cached_property
    def programs(self) -> pd.DataFrame:
        """The district's programs."""
        with self.store.engine.connect() as conn:
            return queries.programs(conn, self.district_cd)

    @cached_property
    def survey(self) -> pd.DataFrame:
        """Employment rates (15+) of every district and half-year."""
        with self.store.engine.connect() as conn:
            return queries.survey(conn, "employment_rate", "15+")

    @cached_property
    def job_centre(self) -> pd.DataFrame:
        """The job centre's figures of the data month."""
        month = self.report.data_month or 0
        with self.store.engine.connect() as conn:
            rows = queries.facts(conn, self.district_cd, self.year, month, metrics=JOB_CENTRE_METRICS)
        ids = self.programs.loc[self.programs["name"] == catalog.JOB_CENTRE_PROGRAM, "id"]
        return rows[rows["program_id"].isin(ids) & (rows["month"] == month)]

    @cached_property
    def uploads(self) -> pd.DataFrame:
        """The district's uploads."""
        with self.store.engine.connect() as conn:
            return queries.uploads(conn, self.district_cd)


def _data_sources(src: _Sources) -> tuple[str, ...]:
    """Notes of the committed uploads behind the figures (as of the date), sample ones as one line."""
    up = src.uploads
    up = up[(up["status"] == "committed") & up["as_of"].notna()] if not up.empty else up
    if not up.empty:  # the uploads of this year up to the as-of date
        as_of = pd.to_datetime(up["as_of"]).dt.date
        up = up[(as_of <= src.as_of) & (pd.to_datetime(up["as_of"]).dt.year == src.year)]
    real = tuple(dict.fromkeys(up.loc[~up["is_sample"].astype(bool), "note"].dropna())) if not up.empty else ()
    has_sample = bool(not up.empty and up["is_sample"].astype(bool).any())
    return real + ((src.t("deck_sample_source"),) if has_sample else ())


def _title(src: _Sources) -> Slide:
    """The title slide: the briefing's name, the as-of date and the data sources."""
    r = src.report
    sources = _data_sources(src)
    body = (
        src.t("deck_as_of_line", date=dotted(r.as_of, src.lang)),
        *(src.t("deck_source_line", source=s) for s in sources or (src.t("deck_no_uploads"),)),
    )
    note = src.t("deck_title_note", district=r.district_name, code=r.district_cd, year=r.year,
                 date=dotted(r.as_of, src.lang))  # fmt: skip
    return Slide(
        "title",
        src.t("slide_title"),
        src.t("deck_title", district=r.district_name, year=r.year),
        None,
        (note, *body[1:]),
        r.includes_sample,
        body,
    )


def _sample_months(src: _Sources, flags: str) -> tuple[list[str], list[str]]:
    """The months whose `flags` column marks sample figures, and the note line saying so (none if none)."""
    m = src.report.monthly
    months = [src.t("month_short", month=int(x)) for x, s in zip(m["month"], m[flags], strict=True) if s]
    return months, ([src.t("deck_sample_months", months=", ".join(months))] if months else [])


def _execution(src: _Sources) -> Slide:
    """Cumulative execution rate against the pace, by month."""
    r, m = src.report, src.report.monthly
    chart = Chart(
        "line",
        src.months(m["month"]),
        (
            Series(src.t("deck_rate"), tuple(_r1(v) for v in m["execution_rate"]), theme.EXECUTION),
            Series(src.t("deck_pace"), tuple(_r1(v) for v in m["pace"]), theme.PACE),
        ),
        "%",
        1,
    )
    sample_months, sample_note = _sample_months(src, "executed_sample")
    gap = _gap_words(r.gap_pp, src.lang)
    notes = (
        src.t("deck_exec_formula", rate=fmt_pct(r.execution_rate), executed=fmt_money(r.executed),
              budget=fmt_money(r.budget)),
        src.t("deck_pace_note", pace=fmt_pct(r.pace), date=dotted(r.effective_date, src.lang),
              months=fmt_pct(r.pace_months)),
        src.t("deck_gap_note", gap=gap, status=status_label(r.status, src.lang)),
        *sample_note,
    )  # fmt: skip
    return Slide(
        "execution",
        src.t("slide_execution"),
        src.t("deck_exec_headline", rate=fmt_pct(r.execution_rate), gap=gap),
        chart,
        notes,
        bool(r.sample["executed"] or r.sample["budget"] or sample_months),
    )


def _units(r: KpiReport) -> pd.DataFrame:
    """The unit programs of a report."""
    return r.programs[r.programs["level"] == "unit"]


def _lagging_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows behind pace or large without figures (those heads ask a reason for)."""
    return frame[frame["status"].isin(["behind", "at_risk"]) | frame["missing_data"]]


def _reason_note(row: object, lang: str) -> str:
    """' · 사유: … · 조치계획: …' for a program's speaker-note line, ' · 사유 미입력' when a lagging one has none."""
    text = _one_line(row.reason, row.action, lang, " · ")  # type: ignore[attr-defined]
    if text:
        return " · " + text
    return f" · {t('reason_missing', lang)}" if row.needs_reason else ""  # type: ignore[attr-defined]


def _reason_lines(frame: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """The slide's line(s): '{program} — 사유: … / 조치계획: …' for each lagging program with an entry."""
    rows = _lagging_rows(frame)
    return tuple(f"{r.name} — {_one_line(r.reason, r.action, lang)}" for r in rows.itertuples() if r.reason or r.action)


def _programs(src: _Sources) -> Slide:
    """Execution rate per unit program in its status colour, with the pace line."""
    r = src.report
    units = _units(r)
    rates = [_r1(v) for v in units["execution_rate"]]
    point, legend = _status_colors(units, src.lang)
    series = (Series(src.t("deck_rate"), tuple(rates), point_colors=point),)
    chart = Chart("bar", tuple(units["name"]), series, "%", 1, pace=_r1(r.pace), legend=legend)
    behind = units[units["gap_pp"] < 0]
    low = units.loc[units["execution_rate"].idxmin()] if units["execution_rate"].notna().any() else None
    headline = src.t("deck_programs_headline", behind=len(behind), total=len(units))
    if low is not None:
        headline += src.t("deck_lowest", name=low["name"], rate=fmt_pct(low["execution_rate"]))
    notes = tuple(
        src.t("deck_program_note", name=row.name, rate=fmt_pct(row.execution_rate), executed=fmt_money(row.executed),
              budget=fmt_money(row.budget), status=status_label(row.status, src.lang))
        + _reason_note(row, src.lang)
        for row in units.itertuples()
    )  # fmt: skip
    return Slide(
        "programs",
        src.t("slide_programs"),
        headline,
        chart,
        notes,
        bool(units["is_sample"].any()),
        reasons=_reason_lines(units, src.lang),
    )


def _budget(src: _Sources) -> Slide:
    """Budget (pale) and executed amount per unit program, in each program's colour."""
    r = src.report
    units = _units(r)
    hues = _program_colors(r, units["id"])
    chart = Chart(
        "bar",
        tuple(units["name"]),
        (  # as on the dashboard: each program's colour, the budget pale behind the executed amount
            Series(src.t("deck_budget"), tuple(_money(v) for v in units["budget"]), _PALE,
                   tuple(map(theme.tint, hues))),
            Series(src.t("deck_executed"), tuple(_money(v) for v in units["executed"]), theme.EXECUTION, hues),
        ),
        unit_label(CHART_MONEY_UNIT, src.lang),
    )  # fmt: skip
    headline = src.t(
        "deck_budget_headline",
        budget=fmt_money(r.budget, CHART_MONEY_UNIT),
        executed=fmt_money(r.executed, CHART_MONEY_UNIT),
    )
    notes = (
        src.t("deck_budget_total", budget=fmt_money(r.budget), executed=fmt_money(r.executed),
              rate=fmt_pct(r.execution_rate)),
        src.t("deck_unspent", amount=fmt_money(r.budget - r.executed)),
    )  # fmt: skip
    return Slide("budget", src.t("slide_budget"), headline, chart, notes, bool(units["is_sample"].any()))


def _lagging(src: _Sources) -> Slide:
    """Execution rate per sub-program, lowest first, with the pace line."""
    r = src.report
    subs = r.programs[(r.programs["level"] == "sub") & r.programs["execution_rate"].notna()]
    subs = subs.sort_values("execution_rate", kind="stable")
    point, legend = _status_colors(subs, src.lang)
    rates = (Series(src.t("deck_rate"), tuple(_r1(v) for v in subs["execution_rate"]), point_colors=point),)
    chart = Chart("bar", tuple(subs["name"]), rates, "%", 1, pace=_r1(r.pace), legend=legend)
    if subs.empty:
        headline = src.t("deck_no_sub")
    else:
        low = subs.iloc[0]
        headline = src.t("deck_lagging_headline", name=low["name"], rate=fmt_pct(low["execution_rate"]))
    notes = tuple(
        src.t("deck_sub_note", name=row.name, parent=row.parent, rate=fmt_pct(row.execution_rate),
              gap=_gap_words(row.gap_pp, src.lang))
        + _reason_note(row, src.lang)
        for row in subs.itertuples()
    )  # fmt: skip
    # a large sub-program without figures has no bar; its 사유 (or 사유 미입력) still goes to the notes and the line
    absent = r.programs[(r.programs["level"] == "sub") & r.programs["missing_data"]]
    notes += tuple(
        src.t("deck_sub_absent", name=row.name, parent=row.parent) + _reason_note(row, src.lang)
        for row in absent.itertuples()
    )
    return Slide(
        "lagging",
        src.t("slide_lagging"),
        headline,
        chart,
        notes,
        bool(subs["is_sample"].any()),
        reasons=_reason_lines(pd.concat([absent, subs]), src.lang),
    )


def _placement(src: _Sources) -> Slide:
    """The job centre's placement rate by month."""
    r, m = src.report, src.report.monthly
    chart = Chart(
        "column",
        src.months(m["month"]),
        (Series(src.t("deck_placement"), tuple(_r1(v) for v in m["placement_rate"]), theme.EXECUTION),),
        "%",
        1,
    )
    figures = {"rate": fmt_pct(r.placement_rate), "seekers": fmt_number(r.job_seekers),
               "placed": fmt_number(r.placements)}  # fmt: skip
    sample_months, sample_note = _sample_months(src, "placements_sample")
    notes = (src.t("deck_placement_formula", **figures), *sample_note)
    return Slide(
        "placement",
        src.t("slide_placement"),
        src.t("deck_placement_headline", **figures),
        chart,
        notes,
        bool(r.sample["placement"] or sample_months),
    )


def _achievement(src: _Sources) -> Slide:
    """Jobs created against the year's target."""
    r = src.report
    chart = Chart(
        "bar",
        (src.t("deck_annual_target"), src.t("deck_actual_to_date")),
        # as on the dashboard (target vs actual): the target grey, the actual in the execution colour
        (Series(src.t("deck_jobs"), (_count(r.jobs_target), _count(r.jobs_actual)), point_colors=_TARGET_ACTUAL),),
        unit_word("job", src.lang),
    )
    figures = {"actual": fmt_number(r.jobs_actual), "target": fmt_number(r.jobs_target),
               "rate": fmt_pct(r.achievement_rate)}  # fmt: skip
    notes = (src.t("deck_achievement_formula", **figures), src.t("deck_vs_pace", pace=fmt_pct(r.pace)))
    headline = src.t("deck_achievement_headline", **figures)
    return Slide("achievement", src.t("slide_achievement"), headline, chart, notes, bool(r.sample["achievement"]))


def _rank(src: _Sources) -> Slide:
    """The district's employment rate among Seoul's districts in the latest half-year."""
    r = src.report
    if r.rank_period is None:
        return Slide("rank", src.t("slide_rank"), src.t("deck_rank_none"), None, (src.t("deck_survey_none"),), False)
    year, half = r.rank_period
    rows = src.survey[(src.survey["year"] == year) & (src.survey["half"] == half)]
    ranked = rank_table(rows).sort_values(["rank", "district_cd"])
    names = tuple(BY_SIG[d].name for d in ranked["district_cd"])
    own = tuple(theme.HIGHLIGHT if d == r.district_cd else theme.OTHERS for d in ranked["district_cd"])
    series = (Series(src.t("deck_employment_rate"), tuple(_r1(v) for v in ranked["value"]), point_colors=own),)
    legend = ((r.district_name, theme.HIGHLIGHT), (src.t("deck_other_districts"), theme.OTHERS))
    chart = Chart("column", names, series, "%", 1, legend=legend)
    period = src.t(f"deck_half_{1 if half == 1 else 2}", year=year)
    mine = ranked[ranked["district_cd"] == r.district_cd]
    headline = src.t("deck_rank_headline", n=r.ranked_districts, rank=r.rank, period=period)
    if r.first_place_streak > 1:
        headline += src.t("deck_streak", n=r.first_place_streak)
    notes = (
        src.t("deck_rank_note", district=r.district_name, rate=fmt_pct(float(mine["value"].iloc[0])), rank=r.rank,
              n=r.ranked_districts, period=period),
        src.t("deck_streak_note", n=r.first_place_streak),
    )  # fmt: skip
    return Slide("rank", src.t("slide_rank"), headline, chart, notes, bool(r.sample["rank"]))


def _outermost(program_ids: pd.Series, parent: pd.Series) -> pd.Series:
    """True for ids none of whose ancestors is in the set (so nested figures are not counted twice)."""
    ids = set(program_ids)

    def nested(pid: int) -> bool:
        """True when an ancestor of the program is in the set."""
        par = parent.get(pid)
        while pd.notna(par):
            if int(par) in ids:
                return True
            par = parent.get(int(par))
        return False

    return ~program_ids.map(nested)


def _funding(src: _Sources) -> Slide:
    """Budgets per program stacked by funding source, in the sources' colours."""
    f = src.funding
    if f.empty:
        none = src.t("deck_no_funding")
        return Slide("funding", src.t("slide_funding"), none, None, (none,), False)
    parent = src.programs.set_index("id")["parent_id"]
    sources = [s for s in catalog.SPLIT_SOURCES if s in f.columns]
    label = {s: term(catalog.FUNDING_SOURCES[s], src.lang) for s in sources}
    chart = Chart(
        "stacked_bar",
        tuple(f["program"]),
        tuple(Series(label[s], tuple(_money(v) for v in f[s]), theme.SOURCE[s]) for s in sources),
        unit_label(CHART_MONEY_UNIT, src.lang),
    )
    top = f[_outermost(f["program_id"], parent)]
    mix = kpis.funding_mix(top[sources].sum())
    headline = src.t(
        "deck_funding_headline", parts=" · ".join(f"{label[s]} {fmt_pct(mix[s])}" for s in sources if mix[s] > 0)
    )
    notes = tuple(
        src.t(
            "deck_funding_note",
            program=row["program"],
            total=fmt_money(row["total"]),
            parts=", ".join(f"{label[s]} {fmt_money(row[s])}" for s in sources if pd.notna(row[s])),
        )
        for _, row in f.iterrows()
    )
    return Slide("funding", src.t("slide_funding"), headline, chart, notes, bool(f["is_sample"].any()))


def _job_centre(src: _Sources) -> Slide:
    """The job centre's figures of the data month and its placement rate."""
    rows = src.job_centre.set_index("metric")
    values = {m: float(rows["value"][m]) if m in rows.index else None for m in JOB_CENTRE_METRICS}
    cats = tuple(metric_label(m, src.lang) for m in JOB_CENTRE_METRICS)
    series = (Series(src.t("deck_results"), tuple(_count(v) for v in values.values()), theme.EXECUTION),)
    chart = Chart("column", cats, series, src.t("deck_unit_people_cases"))
    rate = kpis.placement_rate(values["placements"], values["job_seekers"])
    headline = src.t("deck_jc_headline", placed=fmt_number(values["placements"]), rate=fmt_pct(rate))
    notes = (
        " · ".join(f"{c} {fmt_number(v)}" for c, v in zip(cats, values.values(), strict=True)),
        src.t("deck_jc_formula", rate=fmt_pct(rate)),
    )
    return Slide("job_centre", src.t("slide_job_centre"), headline, chart, notes, bool(rows["is_sample"].any()))


BUILDERS = {
    "title": _title,
    "execution": _execution,
    "programs": _programs,
    "budget": _budget,
    "lagging": _lagging,
    "placement": _placement,
    "achievement": _achievement,
    "job_centre": _job_centre,
    "funding": _funding,
    "rank": _rank,
}
SLIDE_KEYS: tuple[str, ...] = tuple(BUILDERS)


class _SlideTitles(Mapping[str, str]):
    """Slide key -> its short title in the UI language of the moment (read at lookup, not at import)."""

    def __getitem__(self, key: str) -> str:
        """The title of a known slide key (KeyError for another)."""
        if key not in BUILDERS:
            raise KeyError(key)
        return t(f"slide_{key}")

    def __iter__(self) -> Iterator[str]:
        """The slide keys in presentation order."""
        return iter(SLIDE_KEYS)

    def __len__(self) -> int:
        """How many slides there are."""
        return len(SLIDE_KEYS)


SLIDE_TITLES: Mapping[str, str] = _SlideTitles()


def valid_keys(keys: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Known slide keys in the given order, each once; all slides when none is given."""
    if not keys:
        return SLIDE_KEYS
    return tuple(dict.fromkeys(k for k in keys if k in BUILDERS))


def build_deck(
    store: Store,
    district_cd: str,
    year: int,
    as_of: date,
    keys: list[str] | tuple[str, ...] | None = None,
    lang: str | None = None,
    department: str | None = None,
) -> Deck:
    """The briefing deck of one department of a district-year as of a date, slides in the order of `keys`
    (default: all), written in `lang` (default: the JOBKPI_LANG setting)."""
    lang = lang or load_settings().lang
    src = _Sources(store, district_cd, year, as_of, lang, department)
    slides = tuple(BUILDERS[k](src) for k in valid_keys(keys))
    dept = src.report.department
    return Deck(district_cd, src.report.district_name, year, as_of, slides, _data_sources(src), lang, dept)
