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
