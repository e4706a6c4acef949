"""Store invariants that every concurrency and crash test asserts, the small files those tests import, and the
CLI import they run in other processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.store.model import VERSIONED_KEYS, Program, Upload


def template_csv(rows: list[list[object]], year: int) -> bytes:
    """The project's upload template as a UTF-8 CSV: title with the year, units line, header, rows."""
    lines = [f"일자리 실적 입력 양식 ({year}년)", '"(단위: 천원, 명, 건)"', "사업명,연도,월,지표,재원,값,비고"]
    lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def cli_import(url: str, path: Path, district: str, by: str, **popen: Any) -> subprocess.Popen:
    """Start `python -m kpi.cli import` of one file into the store at `url`, in its own process."""
    env = {"JOBKPI_DATABASE_URL": url, "JOBKPI_LOAD_DEMO": "never", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    args = [sys.executable, "-m", "kpi.cli", "import", str(path), "--district", district, "--by", by]
    return subprocess.Popen(args, env=env, **popen)


def assert_store_consistent(conn: Connection) -> None:
    """Every key's current row is its latest committed version (or none); no upload is partly there.

    Checked on one connection, so on one read transaction: what a page sees."""
    up = Upload.__table__
    committed = {r.id for r in conn.execute(sa.select(up.c.id).where(up.c.status == "committed"))}
    uploads = {r.id for r in conn.execute(sa.select(up.c.id))}
    with_rows: set[int] = set()
    for model, key in VERSIONED_KEYS.items():
        table = model.__table__
        rows = conn.execute(sa.select(table.c.id, table.c.upload_id, table.c.is_current, *[table.c[k] for k in key]))
        latest: dict[tuple, int] = {}
        current: dict[tuple, list[int]] = {}
        for row in rows:
            k = tuple(row[3:])
            with_rows.add(row.upload_id)
            assert row.upload_id in uploads, f"{table.name} row {row.id} belongs to no upload"
            if row.upload_id in committed:
                latest[k] = max(latest.get(k, 0), row.id)
            if row.is_current:
                current.setdefault(k, []).append(row.id)
        for k in set(latest) | set(current):
            want = [latest[k]] if k in latest else []
            assert current.get(k, []) == want, f"{table.name} key {k}: current rows {current.get(k)} != {want}"
    assert uploads <= with_rows, f"uploads without any value rows: {sorted(uploads - with_rows)}"
    prog = Program.__table__
    orphans = (
        conn.execute(
            sa.select(prog.c.id).where(prog.c.created_upload_id.is_not(None), prog.c.created_upload_id.not_in(uploads))
        ).all()
        if uploads
        else []
    )
    assert not orphans, f"programs created by an upload that does not exist: {orphans}"
