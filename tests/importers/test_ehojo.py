"""e-호조 세출예산 집행현황 exports (../shared/DOMAIN.md section 4b) reproduce section 3 item 1: 영등포구 일자리정책과,
2024, as of 5.31, the seven unit programs of seed 003 as 단위사업, each split over 세부사업 and 통계목 rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import Workbook

from kpi.domain.units import round_half_up
from kpi.importers import ImportResult, parse_upload
from kpi.importers.conventions import fmt_dec
from kpi.importers.issues import col_letter
from kpi.views.report import build_report
from tests.corpus_factory import put, xlsx
from tests.seed_figures import REPORTED_RATES, SEED_PROGRAMS, SEED_TOTAL, THOUSAND

AS_OF = date(2024, 5, 31)
DEPT = "일자리정책과"
# 단위사업 (the seed's unit programs) -> its 정책사업 and 세부사업. A 세부사업 named like its unit is that unit.
TREE: dict[str, tuple[str, tuple[str, ...]]] = {
    "희망이 되는 안정적인 일자리지원": ("일자리 창출 및 고용안정", ("취업취약계층 일자리 지원", "중장년 일자리 지원")),
    "지역일자리 사업 지원": ("일자리 창출 및 고용안정", ("서울시 동행일자리", "지역공동체일자리", "공공근로사업")),
    "지역기반 상생기업 활성화": ("일자리 창출 및 고용안정", ("상생기업 육성", "구인구직 만남의 날 운영")),
    "청년정책 활성화": ("청년 자립 지원", ("청년정책 네트워크 운영",)),
    "청년의 사회적 자립기반 조성": (
        "청년 자립 지원",
        ("청년 국가자격시험 응시료 지원", "청년 취업 역량강화", "청년공간 운영"),
    ),
    "인력운영비": ("행정운영경비", ("인력운영비",)),
    "기본경비": ("행정운영경비", ("기본경비",)),
}
STAT_ITEMS = (
    "201-01 사무관리비",
    "301-09 행사실비지원금",
    "202-01 국내여비",
    "307-02 민간경상사업보조",
    "201-02 공공운영비",
)
HEAD: tuple[str, ...] = ("부서명", "정책사업명", "단위사업명", "세부사업명", "통계목", "본예산", "추경", "성립전")
HEAD += ("예비비", "이월액계", "예산현액", "집행액")
AMOUNT_HEADS = HEAD[5:]
SCALE = {"원": THOUSAND, "천원": 1}  # the seed is in 천원


@dataclass(frozen=True)
class Item:
    """One 통계목 row in 천원: names, then 본예산, 추경, 성립전, 예비비, 이월액계, 예산현액, 집행액."""

    names: tuple[str, str, str, str]
    stat: str
    amounts: tuple[int, ...]

    @property
    def current(self) -> int:
        return self.amounts[5]

    @property
    def executed(self) -> int:
        return self.amounts[6]

    @property
    def budget(self) -> int:
        """예산액 = 본예산 + 추경."""
        return self.amounts[0] + self.amounts[1]


def split(total: int, k: int) -> list[int]:
    """k parts of total with weights k, k-1, …, 1, the last taking the remainder."""
    weights = list(range(k, 0, -1))
    parts = [total * w // sum(weights) for w in weights[:-1]]
    return [*parts, total - sum(parts)]


def seed_items() -> list[Item]:
    """The seed's units split over their 세부사업 and 2-4 통계목 each; 예산현액 split into its parts."""
    items = []
    for i, (unit, budget, executed, _rate) in enumerate(SEED_PROGRAMS):
        policy, details = TREE[unit]
        for j, (detail, b, e) in enumerate(
            zip(details, split(budget, len(details)), split(executed, len(details)), strict=True)
        ):
            n = 2 + (i + j) % 3
            for k, (cur, spent) in enumerate(zip(split(b, n), split(e, n), strict=True)):
                supp, pre = (cur // 5, cur // 20) if k == 0 else (0, 0)
                carry, reserve = (cur // 10, 0) if k == 1 else (0, cur // 50)
                original = cur - supp - pre - carry - reserve
                amounts = (original, supp, pre, reserve, carry, cur, spent)
                items.append(Item((DEPT, policy, unit, detail), STAT_ITEMS[k], amounts))
    return items


@dataclass
class Entry:
    """A row to lay out: a 통계목 row, a 소계 of one 세부사업, or the 합계."""

    kind: str  # item | sub | total
    names: tuple[str, ...]
    stat: str
    amounts: tuple[int, ...]


def entries(items: Sequence[Item], subtotals: bool = False, total: str | None = "last") -> list[Entry]:
    """Rows in file order: each 세부사업's 통계목 rows (then its 소계), with the 합계 first, last or not at all."""
    out: list[Entry] = []
    groups: dict[tuple[str, ...], list[Item]] = {}
    for item in items:
        groups.setdefault(item.names, []).append(item)
    for names, group in groups.items():
        out.extend(Entry("item", names, x.stat, x.amounts) for x in group)
        if subtotals:
            out.append(Entry("sub", names, "소계", tuple(map(sum, zip(*(x.amounts for x in group), strict=True)))))
    grand = Entry("total", (), "", tuple(map(sum, zip(*(x.amounts for x in items), strict=True))))
    if total == "first":
        out.insert(0, grand)
    elif total == "last":
        out.append(grand)
    return out


def layout(rows: list[Entry], style: str, unit: str) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """Grid rows (HEAD order) and vertical merges (0-based body row/column, inclusive): names 'repeated' on every
    row, 'merged' (real merges; outer levels span 소계 rows) or 'blank' (merged down, exported as blanks; a 소계 row
    ends every group)."""
    scale = SCALE[unit]
    grid: list[list[object]] = []
    for e in rows:
        grid.append(["", "", "", "", e.stat if e.kind == "item" else "", *(a * scale for a in e.amounts)])
        if e.kind == "sub":
            grid[-1][4] = "소계"
        elif e.kind == "total":
            grid[-1][0] = "합계"
    merges: list[tuple[int, int, int, int]] = []
    for level in range(4):
        start: int | None = None
        for r, e in enumerate([*rows, Entry("total", (), "", ())]):
            named = e.kind == "item" or (e.kind == "sub" and (style == "repeated" or (style == "merged" and level < 3)))
            same = start is not None and e.names[: level + 1] == rows[start].names[: level + 1]
            if style != "repeated" and named and same:
                continue
            if style == "merged" and start is not None and r - 1 > start:
                merges.append((start, level, r - 1, level))
            start = r if named else None
            if named:
                grid[r][level] = e.names[level]
    return grid, merges


def preamble(period: str | None, unit: str | None) -> list[list[object]]:
    """Title, period line and units line as e-호조 writes them."""
    rows: list[list[object]] = [["세출예산 집행현황"]]
    if period is not None:
        rows.append([period])
    rows.append([f"(단위: {unit})"] if unit else [])
    return rows


PERIOD = "조회기간 : 2024.01.01 ~ 2024.05.31"


def ehojo_xlsx(
    rows: list[Entry],
    style: str = "repeated",
    unit: str = "원",
    period: str | None = PERIOD,
    units_line: bool = True,
    edit: dict[tuple[int, int], object] | None = None,
) -> bytes:
    """The export as .xlsx; `edit` overwrites body cells (0-based body row, HEAD column)."""
    grid, merges = layout(rows, style, unit)
    for (r, c), value in (edit or {}).items():
        grid[r][c] = value
    top = preamble(period, unit if units_line else None)

    def build(wb: Workbook) -> None:
        ws = wb.active
        put(ws, 1, [*top, list(HEAD), *grid])
        first = len(top) + 2  # Excel row of body row 0
        for r0, c0, r1, c1 in merges:
            ws.merge_cells(start_row=first + r0, start_column=c0 + 1, end_row=first + r1, end_column=c1 + 1)

    return xlsx(build)


def body_row(rows: list[Entry], r: int, top_rows: int = 3) -> int:
    """The Excel row of body row r under a preamble of top_rows rows and the header."""
    return top_rows + 2 + r


def parse(content: bytes, name: str = "집행현황.xlsx", **kw: object) -> ImportResult:
    """Import for 영등포구."""
    return parse_upload(name, content, district_cd="11560", **kw)  # type: ignore[arg-type]


def by_unit(result: ImportResult) -> dict[str, tuple[int, int, int]]:
    """(예산현액, 예산액, 집행액) per 단위사업, in 원: a 세부사업 counts for its parent, a unit spec for itself."""
    batch = result.batch
    assert batch is not None
    unit_of = {p.ref: p.parent if p.level == "detail" and p.parent else p.name for p in batch.programs}
    out: dict[str, list[int]] = {}
    for b in batch.budgets:
        acc = out.setdefault(unit_of[b.program], [0, 0, 0])
        acc[0] += b.current or 0
        acc[1] += b.original or 0
    for f in batch.facts:
        assert f.program is not None
        out.setdefault(unit_of[f.program], [0, 0, 0])[2] += f.value
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def check_seed(result: ImportResult, items: Sequence[Item]) -> None:
    """The batch gives every unit's 예산현액 and 집행액 of the seed (x1000 원), its rate, and 40.7% in all."""
    assert result.errors == [], result.errors
    assert result.kind == "ehojo"
    batch = result.batch
    assert batch is not None and batch.as_of == AS_OF
    units = by_unit(result)
    assert set(units) == set(TREE)
    for name, budget, executed, _rate in SEED_PROGRAMS:
        current, original, spent = units[name]
        assert (current, spent) == (budget * THOUSAND, executed * THOUSAND)
        assert original == sum(x.budget for x in items if x.names[2] == name) * THOUSAND  # 본예산 + 추경
        assert original < current  # 성립전, 예비비 and 이월액 count in 예산현액 only
        assert round_half_up(spent / current * 100) == REPORTED_RATES[name]
    total_current = sum(v[0] for v in units.values())
    total_spent = sum(v[2] for v in units.values())
    assert (total_current, total_spent) == (SEED_TOTAL[1] * THOUSAND, SEED_TOTAL[2] * THOUSAND)
    assert round_half_up(total_spent / total_current * 100) == SEED_TOTAL[3]
    assert {(f.year, f.month, f.metric) for f in batch.facts} == {(2024, 5, "executed")}


LAYOUTS = [
    pytest.param("repeated", "원", False, "last", id="repeated-won"),
    pytest.param("repeated", "천원", True, "first", id="repeated-thousand-subtotals"),
    pytest.param("merged", "원", False, "last", id="merged-won"),
    pytest.param("merged", "천원", True, "first", id="merged-thousand-subtotals"),
    pytest.param("blank", "원", True, "last", id="blank-won-subtotals"),
]


@pytest.mark.parametrize(("style", "unit", "subtotals", "total"), LAYOUTS)
def test_seed_xlsx_layouts(style: str, unit: str, subtotals: bool, total: str) -> None:
    items = seed_items()
    result = parse(ehojo_xlsx(entries(items, subtotals, total), style, unit))
    check_seed(result, items)
    assert result.issues == []


def test_tree_specs() -> None:
    result = parse(ehojo_xlsx(entries(seed_items()), "merged"))
    assert result.batch is not None
    specs = {p.ref: p for p in result.batch.programs}
    for unit, (policy, details) in TREE.items():
        assert (specs[unit].level, specs[unit].policy, specs[unit].department) == ("unit", policy, DEPT)
        for detail in details:
            if detail == unit:  # 인력운영비 > 인력운영비: the unit carries the figures itself
                continue
            spec = specs[detail]
            assert (spec.level, spec.parent, spec.policy, spec.department) == ("detail", unit, policy, DEPT)
    names = [p.name for p in result.batch.programs]
    for detail in ("취업취약계층 일자리 지원", "청년공간 운영"):  # the unit comes before its 세부사업
        parent = specs[detail].parent
        assert parent is not None and names.index(parent) < names.index(detail)
    # no 통계목 and no total row became a program
    assert not {p.name for p in result.batch.programs} & {*STAT_ITEMS, "합계", "소계"}


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_seed_csv_other_order(encoding: str) -> None:
    """A CSV of the merged-down export (blanks), columns reordered, 성립전/예비비 folded away, 집행잔액 and 집행률
    added, amounts as text with separators, and a 기준일자 line."""
    items = seed_items()
    rows = entries(items, subtotals=False, total="last")
    grid, _ = layout(rows, "blank", "원")
    order = (
        "세부사업명",
        "통계목",
        "부서명",
        "단위사업명",
        "정책사업명",
        "예산현액",
        "본예산",
        "추경",
        "이월액계",
        "집행액",
    )
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerows([["세출예산 집행현황"], ["기준일자: 2024-05-31"], ["(단위: 원)"], [*order, "집행잔액", "집행률"]])
    for line in grid:
        cells = dict(zip(HEAD, line, strict=True))
        amounts = [cells[h] for h in order[5:]]
        current, spent = cells["예산현액"], cells["집행액"]
        assert isinstance(current, int) and isinstance(spent, int)
        rate = f"{current and spent / current * 100:.1f}"
        w.writerow(
            [*(cells[h] for h in order[:5]), *(f"{a:,}" for a in amounts if isinstance(a, int)), current - spent, rate]
        )
    result = parse(buf.getvalue().encode(encoding), "집행현황.csv")
    check_seed(result, items)
    assert result.issues == []


def test_report_from_store(store) -> None:
    items = seed_items()
    result = parse(ehojo_xlsx(entries(items, subtotals=True), "merged", "천원"))
    assert result.batch is not None and result.errors == []
    store.commit(result.batch)
    report = build_report(store, "11560", 2024, AS_OF)
    budget = sum(x.current for x in items) * THOUSAND
    executed = sum(x.executed for x in items) * THOUSAND
    assert (report.budget, report.executed) == (budget, executed)
    assert round_half_up(report.execution_rate) == round_half_up(executed / budget * 100) == SEED_TOTAL[3]


# --- bad inputs -------------------------------------------------------------------------------------------------


def codes(result: ImportResult) -> list[tuple[str, int, str]]:
    """(code, Excel row, column letter) of each error."""
    return [(i.code, i.row, i.column) for i in result.errors]


def test_total_that_does_not_add_up() -> None:
    rows = entries(seed_items(), total="last")
    grand = len(rows) - 1
    stated = rows[grand].amounts[5] * THOUSAND + 263
    result = parse(ehojo_xlsx(rows, "repeated", edit={(grand, 10): stated}))
    assert codes(result) == [("total_mismatch", body_row(rows, grand), col_letter(10))]
    msg = result.errors[0].message_ko
    added = stated - 263
    assert fmt_dec(stated) in msg and fmt_dec(added) in msg and "차이 263" in msg
    assert result.batch is None


def test_subtotal_that_does_not_add_up_in_merged_layout() -> None:
    rows = entries(seed_items(), subtotals=True, total="first")
    sub = next(i for i, e in enumerate(rows) if e.kind == "sub" and e.names[3] == "서울시 동행일자리")
    stated = rows[sub].amounts[6] - 1  # 천원
    result = parse(ehojo_xlsx(rows, "merged", "천원", edit={(sub, 11): stated}))
    assert codes(result) == [("total_mismatch", body_row(rows, sub), col_letter(11))]
    assert "서울시 동행일자리" in result.errors[0].message_ko and "차이 -1" in result.errors[0].message_ko


def test_text_amount() -> None:
    rows = entries(seed_items())
    result = parse(ehojo_xlsx(rows, edit={(3, 11): "미집행"}))
    assert codes(result) == [("number_text", body_row(rows, 3), col_letter(11))]


def test_blank_detail_in_repeated_export() -> None:
    rows = entries(seed_items())
    result = parse(ehojo_xlsx(rows, "repeated", edit={(5, 3): ""}))
    assert codes(result) == [("program_name_missing", body_row(rows, 5), col_letter(3))]


def test_blank_name_never_filled_across_a_subtotal() -> None:
    """In a merged-down export a row after a 소계 must restate its names: a blank is not read from above the 소계."""
    rows = entries(seed_items(), subtotals=True)
    sub = next(i for i, e in enumerate(rows) if e.kind == "sub")
    result = parse(ehojo_xlsx(rows, "blank", edit={(sub + 1, c): "" for c in range(4)}))
    assert codes(result) == [("program_name_missing", body_row(rows, sub + 1), "A")]
    assert "소계" in result.errors[0].message_ko


def test_units_line_missing_amounts_in_won() -> None:
    items = seed_items()
    result = parse(ehojo_xlsx(entries(items), units_line=False))
    check_seed(result, items)
    assert [i.code for i in result.warnings] == ["units_assumed"]
    biggest = max(x.current for x in items) * THOUSAND
    assert "'원'" in result.warnings[0].message_ko and fmt_dec(biggest) in result.warnings[0].message_ko


def test_units_line_missing_amounts_in_thousands() -> None:
    result = parse(ehojo_xlsx(entries(seed_items()), unit="천원", units_line=False))
    assert [i.code for i in result.errors] == ["units_unknown"]
    assert result.batch is None


def test_period_not_from_january() -> None:
    result = parse(ehojo_xlsx(entries(seed_items()), period="조회기간 : 2024.03.01 ~ 2024.05.31"))
    assert codes(result) == [("period_not_cumulative", 2, "A")]


def test_as_of_from_caller_or_asked_for() -> None:
    items = seed_items()
    content = ehojo_xlsx(entries(items), period=None)
    missing = parse(content)
    assert [i.code for i in missing.errors] == ["as_of_missing"]
    given = parse(content, as_of=AS_OF)
    check_seed(given, items)


def test_duplicate_stat_item() -> None:
    items = seed_items()
    rows = entries([*items[:3], items[1], *items[3:]])  # grouped: the repeat comes right after the first
    again = [i for i, e in enumerate(rows) if (e.names, e.stat) == (items[1].names, items[1].stat)][1]
    result = parse(ehojo_xlsx(rows))
    assert codes(result) == [("duplicate_row", body_row(rows, again), "E")]


def test_codes_kept_as_text() -> None:
    """Codes in a 세부사업코드 column (leading zeros) or written before a name ('1234-5678 사업명')."""
    head = ["부서명", "단위사업명", "세부사업코드", "세부사업명", "통계목", "예산현액", "집행액"]
    body = [
        [DEPT, "1100-0001 청년정책 활성화", "0012345", "청년정책 네트워크 운영", "201-01 사무관리비", 100_000, 40_000],
        [DEPT, "1100-0001 청년정책 활성화", "0012345", "청년정책 네트워크 운영", "301-09 행사실비지원금", 50_000, 0],
        [DEPT, "1100-0001 청년정책 활성화", "0012346", "청년공간 운영", "201-01 사무관리비", 20_000, 5_000],
    ]
    result = parse(xlsx(lambda wb: put(wb.active, 1, [["세출예산 집행현황"], [PERIOD], ["(단위: 원)"], head, *body])))
    assert result.errors == [] and result.batch is not None
    specs = {p.ref: p for p in result.batch.programs}
    assert specs["1100-0001"].name == "청년정책 활성화"
    assert (specs["0012345"].name, specs["0012345"].parent) == ("청년정책 네트워크 운영", "청년정책 활성화")
    current = {b.program: b.current for b in result.batch.budgets}
    assert current == {"0012345": 150_000, "0012346": 20_000}


def small(body: list[list[object]], merge: str | None = None) -> ImportResult:
    """A small export: 부서명 | 단위사업명 | 세부사업명 | 통계목 | 예산현액 | 집행액 in 원, header on Excel row 4."""
    head = ["부서명", "단위사업명", "세부사업명", "통계목", "예산현액", "집행액"]

    def build(wb: Workbook) -> None:
        put(wb.active, 1, [["세출예산 집행현황"], [PERIOD], ["(단위: 원)"], head, *body])
        if merge:
            wb.active.merge_cells(merge)

    return parse(xlsx(build))


def test_unit_subtotal_and_merged_total_label() -> None:
    """A 소계 in the 세부사업명 column totals its 단위사업; a 합계 label merged across the name columns is the
    grand total."""
    body: list[list[object]] = [
        [DEPT, "U1", "D1", "201-01 사무관리비", 1_000_000, 10_000],
        [DEPT, "U1", "D2", "201-01 사무관리비", 2_000_000, 20_000],
        [DEPT, "U1", "소계", "", 3_000_000, 30_000],
        [DEPT, "U2", "D3", "201-01 사무관리비", 5_000_000, 50_000],
        [DEPT, "U2", "소계", "", 5_000_000 + 1_000, 50_000],
        ["합계", "", "", "", 8_000_000, 80_000],
    ]
    result = small(body, merge="A10:D10")
    assert codes(result) == [("total_mismatch", 9, "E")]
    assert "소계 (U2)" in result.errors[0].message_ko and "차이 1,000" in result.errors[0].message_ko
    body[4][4] = 5_000_000
    ok = small(body, merge="A10:D10")
    assert ok.errors == [] and ok.batch is not None
    assert sorted((b.program, b.current) for b in ok.batch.budgets) == [
        ("D1", 1_000_000),
        ("D2", 2_000_000),
        ("D3", 5_000_000),
    ]


def test_same_name_under_two_units_is_refused() -> None:
    body: list[list[object]] = [
        [DEPT, "U1", "운영", "201-01 사무관리비", 1_000_000, 10_000],
        [DEPT, "U2", "운영", "201-01 사무관리비", 2_000_000, 20_000],
    ]
    result = small(body)
    assert codes(result) == [("program_ambiguous", 6, "C")]


def test_unit_of_own_name_with_other_details_is_refused() -> None:
    body: list[list[object]] = [
        [DEPT, "기본경비", "기본경비", "201-01 사무관리비", 1_000_000, 10_000],
        [DEPT, "기본경비", "부서 운영", "201-01 사무관리비", 2_000_000, 20_000],
    ]
    result = small(body)
    assert codes(result) == [("detail_named_as_unit", 6, "C")]
