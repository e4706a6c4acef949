"""Read an uploaded file safely into sheet grids: size, zip and XML checks first, then python-calamine (in a
limited child process) or csv."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from kpi.importers import prescan, sandbox
from kpi.importers.conventions import fmt_dec
from kpi.importers.issues import Issues, col_letter
from kpi.settings import Settings

Cell = object
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OPEN_AND_SAVE_KO = "엑셀에서 파일을 열어 '저장'한 뒤(.xlsx) 다시 올려 주세요."


@dataclass(frozen=True)
class ImportLimits:
    """Limits that keep a hostile or oversized upload from hurting the server (settings; these are defaults).

    A sheet's used range counts from A1 to its farthest written cell: rows, columns, and rows x columns
    (`max_cells`, what a reader allocates) are each limited. The parse itself runs in a child process with
    `parse_memory_mb` of address space and `parse_timeout_s` of time; past either, the file is refused.
    """

    max_bytes: int = Settings.max_upload_mb * 1024 * 1024  # uploads pass the setting
    max_rows: int = 100_000
    max_cols: int = 1_000
    max_cells: int = 2_000_000  # rows x columns of one sheet's used range (about 200 MB of cells at worst)
    max_uncompressed: int = 200 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed size of the whole archive
    max_zip_entries: int = 2_000
    max_shared_strings: int = 500_000  # distinct texts of an xlsx (a KPI workbook holds a few thousand)
    max_merges: int = 50_000  # merged ranges of one sheet
    max_line_chars: int = 1_000_000  # longest CSV line (a 1,000-column row of 1,000-character cells)
    parse_memory_mb: int = 1024  # address space of the parsing child (python-calamine)
    parse_timeout_s: float = 60.0  # wall-clock time of the parsing child
    hidden_sheets: Literal["skip", "read"] = "skip"


@dataclass
class SheetGrid:
    """One sheet: name, rows of cell values at their Excel positions (row 0 = Excel row 1), hidden flag, merges."""

    name: str
    rows: list[list[Cell]]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive

    @property
    def height(self) -> int:
        """Number of rows."""
        return len(self.rows)

    def cell(self, r: int, c: int) -> Cell:
        """The value at (r, c), '' outside the grid."""
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            value = self.rows[r][c]
            return "" if value is None else value
        return ""


@dataclass
class Workbook:
    """What was read: the detected format and the sheets to look at."""

    fmt: str  # xlsx | xls | ods | csv
    sheets: list[SheetGrid]
    stats: dict[str, float] = field(default_factory=dict)  # child_peak_mb, child_seconds (when a child parsed)


def is_blank(value: Cell) -> bool:
    """True for an empty cell (None or whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    """Detect the format from the bytes (not the name), run the safety checks, and read every sheet."""
    if len(content) > limits.max_bytes:
        issues.error(
            "file_too_large",
            f"파일이 너무 큽니다 ({fmt_dec(round(len(content) / 1048576, 1))}MB, 한도 "
            f"{fmt_dec(round(limits.max_bytes / 1048576, 1))}MB). "
            "필요한 시트만 남겨 다시 올려 주세요.",
            f"File too large ({fmt_dec(len(content))} bytes; limit {fmt_dec(limits.max_bytes)}).",
            value=filename,
        )
        return None
    if not content.strip():
        issues.error(
            "file_empty", "빈 파일입니다. 내용이 있는 파일을 올려 주세요.", "The file is empty.", value=filename
        )
        return None
    if content.startswith(ZIP_MAGICS):
        return _read_zip(filename, content, limits, issues)
    if content.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content or "EncryptionInfo".encode("utf-16-le") in content:
            _encrypted(filename, issues)
            return None
        return _read_calamine(filename, "xls", limits, issues, _start_child(content, limits))
    return _read_text(filename, content, limits, issues)


def _encrypted(filename: str, issues: Issues) -> None:
    """Record that the file is password-protected."""
    issues.error(
        "encrypted",
        "암호가 걸린 파일입니다. 엑셀에서 암호(문서 보호)를 해제하고 저장한 뒤 다시 올려 주세요.",
        "The workbook is password-protected (encrypted); remove the password and upload again.",
        value=filename,
    )


def _read_zip(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    """An xlsx/ods archive: zip-bomb, part-name and format checks, the pre-scan, then the child's parse."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        prescan.corrupt(filename, issues, str(exc))
        return None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if (
        len(infos) > limits.max_zip_entries
        or total > limits.max_uncompressed
        or (total > 1_000_000 and total / packed > limits.max_ratio)
    ):
        issues.error(
            "zip_bomb",
            "압축을 풀면 비정상적으로 커지는 파일이라 열지 않았습니다. 원본 엑셀 파일을 다시 저장해 올려 주세요.",
            f"Refused: the archive expands to {fmt_dec(total)} bytes from {fmt_dec(packed)} "
            f"({fmt_dec(len(infos))} parts).",
            value=filename,
        )
        return None
    if any(i.flag_bits & 0x1 for i in infos):
        _encrypted(filename, issues)
        return None
    if not prescan.check_names(infos, filename, issues):
        return None
    names = {i.filename for i in infos}
    if "mimetype" in names:
        try:
            is_ods = zf.read("mimetype").strip() == ODS_MIME
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            prescan.corrupt(filename, issues, str(exc))
            return None
        fmt = "ods" if is_ods else ""
    elif "xl/workbook.bin" in names:
        issues.error(
            "xlsb_unsupported",
            "바이너리 통합 문서(.xlsb)는 읽지 않습니다. 엑셀에서 [다른 이름으로 저장] → "
            "'Excel 통합 문서(*.xlsx)'로 저장해 올려 주세요.",
            "Binary workbooks (.xlsb) are not read; save the file as .xlsx in Excel.",
            value=filename,
        )
        return None
    else:
        fmt = "xlsx" if "xl/workbook.xml" in names else ""
    if not fmt:
        _not_spreadsheet(filename, issues, "a zip archive that is not a workbook")
        return None
    job = _start_child(content, limits)  # parses while the pre-scan reads the same parts (two cores)
    scan_limits = prescan.ScanLimits(
        limits.max_rows, limits.max_cols, limits.max_cells, limits.max_shared_strings, limits.max_merges
    )
    scanned = prescan.scan(zf, infos, fmt, filename, scan_limits, limits.hidden_sheets == "skip", issues)
    if scanned is None:
        job.cancel()
        return None
    if scanned.macros:
        issues.warning(
            "macros_ignored",
            "매크로가 든 파일(.xlsm)입니다. 매크로는 실행하지 않고 셀에 저장된 값만 읽었습니다.",
            "The workbook holds macros; they were not run, only the stored cell values were read.",
            value=filename,
        )
    return _read_calamine(filename, fmt, limits, issues, job)


def _not_spreadsheet(filename: str, issues: Issues, detail: str) -> None:
    """Record that the bytes are not a spreadsheet of a supported format."""
    issues.error(
        "not_spreadsheet",
        "엑셀(.xlsx, .xls), ODS 또는 CSV 파일이 아닙니다. 엑셀에서 저장한 파일을 올려 주세요.",
        f"Not a spreadsheet ({detail}); upload .xlsx, .xls, .ods or .csv.",
        value=filename,
    )


def _start_child(content: bytes, limits: ImportLimits) -> sandbox.CalamineJob:
    """Start the python-calamine parse in a child process with the memory and time limits."""
    return sandbox.CalamineJob(
        content,
        memory_mb=limits.parse_memory_mb,
        timeout_s=limits.parse_timeout_s,
        max_rows=limits.max_rows,
        max_cols=limits.max_cols,
        max_cells=limits.max_cells,
        hidden_sheets=limits.hidden_sheets,
    )


def _read_calamine(
    filename: str, fmt: str, limits: ImportLimits, issues: Issues, job: sandbox.CalamineJob
) -> Workbook | None:
    """The child's parse as sheet grids; a crash, memory or time overrun there becomes a refusal."""
    res = job.result()
    if res.status == "encrypted" or (res.status == "error" and fmt == "xls" and "password" in res.detail.lower()):
        _encrypted(filename, issues)
        return None
    if res.status == "error":
        prescan.corrupt(filename, issues, res.detail)
        return None
    if res.status == "unavailable":
        issues.error(
            "parse_unavailable",
            "서버가 파일을 읽는 작업을 시작하지 못했습니다. 잠시 뒤 다시 올려 주시고, 계속되면 담당자에게 알려 주세요.",
            f"The parsing process could not be started ({res.detail}).",
            value=filename,
        )
        return None
    if res.status != "ok":
        issues.error(
            "parse_limit_exceeded",
            f"파일을 여는 데 필요한 메모리/시간 한도(메모리 {limits.parse_memory_mb:,}MB, 시간 "
            f"{limits.parse_timeout_s:g}초)를 넘었습니다. 표 밖의 먼 셀에 남은 값이나 서식을 지우고 필요한 "
            "시트만 남겨 다시 저장해 올려 주세요.",
            f"Reading the file went past the memory/time limits ({res.status}: {res.detail}).",
            value=filename,
        )
        return None
    sheets: list[SheetGrid] = []
    entries = [e for e in _listed(res.payload, "sheets") if isinstance(e, dict)]
    for entry in entries:
        grid = _sheet_from(entry, limits, issues)
        if grid is not None:
            sheets.append(grid)
    if entries and all(e.get("hidden") for e in entries) and limits.hidden_sheets == "skip":
        issues.error(
            "all_sheets_hidden",
            "모든 시트가 숨겨져 있어 읽을 시트가 없습니다. 엑셀에서 시트 탭을 마우스 "
            "오른쪽 단추로 눌러 [숨기기 취소]를 고른 뒤 저장해 올려 주세요.",
            "Every sheet is hidden; unhide the sheet to import and save.",
            value=filename,
        )
    stats = {
        "child_peak_mb": float(res.payload.get("peak_rss_kb", 0)) / 1024,  # type: ignore[arg-type]
        "child_seconds": res.seconds,
    }
    return Workbook(fmt, sheets, stats)


def _listed(answer: dict[str, object], key: str) -> list[Any]:
    """The list the parsing child sent under `key`; [] when it sent none (or something else)."""
    value = answer.get(key)
    return list(value) if isinstance(value, list | tuple) else []


def _sheet_from(entry: dict[str, object], limits: ImportLimits, issues: Issues) -> SheetGrid | None:
    """A SheetGrid from the child's answer for one sheet, with the issues it carries (hidden, too big, NUL)."""
    name, hidden = str(entry.get("name", "")), bool(entry.get("hidden"))
    if entry.get("skipped"):
        issues.warning(
            "hidden_sheet_skipped",
            f"숨겨진 시트 '{name}'은(는) 읽지 않았습니다. 올릴 내용이면 시트 숨기기를 해제하세요.",
            f"Hidden sheet {name!r} was skipped; unhide it to import it.",
            sheet=name,
        )
        return None
    if "error" in entry:
        issues.error(
            "sheet_unreadable",
            f"시트 '{name}'을(를) 읽을 수 없습니다. {OPEN_AND_SAVE_KO}",
            f"Cannot read sheet {name!r}: {entry['error']}",
            sheet=name,
        )
        return None
    end = entry.get("end")
    if entry.get("too_big") and isinstance(end, tuple):
        rows, cols = end[0] + 1, end[1] + 1
        if rows > limits.max_rows:
            _too_many_rows(name, rows, limits, issues)
        elif cols > limits.max_cols:
            issues.error(
                "too_many_columns",
                f"시트 '{name}'의 열이 너무 많습니다 ({cols:,}열). 표만 남겨 주세요.",
                f"Sheet {name!r} has too many columns ({cols}).",
                sheet=name,
                col=end[1],
            )
        else:
            issues.error(
                "too_many_cells",
                f"시트 '{name}'의 표 범위가 지나치게 큽니다 ({rows:,}행 × {cols:,}열). 필요한 표만 남겨 저장해 주세요.",
                f"Sheet {name!r}: the used range {rows} x {cols} is too large.",
                sheet=name,
                row=end[0],
                col=end[1],
            )
        return None
    grid_rows = [r if type(r) is list else list(r) for r in _listed(entry, "rows")]
    for r, c in _listed(entry, "nul_cells"):
        issues.error(
            "nul_character",
            f"시트 '{name}'의 {col_letter(c)}{r + 1} 셀에 보이지 않는 NUL 문자(\\0)가 들어 있습니다. 그 셀을 "
            "지우고 다시 입력해 저장해 주세요.",
            "The cell holds a NUL character (\\0); retype it.",
            sheet=name,
            row=r,
            col=c,
            value=grid_rows[r][c].replace("\x00", "␀"),
        )
    width = max((len(r) for r in grid_rows), default=0)
    merged = []
    for r0, c0, r1, c1 in _listed(entry, "merged"):
        r1, c1 = min(r1, len(grid_rows) - 1), min(c1, width - 1)  # a merge beyond the data holds nothing
        if r0 <= r1 and c0 <= c1 and (r1 > r0 or c1 > c0):
            merged.append((r0, c0, r1, c1))
    if hidden:
        issues.warning(
            "hidden_sheet_read", f"숨겨진 시트 '{name}'도 읽었습니다.", f"Hidden sheet {name!r} was read.", sheet=name
        )
    return SheetGrid(name, grid_rows, hidden, merged)


def _too_many_rows(sheet: str, count: int, limits: ImportLimits, issues: Issues) -> None:
    """Record that a sheet has more rows than limits.max_rows."""
    issues.error(
        "too_many_rows",
        f"시트 '{sheet}'의 행이 너무 많습니다 ({count:,}행, 한도 {limits.max_rows:,}행). "
        "필요한 표만 남기거나 나누어 올려 주세요.",
        f"Sheet {sheet!r} has {fmt_dec(count)} rows; the limit is {fmt_dec(limits.max_rows)}.",
        sheet=sheet,
        row=limits.max_rows,
    )


def _utf16_without_bom(content: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes fill every other position of the head (ASCII in UTF-16), else None."""
    head = content[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > len(head) // 8 and even == 0:
        return "utf-16-le"
    if even > len(head) // 8 and odd == 0:
        return "utf-16-be"
    return None


def decode_text(content: bytes) -> tuple[str, str] | None:
    """Decode CSV bytes: UTF-8 with BOM, UTF-16 with or without BOM, UTF-8, then cp949 (a superset of euc-kr)."""
    if content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif utf16 := _utf16_without_bom(content):
        candidates = [utf16]
    else:
        candidates = ["utf-8", "cp949"]
    for enc in candidates:
        try:
            return content.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None


class _LineTooLong(Exception):
    """A CSV line longer than the limit: its number and length."""

    def __init__(self, line: int, length: int) -> None:
        """Keep the line number and its length."""
        super().__init__(line, length)
        self.line, self.length = line, length


def _lines(text: str, limit: int) -> Iterator[str]:
    """The lines of the text (any of CR, LF, CRLF ends them), refusing one longer than `limit` characters."""
    for i, line in enumerate(io.StringIO(text, newline="")):
        if len(line) > limit:
            raise _LineTooLong(i, len(line))
        yield line


_BREAK = re.compile(r"\r\n|\r|\n")


def _nul_position(text: str, delim: str) -> tuple[int, int]:
    """(row, column) of the first NUL character, counting lines and delimiters before it."""
    pos = text.index("\x00")
    starts = [m.end() for m in _BREAK.finditer(text, 0, pos)]
    line_start = starts[-1] if starts else 0
    return len(starts), text.count(delim, line_start, pos)


def _read_text(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    """A CSV: decoded, refused when binary, holding NUL or an overlong line, else read row by row within limits."""
    decoded = decode_text(content)
    head = content[:2048].lower()
    if b"<html" in head or b"<table" in head or b"<?xml" in head:
        issues.error(
            "html_as_excel",
            "웹 페이지(HTML/XML)를 엑셀 확장자로 저장한 파일입니다. " + OPEN_AND_SAVE_KO,
            "This is a web page (HTML/XML) saved with a spreadsheet name; save it as .xlsx in Excel.",
            value=filename,
        )
        return None
    if decoded is None:
        _not_spreadsheet(filename, issues, "binary data")
        return None
    text, _enc = decoded
    text = text.replace("\ufeff", "")  # a BOM inside the text: exports pasted together (the first went with decoding)
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(2, len(sample) // 100):
        _not_spreadsheet(filename, issues, "binary data")
        return None
    delim = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    if "\x00" in text:
        r, c = _nul_position(text, delim)
        issues.error(
            "nul_character",
            f"CSV {r + 1}행 {col_letter(c)}열에 보이지 않는 NUL 문자(\\0)가 있습니다. 다른 프로그램이 잘못 "
            "저장한 파일일 수 있습니다. 엑셀에서 열어 CSV로 다시 저장해 올려 주세요.",
            "The CSV holds a NUL character (\\0); open it in Excel and save it again.",
            sheet="CSV",
            row=r,
            col=c,
        )
        return None
    rows: list[list[Cell]] = []
    try:
        for i, row in enumerate(csv.reader(_lines(text, limits.max_line_chars), delimiter=delim)):
            if i >= limits.max_rows:
                _too_many_rows("CSV", len(_BREAK.findall(text)) + (not text.endswith(("\n", "\r"))), limits, issues)
                return None
            if len(row) > limits.max_cols:
                issues.error(
                    "too_many_columns",
                    f"CSV {i + 1}행의 열이 너무 많습니다 ({len(row):,}열, 한도 "
                    f"{limits.max_cols:,}열). 표만 남겨 주세요.",
                    f"Too many columns in the CSV ({fmt_dec(len(row))}).",
                    sheet="CSV",
                    row=i,
                    col=limits.max_cols,
                )
                return None
            rows.append([c.strip() for c in row])
    except _LineTooLong as exc:
        issues.error(
            "line_too_long",
            f"CSV {exc.line + 1}번째 줄이 지나치게 깁니다 ({exc.length:,}자, 한도 "
            f"{limits.max_line_chars:,}자). 줄바꿈이 빠졌거나 표가 아닌 파일일 수 있습니다. 엑셀에서 열어 "
            "확인한 뒤 다시 저장해 올려 주세요.",
            f"Line {exc.line + 1} of the CSV is {fmt_dec(exc.length)} characters long; the limit is "
            f"{fmt_dec(limits.max_line_chars)}.",
            sheet="CSV",
            row=exc.line,
        )
        return None
    except csv.Error as exc:
        prescan.corrupt(filename, issues, f"CSV: {exc}")
        return None
    return Workbook("csv", [SheetGrid("CSV", rows)])


__all__ = ["ImportLimits", "SheetGrid", "Workbook", "col_letter", "decode_text", "is_blank", "read_workbook"]
