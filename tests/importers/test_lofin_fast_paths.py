"""The 지방재정365 import's fast paths read exactly what the slower, plainer code they stand in for reads:
lofin._parse_rows (plain rows at once) against lofin._parse_row row by row, lofin_peers.take_rows against
Table.take, lofin_peers.distinct_pairs against np.unique, lofin_peers._amounts against parse_number + to_won, and
whole uploads of messy national files (both header forms, UTF-8 and cp949, rows in file order and shuffled) with
the fast paths against the plain ones."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import date, datetime

import numpy as np
import pyarrow as pa
import pytest

from bench.national_gen import API_COLUMNS, KOREAN_COLUMNS, national_bytes
from kpi.importers import lofin, lofin_peers, parse_upload
from kpi.importers.extract import Context
from kpi.importers.issues import Issues
from kpi.importers.reader import SheetGrid
from kpi.importers.tables import find_headers

YDP = "11560"
AS_OF = date(2024, 5, 31)
YEARS: list[object] = ["2024", "2024년", 2024, 2024.0, "20x4", "", "2023", True, None, "２０２４", " 2024 ", 1850]
NAMES: list[object] = ["일자리 지원", "", "가" * 201, "사업\u200b", " 사업 ", "ＡＢＣ 사업", 42, None]
CODES: list[object] = [
    "1111000910000001",
    "111000910000001",
    1111000910000001.0,
    1111000910000,
    "1.23E+15",
    "",
    "abc",
    "1" * 41,
    "１１１１０００９１００００００１",
    "111100091000000x",
    None,
]
AMOUNTS: list[object] = [
    "0",
    "007",
    "1,234",
    "1,23",
    "0,123",
    "12,345,678",
    "-5",
    "",
    "abc",
    "9" * 15,
    "9" * 16,
    "1000000000000001",
    "999,999,999,999,999",
    "1,000,000,000,000,000",
    "1,234,567,890,123,456",
    "١٢٣",
    "²",
    " 12 ",
    "12\n",
    5,
    5.0,
    -3,
    None,
]
ACCOUNTS: list[object] = ["일반회계", "특별회계", "", None, " 기타특별회계 "]


def _sheet(form: str, rows: list[list[object]]) -> lofin._Sheet:
    """A grid of a 세출현황 header (API field names or Korean words) over the rows, as read_lofin sees it."""
    header_row: list[object] = list(API_COLUMNS) if form == "api" else [korean for _api, korean in KOREAN_COLUMNS]
    grid = SheetGrid("세출현황", [header_row, *rows])
    header = find_headers(grid)[0]
    assert lofin.is_lofin(header)
    return lofin._Sheet(grid, header, Context(YDP, None, None, (), Issues()))


def _random_rows(form: str, seed: int, n: int) -> list[list[object]]:
    """Rows mixing plain cells with every kind of cell _parse_row reports, in the form's column order."""
    rng = random.Random(seed)
    names = list(API_COLUMNS) if form == "api" else [api for api, _korean in KOREAN_COLUMNS]
    money = {"bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt"}
    out = []
    for i in range(n):
        plain = rng.random() < 0.5
        row: list[object] = []
        for name in names:
            if name == "fyr":
                row.append("2024" if plain else rng.choice(YEARS))
            elif name == "dbiz_nm":
                row.append(f"사업 {i % 40}" if plain else rng.choice(NAMES))
            elif name == "dbiz_cd":
                row.append(f"{1111000910000000 + i % 50}" if plain else rng.choice(CODES))
            elif name in money:
                amount = rng.randint(0, 10**9)  # in 원 within MAX_WON at every mult
                row.append(str(amount) if plain else rng.choice([f"{amount:,}", *AMOUNTS]))
            elif name == "acnt_dv_nm":
                row.append(rng.choice(ACCOUNTS))
            else:
                row.append(rng.choice(["서울영등포구", "", 7, "사회복지"]))
        if rng.random() < 0.05:
            row = row[: rng.randint(0, len(row))]  # a short row: the missing cells read as blank
        out.append(row)
    return out


def _issues(sheet: lofin._Sheet) -> list[tuple[object, ...]]:
    """The issues of a sheet's context, every field."""
    return [
        (i.severity, i.sheet, i.row, i.column, i.value, i.message_ko, i.message_en, i.code) for i in sheet.ctx.issues
    ]


@pytest.mark.parametrize("form", ["api", "korean"])
@pytest.mark.parametrize("mult", [1, 1_000, 1_000_000])
def test_parse_rows_reads_as_parse_row_does_row_by_row(form: str, mult: int) -> None:
    rows = _random_rows(form, mult, 1_500)
    rows.append(["2024", "날짜 행", "1111000910000099", "", datetime(2024, 5, 31)])  # any cell type at all
    fast, plain = _sheet(form, rows), _sheet(form, rows)
    picked = list(range(1, len(rows) + 1))
    got = lofin._parse_rows(fast, picked, mult)
    want = [x for r in picked if (x := lofin._parse_row(plain, r, mult)) is not None]
    assert got == want
    assert _issues(fast) == _issues(plain)
    assert len(want) > 600 and len(_issues(plain)) > 600  # both kinds of rows were read


def test_plain_won_is_what_parse_number_and_to_won_give() -> None:
    from kpi.importers.conventions import CellError, parse_number, to_won

    values: list[object] = [*AMOUNTS, "1,234,567", "123,456,789,012,345", "1,234,567,890,123,45"]
    for mult in (1, 1_000, 100_000_000):
        for value in values:
            won = lofin._plain_won(value, mult)
            if won is None:
                continue
            num = parse_number(value, blank="missing")
            assert num.warning is None and num.value is not None, value
            try:
                assert to_won(num.value, mult) == won, value
            except CellError:
                pytest.fail(f"{value!r} is beyond MAX_WON but read plainly")


@pytest.mark.parametrize("mult", [1, 1_000, 100_000_000])
def test_amounts_of_odd_digits_read_column_wise_as_a_cell(mult: int) -> None:
    odd = ["123\n", "\n123", "١٢٣", "²", "１２", "1,234", "12,345,678", "0", "", "9" * 18, "9" * 19, "1,23"]
    for values in (odd, ["1", "22", "333"], ["1,234", "5"], ["1,234", "2,000"], [], ["x", "y"]):
        out, wrong = lofin_peers._amounts(pa.array(values, pa.string()), mult)
        for value, won, bad in zip(values, out.tolist(), wrong.tolist(), strict=True):
            assert (None if bad else won) == lofin_peers._amount(value, mult), value


def test_take_rows_gives_what_take_gives() -> None:
    rng = np.random.default_rng(7)
    table = pa.Table.from_batches(
        [
            pa.record_batch({"a": [f"{i}" for i in range(k, k + 100)], "b": list(range(k, k + 100))})
            for k in (0, 100, 200)
        ]
    )
    picks = [
        np.arange(0, 0),
        np.arange(5, 6),
        np.arange(95, 205),
        np.array([0, 1, 2, 150, 151, 299]),
        np.sort(rng.choice(300, 120, replace=False)),  # more runs than MAX_RUNS: a take
        rng.permutation(300)[:40],
    ]
    for rows in picks:
        rows = rows.astype(np.int64)
        assert lofin_peers.take_rows(table, rows).to_pylist() == table.take(pa.array(rows, pa.int64())).to_pylist()
        column = table.column("a")
        got = lofin_peers.take_rows(column, rows)
        assert got.to_pylist() == column.take(pa.array(rows, pa.int64())).to_pylist() and got.type == column.type


def test_distinct_pairs_is_np_unique_of_the_keys() -> None:
    rng = np.random.default_rng(3)
    for n, grouped in ((0, False), (1, False), (500, True), (500, False), (2_000, True)):
        codes = rng.integers(0, 12, n)
        names = rng.integers(0, 9, n)
        if grouped:
            order = np.argsort(codes * 9 + names, kind="stable")
            codes, names = codes[order], names[order]
        code = pa.array([f"c{v}" for v in codes.tolist()], pa.string()).dictionary_encode()
        name = pa.array([f"n{v}" for v in names.tolist()], pa.string()).dictionary_encode()
        for c, m in ((code, name), (code, None), (None, name), (None, None)):
            keys = np.zeros(n, dtype=np.int64)
            for column in (c, m):
                if column is not None:
                    keys = keys * len(column.dictionary) + column.indices.to_numpy(zero_copy_only=False)
            want = np.unique(keys, return_index=True, return_inverse=True)
            got = lofin_peers.distinct_pairs(c, m, n)
            for g, w in zip(got, want, strict=True):
                assert g.tolist() == w.reshape(-1).tolist()


def _messy(content: bytes, encoding: str, form: str, seed: int, shuffle: bool) -> bytes:
    """A generated file with odd cells here and there (blank, grouped, negative, text and huge amounts, odd years,
    codes and names, other dates and accounts, repeated rows), rows shuffled when asked, encoded as given."""
    rng = random.Random(seed)
    records = list(csv.reader(io.StringIO(content.decode(encoding), newline="")))
    field = {api: i for i, api in enumerate(API_COLUMNS)} if form == "api" else {}
    if form == "korean":
        field = {api: records[0].index(korean) for api, korean in KOREAN_COLUMNS}
    money = ["bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt"]
    odd = {
        "fyr": ["2024년", "20x4", "", "2023", "2025", "2024.0"],
        "dbiz_cd": ["1.23E+15", "", "12345678901234567", "abc", "123"],
        "dbiz_nm": ["", "가" * 300, "사업\u200b" if encoding == "utf-8" else "사업"],
        "exe_ymd": ["20240530", "2024-05-31", "bad", "", "20240601"],
        "acnt_dv_nm": ["특별회계", "", "기타특별회계"],
    }
    body = []
    for row in records[1:]:
        x = rng.random()
        if x < 0.15:
            row[field[rng.choice(money)]] = rng.choice(["", "-5", "abc", "1,23", "9" * 20, "1000000000000001", "12"])
        elif x < 0.25:
            cell = field[rng.choice(money)]
            row[cell] = f"{int(row[cell].replace(',', '') or 0):,}"
        elif x < 0.35:
            name = rng.choice(list(odd))
            row[field[name]] = rng.choice(odd[name])
        body.append(row)
        if x > 0.998:
            body.append(row)
    if shuffle:
        rng.shuffle(body)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([records[0], *body])
    return out.getvalue().encode(encoding)


def _plain_parse_rows(sheet: lofin._Sheet, rows: list[int], mult: int) -> list[lofin._Row]:
    """The rows read one by one through _parse_row (what _parse_rows stands in for)."""
    return [x for r in rows if (x := lofin._parse_row(sheet, r, mult)) is not None]


def _result(content: bytes, district: str) -> str:
    """The whole result of an upload (batch, every issue, kind, left-out programs) as text."""
    result = parse_upload("세출현황.csv", content, district_cd=district)
    return repr((result.batch, result.issues, result.kind, result.excluded))


@pytest.mark.parametrize(
    ("form", "encoding"), [("api", "utf-8"), ("api", "cp949"), ("korean", "utf-8"), ("korean", "cp949")]
)
@pytest.mark.parametrize("shuffle", [False, True])
def test_messy_national_file_reads_the_same_through_the_plain_paths(
    form: str, encoding: str, shuffle: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBKPI_LOFIN_PEERS", "national")
    content = _messy(national_bytes(6_000, AS_OF, form=form, encoding=encoding), encoding, form, 11, shuffle)
    fast = [_result(content, district) for district in (YDP, "11740")]
    with monkeypatch.context() as plain:
        plain.setattr(lofin, "_parse_rows", _plain_parse_rows)
        plain.setattr(lofin_peers, "MAX_RUNS", 0)  # every take_rows a take
        assert [_result(content, district) for district in (YDP, "11740")] == fast
    codes = set(re.findall(r"code='([a-z_]+)'", "".join(fast)))
    assert {"as_of_mixed", "name_too_long", "negative_budget", "number_text", "peer_rows_unreadable"} <= codes
