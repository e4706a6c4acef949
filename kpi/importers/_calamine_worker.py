"""Child process: parse one workbook with python-calamine under an address-space and CPU limit.

Run by path, never imported by the app: `python -I -S _calamine_worker.py SITE_DIR PARAMS_JSON`, the file
bytes on stdin, one pickle of plain values (dict, list, str, int, float, bool, datetime types) on stdout.
It imports only the standard library and python_calamine, so that it starts in a few tens of milliseconds,
and it sets its own limits before it reads a byte of the file (no preexec_fn: the app server has threads).
A native abort or an allocation failure here ends this process only; the parent turns it into a refusal.
"""

from __future__ import annotations

import io
import json
import pickle
import resource
import sys
import time
from collections.abc import Sequence


def set_limits(memory_bytes: int, cpu_seconds: int) -> list[str]:
    """Lower RLIMIT_AS (soft = hard), RLIMIT_CPU (hard a second later), no core dumps; returns limits not set."""
    failed = []
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort leaves no core file behind
    except (ValueError, OSError):
        failed.append("RLIMIT_CORE")
    for name, kind, value, slack in (
        ("RLIMIT_AS", resource.RLIMIT_AS, memory_bytes, 0),
        ("RLIMIT_CPU", resource.RLIMIT_CPU, cpu_seconds, 1),
    ):
        _soft, hard = resource.getrlimit(kind)
        top = value + slack if hard == resource.RLIM_INFINITY else min(value + slack, hard)
        try:
            resource.setrlimit(kind, (min(value, top), top))
        except (ValueError, OSError):
            failed.append(name)
    return failed


MAX_SHARED = 100_000  # distinct texts made one object each; past this the rest of the sheet is left as read


def share_texts(rows: list) -> dict[str, str] | None:
    """Make equal texts of the rows one object, row by row in place (the pickle then writes each distinct text once,
    and the parent reads back a few thousand strings instead of one per cell); the distinct texts, or None when
    there were more than MAX_SHARED (the rest is left as read, so that memory stays what the rows take)."""
    memo: dict[str, str] = {}
    one = memo.setdefault
    for r, row in enumerate(rows):
        rows[r] = [one(v, v) if type(v) is str else v for v in row]
        if len(memo) > MAX_SHARED:
            return None
    return memo


def nul_cells(rows: Sequence[Sequence[object]], limit: int = 5) -> list[tuple[int, int]]:
    """Positions (row, col) of the first text cells that hold a NUL character."""
    out: list[tuple[int, int]] = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if type(value) is str and "\x00" in value:
                out.append((r, c))
                if len(out) >= limit:
                    return out
    return out


def parse(content: bytes, params: dict[str, object]) -> dict[str, object]:
    """Read every worksheet into rows of Python values, skipping hidden or oversized sheets as told."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
    except pc.PasswordError:
        return {"status": "encrypted"}
    except MemoryError:
        raise
    except BaseException as exc:  # calamine raises several types (a Rust panic is a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return {"status": "error", "detail": f"{type(exc).__name__}: {exc}"[:500]}
    max_rows, max_cols, max_cells = (int(params[k]) for k in ("max_rows", "max_cols", "max_cells"))  # type: ignore[call-overload]
    sheets: list[dict[str, object]] = []
    with book:
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            entry: dict[str, object] = {"name": meta.name, "hidden": hidden}
            sheets.append(entry)
            if hidden and params["hidden_sheets"] == "skip":
                entry["skipped"] = True
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                end = sheet.end
                entry["end"] = tuple(end) if end is not None else None
                if end is not None and (
                    end[0] + 1 > max_rows or end[1] + 1 > max_cols or (end[0] + 1) * (end[1] + 1) > max_cells
                ):
                    entry["too_big"] = True
                    continue
                rows = sheet.to_python(skip_empty_area=False) if end is not None else []
                texts = share_texts(rows)
                entry["rows"] = rows
                entry["merged"] = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
                entry["nul_cells"] = (
                    [] if texts is not None and not any("\x00" in t for t in texts) else nul_cells(rows)
                )
            except MemoryError:
                raise
            except BaseException as exc:  # a damaged sheet part
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
                entry["error"] = f"{type(exc).__name__}: {exc}"[:500]
    return {"status": "ok", "sheets": sheets}


def peak_rss_kb() -> int:
    """Peak resident memory of this process image in KB: VmHWM (ru_maxrss would include the parent's before exec)."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    """Set the limits, read the file from stdin, parse it, and write the result as one pickle to stdout."""
    started = time.perf_counter()
    site, params = sys.argv[1], json.loads(sys.argv[2])
    failed = set_limits(int(params["memory_bytes"]), int(params["cpu_seconds"]))
    sys.path.insert(0, site)
    content = sys.stdin.buffer.read()
    try:
        result = parse(content, params)
    except MemoryError:
        result = {"status": "memory"}
    result["limits_not_set"] = failed
    result["peak_rss_kb"] = peak_rss_kb()
    result["seconds"] = time.perf_counter() - started
    try:
        pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        sys.exit(3)


if __name__ == "__main__":
    main()
