"""The briefing as plain data: one headline, one chart and speaker notes per slide, every figure from kpi.

Chart values are the figures as reported: rates half-up to one decimal (%), money in 백만원 half-up to
whole units, people as counts. Headlines read from the same rounded figures (report.gap_pp is already
the difference of the rounded rate and pace), so a slide adds up as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

import pandas as pd

from kpi import colors
from kpi.domain import catalog, kpis
from kpi.domain.districts import BY_SIG
from kpi.domain.units import fmt_money, fmt_number, fmt_pct, round_half_up, to_unit
from kpi.i18n import status_label
from kpi.store import Store, queries
from kpi.store.reasons import MISSING_KO, one_line
from kpi.views import breakdowns
from kpi.views.report import KpiReport, build_report, rank_table

ChartKind = Literal["bar", "column", "line", "stacked_bar"]
CHART_MONEY_UNIT = "백만원"  # charts: 백만원; notes and the council table: 천원
SOURCE_SHORT = {"national": "국비", "city": "시비", "district": "구비", "other": "기타"}
JOB_CENTRE_METRICS = ("employers", "openings", "job_seekers", "referrals", "placements")
_TARGET_ACTUAL = (colors.OTHERS, colors.EXECUTION)
_PALE = colors.tint(colors.EXECUTION)  # the legend swatch of pale (budget) bars
UNIT_SUFFIX = {"person": "명", "firm": "개", "case": "건", "count": "회", "job": "개", "won": "원", "percent": "%"}


@dataclass(frozen=True)
class Series:
    """One chart series: its name, one value per category (None = no figure), and its colours from kpi.colors
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
    """The briefing of one district-year as of a date: slides in presentation order."""

    district_cd: str
    district_name: str
    year: int
    as_of: date
    slides: tuple[Slide, ...]
    sources: tuple[str, ...] = field(default=())

    @property
    def includes_sample(self) -> bool:
        """True when any slide shows sample data."""
        return any(s.sample for s in self.slides)


def dotted(d: date) -> str:
    """A date the way Korean reports write it: 2024. 5. 31."""
    return f"{d.year}. {d.month}. {d.day}."


def _r1(v: float | None) -> float | None:
    return round_half_up(v, 1)


def _money(won: float | None) -> float | None:
    """원 -> whole 백만원, half up (the chart unit)."""
    return None if won is None or pd.isna(won) else round_half_up(to_unit(won, CHART_MONEY_UNIT), 0)


def _count(v: float | None) -> float | None:
    return None if v is None or pd.isna(v) else float(round(v))


def _gap_words(gap_pp: float | None) -> str:
    """'0.8%p 부족' / '1.2%p 초과' / '같음' for a gap to pace."""
    if gap_pp is None or pd.isna(gap_pp):
        return "자료 없음"
    if gap_pp == 0:
        return "같음"
    return f"{abs(gap_pp):.1f}%p {'부족' if gap_pp < 0 else '초과'}"


def _status_colors(frame: pd.DataFrame) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The dashboard's status colour of each row, and the legend of the statuses shown (in status order)."""
    shown = list(frame["status"])
    point = tuple(colors.STATUS.get(s, colors.STATUS["no_data"])[1] for s in shown)
    return point, tuple((status_label(s, "ko"), colors.STATUS[s][1]) for s in colors.STATUS if s in shown)


def _program_colors(r: KpiReport, ids: pd.Series) -> tuple[str, ...]:
    """The dashboard's colour of each program (units in id order; subs take their unit's)."""
    parents = [None if pd.isna(p) else int(p) for p in r.programs["parent_id"]]
    palette = colors.program_colors([int(i) for i in r.programs["id"]], parents)
    return tuple(palette[int(i)] for i in ids)


class _Sources:
    """The figures behind the slides, each read once and only when a chosen slide needs it."""

    def __init__(self, store: Store, district_cd: str, year: int, as_of: date) -> None:
        self.store, self.district_cd, self.year, self.as_of = store, district_cd, year, as_of

    @cached_property
    def report(self) -> KpiReport:
        return build_report(self.store, self.district_cd, self.year, self.as_of)

    @cached_property
    def funding(self) -> pd.DataFrame:
        return breakdowns.funding_table(self.store, self.district_cd, self.year)

    @cached_property
    def programs(self) -> pd.DataFrame:
        with self.store.engine.connect() as conn:
            return queries.programs(conn, self.district_cd)

    @cached_property
    def survey(self) -> pd.DataFrame:
        with self.store.engine.connect() as conn:
            return queries.survey(conn, "employment_rate", "15+")

    @cached_property
    def job_centre(self) -> pd.DataFrame:
        month = self.report.data_month or 0
        with self.store.engine.connect() as conn:
            rows = queries.facts(conn, self.district_cd, self.year, month, metrics=JOB_CENTRE_METRICS)
        ids = self.programs.loc[self.programs["name"] == catalog.JOB_CENTRE_PROGRAM, "id"]
        return rows[rows["program_id"].isin(ids) & (rows["month"] == month)]

    @cached_property
    def uploads(self) -> pd.DataFrame:
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
    return real + (("시연용 표본 자료 (표본 표시)",) if has_sample else ())


def _title(src: _Sources) -> Slide:
    r = src.report
    sources = _data_sources(src)
    body = (
        f"기준일: {dotted(r.as_of)} 기준",
        *(f"자료: {s}" for s in sources or ("업로드된 자료 없음",)),
    )
    return Slide(
        "title",
        "표지",
        f"{r.district_name} 일자리 주요 지표 브리핑 ({r.year}년)",
        None,
        (f"{r.district_name} ({r.district_cd}), {r.year}년, {dotted(r.as_of)} 기준", *body[1:]),
        r.includes_sample,
        body,
    )


def _execution(src: _Sources) -> Slide:
    r, m = src.report, src.report.monthly
    months = tuple(f"{int(x)}월" for x in m["month"])
    chart = Chart(
        "line",
        months,
        (
            Series("집행률", tuple(_r1(v) for v in m["execution_rate"]), colors.EXECUTION),
            Series("경과율", tuple(_r1(v) for v in m["pace"]), colors.PACE),
        ),
        "%",
        1,
    )
    sample_months = [f"{int(x)}월" for x, s in zip(m["month"], m["executed_sample"], strict=True) if s]
    notes = (
        f"집행률 {fmt_pct(r.execution_rate)} = 집행액 {fmt_money(r.executed)}천원 / 예산액 {fmt_money(r.budget)}천원",
        f"경과율 {fmt_pct(r.pace)} ({dotted(r.effective_date)}, 연중 일수 기준) · 월 기준 {fmt_pct(r.pace_months)}",
        f"경과율 대비 {_gap_words(r.gap_pp)} · 상태: {status_label(r.status, 'ko')}",
        *([f"※ {', '.join(sample_months)} 월별 수치는 표본 자료"] if sample_months else []),
    )
    return Slide(
        "execution",
        "예산 집행률",
        f"집행률 {fmt_pct(r.execution_rate)} — 경과율 대비 {_gap_words(r.gap_pp)}",
        chart,
        notes,
        bool(r.sample["executed"] or r.sample["budget"] or sample_months),
    )


def _units(r: KpiReport) -> pd.DataFrame:
    return r.programs[r.programs["level"] == "unit"]


def _lagging_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows behind pace or large without figures (those heads ask a reason for)."""
    return frame[frame["status"].isin(["behind", "at_risk"]) | frame["missing_data"]]


def _reason_note(row: object) -> str:
    """' · 사유: … · 조치계획: …' for a program's speaker-note line, ' · 사유 미입력' when a lagging one has none."""
    text = one_line(row.reason, row.action, " · ")  # type: ignore[attr-defined]
    if text:
        return " · " + text
    return f" · {MISSING_KO}" if row.needs_reason else ""  # type: ignore[attr-defined]


def _reason_lines(frame: pd.DataFrame) -> tuple[str, ...]:
    """The slide's line(s): '{program} — 사유: … / 조치계획: …' for each lagging program with an entry."""
    rows = _lagging_rows(frame)
    return tuple(f"{r.name} — {one_line(r.reason, r.action)}" for r in rows.itertuples() if r.reason or r.action)


def _programs(src: _Sources) -> Slide:
    r = src.report
    units = _units(r)
    rates = [_r1(v) for v in units["execution_rate"]]
    point, legend = _status_colors(units)
    series = (Series("집행률", tuple(rates), point_colors=point),)
    chart = Chart("bar", tuple(units["name"]), series, "%", 1, pace=_r1(r.pace), legend=legend)
    behind = units[units["gap_pp"] < 0]
    low = units.loc[units["execution_rate"].idxmin()] if units["execution_rate"].notna().any() else None
    headline = f"경과율 미달 단위사업 {len(behind)}/{len(units)}개"
    if low is not None:
        headline += f" — 최저 {low['name']} {fmt_pct(low['execution_rate'])}"
    notes = tuple(
        f"{row.name}: {fmt_pct(row.execution_rate)} ({fmt_money(row.executed)} / {fmt_money(row.budget)}천원, "
        f"{status_label(row.status, 'ko')})" + _reason_note(row)
        for row in units.itertuples()
    )
    return Slide(
        "programs",
        "단위사업별 집행률",
        headline,
        chart,
        notes,
        bool(units["is_sample"].any()),
        reasons=_reason_lines(units),
    )


def _budget(src: _Sources) -> Slide:
    r = src.report
    units = _units(r)
    hues = _program_colors(r, units["id"])
    chart = Chart(
        "bar",
        tuple(units["name"]),
        (  # as on the dashboard: each program's colour, the budget pale behind the executed amount
            Series("예산액", tuple(_money(v) for v in units["budget"]), _PALE, tuple(map(colors.tint, hues))),
            Series("집행액", tuple(_money(v) for v in units["executed"]), colors.EXECUTION, hues),
        ),
        CHART_MONEY_UNIT,
    )
    headline = (
        f"예산 {fmt_money(r.budget, CHART_MONEY_UNIT)}백만원 중 {fmt_money(r.executed, CHART_MONEY_UNIT)}백만원 집행"
    )
    notes = (
        f"계: 예산액 {fmt_money(r.budget)}천원, 집행액 {fmt_money(r.executed)}천원, 집행률 {fmt_pct(r.execution_rate)}",
        f"미집행 잔액 {fmt_money(r.budget - r.executed)}천원",
    )
    return Slide("budget", "단위사업별 예산·집행액", headline, chart, notes, bool(units["is_sample"].any()))


def _lagging(src: _Sources) -> Slide:
    r = src.report
    subs = r.programs[(r.programs["level"] == "sub") & r.programs["execution_rate"].notna()]
    subs = subs.sort_values("execution_rate", kind="stable")
    point, legend = _status_colors(subs)
    rates = (Series("집행률", tuple(_r1(v) for v in subs["execution_rate"]), point_colors=point),)
    chart = Chart("bar", tuple(subs["name"]), rates, "%", 1, pace=_r1(r.pace), legend=legend)
    if subs.empty:
        headline = "세부사업 집행 자료 없음"
    else:
        low = subs.iloc[0]
        headline = f"집행 최저 세부사업: {low['name']} {fmt_pct(low['execution_rate'])}"
    notes = tuple(
        f"{row.name} ({row.parent}): {fmt_pct(row.execution_rate)}, 경과율 대비 {_gap_words(row.gap_pp)}"
        + _reason_note(row)
        for row in subs.itertuples()
    )
    # a large sub-program without figures has no bar; its 사유 (or 사유 미입력) still goes to the notes and the line
    absent = r.programs[(r.programs["level"] == "sub") & r.programs["missing_data"]]
    notes += tuple(f"{row.name} ({row.parent}): 집행 자료 없음" + _reason_note(row) for row in absent.itertuples())
    return Slide(
        "lagging",
        "세부사업 집행률",
        headline,
        chart,
        notes,
        bool(subs["is_sample"].any()),
        reasons=_reason_lines(pd.concat([absent, subs])),
    )


def _placement(src: _Sources) -> Slide:
    r, m = src.report, src.report.monthly
    chart = Chart(
        "column",
        tuple(f"{int(x)}월" for x in m["month"]),
        (Series("취업률", tuple(_r1(v) for v in m["placement_rate"]), colors.EXECUTION),),
        "%",
        1,
    )
    headline = (
        f"취업률 {fmt_pct(r.placement_rate)} — 구직자 {fmt_number(r.job_seekers)}명 중 "
        f"{fmt_number(r.placements)}명 취업"
    )
    sample_months = [f"{int(x)}월" for x, s in zip(m["month"], m["placements_sample"], strict=True) if s]
    notes = (
        f"취업률 = 취업자 {fmt_number(r.placements)}명 / 구직자 {fmt_number(r.job_seekers)}명 = "
        f"{fmt_pct(r.placement_rate)}",
        *([f"※ {', '.join(sample_months)} 월별 수치는 표본 자료"] if sample_months else []),
    )
    return Slide("placement", "취업률", headline, chart, notes, bool(r.sample["placement"] or sample_months))


def _achievement(src: _Sources) -> Slide:
    r = src.report
    chart = Chart(
        "bar",
        ("연간 목표", "실적 누계"),
        # as on the dashboard (target vs actual): the target grey, the actual in the execution colour
        (Series("일자리", (_count(r.jobs_target), _count(r.jobs_actual)), point_colors=_TARGET_ACTUAL),),
        "개",
    )
    headline = (
        f"일자리 창출 {fmt_number(r.jobs_actual)}개 — 목표 {fmt_number(r.jobs_target)}개의 "
        f"{fmt_pct(r.achievement_rate)}"
    )
    notes = (
        f"달성률 = 실적 {fmt_number(r.jobs_actual)}개 / 목표 {fmt_number(r.jobs_target)}개 = "
        f"{fmt_pct(r.achievement_rate)}",
        f"경과율 {fmt_pct(r.pace)}와 비교",
    )
    return Slide("achievement", "일자리 목표 달성률", headline, chart, notes, bool(r.sample["achievement"]))


def _rank(src: _Sources) -> Slide:
    r = src.report
    if r.rank_period is None:
        return Slide("rank", "고용률 순위", "고용률 순위 자료 없음", None, ("지역별고용조사 자료 없음",), False)
    year, half = r.rank_period
    rows = src.survey[(src.survey["year"] == year) & (src.survey["half"] == half)]
    ranked = rank_table(rows).sort_values(["rank", "district_cd"])
    names = tuple(BY_SIG[d].name for d in ranked["district_cd"])
    own = tuple(colors.HIGHLIGHT if d == r.district_cd else colors.OTHERS for d in ranked["district_cd"])
    series = (Series("고용률", tuple(_r1(v) for v in ranked["value"]), point_colors=own),)
    legend = ((r.district_name, colors.HIGHLIGHT), ("다른 자치구", colors.OTHERS))
    chart = Chart("column", names, series, "%", 1, legend=legend)
    period = f"{year}년 {'상' if half == 1 else '하'}반기"
    mine = ranked[ranked["district_cd"] == r.district_cd]
    headline = f"고용률 서울 {r.ranked_districts}개 구 중 {r.rank}위 ({period})"
    if r.first_place_streak > 1:
        headline += f" — {r.first_place_streak}회 연속 1위"
    notes = (
        f"{r.district_name} 고용률(15세 이상) {fmt_pct(float(mine['value'].iloc[0]))}, {r.rank}위 / "
        f"{r.ranked_districts}개 구 ({period}, 통계청 지역별고용조사)",
        f"고용률·여성고용률 연속 1위: {r.first_place_streak}회",
    )
    return Slide("rank", "고용률 순위", headline, chart, notes, bool(r.sample["rank"]))


def _outermost(program_ids: pd.Series, parent: pd.Series) -> pd.Series:
    """True for ids none of whose ancestors is in the set (so nested figures are not counted twice)."""
    ids = set(program_ids)

    def nested(pid: int) -> bool:
        par = parent.get(pid)
        while pd.notna(par):
            if int(par) in ids:
                return True
            par = parent.get(int(par))
        return False

    return ~program_ids.map(nested)


def _funding(src: _Sources) -> Slide:
    f = src.funding
    if f.empty:
        return Slide("funding", "재원별 예산", "재원 구분 자료 없음", None, ("재원 구분 자료 없음",), False)
    parent = src.programs.set_index("id")["parent_id"]
    sources = [s for s in catalog.SPLIT_SOURCES if s in f.columns]
    chart = Chart(
        "stacked_bar",
        tuple(f["program"]),
        tuple(Series(SOURCE_SHORT[s], tuple(_money(v) for v in f[s]), colors.SOURCE[s]) for s in sources),
        CHART_MONEY_UNIT,
    )
    top = f[_outermost(f["program_id"], parent)]
    mix = kpis.funding_mix(top[sources].sum())
    headline = "재원 분담: " + " · ".join(f"{SOURCE_SHORT[s]} {fmt_pct(mix[s])}" for s in sources if mix[s] > 0)
    notes = tuple(
        f"{row['program']}: 계 {fmt_money(row['total'])}천원 ("
        + ", ".join(f"{SOURCE_SHORT[s]} {fmt_money(row[s])}" for s in sources if pd.notna(row[s]))
        + ")"
        for _, row in f.iterrows()
    )
    return Slide("funding", "재원별 예산", headline, chart, notes, bool(f["is_sample"].any()))


def _job_centre(src: _Sources) -> Slide:
    rows = src.job_centre.set_index("metric")
    values = {m: float(rows["value"][m]) if m in rows.index else None for m in JOB_CENTRE_METRICS}
    cats = tuple(f"{catalog.metric(m).ko}({UNIT_SUFFIX[catalog.metric(m).unit]})" for m in JOB_CENTRE_METRICS)
    series = (Series("실적", tuple(_count(v) for v in values.values()), colors.EXECUTION),)
    chart = Chart("column", cats, series, "명·건")
    rate = kpis.placement_rate(values["placements"], values["job_seekers"])
    headline = f"일자리플러스센터 취업자 {fmt_number(values['placements'])}명 — 취업률 {fmt_pct(rate)}"
    notes = (
        " · ".join(f"{c} {fmt_number(v)}" for c, v in zip(cats, values.values(), strict=True)),
        f"취업률 = 취업자 / 구직자 = {fmt_pct(rate)}",
    )
    return Slide("job_centre", "일자리플러스센터 실적", headline, chart, notes, bool(rows["is_sample"].any()))


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
SLIDE_TITLES: dict[str, str] = {
    "title": "표지",
    "execution": "예산 집행률",
    "programs": "단위사업별 집행률",
    "budget": "단위사업별 예산·집행액",
    "lagging": "세부사업 집행률",
    "placement": "취업률",
    "achievement": "일자리 목표 달성률",
    "job_centre": "일자리플러스센터 실적",
    "funding": "재원별 예산",
    "rank": "고용률 순위",
}


def valid_keys(keys: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Known slide keys in the given order, each once; all slides when none is given."""
    if not keys:
        return SLIDE_KEYS
    return tuple(dict.fromkeys(k for k in keys if k in BUILDERS))


def build_deck(
    store: Store, district_cd: str, year: int, as_of: date, keys: list[str] | tuple[str, ...] | None = None
) -> Deck:
    """The briefing deck of a district-year as of a date, slides in the order of `keys` (default: all)."""
    src = _Sources(store, district_cd, year, as_of)
    slides = tuple(BUILDERS[k](src) for k in valid_keys(keys))
    return Deck(district_cd, src.report.district_name, year, as_of, slides, _data_sources(src))
