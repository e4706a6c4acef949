"""일자리플러스센터 table: 구인업체 | 구인인원 | 구직자 | 취업알선 | 취업자 | 취업률, under a merged two-row header;
one row as of a date, or a monthly log with one row per month (that month's figures, 당월, or year-to-date, 누계)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from kpi.domain.batch import FactRow
from kpi.domain.catalog import JOB_CENTRE_PROGRAM, metric
from kpi.domain.dates import month_end
from kpi.domain.units import round_half_up
from kpi.importers.budget import resolve_as_of
from kpi.importers.conventions import CellError, clean_text, fmt_dec, parse_number, percent_candidates, shown
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import is_total_label, normalise_header
from kpi.importers.tables import LOOK_UP_ROWS, Around, Header

METRIC_FIELDS = ("employers", "openings", "job_seekers", "referrals", "placements")
MODES = ("monthly", "cumulative")
# A month cell: '1월', '01', '2024-01', '2024.1', '2024. 1.', '2024년 1월', "'24.1", '1월분'.
_MONTH = re.compile(r"^(?:(?:(\d{4})|['’‘](\d{2}))\s*(?:년|[.\-/])\s*)?(\d{1,2})\s*(?:월|\.)?\s*(?:분)?$")
_YEAR_TOTAL = frozenset({"누계", "누적", "누계합계", "연간누계"})  # a total row of a 당월 log may say 누계
CUMULATIVE_WORDS = ("누계", "누적")
MONTHLY_WORDS = ("당월",)
CHOOSE_KO = "업로드할 때 '당월' 또는 '누계'를 고르세요 (명령줄: `jobkpi import --centre-rows monthly|cumulative`)"


@dataclass
class CentreRow:
    """A body row: its month (None: unlabelled), the year its label states, whether it is a total, and its counts."""

    r: int
    month: int | None
    year: int | None = None
    total: bool = False
    label: str = ""
    values: dict[str, Decimal] = field(default_factory=dict)
    blank: bool = False  # every count cell is empty (a month not reported yet)


@dataclass(frozen=True)
class Reading:
    """How a log's month rows read (monthly or cumulative), and the evidence, in Korean and English."""

    mode: str
    ko: str
    en: str


def read_count(
    grid: SheetGrid, r: int, c: int, ctx: Context, *, blank: str = "zero", what: str = "인원·건수"
) -> Decimal | None:
    """A count cell: a whole number of 0 or more (blank as zero or missing); an unreadable cell or a negative or
    fractional number is an error at the cell and gives None."""
    cell = grid.cell(r, c)
    try:
        num = parse_number(cell, blank="zero" if blank == "zero" else "missing")
    except CellError as exc:
        ctx.issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
        return None
    if num.warning:
        ctx.issues.warning(*num.warning, sheet=grid.name, row=r, col=c, value=cell)
    if num.value is None:
        return None
    if num.value < 0 or num.value != num.value.to_integral_value():
        ctx.issues.error(
            "number_not_count",
            f"'{shown(cell)}'은(는) {what}(으)로 쓸 수 없습니다. 0 이상의 정수를 적어 주세요.",
            f"{shown(cell)!r} is not a count (a whole number of 0 or more).",
            sheet=grid.name,
            row=r,
            col=c,
            value=cell,
        )
        return None
    return num.value


def check_stated_rate(
    grid: SheetGrid,
    r: int,
    c: int | None,
    part: Decimal | None,
    whole: Decimal | None,
    ctx: Context,
    *,
    code: str,
    names: tuple[str, str, str, str],
    whole_ok: bool = False,
) -> None:
    """A stated rate must match part / whole x 100 rounded half up to one decimal (a whole-number rate may match
    the computed one rounded to a whole number when whole_ok); a mismatch is a warning with both figures.
    names = (rate ko, formula ko, rate en, formula en), e.g. ('취업률', '취업자/구직자', 'placement rate', ...)."""
    if c is None or not whole or part is None or is_blank(grid.cell(r, c)):
        return
    cell = grid.cell(r, c)
    try:
        stated = percent_candidates(cell)
    except CellError as exc:
        ctx.issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
        return
    exact = part / whole * 100
    computed = round_half_up(exact, 1)

    def agrees(s: Decimal) -> bool:
        """The stated reading is the computed rate as the sheet rounds it."""
        if round_half_up(s, 1) == computed:
            return True
        return whole_ok and s == s.to_integral_value() and round_half_up(exact, 0) == s

    if stated and not any(agrees(s) for s in stated):
        said = round_half_up(stated[0], 1)
        rate_ko, formula_ko, rate_en, formula_en = names
        ctx.issues.warning(
            code,
            f"{rate_ko}이 {said}%로 적혀 있으나 {formula_ko}로 계산하면 {computed}%입니다 "
            f"({fmt_dec(part)} / {fmt_dec(whole)}). 계산값을 사용합니다.",
            f"Stated {rate_en} {said}% but {formula_en} give {computed}% ({fmt_dec(part)} / {fmt_dec(whole)}).",
            sheet=grid.name,
            row=r,
            col=c,
            value=cell,
        )


def lines_above(grid: SheetGrid, header: Header) -> list[tuple[int, int, str]]:
    """The text cells of the lines above a header (title, period, as-of lines), nearest first, up to LOOK_UP_ROWS
    rows and never past a row holding a number (the body of a table above)."""
    out: list[tuple[int, int, str]] = []
    for r in range(header.top - 1, max(-1, header.top - LOOK_UP_ROWS - 1), -1):
        row = grid.rows[r]
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row):
            break
        out.extend((r, c, clean_text(v)) for c, v in enumerate(row) if isinstance(v, str) and v.strip())
    return out


def _label_col(header: Header) -> int | None:
    """The column naming each row's month: 월, else 구분, else the column left of the table."""
    for name in ("month", "category"):
        if name in header.cols:
            return header.cols[name]
    return header.span[0] - 1 if header.span[0] > 0 else None


def read_month(value: object, bare: bool = False) -> tuple[int | None, int | None]:
    """(year or None, month or None) a month cell states: '1월', '2024-01', '2024.1', a date, and with bare=True
    (a column headed 월) a plain 1 too; (None, None) else (a 연번 column's 1 is no month)."""
    if isinstance(value, date):
        return value.year, value.month
    if isinstance(value, bool):
        return None, None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return (None, int(value)) if bare and 0 <= value <= 99 else (None, None)
    in_year = isinstance(value, float) and 1900 < value < 2100  # 2024.1 typed as a number
    text = (repr(value) if in_year else "") if isinstance(value, float) else clean_text(value)
    m = _MONTH.match(text)
    if not m or not (bare or m[1] or m[2] or "월" in text):
        return None, None
    year = int(m[1]) if m[1] else (2000 + int(m[2]) if m[2] else None)
    return year, int(m[3])


def _read_rows(grid: SheetGrid, header: Header, rows: list[int], ctx: Context) -> list[CentreRow]:
    """Every body row with its month or total label and its counts (cells that cannot be read are errors)."""
    c = _label_col(header)
    out: list[CentreRow] = []
    for r in rows:
        cell = grid.cell(r, c) if c is not None else ""
        label = clean_text(cell)
        total = is_total_label(label) or normalise_header(label) in _YEAR_TOTAL
        year, month = (None, None) if total else read_month(cell, bare="month" in header.cols)
        row = CentreRow(r, month, year, total, label)
        cols = [header.cols[f] for f in METRIC_FIELDS if f in header.cols]
        row.blank = all(is_blank(grid.cell(r, k)) for k in cols)
        if row.blank and month is not None:
            out.append(row)  # a month not reported yet: kept to be skipped, its cells not read
            continue
        for fname in METRIC_FIELDS:  # a total row may leave a count out (blank: not stated)
            k = header.cols.get(fname)
            if k is None:
                continue
            value = read_count(grid, r, k, ctx, blank="missing" if total else "zero")
            if value is not None:
                row.values[fname] = value
        out.append(row)
    return out


def read_job_centre(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Extract:
    """FactRows for catalog.JOB_CENTRE_PROGRAM, year-to-date by month: a monthly log's 당월 rows are added up
    (how its rows read is decided from its words, its 계 row or its figures, else asked); each stated 취업률 is
    checked against that row's 취업자 / 구직자."""
    out = Extract("job_centre")
    issues = ctx.issues
    parsed = _read_rows(grid, header, rows, ctx)
    data = [x for x in parsed if not x.total and not (x.blank and x.month is not None)]
    totals = [x for x in parsed if x.total]
    col = _label_col(header)
    where = {"sheet": grid.name, "col": col if col is not None else header.span[0]}
    if len(data) > 1 and any(x.month is None for x in data):
        issues.error(
            "table_ambiguous",
            "센터 실적 표에 값 행이 여러 개인데 어느 달인지 알 수 없습니다. 행마다 'N월'을 적거나 한 행만 남겨 주세요.",
            "Several value rows without a month label; label each row 'N월' or keep one row.",
            row=next(x.r for x in data if x.month is None),
            value=next(x.label for x in data if x.month is None),
            **where,
        )
        return out
    months = _valid_months(grid, data, ctx, where)
    if months is None:
        return out
    as_of = _as_of(grid, header, near, ctx, months)
    if as_of is None:
        return out
    out.as_of = as_of
    if not _months_in_year(grid, months, as_of, ctx, where):
        return out
    for x in [*data, *totals]:
        _check_rate(grid, header, x, ctx)
    labelled = [x for x in months if x.month is not None]
    reading = None
    if len(labelled) > 1 or (labelled and _said(grid, header, ctx) == "monthly"):
        reading = _decide(grid, header, labelled, totals, ctx)
        if reading is None:
            issues.error(
                "centre_rows_unknown",
                "월별 행이 그 달의 실적(당월)인지 1월부터의 누계인지 알 수 없습니다 (계 행이 없고, 줄어드는 달이 "
                f"없으며, '당월'·'누계' 표기도 없습니다). 제목이나 머리글에 '당월' 또는 '누계'를 적거나 {CHOOSE_KO}.",
                "Cannot tell whether the month rows are that month's figures or year-to-date: write 당월 or 누계 "
                "in the title or header, or choose when uploading (--centre-rows monthly|cumulative).",
                row=header.top,
                **where,
            )
            return out
        if not _consistent(grid, header, labelled, totals, reading, ctx):
            return out
    if reading is not None and reading.mode == "monthly":
        ytd = _year_to_date(grid, header, labelled, ctx, where)
        if ytd is None:
            return out
        for x, values in ytd:
            _emit(out, grid, header, x, values, as_of.year, x.month or as_of.month)
        issues.warning(
            "centre_rows_read",
            f"월별 행을 당월 실적으로 읽어 누계로 바꿔 저장했습니다 (근거: {reading.ko}).",
            f"Read the month rows as each month's figures and stored their running totals (evidence: {reading.en}).",
            row=header.top,
            **where,
        )
    else:
        for x in months:
            _emit(out, grid, header, x, x.values, as_of.year, x.month or as_of.month)
        if reading is not None:
            issues.warning(
                "centre_rows_read",
                f"월별 행을 1월부터의 누계로 읽어 그대로 저장했습니다 (근거: {reading.ko}).",
                f"Read the month rows as year-to-date figures and stored them as they are (evidence: {reading.en}).",
                row=header.top,
                **where,
            )
    if out.facts:
        out.programs.append((JOB_CENTRE_PROGRAM, Loc(grid.name, header.top, header.span[0])))
    return out


def _valid_months(
    grid: SheetGrid, data: list[CentreRow], ctx: Context, where: dict[str, object]
) -> list[CentreRow] | None:
    """The value rows in month order; a month outside 1-12 or a month stated twice is an error (then None)."""
    seen: dict[int, int] = {}
    ok = True
    for x in data:
        if x.month is None:
            continue
        if not 1 <= x.month <= 12:
            ctx.issues.error(
                "month_invalid",
                f"'{x.label}'은(는) 없는 달입니다. 1월부터 12월까지로 적어 주세요.",
                f"Invalid month {x.label!r}.",
                row=x.r,
                value=x.label,
                **where,
            )
            ok = False
        elif x.month in seen:
            ctx.issues.error(
                "duplicate_row",
                f"{x.month}월 실적이 {seen[x.month] + 1}행과 {x.r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
                f"Month {x.month} appears twice (rows {seen[x.month] + 1} and {x.r + 1}).",
                row=x.r,
                value=x.label,
                **where,
            )
            ok = False
        else:
            seen[x.month] = x.r
    return sorted(data, key=lambda x: x.month or 0) if ok else None


def _as_of(grid: SheetGrid, header: Header, near: Around, ctx: Context, months: list[CentreRow]) -> date | None:
    """The as-of date: the sheet's line or the caller's; else, for a monthly log, the end of its last month (its
    year from the month cells or the title), with a warning saying so."""
    labelled = [x for x in months if x.month is not None]
    if near.as_of is not None or ctx.as_of is not None or not labelled:
        return resolve_as_of(grid, header, near, ctx)
    year = next((x.year for x in labelled if x.year), None) or near.year_hint
    if year is None:
        return resolve_as_of(grid, header, near, ctx)  # reports that no as-of date is known
    last = labelled[-1]
    assert last.month is not None
    found = month_end(year, last.month)
    ctx.issues.warning(
        "as_of_from_months",
        f"기준일이 적혀 있지 않아 마지막 달({last.month}월)의 말일 {found:%Y. %-m. %-d.}을 기준일로 썼습니다.",
        f"No as-of date: used the end of the last month, {found}.",
        sheet=grid.name,
        row=last.r,
        col=_label_col(header),
        value=last.label,
    )
    return found


def _months_in_year(
    grid: SheetGrid, months: list[CentreRow], as_of: date, ctx: Context, where: dict[str, object]
) -> bool:
    """Every month row is of the as-of year and not after the as-of month; else errors at the month cells."""
    ok = True
    for x in months:
        if x.year is not None and x.year != as_of.year:
            ctx.issues.error(
                "date_outside_year",
                f"'{x.label}'은(는) 기준일({as_of:%Y. %-m. %-d.})과 다른 해입니다. 한 해의 실적만 올려 주세요.",
                f"{x.label!r} is not in the as-of year {as_of.year}.",
                row=x.r,
                value=x.label,
                **where,
            )
            ok = False
        elif x.month is not None and x.month > as_of.month:
            ctx.issues.error(
                "month_after_as_of",
                f"{x.month}월 실적이 기준일({as_of:%Y. %-m. %-d.})보다 뒤입니다. 기준일을 고치거나 그 행을 "
                "지워 주세요.",
                f"Month {x.month} is after the as-of date {as_of}.",
                row=x.r,
                value=x.label,
                **where,
            )
            ok = False
    return ok


def _said(grid: SheetGrid, header: Header, ctx: Context) -> str | None:
    """How the caller or the file's words (title, lines above, header) say the rows read, if either says so."""
    if ctx.centre_rows in MODES:
        return ctx.centre_rows
    found = _words(grid, header)
    return found[0] if found else None


def _words(grid: SheetGrid, header: Header) -> tuple[str, str] | None:
    """(mode, where) from the words around the table: 누계/누적 say cumulative, 당월 says monthly; both or
    neither decide nothing (월별 실적 alone does not say which)."""
    places: Iterable[tuple[str, str]] = [*(("머리글", t) for t in header.texts.values())]
    places = [*places, *(("제목", t) for _r, _c, t in lines_above(grid, header))]
    hits = {
        mode: next((f"{place}의 '{w}'" for place, text in places for w in words if w in text), None)
        for mode, words in (("cumulative", CUMULATIVE_WORDS), ("monthly", MONTHLY_WORDS))
    }
    found = [(mode, where) for mode, where in hits.items() if where]
    return found[0] if len(found) == 1 else None


def _decide(
    grid: SheetGrid, header: Header, labelled: list[CentreRow], totals: list[CentreRow], ctx: Context
) -> Reading | None:
    """How the month rows read: the caller's choice, else the words around the table, else a 계 row equal to the
    sum of the months (monthly) or to the last month (cumulative), else a count that falls from one month to the
    next (monthly); None when nothing decides."""
    words = _words(grid, header)
    data = _from_data(labelled, totals)
    if ctx.centre_rows in MODES:
        other = words or data
        differs = other is not None and other[0] != ctx.centre_rows
        return Reading(
            ctx.centre_rows,
            "업로드할 때 고른 값" + (f"; 파일의 근거({other[1]})와 다름" if differs and other else ""),
            "chosen when uploading" + (" (the file suggests otherwise)" if differs else ""),
        )
    if words is not None:
        return Reading(words[0], f"{words[1]} 표기", f"the word in the {'header' if '머리글' in words[1] else 'title'}")
    if data is not None:
        return Reading(data[0], data[1], data[2])
    return None


def _from_data(labelled: list[CentreRow], totals: list[CentreRow]) -> tuple[str, str, str] | None:
    """(mode, evidence ko, evidence en) from the figures: the 계 row, then a falling count; None when they fit both."""
    sums = _sums(labelled)
    last = labelled[-1].values
    for t in totals:
        common = [f for f in t.values if f in sums and f in last]
        if not common:
            continue
        eq_sum = all(t.values[f] == sums[f] for f in common)
        eq_last = all(t.values[f] == last[f] for f in common)
        if eq_sum and not eq_last:
            return "monthly", f"{t.label} 행 = 월 합계", f"the {t.label} row equals the sum of the months"
        if eq_last and not eq_sum:
            return "cumulative", f"{t.label} 행 = 마지막 달", f"the {t.label} row equals the last month"
    fall = _first_fall(labelled)
    if fall is not None:
        name, a, b = fall
        ko = metric(name).ko
        text = f"{ko} {a.month}월 {fmt_dec(a.values[name])} → {b.month}월 {fmt_dec(b.values[name])} 감소"
        return "monthly", text, f"{metric(name).en.lower()} fall from month {a.month} to month {b.month}"
    return None


def _sums(labelled: list[CentreRow]) -> dict[str, Decimal]:
    """The sum of each count over the month rows."""
    sums: dict[str, Decimal] = {}
    for x in labelled:
        for f, v in x.values.items():
            sums[f] = sums.get(f, Decimal(0)) + v
    return sums


def _first_fall(labelled: list[CentreRow]) -> tuple[str, CentreRow, CentreRow] | None:
    """The first count that is smaller than the month before: (field, earlier row, later row)."""
    for a, b in pairwise(labelled):
        for f in METRIC_FIELDS:
            if f in a.values and f in b.values and b.values[f] < a.values[f]:
                return f, a, b
    return None


def _consistent(
    grid: SheetGrid, header: Header, labelled: list[CentreRow], totals: list[CentreRow], reading: Reading, ctx: Context
) -> bool:
    """The figures must fit the reading: a 계 row equals the sum of the months (monthly) or the last month
    (cumulative), and a cumulative count never falls; else errors with both numbers."""
    ok = True
    sums, last = _sums(labelled), labelled[-1]
    monthly = reading.mode == "monthly"
    for t in totals:
        expected = sums if monthly else last.values
        wrong = [f for f, stated in t.values.items() if f in expected and expected[f] != stated]
        if not wrong:
            continue
        f, stated = wrong[0], t.values[wrong[0]]
        k = header.cols[f]
        if monthly:
            ko_text = f"월별 합 {fmt_dec(sums[f])}과(와) 다릅니다 (차이 {fmt_dec(stated - sums[f])})"
        else:
            ko_text = f"마지막 달({last.month}월) 누계 {fmt_dec(last.values[f])}과(와) 다릅니다"
            if all(sums.get(g) == t.values[g] for g in wrong):
                ko_text += ". 월별 합과 같으니 그 달의 실적(당월)이라면 '당월'로 골라 주세요"
        others = f" (다른 {len(wrong) - 1}개 항목도 맞지 않습니다)" if len(wrong) > 1 else ""
        ctx.issues.error(
            "total_mismatch",
            f"'{t.label}' 행의 {metric(f).ko} {fmt_dec(stated)}이(가) {ko_text}{others}. 합계 행이나 월별 값을 "
            "고쳐 주세요.",
            f"The {t.label} row says {fmt_dec(stated)} ({metric(f).en.lower()}) but the "
            f"{'months add up to' if monthly else 'last month says'} {fmt_dec(expected[f])}.",
            sheet=grid.name,
            row=t.r,
            col=k,
            value=grid.cell(t.r, k),
        )
        ok = False
    fall = None if monthly else _first_fall(labelled)
    if fall is not None:
        name, a, b = fall
        k = header.cols[name]
        ko = metric(name).ko
        ctx.issues.error(
            "cumulative_decreasing",
            f"누계로 읽었는데 {ko}이(가) {a.month}월 {fmt_dec(a.values[name])}에서 {b.month}월 "
            f"{fmt_dec(b.values[name])}(으)로 줄었습니다. 누계는 줄지 않습니다: 그 달의 실적(당월)이라면 "
            f"{CHOOSE_KO}.",
            f"Read as year-to-date, but {metric(name).en.lower()} fall from {fmt_dec(a.values[name])} in month "
            f"{a.month} to {fmt_dec(b.values[name])} in month {b.month}; if these are monthly figures, choose "
            "'monthly'.",
            sheet=grid.name,
            row=b.r,
            col=k,
            value=grid.cell(b.r, k),
        )
        ok = False
    return ok


def _year_to_date(
    grid: SheetGrid, header: Header, labelled: list[CentreRow], ctx: Context, where: dict[str, object]
) -> list[tuple[CentreRow, dict[str, Decimal]]] | None:
    """Running sums of monthly rows, month by month; every month from January on must be there (else an error)."""
    have = [x.month for x in labelled]
    wanted = list(range(1, (labelled[-1].month or 0) + 1))
    missing = [m for m in wanted if m not in have]
    if missing:
        shown_months = ", ".join(f"{m}월" for m in missing)
        ctx.issues.error(
            "months_missing",
            f"당월 실적을 1월부터의 누계로 바꾸려면 모든 달이 있어야 하는데 {shown_months}이(가) 없습니다. "
            "빠진 달의 행을 채우거나(실적이 없으면 0) 누계 표를 올려 주세요.",
            f"Monthly rows need every month from January to add up; missing: {', '.join(map(str, missing))}.",
            row=labelled[0].r,
            value=labelled[0].label,
            **where,
        )
        return None
    running: dict[str, Decimal] = {}
    out = []
    for x in labelled:
        for f, v in x.values.items():
            running[f] = running.get(f, Decimal(0)) + v
        out.append((x, {f: running[f] for f in x.values}))
    return out


def _emit(
    out: Extract, grid: SheetGrid, header: Header, x: CentreRow, values: dict[str, Decimal], year: int, month: int
) -> None:
    """The row's counts as FactRows of the job centre, each with its cell."""
    for f, value in values.items():
        loc = Loc(grid.name, x.r, header.cols[f])
        out.facts.append((FactRow(JOB_CENTRE_PROGRAM, year, month, f, int(value)), loc))


def _check_rate(grid: SheetGrid, header: Header, x: CentreRow, ctx: Context) -> None:
    """A stated 취업률 must match the row's own 취업자 / 구직자 (as percent or fraction); a mismatch is a warning."""
    check_stated_rate(
        grid,
        x.r,
        header.cols.get("placement_rate"),
        x.values.get("placements"),
        x.values.get("job_seekers"),
        ctx,
        code="rate_mismatch",
        names=("취업률", "취업자/구직자", "placement rate", "placements/job seekers"),
    )
