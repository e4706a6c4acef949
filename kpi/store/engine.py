"""The store: engine, migrations on first use, and the one write path (commit a Batch, revert an upload)."""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from kpi.domain import catalog, districts
from kpi.domain.batch import Batch, BudgetRow, FactRow, TargetRow
from kpi.settings import load_settings
from kpi.store.errors import StoreError
from kpi.store.files import RAW, pack
from kpi.store.model import (
    VERSIONED_KEYS,
    Budget,
    District,
    Fact,
    Metric,
    PeerExecution,
    Pledge,
    PledgeItem,
    PledgeValue,
    Program,
    Reason,
    Survey,
    Target,
    Upload,
    column_length,
    table_of,
)
from kpi.store.programs import WouldWrite, get_or_create, remember_aliases, resolve_programs
from kpi.store.reasons import problems
from kpi.store.versioning import bulk_load, duplicate_keys, restore_without, write_versions

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_WRITE_LOCK = 738_215_002  # advisory lock key: one writer at a time across app servers
WRITE_ATTEMPTS = 3  # a write that meets a transient conflict is retried whole this many times in all
CONFLICT_KO = "다른 담당자의 반영과 겹쳤습니다. 다시 시도해 주세요."
DB_ERROR_KO = (
    "저장 중 데이터베이스 오류가 나서 아무것도 저장하지 않았습니다. 다시 시도하고, 계속되면 관리자에게 알려 주세요."
)
_log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class CommitResult:
    """What a commit wrote."""

    upload_id: int
    rows: int
    programs_created: int


def make_engine(url: str) -> Engine:
    """Create an engine whose every transaction reads one consistent state of the store.

    SQLite: WAL, foreign keys, a busy timeout, and a real BEGIN for every transaction (the driver's own
    transaction handling would run each SELECT on its own); BEGIN IMMEDIATE for writes.
    PostgreSQL: REPEATABLE READ by default, so every read of one connection sees one snapshot; writes run
    READ COMMITTED under the store's write lock (see Store.write).
    """
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            """Every SQLite connection enforces foreign keys and uses WAL; transactions begin explicitly."""
            dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            """Writes begin IMMEDIATE (take the write lock at once); reads begin deferred."""
            immediate = conn.get_execution_options().get("jobkpi_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return sa.create_engine(url, pool_pre_ping=True, isolation_level="REPEATABLE READ")


def _transient(exc: sa.exc.DBAPIError) -> bool:
    """True for errors that a retry of the whole transaction can clear (conflict, lock wait, busy file)."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in ("40001", "40P01", "55P03", "23505"):  # serialization, deadlock, lock timeout, unique
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text or "unique constraint" in text


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at kpi/migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


class Store:
    """A jobkpi store at one database URL."""

    def __init__(self, url: str | None = None, *, write_wait_s: float | None = None) -> None:
        """Open the store at url (default: the settings'); writers wait at most write_wait_s for the lock."""
        self.url = url or load_settings().database_url
        self.engine = make_engine(self.url)
        self.write_wait_s = load_settings().write_wait_s if write_wait_s is None else write_wait_s
        self._local_writer = threading.Lock()  # writers of this process queue here, holding no connection

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open a store, creating and migrating its schema if needed."""
        store = cls(url)
        store.upgrade()
        return store

    # ------------------------------------------------------------------ schema
    def upgrade(self) -> None:
        """Migrate to the newest schema and sync the reference tables (districts, metric catalog)."""
        try:
            if self._up_to_date():  # the usual start: nothing to write, so no wait behind a running import
                return
            with self.write_transaction(rebuilds_tables=True) as conn:
                cfg = alembic_config(self.url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                _sync_reference(conn)
        except sa.exc.OperationalError as exc:
            detail = str(exc.orig).strip().splitlines()[0]
            url = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(f"database unreachable at {url}: {detail}") from exc

    def _up_to_date(self) -> bool:
        """True when, in one read, the schema is at the newest migration and the reference tables match the code."""
        heads = set(ScriptDirectory.from_config(alembic_config(self.url)).get_heads())
        with self.read() as conn:
            if set(MigrationContext.configure(conn).get_current_heads()) != heads:
                return False
            return not any(_reference_changes(conn))

    def is_empty(self) -> bool:
        """True when no upload was ever committed."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one() == 0

    def data_version(self) -> tuple[int, int]:
        """A cheap token that changes whenever values change: (latest upload id, reverted uploads)."""
        up = table_of(Upload)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(up.c.id), 0), sa.func.count().filter(up.c.status == "reverted"))
            ).one()
        return int(row[0]), int(row[1])

    # ------------------------------------------------------------------ reads and writes
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in one read transaction: every query on it sees the same state of the store."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _writer_connection(self) -> Connection:
        """A connection for writing: READ COMMITTED on PostgreSQL (the write lock orders writers), else IMMEDIATE."""
        conn = self.engine.connect()
        if conn.dialect.name == "postgresql":
            return conn.execution_options(isolation_level="READ COMMITTED")
        return conn.execution_options(jobkpi_write=True)

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """On a SQLite file, one writer at a time across processes, waiting up to write_wait_s (then a Korean error)."""
        path = sa.engine.make_url(self.url).database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.writelock", "a+b") as handle:
            deadline = time.monotonic() + self.write_wait_s
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(CONFLICT_KO) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def write_transaction(self, *, rebuilds_tables: bool = False) -> Iterator[Connection]:
        """One write transaction holding the store's write lock (this process, then across processes).

        `rebuilds_tables` (migrations): on SQLite, foreign keys are off while a table is rebuilt (copied, dropped,
        renamed: SQLite's way to change a constraint) and checked whole before the commit.
        Prefer `write`, which also retries conflicts and turns driver errors into Korean messages."""
        if not self._local_writer.acquire(timeout=self.write_wait_s):
            raise StoreError(CONFLICT_KO)
        try:
            with self._file_lock(), self._writer_connection() as conn:
                raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" and rebuilds_tables else None
                if raw is not None:  # outside any transaction: SQLite ignores this pragma inside one
                    raw.execute("PRAGMA foreign_keys=OFF")
                try:
                    with conn.begin():
                        if conn.dialect.name == "postgresql":
                            conn.execute(sa.text(f"SET LOCAL lock_timeout = '{int(self.write_wait_s * 1000)}ms'"))
                            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
                        yield conn
                        if raw is not None and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                            raise StoreError("migration left rows whose references are missing; nothing was changed")
                finally:
                    if raw is not None:
                        raw.execute("PRAGMA foreign_keys=ON")
        finally:
            self._local_writer.release()

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run work(conn) in one write transaction, all or nothing, writers one at a time in arrival order.

        A transient conflict (lock wait, serialization, a unique key taken meanwhile) retries the whole
        transaction, WRITE_ATTEMPTS times in all; what reaches the caller is a StoreError in Korean, never a
        driver error (the detail goes to the server log)."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.write_transaction() as conn:
                    return work(conn)
            except (sa.exc.SQLAlchemyError, OverflowError) as exc:  # driver errors; a value the driver refused
                _log.warning("write attempt %d failed: %s", attempt, exc)
                if not isinstance(exc, sa.exc.DBAPIError) or not _transient(exc):
                    raise StoreError(DB_ERROR_KO) from exc
                if attempt == WRITE_ATTEMPTS:
                    raise StoreError(CONFLICT_KO) from exc
                time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")

    def commit(self, batch: Batch) -> CommitResult:
        """Write a batch in one transaction: all its rows, or none of them."""
        return self.write(lambda conn: write_batch(conn, batch))

    def revert(self, upload_id: int, by: str) -> int:
        """Revert an upload: every key it touched returns to the value that stands without it."""
        return self.write(lambda conn: revert_upload(conn, upload_id, by))


def revert_upload(conn: Connection, upload_id: int, by: str) -> int:
    """Mark an upload reverted and restore each key it touched (inside the caller's write transaction)."""
    up = table_of(Upload)
    status = conn.execute(sa.select(up.c.status).where(up.c.id == upload_id)).scalar_one_or_none()
    if status is None:
        raise StoreError(f"업로드 {upload_id}은(는) 없습니다. 업로드 목록에서 번호를 확인해 주세요.")
    if status == "reverted":
        raise StoreError(f"업로드 {upload_id}은(는) 이미 되돌렸습니다.")
    conn.execute(up.update().where(up.c.id == upload_id).values(status="reverted", reverted_at=_now(), reverted_by=by))
    return sum(restore_without(conn, model, upload_id) for model in VERSIONED_KEYS)


def inserted_id(result: sa.CursorResult) -> int:
    """The primary key of the one row an INSERT just wrote."""
    key = result.inserted_primary_key
    assert key is not None, "not an INSERT result"
    return int(key[0])


def write_batch(
    conn: Connection, batch: Batch, *, keep_file: bool = True, packed: tuple[bytes, str] | None = None
) -> CommitResult:
    """Write a batch on a connection inside the caller's transaction (commit, or a preview rolled back, which
    leaves the file's bytes out: `keep_file=False`); `packed`: pack(batch.content) when computed already."""
    if batch.district_cd not in districts.BY_SIG:
        raise StoreError(f"unknown district code {batch.district_cd!r}")
    stored, codec = (packed or pack(batch.content)) if keep_file else (b"", RAW)  # compressed when that pays
    upload_id = inserted_id(
        conn.execute(
            sa.insert(Upload).values(
                kind=batch.kind,
                filename=fit_filename(batch.filename),
                sha256=batch.sha256,
                content=stored,
                content_codec=codec,
                size=len(batch.content),
                uploaded_by=batch.uploaded_by,
                uploaded_at=_now(),
                district_cd=batch.district_cd,
                as_of=batch.as_of,
                row_count=batch.row_count,
                is_sample=batch.is_sample,
                note=batch.note,
                status="committed",
            )
        )
    )
    programs, created = resolve_programs(conn, batch, upload_id)
    remember_aliases(conn, batch.district_cd, batch.aliases, programs, batch.uploaded_by)
    pledges, items = _resolve_pledges(conn, batch, upload_id)
    programs = {**programs, **_reason_programs(conn, batch, programs)}
    for model, rows in _value_rows(batch, programs, pledges, items).items():
        dups = duplicate_keys(model, rows)
        if dups:
            raise StoreError(
                f"파일 안에서 같은 항목이 두 번 나옵니다 ({table_of(model).name}: {', '.join(map(str, dups[0]))}). "
                "한 번만 남겨 다시 올려 주세요."
            )
        write_versions(conn, model, rows, upload_id)
    base = {"upload_id": upload_id, "district_cd": batch.district_cd, "is_sample": batch.is_sample}
    peers = [{**base, **dataclasses.asdict(p)} for p in batch.peers]
    bulk_load(conn, table_of(PeerExecution), peers)  # a snapshot is one file: read by upload (kpi/store/peers.py)
    return CommitResult(upload_id=upload_id, rows=batch.row_count, programs_created=created)


def unwritten_rows(conn: Connection, batch: Batch) -> dict[type[SQLModel], list[dict]] | None:
    """The value rows write_batch would write, found without writing anything, when writing them (and the upload)
    is all it would do: every program known as the file states it, no pledge, no 사유·조치계획. None when the
    batch needs the write path (which also raises the batch's errors)."""
    if batch.pledges or batch.reasons:
        return None
    try:
        programs, _created = resolve_programs(conn, batch, 0, dry=True)
        rows = _value_rows(batch, programs, {}, {})
    except (WouldWrite, StoreError):
        return None
    if any(duplicate_keys(model, r) for model, r in rows.items()):
        return None
    return rows


def pending_upload(conn: Connection, batch: Batch) -> dict:
    """The upload a commit of the batch would add, as queries.last_upload reads one: the next id (above every
    stored one), the time now (UTC, as the store gives it back), who, which file, as of when."""
    last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(table_of(Upload).c.id), 0))).scalar_one()
    return {
        "id": int(last) + 1,
        "uploaded_at": _now().replace(tzinfo=None),
        "uploaded_by": batch.uploaded_by,
        "filename": fit_filename(batch.filename),
        "as_of": batch.as_of,
        "is_sample": batch.is_sample,
    }


def _reason_programs(conn: Connection, batch: Batch, known: dict[str, int]) -> dict[str, int]:
    """Ids of the programs the batch's reasons name: a reason is about an existing program (or one the batch
    creates), never a new one; texts are checked before the database (kpi.reasons.problems)."""
    wanted = {r.program for r in batch.reasons} - set(known)
    p = table_of(Program)
    stmt = sa.select(p.c.name, p.c.id).where(p.c.district_cd == batch.district_cd, p.c.name.in_(wanted))
    found = {name: pid for name, pid in conn.execute(stmt)} if wanted else {}
    for row in batch.reasons:
        if row.program not in known and row.program not in found:
            raise StoreError(f"사업 '{row.program[:40]}'이(가) 없어 사유를 저장할 수 없습니다. 사업명을 확인해 주세요.")
        trouble = problems(row.reason, row.action, row.month)
        if trouble:
            raise StoreError(f"{row.program[:40]} {row.year}년 {row.month}월: {trouble[0]}")
    return found


def _origin(batch: Batch) -> str:
    """The origin of a row that does not state one: that of the batch's (first) table kind."""
    kind = batch.kind.split("+")[0]
    return catalog.ORIGIN_OF_KIND.get(kind, kind)[:20]


def fit_filename(name: str) -> str:
    """The upload's file name cut to the column's length, keeping its extension (the bytes are kept whole)."""
    limit = column_length(Upload, "filename")
    if len(name) <= limit:
        return name
    _stem, dot, ext = name.rpartition(".")
    ext = f".{ext}" if dot and len(ext) <= 10 else ""
    return name[: limit - len(ext) - 1] + "…" + ext


def _now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def _reference_changes(conn: Connection) -> tuple[list[dict], dict[str, dict], dict[str, dict]]:
    """What the reference tables lack or state otherwise than the code: (districts to add, metrics to add,
    metrics to update)."""
    have = {r.sig_cd for r in conn.execute(sa.select(table_of(District).c.sig_cd))}
    districts_new = [
        {"sig_cd": d.sig_cd, "kostat_cd": d.kostat_cd, "name": d.name, "sort_order": i}
        for i, d in enumerate(districts.DISTRICTS)
        if d.sig_cd not in have
    ]
    mt = table_of(Metric)
    stored = {r.code: (r.ko, r.en, r.unit, bool(r.cumulative)) for r in conn.execute(sa.select(mt))}
    add: dict[str, dict] = {}
    update: dict[str, dict] = {}
    for m in catalog.METRICS:
        values = {"ko": m.ko, "en": m.en, "unit": m.unit, "cumulative": m.cumulative}
        if m.code not in stored:
            add[m.code] = values
        elif stored[m.code] != (m.ko, m.en, m.unit, m.cumulative):
            update[m.code] = values
    return districts_new, add, update


def _sync_reference(conn: Connection) -> None:
    """Insert or update the 25 districts and the metric catalog."""
    districts_new, add, update = _reference_changes(conn)
    if districts_new:
        conn.execute(sa.insert(District), districts_new)
    mt = table_of(Metric)
    for code, values in add.items():
        conn.execute(mt.insert().values(code=code, **values))
    for code, values in update.items():
        conn.execute(mt.update().where(mt.c.code == code).values(**values))


def _resolve_pledges(
    conn: Connection, batch: Batch, upload_id: int
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Map pledge titles and (title, item) pairs of the batch to ids, creating new ones."""
    pledges: dict[str, int] = {}
    items: dict[tuple[str, str], int] = {}
    for row in batch.pledges:
        if row.pledge not in pledges:
            pledges[row.pledge], _ = get_or_create(
                conn,
                Pledge,
                {"district_cd": batch.district_cd, "title": row.pledge},
                {"created_upload_id": upload_id},
            )
        if row.item is not None and (row.pledge, row.item) not in items:
            items[(row.pledge, row.item)], _ = get_or_create(
                conn, PledgeItem, {"pledge_id": pledges[row.pledge], "name": row.item}, {"unit": row.unit}
            )
    return pledges, items


def _value_rows(
    batch: Batch, programs: dict[str, int], pledges: dict[str, int], items: dict[tuple[str, str], int]
) -> dict[type[SQLModel], list[dict]]:
    """The batch's values as rows of the versioned tables (without upload id and current flag)."""
    base = {"district_cd": batch.district_cd, "is_sample": batch.is_sample}

    def pid(name: str | None) -> int | None:
        """The id of a program name; None for the district as a whole."""
        return None if name is None else programs[name]

    money: list[BudgetRow | FactRow] = [*batch.budgets, *batch.facts]
    for row in money:
        if row.source not in catalog.FUNDING_SOURCES:
            raise StoreError(f"unknown funding source {row.source!r}")
    measured: list[FactRow | TargetRow] = [*batch.facts, *batch.targets]
    for measure in measured:
        if measure.metric not in catalog.METRIC_BY_CODE:
            raise StoreError(f"unknown metric {measure.metric!r}")
    return {
        Budget: [
            {
                **base,
                "program_id": pid(b.program),
                "year": b.year,
                "source": b.source,
                "origin": b.origin or _origin(batch),
                "original": b.original,
                "current": b.current,
            }
            for b in batch.budgets
        ],
        Fact: [
            {
                **base,
                "program_id": pid(f.program),
                "year": f.year,
                "month": f.month,
                "metric": f.metric,
                "source": f.source,
                "origin": f.origin or _origin(batch),
                "value": int(f.value),
            }
            for f in batch.facts
        ],
        Target: [
            {
                **base,
                "program_id": pid(t.program),
                "year": t.year,
                "metric": t.metric,
                "basis": t.basis,
                "origin": t.origin or _origin(batch),
                "value": float(t.value),
            }
            for t in batch.targets
        ],
        Survey: [
            {
                **base,
                "district_cd": s.district_cd,
                "year": s.year,
                "half": s.half,
                "indicator": s.indicator,
                "basis": s.basis,
                "value": float(s.value),
                "source": s.source,
            }
            for s in batch.surveys
        ],
        PledgeValue: [
            {
                **base,
                "pledge_id": pledges[p.pledge],
                "item_id": None if p.item is None else items[(p.pledge, p.item)],
                "year": p.year,
                "measure": p.measure,
                "source": p.source,
                "value": int(p.value),
            }
            for p in batch.pledges
        ],
        Reason: [
            {
                **base,
                "program_id": programs[r.program],
                "year": r.year,
                "month": r.month,
                "reason": r.reason,
                "action": r.action,
            }
            for r in batch.reasons
        ],
    }
