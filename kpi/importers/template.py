"""The project's own upload template: 사업명 | 연도 | 월 | 지표 | 재원 | 값 | 비고 | 사유 | 조치계획, with dropdowns and
an 안내 sheet. A row may carry a value, a 사유/조치계획 of the program and month, or both."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kpi.domain.batch import BudgetRow, FactRow, ReasonRow
from kpi.domain.catalog import FUNDING_SOURCES, METRIC_BY_CODE, METRICS, PLAUSIBLE_YEARS, metric
from kpi.importers.budget import money_multiplier
from kpi.importers.conventions import (
    MAX_NUMBER,
    MAX_WON,
    CellError,
    clean_text,
    fmt_dec,
    has_invisible,
    parse_number,
    read_name,
    shown,
    to_won,
)
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip, col_letter
from kpi.importers.programs import match_program
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import normalise_header
from kpi.importers.tables import Around, Header
from kpi.store.model import REASON_MAX_CHARS
from kpi.store.reasons import clean_text as clean_reason
from kpi.store.reasons import problems as reason_problems
from kpi.views.safe_text import text_cell

DATA_SHEET = "입력"
HELP_SHEET = "안내"
HEADERS = ("사업명", "연도", "월", "지표", "재원", "값", "비고", "사유", "조치계획")
# The 사유·조치계획 columns (found by their header text; any of these words names the column).
REASON_HEADERS = {
    "reason": ("사유", "부진사유", "미달사유", "집행부진사유", "사유(부진)"),
    "action": ("조치계획", "향후계획", "조치사항", "향후조치계획"),
}
BUDGET_LABELS = {"예산액": "budget", "예산현액": "budget_current"}
TEMPLATE_ROWS = 500
# Metrics a monthly template can carry: counts and money, not survey rates.
TEMPLATE_METRICS = tuple(m.code for m in METRICS if m.unit != "percent" and m.code != "employed")


def metric_label(code: str) -> str:
    """The Korean label of a metric as the template shows it."""
    return metric(code).ko


def _metric_lookup() -> dict[str, str]:
    """Metric code by normalised Korean label, code or English label, and the budget labels."""
    table = {normalise_header(m.ko): m.code for m in METRICS}
    table.update({m.code: m.code for m in METRICS})
    table.update({normalise_header(m.en).lower(): m.code for m in METRICS})
    table.update({normalise_header(k): v for k, v in BUDGET_LABELS.items()})
    return table


SOURCE_LOOKUP: dict[str, str] = {
    **{normalise_header(v): k for k, v in FUNDING_SOURCES.items()},
    "": "total",
    "합계": "total",
    "총계": "total",
    "국": "national",
    "시": "city",
    "구": "district",
    **{k: k for k in FUNDING_SOURCES},
}


def write_template(
    path_or_buffer: str | Path | IO[bytes],
    programs: list[str],
    metrics: list[str] | None = None,
    year: int | None = None,
) -> None:
    """Write the upload template: a data sheet with dropdowns and units line, and an 안내 sheet with the lists."""
    year = year or date.today().year
    codes = list(metrics) if metrics else list(TEMPLATE_METRICS)
    labels = [metric_label(c) for c in codes] + list(BUDGET_LABELS)
    sources = list(FUNDING_SOURCES.values())
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws["A1"] = f"일자리 실적 입력 양식 ({year}년)"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "(단위: 천원, 명, 건)"
    for i, text in enumerate(HEADERS, start=1):
        cell = ws.cell(row=3, column=i, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for col, width in zip("ABCDEFGHI", (34, 8, 6, 16, 8, 14, 24, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    last = 3 + TEMPLATE_ROWS
    help_ws = wb.create_sheet(HELP_SHEET)
    lines = (
        "일자리 실적 입력 양식 안내",
        f"1. '{DATA_SHEET}' 시트 4행부터 한 줄에 값 하나를 적습니다: 사업명, 연도, 월, 지표, 재원, 값.",
        "2. 사업명·지표·재원은 칸을 누르면 나오는 목록에서 고릅니다.",
        "3. 금액은 천원 단위로 적습니다 (2행의 단위 줄을 바꾸면 그 단위로 읽습니다). 인원은 명, 알선은 건입니다.",
        "4. 집행액·인원 등은 1월 1일부터의 누계를 적습니다.",
        "5. 예산액·예산현액 줄은 월을 비워도 됩니다. 재원을 비우면 '계'(총액)로 읽습니다.",
        "6. 같은 사업·연도·월·지표·재원이 두 줄 있으면 올릴 수 없습니다.",
        f"7. 연도는 {year}년이어야 합니다.",
        "8. 집행이 늦거나 자료가 없는 사업은 사유·조치계획 칸에 그 달의 사유와 조치계획을 적습니다 "
        f"(각 {REASON_MAX_CHARS}자 이내, 사업·연도·월을 함께 적고 지표·값은 비워도 됩니다). 같은 사업·월에는 한 가지만 "
        "적습니다.",
    )
    for i, line in enumerate(lines, start=1):
        help_ws.cell(row=i, column=1, value=line)
    help_ws["A1"].font = Font(bold=True, size=13)
    help_ws.column_dimensions["A"].width = 90
    lists = (("F", "사업 목록", programs or [""]), ("G", "지표 목록", labels), ("H", "재원 목록", sources))
    for col, title, values in lists:
        help_ws[f"{col}1"] = title
        help_ws[f"{col}1"].font = Font(bold=True)
        help_ws.column_dimensions[col].width = 30 if col == "F" else 14
        for i, value in enumerate(values, start=2):
            help_ws[f"{col}{i}"] = value
            text_cell(help_ws[f"{col}{i}"])  # a program name starting with '=' stays text, not a formula
    for target, (col, _title, values) in zip("ADE", lists, strict=True):
        dv = DataValidation(
            type="list",
            formula1=f"'{HELP_SHEET}'!${col}$2:${col}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=target != "A",
        )
        dv.error, dv.errorTitle = "목록에서 고르세요.", "입력 확인"
        ws.add_data_validation(dv)
        dv.add(f"{target}4:{target}{last}")
    year_dv = DataValidation(type="whole", operator="equal", formula1=str(year), allow_blank=True)
    year_dv.error = f"연도는 {year}입니다."
    month_dv = DataValidation(type="whole", operator="between", formula1="1", formula2="12", allow_blank=True)
    month_dv.error = "월은 1~12입니다."
    for dv, col in ((year_dv, "B"), (month_dv, "C")):
        ws.add_data_validation(dv)
        dv.add(f"{col}4:{col}{last}")
    wb.save(path_or_buffer)


def is_template(header: Header) -> bool:
    """A template header names program, year, month, metric and value."""
    return {"program", "year", "month", "metric", "value"} <= header.fields


def _template_year(grid: SheetGrid, header: Header, ctx: Context) -> int | None:
    """The year of a template: the as-of date's, else the first '20xx년' above the header."""
    if ctx.as_of is not None:
        return ctx.as_of.year
    for r in range(header.top):
        for v in grid.rows[r]:
            if isinstance(v, str) and (m := re.search(r"(20\d{2})\s*년", v)):
                return int(m[1])
    return None


def read_template(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Extract:
    """FactRows (and BudgetRows for 예산액/예산현액 lines) from the template; blank value rows are skipped.

    Columnar: whole columns are checked at once (each distinct text once); a row whose every cell reads cleanly
    becomes its row at once, and only the others go through the cell-by-cell checks that word the messages (in
    row order, so that messages and repeated keys come out as a row-by-row reading gives them)."""
    reader = _TemplateRows(grid, header, near, ctx)
    c = _columns(grid, rows, reader)
    seen, named, sheet, mult, money = reader.seen, reader.named, grid.name, reader.mult, c.money
    prog_col, value_col = reader.cols["program"], reader.cols["value"]
    out = reader.out
    facts, budgets, programs = out.facts, out.budgets, out.programs
    last_month = 0
    for r, quiet, program, code, source, year, month, no_month, amount, no_value in zip(
        rows, c.quiet, c.programs, c.codes, c.sources, c.years, c.months, c.no_month, c.amounts, c.no_value, strict=True
    ):
        if quiet:  # no value, metric or reason: nothing to read
            continue
        if program is None or code is None or source is None or year is None:
            reader.read_row(r)
            continue
        is_money = code in money
        budget = code in BUDGET_CODES
        if (source != "total" and not is_money) or (month is None and not (budget and no_month)):
            reader.read_row(r)
            continue
        if no_value:  # no value yet: every other cell reads cleanly, nothing to keep
            continue
        if amount is None:
            reader.read_row(r)
            continue
        if is_money:
            amount *= mult
            if amount > MAX_WON:
                reader.read_row(r)
                continue
        key = (program, year, None if budget else month, code, source)
        if key in seen:
            reader.read_row(r)  # words the repeated row's message
            continue
        seen[key] = r
        if program not in named:  # one location per program is enough for its messages
            named.add(program)
            programs.append((program, Loc(sheet, r, prog_col)))
        if budget:
            row = BudgetRow(
                program, year, source, amount if code == "budget" else None, amount if code != "budget" else None
            )
            budgets.append((row, Loc(sheet, r, value_col)))
        else:
            if month > last_month:
                last_month = month
            facts.append((FactRow(program, year, month, code, amount, source), Loc(sheet, r, value_col)))
    last_month = max(last_month, reader.last_month)
    _keep_reasons(out, reader.reasons, reader.cols, grid.name, ctx)
    if ctx.as_of is not None:
        out.as_of = ctx.as_of
    elif out.facts:
        y = out.facts[0][0].year
        nxt = date(y + (last_month == 12), last_month % 12 + 1, 1)
        out.as_of = date.fromordinal(nxt.toordinal() - 1)
    return out


BUDGET_CODES = frozenset(BUDGET_LABELS.values())


class _TemplateRows:
    """What reading one template table shares across its rows (columns, unit, expected year, repeated keys, the
    extract), and the cell-by-cell reading of one row that words every message."""

    def __init__(self, grid: SheetGrid, header: Header, near: Around, ctx: Context) -> None:
        """The table's columns, money unit and expected year (their messages, if any, are recorded here)."""
        self.grid, self.ctx, self.issues = grid, ctx, ctx.issues
        self.out = Extract("template")
        self.cols = header.cols
        self.mult = money_multiplier(grid, header, near, ctx)
        self.year_expected = _template_year(grid, header, ctx)
        self.lookup = _metric_lookup()
        self.seen: dict[tuple[object, ...], int] = {}
        self.last_month = 0
        self.named: set[str] = set()
        self.reason_cols = reason_columns(header)
        self.reasons: dict[tuple[str, int, int], tuple[ReasonRow, int]] = {}

    def read_row(self, r: int) -> None:
        """Read row r cell by cell: the row's fact or budget line, its reason, or the messages at its cells."""
        values = {f: self.grid.cell(r, c) for f, c in self.cols.items()}
        values.update({f: self.grid.cell(r, c) for f, c in self.reason_cols.items()})
        cell = lambda f, values=values: values.get(f, "")  # noqa: E731
        has_reason = not (is_blank(cell("reason")) and is_blank(cell("action")))
        if is_blank(cell("value")) and is_blank(cell("metric")) and not has_reason:
            return
        where = {"sheet": self.grid.name, "row": r}
        program = read_name(cell("program"), self.issues, sheet=self.grid.name, row=r, col=self.cols["program"])
        if not program:
            self.issues.error(
                "program_name_missing",
                "사업명이 비어 있습니다. 목록에서 사업을 고르세요.",
                "The program is empty.",
                col=self.cols["program"],
                **where,
            )
            return
        if has_reason:
            only_reason = is_blank(cell("value")) and is_blank(cell("metric"))
            _read_reason(
                program,
                r,
                cell,
                self.cols,
                self.reason_cols,
                self.year_expected,
                self.ctx,
                self.grid.name,
                self.reasons,
                report=only_reason,
            )
            if only_reason:
                return
        code = self.lookup.get(normalise_header(cell("metric"))) or self.lookup.get(
            normalise_header(cell("metric")).lower()
        )
        if code is None or (code in METRIC_BY_CODE and code not in TEMPLATE_METRICS):
            self.issues.error(
                "metric_unknown",
                f"지표 '{clip(cell('metric'))}'을(를) 알 수 없습니다. 목록에서 고르세요.",
                f"Unknown metric {clip(cell('metric'))!r}; pick one from the list.",
                col=self.cols["metric"],
                value=cell("metric"),
                **where,
            )
            return
        source = SOURCE_LOOKUP.get(normalise_header(cell("source")))
        if source is None:
            self.issues.error(
                "source_unknown",
                f"재원 '{clip(cell('source'))}'을(를) 알 수 없습니다. 계/국비/시비/구비/기타 중에서 고르세요.",
                f"Unknown funding source {clip(cell('source'))!r}.",
                col=self.cols.get("source"),
                value=cell("source"),
                **where,
            )
            return
        is_money = code in BUDGET_LABELS.values() or metric(code).unit == "won"
        if source != "total" and not is_money:
            self.issues.error(
                "source_not_money",
                "재원은 금액 지표(예산액, 집행액)에만 적습니다. 재원 칸을 비워 주세요.",
                "A funding source applies to money metrics only.",
                col=self.cols.get("source"),
                value=cell("source"),
                **where,
            )
            return
        try:
            fname = "year"
            year = _int_cell(cell("year"), "연도")
            fname = "month"
            no_month = code in BUDGET_LABELS.values() and is_blank(cell("month"))
            month = None if no_month else _int_cell(cell("month"), "월")
            fname = "value"
            num = parse_number(cell("value"), blank="missing")
        except CellError as exc:
            self.issues.error(exc.code, exc.ko, exc.en, col=self.cols[fname], value=cell(fname), **where)
            return
        if num.warning:
            code_, ko, en = num.warning
            self.issues.warning(code_, ko, en, col=self.cols["value"], value=cell("value"), **where)
        if year is None or year not in PLAUSIBLE_YEARS or self.year_expected not in (None, year):
            typed = shown(cell("year"), group=False)
            ko, en = (
                (
                    f"연도 '{typed}'은(는) 연도가 아닙니다. 2024처럼 네 자리 연도를 적어 주세요.",
                    f"Year {typed!r} is not a year.",
                )
                if self.year_expected is None
                else (
                    f"연도 '{typed}'이(가) 이 파일의 연도({self.year_expected}년)와 다릅니다. 연도를 고쳐 주세요.",
                    f"Year {typed!r} is outside the file's year {self.year_expected}.",
                )
            )
            self.issues.error("date_outside_year", ko, en, col=self.cols["year"], value=cell("year"), **where)
            return
        if month is not None and not 1 <= month <= 12:
            self.issues.error(
                "date_outside_year",
                f"월 '{shown(cell('month'), group=False)}'은(는) 1~12가 아닙니다.",
                f"Month {shown(cell('month'), group=False)!r} is not 1-12.",
                col=self.cols["month"],
                value=cell("month"),
                **where,
            )
            return
        if (
            month is not None
            and self.ctx.as_of is not None
            and (year, month) > (self.ctx.as_of.year, self.ctx.as_of.month)
        ):
            self.issues.error(
                "date_outside_year",
                f"{year}년 {month}월은 기준일({self.ctx.as_of:%Y. %-m. %-d.}) 이후입니다.",
                f"{year}-{month:02d} is after the as-of date {self.ctx.as_of}.",
                col=self.cols["month"],
                value=cell("month"),
                **where,
            )
            return
        if num.value is None:
            return
        key = (program, year, month if code not in BUDGET_LABELS.values() else None, code, source)
        if key in self.seen:
            self.issues.error(
                "duplicate_row",
                f"같은 내용(사업·연도·월·지표·재원)이 {self.seen[key] + 1}행과 {r + 1}행에 있습니다. "
                "한 줄만 남겨 주세요.",
                f"Rows {self.seen[key] + 1} and {r + 1} repeat the same program, period, metric and source.",
                col=self.cols["program"],
                value=program,
                **where,
            )
            return
        self.seen[key] = r
        if num.value < 0:
            self.issues.error(
                "negative_value",
                f"값 {shown(cell('value'))}이(가) 음수입니다.",
                f"Negative value {shown(cell('value'))!r}.",
                col=self.cols["value"],
                value=cell("value"),
                **where,
            )
            return
        try:
            value = to_won(num.value, self.mult) if is_money else _count(num.value)
        except CellError as exc:
            self.issues.error(exc.code, exc.ko, exc.en, col=self.cols["value"], value=cell("value"), **where)
            return
        if value is None:
            self.issues.error(
                "number_not_count",
                f"'{shown(cell('value'))}'은(는) 정수가 아닙니다. 인원·건수는 정수로 적어 주세요.",
                f"{shown(cell('value'))!r} is not a whole number.",
                col=self.cols["value"],
                value=cell("value"),
                **where,
            )
            return
        loc = Loc(self.grid.name, r, self.cols["value"])
        if program not in self.named:  # one location per program is enough for its messages
            self.named.add(program)
            self.out.programs.append((program, Loc(self.grid.name, r, self.cols["program"])))
        if code in BUDGET_LABELS.values():
            row = BudgetRow(
                program, year, source, value if code == "budget" else None, value if code == "budget_current" else None
            )
            self.out.budgets.append((row, loc))
        else:
            assert month is not None
            self.last_month = max(self.last_month, month)
            self.out.facts.append((FactRow(program, year, month, code, value, source), loc))


def _take(grid: SheetGrid, rows: list[int], wanted: Collection[int]) -> dict[int, list[object]]:
    """The cells of the wanted columns in the rows, as grid.cell reads them ('' for None and outside the grid);
    picked column by column in C when every row is wide enough (as a sheet's rows are)."""
    body = [grid.rows[r] for r in rows]
    columns = sorted(set(wanted))
    if not body or not columns:
        return {c: [] for c in columns}
    if min(map(len, body)) > columns[-1]:
        out = {c: list(map(itemgetter(c), body)) for c in columns}
    else:
        out = {c: [row[c] if c < len(row) else "" for row in body] for c in columns}
    return {c: ["" if v is None else v for v in cells] if None in cells else cells for c, cells in out.items()}


def _blank_mask(values: Sequence[object]) -> list[bool]:
    """is_blank of each cell, each distinct text judged once."""
    texts = {v: is_blank(v) for v in set(values) if type(v) is str}
    return [texts[v] if type(v) is str else v is None for v in values]


EXACT_FLOAT_INT = 2**53  # every whole float up to this is exactly an int


def _whole_numbers(values: Sequence[object], low: int, high: int) -> list[int | None]:
    """Each cell as a whole number within [low, high] when it is a plain int or float cell that _int_cell and
    parse_number read without a message; None for any other cell (read cell by cell). A float beyond 2**53 is left
    to parse_number, which reads it through its shortest decimal form (int() would give its binary value)."""
    kinds = set(map(type, values))
    if len(kinds & _NUMBER_TYPES) == 1:  # one number type (no bool): equal cells read alike, each distinct one once
        memo = dict(zip(distinct := list(set(values)), _whole_numbers_each(distinct, low, high), strict=True))
        return list(map(memo.__getitem__, values))
    return _whole_numbers_each(values, low, high)


_NUMBER_TYPES = frozenset((int, float, bool))


def _whole_numbers_each(values: Sequence[object], low: int, high: int) -> list[int | None]:
    """_whole_numbers cell by cell."""
    out: list[int | None] = []
    for v in values:
        n: int | None = None
        if type(v) is float:
            if v.is_integer() and low <= v <= high and abs(v) <= EXACT_FLOAT_INT:
                n = int(v)
        elif type(v) is int and low <= v <= high:
            n = v
        out.append(n)
    return out


@dataclass
class _Columns:
    """The template's columns read as a whole, one entry per body row; None where a cell does not read cleanly
    (that row is then read cell by cell)."""

    quiet: list[bool]  # no value, no metric and no reason: the row is skipped
    programs: list[str | None]  # the clean name; None also when the row carries a reason
    codes: list[str | None]  # the metric code (a template metric, or a budget label)
    sources: list[str | None]  # the funding source key
    years: list[int | None]  # the year, when it is the file's year
    months: list[int | None]  # the month 1-12 (not after the as-of month); None also when blank
    no_month: list[bool]  # the month cell is blank
    amounts: list[int | None]  # a whole, non-negative number (in the sheet's unit)
    no_value: list[bool]  # the value cell is blank
    money: frozenset[str]  # the codes among `codes` that are amounts of money


def _columns(grid: SheetGrid, rows: list[int], reader: _TemplateRows) -> _Columns:
    """Read the template's columns as a whole: each distinct text once, numbers by type and range."""
    cols, reason_cols, ctx = reader.cols, reader.reason_cols, reader.ctx
    fields = ("program", "year", "month", "metric", "source", "value")
    cells = _take(grid, rows, [cols[f] for f in fields if f in cols] + list(reason_cols.values()))
    blank: list[object] = [""] * len(rows)
    program_cells, year_cells, month_cells, metric_cells, source_cells, value_cells = (
        cells[cols[f]] if f in cols else blank for f in fields
    )
    no_value, no_metric = _blank_mask(value_cells), _blank_mask(metric_cells)
    no_reason = [True] * len(rows)
    for c in reason_cols.values():
        no_reason = [a and b for a, b in zip(no_reason, _blank_mask(cells[c]), strict=True)]
    names: dict[object, str] = {
        v: n for v in set(program_cells) if type(v) is str and (n := clean_text(v)) and not has_invisible(v)
    }
    codes: dict[object, str] = {}
    for v in set(metric_cells):
        if type(v) is str:
            key = normalise_header(v)
            code = reader.lookup.get(key) or reader.lookup.get(key.lower())
            if code is not None and not (code in METRIC_BY_CODE and code not in TEMPLATE_METRICS):
                codes[v] = code
    money = frozenset(code for code in codes.values() if code in BUDGET_CODES or metric(code).unit == "won")
    sources: dict[object, str] = {
        v: k for v in set(source_cells) if type(v) is str and (k := SOURCE_LOOKUP.get(normalise_header(v)))
    }
    expected = reader.year_expected
    low, high = (expected, expected) if expected is not None else (PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[-1])
    last = ctx.as_of.month if ctx.as_of is not None else 12  # the year is the as-of year: no month after it
    return _Columns(
        quiet=[a and b and c for a, b, c in zip(no_value, no_metric, no_reason, strict=True)],
        programs=[names.get(v) if ok else None for v, ok in zip(program_cells, no_reason, strict=True)],
        codes=list(map(codes.get, metric_cells)),
        sources=list(map(sources.get, source_cells)),
        years=_whole_numbers(year_cells, low, high),
        months=_whole_numbers(month_cells, 1, last),
        no_month=_blank_mask(month_cells),
        amounts=_whole_numbers(value_cells, 0, MAX_NUMBER),
        no_value=no_value,
        money=money,
    )


def reason_columns(header: Header) -> dict[str, int]:
    """Columns of the 사유 and 조치계획 fields, found by their header text (first column of each)."""
    words = {normalise_header(w): f for f, ws in REASON_HEADERS.items() for w in ws}
    out: dict[str, int] = {}
    for c in sorted(header.texts):
        name = words.get(normalise_header(header.texts[c]))
        if name and name not in out:
            out[name] = c
    return out


def _read_reason(
    program: str,
    r: int,
    cell,
    cols: dict[str, int],
    reason_cols: dict[str, int],
    year_expected: int | None,
    ctx: Context,
    sheet: str,
    reasons: dict,
    *,
    report: bool,
) -> None:
    """Keep the 사유/조치계획 of a row for (program, year, month). A bad year or month is reported here only when the
    row has no value (else the value's own checks report it); a text over the limit and different texts for the
    same program and month are errors at their cells."""
    issues, where = ctx.issues, {"sheet": sheet, "row": r}
    try:
        fname = "year"
        year = _int_cell(cell("year"), "연도")
        fname = "month"
        month = _int_cell(cell("month"), "월")
    except CellError as exc:
        if report:
            issues.error(exc.code, exc.ko, exc.en, col=cols[fname], value=cell(fname), **where)
        return
    if (
        year is None
        or (year_expected is not None and year != year_expected)
        or year not in PLAUSIBLE_YEARS
        or month is None
        or not 1 <= month <= 12
    ):
        if report:
            issues.error(
                "date_outside_year",
                f"사유의 연도·월 '{shown(cell('year'), group=False)}년 "
                f"{shown(cell('month'), group=False)}월'을(를) 확인해 주세요 "
                f"(이 파일의 연도{'' if year_expected is None else f' {year_expected}년'}, 1~12월).",
                f"Check the year and month of the reason: {shown(cell('year'), group=False)!r}, "
                f"{shown(cell('month'), group=False)!r}.",
                col=cols["month"],
                value=cell("month"),
                **where,
            )
        return
    texts = {f: clean_reason("" if is_blank(cell(f)) else cell(f)) for f in ("reason", "action")}
    for f, label in (("reason", "사유"), ("action", "조치계획")):
        if len(texts[f]) > REASON_MAX_CHARS:
            issues.error(
                "reason_too_long",
                f"{label}가 너무 깁니다 ({len(texts[f]):,}자). {REASON_MAX_CHARS}자 이내로 줄여 주세요.",
                f"The {f} is {fmt_dec(len(texts[f]))} characters long; the limit is {fmt_dec(REASON_MAX_CHARS)}.",
                col=reason_cols[f],
                value=clip(texts[f]),
                **where,
            )
            return
    if reason_problems(texts["reason"], texts["action"], month):
        return  # nothing left after cleaning (only spaces or control characters): no reason
    row = ReasonRow(program, year, month, texts["reason"], texts["action"])
    key = (program, year, month)
    if key in reasons and (reasons[key][0].reason, reasons[key][0].action) != (row.reason, row.action):
        issues.error(
            "conflicting_reasons",
            f"{clip(program)} {year}년 {month}월의 사유·조치계획이 {reasons[key][1] + 1}행과 {r + 1}행에 "
            "다르게 적혀 있습니다. 한 줄에만 적어 주세요.",
            f"Rows {reasons[key][1] + 1} and {r + 1} give different reasons for {clip(program)} {year}-{month:02d}.",
            col=reason_cols.get("reason", reason_cols.get("action")),
            value=clip(program),
            **where,
        )
        return
    reasons.setdefault(key, (row, r))


def _keep_reasons(out: Extract, reasons: dict, cols: dict[str, int], sheet: str, ctx: Context) -> None:
    """Add the reasons to the extract: each about a program the district has (or one this file adds figures for);
    a reason never creates a program."""
    in_file = {name for name, _loc in out.programs}
    for (program, _year, _month), (row, r) in reasons.items():
        match = match_program(program, ctx.known_programs)
        if program not in in_file and match.status not in ("exact", "normalised"):
            hint = f" 혹시 '{match.known}'인가요?" if match.known else ""
            ctx.issues.error(
                "reason_program_unknown",
                f"사유를 적은 사업 '{clip(program)}'은(는) 등록된 사업이 아닙니다.{hint} "
                "사업명을 목록에서 골라 주세요.",
                f"The reason names {clip(program)!r}, which is not a known program.",
                sheet=sheet,
                row=r,
                col=cols["program"],
                value=program,
            )
            continue
        loc = Loc(sheet, r, cols["program"])
        if program not in in_file:
            in_file.add(program)
            out.programs.append((program, loc))
        out.reasons.append((row, loc))


def _int_cell(value: object, what: str) -> int | None:
    """A year or month cell as a whole number (None when blank); anything else is a date_invalid CellError."""
    num = parse_number(value, blank="missing")
    if num.value is None or num.value != num.value.to_integral_value():
        raise CellError(
            "date_invalid",
            f"{what} '{shown(value, group=False)}'을(를) 읽을 수 없습니다. 숫자로 적어 주세요.",
            f"{'year' if what == '연도' else 'month'} {shown(value, group=False)!r} is not a whole number.",
        )
    return int(num.value)


def _count(value: Decimal) -> int | None:
    """A whole number as int; None when it has a fraction."""
    return int(value) if value == value.to_integral_value() else None


__all__ = ["col_letter", "is_template", "read_template", "write_template"]
