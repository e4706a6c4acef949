"""Peer figures of a 지방재정365 세출현황 upload (kpi/importers/lofin_peers.py): every other 시군구's 예산현액 and
지출액 per 분야/부문, summed exactly as the generator wrote them, kept for the scope the setting names, stored
versioned (supersede on re-upload, restore on revert) and compared on the districts page (kpi/views/peers.py)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

import openpyxl
import pytest

from bench.national_gen import governments, national_bytes, national_records
from kpi.domain import kpis
from kpi.domain.districts import BY_LAF, LAF_CD
from kpi.domain.filters import Filters
from kpi.importers import parse_upload
from kpi.store import peers as peer_reads
from kpi.store import uploads
from kpi.store.auth import User
from kpi.views import peers as pv
from kpi.views.report import build_report
from kpi.views.upload import summary_text

YDP = "11560"
AS_OF = date(2024, 5, 31)
ROWS = 6_000
SEOUL_DISTRICT_CODES = set(LAF_CD.values())


def expected(
    rows: int = ROWS, as_of: date = AS_OF, keep=lambda laf: laf in SEOUL_DISTRICT_CODES, seed: int = 2024
) -> dict:
    """(laf_cd, 분야, 부문) -> [Σ예산현액, Σ지출액, 세부사업 수] from the generator's records (no importer involved)."""
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in national_records(rows, as_of, seed):
        if keep(r["laf_cd"]):
            s = sums[(r["laf_cd"], r["fld_nm"], r["part_nm"])]
            s[0] += r["bdg_cash_amt"]
            s[1] += r["ep_amt"]
            s[2] += 1
    return dict(sums)


def got(peers, by_name: bool = False) -> dict:
    """The same map from the importer's PeerRows (by laf_cd; by 자치단체명 through the generator's names)."""
    code_of = {g.name: g.laf_cd for g in governments()}
    return {
        (code_of[p.laf_name] if by_name else p.government, p.field_name, p.part_name): [
            p.budget_current,
            p.executed,
            p.programs,
        ]
        for p in peers
    }


@pytest.fixture(scope="module")
def api_file() -> bytes:
    return national_bytes(ROWS, AS_OF)


def test_province_scope_keeps_seouls_25_districts_with_exact_sums(api_file: bytes) -> None:
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert result.batch is not None and [i.code for i in result.issues] == ["other_governments_skipped"]
    peers = result.batch.peers
    assert got(peers) == expected()
    assert {p.government for p in peers} == SEOUL_DISTRICT_CODES  # no 서울본청 (1100000), no other 시도
    assert all(p.province == "서울" and p.as_of == AS_OF and p.fiscal_year == 2024 for p in peers)
    assert {p.sig_cd for p in peers} == {BY_LAF[c].sig_cd for c in SEOUL_DISTRICT_CODES}
    assert result.batch.row_count == len(result.batch.budgets) + len(result.batch.facts)  # peers are not values


def test_own_rows_agree_with_the_districts_own_figures(api_file: bytes) -> None:
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    batch = result.batch
    assert batch is not None
    own = [p for p in batch.peers if p.sig_cd == YDP]
    totals = [b.current for b in batch.budgets if b.source == "total"]
    assert sum(p.budget_current for p in own) == sum(v for v in totals if v is not None)
    assert sum(p.executed for p in own) == sum(f.value for f in batch.facts)


def test_national_scope_keeps_every_si_gun_gu_and_no_province_office(monkeypatch, api_file: bytes) -> None:
    monkeypatch.setenv("JOBKPI_LOFIN_PEERS", "national")
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert result.batch is not None
    offices = {g.laf_cd for g in governments() if g.laf_cd.endswith("00000")}
    assert got(result.batch.peers) == expected(keep=lambda laf: laf not in offices)
    assert len({p.province for p in result.batch.peers}) == 15  # 세종 and 제주 have no 시군구 of their own


def test_off_keeps_none(monkeypatch, api_file: bytes) -> None:
    monkeypatch.setenv("JOBKPI_LOFIN_PEERS", "off")
    result = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    assert result.batch is not None and result.batch.peers == []


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_korean_headers_without_codes_give_the_same_sums_by_name(encoding: str) -> None:
    content = national_bytes(ROWS, AS_OF, form="korean", encoding=encoding)
    result = parse_upload("세출현황.csv", content, district_cd=YDP)
    assert result.batch is not None
    assert got(result.batch.peers, by_name=True) == expected()
    assert {p.government for p in result.batch.peers} == {"서울" + BY_LAF[c].name for c in SEOUL_DISTRICT_CODES}


def test_the_generic_reader_gives_the_same_peers(api_file: bytes) -> None:
    """An xlsx of the same rows (generic reader, cells typed by Excel) keeps exactly the columnar path's peers."""
    rows = list(csv.reader(io.StringIO(api_file.decode("utf-8"))))
    seoul = [rows[0]] + [r for r in rows[1:] if r[1].startswith("11")]
    book = openpyxl.Workbook()
    sheet = book.active
    for r in seoul:
        sheet.append([int(v) if v.isdigit() and len(v) < 15 else v for v in r])
    out = io.BytesIO()
    book.save(out)
    columnar = parse_upload("세출현황.csv", api_file, district_cd=YDP)
    generic = parse_upload("세출현황.xlsx", out.getvalue(), district_cd=YDP)
    assert generic.batch is not None and columnar.batch is not None
    assert sorted(generic.batch.peers, key=repr) == sorted(columnar.batch.peers, key=repr)


def test_an_unreadable_amount_drops_that_government_with_a_warning_at_its_cell(api_file: bytes) -> None:
    lines = api_file.decode("utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    target = next(i for i, line in enumerate(lines) if line.split(",")[1] == LAF_CD["11680"])  # 강남구's first row
    cells = next(csv.reader([lines[target]]))
    cells[header.index("ep_amt")] = "12억"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    lines[target] = buf.getvalue()
    result = parse_upload("세출현황.csv", "".join(lines).encode("utf-8"), district_cd=YDP)
    assert result.batch is not None
    warning = next(i for i in result.issues if i.code == "peer_rows_unreadable")
    assert (warning.sheet, warning.row, warning.value) == ("CSV", target + 1, "12억")
    assert warning.column == chr(ord("A") + header.index("ep_amt"))
    assert "1곳" in warning.message_ko and "지출액" in warning.message_ko
    want = {k: v for k, v in expected().items() if k[0] != LAF_CD["11680"]}
    assert got(result.batch.peers) == want


def test_stored_peers_supersede_revert_and_compare(store) -> None:
    first = parse_upload("세출현황_5월.csv", national_bytes(ROWS, AS_OF), district_cd=YDP).batch
    assert first is not None
    up1 = store.commit(first).upload_id
    later = date(2024, 6, 30)
    second = parse_upload("세출현황_6월.csv", national_bytes(ROWS, later), district_cd=YDP).batch
    assert second is not None
    store.commit(second)
    again = parse_upload("세출현황_5월_재.csv", national_bytes(ROWS, AS_OF, seed=7), district_cd=YDP).batch
    assert again is not None
    up3 = store.commit(again).upload_id

    def stored(as_of: date) -> dict:
        with store.read() as conn:
            sectors = peer_reads.sectors(conn, YDP, 2024, as_of)
            out = {}
            for fld, part in zip(sectors["field_name"], sectors["part_name"], strict=True):
                frame = peer_reads.execution(conn, YDP, 2024, as_of, fld, part)
                for row in frame.itertuples():
                    out[(row.government, fld, part)] = [row.budget_current, row.executed, row.programs]
        return out

    with store.read() as conn:
        assert peer_reads.snapshots(conn, YDP, 2024) == [AS_OF, later]
    assert stored(later) == expected(as_of=later)
    assert stored(AS_OF) == expected(seed=7)  # the re-upload of May replaced May, key by key
    store.revert(up3, by="test")
    assert stored(AS_OF) == expected()  # and its revert brought the first May back
    store.revert(up1, by="test")
    with store.read() as conn:
        assert peer_reads.snapshots(conn, YDP, 2024) == [later]


def test_comparison_view_ranks_on_the_snapshot_before_the_as_of_day(store) -> None:
    for as_of in (AS_OF, date(2024, 6, 30)):
        batch = parse_upload("세출현황.csv", national_bytes(ROWS, as_of), district_cd=YDP).batch
        assert batch is not None
        store.commit(batch)
    filters = Filters(YDP, 2024, date(2024, 6, 15))
    report = build_report(store, YDP, 2024, filters.as_of)
    options = pv.choices(store, report, filters)
    assert options.as_of == AS_OF and options.snapshots == [AS_OF, date(2024, 6, 30)]
    assert options.default == ("사회복지", "노동") and not options.national
    view = pv.comparison(store, report, filters, AS_OF, "사회복지", "노동", False)
    sums = {k[0]: v for k, v in expected().items() if k[1:] == ("사회복지", "노동")}
    rates = {laf: kpis.execution_rate(float(v[1]), float(v[0])) for laf, v in sums.items()}
    order = sorted(rates, key=lambda laf: -rates[laf])
    assert list(view.table.iloc[:, 1]) == [BY_LAF[laf].name for laf in order]
    mine = rates[LAF_CD[YDP]]
    rank = 1 + sum(r > mine for r in rates.values())
    assert view.cards[0].value == f"{kpis.round_half_up(mine, 1):.1f}%"
    assert view.cards[1].value.startswith(f"{rank}위")
    total = kpis.execution_rate(float(sum(v[1] for v in sums.values())), float(sum(v[0] for v in sums.values())))
    assert view.cards[2].value == f"{kpis.round_half_up(total, 1):.1f}%"
    whole = pv.comparison(store, report, filters, AS_OF, "사회복지", pv.ALL_PARTS, False)
    assert len(whole.table) == 25


def test_the_preview_says_what_is_kept_for_the_comparison(store, api_file: bytes) -> None:
    prepared = uploads.prepare(store, "세출현황.csv", api_file, district_cd=YDP, user=User("t", "admin", system=True))
    note = pv.upload_note(prepared.result.batch)
    assert note is not None and "자치단체 25곳(서울)" in note and "2024-05-31 기준" in note
    assert note in summary_text(prepared)
    sectors = {(k[1], k[2]) for k in expected()}
    assert f"분야·부문 {len(sectors)}개" in note


@pytest.mark.parametrize("mult", [1, 1_000, 1_000_000, 100_000_000])
def test_amounts_read_column_wise_as_read_lofin_reads_a_cell(mult: int) -> None:
    """lofin_peers._amounts (column-wise) against conventions.parse_number + to_won, cell by cell."""
    import random

    import pyarrow as pa

    from kpi.importers import lofin_peers

    rng = random.Random(mult)
    pieces = ["", " ", "-", "0", "007", "1,234", "1,2345", "12,345,678", "△500", "-5", "+7", "1.5", "1e3", "12억"]
    pieces += ["999999999999999", "1000000000000000", "9" * 18, "9" * 19, "1,000,000,000,000,000", " 42 ", "４２"]
    values = pieces + ["".join(rng.choice("0123456789,. -") for _ in range(rng.randint(1, 20))) for _ in range(400)]
    out, wrong = lofin_peers._amounts(pa.array(values, pa.string()), mult)
    for value, won, bad in zip(values, out.tolist(), wrong.tolist(), strict=True):
        want = lofin_peers._amount(value, mult)
        assert (None if bad else won) == want, value
