"""The store's one exception type."""

from __future__ import annotations


class StoreError(Exception):
    """A problem the user can act on (bad batch, unknown upload, unreachable database)."""
