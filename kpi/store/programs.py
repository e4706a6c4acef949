"""The program tree on the write path: match a batch's programs to stored nodes, create the new ones, remember
what staff attached.

A program of a file is matched in this order, never by a guess: by its official code; by its exact name; by its
name normalised (Unicode, spaces, brackets, punctuation); by an alias staff attached once. A name matches only
when exactly one program of the department (or of the district, when the file names no department) carries it.
A sub-program (세부사업) that matches nothing and states no unit program goes under the unit "미분류".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.domain.batch import Batch, ProgramSpec
from kpi.domain.catalog import UNASSIGNED_PROGRAM
from kpi.importers.programs import normalise_name
from kpi.store.errors import StoreError
from kpi.store.model import Department, Program, ProgramAlias, Team, table_of


@dataclass(frozen=True)
class Node:
    """A stored program as the matcher sees it."""

    id: int
    name: str
    code: str | None
    parent_id: int | None
    department_id: int | None
    level: str | None


class Tree:
    """A district's programs and aliases, loaded once per write, with the four-step matcher."""

    def __init__(self, conn: Connection, district_cd: str) -> None:
        p, a = table_of(Program), table_of(ProgramAlias)
        rows = conn.execute(
            sa.select(p.c.id, p.c.name, p.c.code, p.c.parent_id, p.c.department_id, p.c.level).where(
                p.c.district_cd == district_cd
            )
        )
        self.nodes: dict[int, Node] = {r.id: Node(*r) for r in rows}
        self.aliases = {
            alias: pid
            for alias, pid in conn.execute(sa.select(a.c.alias, a.c.program_id).where(a.c.district_cd == district_cd))
        }
        self.depts = {
            name: did
            for did, name in conn.execute(
                sa.select(table_of(Department).c.id, table_of(Department).c.name).where(
                    table_of(Department).c.district_cd == district_cd
                )
            )
        }

        self._index()

    def _index(self) -> None:
        """Look-ups by code, name and normalised name (a whole-district file matches thousands of programs)."""
        self.by_code: dict[str, Node] = {}
        self.by_name: dict[str, list[Node]] = {}
        self.by_norm: dict[str, list[Node]] = {}
        for node in self.nodes.values():
            self._put(node)

    def _put(self, node: Node) -> None:
        """Index one node."""
        if node.code:
            self.by_code[node.code] = node
        self.by_name.setdefault(node.name, []).append(node)
        self.by_norm.setdefault(normalise_name(node.name), []).append(node)

    def add(self, node: Node) -> None:
        """Make a node just created findable."""
        self.nodes[node.id] = node
        self._put(node)

    def department_of(self, pid: int) -> int | None:
        """The department of a program: its own, else its nearest ancestor's (None when no ancestor has one)."""
        seen: set[int] = set()
        node: Node | None = self.nodes.get(pid)
        while node is not None and node.id not in seen:
            if node.department_id is not None:
                return node.department_id
            seen.add(node.id)
            node = self.nodes.get(node.parent_id) if node.parent_id is not None else None
        return None

    def _one(self, found: list[Node], dept_id: int | None) -> Node | None:
        """The single candidate, narrowed to the department when the file names one; None when 0 or several."""
        if dept_id is not None and len(found) > 1:
            found = [n for n in found if self.department_of(n.id) in (dept_id, None)]
        return found[0] if len(found) == 1 else None

    def match(self, spec: ProgramSpec, dept_id: int | None) -> tuple[Node | None, str]:
        """The stored node a spec names and how it matched (code, exact, normalised, alias), or (None, 'new')."""
        if spec.code and spec.code in self.by_code:
            return self.by_code[spec.code], "code"

        def usable(found: list[Node]) -> list[Node]:
            """Candidates by name: a node with another code is another program."""
            return [n for n in found if not (spec.code and n.code)]

        hit = self._one(usable(self.by_name.get(spec.name, [])), dept_id)
        if hit is not None:
            return hit, "exact"
        key = normalise_name(spec.name)
        hit = self._one(usable(self.by_norm.get(key, [])), dept_id)
        if hit is not None:
            return hit, "normalised"
        pid = self.aliases.get(key)
        if pid is not None and pid in self.nodes:
            return self.nodes[pid], "alias"
        return None, "new"


def get_or_create(conn: Connection, model: type, match: dict, extra: dict | None = None) -> tuple[int, bool]:
    """Id of the row matching `match`, inserting it (with `extra`) when missing."""
    table = table_of(model)
    cond = sa.and_(*[table.c[k] == v for k, v in match.items()])
    found = conn.execute(sa.select(table.c.id).where(cond)).scalar_one_or_none()
    if found is not None:
        return found, False
    result = conn.execute(table.insert().values(**match, **(extra or {})))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0]), True


class WouldWrite(Exception):
    """Raised by a dry run of resolve_programs at the first write the real run would make."""


def resolve_programs(
    conn: Connection, batch: Batch, upload_id: int, *, dry: bool = False
) -> tuple[dict[str, int], int]:
    """Map every program reference of the batch (code or name) to a node id, creating new nodes parents first.

    Matched first, written after: the new nodes are planned in memory (a placeholder id each, findable at once as a
    stored node would be) and inserted in that order with one statement per run of nodes that does not hold a
    parent of its own, so ids, links and learnt codes are what one INSERT per node in that order gave.
    `dry`: write nothing; raise WouldWrite where the real run would create a node, a department or a team, or
    teach a stored node its code or level (so the ids returned are those a commit would use)."""
    tree = Tree(conn, batch.district_cd)
    specs = {s.ref: s for s in batch.programs}
    refs = set(specs)
    for rows in (batch.budgets, batch.facts, batch.targets):
        refs.update(r.program for r in rows if r.program is not None)
    ids: dict[str, int] = {}
    new: list[dict] = []  # rows to insert; the node planned i-th has the placeholder id -(i + 1)
    learnt: dict[int, dict] = {}  # stored node id -> the code and level it takes
    teams: dict[tuple[int, str], int] = {}

    def department(name: str | None) -> int | None:
        """The id of a department by name, created when new."""
        if not name:
            return None
        if name not in tree.depts:
            if dry:
                raise WouldWrite(name)
            tree.depts[name], _ = get_or_create(conn, Department, {"district_cd": batch.district_cd, "name": name})
        return tree.depts[name]

    def resolve(ref: str, depth: int = 0, level: str | None = None, dept: str | None = None) -> int:
        """The id of a program, planned with its parent first when missing (a cycle deeper than 10 is an error)."""
        if ref in ids:
            return ids[ref]
        if depth > 10:
            raise StoreError(f"program hierarchy of {ref!r} is circular")
        spec = specs.get(ref) or ProgramSpec(ref, level=level, department=dept)
        dept_id = department(spec.department)
        node, _how = tree.match(spec, dept_id)
        if node is not None:
            ids[ref] = node.id
            values = _learnt(node, spec)
            if values and dry:
                raise WouldWrite(ref)
            if values:
                (new[-node.id - 1] if node.id < 0 else learnt.setdefault(node.id, {})).update(values)
            return node.id
        if dry:
            raise WouldWrite(ref)
        row: dict = {"district_cd": batch.district_cd, "name": spec.name, "created_upload_id": upload_id}
        row.update(level=spec.level, code=spec.code, parent_id=None, department_id=None, team_id=None)
        parent = spec.parent
        if parent is None and spec.level == "detail":
            parent = UNASSIGNED_PROGRAM  # a sub-program whose unit the file does not state
        if parent:
            row["parent_id"] = resolve(parent, depth + 1, "unit", spec.department)
        elif spec.policy:
            row["parent_id"] = resolve(spec.policy, depth + 1, "policy", spec.department)
        if dept_id is not None:
            row["department_id"] = dept_id
            if spec.team:
                if (dept_id, spec.team) not in teams:
                    teams[dept_id, spec.team], _ = get_or_create(
                        conn, Team, {"department_id": dept_id, "name": spec.team}
                    )
                row["team_id"] = teams[dept_id, spec.team]
        row["category"] = spec.category
        row["target_groups"] = "|".join(spec.target_groups)
        new.append(row)
        pid = -len(new)
        tree.add(Node(pid, spec.name, spec.code, row["parent_id"], row["department_id"], spec.level))
        ids[ref] = pid
        return pid

    for ref in [*specs, *sorted(refs - set(specs))]:  # the batch's order first: ids follow the report
        resolve(ref)
    real = _insert_planned(conn, new)
    for values, node_ids in _grouped(learnt).items():
        p = table_of(Program)
        stmt = p.update().where(p.c.id == sa.bindparam("node_id")).values({k: sa.bindparam(k) for k in values})
        conn.execute(stmt, [{"node_id": i, **learnt[i]} for i in node_ids])
    return {ref: real[-pid - 1] if pid < 0 else pid for ref, pid in ids.items()}, len(new)


def _insert_planned(conn: Connection, rows: list[dict]) -> list[int]:
    """Insert the planned nodes in order, a run at a time (a run never holds the parent of one of its own nodes),
    placeholder parents replaced by the ids just written; the ids in the rows' order."""
    p = table_of(Program)
    real: list[int] = []
    start = 0
    for end in range(len(rows) + 1):
        parent = rows[end]["parent_id"] if end < len(rows) else None
        if end < len(rows) and not (parent is not None and parent < 0 and -parent - 1 >= start):
            continue  # this node's parent is stored or written by an earlier run: it joins the run
        run = [
            {**r, "parent_id": real[-r["parent_id"] - 1]} if (r["parent_id"] or 0) < 0 else r for r in rows[start:end]
        ]
        if run:
            result = conn.execute(p.insert().returning(p.c.id, sort_by_parameter_order=True), run)
            real.extend(int(i) for i in result.scalars())
        start = end
    return real


def _grouped(learnt: dict[int, dict]) -> dict[tuple[str, ...], list[int]]:
    """Stored node ids by the columns they take (one UPDATE statement for each set of columns)."""
    out: dict[tuple[str, ...], list[int]] = {}
    for node_id, values in learnt.items():
        out.setdefault(tuple(sorted(values)), []).append(node_id)
    return out


def _learnt(node: Node, spec: ProgramSpec) -> dict[str, str]:
    """What a matched node takes from the file: the code and level it states when the node has none yet (the next
    file matches by code)."""
    values = {}
    if spec.code and not node.code:
        values["code"] = spec.code
    if spec.level and not node.level:
        values["level"] = spec.level
    return values


def attach(conn: Connection, district_cd: str, name: str, code: str | None, target_id: int, by: str) -> str:
    """Attach a program as files write it (name, code) to a stored node, remembered for every later file:
    to a 세부사업 it is another name of that node (an alias, and its code when the node has none); to a unit
    program it becomes a new 세부사업 under it. Returns 'alias' or 'child'."""
    tree = Tree(conn, district_cd)
    target = tree.nodes.get(target_id)
    if target is None:
        raise StoreError(f"program {target_id} is not a program of district {district_cd}")
    p, a = table_of(Program), table_of(ProgramAlias)
    has_children = any(n.parent_id == target_id for n in tree.nodes.values())
    if target.level == "detail" or (target.parent_id is not None and not has_children and target.level != "unit"):
        key = normalise_name(name)
        if key in tree.aliases:
            conn.execute(
                a.update().where(a.c.district_cd == district_cd, a.c.alias == key).values(program_id=target_id)
            )
        else:
            conn.execute(
                a.insert().values(district_cd=district_cd, alias=key, name=name, program_id=target_id, created_by=by)
            )
        if code and not target.code:
            conn.execute(p.update().where(p.c.id == target_id).values(code=code))
        return "alias"
    existing, _ = tree.match(ProgramSpec(name, code=code, level="detail"), None)
    if existing is not None and (code and existing.code == code):
        conn.execute(p.update().where(p.c.id == existing.id).values(parent_id=target_id, level="detail"))
        return "child"
    conn.execute(
        p.insert().values(
            district_cd=district_cd,
            name=name,
            code=code,
            level="detail",
            parent_id=target_id,
            department_id=tree.department_of(target_id),
            target_groups="",
        )
    )
    return "child"


def known_tree(conn: Connection, district_cd: str) -> tuple[list[str], frozenset[str], dict[str, str], frozenset[str]]:
    """(names, codes, alias -> program name, unit program names) of a district's stored program tree."""
    tree = Tree(conn, district_cd)
    names = [n.name for n in sorted(tree.nodes.values(), key=lambda n: n.id)]
    codes = frozenset(n.code for n in tree.nodes.values() if n.code)
    aliases = {alias: tree.nodes[pid].name for alias, pid in tree.aliases.items() if pid in tree.nodes}
    has_children = {n.parent_id for n in tree.nodes.values()}
    units = frozenset(
        n.name
        for n in tree.nodes.values()
        if n.level in ("unit", "policy") or (n.level is None and (n.parent_id is None or n.id in has_children))
    )
    return names, codes, aliases, units


def remember_aliases(conn: Connection, district_cd: str, aliases: dict[str, str], ids: dict[str, int], by: str) -> None:
    """Store the names staff attached to a program in this upload, so that the next file matches them."""
    a = table_of(ProgramAlias)
    have = {alias for (alias,) in conn.execute(sa.select(a.c.alias).where(a.c.district_cd == district_cd))}
    for name, target in aliases.items():
        key = normalise_name(name)
        if target in ids and key not in have:
            conn.execute(
                a.insert().values(district_cd=district_cd, alias=key, name=name, program_id=ids[target], created_by=by)
            )
            have.add(key)
