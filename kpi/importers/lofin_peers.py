"""Peer figures of a 지방재정365 세부사업별 세출현황 upload: for every other local government in the file (of the
district's 시도, or of the whole country: setting lofin_peers), its 예산현액, 지출액 and number of 세부사업 per
회계연도, 분야 and 부문, summed column by column (pyarrow) over its rows.

The district's own 세부사업 are read by lofin.read_lofin as always; these rows only feed the comparison of
execution rates on the districts page. Amounts are read exactly as read_lofin reads them (the same unit, the same
number rules for anything that is not plain digits). A government with any amount or year that cannot be read
is left out of the comparison as a whole, with a warning at its first such cell: a partial sum is never kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kpi.domain.batch import PeerRow
from kpi.domain.districts import District
from kpi.domain.provinces import is_province_office, province_of
from kpi.importers.conventions import MAX_WON, CellError, clean_text, fmt_dec, parse_number, to_won
from kpi.importers.issues import Issues
from kpi.importers.reader import SheetGrid
from kpi.importers.tables import Header
from kpi.settings import load_settings

# The fields summed or grouped by, and the ones a government is known by (at least one of those two).
NEEDED = ("year", "field_name", "part_name", "budget_current", "executed")
GOVERNMENT = ("laf_code", "laf_name")
AMOUNTS = {"budget_current": "예산현액", "executed": "지출액"}
INT64_DIGITS = 18  # any whole number of this many digits fits an int64
MAX_RUNS = 256  # take_rows slices runs of consecutive rows up to this many runs


@dataclass
class TextColumns:
    """The body of a 세출현황 table as text columns (field -> one value per body row) and each row's grid row."""

    columns: dict[str, pa.Array | pa.ChunkedArray]
    rows: np.ndarray  # 0-based grid row of each body row
    cols: dict[str, int]  # grid column of each field


def from_grid(grid: SheetGrid, header: Header, rows: list[int]) -> TextColumns | None:
    """The body rows of a grid (the generic reader's sheet) as text columns; None when a needed field is missing."""
    if not _has_fields(header):
        return None
    fields = [f for f in (*NEEDED, *GOVERNMENT) if f in header.cols]
    columns = {f: pa.array([_text(grid.cell(r, header.cols[f])) for r in rows], pa.string()) for f in fields}
    return TextColumns(columns, np.asarray(rows, dtype=np.int64), {f: header.cols[f] for f in fields})


def from_table(
    table: pa.Table, header: Header, rows: int, offset: int, governments: dict[str, pa.DictionaryArray]
) -> TextColumns | None:
    """The first `rows` rows of a columnar CSV body (row r at grid row r + offset) as text columns, the government
    columns as `governments` gives them (encode_governments)."""
    if not _has_fields(header):
        return None
    fields = [f for f in (*NEEDED, *GOVERNMENT) if f in header.cols]
    # the others stay in their chunks: only the kept governments' rows of them are ever taken
    columns = {f: governments[f] if f in GOVERNMENT else table.column(header.cols[f]).slice(0, rows) for f in fields}
    return TextColumns(columns, np.arange(rows, dtype=np.int64) + offset, {f: header.cols[f] for f in fields})


def encode_governments(table: pa.Table, header: Header, rows: int) -> dict[str, pa.DictionaryArray]:
    """The government columns the header names (laf_cd, 자치단체명) over the first `rows` rows of a columnar body,
    each dictionary-encoded whole (one array), once for choosing the district's rows and for the peers."""
    return {
        f: table.column(header.cols[f]).slice(0, rows).combine_chunks().dictionary_encode()
        for f in GOVERNMENT
        if f in header.cols
    }


def distinct_pairs(
    code: pa.DictionaryArray | None, name: pa.DictionaryArray | None, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (code, name) pairs of n rows as ascending keys (code index * number of names + name index;
    a missing column counts as one value), the first row of each and each row's pair: np.unique's answer,
    sorted over the runs of equal rows only (a file grouped by government has a few hundred)."""
    keys = np.zeros(n, dtype=np.int64)
    for column in (code, name):
        if column is not None:
            keys = keys * len(column.dictionary) + column.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    if n == 0:
        return np.unique(keys, return_index=True, return_inverse=True)
    starts = np.concatenate(([0], np.flatnonzero(keys[1:] != keys[:-1]) + 1))
    pairs, first_run, run_pair = np.unique(keys[starts], return_index=True, return_inverse=True)
    return pairs, starts[first_run], np.repeat(run_pair, np.diff(np.append(starts, n)))


def take_rows(values: pa.Table | pa.ChunkedArray, rows: np.ndarray) -> pa.Table | pa.ChunkedArray:
    """The given rows of a table or column, as Table.take gives them: a slice per run of consecutive rows when the
    runs are few (take gathers across every chunk), else a take."""
    breaks = np.flatnonzero(np.diff(rows) != 1) + 1
    if len(rows) == 0 or len(breaks) >= MAX_RUNS:
        return values.take(pa.array(rows, pa.int64()))
    starts = rows[np.concatenate(([0], breaks))].tolist()
    lengths = np.diff(np.concatenate(([0], breaks, [len(rows)]))).tolist()
    parts = [values.slice(start, length) for start, length in zip(starts, lengths, strict=True)]
    if isinstance(values, pa.Table):
        return pa.concat_tables(parts)
    return pa.chunked_array([chunk for part in parts for chunk in part.chunks], type=values.type)


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array (a chunked column's chunks joined)."""
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _chunked(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """A column as a chunked array (an array as its one chunk)."""
    return values if isinstance(values, pa.ChunkedArray) else pa.chunked_array([values])


def _has_fields(header: Header) -> bool:
    """True when the header names every field peer figures need and the government."""
    return all(f in header.cols for f in NEEDED) and any(f in header.cols for f in GOVERNMENT)


def _text(value: object) -> str:
    """A cell as the text a CSV would hold: whole floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def read_peers(
    body: TextColumns, district: District, as_of: date, mult: int, sheet: str, issues: Issues
) -> list[PeerRow]:
    """Per 회계연도, government, 분야 and 부문 of the peers the setting keeps: Σ예산현액, Σ지출액 (원) and the count
    of 세부사업. Governments outside the scope, 시도 본청 and rows without a government are not kept."""
    scope = load_settings().lofin_peers
    n = len(body.rows)
    if scope == "off" or n == 0:
        return []
    gov_index, governments = _governments(
        body.columns.get("laf_code"), body.columns.get("laf_name"), n, district, scope
    )
    rows = np.flatnonzero(gov_index >= 0)  # only the kept governments' rows are read further
    if len(rows) == 0:
        return []
    text = {f: _array(pc.utf8_trim_whitespace(take_rows(_chunked(body.columns[f]), rows))) for f in NEEDED}
    gov = gov_index[rows]
    year, bad = _years(text["year"])
    first_bad: tuple[int, str] | None = (int(np.argmax(bad)), "year") if bad.any() else None
    amounts: dict[str, np.ndarray] = {}
    for f in AMOUNTS:
        amounts[f], wrong = _amounts(text[f], mult)
        at = np.flatnonzero(wrong)
        if len(at) and (first_bad is None or at[0] < first_bad[0]):
            first_bad = (int(at[0]), f)
        bad |= wrong
    kept = np.ones(len(rows), dtype=bool)
    dropped = np.unique(gov[bad])
    if len(dropped):
        assert first_bad is not None
        i, field = first_bad
        _warn_dropped(
            int(body.rows[rows[i]]), body.cols[field], field, text[field][i].as_py(), len(dropped), sheet, issues
        )
        kept = ~np.isin(gov, dropped)
    idx = pa.array(np.flatnonzero(kept))
    grouped = (
        pa.table(
            {
                "year": pa.array(year).take(idx),
                "gov": pa.array(gov).take(idx),
                "field": text["field_name"].take(idx),
                "part": text["part_name"].take(idx),
                "budget": pa.array(amounts["budget_current"]).take(idx),
                "executed": pa.array(amounts["executed"]).take(idx),
            }
        )
        .group_by(["year", "gov", "field", "part"], use_threads=False)
        .aggregate([("budget", "sum"), ("executed", "sum"), ("budget", "count")])
    )
    out = []
    for y, g, fld, part, budget, executed, count in zip(
        *(grouped.column(c).to_pylist() for c in ("year", "gov", "field", "part", "budget_sum", "executed_sum")),
        grouped.column("budget_count").to_pylist(),
        strict=True,
    ):
        gov = governments[g]
        sums = {"budget_current": int(budget), "executed": int(executed), "programs": int(count)}
        out.append(PeerRow(int(y), as_of, gov.key, gov.name, gov.province, gov.sig_cd, fld, part, **sums))
    return out


@dataclass(frozen=True)
class _Government:
    """A government the comparison keeps."""

    key: str
    name: str
    province: str
    sig_cd: str | None


def _governments(
    code: pa.Array | None, name: pa.Array | None, n: int, district: District, scope: str
) -> tuple[np.ndarray, list[_Government]]:
    """Each row's index into the kept governments (-1: not kept), one look-up per distinct (laf_cd, 자치단체명); a
    missing column reads as blank."""
    from kpi.importers.lofin import government_sig  # lofin imports this module

    codes = code.dictionary_encode() if code is not None else None  # an encoded column is its own encoding
    names = name.dictionary_encode() if name is not None else None
    code_values = codes.dictionary.to_pylist() if codes is not None else [""]
    name_values = names.dictionary.to_pylist() if names is not None else [""]
    pairs, _first, inverse = distinct_pairs(codes, names, n)
    home = district.laf_cd[:2]
    home_province = province_of(district.laf_cd, "")
    kept: list[_Government] = []
    by_key: dict[str, int] = {}
    pair_index = np.full(len(pairs), -1, dtype=np.int64)
    for p, k in enumerate(pairs.tolist()):
        laf_cd, laf_name = code_values[k // len(name_values)], clean_text(name_values[k % len(name_values)])
        key = laf_cd or laf_name
        if not key or is_province_office(laf_cd, laf_name):
            continue
        province = province_of(laf_cd, laf_name)
        if not province or (scope == "province" and province != home_province and laf_cd[:2] != home):
            continue
        if key not in by_key:
            by_key[key] = len(kept)
            kept.append(_Government(key, laf_name or laf_cd, province, government_sig(laf_cd, laf_name)))
        pair_index[p] = by_key[key]
    return pair_index[inverse], kept


def _years(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """회계연도 per row and where it is not a year (lofin's rule, once per distinct text)."""
    from kpi.importers.lofin import fiscal_year  # lofin imports this module

    encoded = column.dictionary_encode()
    values = np.zeros(len(encoded.dictionary), dtype=np.int64)
    wrong = np.zeros(len(encoded.dictionary), dtype=bool)
    for i, text in enumerate(encoded.dictionary.to_pylist()):
        try:
            values[i] = fiscal_year(text)
        except CellError:
            wrong[i] = True
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return values[indices], wrong[indices]


def _amounts(column: pa.Array, mult: int) -> tuple[np.ndarray, np.ndarray]:
    """Amounts in 원 per row and where one cannot be read (missing, not a number, negative). Plain digits and
    1,234,567 are read column-wise; anything else by conventions.parse_number, as read_lofin reads a cell."""
    digits = max(1, INT64_DIGITS - (len(str(mult)) - 1))  # so that the amount in 원 still fits an int64
    # 1 to `digits` ASCII digits (the regex ^\d{1,digits}$, without running it on every cell)
    plain = pc.and_(pc.ascii_is_decimal(column), pc.less_equal(pc.binary_length(column), digits))
    easy = plain.to_numpy(zero_copy_only=False)
    grouped = np.zeros(len(column), dtype=bool)
    if not easy.all():
        groups = max(1, (digits - 3) // 3)  # 1,234,567 with at most `digits` digits (longer ones: parse_number)
        others = column.filter(pc.invert(plain))
        grouped[~easy] = pc.match_substring_regex(others, rf"^\d{{1,3}}(,\d{{3}}){{1,{groups}}}$").to_numpy(
            zero_copy_only=False
        )
        easy = easy | grouped
    out = np.zeros(len(column), dtype=np.int64)
    if easy.any():
        numbers = column if easy.all() else column.filter(pa.array(easy))
        numbers = pc.replace_substring(numbers, ",", "") if grouped.any() else numbers
        out[easy] = pc.cast(numbers, pa.int64()).to_numpy(zero_copy_only=False) * mult
    wrong = easy & (out > MAX_WON)  # beyond 1,000조 원: read_lofin refuses it (to_won)
    rest = np.flatnonzero(~easy)
    if len(rest):
        cache: dict[str, int | None] = {}
        for i, text in zip(rest.tolist(), column.take(pa.array(rest)).to_pylist(), strict=True):
            if text not in cache:
                cache[text] = _amount(text, mult)
            won = cache[text]
            if won is None:
                wrong[i] = True
            else:
                out[i] = won
    return out, wrong


def _amount(text: str, mult: int) -> int | None:
    """One amount cell in 원 as read_lofin reads it; None when missing, unreadable or negative."""
    try:
        num = parse_number(text, blank="missing")
        if num.value is None:
            return None
        won = to_won(num.value, mult)
    except CellError:
        return None
    return won if 0 <= won < 2**63 else None


def _warn_dropped(row: int, col: int, field: str, value: object, count: int, sheet: str, issues: Issues) -> None:
    """One warning for the governments left out of the comparison, at the first cell that could not be read."""
    label = AMOUNTS.get(field, "회계연도")
    issues.warning(
        "peer_rows_unreadable",
        f"{label}을(를) 읽을 수 없는 행이 있어 자치단체 {fmt_dec(count)}곳을 시군구 비교에서 뺐습니다. 표시한 칸이 "
        "그 첫 행입니다. 비교에만 쓰는 값이라 우리 구 자료의 반영에는 영향이 없습니다.",
        f"{count} government(s) were left out of the peer comparison: a {field} cell cannot be read (first here).",
        sheet=sheet,
        row=row,
        col=col,
        value=value,
    )
