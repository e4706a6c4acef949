"""The upload preview is exact: for every kind of upload, the KPIs "after" are field for field the report built after
committing the same batch, and the change list is the one the preview listed before it was made cheaper (the
reference below is that implementation, verbatim)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from bench.import_bench import template_bytes
from kpi.demo.seed import load_demo
from kpi.domain.batch import Batch
from kpi.store import Store, queries, uploads, write_batch
from kpi.store.model import Budget, Upload, table_of
from kpi.store.programs import attach
from kpi.store.versioning import key_joins, union
from kpi.views.report import KpiReport, build_report, forget_ranks, read_inputs
from tests.corpus_factory import budget_sheet, budget_xlsx, xlsx
from tests.factories import with_accounts
from tests.importers import test_centre_monthly as centre
from tests.importers import test_goal as goal
from tests.importers import test_kosis_layouts as kosis
from tests.importers.test_sources_in_demo import lofin_csv
from tests.seed_figures import SEED_PROGRAMS, executed_plus
from tests.store.test_reasons import ACTION, LAGGING, NO_DATA, REASON, STAFF, filled_template


def new_programs_sheet() -> bytes:
    """The seed budget table with one value changed and a program the store does not know."""
    rows: list[list[object]] = [[n, b, e + 10_000 if i == 0 else e, r] for i, (n, b, e, r) in enumerate(SEED_PROGRAMS)]
    rows.append(["신규 사업", 1_000, 100, 10.0])
    total: list[object] = ["계", sum(int(str(r[1])) for r in rows), sum(int(str(r[2])) for r in rows), 0]
    return xlsx(lambda wb: budget_sheet(wb.active, [total, *rows]))


def reasons_template(store: Store) -> bytes:
    """The project's template with a value and two 사유·조치계획."""
    return filled_template(
        store,
        [
            [NO_DATA, 2024, 5, None, None, None, None, "시 보조금 교부 지연", "교부 즉시 7월 집행"],
            [LAGGING, 2024, 5, "집행액", None, 50_887, None, REASON, ACTION],
        ],
    )


def changed_values() -> bytes:
    """The seed budget table with every 집행액 raised (the demo holds the seed values)."""
    return xlsx(lambda wb: budget_sheet(wb.active, executed_plus(1_000)))


def kosis_csv() -> bytes:
    rows, _merges = kosis.long_layout("서울 {}", "dot")
    return kosis.csv_file(rows, "cp949")


def goal_sheet() -> bytes:
    rows, spans = goal.body()
    return goal.sheet(rows, spans=spans)


UPLOADS: dict[str, tuple[str, Callable[[Store], bytes]]] = {
    "template sheet (the bench's)": ("실적입력양식.xlsx", lambda _s: template_bytes(300)),
    "template with reasons": ("실적입력양식.xlsx", reasons_template),
    "lofin365 csv": ("세출현황.csv", lambda _s: lofin_csv()),
    "job-centre log": ("센터실적.xlsx", lambda _s: centre.log(centre.rows_of(centre.MONTHLY, total="계"))),
    "re-upload changing values": (
        "예산현황.xlsx",
        lambda _s: xlsx(lambda wb: budget_sheet(wb.active, executed_plus(1_000))),
    ),
    "new programs": ("예산현황_신규.xlsx", lambda _s: new_programs_sheet()),
    "kosis survey csv": ("고용률.csv", lambda _s: kosis_csv()),
    "goal disclosure": ("목표공시제.xlsx", lambda _s: goal_sheet()),
}


def reference_changes(conn: Connection, model: type[SQLModel], upload_id: int, district_cd: str) -> pd.DataFrame:
    """The change list of one table as the preview computed it before it was made cheaper (verbatim)."""
    t = table_of(model)
    cols = uploads.VALUE_COLUMNS[model]
    new = pd.read_sql(sa.select(t).where(t.c.upload_id == upload_id), conn)
    if new.empty:
        return pd.DataFrame()
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
    found = pd.read_sql(
        sa.select(latest.c.new_id, latest.c.old_id, *[t.c[c] for c in cols]).select_from(
            latest.join(t, t.c.id == latest.c.old_id)
        ),
        conn,
    )
    pairs = found[["new_id", "old_id"]]
    old = found.drop(columns="new_id").rename(columns={"old_id": "id"}).set_index("id")
    merged = new.merge(pairs, left_on="id", right_on="new_id", how="left")
    names = queries.programs(conn, district_cd).set_index("id")["name"]
    out = pd.DataFrame({"table": uploads.TABLE_LABELS[model]}, index=merged.index)
    out["program"] = merged["program_id"].map(names) if "program_id" in merged else None
    for c in ("year", "month", "half", "metric", "indicator", "basis", "measure", "source"):
        if c in merged:
            out[c] = merged[c]
    for c in cols:
        out[f"new_{c}"] = merged[c]
        out[f"old_{c}"] = merged["old_id"].map(old[c]) if len(old) else pd.NA
    has_old = merged["old_id"].notna()
    same = pd.Series(True, index=merged.index)
    for c in cols:
        if model in uploads.TEXT_VALUES:
            pairs = zip(out[f"new_{c}"], out[f"old_{c}"], strict=True)
            same &= pd.Series([isinstance(o, str) and n == o for n, o in pairs], index=merged.index, dtype=bool)
        else:
            same &= out[f"new_{c}"].fillna(-1).astype("float64").eq(out[f"old_{c}"].fillna(-1).astype("float64"))
    out["status"] = ["unchanged" if h and s else "changed" if h else "new" for h, s in zip(has_old, same, strict=True)]
    out["value_old"], out["value_new"] = out[f"old_{cols[-1]}"], out[f"new_{cols[-1]}"]
    if model is Budget:
        out["value_old"] = out["old_current"].fillna(out["old_original"])
        out["value_new"] = out["new_current"].fillna(out["new_original"])
    if model in uploads.TEXT_VALUES:
        out["value_old"] = [
            None if pd.isna(i) else uploads._joined(out.at[k, "old_reason"], out.at[k, "old_action"])
            for k, i in merged["old_id"].items()
        ]
        out["value_new"] = [uploads._joined(a, b) for a, b in zip(out["new_reason"], out["new_action"], strict=True)]
    return out


class _Undo(Exception):
    def __init__(self, changes: pd.DataFrame) -> None:
        super().__init__("undo")
        self.changes = changes


def reference_change_list(store: Store, batch: Batch) -> pd.DataFrame:
    """The whole change list as the earlier preview listed it: every table, on a write rolled back."""

    def work(conn: Connection) -> None:
        result = write_batch(conn, batch, keep_file=False)
        parts = [reference_changes(conn, m, result.upload_id, batch.district_cd) for m in uploads.VALUE_COLUMNS]
        raise _Undo(pd.concat(parts, ignore_index=True))

    with pytest.raises(_Undo) as undone:
        store.write(work)
    return undone.value.changes


def in_key_order(changes: pd.DataFrame) -> pd.DataFrame:
    """The change list in one order whatever order the store returned rows in (PostgreSQL promises none)."""
    if changes.empty:
        return changes
    keys = [c for c in ("table", "program", *uploads.KEY_COLUMNS) if c in changes]
    return changes.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def comparable(report: KpiReport) -> dict[str, object]:
    """Every field of a report, with what an upload's identity gives it made neutral: the upload's id and time
    (the preview's upload is rolled back; PostgreSQL does not reuse its ids), and program ids as names (a program
    the upload creates gets another id when committed on PostgreSQL)."""
    names = dict(zip(report.programs["id"], report.programs["name"], strict=True))
    out: dict[str, object] = {}
    for f in dataclasses.fields(report):
        value = getattr(report, f.name)
        if f.name == "programs":
            value = value.assign(id=value["id"].map(names), parent_id=value["parent_id"].map(names))
        elif f.name in ("program_executed", "program_executed_sample"):
            value = value.rename(index=names)
        elif f.name == "reasons":
            value = value.drop(columns=["upload_id", "uploaded_at"]).assign(program_id=value["program_id"].map(names))
        elif f.name == "last_upload" and value is not None:
            value = {k: v for k, v in value.items() if k not in ("id", "uploaded_at")}
        elif f.name == "mismatches":
            value = [(names[pid], *rest) for pid, *rest in value]
        out[f.name] = value
    return out


def assert_same_report(got: KpiReport, want: KpiReport) -> None:
    """Field for field equal: frames with their dtypes and index, floats exactly (NaN equal to NaN)."""
    a, b = comparable(got), comparable(want)
    assert a.keys() == b.keys()
    for name in a:
        x, y = a[name], b[name]
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y, check_exact=True, obj=name)
        elif isinstance(x, float) and isinstance(y, float) and np.isnan(x):
            assert np.isnan(y), name
        else:
            assert x == y, name


@pytest.fixture
def demo(store):
    """A fresh demo store of the current backend with a staff account."""
    load_demo(store)
    return with_accounts(store, STAFF)


@pytest.mark.parametrize("upload", list(UPLOADS))
def test_preview_after_is_the_report_after_the_commit(demo, upload: str) -> None:
    name, make = UPLOADS[upload]
    prepared = uploads.prepare(demo, name, make(demo), district_cd="11560", user=STAFF)
    assert prepared.result.errors == [], [(i.code, i.where, i.message_ko) for i in prepared.result.errors]
    batch, preview = prepared.result.batch, prepared.preview
    assert batch is not None and preview is not None
    view = uploads._view_date(batch)  # None: a batch of no month (a survey): no KPIs to show
    if view is not None:
        assert preview.before is not None
        assert_same_report(preview.before, build_report(demo, "11560", *view))
    reference = reference_change_list(demo, batch)
    assert not reference.empty
    pd.testing.assert_frame_equal(in_key_order(preview.changes), in_key_order(reference), check_exact=True)
    pd.testing.assert_frame_equal(preview.totals, uploads._totals(reference), check_exact=True)
    uploads.commit(demo, prepared, user=STAFF)
    if view is not None:
        assert preview.after is not None
        assert_same_report(preview.after, build_report(demo, "11560", *view))
    else:
        assert preview.before is None and preview.after is None


def test_previewing_twice_and_after_a_commit_stays_exact(demo) -> None:
    """A second preview of the same state, and one after that state changed, each equal their commit."""
    first = uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    again = uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    assert first.preview is not None and again.preview is not None
    assert first.preview.before is not None and again.preview.before is not None
    assert first.preview.after is not None and again.preview.after is not None
    assert_same_report(again.preview.before, first.preview.before)
    assert_same_report(again.preview.after, first.preview.after)
    uploads.commit(demo, first, user=STAFF)
    changed = xlsx(lambda wb: budget_sheet(wb.active, executed_plus(7)))
    later = uploads.prepare(demo, "b.xlsx", changed, district_cd="11560", user=STAFF)
    assert later.preview is not None and later.preview.before is not None and later.preview.after is not None
    year, as_of = later.preview.before.year, later.preview.before.as_of
    assert_same_report(later.preview.before, build_report(demo, "11560", year, as_of))
    uploads.commit(demo, later, user=STAFF)
    assert_same_report(later.preview.after, build_report(demo, "11560", year, as_of))


def test_a_batch_of_no_value_rows_lists_no_change(demo) -> None:
    batch = Batch("11560", "benchmark", "tree.json", b"tree", date(2024, 5, 31), "kim", True)
    preview = uploads.preview(demo, batch)
    assert preview.changes.empty and preview.counts == {"new": 0, "changed": 0, "unchanged": 0}
    assert reference_change_list(demo, batch).empty


def test_a_program_edit_without_an_upload_is_never_served_from_a_kept_report(demo) -> None:
    """Attaching a program changes no upload (the store's data version stays), yet the report "before" follows."""
    first = uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    assert first.preview is not None and first.preview.before is not None
    version = demo.data_version()
    with demo.read() as conn:
        progs = queries.programs(conn, "11560")
    unit = int(progs[progs["parent_id"].isna()]["id"].iloc[0])
    year, as_of = first.preview.before.year, first.preview.before.as_of
    with demo.read() as conn:
        kept = read_inputs(conn, "11560", year, as_of)
    demo.write(lambda conn: attach(conn, "11560", "새 세부사업", None, unit, "kim"))
    assert demo.data_version() == version
    with demo.read() as conn:
        assert not read_inputs(conn, "11560", year, as_of).same_as(kept)  # so the kept report is not reused
    again = uploads.prepare(demo, "a.xlsx", budget_xlsx(), district_cd="11560", user=STAFF)
    assert again.preview is not None and again.preview.before is not None
    assert_same_report(again.preview.before, build_report(demo, "11560", year, as_of))
    with demo.read() as conn:
        assert len(queries.programs(conn, "11560")) == len(progs) + 1


def test_a_kept_rank_follows_a_survey_upload(demo) -> None:
    """The rank of 2025 is computed, then survey rows arrive: the report ranks on them, as a fresh process does."""
    as_of = date(2025, 6, 30)
    build_report(demo, "11560", 2025, as_of)  # keeps the rank of the demo's surveys
    prepared = uploads.prepare(demo, "고용률.csv", kosis_csv(), district_cd="11560", user=STAFF)
    uploads.commit(demo, prepared, user=STAFF)
    kept = build_report(demo, "11560", 2025, as_of)
    forget_ranks()
    fresh = build_report(demo, "11560", 2025, as_of)
    assert (kept.rank, kept.ranked_districts, kept.rank_period) == (1, 25, (2025, 1))
    assert_same_report(kept, fresh)
