"""Benchmark: KPIs of one district-year on a store of a million facts or more.

Reports the median time of build_report, how many fact rows it read, and two floors from the same
run: the bare indexed SQL fetch of that district-year's facts, and a read of the whole fact table.
Not a test: machines here are noisy; read the ratios.

    .venv/bin/python bench/kpi_bench.py [--facts 1000000] [--url sqlite:///data/bench/bench.db]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchgen import generate
from kpi.store import Store, queries
from kpi.views.report import build_report


def timed(fn, repeat: int) -> tuple[float, object]:
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
    print(f"median build_report        : {t_report * 1000:8.1f} ms")
    print(f"floor: bare indexed fetch  : {t_floor * 1000:8.1f} ms   ratio {t_report / t_floor:5.2f}x")
    print(f"full fact-table read       : {t_full * 1000:8.1f} ms   ratio {t_full / t_report:5.1f}x slower than report")


if __name__ == "__main__":
    main()
