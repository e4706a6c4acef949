"""Read an uploaded file safely into sheet grids: size, zip and XML checks first, then python-calamine or csv."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Literal

import python_calamine as pc
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from kpi.importers.issues import Issues, col_letter

Cell = object
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
OPEN_AND_SAVE_KO = "엑셀에서 파일을 열어 '저장'한 뒤(.xlsx) 다시 올려 주세요."


@dataclass(frozen=True)
class ImportLimits:
    """Limits that keep a hostile or oversized upload from hurting the server (settings; these are defaults)."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_cols: int = 1_000
    max_uncompressed: int = 200 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed size of the whole archive
    max_zip_entries: int = 2_000
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

    def merge_at(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        """The merged range covering (r, c), if any."""
        for rng in self.merged:
            if rng[0] <= r <= rng[2] and rng[1] <= c <= rng[3]:
                return rng
        return None


@dataclass
class Workbook:
    """What was read: the detected format and the sheets to look at."""

    fmt: str  # xlsx | xls | ods | csv
    sheets: list[SheetGrid]


def is_blank(value: Cell) -> bool:
    """True for an empty cell (None or whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_workbook(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    """Detect the format from the bytes (not the name), run the safety checks, and read every sheet."""
    if len(content) > limits.max_bytes:
        issues.error("file_too_large",
                     f"파일이 너무 큽니다 ({len(content) / 1048576:.1f}MB, 한도 "
                     f"{limits.max_bytes / 1048576:.0f}MB). "
                     "필요한 시트만 남겨 다시 올려 주세요.",
                     f"File too large ({len(content)} bytes; limit {limits.max_bytes}).", value=filename)
        return None
    if not content.strip():
        issues.error("file_empty", "빈 파일입니다. 내용이 있는 파일을 올려 "
                                   "주세요.", "The file is empty.", value=filename)
        return None
    if content.startswith(ZIP_MAGICS):
        return _read_zip(filename, content, limits, issues)
    if content.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in content or "EncryptionInfo".encode("utf-16-le") in content:
            _encrypted(filename, issues)
            return None
        return _read_calamine(filename, content, "xls", limits, issues)
    return _read_text(filename, content, limits, issues)


def _encrypted(filename: str, issues: Issues) -> None:
    issues.error("encrypted", "암호가 걸린 파일입니다. 엑셀에서 암호(문서 보호)를 해제하고 저장한 뒤 다시 "
                              "올려 주세요.",
                 "The workbook is password-protected (encrypted); remove the password and upload again.",
                 value=filename)


def _corrupt(filename: str, issues: Issues, detail: str) -> None:
    issues.error("file_corrupt", f"파일이 손상되었거나 일부만 올라왔습니다. {OPEN_AND_SAVE_KO}",
                 f"The file is damaged or truncated ({detail}).", value=filename)


def _read_zip(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        _corrupt(filename, issues, str(exc))
        return None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if len(infos) > limits.max_zip_entries or total > limits.max_uncompressed or (
            total > 1_000_000 and total / packed > limits.max_ratio):
        issues.error("zip_bomb", "압축을 풀면 비정상적으로 커지는 파일이라 열지 않았습니다. 원본 엑셀 파일을 "
                                 "다시 저장해 올려 주세요.",
                     f"Refused: the archive expands to {total} bytes from {packed} ({len(infos)} parts).",
                     value=filename)
        return None
    if any(i.flag_bits & 0x1 for i in infos):
        _encrypted(filename, issues)
        return None
    names = {i.filename for i in infos}
    if "mimetype" in names:
        try:
            is_ods = zf.read("mimetype").strip() == ODS_MIME
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            _corrupt(filename, issues, str(exc))
            return None
        fmt = "ods" if is_ods else ""
    else:
        fmt = "xlsx" if "xl/workbook.xml" in names else ""
    if not fmt:
        _not_spreadsheet(filename, issues, "a zip archive that is not a workbook")
        return None
    if not _scan_xml(zf, infos, filename, issues):
        return None
    return _read_calamine(filename, content, fmt, limits, issues)


def _scan_xml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], filename: str, issues: Issues) -> bool:
    """Parse XML parts with defusedxml (no DTD, no entities) and find formulas without cached values."""
    sheet_names = _sheet_part_names(zf)
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            data = zf.read(info)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            _corrupt(filename, issues, f"{info.filename}: {exc}")
            return False
        try:
            if len(data) <= 200_000:
                SafeET.fromstring(data, forbid_dtd=True)
            else:  # a DOCTYPE must precede the root element, so the head of a big part is enough;
                # its well-formedness is calamine's to check (a broken part is reported as corrupt)
                parser = SafeET.DefusedXMLParser(forbid_dtd=True)
                parser.feed(data[:65_536])
                if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
                    raise DTDForbidden(None, None, None)
        except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
            issues.error("xml_entities", "파일 안에 허용되지 않는 XML 선언(DTD/엔티티)이 있어 열지 "
                                         "않았습니다. "
                         + OPEN_AND_SAVE_KO,
                         f"Refused: {info.filename} declares a DTD or entities (possible XML "
                         "bomb).", value=filename)
            return False
        except SafeET.ParseError as exc:
            _corrupt(filename, issues, f"{info.filename}: {exc}")
            return False
        if info.filename in sheet_names and _FORMULA.search(data):
            _check_formulas(data, sheet_names[info.filename], issues)
    return True


def _sheet_part_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Map worksheet part paths (xl/worksheets/sheet1.xml) to sheet names."""
    try:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except Exception:  # the XML scan reports bad parts; the names are only for messages
        return {}
    targets = {r.get("Id"): (r.get("Target") or "") for r in rels}
    out: dict[str, str] = {}
    for el in book.iter():
        if el.tag.endswith("}sheet"):
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out[path] = el.get("name") or ""
    return out


_FORMULA = re.compile(rb"<f[\s>/]")  # a formula element (not <formula1> of a data validation)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>[^<]+</v>|<is>", re.S)


def _check_formulas(data: bytes, sheet: str, issues: Issues) -> None:
    missing: list[tuple[str, int]] = []
    for m in _CELL.finditer(data):
        body = m.group(2) or b""
        if b"<f" in body and not _VALUE.search(body):
            ref = _REF.search(m.group(1))
            missing.append((ref.group(1).decode(), int(ref.group(2))) if ref else ("", 0))
    if missing:
        col, row = missing[0]
        issues.error("formula_no_value",
                     f"수식 {len(missing)}개에 계산된 값이 저장되어 있지 않습니다 (처음: {col}{row}). "
                     "프로그램이 만든 파일일 수 있습니다. " + OPEN_AND_SAVE_KO,
                     f"{len(missing)} formula cell(s) have no cached value (first {col}{row}); "
                     "open the file in Excel and save it.", sheet=sheet, row=row - 1 if row else None,
                     col=_col_index(col) if col else None)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _not_spreadsheet(filename: str, issues: Issues, detail: str) -> None:
    issues.error("not_spreadsheet", "엑셀(.xlsx, .xls), ODS 또는 CSV 파일이 아닙니다. 엑셀에서 저장한 파일을 "
                                    "올려 주세요.",
                 f"Not a spreadsheet ({detail}); upload .xlsx, .xls, .ods or .csv.", value=filename)


def _read_calamine(filename: str, content: bytes, fmt: str, limits: ImportLimits, issues: Issues) -> Workbook | None:
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except pc.PasswordError:
        _encrypted(filename, issues)
        return None
    except Exception as exc:  # calamine raises several error types for damaged files
        if fmt == "xls" and "password" in str(exc).lower():
            _encrypted(filename, issues)
        else:
            _corrupt(filename, issues, f"{type(exc).__name__}: {exc}")
        return None
    sheets: list[SheetGrid] = []
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            if hidden and limits.hidden_sheets == "skip":
                issues.warning("hidden_sheet_skipped",
                               f"숨겨진 시트 '{meta.name}'은(는) 읽지 않았습니다. 올릴 내용이면 시트 "
                               "숨기기를 해제하세요.",
                               f"Hidden sheet {meta.name!r} was skipped; unhide it to import "
                               "it.", sheet=meta.name)
                continue
            grid = _read_sheet(book, meta.name, hidden, limits, issues)
            if grid is not None:
                if hidden:
                    issues.warning("hidden_sheet_read", f"숨겨진 시트 '{meta.name}'도 읽었습니다.",
                                   f"Hidden sheet {meta.name!r} was read.", sheet=meta.name)
                sheets.append(grid)
    return Workbook(fmt, sheets)


def _read_sheet(book: pc.CalamineWorkbook, name: str, hidden: bool, limits: ImportLimits,
                issues: Issues) -> SheetGrid | None:
    try:
        sheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None and end[0] + 1 > limits.max_rows:
            _too_many_rows(name, end[0] + 1, limits, issues)
            return None
        if end is not None and end[1] + 1 > limits.max_cols:
            issues.error("too_many_columns", f"시트 '{name}'의 열이 너무 많습니다 ({end[1] + 1:,}열). 표만 "
                                             "남겨 주세요.",
                         f"Sheet {name!r} has too many columns ({end[1] + 1}).", sheet=name, col=end[1])
            return None
        rows = sheet.to_python(skip_empty_area=False) if end is not None else []
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
    except Exception as exc:  # a damaged sheet part
        issues.error("sheet_unreadable", f"시트 '{name}'을(를) 읽을 수 없습니다. {OPEN_AND_SAVE_KO}",
                     f"Cannot read sheet {name!r}: {exc}", sheet=name)
        return None
    return SheetGrid(name, [list(r) for r in rows], hidden, merged)


def _too_many_rows(sheet: str, count: int, limits: ImportLimits, issues: Issues) -> None:
    issues.error("too_many_rows",
                 f"시트 '{sheet}'의 행이 너무 많습니다 ({count:,}행, 한도 {limits.max_rows:,}행). "
                 "필요한 표만 남기거나 나누어 올려 주세요.",
                 f"Sheet {sheet!r} has {count} rows; the limit is {limits.max_rows}.", sheet=sheet,
                 row=limits.max_rows)


def decode_text(content: bytes) -> tuple[str, str] | None:
    """Decode CSV bytes: UTF-8 with BOM, UTF-16 with BOM, UTF-8, then cp949 (a superset of euc-kr)."""
    if content.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp949"]
    for enc in candidates:
        try:
            return content.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None


def _read_text(filename: str, content: bytes, limits: ImportLimits, issues: Issues) -> Workbook | None:
    decoded = decode_text(content)
    head = content[:2048].lower()
    if b"<html" in head or b"<table" in head or b"<?xml" in head:
        issues.error("html_as_excel", "웹 페이지(HTML/XML)를 엑셀 확장자로 저장한 파일입니다. " + OPEN_AND_SAVE_KO,
                     "This is a web page (HTML/XML) saved with a spreadsheet name; save it as .xlsx in "
                     "Excel.",
                     value=filename)
        return None
    if decoded is None:
        _not_spreadsheet(filename, issues, "binary data")
        return None
    text, _enc = decoded
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0:
        _not_spreadsheet(filename, issues, "binary data")
        return None
    sample = text[:4096]
    delim = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    rows: list[list[Cell]] = []
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim)):
            if i >= limits.max_rows:
                _too_many_rows("CSV", text.count("\n") + (not text.endswith("\n")), limits, issues)
                return None
            rows.append([c.strip() for c in row])
    except csv.Error as exc:
        _corrupt(filename, issues, f"CSV: {exc}")
        return None
    if rows and max(len(r) for r in rows) > limits.max_cols:
        issues.error("too_many_columns", "CSV의 열이 너무 많습니다. 표만 남겨 "
                                         "주세요.", "Too many columns in the CSV.",
                     sheet="CSV", col=limits.max_cols)
        return None
    return Workbook("csv", [SheetGrid("CSV", rows)])


__all__ = ["ImportLimits", "SheetGrid", "Workbook", "col_letter", "decode_text", "is_blank", "read_workbook"]
