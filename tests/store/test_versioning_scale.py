"""Writes at scale: a re-upload changing more keys than a PostgreSQL statement may carry parameters (65,535) is
written, previewed and reverted exactly, and no statement of a write carries a parameter list that grows with
the batch (superseding is set-based)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import sqlalchemy as sa

from kpi.domain import catalog
from kpi.domain.batch import Batch, FactRow, ProgramSpec
from kpi.store import Store, uploads
from kpi.store.model import Fact, Program, table_of

PG_PARAMETER_LIMIT = 65_535
PROGRAMS = [f"규모 시험 사업 {i:02d}" for i in range(50)]
METRICS = [m.code for m in catalog.METRICS if m.unit != "percent"][:12]


def batch(years: int, version: int) -> Batch:
    """Facts of 50 programs x 12 metrics x 12 months for `years` years; each version states other values."""
    facts = [
        FactRow(p, 2024 - y, month, metric, (i * 7_919 + version * 104_729) % 1_000_003)
        for y in range(years)
        for p in PROGRAMS
        for metric in METRICS
        for i, month in enumerate(range(1, 13), start=y * 1_000 + PROGRAMS.index(p) * 20 + METRICS.index(metric))
    ]
    return Batch(
        district_cd="11560",
        kind="template",
        filename=f"scale_{years}_{version}.xlsx",
        content=f"scale {years} {version}".encode(),
        as_of=date(2024, 12, 31),
        uploaded_by="staff1",
        programs=[ProgramSpec(p, department="일자리정책과") for p in PROGRAMS],
        facts=facts,
    )


def stated(b: Batch) -> dict[tuple, int]:
    """What a batch states, by key (program, year, month, metric)."""
    return {(f.program, f.year, f.month, f.metric): f.value for f in b.facts}


def current_facts(store: Store) -> dict[tuple, int]:
    """The current fact values of the store, by key (program name, year, month, metric)."""
    f, p = table_of(Fact), table_of(Program)
    stmt = (
        sa.select(p.c.name, f.c.year, f.c.month, f.c.metric, f.c.value)
        .select_from(f.join(p, p.c.id == f.c.program_id))
        .where(f.c.is_current.is_(True))
    )
    with store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    out = {(name, year, month, metric): value for name, year, month, metric, value in rows}
    assert len(out) == len(rows), "one current row per key"
    return out


def test_a_reupload_of_more_keys_than_a_statement_may_carry_is_written_and_reverted_exactly(store) -> None:
    first, second = batch(years=10, version=1), batch(years=10, version=2)
    assert len(second.facts) > PG_PARAMETER_LIMIT
    before, after = stated(first), stated(second)
    assert all(before[k] != after[k] for k in after)  # every key changes

    store.commit(first)
    assert current_facts(store) == before
    preview = uploads.preview(store, second)
    assert preview.counts == {"new": 0, "changed": len(after), "unchanged": 0}
    assert current_facts(store) == before  # the preview rolled back
    written = store.commit(second)
    assert current_facts(store) == after
    store.revert(written.upload_id, "staff1")
    assert current_facts(store) == before


@contextmanager
def largest_parameter_list(store: Store) -> Iterator[list[int]]:
    """Collect the largest parameter count of any single statement (executemany batches left out)."""
    largest = [0]

    def seen(conn, cursor, statement, parameters, context, executemany) -> None:
        """Record the statement's parameter count unless it is one prepared statement run per row."""
        if not executemany and parameters is not None:
            largest[0] = max(largest[0], len(parameters))

    sa.event.listen(store.engine, "before_cursor_execute", seen)
    try:
        yield largest
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", seen)


def test_no_statement_of_a_write_carries_a_parameter_list_that_grows_with_the_batch(make_store) -> None:
    largest: dict[int, int] = {}
    for years in (1, 4):
        store = make_store()
        with largest_parameter_list(store) as found:
            store.commit(batch(years, version=1))
            again = store.commit(batch(years, version=2))  # every key superseded
            store.revert(again.upload_id, "staff1")
        largest[years] = found[0]
    assert largest[1] == largest[4], largest  # 7,200 facts or 28,800: the same statements
    assert largest[4] < 2 * len(PROGRAMS), largest  # lists of programs at most, never of rows
