"""The district-year KPI report: one function that every page, the CLI and the exports read from."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from kpi.domain import catalog, districts, kpis
from kpi.domain.dates import half_end, month_end
from kpi.domain.hierarchy import rollup, top_level_sum, tree_order
from kpi.domain.units import round_half_up
from kpi.settings import PaceBands, load_settings
from kpi.store import Connection, Rows, Store, queries
from kpi.store.reasons import Note, notes_of

HEADLINE_METRICS = ("executed", "job_seekers", "placements", "jobs_created")
RANK_INDICATORS = ("employment_rate", "female_employment_rate")
# _rolled_series' key of every table side by side: columns (values | flags, metric, month), flattened in that order
ALL_KINDS = "*"


@dataclass
class KpiReport:
    """Headline KPIs of one district and year as of a date, per program and by month."""

    district_cd: str
    year: int
    as_of: date
    data_month: int | None
    effective_date: date
    pace: float
    pace_months: float
    budget: float
    executed: float
    execution_rate: float
    gap_pp: float
    status: str
    job_seekers: float
    placements: float
    placement_rate: float
    jobs_target: float
    jobs_actual: float
    achievement_rate: float
    rank: int | None
    rank_period: tuple[int, int] | None
    ranked_districts: int
    first_place_streak: int
    programs: pd.DataFrame
    monthly: pd.DataFrame
    sample: dict[str, bool]
    last_upload: dict | None
    rows_read: dict[str, int]
    notes: list[str] = field(default_factory=list)
    program_executed: pd.DataFrame = field(default_factory=pd.DataFrame)  # program id x month, 원, rolled up
    program_executed_sample: pd.DataFrame = field(default_factory=pd.DataFrame)  # same shape, >0 = sample
    reasons: pd.DataFrame = field(default_factory=pd.DataFrame)  # 사유·조치계획 per program and month (queries)
    projection: kpis.Projection | None = None  # year-end executed (원) from the monthly series, sample-aware
    department: str | None = None  # the department reported on (None: the store has no departments)
    departments: list[str] = field(default_factory=list)  # every department of the district's store
    employment_rate: float = float("nan")  # the district's 고용률 (15+) in the rank period
    # Programs whose stated budget differs from the sum of their sub-programs: id, name, stated, children (원).
    mismatches: list[tuple[int, str, float, float]] = field(default_factory=list)
    # Sub-programs not yet attached to a unit (미분류), left out of the totals: (how many, their budget in 원).
    unassigned: tuple[int, float] | None = None

    @property
    def district_name(self) -> str:
        """Korean name of the district."""
        return districts.BY_SIG[self.district_cd].name

    @property
    def projection_rate(self) -> tuple[float, float, float] | None:
        """The year-end projection as execution rates (value, low, high) of the budget, in %."""
        p = self.projection
        if p is None:
            return None
        return tuple(float(kpis.execution_rate(v, self.budget)) for v in (p.value, p.low, p.high))  # type: ignore[return-value]

    def note(self, program_id: int) -> Note | None:
        """The 사유·조치계획 of a program for the month the data is from (None when none was entered)."""
        return notes_of(self.reasons, self.data_month).get(int(program_id))

    @property
    def includes_sample(self) -> bool:
        """True when any figure of the report comes from sample data."""
        return any(self.sample.values())

    def to_dict(self) -> dict:
        """JSON-ready: amounts in 원, rates half-up to one decimal (exact values under *_exact)."""
        return {
            "district": {"code": self.district_cd, "name": self.district_name},
            "department": self.department,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "data_month": self.data_month,
            "effective_date": self.effective_date.isoformat(),
            "includes_sample": self.includes_sample,
            "sample": self.sample,
            "pace": {"days_pct": _r(self.pace), "months_pct": _r(self.pace_months)},
            "execution": {
                "budget_won": _int(self.budget),
                "executed_won": _int(self.executed),
                "rate_pct": _r(self.execution_rate),
                "rate_exact": _f(self.execution_rate),
                "gap_pp": _f(self.gap_pp),
                "status": self.status,
            },
            "placement": {
                "job_seekers": _int(self.job_seekers),
                "placements": _int(self.placements),
                "rate_pct": _r(self.placement_rate),
                "rate_exact": _f(self.placement_rate),
            },
            "achievement": {
                "target": _int(self.jobs_target),
                "actual": _int(self.jobs_actual),
                "rate_pct": _r(self.achievement_rate),
                "rate_exact": _f(self.achievement_rate),
            },
            "rank": {
                "employment_rate_rank": self.rank,
                "employment_rate_pct": _r(self.employment_rate),
                "basis": "15+",
                "of": self.ranked_districts,
                "period": None if self.rank_period is None else f"{self.rank_period[0]}.{self.rank_period[1]}/2",
                "first_place_streak": self.first_place_streak,
            },
            "programs": [
                {
                    "name": r.name,
                    "level": r.level,
                    "parent": _s(r.parent),
                    "team": _s(r.team),
                    "budget_won": _int(r.budget),
                    "executed_won": _int(r.executed),
                    "execution_rate_pct": _r(r.execution_rate),
                    "gap_pp": _f(r.gap_pp),
                    "status": r.status,
                    "is_sample": bool(r.is_sample),
                    "missing_data": bool(r.missing_data),
                    "reason": _s(r.reason) or None,
                    "action": _s(r.action) or None,
                    "needs_reason": bool(r.needs_reason),
                }
                for r in self.programs.itertuples()
            ],
            "notes": self.notes,
            "budget_mismatches": [
                {"program": name, "stated_won": _int(st), "sub_programs_won": _int(ch)}
                for _pid, name, st, ch in self.mismatches
            ],
            "unassigned": None
            if self.unassigned is None
            else {"count": self.unassigned[0], "budget_won": _int(self.unassigned[1])},
            "rows_read": self.rows_read,
        }


def _f(v: float | None) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _s(v: object) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def _r(v: float | None) -> float | None:
    """A figure half up to one decimal, None when missing."""
    f = _f(v)
    return None if f is None else round_half_up(f, 1)


def _int(v: float | None) -> int | None:
    """A figure as a whole number, None when missing."""
    f = _f(v)
    return None if f is None else round(f)


def rank_table(survey: pd.DataFrame) -> pd.DataFrame:
    """Rank of every district per half-year (1 = highest), from survey rows (district_cd, year, half, value)."""
    if survey.empty:
        return survey.assign(rank=pd.Series(dtype="Int64"), of=pd.Series(dtype="int64"))
    return survey.assign(
        rank=kpis.district_rank(survey["value"], by=[survey["year"], survey["half"]]),
        of=survey.groupby(["year", "half"])["value"].transform("count"),
    )


def _rolled_series(
    frame: pd.DataFrame, metrics: tuple[str, ...], parent: pd.Series, months: range
) -> dict[str, pd.DataFrame]:
    """Per metric (and metric + "_sample" for its flags): the program x month table of its cumulative figure, carried
    forward to later months and rolled up the program tree; under ALL_KINDS all of them side by side. `frame` has
    one row per program, metric and month (queries.facts aggregates in SQL); all tables are rolled up in one pass."""
    index, cols = parent.index, pd.Index(list(months), name="month")
    shape = (2, len(metrics), len(index), len(cols))  # (values | flags, metric, program, month)
    cube = np.full(shape, np.nan)
    m = pd.Index(metrics).get_indexer(frame["metric"])  # -1: a metric the report does not show
    p = index.get_indexer(frame["program_id"])
    t = frame["month"].to_numpy(dtype="int64") - 1 if len(frame) else np.zeros(0, dtype="int64")
    keep = (m >= 0) & (p >= 0) & (t >= 0) & (t < len(cols))
    at = (m[keep], p[keep], t[keep])
    cube[0][at] = frame["value"].to_numpy(dtype="float64")[keep]
    cube[1][at] = frame["is_sample"].to_numpy(dtype="float64")[keep]
    flat = cube.reshape(2 * len(metrics) * len(index), len(cols))
    cube = pd.DataFrame(flat).ffill(axis=1).to_numpy().reshape(shape)  # carried forward to later months
    wide = cube.transpose(2, 0, 1, 3).reshape(len(index), 2 * len(metrics) * len(cols))  # program x (kind, m, month)
    rolled = rollup(parent, pd.DataFrame(wide, index=index)).to_numpy().reshape(len(index), 2, len(metrics), len(cols))
    out = {}
    for i, metric in enumerate(metrics):
        out[metric] = pd.DataFrame(rolled[:, 0, i, :], index=index, columns=cols)
        out[metric + "_sample"] = pd.DataFrame(rolled[:, 1, i, :], index=index, columns=cols)
    out[ALL_KINDS] = pd.DataFrame(rolled.reshape(len(index), 2 * len(metrics) * len(cols)), index=index)
    return out


@dataclass
class ReportInputs:
    """Everything build_report reads from the store for one district-year as of a date, and the rows read."""

    programs: pd.DataFrame
    budgets: pd.DataFrame
    facts: pd.DataFrame
    targets: pd.DataFrame
    surveys: dict[str, pd.DataFrame]
    reasons: pd.DataFrame
    last_upload: dict | None
    rows_read: dict[str, int]

    def same_as(self, other: ReportInputs) -> bool:
        """True when every read is equal, frames value for value with the same columns and dtypes."""

        same = _same_frame
        frames = ("programs", "budgets", "facts", "targets", "reasons")
        return (
            all(same(getattr(self, f), getattr(other, f)) for f in frames)
            and self.surveys.keys() == other.surveys.keys()
            and all(same(v, other.surveys[k]) for k, v in self.surveys.items())
            and self.last_upload == other.last_upload
            and self.rows_read == other.rows_read
        )


def _through(year: int, as_of: date) -> int:
    """The last month of the year the report reads: the as-of month, all of an earlier year, none of a later."""
    return as_of.month if as_of.year == year else (12 if as_of.year > year else 0)


def read_inputs(
    conn: Connection,
    district_cd: str,
    year: int,
    as_of: date,
    sources: Mapping[str, Rows] | None = None,
    upload: dict | None = None,
) -> ReportInputs:
    """What build_report reads for a district-year as of a date, on one connection (one state of the store).
    A preview reads a state not yet written: `sources` gives rows to read in place of a table's (by table name:
    budget, fact, target, survey) and `upload` the upload that state would end with."""
    stats = queries.ReadStats()
    through = _through(year, as_of)
    src = dict(sources or {})
    progs = queries.programs(conn, district_cd)
    budget_rows = queries.budgets(conn, district_cd, year, stats, source=src.get("budget"))
    fact_rows = queries.facts(conn, district_cd, year, through, stats, source=src.get("fact"))
    target_rows = queries.targets(conn, district_cd, year, stats, source=src.get("target"))
    surveys = {ind: queries.survey(conn, ind, "15+", stats, source=src.get("survey")) for ind in RANK_INDICATORS}
    reason_rows = queries.reasons(conn, district_cd, year, through, stats)
    last = upload if upload is not None else queries.last_upload(conn, district_cd)
    return ReportInputs(progs, budget_rows, fact_rows, target_rows, surveys, reason_rows, last, dict(stats.by_table))


def build_report(
    store: Store,
    district_cd: str,
    year: int,
    as_of: date,
    bands: PaceBands | None = None,
    conn: Connection | None = None,
    department: str | None = None,
) -> KpiReport:
    """Compute every headline KPI of one department of a district-year as of a date from the store's current
    values (on `conn` when given, e.g. inside a preview transaction that will be rolled back). The department
    defaults to settings.home_department; programs without a department belong to it."""
    if district_cd not in districts.BY_SIG:
        raise ValueError(f"unknown district code {district_cd!r}")
    if conn is None:
        with store.engine.connect() as own:
            return build_report(store, district_cd, year, as_of, bands, own, department)
    return report_of(read_inputs(conn, district_cd, year, as_of), district_cd, year, as_of, bands, department)


def report_of(
    inputs: ReportInputs,
    district_cd: str,
    year: int,
    as_of: date,
    bands: PaceBands | None = None,
    department: str | None = None,
) -> KpiReport:
    """The report of a district-year as of a date from what read_inputs read (build_report's figures); the
    inputs are not changed."""
    if district_cd not in districts.BY_SIG:
        raise ValueError(f"unknown district code {district_cd!r}")
    bands = bands or load_settings().pace_bands
    through = _through(year, as_of)
    progs = inputs.programs
    departments, department = _department_scope(progs, department)
    budget_rows, fact_rows, target_rows = inputs.budgets, inputs.facts, inputs.targets
    surveys, reason_rows, last = inputs.surveys, inputs.reasons, inputs.last_upload

    notes: list[str] = []
    data_month = int(fact_rows["month"].max()) if not fact_rows.empty else None
    if data_month is not None and data_month < through:
        gap = f"{data_month + 1}" if data_month + 1 == through else f"{data_month + 1}~{through}"
        notes.append(f"missing_months:{gap}")
    effective = min(as_of, month_end(year, data_month)) if data_month else as_of
    pace = kpis.pace_pct(effective)
    pace_m = kpis.pace_pct(effective, "months")

    # Programs that have a figure this year, plus their ancestors.
    progs = progs.set_index("id")
    parent = progs["parent_id"].astype("float64")
    months = range(1, (data_month or 0) + 1)
    in_scope = set(_in_department(progs, parent, department, departments))
    has = (set(budget_rows["program_id"]) | set(fact_rows["program_id"].dropna().astype(int))) & in_scope
    keep = set()
    for pid in has:
        while pd.notna(pid) and pid not in keep:
            keep.add(int(pid))
            pid = parent.get(pid)
    progs, parent = progs.loc[sorted(keep)], parent.loc[sorted(keep)]

    prog_facts = fact_rows[fact_rows["program_id"].notna()].assign(program_id=lambda d: d["program_id"].astype(int))
    sample: dict[str, bool] = {}
    series = _rolled_series(prog_facts, HEADLINE_METRICS, parent, months)
    b = budget_rows.set_index("program_id").reindex(progs.index)
    budget_own = b[["budget", "original", "is_sample"]].astype("float64")
    budget_rolled = rollup(parent, budget_own)

    def at_month(metric: str) -> pd.Series:
        frame = series[metric]
        return frame[data_month] if data_month and data_month in frame else pd.Series(np.nan, index=progs.index)

    executed_p = at_month("executed")
    rate_p = kpis.execution_rate(executed_p, budget_rolled["budget"])
    gap_p = kpis.pace_gap_pp(rate_p, pace)
    table = (
        progs.assign(
            level=np.where(parent.isna(), "unit", "sub"),
            parent=parent.map(progs["name"]),
            budget=budget_rolled["budget"],
            original=budget_rolled["original"],
            executed=executed_p,
            execution_rate=rate_p,
            gap_pp=gap_p,
            status=kpis.pace_status(gap_p, bands),
            is_sample=(budget_rolled["is_sample"].fillna(0) > 0) | (at_month("executed_sample").fillna(0) > 0),
        )
        .loc[tree_order(parent)]
        .reset_index()
    )

    counted, unassigned = _counted_units(progs, parent, budget_rolled["budget"])
    totals = top_level_sum(parent.loc[counted], budget_rolled.loc[counted])
    budget, budget_sample = totals.get("budget", np.nan), totals.get("is_sample", 0) > 0
    # A large program without a figure for the month is flagged; a lagging or flagged one wants a reason.
    written = notes_of(reason_rows, data_month)
    table["missing_data"] = kpis.large_without_data(table["budget"], table["executed"], budget)
    lagging = table["status"].isin(["behind", "at_risk"]) | table["missing_data"]
    table["reason"] = [written[i].reason if i in written else "" for i in table["id"]]
    table["action"] = [written[i].action if i in written else "" for i in table["id"]]
    table["needs_reason"] = lagging & ~table["id"].isin(list(written))
    monthly = pd.DataFrame(index=pd.Index(list(months), name="month"))
    if len(months):  # every metric's totals and flags in one pass, as (values | flags, metric) x month
        sums = top_level_sum(parent.loc[counted], series[ALL_KINDS].loc[counted]).to_numpy()
        by_kind = sums.reshape(2, len(HEADLINE_METRICS), len(months))
    for i, metric in enumerate(HEADLINE_METRICS):
        monthly[metric] = by_kind[0, i] if len(months) else []
        monthly[metric + "_sample"] = np.nan_to_num(by_kind[1, i]) > 0 if len(months) else []
    district_level = fact_rows[fact_rows["program_id"].isna()]
    for metric in HEADLINE_METRICS if len(district_level) else ():  # a district-wide figure wins over the sum
        own = district_level[district_level["metric"] == metric].set_index("month")
        if not own.empty:
            monthly[metric] = own["value"].reindex(monthly.index).astype("float64").ffill().fillna(monthly[metric])
            monthly[metric + "_sample"] = own["is_sample"].reindex(monthly.index).ffill().fillna(0) > 0
    monthly["execution_rate"] = kpis.execution_rate(monthly["executed"], pd.Series(budget, index=monthly.index))
    monthly["pace"] = [kpis.pace_pct(month_end(year, m)) for m in monthly.index]
    monthly["placement_rate"] = kpis.placement_rate(monthly["placements"], monthly["job_seekers"])

    last_row = monthly.iloc[-1] if len(monthly) else pd.Series(dtype="float64")
    executed = float(last_row.get("executed", np.nan))
    rate = kpis.execution_rate(executed, budget)
    gap = kpis.pace_gap_pp(rate, pace)
    seekers, placed = float(last_row.get("job_seekers", np.nan)), float(last_row.get("placements", np.nan))

    district_targets = target_rows[target_rows["program_id"].isna() & (target_rows["metric"] == "jobs_created")]
    jobs_target = float(district_targets["value"].iloc[0]) if not district_targets.empty else np.nan
    jobs_actual = float(last_row.get("jobs_created", np.nan))

    projection = (
        kpis.project_year_end(monthly["executed"], sample=monthly["executed_sample"])
        if len(monthly) and data_month is not None and data_month < 12
        else None
    )
    rank, period, ranked, streak, own_rate = _rank_kept(surveys, district_cd, effective)
    sample.update(
        budget=bool(budget_sample),
        executed=bool(last_row.get("executed_sample", False)),
        placement=bool(last_row.get("placements_sample", False) or last_row.get("job_seekers_sample", False)),
        achievement=bool(last_row.get("jobs_created_sample", False)) or bool(district_targets["is_sample"].any()),
        rank=_rank_sample(surveys, district_cd, period),
        monthly=bool(monthly.filter(like="_sample").any().any()) if len(monthly) else False,
    )
    return KpiReport(
        district_cd=district_cd,
        year=year,
        as_of=as_of,
        data_month=data_month,
        effective_date=effective,
        pace=pace,
        pace_months=pace_m,
        budget=budget,
        executed=executed,
        execution_rate=rate,
        gap_pp=gap,
        status=kpis.pace_status(gap, bands),
        job_seekers=seekers,
        placements=placed,
        placement_rate=kpis.placement_rate(placed, seekers),
        jobs_target=jobs_target,
        jobs_actual=jobs_actual,
        achievement_rate=kpis.achievement_rate(jobs_actual, jobs_target),
        rank=rank,
        rank_period=period,
        ranked_districts=ranked,
        first_place_streak=streak,
        programs=table,
        monthly=monthly.reset_index(),
        sample=sample,
        last_upload=last,
        rows_read=dict(inputs.rows_read),
        notes=notes,
        program_executed=series["executed"],
        program_executed_sample=series["executed_sample"],
        reasons=reason_rows,
        projection=projection,
        department=department,
        departments=departments,
        employment_rate=own_rate,
        mismatches=_mismatches(progs, parent, budget_own["budget"], budget_rolled["budget"]),
        unassigned=unassigned,
    )


def _department_scope(progs: pd.DataFrame, wanted: str | None) -> tuple[list[str], str | None]:
    """(every department of the district's programs, the one reported on): the wanted one, else the home
    department, else the only one; None when programs name no department."""
    names = sorted({str(d) for d in progs["department"].dropna()})
    home = load_settings().home_department
    chosen = wanted or home
    if not names:
        return [], None
    if chosen not in names and wanted is None:
        chosen = home if len(names) > 1 else names[0]
    return names, chosen


def _in_department(progs: pd.DataFrame, parent: pd.Series, department: str | None, departments: list[str]) -> list[int]:
    """Ids of the programs of a department: own department, else the nearest ancestor's; programs of no department
    belong to the home department (or to the only one)."""
    if department is None:
        return [int(i) for i in progs.index]
    home = load_settings().home_department if len(departments) > 1 else department
    own = progs["department"].to_dict()
    ids = []
    for pid in progs.index:
        node, seen = pid, set()
        dept = None
        while pd.notna(node) and node not in seen and node in own:
            seen.add(node)
            if pd.notna(own[node]):
                dept = own[node]
                break
            node = parent.get(node)
        if (dept if dept is not None else home) == department:
            ids.append(int(pid))
    return ids


def _counted_units(
    progs: pd.DataFrame, parent: pd.Series, budget: pd.Series
) -> tuple[list[int], tuple[int, float] | None]:
    """Programs whose figures make the totals, and what was left out: the sub-programs under 미분류 (no unit yet)
    count only while no attached unit program has a budget; else their (count, budget) is reported instead, so
    that a source listing sub-programs never adds to another source's unit figures."""
    units = parent.index[parent.isna()]
    loose = list(units[progs["name"].reindex(units).eq(catalog.UNASSIGNED_PROGRAM).to_numpy()])
    if not loose:
        return list(parent.index), None
    attached = [u for u in units if u not in loose]
    if not budget.reindex(attached).notna().any():
        return list(parent.index), None
    kids = parent.index[parent.isin(loose)]
    return [i for i in parent.index if i not in loose], (len(kids), float(budget.reindex(loose).sum()))


def _mismatches(
    progs: pd.DataFrame, parent: pd.Series, own: pd.Series, rolled: pd.Series
) -> list[tuple[int, str, float, float]]:
    """Programs whose stated budget differs from the sum of their sub-programs' figures (both kept, flagged)."""
    out = []
    kids_sum = rolled.groupby(parent).sum(min_count=1)
    for pid, stated in own.items():
        children = kids_sum.get(float(pid), np.nan)
        if pd.notna(stated) and pd.notna(children) and round(float(stated)) != round(float(children)):
            out.append((int(pid), str(progs.at[pid, "name"]), float(stated), float(children)))
    return out


def _published(survey: pd.DataFrame, until: date) -> pd.DataFrame:
    """Survey rows of half-years that had ended by `until`."""
    if survey.empty:
        return survey
    ends = [half_end(int(y), int(h)) for y, h in zip(survey["year"], survey["half"], strict=True)]
    return survey[pd.Series(ends, index=survey.index) <= until]


RANKS_KEPT = 8  # ranks a process keeps: all districts' surveys change only with an upload of survey rows
Rank = tuple[int | None, tuple[int, int] | None, int, int, float]
_ranks: list[tuple[dict[str, pd.DataFrame], str, Rank]] = []
_ranks_lock = threading.Lock()


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Equal frames: columns, dtypes, index and values (NaN equal to NaN in the same place)."""
    return list(a.columns) == list(b.columns) and a.dtypes.equals(b.dtypes) and a.equals(b)


def _rank_kept(surveys: dict[str, pd.DataFrame], district_cd: str, until: date) -> Rank:
    """_rank, reused when the district and the survey rows published by `until` equal those of a rank computed
    before (the rank is a function of those alone; the kept frames are copies, so no caller can change them)."""
    published = {ind: _published(df, until) for ind, df in surveys.items()}
    with _ranks_lock:
        kept = list(_ranks)
    for frames, district, rank in kept:
        same = district == district_cd and frames.keys() == published.keys()
        if same and all(_same_frame(frames[k], v) for k, v in published.items()):
            return rank
    rank = _ranked(published, district_cd)
    with _ranks_lock:
        _ranks.append(({k: v.copy() for k, v in published.items()}, district_cd, rank))
        del _ranks[:-RANKS_KEPT]
    return rank


def forget_ranks() -> None:
    """Drop the kept ranks (benchmarks of a first report; tests)."""
    with _ranks_lock:
        _ranks.clear()


def _ranked(published: dict[str, pd.DataFrame], district_cd: str) -> Rank:
    """_rank of the survey rows of half-years already published."""
    ranked = {ind: rank_table(df) for ind, df in published.items()}
    main = ranked[RANK_INDICATORS[0]]
    mine = main[main["district_cd"] == district_cd].sort_values(["year", "half"])
    if mine.empty:
        return None, None, 0, 0, float("nan")
    latest = mine.iloc[-1]
    per_period = pd.concat(
        {ind: df[df["district_cd"] == district_cd].set_index(["year", "half"])["rank"] for ind, df in ranked.items()},
        axis=1,
    ).sort_index()
    return (
        int(latest["rank"]),
        (int(latest["year"]), int(latest["half"])),
        int(latest["of"]),
        kpis.first_place_streak(per_period),
        float(latest["value"]),
    )


def _rank_sample(surveys: dict[str, pd.DataFrame], district_cd: str, period: tuple[int, int] | None) -> bool:
    """True when any figure behind the rank of that half-year is sample data."""
    if period is None:
        return False
    main = surveys[RANK_INDICATORS[0]]
    rows = main[(main["year"] == period[0]) & (main["half"] == period[1])]
    return bool(rows["is_sample"].any())
