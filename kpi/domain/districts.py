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


def find_district(text: str) -> District | None:
    """Find a district from a code (SIG_CD or KOSTAT) or a name such as '서울 영등포구' or '영등포'."""
    key = text.strip()
    if key in BY_SIG:
        return BY_SIG[key]
    if key in BY_KOSTAT:
        return BY_KOSTAT[key]
    key = key.replace("서울특별시", "").replace("서울", "").strip()
    if key in BY_NAME:
        return BY_NAME[key]
    matches = [d for d in DISTRICTS if d.name.removesuffix("구") == key.removesuffix("구")]
    return matches[0] if len(matches) == 1 else None
