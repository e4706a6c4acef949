"""The metric catalog and the other closed vocabularies of the domain, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["won", "person", "firm", "case", "count", "percent", "job"]

# The word each unit is written with after a count, (Korean, English): 구인업체(개) as the seed tables head it.
UNIT_WORDS: dict[str, tuple[str, str]] = {
    "won": ("원", "KRW"),
    "person": ("명", "people"),
    "firm": ("개", "firms"),
    "case": ("건", "cases"),
    "count": ("회", "times"),
    "percent": ("%", "%"),
    "job": ("개", "jobs"),
}


@dataclass(frozen=True)
class Metric:
    """One reportable measure: code, Korean and English labels, unit, and how months combine."""

    code: str
    ko: str
    en: str
    unit: Unit
    cumulative: bool = True  # True: each month holds the year-to-date figure as reported
    description: str = ""


METRICS: tuple[Metric, ...] = (
    Metric("executed", "집행액", "Executed amount", "won", description="예산 집행액 누계 (1월 1일부터)"),
    Metric("participants", "참여자", "Participants", "person"),
    Metric("selected", "선발인원", "People selected", "person"),
    Metric("job_seekers", "구직자", "Registered job seekers", "person"),
    Metric("placements", "취업자", "People placed", "person"),
    Metric("openings", "구인인원", "Openings", "person"),
    Metric("employers", "구인업체", "Employers with openings", "firm"),
    Metric("referrals", "취업알선", "Referrals", "case"),
    Metric("jobs_created", "일자리 창출", "Jobs created", "job"),
    Metric("events", "행사·개최", "Events held", "count"),
    Metric("participating_firms", "참여기업", "Participating firms", "firm"),
    Metric("visitors", "방문·참여인원", "Visitors", "person"),
    Metric("interviews", "면접", "Interviews", "person"),
    Metric("hires", "채용", "Hires", "person"),
    Metric("trainees", "교육인원", "Trainees", "person"),
    Metric("supported", "지원인원", "People supported", "person"),
    Metric("employed", "취업자 수(지역)", "Employed residents", "person", cumulative=False),
    Metric("employment_rate", "고용률", "Employment rate", "percent", cumulative=False),
    Metric("female_employment_rate", "여성고용률", "Female employment rate", "percent", cumulative=False),
)
METRIC_BY_CODE: dict[str, Metric] = {m.code: m for m in METRICS}

# Funding sources (재원). "total" is a stated total; the others are its split.
FUNDING_SOURCES: dict[str, str] = {
    "total": "계",
    "national": "국비",
    "city": "시비",
    "district": "구비",
    "other": "기타",
}
SPLIT_SOURCES: tuple[str, ...] = ("national", "city", "district", "other")

# Where a value came from (its origin), most authoritative first: for one program, year, measure and month the
# figure shown comes from the first origin here that has it (the order is a setting: JOBKPI_SOURCE_ORDER).
# Values of different origins are alternatives for one figure and are never added.
ORIGINS: dict[str, tuple[str, str]] = {
    "ehojo": ("e-호조 집행현황", "e-Hojo execution export"),
    "lofin365": ("지방재정365", "Lofin365"),
    "report": ("업무보고 표", "report table"),
    "template": ("입력 양식", "upload template"),
    "centre_log": ("일자리센터 실적", "job-centre log"),
    "goal_disclosure": ("일자리 목표공시제", "local jobs target disclosure"),
    "kosis": ("KOSIS 지역별고용조사", "KOSIS regional survey"),
    "demo": ("예시 자료", "sample data"),
}

# The origin of each table kind a reader recognises (Extract.kind).
ORIGIN_OF_KIND: dict[str, str] = {
    "budget_table": "report",
    "program_box": "report",
    "template": "template",
    "job_centre": "centre_log",
    "kostat_csv": "kosis",
    "lofin365": "lofin365",
    "ehojo": "ehojo",
    "goal_disclosure": "goal_disclosure",
    "demo": "demo",
}

# Levels of the program tree under a department (부서 → 정책사업 → 단위사업 → 세부사업).
PROGRAM_LEVELS: dict[str, tuple[str, str]] = {
    "department": ("부서", "department"),
    "policy": ("정책사업", "policy program"),
    "unit": ("단위사업", "unit program"),
    "detail": ("세부사업", "sub-program"),
}

# The unit program that holds sub-programs a file lists without their unit (지방재정365 states none) until
# staff attach them to their unit; their figures never add to those stated by another source (views.report).
UNASSIGNED_PROGRAM = "미분류"

# The years a figure can be for: a year outside is a typing slip (0, 9999, 202), refused at its cell.
PLAUSIBLE_YEARS = range(1900, 2101)

# 일자리 목표공시제 categories.
PROGRAM_CATEGORIES: dict[str, str] = {
    "direct": "직접일자리",
    "training": "직업능력개발훈련",
    "employment_service": "고용서비스",
    "subsidy": "고용장려금",
    "startup": "창업지원",
    "infrastructure": "일자리 인프라 구축",
    "private": "민간일자리 창출효과",
    "admin": "행정운영",
}

# Regional survey (지역별고용조사) indicators and bases.
SURVEY_INDICATORS: dict[str, str] = {
    "employment_rate": "고용률",
    "female_employment_rate": "여성고용률",
}
# Survey counts a KOSIS download carries beside the rates: stored (in persons) for reference, never ranked.
SURVEY_COUNTS: dict[str, str] = {"employed": "취업자"}
BASES: dict[str, str] = {"15+": "15세 이상", "15-64": "15~64세"}

PLEDGE_MEASURES: dict[str, str] = {"target": "목표", "actual": "실적", "budget": "예산"}


def metric(code: str) -> Metric:
    """Return the catalog entry for a metric code, or raise KeyError naming the code."""
    try:
        return METRIC_BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown metric {code!r}") from None


# The program that the 일자리플러스센터 table's figures belong to (shared by the demo and the importer).
JOB_CENTRE_PROGRAM = "일자리플러스센터 운영"
