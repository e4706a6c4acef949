"""Statistics Korea 고용률 by district, wide by half-year ('2021.1/2' columns): SurveyRows keyed by SIG_CD."""

from __future__ import annotations

import re

from kpi.domain.batch import SurveyRow
from kpi.domain.districts import find_district
from kpi.importers.conventions import CellError, clean_text, parse_number
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.reader import SheetGrid
from kpi.importers.tables import Header

_BASIS_1564 = re.compile(r"15\s*[~∼\-–]\s*64")
_BASIS_15P = re.compile(r"15\s*세\s*이상")
_SEOUL = ("서울", "서울특별시", "서울시")
_NOT_DISTRICT = ("전국", "계", "합계", "소계")


def _indicator(text: str) -> str | None:
    """The survey indicator a label names: 여성고용률 before 고용률; None for any other label."""
    if "여성" in text and "고용률" in text.replace(" ", ""):
        return "female_employment_rate"
    if "고용률" in text.replace(" ", ""):
        return "employment_rate"
    return None


def _basis(text: str) -> str | None:
    """The age basis a label states: '15-64' (15~64세) or '15+' (15세 이상); None when unstated."""
    if _BASIS_1564.search(text):
        return "15-64"
    if _BASIS_15P.search(text):
        return "15+"
    return None


def read_kostat(grid: SheetGrid, header: Header, rows: list[int], ctx: Context) -> Extract:
    """Read one value per district and half-year; '-' is missing (skipped), never zero."""
    out = Extract("kostat_csv")
    issues = ctx.issues
    above = " ".join(clean_text(v) for r in range(0, header.top) for v in grid.rows[r] if isinstance(v, str))
    sheet_text = above + " " + " ".join(header.texts.values()) + " " + grid.name
    region_col = header.cols["region"]
    col_meta: dict[int, tuple[str, str]] = {}
    basis_warned = False
    for c in sorted(header.periods):
        text = header.texts.get(c, "")
        indicator = _indicator(text) or _indicator(sheet_text)
        basis = _basis(text) or _basis(sheet_text)
        if indicator is None:
            issues.error(
                "indicator_missing",
                "고용률인지 여성고용률인지 알 수 없습니다. 머리글이나 제목에 지표명을 적어 주세요.",
                "Cannot tell which indicator the column holds (고용률 or 여성고용률).",
                sheet=grid.name,
                row=header.top,
                col=c,
                value=text,
            )
            continue
        if basis is None:
            basis = "15+"
            if not basis_warned:
                issues.warning(
                    "basis_missing",
                    "연령 기준(15세 이상 / 15~64세)이 적혀 있지 않아 '15세 이상'으로 읽었습니다. 맞는지 확인하세요.",
                    "The age basis is not stated; read as 15+.",
                    sheet=grid.name,
                    row=header.top,
                    col=c,
                    value=text,
                )
                basis_warned = True
        col_meta[c] = (indicator, basis)
    seen: dict[str, int] = {}
    skipped: list[int] = []
    in_seoul: bool | None = None
    for r in rows:
        label = clean_text(grid.cell(r, region_col))
        if label in _SEOUL:
            in_seoul = True
            continue
        if label.endswith(("도", "광역시", "특별자치시")) or label in _NOT_DISTRICT:
            in_seoul = False if label not in _NOT_DISTRICT else in_seoul
            continue
        district = find_district(label) if in_seoul is not False or label.startswith("서울") else None
        if district is None:
            skipped.append(r)
            continue
        if district.sig_cd in seen:
            issues.error(
                "duplicate_row",
                f"'{clip(label)}'이(가) {seen[district.sig_cd] + 1}행과 {r + 1}행에 두 번 있습니다.",
                f"{clip(label)!r} appears twice (rows {seen[district.sig_cd] + 1} and {r + 1}).",
                sheet=grid.name,
                row=r,
                col=region_col,
                value=label,
            )
            continue
        seen[district.sig_cd] = r
        for c, (indicator, basis) in col_meta.items():
            cell = grid.cell(r, c)
            try:
                num = parse_number(cell, blank="missing")
            except CellError as exc:
                issues.error(exc.code, exc.ko, exc.en, sheet=grid.name, row=r, col=c, value=cell)
                continue
            if num.value is None:
                continue
            if not 0 <= num.value <= 100:
                issues.error(
                    "value_out_of_range",
                    f"고용률 {clip(cell)}은(는) 0~100 사이가 아닙니다.",
                    f"Rate {clip(cell)!r} is outside 0-100.",
                    sheet=grid.name,
                    row=r,
                    col=c,
                    value=cell,
                )
                continue
            year, half = header.periods[c]
            out.surveys.append(
                (SurveyRow(district.sig_cd, year, half, indicator, basis, float(num.value)), Loc(grid.name, r, c))
            )
    if skipped:
        issues.warning(
            "region_skipped",
            f"서울 자치구가 아닌 지역 {len(skipped)}행은 건너뛰었습니다 (처음: {skipped[0] + 1}행).",
            f"Skipped {len(skipped)} rows that are not Seoul districts.",
            sheet=grid.name,
            row=skipped[0],
            col=region_col,
            value=grid.cell(skipped[0], region_col),
        )
    return out
