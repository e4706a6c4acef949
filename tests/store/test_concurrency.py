"""Many people at once: parallel imports with readers beside them, import beside revert, the same file twice
at once, and several processes writing one store. Every upload is wholly present or absent, every read sees
one state, and every failure is a Korean line. Runs on SQLite and PostgreSQL (the store fixtures)."""

from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpi.domain.dates import month_end
from kpi.store import Store, StoreError, uploads
from kpi.store.auth import User
from kpi.store.model import Upload
from kpi.views.report import build_report
from tests.factories import with_accounts
from tests.invariants import assert_store_consistent, cli_import, template_csv

STAFF = User("kim", "staff")
DISTRICT = "11560"
SHARED = ("공통 신규사업 가", "공통 신규사업 나")  # created by every file at once


def month_values(i: int) -> tuple[int, int, dict[str, int]]:
    """File i's year, month and executed amounts (천원): two shared new programs and one of its own.

    Files 0-11 are 2024's months, 12-19 2023's."""
    year, month = (2024, i + 1) if i < 12 else (2023, i - 11)
    return year, month, {SHARED[0]: 1_000 + i, SHARED[1]: 2_000 + i, f"사업 {i:02d}": 300 + i}


def month_file(i: int) -> tuple[bytes, int, int, int]:
    """File i as a template CSV with its 예산액 lines; returns (bytes, year, month, executed total in 원).

    The total is what the department's 집행액 must read at that month's end: executed is a year-to-date
    figure, so a program without a figure that month counts with its latest earlier month."""
    year, month, values = month_values(i)
    rows = [[name, year, month, "집행액", "계", v] for name, v in values.items()]
    rows += [[name, year, None, "예산액", "계", 50_000] for name in values]
    latest: dict[str, int] = {}
    for j in range(20):
        y, m, vals = month_values(j)
        if y == year and m <= month:
            for name, v in vals.items():
                if name not in latest or m >= latest[name][0]:
                    latest[name] = (m, v)
    return template_csv(rows, year), year, month, sum(v for _m, v in latest.values()) * 1000


@pytest.fixture
def staff_store(make_store) -> Store:
    """A fresh store of the current backend with the staff account kim."""
    return with_accounts(make_store(), STAFF)


def _import(store: Store, name: str, content: bytes, user: User = STAFF, force: bool = False) -> object:
    """Prepare and commit; returns the CommitResult, or the Korean StoreError message."""
    prepared = uploads.prepare(store, name, content, district_cd=DISTRICT, user=user)
    assert prepared.result.errors == [], [(i.code, i.message_ko) for i in prepared.result.errors]
    try:
        return uploads.commit(store, prepared, user=user, allow_duplicate=force)
    except StoreError as exc:
        return str(exc)


def _reader_loop(store: Store, stop: threading.Event, seen: list, failures: list) -> None:
    """Build reports until told to stop; each must succeed and be self-consistent."""
    while not stop.is_set():
        try:
            report = build_report(store, DISTRICT, 2024, date(2024, 12, 31))
            programs = report.programs
            if len(programs):  # the headline budget is the sum of the top-level programs of the same read
                top = programs[programs["level"] == programs["level"].min()]
                assert report.budget == pytest.approx(float(top["budget"].fillna(0).sum()))
            with store.read() as conn:
                assert_store_consistent(conn)
            seen.append(report.executed)
        except Exception as exc:  # a reader must never fail: collect and report
            failures.append(repr(exc))


def test_twenty_parallel_imports_with_readers_land_whole(staff_store):
    store = staff_store
    files = [month_file(i) for i in range(20)]
    stop, seen, failures = threading.Event(), [], []
    readers = [threading.Thread(target=_reader_loop, args=(store, stop, seen, failures)) for _ in range(2)]
    for r in readers:
        r.start()
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda i: _import(store, f"month_{i}.csv", files[i][0]), range(20)))
    stop.set()
    for r in readers:
        r.join()
    assert [type(r).__name__ for r in results] == ["CommitResult"] * 20, results
    assert failures == []
    assert len(seen) > 0
    with store.read() as conn:
        assert_store_consistent(conn)
        programs = conn.execute(sa.text("SELECT count(*) FROM program WHERE district_cd = :d"), {"d": DISTRICT})
        assert programs.scalar_one() == 2 + 20  # the shared programs were created once each
    for _content, year, month, total in files:
        report = build_report(store, DISTRICT, year, month_end(year, month))
        assert report.data_month == month
        assert report.executed == total


def test_same_file_twice_at_once_commits_once(staff_store):
    store = staff_store
    content = month_file(3)[0]
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: _import(store, "same.csv", content), range(6)))
    landed = [r for r in results if not isinstance(r, str)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(landed) == 1
    assert len(refused) == 5 and all("같은 파일이 이미 반영" in r for r in refused)
    with store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one() == 1
        assert_store_consistent(conn)


def test_same_key_at_once_lands_as_two_versions_in_order(staff_store):
    store = staff_store
    a = template_csv([["같은 사업", 2024, 5, "집행액", "계", 100]], 2024)
    b = template_csv([["같은 사업", 2024, 5, "집행액", "계", 200]], 2024)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda pair: _import(store, *pair), [("a.csv", a), ("b.csv", b)]))
    assert all(not isinstance(r, str) for r in results)
    last = max(results, key=lambda r: r.upload_id)
    with store.read() as conn:
        assert_store_consistent(conn)
        rows = conn.execute(sa.text("SELECT upload_id, value, is_current FROM fact ORDER BY id")).all()
    assert len(rows) == 2
    assert [r.upload_id for r in rows if r.is_current] == [last.upload_id]


def test_imports_beside_reverts_keep_every_upload_whole(staff_store):
    store = staff_store
    first = [_import(store, f"m{i}.csv", month_file(i)[0]) for i in range(6)]
    later = [month_file(i)[0] for i in range(6, 12)]

    def revert(upload_id: int) -> object:
        try:
            return uploads.revert(store, upload_id, STAFF)
        except StoreError as exc:
            return str(exc)

    with ThreadPoolExecutor(12) as pool:
        reverts = [pool.submit(revert, r.upload_id) for r in first]
        imports = [pool.submit(_import, store, f"m{i + 6}.csv", c) for i, c in enumerate(later)]
        results = [f.result() for f in (*reverts, *imports)]
    assert all(not isinstance(r, str) for r in results), results
    up = Upload.__table__
    with store.read() as conn:
        assert_store_consistent(conn)
        status = dict(conn.execute(sa.text("SELECT status, count(*) FROM upload GROUP BY status")).all())
        times = {r.id: r for r in conn.execute(sa.select(up.c.id, up.c.uploaded_at, up.c.reverted_at))}
    assert status == {"reverted": 6, "committed": 6}
    # Each revert makes current again the keys of its file that another upload still committed holds: of a
    # file's keys (its month of 집행액, its 예산액 lines) only the shared programs' 예산액 lines are in other
    # files, so a revert restores len(SHARED) rows when it ran while another upload stood, else none. Writes run
    # one at a time under the write lock, so their times give the order they ran in.
    for done, restored in zip(first, results[: len(first)], strict=True):
        at = times[done.upload_id].reverted_at
        standing = [
            u
            for u in times.values()
            if u.id != done.upload_id and u.uploaded_at < at and (u.reverted_at is None or u.reverted_at > at)
        ]
        assert restored == (len(SHARED) if standing else 0), (done.upload_id, restored, len(standing))
    for month in range(1, 7):  # the reverted months are empty again
        assert build_report(store, DISTRICT, 2024, month_end(2024, month)).data_month is None
    report = build_report(store, DISTRICT, 2024, date(2024, 12, 31))
    own = sum(month_values(i)[2][f"사업 {i:02d}"] for i in range(6, 12))  # the surviving files' own programs
    shared = sum(v for k, v in month_values(11)[2].items() if k in SHARED)
    assert report.data_month == 12 and report.executed == (own + shared) * 1000


def test_several_processes_import_into_one_store(make_store, tmp_path: Path):
    """Writers in different processes (app servers, the CLI) take turns; all land."""
    store = make_store()
    paths = []
    for i in range(5):
        path = tmp_path / f"proc_{i}.csv"
        path.write_bytes(month_file(i)[0])
        paths.append(path)
    procs = [
        cli_import(store.url, p, DISTRICT, f"p{i}", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, p in enumerate(paths)
    ]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0] * 5, outputs
    assert all("Traceback" not in err for _out, err in outputs)
    with store.read() as conn:
        assert_store_consistent(conn)
        assert conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one() == 5


def test_consistency_check_finds_a_wrong_current_row(staff_store):
    """The invariant checker used above fails on a store whose current flag is off the latest version."""
    store = staff_store
    _import(store, "a.csv", month_file(0)[0])
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE fact SET is_current = :f WHERE id = (SELECT min(id) FROM fact)"), {"f": False})
    with store.read() as conn, pytest.raises(AssertionError, match="current"):
        assert_store_consistent(conn)


def test_opening_an_up_to_date_store_does_not_wait_for_a_writer(make_store):
    """An app server or CLI that starts while an import is committing reads, finds nothing to migrate, and opens."""
    store = make_store()
    with store.write_transaction():
        opened = Store(store.url, write_wait_s=1)
        opened.upgrade()  # would wait for the write lock (and give up after 1 s) if it tried to take it
        opened.engine.dispose()
