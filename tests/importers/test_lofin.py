"""지방재정365 세부사업별 세출현황 (QWGJK) downloads reproduce the seed figures (../shared/DOMAIN.md section 3, item 1)
in both header forms, as CSV (UTF-8, UTF-8 with BOM, cp949) and xlsx, for one district or all of Seoul; and the
slips of a tired person are reported at their cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pytest

from kpi.domain.districts import BY_LAF, BY_SIG, DISTRICTS, LAF_CD, find_district
from kpi.domain.units import round_half_up
from kpi.importers import ImportResult, parse_upload
from kpi.importers.conventions import fmt_dec, parse_split
from kpi.importers.issues import col_letter
from kpi.views.report import build_report
from tests.corpus_factory import xlsx
from tests.seed_figures import SEED_BOX, SEED_BOX_NAME, SEED_PROGRAMS, SEED_TOTAL, THOUSAND

YDP = "11560"
AS_OF = date(2024, 5, 31)
# The API's field names, in the API's order; extra columns the reader must ignore come last.
API = (
    "fyr",
    "laf_cd",
    "laf_hg_nm",
    "acnt_dv_nm",
    "fld_nm",
    "part_nm",
    "dbiz_cd",
    "dbiz_nm",
    "bdg_cash_amt",
    "bdg_ntep",
    "capep",
    "sggep",
    "etc_amt",
    "ep_amt",
    "cpl_amt",
    "exe_ymd",
    "wa_laf_hg_nm",
)
# The Korean download: its own column order, no 자치단체코드, 기준일자 for the date, an extra 비고 column.
KOREAN = {
    "fyr": "회계연도",
    "laf_hg_nm": "자치단체명",
    "acnt_dv_nm": "회계구분명",
    "fld_nm": "분야명",
    "part_nm": "부문명",
    "dbiz_nm": "세부사업명",
    "dbiz_cd": "세부사업코드",
    "ep_amt": "지출액",
    "bdg_cash_amt": "예산현액",
    "bdg_ntep": "국비",
    "capep": "시도비",
    "sggep": "시군구비",
    "etc_amt": "기타",
    "cpl_amt": "편성액",
    "exe_ymd": "기준일자",
    "note": "비고",
}
MONEY = ("bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt")


@dataclass(frozen=True)
class Prog:
    """One 세부사업 of a download, amounts in 원."""

    code: str
    name: str
    budget: int
    executed: int
    national: int
    city: int
    district: int
    other: int
    compiled: int


def seed_programs() -> list[Prog]:
    """The seven programs of seed 003 as 세부사업 with made-up 16-digit codes (leading zeros), ×1000 to 원; the
    funding split of 지역기반 상생기업 활성화 is the seed's, the others are split 시 70 : 구 30."""
    box = parse_split(SEED_BOX[0])
    out = []
    for i, (name, budget, executed, _rate) in enumerate(SEED_PROGRAMS):
        won = budget * THOUSAND
        if name == SEED_BOX_NAME:
            national, city, district = (int(box.parts[k]) * THOUSAND for k in ("national", "city", "district"))
        else:
            national, city = 0, won * 7 // 10
            district = won - city
        out.append(
            Prog(f"00{i + 1:02d}11560{i + 1:07d}", name, won, executed * THOUSAND, national, city, district, 0, won)
        )
    out[1] = replace(out[1], compiled=out[1].budget - 50_000_000)  # 편성액 below 예산현액: a later supplementary
    return out


def record(prog: Prog, gov: str = "서울영등포구", laf: str = LAF_CD[YDP], **over: object) -> dict[str, object]:
    """One row of the download as the API names its fields."""
    row: dict[str, object] = {
        "fyr": 2024,
        "laf_cd": laf,
        "laf_hg_nm": gov,
        "acnt_dv_nm": "일반회계",
        "fld_nm": "사회복지",
        "part_nm": "노동",
        "dbiz_cd": prog.code,
        "dbiz_nm": prog.name,
        "bdg_cash_amt": prog.budget,
        "bdg_ntep": prog.national,
        "capep": prog.city,
        "sggep": prog.district,
        "etc_amt": prog.other,
        "ep_amt": prog.executed,
        "cpl_amt": prog.compiled,
        "exe_ymd": "20240531",
        "wa_laf_hg_nm": "서울",
        "note": "",
    }
    row.update(over)
    return row


def table(records: Iterable[dict[str, object]], form: str, *, text: bool) -> list[list[object]]:
    """Header and rows in the API form or the Korean form; amounts as text with separators (Korean CSV) when
    `text`, dates as 2024-05-31 in the Korean form."""
    keys = list(API) if form == "api" else list(KOREAN)
    header: list[object] = list(keys) if form == "api" else [KOREAN[k] for k in keys]
    rows = [header]
    for rec in records:
        row = []
        for k in keys:
            value = rec.get(k, "")
            if form == "korean" and text and k in MONEY and isinstance(value, int):
                value = f"{value:,}"
            if form == "korean" and k == "exe_ymd" and isinstance(value, str) and len(value) == 8:
                value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
            row.append(value)
        rows.append(row)
    return rows


def csv_file(rows: Sequence[Sequence[object]], encoding: str) -> bytes:
    """Rows as a CSV download in the given encoding (fields quoted only where needed, as the portal writes)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_file(rows: Sequence[Sequence[object]], sheet: str = "세출현황") -> bytes:
    """Rows written to an xlsx sheet as they are (codes as text unless a test puts a number)."""

    def build(wb) -> None:
        ws = wb.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))

    return xlsx(build)


def upload(rows: Sequence[Sequence[object]], fmt: str, **kw: object) -> ImportResult:
    """parse_upload of the rows saved as `fmt` (an encoding for CSV, or 'xlsx') for 영등포구."""
    content = xlsx_file(rows) if fmt == "xlsx" else csv_file(rows, fmt)
    name = "세출현황.xlsx" if fmt == "xlsx" else "세출현황.csv"
    return parse_upload(name, content, district_cd=YDP, **kw)  # type: ignore[arg-type]


def budget(result: ImportResult, ref: str, source: str = "total"):
    """The budget row of a program and source."""
    assert result.batch is not None
    return next(b for b in result.batch.budgets if (b.program, b.source) == (ref, source))


def executed(result: ImportResult, ref: str):
    """The executed fact of a program."""
    assert result.batch is not None
    return next(f for f in result.batch.facts if f.program == ref and f.metric == "executed")


def codes_of(issues) -> list[str]:
    """Issue codes in order."""
    return [i.code for i in issues]


def check_seed(result: ImportResult, progs: list[Prog]) -> None:
    """Every budget and executed row of the seed programs, codes intact, as of 2024-05-31, totals and rate."""
    assert result.kind == "lofin365"
    batch = result.batch
    assert batch is not None and batch.as_of == AS_OF
    assert {(s.code, s.name, s.level) for s in batch.programs} == {(p.code, p.name, "detail") for p in progs}
    assert all(len(s.code or "") == 16 and (s.code or "").startswith("00") for s in batch.programs)
    for p in progs:
        total = budget(result, p.code)
        assert (total.year, total.original, total.current) == (2024, p.compiled, p.budget)
        for source, amount in (("national", p.national), ("city", p.city), ("district", p.district), ("other", 0)):
            part = budget(result, p.code, source)
            assert (part.original, part.current) == (None, amount)
        fact = executed(result, p.code)
        assert (fact.year, fact.month, fact.value, fact.source) == (2024, 5, p.executed, "total")
    total_budget = sum(b.current for b in batch.budgets if b.source == "total")
    total_exec = sum(f.value for f in batch.facts)
    assert (total_budget, total_exec) == (SEED_TOTAL[1] * THOUSAND, SEED_TOTAL[2] * THOUSAND)
    assert round_half_up(total_exec / total_budget * 100) == SEED_TOTAL[3]


FORMATS = ["utf-8", "utf-8-sig", "cp949", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", ["api", "korean"])
def test_one_district_download_reproduces_seed(form: str, fmt: str) -> None:
    progs = seed_programs()
    result = upload(table(map(record, progs), form, text=fmt != "xlsx"), fmt)
    assert result.issues == [], [(i.code, i.where, i.message_ko) for i in result.issues]
    check_seed(result, progs)


@pytest.mark.parametrize(("form", "fmt"), [("korean", "cp949"), ("api", "xlsx")])
def test_committed_download_gives_the_seed_report(store, form: str, fmt: str) -> None:
    progs = seed_programs()
    result = upload(table(map(record, progs), form, text=fmt != "xlsx"), fmt)
    assert result.errors == [] and result.batch is not None
    store.commit(result.batch)
    report = build_report(store, YDP, 2024, AS_OF)
    budget_won = sum(p.budget for p in progs)
    executed_won = sum(p.executed for p in progs)
    assert (report.budget, report.executed) == (budget_won, executed_won)
    assert (budget_won, executed_won) == (SEED_TOTAL[1] * THOUSAND, SEED_TOTAL[2] * THOUSAND)
    assert round_half_up(report.execution_rate) == round_half_up(executed_won / budget_won * 100) == SEED_TOTAL[3]


def seoul_records(progs: list[Prog], per_district: int = 3) -> list[dict[str, object]]:
    """All of Seoul: 서울본청 and the 24 other districts with made-up programs, 영등포구's seed programs among them,
    rows interleaved by program as the portal sorts by 세부사업코드."""
    out: list[dict[str, object]] = []
    govs = [("서울본청", "1100000")] + [("서울" + d.name, d.laf_cd) for d in DISTRICTS if d.sig_cd != YDP]
    for i in range(max(per_district, len(progs))):
        for gov, laf in govs:
            if i < per_district:
                won = (i + 1) * 10_000_000
                other = Prog(f"{laf}{i:09d}", f"기본경비 {i}", won, won // 4, 0, 0, won, 0, won)
                out.append(record(other, gov, laf))
        if i < len(progs):
            out.append(record(progs[i]))
    return out


@pytest.mark.parametrize(("form", "fmt"), [("api", "utf-8-sig"), ("korean", "cp949"), ("api", "xlsx")])
def test_seoul_wide_file_gives_the_district_and_one_skip_warning(form: str, fmt: str) -> None:
    progs = seed_programs()
    records = seoul_records(progs)
    result = upload(table(records, form, text=fmt != "xlsx"), fmt)
    assert codes_of(result.issues) == ["other_governments_skipped"]
    check_seed(result, progs)
    skipped = [r for r in records if r["laf_hg_nm"] != "서울영등포구"]
    warning = result.issues[0]
    assert f"{len({r['laf_hg_nm'] for r in skipped}):,}곳" in warning.message_ko
    assert f"행 {len(skipped):,}개" in warning.message_ko
    assert warning.row == 2  # the first data row is another government's


def test_seoul_wide_file_commits_the_same_figures(store) -> None:
    progs = seed_programs()
    result = upload(table(seoul_records(progs), "api", text=False), "utf-8")
    assert result.errors == [] and result.batch is not None
    store.commit(result.batch)
    report = build_report(store, YDP, 2024, AS_OF)
    assert (report.budget, report.executed) == (sum(p.budget for p in progs), sum(p.executed for p in progs))


def test_district_found_by_name_when_laf_cd_is_not_a_lofin_code() -> None:
    """Files keyed by the 행정기관코드 (영등포구 3180000) still find the district by 자치단체명."""
    progs = seed_programs()
    rows = [record(p, "서울특별시 영등포구", "3180000") for p in progs]
    rows.append(record(replace(progs[0], code="0999000000000001"), "서울종로구", "3000000"))
    result = upload(table(rows, "api", text=False), "utf-8")
    assert codes_of(result.issues) == ["other_governments_skipped"]
    check_seed(result, progs)


def test_classified_as_lofin_not_as_budget_table() -> None:
    progs = seed_programs()
    result = upload(table(map(record, progs), "korean", text=True), "utf-8")
    assert result.kind == "lofin365" and {s.level for s in result.batch.programs} == {"detail"}  # type: ignore[union-attr]


# --- bad inputs ------------------------------------------------------------------------------------------------


def cell_of(rows: list[list[object]], data_index: int, header_word: str) -> tuple[int, str]:
    """Excel row and column letter of a data row's cell under a header word."""
    return data_index + 2, col_letter(rows[0].index(header_word))


def test_text_in_an_amount_cell_is_an_error_at_the_cell() -> None:
    rows = table(map(record, seed_programs()), "korean", text=True)
    c = rows[0].index("예산현액")
    rows[3][c] = "약 4억"
    result = upload(rows, "utf-8-sig")
    assert result.batch is None
    (err,) = result.errors
    assert (err.code, err.row, err.column, err.value) == ("number_text", 4, col_letter(c), "약 4억")
    assert "예산현액" in err.message_ko


def test_split_that_does_not_add_up_warns_with_both_numbers() -> None:
    progs = seed_programs()
    bad = replace(progs[2], city=progs[2].city + 1_000)
    rows = table(map(record, [*progs[:2], bad, *progs[3:]]), "api", text=False)
    result = upload(rows, "utf-8")
    assert result.errors == [] and codes_of(result.warnings) == ["split_mismatch"]
    warning = result.warnings[0]
    added = bad.national + bad.city + bad.district + bad.other
    assert (warning.row, warning.column) == cell_of(rows, 2, "bdg_cash_amt")
    assert fmt_dec(added) in warning.message_ko and fmt_dec(bad.budget) in warning.message_ko
    assert budget(result, bad.code, "city").current == bad.city  # the file's figures are kept


def test_duplicate_code_is_an_error_naming_both_rows() -> None:
    progs = seed_programs()
    rows = table(map(record, [*progs, replace(progs[4], name="청년 자립 (중복)")]), "api", text=False)
    result = upload(rows, "utf-8")
    assert result.batch is None
    (err,) = result.errors
    assert err.code == "duplicate_row" and err.row == len(progs) + 2
    assert f"{5 + 1}행과 {len(progs) + 2}행" in err.message_ko and progs[4].code in err.message_ko


def test_two_accounts_of_one_code_are_summed_with_a_warning() -> None:
    progs = seed_programs()
    part = 1_000_000
    general = replace(progs[0], budget=progs[0].budget - part, executed=progs[0].executed - part)
    general = replace(general, district=general.budget - general.city, compiled=general.budget)
    special = replace(progs[0], budget=part, executed=part, national=0, city=0, district=part, compiled=part)
    rows = [record(general), record(special, acnt_dv_nm="특별회계"), *map(record, progs[1:])]
    result = upload(table(rows, "api", text=False), "utf-8")
    assert result.errors == [] and codes_of(result.warnings) == ["accounts_summed"]
    assert budget(result, progs[0].code).current == progs[0].budget
    assert executed(result, progs[0].code).value == progs[0].executed
    assert budget(result, progs[0].code, "district").current == general.district + special.district


def test_16_digit_code_saved_as_an_excel_number_is_not_trusted() -> None:
    progs = seed_programs()
    rows = table(map(record, progs), "api", text=False)
    c = rows[0].index("dbiz_cd")
    rows[1][c] = 1234567890123456  # a code without leading zero, typed into Excel as a number
    result = upload(rows, "xlsx")
    assert result.errors == [] and codes_of(result.warnings) == ["code_number_untrusted"]
    warning = result.warnings[0]
    assert (warning.row, warning.column) == (2, col_letter(c)) and "15자리" in warning.message_ko
    spec = next(s for s in result.batch.programs if s.name == progs[0].name)  # type: ignore[union-attr]
    assert spec.code is None and budget(result, progs[0].name).current == progs[0].budget  # matched by name


def test_code_that_lost_its_leading_zeros_is_padded_back() -> None:
    progs = seed_programs()
    rows = table(map(record, progs), "api", text=False)
    c = rows[0].index("dbiz_cd")
    for row in rows[1:]:
        row[c] = int(str(row[c]))  # Excel turned the column into numbers
    result = upload(rows, "xlsx")
    assert result.errors == [] and codes_of(result.warnings) == ["code_zeros_restored"]
    check_seed(result, progs)


def test_code_excel_wrote_with_an_exponent_is_not_trusted() -> None:
    progs = seed_programs()
    rows = table(map(record, progs), "korean", text=True)
    rows[2][rows[0].index("세부사업코드")] = "2.11561E+13"  # a CSV opened and saved again in Excel
    result = upload(rows, "cp949")
    assert codes_of(result.warnings) == ["code_number_untrusted"]
    assert budget(result, progs[1].name).current == progs[1].budget


def test_missing_code_matches_by_name_with_a_warning() -> None:
    progs = seed_programs()
    rows = [record(progs[0], dbiz_cd=""), *map(record, progs[1:])]
    result = upload(table(rows, "api", text=False), "utf-8")
    assert codes_of(result.warnings) == ["code_missing"] and result.errors == []
    assert budget(result, progs[0].name).current == progs[0].budget


def test_file_without_the_district_names_what_it_holds() -> None:
    progs = seed_programs()
    rows = [record(p, "서울마포구", LAF_CD["11440"]) for p in progs[:3]]
    rows += [record(p, "부산중구", "2611000") for p in progs[3:]]
    result = upload(table(rows, "api", text=False), "utf-8")
    assert result.batch is None
    (err,) = result.errors
    assert err.code == "district_not_in_file"
    assert "영등포구" in err.message_ko and "서울마포구" in err.message_ko and "부산중구" in err.message_ko


def test_fiscal_year_that_is_not_a_year() -> None:
    progs = seed_programs()
    rows = table([record(progs[0], fyr="이천이십사"), *map(record, progs[1:])], "korean", text=True)
    result = upload(rows, "utf-8")
    (err,) = result.errors
    assert (err.code, err.row, err.column) == ("year_invalid", 2, col_letter(rows[0].index("회계연도")))


def test_negative_current_budget_is_an_error() -> None:
    progs = seed_programs()
    rows = table([record(progs[0], bdg_cash_amt=-5), *map(record, progs[1:])], "api", text=False)
    result = upload(rows, "utf-8")
    assert codes_of(result.errors) == ["negative_budget"] and result.batch is None


def test_dates_that_differ_use_the_latest_with_a_warning() -> None:
    progs = seed_programs()
    rows = [record(progs[0], exe_ymd="20240430"), *map(record, progs[1:])]
    result = upload(table(rows, "api", text=False), "utf-8")
    assert codes_of(result.warnings) == ["as_of_mixed"] and result.batch is not None
    assert result.batch.as_of == AS_OF


def as_of_cases() -> list[tuple[str, Callable[[list[list[object]]], list[list[object]]], dict[str, object]]]:
    """Files without a 집행일자: the as-of date comes from the caller, or from a line above the table."""

    def drop(rows: list[list[object]]) -> list[list[object]]:
        c = rows[0].index("exe_ymd")
        return [r[:c] + r[c + 1 :] for r in rows]

    return [
        ("caller", drop, {"as_of": AS_OF}),
        ("line", lambda rows: [["(2024. 5. 31. 기준)"], *drop(rows)], {}),
    ]


@pytest.mark.parametrize(("case", "change", "kw"), as_of_cases(), ids=[c[0] for c in as_of_cases()])
def test_as_of_without_a_date_column(case: str, change, kw: dict[str, object]) -> None:
    progs = seed_programs()
    result = upload(change(table(map(record, progs), "api", text=False)), "utf-8", **kw)
    assert result.issues == [], [(i.code, i.message_ko) for i in result.issues]
    check_seed(result, progs)


def test_no_as_of_anywhere_asks_for_it() -> None:
    rows = table(map(record, seed_programs()), "api", text=False)
    c = rows[0].index("exe_ymd")
    rows = [r[:c] + r[c + 1 :] for r in rows]
    result = upload(rows, "utf-8")
    assert codes_of(result.errors) == ["as_of_missing"]


# --- the laf_cd crosswalk ---------------------------------------------------------------------------------------


def test_laf_cd_crosswalk_covers_every_district_once() -> None:
    assert set(LAF_CD) == set(BY_SIG) and len(BY_LAF) == len(DISTRICTS)
    assert all(len(code) == 7 and code.isdigit() and code.startswith("11") for code in LAF_CD.values())
    assert all(find_district(d.laf_cd) is d and find_district("서울" + d.name) is d for d in DISTRICTS)
    assert find_district("서울시 영등포구") is BY_SIG[YDP] and find_district("부산중구") is None
