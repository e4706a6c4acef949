"""UI strings in one place: Korean first, English beside it, looked up by key."""

from __future__ import annotations

from kpi.settings import load_settings

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"ko": "일자리 KPI 대시보드", "en": "Employment KPI dashboard"},
    "nav_overview": {"ko": "종합 현황", "en": "Overview"},
    "filters": {"ko": "조회 조건", "en": "Filters"},
    "district": {"ko": "자치구", "en": "District"},
    "year": {"ko": "연도", "en": "Year"},
    "as_of": {"ko": "기준일", "en": "As of"},
    "as_of_month": {"ko": "기준월", "en": "As-of month"},
    "month_label": {"ko": "{month}월말", "en": "end of month {month}"},
    "sample_badge": {"ko": "표본 자료", "en": "Sample data"},
    "sample_short": {"ko": "표본", "en": "sample"},
    "sample_note": {
        "ko": "표본 표시가 있는 수치는 시연용 표본 자료입니다. 실제 보고서 수치와 구분해 보십시오.",
        "en": "Figures marked as sample are demo data, not reported figures.",
    },
    "execution_rate": {"ko": "집행률", "en": "Budget execution"},
    "pace": {"ko": "경과율", "en": "Share of year gone"},
    "gap_to_pace": {"ko": "경과율 대비", "en": "vs pace"},
    "placement_rate": {"ko": "취업률", "en": "Placement rate"},
    "achievement_rate": {"ko": "일자리 달성률", "en": "Job-creation achievement"},
    "employment_rank": {"ko": "고용률 순위", "en": "Employment-rate rank"},
    "rank_value": {"ko": "{rank}위 / {of}", "en": "#{rank} of {of}"},
    "streak": {"ko": "{n}회 연속 1위", "en": "1st {n} times in a row"},
    "budget": {"ko": "예산액", "en": "Budget"},
    "executed": {"ko": "집행액", "en": "Executed"},
    "job_seekers": {"ko": "구직자", "en": "Job seekers"},
    "placements": {"ko": "취업자", "en": "Placed"},
    "target": {"ko": "목표", "en": "Target"},
    "actual": {"ko": "실적", "en": "Actual"},
    "program": {"ko": "사업명", "en": "Program"},
    "level_unit": {"ko": "단위사업", "en": "Unit program"},
    "level_sub": {"ko": "세부사업", "en": "Sub-program"},
    "team": {"ko": "담당팀", "en": "Team"},
    "status": {"ko": "상태", "en": "Status"},
    "status_on_track": {"ko": "정상", "en": "On track"},
    "status_at_risk": {"ko": "주의", "en": "At risk"},
    "status_behind": {"ko": "부진", "en": "Behind"},
    "status_no_data": {"ko": "자료 없음", "en": "No data"},
    "programs_table": {"ko": "단위사업별 집행 현황", "en": "Execution by unit program"},
    "monthly_trend": {"ko": "월별 누계 집행률과 경과율", "en": "Cumulative execution vs pace by month"},
    "no_data": {"ko": "선택한 조건에 해당하는 자료가 없습니다.", "en": "No data for this selection."},
    "missing_months": {
        "ko": "{months}월 실적이 아직 업로드되지 않아 {data_month}월말 자료로 표시합니다.",
        "en": "No figures uploaded for month(s) {months}; showing end of month {data_month}.",
    },
    "freshness": {
        "ko": "기준일 {as_of} · 최근 업로드 {when} ({who}, {file})",
        "en": "As of {as_of} · last upload {when} ({who}, {file})",
    },
    "no_upload": {"ko": "아직 업로드된 자료가 없습니다.", "en": "Nothing uploaded yet."},
    "unit_label": {"ko": "금액 단위", "en": "Money unit"},
    "error_db": {
        "ko": "데이터베이스에 연결할 수 없습니다: {detail}. 관리자에게 문의하십시오.",
        "en": "Cannot reach the database: {detail}.",
    },
}


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The UI string for key in lang (default: the JOBKPI_LANG setting), with {placeholders} filled."""
    lang = lang or load_settings().lang
    entry = STRINGS[key]
    return entry.get(lang, entry["ko"]).format(**values)


def status_label(status: str, lang: str | None = None) -> str:
    """Korean (or English) label of a pace status code."""
    return t(f"status_{status}", lang)
