"""Reads of the 지방재정365 peer figures (table peerexecution): what the district's own 세출현황 uploads say of
the other governments' execution per 분야/부문, one snapshot (as-of day) at a time, summed in SQL.

A snapshot is one file: its figures are the rows of the newest committed upload of that (district, fiscal year,
as-of day), whole. A later file of the same day replaces the snapshot even where it states fewer governments or
부문; reverting it brings the earlier file back. The district's own uploads are the only source (another
district's upload of the same national file is that district's). build_report never reads this table.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.store.model import PeerExecution, Upload, table_of
from kpi.store.queries import _any_sample, _frame

P = table_of(PeerExecution)
U = table_of(Upload)


def _snapshot(district_cd: str, year: int, as_of: date) -> list[sa.ColumnElement[bool]]:
    """The rows of a snapshot: those of the newest committed upload of the district, fiscal year and as-of day."""
    snap = P.alias("snap")
    newest = (
        sa.select(sa.func.max(snap.c.upload_id))
        .join(U, U.c.id == snap.c.upload_id)
        .where(
            snap.c.district_cd == district_cd,
            snap.c.fiscal_year == year,
            snap.c.as_of == as_of,
            U.c.status == "committed",
        )
        .scalar_subquery()
    )
    return [P.c.district_cd == district_cd, P.c.fiscal_year == year, P.c.as_of == as_of, P.c.upload_id == newest]


def snapshots(conn: Connection, district_cd: str, year: int) -> list[date]:
    """The as-of days of the district's committed peer figures for a fiscal year, oldest first."""
    stmt = (
        sa.select(P.c.as_of)
        .join(U, U.c.id == P.c.upload_id)
        .where(P.c.district_cd == district_cd, P.c.fiscal_year == year, U.c.status == "committed")
        .distinct()
        .order_by(P.c.as_of)
    )
    return [row[0] for row in conn.execute(stmt)]


def provinces(conn: Connection, district_cd: str, year: int, as_of: date) -> int:
    """How many 시도 the governments of a snapshot belong to (1: the district's own only)."""
    stmt = sa.select(sa.func.count(sa.distinct(P.c.province))).where(*_snapshot(district_cd, year, as_of))
    return int(conn.execute(stmt).scalar_one())


def sectors(conn: Connection, district_cd: str, year: int, as_of: date) -> pd.DataFrame:
    """The 분야 and 부문 of a snapshot, with the number of governments that state each (field_name, part_name,
    governments), in name order."""
    stmt = (
        sa.select(P.c.field_name, P.c.part_name, sa.func.count(sa.distinct(P.c.government)).label("governments"))
        .where(*_snapshot(district_cd, year, as_of))
        .group_by(P.c.field_name, P.c.part_name)
        .order_by(P.c.field_name, P.c.part_name)
    )
    return _frame(conn, stmt, None)


def execution(
    conn: Connection, district_cd: str, year: int, as_of: date, field_name: str, part_name: str | None
) -> pd.DataFrame:
    """Per government of a snapshot: Σ예산현액, Σ지출액 (원) and Σ세부사업 of one 분야 (all its 부문 when part_name
    is None), with name, 시도, SIG_CD (Seoul districts) and whether any row is sample data."""
    where = [*_snapshot(district_cd, year, as_of), P.c.field_name == field_name]
    if part_name is not None:
        where.append(P.c.part_name == part_name)
    stmt = (
        sa.select(
            P.c.government,
            sa.func.max(P.c.laf_name).label("laf_name"),
            sa.func.max(P.c.province).label("province"),
            sa.func.max(P.c.sig_cd).label("sig_cd"),
            sa.func.sum(P.c.budget_current).label("budget_current"),
            sa.func.sum(P.c.executed).label("executed"),
            sa.func.sum(P.c.programs).label("programs"),
            _any_sample(P.c.is_sample),
        )
        .where(*where)
        .group_by(P.c.government)
        .order_by(P.c.government)
    )
    frame = _frame(conn, stmt, None)
    for col in ("budget_current", "executed", "programs"):
        frame[col] = frame[col].astype("int64")  # SUM of BIGINT is NUMERIC on PostgreSQL: whole 원, exact
    return frame
