"""The 17 시도 as 지방재정365 writes them: which 시도 a local government belongs to, and whether it is a 시도 본청
(the province's own budget) rather than a 시군구. Peer comparison (kpi/store/peers.py) compares 시군구 only.

A government is known by its laf_cd (7 digits: the 시도's two digits first; a 본청 ends in 00000) when the file
gives one, else by its 자치단체명 ('서울영등포구', '서울특별시 영등포구', '경기수원시', '서울본청').
"""

from __future__ import annotations

import re

# laf_cd prefix -> the short name written before a 시군구 ('서울영등포구'), then the long names a file may write.
PROVINCES: dict[str, tuple[str, ...]] = {
    "11": ("서울", "서울특별시", "서울시"),
    "26": ("부산", "부산광역시", "부산시"),
    "27": ("대구", "대구광역시", "대구시"),
    "28": ("인천", "인천광역시", "인천시"),
    "29": ("광주", "광주광역시", "광주시"),
    "30": ("대전", "대전광역시", "대전시"),
    "31": ("울산", "울산광역시", "울산시"),
    "36": ("세종", "세종특별자치시", "세종시"),
    "41": ("경기", "경기도"),
    "51": ("강원", "강원특별자치도", "강원도"),
    "43": ("충북", "충청북도"),
    "44": ("충남", "충청남도"),
    "52": ("전북", "전북특별자치도", "전라북도"),
    "46": ("전남", "전라남도"),
    "47": ("경북", "경상북도"),
    "48": ("경남", "경상남도"),
    "50": ("제주", "제주특별자치도"),
}
# Older laf_cd prefixes of two 시도 that became 특별자치도 (강원 2023, 전북 2024).
_OLD_PREFIX = {"42": "51", "45": "52"}
_LAF_CD = re.compile(r"\d{7}")
# Names, longest first, so '경기도 수원시' is 경기 and not a prefix of something shorter.
_NAMES = sorted(((name, names[0]) for names in PROVINCES.values() for name in names), key=lambda p: -len(p[0]))


def province_of(laf_cd: str, name: str) -> str:
    """The 시도's short name ('서울') of a government: by the first two digits of its laf_cd, else by the 시도 its
    자치단체명 begins with; '' when neither tells."""
    if _LAF_CD.fullmatch(laf_cd):
        prefix = _OLD_PREFIX.get(laf_cd[:2], laf_cd[:2])
        if prefix in PROVINCES:
            return PROVINCES[prefix][0]
    text = name.replace(" ", "")
    for long, short in _NAMES:
        if text.startswith(long):
            return short
    return ""


def is_province_office(laf_cd: str, name: str) -> bool:
    """A 시도 본청 (laf_cd ending in 00000, a name ending in 본청, or the bare 시도 name) rather than a 시군구."""
    if _LAF_CD.fullmatch(laf_cd):
        return laf_cd.endswith("00000")
    text = name.replace(" ", "")
    return text.endswith("본청") or any(text == long for long, _ in _NAMES)


def short_name(name: str, province: str) -> str:
    """A 시군구's name without its 시도 ('서울영등포구' -> '영등포구') for a chart of one 시도."""
    text = name.strip()
    for long, short in _NAMES:
        if short == province and text.replace(" ", "").startswith(long):
            rest = text.replace(" ", "")[len(long) :]
            return rest or text
    return text
