"""Benchmark: the upload preview (what changes, the KPIs before and after) against the commit of the same batch,
both on fresh copies of the demo store, measured in turn in the same run. Parsing is left out of both.

Not a test: machines here are noisy; read the ratios. The last line is `RATIO preview_vs_commit=...` for the
large file (aim: <= 0.5), with the small file's ratio beside it. "preview" is the first preview of a state (the
process keeps no report of it: uploads' report cache is cleared before each); "again" previews a state whose
"before" report the process computed already (the same file re-prepared, e.g. after staff attach a program),
shown beside as `*_again`.

    .venv/bin/python bench/preview_bench.py [--rows 20000] [--small 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
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

    def fresh() -> Store:
        """A copy of the demo store (not timed)."""
        path = tmp / f"s_{time.perf_counter_ns()}.db"
        shutil.copy(demo, path)
        return Store(f"sqlite:///{path}")

    ratios = {}
    for label, rows in (("large", args.rows), ("small", args.small)):
        result = parse_upload("bench.xlsx", template_bytes(rows), district_cd="11560")
        assert result.batch is not None, result.errors[:3]
        batch = result.batch
        times: dict[str, list[float]] = {"preview": [], "again": [], "commit": []}
        for _ in range(args.repeat):
            for name in times:
                store = fresh()
                if name == "preview":
                    uploads.forget_reports()  # a state this process has not reported on yet
                start = time.perf_counter()
                uploads.preview(store, batch) if name != "commit" else store.commit(batch)
                times[name].append(time.perf_counter() - start)
                store.engine.dispose()
        pv, ag, cm = (statistics.median(times[n]) for n in ("preview", "again", "commit"))
        ratios[label], ratios[f"{label}_again"] = pv / cm, ag / cm
        print(
            f"{label:5} {rows:>7,} rows: preview {pv * 1000:8.1f} ms  again {ag * 1000:8.1f} ms  "
            f"commit {cm * 1000:8.1f} ms  {pv / cm:5.2f}x ({ag / cm:5.2f}x again)"
        )
    print(
        f"RATIO preview_vs_commit={ratios['large']:.2f} preview_vs_commit_small={ratios['small']:.2f} "
        f"again={ratios['large_again']:.2f} again_small={ratios['small_again']:.2f}"
    )


if __name__ == "__main__":
    main()
