"""A national 지방재정365 세출현황 snapshot (bench/national_gen.py, scaled down to 5,000 rows over 243 governments)
is one upload for a district: only its rows are read, through the columnar path (kpi/importers/lofin_columnar.py),
with the generic reader's messages at the file's own rows; the generic row limit still guards other sheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest

from bench.national_gen import governments, national_bytes, national_records
from kpi.domain.districts import DISTRICTS, LAF_CD
from kpi.importers import ImportLimits, lofin_columnar, parse_upload
from kpi.importers.issues import col_letter
from kpi.views.report import build_report

YDP = "11560"
AS_OF = date(2024, 5, 31)
ROWS = 5_000


def district_rows(rows: int = ROWS, laf: str = LAF_CD[YDP]) -> list[dict]:
    """The generated rows of one government, read from the generator's records (not through any importer)."""
    return [r for r in national_records(rows, AS_OF) if r["laf_cd"] == laf]


@pytest.fixture(scope="module")
def api_file() -> bytes:
    """The scaled-down snapshot in the API's field names, UTF-8."""
    return national_bytes(ROWS, AS_OF)


def test_generator_covers_243_governments_with_seouls_real_codes() -> None:
    govs = governments()
    assert len(govs) == 243 and len({g.laf_cd for g in govs}) == 243 and len({g.name for g in govs}) == 243
    assert {g.laf_cd for g in govs} >= set(LAF_CD.values()) | {"1100000"}
    seoul = {g.laf_cd: g.name for g in govs if g.province == "서울" and not g.is_province}
    assert seoul == {d.laf_cd: "서울" + d.name for d in DISTRICTS}
    records = list(national_records(ROWS, AS_OF))
    assert len(records) == ROWS and len({r["laf_cd"] for r in records}) == 243
    assert national_bytes(ROWS, AS_OF) == national_bytes(ROWS, AS_OF)  # seeded
    assert all(r["bdg_ntep"] + r["capep"] + r["sggep"] + r["etc_amt"] == r["bdg_cash_amt"] for r in records)
    assert all(0 <= r["ep_amt"] <= r["bdg_cash_amt"] and len(r["dbiz_cd"]) == 16 for r in records)


@pytest.mark.parametrize(("form", "encoding"), [("api", "utf-8"), ("korean", "cp949"), ("korean", "utf-8-sig")])
def test_only_the_districts_rows_are_read_with_one_skip_warning(form: str, encoding: str) -> None:
    content = national_bytes(ROWS, AS_OF, form=form, encoding=encoding)
    result = parse_upload("세출현황.csv", content, district_cd=YDP)
    assert result.kind == "lofin365" and result.stats["columnar_rows"] == ROWS
    mine = district_rows()
    assert [i.code for i in result.issues] == ["other_governments_skipped"]
    warning = result.issues[0]
    assert f"다른 자치단체 242곳의 행 {ROWS - len(mine):,}개" in warning.message_ko
    assert f"영등포구 행 {len(mine):,}개" in warning.message_ko
    assert warning.row == 2  # the first data row is 서울본청's
    batch = result.batch
    assert batch is not None and batch.as_of == AS_OF
    assert {s.code for s in batch.programs} == {r["dbiz_cd"] for r in mine}
    totals = {b.program: b.current for b in batch.budgets if b.source == "total"}
    assert totals == {r["dbiz_cd"]: r["bdg_cash_amt"] for r in mine}
    assert {f.program: f.value for f in batch.facts} == {r["dbiz_cd"]: r["ep_amt"] for r in mine}


def test_committed_snapshot_gives_the_districts_totals(store, api_file: bytes) -> None:
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert result.errors == [] and result.batch is not None
    store.commit(result.batch)
    report = build_report(store, YDP, 2024, AS_OF)
    mine = district_rows()
    assert (report.budget, report.executed) == (
        sum(r["bdg_cash_amt"] for r in mine),
        sum(r["ep_amt"] for r in mine),
    )


def test_same_result_as_the_generic_reader(api_file: bytes) -> None:
    """The columnar path and the generic reader (the same rows as an xlsx-free CSV read row by row: here forced by a
    blank line and text under the table, which send the file to the generic reader) give the same batch."""
    generic = parse_upload("세출현황.csv", api_file + b"\r\n\xe2\x80\xbb \xec\xa3\xbc\xec\x84\x9d\r\n", district_cd=YDP)
    fast = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert "columnar_rows" in fast.stats and "columnar_rows" not in generic.stats
    assert [(i.code, i.row, i.column, i.message_ko) for i in fast.issues] == [
        (i.code, i.row, i.column, i.message_ko) for i in generic.issues
    ]
    assert fast.batch is not None and generic.batch is not None
    assert (fast.batch.programs, fast.batch.budgets, fast.batch.facts) == (
        generic.batch.programs,
        generic.batch.budgets,
        generic.batch.facts,
    )


def _lines(content: bytes) -> list[list[str]]:
    """The CSV's records."""
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def _write(rows: list[list[str]]) -> bytes:
    """Records back to CSV bytes as the portal writes them."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_bad_amount_in_a_late_row_is_reported_at_its_row_in_the_file(api_file: bytes) -> None:
    rows = _lines(api_file)
    c = rows[0].index("bdg_cash_amt")
    laf = rows[0].index("laf_cd")
    late = max(i for i, row in enumerate(rows) if i and row[laf] == LAF_CD[YDP])
    rows[late][c] = "약 4억"
    result = parse_upload("세출현황.csv", _write(rows), district_cd=YDP)
    assert result.batch is None and "columnar_rows" in result.stats
    (err,) = result.errors
    assert (err.code, err.row, err.column, err.value) == ("number_text", late + 1, col_letter(c), "약 4억")
    assert "예산현액" in err.message_ko


def test_file_without_the_district_names_what_it_holds() -> None:
    content = national_bytes(ROWS, AS_OF)
    rows = [row for row in _lines(content) if row[1] != LAF_CD[YDP]]
    result = parse_upload("세출현황.csv", _write(rows), district_cd=YDP)
    (err,) = result.errors
    assert err.code == "district_not_in_file" and "서울본청" in err.message_ko and "외 237곳" in err.message_ko
    assert (err.row, err.column) == (1, col_letter(rows[0].index("laf_hg_nm")))


def test_over_the_generic_row_limit_lofin_is_read_but_another_sheet_is_refused(api_file: bytes) -> None:
    limits = ImportLimits(max_rows=1_000)
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP, limits=limits)
    assert result.errors == [] and result.batch is not None and result.stats["columnar_rows"] == ROWS
    other = _write([["사업명", "예산액", "집행액"], *([f"사업 {i}", "1000", "500"] for i in range(ROWS))])
    refused = parse_upload("실적.csv", other, district_cd=YDP, limits=limits, as_of=AS_OF)
    assert [i.code for i in refused.errors] == ["too_many_rows"] and refused.batch is None


def test_lofin_row_limit_is_a_setting(monkeypatch, api_file: bytes) -> None:
    monkeypatch.setenv("JOBKPI_LOFIN_MAX_ROWS", "4000")
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert [i.code for i in result.errors] == ["too_many_rows"] and "4,000행" in result.errors[0].message_ko


def test_lofin_size_limit_is_a_setting(monkeypatch, api_file: bytes) -> None:
    monkeypatch.setenv("JOBKPI_LOFIN_MAX_UPLOAD_MB", "0")
    limits = ImportLimits(max_bytes=len(api_file) - 1)
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP, limits=limits)
    assert [i.code for i in result.errors] == ["file_too_large"] and "지방재정365" in result.errors[0].message_ko


def _variants() -> dict[str, Callable[[list[list[str]]], bytes]]:
    """Small national files changed the ways downloads and tired hands change them."""

    def blank_lines_after(rows: list[list[str]]) -> bytes:
        return _write(rows) + b"\r\n\r\n"

    def as_of_line_above(rows: list[list[str]]) -> bytes:
        c = rows[0].index("exe_ymd")
        return _write([["(2024. 5. 31. 기준)"], *[r[:c] + r[c + 1 :] for r in rows]])

    def note_under(rows: list[list[str]]) -> bytes:
        return _write([*rows, ["※ 자료: 지방재정365"]])

    def blank_then_data(rows: list[list[str]]) -> bytes:
        return _write([*rows[:-5], [], *rows[-5:]])

    def line_break_in_a_name(rows: list[list[str]]) -> bytes:
        late = max(i for i, row in enumerate(rows) if row[1] == LAF_CD[YDP])
        rows[late][rows[0].index("dbiz_nm")] += "\n(2단계)"
        return _write(rows)

    def missing_code_and_spaces(rows: list[list[str]]) -> bytes:
        mine = [i for i, row in enumerate(rows) if row[1] == LAF_CD[YDP]]
        rows[mine[0]][rows[0].index("dbiz_cd")] = ""
        rows[mine[1]][rows[0].index("laf_cd")] = f" {LAF_CD[YDP]} "
        return _write(rows)

    def bom_inside(rows: list[list[str]]) -> bytes:
        mine = [i for i, row in enumerate(rows) if row[1] == LAF_CD[YDP]]
        rows[mine[2]][rows[0].index("dbiz_nm")] += "\ufeff"
        rows[3][rows[0].index("laf_hg_nm")] = "\ufeff" + rows[3][rows[0].index("laf_hg_nm")]
        return _write(rows)

    def semicolons(rows: list[list[str]]) -> bytes:
        buf = io.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
        return buf.getvalue().encode("utf-8")

    return {f.__name__: f for f in (blank_lines_after, as_of_line_above, note_under, blank_then_data,
                                    line_break_in_a_name, missing_code_and_spaces, bom_inside, semicolons)}  # fmt: skip


# The variants read column by column; the others are not one plain table (a note or data under a blank row) or
# hold a BOM in a row that is read, and go to the generic reader.
COLUMNAR = {"blank_lines_after", "as_of_line_above", "line_break_in_a_name", "missing_code_and_spaces", "semicolons"}


@pytest.mark.parametrize("variant", list(_variants()))
def test_columnar_and_generic_readers_agree(monkeypatch, variant: str) -> None:
    """Each variant read as it comes (the columnar path, or the generic reader when the file is not one plain
    table) and forced through the generic reader give the same issues, at the same cells, and the same batch."""
    content = _variants()[variant](_lines(national_bytes(2_000, AS_OF)))
    ours = parse_upload("세출현황.csv", content, district_cd=YDP)
    assert ("columnar_rows" in ours.stats) == (variant in COLUMNAR)
    monkeypatch.setattr(lofin_columnar, "_plan", lambda *_args: None)
    generic = parse_upload("세출현황.csv", content, district_cd=YDP)
    assert "columnar_rows" not in generic.stats
    assert [(i.code, i.row, i.column, i.value, i.message_ko) for i in ours.issues] == [
        (i.code, i.row, i.column, i.value, i.message_ko) for i in generic.issues
    ]
    assert (ours.batch is None) == (generic.batch is None)
    if ours.batch is not None and generic.batch is not None:
        assert (ours.batch.programs, ours.batch.budgets, ours.batch.facts, ours.batch.as_of) == (
            generic.batch.programs,
            generic.batch.budgets,
            generic.batch.facts,
            generic.batch.as_of,
        )
