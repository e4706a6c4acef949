"""The Alembic migrations build exactly the schema the models describe (so no change goes unmigrated)."""

from __future__ import annotations

import warnings

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import kpi.store.model  # noqa: F401  (registers the tables)
from tests.factories import migrated_to


def test_models_match_the_migrated_schema(store):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # expression indexes cannot be reflected on every dialect
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # The partial unique indexes on coalesce(...) are created by the migration by hand; reflection differs by
    # dialect, so index differences on them are not schema drift.
    drift = [d for d in diff if not (isinstance(d, tuple) and "_current" in str(getattr(d[1], "name", "")))]
    assert drift == []


def test_a_store_at_0004_keeps_its_values_and_gets_their_origins(empty_database):
    """An office's existing store (schema 0004) migrates in place: every row kept, each value's origin taken
    from its upload's kind, program names no longer unique per district, codes unique."""
    store = migrated_to(empty_database, "0004")
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO metric (code, ko, en, unit, cumulative) VALUES ('executed', '집행액', 'x', 'won', true)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO metric (code, ko, en, unit, cumulative) "
                "VALUES ('placements', '취업자', 'x', 'person', true)"
            )
        )
        for uid, kind in ((1, "demo"), (2, "budget_table+job_centre"), (3, "template")):
            conn.execute(
                sa.text(
                    "INSERT INTO upload (id, kind, filename, sha256, content, size, uploaded_by, uploaded_at,"
                    " district_cd, row_count, is_sample, note, status)"
                    " VALUES (:id, :kind, 'f', 'x', :c, 1, 'kim', :at, '11560', 1, false, '', 'committed')"
                ),
                {"id": uid, "kind": kind, "c": b"x", "at": "2024-06-01 00:00:00"},
            )
        conn.execute(
            sa.text("INSERT INTO program (id, district_cd, name, target_groups) VALUES (1, '11560', '기본경비', '')")
        )
        facts = [(1, 1, "executed", 10), (2, 2, "executed", 11), (3, 2, "placements", 5), (4, 3, "executed", 12)]
        for fid, uid, metric, value in facts:
            conn.execute(
                sa.text(
                    "INSERT INTO fact (id, upload_id, is_current, is_sample, district_cd, program_id, year, month,"
                    " metric, source, value) VALUES (:id, :u, :cur, false, '11560', 1, 2024, 5, :m, 'total', :v)"
                ),
                {"id": fid, "u": uid, "cur": fid in (3, 4), "m": metric, "v": value},
            )
        conn.execute(
            sa.text(
                "INSERT INTO budget (id, upload_id, is_current, is_sample, district_cd, program_id, year, source,"
                " original, current) VALUES (1, 2, true, false, '11560', 1, 2024, 'total', 100, 150)"
            )
        )
    store.upgrade()
    with store.engine.connect() as conn:
        origins = dict(conn.execute(sa.text("SELECT id, origin FROM fact ORDER BY id")).all())
        budget = conn.execute(sa.text("SELECT origin, original, current FROM budget")).one()
        program = conn.execute(sa.text("SELECT name, code, level FROM program")).one()
    assert origins == {1: "demo", 2: "report", 3: "centre_log", 4: "template"}
    test_models_match_the_migrated_schema(store)  # the rebuilt tables have every key, index and reference
    assert tuple(budget) == ("report", 100, 150) and tuple(program) == ("기본경비", None, None)
    with store.engine.begin() as conn:  # 기본경비 of another department is another program now
        conn.execute(
            sa.text("INSERT INTO program (id, district_cd, name, target_groups) VALUES (2, '11560', '기본경비', '')")
        )
        conn.execute(sa.text("UPDATE program SET code = '0001' WHERE id = 1"))
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO program (id, district_cd, name, code, target_groups) VALUES (3, '11560', 'x', '0001', '')"
            )
        )
