"""The store's rules: all-or-nothing commits, supersede without loss, exact revert, SQL-side filtering."""

from __future__ import annotations

import random
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from kpi.domain.batch import FactRow
from kpi.store import StoreError, queries
from kpi.store.model import Fact, Upload
from kpi.views.report import build_report
from tests.factories import budget_batch, current, snapshot


def test_fresh_store_has_reference_data(store):
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM district")).scalar_one() == 25
        assert conn.execute(sa.text("SELECT name FROM district WHERE sig_cd='11560'")).scalar_one() == "영등포구"
        assert conn.execute(sa.text("SELECT kostat_cd FROM district WHERE sig_cd='11560'")).scalar_one() == "11190"
    assert store.is_empty()
    store.upgrade()  # idempotent
    assert store.is_empty()


def test_commit_keeps_the_file_and_who(store):
    batch = budget_batch({"A": (1_000, 400)}, by="kim")
    result = store.commit(batch)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(Upload).where(Upload.id == result.upload_id)).one()
    assert row.content == batch.content and row.sha256 == batch.sha256 and row.size == len(batch.content)
    assert row.uploaded_by == "kim" and row.district_cd == "11560" and row.row_count == 2
    assert result.programs_created == 1


def test_later_upload_supersedes_without_deleting(store):
    store.commit(budget_batch({"A": (1_000, 400)}))
    store.commit(budget_batch({"A": (1_000, 450)}))
    assert list(current(store).values()) == [450]
    with store.engine.connect() as conn:
        versions = conn.execute(sa.select(Fact.value, Fact.is_current).order_by(Fact.id)).all()
    assert versions == [(400, False), (450, True)]


def test_revert_restores_exactly_what_stood_before(store):
    store.commit(budget_batch({"A": (1_000, 400), "B": (500, 100)}))
    before = current(store)
    second = store.commit(budget_batch({"A": (1_000, 450), "C": (300, 30)}))
    assert current(store) != before
    assert store.revert(second.upload_id, by="kim") == 2  # A's 예산액 and 집행액 stood before; C's did not
    assert current(store) == before
    with pytest.raises(StoreError, match="이미 되돌렸습니다"):
        store.revert(second.upload_id, by="kim")
    with pytest.raises(StoreError, match=r"업로드 9999은\(는\) 없습니다"):
        store.revert(9_999, by="kim")


def test_revert_of_an_older_upload_keeps_the_newer_value(store):
    first = store.commit(budget_batch({"A": (1_000, 400)}))
    store.commit(budget_batch({"A": (1_000, 450)}))
    store.revert(first.upload_id, by="kim")
    assert list(current(store).values()) == [450]


def test_random_commits_and_reverts_keep_the_invariant(store):
    """After any sequence, each key's current row is its latest row from a non-reverted upload."""
    rng = random.Random(7)
    uploads: list[int] = []
    for _ in range(25):
        if uploads and rng.random() < 0.35:
            store.revert(uploads.pop(rng.randrange(len(uploads))), by="t")
        else:
            values = {p: (1_000, rng.randrange(0, 1_000)) for p in rng.sample("ABCDE", rng.randint(1, 3))}
            uploads.append(store.commit(budget_batch(values, month=rng.randint(1, 3))).upload_id)
    with store.engine.connect() as conn:
        rows = pd.read_sql(
            sa.text(
                "SELECT f.id, f.program_id, f.month, f.value, f.is_current, u.status FROM fact f "
                "JOIN upload u ON u.id = f.upload_id"
            ),
            conn,
        )
    for _key, group in rows.groupby(["program_id", "month"]):
        alive = group[group["status"] == "committed"]
        expected = {int(alive["id"].max())} if len(alive) else set()
        assert set(group.loc[group["is_current"].astype(bool), "id"].astype(int)) == expected


def test_a_failing_commit_leaves_the_store_unchanged(store):
    store.commit(budget_batch({"A": (1_000, 400)}))
    before = snapshot(store)
    bad = budget_batch({"A": (1_000, 500), "B": (10, 1)})
    bad.facts.append(FactRow("B", 2024, 5, "no_such_metric", 1))
    with pytest.raises(StoreError, match="unknown metric"):
        store.commit(bad)
    dup = budget_batch({"A": (1_000, 500)})
    dup.facts.append(FactRow("A", 2024, 5, "executed", 501))
    with pytest.raises(StoreError, match="같은 항목이 두 번"):
        store.commit(dup)
    assert snapshot(store) == before


def test_unknown_district_is_refused(store):
    with pytest.raises(StoreError, match="unknown district"):
        store.commit(budget_batch({"A": (1, 1)}, district="99999"))


def test_stated_total_wins_over_its_parts(store):
    batch = budget_batch({"A": (1_000, 400)})
    batch.facts += [FactRow("A", 2024, 5, "executed", 300, "city"), FactRow("A", 2024, 5, "executed", 95, "district")]
    store.commit(batch)
    assert current(store) == {(1, 5): 400}  # the stated 400, not 300 + 95


def test_sum_of_parts_when_no_total_is_stated(store):
    batch = budget_batch({"A": (1_000, 400)})
    batch.facts = [FactRow("A", 2024, 5, "executed", 300, "city"), FactRow("A", 2024, 5, "executed", 95, "district")]
    store.commit(batch)
    assert current(store) == {(1, 5): 395}


def test_reading_one_district_year_does_not_read_other_rows(store):
    store.commit(budget_batch({"A": (1_000, 400), "B": (2_000, 500)}))
    for year in (2022, 2023):
        store.commit(budget_batch({"A": (1_000, 1)}, year=year))
    store.commit(budget_batch({"X": (1_000, 2)}, district="11170"))
    report = build_report(store, "11560", 2024, date(2024, 5, 31))
    assert report.rows_read["fact"] == 2 and report.rows_read["budget"] == 2
    with store.engine.connect() as conn:
        assert queries.fact_rows_matched(conn, "11560", 2024) == 2


def test_the_fact_query_uses_an_index(store):
    """The statement queries.facts sends (captured on its way to the driver, with its parameters) is planned
    through an index."""
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        sent.append((statement, parameters))

    with store.engine.connect() as conn:
        sa.event.listen(conn, "before_cursor_execute", capture)
        queries.facts(conn, "11560", 2024)
        sa.event.remove(conn, "before_cursor_execute", capture)
        [(sql, params)] = [(q, p) for q, p in sent if "FROM fact" in q]
        if conn.dialect.name == "postgresql":  # tiny tables get seq scans; ask whether an index can serve
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql, params))
            assert "Index" in plan, plan
        else:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan


def test_sample_flag_follows_the_upload(store):
    store.commit(budget_batch({"A": (1_000, 400)}, sample=True))
    store.commit(budget_batch({"B": (1_000, 400)}))
    report = build_report(store, "11560", 2024, date(2024, 5, 31))
    flags = dict(zip(report.programs["name"], report.programs["is_sample"], strict=True))
    assert flags == {"A": True, "B": False}
    assert report.includes_sample


def test_benchmark_generator_writes_through_the_store(store):
    from bench.benchgen import generate

    written = generate(store, 1_000, programs=3, metrics=2)
    assert written >= 1_000 and written % (3 * 12 * 2) == 0
    report = build_report(store, "11110", 2024, date(2024, 12, 31))  # the first district generated
    assert report.rows_read["fact"] == 3 * 12 * 2 and report.includes_sample
