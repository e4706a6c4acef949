"""Benchmark: a 99,000-fact upload written into a fresh store, then the same keys with new values twice more.

The floor is the first write of the same batch in the same run: a re-upload (every key superseded, with one and
then two earlier versions) should cost about the same (aim: <= 1.2x), on SQLite and on PostgreSQL. Timed is
Store.commit of a prepared Batch (the store's one write path: programs resolved, rows inserted, old versions
superseded); parsing is the same for both and left out. Not a test: machines here are noisy; read the ratios.

    .venv/bin/python bench/reimport_bench.py [--facts 99000] [--pg postgresql+psycopg://postgres@127.0.0.1/x]

--pg names any database on the server (default $JOBKPI_TEST_POSTGRES_URL); the benchmark creates its own
database beside it and drops it afterwards. Without a reachable PostgreSQL only SQLite is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchgen import one_batch
from kpi.store import Store


@contextmanager
def sqlite_store() -> Iterator[Store]:
    """A fresh migrated SQLite store in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'reimport.db'}")
        try:
            yield store
        finally:
            store.engine.dispose()


@contextmanager
def postgres_store(url: str) -> Iterator[Store]:
    """A fresh migrated PostgreSQL store in a database created beside url's, dropped afterwards."""
    name = f"jobkpi_reimport_bench_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    store = Store.open(sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False))
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def run(make: Callable[[], object], facts: int, repeat: int) -> tuple[float, float, float]:
    """Median seconds of the first write, the second (1 earlier version) and the third (2 earlier versions)."""
    first: list[float] = []
    second: list[float] = []
    third: list[float] = []
    batches = [one_batch(facts, seed=s) for s in (1, 2, 3)]
    for _ in range(repeat):
        with make() as store:  # type: ignore[attr-defined]
            for batch, out in zip(batches, (first, second, third), strict=True):
                start = time.perf_counter()
                store.commit(batch)
                out.append(time.perf_counter() - start)
    return statistics.median(first), statistics.median(second), statistics.median(third)


def pg_reachable(url: str) -> bool:
    """Whether PostgreSQL answers at url."""
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # any driver error: not reachable
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=99_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg", default=os.environ.get("JOBKPI_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    backends: dict[str, Callable[[], object]] = {"sqlite": sqlite_store}
    if args.pg and pg_reachable(args.pg):
        backends["postgresql"] = lambda: postgres_store(args.pg)
    else:
        print("PostgreSQL not reachable (--pg / JOBKPI_TEST_POSTGRES_URL): SQLite only")
    ratios: dict[str, float] = {}
    print(f"batch: {len(one_batch(args.facts).facts):,} facts; median of {args.repeat} run(s) per backend")
    for name, make in backends.items():
        t1, t2, t3 = run(make, args.facts, args.repeat)
        print(f"{name:10s} first write            : {t1 * 1000:9.1f} ms")
        print(f"{name:10s} re-upload, 1 version   : {t2 * 1000:9.1f} ms   ratio {t2 / t1:5.2f}x")
        print(f"{name:10s} re-upload, 2 versions  : {t3 * 1000:9.1f} ms   ratio {t3 / t1:5.2f}x")
        ratios[name] = max(t2, t3) / t1
    worst = max(ratios.values())
    parts = " ".join(f"reimport_vs_first_{k}={v:.2f}" for k, v in ratios.items())
    print(f"RATIO reimport_vs_first={worst:.2f} {parts}")


if __name__ == "__main__":
    main()
