"""e-호조 세출예산 집행현황 exports: a title, a period line ('조회기간 : 2024.01.01 ~ 2024.05.31' or
'기준일자: 2024-05-31'), a units line, then 부서명 | 정책사업명 | 단위사업명 | 세부사업명 | 통계목 | 본예산 | 추경 |
성립전 | 예비비 | 이월액계 | 예산현액 | 집행액 (any order; 성립전/예비비 may be missing, 집행잔액/집행률 added),
one row per 통계목.

Names are either repeated on every row or merged down their group. A real merged range (xlsx) gives its value to
every cell it covers (calamine leaves all but the top-left cell blank). A blank name cell outside any merge takes
the value of the row above only when the table is laid out merged-down (it has merged name cells, or its outermost
name column is blank on at least half of the 통계목 rows), no name column outside it is written on the row (a new
group would begin there) and no 합계/소계 row lies between; anything else is a missing name, an error at its cell.

Total rows (합계, 계, 소계, …, in any name or 통계목 column) are never data: each is checked against the 통계목
rows it covers (the names written on it, or for a 소계 the names of the group it closes; none = every row).

What is emitted, per 세부사업 (the sum of its 통계목 rows, in 원 by the units line):
- ProgramSpec of the 단위사업 (level "unit") and of the 세부사업 (level "detail", parent = the 단위사업 by name),
  each with its 정책사업 and 부서; codes ('1234-5678 사업명', '[1234] 사업명' or a …코드 column) kept as text.
  A 세부사업 named like its own 단위사업 (인력운영비 > 인력운영비) is that 단위사업: one spec at level "unit".
- BudgetRow source "total": original = 예산액 = 본예산 + 추경 (성립전, 예비비, 이월액, 전용 count only in 예산현액,
  following DOMAIN.md: 예산현액 = 예산액 + 이월액 + 예비비 + 전용·이체 etc.); current = 예산현액 as stated.
- FactRow "executed" = 집행액 (cumulative from 1 January) for the month of the as-of date.
The 통계목 rows themselves are checked and summed but not kept: the store has no table for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from kpi.domain.batch import BudgetRow, FactRow, ProgramSpec
from kpi.importers.budget import money_multiplier, resolve_as_of
from kpi.importers.conventions import CellError, clean_text, fmt_dec, parse_as_of, parse_number, read_name, to_won
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import ehojo_field, is_subtotal_label, is_total_label
from kpi.importers.tables import LOOK_UP_ROWS, Around, Header, refuse_merged_values
from kpi.store.model import Program, column_length

KIND = "ehojo"
LEVELS = ("department", "policy", "unit", "detail")  # outermost first
CODE_OF = {"policy": "policy_code", "unit": "unit_code", "detail": "detail_code"}
AMOUNTS = (
    "budget_original",
    "supplementary",
    "pre_established",
    "reserve",
    "carryover",
    "transfer",
    "budget_current",
    "executed",
    "balance",
)
LABELS: dict[str, str] = {
    "department": "부서명",
    "policy": "정책사업명",
    "unit": "단위사업명",
    "detail": "세부사업명",
    "stat_item": "통계목",
    "budget_original": "본예산",
    "supplementary": "추경",
    "pre_established": "성립전",
    "reserve": "예비비",
    "carryover": "이월액계",
    "transfer": "전용",
    "budget_current": "예산현액",
    "executed": "집행액",
    "balance": "집행잔액",
}
BUDGET_STEP = 1_000  # budgets are set in 천원: in 원 every 본예산/예산현액 is a multiple of 1,000
NAME_LIMIT = column_length(Program, "name")
CODE_LIMIT = column_length(Program, "code")
_BRACKET_CODE = re.compile(r"^[\[(]\s*(\d[\d-]*)\s*[\])]\s*(\S.*)$")
_PLAIN_CODE = re.compile(r"^(\d+(?:-\d+)+|\d{5,})\s+(\S.*)$")
_RANGE = re.compile(r"[~∼〜]")

Name = tuple[str, str | None]  # (name, code)


def ehojo_columns(header: Header) -> dict[str, int]:
    """The e-호조 columns a header names (synonyms.EHOJO_COLUMNS), the first column of each."""
    cols: dict[str, int] = {}
    for c in sorted(header.texts):
        found = ehojo_field(header.texts[c])
        if found:
            cols.setdefault(found, c)
    return cols


def is_ehojo(header: Header) -> bool:
    """An 집행현황 header: 통계목 with 부서명 and 세부사업명, or 통계목 with 예산현액 and 집행액."""
    cols = ehojo_columns(header)
    return "stat_item" in cols and (
        {"department", "detail"} <= cols.keys() or {"budget_current", "executed"} <= cols.keys()
    )


@dataclass
class _Cell:
    """A name cell of a row: 'written' on the row, 'merged' (covered by a merged range), or 'blank'."""

    state: str
    value: Name | None = None


@dataclass
class _Line:
    """One body row: its name cells, 통계목, amounts (sheet units), and the total label when it is a total row."""

    r: int
    cells: dict[str, _Cell]
    stat: str
    amounts: dict[str, Decimal]
    label: str | None = None
    label_col: int | None = None
    ok: bool = True  # its names are known (and it is no repeat)
    unread: set[str] = field(default_factory=set)  # amount columns whose cell could not be read
    names: dict[str, Name] = field(default_factory=dict)  # filled in


@dataclass
class _Table:
    """The table being read: grid, header, context, e-호조 columns and the name levels present (outermost first)."""

    grid: SheetGrid
    header: Header
    ctx: Context
    cols: dict[str, int]
    levels: list[str]

    def error(self, code: str, ko: str, en: str, r: int, c: int) -> None:
        """An error at a cell of the table."""
        self.ctx.issues.error(code, ko, en, sheet=self.grid.name, row=r, col=c, value=self.grid.cell(r, c))

    def warning(self, code: str, ko: str, en: str, r: int, c: int) -> None:
        """A warning at a cell of the table."""
        self.ctx.issues.warning(code, ko, en, sheet=self.grid.name, row=r, col=c, value=self.grid.cell(r, c))

    @property
    def first_col(self) -> int:
        """The leftmost column of the table."""
        return min(self.cols.values())


def read_ehojo(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Extract:
    """Read an 집행현황 table: check every total, sum the 통계목 rows per 세부사업, emit specs, budgets and executed."""
    out = Extract(KIND)
    cols = ehojo_columns(header)
    t = _Table(grid, header, ctx, cols, [lv for lv in LEVELS if lv in cols])
    if not _has_columns(t):
        return out
    _merged_amounts(t, rows)
    near = _period(t, near)
    as_of = resolve_as_of(grid, header, near, ctx)
    lines = [_parse_line(t, r) for r in rows]
    mult = _multiplier(t, near, lines)
    items = [x for x in lines if x.label is None]
    _fill_names(t, lines, items)
    _check_totals(t, lines, items)
    _check_duplicates(t, items)
    if as_of is None or mult is None or not items:
        return out
    out.as_of = as_of
    _emit(t, out, [x for x in items if x.ok and not x.unread], as_of, mult)
    return out


def _has_columns(t: _Table) -> bool:
    """세부사업명, 통계목, 집행액 and 예산현액 (or 본예산) are needed: else an error at the header naming the
    missing ones."""
    need = ["detail", "stat_item", "executed"]
    missing = [LABELS[f] for f in need if f not in t.cols]
    if not {"budget_current", "budget_original"} & t.cols.keys():
        missing.append("예산현액(또는 본예산)")
    if not missing:
        return True
    t.error(
        "columns_missing",
        f"e-호조 집행현황 표에 {', '.join(missing)} 열이 없습니다. e-호조에서 내려받은 파일의 열을 지우지 말고 "
        "올려 주세요.",
        f"The e-Hojo execution table lacks the column(s) {', '.join(missing)}.",
        t.header.top,
        t.first_col,
    )
    return False


def _merged_amounts(t: _Table, rows: list[int]) -> None:
    """A merged range over several amount cells hides their values: an error at the range."""
    refuse_merged_values(t.grid, rows, [t.cols[f] for f in AMOUNTS if f in t.cols], t.ctx.issues)


def _period(t: _Table, near: Around) -> Around:
    """The as-of date from a period line above the table ('조회기간 : 2024.01.01 ~ 2024.05.31'): its end date. The
    period must run from 1 January of one year (집행액 is cumulative from then): else an error at the line."""
    grid = t.grid
    for r in range(t.header.top - 1, max(-1, t.header.top - LOOK_UP_ROWS - 1), -1):
        for c, v in enumerate(grid.rows[r]):
            if not isinstance(v, str) or not _RANGE.search(v):
                continue
            parts = _RANGE.split(clean_text(v))
            try:
                start, end = parse_as_of(parts[0], near.year_hint), parse_as_of(parts[-1], near.year_hint)
            except CellError as exc:
                t.error(exc.code, exc.ko, exc.en, r, c)
                return near
            if start is None or end is None or len(parts) != 2:
                continue
            if end < start or start.year != end.year or (start.month, start.day) != (1, 1):
                t.error(
                    "period_not_cumulative",
                    f"조회기간 '{clip(clean_text(v), 60)}'이(가) 한 해의 1월 1일부터가 아닙니다. 집행액은 "
                    f"1월 1일부터의 누계여야 하므로 조회기간을 {end.year}.01.01 ~ {end:%Y.%m.%d}처럼 정해 "
                    "다시 내려받아 주세요.",
                    f"The period {clip(clean_text(v), 60)!r} does not run from 1 January of one year; executed "
                    "amounts must be cumulative from 1 January.",
                    r,
                    c,
                )
            return replace(near, as_of=end, as_of_at=(r, c))
    return near


def _name_value(raw: object) -> Name | None:
    """A name cell as (name, code): '1234-5678 세부사업명' and '[1234] 세부사업명' carry their code; blank -> None."""
    text = clean_text(raw)
    if not text:
        return None
    m = _BRACKET_CODE.match(text) or _PLAIN_CODE.match(text)
    return (m[2].strip(), m[1]) if m else (text, None)


def _code_text(value: object) -> str | None:
    """A code cell as text: a whole number without '.0', text as written (leading zeros kept); blank -> None."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return clean_text(value) or None


def _cell_of(t: _Table, r: int, level: str, covered: dict[tuple[int, int], int]) -> _Cell:
    """A level's name (and code) at row r: written on the row, taken from the top of a merged range, or blank."""
    c = t.cols[level]
    code_col = t.cols.get(CODE_OF.get(level, ""))
    raw = t.grid.cell(r, c)
    if not is_blank(raw):
        name = read_name(raw, t.ctx.issues, sheet=t.grid.name, row=r, col=c)
        value = _name_value(name)
        code = _code_text(t.grid.cell(r, code_col)) if code_col is not None else None
        return _Cell("written", (value[0], code or value[1]) if value else None)
    top = covered.get((r, c))
    if top is not None and not is_total_label(t.grid.cell(top, c)):
        value = _name_value(t.grid.cell(top, c))
        code = _code_text(t.grid.cell(top, code_col)) if code_col is not None else None
        return _Cell("merged", (value[0], code or value[1]) if value else None)
    return _Cell("blank")


def _covered(t: _Table, rows: list[int]) -> dict[tuple[int, int], int]:
    """(row, column) of each name cell that a vertical merged range covers below its top -> the top row."""
    name_cols = {t.cols[lv] for lv in t.levels}
    first, last = (rows[0], rows[-1]) if rows else (0, -1)
    out: dict[tuple[int, int], int] = {}
    for r0, c0, r1, _c1 in t.grid.merged:
        if c0 in name_cols and r1 > r0 and r1 >= first and r0 <= last:
            for r in range(r0 + 1, r1 + 1):
                out[(r, c0)] = r0
    return out


def _parse_line(t: _Table, r: int) -> _Line:
    """One body row: total label, amounts (blank = 0 on a 통계목 row, not stated on a total row), 통계목 text; a cell
    that cannot be read is an error there."""
    grid = t.grid
    amount_cols = {t.cols[f] for f in AMOUNTS if f in t.cols} | ({t.cols["rate"]} if "rate" in t.cols else set())
    label: str | None = None
    label_col: int | None = None
    for col, v in enumerate(grid.rows[r]):
        if col not in amount_cols and is_total_label(v):
            label, label_col = clean_text(v), col
            break
    line = _Line(r, {}, clean_text(grid.cell(r, t.cols["stat_item"])), {}, label, label_col)
    for fname in AMOUNTS:
        c = t.cols.get(fname)
        if c is None:
            continue
        cell = grid.cell(r, c)
        try:
            num = parse_number(cell, blank="missing" if label else "zero")
        except CellError as exc:
            t.error(exc.code, f"{LABELS[fname]}: {exc.ko}", exc.en, r, c)
            line.unread.add(fname)
            continue
        if num.warning:
            t.warning(num.warning[0], num.warning[1], num.warning[2], r, c)
        if num.value is not None:
            line.amounts[fname] = num.value
    return line


def _multiplier(t: _Table, near: Around, lines: list[_Line]) -> int | None:
    """Multiplier to 원: the units line's; without one, 원 when every budget amount is a multiple of 1,000 (budgets
    are set in 천원), with a warning saying so; otherwise an error asking for the units line (None)."""
    if near.units is not None:
        return money_multiplier(t.grid, t.header, near, t.ctx)
    budgets = [
        (x.r, f, x.amounts[f])
        for x in lines
        if x.label is None
        for f in ("budget_current", "budget_original")
        if x.amounts.get(f)
    ]
    odd = next(((r, f, v) for r, f, v in budgets if v % BUDGET_STEP != 0), None)
    if odd is None:
        biggest = max((v for _r, _f, v in budgets), default=Decimal(0))
        t.warning(
            "units_assumed",
            f"단위 표시가 없어 금액을 '원'으로 읽었습니다 (예산 금액이 모두 1,000의 배수라 원 단위로 보입니다. 가장 큰 "
            f"금액: {fmt_dec(biggest)}원). 다른 단위라면 표 위에 '(단위: 천원)'처럼 적어 주세요.",
            f"No units line: amounts were read in 원 (every budget amount is a multiple of 1,000; the largest is "
            f"{fmt_dec(biggest)}). Add e.g. '(단위: 천원)' if they are in another unit.",
            t.header.top,
            t.first_col,
        )
        return 1
    r, f, v = odd
    t.error(
        "units_unknown",
        f"단위 표시가 없고, {LABELS[f]} {fmt_dec(v)}은(는) 1,000의 배수가 아니라 원 단위로 볼 수 "
        "없습니다(천원 단위일 수 있습니다). 표 위에 '(단위: 원)' 또는 '(단위: 천원)'을 적어 주세요.",
        f"No units line, and {LABELS[f]} {fmt_dec(v)} is not a multiple of 1,000, so the amounts may not be in 원: "
        "add '(단위: 원)' or '(단위: 천원)' above the table.",
        r,
        t.cols[f],
    )
    return None


def _fill_names(t: _Table, lines: list[_Line], items: list[_Line]) -> None:
    """Each row's names: written, from its merged range, or (merged-down layout only) from the row above within the
    group; a name that cannot be known is an error at its cell and the row is left out."""
    covered = _covered(t, [x.r for x in lines])
    for x in lines:
        x.cells = {lv: _cell_of(t, x.r, lv, covered) for lv in t.levels}
    outer = t.levels[0]
    merged_layout = any(c.state == "merged" for x in items for c in x.cells.values()) or (
        2 * sum(x.cells[outer].state == "written" for x in items) <= len(items)
    )
    prev: _Line | None = None
    after_total = False
    for x in lines:
        if x.label is not None:
            after_total = True
            continue
        for i, lv in enumerate(t.levels):
            cell = x.cells[lv]
            if cell.value is not None:
                x.names[lv] = cell.value
                continue
            new_group = any(x.cells[o].state == "written" for o in t.levels[:i])
            if cell.state == "blank" and merged_layout and prev is not None and not after_total and not new_group:
                if lv in prev.names:
                    x.names[lv] = prev.names[lv]
                    continue
                x.ok = False  # the group's first row lacks this name: reported there once
                break
            _name_missing(t, x, lv, merged_layout, after_total, new_group)
            x.ok = False
            break
        if x.ok and not x.stat:
            t.error(
                "stat_item_missing",
                "통계목이 비어 있습니다. 한 행에 통계목 하나씩(예: 201-01 사무관리비) 적고, 합계 행에는 '합계' 또는 "
                "'소계'를 적어 주세요.",
                "The 통계목 is empty: one row per 통계목; label total rows 합계 or 소계.",
                x.r,
                t.cols["stat_item"],
            )
            x.ok = False
        prev, after_total = x, False


def _name_missing(t: _Table, x: _Line, level: str, merged_layout: bool, after_total: bool, new_group: bool) -> None:
    """A name cell that is blank where it cannot be filled down: an error saying why."""
    label = LABELS[level]
    if not merged_layout:
        why_ko, why_en = "사업명이 모든 행에 적힌 표인데 이 칸만 비어 있습니다", "names are repeated on every other row"
    elif after_total:
        why_ko, why_en = "바로 위가 합계·소계 행이라 위 행의 이름을 이어받을 수 없습니다", "a total row lies above"
    elif new_group:
        why_ko, why_en = (
            "같은 행에 상위 사업명이 새로 적혀 있어 위 행의 이름을 이어받을 수 없습니다",
            "a new group starts",
        )
    else:
        why_ko, why_en = "위에 이어받을 행이 없습니다", "no row above to take it from"
    t.error(
        "program_name_missing",
        f"{label}이(가) 비어 있습니다({why_ko}). {label}을(를) 적어 주세요.",
        f"The {label} is empty ({why_en}); fill it in.",
        x.r,
        t.cols[level],
    )


def _scope(t: _Table, x: _Line, lines: list[_Line]) -> dict[str, str]:
    """The names a total row covers: the levels left of its label (all of them when the label is in the 통계목
    column), each as written on the row, or for a 소계 as in the group it closes (the item above, else below)."""
    levels = t.levels
    for i, lv in enumerate(t.levels):
        if x.label_col == t.cols[lv]:
            levels = t.levels[:i]
            break
    else:
        if x.label_col != t.cols["stat_item"]:
            levels = []
    at = lines.index(x)
    above = next((y for y in reversed(lines[:at]) if y.label is None and y.ok and y.names), None)
    below = next((y for y in lines[at + 1 :] if y.label is None and y.ok and y.names), None)
    near = above or below
    scope: dict[str, str] = {}
    for lv in levels:
        cell = x.cells[lv]
        if cell.value is not None:
            scope[lv] = cell.value[0]
        elif is_subtotal_label(x.label) and near is not None and lv in near.names:
            scope[lv] = near.names[lv][0]
    return scope


def _check_totals(t: _Table, lines: list[_Line], items: list[_Line]) -> None:
    """Every total row must equal the sum of the 통계목 rows it covers, column by column: else an error naming the
    row, both amounts and the difference (in the sheet's unit)."""
    for x in lines:
        if x.label is None:
            continue
        scope = _scope(t, x, lines)
        covered = [y for y in items if all(y.names.get(lv, (n,))[0] == n for lv, n in scope.items())]
        if any(lv not in y.names for y in covered for lv in scope):
            continue  # a row it may cover lacks a name (reported there): the total cannot be checked
        what = f"{x.label} ({clip(list(scope.values())[-1], 40)})" if scope else x.label
        if not covered:
            t.warning(
                "total_unmatched",
                f"'{clip(what, 60)}' 행이 어느 통계목 행들의 합계인지 알 수 없어 검사하지 못했습니다. "
                "합계 행의 사업명을 확인해 주세요.",
                f"Could not tell which rows the {clip(what, 60)!r} row totals; it was not checked.",
                x.r,
                x.label_col if x.label_col is not None else t.first_col,
            )
            continue
        for fname, stated in x.amounts.items():
            if any(fname in y.unread for y in covered):
                continue  # an unreadable cell is reported at its place; the sum cannot be known
            added = sum((y.amounts.get(fname, Decimal(0)) for y in covered), Decimal(0))
            if added == stated:
                continue
            t.error(
                "total_mismatch",
                f"'{clip(what, 60)}' 행의 {LABELS[fname]} {fmt_dec(stated)}이(가) 통계목 {len(covered):,}개 행의 합 "
                f"{fmt_dec(added)}과(와) 다릅니다 (차이 {fmt_dec(stated - added)}). 합계 행이나 통계목별 금액을 고쳐 "
                "주세요.",
                f"The {clip(what, 60)} row says {LABELS[fname]} {fmt_dec(stated)} but its {len(covered)} 통계목 rows "
                f"add up to {fmt_dec(added)} (difference {fmt_dec(stated - added)}).",
                x.r,
                t.cols[fname],
            )


def _key(t: _Table, x: _Line) -> tuple[Name, ...]:
    """The 세부사업 a row belongs to: its names and codes, outermost first."""
    return tuple(x.names[lv] for lv in t.levels)


def _check_duplicates(t: _Table, items: list[_Line]) -> None:
    """A 통계목 twice under one 세부사업 is an error naming both rows (a pasted-twice row would be added twice)."""
    seen: dict[tuple[object, ...], int] = {}
    for x in items:
        if not x.ok:
            continue
        k = (*_key(t, x), x.stat)
        if k in seen:
            t.error(
                "duplicate_row",
                f"'{clip(x.names['detail'][0])}'의 통계목 '{clip(x.stat)}'이(가) {seen[k] + 1}행과 {x.r + 1}행에 두 번 "
                "있습니다. 한 행만 남겨 주세요.",
                f"통계목 {clip(x.stat)!r} of {clip(x.names['detail'][0])!r} appears twice (rows {seen[k] + 1} and "
                f"{x.r + 1}).",
                x.r,
                t.cols["stat_item"],
            )
            x.ok = False
        else:
            seen[k] = x.r


@dataclass
class _Group:
    """The 통계목 rows of one 세부사업 and their sums (sheet units)."""

    first: _Line
    names: dict[str, Name]
    sums: dict[str, Decimal] = field(default_factory=dict)


def _groups(t: _Table, items: list[_Line]) -> list[_Group]:
    """Rows by 세부사업, in file order, with each amount column summed (each row's 집행잔액 checked on the way)."""
    groups: dict[tuple[Name, ...], _Group] = {}
    for x in items:
        g = groups.setdefault(_key(t, x), _Group(x, dict(x.names)))
        for fname, v in x.amounts.items():
            g.sums[fname] = g.sums.get(fname, Decimal(0)) + v
        _check_balance(t, x)
    return list(groups.values())


def _check_balance(t: _Table, x: _Line) -> None:
    """집행잔액, when stated, must be 예산현액 - 집행액: else a warning at the cell."""
    a = x.amounts
    if not {"balance", "budget_current", "executed"} <= a.keys():
        return
    left = a["budget_current"] - a["executed"]
    if left != a["balance"]:
        t.warning(
            "balance_mismatch",
            f"집행잔액 {fmt_dec(a['balance'])}이(가) 예산현액 - 집행액 = {fmt_dec(left)}과(와) 다릅니다. 금액을 "
            "확인해 주세요.",
            f"집행잔액 {fmt_dec(a['balance'])} is not 예산현액 - 집행액 = {fmt_dec(left)}.",
            x.r,
            t.cols["balance"],
        )


def _specs(t: _Table, g: _Group) -> tuple[ProgramSpec | None, ProgramSpec]:
    """The 단위사업 spec (None when the table has no 단위사업명) and the spec carrying the figures: the 세부사업, or the
    단위사업 itself when the 세부사업 has its name (and no other code)."""
    dept = g.names["department"][0] if "department" in g.names else None
    policy = g.names["policy"][0] if "policy" in g.names else None
    detail, dcode = g.names["detail"]
    if "unit" not in g.names:
        return None, ProgramSpec(detail, department=dept, code=dcode, level="detail", policy=policy)
    unit_name, ucode = g.names["unit"]
    unit = ProgramSpec(unit_name, department=dept, code=ucode, level="unit", policy=policy)
    if detail == unit_name and (dcode is None or ucode is None or dcode == ucode):
        return None, replace(unit, code=ucode or dcode)
    return unit, ProgramSpec(detail, parent=unit_name, department=dept, code=dcode, level="detail", policy=policy)


def _emit(t: _Table, out: Extract, items: list[_Line], as_of: date, mult: int) -> None:
    """Per 세부사업: the specs (unit first, each once), a total BudgetRow (예산액 = 본예산 + 추경, 예산현액) and the
    executed FactRow, in 원; a reference shared by two different programs is an error naming both rows."""
    seen: dict[str, tuple[ProgramSpec, int]] = {}
    for g in _groups(t, items):
        unit, spec = _specs(t, g)
        if (unit is not None and not _register(t, seen, unit, g.first)) or not _register(t, seen, spec, g.first):
            continue
        for s in (unit, spec):
            if s is not None and not any(x.ref == s.ref for x, _ in out.specs):
                level = "detail" if s.level == "detail" else "unit"
                out.specs.append((s, Loc(t.grid.name, g.first.r, t.cols[level])))
        _emit_figures(t, out, g, spec.ref, as_of, mult)
    _check_unit_figures(t, out, seen)


def _register(t: _Table, seen: dict[str, tuple[ProgramSpec, int]], spec: ProgramSpec, first: _Line) -> bool:
    """Remember a spec by its reference; the same reference for a different program (another unit, department or
    level) is an error at the row, as are a name or code longer than the store keeps."""
    col = t.cols["detail" if spec.level == "detail" else "unit"]
    for text, limit, what in ((spec.name, NAME_LIMIT, "사업명"), (spec.code or "", CODE_LIMIT, "사업코드")):
        if len(text) > limit:
            t.error(
                "name_too_long" if what == "사업명" else "code_too_long",
                f"{what}이(가) 너무 깁니다 ({len(text):,}자, 최대 {limit:,}자): '{clip(text)}'. 줄여 주세요.",
                f"The {what} is {len(text)} characters long; the limit is {limit}: {clip(text)!r}.",
                first.r,
                col,
            )
            return False
    if spec.policy and len(spec.policy) > NAME_LIMIT:
        t.error(
            "name_too_long",
            f"정책사업명이 너무 깁니다 ({len(spec.policy):,}자, 최대 {NAME_LIMIT:,}자): '{clip(spec.policy)}'.",
            f"The 정책사업명 is {len(spec.policy)} characters long; the limit is {NAME_LIMIT}.",
            first.r,
            t.cols.get("policy", col),
        )
        return False
    prev = seen.get(spec.ref)
    if prev is None:
        seen[spec.ref] = (spec, first.r)
        return True
    if prev[0] == spec:
        return True
    t.error(
        "program_ambiguous",
        f"'{clip(spec.ref)}'이(가) 서로 다른 사업으로 두 번 나옵니다({prev[1] + 1}행, {first.r + 1}행: 부서·정책사업·"
        "단위사업이나 사업 단계가 다릅니다). 이름만으로는 구별할 수 없으니 한 부서의 표만 올리거나 사업코드가 있는 "
        "파일을 내려받아 주세요.",
        f"{clip(spec.ref)!r} names two different programs (rows {prev[1] + 1} and {first.r + 1}); upload one "
        "department at a time or a file with program codes.",
        first.r,
        col,
    )
    return False


def _check_unit_figures(t: _Table, out: Extract, seen: dict[str, tuple[ProgramSpec, int]]) -> None:
    """A 단위사업 that carries figures itself (its 세부사업 has its name) must have no other 세부사업: its own figure
    would hide theirs. An error at the other 세부사업's row."""
    carriers = {row.program for row, _ in out.budgets} | {f.program for f, _ in out.facts}
    units = {ref for ref, (s, _r) in seen.items() if s.level == "unit" and ref in carriers}
    for spec, loc in out.specs:
        if spec.level != "detail" or spec.parent is None:
            continue
        unit_ref = next((ref for ref in units if seen[ref][0].name == spec.parent), None)
        if unit_ref is None:
            continue
        t.error(
            "detail_named_as_unit",
            f"단위사업 '{clip(spec.parent)}'에 같은 이름의 세부사업과 다른 세부사업 '{clip(spec.name)}'이(가) "
            "함께 있어 이름만으로는 구별할 수 없습니다. 세부사업코드가 있는 파일을 내려받거나 세부사업명을 "
            "구별되게 고쳐 주세요.",
            f"Unit {clip(spec.parent)!r} has a sub-program of its own name and another, {clip(spec.name)!r}: they "
            "cannot be told apart by name; use a file with codes.",
            loc.row,
            loc.col,
        )


def _emit_figures(t: _Table, out: Extract, g: _Group, ref: str, as_of: date, mult: int) -> None:
    """A 세부사업's BudgetRow and executed FactRow in 원 (negative sums are an error, executed above 예산현액 warns)."""
    sums, r = g.sums, g.first.r
    name = g.names["detail"][0]
    for fname in ("budget_current", "budget_original", "executed"):
        if sums.get(fname, Decimal(0)) < 0:
            t.error(
                "negative_value" if fname == "executed" else "negative_budget",
                f"'{clip(name)}'의 {LABELS[fname]} 합계가 음수({fmt_dec(sums[fname])})입니다. 금액을 확인해 "
                "고쳐 주세요.",
                f"The {LABELS[fname]} of {clip(name)!r} adds up to a negative {fmt_dec(sums[fname])}.",
                r,
                t.cols[fname],
            )
            return
    try:
        original = (
            to_won(sums["budget_original"] + sums.get("supplementary", Decimal(0)), mult)
            if "budget_original" in sums
            else None
        )
        current = to_won(sums["budget_current"], mult) if "budget_current" in sums else None
        executed = to_won(sums.get("executed", Decimal(0)), mult)
    except CellError as exc:
        t.error(exc.code, exc.ko, exc.en, r, t.cols["executed"])
        return
    base = current if current is not None else original
    if base is not None and executed > base:
        t.warning(
            "executed_over_budget",
            f"'{clip(name)}'의 집행액 {fmt_dec(executed)}원이 예산 {fmt_dec(base)}원보다 많습니다. 맞는지 확인하세요.",
            f"Executed {fmt_dec(executed)} exceeds the budget {fmt_dec(base)} for {clip(name)!r}.",
            r,
            t.cols["executed"],
        )
    sheet = t.grid.name
    budget_col = t.cols["budget_current" if current is not None else "budget_original"]
    out.budgets.append((BudgetRow(ref, as_of.year, "total", original, current), Loc(sheet, r, budget_col)))
    fact = FactRow(ref, as_of.year, as_of.month, "executed", executed)
    out.facts.append((fact, Loc(sheet, r, t.cols["executed"])))
