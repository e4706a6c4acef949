"""The pre-scan's faster per-piece counts give what the plain ones give: the same cell references as the `_REF`
regex (whitespace, then r="B7") and the same cell-tag count as count_tags, on random and hostile pieces; and the
whole scan gives the same verdict, issue text and location with either, on the hostile corpus and on random
sheets read in small pieces (so that pieces end anywhere)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from kpi.importers import prescan
from kpi.importers.issues import Issue, Issues
from tests.corpus_cases import CASES, Case
from tests.corpus_factory import raw_sheet_xlsx

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TOKENS = [
    '<c r="A1">', '<c r="XFD1048576"/>', "<c>", "<c/>", "<c\t", "<c\n", "<c\rr", '<x:c r="B2">', "<x:c/>", "<col ",
    "<cols>", "<cfRule", '<row r="5">', '<row r="A5">', "<row>", ' r="', 'r="', '\tr="C3"', '\nr="D4"', '\rr="E5"',
    '\x0br="F6"', '\x0cr="G7"', ' r="H0008"', ' r="AAAA1"', ' r="A12345678"', ' r="a1"', " r='B2'", 'xr="Z9"',
    ' r="ZZ', '9"', "<v>1</v>", "</c>", "</x:c>", "<f>SUM(A1)</f>", "<x:f>", ":f", 't="e"', "t='e'", "'", "!",
    "<!DOCTYPE", "<!ENTITY", "<!--", "mergeCell", ":c", " ", "\t", "\n", "A", "7", '"', "<", ">", "가",
]  # fmt: skip


def random_piece(rng: random.Random, size: int) -> bytes:
    """A piece of worksheet-like bytes made of the tokens the counts and look-ups depend on."""
    return "".join(rng.choice(TOKENS) for _ in range(size)).encode()


@pytest.mark.parametrize("seed", range(300))
def test_the_fast_counts_equal_the_plain_ones_on_random_pieces(seed: int) -> None:
    rng = random.Random(seed)
    buf = random_piece(rng, rng.randint(0, 400))
    assert prescan.cell_refs(buf) == prescan._REF.findall(buf)
    assert prescan.cell_tags(buf) == prescan.count_tags(buf, b"c", prescan._PREFIXED_CELL)


def test_the_fast_counts_equal_the_plain_ones_on_a_real_sheet_part() -> None:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>사업 {r}</t></is></c><c r="AB{r}"><v>{r}</v></c></row>'
        for r in range(1, 3_000)
    )
    buf = f'<?xml version="1.0"?>\r\n<worksheet xmlns="{MAIN_NS}"><cols><col min="1"/></cols><sheetData>{rows}'
    for text in (buf, buf.replace(' r="A', '\n r="A'), buf.replace('<c r="AB', '<c\tr="AB')):
        piece = text.encode()
        assert prescan.cell_refs(piece) == prescan._REF.findall(piece)
        assert prescan.cell_tags(piece) == prescan.count_tags(piece, b"c", prescan._PREFIXED_CELL)


LIMITS = prescan.ScanLimits(max_rows=100_000, max_cols=1_000, max_cells=2_000_000, max_shared_strings=500_000,
                            max_merges=50_000)  # fmt: skip
SMALL = prescan.ScanLimits(max_rows=40, max_cols=8, max_cells=150, max_shared_strings=50, max_merges=3)


def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the scan use the plain counts (the oracle)."""
    monkeypatch.setattr(prescan, "cell_refs", prescan._REF.findall)
    monkeypatch.setattr(prescan, "cell_tags", lambda buf: prescan.count_tags(buf, b"c", prescan._PREFIXED_CELL))


def verdict(content: bytes, limits: prescan.ScanLimits) -> tuple[bool, list[Issue]]:
    """Whether the scan passes the file, and the issues it records."""
    zf = zipfile.ZipFile(io.BytesIO(content))
    fmt = "ods" if "mimetype" in zf.namelist() else "xlsx"
    issues = Issues()
    result = prescan.scan(zf, zf.infolist(), fmt, "upload.xlsx", limits, True, issues)
    return result is not None, list(issues)


def both(content: bytes, limits: prescan.ScanLimits, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan's verdict and issues with the fast counts equal those with the plain ones."""
    fast = verdict(content, limits)
    with monkeypatch.context() as m:
        plain(m)
        slow = verdict(content, limits)
    assert fast == slow


def zipped(case: Case) -> bool:
    """A corpus case whose file is a readable zip archive (the ones the pre-scan sees)."""
    content = case.build()
    if not content.startswith(b"PK\x03\x04") or len(content) > 15 << 20:
        return False
    try:
        zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    return True


@pytest.mark.parametrize("case", [c for c in CASES if c.id not in ("file_too_large",)], ids=lambda c: c.id)
def test_the_scan_gives_the_same_verdict_on_the_corpus(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    if not zipped(case):
        pytest.skip("not an archive: the pre-scan does not see it")
    both(case.build(), LIMITS, monkeypatch)
    both(case.build(), SMALL, monkeypatch)


def random_sheet(rng: random.Random) -> str:
    """A worksheet part of random cells: some without r, prefixed, far, out of order, with odd whitespace,
    formulas, error values and merges."""
    prefix = rng.choice(["", "", "x:"])
    out = []
    for r in sorted(rng.sample(range(1, 60), rng.randint(0, 12))):
        if rng.random() < 0.2:
            r = rng.randint(1, 2_000_000)
        cells = []
        for c in sorted(rng.sample(range(12), rng.randint(0, 5))):
            ref = f"{chr(65 + c)}{r}" if rng.random() < 0.9 else rng.choice(["XFD1", f"AA{r}", f"A0{r}", f"ZZZ{r}"])
            space = rng.choice([" ", " ", " ", "\t", "\n"])
            attr = "" if rng.random() < 0.08 else f'{space}r="{ref}"'
            body = rng.choice(["<v>1</v>", "<v>2.5</v>", f"<{prefix}f>A1*2</{prefix}f><v>2</v>", ""])
            kind = ' t="e"' if rng.random() < 0.01 else ""
            cells.append(f"<{prefix}c{attr}{kind}>{body}</{prefix}c>" if body else f"<{prefix}c{attr}{kind}/>")
        row_attr = "" if rng.random() < 0.05 else f' r="{r}"'
        out.append(f"<{prefix}row{row_attr}>{''.join(cells)}</{prefix}row>")
    merges = "".join(f'<{prefix}mergeCell ref="A{i}:B{i}"/>' for i in range(1, rng.randint(0, 6)))
    tail = f"<{prefix}mergeCells>{merges}</{prefix}mergeCells>" if merges else ""
    ns = f'xmlns:x="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    return f"<{prefix}worksheet {ns}><{prefix}sheetData>{''.join(out)}</{prefix}sheetData>{tail}</{prefix}worksheet>"


@pytest.mark.parametrize("seed", range(150))
def test_the_scan_gives_the_same_verdict_on_random_sheets(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    content = raw_sheet_xlsx(random_sheet(rng))
    monkeypatch.setattr(prescan, "CHUNK", rng.choice([1 << 20, 97, 512]))  # pieces end anywhere
    both(content, LIMITS, monkeypatch)
    both(content, SMALL, monkeypatch)
