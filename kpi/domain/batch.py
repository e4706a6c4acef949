"""An upload batch: what one file (or one demo document) says, ready for the store's one write path.

Importers turn a file into a Batch; the demo builder makes Batches from the seed reports;
`Store.commit` writes a Batch in one transaction. Money is in 원 (int), rates in percent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property


@dataclass(frozen=True)
class ProgramSpec:
    """A program the batch refers to; created on commit when the district has no program of that name."""

    name: str
    parent: str | None = None  # the unit program (단위사업) of a sub-program (세부사업), by name
    department: str | None = None  # e.g. 일자리정책과
    team: str | None = None  # e.g. 일자리사업팀
    category: str | None = None  # a key of catalog.PROGRAM_CATEGORIES
    target_groups: tuple[str, ...] = ()
    code: str | None = None  # official code as text, leading zeros kept (세부사업코드: 16 digits)
    level: str | None = None  # a key of catalog.PROGRAM_LEVELS: policy | unit | detail
    policy: str | None = None  # the 정책사업 above the unit program, by name

    @property
    def ref(self) -> str:
        """How value rows refer to this program: its code when the file gives one, else its name."""
        return self.code or self.name


@dataclass(frozen=True)
class BudgetRow:
    """Budget of a program for a year and funding source; `current` is 예산현액 when stated."""

    program: str
    year: int
    source: str  # a key of catalog.FUNDING_SOURCES; "total" is the stated total
    original: int | None  # 예산액, 원
    current: int | None = None  # 예산현액, 원
    origin: str = ""  # the source kind that stated it (a key of catalog.ORIGINS); set when the batch is assembled


@dataclass(frozen=True)
class FactRow:
    """One monthly figure: program (None = the district as a whole), month, metric, value."""

    program: str | None
    year: int
    month: int
    metric: str  # a key of catalog.METRIC_BY_CODE
    value: int
    source: str = "total"  # funding source for money metrics, else "total"
    origin: str = ""  # the source kind that stated it (a key of catalog.ORIGINS); set when the batch is assembled


@dataclass(frozen=True)
class TargetRow:
    """A yearly target of a program (or of the district when program is None)."""

    program: str | None
    year: int
    metric: str
    value: float
    basis: str = ""  # "15+" or "15-64" for employment-rate targets
    origin: str = ""  # the source kind that stated it (a key of catalog.ORIGINS); set when the batch is assembled


@dataclass(frozen=True)
class SurveyRow:
    """A regional survey figure (지역별고용조사) of a district for a half-year."""

    district_cd: str
    year: int
    half: int  # 1 = 상반기, 2 = 하반기
    indicator: str  # a key of catalog.SURVEY_INDICATORS (ranked rates), or of SURVEY_COUNTS (kept, not ranked)
    basis: str  # "15+" or "15-64"
    value: float
    source: str = "통계청 지역별고용조사"


@dataclass(frozen=True)
class PledgeRow:
    """A pledge-card figure: target, actual or budget of a pledge (item None = the pledge as a whole)."""

    pledge: str
    item: str | None
    year: int
    measure: str  # target | actual | budget
    value: int  # people for target/actual, 원 for budget
    source: str = "total"
    unit: str = "명"


@dataclass(frozen=True)
class ReasonRow:
    """Staff's 사유 (why the program lags) and 조치계획 (what next) for a program and month, as written."""

    program: str
    year: int
    month: int
    reason: str = ""
    action: str = ""


@dataclass(frozen=True)
class PeerRow:
    """One local government's execution in one 분야/부문 as a 지방재정365 snapshot states it (sum over its 세부사업),
    kept for peer comparison; amounts in 원."""

    fiscal_year: int
    as_of: date
    government: str  # laf_cd when the file gives one, else 자치단체명: the government's key
    laf_name: str  # 자치단체명 as written ('서울영등포구')
    province: str  # the 시도's short name ('서울'): kpi/domain/provinces.py
    sig_cd: str | None  # SIG_CD when it is one of the 25 Seoul districts
    field_name: str  # 분야명
    part_name: str  # 부문명
    budget_current: int  # 예산현액
    executed: int  # 지출액
    programs: int  # number of 세부사업 summed


@dataclass
class Batch:
    """Everything one upload says, with where it came from."""

    district_cd: str
    kind: str  # e.g. budget_table, job_centre, template, kostat_csv, demo, reason
    filename: str
    content: bytes
    as_of: date | None = None
    uploaded_by: str = "system"
    is_sample: bool = False
    note: str = ""
    programs: list[ProgramSpec] = field(default_factory=list)
    budgets: list[BudgetRow] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    surveys: list[SurveyRow] = field(default_factory=list)
    pledges: list[PledgeRow] = field(default_factory=list)
    reasons: list[ReasonRow] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # a name as files write it -> the program staff attached
    peers: list[PeerRow] = field(default_factory=list)  # 지방재정365 execution of other governments (not counted)

    @cached_property
    def sha256(self) -> str:
        """sha256 of the original file bytes, computed on first use and kept (content is never reassigned)."""
        return hashlib.sha256(self.content).hexdigest()

    @property
    def row_count(self) -> int:
        """Number of value rows the batch carries."""
        return sum(len(x) for x in (self.budgets, self.facts, self.targets, self.surveys, self.pledges, self.reasons))
