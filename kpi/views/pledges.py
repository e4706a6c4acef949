"""공약·목표 이행: pledge fulfilment, pledge budget by source and year, 목표공시제 targets and categories."""

from __future__ import annotations

import pandas as pd

from kpi.domain import catalog
from kpi.domain.kpis import achievement_rate, execution_rate
from kpi.store import Store, queries
from kpi.views.programs import UNIT_LABEL
from kpi.views.report import KpiReport


def budget_by_source(pledge_budget: pd.DataFrame) -> pd.DataFrame:
    """Pledge budget (원) per year with one column per funding source label and the total (sum of sources)."""
    if pledge_budget.empty:
        return pledge_budget
    cols = [s for s in catalog.SPLIT_SOURCES if s in pledge_budget.columns]
    by_year = pledge_budget.groupby("year")[cols].sum(min_count=1)
    out = by_year.rename(columns=catalog.FUNDING_SOURCES)
    out["계"] = by_year.sum(axis=1, min_count=1)
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
            "단위": [UNIT_LABEL[catalog.metric(m).unit] for m in rows["metric"]],
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
    g.insert(0, "분야", [catalog.PROGRAM_CATEGORIES.get(c, c) for c in g.index])
    order = list(catalog.PROGRAM_CATEGORIES)
    return g.loc[sorted(g.index, key=lambda c: order.index(c) if c in order else 99)].reset_index()
