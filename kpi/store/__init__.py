"""The store: the only place with SQL. Model, migrations, the one write path and every read.

Code outside the store names a database connection as `kpi.store.Connection` and never imports SQLAlchemy.
"""

from sqlalchemy.engine import Connection

from kpi.store.engine import CommitResult, Store, StoreError, revert_upload, write_batch

__all__ = ["CommitResult", "Connection", "Store", "StoreError", "revert_upload", "write_batch"]
