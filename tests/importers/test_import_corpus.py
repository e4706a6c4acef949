"""A corpus of bad, hostile and degenerate uploads: each yields its own issue code at the right sheet, row and
column (never a crash turned into `internal_error`), within a memory budget; and human variants that must import
right (stored values checked on every backend). Giant files are written part by part and cached per session."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.importers import KIND_LENGTH, ImportLimits, fit_kind, parse_upload
from kpi.importers.reader import ImportLimits as ReaderLimits
from tests.corpus_cases import CASES, Case, changed, hidden_only, million_rows, million_strings, nfd, ods_repeated
from tests.corpus_factory import (
    add_parts,
    box_sheet,
    budget_sheet,
    budget_table_rows,
    budget_xlsx,
    centre_sheet,
    centre_xlsx,
    csv_bytes,
    full_width,
    ods_bytes,
    ods_table,
    put,
    with_merge,
    with_total,
    xlsx,
)
from tests.factories import corner_file
from tests.seed_figures import EXECUTION_PCT, SEED_BOX_NAME, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL

BUDGET_MB = 512  # peak memory of one parse: the app process (tracemalloc) plus the parsing child (VmHWM)
RESOURCES: dict[str, tuple[float, float, float]] = {}  # case id -> seconds, app MB, child MB


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def measured_parse(case_id: str, filename: str, content: bytes, **kwargs: object):
    """parse_upload with its time and peak memory recorded (time is reported, never asserted).

    The app side is the rise of this process's peak RSS during the parse (its high-water mark reset first through
    /proc/self/clear_refs; tracemalloc where that is not possible); the child reports its own VmHWM.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
        base, traced = _status_mb("VmRSS"), False
    except OSError:
        tracemalloc.start()
        base, traced = 0.0, True
    started = time.perf_counter()
    try:
        result = parse_upload(filename, content, **kwargs)  # type: ignore[arg-type]
    finally:
        seconds = time.perf_counter() - started
        if traced:
            app_mb = tracemalloc.get_traced_memory()[1] / 1048576
            tracemalloc.stop()
        else:
            app_mb = max(0.0, _status_mb("VmHWM") - base)
    child_mb = result.stats.get("child_peak_mb", 0.0)
    RESOURCES[case_id] = (seconds, app_mb, child_mb)
    assert app_mb + child_mb < BUDGET_MB, f"{case_id}: {app_mb:.0f} MB here + {child_mb:.0f} MB in the child"
    assert not [i for i in result.issues if i.code == "internal_error"], [i.message_en for i in result.issues]
    return result


@pytest.fixture(scope="module", autouse=True)
def resource_report():
    """After the module: a table of time and peak memory per file, printed and kept under artifacts/."""
    yield
    if not RESOURCES:
        return
    lines = [f"{'file':32s} {'seconds':>8s} {'app MB':>8s} {'child MB':>9s}"]
    lines += [f"{k:32s} {t:8.2f} {a:8.1f} {c:9.1f}" for k, (t, a, c) in sorted(RESOURCES.items())]
    text = "\n".join(lines)
    out = Path(__file__).resolve().parents[2] / "artifacts" / "import_corpus_resources.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print("\n" + text)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case) -> None:
    kwargs = {"district_cd": "11560", **case.kwargs}
    result = measured_parse(case.id, case.filename, case.build(), **kwargs)
    crashes = [i for i in result.issues if i.code == "internal_error"]
    assert not crashes, f"a crash became a generic issue: {crashes[0].message_en}"
    found = [i for i in result.issues if i.code == case.code]
    assert found, f"expected {case.code}, got {[(i.code, i.where) for i in result.issues]}"
    issue = found[0]
    assert (issue.severity, issue.sheet, issue.row, issue.column) == (case.severity, case.sheet, case.row, case.column)
    assert issue.message_ko and issue.message_en
    assert len(issue.message_ko) < 400 and len(issue.value) <= 80  # a 33 KB cell is never echoed
    if case.value is not None:
        assert issue.value == case.value
    if case.severity == "error":
        assert result.batch is None and issue in result.errors
    else:
        assert issue in result.warnings


def test_corpus_is_large_enough() -> None:
    files = {c.id for c in CASES} | {g.id for g in GOOD}
    assert len(files) >= 60
    assert ImportLimits is ReaderLimits


def test_the_corner_file_is_tiny_and_refused_by_the_prescan_with_the_far_cell_named() -> None:
    content = corner_file()
    assert len(content) < 2_000
    result = parse_upload("작은파일.xlsx", content, district_cd="11560")
    assert [i.code for i in result.issues] == ["far_cell"]
    assert "XFD1048576" in result.issues[0].message_ko and "지우고" in result.issues[0].message_ko


def test_the_child_turns_an_abort_into_a_refusal() -> None:
    """Without the pre-scan's verdict, python-calamine aborts on the corner file: only the child dies."""
    from kpi.importers import sandbox

    res = sandbox.run_calamine(
        corner_file(),
        memory_mb=1024,
        timeout_s=60,
        max_rows=10**7,
        max_cols=10**7,
        max_cells=10**15,
        hidden_sheets="skip",
    )
    assert res.hit_limit and res.status == "crashed", res
    from kpi.importers.issues import Issues
    from kpi.importers.reader import _read_calamine

    issues = Issues()
    job = sandbox.CalamineJob(
        corner_file(),
        memory_mb=1024,
        timeout_s=60,
        max_rows=10**7,
        max_cols=10**7,
        max_cells=10**15,
        hidden_sheets="skip",
    )
    assert _read_calamine("x.xlsx", "xlsx", ImportLimits(), issues, job) is None
    assert [i.code for i in issues] == ["parse_limit_exceeded"] and "메모리/시간 한도" in issues[0].message_ko


def test_the_child_time_limit() -> None:
    from kpi.importers import sandbox

    res = sandbox.run_calamine(
        million_rows(),
        memory_mb=1024,
        timeout_s=0.05,
        max_rows=10**7,
        max_cols=10,
        max_cells=10**8,
        hidden_sheets="skip",
    )
    assert res.status == "timeout" and res.hit_limit


def test_a_merge_beyond_the_data_is_clipped() -> None:
    result = parse_upload("x.xlsx", with_merge(budget_xlsx(), "A20:XFD1048576"), district_cd="11560")
    assert result.errors == [] and result.batch is not None


def test_four_table_kinds_fit_the_kind_column() -> None:
    result = parse_upload("x.xlsx", four_kinds(), district_cd="11560")
    assert result.errors == [], [(i.code, i.where) for i in result.errors]
    assert set(result.kind.split("+")) == {"budget_table", "program_box", "job_centre", "kostat_csv"}
    assert result.batch is not None and len(result.batch.kind) <= KIND_LENGTH
    assert result.batch.kind.startswith("budget_table+") and result.batch.kind.endswith("+…")
    assert fit_kind("budget_table") == "budget_table"


def test_million_shared_strings_parse_within_budget_when_allowed() -> None:
    limits = ImportLimits(max_shared_strings=2_000_000)
    result = measured_parse(
        "million_shared_strings(allowed)", "x.xlsx", million_strings(), district_cd="11560", limits=limits
    )
    assert result.errors == [] and result.batch is not None
    assert result.stats["child_peak_mb"] > 0


def test_total_mismatch_names_both_figures() -> None:
    bumped = SEED_PROGRAMS[4][1] + 1
    result = parse_upload("x.xlsx", changed(4, 1, bumped, keep_total=True), district_cd="11560")
    issue = next(i for i in result.errors if i.code == "total_mismatch")
    stated = sum(p[1] for p in SEED_PROGRAMS)
    assert f"{stated:,}" in issue.message_ko and f"{stated + 1:,}" in issue.message_ko


def test_rate_mismatch_shows_both_rates() -> None:
    result = parse_upload("x.xlsx", changed(5, 3, 35.0, keep_total=True), district_cd="11560")
    issue = next(i for i in result.warnings if i.code == "rate_mismatch")
    assert "35.0%" in issue.message_ko and f"{SEED_PROGRAMS[5][3]}%" in issue.message_ko
    assert result.batch is not None


def test_misplaced_separator_value_is_read() -> None:
    result = parse_upload("x.xlsx", centre_xlsx([*SEED_CENTRE[:3], "1,9235", *SEED_CENTRE[4:]]), district_cd="11560")
    assert result.batch is not None
    referrals = next(f for f in result.batch.facts if f.metric == "referrals")
    assert referrals.value == int("1,9235".replace(",", ""))


def test_hidden_sheets_can_be_read() -> None:
    result = parse_upload("x.xlsx", hidden_only(), district_cd="11560", limits=ImportLimits(hidden_sheets="read"))
    assert result.batch is not None
    assert [i.code for i in result.warnings] == ["hidden_sheet_read"]


def test_fraction_rates_accepted() -> None:
    rows = [[n, b, e, e / b] for n, b, e, _ in SEED_PROGRAMS]
    result = parse_upload("x.xlsx", budget_xlsx(with_total(rows)), district_cd="11560")
    assert result.issues == [] and result.batch is not None


def test_never_raises_on_damaged_bytes() -> None:
    good = budget_xlsx()
    samples = [good[:n] for n in range(0, len(good), max(1, len(good) // 40))]
    samples += [good[:n] + bytes([good[n] ^ 0xFF]) + good[n + 1 :] for n in range(30, len(good), len(good) // 25)]
    samples += [bytes(range(256)) * 4, "가나다,라\n1,2".encode("utf-16"), b"\xef\xbb\xbf", b"PK\x05\x06" + b"\0" * 18]
    samples += [corner_file()[:n] for n in range(200, len(corner_file()), 150)]
    samples += [ods_repeated()[:n] + b"\0" * 7 for n in range(100, len(ods_repeated()), 97)]
    for data in samples:
        result = parse_upload("x.xlsx", data, district_cd="11560")
        assert (result.batch is None) == bool(result.errors), [(i.code, i.where) for i in result.issues]
        assert not [i for i in result.issues if i.code == "internal_error"], [i.message_en for i in result.issues]


# ------------------------------------------------------------------ human variants that must import right

KOSTAT_ROWS = [
    ["고용률(15세 이상)"],
    ["행정구역별", "2024.1/2", "2024.2/2", "2025.1/2"],
    ["서울특별시", "59.9", "60.1", "60.3"],
    ["서울 종로구", "52.9", "-", "52.5"],
    ["서울 영등포구", "64.8", "65.0", "65.2"],
    ["부산 중구", "50.0", "51.0", "52.0"],
]
SEED_BUDGETS = {(n, "total"): b * 1000 for n, b, _e, _r in SEED_PROGRAMS}
SEED_EXECUTED = {(n, 5, "executed", "total"): e * 1000 for n, _b, e, _r in SEED_PROGRAMS}
KOSTAT_SURVEYS = {
    ("11110", 2024, 1): 52.9,
    ("11110", 2025, 1): 52.5,
    ("11560", 2024, 1): 64.8,
    ("11560", 2024, 2): 65.0,
    ("11560", 2025, 1): 65.2,
}


def renamed(index: int, name: str) -> tuple[dict, dict]:
    """The seed budgets and executed facts with one program renamed."""
    old = SEED_PROGRAMS[index][0]
    budgets = {((name if p == old else p), s): v for (p, s), v in SEED_BUDGETS.items()}
    facts = {((name if p == old else p), *k): v for (p, *k), v in SEED_EXECUTED.items()}
    return budgets, facts


@dataclass
class Good:
    """A file that must import, and what the store must hold afterwards (budgets, executed facts, surveys)."""

    id: str
    build: Callable[[], bytes]
    filename: str = "upload.xlsx"
    budgets: dict = field(default_factory=dict)  # (program, source) -> 예산액 in 원
    facts: dict = field(default_factory=dict)  # (program, month, metric, source) -> value
    surveys: dict = field(default_factory=dict)  # (sig_cd, year, half) -> 고용률 (15+)
    warnings: frozenset[str] = frozenset()
    kwargs: dict = field(default_factory=dict)


def fullwidth_budget() -> bytes:
    rows = [[n, full_width(b), full_width(e), r] for n, b, e, r in SEED_PROGRAMS]
    total = [SEED_TOTAL[0], full_width(SEED_TOTAL[1]), full_width(SEED_TOTAL[2]), EXECUTION_PCT]
    return budget_xlsx([total, *rows])


def bom_mid_csv() -> bytes:
    """Two exports pasted together: the second one's BOM sits at the start of a line, before its quote."""
    text = csv_bytes(KOSTAT_ROWS).decode("utf-8-sig")
    return ("\ufeff" + text.replace('"서울 영등포구"', '\ufeff"서울 영등포구"')).encode("utf-8")


def four_kinds() -> bytes:
    """예산현황, a program box, the 일자리플러스센터 table and a KOSIS table, one per sheet of one workbook."""

    def build(wb):
        budget_sheet(wb.active)
        box_sheet(wb.create_sheet())
        centre_sheet(wb.create_sheet())
        put(wb.create_sheet("고용률"), 1, KOSTAT_ROWS)

    return xlsx(build)


HTML_NAME = "<b>청년</b><script>alert(1)</script>"
BOX_BUDGETS = {
    (SEED_BOX_NAME, "national"): 126_447_000,
    (SEED_BOX_NAME, "city"): 29_504_000,
    (SEED_BOX_NAME, "district"): 315_893_000,
}
GOOD = [
    Good(
        "merge_beyond_data",
        lambda: with_merge(budget_xlsx(), "A20:XFD1048576"),
        budgets=SEED_BUDGETS,
        facts=SEED_EXECUTED,
    ),
    Good("xlsx_named_csv", budget_xlsx, "예산현황.csv", SEED_BUDGETS, SEED_EXECUTED),
    Good(
        "csv_named_xlsx",
        lambda: csv_bytes(KOSTAT_ROWS),
        "kosis.xlsx",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "ods_budget",
        lambda: ods_bytes(ods_table("예산현황", budget_table_rows())),
        "예산.ods",
        SEED_BUDGETS,
        SEED_EXECUTED,
    ),
    Good(
        "csv_bom_in_the_middle",
        bom_mid_csv,
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "csv_cr_only_line_ends",
        lambda: csv_bytes(KOSTAT_ROWS, newline="\r"),
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "csv_utf16_without_bom",
        lambda: csv_bytes(KOSTAT_ROWS, encoding="utf-16-le"),
        "kosis.csv",
        surveys=KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good("full_width_digits", fullwidth_budget, budgets=SEED_BUDGETS, facts=SEED_EXECUTED),
    Good("name_with_html", lambda: changed(3, 0, HTML_NAME), "x.xlsx", *renamed(3, HTML_NAME)),
    Good("name_nfd", lambda: changed(3, 0, nfd(SEED_PROGRAMS[3][0])), "x.xlsx", SEED_BUDGETS, SEED_EXECUTED),
    Good(
        "name_rtl_override_removed",
        lambda: changed(3, 0, "청년정책\u202e 활성화"),
        "x.xlsx",
        SEED_BUDGETS,
        SEED_EXECUTED,
        warnings=frozenset({"invisible_chars_removed"}),
    ),
    Good(
        "xlsm_values_read",
        lambda: add_parts(budget_xlsx(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        "보고.xlsm",
        SEED_BUDGETS,
        SEED_EXECUTED,
        warnings=frozenset({"macros_ignored"}),
    ),
    Good(
        "four_table_kinds",
        four_kinds,
        "보고.xlsx",
        {**SEED_BUDGETS, **BOX_BUDGETS},
        {**SEED_EXECUTED, (JOB_CENTRE_PROGRAM, 5, "placements", "total"): 391},
        KOSTAT_SURVEYS,
        warnings=frozenset({"region_skipped"}),
    ),
    Good(
        "million_shared_strings_allowed",
        million_strings,
        "x.xlsx",
        SEED_BUDGETS,
        SEED_EXECUTED,
        kwargs={"limits": ImportLimits(max_shared_strings=2_000_000)},
    ),
]


def stored(store) -> tuple[dict, dict, dict]:
    """Current budgets, facts and 15+ employment-rate surveys of district 11560's store, keyed like Good."""
    with store.engine.connect() as conn:
        budgets = {
            (p, s): v
            for p, s, v in conn.execute(
                sa.text(
                    "SELECT p.name, b.source, b.original FROM budget b JOIN program p ON p.id = b.program_id "
                    "WHERE b.is_current AND b.year = 2024"
                )
            )
        }
        facts = {
            (p, m, k, s): v
            for p, m, k, s, v in conn.execute(
                sa.text(
                    "SELECT p.name, f.month, f.metric, f.source, f.value "
                    "FROM fact f JOIN program p ON p.id = f.program_id "
                    "WHERE f.is_current AND f.year = 2024"
                )
            )
        }
        surveys = {
            (d, y, h): v
            for d, y, h, v in conn.execute(
                sa.text(
                    "SELECT district_cd, year, half, value FROM survey "
                    "WHERE is_current AND indicator = 'employment_rate' "
                    "AND basis = '15+'"
                )
            )
        }
    return budgets, facts, surveys


@pytest.mark.parametrize("good", GOOD, ids=[g.id for g in GOOD])
def test_human_variants_import_right(store, good: Good) -> None:
    result = measured_parse(good.id, good.filename, good.build(), district_cd="11560", **good.kwargs)
    assert result.errors == [], [(i.code, i.where, i.message_en) for i in result.errors]
    assert {i.code for i in result.warnings} <= good.warnings | {"units_missing"}, result.warnings
    assert {i.code for i in result.warnings} >= good.warnings
    store.commit(result.batch)
    budgets, facts, surveys = stored(store)
    assert {k: budgets.get(k) for k in good.budgets} == good.budgets
    assert {k: facts.get(k) for k in good.facts} == good.facts
    assert {k: surveys.get(k) for k in good.surveys} == pytest.approx(good.surveys)
    if good.budgets:  # nothing beyond what the file says
        assert set(budgets) == set(good.budgets)
