"""Validation issues: what is wrong, where (sheet, Excel row, column letter), and what to do, in Korean and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from openpyxl.utils import column_index_from_string, get_column_letter

MAX_LETTERED = 18_278  # columns A..ZZZ, the ones openpyxl names
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem found in an upload; errors block the import, warnings do not."""

    severity: Severity
    sheet: str
    row: int  # 1-based, as Excel shows it; 0 = the whole file or sheet
    column: str  # Excel letter ("A"); "" = the whole row or file
    value: str
    message_ko: str
    message_en: str
    code: str

    @property
    def where(self) -> str:
        """Location as a user reads it, e.g. '예산!C5'."""
        cell = f"{self.column}{self.row}" if self.row else self.column
        return f"{self.sheet}!{cell}" if self.sheet and cell else (self.sheet or cell)


def col_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> A, 26 -> AA); '' for a negative index.

    openpyxl names columns up to ZZZ; a position beyond (only ever seen in a refused file) gets more letters."""
    if index < 0:
        return ""
    if index < MAX_LETTERED:
        return get_column_letter(index + 1)
    head, last = divmod(index, 26)
    return col_letter(head - 1) + get_column_letter(last + 1)


def cell_ref(r: int, c: int) -> str:
    """Excel reference of a 0-based cell position ((0, 0) -> 'A1')."""
    return f"{col_letter(c)}{r + 1}"


def col_from_letters(letters: str) -> int:
    """0-based column index of Excel column letters ('A' -> 0, 'aa' -> 26); any number of letters, '' -> -1."""
    if len(letters) <= 3:
        return column_index_from_string(letters) - 1 if letters else -1
    return (col_from_letters(letters[:-3]) + 1) * 26**3 + column_index_from_string(letters[-3:]) - 1


def clip(value: object, limit: int = 40) -> str:
    """Text of a value for a message: at most `limit` characters, then '…' (a 33 KB cell is never echoed)."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def cell_text(value: object) -> str:
    """A cell value as shown in a message (short, never None); a number as typed: no zero fraction, separators
    from five digits on (a float cell 7231263.0 -> '7,231,263'; 2024.0 -> '2024')."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 10_000:
        text = f"{value:,}"
    else:
        text = "" if value is None else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


class Issues(list[Issue]):
    """A list of issues with helpers that take 0-based grid positions."""

    def add(
        self,
        severity: Severity,
        code: str,
        ko: str,
        en: str,
        *,
        sheet: str = "",
        row: int | None = None,
        col: int | None = None,
        value: object = "",
    ) -> None:
        """Append an issue; row/col are 0-based grid indexes (None = not applicable)."""
        self.append(
            Issue(
                severity=severity,
                sheet=sheet,
                row=0 if row is None else row + 1,
                column="" if col is None else col_letter(col),
                value=cell_text(value),
                message_ko=ko,
                message_en=en,
                code=code,
            )
        )

    def error(self, code: str, ko: str, en: str, **where: object) -> None:
        """Append an error (blocks the import)."""
        self.add("error", code, ko, en, **where)  # type: ignore[arg-type]

    def warning(self, code: str, ko: str, en: str, **where: object) -> None:
        """Append a warning (shown, does not block)."""
        self.add("warning", code, ko, en, **where)  # type: ignore[arg-type]

    @property
    def has_errors(self) -> bool:
        """True when any issue is an error."""
        return any(i.severity == "error" for i in self)
