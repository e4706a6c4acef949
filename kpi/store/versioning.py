"""Append-only versions of values: supersede on write, restore on revert.

Invariant: for every key, the current row is the latest row (highest id) whose upload is not
reverted. Writes and reverts keep it with three set-based statements per table, so they cost
the same on SQLite and PostgreSQL and never touch rows outside the keys they concern.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from kpi.store.model import VERSIONED_KEYS, Upload, table_of

# Measures of one key that uploads may state separately: a version that leaves one out keeps the current
# version's value of it (an upload stating only 예산액 does not drop the 예산현액 stated before).
PARTIAL_FIELDS: dict[str, tuple[str, ...]] = {"budget": ("original", "current")}

ANALYZE_AFTER_ROWS = 1_000  # a PostgreSQL write this large refreshes the table's planner statistics first


def same_key(model: type[SQLModel], a: sa.FromClause, b: sa.FromClause, dialect: str) -> sa.ColumnElement[bool]:
    """Key equality between two aliases of a versioned table; NULL ids compare equal.

    On PostgreSQL, plain equality on coalesce(id, 0) (ids are positive) lets the planner hash-join;
    IS NOT DISTINCT FROM forces a nested loop over every pair of rows there. SQLite's IS uses its indexes."""
    terms = []
    for col in VERSIONED_KEYS[model]:
        left, right = a.c[col], b.c[col]
        if not col.endswith("_id"):
            terms.append(left == right)
        elif dialect == "postgresql":
            terms.append(sa.func.coalesce(left, 0) == sa.func.coalesce(right, 0))
        else:
            terms.append(left.is_not_distinct_from(right))
    return sa.and_(*terms)


def duplicate_keys(model: type[SQLModel], rows: Iterable[dict]) -> list[tuple]:
    """Keys that occur more than once in rows (a batch may state each key once)."""
    seen: set[tuple] = set()
    dups: list[tuple] = []
    for row in rows:
        key = tuple(row[c] for c in VERSIONED_KEYS[model])
        if key in seen:
            dups.append(key)
        seen.add(key)
    return dups


def _current_of_keys(model: type[SQLModel], upload_id: int, dialect: str) -> sa.Select:
    """Ids of the current rows whose key the upload's rows share (driven from the upload's rows by index)."""
    table = table_of(model)
    mine, old = table.alias("mine"), table.alias("old")
    return (
        sa.select(old.c.id)
        .select_from(mine.join(old, same_key(model, mine, old, dialect)))
        .where(mine.c.upload_id == upload_id, old.c.is_current.is_(True))
    )


def _bulk_insert(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    """executemany through the driver: plain values need none of SQLAlchemy's per-row processing."""
    cols = list(rows[0])
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
    conn.exec_driver_sql(sql, [tuple(r[c] for c in cols) for r in rows])


def write_versions(conn: Connection, model: type[SQLModel], rows: list[dict], upload_id: int) -> int:
    """Insert rows as the upload's versions and make them current, superseding the rows they replace."""
    if not rows:
        return 0
    table = table_of(model)
    _bulk_insert(conn, table, [{**r, "upload_id": upload_id, "is_current": False} for r in rows])
    if conn.dialect.name == "postgresql" and len(rows) >= ANALYZE_AFTER_ROWS:
        # fresh statistics, or the planner, believing the table small, joins the new rows by nested loops
        conn.exec_driver_sql(f"ANALYZE {table.name}")
    _carry_unstated(conn, model, upload_id)
    stale = [r[0] for r in conn.execute(_current_of_keys(model, upload_id, conn.dialect.name))]
    for chunk in range(0, len(stale), 10_000):
        conn.execute(table.update().where(table.c.id.in_(stale[chunk : chunk + 10_000])).values(is_current=False))
    conn.execute(table.update().where(table.c.upload_id == upload_id).values(is_current=True))
    return len(rows)


def _carry_unstated(conn: Connection, model: type[SQLModel], upload_id: int) -> None:
    """Fill the measures the upload's new rows leave out (PARTIAL_FIELDS) from the current row of their key."""
    table = table_of(model)
    old = table.alias("old")
    for col in PARTIAL_FIELDS.get(table.name, ()):
        prior = (
            sa.select(old.c[col])
            .where(same_key(model, table, old, conn.dialect.name), old.c.is_current.is_(True))
            .scalar_subquery()
        )
        conn.execute(table.update().where(table.c.upload_id == upload_id, table.c[col].is_(None)).values({col: prior}))


def restore_without(conn: Connection, model: type[SQLModel], upload_id: int) -> int:
    """After an upload is marked reverted, make each of its keys current at its latest surviving version."""
    table = table_of(model)
    stale = _current_of_keys(model, upload_id, conn.dialect.name)
    conn.execute(table.update().where(table.c.id.in_(stale)).values(is_current=False))
    mine, version = table.alias("mine"), table.alias("version")
    up = table_of(Upload)
    latest = (
        sa.select(sa.func.max(version.c.id))
        .select_from(
            mine.join(version, same_key(model, mine, version, conn.dialect.name)).join(
                up, up.c.id == version.c.upload_id
            )
        )
        .where(mine.c.upload_id == upload_id, up.c.status == "committed")
        .group_by(*[version.c[c] for c in VERSIONED_KEYS[model]])
    )
    result = conn.execute(table.update().where(table.c.id.in_(latest)).values(is_current=True))
    return result.rowcount or 0
