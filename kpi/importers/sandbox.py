"""Run the python-calamine parse in a child process with memory, CPU and time limits, and read back its result.

The child (`_calamine_worker.py`) is started by path with `-I -S`, so it imports only the standard library
and python_calamine; its answer is a pickle read with an unpickler that admits only datetime types.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)
WORKER = Path(__file__).with_name("_calamine_worker.py")
_ALLOWED = {
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "time"): dt.time,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
}


@dataclass
class ChildResult:
    """What the child said: status ok/encrypted/error, or memory/timeout/crashed when it hit a limit or died."""

    status: str
    payload: dict[str, object] = field(default_factory=dict)
    detail: str = ""
    seconds: float = 0.0

    @property
    def hit_limit(self) -> bool:
        """True when the child ran out of memory or time, or died (an abort is almost always an allocation)."""
        return self.status in ("memory", "timeout", "crashed")


class _SafeUnpickler(pickle.Unpickler):
    """Admit only the datetime types calamine returns; anything else in the stream is refused."""

    def find_class(self, module: str, name: str) -> object:
        """The class if it is one of the datetime types, else an error."""
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"refused global {module}.{name}") from None


@cache
def _site_dir() -> str:
    """The directory python_calamine is installed in (found without importing it here)."""
    spec = importlib.util.find_spec("python_calamine")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("python_calamine is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))).parent)


def _as_file(content: bytes) -> BinaryIO:
    """The bytes in an anonymous in-memory file, at its start: the child's stdin, or (empty) its stdout.

    Not pipes: a pipe takes 4 KB per write, and each write waited for the GIL while the parent's pre-scan of the
    same file ran, so a 500 KB file reached the child over hundreds of milliseconds before it could start (and
    its answer came back as slowly). A file is written at once and read once the child has exited."""
    try:
        fd = os.memfd_create("upload", os.MFD_CLOEXEC)
    except (AttributeError, OSError):  # not Linux, or no memfd: an unnamed temporary file
        f: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the caller's with-block
    else:
        f = os.fdopen(fd, "w+b")
    f.write(content)
    f.flush()
    f.seek(0)
    return f


class CalamineJob:
    """One parse in a child process, started at once; `result()` waits for it, `cancel()` kills it.

    The parent may do other work meanwhile (the pre-scan of the same file): the two overlap on two cores.
    """

    def __init__(
        self,
        content: bytes,
        *,
        memory_mb: int,
        timeout_s: float,
        max_rows: int,
        max_cols: int,
        max_cells: int,
        hidden_sheets: str,
    ) -> None:
        """Start the child with the limits (memory_mb of address space, timeout_s of wall and CPU time)."""
        params = {
            "memory_bytes": memory_mb * 1024 * 1024,
            "cpu_seconds": max(1, int(timeout_s + 0.999)),
            "max_rows": max_rows,
            "max_cols": max_cols,
            "max_cells": max_cells,
            "hidden_sheets": hidden_sheets,
        }
        self.timeout_s = timeout_s
        self.started = time.perf_counter()
        self.outcome: ChildResult | None = None
        self.answer: tuple[bytes, bytes] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            cmd = [sys.executable, "-I", "-S", str(WORKER), _site_dir(), json.dumps(params)]
            self.out = _as_file(b"")
            with _as_file(content) as stdin:
                self.proc = subprocess.Popen(
                    cmd,
                    stdin=stdin,
                    stdout=self.out,
                    stderr=subprocess.PIPE,
                    env={"PATH": os.defpath, "LC_ALL": "C.UTF-8"},
                )
        except (OSError, RuntimeError, ValueError) as exc:
            if hasattr(self, "out"):
                self.out.close()
            log.error("cannot start the parsing child: %s", exc)
            self.outcome = ChildResult("unavailable", detail=str(exc))
            return
        self.thread = threading.Thread(target=self._talk, name="calamine-child", daemon=True)
        self.thread.start()

    def _talk(self) -> None:
        """Wait for the child (in a thread) and read its answer from its output file; a timeout kills it."""
        assert self.proc is not None
        try:
            _none, stderr = self.proc.communicate(timeout=self.timeout_s)
            self.out.seek(0)
            self.answer = (self.out.read(), stderr)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            self.outcome = ChildResult("timeout", detail=f"no answer within {self.timeout_s:g} s")
        except (OSError, ValueError) as exc:  # the child went away while we read (it was killed)
            self.proc.kill()
            self.proc.wait()
            self.outcome = ChildResult("crashed", detail=f"{type(exc).__name__}: {exc}")
        finally:
            self.out.close()

    def cancel(self) -> None:
        """Stop the child (the file was refused without it) and reap it."""
        if self.proc is not None and self.outcome is None:
            self.proc.kill()
            self.thread.join()

    def result(self) -> ChildResult:
        """Wait for the child and read its answer; never raises."""
        if self.proc is not None:
            self.thread.join()
        seconds = time.perf_counter() - self.started
        if self.outcome is not None:
            self.outcome.seconds = seconds
            return self.outcome
        assert self.proc is not None and self.answer is not None
        stdout, stderr = self.answer
        code = self.proc.returncode
        if code != 0:
            why = (
                f"signal {signal.Signals(-code).name}"
                if code < 0 and -code in signal.valid_signals()
                else f"exit {code}"
            )
            tail = stderr[-300:].decode("utf-8", "replace").strip().splitlines()
            log.warning("parsing child died (%s): %s", why, tail[-1] if tail else "")
            return ChildResult("crashed", detail=why, seconds=seconds)
        try:
            payload = _SafeUnpickler(io.BytesIO(stdout)).load()
        except Exception as exc:  # a truncated or foreign stream
            return ChildResult("crashed", detail=f"unreadable answer: {type(exc).__name__}", seconds=seconds)
        if not isinstance(payload, dict):
            return ChildResult("crashed", detail="unreadable answer", seconds=seconds)
        if payload.get("limits_not_set"):
            log.warning("parsing child could not set %s", payload["limits_not_set"])
        return ChildResult(str(payload.get("status", "crashed")), payload, str(payload.get("detail", "")), seconds)


def run_calamine(content: bytes, **limits: object) -> ChildResult:
    """Parse the bytes in a limited child process and wait for it (see CalamineJob); never raises."""
    return CalamineJob(content, **limits).result()  # type: ignore[arg-type]
