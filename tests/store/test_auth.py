"""Accounts on both backends: login lockout kept in the store (injected clock, concurrent attempts counted),
unknown accounts indistinguishable, unlock, and the write-time account check (require_write)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from kpi.cli.commands import main
from kpi.settings import load_settings
from kpi.store import Store, StoreError, auth
from kpi.store.auth import Login, LoginPolicy, User
from kpi.store.model import AppUser

START = datetime(2024, 5, 3, 5, 16, 20, tzinfo=UTC)  # 14:16:20 in Seoul
POLICY = LoginPolicy(max_failures=5, lockout=timedelta(minutes=15), max_lockout=timedelta(hours=1))
PASSWORD = "password-kim"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        """The current (test) time."""
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the time forward."""
        self.now += timedelta(**delta)


class CountingHasher(PasswordHasher):
    """Argon2 with tiny costs, so that many attempts (and threads) stay cheap; counts its verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        """Verify as argon2 does, and count it."""
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def hasher(monkeypatch) -> Iterator[CountingHasher]:
    """The cheap, counting hasher in place of the real one (the logic is the same)."""
    cheap = CountingHasher()
    monkeypatch.setattr(auth, "_hasher", cheap)
    auth._dummy_hash.cache_clear()
    yield cheap
    auth._dummy_hash.cache_clear()


@pytest.fixture
def kim(store: Store) -> str:
    """A fresh store with the staff account kim."""
    auth.add_user(store, "kim", "staff", PASSWORD)
    return "kim"


def state(store: Store, name: str) -> tuple[int, datetime | None]:
    """(failed_logins, locked_until) of an account."""
    t = AppUser.__table__
    with store.engine.connect() as conn:
        return tuple(conn.execute(sa.select(t.c.failed_logins, t.c.locked_until).where(t.c.name == name)).one())


def attempt(store: Store, name: str, password: str, clock: Clock, policy: LoginPolicy = POLICY) -> Login:
    """One login attempt at the clock's time."""
    return auth.authenticate(store, name, password, clock=clock, policy=policy)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(store, kim):
    clock = Clock()
    for _ in range(4):
        result = attempt(store, kim, "wrong-password", clock)
        assert result.user is None and not result.locked and result.message == auth.WRONG_KO
    assert state(store, kim) == (4, None)
    fifth = attempt(store, kim, "wrong-password", clock)
    assert fifth.locked and fifth.locked_until == START + timedelta(minutes=15)
    assert fifth.message.startswith("비밀번호를 5회 잘못 입력해 14:32까지 로그인할 수 없습니다.")
    clock.advance(minutes=14, seconds=59)
    right = attempt(store, kim, PASSWORD, clock)
    assert right.user is None and right.locked and right.message == fifth.message
    assert state(store, kim) == (5, START + timedelta(minutes=15))  # attempts while locked are not counted


def test_the_lock_ends_at_its_time_and_a_success_resets_the_count(store, kim):
    clock = Clock()
    for _ in range(5):
        attempt(store, kim, "wrong-password", clock)
    clock.advance(minutes=15)
    assert attempt(store, kim, PASSWORD, clock).user == User(kim, "staff")
    assert state(store, kim) == (0, None)
    for _ in range(4):
        attempt(store, kim, "wrong-password", clock)
    assert attempt(store, kim, PASSWORD, clock).user == User(kim, "staff")  # 4 failures, then a success
    for _ in range(4):
        assert not attempt(store, kim, "wrong-password", clock).locked  # counted afresh from 0
    assert state(store, kim)[0] == 4


def test_repeated_lockouts_double_up_to_the_cap(store, kim):
    clock = Clock()
    spans = []
    for _ in range(4):
        for _ in range(5):
            result = attempt(store, kim, "wrong-password", clock)
        spans.append(result.locked_until - clock.now)
        clock.now = result.locked_until
    assert spans == [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1), timedelta(hours=1)]
    assert result.message.startswith("비밀번호를 20회 잘못 입력해")
    assert attempt(store, kim, PASSWORD, clock).user is not None
    for _ in range(5):
        result = attempt(store, kim, "wrong-password", clock)
    assert result.locked_until - clock.now == timedelta(minutes=15)  # a success starts the doubling over


def test_lockout_message_in_seoul_time():
    now = datetime(2024, 5, 3, 5, 16, 20, tzinfo=UTC)
    assert auth.lockout_message(5, now + timedelta(minutes=15), now).startswith(
        "비밀번호를 5회 잘못 입력해 14:32까지 로그인할 수 없습니다."
    )
    exact = auth.lockout_message(5, datetime(2024, 5, 3, 5, 32, tzinfo=UTC), now)  # 14:32:00 stays 14:32
    assert exact.startswith("비밀번호를 5회 잘못 입력해 14:32까지")
    assert "5월 4일 14:17까지" in auth.lockout_message(10, now + timedelta(days=1), now)


def test_policy_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("JOBKPI_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("JOBKPI_LOGIN_LOCKOUT_MINUTES", "10")
    monkeypatch.setenv("JOBKPI_LOGIN_LOCKOUT_MAX_MINUTES", "60")
    policy = LoginPolicy.from_settings()
    assert policy == LoginPolicy(3, timedelta(minutes=10), timedelta(hours=1))
    assert [policy.lockout_for(n) for n in (2, 3, 4, 6, 9, 12)] == [
        None,
        timedelta(minutes=10),
        None,
        timedelta(minutes=20),
        timedelta(minutes=40),
        timedelta(hours=1),
    ]
    assert LoginPolicy.from_settings(load_settings({})) == LoginPolicy()  # defaults: 5, 15 min, one day


def test_an_unknown_account_answers_exactly_as_a_wrong_password(store, kim, hasher):
    ghost = f"ghost-{uuid.uuid4().hex[:8]}"  # the in-memory decoy counts are per process: a name of its own
    auth.add_user(store, "park", "staff", "password-park")
    auth.set_role(store, "park", "staff", active=False)
    auth.add_user(store, "oidc@example.kr", "staff", None)
    hasher.verified = 0
    names = (kim, ghost, "park", "oidc@example.kr")
    answers = {name: [] for name in names}
    for name in names:
        clock = Clock()
        for _ in range(6):
            answers[name].append(attempt(store, name, "password-park", clock))
    assert hasher.verified == 4 * 5  # one argon2 verification per attempt until the lock, account or not
    assert all(answers[name] == answers[kim] for name in names)
    assert [a.locked for a in answers[kim]] == [False] * 4 + [True] * 2
    assert attempt(store, "park", "password-park", Clock(START + timedelta(hours=1))).user is None  # inactive


def test_unlock_and_role_change_lift_a_lockout(store, kim, capsys):
    clock = Clock()
    for _ in range(5):
        attempt(store, kim, "wrong-password", clock)
    auth.unlock(store, kim)
    assert state(store, kim) == (0, None)
    assert attempt(store, kim, PASSWORD, clock).user is not None
    for _ in range(5):
        attempt(store, kim, "wrong-password", clock)
    auth.set_role(store, kim, "admin")
    assert attempt(store, kim, PASSWORD, clock).user == User(kim, "admin")
    for _ in range(5):
        attempt(store, kim, "wrong-password", clock)
    assert main(["--database-url", store.url, "user", "unlock", kim]) == 0
    assert "unlocked" in capsys.readouterr().out
    assert attempt(store, kim, PASSWORD, clock).user is not None
    with pytest.raises(StoreError):
        auth.unlock(store, "nobody")


def test_concurrent_failures_are_all_counted(store, kim):
    n = 16
    gate = threading.Barrier(n)

    def fail(policy: LoginPolicy) -> Login:
        gate.wait()
        return attempt(store, kim, "wrong-password", Clock(), policy)

    with ThreadPoolExecutor(n) as pool:
        list(pool.map(fail, [LoginPolicy(max_failures=100)] * n))
    assert state(store, kim) == (n, None)

    auth.unlock(store, kim)
    with ThreadPoolExecutor(n) as pool:  # the 5th failure locks; attempts waiting on the row find it locked
        results = list(pool.map(fail, [POLICY] * n))
    assert state(store, kim) == (5, START + timedelta(minutes=15))
    assert sum(r.locked for r in results) == n - 4
    assert [r.message for r in results if not r.locked] == [auth.WRONG_KO] * 4


@pytest.fixture
def accounts(store: Store) -> Store:
    """kim and park staff, lee admin; park deactivated, choi demoted to viewer."""
    for name, role in (("kim", "staff"), ("park", "staff"), ("lee", "admin"), ("choi", "staff")):
        auth.add_user(store, name, role, None)
    auth.set_role(store, "park", "staff", active=False)
    auth.set_role(store, "choi", "viewer")
    return store


def test_require_write_reads_the_account_in_the_write_transaction(accounts):
    with accounts.engine.begin() as conn:
        assert auth.require_write(conn, User("kim", "staff")) == "staff"
        assert auth.require_write(conn, User("lee", "admin")) == "admin"
        with pytest.raises(StoreError, match="사용 중지되어 저장할 수 없습니다"):
            auth.require_write(conn, User("park", "staff"))  # the session still says staff
        with pytest.raises(StoreError, match="열람자여서 저장할 수 없습니다"):
            auth.require_write(conn, User("choi", "staff"))
        with pytest.raises(StoreError, match="'nobody' 계정이 없어"):
            auth.require_write(conn, User("nobody", "admin"))
        with pytest.raises(StoreError, match="열람자여서"):
            auth.require_write(conn, User("anonymous", "viewer"))


def test_require_write_on_a_revert(accounts):
    with accounts.engine.begin() as conn:
        assert auth.require_write(conn, User("kim", "staff"), owner="kim") == "staff"
        assert auth.require_write(conn, User("lee", "admin"), owner="kim") == "admin"
        with pytest.raises(StoreError, match="다른 사람이 올린 업로드는 되돌릴 수 없습니다"):
            auth.require_write(conn, User("kim", "staff"), owner="lee")
        with pytest.raises(StoreError, match="다른 사람이 올린"):
            auth.require_write(conn, User("kim", "admin"), owner="lee")  # the store's role wins over the session's
        with pytest.raises(StoreError, match="사용 중지"):
            auth.require_write(conn, User("park", "staff"), owner="park")


def test_require_write_takes_the_command_line_at_its_word(accounts):
    with accounts.engine.begin() as conn:
        assert auth.require_write(conn, User("cli", "admin", system=True)) == "admin"  # no account needed
        assert auth.require_write(conn, User("cli", "admin", system=True), owner="kim") == "admin"
        with pytest.raises(StoreError, match="열람자여서"):
            auth.require_write(conn, User("cli", "viewer", system=True))
        with pytest.raises(StoreError, match="다른 사람이 올린"):
            auth.require_write(conn, User("cli", "staff", system=True), owner="kim")


def test_require_write_holds_the_account_until_the_write_ends(accounts):
    if accounts.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time anyway")
    t = AppUser.__table__
    with accounts.engine.begin() as writer, accounts.engine.connect() as admin:
        auth.require_write(writer, User("kim", "staff"))
        with pytest.raises(sa.exc.OperationalError, match="could not obtain lock"):  # a deactivation would wait
            admin.execute(sa.select(t.c.id).where(t.c.name == "kim").with_for_update(nowait=True))
