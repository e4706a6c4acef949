"""예산 집행: programs with sub-programs, funding split, cumulative execution vs pace and the year-end projection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi.domain import catalog, kpis
from kpi.store import Store, queries
from kpi.views.breakdowns import funding_table
from kpi.views.programs import palette
from kpi.views.report import KpiReport, month_end


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
            "label": [("└ " if lv == "sub" else "") + n for n, lv in zip(p["name"], p["level"], strict=True)],
            "level": p["level"],
            "parent": p["parent"],
            "parent_id": p["parent_id"],
            "budget": p["budget"],
            "executed": p["executed"],
            "rate": p["execution_rate"],
            "status": p["status"],
            "is_sample": p["is_sample"],
            "color": [colours.get(int(i), "#0072B2") for i in p["id"]],
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
        else tuple(float(kpis.execution_rate(v, budget)) for v in (proj.value, proj.low, proj.high))
    )
    june = frame[frame["month"] == 6]["rate"]
    return Cumulative(frame, budget, proj, proj_rate, None if june.empty else float(june.iloc[0]))
