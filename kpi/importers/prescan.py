"""Cheap checks of a workbook archive before any parser sees it, read from the file's own parts in 1 MB pieces.

- part names: no two parts of the same name, no absolute or '..' paths;
- every XML part: no DTD or entity declarations (XML bombs);
- worksheets (xlsx) and tables (ods): the used range from A1, from the cells' own positions (`r` attributes,
  or counted in order where a cell or row has none; any namespace prefix; ods repeated rows and columns),
  against the row, column and cell limits, naming the far cell that makes a sheet too large;
- shared strings and merged ranges are counted; formulas: a cached value, no DDE, no link to another file.

The `<dimension>` element is not trusted either way: it can lie, and Excel widens it for merely formatted
cells that no reader loads. A cell written but left empty (`<c r="XFD1" s="1"/>`) counts, as Excel's own
used range (Ctrl+End) does: the message asks to clear it, which is what fixes the file in Excel too.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TypeVar
from xml.sax.saxutils import unescape

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from kpi.importers.conventions import fmt_dec
from kpi.importers.issues import Issues, cell_ref, clip, col_from_letters

_FIRST, _SECOND = itemgetter(0), itemgetter(1)
CHUNK = 1 << 20
MAX_CARRY = 8 << 20  # one cell (or tag) longer than this is not a spreadsheet
SMALL_PART = 200_000  # parts up to this size are parsed whole by defusedxml (well-formedness too)
OPEN_AND_SAVE_KO = "엑셀에서 파일을 열어 '저장'한 뒤(.xlsx) 다시 올려 주세요."

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix
_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')  # the usual cell reference, for the fast path
_REF_AFTER_SPACE = re.compile(rb' r="([A-Z]{1,3})(\d{1,7})"')  # the same after a space: a literal prefix, 3x faster
_OTHER_SPACE = (b"\t", b"\n", b"\r", b"\x0b", b"\x0c")  # the whitespace of \s besides the space
_CELL_ENDS = (b">", b"/", b"\t", b"\n", b"\r")  # what may follow "<c" in a cell's start tag besides a space
_CELL_START = re.compile(rb"<" + _P + rb"c[\s/>]")
_CELL_END = re.compile(rb"</" + _P + rb"c\s*>")
_TOKEN = re.compile(rb"<" + _P + rb"(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d*)["']""")
_FORMULA = re.compile(rb"<" + _P + rb"f[\s>/]")  # a formula element (not <formula1> of a data validation)
_ERROR_CELL = re.compile(rb"<" + _P + rb"c\s[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*>(.*?)</" + _P + rb"c\s*>", re.S)
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)<")
_CACHED = re.compile(rb"<" + _P + rb"v>[^<]+<|<" + _P + rb"is[\s>]")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_PREFIXED_SI = re.compile(rb"<[A-Za-z_][\w.-]*:si[\s/>]")
_MERGE = re.compile(rb"<" + _P + rb"mergeCell[\s/>]")
_EXTERNAL = re.compile(r"\[\d+\]")
_ODS_TOKEN = re.compile(rb"<(/?)" + _P + rb"(table|table-row|table-cell|covered-table-cell|p)(?=[\s/>])([^>]*)>")
_ODS_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*["']([^"']*)["']""")
_ODS_ROWS = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?number-rows-repeated\s*=\s*["'](\d{1,9})["']""")
_ODS_COLS = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?number-columns-repeated\s*=\s*["'](\d{1,9})["']""")
_ODS_VALUE = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?value-type\s*=""")
_ODS_ERROR = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?value-type\s*=\s*["']error["']""")  # LibreOffice's error cell
_ODS_FORMULA = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?formula\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True)
class ScanLimits:
    """The limits the pre-scan applies (taken from ImportLimits)."""

    max_rows: int
    max_cols: int
    max_cells: int
    max_shared_strings: int
    max_merges: int


class Refused(Exception):
    """The scan found a reason to refuse the file; the issue is already recorded."""


def col_index(letters: bytes) -> int:
    """0-based column index of Excel column letters (b'A' -> 0); a very long string gives a very large index."""
    return col_from_letters(letters.decode("latin-1")) if len(letters) <= 6 else 10**9


def row_index(digits: bytes) -> int:
    """0-based row index of an Excel row number (b'1' -> 0); a very long number gives a very large index."""
    return int(digits) - 1 if len(digits) <= 9 else 10**9


Comparable = TypeVar("Comparable", int, bytes)


def _pick_two_largest(values: list[Comparable], low: Comparable, picks: set[int]) -> None:
    """Add to picks the index of the largest value and of the largest of the others (values left as they were)."""
    i = values.index(max(values))
    picks.add(i)
    if len(values) > 1:
        top, values[i] = values[i], low
        picks.add(values.index(max(values)))
        values[i] = top


@dataclass
class Extent:
    """A sheet's used range from A1 (0-based), with the two largest rows and columns and the cells holding them."""

    sheet: str
    cells: int = 0
    r1: int = -1
    r1_cell: tuple[int, int] = (-1, -1)
    r2: int = -1  # the largest row among the other cells
    c1: int = -1
    c1_cell: tuple[int, int] = (-1, -1)
    c2: int = -1
    partial: bool = False  # the scan stopped early: two cells already lie beyond the row limit

    def add(self, r: int, c: int, count: int = 1) -> None:
        """Count `count` cells whose farthest corner is (r, c); a block of several cells counts that corner twice."""
        self.cells += count
        for _ in range(2 if count > 1 else 1):
            if r > self.r1:
                self.r2, self.r1, self.r1_cell = self.r1, r, (r, c)
            elif r > self.r2:
                self.r2 = r
            if c > self.c1:
                self.c2, self.c1, self.c1_cell = self.c1, c, (r, c)
            elif c > self.c2:
                self.c2 = c

    def add_refs(self, refs: list[tuple[bytes, bytes]]) -> None:
        """Count cells given as (letters, digits) references: their two largest rows and columns, in C-level passes."""
        n = len(refs)
        if not n:
            return
        letters = list(map(_FIRST, refs))
        rows = list(map(int, map(_SECOND, refs)))
        keys = letters if max(map(len, letters)) == 1 else [x.rjust(3) for x in letters]
        picks: set[int] = set()
        _pick_two_largest(rows, 0, picks)
        _pick_two_largest(keys, b"", picks)
        for k in picks:
            self.add(rows[k] - 1, col_index(letters[k]))
        self.cells += n - len(picks)

    def judge(self, limits: ScanLimits, issues: Issues) -> bool:
        """True when the range fits; else record far_cell / too_many_rows / too_many_columns / too_many_cells."""
        if self.cells <= 0:
            return True
        rows, cols = self.r1 + 1, self.c1 + 1

        def fits(nr: int, nc: int) -> bool:
            """Within the row, column and cell limits."""
            return nr <= limits.max_rows and nc <= limits.max_cols and nr * nc <= limits.max_cells

        if fits(rows, cols):
            return True
        options = []
        for cell in dict.fromkeys((self.r1_cell, self.c1_cell)):
            nr = self.r2 + 1 if cell == self.r1_cell else rows
            nc = self.c2 + 1 if cell == self.c1_cell else cols
            options.append((nr * nc, cell, nr, nc))
        _area, far, nr, nc = min(options)
        size = f"{rows:,}행 × {cols:,}열"
        where = cell_ref(*far)
        if fits(nr, nc):
            issues.error(
                "far_cell",
                f"시트 '{self.sheet}'의 {where} 셀에 값이 있어 표 범위가 지나치게 큽니다 ({size}). 그 셀을 "
                "지우고(값과 서식 모두) 저장해 주세요.",
                f"Sheet {self.sheet!r}: the cell {where} makes the used range {fmt_dec(rows)} x {fmt_dec(cols)}; "
                "clear that cell and save.",
                sheet=self.sheet,
                row=far[0],
                col=far[1],
            )
        elif rows > limits.max_rows:
            issues.error(
                "too_many_rows",
                f"시트 '{self.sheet}'의 행이 너무 많습니다 ({rows:,}행{' 이상' if self.partial else ''}, "
                f"한도 {limits.max_rows:,}행; 예: {cell_ref(*self.r1_cell)}). 필요한 표만 남기거나 나누어 올려 "
                "주세요.",
                f"Sheet {self.sheet!r} has {fmt_dec(rows)} rows; the limit is {fmt_dec(limits.max_rows)}.",
                sheet=self.sheet,
                row=limits.max_rows,
            )
        elif cols > limits.max_cols:
            issues.error(
                "too_many_columns",
                f"시트 '{self.sheet}'의 열이 너무 많습니다 ({cols:,}열, 한도 {limits.max_cols:,}열; 마지막 "
                f"값: {cell_ref(*self.c1_cell)}). 표만 남겨 주세요.",
                f"Sheet {self.sheet!r} has {fmt_dec(cols)} columns; the limit is {fmt_dec(limits.max_cols)}.",
                sheet=self.sheet,
                col=self.c1,
            )
        else:
            issues.error(
                "too_many_cells",
                f"시트 '{self.sheet}'의 표 범위가 지나치게 큽니다 ({size} = {rows * cols:,}칸, 한도 "
                f"{limits.max_cells:,}칸). 표 밖의 값(예: {where})을 지우거나 필요한 표만 남겨 저장해 "
                "주세요.",
                f"Sheet {self.sheet!r}: the used range {fmt_dec(rows)} x {fmt_dec(cols)} exceeds "
                f"{fmt_dec(limits.max_cells)} cells.",
                sheet=self.sheet,
                row=far[0],
                col=far[1],
            )
        return False


@dataclass
class ScanResult:
    """What the scan learnt besides refusals: macros present, sheet names by part."""

    macros: bool = False
    sheets: dict[str, tuple[str, bool]] = field(default_factory=dict)  # lower-cased part -> (name, hidden)


def check_names(infos: list[zipfile.ZipInfo], filename: str, issues: Issues) -> bool:
    """Refuse duplicate part names and absolute, '..' or drive paths (another tool may read a different part)."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
            issues.error(
                "zip_unsafe_name",
                f"파일 안에 허용되지 않는 경로('{clip(name)}')가 있어 열지 않았습니다. 엑셀에서 저장한 원본 "
                "파일을 올려 주세요.",
                f"Refused: the archive holds a part with an unsafe path {name!r}.",
                value=filename,
            )
            return False
        key = name.replace("\\", "/").lower()
        if key in seen:
            issues.error(
                "zip_duplicate_part",
                f"파일 안에 같은 이름의 부분('{clip(name)}')이 두 개 있습니다. 프로그램마다 다른 내용을 "
                "보여 줄 수 있어 열지 않았습니다. " + OPEN_AND_SAVE_KO,
                f"Refused: the archive holds two parts named {name!r}; tools may disagree on which one counts.",
                value=filename,
            )
            return False
        seen.add(key)
    return True


def corrupt(filename: str, issues: Issues, detail: str) -> None:
    """A part that cannot be read: the file is damaged or truncated."""
    issues.error(
        "file_corrupt",
        f"파일이 손상되었거나 일부만 올라왔습니다. {OPEN_AND_SAVE_KO}",
        f"The file is damaged or truncated ({detail}).",
        value=filename,
    )


def _dtd(filename: str, part: str, issues: Issues) -> None:
    """A DTD or entity declaration anywhere: refused before any parser expands it."""
    issues.error(
        "xml_entities",
        "파일 안에 허용되지 않는 XML 선언(DTD/엔티티)이 있어 열지 않았습니다. " + OPEN_AND_SAVE_KO,
        f"Refused: {part} declares a DTD or entities (possible XML bomb).",
        value=filename,
    )


def count_tags(buf: bytes, name: bytes, prefixed: re.Pattern[bytes]) -> int:
    """Start tags <name ...>, <name>, <name/> (any prefix) in buf, counted without making a match object each."""
    n = sum(buf.count(b"<" + name + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
    return n + (len(prefixed.findall(buf)) if b":" + name in buf else 0)


def cell_refs(buf: bytes) -> list[tuple[bytes, bytes]]:
    """_REF.findall(buf): the (letters, digits) of every `r="B7"` after whitespace, found after a space alone when
    every `r="` of the piece follows a space (single-byte look-ups rule the other whitespace out first)."""
    if any(w in buf for w in _OTHER_SPACE) and buf.count(b'r="') != buf.count(b' r="'):
        return _REF.findall(buf)
    return _REF_AFTER_SPACE.findall(buf)


def cell_tags(buf: bytes) -> int:
    """count_tags(buf, b"c", _PREFIXED_CELL): the cells' start tags, the usual `<c ` counted alone when every `<c`
    of the piece is one."""
    n = buf.count(b"<c ")
    if buf.count(b"<c") != n:
        n += sum(buf.count(b"<c" + end) for end in _CELL_ENDS)
    return n + (len(_PREFIXED_CELL.findall(buf)) if b":" in buf and b":c" in buf else 0)


def _last_open_cell(buf: bytes) -> int:
    """Where an unfinished cell starts at the end of buf (to carry it whole into the next piece); -1 if none."""
    last_start = -1
    for tail in (4_096, 262_144):  # a cell is short; look further back only when the last 4 KB hold none
        for m in _CELL_START.finditer(buf, max(0, len(buf) - tail)):
            last_start = m.start()
        if last_start >= 0 or tail >= len(buf):
            break
    if last_start < 0:
        return -1
    return -1 if _CELL_END.search(buf, last_start) else last_start


def pieces(zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, whole_cells: bool = False) -> Iterator[bytes]:
    """The part in pieces of about 1 MB, each ending before a tag (and before an unfinished cell if asked)."""
    carry = b""
    with zf.open(info) as f:
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            buf = carry + chunk if carry else chunk
            cut = buf.rfind(b"<")
            if whole_cells:
                start = _last_open_cell(buf)
                cut = start if 0 <= start < cut else cut
            if cut <= 0:
                cut = len(buf) if len(buf) > MAX_CARRY else 0
            if len(buf) - cut > MAX_CARRY:
                raise ValueError(f"{info.filename}: an element longer than {MAX_CARRY} bytes")
            if cut:
                yield buf[:cut]
            carry = buf[cut:]
    if carry:
        yield carry


class _Walker:
    """Cell positions in document order, for sheets where some cell or row has no `r` attribute."""

    def __init__(self, extent: Extent, max_elements: int, max_rows: int) -> None:
        """Start before the first row and column of the sheet."""
        self.extent, self.max_elements, self.max_rows = extent, max_elements, max_rows
        self.row, self.col = -1, -1

    def feed(self, buf: bytes) -> bool:
        """Advance over a piece; False when the sheet holds more cell elements than any sheet may."""
        for m in _TOKEN.finditer(buf):
            tag, attrs = m.groups()
            r = _R_ATTR.search(attrs)
            if tag == b"row":
                self.row = row_index(r[2]) if r and r[2] else self.row + 1
                self.col = -1
                continue
            if r and r[1] and r[2]:
                self.row, self.col = row_index(r[2]), col_index(r[1])
            else:
                self.col += 1
            self.extent.add(self.row, self.col)  # written cells count, empty or not (Excel's used range)
            if self.extent.cells > self.max_elements:
                return False
            if self.extent.r2 >= self.max_rows:  # too many rows whatever follows: stop reading
                self.extent.partial = True
                return True
        return True


def _check_formulas(buf: bytes, found: dict[str, list[str]]) -> None:
    """Record cells whose formula has no cached value, calls DDE ('|') or refers to another workbook ('[1]')."""
    for m in _FORMULA.finditer(buf):
        start = buf.rfind(b"<", 0, m.start())
        while start >= 0 and not _CELL_START.match(buf, start):
            start = -1 if buf.startswith((b"</", b"<row"), start) else buf.rfind(b"<", 0, start)
        end = _CELL_END.search(buf, m.end())
        if start < 0 or end is None:
            continue  # not inside a cell of this piece
        body = buf[start : end.start()]
        r = _R_ATTR.search(body[2 : body.find(b">")])
        where = (r[1] + r[2]).decode() if r and r[1] and r[2] else ""
        tag_end = buf.find(b">", m.start())
        text = b"" if buf[tag_end - 1 : tag_end] == b"/" else buf[tag_end + 1 : buf.find(b"<", tag_end)]
        formula = unescape(text.decode("utf-8", "replace"))
        if "|" in formula:
            found.setdefault("dde", []).append(where)
        elif _EXTERNAL.search(formula):
            found.setdefault("external", []).append(where)
        if not _CACHED.search(body):
            found.setdefault("no_value", []).append(where)


def _check_error_cells(buf: bytes, found: dict[str, list[str]]) -> None:
    """Record cells holding an Excel error value (t="e": #DIV/0!, #REF!, #N/A, #VALUE!, …) as "B3 #DIV/0!".

    python-calamine returns such a cell as empty, so without this a broken formula's figure would be read as
    missing (or a total as the sum of the rest) without a word.
    """
    for m in _ERROR_CELL.finditer(buf):
        head = buf[m.start() : buf.find(b">", m.start())]
        r = _R_ATTR.search(head[2:])
        where = (r[1] + r[2]).decode() if r and r[1] and r[2] else ""
        value = _VALUE.search(m[1])
        found.setdefault("error_value", []).append(f"{where} {unescape(value[1].decode('utf-8', 'replace'))}".strip()
                                                   if value else where)  # fmt: skip


def _report_formulas(found: dict[str, list[str]], sheet: str, issues: Issues) -> None:
    """One issue per kind of formula problem, naming the first cell and the count."""
    for kind, cells in found.items():
        first, _, error = cells[0].partition(" ")
        m = re.match(r"([A-Z]+)(\d+)$", first)
        at = {"sheet": sheet, "row": int(m[2]) - 1 if m else None, "col": col_index(m[1].encode()) if m else None}
        shown = f"{sheet}!{first}" if first else sheet
        if kind == "dde":
            issues.error(
                "dde_formula",
                f"다른 프로그램을 불러오는 DDE 수식이 있어 열지 않았습니다 (처음: {shown}, {len(cells)}개). "
                "그 셀을 값으로 바꾸거나 지운 뒤 저장해 올려 주세요.",
                f"Refused: {len(cells)} DDE formula(s) (first {shown}); replace them with values.",
                **at,
            )
        elif kind == "external":
            issues.error(
                "external_link",
                f"다른 파일을 참조하는 수식(외부 연결)이 있습니다 (처음: {shown}, {len(cells)}개). 값이 이 "
                "파일의 것이 아닐 수 있어 열지 않았습니다. 엑셀의 [데이터] → [연결 편집] → [연결 끊기]로 값만 "
                "남긴 뒤 저장해 올려 주세요.",
                f"Refused: {len(cells)} formula(s) refer to another workbook (first {shown}); break the "
                "links in Excel and save.",
                **at,
            )
        elif kind == "error_value":
            issues.error(
                "cell_error_value",
                f"{shown} 셀이 엑셀 오류 값({error or '#오류'})입니다 (이 시트에 {len(cells)}개). "
                "빈칸이나 0으로 읽으면 수치가 틀리므로 반영하지 않았습니다. "
                "원본에서 수식을 고치거나 값을 적은 뒤 저장해 올려 주세요.",
                f"Cell {shown} holds an Excel error ({error or 'error'}; {len(cells)} on this sheet). Reading it as "
                "blank or 0 would be wrong, so the file was not read; fix the formula or type the value and save.",
                **at,
            )
        else:
            issues.error(
                "formula_no_value",
                f"수식 {len(cells)}개에 계산된 값이 저장되어 있지 않습니다 (처음: {first or sheet}). "
                "프로그램이 만든 파일일 수 있습니다. " + OPEN_AND_SAVE_KO,
                f"{len(cells)} formula cell(s) have no cached value (first {first}); open the file in "
                "Excel and save it.",
                **at,
            )


def _scan_sheet(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, limits: ScanLimits, read_range: bool, issues: Issues
) -> bool:
    """Stream one worksheet part: DTDs, merges, formulas, and (when it will be read) its used range."""
    extent = Extent(sheet)
    walk = False  # some cell has no reference: positions must be counted in document order (a second pass)
    merges = 0
    found: dict[str, list[str]] = {}
    for buf in pieces(zf, info, whole_cells=True):  # single-byte look-ups (memchr) first: most pieces lack them
        if b"!" in buf and (b"<!DOCTYPE" in buf or b"<!ENTITY" in buf):
            raise DTDForbidden(None, None, None)
        if b"f" in buf and (b"<f" in buf or b":f" in buf):
            _check_formulas(buf, found)
        if read_range and (b't="e"' in buf or (b"'" in buf and b"t='e'" in buf)):
            _check_error_cells(buf, found)
        if b"mergeCell" in buf:
            merges += len(_MERGE.findall(buf))
        if read_range and not walk:
            refs = cell_refs(buf)
            if len(refs) == cell_tags(buf):
                extent.add_refs(refs)
                if extent.r2 + 1 > limits.max_rows:  # too many rows whatever follows: stop reading
                    extent.partial = True
                    break
            else:
                walk = True
    if found:
        _report_formulas(found, sheet, issues)
        if "dde" in found or "external" in found or "error_value" in found:
            return False
    if merges > limits.max_merges:
        issues.error(
            "too_many_merges",
            f"시트 '{sheet}'에 병합된 셀이 너무 많습니다 ({merges:,}곳, 한도 "
            f"{limits.max_merges:,}곳). 셀 병합을 풀고 저장해 주세요.",
            f"Sheet {sheet!r} has {fmt_dec(merges)} merged ranges; the limit is {fmt_dec(limits.max_merges)}.",
            sheet=sheet,
        )
        return False
    if walk:
        extent = Extent(sheet)
        walker = _Walker(extent, 4 * limits.max_cells, limits.max_rows)
        for buf in pieces(zf, info):
            if extent.partial:
                break
            if not walker.feed(buf):
                issues.error(
                    "too_many_cells",
                    f"시트 '{sheet}'의 셀이 지나치게 많습니다 ({walker.max_elements:,}개 "
                    "넘음). 필요한 표만 남겨 저장해 주세요.",
                    f"Sheet {sheet!r} holds more than {fmt_dec(walker.max_elements)} cells.",
                    sheet=sheet,
                )
                return False
    return extent.judge(limits, issues) if read_range else True


def _scan_ods(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ScanLimits, issues: Issues) -> bool:
    """Stream content.xml: every table's used range with repeated rows and columns expanded, and DDE/file links."""
    extent: Extent | None = None
    next_row = row = col = elements = 0
    row_rep = 1
    cell: tuple[int, int, bool] | None = None  # start column, columns repeated, holds a value
    for buf in pieces(zf, info):
        if b"<!DOCTYPE" in buf or b"<!ENTITY" in buf:
            raise DTDForbidden(None, None, None)
        if b"dde-connection" in buf or b"dde-link" in buf:
            issues.error(
                "dde_formula",
                "다른 프로그램을 불러오는 DDE 연결이 있어 열지 않았습니다. 연결을 지우고 값만 남겨 저장해 올려 주세요.",
                "Refused: the spreadsheet holds DDE links.",
            )
            return False
        for m in _ODS_TOKEN.finditer(buf):
            close, tag, attrs = m.groups()
            empty = attrs.rstrip().endswith(b"/")
            if tag == b"table":
                if close and extent is not None:
                    if not extent.judge(limits, issues):
                        return False
                    extent = None
                elif not close and not empty:
                    name = _ODS_NAME.search(attrs)
                    extent = Extent(unescape(name[1].decode("utf-8", "replace")) if name else "")
                    next_row = 0
            elif extent is None or (close and tag != b"table-cell" and tag != b"covered-table-cell"):
                continue
            elif tag == b"table-row":
                rep = _ODS_ROWS.search(attrs)
                row, row_rep, col = next_row, max(1, int(rep[1])) if rep else 1, 0
                next_row += row_rep
            elif tag == b"p":
                if cell is not None and not empty:
                    cell = (cell[0], cell[1], True)
            elif close:  # the end of a cell
                if cell is not None:
                    _ods_block(extent, row, row_rep, *cell)
                    col = cell[0] + cell[1]
                cell = None
            else:
                elements += 1
                if elements > 4 * limits.max_cells:
                    issues.error(
                        "too_many_cells",
                        f"시트 '{extent.sheet}'의 셀이 지나치게 많습니다. 필요한 표만 남겨 저장해 주세요.",
                        f"Sheet {extent.sheet!r} holds too many cell elements.",
                        sheet=extent.sheet,
                    )
                    return False
                rep = _ODS_COLS.search(attrs)
                crep = max(1, int(rep[1])) if rep else 1
                formula = _ODS_FORMULA.search(attrs)
                text = unescape(formula[1].decode("utf-8", "replace")) if formula else ""
                if "|" in text or "file:" in text.lower() or "'http" in text.lower():
                    where = cell_ref(row, col)
                    issues.error(
                        "external_link",
                        f"다른 파일이나 프로그램을 참조하는 수식이 있어 열지 않았습니다 ({extent.sheet}!"
                        f"{where}). 그 셀을 값으로 바꾸고 저장해 올려 주세요.",
                        f"Refused: a formula refers to another file or program ({extent.sheet}!{where}).",
                        sheet=extent.sheet,
                        row=row,
                        col=col,
                    )
                    return False
                if _ODS_ERROR.search(attrs):
                    _report_formulas({"error_value": [cell_ref(row, col)]}, extent.sheet, issues)
                    return False
                valued = bool(_ODS_VALUE.search(attrs))
                if empty:
                    _ods_block(extent, row, row_rep, col, crep, valued)
                    col += crep
                else:
                    cell = (col, crep, valued)
    return True


def _ods_block(extent: Extent, row: int, row_rep: int, col: int, crep: int, valued: bool) -> None:
    """Count a cell repeated over row_rep rows and crep columns, when it holds a value."""
    if valued:
        extent.add(row + row_rep - 1, col + crep - 1, row_rep * crep)


def _shared_strings(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ScanLimits, filename: str, issues: Issues
) -> bool:
    """Count the shared-string table's entries (streamed); more than max_shared_strings is refused."""
    count = 0
    for buf in pieces(zf, info):
        if b"<!DOCTYPE" in buf or b"<!ENTITY" in buf:
            raise DTDForbidden(None, None, None)
        count += count_tags(buf, b"si", _PREFIXED_SI)
    if count > limits.max_shared_strings:
        issues.error(
            "too_many_strings",
            f"파일에 저장된 글자 목록(공유 문자열)이 너무 많습니다 ({count:,}개, 한도 "
            f"{limits.max_shared_strings:,}개). 필요한 시트만 새 통합 문서에 값으로 붙여 넣어 저장해 "
            "올려 주세요.",
            f"The workbook holds {fmt_dec(count)} shared strings; the limit is {fmt_dec(limits.max_shared_strings)}.",
            value=filename,
        )
        return False
    return True


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Map worksheet part paths, lower-cased (xl/worksheets/sheet1.xml), to (sheet name, hidden)."""
    try:
        book = SafeET.fromstring(zf.read("xl/workbook.xml"), forbid_dtd=True)
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"), forbid_dtd=True)
    except Exception:  # the XML scan reports bad parts; the names are only for messages
        return {}
    targets = {r.get("Id"): (r.get("Target") or "") for r in rels}
    out: dict[str, tuple[str, bool]] = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            path = re.sub(r"[^/]+/\.\./", "", path)
            out[path.lower()] = (el.get("name") or "", el.get("state", "visible") != "visible")
    return out


def scan(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    fmt: str,
    filename: str,
    limits: ScanLimits,
    skip_hidden: bool,
    issues: Issues,
) -> ScanResult | None:
    """Run every check on the parts of an xlsx or ods archive; None when the file is refused (issues say why)."""
    result = ScanResult(macros=any(i.filename.lower().endswith("vbaproject.bin") for i in infos))
    if fmt == "xlsx":
        result.sheets = sheet_parts(zf)
    try:
        for info in infos:
            name = info.filename
            if not name.endswith((".xml", ".rels")):
                continue
            if name.lower() in result.sheets:  # part names are case-insensitive in OPC
                sheet, hidden = result.sheets[name.lower()]
                if not _scan_sheet(zf, info, sheet, limits, not (hidden and skip_hidden), issues):
                    return None
            elif fmt == "xlsx" and name.endswith("sharedStrings.xml"):
                if not _shared_strings(zf, info, limits, filename, issues):
                    return None
            elif fmt == "ods" and name == "content.xml":
                if not _scan_ods(zf, info, limits, issues):
                    return None
            elif info.file_size <= SMALL_PART:
                SafeET.fromstring(zf.read(info), forbid_dtd=True)
            else:
                for buf in pieces(zf, info):
                    if b"<!DOCTYPE" in buf or b"<!ENTITY" in buf:
                        raise DTDForbidden(None, None, None)
            if (
                fmt == "xlsx"
                and name.startswith("xl/externalLinks/")
                and info.file_size <= SMALL_PART
                and b"ddeLink" in zf.read(info)
            ):
                issues.error(
                    "dde_formula",
                    "다른 프로그램을 불러오는 DDE 연결이 있어 열지 않았습니다. 엑셀의 "
                    "[데이터] → [연결 편집]에서 연결을 끊고 저장해 올려 주세요.",
                    "Refused: the workbook holds a DDE link.",
                    value=filename,
                )
                return None
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        _dtd(filename, name, issues)
        return None
    except SafeET.ParseError as exc:
        corrupt(filename, issues, f"{name}: {exc}")
        return None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        corrupt(filename, issues, f"{name}: {exc}")
        return None
    return result
