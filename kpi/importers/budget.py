"""예산현황 tables and program boxes: 사업명 | 예산액 | 집행액 | 집행률, cells possibly holding a funding split."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from kpi.domain.batch import BudgetRow, FactRow
from kpi.domain.catalog import FUNDING_SOURCES
from kpi.domain.units import MONEY_UNITS, round_half_up
from kpi.importers.conventions import (
    CellError,
    Split,
    fmt_dec,
    looks_like_as_of,
    parse_as_of,
    parse_number,
    parse_split,
    percent_candidates,
    read_name,
    shown_decimals,
    to_won,
)
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import is_subtotal_label, is_total_label
from kpi.importers.tables import Around, Header, Note, notes_below, refuse_merged_values

MONEY_FIELDS = ("budget", "budget_current", "executed")
# A table shown to 천원 or finer adds up exactly (the offices adjust it: 단수조정); a coarser one is rounded.
EXACT_STEP_WON = 1_000
UNIT_NAMES = {multiplier: name for name, multiplier in MONEY_UNITS.items()}


@dataclass(frozen=True)
class Precision:
    """How finely a table shows its amounts: the sheet's unit (multiplier to 원) and the decimal places shown.

    A table is rounded when one shown step is coarser than 천원 (백만원, 억원, or decimals of them): then each
    amount is accurate to half a step only, and totals and rates are checked within that."""

    multiplier: int
    decimals: int

    @property
    def step(self) -> Decimal:
        """One unit of the last shown decimal place, in the sheet's unit (0.1 for one decimal)."""
        return Decimal(1).scaleb(-self.decimals)

    @property
    def rounded(self) -> bool:
        """True when a shown step is coarser than 천원 (the amounts were rounded to what the table shows)."""
        return self.step * self.multiplier > EXACT_STEP_WON

    @property
    def half(self) -> Decimal:
        """What rounding can hide in one amount, in the sheet's unit: half a step when rounded, else 0."""
        return self.step / 2 if self.rounded else Decimal(0)

    @property
    def unit_name(self) -> str:
        """The unit's name ('백만원'); an unnamed multiplier as 'N원'."""
        return UNIT_NAMES.get(self.multiplier, f"{fmt_dec(self.multiplier)}원")


@dataclass
class MoneyRow:
    """One parsed row: name, total row flag, amounts (sheet units) with splits, stated rate cell."""

    r: int
    name: str
    is_total: bool
    is_subtotal: bool
    values: dict[str, Split]
    rate_raw: object = None


def resolve_as_of(grid: SheetGrid, header: Header, near: Around, ctx: Context) -> date | None:
    """The table's as-of date: the sheet's line wins; the caller's date fills in; a different year is an error."""
    issues = ctx.issues
    if near.as_of is None:
        if ctx.as_of is None:
            issues.error(
                "as_of_missing",
                "기준일을 찾을 수 없습니다. 표 위에 '(2024. 5. 31. 기준)'처럼 적거나 업로드할 때 기준일을 고르세요.",
                "No as-of date: write one above the table or choose it when uploading.",
                sheet=grid.name,
                row=header.top,
                col=header.span[0],
            )
        return ctx.as_of
    r, c = near.as_of_at or (header.top, 0)
    if ctx.as_of is not None and near.as_of.year != ctx.as_of.year:
        issues.error(
            "date_outside_year",
            f"표의 기준일 {near.as_of:%Y. %-m. %-d.}이(가) 선택한 연도({ctx.as_of.year}년) "
            "밖입니다. 맞는 연도의 파일인지 확인하세요.",
            f"The sheet's as-of date {near.as_of} is outside the chosen year {ctx.as_of.year}.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
    elif ctx.as_of is not None and near.as_of != ctx.as_of:
        issues.warning(
            "as_of_differs",
            f"표의 기준일({near.as_of:%Y. %-m. %-d.})을 사용했습니다 (선택한 기준일 {ctx.as_of:%Y. %-m. %-d.}).",
            f"Used the sheet's as-of date {near.as_of} instead of the chosen {ctx.as_of}.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
    return near.as_of


def money_multiplier(grid: SheetGrid, header: Header, near: Around, ctx: Context) -> int:
    """Multiplier to 원 from the units line; a missing unit is read as 원 with a warning."""
    if near.units is not None and near.units.money is not None:
        return near.units.money
    r, c = near.units_at or (header.top, header.span[0])
    if near.units is not None:
        ctx.issues.error(
            "units_not_money",
            "단위 줄에 금액 단위(원, 천원, 백만원)가 없습니다. '(단위: 천원)'처럼 고쳐 주세요.",
            "The units line has no money unit; write e.g. '(단위: 천원)'.",
            sheet=grid.name,
            row=r,
            col=c,
            value=grid.cell(r, c),
        )
        return 1
    ctx.issues.warning(
        "units_missing",
        "단위 표시가 없어 금액을 '원'으로 읽었습니다. 천원 단위라면 표 위에 '(단위: 천원)'을 적어 주세요.",
        "No units line: amounts were read in 원; add '(단위: 천원)' if they are in thousands.",
        sheet=grid.name,
        row=header.top,
        col=header.span[0],
    )
    return 1


def _read_rows(
    grid: SheetGrid, header: Header, rows: list[int], title: str | None, precision: Precision, ctx: Context
) -> list[MoneyRow]:
    """Parse each body row; a cell that cannot be read, or an amount beyond MAX_WON in 원, is an error there."""
    mult = precision.multiplier
    issues = ctx.issues
    name_col = header.cols.get("program")
    out: list[MoneyRow] = []
    for r in rows:
        name = (
            read_name(grid.cell(r, name_col), issues, sheet=grid.name, row=r, col=name_col)
            if name_col is not None
            else (title or "")
        )
        values: dict[str, Split] = {}
        ok = True
        for fname in MONEY_FIELDS:
            c = header.cols.get(fname)
            if c is None:
                continue
            cell = grid.cell(r, c)
            try:
                if isinstance(cell, str) and "(" not in cell and "（" not in cell:
                    num = parse_number(cell)
                    if num.warning:
                        issues.warning(*num.warning, sheet=grid.name, row=r, col=c, value=cell)
                    split = Split(num.value if num.value is not None else Decimal(0))
                else:
                    split = parse_split(cell, precision.half)
                for amount in (split.total, *split.parts.values()):
                    to_won(amount, split.unit or mult)
            except CellError as exc:
                issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
                ok = False
                continue
            values[fname] = split
        if not ok:
            continue
        if name_col is not None and not name:
            issues.error(
                "program_name_missing",
                "사업명이 비어 있습니다. 사업명을 적어 주세요.",
                "The program name is empty.",
                sheet=grid.name,
                row=r,
                col=name_col,
            )
            continue
        rate_col = header.cols.get("rate")
        out.append(
            MoneyRow(
                r,
                name,
                is_total_label(name),
                is_subtotal_label(name),
                values,
                grid.cell(r, rate_col) if rate_col is not None else None,
            )
        )
    return out


def _grand_row(rows: list[MoneyRow]) -> MoneyRow | None:
    """The grand 계 row: the first row when it is a total (not a 소계), else the last row when it is a total, else
    the last non-소계 total anywhere (a trailing row never hides it), else a leading 소계."""
    if not any(x.is_total for x in rows):
        return None
    if rows[0].is_total and not rows[0].is_subtotal:
        return rows[0]
    if rows[-1].is_total:
        return rows[-1]
    grand = [x for x in rows if x.is_total and not x.is_subtotal]
    return grand[-1] if grand else (rows[0] if rows[0].is_total else None)


def _check_total(grid: SheetGrid, header: Header, rows: list[MoneyRow], precision: Precision, ctx: Context) -> None:
    """The grand 계 row must equal the sum of the items, in 원; in a rounded table within half a shown step per
    item added (n items -> n x 0.5 step): else an error."""
    grand = _grand_row(rows)
    if grand is None:
        return
    mult = precision.multiplier
    items = [x for x in rows if not x.is_total]
    for fname, split in grand.values.items():
        parts = [x.values[fname] for x in items if fname in x.values]
        added = sum((p.total for p in parts), Decimal(0))
        added_won = sum(to_won(p.total, p.unit or mult) for p in parts)
        tolerance = precision.half * len(parts)
        if abs(to_won(split.total, split.unit or mult) - added_won) <= tolerance * mult:
            continue
        c = header.cols[fname]
        rounding_ko = rounding_en = ""
        if tolerance:
            rounding_ko = f" 반올림으로 생길 수 있는 차이(±{fmt_dec(tolerance)})보다 큽니다."
            rounding_en = f", more than rounding can explain (±{fmt_dec(tolerance)})"
        ctx.issues.error(
            "total_mismatch",
            f"'{clip(grand.name)}' 행의 금액 {fmt_dec(split.total)}이(가) 각 사업의 합 "
            f"{fmt_dec(added)}과(와) 다릅니다 "
            f"(차이 {fmt_dec(split.total - added)}).{rounding_ko} 합계 행이나 사업별 금액을 고쳐 주세요.",
            f"The {clip(grand.name)} row says {fmt_dec(split.total)} but the rows add up to {fmt_dec(added)}"
            f"{rounding_en}.",
            sheet=grid.name,
            row=grand.r,
            col=c,
            value=grid.cell(grand.r, c),
        )


def _rate_explained(stated: Decimal, executed: Decimal, base: Decimal, half: Decimal) -> bool:
    """True when the stated rate, rounded half up to one decimal, is what some amounts within ±half of the shown
    ones give: [(e - h) / (b + h), (e + h) / (b - h)] x 100 meets [s - 0.05, s + 0.05). With half = 0 this is
    'the computed rate rounds to the stated one'."""
    shown = Decimal(str(round_half_up(stated, 1)))
    low = max(executed - half, Decimal(0)) / (base + half) * 100
    if base - half <= 0:
        return low < shown + Decimal("0.05")
    high = (executed + half) / (base - half) * 100
    return low < shown + Decimal("0.05") and high >= shown - Decimal("0.05")


def _check_row(grid: SheetGrid, header: Header, row: MoneyRow, precision: Precision, ctx: Context) -> None:
    """A negative amount is an error; executed above the budget warns; a stated 집행률 is kept when the amounts give
    it (within what their rounding can explain), else it warns and the computed rate is used."""
    issues = ctx.issues
    base_field = "budget_current" if "budget_current" in row.values else "budget"
    base = row.values.get(base_field)
    executed = row.values.get("executed")
    for fname, split in row.values.items():
        if split.total < 0 or any(v < 0 for v in split.parts.values()):
            c = header.cols[fname]
            code = "negative_budget" if fname != "executed" else "negative_value"
            issues.error(
                code,
                f"'{clip(row.name)}'의 금액이 음수({fmt_dec(split.total)})입니다. 금액을 확인해 고쳐 주세요.",
                f"Negative amount {fmt_dec(split.total)} for {clip(row.name)!r}.",
                sheet=grid.name,
                row=row.r,
                col=c,
                value=grid.cell(row.r, c),
            )
    if base is None or executed is None:
        return
    if executed.total > base.total >= 0:
        c = header.cols["executed"]
        issues.warning(
            "executed_over_budget",
            f"'{clip(row.name)}'의 집행액 {fmt_dec(executed.total)}이(가) 예산 "
            f"{fmt_dec(base.total)}보다 많습니다. 맞는지 확인하세요.",
            f"Executed {fmt_dec(executed.total)} exceeds the budget {fmt_dec(base.total)} for {clip(row.name)!r}.",
            sheet=grid.name,
            row=row.r,
            col=c,
            value=grid.cell(row.r, c),
        )
    if row.rate_raw is None or is_blank(row.rate_raw) or base.total <= 0:
        return
    c = header.cols["rate"]
    try:
        stated = percent_candidates(row.rate_raw)
    except CellError as exc:
        issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=row.r, col=c, value=row.rate_raw)
        return
    computed = round_half_up(executed.total / base.total * 100, 1)
    if stated and not any(_rate_explained(s, executed.total, base.total, precision.half) for s in stated):
        shown = round_half_up(stated[0], 1)
        issues.warning(
            "rate_mismatch",
            f"'{clip(row.name)}'의 집행률이 {shown}%로 적혀 있으나 금액으로 계산하면 {computed}%입니다. "
            "계산값을 사용합니다.",
            f"Stated rate {shown}% but the amounts give {computed}% for {clip(row.name)!r}; the computed rate is used.",
            sheet=grid.name,
            row=row.r,
            col=c,
            value=row.rate_raw,
        )


def _duplicates(grid: SheetGrid, header: Header, rows: list[MoneyRow], ctx: Context) -> set[int]:
    """Rows repeating an earlier row's program name: each is an error; their row indexes are returned."""
    seen: dict[str, int] = {}
    bad: set[int] = set()
    c = header.cols.get("program", header.span[0])
    for x in rows:
        if x.is_total:
            continue
        if x.name in seen:
            ctx.issues.error(
                "duplicate_row",
                f"'{clip(x.name)}'이(가) {seen[x.name] + 1}행과 {x.r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
                f"{clip(x.name)!r} appears twice (rows {seen[x.name] + 1} and {x.r + 1}).",
                sheet=grid.name,
                row=x.r,
                col=c,
                value=x.name,
            )
            bad.add(x.r)
        else:
            seen[x.name] = x.r
    return bad


def _notes(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Around:
    """Report the note lines above and under the table (warnings quoting them); an as-of note under it gives the
    as-of date when none is above; a data row right after a note is an error (rows after a note are not read)."""
    trailer = notes_below(grid, header, rows)
    if trailer.stray is not None:
        after = max(n.r for n in trailer.notes if n.r < trailer.stray)
        ctx.issues.error(
            "rows_after_note",
            f"주석 줄({after + 1}행) 아래에 금액이 있는 행이 있어 읽지 않았습니다. 주석은 표의 맨 아래(합계 행 "
            "아래)로 옮겨 주세요.",
            f"A row with figures follows the note on row {after + 1} and was not read; move notes under the table.",
            sheet=grid.name,
            row=trailer.stray,
            col=header.cols.get("program", header.span[0]),
            value=grid.cell(trailer.stray, header.cols.get("program", header.span[0])),
        )
    notes: list[Note] = list(near.notes)
    for note in trailer.notes:
        if near.as_of is None and looks_like_as_of(note.text):
            try:
                found = parse_as_of(note.text, near.year_hint)
            except CellError as exc:
                ctx.issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=note.r, col=note.c, value=note.text)
                continue
            if found is not None:
                near = replace(near, as_of=found, as_of_at=(note.r, note.c))
                continue
        notes.append(note)
    for note in notes:
        ctx.issues.warning(
            "table_note",
            f"표 {'아래' if note.below else '위'}의 주석을 확인하세요: '{clip(note.text, 80)}'. 주석은 금액으로 "
            "읽지 않으며, 합계 검사도 그대로 합니다.",
            f"Note {'under' if note.below else 'above'} the table: {clip(note.text, 80)!r}; notes are not read "
            "as figures and the total is still checked.",
            sheet=grid.name,
            row=note.r,
            col=note.c,
            value=note.text,
        )
    return near


def _precision(grid: SheetGrid, header: Header, rows: list[int], mult: int) -> Precision:
    """The table's precision: its unit and the most decimal places any of its amount cells shows."""
    cols = [header.cols[f] for f in MONEY_FIELDS if f in header.cols]
    decimals = max((shown_decimals(grid.cell(r, c)) for r in rows for c in cols), default=0)
    return Precision(mult, decimals)


def _report_rounding(
    grid: SheetGrid, header: Header, near: Around, rows: list[MoneyRow], precision: Precision, ctx: Context
) -> None:
    """A rounded table (coarser than 천원) warns once: amounts are stored as shown, accurate to ±half a step."""
    if not precision.rounded:
        return
    unit, half, d = precision.unit_name, precision.half, precision.decimals
    sample = next((x.values[f].total for x in rows for f in MONEY_FIELDS if f in x.values), Decimal(0))
    example = f"{fmt_dec(sample)}{unit} → {fmt_dec(to_won(sample, precision.multiplier))}원"
    places_ko = f"소수점 {d}자리까지" if d else "정수로"
    r, c = near.units_at or (header.top, header.span[0])
    ctx.issues.warning(
        "amounts_rounded",
        f"이 표의 금액은 {unit} 단위 {places_ko} 반올림된 값입니다. 보이는 대로 저장했으므로(예: {example}) 금액마다 "
        f"±{fmt_dec(half)}{unit}(±{fmt_dec(half * precision.multiplier)}원)의 오차가 있을 수 있습니다. 정확한 "
        "금액이 필요하면 천원 단위 표를 올려 주세요.",
        f"The amounts are rounded to {d} decimal place(s) of {unit} and were stored as shown (e.g. {example}), so "
        f"each is accurate to ±{fmt_dec(half)} {unit} (±{fmt_dec(half * precision.multiplier)} won).",
        sheet=grid.name,
        row=r,
        col=c,
        value=grid.cell(r, c),
    )


def read_money_table(
    grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context, kind: str
) -> Extract:
    """Read a budget table (program column) or a program box (name from ctx.program or the title above)."""
    out = Extract(kind)
    title = None
    if "program" not in header.cols:
        title = ctx.program or near.title
        if not title:
            ctx.issues.error(
                "program_name_missing",
                "사업명을 알 수 없습니다. 표 위에 사업명을 적거나 업로드할 때 사업을 고르세요.",
                "No program name: put it above the table or choose the program when uploading.",
                sheet=grid.name,
                row=header.top,
                col=header.span[0],
            )
            return out
    value_cols = [header.cols[f] for f in (*MONEY_FIELDS, "rate") if f in header.cols]
    refuse_merged_values(grid, rows, value_cols, ctx.issues)
    near = _notes(grid, header, rows, near, ctx)
    as_of = resolve_as_of(grid, header, near, ctx)
    mult = money_multiplier(grid, header, near, ctx)
    precision = _precision(grid, header, rows, mult)
    parsed = _read_rows(grid, header, rows, title, precision, ctx)
    if not parsed or as_of is None:
        return out
    out.as_of = as_of
    _report_rounding(grid, header, near, parsed, precision, ctx)
    _check_total(grid, header, parsed, precision, ctx)
    bad = _duplicates(grid, header, parsed, ctx)
    name_col = header.cols.get("program", header.span[0])
    for x in parsed:
        _check_row(grid, header, x, precision, ctx)
        if x.is_total or x.r in bad:
            continue
        loc = Loc(grid.name, x.r, name_col)
        out.programs.append((x.name, loc))
        _emit(out, x, as_of, mult, header, grid.name)
    return out


def _emit(out: Extract, x: MoneyRow, as_of: date, mult: int, header: Header, sheet: str) -> None:
    """A row's amounts in 원 as budgets by source and executed facts, each with its cell."""
    budgets: dict[str, dict[str, int]] = {}
    for fname, split in x.values.items():
        unit = split.unit or mult
        loc = Loc(sheet, x.r, header.cols[fname])
        pieces = {"total": split.total, **split.parts}
        for source, amount in pieces.items():
            assert source in FUNDING_SOURCES
            won = to_won(amount, unit)
            if fname == "executed":
                out.facts.append((FactRow(x.name, as_of.year, as_of.month, "executed", won, source), loc))
            else:
                budgets.setdefault(source, {})[fname] = won
    loc = Loc(sheet, x.r, header.cols.get("budget", header.cols.get("budget_current", 0)))
    for source, amounts in budgets.items():
        row = BudgetRow(x.name, as_of.year, source, amounts.get("budget"), amounts.get("budget_current"))
        out.budgets.append((row, loc))
