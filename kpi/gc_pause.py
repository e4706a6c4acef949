"""Cyclic garbage collection paused while a file is read or written: those steps create hundreds of thousands of
short-lived objects without cycles, and the collector's full passes over them cost as much as the parse itself."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off, turning it back on after if it was on (reference counting
    still frees everything without cycles; overlapping blocks in other threads leave it on at the end)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
