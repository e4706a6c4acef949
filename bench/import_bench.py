"""Benchmark: parse + validate + commit of a 20,000-row template sheet, against two floors from the same run.

  floor 1: the bare python-calamine parse of the same file (aim: stay within 1.5x of it);
  floor 2: pandas.read_excel(engine="openpyxl") followed by DataFrame.to_sql (aim: be at least 5x faster).

Not a test: machines here are noisy; read the ratios.

    .venv/bin/python bench/import_bench.py [--rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.domain import catalog
from kpi.importers import write_template
from kpi.importers.template import TEMPLATE_METRICS
from kpi.store import Store, uploads
from kpi.store.auth import User

METRICS = [catalog.METRIC_BY_CODE[c] for c in TEMPLATE_METRICS]


def template_bytes(rows: int, year: int = 2024) -> bytes:
    """A filled template: programs x months x metrics, `rows` value lines."""
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
                ws.append([p, year, month, metric.ko, "계", 1_000 + n % 977 * month])
                n += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def median_time(fn, repeat: int, setup=None) -> float:
    """Median seconds of fn(setup()) over repeat runs; setup is not timed."""
    times = []
    for _ in range(repeat):
        arg = setup() if setup else None
        start = time.perf_counter()
        fn(arg) if setup else fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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

    def ours(store: Store) -> None:
        prepared = uploads.prepare(store, "bench.xlsx", content, district_cd="11560", user=user)
        assert not prepared.result.errors, prepared.result.errors[:3]
        uploads.commit(store, prepared, user=user)

    def ours_no_preview(store: Store) -> None:
        from kpi.importers import parse_upload

        result = parse_upload("bench.xlsx", content, district_cd="11560")
        store.commit(result.batch)

    def calamine() -> None:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()

    def pandas_openpyxl() -> None:
        frame = pd.read_excel(io.BytesIO(content), sheet_name="입력", header=2, engine="openpyxl")
        engine = sa.create_engine(f"sqlite:///{tmp / f'pd_{time.perf_counter_ns()}.db'}")
        frame.to_sql("facts", engine, index=False)
        engine.dispose()

    t_ours = median_time(ours, args.repeat, fresh_store)
    t_core = median_time(ours_no_preview, args.repeat, fresh_store)
    t_cal = median_time(calamine, args.repeat)
    t_pd = median_time(pandas_openpyxl, args.repeat)
    print(f"file: {args.rows:,} value rows, {len(content) / 1024:.0f} KB")
    print(f"ours: parse + validate + preview + commit : {t_ours * 1000:8.1f} ms")
    print(f"ours: parse + validate + commit (no preview): {t_core * 1000:8.1f} ms")
    print(
        f"floor 1: bare calamine parse              : {t_cal * 1000:8.1f} ms   ours/floor = {t_core / t_cal:5.2f}x "
        f"(aim <= 1.5x; with preview {t_ours / t_cal:5.2f}x)"
    )
    print(
        f"floor 2: pandas read_excel(openpyxl)+to_sql: {t_pd * 1000:8.1f} ms   floor/ours = {t_pd / t_core:5.2f}x "
        f"(aim >= 5x; with preview {t_pd / t_ours:5.2f}x)"
    )


if __name__ == "__main__":
    main()
