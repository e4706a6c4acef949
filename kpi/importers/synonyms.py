"""One table of header synonyms: a header cell, normalised for spaces and brackets, maps to a canonical field."""

from __future__ import annotations

import re
from functools import lru_cache

from kpi.importers.conventions import clean_text

# canonical field -> the ways sheets write its header
SYNONYMS: dict[str, tuple[str, ...]] = {
    "program": ("사업명", "단위사업명", "세부사업명", "단위사업", "세부사업", "사업", "프로그램", "사업명칭"),
    "budget": ("예산액", "예산", "당초예산", "본예산", "예산액계", "배정예산"),
    "budget_current": ("예산현액", "현액", "최종예산"),
    "executed": ("집행액", "지출액", "집행", "집행누계", "집행액누계", "지출누계", "집행실적"),
    "rate": ("집행률", "집행율", "지출률", "예산집행률"),
    "employers": ("구인업체", "구인업체수", "구인처", "구인기업", "구인기업수"),
    "openings": ("구인인원", "구인자수", "구인수", "구인인원수"),
    "job_seekers": ("구직자", "구직자수", "구직인원", "구직등록자"),
    "referrals": ("취업알선", "알선", "알선건수", "취업알선건수"),
    "placements": ("취업자", "취업인원", "취업자수", "취업건수"),
    "placement_rate": ("취업률", "취업율"),
    "year": ("연도", "년도", "회계연도", "기준연도"),
    "month": ("월", "기준월", "실적월"),
    "metric": ("지표", "지표명", "항목", "성과지표"),
    "source": ("재원", "재원구분", "재원별"),
    "value": ("값", "실적", "수치", "실적값", "금액및인원"),
    "region": ("행정구역별", "행정구역", "지역", "시군구", "시군구별", "자치구", "구별", "지역별"),
    "note": ("비고", "메모"),
}

# --- 지방재정365 세부사업별 세출현황 (open API QWGJK; kpi/importers/lofin.py) ----------------------------------
# Korean download headers, then the API's field names. Its fields of its own:
SYNONYMS.update(
    {
        "program_code": ("세부사업코드", "dbiz_cd"),
        "laf_name": ("자치단체명", "laf_hg_nm"),
        "laf_code": ("자치단체코드", "laf_cd"),
        "account": ("회계구분명", "acnt_dv_nm"),
        "fund_national": ("국비", "bdg_ntep"),
        "fund_city": ("시도비", "capep"),
        "fund_district": ("시군구비", "sggep"),
        "fund_other": ("기타", "etc_amt"),
        "budget_compiled": ("편성액", "cpl_amt"),
        "exec_date": ("집행일자", "기준일자", "exe_ymd"),
        "field_name": ("분야명", "fld_nm"),  # 기능별 분류: 분야 (사회복지) and 부문 (노동), for peer comparison
        "part_name": ("부문명", "part_nm"),
    }
)
# and the API's names of fields above (회계연도, 세부사업명, 예산현액, 지출액 are already there).
for _field, _api_name in (
    ("year", "fyr"),
    ("program", "dbiz_nm"),
    ("budget_current", "bdg_cash_amt"),
    ("executed", "ep_amt"),
):
    SYNONYMS[_field] += (_api_name,)
# --- end of 지방재정365 --------------------------------------------------------------------------------------

# --- 일자리 목표공시제 (kpi/importers/goal.py): 구분 | 세부사업명 | 소관부서 | 목표 | 실적 | 달성률 -----------
# 실적 is "value" (above); fields that other tables may share are extended, not replaced.
_GOAL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("category", ("구분", "사업구분", "사업유형", "유형")),
    ("department", ("소관부서", "담당부서", "부서", "부서명", "소관")),
    ("target", ("목표", "연간목표", "목표인원", "목표량", "창출목표", "일자리목표")),
    ("achievement", ("달성률", "달성율", "달성도", "목표달성률")),
    ("value", ("추진실적", "창출실적")),
)
for _field, _words in _GOAL_WORDS:
    SYNONYMS[_field] = SYNONYMS.get(_field, ()) + tuple(w for w in _words if w not in SYNONYMS.get(_field, ()))
# --- end of 일자리 목표공시제 ----------------------------------------------------------------------------------

# --- 일자리플러스센터 monthly logs (kpi/importers/job_centre.py): the month column ---------------------------------
SYNONYMS["month"] += ("월별", "연월", "년월")
# --- end of 일자리플러스센터 ---------------------------------------------------------------------------------

# --- KOSIS 지역별고용조사 시군구 downloads and OpenAPI rows (kpi/importers/kostat.py) --------------------------------
# Korean download headers and the OpenAPI's field names (upper and lower case). 행정구역별 is "region" (above).
SYNONYMS.update(
    {
        "kosis_region_code": ("C1", "c1"),
        "kosis_period": ("시점", "수록시점", "PRD_DE", "prd_de"),
        "kosis_period_kind": ("수록주기", "PRD_SE", "prd_se"),
        "kosis_unit": ("단위", "UNIT_NM", "unit_nm"),
        "kosis_item_code": ("ITM_ID", "itm_id"),
        "kosis_dimension": ("성별", "C2_NM", "c2_nm"),
        "kosis_meta": (
            *("C1_OBJ_NM", "C2_OBJ_NM", "C2", "ORG_ID", "TBL_ID", "TBL_NM", "LST_CHN_DE", "ITM_NM_ENG", "C1_NM_ENG"),
            *("c1_obj_nm", "c2_obj_nm", "c2", "org_id", "tbl_id", "tbl_nm", "lst_chn_de", "itm_nm_eng", "c1_nm_eng"),
        ),
        # item names as KOSIS heads its columns ('고용률 (%)', '15~64세 고용률 (%)'; 취업자 is "placements" above)
        "kosis_survey_item": (
            *("고용률", "고용율", "여성고용률", "여자고용률", "15~64세고용률", "15-64세고용률"),
            *("15세이상고용률", "15~64세여성고용률", "15세이상인구", "경제활동인구", "비경제활동인구"),
            *("경제활동참가율", "실업자", "실업률"),
        ),
    }
)
for _field, _words in (
    ("region", ("C1_NM", "c1_nm")),
    ("metric", ("ITM_NM", "itm_nm")),
    ("value", ("DT", "dt", "데이터")),
):
    SYNONYMS[_field] = SYNONYMS.get(_field, ()) + tuple(w for w in _words if w not in SYNONYMS.get(_field, ()))
# --- end of KOSIS ------------------------------------------------------------------------------------------

_BRACKETS = re.compile(r"[(\[（【<][^)\]）】>]*[)\]）】>]")
_NOISE = re.compile(r"[\s※*·ㆍ:：_\-]")


def normalise_header(text: object) -> str:
    """Header text without spaces, bracketed parts and marks: '예 산 액(천원)' -> '예산액'."""
    try:
        return _normalise_cached(text)
    except TypeError:  # an unhashable cell value
        return _NOISE.sub("", _BRACKETS.sub("", clean_text(text)))


@lru_cache(maxsize=16_384)
def _normalise_cached(text: object) -> str:
    """normalise_header's work: clean text without bracketed parts and noise characters."""
    return _NOISE.sub("", _BRACKETS.sub("", clean_text(text)))


LOOKUP: dict[str, str] = {normalise_header(word): fieldname for fieldname, words in SYNONYMS.items() for word in words}


def header_field(text: object) -> str | None:
    """The canonical field a header cell names, or None ('집행률(%) (5.31.기준)' -> 'rate')."""
    if not isinstance(text, str):
        return None
    return LOOKUP.get(normalise_header(text))


TOTAL_LABELS = frozenset({"계", "합계", "총계", "소계", "총합계", "전체", "합"})


def is_total_label(text: object) -> bool:
    """True for a total row label: 계, 합계, 소계, 총계 (spaces ignored: '합 계')."""
    return isinstance(text, str) and normalise_header(text) in TOTAL_LABELS


def is_subtotal_label(text: object) -> bool:
    """True for a sub-total label (소계)."""
    return isinstance(text, str) and normalise_header(text) == "소계"


# --- e-호조 세출예산 집행현황 (kpi/importers/ehojo.py) ---------------------------------------------------------
# Its own column vocabulary, apart from SYNONYMS: there 단위사업명 and 세부사업명 are both "program", here each
# level of the tree is its own column. Read only by the e-호조 reader (ehojo_field).
EHOJO_COLUMNS: dict[str, tuple[str, ...]] = {
    "department": ("부서명", "부서", "실과명", "실과", "소관부서", "담당부서"),
    "policy": ("정책사업명", "정책사업"),
    "unit": ("단위사업명", "단위사업"),
    "detail": ("세부사업명", "세부사업"),
    "policy_code": ("정책사업코드",),
    "unit_code": ("단위사업코드",),
    "detail_code": ("세부사업코드",),
    "stat_item": ("통계목", "통계목명"),
    "budget_original": ("본예산", "당초예산", "본예산액"),
    "supplementary": ("추경", "추경예산", "추경예산액", "추가경정예산"),
    "pre_established": ("성립전", "성립전예산", "성립전예산액"),
    "reserve": ("예비비", "예비비사용액"),
    "carryover": ("이월액계", "이월액", "이월예산", "이월"),
    "transfer": ("전용", "전용액", "이용", "이체", "전용등"),
    "budget_current": ("예산현액", "현액"),
    "executed": ("집행액", "지출액", "집행액계", "지출액계", "집행누계", "집행액누계"),
    "balance": ("집행잔액", "잔액", "예산잔액"),
    "rate": ("집행률", "집행율", "지출률"),
}
EHOJO_LOOKUP: dict[str, str] = {
    normalise_header(word): fieldname for fieldname, words in EHOJO_COLUMNS.items() for word in words
}


def ehojo_field(text: object) -> str | None:
    """The e-호조 column a header text names ('통계목(코드)' -> 'stat_item'); in a stacked header ('예산 본예산')
    the lowest words that name one."""
    if not isinstance(text, str):
        return None
    words = clean_text(text).split()
    for i in range(len(words)):
        found = EHOJO_LOOKUP.get(normalise_header(" ".join(words[i:])))
        if found:
            return found
    return None


# --- end of e-호조 ------------------------------------------------------------------------------------------
