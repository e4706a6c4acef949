"""Program resolution on commit plans the new nodes and writes them in a few statements; the result is what one
INSERT per program gave (the former resolve_programs, kept here as the oracle): the same ids, created programs,
departments, teams, tree links, learnt codes and levels, and aliases, over random sequences of batches on each
backend."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.domain.batch import Batch, BudgetRow, ProgramSpec
from kpi.domain.catalog import UNASSIGNED_PROGRAM
from kpi.store import Store
from kpi.store import engine as store_engine
from kpi.store.errors import StoreError
from kpi.store.model import Department, Program, Team, table_of
from kpi.store.programs import Node, Tree, get_or_create

Resolver = Callable[[Connection, Batch, int], tuple[dict[str, int], int]]


def oracle_resolve(conn: Connection, batch: Batch, upload_id: int) -> tuple[dict[str, int], int]:
    """The former resolve_programs: one statement per new program, in resolution order."""
    tree = Tree(conn, batch.district_cd)
    specs = {s.ref: s for s in batch.programs}
    refs = set(specs)
    for rows in (batch.budgets, batch.facts, batch.targets):
        refs.update(r.program for r in rows if r.program is not None)
    ids: dict[str, int] = {}
    created = 0

    def department(name: str | None) -> int | None:
        if not name:
            return None
        if name not in tree.depts:
            tree.depts[name], _ = get_or_create(conn, Department, {"district_cd": batch.district_cd, "name": name})
        return tree.depts[name]

    def resolve(ref: str, depth: int = 0, level: str | None = None, dept: str | None = None) -> int:
        nonlocal created
        if ref in ids:
            return ids[ref]
        if depth > 10:
            raise StoreError(f"program hierarchy of {ref!r} is circular")
        spec = specs.get(ref) or ProgramSpec(ref, level=level, department=dept)
        dept_id = department(spec.department)
        node, _how = tree.match(spec, dept_id)
        p = table_of(Program)
        if node is not None:
            ids[ref] = node.id
            values = {}
            if spec.code and not node.code:
                values["code"] = spec.code
            if spec.level and not node.level:
                values["level"] = spec.level
            if values:
                conn.execute(p.update().where(p.c.id == node.id).values(**values))
            return node.id
        extra: dict = {"created_upload_id": upload_id, "level": spec.level, "code": spec.code}
        parent = spec.parent
        if parent is None and spec.level == "detail":
            parent = UNASSIGNED_PROGRAM
        if parent:
            extra["parent_id"] = resolve(parent, depth + 1, "unit", spec.department)
        elif spec.policy:
            extra["parent_id"] = resolve(spec.policy, depth + 1, "policy", spec.department)
        if dept_id is not None:
            extra["department_id"] = dept_id
            if spec.team:
                extra["team_id"], _ = get_or_create(conn, Team, {"department_id": dept_id, "name": spec.team})
        extra["category"] = spec.category
        extra["target_groups"] = "|".join(spec.target_groups)
        result = conn.execute(p.insert().values(district_cd=batch.district_cd, name=spec.name, **extra))
        key = result.inserted_primary_key
        assert key is not None
        pid = int(key[0])
        tree.add(Node(pid, spec.name, spec.code, extra.get("parent_id"), extra.get("department_id"), spec.level))
        created += 1
        ids[ref] = pid
        return pid

    for ref in [*specs, *sorted(refs - set(specs))]:
        resolve(ref)
    return ids, created


NAMES = ["청년 일자리", "청년일자리", "청년 일자리(본청)", "기본경비", "신중년 사업", "신중년사업", "공공근로",
         "공공 근로", "직업훈련", "창업 지원", "창업지원", UNASSIGNED_PROGRAM]  # fmt: skip
CODES = [None, None, None, "1001", "1002", "0003", "2001"]
DEPTS = [None, None, "일자리정책과", "경제과"]


def random_batch(rng: random.Random, n: int, aliases_from: list[str]) -> Batch:
    """A batch of random program specs (names alike once normalised, codes, levels, parents, departments, teams),
    budget rows naming them and some names only, and aliases to programs of an earlier batch."""
    specs = []
    for _ in range(rng.randint(1, 9)):
        specs.append(
            ProgramSpec(
                rng.choice(NAMES),
                parent=rng.choice([None, None, None, *NAMES]),
                department=rng.choice(DEPTS),
                team=rng.choice([None, "일자리팀", "지원팀"]),
                category=rng.choice([None, "employment_service"]),
                target_groups=rng.choice([(), ("youth",), ("youth", "senior")]),
                code=rng.choice(CODES),
                level=rng.choice([None, None, "unit", "detail", "policy"]),
                policy=rng.choice([None, None, None, "일자리 정책"]),
            )
        )
    refs = list(dict.fromkeys([s.ref for s in specs] + rng.sample(NAMES, rng.randint(0, 3))))
    aliases = {f"별칭 {n} {i}": t for i, t in enumerate(rng.sample(aliases_from, min(2, len(aliases_from))))}
    return Batch(
        district_cd="11560",
        kind="budget_table",
        filename=f"b{n}.xlsx",
        content=f"{n}-{rng.random()}".encode(),
        as_of=date(2024, 5, 31),
        uploaded_by="staff1",
        programs=specs,
        budgets=[BudgetRow(r, 2024 - i, "total", 1_000) for i, r in enumerate(refs)],  # two refs may be one program
        aliases=aliases,
    )


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """The program tree's tables, row by row in id order."""
    out = {}
    with store.engine.connect() as conn:
        for name in ("program", "department", "team", "programalias"):
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            out[name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id))]
    return out


def renumbered(snap: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The snapshot with program ids replaced by their rank: PostgreSQL does not give back the sequence values a
    failed (rolled back) commit took, and the former way had inserted some programs before it failed."""
    rank = {row[0]: i for i, row in enumerate(snap["program"], 1)}
    programs = [(rank[r[0]], r[1], rank.get(r[2]), *r[3:]) for r in snap["program"]]
    aliases = [(*r[:-2], rank[r[-2]], r[-1]) for r in snap["programalias"]]
    return {**snap, "program": programs, "programalias": aliases}


def outcome(store: Store, batch: Batch) -> object:
    """The commit's programs_created, or the kind of error it raised."""
    try:
        return store.commit(batch).programs_created
    except Exception as exc:  # both ways must fail alike (a circular tree, a code taken twice)
        return type(exc).__name__


@pytest.mark.parametrize("seed", range(40))
def test_resolution_matches_one_insert_per_program(seed: int, make_store, monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = make_store(), make_store()
    rng = random.Random(seed)
    seen: list[str] = []
    failed = False
    resolved: dict[str, list[tuple[dict[str, int], int]]] = {"ours": [], "theirs": []}

    def recorded(fn: Resolver, log: list[tuple[dict[str, int], int]]) -> Resolver:
        def call(conn: Connection, batch: Batch, upload_id: int) -> tuple[dict[str, int], int]:
            log.append(fn(conn, batch, upload_id))
            return log[-1]

        return call

    for n in range(3):
        batch = random_batch(rng, n, seen)
        with monkeypatch.context() as m:
            m.setattr(store_engine, "resolve_programs", recorded(store_engine.resolve_programs, resolved["ours"]))
            got = outcome(ours, batch)
            m.setattr(store_engine, "resolve_programs", recorded(oracle_resolve, resolved["theirs"]))
            want = outcome(theirs, batch)
        assert got == want
        if failed and ours.engine.dialect.name == "postgresql":
            assert [c for _ids, c in resolved["ours"]] == [c for _ids, c in resolved["theirs"]]
            assert renumbered(snapshot(ours)) == renumbered(snapshot(theirs))
        else:
            assert resolved["ours"] == resolved["theirs"]
            assert snapshot(ours) == snapshot(theirs)
        failed = failed or isinstance(got, str)
        seen += [s.ref for s in batch.programs]


def test_a_deep_new_tree_is_written_parents_first(store) -> None:
    specs = [ProgramSpec(f"세부 {i}", parent=f"단위 {i // 3}", policy="정책", level="detail") for i in range(9)]
    specs += [ProgramSpec(f"단위 {i}", policy="정책", level="unit", department="일자리정책과") for i in range(3)]
    batch = Batch("11560", "budget_table", "t.xlsx", b"t", date(2024, 5, 31), "staff1", programs=specs)
    assert store.commit(batch).programs_created == 13
    rows = snapshot(store)["program"]
    ids = {r[5]: r[0] for r in rows}  # name -> id (column order of the model: id, district, parent, dept, team, name)
    parents = {r[5]: r[2] for r in rows}
    assert parents["세부 4"] == ids["단위 1"] and parents["단위 1"] == ids["정책"] and parents["정책"] is None
    assert [r[5] for r in rows][:4] == ["정책", "단위 0", "세부 0", "세부 1"]
