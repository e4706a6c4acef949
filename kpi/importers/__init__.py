"""Spreadsheet importer: parse_upload turns uploaded bytes into a Batch plus issues, and never raises."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from kpi.domain.batch import Batch, BudgetRow, FactRow, PeerRow, ProgramSpec, ReasonRow, SurveyRow, TargetRow
from kpi.domain.catalog import JOB_CENTRE_PROGRAM, ORIGIN_OF_KIND
from kpi.domain.districts import BY_SIG
from kpi.gc_pause import paused_gc
from kpi.importers.budget import read_money_table
from kpi.importers.conventions import fmt_dec
from kpi.importers.ehojo import is_ehojo, read_ehojo
from kpi.importers.extract import Context, Extract, Loc
from kpi.importers.goal import is_goal_table, read_goal
from kpi.importers.issues import Issue, Issues, clip
from kpi.importers.job_centre import read_job_centre
from kpi.importers.kostat import explain_kosis, is_kosis_header, read_kostat
from kpi.importers.lofin import is_lofin, read_lofin
from kpi.importers.lofin_columnar import LofinSheet, read_upload
from kpi.importers.programs import ProgramMatch, match_program, normalise_name
from kpi.importers.reader import ImportLimits, SheetGrid
from kpi.importers.tables import Header, around, body_rows, find_headers, table_end
from kpi.importers.template import is_template, read_template, write_template
from kpi.store.model import Department, Pledge, PledgeItem, Program, Team, Upload, column_length

log = logging.getLogger(__name__)

__all__ = [
    "ImportLimits",
    "ImportResult",
    "Issue",
    "KnownTree",
    "ProgramMatch",
    "classify",
    "match_program",
    "normalise_name",
    "parse_upload",
    "write_template",
]


# Names a file can carry, with the longest text the store keeps (from kpi/model.py) and the Korean label.
NAME_LIMITS: dict[str, tuple[int, str]] = {
    "program": (column_length(Program, "name"), "사업명"),
    "department": (column_length(Department, "name"), "부서명"),
    "team": (column_length(Team, "name"), "팀명"),
    "pledge": (column_length(Pledge, "title"), "공약명"),
    "item": (column_length(PledgeItem, "name"), "공약 세부 항목명"),
}
KIND_LENGTH = column_length(Upload, "kind")


@dataclass(frozen=True)
class KnownTree:
    """What the district's program tree holds beyond names: codes, remembered aliases, unit programs, and what
    staff attach in this upload (a file's program, by code or name -> a known program)."""

    codes: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)
    units: frozenset[str] = frozenset()
    attach: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The outcome of an upload: a Batch (None when any error), every issue, and the kind of file recognised."""

    batch: Batch | None
    issues: list[Issue] = field(default_factory=list)
    kind: str = "unknown"
    stats: dict[str, float] = field(default_factory=dict)  # child_peak_mb, child_seconds when a child parsed
    # Sub-programs of a file without department (지방재정365) that the district's tree does not know: left out
    # unless staff attach them (parse_upload's `attach`).
    excluded: list[ProgramSpec] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        """Issues that block the import."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """Issues shown to the user that do not block the import."""
        return [i for i in self.issues if i.severity == "warning"]


def classify(header: Header) -> str | None:
    """The kind of table a header starts, judged by its header words alone."""
    f = header.fields
    if is_template(header):
        return "template"
    if is_lofin(header):  # before budget_table: it also names 세부사업명, 예산현액 and 지출액
        return "lofin365"
    if is_ehojo(header):  # before budget_table: it also names 단위사업명, 본예산, 예산현액 and 집행액
        return "ehojo"
    if is_kosis_header(header):  # 행정구역별 (C1_NM, C1) with period columns or a 시점 (PRD_DE) column
        return "kostat_csv"
    has_money = bool(f & {"budget", "budget_current"}) and "executed" in f
    if has_money:
        return "budget_table" if "program" in f else "program_box"
    if is_goal_table(header):
        return "goal_disclosure"
    if {"job_seekers", "placements"} <= f:
        return "job_centre"
    return None


def parse_upload(
    filename: str,
    content: bytes,
    *,
    district_cd: str,
    as_of: date | None = None,
    known_programs: Sequence[str] = (),
    uploaded_by: str = "system",
    program: str | None = None,
    limits: ImportLimits | None = None,
    tree: KnownTree | None = None,
    centre_rows: str | None = None,
) -> ImportResult:
    """Read an upload into a Batch and issues; any failure becomes an 'internal_error' issue, never an exception.
    centre_rows says how a job-centre log's month rows read when the file does not: "monthly" or "cumulative"."""
    issues = Issues()
    try:
        with paused_gc():
            return _parse(
                filename,
                content,
                district_cd,
                as_of,
                known_programs,
                uploaded_by,
                program,
                limits or ImportLimits(),
                issues,
                tree or KnownTree(),
                centre_rows,
            )
    except Exception as exc:  # the promise: no input bytes make this raise
        log.exception("import failed for %s", filename)
        issues.error(
            "internal_error",
            "파일을 처리하는 중 예기치 못한 문제가 생겼습니다. 파일을 엑셀에서 "
            "다시 저장해 올리고, 계속되면 담당자에게 알려 주세요.",
            f"Unexpected error while reading the file: {type(exc).__name__}: {exc}",
            value=filename,
        )
        return ImportResult(None, list(issues), "unknown")


def _parse(
    filename: str,
    content: bytes,
    district_cd: str,
    as_of: date | None,
    known: Sequence[str],
    uploaded_by: str,
    program: str | None,
    limits: ImportLimits,
    issues: Issues,
    tree: KnownTree,
    centre_rows: str | None = None,
) -> ImportResult:
    """parse_upload's work: read the workbook, recognise its tables, check names and build the batch."""
    if district_cd not in BY_SIG:
        issues.error(
            "district_unknown",
            f"자치구 코드 '{district_cd}'을(를) 알 수 없습니다.",
            f"Unknown district code {district_cd!r}.",
            value=district_cd,
        )
        return ImportResult(None, list(issues), "unknown")
    book = read_upload(filename, content, district_cd, limits, issues)  # reader.read_workbook but for lofin CSV
    if book is None:
        return ImportResult(None, list(issues), "unknown")
    stats = book.stats
    ctx = Context(
        district_cd,
        as_of,
        program,
        known,
        issues,
        known_codes=tree.codes,
        aliases=tree.aliases,
        attach=tree.attach,
        units=tree.units,
        centre_rows=centre_rows,
    )
    extracts: list[Extract] = []
    for grid in book.sheets:
        extracts.extend(_read_sheet(grid, ctx))
    if not any(g.rows and any(any(str(v).strip() for v in row) for row in g.rows) for g in book.sheets):
        issues.error(
            "workbook_empty",
            "내용이 있는 시트가 없습니다. 표가 있는 파일을 올려 주세요.",
            "The workbook has no data.",
            value=filename,
        )
        return ImportResult(None, list(issues), "unknown", stats)
    if not extracts and explain_kosis(book.sheets, issues):  # a KOSIS download we cannot read: say so in its terms
        return ImportResult(None, list(issues), "unknown", stats)
    if not extracts:
        issues.error(
            "no_table",
            "알아볼 수 있는 표가 없습니다. 머리글(예: 단위사업명 | 예산액 | 집행액 | "
            "집행률)이 있는 표를 올리거나 "
            "입력 양식을 내려받아 사용하세요.",
            "No recognisable table: use headers such as 단위사업명 | 예산액 | 집행액 | 집행률, or the template.",
            value=filename,
        )
        return ImportResult(None, list(issues), "unknown", stats)
    _check_name_lengths(extracts, ctx)
    excluded = [spec for x in extracts for spec in scope_to_tree(x, ctx)]
    kind = "+".join(dict.fromkeys(x.kind for x in extracts))
    batch = _assemble(filename, content, ctx, extracts, fit_kind(kind), uploaded_by)
    _check_batch_lengths(batch, ctx)
    if excluded and batch.row_count == 0:
        issues.error(
            "nothing_left",
            f"이 파일의 세부사업 {len(excluded):,}건이 모두 다른 부서 또는 미등록 사업이라 반영할 값이 없습니다. "
            "우리 부서 사업이면 단위사업에 연결한 뒤 다시 미리보기 하세요.",
            f"All {len(excluded)} sub-programs of the file were left out; attach ours to their unit programs.",
            value=filename,
        )
    return ImportResult(None if issues.has_errors else batch, list(issues), kind, stats, excluded)


def _known(spec: ProgramSpec, ctx: Context) -> str | None:
    """The known program a file's program is, matched by code, exact or normalised name, or alias; else None."""
    if spec.ref in ctx.attach:
        return ctx.attach[spec.ref]
    if spec.code and spec.code in ctx.known_codes:
        return spec.name
    m = match_program(spec.name, ctx.known_programs, similar=False)  # no suggestion wanted: the names are many
    if m.status in ("exact", "normalised"):
        return m.name
    return ctx.aliases.get(normalise_name(spec.name))


def scope_to_tree(x: Extract, ctx: Context) -> list[ProgramSpec]:
    """Keep only the sub-programs the district's tree knows when a table states no department (a whole-district
    지방재정365 download lists every department's): the others and their rows are left out, with one warning,
    and returned so that staff can attach them. A program staff attached goes under (or is) its target."""
    loose = {s.ref for s, _loc in x.specs if s.department is None and s.parent is None and s.level == "detail"}
    if not loose or not (ctx.known_programs or ctx.attach):
        return []
    dropped: list[ProgramSpec] = []
    keep: list[tuple[ProgramSpec, Loc]] = []
    for spec, loc in x.specs:
        target = _known(spec, ctx) if spec.ref in loose else spec.name
        if target is None:
            dropped.append(spec)
        elif spec.ref in ctx.attach and target in ctx.units:
            keep.append((replace(spec, parent=target), loc))
        elif target != spec.name:  # another name of a known sub-program (attached now, or before)
            if spec.ref in ctx.attach:
                x.aliases[spec.name] = target
            renamed = replace(spec, name=target)
            keep.append((renamed, loc))
            _rename_rows(x, spec.ref, renamed.ref)
        else:
            keep.append((spec, loc))
    if not dropped:
        x.specs = keep
        return []
    gone = {s.ref for s in dropped}
    x.specs = keep
    x.budgets = [(r, loc) for r, loc in x.budgets if r.program not in gone]
    x.facts = [(r, loc) for r, loc in x.facts if r.program not in gone]
    x.targets = [(r, loc) for r, loc in x.targets if r.program not in gone]
    x.programs = [(n, loc) for n, loc in x.programs if n not in gone]
    shown = ", ".join(f"{clip(s.name, 30)}({s.code})" if s.code else clip(s.name, 30) for s in dropped[:5])
    more = f" 외 {len(dropped) - 5:,}건" if len(dropped) > 5 else ""
    ctx.issues.warning(
        "programs_excluded",
        f"다른 부서 또는 미등록 세부사업 {len(dropped):,}건 제외: {shown}{more}. 우리 부서 사업이면 "
        "미리보기에서 단위사업에 연결해 함께 올리세요 (`jobkpi programs map`).",
        f"{len(dropped)} sub-programs of other departments or not registered were left out: attach any that "
        "belong here to their unit program.",
        value=str(len(dropped)),
    )
    return dropped


def _rename_rows(x: Extract, ref: str, name: str) -> None:
    """Point a table's rows from one program reference to another program's name."""
    x.budgets = [(replace(r, program=name) if r.program == ref else r, loc) for r, loc in x.budgets]
    x.facts = [(replace(r, program=name) if r.program == ref else r, loc) for r, loc in x.facts]
    x.targets = [(replace(r, program=name) if r.program == ref else r, loc) for r, loc in x.targets]


def fit_kind(kind: str) -> str:
    """The '+'-joined kinds cut to whole kinds and a final '+…' so that they fit the upload's kind column."""
    if len(kind) <= KIND_LENGTH:
        return kind
    kept: list[str] = []
    for part in kind.split("+"):
        if len("+".join([*kept, part, "…"])) > KIND_LENGTH:
            break
        kept.append(part)
    return "+".join([*kept, "…"])


def _name_too_long(ctx: Context, what: str, name: str, **where: object) -> None:
    """The name does not fit its column: an error showing only its first 40 characters."""
    limit, label = NAME_LIMITS[what]
    ctx.issues.error(
        "name_too_long",
        f"{label}이(가) 너무 깁니다 ({len(name):,}자, 최대 {limit:,}자): '{clip(name)}'. {label}을(를) "
        f"{limit:,}자 이내로 줄여 주세요.",
        f"The {what} name is {fmt_dec(len(name))} characters long; the limit is {fmt_dec(limit)}: {clip(name)!r}.",
        value=clip(name),
        **where,
    )


def _check_name_lengths(extracts: list[Extract], ctx: Context) -> None:
    """A program name longer than the store keeps is an error at its cell (once per name); it is not matched."""
    limit = NAME_LIMITS["program"][0]
    reported: set[str] = set()
    for x in extracts:
        keep = []
        for name, loc in x.programs:
            if len(name) <= limit:
                keep.append((name, loc))
            elif name not in reported:
                reported.add(name)
                _name_too_long(ctx, "program", name, sheet=loc.sheet, row=loc.row, col=loc.col)
        x.programs = keep


def _check_batch_lengths(batch: Batch, ctx: Context) -> None:
    """Every other name in the batch must fit its column too (no cell to name: the file as a whole)."""
    reported = {i.value for i in ctx.issues if i.code == "name_too_long"}
    texts = [("program", p.parent) for p in batch.programs] + [("department", p.department) for p in batch.programs]
    texts += [("team", p.team) for p in batch.programs]
    texts += [("pledge", p.pledge) for p in batch.pledges] + [("item", p.item) for p in batch.pledges]
    for what, text in texts:
        if text and len(text) > NAME_LIMITS[what][0] and clip(text) not in reported:
            reported.add(clip(text))
            _name_too_long(ctx, what, text)


def _read_sheet(grid: SheetGrid, ctx: Context) -> list[Extract]:
    """Extracts of every recognised table of a sheet; each table's body ends at the next header."""
    if isinstance(grid, LofinSheet):  # a 지방재정365 CSV already read column by column: its one table
        return [grid.read(ctx)]
    headers = find_headers(grid)
    out: list[Extract] = []
    floor = 0
    year_hint = ctx.as_of.year if ctx.as_of else None
    for i, header in enumerate(headers):
        kind = classify(header)
        stop = headers[i + 1].top if i + 1 < len(headers) else grid.height
        if kind is None:
            continue
        rows = list(range(header.bottom + 1, stop)) if kind == "template" else body_rows(grid, header, stop)
        near = around(grid, header, floor, year_hint, ctx.issues)
        if kind in ("budget_table", "program_box"):
            out.append(read_money_table(grid, header, rows, near, ctx, kind))
        elif kind == "job_centre":
            out.append(read_job_centre(grid, header, rows, near, ctx))
        elif kind == "goal_disclosure":
            out.append(read_goal(grid, header, rows, near, ctx))
        elif kind == "kostat_csv":
            out.append(read_kostat(grid, header, rows, ctx))
        elif kind == "lofin365":
            out.append(read_lofin(grid, header, rows, near, ctx))
        elif kind == "ehojo":
            out.append(read_ehojo(grid, header, rows, near, ctx))
        else:
            out.append(read_template(grid, header, rows, near, ctx))
        floor = table_end(grid, header, rows) + 1  # the notes under a table belong to it
    return out


def _assemble(
    filename: str, content: bytes, ctx: Context, extracts: list[Extract], kind: str, uploaded_by: str
) -> Batch:
    """Resolve program names, drop exact repeats, flag conflicting repeats, and build the Batch."""
    names = _resolve_programs(extracts, ctx)
    batch = Batch(
        district_cd=ctx.district_cd,
        kind=kind,
        filename=filename,
        content=content,
        as_of=max((x.as_of for x in extracts if x.as_of), default=ctx.as_of),
        uploaded_by=uploaded_by,
    )
    facts: dict[tuple[object, ...], tuple[FactRow, Loc]] = {}
    budgets: dict[tuple[object, ...], tuple[list[int | None], Loc]] = {}
    reasons: dict[tuple[object, ...], ReasonRow] = {}
    targets: dict[tuple[object, ...], TargetRow] = {}
    surveys: dict[tuple[object, ...], tuple[SurveyRow, Loc]] = {}
    for x in extracts:
        origin = ORIGIN_OF_KIND.get(x.kind, x.kind)
        for fact, loc in x.facts:
            program = names.get(fact.program, fact.program) if fact.program else None
            # built directly: dataclasses.replace costs ~3 µs a row (60 ms for a 20,000-row sheet)
            fact = FactRow(program, fact.year, fact.month, fact.metric, fact.value, fact.source, origin)
            key = (fact.program, fact.year, fact.month, fact.metric, fact.source, fact.origin)
            if key in facts and facts[key][0].value != fact.value:
                _conflict(ctx, loc, facts[key][1], f"{fact.program} {fact.year}.{fact.month} {fact.metric}")
                continue
            facts[key] = (fact, loc)
        for row, loc in x.budgets:
            program = names.get(row.program, row.program)
            bkey = (program, row.year, row.source, origin)
            prev, prev_loc = budgets.get(bkey, ([None, None], loc))
            merged = list(prev)
            for i, value in enumerate((row.original, row.current)):
                if value is None:
                    continue
                if merged[i] is not None and merged[i] != value:
                    _conflict(ctx, loc, prev_loc, f"{program} {row.year} 예산")
                merged[i] = value
            budgets[bkey] = (merged, prev_loc)
        for target, tloc in x.targets:
            target = replace(target, program=names.get(target.program, target.program) if target.program else None)
            tkey = (target.program, target.year, target.metric, target.basis)
            if tkey in targets and targets[tkey].value != target.value:
                _conflict(ctx, tloc, tloc, f"{target.program or ''} {target.year} 목표")
                continue
            targets[tkey] = replace(target, origin=origin)
        for survey, sloc in x.surveys:
            skey = (survey.district_cd, survey.year, survey.half, survey.indicator, survey.basis)
            if skey in surveys and surveys[skey][0].value != survey.value:
                what = f"{survey.district_cd} {survey.year}.{survey.half}/2 {survey.indicator}({survey.basis})"
                _conflict(ctx, sloc, surveys[skey][1], what)
                continue
            surveys.setdefault(skey, (survey, sloc))
        for reason, _loc in x.reasons:  # one per program and month (the template reader refused conflicting ones)
            reason = replace(reason, program=names.get(reason.program, reason.program))
            reasons.setdefault((reason.program, reason.year, reason.month), reason)
    batch.facts = [fact for fact, _ in facts.values()]
    batch.reasons = list(reasons.values())
    batch.budgets = [
        BudgetRow(k[0], k[1], k[2], v[0], v[1], origin=k[3])  # type: ignore[arg-type]
        for k, (v, _) in budgets.items()
    ]
    batch.targets = list(targets.values())
    batch.surveys = [row for row, _ in surveys.values()]
    batch.programs = _program_specs(extracts, names)
    peers: dict[tuple[object, ...], PeerRow] = {}
    for x in extracts:
        batch.aliases.update(x.aliases)
        for peer in x.peers:  # a table repeated in another sheet states them again
            peers.setdefault((peer.fiscal_year, peer.government, peer.field_name, peer.part_name), peer)
    batch.peers = list(peers.values())
    return batch


def _program_specs(extracts: list[Extract], names: dict[str, str]) -> list[ProgramSpec]:
    """One spec per program the file names, in file order: what the file says of its place in the tree, if
    anything (Extract.specs), else its name alone."""
    specs: dict[str, ProgramSpec] = {}
    for x in extracts:
        for spec, _loc in x.specs:
            specs.setdefault(spec.ref, replace(spec, name=names.get(spec.name, spec.name)) if not spec.code else spec)
        for n, _loc in x.programs:
            name = names.get(n, n)
            specs.setdefault(
                name, ProgramSpec(name, category="employment_service" if name == JOB_CENTRE_PROGRAM else None)
            )
    return list(specs.values())


def _conflict(ctx: Context, loc: Loc, prev: Loc, what: str) -> None:
    """Two cells state different values for the same item: an error naming both rows."""
    what = clip(what, 80)
    ctx.issues.error(
        "conflicting_values",
        f"같은 항목({what})의 값이 두 곳({prev.sheet} {prev.row + 1}행, {loc.sheet} "
        f"{loc.row + 1}행)에서 다릅니다. 하나로 맞춰 주세요.",
        f"{what} has different values in two places.",
        sheet=loc.sheet,
        row=loc.row,
        col=loc.col,
    )


def _resolve_programs(extracts: list[Extract], ctx: Context) -> dict[str, str]:
    """Map uploaded names to known names (same after normalising); report similar and new names once each."""
    names: dict[str, str] = {}
    if not ctx.known_programs:
        return names
    for x in extracts:
        for name, loc in x.programs:
            if name in names:
                continue
            m = match_program(name, ctx.known_programs)
            names[name] = m.name
            where = {"sheet": loc.sheet, "row": loc.row, "col": loc.col, "value": name}
            name = clip(name)
            if m.status == "normalised":
                ctx.issues.warning(
                    "program_name_normalised",
                    f"'{name}'을(를) 기존 사업 '{m.known}'(으)로 읽었습니다 (띄어쓰기·문장부호 차이).",
                    f"Read {name!r} as the known program {m.known!r} (spacing/punctuation differ).",
                    **where,
                )
            elif m.status == "similar":
                ctx.issues.warning(
                    "program_similar",
                    f"'{name}'은(는) 새 사업으로 만들어집니다. 혹시 기존 "
                    f"사업 '{m.known}'인가요? 그렇다면 사업명을 고쳐 "
                    "주세요.",
                    f"{name!r} will be created as a new program; did you mean {m.known!r}?",
                    **where,
                )
            elif m.status == "new":
                ctx.issues.warning(
                    "program_new",
                    f"'{name}'은(는) 등록되지 않은 사업이라 새 사업으로 만들어집니다.",
                    f"{name!r} is not a known program; a new program will be created.",
                    **where,
                )
    return names
