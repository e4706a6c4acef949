"""Build upload files the way the seed report (seed 003) lays them out, and hostile variants of them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

# The seed figures the files are built from (their one home is tests/seed_figures.py; some tests still import them
# from here).
from tests.seed_figures import SEED_BOX, SEED_BOX_NAME, SEED_CENTRE, SEED_PROGRAMS, SEED_TOTAL

Rows = list[list[object]]


def xlsx(build: Callable[[Workbook], None]) -> bytes:
    """Save a workbook built by a callback to bytes."""
    wb = Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def put(ws: Worksheet, top: int, rows: Iterable[Iterable[object]], left: int = 1) -> None:
    """Write rows starting at an Excel row/column (1-based)."""
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(row=top + i, column=left + j, value=value)


def budget_rows(total_first: bool = True, as_text: bool = False) -> Rows:
    """The 예산현황 body: 계 row first (or last), amounts as numbers or as text with separators."""

    def cell(v: int) -> object:
        return f"{v:,}" if as_text else v

    body = [[n, cell(b), cell(e), r] for n, b, e, r in SEED_PROGRAMS]
    total = [SEED_TOTAL[0], cell(SEED_TOTAL[1]), cell(SEED_TOTAL[2]), SEED_TOTAL[3]]
    return [total, *body] if total_first else [*body, total]


BUDGET_HEADER = ["단위사업명", "예산액", "집행액", "집행률(%) (5.31.기준)"]


def budget_sheet(
    ws: Worksheet,
    rows: Rows | None = None,
    *,
    units: str | None = "(단위: 천원)",
    title: str = "2024년 주요업무 보고 (일자리정책과)",
    header: list[str] | None = None,
) -> None:
    """Lay out the 예산현황 table as in the report: title, '4 예산현황', units line, header, body."""
    ws.title = "예산현황"
    put(ws, 1, [[title], ["4 예산현황"], [units]])
    put(ws, 4, [header or BUDGET_HEADER])
    put(ws, 5, rows if rows is not None else budget_rows())


def budget_xlsx(rows: Rows | None = None, **kw: object) -> bytes:
    """The 예산현황 table as an .xlsx file (header on Excel row 4, 계 on row 5)."""
    return xlsx(lambda wb: budget_sheet(wb.active, rows, **kw))  # type: ignore[arg-type]


def centre_sheet(ws: Worksheet, values: Iterable[object] = SEED_CENTRE, top: int = 3) -> None:
    """The 일자리플러스센터 table with its merged two-row header, as-of line above (header at Excel row top)."""
    ws.title = "일자리플러스센터"
    ws.cell(row=top - 2, column=1, value="- 일자리플러스센터 운영")
    ws.cell(row=top - 1, column=1, value="(2024. 5. 31.기준)")
    put(
        ws,
        top,
        [
            ["구인(명)", None, "구직자(명)", "취업알선(건)", "취업", None],
            ["구인업체", "구인인원", None, None, "취업자(명)", "취업률(%)"],
        ],
    )
    for rng in (f"A{top}:B{top}", f"C{top}:C{top + 1}", f"D{top}:D{top + 1}", f"E{top}:F{top}"):
        ws.merge_cells(rng)
    put(ws, top + 2, [list(values)])


def centre_xlsx(values: Iterable[object] = SEED_CENTRE) -> bytes:
    """The 일자리플러스센터 table as an .xlsx file (values on Excel row 5)."""
    return xlsx(lambda wb: centre_sheet(wb.active, values))


def box_sheet(ws: Worksheet, cells: Iterable[object] = SEED_BOX, name: str | None = SEED_BOX_NAME) -> None:
    """A program box: program title, '□ 예산현황', as-of and units lines, header, one row of split cells."""
    ws.title = "사업"
    put(
        ws,
        1,
        [
            [name],
            ["□ 예산현황"],
            ["(2024. 5. 31. 기준)"],
            ["(단위: 천원)"],
            ["예산액", "집행액", "집행률(%)"],
            list(cells),
        ],
    )


def box_xlsx(cells: Iterable[object] = SEED_BOX, name: str | None = SEED_BOX_NAME) -> bytes:
    """A program box as an .xlsx file (values on Excel row 6)."""
    return xlsx(lambda wb: box_sheet(wb.active, cells, name))


def kostat_csv(encoding: str = "cp949", title: str | None = "고용률(15세 이상)", rows: Rows | None = None) -> bytes:
    """A Statistics Korea CSV, wide by half-year, region strings like '서울 종로구'."""
    lines: Rows = []
    if title:
        lines.append([title])
    lines.append(["행정구역별", "2024.1/2", "2024.2/2", "2025.1/2"])
    lines.extend(
        rows
        if rows is not None
        else [
            ["서울특별시", "59.9", "60.1", "60.3"],
            ["서울 종로구", "52.9", "-", "52.5"],
            ["서울 영등포구", "64.8", "65.0", "65.2"],
            ["부산 중구", "50.0", "51.0", "52.0"],
        ]
    )
    text = "\r\n".join(",".join(f'"{v}"' for v in row) for row in lines) + "\r\n"
    return text.encode(encoding)


def rewrite_part(content: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """Copy an xlsx, changing one XML part."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def entity_bomb(content: bytes, part: str = "xl/workbook.xml") -> bytes:
    """Insert a billion-laughs DTD into an XML part."""
    dtd = (
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )

    def add(data: bytes) -> bytes:
        decl = re.match(rb"<\?xml[^>]*\?>", data)
        cut = decl.end() if decl else 0
        return data[:cut] + dtd + data[cut:]

    return rewrite_part(content, part, add)


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """An xlsx-looking archive with one part that expands to `size` zero bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                f.write(chunk)
    return out.getvalue()


def raw_xlsx(sheet_xml_rows: Iterable[str], sheet_name: str = "Sheet1") -> bytes:
    """A minimal xlsx written directly (fast for huge sheets); rows are <row> XML strings."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            batch: list[str] = []
            for row in sheet_xml_rows:
                batch.append(row)
                if len(batch) == 20_000:
                    f.write("".join(batch).encode())
                    batch = []
            f.write("".join(batch).encode())
            f.write(b"</sheetData></worksheet>")
    return out.getvalue()


def huge_rows(count: int) -> Iterable[str]:
    """<row> XML for a two-column sheet of `count` rows."""
    yield (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>사업명</t></is></c><c r="B1" '
        't="inlineStr"><is><t>값</t></is></c></row>'
    )
    for i in range(2, count + 1):
        yield f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c><c r="B{i}"><v>{i}</v></c></row>'


def ole_encrypted() -> bytes:
    """An OLE/CFB container carrying the streams of an encrypted OOXML package (what Excel writes with a password)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    streams = "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
    return header + streams + b"\0" * 512


def xls_bytes(rows: Rows, sheet: str = "예산현황") -> bytes:
    """A legacy .xls written with xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Where the factory puts things (Excel rows): the budget header, its first body row (계 when first), the centre values.
BUDGET_HEADER_ROW = 4
BUDGET_FIRST_ROW = 5
CENTRE_VALUE_ROW = 5
BOX_VALUE_ROW = 6


def program_row(index: int, total_first: bool = True) -> int:
    """Excel row of SEED_PROGRAMS[index] in budget_xlsx()."""
    return BUDGET_FIRST_ROW + index + (1 if total_first else 0)


def with_total(programs: Rows) -> Rows:
    """Budget rows with a 계 row (first) that is the true sum of the given program rows (numbers in 천원)."""
    budget = sum(int(r[1]) for r in programs)
    executed = sum(int(r[2]) for r in programs)
    return [["계", budget, executed, round(executed / budget * 100, 1)], *programs]


# ---------------------------------------------------------------------------------------------------------------
# Hostile and degenerate files written part by part (fast for giant sheets; every builder is cached per session).

SHEET_PART = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def add_parts(content: bytes, parts: dict[str, bytes], *, keep_duplicates: bool = False) -> bytes:
    """Copy an archive and append parts (names are written as given, even '../x' or a repeated name)."""
    import warnings

    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: that is the point
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                if info.filename in parts and not keep_duplicates:
                    continue
                dst.writestr(info.filename, src.read(info))
            for name, data in parts.items():
                dst.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def cell_xml(ref: str, value: object) -> str:
    """One <c> element: a number, or an inline string."""
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_xlsx(cells: dict[str, object]) -> bytes:
    """An xlsx holding only the given cells ('A1' -> value), one <row> per row, in order."""
    by_row: dict[int, list[str]] = {}
    for ref, value in cells.items():
        row = int(re.sub(r"^[A-Z]+", "", ref))
        by_row.setdefault(row, []).append(cell_xml(ref, value))
    return raw_xlsx(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(by_row.items()))


def raw_sheet_xlsx(sheet_xml: str) -> bytes:
    """An xlsx whose first sheet part is exactly the given XML (for prefixed tags, cells without r, ...)."""
    return rewrite_part(raw_xlsx([]), SHEET_PART, lambda _d: sheet_xml.encode())


def replace_cell(content: bytes, ref: str, new_xml: str) -> bytes:
    """Replace one cell element of the first sheet of an openpyxl-written xlsx."""
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)

    def change(data: bytes) -> bytes:
        assert pattern.search(data), ref
        return pattern.sub(new_xml.encode(), data, count=1)

    return rewrite_part(content, SHEET_PART, change)


def with_merge(content: bytes, rng: str) -> bytes:
    """The xlsx with one more merged range on its first sheet (written into the XML, never expanded)."""
    return rewrite_part(
        content,
        SHEET_PART,
        lambda d: d.replace(
            b"</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{rng}"/></mergeCells>'.encode(), 1
        ),
    )


def hide_every_sheet(content: bytes) -> bytes:
    """Mark every sheet hidden in workbook.xml (Excel refuses to, a script need not)."""
    return rewrite_part(
        content,
        "xl/workbook.xml",
        lambda d: re.sub(rb"<sheet ", b'<sheet state="hidden" ', re.sub(rb'(<sheet [^>]*?)\sstate="[^"]*"', rb"\1", d)),
    )


def ods_table(name: str, rows: Iterable[Iterable[object]]) -> str:
    """A table:table element from rows of values (numbers as floats, others as strings)."""
    out = [f'<table:table table:name="{name}">']
    for row in rows:
        out.append("<table:table-row>")
        for value in row:
            if value is None:
                out.append("<table:table-cell/>")
            elif isinstance(value, (int, float)):
                out.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                text = str(value).replace("&", "&amp;").replace("<", "&lt;")
                out.append(f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>')
        out.append("</table:table-row>")
    # what LibreOffice writes after the data: the rest of the sheet as repeated empty rows and columns
    out.append(
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    return "".join(out)


def ods_bytes(*tables: str) -> bytes:
    """An OpenDocument spreadsheet holding the given table:table elements."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        z.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            "<office:body><office:spreadsheet>"
            + "".join(tables)
            + "</office:spreadsheet></office:body></office:document-content>",
        )
    return out.getvalue()


def budget_table_rows() -> Rows:
    """The seed 예산현황 sheet as plain rows (title, units, header, 계 first), for ODS and CSV copies."""
    return [["2024년 주요업무 보고 (일자리정책과)"], ["4 예산현황"], ["(단위: 천원)"], BUDGET_HEADER, *budget_rows()]


def csv_bytes(rows: Iterable[Iterable[object]], *, newline: str = "\r\n", encoding: str = "utf-8-sig") -> bytes:
    """Rows as CSV text (every field quoted)."""
    text = newline.join(",".join(f'"{"" if v is None else v}"' for v in row) for row in rows) + newline
    return text.encode(encoding)


FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def full_width(value: int) -> str:
    """An amount typed with full-width digits and comma (１２３，４５６), as some Korean IMEs produce."""
    return f"{value:,}".translate(FULL_WIDTH)


def shared_strings_xlsx(count: int) -> bytes:
    """The 예산현황 sheet whose title cell reads from a shared-string table of `count` distinct texts."""
    base = replace_cell(budget_xlsx(), "A1", '<c r="A1" t="s"><v>0</v></c>')
    base = rewrite_part(
        base,
        "[Content_Types].xml",
        lambda d: d.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    base = rewrite_part(
        base,
        "xl/_rels/workbook.xml.rels",
        lambda d: d.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
    )
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with dst.open("xl/sharedStrings.xml", "w") as f:
            f.write(
                f'<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">'
                f"<si><t>2024년 주요업무 보고 (일자리정책과)</t></si>".encode()
            )
            for start in range(1, count, 10_000):
                f.write(
                    "".join(
                        f"<si><t>미사용 문자열 {i}</t></si>" for i in range(start, min(count, start + 10_000))
                    ).encode()
                )
            f.write(b"</sst>")
    return out.getvalue()
