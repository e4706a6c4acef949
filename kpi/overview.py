"""What the 종합 현황 page shows, as plain data: KPI cards and the program table (no streamlit here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kpi import colors, kpis
from kpi.i18n import status_label, t
from kpi.report import KpiReport
from kpi.settings import load_settings
from kpi.units import fmt_money, fmt_pct, fmt_pp, round_half_up


@dataclass(frozen=True)
class Card:
    """One KPI card: label, value and delta as displayed, the exact value, a sparkline, and its sample flag."""

    key: str
    label: str
    value: str
    exact: float | None
    delta: str | None
    delta_color: str
    sparkline: list[float]
    sample: bool
    help: str


def _mom_pp(series: pd.Series) -> float | None:
    """Change of a rate series from the previous month to the last, in %p of the displayed figures."""
    s = series.dropna()
    if len(s) < 2:
        return None
    return round_half_up(s.iloc[-1], 1) - round_half_up(s.iloc[-2], 1)


def cards(report: KpiReport, lang: str | None = None) -> list[Card]:
    """The four headline cards of the overview, in display order."""
    m = report.monthly
    sample_tag = f" ·{t('sample_short', lang)}"
    exec_delta = None if pd.isna(report.gap_pp) else f"{fmt_pp(report.gap_pp)} {t('gap_to_pace', lang)}"
    mom_place = _mom_pp(m["placement_rate"]) if len(m) else None
    prev_sample = len(m) >= 2 and bool(m["placements_sample"].iloc[-2])
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
            colors.STATUS[report.status][0],
            _spark(m.get("execution_rate")),
            report.sample["executed"] or report.sample["budget"],
            f"{t('executed', lang)} {fmt_money(report.executed)}천원 / {t('budget', lang)} "
            f"{fmt_money(report.budget)}천원 · {t('pace', lang)} {fmt_pct(report.pace)} · "
            f"{status_label(report.status, lang)}",
        ),
        Card(
            "placement",
            t("placement_rate", lang),
            fmt_pct(report.placement_rate),
            _exact(report.placement_rate),
            None if mom_place is None else f"{fmt_pp(mom_place)} 전월 대비" + (sample_tag if prev_sample else ""),
            "normal",
            _spark(m.get("placement_rate")),
            report.sample["placement"],
            f"{t('placements', lang)} {_n(report.placements)}명 / {t('job_seekers', lang)} {_n(report.job_seekers)}명",
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
            f"{t('actual', lang)} {_n(report.jobs_actual)} / {t('target', lang)} {_n(report.jobs_target)}",
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
            f"지역별고용조사 {period}, 15세 이상 기준",
        ),
    ]
    return [c if not c.sample else Card(**{**c.__dict__, "label": c.label + sample_tag}) for c in out]


def program_table(report: KpiReport, unit: str = "천원", lang: str | None = None) -> pd.DataFrame:
    """Unit and sub-programs with budget, executed (in `unit`), rate, gap and status, labels in Korean."""
    p = report.programs
    if p.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("program", lang): [
                ("　└ " if lvl == "sub" else "") + n for n, lvl in zip(p["name"], p["level"], strict=True)
            ],
            "집행률": [fmt_pct(v) for v in p["execution_rate"]],
            t("status", lang): [status_label(s, lang) for s in p["status"]],
            "경과율 대비": [fmt_pp(v) for v in p["gap_pp"]],
            f"{t('budget', lang)}({unit})": [fmt_money(v, unit) for v in p["budget"]],
            f"{t('executed', lang)}({unit})": [fmt_money(v, unit) for v in p["executed"]],
            t("team", lang): p["team"].fillna("-"),
            t("sample_short", lang): ["표본" if s else "" for s in p["is_sample"]],
        }
    )


def _exact(v: float) -> float | None:
    return None if pd.isna(v) else float(v)


def _spark(series: pd.Series | None) -> list[float]:
    return [] if series is None else [round(float(v), 2) for v in series.dropna()]


def _n(v: float) -> str:
    return "-" if pd.isna(v) else f"{round(v):,}"


def _pp_change(now: float, before: float) -> float | None:
    """Difference of two rates in %p of the displayed (half-up) figures; None when either is missing."""
    a, b = round_half_up(now, 1), round_half_up(before, 1)
    return None if a is None or b is None else round(a - b, 1)


def comparisons(report: KpiReport, last_year: KpiReport | None) -> dict[str, str]:
    """Per card key: '전월 대비 ±x.x%p · 전년 동월 대비 ±y.y%p' from the monthly series and last year's report."""
    m = report.monthly
    series = {"execution": "execution_rate", "placement": "placement_rate"}
    out: dict[str, str] = {}
    for key, col in series.items():
        parts = []
        mom = _mom_pp(m[col]) if len(m) else None
        if mom is not None:
            parts.append(f"전월 대비 {fmt_pp(mom)}")
        if last_year is not None:
            yoy = _pp_change(getattr(report, col), getattr(last_year, col))
            if yoy is not None:
                parts.append(f"전년 동월 대비 {fmt_pp(yoy)}" + (" (표본)" if last_year.includes_sample else ""))
        out[key] = " · ".join(parts)
    if last_year is not None:
        yoy = _pp_change(report.achievement_rate, last_year.achievement_rate)
        out["achievement"] = "" if yoy is None else f"전년 동월 대비 {fmt_pp(yoy)}"
        if report.rank is not None and last_year.rank is not None:
            out["rank"] = f"전년 {last_year.rank}위"
    return out


@dataclass(frozen=True)
class Attention:
    """A program that needs attention: name, status and a one-line reason."""

    name: str
    status: str
    reason: str


def attention(report: KpiReport, lang: str | None = None) -> list[Attention]:
    """Programs behind pace (status at_risk or behind), worst gap first, and the district behind its jobs target."""
    p = report.programs
    out = []
    if not p.empty:
        lagging = p[p["status"].isin(["behind", "at_risk"])].sort_values("gap_pp")
        for r in lagging.itertuples():
            out.append(
                Attention(
                    r.name,
                    r.status,
                    f"집행률 {fmt_pct(r.execution_rate)} — 경과율 {fmt_pct(report.pace)} 대비 {fmt_pp(r.gap_pp)}",
                )
            )
    if not pd.isna(report.achievement_rate):
        gap = kpis.pace_gap_pp(report.achievement_rate, report.pace)
        if gap < 0:
            out.append(
                Attention(
                    t("achievement_rate", lang),
                    kpis.pace_status(gap, load_settings().pace_bands),
                    f"일자리 {_n(report.jobs_actual)}개 / 목표 {_n(report.jobs_target)}개 "
                    f"({fmt_pct(report.achievement_rate)}) — 경과율 대비 {fmt_pp(gap)}",
                )
            )
    return out
