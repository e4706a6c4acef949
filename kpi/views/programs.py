"""사업별 실적: the program table with monthly trend, and one program's drill-down."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kpi import colors
from kpi.domain import catalog, kpis
from kpi.domain.units import money_value, round_half_up
from kpi.i18n import status_label, t
from kpi.store import Store, queries
from kpi.store.reasons import Note
from kpi.views.report import KpiReport


def monthly_rates(report: KpiReport) -> pd.DataFrame:
    """Program id x month cumulative execution rate (%) = 집행액 누계 / 예산현액."""
    ex = report.program_executed
    if ex.empty or report.programs.empty:
        return pd.DataFrame()
    return kpis.execution_rate(ex, report.programs.set_index("id")["budget"].reindex(ex.index))


def program_table(report: KpiReport, unit: str) -> pd.DataFrame:
    """One row per program: id, labels, money in `unit`, rate (half-up, 1 decimal), trend list, status, sample."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    rates = monthly_rates(report)
    trend = [[round(float(v), 1) for v in rates.loc[i].dropna()] if i in rates.index else [] for i in p["id"]]
    return pd.DataFrame(
        {
            "id": p["id"],
            "사업명": [("└ " if lv == "sub" else "") + n for n, lv in zip(p["name"], p["level"], strict=True)],
            "구분": ["세부사업" if lv == "sub" else "단위사업" for lv in p["level"]],
            "담당팀": p["team"].fillna("-"),
            "분야": [catalog.PROGRAM_CATEGORIES.get(c, "-") for c in p["category"]],
            "지원대상": [_groups(g) for g in p["target_groups"]],
            f"예산액({unit})": [money_value(v, unit) for v in p["budget"]],
            f"집행액({unit})": [money_value(v, unit) for v in p["executed"]],
            "집행률": [round_half_up(v, 1) for v in p["execution_rate"]],
            "월별 집행률": trend,
            "상태": [
                t("status_missing_data") if missing else status_label(s)
                for s, missing in zip(p["status"], p["missing_data"], strict=True)
            ],
            "사유": [_reason_cell(r, need) for r, need in zip(p["reason"], p["needs_reason"], strict=True)],
            "표본": ["표본" if s else "" for s in p["is_sample"]],
        }
    )


def _reason_cell(reason: str, needs_reason: bool) -> str:
    """A table cell: the month's 사유 on one line, or '사유 미입력' for a lagging program without one."""
    if reason:
        return " ".join(reason.split())
    return t("reason_missing") if needs_reason else ""


def _groups(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "-"
    return "-" if value is None or value != value or value == "" else str(value).replace("|", ", ")


def filter_table(table: pd.DataFrame, teams: list[str], categories: list[str], statuses: list[str]) -> pd.DataFrame:
    """Rows whose team, category and status are among the chosen ones (an empty choice keeps all)."""
    keep = pd.Series(True, index=table.index)
    for col, chosen in (("담당팀", teams), ("분야", categories), ("상태", statuses)):
        if chosen:
            keep &= table[col].isin(chosen)
    return table[keep]


@dataclass
class ProgramDetail:
    """A program's monthly metrics (long form), targets per metric, budget by source, uploads that touched it."""

    name: str
    metrics: pd.DataFrame  # metric, label, unit, month, value, is_sample
    targets: dict[str, float]
    funding: pd.DataFrame  # source, 재원, budget (원)
    uploads: pd.DataFrame
    color: str
    reasons: pd.DataFrame = field(default_factory=pd.DataFrame)  # 월, 사유, 조치계획, 입력, 업로드, 표본 (by month)
    note: Note | None = None  # the 사유·조치계획 of the month the data is from
    needs_reason: bool = False  # lagging (or a large program without figures) and no reason for that month
    month: int | None = None  # the month the data is from


UNIT_LABEL = {"won": "원", "person": "명", "firm": "개소", "case": "건", "count": "회", "percent": "%", "job": "개"}


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
    rows["label"] = [catalog.metric(m).ko for m in rows["metric"]]
    rows["unit"] = [UNIT_LABEL[catalog.metric(m).unit] for m in rows["metric"]]
    mine = tgt[tgt["program_id"] == program_id]
    targets = dict(zip(mine["metric"], mine["value"].astype(float), strict=True))
    budget = report.programs.set_index("id")["budget"].get(program_id)
    if budget is not None and budget == budget:
        targets.setdefault("executed", float(budget))
    fund = split[(split["program_id"] == program_id) & (split["source"] != "total")]
    funding = pd.DataFrame(
        {"source": fund["source"], "재원": fund["source"].map(catalog.FUNDING_SOURCES), "budget": fund["budget"]}
    )
    name = progs.set_index("id")["name"].get(program_id, "")
    history = pd.DataFrame(
        {
            "월": written["month"].astype("int64"),
            t("reason"): written["reason"],
            t("action"): written["action"],
            "입력": written["uploaded_by"],
            "업로드": written["upload_id"].astype("int64"),
            "표본": ["표본" if s else "" for s in written["is_sample"]],
        }
    ).sort_values("월", ascending=False)
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
    parents = [None if p is None or p != p else int(p) for p in programs["parent_id"]]
    return colors.program_colors([int(i) for i in programs["id"]], parents)
