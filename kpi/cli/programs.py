"""`jobkpi programs`: the district's program tree, and attaching a program as files write it to a stored one."""

from __future__ import annotations

import argparse

from kpi.store import Store, queries
from kpi.store.programs import attach

COMMANDS = ("programs",)


def register(sub: argparse._SubParsersAction, district_type) -> None:
    """Add `programs list` and `programs map` to the CLI."""
    programs = sub.add_parser("programs", help="the program tree").add_subparsers(
        dest="programs_command", required=True
    )
    ls = programs.add_parser("list", help="programs of a district: id, level, code, name, parent, department")
    ls.add_argument("--district", type=district_type, required=True)
    mp = programs.add_parser(
        "map",
        help="attach a program as a file writes it to a stored program, remembered for every later file: "
        "to a 세부사업 it becomes another name of it; to a 단위사업 a new 세부사업 under it",
    )
    mp.add_argument("name", help="the name as the file writes it")
    mp.add_argument("--code", help="its code in the file (e.g. the 16-digit 세부사업코드)")
    mp.add_argument("--to", required=True, help="the stored program: its id or exact name")
    mp.add_argument("--district", type=district_type, required=True)
    mp.add_argument("--by", default="cli", help="who attached it (recorded)")


def run(args: argparse.Namespace, store: Store) -> str:
    """Execute `programs list` or `programs map`."""
    with store.read() as conn:
        frame = queries.programs(conn, args.district)
    if args.programs_command == "list":
        if frame.empty:
            return "no programs"
        cols = [c for c in ("id", "level", "code", "name", "parent_id", "department") if c in frame]
        return frame[cols].to_string(index=False)
    target = _target(frame, args.to)
    how = store.write(lambda conn: attach(conn, args.district, args.name, args.code, target, args.by))
    name = frame.set_index("id").at[target, "name"]
    what = "another name of" if how == "alias" else "a sub-program under"
    return f"'{args.name}' is now {what} '{name}' (program {target}); later files match it"


def _target(frame, text: str) -> int:
    """The id of a stored program given by id or exact name (an error naming the choices when ambiguous)."""
    if text.isdigit() and int(text) in set(frame["id"]):
        return int(text)
    hits = frame[frame["name"] == text]
    if len(hits) == 1:
        return int(hits["id"].iloc[0])
    if hits.empty:
        raise ValueError(f"no program named {text!r}; see `jobkpi programs list`")
    raise ValueError(f"several programs are named {text!r} (ids {', '.join(map(str, hits['id']))}); give the id")
