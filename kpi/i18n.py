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
    # --- dashboard pages (issue 4): shared
    "data_view": {"ko": "데이터 보기 · 내려받기", "en": "Data and downloads"},
    "download_xlsx": {"ko": "엑셀(.xlsx) 내려받기", "en": "Download .xlsx"},
    "download_csv": {"ko": "CSV 내려받기", "en": "Download CSV"},
    "selection_hint": {"ko": "막대나 타일을 클릭(또는 끌어서 선택)하면 아래 내용이 그 항목으로 좁혀집니다.",
                       "en": "Click or box-select bars or tiles to filter the rest of the page."},
    "selected": {"ko": "선택: {what}", "en": "Selected: {what}"},
    # overview
    "attention": {"ko": "점검이 필요한 사업", "en": "Needs attention"},
    "attention_none": {"ko": "경과율에 뒤처진 사업이 없습니다.", "en": "No program is behind pace."},
    # programs page
    "nav_programs": {"ko": "사업별 실적", "en": "Programs"},
    "pick_program": {"ko": "상세를 볼 사업 (표에서 행을 선택해도 됩니다)", "en": "Program to drill into"},
    "program_trend": {"ko": "월별 실적 추이와 목표", "en": "Monthly trend with target"},
    "program_funding": {"ko": "재원별 예산", "en": "Budget by funding source"},
    "program_uploads": {"ko": "이 사업의 값을 올린 업로드", "en": "Uploads that touched this program"},
    "category": {"ko": "분야", "en": "Category"},
    # budget page
    "nav_budget": {"ko": "예산 집행", "en": "Budget"},
    "budget_programs": {"ko": "단위사업·세부사업별 예산과 집행", "en": "Budget and execution by program"},
    "budget_sources": {"ko": "재원별 예산 (국비·시비·구비)", "en": "Budget by funding source"},
    "budget_cumulative": {"ko": "월별 누계 집행률 · 경과율 · 신속집행 목표 · 연말 전망",
                          "en": "Cumulative execution, pace, rapid-spending target, year-end projection"},
    "rapid_status": {"ko": "신속집행 상반기 목표 {target} · 6월말 집행률 {actual}",
                     "en": "Rapid spending target {target} · end of June {actual}"},
    "projection": {"ko": "연말 집행 전망 {value} (범위 {low}~{high}, 최근 {n}개월 평균 기준)",
                   "en": "Year-end projection {value} (range {low}-{high}, last {n} months)"},
    "rapid_label": {"ko": "6월말 집행률 (신속집행)", "en": "End-of-June execution (rapid spending)"},
    "projection_label": {"ko": "연말 집행률 전망", "en": "Year-end execution projection"},
    # districts page
    "nav_districts": {"ko": "자치구 비교", "en": "Districts"},
    "indicator": {"ko": "지표", "en": "Indicator"},
    "basis": {"ko": "기준 연령", "en": "Age basis"},
    "period": {"ko": "조사 시기 (반기)", "en": "Half-year"},
    "rank_history": {"ko": "{district} 순위 추이", "en": "{district}: rank history"},
    "tile_map": {"ko": "서울 자치구 타일 지도", "en": "Seoul tile map"},
    "basis_note": {"ko": "{basis} 기준 · 목표선은 같은 기준의 목표만 표시합니다.",
                   "en": "{basis} basis · only targets on the same basis are drawn."},
    # pledges page
    "nav_pledges": {"ko": "공약·목표 이행", "en": "Pledges and targets"},
    "pledge_fulfilment": {"ko": "공약 이행률", "en": "Pledge fulfilment"},
    "pledge_yearly": {"ko": "연도별 목표 대비 실적", "en": "Yearly target vs actual"},
    "pledge_budget": {"ko": "연도별·재원별 공약 예산", "en": "Pledge budget by year and source"},
    "disclosure": {"ko": "일자리 목표공시제 목표 ({year}년)", "en": "Jobs target disclosure ({year})"},
    "by_category": {"ko": "목표공시제 분야별 예산·집행", "en": "By disclosure category"},
    # --- accounts and the upload page (실적 업로드)
    "nav_upload": {"ko": "실적 업로드", "en": "Upload"},
    "staff_login": {"ko": "담당자 로그인", "en": "Staff login"},
    "user_name": {"ko": "아이디", "en": "User name"},
    "password": {"ko": "비밀번호", "en": "Password"},
    "login": {"ko": "로그인", "en": "Log in"},
    "logout": {"ko": "로그아웃", "en": "Log out"},
    "login_failed": {"ko": "아이디 또는 비밀번호가 맞지 않습니다.", "en": "Wrong user name or password."},
    "login_required": {"ko": "이 대시보드는 로그인이 필요합니다. 왼쪽에서 로그인하십시오.", "en": "Please log in."},
    "signed_in_as": {"ko": "{name} ({role})", "en": "{name} ({role})"},
    "role_viewer": {"ko": "열람자", "en": "viewer"},
    "role_staff": {"ko": "담당자", "en": "staff"},
    "role_admin": {"ko": "관리자", "en": "admin"},
    "upload_intro": {
        "ko": "매달 실적을 평소 쓰시는 엑셀 표(예산현황, 일자리플러스센터 실적 등) 그대로 올리시거나, "
        "입력 양식을 내려받아 채워 올리십시오. 반영 전에 오류와 바뀌는 값을 모두 보여 드립니다.",
        "en": "Upload the month's sheets as you keep them, or fill in the template. You see every error and "
        "every change before anything is saved.",
    },
    "download_template": {"ko": "입력 양식 내려받기 (.xlsx)", "en": "Download the template (.xlsx)"},
    "choose_file": {"ko": "엑셀(.xlsx, .xls) 또는 CSV 파일", "en": "Excel (.xlsx, .xls) or CSV file"},
    "as_of_override": {"ko": "기준일 (표에 적혀 있지 않을 때)", "en": "As-of date (when the sheet has none)"},
    "errors_title": {"ko": "오류 {n}건 — 고친 뒤 다시 올려 주십시오", "en": "{n} errors — fix and upload again"},
    "warnings_title": {"ko": "확인할 점 {n}건 (반영은 가능합니다)", "en": "{n} warnings (you may still commit)"},
    "no_problems": {"ko": "오류가 없습니다.", "en": "No problems found."},
    "preview_title": {"ko": "반영 미리보기", "en": "Preview"},
    "show_unchanged": {"ko": "바뀌지 않는 값도 보기", "en": "Show unchanged values"},
    "duplicate_file": {
        "ko": "이 파일은 이미 반영된 적이 있습니다 (업로드 {ids}). 그래도 다시 반영하시겠습니까?",
        "en": "This very file was committed before (upload {ids}). Commit it again?",
    },
    "confirm_duplicate": {"ko": "네, 다시 반영합니다", "en": "Yes, commit again"},
    "commit": {"ko": "반영하기", "en": "Commit"},
    "committed": {
        "ko": "반영했습니다: 업로드 {id}번, {rows}행. 잘못 올렸다면 아래 이력에서 되돌릴 수 있습니다.",
        "en": "Committed as upload {id} ({rows} rows). You can revert it below.",
    },
    "history": {"ko": "업로드 이력", "en": "Upload history"},
    "revert": {"ko": "되돌리기", "en": "Revert"},
    "revert_pick": {"ko": "되돌릴 업로드", "en": "Upload to revert"},
    "reverted": {"ko": "업로드 {id}번을 되돌렸습니다. 그 전 값으로 돌아갔습니다.", "en": "Upload {id} reverted."},
    "users_title": {"ko": "사용자 관리", "en": "Users"},
    "add_user": {"ko": "사용자 추가", "en": "Add user"},
    "role": {"ko": "권한", "en": "Role"},
    "stage_read": {"ko": "파일 읽는 중", "en": "Reading"},
    "stage_preview": {"ko": "검사·미리보기 계산 중", "en": "Validating and previewing"},
    "stage_done": {"ko": "완료", "en": "Done"},
    "error_db": {
        "ko": "데이터베이스에 연결할 수 없습니다: {detail}. 관리자에게 문의하십시오.",
        "en": "Cannot reach the database: {detail}.",
    },
    # --- the briefing page (브리핑) and its exports
    "nav_briefing": {"ko": "브리핑", "en": "Briefing"},
    "briefing_slides": {"ko": "슬라이드 선택과 순서 (선택한 순서대로 발표)", "en": "Slides, in the order picked"},
    "briefing_saved": {"ko": "{user} 님의 슬라이드 구성을 저장했습니다.", "en": "Saved the slide choice of {user}."},
    "briefing_prev": {"ko": "이전", "en": "Previous"},
    "briefing_next": {"ko": "다음", "en": "Next"},
    "briefing_position": {"ko": "{n} / {total}", "en": "{n} / {total}"},
    "briefing_present": {"ko": "발표 모드 (사이드바 숨김)", "en": "Presenter mode (hide the sidebar)"},
    "briefing_fullscreen": {"ko": "전체 화면", "en": "Full screen"},
    "briefing_keys": {
        "ko": "키보드: → 다음, ← 이전. 전체 화면은 버튼 또는 F11.",
        "en": "Keyboard: → next, ← previous. Full screen: the button or F11.",
    },
    "briefing_notes": {"ko": "발표자 메모", "en": "Speaker notes"},
    "briefing_none": {"ko": "슬라이드를 하나 이상 고르십시오.", "en": "Pick at least one slide."},
    "briefing_exports": {"ko": "내려받기", "en": "Downloads"},
    "export_pptx": {"ko": "파워포인트 (.pptx)", "en": "PowerPoint (.pptx)"},
    "export_pdf": {"ko": "PDF", "en": "PDF"},
    "export_png": {"ko": "차트 이미지 (.png, zip)", "en": "Chart images (.png, zip)"},
    "export_xlsx": {"ko": "업무보고 표 (.xlsx)", "en": "Council report tables (.xlsx)"},
    "export_failed": {"ko": "파일을 만들 수 없습니다: {detail}", "en": "Could not make the file: {detail}"},
}


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The UI string for key in lang (default: the JOBKPI_LANG setting), with {placeholders} filled."""
    lang = lang or load_settings().lang
    entry = STRINGS[key]
    return entry.get(lang, entry["ko"]).format(**values)


def status_label(status: str, lang: str | None = None) -> str:
    """Korean (or English) label of a pace status code."""
    return t(f"status_{status}", lang)
