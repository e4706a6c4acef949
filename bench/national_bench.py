"""Benchmark: a national 지방재정365 세출현황 snapshot (bench/national_gen.py, 470,000 rows of 243 governments) as
one upload of a district, and a department's report on a store holding 12 monthly snapshots.

(a) national_import_vs_csv_parse: uploads.prepare + uploads.commit of the snapshot by 영등포구 staff (the
    department's 세부사업 are configured by code: the district's other 세부사업 and the other 242 governments are
    skipped) into SQLite (and PostgreSQL with --postgres), against the floor of a bare pyarrow.csv.read_csv of the
    same bytes in the same run (aim: <= 2).
(b) report_with_national_vs_without: build_report of 영등포구's department on a store of benchgen facts (a 2024 for
    every Seoul district but 강동구), against the same store after 12 month-end snapshots were imported, each by
    강동구 staff, whose tree is not configured: all of 강동구's 세부사업 are stored, twelve versions deep, and every
    file's bytes are kept (parse_upload + Store.commit: the preview adds nothing to the store) (aim: <= 1.1).
    Reports are timed alternately on the two stores, after one warm-up each.
(c) peer_comparison_vs_raw_sql: the snapshots are imported with JOBKPI_LOFIN_PEERS=national, so the store holds
    every 시군구's 분야/부문 sums of 12 snapshots; the comparison's figures (kpi/store/peers.execution and the rates
    and ranks of kpi/views/peers.ranked, 사회복지 · 노동 across the country) against the floor of the same aggregate
    through the bare sqlite3 driver; the whole view (cards, chart, table) is printed beside it.
Not a test: machines here are noisy; read the ratios. The last line is `RATIO national_import_vs_csv_parse=...
report_with_national_vs_without=...`.

    .venv/bin/python bench/national_bench.py [--rows 470000] [--snapshots 12] [--repeat 3] [--facts 172800]
        [--form api|korean] [--encoding utf-8|cp949] [--postgres postgresql+psycopg://postgres@127.0.0.1/x]
        [--import-only]
"""

from __future__ import annotations

import argparse
import calendar
import io
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow.csv as pa_csv
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchgen import facts_per_batch, generate
from bench.national_gen import NATIONAL_ROWS, national_bytes, national_records
from bench.reimport_bench import pg_reachable, postgres_store
from kpi.domain.batch import Batch, ProgramSpec
from kpi.domain.districts import LAF_CD
from kpi.domain.filters import Filters
from kpi.importers import parse_upload
from kpi.store import Store, peers, uploads
from kpi.store.auth import User
from kpi.store.model import PeerExecution, table_of
from kpi.views import peers as pv
from kpi.views.report import build_report

DISTRICT, OTHER = "11560", "11740"  # 영등포구 imports and is reported on; 강동구 keeps the monthly snapshots
FACTS = 24 * facts_per_batch(50, 12)  # benchgen: a 2024 of 50 programs for every Seoul district but 강동구
DEPARTMENT = "일자리정책과"
USER = User("bench", "admin", system=True)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def configure(store: Store, rows: int) -> int:
    """Register the department's 세부사업 (영등포구's 노동 부문 of the snapshot) by code, as staff do once; returns
    how many. Their budgets come later, from the snapshot."""
    mine = [r for r in national_records(rows) if r["laf_cd"] == LAF_CD[DISTRICT] and r["part_nm"] == "노동"]
    specs = [ProgramSpec(r["dbiz_nm"], department=DEPARTMENT, code=r["dbiz_cd"], level="detail") for r in mine]
    store.commit(
        Batch(DISTRICT, "benchmark", "bench/tree.json", b"tree", date(2024, 1, 31), "bench", True, programs=specs)
    )
    return len(specs)


def import_once(store: Store, content: bytes, district: str) -> tuple[float, float]:
    """One upload as staff make it: prepare (parse, validate, preview), then commit; the seconds of each."""
    start = time.perf_counter()
    prepared = uploads.prepare(store, "세출현황.csv", content, district_cd=district, user=USER)
    middle = time.perf_counter()
    errors = prepared.result.errors
    assert not errors, [(i.code, i.row, i.message_ko) for i in errors[:3]]
    uploads.commit(store, prepared, user=USER)
    return middle - start, time.perf_counter() - middle


def csv_floor(content: bytes, encoding: str) -> None:
    """The floor: a bare pyarrow.csv parse of the same bytes (types inferred, the file's encoding)."""
    pa_csv.read_csv(io.BytesIO(content), read_options=pa_csv.ReadOptions(encoding=encoding.replace("-sig", "")))


def median(fn: Callable[..., object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """Median seconds of fn() (or fn(setup()) with setup untimed) over repeat runs."""
    times = []
    for _ in range(repeat):
        arg = setup() if setup else None
        start = time.perf_counter()
        fn(arg) if setup else fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_import(args: argparse.Namespace, content: bytes, tmp: Path) -> float:
    """(a): the import against the parse floor, on SQLite and with --postgres on PostgreSQL; the worst ratio."""
    template = tmp / "template.db"
    store = Store.open(f"sqlite:///{template}")
    configure(store, args.rows)
    store.engine.dispose()  # closes the WAL, so that copies hold everything (not timed)

    def fresh_sqlite() -> Store:
        path = tmp / f"import_{time.perf_counter_ns()}.db"
        shutil.copy(template, path)
        return Store(f"sqlite:///{path}")

    t_floor = median(lambda: csv_floor(content, args.encoding), args.repeat)
    print(f"floor: bare pyarrow.csv.read_csv          : {t_floor * 1000:9.1f} ms")
    t_parse = median(lambda: parse_upload("n.csv", content, district_cd=DISTRICT), args.repeat)
    print(f"parse_upload alone (columnar path)        : {t_parse * 1000:9.1f} ms   {t_parse / t_floor:5.2f}x floor")
    result = uploads.prepare(fresh_sqlite(), "세출현황.csv", content, district_cd=DISTRICT, user=USER).result
    batch = result.batch
    assert batch is not None
    print(
        f"one upload keeps {len(batch.programs)} 세부사업 ({batch.row_count} value rows); "
        f"issues: {', '.join(i.code for i in result.issues)}"
    )
    runs: dict[str, list[tuple[float, float]]] = {"sqlite": []}
    for _ in range(args.repeat):
        runs["sqlite"].append(import_once(fresh_sqlite(), content, DISTRICT))
    if args.postgres and pg_reachable(args.postgres):
        runs["postgresql"] = []
        for _ in range(args.repeat):
            with postgres_store(args.postgres) as store:
                configure(store, args.rows)
                runs["postgresql"].append(import_once(store, content, DISTRICT))
    elif args.postgres:
        print("PostgreSQL not reachable: SQLite only")
    ratios = {}
    for name, times in runs.items():
        total = statistics.median(p + c for p, c in times)
        prep, done = statistics.median(p for p, _c in times), statistics.median(c for _p, c in times)
        print(
            f"{name}: prepare + commit {total * 1000:9.1f} ms   {total / t_floor:5.2f}x floor "
            f"(prepare {prep * 1000:.0f} ms, commit {done * 1000:.0f} ms)"
        )
        ratios[name] = total / t_floor
    small = replace(batch, content=b"-")  # what the file's bytes cost the store's write (diagnostic)
    t_small = median(lambda s: s.commit(small), args.repeat, fresh_sqlite)
    t_big = median(lambda s: s.commit(batch), args.repeat, fresh_sqlite)
    print(
        f"diagnostic, sqlite Store.commit of the {len(batch.programs):,} 세부사업: {t_big * 1000:.0f} ms with the "
        f"{len(content) / 1048576:.0f} MB file kept, {t_small * 1000:.0f} ms without"
    )
    return max(ratios.values())


def bench_report(args: argparse.Namespace, tmp: Path) -> tuple[float, float]:
    """(b): the department's report with and without 12 monthly national snapshots in the store."""
    without_path, with_path = tmp / "without.db", tmp / "with.db"
    base = Store.open(f"sqlite:///{without_path}")
    start = time.perf_counter()
    generate(base, args.facts)
    base.engine.dispose()
    print(f"base store: {args.facts:,} benchgen facts in {time.perf_counter() - start:.1f}s")
    shutil.copy(without_path, with_path)
    without, loaded = Store(f"sqlite:///{without_path}"), Store(f"sqlite:///{with_path}")
    start = time.perf_counter()
    os.environ["JOBKPI_LOFIN_PEERS"] = "national"  # every 시군구's sums, for (c)
    for month in range(1, args.snapshots + 1):  # parsed and committed through the store's one write path
        content = national_bytes(args.rows, month_end(2024, month), form=args.form, encoding=args.encoding)
        result = parse_upload("세출현황.csv", content, district_cd=OTHER, uploaded_by=USER.name)
        assert result.batch is not None, [(i.code, i.row, i.message_ko) for i in result.errors[:3]]
        loaded.commit(result.batch)
    os.environ.pop("JOBKPI_LOFIN_PEERS")
    print(
        f"imported {args.snapshots} monthly snapshots ({OTHER}'s rows kept) in {time.perf_counter() - start:.1f}s; "
        f"store {with_path.stat().st_size / 1048576:.0f} MB against {without_path.stat().st_size / 1048576:.0f} MB"
    )
    as_of = date(2024, 12, 31)
    times: dict[str, list[float]] = {"without": [], "with": []}
    reports = {}
    for _ in range(args.report_repeat):
        for name, store in (("without", without), ("with", loaded)):
            start = time.perf_counter()
            reports[name] = build_report(store, DISTRICT, 2024, as_of, department=DEPARTMENT)
            times[name].append(time.perf_counter() - start)
    same = [repr((r.budget, r.executed, r.execution_rate)) for r in reports.values()]
    assert same[0] == same[1], same  # the snapshots are another district's: the department's figures are unchanged
    t_without, t_with = (statistics.median(times[k][1:]) for k in ("without", "with"))
    print(f"build_report without snapshots            : {t_without * 1000:9.1f} ms")
    ratio = t_with / t_without
    print(f"build_report with {args.snapshots:2d} snapshots           : {t_with * 1000:9.1f} ms   {ratio:5.2f}x")
    peer_ratio = bench_peers(args, loaded, with_path)
    return ratio, peer_ratio


PEER_SQL = """
SELECT government, max(laf_name), max(province), max(sig_cd), sum(budget_current), sum(executed), sum(programs),
       max(CASE WHEN is_sample THEN 1 ELSE 0 END)
FROM peerexecution
WHERE district_cd = ? AND fiscal_year = ? AND as_of = ? AND field_name = ? AND part_name = ?
  AND upload_id = (SELECT max(p.upload_id) FROM peerexecution p JOIN upload u ON u.id = p.upload_id
                   WHERE p.district_cd = ? AND p.fiscal_year = ? AND p.as_of = ? AND u.status = 'committed')
GROUP BY government ORDER BY government
"""


def bench_peers(args: argparse.Namespace, store: Store, path: Path) -> float:
    """(c): the national comparison of one 부문 on a store of 12 national snapshots vs the bare driver's aggregate."""
    as_of = month_end(2024, args.snapshots)
    filters = Filters(OTHER, 2024, as_of)
    report = build_report(store, OTHER, 2024, as_of)
    with store.read() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(table_of(PeerExecution))).scalar_one()
    raw = sqlite3.connect(path)
    params = (OTHER, 2024, as_of.isoformat(), "사회복지", "노동", OTHER, 2024, as_of.isoformat())
    times: dict[str, list[float]] = {"view": [], "ranks": [], "raw": []}
    for _ in range(args.report_repeat):
        start = time.perf_counter()
        view = pv.comparison(store, report, filters, as_of, "사회복지", "노동", True)
        times["view"].append(time.perf_counter() - start)
        start = time.perf_counter()
        with store.read() as conn:
            ranked = pv.ranked(peers.execution(conn, OTHER, 2024, as_of, "사회복지", "노동"))
        times["ranks"].append(time.perf_counter() - start)
        start = time.perf_counter()
        got = raw.execute(PEER_SQL, params).fetchall()
        times["raw"].append(time.perf_counter() - start)
    raw.close()
    assert len(got) == len(view.table) == len(ranked), (len(got), len(view.table), len(ranked))
    t_view, t_ranks, t_raw = (statistics.median(times[k][1:]) for k in ("view", "ranks", "raw"))
    print(
        f"peer comparison (사회복지 · 노동, {len(got)} 시군구 nationwide, {rows:,} peer rows stored): rates and ranks "
        f"{t_ranks * 1000:.1f} ms, floor raw SQL {t_raw * 1000:.1f} ms   {t_ranks / t_raw:5.2f}x; the whole view "
        f"with its chart and table {t_view * 1000:.1f} ms"
    )
    return t_ranks / t_raw


def main() -> None:
    """Run (a), (b) and (c) ((a) alone with --import-only) and print the RATIO line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=NATIONAL_ROWS)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--report-repeat", type=int, default=16)
    parser.add_argument("--facts", type=int, default=FACTS)
    parser.add_argument("--form", choices=("api", "korean"), default="api")
    parser.add_argument("--encoding", choices=("utf-8", "utf-8-sig", "cp949"), default="utf-8")
    parser.add_argument("--postgres", default="")
    parser.add_argument("--import-only", action="store_true", help="run (a) only (skip the report and peer parts)")
    args = parser.parse_args()
    start = time.perf_counter()
    content = national_bytes(args.rows, date(2024, 5, 31), form=args.form, encoding=args.encoding)
    print(
        f"snapshot: {args.rows:,} rows, {len(content) / 1048576:.1f} MB ({args.form}, {args.encoding}), "
        f"generated in {time.perf_counter() - start:.1f}s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        import_ratio = bench_import(args, content, Path(tmp))
        if args.import_only:
            print(f"RATIO national_import_vs_csv_parse={import_ratio:.2f}")
            return
        report_ratio, peer_ratio = bench_report(args, Path(tmp))
    print(
        f"RATIO national_import_vs_csv_parse={import_ratio:.2f} report_with_national_vs_without={report_ratio:.2f} "
        f"peer_comparison_vs_raw_sql={peer_ratio:.2f}"
    )


if __name__ == "__main__":
    main()
