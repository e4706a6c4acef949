"""KOSIS 지역별고용조사 시군구 downloads in every layout KOSIS gives (long, wide with items in rows, wide with a
two-row header, OpenAPI rows, and the old title-only one), as CSV in cp949 / UTF-8 with or without BOM and as xlsx:
imported through parse_upload, committed, and read back through the store and build_report.

The files are built here from the public description of the downloads (DOMAIN.md 4b): 행정구역별, 시점 '2025.1/2',
items '고용률 (%)', '15~64세 고용률 (%)', '여성 고용률 (%)', '15세이상인구 (천명)', '취업자 (천명)', OpenAPI fields
C1 (KOSTAT code, 영등포구 11190), C1_NM, ITM_ID, ITM_NM, UNIT_NM, PRD_SE=H, PRD_DE=YYYY01/02, DT. The 2025 상반기
figures of 영등포 (65.2, 1st) and 종로 (52.5, 25th) are the published ones; the other districts' are sample values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from kpi.domain.batch import SurveyRow
from kpi.domain.districts import BY_SIG, DISTRICTS
from kpi.importers import ImportResult, parse_upload
from kpi.store import queries
from kpi.views.report import build_report

YDP, JONGNO = "11560", "11110"
H1_2025, H2_2024 = (2025, 1), (2024, 2)
PERIODS = (H2_2024, H1_2025)
# 고용률 (15세 이상) of 2025 상반기 by district, in DISTRICTS order: 영등포 65.2 highest and 종로 52.5 lowest are the
# published figures; the others are sample values between them.
RATE_2025H1 = (
    *("52.5", "58.1", "59.4", "61.2", "57.3", "56.8", "55.9", "56.2", "54.1", "54.8", "55.4", "56.5", "55.1"),
    *("62.3", "58.7", "59.9", "60.4", "61.8", "65.2", "57.9", "60.9", "62.8", "63.5", "61.5", "59.1"),
)
RATE_15P = "고용률"
RATE_1564 = "15~64세 고용률"
FEMALE = "여성 고용률"
POPULATION = "15세이상인구"
EMPLOYED = "취업자"
ITEMS = ((RATE_15P, "%"), (RATE_1564, "%"), (FEMALE, "%"), (POPULATION, "천명"), (EMPLOYED, "천명"))
OTHER_REGIONS = ("부산광역시", "중구", "해운대구")  # a 시도 total, then its 시군구 (중구 is also a Seoul name)


def _d(text: str | int) -> Decimal:
    return Decimal(text)


def figure(sig: str, period: tuple[int, int], item: str) -> str:
    """The value a generated file states for a district, half-year and item, as KOSIS writes it (one decimal)."""
    i = next(k for k, d in enumerate(DISTRICTS) if d.sig_cd == sig)
    base = _d(RATE_2025H1[i]) - (_d("0.4") if period == H2_2024 else 0)
    value = {
        RATE_15P: base,
        RATE_1564: base + _d("6.3") + _d(i % 5) / 10,  # the OECD basis runs higher, never equal to the 15+ rate
        FEMALE: base - _d("8.4") - _d(i % 3) / 10,
        POPULATION: _d(300) + _d(i) * _d("7.7"),
        EMPLOYED: (_d(300) + _d(i) * _d("7.7")) * base / 100,
    }[item]
    return f"{value.quantize(Decimal('0.1'))}"


def total_figure(item: str) -> str:
    """A value for a total or another region's row (never read)."""
    return {RATE_15P: "61.0", RATE_1564: "69.5", FEMALE: "53.2", POPULATION: "8,123.4", EMPLOYED: "4,955.3"}[item]


# ------------------------------------------------------------------------------------------------ regions, periods

STYLES = ("서울 {}", "서울특별시 {}", "{}")


@dataclass(frozen=True)
class Region:
    """A row's region: its label, KOSTAT code and SIG_CD (None when not a Seoul district)."""

    label: str
    code: str
    sig: str | None


def regions(style: str) -> list[Region]:
    """전국, 서울특별시 and the 25 districts, then 부산광역시 with two of its 구 (bare names when style is '{}')."""
    out = [Region("전국", "00", None), Region("서울특별시", "11", None)]
    out += [Region(style.format(d.name), d.kostat_cd, d.sig_cd) for d in DISTRICTS]
    busan = "부산 {}" if style != "{}" else "{}"
    out += [Region(OTHER_REGIONS[0], "21", None)]
    out += [Region(busan.format(n), f"2101{k}", None) for k, n in enumerate(OTHER_REGIONS[1:])]
    return out


def value_of(region: Region, period: tuple[int, int], item: str) -> str:
    """What the file states for a region's item."""
    return figure(region.sig, period, item) if region.sig else total_figure(item)


PERIOD_TEXT = {
    "dot": lambda y, h: f"{y}.{h}/2",
    "space": lambda y, h: f"{y} {h}/2",
    "word": lambda y, h: f"{y}년 {'상' if h == 1 else '하'}반기",
}


# ------------------------------------------------------------------------------------------------ layouts

Rows = list[list[str]]


def long_layout(style: str, when: str) -> tuple[Rows, list[tuple[int, int, int, int]]]:
    """행정구역별 | 시점 | one column per item (with its unit in brackets)."""
    rows: Rows = [["행정구역별", "시점", *(f"{n} ({u})" for n, u in ITEMS)]]
    for region in regions(style):
        for y, h in PERIODS:
            rows.append([region.label, PERIOD_TEXT[when](y, h), *(value_of(region, (y, h), n) for n, _ in ITEMS)])
    return rows, []


def items_in_rows_layout(
    style: str, when: str, unit_column: bool = True
) -> tuple[Rows, list[tuple[int, int, int, int]]]:
    """행정구역별 | 항목 | [단위] | one column per 시점."""
    head = ["행정구역별", "항목", *(["단위"] if unit_column else [])]
    rows: Rows = [[*head, *(PERIOD_TEXT[when](y, h) for y, h in PERIODS)]]
    for region in regions(style):
        for n, u in ITEMS:
            label = [n, u] if unit_column else [f"{n} ({u})"]
            rows.append([region.label, *label, *(value_of(region, p, n) for p in PERIODS)])
    return rows, []


def two_row_layout(style: str, when: str, repeat: bool = False) -> tuple[Rows, list[tuple[int, int, int, int]]]:
    """시점 over its items (written once, or repeated in every column as some CSV exports do), 항목 below."""
    top, below, merges = ["행정구역별"], [""], []
    for y, h in PERIODS:
        first = len(top)
        for k, (n, u) in enumerate(ITEMS):
            top.append(PERIOD_TEXT[when](y, h) if repeat or k == 0 else "")
            below.append(f"{n} ({u})")
        merges.append((0, first, 0, len(top) - 1))
    rows: Rows = [top, below]
    for region in regions(style):
        rows.append([region.label, *(value_of(region, p, n) for p in PERIODS for n, _ in ITEMS)])
    return rows, merges


OPENAPI_HEAD = ["C1", "C1_NM", "C1_OBJ_NM", "ITM_ID", "ITM_NM", "UNIT_NM", "PRD_SE", "PRD_DE", "DT", "ORG_ID", "TBL_ID"]


def openapi_layout(style: str, when: str) -> tuple[Rows, list[tuple[int, int, int, int]]]:
    """The OpenAPI's rows (C1 = KOSTAT code, C1_NM the bare name, PRD_DE 202501), as a JSON-to-CSV export."""
    rows: Rows = [list(OPENAPI_HEAD)]
    for region in regions("{}"):
        for k, (n, u) in enumerate(ITEMS):
            for y, h in PERIODS:
                code = f"T{k + 10}"
                rows.append([region.code, region.label, "행정구역별", code, n, u, "H", f"{y}0{h}"])
                rows[-1] += [value_of(region, (y, h), n), "101", "DT_1ES3A01S"]
    return rows, []


def title_layout(style: str, when: str) -> tuple[Rows, list[tuple[int, int, int, int]]]:
    """The old layout: 행정구역별 | one column per 시점, the indicator and basis only in the title."""
    rows: Rows = [["시군구별 고용률(15세 이상)"], ["행정구역별", *(PERIOD_TEXT[when](y, h) for y, h in PERIODS)]]
    for region in regions(style):
        rows.append([region.label, *(value_of(region, p, RATE_15P) for p in PERIODS)])
    return rows, []


Layout = Callable[[str, str], tuple[Rows, list[tuple[int, int, int, int]]]]
LAYOUTS: dict[str, Layout] = {
    "long": long_layout,
    "items_in_rows": items_in_rows_layout,
    "items_in_rows_no_unit_column": lambda s, w: items_in_rows_layout(s, w, unit_column=False),
    "two_row": two_row_layout,
    "two_row_repeated": lambda s, w: two_row_layout(s, w, repeat=True),
    "openapi": openapi_layout,
    "title_only": title_layout,
}


def csv_file(rows: Rows, encoding: str) -> bytes:
    """A KOSIS-style CSV: every field quoted, CRLF line ends."""
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_file(rows: Rows, merges: list[tuple[int, int, int, int]], numbers: bool = True) -> bytes:
    """An xlsx download: numbers as numbers (as KOSIS's Excel export writes them), merged 시점 cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "데이터"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell: object = value
            if numbers and r > 1 and value and _is_plain_number(value):
                cell = float(value.replace(",", ""))
            if value != "":
                ws.cell(r, c, cell)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _is_plain_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", ""))
    except ArithmeticError:
        return False
    return "." in text or len(text) < 5  # codes (C1 11190, PRD_DE 202501) stay text as the API gives them


CASES = [
    (layout, encoding, style, when)
    for k, layout in enumerate(LAYOUTS)
    for j, encoding in enumerate(("cp949", "utf-8-sig", "utf-8"))
    for style in [STYLES[(k + j) % 3]]
    for when in [tuple(PERIOD_TEXT)[(k + 2 * j) % 3]]
]
XLSX_CASES = ["long", "two_row", "items_in_rows", "openapi", "title_only"]


def parse(content: bytes, filename: str) -> ImportResult:
    return parse_upload(filename, content, district_cd=YDP)


def surveys(result: ImportResult) -> dict[tuple[str, int, int, str, str], float]:
    assert result.batch is not None, [(i.code, i.where, i.message_en) for i in result.errors]
    return {(s.district_cd, s.year, s.half, s.indicator, s.basis): s.value for s in result.batch.surveys}


def expected(layout: str) -> dict[tuple[str, int, int, str, str], float]:
    """Every value the file states for a Seoul district, keyed as stored: rates on their basis, 취업자 in persons."""
    keys = {RATE_15P: ("employment_rate", "15+")}
    if layout != "title_only":
        keys |= {RATE_1564: ("employment_rate", "15-64"), FEMALE: ("female_employment_rate", "15+")}
        keys |= {EMPLOYED: ("employed", "15+")}
    out = {}
    for d in DISTRICTS:
        for y, h in PERIODS:
            for item, (indicator, basis) in keys.items():
                value = Decimal(figure(d.sig_cd, (y, h), item)) * (1000 if item == EMPLOYED else 1)
                out[(d.sig_cd, y, h, indicator, basis)] = float(value)
    return out


def check_import(result: ImportResult, layout: str) -> None:
    """No error; exactly the Seoul districts' values; the notes that a KOSIS file calls for, once each."""
    got = surveys(result)
    assert result.kind == "kostat_csv"
    assert got == pytest.approx(expected(layout))
    codes = [i.code for i in result.warnings]
    assert codes.count("region_skipped") == 1
    assert set(codes) <= {"region_skipped", "item_skipped"}, [(i.code, i.message_en) for i in result.warnings]
    if layout != "title_only":
        skipped = next(i for i in result.warnings if i.code == "item_skipped")
        listed = skipped.message_ko.split(":", 1)[1]
        assert POPULATION in listed and RATE_15P not in listed and EMPLOYED not in listed
    n_1564 = sum(1 for k in got if k[4] == "15-64")
    assert n_1564 == (0 if layout == "title_only" else 2 * len(DISTRICTS))
    for sig, y, h, indicator, basis in got:  # each 15~64 rate kept apart from the same district's 15+ one
        if basis == "15-64":
            assert got[(sig, y, h, indicator, basis)] != got[(sig, y, h, indicator, "15+")]


def check_store(store, result: ImportResult) -> None:
    """Committed, the 15+ rates rank 영등포 1st of 25 in 2025 상반기 and 종로 last; 15~64 rates only on 15-64."""
    assert result.batch is not None
    store.commit(result.batch)
    with store.engine.connect() as conn:
        rate = queries.survey(conn, "employment_rate", "15+")
        oecd = queries.survey(conn, "employment_rate", "15-64")
    h1 = rate[(rate["year"] == 2025) & (rate["half"] == 1)].set_index("district_cd")["value"]
    assert len(h1) == 25 and set(h1.index) == set(BY_SIG)
    assert h1[YDP] == pytest.approx(65.2) and h1.idxmax() == YDP
    assert h1[JONGNO] == pytest.approx(52.5) and h1.idxmin() == JONGNO
    if not oecd.empty:
        o1 = oecd[(oecd["year"] == 2025) & (oecd["half"] == 1)].set_index("district_cd")["value"]
        assert o1[YDP] == pytest.approx(float(figure(YDP, H1_2025, RATE_1564))) and o1[YDP] != h1[YDP]
    report = build_report(store, YDP, 2025, date(2025, 6, 30))
    assert (report.rank, report.ranked_districts, report.rank_period) == (1, 25, (2025, 1))
    assert report.employment_rate == pytest.approx(65.2)


@pytest.mark.parametrize(("layout", "encoding", "style", "when"), CASES)
def test_csv_layouts_import_and_rank(store, layout: str, encoding: str, style: str, when: str) -> None:
    rows, _merges = LAYOUTS[layout](style, when)
    result = parse(csv_file(rows, encoding), "kosis.csv")
    check_import(result, layout)
    check_store(store, result)


@pytest.mark.parametrize("layout", XLSX_CASES)
def test_xlsx_layouts_import_and_rank(store, layout: str) -> None:
    rows, merges = LAYOUTS[layout]("서울 {}", "dot")
    result = parse(xlsx_file(rows, merges), "kosis.xlsx")
    check_import(result, layout)
    check_store(store, result)


def test_a_bare_name_after_another_province_is_not_seoul() -> None:
    rows, _ = long_layout("{}", "dot")
    got = surveys(parse(csv_file(rows, "utf-8"), "kosis.csv"))
    # 부산 중구 comes after 부산광역시 as a bare '중구': Seoul 중구 keeps its own figure
    assert got[("11140", 2025, 1, "employment_rate", "15+")] == float(figure("11140", H1_2025, RATE_15P))


def test_skipped_regions_are_counted_in_one_note() -> None:
    rows, _ = long_layout("서울 {}", "dot")
    result = parse(csv_file(rows, "utf-8-sig"), "kosis.csv")
    notes = [i for i in result.warnings if i.code == "region_skipped"]
    other = sum(1 for r in regions("서울 {}") if r.sig is None and r.label not in ("전국", "서울특별시", "부산광역시"))
    totals = sum(1 for r in regions("서울 {}") if r.label in ("전국", "서울특별시", "부산광역시"))
    assert len(notes) == 1
    assert f"{other * len(PERIODS)}행" in notes[0].message_ko and f"{totals * len(PERIODS)}행" in notes[0].message_ko
    first_other = 1 + next(k for k, r in enumerate(rows[1:]) if r[0].startswith("부산 "))
    assert (notes[0].row, notes[0].column) == (first_other + 1, "A")


# ------------------------------------------------------------------------------------------------ symbols and flags


def _replace(rows: Rows, label: str, period: str, item_col: int, value: str) -> tuple[int, int]:
    """Put a value into a long-layout row; returns its (row, column) 0-based."""
    r = next(k for k, row in enumerate(rows) if row[0] == label and row[1] == period)
    rows[r][item_col] = value
    return r, item_col


def test_kosis_symbols_are_no_rows_counted_once_and_flags_are_read_with_a_warning() -> None:
    rows, _ = long_layout("서울 {}", "dot")
    col = {n: 2 + k for k, (n, _u) in enumerate(ITEMS)}
    now, before = "2025.1/2", "2024.2/2"
    _replace(rows, "서울 종로구", before, col[RATE_15P], "x")
    _replace(rows, "서울 중구", before, col[RATE_15P], "X")
    _replace(rows, "서울 용산구", before, col[RATE_15P], "…")
    _replace(rows, "서울 성동구", before, col[RATE_15P], "...")
    _replace(rows, "서울 광진구", before, col[RATE_15P], "-")
    _replace(rows, "서울 영등포구", now, col[RATE_15P], "65.2 e")
    _replace(rows, "서울 종로구", now, col[RATE_15P], "p52.5")
    _replace(rows, "서울 마포구", now, col[FEMALE], figure("11440", H1_2025, FEMALE) + "p")
    result = parse(csv_file(rows, "cp949"), "kosis.csv")
    got = surveys(result)
    assert result.errors == []
    for sig in ("11110", "11140", "11170", "11200", "11215"):
        assert (sig, 2024, 2, "employment_rate", "15+") not in got
    assert got[(YDP, 2025, 1, "employment_rate", "15+")] == 65.2
    assert got[(JONGNO, 2025, 1, "employment_rate", "15+")] == 52.5
    assert got[("11440", 2025, 1, "female_employment_rate", "15+")] == float(figure("11440", H1_2025, FEMALE))
    symbols = [i for i in result.warnings if i.code == "kosis_symbols"]
    assert len(symbols) == 1
    assert "'x'(비밀보호) 2칸" in symbols[0].message_ko and "'…'(미상) 2칸" in symbols[0].message_ko
    assert "'-'(없음) 1칸" in symbols[0].message_ko
    flagged = [i for i in result.warnings if i.code == "kosis_estimate"]
    assert len(flagged) == 1 and "3개" in flagged[0].message_ko
    assert "영등포구" in flagged[0].message_ko and "마포구" in flagged[0].message_ko


def test_first_rows_holding_only_flags_or_symbols_are_data_not_header_rows() -> None:
    rows = [["행정구역별", "시점", "고용률 (%)", "15~64세 고용률 (%)"]]
    for k, d in enumerate(DISTRICTS):
        rate, oecd = figure(d.sig_cd, H1_2025, RATE_15P), figure(d.sig_cd, H1_2025, RATE_1564)
        rows.append([f"서울 {d.name}", "2025.1/2", *(("x", "…") if k < 2 else (f"{rate} e", f"p{oecd}"))])
    result = parse(csv_file(rows, "utf-8-sig"), "kosis.csv")
    got = surveys(result)
    assert len(got) == 2 * (len(DISTRICTS) - 2)
    assert got[(YDP, 2025, 1, "employment_rate", "15+")] == 65.2
    assert sorted(i.code for i in result.warnings) == ["kosis_estimate", "kosis_symbols"]


def test_a_value_that_is_no_number_nor_symbol_is_an_error_at_its_cell() -> None:
    rows, _ = long_layout("서울 {}", "dot")
    r, _c = _replace(rows, "서울 강남구", "2025.1/2", 2, "육십")
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "number_text")
    assert (issue.sheet, issue.row, issue.column) == ("CSV", r + 1, "C")


# ------------------------------------------------------------------------------------------------ bases


def test_a_title_saying_15_64_does_not_make_a_plain_rate_column_15_64() -> None:
    rows = [["시군구별 15~64세 고용률 (OECD 기준)"], ["행정구역별", "시점", "고용률 (%)", "15세이상인구 (천명)"]]
    for d in DISTRICTS:
        rows.append([f"서울 {d.name}", "2025.1/2", figure(d.sig_cd, H1_2025, RATE_15P), "400.0"])
    result = parse(csv_file(rows, "utf-8-sig"), "kosis.csv")
    got = surveys(result)
    assert {k[3:] for k in got} == {("employment_rate", "15+")}
    assert got[(YDP, 2025, 1, "employment_rate", "15+")] == 65.2
    basis = [i for i in result.warnings if i.code == "basis_missing"]
    assert len(basis) == 1 and "15세 이상" in basis[0].message_ko and "제목" in basis[0].message_ko
    assert (basis[0].row, basis[0].column) == (2, "C")  # the item's own header cell


def test_the_title_still_names_the_indicator_when_columns_are_only_periods() -> None:
    rows, _ = title_layout("서울 {}", "dot")
    rows[0] = ["시군구별 15~64세 고용률"]
    got = surveys(parse(csv_file(rows, "cp949"), "kosis.csv"))
    assert {k[3:] for k in got} == {("employment_rate", "15-64")}


def test_a_plain_rate_without_any_15_64_item_is_read_as_15_plus_with_one_warning() -> None:
    rows = [["행정구역별", "항목", "2025.1/2"]]
    for d in DISTRICTS:
        rows.append([f"서울 {d.name}", "고용률", figure(d.sig_cd, H1_2025, RATE_15P)])
        rows.append([f"서울 {d.name}", "여성 고용률", figure(d.sig_cd, H1_2025, FEMALE)])
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    got = surveys(result)
    assert {k[3:] for k in got} == {("employment_rate", "15+"), ("female_employment_rate", "15+")}
    assert [i.code for i in result.warnings] == ["basis_missing"]


def test_male_rates_and_unitless_employed_are_skipped_not_read_as_rates() -> None:
    rows = [["행정구역별", "시점", "고용률 (%)", "남자 고용률 (%)", "취업자", "실업률 (%)"]]
    for d in DISTRICTS:
        rows.append([f"서울 {d.name}", "2025.1/2", figure(d.sig_cd, H1_2025, RATE_15P), "70.1", "123.4", "3.1"])
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    got = surveys(result)
    assert {k[3:] for k in got} == {("employment_rate", "15+")}
    skipped = [i for i in result.warnings if i.code == "item_skipped"]
    assert len(skipped) == 1
    assert all(w in skipped[0].message_ko for w in ("남자 고용률", "취업자", "단위 없음", "실업률"))


def test_openapi_rows_take_the_district_from_c1_and_the_half_from_prd_de() -> None:
    rows, _ = openapi_layout("{}", "dot")
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    got = surveys(result)
    ydp = [s for s in result.batch.surveys if s.district_cd == YDP and (s.year, s.half) == H1_2025]  # type: ignore[union-attr]
    assert SurveyRow(YDP, 2025, 1, "employment_rate", "15+", 65.2) in ydp
    # 부산 중구 (C1 21010, C1_NM '중구') never becomes Seoul 중구
    assert got[("11140", 2025, 1, "employment_rate", "15+")] == float(figure("11140", H1_2025, RATE_15P))


# ------------------------------------------------------------------------------------------------ refusals


def test_a_kosis_file_without_its_period_column_is_refused_in_kosis_terms() -> None:
    rows = [["행정구역별", "고용률 (%)", "여성 고용률 (%)"]]
    rows += [
        [f"서울 {d.name}", figure(d.sig_cd, H1_2025, RATE_15P), figure(d.sig_cd, H1_2025, FEMALE)] for d in DISTRICTS
    ]
    for encoding in ("cp949", "utf-8-sig"):
        result = parse(csv_file(rows, encoding), "kosis.csv")
        assert result.batch is None
        assert [i.code for i in result.errors] == ["kosis_unreadable"]
        issue = result.errors[0]
        assert "'시점'" in issue.message_ko and "KOSIS" in issue.message_ko and "단위사업명" not in issue.message_ko
        assert "'행정구역'" not in issue.message_ko and "'항목'" not in issue.message_ko
        assert (issue.sheet, issue.row, issue.column) == ("CSV", 1, "A")


def test_one_half_year_written_above_its_items_is_read() -> None:
    rows = [["", "2025.1/2", "", ""], ["행정구역별", "고용률 (%)", "15~64세 고용률 (%)", "여성 고용률 (%)"]]
    rows += [
        [f"서울 {d.name}", *(figure(d.sig_cd, H1_2025, n) for n in (RATE_15P, RATE_1564, FEMALE))] for d in DISTRICTS
    ]
    got = surveys(parse(csv_file(rows, "cp949"), "kosis.csv"))
    assert got[(YDP, 2025, 1, "employment_rate", "15+")] == 65.2
    assert got[(YDP, 2025, 1, "employment_rate", "15-64")] == float(figure(YDP, H1_2025, RATE_1564))
    assert len(got) == 3 * len(DISTRICTS)


def test_a_half_year_only_in_the_title_is_no_시점_column() -> None:
    rows = [["2025년 상반기 시군구별 고용률"], ["행정구역별", "고용률 (%)"], ["서울 영등포구", "65.2"]]
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    assert [(i.code, i.row, i.column) for i in result.errors] == [("kosis_unreadable", 2, "A")]
    assert "'시점'" in result.errors[0].message_ko


def test_a_table_of_ones_own_without_kosis_words_is_left_alone() -> None:
    rows = [["자치구", "고용률(%)"], ["영등포구", "65.2"]]
    assert [i.code for i in parse(csv_file(rows, "utf-8"), "x.csv").errors] == ["no_table"]


def test_a_kosis_file_without_its_region_column_names_행정구역() -> None:
    rows = [["시점", "고용률 (%)"], ["2025.1/2", "60.1"]]
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    assert [i.code for i in result.errors] == ["kosis_unreadable"]
    assert "'행정구역'" in result.errors[0].message_ko and "'시점'" not in result.errors[0].message_ko


def test_a_long_kosis_file_without_items_names_항목() -> None:
    rows = [["행정구역별", "시점", "데이터"]]
    rows += [[f"서울 {d.name}", "2025.1/2", figure(d.sig_cd, H1_2025, RATE_15P)] for d in DISTRICTS]
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "indicator_missing")
    assert "항목" in issue.message_ko and (issue.row, issue.column) == (1, "C")


def test_a_yearly_download_is_refused_with_its_period_cell() -> None:
    rows, _ = openapi_layout("{}", "dot")
    rows[1][6], rows[1][7] = "Y", "2025"
    result = parse(csv_file(rows, "utf-8"), "kosis.csv")
    issue = next(i for i in result.errors if i.code == "period_unreadable")
    assert (issue.row, issue.column) == (2, "H") and "반기" in issue.message_ko


def test_a_file_that_is_no_kosis_download_keeps_the_general_hint() -> None:
    result = parse(csv_file([["안내"], ["2024년 주요업무 보고"]], "utf-8"), "x.csv")
    assert [i.code for i in result.errors] == ["no_table"]
