"""Uploads' original files as the store keeps them (`upload.content` with `upload.content_codec`).

A file larger than PACK_MIN_BYTES is kept zstd-compressed when that makes it smaller (a national 지방재정365 CSV
of 82 MB keeps in 14 MB); smaller files, and files that do not shrink (xlsx is zip already), are kept as
they came, codec "". Rows written before migration 0008 are raw (codec "").
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import zstandard

from kpi.store.errors import StoreError

RAW, ZSTD = "", "zstd"
PACK_MIN_BYTES = 64 * 1024  # smaller files are kept as they came: compressing them saves next to nothing
# zstd level 1, one thread: 82 MB of 지방재정365 CSV in ~0.2 s to 17 % (levels 2-3: 2-3x the time, 18 %); zstd's
# worker threads (threads=-1) gained nothing reliable on the shared 2-core server.
PACK_LEVEL = 1


def pack(content: bytes) -> tuple[bytes, str]:
    """(stored bytes, codec): zstd at PACK_LEVEL when the file exceeds PACK_MIN_BYTES and shrinks, else raw ("")."""
    if len(content) <= PACK_MIN_BYTES:
        return content, RAW
    # a compressor per call: zstandard's compressors are not safe to share between the app's threads
    packed = zstandard.ZstdCompressor(level=PACK_LEVEL).compress(content)  # the frame states the file's size
    return (packed, ZSTD) if len(packed) < len(content) else (content, RAW)


_packer = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jobkpi-pack")  # zstd releases the GIL


def pack_soon(content: bytes) -> Future[tuple[bytes, str]]:
    """pack(content) begun on a worker thread, so that a file is compressed while its upload is parsed (in the
    parsing child) and previewed; its result is what pack(content) returns."""
    return _packer.submit(pack, content)


def unpack(stored: bytes, codec: str) -> bytes:
    """The original file bytes: stored as they are for codec "", zstd-decompressed for "zstd"; others refused."""
    if codec == RAW:
        return bytes(stored)
    if codec == ZSTD:
        if zstandard.frame_content_size(stored) >= 0:  # pack's frames state the size: one allocation, one pass
            return zstandard.ZstdDecompressor().decompress(stored)
        with zstandard.ZstdDecompressor().stream_reader(stored) as reader:  # a frame without its size
            return reader.read()
    raise StoreError(
        f"업로드 원본 파일의 저장 형식 '{codec[:10]}'을(를) 이 프로그램이 읽지 못합니다. "
        "프로그램을 최신 버전으로 올린 뒤 다시 내려받고, 계속되면 관리자에게 알려 주세요."
    )
