"""The data model (SQLModel tables). Money is 원 as integers; every value row records its upload.

Value tables are versioned: a row is never updated in place except for its `is_current` flag.
A later upload of the same key adds a row and makes it current; reverting an upload makes the
latest row of a non-reverted upload current again (see kpi/versioning.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def _money() -> sa.Column:
    """A nullable BIGINT column for an amount in 원."""
    return sa.Column(sa.BigInteger, nullable=True)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The SQLAlchemy table of a SQLModel table class, typed (SQLModel sets `__table__` only at runtime)."""
    return model.__table__  # type: ignore[attr-defined]


def column_length(model: type[SQLModel], column: str) -> int:
    """The VARCHAR length of a model column: text longer than this is refused by the database."""
    length = getattr(table_of(model).c[column].type, "length", None)  # AutoString passes it on from its String
    assert isinstance(length, int), f"{column} has no length"
    return length


class District(SQLModel, table=True):
    """A Seoul 자치구 keyed by SIG_CD, with its KOSTAT code."""

    sig_cd: str = Field(primary_key=True, max_length=5)
    kostat_cd: str = Field(max_length=5, unique=True)
    name: str = Field(max_length=20)
    sort_order: int = 0


class Department(SQLModel, table=True):
    """A department (부서) of a district office, e.g. 일자리정책과."""

    __table_args__ = (sa.UniqueConstraint("district_cd", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)
    name: str = Field(max_length=100)


class Team(SQLModel, table=True):
    """A team (팀) of a department, e.g. 일자리사업팀."""

    __table_args__ = (sa.UniqueConstraint("department_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    department_id: int = Field(foreign_key="department.id")
    name: str = Field(max_length=100)


class Upload(SQLModel, table=True):
    """One upload (or demo document): the original bytes and who, when, what, for which district."""

    # the latest upload of a district is one index entry away (a SQLite row holds the file bytes before district_cd)
    __table_args__ = (sa.Index("ix_upload_district", "district_cd", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))  # as kept: see content_codec
    # how content is kept (kpi/store/files.py): "" as the file came, "zstd" compressed; `size` is the file's own
    content_codec: str = Field(default="", max_length=10, sa_column_kwargs={"server_default": ""})
    size: int = 0
    uploaded_by: str = Field(max_length=100)
    uploaded_at: datetime
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)
    as_of: date | None = None
    row_count: int = 0
    is_sample: bool = False
    note: str = Field(default="", max_length=1000)
    status: str = Field(default="committed", max_length=20)  # committed | reverted
    reverted_at: datetime | None = None
    reverted_by: str | None = Field(default=None, max_length=100)


class Program(SQLModel, table=True):
    """A node of a district's program tree (정책사업, 단위사업 or 세부사업); `parent_id` links it to the node above.

    Names are unique within a department (the store's write path checks it: 기본경비 of two departments are two
    programs); an official code is unique within the district.
    """

    __table_args__ = (
        sa.Index("ix_program_name", "district_cd", "name"),
        sa.Index(
            "uq_program_code",
            "district_cd",
            "code",
            unique=True,
            sqlite_where=sa.text("code IS NOT NULL"),
            postgresql_where=sa.text("code IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5, index=True)
    parent_id: int | None = Field(default=None, foreign_key="program.id")
    department_id: int | None = Field(default=None, foreign_key="department.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    name: str = Field(max_length=200)
    code: str | None = Field(default=None, max_length=40)  # official code as text (세부사업코드: 16 digits)
    level: str | None = Field(default=None, max_length=12)  # a key of catalog.PROGRAM_LEVELS; None = as uploaded
    category: str | None = Field(default=None, max_length=40)
    target_groups: str = Field(default="", max_length=400)  # '|'-separated
    created_upload_id: int | None = Field(default=None, foreign_key="upload.id")


class ProgramAlias(SQLModel, table=True):
    """A name (normalised) that staff attached to a program once: later files naming it match that program."""

    __table_args__ = (sa.UniqueConstraint("district_cd", "alias"),)
    id: int | None = Field(default=None, primary_key=True)
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)
    alias: str = Field(max_length=200)  # importers.programs.normalise_name of the name as files write it
    name: str = Field(max_length=200)  # the name as first written, for the page
    program_id: int = Field(foreign_key="program.id")
    created_by: str = Field(default="", max_length=100)


class Metric(SQLModel, table=True):
    """The metric catalog as stored (kept in sync with kpi/catalog.py)."""

    code: str = Field(primary_key=True, max_length=40)
    ko: str = Field(max_length=60)
    en: str = Field(max_length=80)
    unit: str = Field(max_length=20)
    cumulative: bool = True


class Pledge(SQLModel, table=True):
    """A mayoral pledge (공약) of a district, and its items (세부사업) by name."""

    __table_args__ = (sa.UniqueConstraint("district_cd", "title"),)
    id: int | None = Field(default=None, primary_key=True)
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)
    title: str = Field(max_length=200)
    created_upload_id: int | None = Field(default=None, foreign_key="upload.id")


class PledgeItem(SQLModel, table=True):
    """An item of a pledge with its unit (명)."""

    __table_args__ = (sa.UniqueConstraint("pledge_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledge.id")
    name: str = Field(max_length=200)
    unit: str = Field(default="명", max_length=20)


# ---------------------------------------------------------------- versioned value tables


class Versioned(SQLModel):
    """Columns every versioned value row has: its upload, whether it is the current version, sample or not."""

    id: int | None = Field(default=None, primary_key=True)
    upload_id: int = Field(foreign_key="upload.id", index=True)
    is_current: bool = True
    is_sample: bool = False
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)


def _current_unique(table: str, *cols: str) -> sa.Index:
    """At most one current row per key (NULL program/item ids compare as 0)."""
    exprs: list[sa.ColumnElement[Any]] = [
        sa.func.coalesce(sa.column(c), 0) if c.endswith("_id") else sa.column(c) for c in cols
    ]
    where = sa.text("is_current")
    return sa.Index(f"uq_{table}_current", *exprs, unique=True, sqlite_where=where, postgresql_where=where)


class Budget(Versioned, table=True):
    """Budget of a program for a year and funding source as one origin states it: 예산액 and 예산현액 in 원."""

    __table_args__ = (
        _current_unique("budget", "district_cd", "year", "program_id", "source", "origin"),
        sa.Index("ix_budget_key", "district_cd", "year", "program_id", "source", "origin"),
    )
    origin: str = Field(default="", max_length=20)  # a key of catalog.ORIGINS
    program_id: int = Field(foreign_key="program.id")
    year: int
    source: str = Field(max_length=20)
    original: int | None = Field(default=None, sa_column=_money())
    current: int | None = Field(default=None, sa_column=_money())


class Fact(Versioned, table=True):
    """A monthly figure in long form: (district, program or NULL for the district, year, month, metric, source)."""

    __table_args__ = (
        _current_unique("fact", "district_cd", "year", "metric", "program_id", "month", "source", "origin"),
        sa.Index("ix_fact_key", "district_cd", "year", "metric", "program_id", "month", "source", "origin"),
    )
    origin: str = Field(default="", max_length=20)  # a key of catalog.ORIGINS
    program_id: int | None = Field(default=None, foreign_key="program.id")
    year: int
    month: int
    metric: str = Field(foreign_key="metric.code", max_length=40)
    source: str = Field(default="total", max_length=20)
    value: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))


class Target(Versioned, table=True):
    """A yearly target of a program or of the district (program NULL), with the basis for rates."""

    __table_args__ = (
        _current_unique("target", "district_cd", "year", "metric", "program_id", "basis", "origin"),
        sa.Index("ix_target_key", "district_cd", "year", "metric", "program_id", "basis", "origin"),
    )
    origin: str = Field(default="", max_length=20)  # a key of catalog.ORIGINS
    program_id: int | None = Field(default=None, foreign_key="program.id")
    year: int
    metric: str = Field(foreign_key="metric.code", max_length=40)
    basis: str = Field(default="", max_length=10)
    value: float


class Survey(Versioned, table=True):
    """A regional survey figure (지역별고용조사) of a district for a half-year, on a stated basis."""

    __table_args__ = (
        _current_unique("survey", "district_cd", "year", "half", "indicator", "basis"),
        sa.Index("ix_survey_key", "year", "half", "indicator", "basis", "district_cd"),
    )
    year: int
    half: int
    indicator: str = Field(max_length=40)
    basis: str = Field(max_length=10)
    value: float
    source: str = Field(default="", max_length=200)


class PledgeValue(Versioned, table=True):
    """A pledge-card figure: target, actual (people) or budget (원) of a pledge or one of its items."""

    __table_args__ = (
        _current_unique("pledgevalue", "pledge_id", "item_id", "year", "measure", "source"),
        sa.Index("ix_pledgevalue_key", "pledge_id", "item_id", "year", "measure", "source"),
    )
    pledge_id: int = Field(foreign_key="pledge.id")
    item_id: int | None = Field(default=None, foreign_key="pledgeitem.id")
    year: int
    measure: str = Field(max_length=20)
    source: str = Field(default="total", max_length=20)
    value: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))


REASON_MAX_CHARS = 500  # the longest 사유 or 조치계획 kept (checked before the database, see kpi/reasons.py)


class Reason(Versioned, table=True):
    """Staff's 사유 (why a program lags) and 조치계획 (what next) for a program and month, in their words."""

    __table_args__ = (
        _current_unique("reason", "district_cd", "program_id", "year", "month"),
        sa.Index("ix_reason_key", "district_cd", "program_id", "year", "month"),
    )
    program_id: int = Field(foreign_key="program.id")
    year: int
    month: int
    reason: str = Field(default="", max_length=REASON_MAX_CHARS)
    action: str = Field(default="", max_length=REASON_MAX_CHARS)


class PeerExecution(SQLModel, table=True):
    """Another government's execution in one 분야/부문 as one of the district's 지방재정365 uploads states it (a
    snapshot as of a day): Σ예산현액 and Σ지출액 in 원 over its 세부사업. Not versioned key by key: a snapshot is one
    file, and reads take the rows of the newest committed upload of the snapshot whole (kpi/store/peers.py), so a
    revert needs no writes here. Only the comparison on the districts page reads it; `district_cd` is the district
    whose upload it came from."""

    __table_args__ = (
        sa.Index(
            "ix_peerexecution_snapshot", "district_cd", "fiscal_year", "as_of", "upload_id", "field_name", "part_name"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    upload_id: int = Field(foreign_key="upload.id", index=True)
    is_sample: bool = False
    district_cd: str = Field(foreign_key="district.sig_cd", max_length=5)
    fiscal_year: int
    as_of: date
    government: str = Field(max_length=100)  # laf_cd, or 자치단체명 when the file gives no code
    laf_name: str = Field(max_length=100)
    province: str = Field(max_length=20)
    sig_cd: str | None = Field(default=None, max_length=5)  # one of the 25 Seoul districts
    field_name: str = Field(max_length=100)  # 분야명
    part_name: str = Field(max_length=100)  # 부문명
    budget_current: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    executed: int = Field(sa_column=sa.Column(sa.BigInteger, nullable=False))
    programs: int


# Key columns of each versioned table: rows with equal keys are versions of one value.
VERSIONED_KEYS: dict[type[SQLModel], tuple[str, ...]] = {
    Budget: ("district_cd", "year", "program_id", "source", "origin"),
    Fact: ("district_cd", "year", "metric", "program_id", "month", "source", "origin"),
    Target: ("district_cd", "year", "metric", "program_id", "basis", "origin"),
    Survey: ("district_cd", "year", "half", "indicator", "basis"),
    PledgeValue: ("pledge_id", "item_id", "year", "measure", "source"),
    Reason: ("district_cd", "program_id", "year", "month"),
}


class AppUser(SQLModel, table=True):
    """A person who may log in: local accounts carry an argon2 hash; OIDC accounts are keyed by e-mail."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    role: str = Field(max_length=20)  # viewer | staff | admin
    password_hash: str | None = Field(default=None, max_length=200)
    created_at: datetime
    active: bool = True
    # Consecutive failed logins since the last success or unlock; every max_failures of them lock the account.
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: datetime | None = None  # no login (even with the right password) before this moment
