"""The store: the only place with SQL. Model, migrations, the one write path and every read.

Code outside the store names a database connection as `kpi.store.Connection` and never imports SQLAlchemy.
"""

from sqlalchemy.engine import Connection
from sqlalchemy.sql import FromClause as Rows  # rows a read takes in place of a table's (a preview's state)

from kpi.store.engine import CommitResult, Store, StoreError, revert_upload, write_batch

__all__ = ["CommitResult", "Connection", "Rows", "Store", "StoreError", "revert_upload", "write_batch"]
