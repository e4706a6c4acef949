"""일자리플러스센터 table: 구인업체 | 구인인원 | 구직자 | 취업알선 | 취업자 | 취업률, under a merged two-row header."""

from __future__ import annotations

import re
from decimal import Decimal

from kpi.domain.batch import FactRow
from kpi.domain.catalog import JOB_CENTRE_PROGRAM
from kpi.domain.units import round_half_up
from kpi.importers.budget import resolve_as_of
from kpi.importers.conventions import CellError, clean_text, parse_number, percent_candidates
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.synonyms import is_total_label
from kpi.importers.tables import Around, Header

METRIC_FIELDS = ("employers", "openings", "job_seekers", "referrals", "placements")
_MONTH = re.compile(r"^(\d{1,2})\s*월")


def _row_month(grid: SheetGrid, header: Header, r: int) -> tuple[int | None, bool]:
    """Month named in the row's label or month column, and whether the row is a total row."""
    c = header.cols.get("month", header.span[0] - 1 if header.span[0] > 0 else None)
    label = clean_text(grid.cell(r, c)) if c is not None and c >= 0 else ""
    if is_total_label(label):
        return None, True
    m = _MONTH.match(label)
    return (int(m[1]) if m else None), False


def read_job_centre(grid: SheetGrid, header: Header, rows: list[int], near: Around, ctx: Context) -> Extract:
    """FactRows for catalog.JOB_CENTRE_PROGRAM; the stated 취업률 is checked against 취업자 / 구직자."""
    out = Extract("job_centre")
    issues = ctx.issues
    as_of = resolve_as_of(grid, header, near, ctx)
    if as_of is None:
        return out
    out.as_of = as_of
    labelled = [(r, *_row_month(grid, header, r)) for r in rows]
    data = [(r, month) for r, month, total in labelled if not total]
    if len(data) > 1 and any(month is None for _, month in data):
        issues.error(
            "table_ambiguous",
            "센터 실적 표에 값 행이 여러 개인데 어느 달인지 알 수 없습니다. 행마다 'N월'을 적거나 한 행만 남겨 주세요.",
            "Several value rows without a month label; label each row 'N월' or keep one row.",
            sheet=grid.name,
            row=data[1][0],
            col=header.span[0],
        )
        return out
    seen: dict[int, int] = {}
    for r, month_label in data:
        month = month_label or as_of.month
        if month_label is not None and not 1 <= month_label <= 12:
            issues.error(
                "month_invalid",
                f"'{month_label}월'은 없는 달입니다.",
                f"Invalid month {month_label}.",
                sheet=grid.name,
                row=r,
                col=header.span[0] - 1,
            )
            continue
        if month in seen:
            issues.error(
                "duplicate_row",
                f"{month}월 실적이 {seen[month] + 1}행과 {r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
                f"Month {month} appears twice (rows {seen[month] + 1} and {r + 1}).",
                sheet=grid.name,
                row=r,
                col=header.span[0],
            )
            continue
        seen[month] = r
        values: dict[str, Decimal] = {}
        for fname in METRIC_FIELDS:
            c = header.cols.get(fname)
            if c is None:
                continue
            cell = grid.cell(r, c)
            try:
                num = parse_number(cell)
            except CellError as exc:
                issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
                continue
            if num.warning:
                issues.warning(*num.warning, sheet=grid.name, row=r, col=c, value=cell)
            value = num.value if num.value is not None else Decimal(0)
            if value < 0 or value != value.to_integral_value():
                issues.error(
                    "number_not_count",
                    f"'{clip(cell)}'은(는) 인원·건수로 쓸 수 없습니다. 0 이상의 정수를 적어 주세요.",
                    f"{clip(cell)!r} is not a count (a whole number of 0 or more).",
                    sheet=grid.name,
                    row=r,
                    col=c,
                    value=cell,
                )
                continue
            values[fname] = value
            out.facts.append((FactRow(JOB_CENTRE_PROGRAM, as_of.year, month, fname, int(value)), Loc(grid.name, r, c)))
        _check_rate(grid, header, r, values, ctx)
    if out.facts:
        out.programs.append((JOB_CENTRE_PROGRAM, Loc(grid.name, header.top, header.span[0])))
    return out


def _check_rate(grid: SheetGrid, header: Header, r: int, values: dict[str, Decimal], ctx: Context) -> None:
    """A stated 취업률 must match placements / job seekers (as percent or fraction); a mismatch is a warning."""
    c = header.cols.get("placement_rate")
    seekers, placed = values.get("job_seekers"), values.get("placements")
    if c is None or not seekers or placed is None or is_blank(grid.cell(r, c)):
        return
    cell = grid.cell(r, c)
    try:
        stated = percent_candidates(cell)
    except CellError as exc:
        ctx.issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
        return
    computed = round_half_up(placed / seekers * 100, 1)
    if stated and all(round_half_up(s, 1) != computed for s in stated):
        shown = round_half_up(stated[0], 1)
        ctx.issues.warning(
            "rate_mismatch",
            f"취업률이 {shown}%로 적혀 있으나 취업자/구직자로 계산하면 {computed}%입니다. 계산값을 사용합니다.",
            f"Stated placement rate {shown}% but placements/job seekers give {computed}%.",
            sheet=grid.name,
            row=r,
            col=c,
            value=cell,
        )
