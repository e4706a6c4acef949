"""The everyday preview (values of programs the store knows) writes nothing: it neither waits for nor blocks a
writer, leaves no table behind, and falls back to writing and rolling back only when the commit would write more
than values (test_preview_exact checks both ways give the commit's figures)."""

from __future__ import annotations

import dataclasses
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.importers import parse_upload
from kpi.store import Store, uploads
from kpi.store.engine import unwritten_rows
from kpi.views.report import build_report
from tests.corpus_factory import budget_xlsx
from tests.importers import test_lofin as lofin
from tests.importers.test_sources_in_demo import lofin_csv
from tests.seed_figures import executed_plus
from tests.store import test_preview_exact as exact
from tests.store.test_preview_exact import STAFF, new_programs_sheet

demo = exact.demo  # the demo store with a staff account (fixture)


def _staged_tables(conn: Connection) -> list[str]:
    """Temporary tables a preview might have left on a pooled connection."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
    else:
        rows = conn.exec_driver_sql("SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
    return [r[0] for r in rows]


def _with_writer_holding_the_lock(store: Store, work):
    """Run work() while another thread holds the store's write transaction open; its result."""
    holding, release = threading.Event(), threading.Event()

    def writer(conn: Connection) -> None:
        holding.set()
        release.wait(60)  # a bound against a hang, not a time limit: released as soon as work() returns

    thread = threading.Thread(target=lambda: store.write(writer))
    thread.start()
    assert holding.wait(60)
    try:
        return work()
    finally:
        release.set()
        thread.join()


def test_a_known_programs_preview_runs_while_another_upload_is_committing(demo) -> None:
    demo.write_wait_s = 0.2  # a preview that waited for the write lock would fail with the store's conflict error
    prepared = _with_writer_holding_the_lock(
        demo, lambda: uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    )
    assert prepared.result.errors == [] and prepared.preview is not None
    assert prepared.preview.after is not None and prepared.preview.counts["unchanged"] > 0
    with demo.engine.connect() as conn:
        assert _staged_tables(conn) == []
    # the preview changed nothing: previewing again sees the same store
    again = uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    assert again.preview is not None
    assert again.preview.counts == prepared.preview.counts


def test_a_batch_that_creates_programs_is_previewed_by_the_write_path(demo) -> None:
    prepared = parse_upload("b.xlsx", new_programs_sheet(), district_cd="11560")
    assert prepared.batch is not None
    with demo.read() as conn:
        assert unwritten_rows(conn, prepared.batch) is None  # 신규 사업 would be created
    preview = uploads.preview(demo, prepared.batch)
    assert preview.programs_created == 1
    with demo.read() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM program WHERE district_cd = '11560'")}
    assert "신규 사업" not in names  # rolled back


def test_a_preview_sees_one_state_while_commits_land_beside_it(demo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit that lands between the preview's reads is not half seen: staging, change list and both reports
    read the state the preview's transaction began on."""
    batch = parse_upload("a.xlsx", budget_xlsx(), district_cd="11560").batch  # the demo's own values
    other = parse_upload("c.xlsx", budget_xlsx(executed_plus(1_000)), district_cd="11560").batch
    assert batch is not None and other is not None
    landed: list[int] = []
    stage = uploads.stage

    def stage_then_commit(conn: Connection, model, rows, **kw) -> sa.Table:
        """Stage, then let another session commit other values of the same keys before the preview reads on."""
        if not landed:
            landed.append(demo.commit(other).upload_id)
        return stage(conn, model, rows, **kw)

    monkeypatch.setattr(uploads, "stage", stage_then_commit)
    preview = uploads.preview(demo, batch)
    monkeypatch.undo()
    assert landed
    assert preview.before is not None and preview.after is not None
    assert preview.counts["changed"] == 0 and preview.counts["unchanged"] > 0  # against the state it began on
    assert preview.after.executed == preview.before.executed
    # previewed now, against the landed values, the same file changes them back
    now = uploads.preview(demo, batch)
    assert now.counts["changed"] > 0 and now.before is not None and now.after is not None
    assert now.before.executed != now.after.executed


def test_a_driver_error_of_the_unwritten_preview_falls_back_to_the_write_path(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value a driver refuses while staging never reaches staff as a driver's English: the write path previews
    (or says in Korean what it cannot store)."""
    batch = parse_upload("a.xlsx", budget_xlsx(), district_cd="11560").batch
    assert batch is not None
    want = uploads.preview(demo, batch)

    def refused(*_args, **_kw) -> sa.Table:
        raise OverflowError("int too big to convert")

    monkeypatch.setattr(uploads, "stage", refused)
    got = uploads.preview(demo, batch)
    assert got.counts == want.counts and got.after is not None and want.after is not None
    assert got.after.executed == want.after.executed


def test_the_next_months_lofin365_file_previews_unwritten_and_exactly(demo) -> None:
    """The first 지방재정365 file teaches the programs their codes (written); the next month's, with more spent, is
    matched by code and previewed without writing, its KPIs after those of the commit."""
    first = uploads.prepare(demo, "세출현황.csv", lofin_csv(), district_cd="11560", user=STAFF)
    assert first.preview is not None
    uploads.commit(demo, first, user=STAFF)
    june = [dataclasses.replace(p, executed=p.executed + 1_000_000) for p in lofin.seed_programs()]
    rows = [lofin.record(p, exe_ymd="20240630") for p in june]
    content = lofin.csv_file(lofin.table(rows, "api", text=True), "utf-8-sig")
    later = uploads.prepare(demo, "세출현황_6월.csv", content, district_cd="11560", user=STAFF)
    batch, preview = later.result.batch, later.preview
    assert batch is not None and preview is not None and preview.after is not None
    with demo.read() as conn:
        assert unwritten_rows(conn, batch) is not None
    assert preview.counts["new"] > 0 and preview.before is not None  # June's 지출액: new keys
    assert preview.after.executed != preview.before.executed
    view = uploads._view_date(batch)
    assert view is not None
    uploads.commit(demo, later, user=STAFF)
    exact.assert_same_report(preview.after, build_report(demo, "11560", *view))


@pytest.mark.parametrize("upload", ["goal disclosure", "job-centre log", "template with reasons"])
def test_a_second_upload_of_a_file_previews_as_its_commit(demo, upload: str) -> None:
    """Targets (read through the one-origin window), job-centre figures and a template re-uploaded: once the
    first upload created what it needed, the same file again previews as its commit (사유 still by writing)."""
    name, make = exact.UPLOADS[upload]
    uploads.commit(demo, uploads.prepare(demo, name, make(demo), district_cd="11560", user=STAFF), user=STAFF)
    again = uploads.prepare(demo, name, make(demo), district_cd="11560", user=STAFF)
    batch, preview = again.result.batch, again.preview
    assert batch is not None and preview is not None and preview.after is not None
    with demo.read() as conn:
        unwritten = unwritten_rows(conn, batch) is not None
    assert unwritten == (not batch.reasons)
    assert preview.counts["unchanged"] > 0 and preview.counts["new"] == 0
    view = uploads._view_date(batch)
    assert view is not None
    uploads.commit(demo, again, user=STAFF, allow_duplicate=True)
    exact.assert_same_report(preview.after, build_report(demo, "11560", *view))
