"""What a recogniser extracts from one table, each row with the cell it came from, and the shared context."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from kpi.domain.batch import BudgetRow, FactRow, PeerRow, ProgramSpec, ReasonRow, SurveyRow, TargetRow
from kpi.importers.issues import Issues


class Loc(NamedTuple):
    """Where a value came from: sheet and 0-based grid row/column (a named tuple: a file of 100,000 rows makes
    as many, and a tuple is made several times faster than a frozen dataclass)."""

    sheet: str
    row: int
    col: int


@dataclass
class Context:
    """What the caller told us: district, as-of date (optional), program name for a program box, known programs."""

    district_cd: str
    as_of: date | None = None
    program: str | None = None
    known_programs: Sequence[str] = ()
    issues: Issues = field(default_factory=Issues)
    known_codes: Collection[str] = ()  # official codes of the district's programs
    aliases: Mapping[str, str] = field(default_factory=dict)  # normalised name staff attached -> program name
    attach: Mapping[str, str] = field(default_factory=dict)  # a file's program (code or name) -> a known program
    units: Collection[str] = ()  # names of the known unit programs (attaching to one puts a program under it)
    centre_rows: str | None = None  # a job-centre log's month rows: "monthly" (당월) | "cumulative" (누계) | None


@dataclass
class Extract:
    """Rows read from one table, with locations for later checks (duplicates, program names)."""

    kind: str
    as_of: date | None = None
    programs: list[tuple[str, Loc]] = field(default_factory=list)
    budgets: list[tuple[BudgetRow, Loc]] = field(default_factory=list)
    facts: list[tuple[FactRow, Loc]] = field(default_factory=list)
    surveys: list[tuple[SurveyRow, Loc]] = field(default_factory=list)
    reasons: list[tuple[ReasonRow, Loc]] = field(default_factory=list)  # the template's 사유/조치계획 columns
    targets: list[tuple[TargetRow, Loc]] = field(default_factory=list)  # 목표공시제 plans, the template's targets
    # Programs with what the file says of their place in the tree (code, level, parents, department); a
    # program named in `programs` but not here is matched by name alone.
    specs: list[tuple[ProgramSpec, Loc]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # a name as the file writes it -> the program attached
    peers: list[PeerRow] = field(default_factory=list)  # other governments' 분야/부문 sums (lofin_peers.py)
