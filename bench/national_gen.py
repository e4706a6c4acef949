"""A national 지방재정365 세부사업별 세출현황 (open API QWGJK) snapshot in the layout kpi/importers/lofin.py reads.

243 local governments (17 시도 본청 and 226 시군구), about 470,000 세부사업 rows, amounts in 원, one 집행일자
(exe_ymd) for the whole file. Seoul's 25 자치구 carry their real laf_cd (kpi/domain/districts.py LAF_CD) and
서울본청 1100000. Every other code is SYNTHETIC, made in the same pattern: the 시도's two digits, the 시군구's
number in a conventional order (from 11), "000"; each 시도 본청 is the 시도's digits and "00000". The names are the
real 시군구 of 2024 written as 지방재정365 writes them ('부산중구', '경기수원시'); 분야/부문 are the real functional
classification of local expenditure; 세부사업 names, codes (laf_cd + 부문코드 + a sequence: 16 digits) and
amounts are SYNTHETIC. Deterministic: the same seed gives the same programs, and snapshots of later months of
the same seed give the same programs with more executed.

    .venv/bin/python bench/national_gen.py [--rows 470000] [--out data/bench/national.csv] [--as-of 2024-05-31]
        [--form api|korean] [--encoding utf-8|utf-8-sig|cp949] [--seed 2024]
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.domain.districts import DISTRICTS, LAF_CD

NATIONAL_ROWS = 470_000

# 시도: laf_cd digits, the short name 지방재정365 prefixes to its governments, and its 시군구 in a conventional order
# (Seoul's come from kpi/domain/districts.py). 세종 and 제주 have no 시군구 of their own budget.
PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("11", "서울", tuple(d.name for d in DISTRICTS)),
    ("26", "부산", ("중구", "서구", "동구", "영도구", "부산진구", "동래구", "남구", "북구", "해운대구", "사하구",
                    "금정구", "강서구", "연제구", "수영구", "사상구", "기장군")),
    ("27", "대구", ("중구", "동구", "서구", "남구", "북구", "수성구", "달서구", "달성군", "군위군")),
    ("28", "인천", ("중구", "동구", "미추홀구", "연수구", "남동구", "부평구", "계양구", "서구", "강화군", "옹진군")),
    ("29", "광주", ("동구", "서구", "남구", "북구", "광산구")),
    ("30", "대전", ("동구", "중구", "서구", "유성구", "대덕구")),
    ("31", "울산", ("중구", "남구", "동구", "북구", "울주군")),
    ("36", "세종", ()),
    ("41", "경기", ("수원시", "성남시", "의정부시", "안양시", "부천시", "광명시", "평택시", "동두천시", "안산시",
                    "고양시", "과천시", "구리시", "남양주시", "오산시", "시흥시", "군포시", "의왕시", "하남시",
                    "용인시", "파주시", "이천시", "안성시", "김포시", "화성시", "광주시", "양주시", "포천시", "여주시",
                    "연천군", "가평군", "양평군")),
    ("51", "강원", ("춘천시", "원주시", "강릉시", "동해시", "태백시", "속초시", "삼척시", "홍천군", "횡성군", "영월군",
                    "평창군", "정선군", "철원군", "화천군", "양구군", "인제군", "고성군", "양양군")),
    ("43", "충북", ("청주시", "충주시", "제천시", "보은군", "옥천군", "영동군", "증평군", "진천군", "괴산군", "음성군",
                    "단양군")),
    ("44", "충남", ("천안시", "공주시", "보령시", "아산시", "서산시", "논산시", "계룡시", "당진시", "금산군", "부여군",
                    "서천군", "청양군", "홍성군", "예산군", "태안군")),
    ("52", "전북", ("전주시", "군산시", "익산시", "정읍시", "남원시", "김제시", "완주군", "진안군", "무주군", "장수군",
                    "임실군", "순창군", "고창군", "부안군")),
    ("46", "전남", ("목포시", "여수시", "순천시", "나주시", "광양시", "담양군", "곡성군", "구례군", "고흥군", "보성군",
                    "화순군", "장흥군", "강진군", "해남군", "영암군", "무안군", "함평군", "영광군", "장성군", "완도군",
                    "진도군", "신안군")),
    ("47", "경북", ("포항시", "경주시", "김천시", "안동시", "구미시", "영주시", "영천시", "상주시", "문경시", "경산시",
                    "의성군", "청송군", "영양군", "영덕군", "청도군", "고령군", "성주군", "칠곡군", "예천군", "봉화군",
                    "울진군", "울릉군")),
    ("48", "경남", ("창원시", "진주시", "통영시", "사천시", "김해시", "밀양시", "거제시", "양산시", "의령군", "함안군",
                    "창녕군", "고성군", "남해군", "하동군", "산청군", "함양군", "거창군", "합천군")),
    ("50", "제주", ()),
)  # fmt: skip

# 분야 -> its 부문 (code, name) and the words 세부사업 of the 부문 are named with.
SECTORS: tuple[tuple[str, str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    ("010", "일반공공행정", (
        ("011", "입법및선거관리", ("의정활동 지원", "의회 운영", "선거관리 지원")),
        ("013", "지방행정·재정지원", ("동 주민센터 운영", "행정정보화 운영", "민원서비스 개선", "지방세 징수")),
        ("014", "재정·금융", ("재정운영 관리", "공유재산 관리", "계약 심사")),
        ("016", "일반행정", ("기본경비", "청사 관리", "홍보 활동", "직원 역량강화 교육", "통·반 운영 지원")),
    )),
    ("020", "공공질서및안전", (
        ("023", "재난방재·민방위", ("재난안전 대책", "민방위 교육훈련", "풍수해 예방", "CCTV 통합관제 운영")),
        ("025", "소방", ("의용소방대 지원", "화재예방 홍보")),
    )),
    ("050", "교육", (
        ("051", "유아및초중등교육", ("학교 교육경비 지원", "친환경 무상급식 지원", "방과후 돌봄 지원")),
        ("053", "평생·직업교육", ("평생학습관 운영", "작은도서관 지원", "주민 평생교육 프로그램")),
    )),
    ("060", "문화및관광", (
        ("061", "문화예술", ("구립도서관 운영", "지역축제 개최", "문화예술회관 운영", "생활문화 지원")),
        ("062", "관광", ("관광 활성화", "관광안내소 운영")),
        ("063", "체육", ("생활체육 활성화", "체육시설 운영", "체육대회 개최")),
        ("064", "문화재", ("문화재 보수정비", "전통문화 보존")),
    )),
    ("070", "환경", (
        ("071", "상하수도·수질", ("하수관로 정비", "빗물펌프장 운영", "수질 개선")),
        ("072", "폐기물", ("생활폐기물 수집운반", "재활용 선별 지원", "음식물류 폐기물 처리", "대형폐기물 처리")),
        ("073", "대기", ("미세먼지 저감", "노후 경유차 저공해 지원", "전기차 보급")),
        ("074", "자연", ("공원 녹지 관리", "가로수 관리", "도시숲 조성")),
        ("076", "환경보호일반", ("환경 감시 단속", "탄소중립 실천")),
    )),
    ("080", "사회복지", (
        ("081", "기초생활보장", ("생계급여", "주거급여", "의료급여", "자활사업")),
        ("082", "취약계층지원", ("장애인 활동지원", "장애인 일자리 지원", "한부모가족 지원", "다문화가족 지원")),
        ("084", "보육·가족및여성", ("영유아 보육료 지원", "어린이집 운영 지원", "아동수당 지급", "여성 권익 증진")),
        ("085", "노인·청소년", ("기초연금 지급", "노인 일자리 및 사회활동 지원", "경로당 운영 지원",
                                "청소년 수련관 운영", "노인 맞춤돌봄 서비스")),
        ("086", "노동", ("청년 일자리 지원", "공공근로사업", "지역공동체 일자리", "신중년 사회공헌활동",
                         "일자리센터 운영", "취업박람회 개최", "사회적경제 활성화", "직업능력 개발훈련",
                         "청년 창업 지원", "일자리 창출 사업")),
        ("087", "보훈", ("보훈단체 지원", "참전유공자 명예수당")),
        ("088", "주택", ("공동주택 관리 지원", "주거환경 개선", "임대주택 지원")),
        ("089", "사회복지일반", ("복지 사각지대 발굴", "사회복지시설 운영", "자원봉사 활성화")),
    )),
    ("090", "보건", (
        ("091", "보건의료", ("보건소 운영", "감염병 예방관리", "방문건강관리", "치매안심센터 운영", "예방접종")),
        ("093", "식품의약안전", ("식품위생 관리", "공중위생 관리")),
    )),
    ("100", "농림해양수산", (
        ("101", "농업·농촌", ("도시농업 활성화", "농업기반 정비", "친환경 농업 육성")),
        ("102", "임업·산촌", ("산림 병해충 방제", "산불 예방")),
        ("103", "해양수산·어촌", ("어촌 활성화", "수산자원 조성")),
    )),
    ("110", "산업·중소기업및에너지", (
        ("111", "산업금융지원", ("중소기업 육성자금 지원", "소상공인 특별보증")),
        ("114", "산업진흥·고도화", ("지역 상권 활성화", "전통시장 시설 현대화", "골목상권 지원")),
        ("115", "에너지및자원개발", ("신재생에너지 보급", "에너지 절약 지원")),
        ("116", "산업·중소기업일반", ("기업 지원", "상생기업 활성화", "창업보육센터 운영")),
    )),
    ("120", "교통및물류", (
        ("121", "도로", ("도로 유지보수", "보도 정비", "도로 확장")),
        ("123", "도시철도", ("도시철도 운영 지원",)),
        ("126", "대중교통·물류등기타", ("주차장 조성", "교통안전시설 정비", "마을버스 지원", "공영자전거 운영")),
    )),
    ("140", "국토및지역개발", (
        ("141", "수자원", ("하천 정비", "소하천 정비")),
        ("142", "지역및도시", ("도시재생 활성화", "도시계획 수립", "지적 재조사", "경관 개선")),
    )),
    ("160", "예비비", (("161", "예비비", ("예비비",)),)),
    ("900", "기타", (("910", "기타", ("인력운영비", "기관운영 기본경비", "행정운영경비")),)),
)  # fmt: skip

# 재원 splits (국비, 시도비, 시군구비, 기타 as shares of 예산현액) of a 시군구's and of a 시도 본청's programs.
SPLITS_LOCAL = ((0.0, 0.0, 1.0, 0.0), (0.5, 0.25, 0.25, 0.0), (0.0, 0.7, 0.3, 0.0), (0.8, 0.1, 0.1, 0.0),
                (0.0, 0.0, 0.9, 0.1))  # fmt: skip
SPLITS_PROVINCE = ((0.0, 1.0, 0.0, 0.0), (0.5, 0.5, 0.0, 0.0), (0.7, 0.3, 0.0, 0.0), (0.0, 0.95, 0.0, 0.05))
ACCOUNTS = (("일반회계", 0.9), ("기타특별회계", 0.07), ("공기업특별회계", 0.03))

# The API's field names in the API's order (tests/importers/test_lofin.py), then the Korean download's headers.
API_COLUMNS = (
    "fyr", "laf_cd", "laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm", "dbiz_cd", "dbiz_nm", "bdg_cash_amt",
    "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt", "exe_ymd", "wa_laf_hg_nm",
)  # fmt: skip
KOREAN_COLUMNS = (
    ("fyr", "회계연도"), ("laf_hg_nm", "자치단체명"), ("acnt_dv_nm", "회계구분명"), ("fld_nm", "분야명"),
    ("part_nm", "부문명"), ("dbiz_nm", "세부사업명"), ("dbiz_cd", "세부사업코드"), ("ep_amt", "지출액"),
    ("bdg_cash_amt", "예산현액"), ("bdg_ntep", "국비"), ("capep", "시도비"), ("sggep", "시군구비"), ("etc_amt", "기타"),
    ("cpl_amt", "편성액"), ("exe_ymd", "기준일자"), ("note", "비고"),
)  # fmt: skip
TEXT_COLUMNS = ("laf_cd", "laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm", "dbiz_cd", "dbiz_nm", "wa_laf_hg_nm")
MONEY = ("bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt")


@dataclass(frozen=True)
class Government:
    """One local government: laf_cd, the name 지방재정365 writes, its 시도's short name, and its weight in rows."""

    laf_cd: str
    name: str
    province: str
    weight: float

    @property
    def is_province(self) -> bool:
        """A 시도 본청 (its code ends in five zeros)."""
        return self.laf_cd.endswith("00000")


def governments() -> list[Government]:
    """The 243 governments, 시도 by 시도 (본청 first): Seoul's real laf_cd, the others synthetic in its pattern."""
    out: list[Government] = []
    for digits, short, locals_ in PROVINCES:
        main = 6.0 if short in ("서울", "경기") else 4.0 if not locals_ else 3.5
        out.append(Government(f"{digits}00000", f"{short}본청", short, main))
        for i, name in enumerate(locals_):
            code = LAF_CD[DISTRICTS[i].sig_cd] if short == "서울" else f"{digits}{11 + i:02d}000"
            out.append(Government(code, short + name, short, 0.75 if name.endswith("군") else 1.0))
    return out


def allocate(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to the weights, whole numbers summing to it (largest remainders)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _split(budget: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """예산현액 split into (국비, 시도비, 시군구비, 기타) by each row's shares, in 1,000 원, the remainder to the row's
    largest share: the four always sum to 예산현액."""
    parts = (budget[:, None] * shares).astype(np.int64) // 1000 * 1000
    largest = shares.argmax(axis=1)
    parts[np.arange(len(budget)), largest] += budget - parts.sum(axis=1)
    return parts


@dataclass(frozen=True)
class Snapshot:
    """The month-independent columns of every row (file order) and each program's pace of execution."""

    text: dict[str, list[str]]  # laf_cd, laf_hg_nm, acnt_dv_nm, fld_nm, part_nm, dbiz_cd, dbiz_nm, wa_laf_hg_nm
    money: dict[str, np.ndarray]  # bdg_cash_amt, bdg_ntep, capep, sggep, etc_amt, cpl_amt (원, int64)
    pace: np.ndarray

    def __len__(self) -> int:
        """Number of rows."""
        return len(self.pace)


_PARTS = [(fld, fname, part) for fld, fname, parts in SECTORS for part in parts]
_PART_WEIGHTS = np.array([len(p[2]) * (3 if p[0] in ("086", "085", "081") else 1) for _f, _n, p in _PARTS], float)


def _programs_of(gov: Government, count: int, seed: int, text: dict[str, list[str]]) -> list[np.ndarray]:
    """Append the government's `count` 세부사업 to the text columns; return its amounts and paces as arrays."""
    rng = np.random.default_rng([seed, int(gov.laf_cd)])
    part_ix = rng.choice(len(_PARTS), size=count, p=_PART_WEIGHTS / _PART_WEIGHTS.sum())
    word_u = rng.random(count)
    budget = np.clip(rng.lognormal(19.1, 1.3, count), 1e6, 5e10).astype(np.int64) // 1000 * 1000
    account_ix = rng.choice(len(ACCOUNTS), size=count, p=[w for _a, w in ACCOUNTS])
    compiled_cut = rng.random(count)
    compiled = np.where(
        compiled_cut < 0.8, budget, (budget * rng.uniform(0.7, 1.0, count)).astype(np.int64) // 1000 * 1000
    )
    splits = np.array(SPLITS_PROVINCE if gov.is_province else SPLITS_LOCAL)
    parts = _split(budget, splits[rng.integers(0, len(splits), count)])
    pace = rng.uniform(0.2, 1.3, count)
    used: dict[str, int] = {}
    seq: dict[str, int] = {}
    for i, (ix, u) in enumerate(zip(part_ix.tolist(), word_u.tolist(), strict=True)):
        fld, fname, (pcode, pname, words) = _PARTS[ix]
        base = words[int(u * len(words))]
        used[base] = used.get(base, 0) + 1
        seq[pcode] = seq.get(pcode, 0) + 1
        text["fld_nm"].append(fname)
        text["part_nm"].append(pname)
        text["dbiz_cd"].append(f"{gov.laf_cd}{pcode}{seq[pcode]:06d}")
        text["dbiz_nm"].append(base if used[base] == 1 else f"{base} {used[base]}")
        text["acnt_dv_nm"].append(ACCOUNTS[account_ix[i]][0])
        if fld == "160":
            pace[i] = 0.0  # 예비비 is not spent
    text["laf_cd"] += [gov.laf_cd] * count
    text["laf_hg_nm"] += [gov.name] * count
    text["wa_laf_hg_nm"] += [gov.province] * count
    return [budget, parts, compiled, pace]


@functools.lru_cache(maxsize=2)
def snapshot(rows: int = NATIONAL_ROWS, seed: int = 2024) -> Snapshot:
    """The programs of every government (rows allocated by weight), month-independent; cached per (rows, seed)."""
    govs = governments()
    counts = allocate(rows, [g.weight for g in govs])
    text: dict[str, list[str]] = {k: [] for k in TEXT_COLUMNS}
    pieces = [_programs_of(g, n, seed, text) for g, n in zip(govs, counts, strict=True) if n]
    budget = np.concatenate([p[0] for p in pieces])
    parts = np.concatenate([p[1] for p in pieces])
    money = {"bdg_cash_amt": budget, "cpl_amt": np.concatenate([p[2] for p in pieces])}
    money.update({k: parts[:, i] for i, k in enumerate(("bdg_ntep", "capep", "sggep", "etc_amt"))})
    return Snapshot(text, money, np.concatenate([p[3] for p in pieces]))


def executed(budget: np.ndarray, pace: np.ndarray, month: int) -> np.ndarray:
    """지출액 as of the end of a month: each program's pace times the share of the year gone, at most 예산현액."""
    return np.minimum(budget, (budget * np.minimum(1.0, pace * month / 12)).astype(np.int64))


def national_columns(rows: int = NATIONAL_ROWS, as_of: date = date(2024, 5, 31), seed: int = 2024) -> dict[str, list]:
    """Every column of the snapshot by the API's field names (amounts as int, 원), rows in file order."""
    snap = snapshot(rows, seed)
    cols: dict[str, list] = dict(snap.text)
    cols.update({k: v.tolist() for k, v in snap.money.items()})
    cols["ep_amt"] = executed(snap.money["bdg_cash_amt"], snap.pace, as_of.month).tolist()
    cols["fyr"] = [as_of.year] * len(snap)
    cols["exe_ymd"] = [as_of.strftime("%Y%m%d")] * len(snap)
    return cols


def national_records(rows: int = NATIONAL_ROWS, as_of: date = date(2024, 5, 31), seed: int = 2024) -> Iterator[dict]:
    """Every row of the snapshot as the API names its fields, in file order."""
    cols = national_columns(rows, as_of, seed)
    keys = list(API_COLUMNS)
    for values in zip(*(cols[k] for k in keys), strict=True):
        yield dict(zip(keys, values, strict=True))


def _field(value: object) -> str:
    """One CSV field as csv.writer writes it (QUOTE_MINIMAL): quoted when it holds a comma, quote or line break."""
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\r\n') else text


def _form_columns(form: str) -> tuple[list[str], list[str]]:
    """The form's column keys and header words."""
    if form == "api":
        return list(API_COLUMNS), list(API_COLUMNS)
    if form == "korean":
        return [k for k, _label in KOREAN_COLUMNS], [label for _k, label in KOREAN_COLUMNS]
    raise ValueError(f"form must be 'api' or 'korean', not {form!r}")


@functools.lru_cache(maxsize=2)
def _fixed_text(rows: int, seed: int, form: str) -> tuple[list[str], list[str], list[str]]:
    """Per row, the CSV text of the month-independent fields between 회계연도 and 지출액, between 지출액 and the
    date, and after the date (each month's file only puts its 지출액, year and date between them)."""
    keys, _words = _form_columns(form)
    snap = snapshot(rows, seed)
    values: dict[str, list] = dict(snap.text)
    money = (lambda v: f"{v:,}") if form == "korean" else str
    values.update({k: [money(v) for v in arr.tolist()] for k, arr in snap.money.items()})
    values["note"] = [""] * len(snap)
    ep, day = keys.index("ep_amt"), keys.index("exe_ymd")
    segments = (keys[1:ep], keys[ep + 1 : day], keys[day + 1 :])
    return tuple(  # type: ignore[return-value]
        [",".join(_field(v) for v in row) for row in zip(*(values[k] for k in seg), strict=True)] for seg in segments
    )


def national_bytes(
    rows: int = NATIONAL_ROWS,
    as_of: date = date(2024, 5, 31),
    *,
    form: str = "api",
    encoding: str = "utf-8",
    seed: int = 2024,
) -> bytes:
    """The snapshot as a CSV download, as csv.writer writes it: the API's field names (codes and amounts as digits,
    exe_ymd 20240531) or the Korean download (no 자치단체코드, amounts with thousands separators, 기준일자
    2024-05-31, 비고)."""
    _keys, words = _form_columns(form)
    before, between, after = _fixed_text(rows, seed, form)
    snap = snapshot(rows, seed)
    spent = executed(snap.money["bdg_cash_amt"], snap.pace, as_of.month).tolist()
    shown = [_field(f"{v:,}") for v in spent] if form == "korean" else spent
    day = as_of.isoformat() if form == "korean" else as_of.strftime("%Y%m%d")
    year = as_of.year
    lines = [",".join(_field(w) for w in words)]
    lines += [f"{year},{b},{e},{m},{day},{a}" for b, e, m, a in zip(before, shown, between, after, strict=True)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def main() -> None:
    """Write a snapshot to --out and say what it holds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=NATIONAL_ROWS)
    parser.add_argument("--out", type=Path, default=Path("data/bench/national.csv"))
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2024, 5, 31))
    parser.add_argument("--form", choices=("api", "korean"), default="api")
    parser.add_argument("--encoding", choices=("utf-8", "utf-8-sig", "cp949"), default="utf-8")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    content = national_bytes(args.rows, args.as_of, form=args.form, encoding=args.encoding, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"{args.out}: {args.rows:,} rows of {len(governments())} governments, {len(content) / 1048576:.1f} MB")


if __name__ == "__main__":
    main()
