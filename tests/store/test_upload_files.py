"""Uploads' original files: kept zstd-compressed when that pays (kpi/store/files.py), read back byte for byte
(queries.original_file), only by the district's staff, rows written before migration 0008 read as they are."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

from kpi.domain.batch import Batch
from kpi.store import Store, StoreError, queries, uploads, write_batch
from kpi.store import engine as store_engine
from kpi.store.auth import User
from kpi.store.engine import alembic_config
from kpi.store.files import PACK_MIN_BYTES, RAW, ZSTD, pack, unpack
from kpi.store.model import Upload, table_of
from kpi.views import upload as upload_view
from tests.corpus_factory import budget_xlsx
from tests.factories import budget_batch, migrated_to, with_accounts

STAFF, VIEWER = User("kim", "staff"), User("lee", "viewer")
OTHER_DISTRICT = "11740"  # 강동구


def national_csv(rows: int) -> bytes:
    """A 지방재정365-like CSV of `rows` 세부사업 lines (repetitive like the real file, numbers varying)."""
    rnd = random.Random(rows)
    head = "회계연도,자치단체명,세부사업코드,세부사업명,분야명,부문명,예산현액,지출액\n"
    lines = [
        f"2024,서울영등포구,{rnd.randrange(10**15, 10**16)},일자리 사업 {i % 97},사회복지,노동,"
        f"{rnd.randrange(10**6, 10**10)},{rnd.randrange(0, 10**9)}\n"
        for i in range(rows)
    ]
    return (head + "".join(lines)).encode()


def file_batch(content: bytes, name: str = "세출현황.csv", district: str = "11560") -> Batch:
    """A small budget batch carrying `content` as its original file."""
    return dataclasses.replace(budget_batch({"A": (1_000, 400)}, district=district, name=name), content=content)


def stored(store: Store, upload_id: int) -> tuple[bytes, str, int]:
    """(content as kept, codec, size) of an upload row."""
    u = table_of(Upload)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(u.c.content, u.c.content_codec, u.c.size).where(u.c.id == upload_id)).one()
    return bytes(row.content), row.content_codec, row.size


# --- pack and unpack


@pytest.mark.parametrize(
    ("content", "codec"),
    [
        (b"", RAW),  # empty
        (b"program,budget\nA,1000\n", RAW),  # small: kept as it came
        (b"x" * PACK_MIN_BYTES, RAW),  # at the threshold: still raw
        (national_csv(5_000), ZSTD),  # large and repetitive: compressed
        (random.Random(1).randbytes(300_000), RAW),  # large but incompressible (like xlsx, a zip): raw
    ],
    ids=["empty", "small", "threshold", "large-csv", "incompressible"],
)
def test_pack_and_unpack_round_trip(content: bytes, codec: str) -> None:
    kept, used = pack(content)
    assert used == codec
    assert unpack(kept, used) == content
    if codec == ZSTD:
        assert len(kept) < len(content) / 3
    else:
        assert kept == content


def test_unpack_refuses_an_unknown_codec_in_korean() -> None:
    with pytest.raises(StoreError, match="저장 형식 'lz4'"):
        unpack(b"abc", "lz4")


def test_batch_hashes_its_file_once_and_stays_a_plain_dataclass() -> None:
    batch = file_batch(b"file bytes")
    assert "sha256" not in {f.name for f in dataclasses.fields(Batch)}
    first = batch.sha256
    assert batch.__dict__["sha256"] == first  # kept after the first read
    assert batch == file_batch(b"file bytes")  # equality ignores the kept hash
    assert dataclasses.replace(batch, content=b"other").sha256 != first  # a new Batch hashes its own file


# --- the store


def test_a_large_csv_is_kept_compressed_and_comes_back_byte_identical(store: Store) -> None:
    content = national_csv(20_000)
    batch = file_batch(content)
    done = store.commit(batch)
    kept, codec, size = stored(store, done.upload_id)
    assert codec == ZSTD and len(kept) < len(content) / 3 and size == len(content)
    with store.read() as conn:
        assert queries.original_file(conn, done.upload_id, "11560") == ("세출현황.csv", content)
        assert queries.uploads(conn, "11560").loc[0, "sha256"] == batch.sha256


def test_the_commit_keeps_the_file_as_compressed_while_it_was_prepared(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uploads.prepare compresses the file beside the parse; the commit stores that, compressing nothing again."""
    content = budget_xlsx()
    staff = with_accounts(store, STAFF)
    prepared = uploads.prepare(staff, "예산현황.xlsx", content, district_cd="11560", user=STAFF)
    assert prepared.packed is not None and prepared.packed.result() == pack(content)

    def again(_content: bytes) -> tuple[bytes, str]:
        raise AssertionError("the file was compressed again at commit")

    monkeypatch.setattr(store_engine, "pack", again)
    done = uploads.commit(staff, prepared, user=STAFF)
    with store.read() as conn:
        assert queries.original_file(conn, done.upload_id, "11560") == ("예산현황.xlsx", content)


def test_a_small_file_is_kept_as_it_came(store: Store) -> None:
    batch = file_batch(b"A,1000,400\n", name="예산현황.xlsx")
    done = store.commit(batch)
    assert stored(store, done.upload_id) == (b"A,1000,400\n", RAW, 11)
    with store.read() as conn:
        assert queries.original_file(conn, done.upload_id, "11560") == ("예산현황.xlsx", b"A,1000,400\n")


def test_another_districts_upload_or_an_unknown_one_is_refused(store: Store) -> None:
    done = store.commit(file_batch(national_csv(2_000)))
    with store.read() as conn:
        assert queries.original_file(conn, done.upload_id, OTHER_DISTRICT) is None
        assert queries.original_file(conn, done.upload_id + 1, "11560") is None


def test_a_preview_keeps_no_file(store: Store) -> None:
    with store.write_transaction() as conn:
        done = write_batch(conn, file_batch(national_csv(2_000)), keep_file=False)
        assert queries.original_file(conn, done.upload_id, "11560") is None
        conn.rollback()


def test_the_download_is_for_staff_of_the_district_only(store: Store) -> None:
    with_accounts(store, STAFF, VIEWER)
    content = national_csv(2_000)
    done = store.commit(file_batch(content))
    assert upload_view.original_download(store, STAFF, done.upload_id, "11560") == content
    with pytest.raises(StoreError, match="담당자·관리자만"):
        upload_view.original_download(store, VIEWER, done.upload_id, "11560")
    with pytest.raises(StoreError, match="이 자치구에 없습니다"):
        upload_view.original_download(store, STAFF, done.upload_id, OTHER_DISTRICT)
    with pytest.raises(StoreError, match="담당자·관리자만"):  # a staff session whose account was removed meanwhile
        upload_view.original_download(store, User("gone", "staff"), done.upload_id, "11560")


def test_the_history_offers_uploaded_files_under_their_own_names() -> None:
    history = pd.DataFrame(
        {
            "id": [5, 4, 3, 2],
            "filename": ["세출현황.csv", "사유·조치계획 2024.05 A", "demo/003_예산현황.json", "실적/예산 6월.xlsx"],
            "kind": ["lofin365", "reason", "budget_table", "budget_table"],
            "uploaded_by": ["kim", "kim", "demo", "lee"],
            "size": [10, 10, 10, 10],
        }
    )
    offered = upload_view.original_files(history)
    assert [(f.upload_id, f.file_name, f.mime) for f in offered] == [
        (5, "세출현황.csv", "text/csv"),
        (2, "예산 6월.xlsx", upload_view.XLSX_MIME),
    ]


# --- a store migrated from 0007


@pytest.fixture
def store_at_0007(empty_database) -> Iterator[Store]:
    """A store of the current backend migrated to 0007 only (before upload.content_codec)."""
    store = migrated_to(empty_database, "0007")
    yield store
    store.engine.dispose()


def content_storage(store: Store) -> str | None:
    """PostgreSQL's storage of upload.content ('x' extended, 'e' external); None on SQLite."""
    if store.engine.dialect.name != "postgresql":
        return None
    with store.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT attstorage FROM pg_attribute WHERE attrelid = 'upload'::regclass AND attname = 'content'")
        ).scalar_one()


def test_a_file_kept_before_the_migration_still_reads(store_at_0007: Store) -> None:
    store = store_at_0007
    old = national_csv(2_000)  # large, but written raw before files were packed
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO upload (id, kind, filename, sha256, content, size, uploaded_by, uploaded_at,"
                " district_cd, row_count, is_sample, note, status)"
                " VALUES (1, 'lofin365', '옛 세출현황.csv', 'x', :c, :n, 'kim', :at, '11560', 0, false, '',"
                " 'committed')"
            ),
            {"c": old, "n": len(old), "at": "2024-06-01 00:00:00"},
        )
    assert content_storage(store) in (None, "x")
    store.upgrade()
    assert content_storage(store) in (None, "e")  # PostgreSQL no longer compresses the (packed) files again
    assert stored(store, 1) == (old, RAW, len(old))
    with store.read() as conn:
        assert queries.original_file(conn, 1, "11560") == ("옛 세출현황.csv", old)
    new = national_csv(3_000)
    done = store.commit(file_batch(new))
    assert stored(store, done.upload_id)[1] == ZSTD
    with store.write_transaction(rebuilds_tables=True) as conn:  # and back down: PostgreSQL's default storage again
        cfg = alembic_config(store.url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    assert content_storage(store) in (None, "x")
