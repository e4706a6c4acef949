"""Accounts and roles: viewer (no login), staff (upload, revert own uploads), admin (everything).

Local accounts keep an argon2id hash; OIDC users (st.login) are matched by e-mail to an account
without a password. No password or hash lives in the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kpi.model import AppUser
from kpi.store import Store, StoreError

ROLES = ("viewer", "staff", "admin")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """Who is acting, and in which role."""

    name: str
    role: str = "viewer"

    @property
    def can_upload(self) -> bool:
        """Staff and admins upload."""
        return self.role in ("staff", "admin")

    def can_revert(self, uploaded_by: str) -> bool:
        """Admins revert any upload; staff only their own."""
        return self.role == "admin" or (self.role == "staff" and uploaded_by == self.name)

    @property
    def can_manage_users(self) -> bool:
        """Only admins manage users."""
        return self.role == "admin"


ANONYMOUS = User("anonymous", "viewer")


def add_user(store: Store, name: str, role: str, password: str | None) -> User:
    """Create an account; a password (at least 8 characters) is hashed with argon2id, never stored."""
    name = name.strip()
    if not name:
        raise StoreError("a user name is required")
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if password is not None and len(password) < 8:
        raise StoreError("a password needs at least 8 characters")
    table = AppUser.__table__
    with store.engine.begin() as conn:
        if conn.execute(sa.select(table.c.id).where(table.c.name == name)).first():
            raise StoreError(f"user {name!r} already exists")
        conn.execute(
            table.insert().values(
                name=name,
                role=role,
                password_hash=None if password is None else _hasher.hash(password),
                created_at=datetime.now(UTC),
                active=True,
            )
        )
    return User(name, role)


def list_users(store: Store) -> list[tuple[str, str, bool, bool]]:
    """(name, role, has a password, active) of every account."""
    t = AppUser.__table__
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.name, t.c.role, t.c.password_hash, t.c.active).order_by(t.c.name))
        return [(n, r, h is not None, bool(a)) for n, r, h, a in rows]


def set_role(store: Store, name: str, role: str, active: bool = True) -> None:
    """Change a user's role or deactivate the account."""
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    t = AppUser.__table__
    with store.engine.begin() as conn:
        done = conn.execute(t.update().where(t.c.name == name).values(role=role, active=active)).rowcount
    if not done:
        raise StoreError(f"user {name!r} does not exist")


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when the password matches an active local account, else None."""
    t = AppUser.__table__
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(t.c.role, t.c.password_hash, t.c.active).where(t.c.name == name.strip())).first()
    if row is None or not row.active or row.password_hash is None:
        _hasher.hash("timing-equaliser")  # do the same work whether or not the account exists
        return None
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(name.strip(), row.role)


def role_of(store: Store, name: str) -> User:
    """The account of an OIDC-identified user (by e-mail); unknown or inactive people are viewers."""
    t = AppUser.__table__
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(t.c.role, t.c.active).where(t.c.name == name)).first()
    return User(name, row.role if row is not None and row.active else "viewer")
