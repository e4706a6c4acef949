"""The project's own upload template: 사업명 | 연도 | 월 | 지표 | 재원 | 값 | 비고 | 사유 | 조치계획, with dropdowns and
an 안내 sheet. A row may carry a value, a 사유/조치계획 of the program and month, or both."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from kpi.domain.batch import BudgetRow, FactRow, ReasonRow
from kpi.domain.catalog import FUNDING_SOURCES, METRIC_BY_CODE, METRICS, metric
from kpi.importers.budget import money_multiplier
from kpi.importers.conventions import CellError, fmt_dec, parse_number, read_name, shown, to_won
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
    """FactRows (and BudgetRows for 예산액/예산현액 lines) from the template; blank value rows are skipped."""
    out = Extract("template")
    issues = ctx.issues
    cols = header.cols
    mult = money_multiplier(grid, header, near, ctx)
    year_expected = _template_year(grid, header, ctx)
    lookup = _metric_lookup()
    seen: dict[tuple[object, ...], int] = {}
    last_month = 0
    named: set[str] = set()
    reason_cols = reason_columns(header)
    reasons: dict[tuple[str, int, int], tuple[ReasonRow, int]] = {}
    for r in rows:
        values = {f: grid.cell(r, c) for f, c in cols.items()}
        values.update({f: grid.cell(r, c) for f, c in reason_cols.items()})
        cell = lambda f, values=values: values.get(f, "")  # noqa: E731
        has_reason = not (is_blank(cell("reason")) and is_blank(cell("action")))
        if is_blank(cell("value")) and is_blank(cell("metric")) and not has_reason:
            continue
        where = {"sheet": grid.name, "row": r}
        program = read_name(cell("program"), issues, sheet=grid.name, row=r, col=cols["program"])
        if not program:
            issues.error(
                "program_name_missing",
                "사업명이 비어 있습니다. 목록에서 사업을 고르세요.",
                "The program is empty.",
                col=cols["program"],
                **where,
            )
            continue
        if has_reason:
            only_reason = is_blank(cell("value")) and is_blank(cell("metric"))
            _read_reason(
                program, r, cell, cols, reason_cols, year_expected, ctx, grid.name, reasons, report=only_reason
            )
            if only_reason:
                continue
        code = lookup.get(normalise_header(cell("metric"))) or lookup.get(normalise_header(cell("metric")).lower())
        if code is None or (code in METRIC_BY_CODE and code not in TEMPLATE_METRICS):
            issues.error(
                "metric_unknown",
                f"지표 '{clip(cell('metric'))}'을(를) 알 수 없습니다. 목록에서 고르세요.",
                f"Unknown metric {clip(cell('metric'))!r}; pick one from the list.",
                col=cols["metric"],
                value=cell("metric"),
                **where,
            )
            continue
        source = SOURCE_LOOKUP.get(normalise_header(cell("source")))
        if source is None:
            issues.error(
                "source_unknown",
                f"재원 '{clip(cell('source'))}'을(를) 알 수 없습니다. 계/국비/시비/구비/기타 중에서 고르세요.",
                f"Unknown funding source {clip(cell('source'))!r}.",
                col=cols.get("source"),
                value=cell("source"),
                **where,
            )
            continue
        is_money = code in BUDGET_LABELS.values() or metric(code).unit == "won"
        if source != "total" and not is_money:
            issues.error(
                "source_not_money",
                "재원은 금액 지표(예산액, 집행액)에만 적습니다. 재원 칸을 비워 주세요.",
                "A funding source applies to money metrics only.",
                col=cols.get("source"),
                value=cell("source"),
                **where,
            )
            continue
        try:
            fname = "year"
            year = _int_cell(cell("year"), "연도")
            fname = "month"
            no_month = code in BUDGET_LABELS.values() and is_blank(cell("month"))
            month = None if no_month else _int_cell(cell("month"), "월")
            fname = "value"
            num = parse_number(cell("value"), blank="missing")
        except CellError as exc:
            issues.error(exc.code, exc.ko, exc.en, col=cols[fname], value=cell(fname), **where)
            continue
        if num.warning:
            code_, ko, en = num.warning
            issues.warning(code_, ko, en, col=cols["value"], value=cell("value"), **where)
        if year is None or (year_expected is not None and year != year_expected):
            issues.error(
                "date_outside_year",
                f"연도 '{shown(cell('year'), group=False)}'이(가) 이 파일의 연도({year_expected}년)와 다릅니다. "
                "연도를 고쳐 주세요.",
                f"Year {shown(cell('year'), group=False)!r} is outside the file's year {year_expected}.",
                col=cols["year"],
                value=cell("year"),
                **where,
            )
            continue
        if month is not None and not 1 <= month <= 12:
            issues.error(
                "date_outside_year",
                f"월 '{shown(cell('month'), group=False)}'은(는) 1~12가 아닙니다.",
                f"Month {shown(cell('month'), group=False)!r} is not 1-12.",
                col=cols["month"],
                value=cell("month"),
                **where,
            )
            continue
        if month is not None and ctx.as_of is not None and (year, month) > (ctx.as_of.year, ctx.as_of.month):
            issues.error(
                "date_outside_year",
                f"{year}년 {month}월은 기준일({ctx.as_of:%Y. %-m. %-d.}) 이후입니다.",
                f"{year}-{month:02d} is after the as-of date {ctx.as_of}.",
                col=cols["month"],
                value=cell("month"),
                **where,
            )
            continue
        if num.value is None:
            continue
        key = (program, year, month if code not in BUDGET_LABELS.values() else None, code, source)
        if key in seen:
            issues.error(
                "duplicate_row",
                f"같은 내용(사업·연도·월·지표·재원)이 {seen[key] + 1}행과 {r + 1}행에 있습니다. 한 줄만 남겨 주세요.",
                f"Rows {seen[key] + 1} and {r + 1} repeat the same program, period, metric and source.",
                col=cols["program"],
                value=program,
                **where,
            )
            continue
        seen[key] = r
        if num.value < 0:
            issues.error(
                "negative_value",
                f"값 {shown(cell('value'))}이(가) 음수입니다.",
                f"Negative value {shown(cell('value'))!r}.",
                col=cols["value"],
                value=cell("value"),
                **where,
            )
            continue
        try:
            value = to_won(num.value, mult) if is_money else _count(num.value)
        except CellError as exc:
            issues.error(exc.code, exc.ko, exc.en, col=cols["value"], value=cell("value"), **where)
            continue
        if value is None:
            issues.error(
                "number_not_count",
                f"'{shown(cell('value'))}'은(는) 정수가 아닙니다. 인원·건수는 정수로 적어 주세요.",
                f"{shown(cell('value'))!r} is not a whole number.",
                col=cols["value"],
                value=cell("value"),
                **where,
            )
            continue
        loc = Loc(grid.name, r, cols["value"])
        if program not in named:  # one location per program is enough for its messages
            named.add(program)
            out.programs.append((program, Loc(grid.name, r, cols["program"])))
        if code in BUDGET_LABELS.values():
            row = BudgetRow(
                program, year, source, value if code == "budget" else None, value if code == "budget_current" else None
            )
            out.budgets.append((row, loc))
        else:
            assert month is not None
            last_month = max(last_month, month)
            out.facts.append((FactRow(program, year, month, code, value, source), loc))
    _keep_reasons(out, reasons, cols, grid.name, ctx)
    if ctx.as_of is not None:
        out.as_of = ctx.as_of
    elif out.facts:
        y = out.facts[0][0].year
        nxt = date(y + (last_month == 12), last_month % 12 + 1, 1)
        out.as_of = date.fromordinal(nxt.toordinal() - 1)
    return out


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
    if year is None or month is None or (year_expected is not None and year != year_expected) or not 1 <= month <= 12:
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
