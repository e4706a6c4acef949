"""Crash safety: kill -9 at random moments of an import (parse, preview, commit) leaves the store as if the
import never started, or wholly done; no lock, stale upload or half-created program is left, and the same
file imports cleanly afterwards. On SQLite and PostgreSQL; JOBKPI_CRASH_TRIALS sets the number of kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

from kpi.store import Store, StoreError, auth, uploads
from kpi.store.model import Fact, Program, Upload
from tests.factories import with_accounts
from tests.invariants import assert_store_consistent, cli_import, template_csv

TRIALS = int(os.environ.get("JOBKPI_CRASH_TRIALS", "20"))
PROGRAMS = 100  # x 12 months of 집행액, plus a 예산액 line each: 1,300 rows a file
STAFF = auth.User("kim", "staff")


def big_file(trial: int) -> bytes:
    """A template file of new programs (named per trial) with twelve months of executed amounts."""
    rows: list[list[object]] = []
    for p in range(PROGRAMS):
        name = f"사업 {trial:02d}-{p:03d}"
        rows.append([name, 2024, None, "예산액", "계", 120_000 + p])
        rows += [[name, 2024, m, "집행액", "계", 1_000 * m + p] for m in range(1, 13)]
    return template_csv(rows, 2024)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (Upload.__table__, Fact.__table__, Program.__table__)
        }


def _start_import(store: Store, path: Path) -> subprocess.Popen:
    return cli_import(store.url, path, "11560", STAFF.name, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_kill_9_at_random_moments_leaves_the_store_whole(make_store, tmp_path: Path):
    store = with_accounts(make_store(), STAFF)
    rng = random.Random(20261123)
    # calibrate on this machine: how long a whole import takes (start-up, parse, preview, commit); kills then
    # land from a third of the way in (past most of the start-up) to a little after its end
    calib = tmp_path / "calib.csv"
    calib.write_bytes(big_file(99))
    started = time.monotonic()
    proc = _start_import(store, calib)
    assert proc.wait() == 0, proc.stderr.read().decode() if proc.stderr else ""
    duration = time.monotonic() - started
    outcomes = {"absent": 0, "whole": 0}
    interrupted = 0  # kills that found the import still running (the others came after it had finished)
    for trial in range(TRIALS):
        path = tmp_path / f"trial_{trial}.csv"
        content = big_file(trial)
        path.write_bytes(content)
        before = _counts(store)
        proc = _start_import(store, path)
        time.sleep(rng.uniform(duration * 0.35, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        assert code in (0, -signal.SIGKILL), (trial, code, proc.stderr.read().decode() if proc.stderr else "")
        interrupted += code == -signal.SIGKILL
        after = _counts(store)
        with store.read() as conn:
            assert_store_consistent(conn)
        landed = after["upload"] - before["upload"]
        assert landed in (0, 1), (trial, before, after)
        assert code != 0 or landed == 1, (trial, "the import finished but its upload is not there")
        if landed == 0:  # as if it never started
            assert after == before, (trial, before, after)
            outcomes["absent"] += 1
        else:  # wholly done
            assert after["fact"] - before["fact"] == PROGRAMS * 12
            assert after["program"] - before["program"] == PROGRAMS
            outcomes["whole"] += 1
        # the same file imports cleanly now (or is known as already imported, when the killed one landed)
        prepared = uploads.prepare(store, path.name, content, district_cd="11560", user=STAFF)
        assert prepared.result.errors == []
        try:
            uploads.commit(store, prepared, user=STAFF)
            assert landed == 0
        except StoreError as exc:
            assert landed == 1 and "같은 파일" in str(exc)
        final = _counts(store)
        assert final["upload"] == before["upload"] + 1
        with store.read() as conn:
            assert_store_consistent(conn)
    print(
        f"kill -9 trials on {store.engine.dialect.name}: {TRIALS} (import {duration:.1f}s): {outcomes}, "
        f"{interrupted} while running"
    )
    assert interrupted >= 1, "every kill came after the import had finished: the test tested nothing"
