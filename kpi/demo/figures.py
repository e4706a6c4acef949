"""The seed reports' figures, read from the CSV tables in kpi/demo/data/ (see its README.md for each file).

The tables are UTF-8 (a byte-order mark, as Excel writes it, is accepted), one row per figure, in the order
the documents list them; this module only types them. Amounts stay in the documents' units (천원, 백만원).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib.resources import files
from typing import NamedTuple

SOURCES = ("national", "city", "district")  # funding-source columns of a program box, in the report's order


class Document(NamedTuple):
    """A seed document as a demo upload: its kind, the file name it is kept under, district, as-of date, note."""

    kind: str
    filename: str
    district_cd: str
    as_of: date
    note: str


class UnitProgram(NamedTuple):
    """A unit program (단위사업) of the 예산현황 table; budget and executed in 천원."""

    name: str
    team: str | None
    category: str
    budget: int
    executed: int


class ProgramBox(NamedTuple):
    """A program box of the report: budget and executed in 천원, as stated in total and by funding source."""

    name: str
    parent: str | None  # None: the box is a unit program itself
    team: str
    category: str
    groups: tuple[str, ...]
    budget: int
    budget_by_source: dict[str, int]
    executed: int
    executed_by_source: dict[str, int]


class Result(NamedTuple):
    """A program's results as of the report date, metric code -> value, in the report's order."""

    name: str
    parent: str
    team: str
    category: str
    groups: tuple[str, ...]
    metrics: dict[str, int]


class PledgeFigure(NamedTuple):
    """A pledge-card figure: people for target/actual, 백만원 for budget; unit is the item's unit as stored."""

    pledge: str
    item: str | None  # None: the pledge as a whole
    year: int
    measure: str
    source: str
    unit: str
    value: int


class JobFair(NamedTuple):
    """A job fair held: the program, its department and team, the day, firms and visitors."""

    program: str
    department: str
    team: str
    day: date
    firms: int
    visitors: int


class DistrictTarget(NamedTuple):
    """A yearly target of a district as a document states it (basis for rates)."""

    document: str
    year: int
    metric: str
    basis: str
    value: int | float


class DistrictActual(NamedTuple):
    """A district figure to a month as a document states it."""

    document: str
    year: int
    month: int
    metric: str
    value: int


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a data file as {column: text}, in file order."""
    text = (files("kpi.demo") / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def number(text: str) -> int | float:
    """A figure as written: whole numbers stay int (13000), others are float (70.9, 61.0)."""
    return int(text) if text.lstrip("-").isdigit() else float(text)


def optional(text: str) -> str | None:
    """An empty cell is None."""
    return text or None


def groups(text: str) -> tuple[str, ...]:
    """Target groups written '|'-separated ('구직자|중장년')."""
    return tuple(text.split("|")) if text else ()


def by_source(row: dict[str, str], measure: str) -> dict[str, int]:
    """The filled `<measure>_<source>` cells of a row, in SOURCES order."""
    return {s: int(row[f"{measure}_{s}"]) for s in SOURCES if row[f"{measure}_{s}"]}


def load_documents() -> dict[str, Document]:
    """documents.csv: document key -> Document."""
    return {
        r["document"]: Document(r["kind"], r["filename"], r["district_cd"], date.fromisoformat(r["as_of"]), r["note"])
        for r in read_table("documents.csv")
    }


def load_unit_programs() -> tuple[UnitProgram, ...]:
    """unit_programs.csv: seed 003 예산현황 (천원, 5.31.기준)."""
    return tuple(
        UnitProgram(
            r["program"],
            optional(r["team"]),
            r["category"],
            int(r["budget_thousand_won"]),
            int(r["executed_thousand_won"]),
        )
        for r in read_table("unit_programs.csv")
    )


def load_program_boxes() -> tuple[ProgramBox, ...]:
    """program_boxes.csv: seed 003 program boxes (천원); a stated total is kept even when its parts differ."""
    return tuple(
        ProgramBox(
            r["program"],
            optional(r["parent"]),
            r["team"],
            r["category"],
            groups(r["target_groups"]),
            int(r["budget_thousand_won"]),
            by_source(r, "budget"),
            int(r["executed_thousand_won"]),
            by_source(r, "executed"),
        )
        for r in read_table("program_boxes.csv")
    )


def load_results() -> tuple[Result, ...]:
    """results.csv: seed 003 results, one row per program and metric, gathered per program in file order."""
    out: dict[str, Result] = {}
    for r in read_table("results.csv"):
        name = r["program"]
        if name not in out:
            out[name] = Result(name, r["parent"], r["team"], r["category"], groups(r["target_groups"]), {})
        out[name].metrics[r["metric"]] = int(r["value"])
    return tuple(out.values())


def load_public_jobs() -> dict[str, dict[str, int]]:
    """public_jobs.csv: seed 003 public-job budgets, program -> source -> 백만원."""
    out: dict[str, dict[str, int]] = {}
    for r in read_table("public_jobs.csv"):
        out.setdefault(r["program"], {})[r["source"]] = int(r["budget_million_won"])
    return out


def load_pledge_card() -> tuple[PledgeFigure, ...]:
    """pledge_card.csv: seed 004 pledge card."""
    return tuple(
        PledgeFigure(
            r["pledge"], optional(r["item"]), int(r["year"]), r["measure"], r["source"], r["unit"], int(r["value"])
        )
        for r in read_table("pledge_card.csv")
    )


def load_job_fairs() -> tuple[JobFair, ...]:
    """job_fairs.csv: seed 004 job fairs."""
    return tuple(
        JobFair(
            r["program"],
            r["department"],
            r["team"],
            date.fromisoformat(r["date"]),
            int(r["firms"]),
            int(r["visitors"]),
        )
        for r in read_table("job_fairs.csv")
    )


def load_targets() -> tuple[DistrictTarget, ...]:
    """targets.csv: district targets stated in the documents."""
    return tuple(
        DistrictTarget(r["document"], int(r["year"]), r["metric"], r["basis"], number(r["value"]))
        for r in read_table("targets.csv")
    )


def load_actuals() -> tuple[DistrictActual, ...]:
    """district_actuals.csv: district figures stated in the documents."""
    return tuple(
        DistrictActual(r["document"], int(r["year"]), int(r["month"]), r["metric"], int(r["value"]))
        for r in read_table("district_actuals.csv")
    )


def load_employment_rates() -> dict[tuple[str, int, int], float]:
    """employment_rates.csv: known 고용률 (15세 이상), (district, year, half) -> %."""
    return {
        (r["district_cd"], int(r["year"]), int(r["half"])): float(r["rate_15_plus"])
        for r in read_table("employment_rates.csv")
    }
