"""Benchmark: the upload preview (what changes, the KPIs before and after) against the commit of the same batch,
both on fresh copies of a store, measured in turn in the same run. Parsing is left out of both. Two cases:
"known", the everyday re-upload (the store holds the file's programs from an earlier upload of it; the values
changed), previewed without writing; "new", a first upload of programs the store lacks (the demo store), previewed
by writing and rolling back (it creates programs).

Not a test: machines here are noisy; read the ratios. The last line is `RATIO preview_vs_commit=...` for the
large file's re-upload (aim: <= 0.5), with the other cases' ratios beside it. "preview" is the first preview of a
state (the process keeps no report of it: uploads' report cache is cleared before each); "again" previews a state
whose "before" report the process computed already (the same file re-prepared, e.g. after staff attach a
program), shown beside as `*_again`.

    .venv/bin/python bench/preview_bench.py [--rows 20000] [--small 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_bench import template_bytes
from kpi.demo.seed import load_demo
from kpi.importers import parse_upload
from kpi.store import Store, uploads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    demo = tmp / "demo.db"
    load_demo(Store.open(f"sqlite:///{demo}"))

    def fresh(base: Path) -> Store:
        """A copy of a store file (not timed)."""
        path = tmp / f"s_{time.perf_counter_ns()}.db"
        shutil.copy(base, path)
        return Store(f"sqlite:///{path}")

    ratios = {}
    for label, rows in (("large", args.rows), ("small", args.small)):
        first = parse_upload("bench.xlsx", template_bytes(rows), district_cd="11560").batch
        assert first is not None
        known = tmp / f"known_{label}.db"  # the demo after a first upload of the file's programs
        shutil.copy(demo, known)
        Store(f"sqlite:///{known}").commit(first)
        later = parse_upload("bench.xlsx", template_bytes(rows, shift=7), district_cd="11560").batch
        assert later is not None
        for case, base, batch in (("known", known, later), ("new", demo, first)):
            # "written": the same preview by writing and rolling back (the way every preview went before), as "again"
            runs: dict[str, Callable[[Store], object]] = {
                "preview": lambda s, b=batch: uploads.preview(s, b),
                "again": lambda s, b=batch: uploads.preview(s, b),
                "commit": lambda s, b=batch: s.commit(b),
            }
            if case == "known":
                runs["written"] = lambda s, b=batch: uploads._preview_written(s, b)
            times: dict[str, list[float]] = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, run in runs.items():
                    store = fresh(base)
                    if name == "preview":
                        uploads.forget_reports()  # a state this process has not reported on yet
                    start = time.perf_counter()
                    run(store)
                    times[name].append(time.perf_counter() - start)
                    store.engine.dispose()
            pv, ag, cm = (statistics.median(times[n]) for n in ("preview", "again", "commit"))
            key = label if case == "known" else f"{label}_new"
            ratios[key], ratios[f"{key}_again"] = pv / cm, ag / cm
            written = ""
            if "written" in times:
                wr = statistics.median(times["written"])
                ratios[f"{key}_written"] = wr / cm
                written = f"  (by writing, again: {wr * 1000:8.1f} ms {wr / cm:5.2f}x)"
            print(
                f"{label:5} {case:5} {rows:>7,} rows: preview {pv * 1000:8.1f} ms  again {ag * 1000:8.1f} ms  "
                f"commit {cm * 1000:8.1f} ms  {pv / cm:5.2f}x ({ag / cm:5.2f}x again){written}"
            )
    print("RATIO " + " ".join(f"preview_vs_commit{'' if k == 'large' else '_' + k}={v:.2f}" for k, v in ratios.items()))


if __name__ == "__main__":
    main()
