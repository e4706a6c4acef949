"""일자리 목표공시제 tables, plan or result: an as-of line, then 구분 | 세부사업명 | 소관부서 | 목표 | (실적) |
(달성률); 구분 (one of catalog.PROGRAM_CATEGORIES) merged or written once down its group, 소계 rows per category,
a 합계 row first or last. Counts are jobs (명)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kpi.domain.batch import FactRow, ProgramSpec, TargetRow
from kpi.domain.catalog import PROGRAM_CATEGORIES
from kpi.domain.dates import half_end
from kpi.importers.budget import resolve_as_of
from kpi.importers.conventions import clean_text, fmt_dec, parse_half, read_name
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.job_centre import check_stated_rate, lines_above, read_count
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import is_subtotal_label, is_total_label, normalise_header
from kpi.importers.tables import Around, Header, refuse_merged_values

METRIC = "jobs_created"
GOAL_FIELDS = frozenset({"category", "program", "target"})
# Short names staff write for a category (the full names are catalog.PROGRAM_CATEGORIES' values).
CATEGORY_SHORT: dict[str, str] = {
    "직업훈련": "training",
    "직업능력개발": "training",
    "고용장려": "subsidy",
    "창업": "startup",
    "일자리인프라": "infrastructure",
    "인프라구축": "infrastructure",
    "민간일자리": "private",
    "민간일자리창출": "private",
}
_CATEGORY_KEYS = {normalise_header(ko): key for key, ko in PROGRAM_CATEGORIES.items()} | CATEGORY_SHORT
_NUMBERING = re.compile(r"^(?:\(?\d{1,2}\s*[.)]?|[IVX]{1,4}\s*[.)]|[가-하]\s*[.)])\s*")  # '1.', '①' (NFKC '1'), 'Ⅱ.'
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_PLAIN_SUM = frozenset({"계", "합"})
_YEAR_WORD = re.compile(r"(?<!\d)(20\d{2})\s*년")


def is_goal_table(header: Header) -> bool:
    """A 목표공시제 header names 구분, 세부사업명 (or 사업명) and 목표; 실적 and 달성률 may follow."""
    return header.fields >= GOAL_FIELDS


def category_key(text: str) -> str | None:
    """The catalog key of a 구분 as written ('1. 직접 일자리' -> 'direct'); None when it names no category."""
    return _CATEGORY_KEYS.get(normalise_header(_NUMBERING.sub("", clean_text(text))))


@dataclass
class GoalRow:
    """A body row: a sub-program (detail), a category's 소계 (subtotal) or the 합계 (total), with its figures."""

    r: int
    kind: str
    name: str
    group: str | None  # the 구분 as written, carried down its group
    department: str | None = None
    target: Decimal | None = None
    actual: Decimal | None = None
    year: int | None = None
    bare: bool = False  # a 구분 row with figures but no 세부사업명 (a subtotal, or the category's own figures)


def read_goal(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Extract:
    """ProgramSpecs with category and department, a TargetRow per 세부사업 (목표) and, in a result sheet, a FactRow
    (실적) as of the as-of month; the 합계 (or the sum of the rows) as the district's target and actual. 합계 and
    소계 rows must add up (errors); a stated 달성률 is checked against 실적/목표 (warnings)."""
    out = Extract("goal_disclosure")
    cols = header.cols
    value_cols = [cols[f] for f in ("target", "value", "achievement") if f in cols]
    refuse_merged_values(grid, rows, value_cols, ctx.issues)
    parsed = _read_rows(grid, header, rows, ctx)
    when = _when(grid, header, near, ctx, parsed)
    if when is None:
        return out
    year, as_of = when
    out.as_of = as_of
    details = _details(parsed)
    if not _unique(grid, header, details, ctx):
        return out
    _check_sums(grid, header, parsed, details, ctx)
    for x in parsed:
        _check_rate(grid, header, x, ctx)
    _categories(grid, header, details, ctx)
    for x in details:
        _emit(out, grid, header, x, year, as_of)
    _emit_district(out, grid, header, parsed, details, year, as_of)
    return out


def _merged_values(grid: SheetGrid, cols: list[int]) -> dict[tuple[int, int], object]:
    """The value each cell of the given columns shows through a merged range (its top-left cell's)."""
    out: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in grid.merged:
        for c in cols:
            if c0 <= c <= c1:
                for r in range(r0, r1 + 1):
                    out[(r, c)] = grid.cell(r0, c0)
    return out


def _read_rows(grid: SheetGrid, header: Header, rows: list[int], ctx: Context) -> list[GoalRow]:
    """Every body row as detail, subtotal or total with its group (구분 carried down, reset by 합계) and figures;
    a row with figures but neither 구분 nor 세부사업명 is an error; a 구분 heading without figures is skipped."""
    cols = header.cols
    cat_col, name_col, dept_col = cols["category"], cols["program"], cols.get("department")
    merged = _merged_values(grid, [c for c in (cat_col, dept_col) if c is not None])
    group: str | None = None
    year: int | None = None
    out: list[GoalRow] = []
    for r in rows:
        cat = clean_text(merged.get((r, cat_col), grid.cell(r, cat_col)))
        name = read_name(grid.cell(r, name_col), ctx.issues, sheet=grid.name, row=r, col=name_col)
        if is_total_label(cat):
            kind = "subtotal" if is_subtotal_label(cat) else "total"
        else:
            group = cat or group
            if is_total_label(name):
                plain_sum = normalise_header(name) in _PLAIN_SUM  # '계' beside a 구분 is that category's
                kind = "subtotal" if is_subtotal_label(name) or (cat and plain_sum) else "total"
            else:
                kind = "detail"
        if kind == "total":
            group = None
        x = GoalRow(r, kind, name, group)
        if dept_col is not None:
            x.department = clean_text(merged.get((r, dept_col), grid.cell(r, dept_col))) or None
        x.target = read_count(grid, r, cols["target"], ctx, blank="missing", what="일자리 수")
        if "value" in cols:
            x.actual = read_count(grid, r, cols["value"], ctx, blank="missing", what="일자리 수")
        year = _row_year(grid, header, r, ctx) or year
        x.year = year
        if kind == "detail" and not name:
            if x.target is None and x.actual is None:
                continue  # a 구분 heading (or an empty line inside the table)
            if not cat:
                ctx.issues.error(
                    "program_name_missing",
                    "세부사업명이 비어 있습니다. 사업명을 적어 주세요.",
                    "The sub-program name is empty.",
                    sheet=grid.name,
                    row=r,
                    col=name_col,
                )
                continue
            x.kind, x.bare = "subtotal", True
        out.append(x)
    return out


def _row_year(grid: SheetGrid, header: Header, r: int, ctx: Context) -> int | None:
    """The year a 연도 column states on a row ('2025', 2025, '2025년'); blank -> None; else an error and None."""
    c = header.cols.get("year")
    if c is None or is_blank(grid.cell(r, c)):
        return None
    cell = grid.cell(r, c)
    text = clean_text(int(cell) if isinstance(cell, float) and cell.is_integer() else cell)
    m = _YEAR.search(text)
    if m is None:
        ctx.issues.error(
            "year_invalid",
            f"연도 '{clip(text)}'을(를) 읽을 수 없습니다. '2025'처럼 적어 주세요.",
            f"Cannot read the year {clip(text)!r}; write it like 2025.",
            sheet=grid.name,
            row=r,
            col=c,
            value=cell,
        )
        return None
    return int(m[1])


def _details(parsed: list[GoalRow]) -> list[GoalRow]:
    """The sub-programs; a 구분 row with figures whose group lists no sub-program is the category's own row."""
    named = {x.group for x in parsed if x.kind == "detail"}
    for x in parsed:
        if x.bare and x.group not in named:
            x.kind, x.name = "detail", x.group or ""
    return [x for x in parsed if x.kind == "detail"]


def _when(
    grid: SheetGrid, header: Header, near: Around, ctx: Context, parsed: list[GoalRow]
) -> tuple[int, date | None] | None:
    """(year, as-of date): a result sheet (실적) needs an as-of date (the sheet's line or the caller's; a title
    naming a half-year gives its last day); a plan takes its year from the as-of date, the 연도 column or the
    title. None (with an error) when a needed date or year is unknown or the rows state several years."""
    above = lines_above(grid, header)
    as_of: date | None = None
    if near.as_of is not None or ctx.as_of is not None:
        as_of = resolve_as_of(grid, header, near, ctx)
        if as_of is None:
            return None
        if near.as_of is None and not _title_year_fits(grid, header, above, as_of, ctx):
            return None
    elif "value" in header.cols:
        as_of = _half_from_title(grid, above, near, parsed, ctx)
        if as_of is None:
            resolve_as_of(grid, header, near, ctx)  # reports that the as-of date is missing
            return None
    years = {x.year for x in parsed if x.year is not None}
    if len(years) > 1:
        ctx.issues.error(
            "years_mixed",
            f"한 표에 여러 해({', '.join(str(y) for y in sorted(years))}년)가 있습니다. 해마다 표를 나눠 주세요.",
            f"The table states several years ({', '.join(str(y) for y in sorted(years))}); split it by year.",
            sheet=grid.name,
            row=header.top,
            col=header.cols.get("year"),
        )
        return None
    year = as_of.year if as_of else (years.pop() if years else near.year_hint)
    if year is None:
        ctx.issues.error(
            "year_missing",
            "어느 해의 목표인지 알 수 없습니다. 제목에 '2025년'처럼 연도를 적거나, 연도 열 또는 기준일을 넣어 주세요.",
            "The year is unknown: write it in the title (e.g. 2025년), in a 연도 column or as the as-of date.",
            sheet=grid.name,
            row=header.top,
            col=header.span[0],
        )
        return None
    if as_of is not None and years and years != {as_of.year}:
        ctx.issues.error(
            "date_outside_year",
            f"연도 열({years.pop()}년)이 기준일({as_of:%Y. %-m. %-d.})의 해와 다릅니다. 연도나 기준일을 고쳐 주세요.",
            f"The 연도 column and the as-of date {as_of} disagree.",
            sheet=grid.name,
            row=header.bottom + 1,
            col=header.cols.get("year"),
        )
        return None
    return year, as_of


def _title_year_fits(
    grid: SheetGrid, header: Header, above: list[tuple[int, int, str]], as_of: date, ctx: Context
) -> bool:
    """When the as-of date is the caller's, a year in the title ('2025년 …') must be its year; else an error."""
    for r, c, text in above:
        m = _YEAR_WORD.search(text)
        if m and int(m[1]) != as_of.year:
            ctx.issues.error(
                "date_outside_year",
                f"제목의 연도({m[1]}년)가 선택한 기준일({as_of:%Y. %-m. %-d.})의 해와 다릅니다. 기준일을 확인하세요.",
                f"The title's year {m[1]} differs from the chosen as-of date {as_of}.",
                sheet=grid.name,
                row=r,
                col=c,
                value=text,
            )
            return False
        if m:
            return True
    return True


def _half_from_title(
    grid: SheetGrid, above: list[tuple[int, int, str]], near: Around, parsed: list[GoalRow], ctx: Context
) -> date | None:
    """A result sheet without an as-of date whose title names a half-year ('2025년 상반기 추진실적'): its last
    day, with a warning; else None."""
    year_hint = near.year_hint or next((x.year for x in parsed if x.year), None)
    for r, c, text in above:
        half = parse_half(text, year_hint)
        if half is None:
            continue
        found = half_end(*half)
        ctx.issues.warning(
            "as_of_from_title",
            f"기준일이 적혀 있지 않아 제목의 기간으로 {found:%Y. %-m. %-d.}을 기준일로 썼습니다.",
            f"No as-of date: used the end of the half-year in the title, {found}.",
            sheet=grid.name,
            row=r,
            col=c,
            value=text,
        )
        return found
    return None


def _unique(grid: SheetGrid, header: Header, details: list[GoalRow], ctx: Context) -> bool:
    """A sub-program named twice is an error at its second row."""
    seen: dict[str, int] = {}
    ok = True
    for x in details:
        if x.name in seen:
            ctx.issues.error(
                "duplicate_row",
                f"'{clip(x.name)}'이(가) {seen[x.name] + 1}행과 {x.r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
                f"{clip(x.name)!r} appears twice (rows {seen[x.name] + 1} and {x.r + 1}).",
                sheet=grid.name,
                row=x.r,
                col=header.cols["program"],
                value=x.name,
            )
            ok = False
        seen.setdefault(x.name, x.r)
    return ok


def _check_sums(grid: SheetGrid, header: Header, parsed: list[GoalRow], details: list[GoalRow], ctx: Context) -> None:
    """The 합계 row must equal the sum of the sub-programs and each 소계 the sum of its category's, for 목표 and
    실적: else an error with both numbers."""
    for x in parsed:
        if x.kind == "detail":
            continue
        members = details if x.kind == "total" else [d for d in details if d.group == x.group]
        for fname, stated in (("target", x.target), ("value", x.actual)):
            if stated is None:
                continue
            added = sum((_figure(d, fname) or Decimal(0) for d in members), Decimal(0))
            if added == stated:
                continue
            c = header.cols[fname]
            label = x.name if is_total_label(x.name) else clean_text(grid.cell(x.r, header.cols["category"]))
            what_ko = "목표" if fname == "target" else "실적"
            whose_ko = "세부사업" if x.kind == "total" else f"'{clip(x.group)}' 세부사업"
            ctx.issues.error(
                "total_mismatch" if x.kind == "total" else "subtotal_mismatch",
                f"'{clip(label)}' 행의 {what_ko} {fmt_dec(stated)}이(가) {whose_ko}의 합 {fmt_dec(added)}과(와) "
                f"다릅니다 (차이 {fmt_dec(stated - added)}). 합계 행이나 사업별 값을 고쳐 주세요.",
                f"The {clip(label)} row says {fmt_dec(stated)} ({'target' if fname == 'target' else 'actual'}) "
                f"but its rows add up to {fmt_dec(added)}.",
                sheet=grid.name,
                row=x.r,
                col=c,
                value=grid.cell(x.r, c),
            )


def _figure(x: GoalRow, fname: str) -> Decimal | None:
    """A row's 목표 (target) or 실적 (value)."""
    return x.target if fname == "target" else x.actual


def _check_rate(grid: SheetGrid, header: Header, x: GoalRow, ctx: Context) -> None:
    """A stated 달성률 must match 실적 / 목표 (half up to one decimal; a whole-number rate to a whole number)."""
    check_stated_rate(
        grid,
        x.r,
        header.cols.get("achievement"),
        x.actual,
        x.target,
        ctx,
        code="achievement_mismatch",
        names=("달성률", "실적/목표", "achievement rate", "actual/target"),
        whole_ok=True,
    )


def _categories(grid: SheetGrid, header: Header, details: list[GoalRow], ctx: Context) -> None:
    """A sub-program without a 구분, or with one that names no category, is a warning (once per 구분)."""
    told: set[str | None] = set()
    c = header.cols["category"]
    for x in details:
        if x.group in told or (x.group is not None and category_key(x.group) is not None):
            continue
        told.add(x.group)
        names = ", ".join(PROGRAM_CATEGORIES[k] for k in list(PROGRAM_CATEGORIES)[:7])
        if x.group is None:
            ko = f"'{clip(x.name)}'에 구분이 없습니다"
            en = f"{clip(x.name)!r} has no category"
        else:
            ko = f"구분 '{clip(x.group)}'은(는) 목표공시제 유형이 아닙니다"
            en = f"{clip(x.group)!r} is not a category of the target disclosure"
        ctx.issues.warning(
            "category_unknown",
            f"{ko}: 유형 없이 저장합니다. 유형별로 보려면 구분을 {names} 중 하나로 적어 주세요.",
            f"{en}; stored without a category.",
            sheet=grid.name,
            row=x.r,
            col=c,
            value=x.group or "",
        )


def _emit(out: Extract, grid: SheetGrid, header: Header, x: GoalRow, year: int, as_of: date | None) -> None:
    """A sub-program's spec, its 목표 as a TargetRow and its 실적 as a FactRow of the as-of month."""
    cols = header.cols
    key = category_key(x.group) if x.group else None
    name_loc = Loc(grid.name, x.r, cols["program"])
    out.specs.append((ProgramSpec(x.name, department=x.department, category=key), name_loc))
    out.programs.append((x.name, name_loc))
    if x.target is not None:
        out.targets.append((TargetRow(x.name, year, METRIC, int(x.target)), Loc(grid.name, x.r, cols["target"])))
    if x.actual is not None and as_of is not None:
        loc = Loc(grid.name, x.r, cols["value"])
        out.facts.append((FactRow(x.name, year, as_of.month, METRIC, int(x.actual)), loc))


def _emit_district(
    out: Extract,
    grid: SheetGrid,
    header: Header,
    parsed: list[GoalRow],
    details: list[GoalRow],
    year: int,
    as_of: date | None,
) -> None:
    """The district's target and actual: the 합계 row's, else the sum of the sub-programs."""
    total = next((x for x in parsed if x.kind == "total"), None)
    cols = header.cols
    for fname in ("target", "value"):
        if fname not in cols or (fname == "value" and as_of is None):
            continue
        stated = _figure(total, fname) if total else None
        figures = [v for d in details if (v := _figure(d, fname)) is not None]
        value = stated if stated is not None else (sum(figures, Decimal(0)) if figures else None)
        if value is None:
            continue
        loc = Loc(grid.name, total.r if total else header.top, cols[fname])
        if fname == "target":
            out.targets.append((TargetRow(None, year, METRIC, int(value)), loc))
        elif as_of is not None:
            out.facts.append((FactRow(None, year, as_of.month, METRIC, int(value)), loc))
