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
    "department": {"ko": "부서", "en": "Department"},
    "excluded_title": {
        "ko": "다른 부서 또는 미등록 세부사업 {n}건 제외",
        "en": "{n} sub-programs of other departments or not registered were left out",
    },
    "excluded_help": {
        "ko": "우리 부서 사업이면 '연결할 사업'에서 단위사업을 고르고 적용하세요. 그 아래 세부사업으로 "
        "들어가며, 연결은 기억되어 다음 파일부터는 저절로 맞춰집니다.",
        "en": "If one is ours, choose its unit program and apply: it becomes a sub-program under it, and the "
        "choice is remembered for later files.",
    },
    "attach_to": {"ko": "연결할 단위사업 선택", "en": "Choose the unit program"},
    "centre_rows_question": {
        "ko": "센터 실적의 월별 행은 그 달 실적(당월)입니까, 1월부터의 누계입니까?",
        "en": "Do the centre log's month rows hold that month's figures or the year to date?",
    },
    "centre_rows_monthly": {"ko": "당월 실적", "en": "That month's"},
    "centre_rows_cumulative": {"ko": "누계", "en": "Year to date"},
    "excluded_find": {"ko": "사업명·코드로 찾기", "en": "Find by name or code"},
    "excluded_more": {
        "ko": "{total}건 중 {n}건을 보여 줍니다. 찾기로 좁히세요.",
        "en": "Showing {n} of {total}; search to narrow.",
    },
    "attach_apply": {"ko": "{n}건 연결해 다시 미리보기", "en": "Attach {n} and preview again"},
    "data_checks": {"ko": "자료 점검 {n}건", "en": "{n} data checks"},
    "check_unassigned": {
        "ko": "단위사업이 정해지지 않은 세부사업(미분류) {n}건, {amount}{unit}은 다른 자료의 단위사업 금액과 겹칠 수 "
        "있어 합계에 넣지 않았습니다. 업로드 화면이나 `jobkpi programs map`으로 단위사업에 연결하세요.",
        "en": "{n} sub-programs without a unit program (미분류), {amount} {unit}, are left out of the totals: they "
        "may repeat unit figures from another source. Attach them on the upload page or with `jobkpi programs map`.",
    },
    "check_mismatch": {
        "ko": "'{program}': 단위사업 금액 {stated}{unit}과 세부사업 합계 {kids}{unit}이 {diff}{unit} 다릅니다 "
        "(표시는 단위사업 금액).",
        "en": "'{program}': the stated {stated} {unit} differs from its sub-programs' {kids} {unit} by {diff} {unit} "
        "(the stated figure is shown).",
    },
    # --- dashboard pages (issue 4): shared
    "data_view": {"ko": "데이터 보기 · 내려받기", "en": "Data and downloads"},
    "download_xlsx": {"ko": "엑셀(.xlsx) 내려받기", "en": "Download .xlsx"},
    "download_csv": {"ko": "CSV 내려받기", "en": "Download CSV"},
    "selection_hint": {
        "ko": "막대나 타일을 클릭하면 아래 내용이 그 항목으로 좁혀집니다 (Shift+클릭으로 여러 개, 끌어서 범위 선택). "
        "선택은 주소에 남아 링크로 공유됩니다.",
        "en": "Click a bar or a tile to filter the rest of the page (Shift+click for several, drag for a range). "
        "The selection is kept in the link.",
    },
    "selected": {"ko": "선택: {what}", "en": "Selected: {what}"},
    # overview
    "attention": {"ko": "점검이 필요한 사업", "en": "Needs attention"},
    "attention_none": {"ko": "경과율에 뒤처진 사업이 없습니다.", "en": "No program is behind pace."},
    "vs_previous_month": {"ko": "전월 대비", "en": "vs previous month"},
    "vs_last_year": {"ko": "전년 동월 대비", "en": "vs same month last year"},
    "last_year_missing": {"ko": "전년 동월({period}) 자료 없음", "en": "no figures for {period}"},
    "status_missing_data": {"ko": "자료 없음 (확인 필요)", "en": "No data (check)"},
    "missing_data_line": {
        "ko": "예산 {budget}{unit}, {month}월 집행 자료 없음 (확인 필요)",
        "en": "budget {budget} ({unit}), no execution figure for month {month} (check)",
    },
    "projection_overview": {
        "ko": "연말 집행률 전망 {value} (범위 {low}~{high}, {months} 추세{sample})",
        "en": "Year-end projection {value} (range {low}-{high}, trend of {months}{sample})",
    },
    # 사유·조치계획 (why a program lags and what next)
    "reason_title": {"ko": "사유·조치계획", "en": "Reason and action"},
    "reason": {"ko": "사유", "en": "Reason"},
    "action": {"ko": "조치계획", "en": "Action"},
    "reason_missing": {"ko": "사유 미입력", "en": "No reason entered"},
    "reason_ask": {"ko": "— {team}에 확인", "en": "— ask {team}"},
    "reason_by": {"ko": "{month}월 · 입력 {who}", "en": "month {month} · by {who}"},
    "reason_none_program": {
        "ko": "{month}월 사유·조치계획이 입력되지 않았습니다.",
        "en": "No reason or action entered for month {month}.",
    },
    "reason_history": {"ko": "월별 사유·조치계획", "en": "Reasons by month"},
    "reason_form_title": {"ko": "사유·조치계획 입력", "en": "Enter a reason and action"},
    "reason_form_intro": {
        "ko": "집행이 늦거나 자료가 없는 사업은 그 달의 사유와 조치계획을 적어 주십시오 (각 {n}자 이내). "
        "과장·국장 화면, 브리핑 슬라이드, 업무보고 표에 그대로 나옵니다. "
        "저장하면 업로드 이력에 남고 되돌릴 수 있습니다.",
        "en": "For a program behind pace or without figures, write the month's reason and action (up to {n} "
        "characters each). Heads see them on the overview, the slides and the council tables. Each entry is an "
        "upload you can revert.",
    },
    "reason_program": {"ko": "사업", "en": "Program"},
    "reason_month": {"ko": "월", "en": "Month"},
    "reason_lagging": {"ko": "점검 필요", "en": "needs attention"},
    "reason_save": {"ko": "사유 저장", "en": "Save"},
    "reason_saved": {
        "ko": "{program} {month}월 사유·조치계획을 저장했습니다 (업로드 {id}번).",
        "en": "Saved the reason for {program}, month {month} (upload {id}).",
    },
    "kind_reason": {"ko": "사유·조치계획 입력", "en": "Reason entry"},
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
    "budget_cumulative": {
        "ko": "월별 누계 집행률 · 경과율 · 신속집행 목표 · 연말 전망",
        "en": "Cumulative execution, pace, rapid-spending target, year-end projection",
    },
    "rapid_status": {
        "ko": "신속집행 상반기 목표 {target} · 6월말 집행률 {actual}",
        "en": "Rapid spending target {target} · end of June {actual}",
    },
    "projection": {
        "ko": "연말 집행 전망 {value} (범위 {low}~{high}, 최근 {n}개월 평균 기준)",
        "en": "Year-end projection {value} (range {low}-{high}, last {n} months)",
    },
    "rapid_label": {"ko": "6월말 집행률 (신속집행)", "en": "End-of-June execution (rapid spending)"},
    "projection_label": {"ko": "연말 집행률 전망", "en": "Year-end execution projection"},
    # districts page
    "nav_districts": {"ko": "자치구 비교", "en": "Districts"},
    "indicator": {"ko": "지표", "en": "Indicator"},
    "basis": {"ko": "기준 연령", "en": "Age basis"},
    "period": {"ko": "조사 시기 (반기)", "en": "Half-year"},
    "rank_history": {"ko": "{district} 순위 추이", "en": "{district}: rank history"},
    "tile_map": {"ko": "서울 자치구 타일 지도", "en": "Seoul tile map"},
    "basis_note": {
        "ko": "{basis} 기준 · 목표선은 같은 기준의 목표만 표시합니다.",
        "en": "{basis} basis · only targets on the same basis are drawn.",
    },
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
    "original_pick": {"ko": "원본 파일을 내려받을 업로드", "en": "Upload whose original file to download"},
    "original_download": {"ko": "원본 파일 내려받기", "en": "Download the original file"},
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
    "briefing_present": {"ko": "발표 모드", "en": "Present"},
    "briefing_fullscreen": {"ko": "전체 화면으로 발표", "en": "Present full screen"},
    "briefing_keys": {
        "ko": "발표 모드에서는 슬라이드 한 장이 화면을 채웁니다. 다음: → · PageDown · Space · 클리커, "
        "이전: ← · PageUp, 처음·끝: Home · End, 화면 가리기: B, 끝내기: Esc.",
        "en": "In presenting, one slide fills the screen. Next: → · PageDown · Space · a clicker; previous: ← · "
        "PageUp; first/last: Home · End; blank the screen: B; stop: Esc.",
    },
    "briefing_deck_alt": {"ko": "브리핑 슬라이드 {total}장", "en": "Briefing, {total} slides"},
    "briefing_notes": {"ko": "발표자 메모", "en": "Speaker notes"},
    "briefing_none": {"ko": "슬라이드를 하나 이상 고르십시오.", "en": "Pick at least one slide."},
    "briefing_exports": {"ko": "내려받기", "en": "Downloads"},
    "export_pptx": {"ko": "파워포인트 (.pptx)", "en": "PowerPoint (.pptx)"},
    "export_pdf": {"ko": "PDF", "en": "PDF"},
    "export_png": {"ko": "차트 이미지 (.png, zip)", "en": "Chart images (.png, zip)"},
    "export_xlsx": {"ko": "업무보고 표 (.xlsx)", "en": "Council report tables (.xlsx)"},
    "export_failed": {"ko": "파일을 만들 수 없습니다: {detail}", "en": "Could not make the file: {detail}"},
}


# --- issue 10: the whole UI in the chosen language (cross-filter, widget texts, codes shown as labels, accessibility)
STRINGS |= {
    "year_label": {"ko": "{year}년", "en": "{year}"},
    "url_problems": {
        "ko": "주소의 조회 조건 일부를 읽을 수 없어 기본값으로 표시합니다: {items}",
        "en": "Some conditions in the link could not be read; showing defaults for: {items}",
    },
    "yes": {"ko": "예", "en": "yes"},
    "no": {"ko": "아니오", "en": "no"},
    "clear_selection": {"ko": "선택 해제", "en": "Clear selection"},
    "choose_one": {"ko": "선택하십시오", "en": "Choose"},
    "choose_many": {"ko": "하나 이상 선택하십시오 (비우면 전체)", "en": "Choose one or more (empty: all)"},
    "upload_limit": {
        "ko": "파일당 {mb}MB까지 (지방재정365 세출현황 CSV는 {lofin_mb}MB까지) · XLSX, XLS, CSV",
        "en": "Up to {mb} MB per file ({lofin_mb} MB for a 지방재정365 spending CSV) · XLSX, XLS, CSV",
    },
    "go_overview": {"ko": "종합 현황에서 바뀐 수치 보기", "en": "See the changed figures on the overview"},
    "selection_url_note": {"ko": "선택 {n}개", "en": "{n} selected"},
    "sel_programs_funding": {
        "ko": "선택한 사업(단위사업은 그 세부사업 포함)의 재원별 예산",
        "en": "Funding of the selected programs (a unit program with its sub-programs)",
    },
    # upload kinds, statuses and program levels shown as words
    "kind_budget_table": {"ko": "예산현황 표", "en": "Budget table"},
    "kind_program_box": {"ko": "사업별 예산현황", "en": "Program budget boxes"},
    "kind_job_centre": {"ko": "일자리플러스센터 실적", "en": "Job-centre figures"},
    "kind_kostat_csv": {"ko": "통계청 고용률 자료", "en": "Statistics Korea employment rates"},
    "kind_template": {"ko": "실적 입력 양식", "en": "Input template"},
    "kind_unknown": {"ko": "알 수 없는 형식", "en": "Unknown format"},
    "kind_results": {"ko": "사업 실적", "en": "Program results"},
    "kind_targets": {"ko": "목표", "en": "Targets"},
    "kind_pledge_card": {"ko": "공약 이행 카드", "en": "Pledge card"},
    "kind_survey": {"ko": "지역별고용조사", "en": "Local labour-force survey"},
    "kind_sample_series": {"ko": "표본 월별 자료", "en": "Sample monthly series"},
    "kind_demo": {"ko": "시연 자료", "en": "Demo data"},
    "code_committed": {"ko": "반영", "en": "committed"},
    "code_reverted": {"ko": "되돌림", "en": "reverted"},
    "code_on_track": {"ko": "정상", "en": "on track"},
    "code_at_risk": {"ko": "주의", "en": "at risk"},
    "code_behind": {"ko": "부진", "en": "behind"},
    "code_no_data": {"ko": "자료 없음", "en": "no data"},
    "login_password": {"ko": "비밀번호", "en": "password"},
    "user_active": {"ko": "사용", "en": "Active"},
    "trend_chart": {"ko": "월별 추이 그래프", "en": "monthly trend chart"},
    "upload_no": {"ko": "{id}번", "en": "#{id}"},
    "login_oidc": {"ko": "OIDC", "en": "OIDC"},
    "preview_new": {"ko": "신규", "en": "New"},
    "preview_changed": {"ko": "변경", "en": "Changed"},
    "preview_unchanged": {"ko": "동일", "en": "Unchanged"},
    "preview_programs": {"ko": "새 사업", "en": "New programs"},
    # districts page
    "alt_districts": {
        "ko": "{label} {period} ({basis} 기준): 가장 높은 구 {top} {top_v}%, 가장 낮은 구 {low} {low_v}%, "
        "{own} {own_v}% ({n}개 구 중 {rank}위).",
        "en": "{label} {period} ({basis}): highest {top} {top_v}%, lowest {low} {low_v}%, {own} {own_v}% "
        "(rank {rank} of {n}).",
    },
    "alt_tiles": {
        "ko": "서울 25개 자치구를 같은 크기 칸으로 배치한 지도, 진할수록 높음. ",
        "en": "The 25 Seoul districts as equal tiles, darker is higher. ",
    },
    "alt_rank_history": {"ko": "{district} 반기별 순위 — {series}.", "en": "{district}, rank by half-year — {series}."},
    "rank_of": {"ko": "{period} {rank}위", "en": "{period} #{rank}"},
    "rank_label": {"ko": "{label} 순위", "en": "{label} rank"},
    "streak_label": {"ko": "연속 1위 (고용률·여성고용률)", "en": "1st in a row (both rates)"},
    "times": {"ko": "{n}회", "en": "{n} times"},
    "chart_target": {"ko": "목표", "en": "Target"},
    "chart_rank": {"ko": "순위", "en": "Rank"},
    "rank_suffix": {"ko": "{rank}위", "en": "#{rank}"},
    # budget page
    "alt_budget_programs": {
        "ko": "단위사업·세부사업 {n}개의 예산액과 집행액({unit}). 집행률이 가장 낮은 사업 {low} {low_v}, "
        "가장 높은 사업 {high} {high_v}. 전체 집행률 {total}.",
        "en": "Budget and executed amount of {n} programs ({unit}). Lowest execution {low} {low_v}, highest {high} "
        "{high_v}. Overall {total}.",
    },
    "alt_sources": {"ko": "재원별 예산({unit}): {parts}.", "en": "Budget by funding source ({unit}): {parts}."},
    "alt_cumulative": {
        "ko": "월별 누계 집행률: {months}. 기준일 경과율 {pace}.",
        "en": "Cumulative execution by month: {months}. Share of year gone at the as-of date {pace}.",
    },
    "month_short": {"ko": "{month}월", "en": "M{month}"},
    "vs_target": {"ko": "{pp} 목표 대비", "en": "{pp} vs target"},
    "series_rate": {"ko": "누계 집행률", "en": "Cumulative execution"},
    "series_pace": {"ko": "경과율", "en": "Share of year gone"},
    "series_rapid": {"ko": "신속집행 목표(6월말)", "en": "Rapid-spending target (end of June)"},
    "series_projection": {"ko": "연말 전망", "en": "Year-end projection"},
    "series_budget_pale": {"ko": "예산액 (옅은 막대)", "en": "Budget (pale bar)"},
    "series_executed_dark": {"ko": "집행액 (진한 막대)", "en": "Executed (dark bar)"},
    "range": {"ko": "범위", "en": "range"},
    "projection_word": {"ko": "전망", "en": "projection"},
    "rapid_hover": {"ko": "신속집행 상반기 목표", "en": "Rapid-spending first-half target"},
    # pledges page
    "alt_pledge_yearly": {
        "ko": "{item} 연도별 목표 대비 실적(명): {years}.",
        "en": "{item}, target vs actual by year: {years}.",
    },
    "alt_target_actual": {"ko": "{x} 목표 {target}, 실적 {actual}", "en": "{x} target {target}, actual {actual}"},
    "alt_by_category": {
        "ko": "분야별 예산액·집행액({unit}): {parts}.",
        "en": "Budget and executed by category ({unit}): {parts}.",
    },
    "alt_budget_executed": {
        "ko": "{x} 예산 {budget}, 집행 {executed}",
        "en": "{x} budget {budget}, executed {executed}",
    },
    "pledge_total": {"ko": "계 {total}{unit} = {parts}", "en": "Total {total} {unit} = {parts}"},
}

# --- exports, slides and charts (kpi/exports/, kpi/views/charts.py, kpi/views/tilemap.py)
STRINGS |= {
    # (exports section: add entries below this line)
    # briefing slides (kpi.exports.slides): titles
    "slide_title": {"ko": "표지", "en": "Title"},
    "slide_execution": {"ko": "예산 집행률", "en": "Budget execution"},
    "slide_programs": {"ko": "단위사업별 집행률", "en": "Execution by unit program"},
    "slide_budget": {"ko": "단위사업별 예산·집행액", "en": "Budget and spending by unit program"},
    "slide_lagging": {"ko": "세부사업 집행률", "en": "Execution by sub-program"},
    "slide_placement": {"ko": "취업률", "en": "Placement rate"},
    "slide_achievement": {"ko": "일자리 목표 달성률", "en": "Job-creation target achievement"},
    "slide_job_centre": {"ko": "일자리플러스센터 실적", "en": "Jobs Plus Centre results"},
    "slide_funding": {"ko": "재원별 예산", "en": "Budget by funding source"},
    "slide_rank": {"ko": "고용률 순위", "en": "Employment-rate rank"},
    # slide texts: the title slide
    "deck_date": {"ko": "{year}. {month}. {day}.", "en": "{year}-{month:02d}-{day:02d}"},
    "deck_title": {
        "ko": "{district} 일자리 주요 지표 브리핑 ({year}년)",
        "en": "{district}: key employment indicators briefing ({year})",
    },
    "deck_title_note": {
        "ko": "{district} ({code}), {year}년, {date} 기준",
        "en": "{district} ({code}), {year}, as of {date}",
    },
    "deck_as_of_line": {"ko": "기준일: {date} 기준", "en": "As of: {date}"},
    "deck_source_line": {"ko": "자료: {source}", "en": "Source: {source}"},
    "deck_no_uploads": {"ko": "업로드된 자료 없음", "en": "no data uploaded"},
    "deck_sample_source": {"ko": "시연용 표본 자료 (표본 표시)", "en": "Demo sample data (marked as sample)"},
    # slide texts: series, units and words
    "deck_rate": {"ko": "집행률", "en": "Execution rate"},
    "deck_pace": {"ko": "경과율", "en": "Share of year gone"},
    "deck_budget": {"ko": "예산액", "en": "Budget"},
    "deck_executed": {"ko": "집행액", "en": "Executed"},
    "deck_placement": {"ko": "취업률", "en": "Placement rate"},
    "deck_jobs": {"ko": "일자리", "en": "Jobs"},
    "deck_results": {"ko": "실적", "en": "Results"},
    "deck_employment_rate": {"ko": "고용률", "en": "Employment rate"},
    "deck_other_districts": {"ko": "다른 자치구", "en": "Other districts"},
    "deck_annual_target": {"ko": "연간 목표", "en": "Annual target"},
    "deck_actual_to_date": {"ko": "실적 누계", "en": "Actual to date"},
    "deck_metric_unit": {"ko": "{metric}({unit})", "en": "{metric} ({unit})"},
    "deck_unit_people_cases": {"ko": "명·건", "en": "people · cases"},
    "deck_unit": {"ko": "(단위: {unit})", "en": "(unit: {unit})"},
    "deck_gap_none": {"ko": "자료 없음", "en": "no data"},
    "deck_gap_equal": {"ko": "같음", "en": "level with pace"},
    "deck_gap_short": {"ko": "{pp}%p 부족", "en": "{pp} pp behind pace"},
    "deck_gap_over": {"ko": "{pp}%p 초과", "en": "{pp} pp ahead of pace"},
    "deck_half_1": {"ko": "{year}년 상반기", "en": "H1 {year}"},
    "deck_half_2": {"ko": "{year}년 하반기", "en": "H2 {year}"},
    # slide texts: headlines and speaker notes
    "deck_exec_headline": {"ko": "집행률 {rate} — 경과율 대비 {gap}", "en": "Execution {rate} — {gap}"},
    "deck_exec_formula": {
        "ko": "집행률 {rate} = 집행액 {executed}천원 / 예산액 {budget}천원",
        "en": "Execution rate {rate} = executed KRW {executed} thousand / budget KRW {budget} thousand",
    },
    "deck_pace_note": {
        "ko": "경과율 {pace} ({date}, 연중 일수 기준) · 월 기준 {months}",
        "en": "Share of year gone {pace} ({date}, by days of the year) · by months {months}",
    },
    "deck_gap_note": {"ko": "경과율 대비 {gap} · 상태: {status}", "en": "{gap} · status: {status}"},
    "deck_sample_months": {
        "ko": "※ {months} 월별 수치는 표본 자료",
        "en": "※ the monthly figures of {months} are sample data",
    },
    "deck_programs_headline": {
        "ko": "경과율 미달 단위사업 {behind}/{total}개",
        "en": "{behind} of {total} unit programs behind the pace",
    },
    "deck_lowest": {"ko": " — 최저 {name} {rate}", "en": " — lowest: {name} {rate}"},
    "deck_program_note": {
        "ko": "{name}: {rate} ({executed} / {budget}천원, {status})",
        "en": "{name}: {rate} (KRW {executed} / {budget} thousand, {status})",
    },
    "deck_budget_headline": {
        "ko": "예산 {budget}백만원 중 {executed}백만원 집행",
        "en": "KRW {executed} million spent of a KRW {budget} million budget",
    },
    "deck_budget_total": {
        "ko": "계: 예산액 {budget}천원, 집행액 {executed}천원, 집행률 {rate}",
        "en": "Total: budget KRW {budget} thousand, executed KRW {executed} thousand, execution rate {rate}",
    },
    "deck_unspent": {"ko": "미집행 잔액 {amount}천원", "en": "Unspent balance KRW {amount} thousand"},
    "deck_no_sub": {"ko": "세부사업 집행 자료 없음", "en": "No execution figures of sub-programs"},
    "deck_lagging_headline": {
        "ko": "집행 최저 세부사업: {name} {rate}",
        "en": "Lowest execution among sub-programs: {name} {rate}",
    },
    "deck_sub_note": {
        "ko": "{name} ({parent}): {rate}, 경과율 대비 {gap}",
        "en": "{name} ({parent}): {rate}, {gap}",
    },
    "deck_sub_absent": {"ko": "{name} ({parent}): 집행 자료 없음", "en": "{name} ({parent}): no execution figures"},
    "deck_placement_headline": {
        "ko": "취업률 {rate} — 구직자 {seekers}명 중 {placed}명 취업",
        "en": "Placement rate {rate} — {placed} of {seekers} job seekers placed",
    },
    "deck_placement_formula": {
        "ko": "취업률 = 취업자 {placed}명 / 구직자 {seekers}명 = {rate}",
        "en": "Placement rate = {placed} placed / {seekers} job seekers = {rate}",
    },
    "deck_achievement_headline": {
        "ko": "일자리 창출 {actual}개 — 목표 {target}개의 {rate}",
        "en": "{actual} jobs created — {rate} of the target of {target}",
    },
    "deck_achievement_formula": {
        "ko": "달성률 = 실적 {actual}개 / 목표 {target}개 = {rate}",
        "en": "Achievement = {actual} jobs created / target {target} jobs = {rate}",
    },
    "deck_vs_pace": {"ko": "경과율 {pace}와 비교", "en": "Compare with the share of year gone, {pace}"},
    "deck_rank_none": {"ko": "고용률 순위 자료 없음", "en": "No employment-rate ranking"},
    "deck_survey_none": {"ko": "지역별고용조사 자료 없음", "en": "No Local Area Labour Force Survey figures"},
    "deck_rank_headline": {
        "ko": "고용률 서울 {n}개 구 중 {rank}위 ({period})",
        "en": "Employment rate ranks #{rank} of {n} Seoul districts ({period})",
    },
    "deck_streak": {"ko": " — {n}회 연속 1위", "en": " — 1st {n} times in a row"},
    "deck_rank_note": {
        "ko": "{district} 고용률(15세 이상) {rate}, {rank}위 / {n}개 구 ({period}, 통계청 지역별고용조사)",
        "en": "{district} employment rate (age 15+) {rate}, #{rank} of {n} districts ({period}, Statistics Korea "
        "Local Area Labour Force Survey)",
    },
    "deck_streak_note": {
        "ko": "고용률·여성고용률 연속 1위: {n}회",
        "en": "1st in both employment and female employment rate: {n} times in a row",
    },
    "deck_no_funding": {"ko": "재원 구분 자료 없음", "en": "No funding-source split"},
    "deck_funding_headline": {"ko": "재원 분담: {parts}", "en": "Funding shares: {parts}"},
    "deck_funding_note": {
        "ko": "{program}: 계 {total}천원 ({parts})",
        "en": "{program}: total KRW {total} thousand ({parts})",
    },
    "deck_jc_headline": {
        "ko": "일자리플러스센터 취업자 {placed}명 — 취업률 {rate}",
        "en": "Jobs Plus Centre: {placed} people placed — placement rate {rate}",
    },
    "deck_jc_formula": {
        "ko": "취업률 = 취업자 / 구직자 = {rate}",
        "en": "Placement rate = placed / job seekers = {rate}",
    },
    # slide figures, .pptx and PDF (kpi.exports.figures, pptx, pdf)
    "deck_sample_tag": {"ko": "표본 자료", "en": "Sample data"},
    "deck_pace_legend": {"ko": "경과율 {pace}%", "en": "Share of year gone {pace}%"},
    "deck_footer": {"ko": "{district} · {date} 기준", "en": "{district} · as of {date}"},
    "deck_footer_sample": {
        "ko": " · 표본 표시 수치는 시연용 표본 자료",
        "en": " · figures marked as sample are demo data",
    },
    "deck_more_reasons": {
        "ko": "외 {n}개 사업의 사유·조치계획은 발표자 메모에 있습니다.",
        "en": "The reasons and actions of {n} more programs are in the speaker notes.",
    },
    "deck_pdf_title": {
        "ko": "{district} 일자리 주요 지표 브리핑 ({year}년, {date} 기준)",
        "en": "{district}: key employment indicators briefing ({year}, as of {date})",
    },
    "deck_as_of": {"ko": "{date} 기준", "en": "as of {date}"},
    "deck_includes_sample": {"ko": "표본 자료 포함", "en": "Includes sample data"},
    "deck_locale": {"ko": "ko-KR", "en": "en-US"},
    # exports that fail (kpi.exports.png): shown on the briefing page
    "deck_no_browser": {
        "ko": "{path}에 chromium이 없습니다 (apt-get install chromium, 또는 JOBKPI_BROWSER_PATH 설정)",
        "en": "chromium not found at {path} (apt-get install chromium, or set JOBKPI_BROWSER_PATH)",
    },
    "deck_render_failed": {
        "ko": "차트 그림을 만들지 못했습니다: {kind}: {detail}",
        "en": "chart rendering failed: {kind}: {detail}",
    },
    # the council workbook (kpi.exports.council_xlsx)
    "council_total": {"ko": "계", "en": "Total"},
    "council_budget_sheet": {"ko": "예산현황", "en": "Budget"},
    "council_results_sheet": {"ko": "주요추진실적", "en": "Results"},
    "council_notice_sheet": {"ko": "알림", "en": "Notice"},
    "council_notice": {
        "ko": "표본 표시가 있는 수치는 시연용 표본 자료입니다.",
        "en": "Figures marked as sample are demo data.",
    },
    "council_unit": {"ko": "(단위: {unit})", "en": "(unit: {unit})"},
    "council_unit_short": {"ko": "(단위:{unit})", "en": "(unit: {unit})"},
    "council_program": {"ko": "단위사업명", "en": "Unit program"},
    "council_budget": {"ko": "예산액", "en": "Budget"},
    "council_executed": {"ko": "집행액", "en": "Executed"},
    "council_rate": {"ko": "집행률(%)", "en": "Execution rate (%)"},
    "council_rate_as_of": {"ko": "집행률(%) ({month}.{day}.기준)", "en": "Execution rate (%) (as of {day}/{month})"},
    "council_sample": {"ko": " (표본)", "en": " (sample)"},
    "council_placement_rate": {"ko": "취업률(%)", "en": "Placement rate (%)"},
    "council_plan": {"ko": "□ 향후계획", "en": "□ Next steps"},
    "council_plan_line": {"ko": "○ {label}: {text}", "en": "○ {label}: {text}"},
    "council_plan_missing": {"ko": "○ (사유 미입력)", "en": "○ (no reason entered)"},
    "council_results_title": {"ko": "주요업무 추진실적 ({date} 기준)", "en": "Main results (as of {date})"},
    "council_results_head": {"ko": "□ 주요 추진실적", "en": "□ Main results"},
    "council_col_program": {"ko": "사업", "en": "Program"},
    "council_col_item": {"ko": "항목", "en": "Item"},
    "council_col_value": {"ko": "실적", "en": "Result"},
    "council_budget_head": {"ko": "□ 예산현황", "en": "□ Budget"},
    "council_title": {
        "ko": "{district} {year}년 주요업무 보고 ({date} 기준)",
        "en": "{district} {year} council report (as of {date})",
    },
    "council_split_national": {"ko": "국", "en": "national"},
    "council_split_city": {"ko": "시", "en": "city"},
    "council_split_district": {"ko": "구비", "en": "district"},
    "council_split_other": {"ko": "기타", "en": "other"},
}

# --- pages and page views (pages/, app.py, kpi/views/ except charts and tilemap)
STRINGS |= {
    # (pages section: add entries below this line)
    # 시군구 집행률 비교 (districts page, kpi/views/peers.py)
    "peer_title": {"ko": "시군구 집행률 비교 (지방재정365)", "en": "Execution rate by local government (Lofin365)"},
    "peer_field": {"ko": "분야", "en": "Field"},
    "peer_part": {"ko": "부문", "en": "Sector"},
    "peer_all_parts": {"ko": "부문 전체", "en": "all sectors"},
    "peer_national": {"ko": "전국 시군구와 비교", "en": "Compare with the whole country"},
    "peer_scope_province": {"ko": "{province} 시군구", "en": "{province} local governments"},
    "peer_scope_national": {"ko": "전국 시군구", "en": "local governments nationwide"},
    "peer_caption": {
        "ko": "지방재정365 세부사업별 세출현황, {as_of} 기준 · {sector} · {scope} {n}곳 · 집행률 = 지출액 ÷ 예산현액",
        "en": "Lofin365 spending by sub-program, as of {as_of} · {sector} · {n} {scope} · rate = spent ÷ budget",
    },
    "peer_none": {
        "ko": "비교할 지방재정365 자료가 없습니다. 자료 올리기에서 지방재정365 세부사업별 세출현황(서울 또는 전국, "
        "분야명·부문명 열 포함)을 올리면 {year}년 시군구 집행률을 비교합니다.",
        "en": "No Lofin365 data to compare. Upload a Lofin365 spending-by-sub-program file (Seoul or nationwide, with "
        "field and sector columns) to compare {year} execution rates.",
    },
    "peer_later_only": {
        "ko": "기준일 {as_of} 이전의 지방재정365 자료가 없습니다. 가장 이른 자료는 {first} 기준입니다.",
        "en": "No Lofin365 snapshot on or before {as_of}; the earliest is as of {first}.",
    },
    "peer_upload_note": {
        "ko": "시군구 집행률 비교용으로 자치단체 {n}곳({provinces})의 분야·부문 {sectors}개 합계도 함께 저장합니다 "
        "({as_of} 기준). 자치구 비교 화면에서 봅니다.",
        "en": "Also kept for the execution comparison: {sectors} field/sector totals of {n} local governments "
        "({provinces}), as of {as_of}. See the Districts page.",
    },
    "peer_own_rate": {"ko": "우리 구 집행률", "en": "Our execution rate"},
    "peer_rank": {"ko": "집행률 순위", "en": "Execution-rate rank"},
    "peer_total_rate": {"ko": "{scope} 전체 집행률", "en": "Overall rate, {scope}"},
    "peer_gap": {"ko": "전체 대비", "en": "vs overall"},
    "peer_government": {"ko": "자치단체", "en": "Local government"},
    "peer_province": {"ko": "시도", "en": "Province"},
    "col_peer_budget": {"ko": "예산현액", "en": "Current budget"},
    "col_peer_executed": {"ko": "지출액", "en": "Spent"},
    "col_peer_programs": {"ko": "세부사업 수", "en": "Sub-programs"},
    "file_peers": {"ko": "시군구_집행률_{sector}", "en": "execution_by_government_{sector}"},
    "alt_peers": {
        "ko": "{sector} 집행률, {scope} {n}곳: 가장 높은 곳 {top} {top_v}, 가장 낮은 곳 {low} {low_v}, "
        "우리 구 {own_v} ({rank}위).",
        "en": "{sector} execution rate, {n} {scope}: highest {top} {top_v}, lowest {low} {low_v}, "
        "ours {own_v} (rank {rank}).",
    },
    # table and data-view headers (a header with a unit: kpi.views.header)
    "col_total": {"ko": "계", "en": "Total"},
    "col_month": {"ko": "월", "en": "Month"},
    "col_sample": {"ko": "표본", "en": "Sample"},
    "col_level": {"ko": "구분", "en": "Level"},
    "col_target_groups": {"ko": "지원대상", "en": "Target groups"},
    "col_monthly_rate": {"ko": "월별 집행률", "en": "Monthly execution rate"},
    "col_cum_rate": {"ko": "누계 집행률", "en": "Cumulative execution rate"},
    "col_executed_cum": {"ko": "집행액 누계", "en": "Executed, cumulative"},
    "col_rank": {"ko": "순위", "en": "Rank"},
    "col_pledge": {"ko": "공약", "en": "Pledge"},
    "col_item": {"ko": "세부", "en": "Item"},
    "col_job_target": {"ko": "일자리 목표", "en": "Job target"},
    "col_funding_source": {"ko": "재원", "en": "Funding source"},
    "col_entered_by": {"ko": "입력", "en": "Entered by"},
    "col_upload": {"ko": "업로드", "en": "Upload"},
    "hatched_sample": {"ko": "빗금 막대: {label}", "en": "Hatched bars: {label}"},
    # download file names (without extension)
    "file_trend": {"ko": "월별_집행률", "en": "monthly_execution"},
    "file_programs": {"ko": "사업별_실적", "en": "program_results"},
    "file_funding": {"ko": "{name}_재원", "en": "{name}_funding"},
    "file_budget_programs": {"ko": "단위사업별_예산집행", "en": "budget_by_program"},
    "file_sources": {"ko": "재원별_예산", "en": "budget_by_source"},
    "file_cumulative": {"ko": "월별_누계집행", "en": "cumulative_execution"},
    "file_tiles": {"ko": "{label}_{period}_타일", "en": "{label}_{period}_tiles"},
    "file_rank_history": {"ko": "{name}_순위추이", "en": "{name}_rank_history"},
    "file_pledge": {"ko": "공약_{item}", "en": "pledge_{item}"},
    "file_pledge_budget": {"ko": "공약_예산", "en": "pledge_budget"},
    "file_disclosure": {"ko": "목표공시_{year}", "en": "target_disclosure_{year}"},
    "file_by_category": {"ko": "분야별_{year}", "en": "by_category_{year}"},
    "file_template": {"ko": "실적입력양식_{district}_{year}", "en": "input_template_{district}_{year}"},
    "file_briefing": {"ko": "브리핑_{stem}", "en": "briefing_{stem}"},
    "file_charts": {"ko": "차트_{stem}", "en": "charts_{stem}"},
    "file_council": {"ko": "업무보고_{stem}", "en": "council_report_{stem}"},
    "file_briefing_data": {"ko": "브리핑_자료_{name}_{as_of}", "en": "briefing_data_{name}_{as_of}"},
    # overview cards, comparisons and attention lines (kpi/views/overview.py)
    "card_execution_help": {
        "ko": "집행액 {executed}천원 / 예산액 {budget}천원 · 경과율 {pace} · {status}",
        "en": "Executed {executed} / budget {budget} (KRW 1,000) · share of year gone {pace} · {status}",
    },
    "card_placement_help": {
        "ko": "취업자 {placements}명 / 구직자 {job_seekers}명",
        "en": "Placed {placements} / job seekers {job_seekers}",
    },
    "card_achievement_help": {"ko": "실적 {actual} / 목표 {target}", "en": "Actual {actual} / target {target}"},
    "card_rank_help": {
        "ko": "지역별고용조사 {period}, 15세 이상 기준",
        "en": "Local labour-force survey {period}, age 15+",
    },
    "mom_line": {
        "ko": "전월 대비 {pp} ({previous}월→{month}월{sample})",
        "en": "vs previous month {pp} (M{previous}→M{month}{sample})",
    },
    "yoy_line": {"ko": "전년 동월 대비 {pp} ({span}{sample})", "en": "vs same month last year {pp} ({span}{sample})"},
    "rank_last_year": {"ko": "전년 {rank}위{sample}", "en": "last year #{rank}{sample}"},
    "month_range": {"ko": "{first}~{last}월", "en": "months {first}-{last}"},
    "lagging_line": {
        "ko": "집행률 {rate} — 경과율 {pace} 대비 {gap}",
        "en": "execution {rate} — {gap} vs share of year gone {pace}",
    },
    "jobs_behind_line": {
        "ko": "일자리 {actual}개 / 목표 {target}개 ({rate}) — 경과율 대비 {gap}",
        "en": "jobs {actual} / target {target} ({rate}) — {gap} vs pace",
    },
}

# Column headers of tables and data views: a raw column name (or a Korean header) -> (ko, en). A header "이름(단위)"
# is looked up without its unit, and the unit is translated on its own.
COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("번호", "No."),
    "uploaded_at": ("올린 시각", "Uploaded at"),
    "uploaded_by": ("올린 사람", "Uploaded by"),
    "filename": ("파일", "File"),
    "kind": ("종류", "Kind"),
    "as_of": ("기준일", "As of"),
    "row_count": ("행 수", "Rows"),
    "status": ("상태", "Status"),
    "is_sample": ("표본", "Sample"),
    "level": ("구분", "Level"),
    "parent": ("상위 사업", "Parent program"),
    "name": ("사업명", "Program"),
    "program": ("사업명", "Program"),
    "period": ("조사 시기", "Half-year"),
    "year": ("연도", "Year"),
    "month": ("월", "Month"),
    "role": ("권한", "Role"),
    "pledge": ("공약", "Pledge"),
    "item": ("세부", "Item"),
    "target": ("목표", "Target"),
    "actual": ("실적", "Actual"),
    "budget": ("예산액", "Budget"),
    "executed": ("집행액", "Executed"),
    "rate": ("집행률", "Execution rate"),
    "jobs_target": ("일자리 목표", "Job target"),
    "category": ("분야", "Category"),
    "slide": ("슬라이드", "Slide"),  # the briefing's data view (kpi.exports.deck_html.deck_table)
    "slide_item": ("항목", "Item"),
    "series": ("계열", "Series"),
    "value": ("값", "Value"),
    "unit": ("단위", "Unit"),
    "total": ("계", "Total"),
    "고용률": ("고용률", "Employment rate"),
    "여성고용률": ("여성고용률", "Female employment rate"),
    "자치구": ("자치구", "District"),
    "순위": ("순위", "Rank"),
    "표본": ("표본", "Sample"),
    "사업명": ("사업명", "Program"),
    "예산액": ("예산액", "Budget"),
    "집행액": ("집행액", "Executed"),
    "집행률": ("집행률", "Execution rate"),
    "집행액 누계": ("집행액 누계", "Executed, cumulative"),
    "누계 집행률": ("누계 집행률", "Cumulative execution rate"),
    "경과율": ("경과율", "Share of year gone"),
    "월": ("월", "Month"),
    "연도": ("연도", "Year"),
    "계": ("계", "Total"),
    "국비": ("국비", "National"),
    "시비": ("시비", "City"),
    "구비": ("구비", "District"),
    "기타": ("기타", "Other"),
    "공약": ("공약", "Pledge"),
    "세부": ("세부", "Item"),
    "목표": ("목표", "Target"),
    "실적": ("실적", "Actual"),
    "분야": ("분야", "Category"),
    "지표": ("지표", "Indicator"),
    "기준": ("기준", "Basis"),
    "단위": ("단위", "Unit"),
    "달성률": ("달성률", "Achievement"),
    "일자리 목표": ("일자리 목표", "Job target"),
    "재원": ("재원", "Funding source"),
    "담당팀": ("담당팀", "Team"),
    "상태": ("상태", "Status"),
    "월별 집행률": ("월별 집행률", "Monthly execution rate"),
}
# Closed vocabularies (kpi.catalog labels, Korean) in English.
TERMS_EN: dict[str, str] = {
    "고용률": "Employment rate", "여성고용률": "Female employment rate", "15세 이상": "age 15+", "15~64세": "age 15-64",
    "계": "Total", "국비": "National", "시비": "City", "구비": "District", "기타": "Other",
    "직접일자리": "Direct jobs", "직업능력개발훈련": "Vocational training", "고용서비스": "Employment services",
    "고용장려금": "Employment subsidies", "창업지원": "Start-up support", "일자리 인프라 구축": "Job infrastructure",
    "민간일자리 창출효과": "Private job creation", "행정운영": "Administration", "목표": "Target", "실적": "Actual",
    "예산액": "Budget", "집행액": "Executed", "명": "people",
}  # fmt: skip
UNITS: dict[str, str] = {"원": "KRW", "천원": "KRW 1,000", "백만원": "KRW million", "명": "people", "개": "jobs",
                         "%": "%", "%p": "%p"}  # fmt: skip

# Texts Streamlit's frontend draws with no parameter to change them (pages/_ui.localize_builtin_texts): the English
# text -> Korean, and (regex, replacement) patterns for texts with a number in them.
BUILTIN_KO: dict[str, str] = {
    "Select all": "전체 선택",
    "Drag and drop a file here": "파일을 여기로 끌어다 놓으십시오",
    "Drag and drop files here": "파일을 여기로 끌어다 놓으십시오",
    "Upload": "파일 선택",
    "Browse files": "파일 선택",
    "Choose options": "선택하십시오",
    "Choose an option": "선택하십시오",
    "No results": "결과 없음",
    "No options to select": "선택할 항목이 없습니다",
    "Clear all": "모두 지우기",
    "Clear value": "지우기",
    "Remove": "삭제",
    "Delete": "삭제",
    "Open": "열기",
    "Close": "닫기",
    "Page not found": "페이지를 찾을 수 없습니다",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "요청하신 페이지가 없습니다. 첫 화면을 엽니다."
    ),
    "Running...": "실행 중...",
    "Stop": "중지",
    "Download as CSV": "CSV로 내려받기",
    "Search": "검색",
    "Fullscreen": "전체 화면",
    "Close fullscreen": "전체 화면 닫기",
    "Show/hide columns": "열 보이기/숨기기",
    "Download plot as a png": "차트를 PNG로 내려받기",
    "Download plot as a PNG": "차트를 PNG로 내려받기",
    "Download plot": "차트 내려받기",
    "Zoom": "확대",
    "Pan": "이동",
    "Box Select": "상자 선택",
    "Lasso Select": "올가미 선택",
    "Zoom in": "확대",
    "Zoom out": "축소",
    "Autoscale": "자동 축척",
    "Reset axes": "축 초기화",
    "Reset view": "보기 초기화",
    "Toggle Spike Lines": "보조선 켜기/끄기",
    "Show closest data on hover": "가장 가까운 값 보기",
    "Compare data on hover": "값 비교",
    "Produced with Plotly.js": "Plotly.js로 그림",
    "Press Enter to apply": "Enter를 누르면 적용됩니다",
    "Press Enter to submit form": "Enter를 누르면 제출됩니다",
    "Show password text": "입력한 글자 보기",
    "Hide password text": "입력한 글자 숨기기",
    "Collapse sidebar": "사이드바 접기",
    "Expand sidebar": "사이드바 펴기",
    "Main menu": "메뉴",
    "View more": "더 보기",
    "View less": "덜 보기",
    "App pages": "앱 페이지",
    "Sidebar": "사이드바",
    "Skip to main content": "본문 바로가기",
    "Link to heading": "이 제목으로 연결",
    "Show password": "입력한 글자 보기",  # not "비밀번호 …": the field's own label is 비밀번호
    "Hide password": "입력한 글자 숨기기",
    "Vega visualization": "그래프",
    "Selected values": "선택한 값",
    "Copy": "복사",
    "Copied": "복사했습니다",
}
BUILTIN_KO_PATTERNS: list[tuple[str, str]] = [
    (r"^(\d+(?:\.\d+)?)\s?([KMGT]?B) per file", "파일당 $1$2까지"),
    (r"^Select (\d+) matches$", "일치하는 $1개 모두 선택"),
    (r"^Add (.+)$", "$1 추가"),
    (r"^Help for (.+)$", "$1 도움말"),
    (r"^Remove (.+)$", "$1 빼기"),
]


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The UI string for key in lang (default: the JOBKPI_LANG setting), with {placeholders} filled."""
    lang = lang or load_settings().lang
    entry = STRINGS[key]
    return entry.get(lang, entry["ko"]).format(**values)


def status_label(status: str, lang: str | None = None) -> str:
    """Korean (or English) label of a pace status code."""
    return t(f"status_{status}", lang)


def builtin_texts(lang: str | None = None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Streamlit's built-in English widget texts -> the UI language, and patterns (none needed in English)."""
    lang = lang or load_settings().lang
    return (dict(BUILTIN_KO), list(BUILTIN_KO_PATTERNS)) if lang == "ko" else ({}, [])


def column_label(name: str, lang: str | None = None) -> str:
    """A table header in the UI language: COLUMNS by name, or "이름(단위)" with name and unit looked up apart."""
    lang = lang or load_settings().lang
    i = 0 if lang == "ko" else 1
    if name in COLUMNS:
        return COLUMNS[name][i]
    if name.endswith(")") and "(" in name:
        base, unit = name[:-1].split("(", 1)
        if base in COLUMNS:
            return f"{COLUMNS[base][i]}({unit})" if lang == "ko" else f"{COLUMNS[base][1]} ({UNITS.get(unit, unit)})"
    return name


def unit_label(unit: str, lang: str | None = None) -> str:
    """A unit (천원, 명, %) as the UI language writes it."""
    return unit if (lang or load_settings().lang) == "ko" else UNITS.get(unit, unit)


def unit_word(unit: str, lang: str | None = None) -> str:
    """The word of a metric's unit code (kpi.domain.catalog.UNIT_WORDS) in the UI language: firm -> 개 / firms."""
    from kpi.domain.catalog import UNIT_WORDS

    ko, en = UNIT_WORDS[unit]
    return ko if (lang or load_settings().lang) == "ko" else en


def term(label: str, lang: str | None = None) -> str:
    """A closed-vocabulary label of kpi.catalog (Korean) in the UI language."""
    return label if (lang or load_settings().lang) == "ko" else TERMS_EN.get(label, label)
