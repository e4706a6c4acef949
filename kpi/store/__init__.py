"""The store: the only place with SQL. Model, migrations, the one write path and every read."""

from kpi.store.engine import CommitResult, Store, StoreError, revert_upload, write_batch

__all__ = ["CommitResult", "Store", "StoreError", "revert_upload", "write_batch"]
