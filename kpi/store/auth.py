"""Accounts and roles: viewer (no login), staff (upload, revert own uploads), admin (everything).

Local accounts keep an argon2id hash; OIDC users (st.login) are matched by e-mail to an account
without a password. No password or hash lives in the repository.

Logins are rate-limited per account in the store (appuser.failed_logins, appuser.locked_until), so the
limit holds across app servers and restarts: every `max_failures` consecutive wrong passwords lock the
account, the first time for `lockout`, each further time twice as long up to `max_lockout`; while it is
locked even the right password is refused. A success, `unlock` or a role change resets the count.

Writes re-check the account inside their own transaction (`require_write`): a session opened before a
deactivation or a demotion cannot write any more.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from kpi.settings import Settings, load_settings
from kpi.store import Store, StoreError
from kpi.store.model import AppUser, table_of

ROLES = ("viewer", "staff", "admin")
WRITER_ROLES = ("staff", "admin")
KST = timezone(timedelta(hours=9), "KST")  # Asia/Seoul (no daylight saving), for times shown to users
WRONG_KO = "아이디 또는 비밀번호가 맞지 않습니다."
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """Who is acting, and in which role. `system` marks the server's own door (the command line): not an account."""

    name: str
    role: str = "viewer"
    system: bool = False

    @property
    def can_upload(self) -> bool:
        """Staff and admins upload."""
        return self.role in WRITER_ROLES

    def can_revert(self, uploaded_by: str) -> bool:
        """Admins revert any upload; staff only their own."""
        return self.role == "admin" or (self.role == "staff" and uploaded_by == self.name)

    @property
    def can_manage_users(self) -> bool:
        """Only admins manage users."""
        return self.role == "admin"


ANONYMOUS = User("anonymous", "viewer")


def _utcnow() -> datetime:
    """The current time, aware, in UTC (the default clock of authenticate)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class LoginPolicy:
    """How many consecutive wrong passwords lock an account, and for how long."""

    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)
    max_lockout: timedelta = timedelta(days=1)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> LoginPolicy:
        """The policy set by the JOBKPI_LOGIN_* settings (failures, first and longest lockout)."""
        s = settings or load_settings()
        return cls(
            max(1, s.login_max_failures),
            timedelta(minutes=s.login_lockout_minutes),
            timedelta(minutes=max(s.login_lockout_minutes, s.login_lockout_max_minutes)),
        )

    def lockout_for(self, failures: int) -> timedelta | None:
        """The lockout that the failures-th consecutive failure starts, or None when it starts none."""
        if failures <= 0 or failures % self.max_failures:
            return None
        doublings = min(failures // self.max_failures - 1, 32)
        return min(self.lockout * 2**doublings, self.max_lockout)


@dataclass(frozen=True)
class Login:
    """The outcome of a login attempt: the user, or (user None) the Korean message saying why not."""

    user: User | None
    message: str = ""
    locked_until: datetime | None = None

    @property
    def locked(self) -> bool:
        """True when the attempt was refused because the account is locked."""
        return self.locked_until is not None


def lockout_message(failures: int, until: datetime, now: datetime) -> str:
    """The Korean message of a locked account, with the end of the lock in Asia/Seoul time (rounded up)."""
    local = until.astimezone(KST)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    same_day = local.date() == now.astimezone(KST).date()
    when = f"{local:%H:%M}" if same_day else f"{local.month}월 {local.day}일 {local:%H:%M}"
    return (
        f"비밀번호를 {failures}회 잘못 입력해 {when}까지 로그인할 수 없습니다. "
        "급하면 관리자에게 잠금 해제를 요청하십시오."
    )


def _locked(failures: int, until: datetime, now: datetime) -> Login:
    """A refusal because the account is locked until `until`."""
    return Login(None, lockout_message(failures, until, now), until)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no account, so that every attempt costs the same."""
    return _hasher.hash("timing-equaliser")


def _verify(password_hash: str | None, password: str) -> bool:
    """True when the password matches the hash; always does one argon2 computation."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class _Decoys:
    """Failure counts of names that are no account, kept in memory, so that they lock like accounts do
    (a lockout message must not tell that an account exists). Bounded; the oldest names are forgotten."""

    def __init__(self, size: int = 10_000) -> None:
        """Remember at most `size` unknown names, oldest forgotten first."""
        self._size = size
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, tuple[int, datetime | None]] = OrderedDict()

    def locked(self, name: str, now: datetime) -> Login | None:
        """The refusal of a name that is locked at `now`, else None."""
        with self._lock:
            failures, until = self._seen.get(name, (0, None))
        return _locked(failures, until, now) if until is not None and until > now else None

    def fail(self, name: str, now: datetime, policy: LoginPolicy) -> Login:
        """Count a failed attempt on a name without an account, as the store counts one on an account."""
        with self._lock:
            failures, until = self._seen.pop(name, (0, None))
            if until is not None and until > now:  # locked meanwhile by a concurrent attempt
                self._seen[name] = (failures, until)
                return _locked(failures, until, now)
            failures += 1
            span = policy.lockout_for(failures)
            new_until = now + span if span else None
            self._seen[name] = (failures, new_until or until)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)
        return _locked(failures, new_until, now) if new_until else Login(None, WRONG_KO)


_decoys = _Decoys()


@contextmanager
def _counter_transaction(store: Store) -> Iterator[Connection]:
    """A short transaction for the login counters: READ COMMITTED on PostgreSQL, so that concurrent
    attempts on one account wait for each other's row lock and then see its new count."""
    if store.engine.dialect.name != "postgresql":  # SQLite: take the store's write lock, waiting behind an import
        with store.write_transaction() as conn:
            yield conn
        return
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="READ COMMITTED")
        with conn.begin():
            yield conn


def _unlocked(now: datetime) -> sa.ColumnElement[bool]:
    """The account is not locked at `now`."""
    t = table_of(AppUser)
    return sa.or_(t.c.locked_until.is_(None), t.c.locked_until <= now)


def authenticate(
    store: Store,
    name: str,
    password: str,
    *,
    clock: Callable[[], datetime] = _utcnow,
    policy: LoginPolicy | None = None,
) -> Login:
    """Check a password against an active local account; count failures and refuse a locked account."""
    policy = policy or LoginPolicy.from_settings()
    name = name.strip()
    now = clock()
    t = table_of(AppUser)
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(t.c.id, t.c.password_hash, t.c.active, t.c.failed_logins, t.c.locked_until).where(
                t.c.name == name
            )
        ).first()
    if row is None:  # answer exactly as an account would: refuse while "locked", else the same argon2 work
        if refused := _decoys.locked(name, now):
            return refused
        _verify(None, password)
        return _decoys.fail(name, now, policy)
    if row.locked_until is not None and row.locked_until > now:
        return _locked(row.failed_logins, row.locked_until, now)
    good = _verify(row.password_hash, password) and row.active
    with _counter_transaction(store) as conn:
        if good:  # one statement: reset the count unless a concurrent attempt locked the account meanwhile
            fresh = conn.execute(
                t.update()
                .where(t.c.id == row.id, t.c.active.is_(True), _unlocked(now))
                .values(failed_logins=0, locked_until=None)
                .returning(t.c.role)
            ).first()
            if fresh is not None:
                return Login(User(name, fresh.role))
        else:  # one statement: count the failure unless the account is locked (then it is not counted)
            failures = conn.execute(
                t.update()
                .where(t.c.id == row.id, _unlocked(now))
                .values(failed_logins=t.c.failed_logins + 1)
                .returning(t.c.failed_logins)
            ).scalar_one_or_none()
            if failures is not None:
                span = policy.lockout_for(failures)
                if span is None:
                    return Login(None, WRONG_KO)
                # In the same transaction: on PostgreSQL the row stays locked until both are committed, so
                # the attempts waiting on it find the account locked and are not counted.
                conn.execute(t.update().where(t.c.id == row.id).values(locked_until=now + span))
                return _locked(failures, now + span, now)
        state = conn.execute(sa.select(t.c.failed_logins, t.c.locked_until).where(t.c.id == row.id)).first()
    if state is not None and state.locked_until is not None and state.locked_until > now:
        return _locked(state.failed_logins, state.locked_until, now)
    return Login(None, WRONG_KO)


def unlock(store: Store, name: str) -> None:
    """Lift an account's lockout and clear its count of failed logins (`jobkpi user unlock NAME`)."""
    t = table_of(AppUser)
    with _counter_transaction(store) as conn:
        done = conn.execute(t.update().where(t.c.name == name).values(failed_logins=0, locked_until=None)).rowcount
    if not done:
        raise StoreError(f"user {name!r} does not exist")


def add_user(store: Store, name: str, role: str, password: str | None) -> User:
    """Create an account; a password (at least 8 characters) is hashed with argon2id, never stored."""
    name = name.strip()
    if not name:
        raise StoreError("a user name is required")
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if password is not None and len(password) < 8:
        raise StoreError("a password needs at least 8 characters")
    table = table_of(AppUser)
    password_hash = None if password is None else _hasher.hash(password)

    def work(conn: Connection) -> None:
        """Insert the account unless one of that name exists."""
        if conn.execute(sa.select(table.c.id).where(table.c.name == name)).first():
            raise StoreError(f"user {name!r} already exists")
        conn.execute(
            table.insert().values(
                name=name,
                role=role,
                password_hash=password_hash,
                created_at=datetime.now(UTC),
                active=True,
                failed_logins=0,
            )
        )

    store.write(work)  # writers take turns, so two people adding one name at once get one account
    return User(name, role)


def list_users(store: Store) -> list[tuple[str, str, bool, bool]]:
    """(name, role, has a password, active) of every account."""
    t = table_of(AppUser)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.name, t.c.role, t.c.password_hash, t.c.active).order_by(t.c.name))
        return [(n, r, h is not None, bool(a)) for n, r, h, a in rows]


def set_role(store: Store, name: str, role: str, active: bool = True) -> None:
    """Change a user's role or deactivate the account; this also lifts a login lockout."""
    if role not in ROLES:
        raise StoreError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    t = table_of(AppUser)
    with _counter_transaction(store) as conn:
        done = conn.execute(
            t.update().where(t.c.name == name).values(role=role, active=active, failed_logins=0, locked_until=None)
        ).rowcount
    if not done:
        raise StoreError(f"user {name!r} does not exist")


def active_account(store: Store, name: str) -> User | None:
    """The account as it stands now (re-read for a local session on every rerun), or None if inactive or gone."""
    t = table_of(AppUser)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(t.c.role, t.c.active).where(t.c.name == name)).first()
    return User(name, row.role) if row is not None and row.active else None


def role_of(store: Store, name: str) -> User:
    """The account of an OIDC-identified user (by e-mail); unknown or inactive people are viewers."""
    return active_account(store, name) or User(name, "viewer")


def _account(conn: Connection, name: str) -> sa.Row | None:
    """(role, active) of an account, read in the caller's transaction; on PostgreSQL the row is share-locked
    until that transaction ends, so a deactivation or role change waits for a write already under way."""
    t = table_of(AppUser)
    return conn.execute(sa.select(t.c.role, t.c.active).where(t.c.name == name).with_for_update(read=True)).first()


def require_write(conn: Connection, user: User, owner: str | None = None) -> str:
    """Raise StoreError (Korean) unless the user may write now: an active staff or admin account, and for a
    revert (owner = who uploaded) an admin or the uploader. Call inside the write transaction. Returns the role.

    Only a `system` user (the command line, the server's own door) is taken as it says, without an account."""
    viewer = "계정 권한이 열람자여서 저장할 수 없습니다. 권한이 필요하면 관리자에게 문의하십시오."
    if user.role not in WRITER_ROLES:
        raise StoreError(viewer)
    role = user.role
    if not user.system:
        row = _account(conn, user.name)
        if row is None:
            raise StoreError(f"'{user.name}' 계정이 없어 저장할 수 없습니다. 관리자에게 문의하십시오.")
        if not row.active:
            raise StoreError("계정이 사용 중지되어 저장할 수 없습니다. 관리자에게 문의하십시오.")
        if row.role not in WRITER_ROLES:
            raise StoreError(viewer)
        role = row.role
    if owner is not None and role != "admin" and owner != user.name:
        raise StoreError(
            "다른 사람이 올린 업로드는 되돌릴 수 없습니다. 담당자는 본인이 올린 업로드만 되돌릴 수 있습니다."
        )
    return role
