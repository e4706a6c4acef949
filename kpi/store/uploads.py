"""The one upload pipeline behind both doors (the 실적 업로드 page and `jobkpi import`):
parse and validate -> preview against the store -> commit all-or-nothing -> revert.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from kpi.domain import catalog
from kpi.domain.batch import Batch
from kpi.domain.dates import month_end
from kpi.gc_pause import paused_gc
from kpi.importers import ImportLimits, ImportResult, KnownTree, parse_upload
from kpi.settings import load_settings
from kpi.store import CommitResult, Store, StoreError, queries, revert_upload, write_batch
from kpi.store.auth import User, require_write
from kpi.store.engine import pending_upload, unwritten_rows
from kpi.store.files import pack_soon
from kpi.store.model import Budget, Fact, PledgeValue, Reason, Survey, Target, Upload, table_of
from kpi.store.programs import known_tree
from kpi.store.versioning import ORDINAL, current_key, key_joins, stage, staged_current, union
from kpi.views.report import KpiReport, ReportInputs, forget_ranks, read_inputs, report_of

_log = logging.getLogger(__name__)

# The tables whose changes the preview lists (the 지방재정365 peer sums are summed up by the importer instead).
VALUE_COLUMNS: dict[type[SQLModel], tuple[str, ...]] = {
    Budget: ("original", "current"),
    Fact: ("value",),
    Target: ("value",),
    Survey: ("value",),
    PledgeValue: ("value",),
    Reason: ("reason", "action"),
}
TEXT_VALUES: set[type[SQLModel]] = {Reason}  # value columns compared as text, left out of the totals
TABLE_LABELS: dict[type[SQLModel], str] = {
    Budget: "예산",
    Fact: "실적",
    Target: "목표",
    Survey: "고용조사",
    PledgeValue: "공약",
    Reason: "사유·조치계획",
}


@dataclass
class Preview:
    """What a commit would change: every key as new/changed/unchanged, totals, and the KPIs before and after."""

    changes: pd.DataFrame
    totals: pd.DataFrame
    before: KpiReport | None
    after: KpiReport | None
    programs_created: int

    @property
    def counts(self) -> dict[str, int]:
        """Number of keys per status."""
        if self.changes.empty:
            return dict.fromkeys(("new", "changed", "unchanged"), 0)
        return {s: int((self.changes["status"] == s).sum()) for s in ("new", "changed", "unchanged")}


@dataclass
class Prepared:
    """A parsed upload with its preview and any earlier uploads of the very same file."""

    filename: str
    result: ImportResult
    preview: Preview | None = None
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: list[str] = field(default_factory=list)  # the district's unit programs (to attach excluded ones to)
    packed: Future[tuple[bytes, str]] | None = field(default=None, repr=False)  # the file as the store keeps it


def limits() -> ImportLimits:
    """Import limits from the settings (upload size)."""
    return ImportLimits(max_bytes=load_settings().max_upload_mb * 1024 * 1024)


def prepare(
    store: Store,
    filename: str,
    content: bytes,
    *,
    district_cd: str,
    user: User,
    as_of: date | None = None,
    attach: dict[str, str] | None = None,
    centre_rows: str | None = None,
) -> Prepared:
    """Parse and validate an upload against the district's program tree (with the programs staff attach: a
    file's code or name -> a known program); when it has no error, preview it against the store. The file is
    compressed for keeping meanwhile (files.pack_soon), once per prepare, for the commit."""
    packed = pack_soon(content)
    with store.read() as conn:
        known, codes, aliases, units = known_tree(conn, district_cd)
    result = parse_upload(
        filename,
        content,
        district_cd=district_cd,
        as_of=as_of,
        known_programs=known,
        uploaded_by=user.name,
        limits=limits(),
        tree=KnownTree(codes, aliases, units, dict(attach or {})),
        centre_rows=centre_rows,
    )
    # the file is hashed once: the batch keeps its digest for the preview's and the commit's writes
    same = result.batch is not None and result.batch.content is content
    digest = result.batch.sha256 if same and result.batch is not None else hashlib.sha256(content).hexdigest()
    with store.read() as conn:
        dups = duplicates_of(conn, digest)
    prepared = Prepared(filename, result, duplicates=dups, units=sorted(units), packed=packed if same else None)
    if result.batch is not None:
        prepared.preview = preview(store, result.batch)
    return prepared


def duplicates_of(conn: Connection, digest: str) -> pd.DataFrame:
    """Committed uploads whose file bytes are identical: the same sha256 hex digest."""
    u = table_of(Upload)
    rows = conn.execute(
        sa.select(u.c.id, u.c.filename, u.c.uploaded_by, u.c.uploaded_at, u.c.status)
        .where(u.c.sha256 == digest, u.c.status == "committed")
        .order_by(u.c.id)
    )
    return pd.DataFrame(rows.fetchall(), columns=["id", "filename", "uploaded_by", "uploaded_at", "status"])


def _view_date(batch: Batch) -> tuple[int, date] | None:
    """The year and as-of date whose KPIs a batch changes (its as-of date, else its latest month)."""
    if batch.as_of is not None:
        return batch.as_of.year, batch.as_of
    months = [(f.year, f.month) for f in batch.facts]
    if months:
        y, m = max(months)
        return y, month_end(y, m)
    years = [b.year for b in batch.budgets]
    return (max(years), date(max(years), 12, 31)) if years else None


class _RollBack(Exception):
    """Raised inside a preview's write transaction to undo it, carrying what the preview computed."""

    def __init__(self, preview: Preview) -> None:
        """Carry the preview out of the rolled-back transaction."""
        super().__init__("preview")
        self.preview = preview


def preview(store: Store, batch: Batch) -> Preview:
    """What committing the batch would change, computed without writing when the batch holds values of known
    programs only (the everyday re-upload), else by writing it and rolling back (new programs, pledges, 사유)."""
    with paused_gc():
        try:
            done = _preview_unwritten(store, batch)
        except (sa.exc.SQLAlchemyError, OverflowError) as exc:  # the write path retries, or says it in Korean
            _log.warning("preview without writing failed, previewing by the write path: %s", exc)
            done = None
        return done or _preview_written(store, batch)


def _preview_unwritten(store: Store, batch: Batch) -> Preview | None:
    """The preview on one read transaction: the batch's rows staged in temporary tables (rolled back), compared by
    key with the current rows, and the KPIs after read with the staged rows in place of those they replace.
    None when the commit would write more than values and its upload (engine.unwritten_rows)."""
    view = _view_date(batch)
    with store.engine.connect() as conn, conn.begin() as tx:
        rows = unwritten_rows(conn, batch)
        if rows is None:
            return None
        before = _report(conn, batch.district_cd, *view, reuse=True) if view else None
        upload = pending_upload(conn, batch)
        staged = {m: stage(conn, m, rows[m], numbered=True) for m in _batch_rows(batch) if rows.get(m)}
        names = queries.programs(conn, batch.district_cd).set_index("id")["name"] if staged else None
        parts = [_listed(m, _staged_rows(conn, m, t), names) for m, t in staged.items()]
        changes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        sources = {table_of(m).name: staged_current(m, t, upload["id"]) for m, t in staged.items()}
        after = None
        if view:
            after = report_of(read_inputs(conn, batch.district_cd, *view, sources, upload), batch.district_cd, *view)
        tx.rollback()
    return Preview(changes, _totals(changes), before, after, 0)


def _preview_written(store: Store, batch: Batch) -> Preview:
    """Write the batch inside a transaction, compare, compute the KPIs after, and roll everything back."""
    view = _view_date(batch)
    touched = [m for m, rows in _batch_rows(batch).items() if rows]  # a table the batch has no rows of is unchanged

    def work(conn: Connection) -> Preview:
        """Write the batch, compare the report before and after, and roll it all back."""
        before = _report(conn, batch.district_cd, *view, reuse=True) if view else None
        result = write_batch(conn, batch, keep_file=False)  # rolled back: the bytes need not be written
        names = queries.programs(conn, batch.district_cd).set_index("id")["name"] if touched else None
        parts = [_listed(m, _written_rows(conn, m, result.upload_id), names) for m in touched]
        changes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        after = _report(conn, batch.district_cd, *view, reuse=False) if view else None
        raise _RollBack(Preview(changes, _totals(changes), before, after, result.programs_created))

    try:
        store.write(work)
    except _RollBack as done:
        return done.preview
    raise AssertionError("a preview always rolls back")


REPORTS_KEPT = 8  # reports a process keeps for previews (each with the reads it was computed from)
_reports: OrderedDict[tuple[str, int, date], tuple[ReportInputs, object, KpiReport]] = OrderedDict()
_reports_lock = threading.Lock()


def _report(conn: Connection, district_cd: str, year: int, as_of: date, *, reuse: bool) -> KpiReport:
    """build_report on the preview's connection. With `reuse` (the committed state, "before"), its computation is
    reused when every read (and the settings) equals that of a report computed before: the report is a function
    of those alone (report_of), and the reads are always made, so a reused report is provably the one
    build_report would compute; callers get copies. A report "after" is never kept: it reads the preview's own
    upload (its time), which no other state has."""
    inputs = read_inputs(conn, district_cd, year, as_of)
    if not reuse:
        return report_of(inputs, district_cd, year, as_of)
    settings = load_settings()
    key = (district_cd, year, as_of)
    with _reports_lock:
        kept = _reports.get(key)
    if kept is not None and kept[1] == settings and kept[0].same_as(inputs):
        return copy.deepcopy(kept[2])
    report = report_of(inputs, district_cd, year, as_of)
    with _reports_lock:
        _reports[key] = (inputs, settings, report)
        _reports.move_to_end(key)
        while len(_reports) > REPORTS_KEPT:
            _reports.popitem(last=False)
    return copy.deepcopy(report)


def forget_reports() -> None:
    """Drop the reports (and ranks) kept for previews (benchmarks of a first preview; tests)."""
    with _reports_lock:
        _reports.clear()
    forget_ranks()


def _batch_rows(batch: Batch) -> dict[type[SQLModel], list]:
    """The batch's rows per table whose changes the preview lists (write_batch writes each list to that table)."""
    return {
        Budget: batch.budgets,
        Fact: batch.facts,
        Target: batch.targets,
        Survey: batch.surveys,
        PledgeValue: batch.pledges,
        Reason: batch.reasons,
    }


KEY_COLUMNS = ("year", "month", "half", "metric", "indicator", "basis", "measure", "source")  # listed when present


def _shown_columns(model: type[SQLModel]) -> list[str]:
    """The columns of a table the change list shows: program, key columns present, value columns."""
    t = table_of(model)
    return [c for c in ("program_id", *KEY_COLUMNS) if c in t.c] + list(VALUE_COLUMNS[model])


def _written_rows(conn: Connection, model: type[SQLModel], upload_id: int) -> pd.DataFrame:
    """The upload's rows of one table (written, in id order) beside the values they replace: old_id and old__<value
    column>, None where the key is new. The replaced row of a key is its latest committed version of another upload."""
    t = table_of(model)
    cols = VALUE_COLUMNS[model]
    n, o, u = t.alias("n"), t.alias("o"), table_of(Upload)
    latest = union(
        [
            sa.select(n.c.id.label("new_id"), sa.func.max(o.c.id).label("old_id"))
            .select_from(n.join(o, joined).join(u, u.c.id == o.c.upload_id))
            .where(n.c.upload_id == upload_id, o.c.upload_id != upload_id, u.c.status == "committed")
            .group_by(n.c.id)
            for joined in key_joins(model, n, o, conn.dialect.name)
        ]
    ).subquery("latest")
    old_t = t.alias("old")
    # one statement: the upload's rows, each with the row it replaces joined in SQL (no list of ids sent back)
    return pd.read_sql(
        sa.select(
            *[t.c[c] for c in _shown_columns(model)],
            latest.c.old_id,
            *[old_t.c[c].label(f"old__{c}") for c in cols],
        )
        .select_from(t.outerjoin(latest, latest.c.new_id == t.c.id).outerjoin(old_t, old_t.c.id == latest.c.old_id))
        .where(t.c.upload_id == upload_id)
        .order_by(t.c.id),
        conn,
    )


def _staged_rows(conn: Connection, model: type[SQLModel], staged: sa.Table) -> pd.DataFrame:
    """_written_rows of rows staged (versioning.stage, numbered) instead of written: the replaced row of a key is
    its current row (the latest committed version: the versioning invariant), found through the current-key index."""
    cur = table_of(model).alias("old")
    return pd.read_sql(
        sa.select(
            *[staged.c[c] for c in _shown_columns(model)],
            cur.c.id.label("old_id"),
            *[cur.c[c].label(f"old__{c}") for c in VALUE_COLUMNS[model]],
        )
        .select_from(staged.outerjoin(cur, current_key(model, staged, cur)))
        .order_by(staged.c[ORDINAL]),
        conn,
    )


def _listed(model: type[SQLModel], merged: pd.DataFrame, names: pd.Series | None) -> pd.DataFrame:
    """The change list of one table from its new rows beside the values they replace (_written_rows); `names` maps
    program ids to names."""
    cols = VALUE_COLUMNS[model]
    if merged.empty:
        return pd.DataFrame()
    has_old = merged["old_id"].notna()
    # the replaced values by old id, mapped back as a lookup (the dtypes of a separate read of the replaced rows)
    old = merged.loc[has_old, ["old_id", *[f"old__{c}" for c in cols]]].set_index("old_id")
    out = pd.DataFrame({"table": TABLE_LABELS[model]}, index=merged.index)
    out["program"] = merged["program_id"].map(names) if "program_id" in merged and names is not None else None
    for c in KEY_COLUMNS:
        if c in merged:
            out[c] = merged[c]
    for c in cols:
        out[f"new_{c}"] = merged[c]
        out[f"old_{c}"] = merged["old_id"].map(old[f"old__{c}"]) if len(old) else pd.NA
    same = pd.Series(True, index=merged.index)
    for c in cols:
        if model in TEXT_VALUES:
            pairs = zip(out[f"new_{c}"], out[f"old_{c}"], strict=True)
            same &= pd.Series([isinstance(o, str) and n == o for n, o in pairs], index=merged.index, dtype=bool)
        else:
            same &= out[f"new_{c}"].fillna(-1).astype("float64").eq(out[f"old_{c}"].fillna(-1).astype("float64"))
    out["status"] = ["unchanged" if h and s else "changed" if h else "new" for h, s in zip(has_old, same, strict=True)]
    out["value_old"], out["value_new"] = out[f"old_{cols[-1]}"], out[f"new_{cols[-1]}"]
    if model is Budget:  # the budget that counts is 예산현액, else 예산액
        out["value_old"] = out["old_current"].fillna(out["old_original"])
        out["value_new"] = out["new_current"].fillna(out["new_original"])
    if model in TEXT_VALUES:  # '사유 / 조치계획' as one text; no old text is None
        out["value_old"] = [
            None if pd.isna(i) else _joined(out.at[k, "old_reason"], out.at[k, "old_action"])
            for k, i in merged["old_id"].items()
        ]
        out["value_new"] = [_joined(a, b) for a, b in zip(out["new_reason"], out["new_action"], strict=True)]
    return out


def _joined(reason: object, action: object) -> str:
    """A 사유·조치계획 as one line of text for the preview."""
    parts = [str(v) for v in (reason, action) if isinstance(v, str) and v]
    return " / ".join(parts)


def _totals(changes: pd.DataFrame) -> pd.DataFrame:
    """Per table and metric: the sum of the touched keys before and after."""
    changes = changes[changes["table"] != TABLE_LABELS[Reason]] if "table" in changes else changes
    if changes.empty:
        return pd.DataFrame(columns=["table", "metric", "before", "after"])
    frame = changes.assign(
        metric=changes.get("metric", pd.Series(index=changes.index)).fillna("budget")
        if "metric" in changes
        else "budget"
    )
    frame["label"] = frame["metric"].map(
        lambda m: catalog.METRIC_BY_CODE[m].ko if m in catalog.METRIC_BY_CODE else "예산액" if m == "budget" else str(m)
    )
    grouped = frame.groupby(["table", "label"], sort=False)
    return pd.DataFrame(
        {
            "before": grouped["value_old"].sum(min_count=1),
            "after": grouped["value_new"].sum(min_count=1),
        }
    ).reset_index()


def commit(
    store: Store,
    prepared: Prepared,
    *,
    user: User,
    allow_duplicate: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> CommitResult:
    """Commit a prepared upload (one transaction); refuses errors, viewers, and unconfirmed duplicate files."""
    if not user.can_upload:
        raise StoreError("업로드 권한이 없습니다 (담당자·관리자만 업로드할 수 있습니다)")
    if prepared.result.batch is None:
        raise StoreError("오류가 있는 파일은 반영할 수 없습니다. 오류를 고친 뒤 다시 올려 주십시오")
    batch = prepared.result.batch

    def work(conn: Connection) -> CommitResult:
        """Write the batch unless the same file is already committed (checked again under the write lock)."""
        require_write(conn, user)
        dups = duplicates_of(conn, batch.sha256)  # again under the write lock: the same file sent twice at once
        if len(dups) and not allow_duplicate:
            ids = ", ".join(str(i) for i in dups["id"])
            raise StoreError(f"같은 파일이 이미 반영되어 있습니다 (업로드 {ids}). 다시 반영하려면 확인이 필요합니다")
        return write_batch(conn, batch, packed=kept)

    kept = prepared.packed.result() if prepared.packed is not None else None  # pack(batch.content), begun in prepare
    if progress:
        progress(0.5, "저장 중")
    with paused_gc():
        result = store.write(work)
    if progress:
        progress(1.0, "완료")
    return result


def revert(store: Store, upload_id: int, user: User) -> int:
    """Revert an upload if the user may: admins any, staff their own."""
    u = table_of(Upload)

    def work(conn: Connection) -> int:
        """Revert the upload when the user may (an admin or its uploader)."""
        owner = conn.execute(sa.select(u.c.uploaded_by).where(u.c.id == upload_id)).scalar_one_or_none()
        if owner is None:
            raise StoreError(f"업로드 {upload_id}은(는) 없습니다. 업로드 목록에서 번호를 확인해 주세요.")
        if not user.can_revert(owner):
            raise StoreError(f"업로드 {upload_id}을(를) 되돌릴 권한이 없습니다 (본인 업로드만 되돌릴 수 있습니다)")
        require_write(conn, user, owner=owner)
        return revert_upload(conn, upload_id, user.name)

    return store.write(work)
