"""지방재정365 세부사업별 세출현황 (open API QWGJK): one row per 세부사업 of each local government with 예산현액, its
funding split (국비, 시도비, 시군구비, 기타), 지출액 and 편성액 in 원, as of a day (집행일자).

Headers are the download's Korean words (회계연도, 자치단체명, 세부사업코드, …) or the API's field names (fyr,
laf_hg_nm, dbiz_cd, …), in any order, with any extra columns. Only the rows of the upload's district are read: a
whole-Seoul or whole-country file is filtered with one cached look-up per distinct government before any amount
is parsed (a large CSV is read and filtered column by column first: lofin_columnar.py).
The download states no 단위사업 and no 부서, so every 세부사업 goes to the store as level "detail" under no parent.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from kpi.domain import catalog
from kpi.domain.batch import BudgetRow, FactRow, ProgramSpec
from kpi.domain.districts import BY_LAF, BY_SIG, District, find_district
from kpi.importers.budget import resolve_as_of
from kpi.importers.conventions import (
    MAX_WON,
    CellError,
    clean_text,
    fmt_dec,
    has_invisible,
    parse_as_of,
    parse_number,
    read_name,
    to_won,
)
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.issues import clip
from kpi.importers.lofin_peers import TextColumns, from_grid, read_peers
from kpi.importers.reader import SheetGrid, is_blank
from kpi.importers.tables import Around, Header
from kpi.settings import load_settings
from kpi.store.model import Program, column_length

KIND = "lofin365"
# Funding-split columns (synonyms.py fields) -> catalog.FUNDING_SOURCES keys.
SPLIT_SOURCES: dict[str, str] = {
    "fund_national": "national",
    "fund_city": "city",
    "fund_district": "district",
    "fund_other": "other",
}
AMOUNT_FIELDS = ("budget_current", *SPLIT_SOURCES, "executed", "budget_compiled")
LABELS: dict[str, str] = {
    "budget_current": "예산현액",
    "fund_national": "국비",
    "fund_city": "시도비",
    "fund_district": "시군구비",
    "fund_other": "기타",
    "executed": "지출액",
    "budget_compiled": "편성액",
    "program": "세부사업명",
    "year": "회계연도",
}
CODE_DIGITS = 16  # 세부사업코드 (dbiz_cd)
PLAIN_DIGITS = 15  # an amount of up to this many plain digits is read without parse_number (the same value)
EXCEL_DIGITS = 15  # significant digits an Excel number keeps
NAME_LIMIT = column_length(Program, "name")
CODE_LIMIT = column_length(Program, "code")
_YEAR = re.compile(r"(\d{4})\s*(?:년|\.0+)?")
_YMD = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXPONENT = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")  # 1,234,567 (a Korean download's amounts)


def is_lofin(header: Header) -> bool:
    """A 세출현황 header: 세부사업코드 together with the local government (name or code) or a funding column."""
    fields = header.fields
    return "program_code" in fields and bool(fields & {"laf_name", "laf_code", *SPLIT_SOURCES})


@dataclass
class _Row:
    """One row of the district: where, 회계연도, 세부사업 name and code, 회계구분 and the stated amounts in 원."""

    r: int
    year: int
    name: str
    code: str | None
    account: str
    amounts: dict[str, int]
    padded: bool = False  # the code had lost its leading zeros

    @property
    def ref(self) -> str:
        """How value rows refer to the program: its code, else its name."""
        return self.code or self.name


@dataclass
class _Sheet:
    """The table being read: grid, header, context and the columns of the fields found."""

    grid: SheetGrid
    header: Header
    ctx: Context

    def col(self, fname: str) -> int:
        """Column of a field the header names (the first column of the table when it names none)."""
        return self.header.cols.get(fname, self.header.span[0])

    def error(self, code: str, ko: str, en: str, r: int, c: int) -> None:
        """An error at a cell of the table."""
        self.ctx.issues.error(code, ko, en, sheet=self.grid.name, row=r, col=c, value=self.grid.cell(r, c))

    def warning(self, code: str, ko: str, en: str, r: int, c: int) -> None:
        """A warning at a cell of the table."""
        self.ctx.issues.warning(code, ko, en, sheet=self.grid.name, row=r, col=c, value=self.grid.cell(r, c))


def read_lofin(
    grid: SheetGrid,
    header: Header,
    rows: list[int],
    near: Around,
    ctx: Context,
    picked: Picked | None = None,
    body: TextColumns | None = None,
) -> Extract:
    """Read the district's 세부사업 into specs, budgets (total and funding split) and executed facts, and the other
    governments' 분야/부문 sums (lofin_peers.py); `picked` gives the district's rows and `body` the whole body when
    a columnar reader already read them (lofin_columnar.py)."""
    out = Extract(KIND)
    sheet = _Sheet(grid, header, ctx)
    missing = [LABELS[f] for f in ("program", "year") if f not in header.cols]
    if missing:
        sheet.error(
            "columns_missing",
            f"지방재정365 세출현황 표에 {', '.join(missing)} 열이 없습니다. "
            "내려받은 파일의 열을 지우지 말고 올려 주세요.",
            f"The Lofin365 table lacks the column(s) {', '.join(missing)}.",
            header.top,
            header.span[0],
        )
        return out
    district = BY_SIG[ctx.district_cd]
    mine = _district_rows(sheet, rows, district, picked)
    if not mine:
        return out
    mult = near.units.money if near.units is not None and near.units.money else 1
    parsed = _parse_rows(sheet, mine, mult)
    _warn_padded(sheet, parsed)
    stated = _stated_as_of(sheet, mine)
    if stated is not None:
        near = replace(near, as_of=stated[0], as_of_at=(stated[1], header.cols["exec_date"]))
    as_of = resolve_as_of(grid, header, near, ctx)
    if as_of is None or not parsed:
        return out
    out.as_of = as_of
    months = _months(sheet, parsed, as_of)
    _emit(sheet, out, _group(sheet, parsed), months)
    if load_settings().lofin_peers != "off":
        source = body if body is not None else from_grid(grid, header, rows)
        if source is not None:
            out.peers = read_peers(source, district, as_of, mult, grid.name, ctx.issues)
    return out


@dataclass
class Picked:
    """The district's rows of a table, the rows of every other government (label -> rows, in file order) and the
    first row of another government (None when there is none)."""

    mine: list[int]
    others: dict[str, int]
    first_skipped: int | None


def government_label(code: object, name: object, district: District) -> str:
    """'' for a row of the district (its laf_cd, else its 자치단체명), else the label the row is counted under:
    its 자치단체명, else its code, else '(빈 칸)'."""
    if government_sig(code, name) == district.sig_cd:
        return ""
    return clean_text(name) or _code_text(code) or "(빈 칸)"


def pick_rows(grid: SheetGrid, header: Header, rows: list[int], district: District) -> Picked:
    """The district's rows among `rows` and the counts of the others, with one cached look-up per distinct
    (code cell, name cell)."""
    code_col, name_col = header.cols.get("laf_code"), header.cols.get("laf_name")
    seen: dict[tuple[object, object], str] = {}  # (code cell, name cell) -> "" for the district, else a label
    picked = Picked([], {}, None)
    for r in rows:
        key = (
            grid.cell(r, code_col) if code_col is not None else "",
            grid.cell(r, name_col) if name_col is not None else "",
        )
        label = seen.get(key)
        if label is None:
            label = seen[key] = government_label(*key, district)
        if not label:
            picked.mine.append(r)
            continue
        picked.others[label] = picked.others.get(label, 0) + 1
        picked.first_skipped = r if picked.first_skipped is None else picked.first_skipped
    return picked


def _district_rows(sheet: _Sheet, rows: list[int], district: District, picked: Picked | None) -> list[int]:
    """The rows of the district (by laf_cd, else by 자치단체명; `picked` when the caller already chose them); the
    others are skipped with one warning, and a file without any row of the district is an error naming the
    governments it holds."""
    code_col, name_col = sheet.header.cols.get("laf_code"), sheet.header.cols.get("laf_name")
    if code_col is None and name_col is None:
        return rows  # a one-government download without the government's columns: the upload's district
    gov_col = name_col if name_col is not None else sheet.col("laf_code")
    picked = picked or pick_rows(sheet.grid, sheet.header, rows, district)
    mine, others, first_skipped = picked.mine, picked.others, picked.first_skipped
    if not mine:
        shown = ", ".join(clip(label, 20) for label in list(others)[:5]) or "없음"
        if len(others) > 5:
            shown += f" 외 {len(others) - 5:,}곳"
        sheet.error(
            "district_not_in_file",
            f"이 파일에는 {district.name}(지방재정365 자치단체코드 {district.laf_cd}) 행이 없습니다. 파일에 있는 "
            f"자치단체: {shown}. {district.name} 자료를 내려받았는지, 업로드할 자치구를 바르게 골랐는지 확인하세요.",
            f"The file has no row of {district.name} (laf_cd {district.laf_cd}); it holds: {shown}.",
            sheet.header.top,
            gov_col,
        )
    elif first_skipped is not None:
        skipped = sum(others.values())
        sheet.warning(
            "other_governments_skipped",
            f"다른 자치단체 {len(others):,}곳의 행 {skipped:,}개는 건너뛰고 {district.name} 행 {len(mine):,}개만 "
            "읽었습니다.",
            f"Skipped {skipped} rows of {len(others)} other local governments; read the {len(mine)} rows of "
            f"{district.name}.",
            first_skipped,
            gov_col,
        )
    return mine


def government_sig(code: object, name: object) -> str | None:
    """SIG_CD of the Seoul district a row belongs to: its laf_cd when it is a Seoul district's, else its
    자치단체명 ('서울영등포구', '서울특별시 영등포구', '영등포구'); None for any other government."""
    found = BY_LAF.get(_code_text(code))
    if found is None and isinstance(name, str) and name.strip():
        found = find_district(clean_text(name))
    return found.sig_cd if found is not None else None


def _code_text(value: object) -> str:
    """A code cell as text: a whole number without '.0' or exponent, text as written (cleaned)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return clean_text(value)


def fiscal_year(value: object) -> int:
    """회계연도 as a year: 2024, 2024.0, '2024', '2024년'; anything else is a year_invalid CellError."""
    year = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    elif isinstance(value, str) and (m := _YEAR.fullmatch(clean_text(value))):
        year = int(m[1])
    if year is None or year not in catalog.PLAUSIBLE_YEARS:
        raise CellError(
            "year_invalid",
            f"회계연도 '{clip(value)}'은(는) 연도가 아닙니다. 2024처럼 네 자리 연도를 적어 주세요.",
            f"The fiscal year {clip(value)!r} is not a year; write it like 2024.",
        )
    return year


def _code(sheet: _Sheet, r: int) -> tuple[str | None, bool]:
    """세부사업코드 as text with its leading zeros, and whether zeros had to be put back. A code stored as a number
    is written without '.0' or exponent and padded to 16 digits; one with more digits than Excel keeps, or one
    Excel turned into '1.23E+15' text, cannot be trusted: a warning, and the row is matched by its name."""
    c = sheet.header.cols["program_code"]
    value = sheet.grid.cell(r, c)
    text = _code_text(value)
    as_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if (as_number and (len(text) > EXCEL_DIGITS or not text.isdigit())) or _EXPONENT.fullmatch(text):
        sheet.warning(
            "code_number_untrusted",
            f"{sheet.grid.name} {r + 1}행의 세부사업코드({clip(value)})가 엑셀 숫자로 저장되어 있습니다. 엑셀은 숫자를 "
            f"15자리까지만 정확히 저장하므로 {CODE_DIGITS}자리 코드를 믿을 수 없어, 이 행은 세부사업명으로 연결합니다. "
            "코드 열을 텍스트 형식으로 바꾸고 지방재정365에서 받은 코드를 다시 넣어 주세요.",
            f"The 세부사업코드 {clip(value)!r} is stored as an Excel number, which keeps only 15 digits: the code "
            "cannot be trusted and the row is matched by its name. Store the column as text.",
            r,
            c,
        )
        return None, False
    if text.isdigit() and len(text) < CODE_DIGITS:
        return text.zfill(CODE_DIGITS), True
    return text or None, False


def _parse_rows(sheet: _Sheet, rows: list[int], mult: int) -> list[_Row]:
    """The rows of the district as _parse_row reads them, in order: a row of plain cells at once (_plain_row), any
    other through _parse_row, so that the rows and the issues (the same, in the same order) do not change."""
    years: dict[tuple[type, object], int | None] = {}
    out = []
    for r in rows:
        row = _plain_row(sheet, r, mult, years)
        if row is None:
            row = _parse_row(sheet, r, mult)
        else:
            _check_split(sheet, row)  # what _parse_row checks last, the one issue a plain row can have
        if row is not None:
            out.append(row)
    return out


def _plain_row(sheet: _Sheet, r: int, mult: int, years: dict[tuple[type, object], int | None]) -> _Row | None:
    """A row _parse_row would read without any issue of its cells: a 회계연도 (each distinct cell read once), a
    세부사업명 without invisible characters within NAME_LIMIT, a code of 16 ASCII digits (when the header names the
    code) and amounts _plain_won reads; None for any other row."""
    grid, cols = sheet.grid, sheet.header.cols
    cell = grid.cell(r, cols["year"])
    key = (type(cell), cell)
    if key not in years:
        try:
            years[key] = fiscal_year(cell)
        except CellError:
            years[key] = None
    year = years[key]
    raw = grid.cell(r, cols["program"])
    if year is None or has_invisible(raw):
        return None
    name = clean_text(raw)
    if not name or len(name) > NAME_LIMIT:
        return None
    code = None
    if "program_code" in cols:
        cell = grid.cell(r, cols["program_code"])
        if not (type(cell) is str and len(cell) == CODE_DIGITS <= CODE_LIMIT and cell.isascii() and cell.isdigit()):
            return None  # a code _code pads, distrusts or finds missing, or one too long
        code = cell
    amounts: dict[str, int] = {}
    for fname in AMOUNT_FIELDS:
        c = cols.get(fname)
        if c is None:
            continue
        won = _plain_won(grid.cell(r, c), mult)
        if won is None:
            return None
        amounts[fname] = won
    account = clean_text(grid.cell(r, cols["account"])) if "account" in cols else ""
    return _Row(r, year, name, code, account, amounts)


def _plain_won(cell: object, mult: int) -> int | None:
    """An amount of plain digits or 1,234,567 (at most PLAIN_DIGITS digits) in 원, what parse_number and to_won give
    it; None for any other cell and beyond MAX_WON (parse_number and to_won read those)."""
    if type(cell) is not str or not cell.isascii():
        return None
    if len(cell) <= PLAIN_DIGITS and cell.isdigit():
        won = int(cell) * mult
    elif len(cell) - cell.count(",") <= PLAIN_DIGITS and _GROUPED.fullmatch(cell):
        won = int(cell.replace(",", "")) * mult
    else:
        return None
    return won if won <= MAX_WON else None


def _parse_row(sheet: _Sheet, r: int, mult: int) -> _Row | None:
    """One row of the district, or None when a cell cannot be read (each problem an issue at its cell)."""
    grid, cols, issues = sheet.grid, sheet.header.cols, sheet.ctx.issues
    ok = True
    year = 0
    try:
        year = fiscal_year(grid.cell(r, cols["year"]))
    except CellError as exc:
        sheet.error(exc.code, exc.ko, exc.en, r, cols["year"])
        ok = False
    name_col = cols["program"]
    name = read_name(grid.cell(r, name_col), issues, sheet=grid.name, row=r, col=name_col)
    code, padded = _code(sheet, r) if "program_code" in cols else (None, False)
    if not name:
        sheet.error(
            "program_name_missing",
            "세부사업명이 비어 있습니다. 지방재정365에서 받은 세부사업명을 적어 주세요.",
            "The 세부사업명 is empty.",
            r,
            name_col,
        )
        ok = False
    elif len(name) > NAME_LIMIT:
        sheet.error(
            "name_too_long",
            f"세부사업명이 너무 깁니다 ({len(name):,}자, 최대 {NAME_LIMIT:,}자): '{clip(name)}'. 줄여 주세요.",
            f"The 세부사업명 is {len(name)} characters long; the limit is {NAME_LIMIT}.",
            r,
            name_col,
        )
        ok = False
    if code is not None and len(code) > CODE_LIMIT:
        sheet.error(
            "code_too_long",
            f"세부사업코드가 너무 깁니다 ({len(code):,}자, 최대 {CODE_LIMIT}자). 코드 칸을 확인해 주세요.",
            f"The 세부사업코드 is {len(code)} characters long; the limit is {CODE_LIMIT}.",
            r,
            cols["program_code"],
        )
        ok = False
    amounts: dict[str, int] = {}
    for fname in AMOUNT_FIELDS:
        c = cols.get(fname)
        if c is None:
            continue
        cell = grid.cell(r, c)
        plain = _plain_won(cell, mult)
        if plain is not None:
            amounts[fname] = plain
            continue
        try:
            num = parse_number(cell, blank="missing")
            if num.value is None:
                continue
            won = to_won(num.value, mult)
        except CellError as exc:
            sheet.error(exc.code, f"{LABELS[fname]}: {exc.ko}", exc.en, r, c)
            ok = False
            continue
        if num.warning:
            sheet.warning(num.warning[0], num.warning[1], num.warning[2], r, c)
        if won < 0:
            sheet.error(
                "negative_value" if fname == "executed" else "negative_budget",
                f"'{clip(name)}'의 {LABELS[fname]}이(가) 음수({fmt_dec(won)}원)입니다. 금액을 확인해 고쳐 주세요.",
                f"Negative {fname} {won} for {clip(name)!r}.",
                r,
                c,
            )
            ok = False
            continue
        amounts[fname] = won
    if not ok:
        return None
    account = clean_text(grid.cell(r, cols["account"])) if "account" in cols else ""
    row = _Row(r, year, name, code, account, amounts, padded)
    if "program_code" in cols and code is None and not padded:
        _code_missing(sheet, row)
    _check_split(sheet, row)
    return row


def _code_missing(sheet: _Sheet, row: _Row) -> None:
    """A row without a code is matched by its name: a warning (unless the code was dropped as untrusted)."""
    c = sheet.header.cols["program_code"]
    if not is_blank(sheet.grid.cell(row.r, c)):
        return  # an untrusted number, already reported
    sheet.warning(
        "code_missing",
        f"'{clip(row.name)}'의 세부사업코드가 비어 있어 세부사업명으로 연결합니다. 지방재정365에서 받은 코드를 "
        "적어 두면 이름이 바뀌어도 같은 사업으로 이어집니다.",
        f"{clip(row.name)!r} has no 세부사업코드; it is matched by its name.",
        row.r,
        c,
    )


def _check_split(sheet: _Sheet, row: _Row) -> None:
    """With all four funding columns stated, 국비 + 시도비 + 시군구비 + 기타 must equal 예산현액: else a warning."""
    current = row.amounts.get("budget_current")
    parts = [row.amounts.get(f) for f in SPLIT_SOURCES]
    if current is None or any(p is None for p in parts):
        return
    added = sum(p for p in parts if p is not None)
    if added != current:
        sheet.warning(
            "split_mismatch",
            f"'{clip(row.name)}'의 재원별 금액 합계(국비+시도비+시군구비+기타) {fmt_dec(added)}원이 예산현액 "
            f"{fmt_dec(current)}원과 다릅니다 (차이 {fmt_dec(current - added)}원). 지방재정365에서 다시 내려받거나 "
            "금액을 확인해 주세요.",
            f"The funding split of {clip(row.name)!r} adds up to {fmt_dec(added)}, "
            f"not the 예산현액 {fmt_dec(current)}.",
            row.r,
            sheet.header.cols["budget_current"],
        )


def _warn_padded(sheet: _Sheet, rows: list[_Row]) -> None:
    """Codes that lost their leading zeros (stored as numbers, or re-saved by Excel): one warning for them all."""
    padded = [x for x in rows if x.padded]
    if not padded:
        return
    sheet.warning(
        "code_zeros_restored",
        f"세부사업코드 {len(padded):,}개가 앞자리 0이 빠진 채(숫자 형식) 저장되어 있어 {CODE_DIGITS}자리로 0을 채워 "
        f"읽었습니다 (처음: {padded[0].code}). 코드 열을 텍스트 형식으로 저장해 주세요.",
        f"{len(padded)} codes had lost their leading zeros and were padded to {CODE_DIGITS} digits.",
        padded[0].r,
        sheet.header.cols["program_code"],
    )


def _exec_date(value: object) -> date:
    """집행일자 as a date: 20240531 (text or number), '2024-05-31', '2024. 5. 31.' or a date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _code_text(value)
    if m := _YMD.fullmatch(text):
        text = f"{m[1]}.{m[2]}.{m[3]}"
    found = parse_as_of(text)
    if found is None:
        raise CellError(
            "date_invalid",
            f"집행일자 '{clip(text)}'을(를) 날짜로 읽을 수 없습니다. 20240531처럼 적어 주세요.",
            f"The 집행일자 {clip(text)!r} is not a date; write it like 20240531.",
        )
    return found


def _stated_as_of(sheet: _Sheet, rows: list[int]) -> tuple[date, int] | None:
    """The 집행일자 of the district's rows and the first row stating it; rows that differ give the latest, with a
    warning. None when the file states none."""
    c = sheet.header.cols.get("exec_date")
    if c is None:
        return None
    distinct: dict[object, int] = {}
    for r in rows:
        value = sheet.grid.cell(r, c)
        if not is_blank(value) and value not in distinct:
            distinct[value] = r
    dates: dict[date, int] = {}
    for value, r in distinct.items():
        try:
            dates.setdefault(_exec_date(value), r)
        except CellError as exc:
            sheet.error(exc.code, exc.ko, exc.en, r, c)
    if not dates:
        return None
    latest, first = max(dates), min(dates)
    if latest != first:
        sheet.warning(
            "as_of_mixed",
            f"집행일자가 행마다 다릅니다 ({first:%Y. %-m. %-d.} ~ {latest:%Y. %-m. %-d.}, {len(dates)}가지). 가장 늦은 "
            f"{latest:%Y. %-m. %-d.} 기준으로 읽었습니다. 같은 날 내려받은 자료인지 확인하세요.",
            f"The 집행일자 differ between rows ({first} to {latest}); read as of the latest, {latest}.",
            dates[first],
            c,
        )
    return latest, dates[latest]


def _months(sheet: _Sheet, rows: list[_Row], as_of: date) -> dict[int, int]:
    """The month each 회계연도 of the file is as of: the as-of month in its own year, 12 for an earlier year (spent
    until the books close, with a warning); a later year is an error and its rows are left out."""
    months: dict[int, int] = {}
    first: dict[int, int] = {}
    for x in rows:
        first.setdefault(x.year, x.r)
    c = sheet.header.cols["year"]
    for year, r in first.items():
        if year == as_of.year:
            months[year] = as_of.month
        elif year < as_of.year:
            months[year] = 12
            sheet.warning(
                "fiscal_year_closed",
                f"{year}회계연도 자료의 기준일이 {as_of:%Y. %-m. %-d.}이라 {year}년 12월 누계로 읽었습니다.",
                f"Fiscal-year {year} figures as of {as_of} were read as the December total.",
                r,
                c,
            )
        else:
            sheet.error(
                "date_outside_year",
                f"{year}회계연도 자료인데 기준일 {as_of:%Y. %-m. %-d.}이(가) 그 해보다 앞섭니다. 회계연도와 "
                "기준일을 확인해 주세요.",
                f"Fiscal-year {year} figures cannot be as of {as_of}, before the year began.",
                r,
                c,
            )
    return months


def _group(sheet: _Sheet, rows: list[_Row]) -> dict[tuple[int, str], list[_Row]]:
    """Rows by (회계연도, program): a repeated code (or name, without a code) is an error naming both rows, unless
    the rows are of different 회계구분 (일반회계/특별회계): those are summed, with a warning."""
    groups: dict[tuple[int, str], list[_Row]] = {}
    has_account = "account" in sheet.header.cols
    c = sheet.col("program_code")
    for x in rows:
        group = groups.setdefault((x.year, x.ref), [])
        clash = next((g for g in group if not has_account or g.account == x.account), None)
        if clash is None:
            group.append(x)
            continue
        what = f"세부사업코드 {x.code}('{clip(x.name)}')" if x.code else f"세부사업 '{clip(x.name)}'"
        sheet.error(
            "duplicate_row",
            f"{what}이(가) {clash.r + 1}행과 {x.r + 1}행에 두 번 있습니다. 한 행만 남겨 주세요.",
            f"{x.ref} appears twice (rows {clash.r + 1} and {x.r + 1}).",
            x.r,
            c,
        )
    for group in groups.values():
        if len(group) > 1:
            x = group[0]
            accounts = ", ".join(g.account or "(빈 칸)" for g in group)
            lines = ", ".join(f"{g.r + 1}" for g in group)
            sheet.warning(
                "accounts_summed",
                f"'{clip(x.name)}'이(가) 회계구분 {accounts}로 나뉘어 있어({lines}행) 금액을 합쳐 읽었습니다.",
                f"{x.ref} is split over the accounts {accounts} (rows {lines}); the amounts were summed.",
                group[1].r,
                sheet.col("account"),
            )
    return groups


def _emit(sheet: _Sheet, out: Extract, groups: dict[tuple[int, str], list[_Row]], months: dict[int, int]) -> None:
    """Each 세부사업's spec (once), its budget rows (total with 편성액 and 예산현액, then each stated funding source)
    and its executed figure, each with its cell."""
    name = sheet.grid.name
    cols = sheet.header.cols
    specs: set[str] = set()
    for (year, ref), group in groups.items():
        month = months.get(year)
        if month is None:
            continue
        first = group[0]
        if ref not in specs:
            specs.add(ref)
            out.specs.append(
                (ProgramSpec(first.name, code=first.code, level="detail"), Loc(name, first.r, cols["program"]))
            )
        amounts: dict[str, int] = {}
        for x in group:
            for fname, won in x.amounts.items():
                amounts[fname] = amounts.get(fname, 0) + won
        current, original = amounts.get("budget_current"), amounts.get("budget_compiled")
        if current is not None or original is not None:
            loc = Loc(name, first.r, cols["budget_current" if current is not None else "budget_compiled"])
            out.budgets.append((BudgetRow(ref, year, "total", original, current), loc))
        for fname, source in SPLIT_SOURCES.items():
            if fname in amounts:
                out.budgets.append(
                    (BudgetRow(ref, year, source, None, amounts[fname]), Loc(name, first.r, cols[fname]))
                )
        if "executed" in amounts:
            fact = FactRow(ref, year, month, "executed", amounts["executed"])
            out.facts.append((fact, Loc(name, first.r, cols["executed"])))
