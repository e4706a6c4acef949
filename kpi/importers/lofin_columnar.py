"""A 지방재정365 세부사업별 세출현황 CSV read column by column: a national snapshot (about 470,000 rows, 80 MB) is
one upload for a district user.

The header is found in the first lines exactly as the generic reader finds it (find_headers, classify); the body
is parsed by pyarrow.csv with every cell as text, the district's rows are chosen by its laf_cd / 자치단체명 with
one look-up per distinct government (lofin.government_label) over dictionary-encoded columns, and only those rows
(at their own row numbers in the file, with the first row of another government for the one skip warning) become
cells for lofin.read_lofin. So messages and locations are the generic reader's, and the time is the parse's.

Anything this path does not read exactly as the generic reader would (UTF-16, NUL bytes, control characters,
overlong lines, ragged rows, a note line or a second table under the body, a BOM inside a row that is read, a
file without the government's columns) goes to the generic reader, which keeps ImportLimits. This path has its
own limits, settings lofin_max_upload_mb and lofin_max_rows. xlsx downloads keep the generic reader (its parse
runs in a limited child process that hands back every cell).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from kpi.domain.districts import BY_SIG, District
from kpi.importers.conventions import clean_text, fmt_dec
from kpi.importers.extract import Context, Extract
from kpi.importers.issues import Issues
from kpi.importers.lofin import Picked, government_label, is_lofin, read_lofin
from kpi.importers.lofin_peers import TextColumns, distinct_pairs, encode_governments, from_table, take_rows
from kpi.importers.reader import OLE_MAGIC, ZIP_MAGICS, ImportLimits, SheetGrid, Workbook, is_blank, read_workbook
from kpi.importers.tables import Header, around, find_headers, is_note_text
from kpi.settings import load_settings

HEAD_BYTES = 64 * 1024  # the first lines, where the header must be
HEAD_RECORDS = 12  # lines above the header (title, as-of) and the header itself must fit in these
SHEET = "CSV"  # the generic reader's name for a CSV's one sheet
_WEAK_NOTE = re.compile(r"^-\s+\S")  # tables.py: a '- ' line may be a note under a table


@dataclass
class LofinSheet(SheetGrid):
    """The CSV's sheet as the generic reader would hold it, with only the lines above the body, the district's rows
    and the first row of another government filled in (every other row is empty), its header and the rows chosen."""

    header: Header | None = None
    picked: Picked | None = None
    body: TextColumns | None = None  # the whole body's columns, for the other governments' 분야/부문 sums

    def read(self, ctx: Context) -> Extract:
        """The district's 세부사업, read by lofin.read_lofin as the generic path reads the table."""
        assert self.header is not None and self.picked is not None
        near = around(self, self.header, 0, ctx.as_of.year if ctx.as_of else None, ctx.issues)
        return read_lofin(self, self.header, self.picked.mine, near, ctx, self.picked, self.body)


@dataclass
class _Plan:
    """A CSV whose first lines hold a 지방재정365 header: encoding, delimiter, the records down to the header, the
    header, where the body starts (byte offset) and the width of its rows."""

    encoding: str
    delimiter: str
    top: list[list[object]]
    header: Header
    body_at: int
    width: int
    ascii_head: bool = False


def read_upload(
    filename: str, content: bytes, district_cd: str, limits: ImportLimits, issues: Issues
) -> Workbook | None:
    """The upload as a workbook: a 지방재정365 CSV through the columnar path (its own size and row limits), anything
    else through reader.read_workbook with `limits`. None when the file is refused (the issues say why)."""
    plan = _plan(content, limits)
    if plan is None or district_cd not in BY_SIG:
        return read_workbook(filename, content, limits, issues)
    settings = load_settings()
    max_bytes = max(settings.lofin_max_upload_mb * 1024 * 1024, limits.max_bytes)
    if len(content) > max_bytes:
        issues.error(
            "file_too_large",
            f"파일이 너무 큽니다 ({fmt_dec(round(len(content) / 1048576, 1))}MB, 지방재정365 세출현황 한도 "
            f"{fmt_dec(round(max_bytes / 1048576, 1))}MB). 필요한 시도의 자료만 내려받아 다시 올려 주세요.",
            f"File too large ({fmt_dec(len(content))} bytes; the limit for a Lofin365 file is {fmt_dec(max_bytes)}).",
            value=filename,
        )
        return None
    start = time.perf_counter()
    table = _parse(content, plan)
    if table is None and plan.encoding == "utf-8" and plan.ascii_head:  # not UTF-8 after all: cp949, as the
        plan = replace(plan, encoding="cp949")  # generic reader decodes (the head reads the same in both)
        table = _parse(content, plan)
    if table is None or _line_too_long(table, limits):
        return read_workbook(filename, content, limits, issues)
    if table.num_rows > settings.lofin_max_rows:
        issues.error(
            "too_many_rows",
            f"시트 '{SHEET}'의 행이 너무 많습니다 ({table.num_rows:,}행, 지방재정365 세출현황 한도 "
            f"{settings.lofin_max_rows:,}행). 필요한 시도의 자료만 내려받아 올려 주세요.",
            f"The Lofin365 file has {fmt_dec(table.num_rows)} rows; the limit is {fmt_dec(settings.lofin_max_rows)}.",
            sheet=SHEET,
            row=plan.header.bottom + 1 + settings.lofin_max_rows,
        )
        return None
    sheet = _sheet(table, plan, BY_SIG[district_cd])
    if sheet is None:
        return read_workbook(filename, content, limits, issues)
    stats = {"columnar_rows": float(table.num_rows), "columnar_seconds": time.perf_counter() - start}
    return Workbook("csv", [sheet], stats)


def _plan(content: bytes, limits: ImportLimits) -> _Plan | None:
    """The plan for a CSV whose first lines hold a 지방재정365 header naming the government, else None (the file
    goes to the generic reader: a workbook, UTF-16, NUL bytes, HTML, control characters, an overlong line above
    the body)."""
    if content.startswith((*ZIP_MAGICS, OLE_MAGIC, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in content or any(tag in content[:2048].lower() for tag in (b"<html", b"<table", b"<?xml")):
        return None
    bom = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    head = content[bom : bom + HEAD_BYTES]
    if len(content) > bom + HEAD_BYTES:
        head = head[: head.rfind(b"\n") + 1]  # whole lines (a byte 0x0A is never inside a cp949 character)
    for encoding in ("utf-8", "cp949"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    if "\ufeff" in text:
        return None  # BOMs inside the text: exports pasted together, which the generic reader cleans
    sample = text[:4096]
    if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in sample):
        return None
    delim = max(",\t;", key=sample.count) if any(d in sample for d in ",\t;") else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))[:HEAD_RECORDS]
    if any("\n" in c or "\r" in c for rec in records for c in rec):
        return None  # a record spanning lines in the head: leave it to the generic reader
    top: list[list[object]] = [[c.strip() for c in rec] for rec in records]
    header = _lofin_header(top)
    if header is None or header.bottom + 1 >= len(top):
        return None
    width = len(records[header.bottom + 1])
    if not 0 < width <= limits.max_cols or any(len(rec) > limits.max_cols for rec in records):
        return None
    above = io.StringIO(text, newline="").readlines()[: header.bottom + 1]  # lines with their breaks
    if any(len(line) > limits.max_line_chars for line in above):
        return None
    body_at = bom + len("".join(above).encode(encoding))
    return _Plan(encoding, delim, top[: header.bottom + 1], header, body_at, width, head.isascii())


def _line_too_long(table: pa.Table, limits: ImportLimits) -> bool:
    """True when a body line may be longer than limits.max_line_chars: each cell counted at twice its bytes and
    two quotes (an upper bound of what the line holds), plus the delimiters. Each column's longest cell first: when
    even those together fit, every line does."""
    if table.num_rows == 0:
        return False
    lengths = [pc.binary_length(column) for column in table.columns]
    longest = table.num_columns + sum(2 * pc.max(length).as_py() + 2 for length in lengths)
    if longest <= limits.max_line_chars:
        return False
    most = np.full(table.num_rows, table.num_columns, dtype=np.int64)
    for length in lengths:
        most += 2 * length.to_numpy(zero_copy_only=False).astype(np.int64) + 2
    return bool(most.max() > limits.max_line_chars)


def _lofin_header(top: list[list[object]]) -> Header | None:
    """The 지방재정365 header of the first lines when it is the first table there and names the government."""
    from kpi.importers import classify  # the package imports this module

    for header in find_headers(SheetGrid(SHEET, top)):
        kind = classify(header)
        if kind is None:
            continue
        if kind != "lofin365" or not is_lofin(header):
            return None
        return header if header.fields & {"laf_code", "laf_name"} else None
    return None


def _parse(content: bytes, plan: _Plan) -> pa.Table | None:
    """The body as a table of text columns (one row per CSV record, blank lines kept), or None when pyarrow cannot
    read it as the csv module would (invalid text in the encoding, rows of another width). Without any quote in the
    file no value can hold a line break, and pyarrow splits the work by lines."""
    names = [f"c{i}" for i in range(plan.width)]
    try:
        return pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(content).slice(plan.body_at)),
            read_options=pa_csv.ReadOptions(column_names=names, encoding=plan.encoding.replace("-", "")),
            parse_options=pa_csv.ParseOptions(
                delimiter=plan.delimiter, newlines_in_values=b'"' in content, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, ValueError):
        return None


def _cells(table: pa.Table, rows: np.ndarray) -> list[list[object]]:
    """The given rows of the table as the csv module gives them: stripped text."""
    if len(rows) == 0:
        return []
    picked = take_rows(table, rows)
    columns = [[v.strip() for v in picked.column(i).to_pylist()] for i in range(table.num_columns)]
    return [list(row) for row in zip(*columns, strict=True)]


def _body_end(table: pa.Table, header: Header) -> int | None:
    """Number of body rows: up to the first blank row (blank lines after the body are fine); None when a row the
    generic reader would read otherwise (a note, another header, or data after a blank row) is in the file."""
    code = table.column(header.cols["program_code"])
    odd = np.flatnonzero(~pc.ascii_is_decimal(code).to_numpy(zero_copy_only=False))
    if len(odd) == 0:
        return table.num_rows  # every row states a code of digits: no blank row, note or header
    first, last = header.span
    end = None
    for r, row in zip(odd.tolist(), _cells(table, odd), strict=True):
        if all(is_blank(v) for v in row[first : last + 1]):
            end = r if end is None else end
            continue
        if end is not None:
            return None  # data after a blank row: another table for the generic reader
        filled = [v for v in row if not is_blank(v)]
        if is_note_text(filled[0]) or _WEAK_NOTE.match(clean_text(filled[0])) or find_headers(SheetGrid("", [row])):
            return None
    if end is not None and len(odd) - odd.tolist().index(end) != table.num_rows - end:
        return None  # a row after the first blank row is not blank
    return table.num_rows if end is None else end


def _picked(governments: dict[str, pa.DictionaryArray], rows: int, offset: int, district: District) -> Picked:
    """The district's rows among the first `rows` of the body (file row numbers: + offset), one look-up per distinct
    (laf_cd, 자치단체명) pair of the encoded government columns, and the other governments' rows counted in file
    order."""
    code, name = governments.get("laf_code"), governments.get("laf_name")
    values = [[v.strip() for v in c.dictionary.to_pylist()] if c is not None else [""] for c in (code, name)]
    pairs, first, inverse = distinct_pairs(code, name, rows)
    n_names = len(values[1])
    labels = [government_label(values[0][int(k) // n_names], values[1][int(k) % n_names], district) for k in pairs]
    ours = np.array([not label for label in labels], dtype=bool)
    mask = ours[inverse]
    counts = np.bincount(inverse, minlength=len(pairs))
    others: dict[str, int] = {}
    for p in np.argsort(first, kind="stable").tolist():
        if labels[p]:
            others[labels[p]] = others.get(labels[p], 0) + int(counts[p])
    skipped = np.flatnonzero(~mask)
    return Picked((np.flatnonzero(mask) + offset).tolist(), others, int(skipped[0]) + offset if len(skipped) else None)


def _sheet(table: pa.Table, plan: _Plan, district: District) -> LofinSheet | None:
    """The sheet with the lines above the body, the district's rows and the first row of another government filled
    in at their row numbers; None when the body is not one plain table (the generic reader takes the file)."""
    end = _body_end(table, plan.header)
    if end is None:
        return None
    offset = plan.header.bottom + 1
    governments = encode_governments(table, plan.header, end)
    picked = _picked(governments, end, offset, district)
    wanted = list(picked.mine)
    if picked.first_skipped is not None:
        wanted.append(picked.first_skipped)
    wanted.sort()
    empty: list[object] = []
    rows: list[list[object]] = [*plan.top, *([empty] * table.num_rows)]
    for r, cells in zip(wanted, _cells(table, np.array(wanted, dtype=np.int64) - offset), strict=True):
        if "\ufeff" in "".join(map(str, cells)):
            return None  # a BOM inside a row that is read: the generic reader removes it before reading
        rows[r] = cells
    body = from_table(table, plan.header, end, offset, governments)
    return LofinSheet(SHEET, rows, header=plan.header, picked=picked, body=body)
