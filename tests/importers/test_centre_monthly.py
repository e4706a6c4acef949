"""일자리플러스센터 monthly logs, one row per month: that month's figures (당월) or year-to-date (누계).

Seed: ../shared/DOMAIN.md section 3, item 3 (2024, through May, year-to-date at 5.31: 구인업체 1,057, 구인인원 1,339,
구직자 978, 취업알선 4,558, 취업자 391 -> 40.0%); section 4b: a 계 row equal to the sum of the months says 당월.
The monthly split below is made up; it adds up to the seed. The mistake reported: a 당월 log stored as year-to-date
showed May alone (구직자 212, 41.0%).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate

import pytest
from openpyxl import Workbook

from kpi.cli.commands import main
from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.domain.units import round_half_up
from kpi.importers import ImportResult, parse_upload
from kpi.store import Store
from kpi.views.report import build_report
from tests.corpus_factory import put, xlsx
from tests.seed_figures import SEED_CENTRE

DISTRICT = "11560"
AS_OF = date(2024, 5, 31)
FIELDS = ("employers", "openings", "job_seekers", "referrals", "placements")
# 당월 figures, January to May: 구인업체, 구인인원, 구직자, 취업알선, 취업자.
MONTHLY: dict[int, tuple[int, ...]] = {
    1: (200, 250, 180, 900, 70),
    2: (210, 260, 195, 880, 75),
    3: (215, 270, 201, 920, 80),
    4: (220, 280, 190, 910, 79),
    5: (212, 279, 212, 948, 87),
}
HEADER = ["월", "구인업체", "구인인원", "구직자", "취업알선", "취업자", "취업률(%)"]
SHEET = "센터"
Row = list[object]


def pct(placed: int, seekers: int) -> float | None:
    """취업률 as a sheet states it: half up to one decimal."""
    return round_half_up(Decimal(placed) / Decimal(seekers) * 100, 1)


def year_to_date() -> dict[int, tuple[int, ...]]:
    """The running sums of MONTHLY: what a 누계 log states each month."""
    months = sorted(MONTHLY)
    columns = [list(accumulate(MONTHLY[m][k] for m in months)) for k in range(5)]
    return {m: tuple(col[i] for col in columns) for i, m in enumerate(months)}


LABELS: dict[str, Callable[[int], object]] = {
    "n월": lambda m: f"{m}월",
    "number": lambda m: m,
    "yyyy-mm": lambda m: f"2024-{m:02d}",
    "yyyy.m": lambda m: f"2024.{m}",
    "date": lambda m: datetime(2024, m, 1),
}


def rows_of(
    figures: dict[int, tuple[int, ...]], label: Callable[[int], object] = LABELS["n월"], *, total: str | None = None
) -> list[Row]:
    """A row per month (label, five counts, the rate from that row's figures), then a 계 row of the sums."""
    rows: list[Row] = [[label(m), *v, pct(v[4], v[2])] for m, v in sorted(figures.items())]
    if total:
        sums = [sum(v[k] for v in figures.values()) for k in range(5)]
        rows.append([total, *sums, pct(sums[4], sums[2])])
    return rows


def log(
    rows: list[Row],
    *,
    title: str = "2024년 일자리플러스센터 월별 실적",
    as_of: str | None = "(2024. 5. 31. 기준)",
    header: Sequence[object] = HEADER,
) -> bytes:
    """The log sheet: title, as-of line (optional), header, month rows."""

    def build(wb: Workbook) -> None:
        ws = wb.active
        ws.title = SHEET
        above = [[title], *([[as_of]] if as_of else [])]
        put(ws, 1, above)
        put(ws, len(above) + 1, [header])
        put(ws, len(above) + 2, rows)

    return xlsx(build)


def parse(content: bytes, **kw: object) -> ImportResult:
    return parse_upload("센터 월별.xlsx", content, district_cd=DISTRICT, **kw)  # type: ignore[arg-type]


def read_as(result: ImportResult) -> str:
    """The centre_rows_read warning's Korean message (exactly one)."""
    [issue] = [i for i in result.issues if i.code == "centre_rows_read"]
    assert issue.severity == "warning"
    return issue.message_ko


def stored(result: ImportResult) -> dict[int, tuple[int, ...]]:
    """Month -> the five counts the batch stores for the job centre."""
    assert result.batch is not None
    by: dict[int, dict[str, int]] = {}
    for f in result.batch.facts:
        assert f.program == JOB_CENTRE_PROGRAM and f.year == 2024
        by.setdefault(f.month, {})[f.metric] = f.value
    return {m: tuple(v[k] for k in FIELDS) for m, v in by.items()}


def assert_seed_report(store, result: ImportResult) -> None:
    """Committed, the report at 5.31 shows the seed's year-to-date figures and rate."""
    assert result.batch is not None and result.errors == []
    store.commit(result.batch)
    report = build_report(store, DISTRICT, 2024, AS_OF)
    assert (report.job_seekers, report.placements) == (SEED_CENTRE[2], SEED_CENTRE[4]) == (978, 391)
    assert round_half_up(report.placement_rate, 1) == pct(391, 978) == SEED_CENTRE[5] == 40.0


def test_monthly_split_adds_up_to_the_seed() -> None:
    assert year_to_date()[5] == SEED_CENTRE[:5]


@pytest.mark.parametrize("style", list(LABELS))
def test_monthly_with_total_row(style: str, store) -> None:
    result = parse(log(rows_of(MONTHLY, LABELS[style], total="계")))
    assert result.errors == [] and result.kind == "job_centre", result.issues
    assert {i.code for i in result.warnings} == {"centre_rows_read"}
    message = read_as(result)
    assert "당월" in message and "누계로 바꿔" in message and "계 행 = 월 합계" in message
    assert stored(result) == year_to_date()
    assert_seed_report(store, result)


def test_monthly_without_total_row_but_a_falling_month(store) -> None:
    result = parse(log(rows_of(MONTHLY)))
    assert result.errors == []
    message = read_as(result)
    jan, feb = MONTHLY[1][3], MONTHLY[2][3]  # 취업알선 falls from January to February
    assert "당월" in message and f"취업알선 1월 {jan} → 2월 {feb} 감소" in message
    assert stored(result) == year_to_date()
    assert_seed_report(store, result)


def test_monthly_said_in_the_title(store) -> None:
    result = parse(log(rows_of(MONTHLY), title="2024년 일자리플러스센터 실적 (당월)"))
    assert result.errors == []
    assert "제목의 '당월'" in read_as(result)
    assert_seed_report(store, result)


def test_cumulative_said_in_the_header(store) -> None:
    header = ["월", "구인업체(누계)", "구인인원(누계)", "구직자(누계)", "취업알선(누계)", "취업자(누계)", "취업률(%)"]
    result = parse(log(rows_of(year_to_date()), header=header))
    assert result.errors == []
    message = read_as(result)
    assert "누계로 읽어 그대로" in message and "머리글의 '누계'" in message
    assert stored(result) == year_to_date()
    assert_seed_report(store, result)


def test_cumulative_with_total_row_equal_to_the_last_month(store) -> None:
    rows = rows_of(year_to_date())
    rows.append(["누계", *rows[-1][1:]])
    result = parse(log(rows))
    assert result.errors == [] and "누계 행 = 마지막 달" in read_as(result)
    assert_seed_report(store, result)


def test_rising_without_any_word_asks_then_takes_the_choice(store) -> None:
    content = log(rows_of(year_to_date()))
    refused = parse(content)
    assert refused.batch is None
    [issue] = refused.errors
    assert issue.code == "centre_rows_unknown" and "--centre-rows" in issue.message_ko
    assert (issue.sheet, issue.row, issue.column) == (SHEET, 3, "A")
    chosen = parse(content, centre_rows="cumulative")
    assert chosen.errors == [] and "업로드할 때 고른 값" in read_as(chosen)
    assert stored(chosen) == year_to_date()
    assert_seed_report(store, chosen)


def test_the_reported_mistake_monthly_log_is_not_stored_as_year_to_date(store) -> None:
    """Read as year-to-date, the 당월 log's last row would show May alone: 구직자 212 and 41.0%."""
    may = MONTHLY[5]
    wrong_rate = pct(may[4], may[2])
    assert (may[2], wrong_rate) == (212, 41.0)
    content = log(rows_of(MONTHLY, total="계"))
    # told it is cumulative, the 계 row (= the sum of the months) contradicts: refused, not stored as May alone
    contradicted = parse(content, centre_rows="cumulative")
    assert contradicted.batch is None
    mismatch = [i for i in contradicted.errors if i.code == "total_mismatch"]
    assert mismatch and "'당월'로 골라" in mismatch[0].message_ko
    result = parse(content)
    assert stored(result)[5] != may and stored(result)[5] == SEED_CENTRE[:5]
    assert_seed_report(store, result)
    report = build_report(store, DISTRICT, 2024, AS_OF)
    assert report.job_seekers != may[2] and round_half_up(report.placement_rate, 1) != wrong_rate


def test_cumulative_choice_on_a_falling_log_is_refused() -> None:
    result = parse(log(rows_of(MONTHLY)), centre_rows="cumulative")
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "cumulative_decreasing")
    assert f"{MONTHLY[1][3]}" in issue.message_ko and f"{MONTHLY[2][3]}" in issue.message_ko
    assert (issue.row, issue.column) == (5, "E")  # February's 취업알선


def test_monthly_rates_are_checked_against_that_months_figures() -> None:
    rows = rows_of(MONTHLY, total="계")
    rows[4][6] = pct(*SEED_CENTRE[4:5], SEED_CENTRE[2])  # May's row carrying the year-to-date rate (40.0)
    result = parse(log(rows))
    [issue] = [i for i in result.warnings if i.code == "rate_mismatch"]
    assert issue.row == 3 + 5 and issue.column == "G"
    assert f"{pct(MONTHLY[5][4], MONTHLY[5][2])}%" in issue.message_ko


def test_year_log_filled_through_may_without_as_of_line(store) -> None:
    """Rows for every month, June on still blank, a 합계 row, no as-of line: the as-of is the end of May."""
    rows = rows_of(MONTHLY)
    rows += [[f"{m}월", None, None, None, None, None, None] for m in range(6, 13)]
    sums = [sum(v[k] for v in MONTHLY.values()) for k in range(5)]
    rows.append(["합계", *sums, pct(sums[4], sums[2])])
    result = parse(log(rows, as_of=None))
    assert result.errors == [] and {i.code for i in result.warnings} == {"centre_rows_read", "as_of_from_months"}
    assert result.batch is not None and result.batch.as_of == AS_OF
    assert sorted(stored(result)) == [1, 2, 3, 4, 5]
    assert_seed_report(store, result)


def test_monthly_with_a_month_missing_is_refused() -> None:
    figures = {m: v for m, v in MONTHLY.items() if m != 3}
    result = parse(log(rows_of(figures), title="2024년 센터 실적(당월)"))
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "months_missing")
    assert "3월" in issue.message_ko


def test_month_after_the_as_of_date_is_refused() -> None:
    result = parse(log(rows_of(MONTHLY, total="계"), as_of="(2024. 4. 30. 기준)"))
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "month_after_as_of")
    assert issue.row == 3 + 5 and issue.column == "A"


def test_total_row_that_fits_neither_reading() -> None:
    rows = rows_of(MONTHLY, total="계")
    rows[-1][3] = 900  # 구직자 계: neither the sum (978) nor May (212)
    rows[-1][6] = None
    result = parse(log(rows))
    assert result.batch is None
    issue = next(i for i in result.errors if i.code == "total_mismatch")
    assert "900" in issue.message_ko and "978" in issue.message_ko  # read as monthly from the falling months


def test_single_row_table_keeps_its_reading() -> None:
    """The report's one-row table (no month label) is stored as it is, as of its date, without a reading note."""
    result = parse(log([["", *SEED_CENTRE]], header=["", *HEADER[1:]]))
    assert result.issues == [] and stored(result) == {5: SEED_CENTRE[:5]}


def test_command_line_choice(tmp_path, capsys) -> None:
    """`jobkpi import --centre-rows cumulative` passes the choice to the importer; without it the file is refused."""
    path = tmp_path / "센터.xlsx"
    path.write_bytes(log(rows_of(year_to_date())))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    base = ["--database-url", url, "import", str(path), "--district", DISTRICT, "--format", "json"]
    assert main(base) == 1
    refused = json.loads(capsys.readouterr().out)
    assert [i["code"] for i in refused["issues"]] == ["centre_rows_unknown"]
    assert main([*base, "--centre-rows", "cumulative"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["ok"] and [i["code"] for i in done["issues"]] == ["centre_rows_read"]
    store = Store.open(url)
    try:
        report = build_report(store, DISTRICT, 2024, AS_OF)
    finally:
        store.engine.dispose()
    assert (report.job_seekers, report.placements) == (SEED_CENTRE[2], SEED_CENTRE[4])


def test_months_in_a_column_headed_category(store) -> None:
    header = ["구분", *HEADER[1:]]
    result = parse(log(rows_of(MONTHLY, total="합계"), header=header))
    assert result.errors == [] and "합계 행 = 월 합계" in read_as(result)
    assert stored(result) == year_to_date()
    assert_seed_report(store, result)


def test_a_serial_number_is_no_month() -> None:
    """A one-row table with a 연번 column (1): the 1 is no month; the row is the as-of month's, as before."""
    result = parse(log([[1, *SEED_CENTRE]], header=["연번", *HEADER[1:]]))
    assert result.issues == [] and stored(result) == {5: SEED_CENTRE[:5]}
