"""Benchmark: KPIs of one district-year on a store of a million facts or more.

Reports the median time of build_report, how many fact rows it read, and floors from the same run:
  - raw SQL: the same slice aggregated by hand-written SQL through the bare driver (sqlite3 / psycopg, no
    SQLAlchemy, no pandas): current facts of the district-year through the month summed per program, metric
    and month, and current budgets summed per program (aim: build_report <= 3x this);
  - the project's own indexed fetch of the facts (queries.facts), and a read of the whole fact table.
Not a test: machines here are noisy; read the ratios. The last line is `RATIO report_vs_raw_sql=...`.

    .venv/bin/python bench/kpi_bench.py [--facts 1000000] [--url sqlite:///data/bench/bench.db]
    .venv/bin/python bench/kpi_bench.py --url postgresql+psycopg://postgres@127.0.0.1/jobkpi_bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchgen import generate
from kpi.store import Store, queries
from kpi.views.report import build_report

T = TypeVar("T")

RAW_FACTS = """
SELECT program_id, metric, month, sum(value), max(CASE WHEN is_sample THEN 1 ELSE 0 END)
FROM fact
WHERE district_cd = {p} AND year = {p} AND month <= {p} AND is_current
GROUP BY program_id, metric, month
"""
RAW_BUDGETS = """
SELECT program_id, sum(coalesce("current", original)), sum(original)
FROM budget
WHERE district_cd = {p} AND year = {p} AND is_current
GROUP BY program_id
"""


def raw_driver(url: str) -> tuple[Callable[[], Any], str]:
    """A bare DB-API connection factory for the store's URL (sqlite3 or psycopg) and its parameter mark."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        return (lambda: sqlite3.connect(parsed.database or ":memory:")), "?"
    import psycopg

    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    return (lambda: psycopg.connect(dsn)), "%s"


def raw_slice(connect: Callable[[], Any], mark: str, district: str, year: int, through: int) -> tuple[int, float]:
    """The slice's aggregates by hand-written SQL on a fresh bare connection: (groups fetched, executed total of
    the latest month, for a cross-check with build_report)."""
    conn = connect()
    try:
        cur = conn.cursor()
        cur.execute(RAW_FACTS.format(p=mark), (district, year, through))
        facts = cur.fetchall()
        cur.execute(RAW_BUDGETS.format(p=mark), (district, year))
        budgets = cur.fetchall()
    finally:
        conn.close()
    last = max((m for _p, metric, m, _v, _s in facts if metric == "executed"), default=0)
    executed = sum(v for p, metric, m, v, _s in facts if metric == "executed" and m == last and p is not None)
    return len(facts) + len(budgets), float(executed)


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median seconds of fn() over repeat runs (after one warm-up), and its last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--url", default=f"sqlite:///{Path('data/bench/bench.db').resolve()}")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    store = Store.open(args.url)
    with store.engine.connect() as conn:
        have = conn.execute(sa.text("SELECT count(*) FROM fact")).scalar_one()
    if have < args.facts:
        start = time.perf_counter()
        written = generate(store, args.facts - have)
        print(f"generated {written:,} facts in {time.perf_counter() - start:.1f}s through Store.commit")
    with store.engine.connect() as conn:
        total = conn.execute(sa.text("SELECT count(*) FROM fact")).scalar_one()

    district, year, as_of = "11560", 2024, date(2024, 12, 31)
    t_report, report = timed(lambda: build_report(store, district, year, as_of), args.repeat)

    def bare_fetch() -> int:
        with store.engine.connect() as conn:
            return len(queries.facts(conn, district, year))

    t_floor, _ = timed(bare_fetch, args.repeat)
    connect, mark = raw_driver(args.url)
    t_raw, (raw_groups, raw_executed) = timed(
        lambda: raw_slice(connect, mark, district, year, as_of.month), args.repeat
    )

    def full_read() -> int:
        with store.engine.connect() as conn:
            return len(pd.read_sql(sa.text("SELECT program_id, metric, month, value FROM fact WHERE is_current"), conn))

    t_full, _ = timed(full_read, max(3, args.repeat // 5))
    with store.engine.connect() as conn:
        matched = queries.fact_rows_matched(conn, district, year)

    print(f"store: {store.engine.url.render_as_string(hide_password=True)} with {total:,} facts")
    print(
        f"KPIs of {district} {year} as of {as_of}: execution {report.execution_rate:.1f}%, "
        f"{len(report.programs)} programs"
    )
    print(
        f"fact rows read: {report.rows_read.get('fact', 0):,} fetched after SQL aggregation, "
        f"{matched:,} matched by the indexed filter, of {total:,} in the table "
        f"({100 * matched / total:.2f}%)"
    )
    print(
        f"raw SQL slice: {raw_groups:,} groups; executed of the latest month {raw_executed:,.0f} 원 "
        f"(build_report: {report.executed:,.0f} 원)"
    )
    print(f"median build_report        : {t_report * 1000:8.1f} ms")
    print(f"floor: raw SQL, bare driver: {t_raw * 1000:8.1f} ms   ratio {t_report / t_raw:5.2f}x (aim <= 3x)")
    print(f"queries.facts fetch        : {t_floor * 1000:8.1f} ms   ratio {t_report / t_floor:5.2f}x")
    print(f"full fact-table read       : {t_full * 1000:8.1f} ms   ratio {t_full / t_report:5.1f}x slower than report")
    print(f"RATIO report_vs_raw_sql={t_report / t_raw:.2f}")


if __name__ == "__main__":
    main()
