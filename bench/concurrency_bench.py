"""Many writers at once: N `jobkpi import` processes of R-row files started together against one store.

Reports how many landed, how long each waited and took, and that the store's invariants hold.
Usage: .venv/bin/python bench/concurrency_bench.py --url sqlite:////tmp/conc.db --procs 10 --rows 99000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.store import Store
from tests.invariants import assert_store_consistent, template_csv


def make_file(index: int, rows: int) -> bytes:
    """A template CSV of `rows` 집행액 lines: rows/12 programs of this file, twelve months each."""
    per = max(1, rows // 12)
    body = [
        [f"사업 {index:02d}-{p:05d}", 2024, m, "집행액", "계", 1_000 * m + p] for p in range(per) for m in range(1, 13)
    ]
    return template_csv(body[:rows], 2024)


def main() -> None:
    """Start the imports together, wait for all, print one line per process and a RATIO line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--procs", type=int, default=10)
    ap.add_argument("--rows", type=int, default=99_000)
    args = ap.parse_args()
    store = Store.open(args.url)
    tmp = Path(tempfile.mkdtemp())
    paths = []
    for i in range(args.procs):
        path = tmp / f"conc_{i}.csv"
        path.write_bytes(make_file(i, args.rows))
        paths.append(path)
    env = {**os.environ, "JOBKPI_DATABASE_URL": args.url, "JOBKPI_LOAD_DEMO": "never"}
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kpi.cli", "import", str(p), "--district", "11560"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in paths
    ]
    ends = []
    for p in procs:
        _out, err = p.communicate()
        ends.append((time.monotonic() - started, p.returncode, err.strip().splitlines()[-1:] if err else []))
    for i, (t, code, err) in enumerate(ends):
        print(f"import {i}: exit {code} after {t:.1f}s {err[0] if err else ''}")
    with store.read() as conn:
        assert_store_consistent(conn)
    landed = sum(1 for _t, code, _e in ends if code == 0)
    total = max(t for t, _c, _e in ends)
    print(f"RATIO landed={landed}/{args.procs} wall_s={total:.1f} per_import_s={total / args.procs:.1f}")


if __name__ == "__main__":
    main()
