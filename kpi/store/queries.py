"""Reads for one district and year, filtered and aggregated in SQL; each counts the value rows it fetched.

One source per figure: for one program, year, measure (and month) the rows read are those of one origin, the
first of settings.source_order that has any (alike-ranked origins: the newest upload). Values of two origins are
never added. Within that origin a stated total wins over sums of parts: a program's figure is its 'total' row
when stated, else the sum of its funding-source rows (the same rule for budgets and monthly facts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.settings import load_settings
from kpi.store.files import unpack
from kpi.store.model import (
    Budget,
    Department,
    Fact,
    Pledge,
    PledgeItem,
    PledgeValue,
    Program,
    Reason,
    Survey,
    Target,
    Team,
    Upload,
    table_of,
)


@dataclass
class ReadStats:
    """Value rows fetched from the store per table, and the statements that fetched them."""

    by_table: dict[str, int] = field(default_factory=dict)
    queries: int = 0

    @property
    def rows(self) -> int:
        """All value rows fetched."""
        return sum(self.by_table.values())

    def add(self, frame: pd.DataFrame, table: str) -> pd.DataFrame:
        """Count a fetched frame and pass it on."""
        self.by_table[table] = self.by_table.get(table, 0) + len(frame)
        self.queries += 1
        return frame


def _frame(conn: Connection, stmt: sa.Select, stats: ReadStats | None, table: str = "") -> pd.DataFrame:
    """The statement's rows as a DataFrame, counted in stats when given."""
    result = conn.execute(stmt)
    keys = list(result.keys())
    # built by column: pandas probes every Row object for namedtuple/dataclass attributes, a slow miss per row
    columns = list(zip(*result.fetchall(), strict=True)) or [()] * len(keys)
    frame = pd.DataFrame({k: list(c) for k, c in zip(keys, columns, strict=True)}, columns=keys)
    return stats.add(frame, table) if stats is not None else frame


def _stated_or_sum(value: sa.ColumnElement, source: sa.ColumnElement) -> sa.ColumnElement:
    """The 'total' row's value when stated, else the sum of the source rows."""
    return sa.func.coalesce(
        sa.func.max(sa.case((source == "total", value))),
        sa.func.sum(sa.case((source != "total", value))),
    )


def origin_ranks() -> tuple[dict[str, int], int]:
    """The rank of each origin in settings.source_order (0 = most authoritative; alike origins share a rank), and
    the rank of an origin it does not name (last)."""
    order = load_settings().source_order
    return {o: i for i, group in enumerate(order) for o in group}, len(order)


def origin_rank(origin: sa.ColumnElement) -> sa.ColumnElement:
    """The rank of an origin in settings.source_order, in SQL (unknown origins last)."""
    ranks, unknown = origin_ranks()
    return sa.case(ranks, value=origin, else_=unknown)


def shown(table: sa.FromClause, partition: tuple[str, ...], *where: sa.ColumnElement) -> sa.Subquery:
    """The current rows matching `where` of the one origin shown per `partition` (first in source order, then
    the newest upload), as a subquery with the table's columns."""
    best = sa.func.first_value(table.c.origin).over(
        partition_by=[table.c[c] for c in partition],
        order_by=(origin_rank(table.c.origin), table.c.upload_id.desc()),
    )
    inner = sa.select(table, best.label("shown_origin")).where(table.c.is_current.is_(True), *where).subquery()
    return sa.select(*[inner.c[c.name] for c in table.c]).where(inner.c.origin == inner.c.shown_origin).subquery()


def _by_origin(table: sa.FromClause) -> list[sa.ColumnElement]:
    """The columns that let `one_origin` pick an origin after a GROUP BY of its keys and origin: the origin and
    its newest upload."""
    return [table.c.origin, sa.func.max(table.c.upload_id).label("newest_upload")]


def one_origin(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Of rows grouped per keys and origin, those of the one origin shown per keys: first in the source order, then
    the newest upload (the rule of `shown`, applied to the few aggregated rows instead of every stored row)."""
    if frame.empty or not frame.duplicated(list(keys)).any():
        return frame.drop(columns="newest_upload")
    ranks, unknown = origin_ranks()
    rank = frame["origin"].map(lambda o: ranks.get(o, unknown))
    ordered = frame.assign(origin_rank=rank).sort_values(
        ["origin_rank", "newest_upload"], ascending=[True, False], kind="stable"
    )
    picked = ordered.drop_duplicates(list(keys), keep="first").sort_index()
    return picked.drop(columns=["origin_rank", "newest_upload"]).reset_index(drop=True)


def _any_sample(col: sa.ColumnElement) -> sa.ColumnElement:
    """1 when any row of the group is a sample, else 0, labelled is_sample."""
    return sa.func.max(sa.case((col.is_(True), 1), else_=0)).label("is_sample")


def programs(conn: Connection, district_cd: str) -> pd.DataFrame:
    """Programs of a district with hierarchy, department, team, category and target groups."""
    p, d, t = table_of(Program), table_of(Department), table_of(Team)
    stmt = (
        sa.select(
            p.c.id,
            p.c.name,
            p.c.parent_id,
            p.c.code,
            p.c.level,
            d.c.name.label("department"),
            t.c.name.label("team"),
            p.c.category,
            p.c.target_groups,
        )
        .select_from(p.outerjoin(d, d.c.id == p.c.department_id).outerjoin(t, t.c.id == p.c.team_id))
        .where(p.c.district_cd == district_cd)
        .order_by(p.c.id)
    )
    return _frame(conn, stmt, None)


def budgets(
    conn: Connection, district_cd: str, year: int, stats: ReadStats | None = None, source: sa.FromClause | None = None
) -> pd.DataFrame:
    """Per program: budget (예산현액, else 예산액), original (예산액) and whether any figure is sample (`source`:
    rows to read in place of the table's, e.g. versioning.staged_current)."""
    b = table_of(Budget) if source is None else source
    stmt = (
        sa.select(
            b.c.program_id,
            _stated_or_sum(sa.func.coalesce(b.c.current, b.c.original), b.c.source).label("budget"),
            _stated_or_sum(b.c.original, b.c.source).label("original"),
            _any_sample(b.c.is_sample),
            *_by_origin(b),
        )
        .where(b.c.district_cd == district_cd, b.c.year == year, b.c.is_current)
        .group_by(b.c.program_id, b.c.origin)
    )
    return one_origin(_frame(conn, stmt, stats, "budget"), ("program_id",))


def budget_split(conn: Connection, district_cd: str, year: int, stats: ReadStats | None = None) -> pd.DataFrame:
    """Per program and funding source: the budget rows as stated (source 'total' included)."""
    t = table_of(Budget)
    b = shown(t, ("program_id",), t.c.district_cd == district_cd, t.c.year == year)
    stmt = sa.select(
        b.c.program_id,
        b.c.source,
        sa.func.coalesce(b.c.current, b.c.original).label("budget"),
        b.c.original,
        b.c.is_sample,
        b.c.origin,
    )
    return _frame(conn, stmt, stats, "budget")


def facts(
    conn: Connection,
    district_cd: str,
    year: int,
    through_month: int = 12,
    stats: ReadStats | None = None,
    metrics: tuple[str, ...] | None = None,
    source: sa.FromClause | None = None,
) -> pd.DataFrame:
    """Per program (NULL = the district), metric and month up to through_month: the figure and its sample flag
    (`source`: as in budgets)."""
    t = table_of(Fact) if source is None else source
    where = [t.c.district_cd == district_cd, t.c.year == year, t.c.month <= through_month]
    if metrics:
        where.append(t.c.metric.in_(metrics))
    keys = ("program_id", "metric", "month")
    stmt = (
        sa.select(
            *[t.c[k] for k in keys],
            _stated_or_sum(t.c.value, t.c.source).label("value"),
            _any_sample(t.c.is_sample),
            *_by_origin(t),
        )
        .where(*where, t.c.is_current)
        .group_by(*[t.c[k] for k in keys], t.c.origin)
    )
    return one_origin(_frame(conn, stmt, stats, "fact"), keys)


def fact_rows_matched(conn: Connection, district_cd: str, year: int, through_month: int = 12) -> int:
    """How many current fact rows the facts() filter matches (the rows SQL reads through the index)."""
    f = table_of(Fact)
    stmt = sa.select(sa.func.count()).where(
        f.c.district_cd == district_cd, f.c.year == year, f.c.month <= through_month, f.c.is_current.is_(True)
    )
    return int(conn.execute(stmt).scalar_one())


def targets(
    conn: Connection, district_cd: str, year: int, stats: ReadStats | None = None, source: sa.FromClause | None = None
) -> pd.DataFrame:
    """Targets of the district (program_id NULL) and its programs for a year (`source`: as in budgets)."""
    table = table_of(Target) if source is None else source
    t = shown(table, ("program_id", "metric", "basis"), table.c.district_cd == district_cd, table.c.year == year)
    stmt = sa.select(t.c.program_id, t.c.metric, t.c.basis, t.c.value, t.c.is_sample, t.c.origin)
    return _frame(conn, stmt, stats, "target")


def survey(
    conn: Connection, indicator: str, basis: str, stats: ReadStats | None = None, source: sa.FromClause | None = None
) -> pd.DataFrame:
    """All districts' survey figures of one indicator on one basis, every half-year (`source`: as in budgets)."""
    s = table_of(Survey) if source is None else source
    stmt = sa.select(s.c.district_cd, s.c.year, s.c.half, s.c.value, s.c.is_sample, s.c.source).where(
        s.c.indicator == indicator, s.c.basis == basis, s.c.is_current.is_(True)
    )
    return _frame(conn, stmt, stats, "survey")


def pledge_values(conn: Connection, district_cd: str, stats: ReadStats | None = None) -> pd.DataFrame:
    """Pledge-card figures of a district: pledge, item, year, measure, source, value."""
    v, p, i = table_of(PledgeValue), table_of(Pledge), table_of(PledgeItem)
    stmt = (
        sa.select(
            p.c.title.label("pledge"),
            i.c.name.label("item"),
            i.c.unit,
            v.c.year,
            v.c.measure,
            v.c.source,
            v.c.value,
            v.c.is_sample,
        )
        .select_from(v.join(p, p.c.id == v.c.pledge_id).outerjoin(i, i.c.id == v.c.item_id))
        .where(v.c.district_cd == district_cd, v.c.is_current.is_(True))
    )
    return _frame(conn, stmt, stats, "pledgevalue")


def reasons(
    conn: Connection,
    district_cd: str,
    year: int,
    through_month: int = 12,
    stats: ReadStats | None = None,
    program_id: int | None = None,
) -> pd.DataFrame:
    """Current 사유·조치계획 per program and month up to through_month, with the upload and who entered it."""
    r, u = table_of(Reason), table_of(Upload)
    stmt = (
        sa.select(
            r.c.program_id,
            r.c.month,
            r.c.reason,
            r.c.action,
            r.c.is_sample,
            r.c.upload_id,
            u.c.uploaded_by,
            u.c.uploaded_at,
        )
        .select_from(r.join(u, u.c.id == r.c.upload_id))
        .where(r.c.district_cd == district_cd, r.c.year == year, r.c.month <= through_month, r.c.is_current.is_(True))
        .order_by(r.c.program_id, r.c.month)
    )
    if program_id is not None:
        stmt = stmt.where(r.c.program_id == program_id)
    return _frame(conn, stmt, stats, "reason")


def last_upload(conn: Connection, district_cd: str) -> dict | None:
    """The latest committed upload of a district: when, by whom, which file, as of when."""
    u = table_of(Upload)
    row = conn.execute(
        sa.select(u.c.id, u.c.uploaded_at, u.c.uploaded_by, u.c.filename, u.c.as_of, u.c.is_sample)
        .where(u.c.district_cd == district_cd, u.c.status == "committed")
        .order_by(u.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else dict(row._mapping)


def uploads(conn: Connection, district_cd: str | None = None) -> pd.DataFrame:
    """Upload history (without file bytes), newest first."""
    u = table_of(Upload)
    cols = [c for c in u.c if c.name != "content"]
    stmt = sa.select(*cols).order_by(u.c.id.desc())
    if district_cd:
        stmt = stmt.where(u.c.district_cd == district_cd)
    return _frame(conn, stmt, None)


def original_file(conn: Connection, upload_id: int, district_cd: str) -> tuple[str, bytes] | None:
    """(file name, the file's bytes as uploaded) of an upload of the district; None when the upload is another
    district's, unknown, or kept no file (demo documents, previews)."""
    u = table_of(Upload)
    row = conn.execute(
        sa.select(u.c.filename, u.c.content, u.c.content_codec, u.c.size).where(
            u.c.id == upload_id, u.c.district_cd == district_cd
        )
    ).first()
    if row is None or not row.content:
        return None
    return row.filename, unpack(bytes(row.content), row.content_codec)


def years(conn: Connection, district_cd: str) -> list[int]:
    """Years with any budget or fact of the district, ascending."""
    b, f = table_of(Budget), table_of(Fact)
    stmt = sa.union(
        sa.select(b.c.year).where(b.c.district_cd == district_cd, b.c.is_current.is_(True)),
        sa.select(f.c.year).where(f.c.district_cd == district_cd, f.c.is_current.is_(True)),
    )
    return sorted(int(r[0]) for r in conn.execute(stmt))


def latest_month(conn: Connection, district_cd: str, year: int) -> int | None:
    """The latest month of a year with any current fact of the district."""
    f = table_of(Fact)
    stmt = sa.select(sa.func.max(f.c.month)).where(
        f.c.district_cd == district_cd, f.c.year == year, f.c.is_current.is_(True)
    )
    value = conn.execute(stmt).scalar_one_or_none()
    return None if value is None else int(value)


def program_uploads(conn: Connection, program_id: int) -> pd.DataFrame:
    """Uploads that wrote any budget, fact or reason row of a program (current or superseded), newest first."""
    b, f, r, u = table_of(Budget), table_of(Fact), table_of(Reason), table_of(Upload)
    touched = sa.union(
        sa.select(b.c.upload_id).where(b.c.program_id == program_id),
        sa.select(f.c.upload_id).where(f.c.program_id == program_id),
        sa.select(r.c.upload_id).where(r.c.program_id == program_id),
    ).subquery()
    stmt = (
        sa.select(u.c.id, u.c.uploaded_at, u.c.uploaded_by, u.c.filename, u.c.as_of, u.c.status, u.c.is_sample)
        .where(u.c.id.in_(sa.select(touched.c.upload_id)))
        .order_by(u.c.id.desc())
    )
    return _frame(conn, stmt, None)


def rate_targets(conn: Connection, indicator: str, basis: str) -> pd.DataFrame:
    """District-level targets of a survey indicator on one basis, all districts and years."""
    table = table_of(Target)
    t = shown(
        table,
        ("district_cd", "year"),
        table.c.metric == indicator,
        table.c.basis == basis,
        table.c.program_id.is_(None),
    )
    stmt = sa.select(t.c.district_cd, t.c.year, t.c.value, t.c.is_sample)
    return _frame(conn, stmt, None)


def executed_split(conn: Connection, district_cd: str, year: int, month: int) -> pd.DataFrame:
    """Executed amounts per program and funding source at a month, as stated (current rows)."""
    t = table_of(Fact)
    where = (t.c.district_cd == district_cd, t.c.year == year, t.c.month == month, t.c.metric == "executed")
    f = shown(t, ("program_id",), *where)
    stmt = sa.select(f.c.program_id, f.c.source, f.c.value, f.c.origin)
    return _frame(conn, stmt, None)
