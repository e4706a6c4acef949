"""The 25 Seoul districts keyed by SIG_CD (행정표준코드), with the KOSTAT crosswalk."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """One Seoul 자치구: SIG_CD, KOSTAT code, Korean name, and its tile on the grid map."""

    sig_cd: str
    kostat_cd: str
    name: str
    tile_row: int
    tile_col: int

    @property
    def laf_cd(self) -> str:
        """Its 지방재정365 자치단체코드 (laf_cd, 7 digits): see LAF_CD."""
        return LAF_CD[self.sig_cd]


# SIG_CD, KOSTAT code (지역별고용조사), name, tile (row, col) of the cartogram.
_ROWS: tuple[tuple[str, str, str, int, int], ...] = (
    ("11110", "11010", "종로구", 1, 3),
    ("11140", "11020", "중구", 2, 3),
    ("11170", "11030", "용산구", 3, 3),
    ("11200", "11040", "성동구", 2, 4),
    ("11215", "11050", "광진구", 2, 5),
    ("11230", "11060", "동대문구", 1, 5),
    ("11260", "11070", "중랑구", 1, 6),
    ("11290", "11080", "성북구", 1, 4),
    ("11305", "11090", "강북구", 0, 3),
    ("11320", "11100", "도봉구", 0, 4),
    ("11350", "11110", "노원구", 0, 5),
    ("11380", "11120", "은평구", 0, 2),
    ("11410", "11130", "서대문구", 1, 2),
    ("11440", "11140", "마포구", 2, 2),
    ("11470", "11150", "양천구", 3, 0),
    ("11500", "11160", "강서구", 2, 0),
    ("11530", "11170", "구로구", 4, 0),
    ("11545", "11180", "금천구", 4, 1),
    ("11560", "11190", "영등포구", 3, 1),
    ("11590", "11200", "동작구", 3, 2),
    ("11620", "11210", "관악구", 4, 2),
    ("11650", "11220", "서초구", 4, 3),
    ("11680", "11230", "강남구", 3, 4),
    ("11710", "11240", "송파구", 3, 5),
    ("11740", "11250", "강동구", 2, 6),
)

DISTRICTS: tuple[District, ...] = tuple(District(*row) for row in _ROWS)
BY_SIG: dict[str, District] = {d.sig_cd: d for d in DISTRICTS}
BY_KOSTAT: dict[str, District] = {d.kostat_cd: d for d in DISTRICTS}
BY_NAME: dict[str, District] = {d.name: d for d in DISTRICTS}

# 지방재정365 (lofin365) 자치단체코드, the open API's `laf_cd` (7 digits), by SIG_CD: "11", the district's number
# in KOSTAT order (11 종로구 … 35 강동구), "000"; 서울본청 is 1100000. It is neither SIG_CD nor the 행정기관코드
# (종로구 3000000 … 영등포구 3180000). Sources: lofin365 open-API output republished as data sets (Hugging Face
# eddmpython/cleangov-local-fiscal-metrics and eddmpython/cleangov-local-budgets: laf_cd 1111000 서울종로구 …
# 1123000 서울서대문구, wa_laf_cd 1100000 서울) and the full 25-row table of lofin codes in
# github.com/gwak2837/localgov-backend, database/commitment.js (서울종로구 1111000 … 서울영등포구 1129000 …
# 서울강동구 1135000); the two agree wherever both list a district.
LAF_CD: dict[str, str] = {
    "11110": "1111000",  # 종로구
    "11140": "1112000",  # 중구
    "11170": "1113000",  # 용산구
    "11200": "1114000",  # 성동구
    "11215": "1115000",  # 광진구
    "11230": "1116000",  # 동대문구
    "11260": "1117000",  # 중랑구
    "11290": "1118000",  # 성북구
    "11305": "1119000",  # 강북구
    "11320": "1120000",  # 도봉구
    "11350": "1121000",  # 노원구
    "11380": "1122000",  # 은평구
    "11410": "1123000",  # 서대문구
    "11440": "1124000",  # 마포구
    "11470": "1125000",  # 양천구
    "11500": "1126000",  # 강서구
    "11530": "1127000",  # 구로구
    "11545": "1128000",  # 금천구
    "11560": "1129000",  # 영등포구
    "11590": "1130000",  # 동작구
    "11620": "1131000",  # 관악구
    "11650": "1132000",  # 서초구
    "11680": "1133000",  # 강남구
    "11710": "1134000",  # 송파구
    "11740": "1135000",  # 강동구
}
BY_LAF: dict[str, District] = {laf: BY_SIG[sig] for sig, laf in LAF_CD.items()}


def find_district(text: str) -> District | None:
    """Find a district from a code (SIG_CD, KOSTAT or lofin365 laf_cd) or a name such as '서울 영등포구',
    '서울영등포구' (lofin365), '서울시 영등포구' or '영등포'."""
    key = text.strip()
    if key in BY_SIG:
        return BY_SIG[key]
    if key in BY_KOSTAT:
        return BY_KOSTAT[key]
    if key in BY_LAF:
        return BY_LAF[key]
    key = key.replace("서울특별시", "").replace("서울시", "").replace("서울", "").strip()
    if key in BY_NAME:
        return BY_NAME[key]
    matches = [d for d in DISTRICTS if d.name.removesuffix("구") == key.removesuffix("구")]
    return matches[0] if len(matches) == 1 else None
