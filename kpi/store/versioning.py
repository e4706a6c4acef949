"""Append-only versions of values: supersede on write, restore on revert.

Invariant: for every key, the current row is the latest row (highest id) whose upload is not
reverted. Writes and reverts keep it with a few set-based statements per table (no parameter list grows
with the batch), so they cost the same on SQLite and PostgreSQL and never touch rows outside the keys they
concern. A write finds the current row of each key through the partial unique index of current keys, so its
cost does not depend on how many earlier versions the keys have.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.selectable import NamedFromClause
from sqlmodel import SQLModel

from kpi.store.model import VERSIONED_KEYS, Upload, table_of

# Measures of one key that uploads may state separately: a version that leaves one out keeps the current
# version's value of it (an upload stating only 예산액 does not drop the 예산현액 stated before).
PARTIAL_FIELDS: dict[str, tuple[str, ...]] = {"budget": ("original", "current")}

ANALYZE_AFTER_ROWS = 1_000  # a PostgreSQL write this large gives its temporary table planner statistics


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
            # a constant, not a parameter: the current-key index is on coalesce(id, 0)
            zero: sa.ColumnElement[int] = sa.literal_column("0", sa.Integer)
            terms.append(sa.func.coalesce(left, zero) == sa.func.coalesce(right, zero))
        else:
            terms.append(left.is_not_distinct_from(right))
    return sa.and_(*terms)


def key_joins(model: type[SQLModel], a: sa.FromClause, b: sa.FromClause, dialect: str) -> list[sa.ColumnElement[bool]]:
    """same_key as disjoint conditions, each answerable through the key index; callers UNION ALL their selects.

    SQLite's IS on an id uses the index: one condition. On PostgreSQL, coalesce(id, 0) cannot use the plain key
    index, so each nullable id splits the join in two: equal ids, or both NULL (both indexable)."""
    if dialect != "postgresql":
        return [same_key(model, a, b, dialect)]
    table = table_of(model)
    plain = [a.c[c] == b.c[c] for c in VERSIONED_KEYS[model] if not (c.endswith("_id") and table.c[c].nullable)]
    nullable = [c for c in VERSIONED_KEYS[model] if c.endswith("_id") and table.c[c].nullable]
    ways = [(a.c[c] == b.c[c], sa.and_(a.c[c].is_(None), b.c[c].is_(None))) for c in nullable]
    return [sa.and_(*plain, *choice) for choice in itertools.product(*ways)]


def union(selects: list[sa.Select]) -> sa.Select | sa.CompoundSelect:
    """One select, or the UNION ALL of several (the branches of key_joins)."""
    return selects[0] if len(selects) == 1 else sa.union_all(*selects)


def current_key(model: type[SQLModel], rows: sa.FromClause, cur: NamedFromClause) -> sa.ColumnElement[bool]:
    """The current row (alias cur) of each key of rows, in the very terms of the partial unique index of current
    keys (coalesce(id, 0), bare `is_current`), so both SQLite and PostgreSQL find it by one index probe however
    many earlier versions the key has."""
    terms: list[sa.ColumnElement[bool]] = []
    zero: sa.ColumnElement[int] = sa.literal_column("0", sa.Integer)
    for col in VERSIONED_KEYS[model]:
        left, right = rows.c[col], cur.c[col]
        terms.append(
            sa.func.coalesce(left, zero) == sa.func.coalesce(right, zero) if col.endswith("_id") else left == right
        )
    # `cur.is_current` as written in the index's WHERE (SQLAlchemy would write `= 1` on SQLite, which SQLite
    # does not match to the partial index)
    terms.append(sa.literal_column(f"{cur.name}.is_current"))
    return sa.and_(*terms)


def duplicate_keys(model: type[SQLModel], rows: Iterable[dict]) -> list[tuple]:
    """Keys that occur more than once in rows (a batch may state each key once), in the order they repeat."""
    keys = list(map(_getter(VERSIONED_KEYS[model]), rows))
    if len(set(keys)) == len(keys):  # the common case, checked in C
        return []
    seen: set[tuple] = set()
    dups: list[tuple] = []
    for key in keys:
        if key in seen:
            dups.append(key)
        seen.add(key)
    return dups


def _getter(cols: Sequence[str]) -> Callable[[dict], tuple]:
    """A function giving a row's values of `cols` as a tuple (operator.itemgetter, a tuple even for one column)."""
    if len(cols) == 1:
        one = operator.itemgetter(cols[0])
        return lambda row: (one(row),)
    return operator.itemgetter(*cols)


def _current_of_keys(model: type[SQLModel], upload_id: int) -> sa.Select:
    """Ids of the current rows whose key the upload's rows share (driven from the upload's rows by index)."""
    table = table_of(model)
    mine, cur = table.alias("mine"), table.alias("cur")
    return (
        sa.select(cur.c.id)
        .select_from(mine.join(cur, current_key(model, mine, cur)))
        .where(mine.c.upload_id == upload_id)
    )


ORDINAL = "ord"  # the column of a staged table numbering its rows in the batch's order (stage(..., numbered=True))


def _incoming(conn: Connection, model: type[SQLModel], cols: list[str]) -> sa.Table:
    """A fresh temporary table (this connection only) with the given columns of the model's table (ORDINAL an
    integer)."""
    table = table_of(model)
    schema = "pg_temp" if conn.dialect.name == "postgresql" else "temp"
    name = f"incoming_{table.name}"
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{name}")
    columns = [sa.Column(c, sa.Integer if c == ORDINAL else table.c[c].type) for c in cols]
    incoming = sa.Table(name, sa.MetaData(), *columns, prefixes=["TEMPORARY"])
    incoming.create(conn)
    return incoming


def bulk_load(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    """Bulk-load rows (each with the same keys: the columns written) into a table: COPY on PostgreSQL, one
    prepared executemany on SQLite; no SQLAlchemy per-row processing (plain values)."""
    if not rows:
        return
    cols = list(rows[0])
    values = list(map(_getter(cols), rows))
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.close()
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"
    conn.exec_driver_sql(sql, values)


def write_versions(conn: Connection, model: type[SQLModel], rows: list[dict], upload_id: int) -> int:
    """Insert rows as the upload's current versions, superseding the current rows of their keys.

    Set-based whatever the size: the rows go to a temporary table; one UPDATE joins it to the current rows of
    its keys (through the key index) and retires them; one INSERT ... SELECT adds the rows as current. No
    statement carries a parameter list that grows with the batch, and no key's earlier versions are read."""
    if not rows:
        return 0
    table = table_of(model)
    incoming = stage(conn, model, rows)
    cur = table.alias("cur")
    stale = sa.select(cur.c.id).select_from(incoming.join(cur, current_key(model, incoming, cur)))
    conn.execute(table.update().where(table.c.id.in_(stale)).values(is_current=False))
    cols = [c.name for c in incoming.c]
    conn.execute(
        table.insert().from_select(
            [*cols, "upload_id", "is_current"],
            sa.select(*incoming.c, sa.literal(upload_id, sa.Integer), sa.true()),
        )
    )
    incoming.drop(conn)
    return len(rows)


def stage(conn: Connection, model: type[SQLModel], rows: list[dict], *, numbered: bool = False) -> sa.Table:
    """The rows as they would be written, in a temporary table of their columns: the measures they leave out
    carried from the current row of their key (PARTIAL_FIELDS); `numbered` adds ORDINAL, the rows' order."""
    cols = [*rows[0], *([ORDINAL] if numbered else [])]
    incoming = _incoming(conn, model, cols)
    values = [{**r, ORDINAL: i} for i, r in enumerate(rows)] if numbered else rows
    bulk_load(conn, incoming, values)
    if conn.dialect.name == "postgresql" and len(rows) >= ANALYZE_AFTER_ROWS:
        conn.exec_driver_sql(f"ANALYZE {incoming.name}")  # temporary tables get no statistics from autovacuum
    _carry_unstated(conn, model, incoming)
    return incoming


def staged_current(model: type[SQLModel], incoming: sa.Table, upload_id: int) -> sa.Subquery:
    """The model's current rows as they would be once the staged rows were written by upload `upload_id`: the
    current rows of other keys, and the staged rows as current (no id: they have none yet), with every column of
    the table, for reads in place of the table."""
    table = table_of(model)
    cur = table.alias("cur")
    replaced = sa.select(cur.c.id).select_from(incoming.join(cur, current_key(model, incoming, cur)))
    kept = sa.select(*table.c).where(table.c.is_current, table.c.id.not_in(replaced))
    given = {c.name: c for c in incoming.c}
    fixed = {"upload_id": sa.literal(upload_id, sa.Integer), "is_current": sa.true()}  # "id": none yet

    def column(c: sa.Column) -> sa.ColumnElement:
        """The staged value of a column, else its fixed value, typed as the table's (a UNION on PostgreSQL)."""
        return given[c.name] if c.name in given else sa.cast(fixed.get(c.name, sa.null()), c.type).label(c.name)

    new = sa.select(*[column(c) for c in table.c])
    return sa.union_all(kept, new).subquery(f"{table.name}_after")


def _carry_unstated(conn: Connection, model: type[SQLModel], incoming: sa.Table) -> None:
    """Fill the measures the incoming rows leave out (PARTIAL_FIELDS) from the current row of their key."""
    table = table_of(model)
    cur = table.alias("cur")
    for col in PARTIAL_FIELDS.get(table.name, ()):
        if col not in incoming.c:
            continue
        prior = sa.select(cur.c[col]).where(current_key(model, incoming, cur)).scalar_subquery()
        conn.execute(incoming.update().where(incoming.c[col].is_(None)).values({col: prior}))


def restore_without(conn: Connection, model: type[SQLModel], upload_id: int) -> int:
    """After an upload is marked reverted, make each of its keys current at its latest surviving version."""
    table = table_of(model)
    conn.execute(table.update().where(table.c.id.in_(_current_of_keys(model, upload_id))).values(is_current=False))
    mine, version = table.alias("mine"), table.alias("version")
    up = table_of(Upload)
    latest = union(
        [
            sa.select(sa.func.max(version.c.id))
            .select_from(mine.join(version, joined).join(up, up.c.id == version.c.upload_id))
            .where(mine.c.upload_id == upload_id, up.c.status == "committed")
            .group_by(*[version.c[c] for c in VERSIONED_KEYS[model]])
            for joined in key_joins(model, mine, version, conn.dialect.name)
        ]
    )
    result = conn.execute(table.update().where(table.c.id.in_(latest)).values(is_current=True))
    return result.rowcount or 0
