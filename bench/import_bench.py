"""Benchmark: parse + validate + commit of a 20,000-row template sheet, against two floors from the same run.

  floor 1: the bare python-calamine parse of the same file (aim: stay within 1.5x of it);
  floor 2: pandas.read_excel(engine="openpyxl") followed by DataFrame.to_sql (aim: be at least 5x faster).

Ours is parse_upload (the limited parsing child, the pre-scan, header finding, the columnar template checks,
the batch) and Store.commit, without the preview; the figures with the preview are printed above the last line.
The four runs are taken in turn in each round (medians), so that a loaded machine slows ours and the floors alike;
the CPU line (this process plus the parsing child) is the steadier figure on a shared machine. Not a test: read
the ratios.

    .venv/bin/python bench/import_bench.py [--rows 20000] [--repeat 3]

Last line: RATIO import_vs_calamine=<ours / floor 1> openpyxl_vs_import=<floor 2 / ours>
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.domain import catalog
from kpi.importers import parse_upload, write_template
from kpi.importers.template import TEMPLATE_METRICS
from kpi.store import Store, uploads
from kpi.store.auth import User

METRICS = [catalog.METRIC_BY_CODE[c] for c in TEMPLATE_METRICS]


def template_bytes(rows: int, year: int = 2024, shift: int = 0) -> bytes:
    """A filled template: programs x months x metrics, `rows` value lines (each value raised by `shift`)."""
    programs = [f"표본 사업 {i:03d}" for i in range(-(-rows // (12 * len(METRICS))))]
    buf = io.BytesIO()
    write_template(buf, programs, [m.code for m in METRICS], year)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["입력"]
    n = 0
    for p in programs:
        for metric in METRICS:
            for month in range(1, 13):
                if n == rows:
                    break
                ws.append([p, year, month, metric.ko, "계", 1_000 + n % 977 * month + shift])
                n += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its reaped children (the parsing child)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


Runs = dict[str, tuple[Callable[[Any], object], Callable[[], Any] | None]]


def interleaved(runs: Runs, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU seconds of each run fn(setup()) (setup not timed), the runs taken in turn in each round,
    so that a shared machine's load falls on ours and the floors alike (CPU time is the steadier figure there)."""
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (fn, setup) in runs.items():
            arg = setup() if setup else None
            cpu, start = cpu_seconds(), time.perf_counter()
            fn(arg)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(cpu_seconds() - cpu)
    return (
        {name: statistics.median(ts) for name, ts in walls.items()},
        {name: statistics.median(ts) for name, ts in cpus.items()},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    content = template_bytes(args.rows)
    tmp = Path(tempfile.mkdtemp())
    user = User("bench", "admin", system=True)
    template = tmp / "template.db"
    Store.open(f"sqlite:///{template}").engine.dispose()  # migrated once; each run gets a copy (not timed)

    def fresh_store() -> Store:
        path = tmp / f"s_{time.perf_counter_ns()}.db"
        shutil.copy(template, path)
        return Store(f"sqlite:///{path}")

    parts: dict[str, list[float]] = {"parse": [], "commit": []}

    def ours(store: Store) -> None:
        prepared = uploads.prepare(store, "bench.xlsx", content, district_cd="11560", user=user)
        assert not prepared.result.errors, prepared.result.errors[:3]
        uploads.commit(store, prepared, user=user)

    def ours_no_preview(store: Store) -> None:
        start = time.perf_counter()
        result = parse_upload("bench.xlsx", content, district_cd="11560")
        parsed = time.perf_counter()
        assert result.batch is not None, result.errors[:3]
        store.commit(result.batch)
        parts["parse"].append(parsed - start)
        parts["commit"].append(time.perf_counter() - parsed)

    def calamine(_arg: object) -> None:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    def pandas_openpyxl(_arg: object) -> None:
        frame = pd.read_excel(io.BytesIO(content), sheet_name="입력", header=2, engine="openpyxl")
        engine = sa.create_engine(f"sqlite:///{tmp / f'pd_{time.perf_counter_ns()}.db'}")
        frame.to_sql("facts", engine, index=False)
        engine.dispose()

    parse_upload("bench.xlsx", content, district_cd="11560")  # warm: imports and caches, as in a running server
    t, cpu = interleaved(
        {
            "ours": (ours, fresh_store),
            "core": (ours_no_preview, fresh_store),
            "calamine": (calamine, None),
            "pandas": (pandas_openpyxl, None),
        },
        args.repeat,
    )
    t_ours, t_core, t_cal, t_pd = t["ours"], t["core"], t["calamine"], t["pandas"]
    print(f"file: {args.rows:,} value rows, {len(content) / 1024:.0f} KB (median of {args.repeat})")
    print(f"ours: parse + validate + preview + commit : {t_ours * 1000:8.1f} ms")
    t_parse, t_commit = (statistics.median(parts[k]) * 1000 for k in ("parse", "commit"))
    print(
        f"ours: parse + validate + commit (no preview): {t_core * 1000:8.1f} ms   "
        f"(parse_upload {t_parse:.1f} ms, store.commit {t_commit:.1f} ms)"
    )
    print(f"floor 1: bare calamine parse              : {t_cal * 1000:8.1f} ms")
    print(f"floor 2: pandas read_excel(openpyxl)+to_sql: {t_pd * 1000:8.1f} ms")
    c_core, c_cal, c_pd = cpu["core"], cpu["calamine"], cpu["pandas"]
    print(
        f"cpu (this process + the parsing child): ours {c_core * 1000:.0f} ms, calamine {c_cal * 1000:.0f} ms, "
        f"pandas {c_pd * 1000:.0f} ms: import_vs_calamine={c_core / c_cal:.2f} openpyxl_vs_import={c_pd / c_core:.2f}"
    )
    print(
        f"with preview: import_vs_calamine={t_ours / t_cal:.2f} openpyxl_vs_import={t_pd / t_ours:.2f} "
        "(aims: <= 1.5, >= 5; the preview is the store's)"
    )
    print(f"RATIO import_vs_calamine={t_core / t_cal:.2f} openpyxl_vs_import={t_pd / t_core:.2f}")


if __name__ == "__main__":
    main()
