"""The 주요업무 보고 tables as the district council expects them (seed 003), written with openpyxl.

Sheet 예산현황: a units line "(단위: 천원)", the header "집행률(%) (5.31.기준)", the 계 row first, then
the unit programs; amounts in 천원 (whole, half up), 집행률 to one decimal. Sheet 주요추진실적: one box per
program with a funding split (or with a 사유·조치계획 entered): its 예산현황 (amounts with their split as the report
writes them), the result figures of the program and its sub-programs, and 향후계획: staff's 사유 and 조치계획 of
the month the data is from ("(사유 미입력)" for a lagging program without one). Every text is written as a string
cell (safe_text.text_cell): a program or team name, or a reason, starting with '=' stays text, never a live formula.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from kpi import theme
from kpi.domain import catalog, kpis
from kpi.domain.units import MONEY_UNITS, in_unit, round_half_up
from kpi.exports.slides import JOB_CENTRE_METRICS, dotted, metric_label
from kpi.i18n import t, unit_label
from kpi.settings import load_settings
from kpi.store import Store, queries
from kpi.views.report import KpiReport, build_report
from kpi.views.safe_text import text_cell

UNIT = next(unit for unit, factor in MONEY_UNITS.items() if factor == 1_000)  # 천원
MONEY_FORMAT, RATE_FORMAT = "#,##0", "0.0"
FONT = theme.OFFICE_FONT
THIN = Side(style="thin", color=theme.TABLE_RULE.lstrip("#"))
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor=theme.TABLE_HEAD.lstrip("#"))
# Result figures in the order the report's boxes list them: the job-centre table first, then the catalog.
RESULT_ORDER = (*JOB_CENTRE_METRICS, *(m for m in catalog.METRIC_BY_CODE if m not in JOB_CENTRE_METRICS))


@dataclass(frozen=True)
class BudgetLine:
    """One row of a 예산현황 table: name, amounts in 천원, 집행률 (one decimal), sample flag."""

    name: str
    budget: int | None
    executed: int | None
    rate: float | None
    sample: bool = False


def thousand(won: float | None) -> int | None:
    """원 -> whole 천원, half up."""
    value = None if won is None or pd.isna(won) else in_unit(won, UNIT)
    return None if value is None else int(value)


def budget_lines(report: KpiReport, lang: str | None = None) -> list[BudgetLine]:
    """The 예산현황 table: 계 first, then each unit program in order."""
    units = report.programs[report.programs["level"] == "unit"]
    lines = [
        BudgetLine(
            t("council_total", lang),
            thousand(report.budget),
            thousand(report.executed),
            round_half_up(report.execution_rate, 1),
            report.sample["budget"] or report.sample["executed"],
        )
    ]
    lines += [
        BudgetLine(r.name, thousand(r.budget), thousand(r.executed), round_half_up(r.execution_rate, 1), r.is_sample)
        for r in units.itertuples()
    ]
    return lines


def rate_header(as_of: date, lang: str | None = None) -> str:
    """'집행률(%) (5.31.기준)'."""
    return t("council_rate_as_of", lang, month=as_of.month, day=as_of.day)


def _with_split(total: int | None, parts: dict[str, float], lang: str) -> str:
    """'471,844 (국 126,447, 시 29,504, 구비 315,893)' as the report writes a split amount."""
    if total is None:
        return "-"
    shown = [(s, parts[s]) for s in catalog.SPLIT_SOURCES if s in parts and pd.notna(parts[s])]
    inner = ", ".join(f"{t(f'council_split_{s}', lang)} {thousand(v):,}" for s, v in shown)
    return f"{total:,}" + (f" ({inner})" if inner else "")


@dataclass(frozen=True)
class ResultBox:
    """One program result box: name, team, the split 예산현황 line, and result rows (program, label, value)."""

    name: str
    team: str | None
    budget_text: str
    executed_text: str
    rate: float | None
    results: tuple[tuple[str, str, float | None], ...]
    sample: bool
    reason: str = ""  # 향후계획: staff's 사유 of the data month
    action: str = ""  # and 조치계획
    needs_reason: bool = False  # lagging (or large without figures) and nothing entered


def result_boxes(store: Store, report: KpiReport, lang: str | None = None) -> list[ResultBox]:
    """A box per program with a funding split and an executed amount, in the report's program order."""
    lang = lang or load_settings().lang
    with store.engine.connect() as conn:
        split = queries.budget_split(conn, report.district_cd, report.year)
        month = report.data_month or 0
        facts = queries.facts(conn, report.district_cd, report.year, month)
        exe = queries.executed_split(conn, report.district_cd, report.year, month)
    facts = facts[facts["program_id"].notna() & (facts["metric"] != "executed")]
    latest = facts.sort_values("month").groupby(["program_id", "metric"]).tail(1)
    progs = report.programs.set_index("id")
    children: dict[int, list[int]] = {}
    for pid, par in report.programs.set_index("id")["parent_id"].items():
        if pd.notna(par):
            children.setdefault(int(par), []).append(int(pid))
    parts_of = split[split["source"] != "total"]
    written = set(progs.index[(progs["reason"] != "") | (progs["action"] != "")])
    box_ids = [
        pid
        for pid in progs.index
        if (pid in set(parts_of["program_id"]) and pd.notna(progs.at[pid, "executed"])) or pid in written
    ]
    boxes = []
    for pid in box_ids:
        row = progs.loc[pid]
        parts = parts_of[parts_of["program_id"] == pid]
        exe_parts = exe[(exe["program_id"] == pid) & (exe["source"] != "total")].set_index("source")["value"]
        family = [pid, *(k for k in children.get(int(pid), []) if k not in box_ids)]  # a boxed child has its own
        results: list[tuple[str, str, float | None]] = []
        for member in family:
            mine = latest[latest["program_id"] == member].set_index("metric")["value"]
            name = progs.loc[member, "name"]
            for metric in (m for m in RESULT_ORDER if m in mine.index):
                results.append((name, metric_label(metric, lang), float(mine[metric])))
            if {"job_seekers", "placements"} <= set(mine.index):
                rate = kpis.placement_rate(float(mine["placements"]), float(mine["job_seekers"]))
                results.append((name, t("council_placement_rate", lang), round_half_up(rate, 1)))
        boxes.append(
            ResultBox(
                row["name"],
                None if pd.isna(row["team"]) else row["team"],
                _with_split(thousand(row["budget"]), parts.set_index("source")["budget"].to_dict(), lang),
                _with_split(thousand(row["executed"]), exe_parts.to_dict(), lang),
                round_half_up(row["execution_rate"], 1),
                tuple(results),
                bool(row["is_sample"]),
                row["reason"],
                row["action"],
                bool(row["needs_reason"]),
            )
        )
    return boxes


def _put(ws: Worksheet, row: int, col: int, value):
    """A cell with a value; text always as a string cell (never a formula)."""
    return text_cell(ws.cell(row=row, column=col, value=value))


def _cell(ws: Worksheet, row: int, col: int, value, fmt: str | None = None, head: bool = False):
    """A boxed table cell: a header (bold, centred, filled), a number (right, formatted) or a text (left)."""
    c = _put(ws, row, col, value)
    c.border = BOX
    c.font = Font(name=FONT, bold=head)
    c.alignment = Alignment(horizontal="center" if head else ("right" if fmt else "left"), vertical="center")
    if fmt:
        c.number_format = fmt
    if head:
        c.fill = HEAD_FILL
    return c


def _budget_sheet(ws: Worksheet, report: KpiReport, lang: str) -> None:
    """Sheet 예산현황: the units line, the header, the 계 row, then the unit programs."""
    ws.title = ws["A1"] = t("council_budget_sheet", lang)
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    ws["A2"] = t("council_unit", lang, unit=unit_label(UNIT, lang))
    ws["A2"].font = Font(name=FONT)
    heads = (t("council_program", lang), t("council_budget", lang), t("council_executed", lang))
    for col, text in enumerate((*heads, rate_header(report.as_of, lang)), 1):
        _cell(ws, 3, col, text, head=True)
    total = t("council_total", lang)
    for i, line in enumerate(budget_lines(report, lang), 4):
        _cell(ws, i, 1, line.name + (t("council_sample", lang) if line.sample else ""), head=False).font = Font(
            name=FONT, bold=line.name == total
        )
        _cell(ws, i, 2, line.budget, MONEY_FORMAT)
        _cell(ws, i, 3, line.executed, MONEY_FORMAT)
        _cell(ws, i, 4, line.rate, RATE_FORMAT)
    for letter, width in zip("ABCD", (36, 16, 16, 22), strict=True):
        ws.column_dimensions[letter].width = width


def _text_lines(text: str, width: int = 110) -> int:
    """Lines a text takes in a merged A:D cell (a Hangul character is two columns wide)."""
    lines = 0
    for part in text.split("\n"):
        cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        lines += max(1, -(-cols // width))
    return lines


def _plan(ws: Worksheet, row: int, box: ResultBox, lang: str) -> int:
    """□ 향후계획 with ○ 사유 and ○ 조치계획 (as written, line breaks kept), merged across the box; returns the next
    row. Nothing for a program that is on pace and has no entry."""
    labelled = ((t("reason", lang), box.reason), (t("action", lang), box.action))
    lines = [(label, text) for label, text in labelled if text]
    if not lines and not box.needs_reason:
        return row
    _put(ws, row, 1, t("council_plan", lang)).font = Font(name=FONT)
    row += 1
    shown = [t("council_plan_line", lang, label=label, text=text) for label, text in lines]
    for text in shown or [t("council_plan_missing", lang)]:
        c = _put(ws, row, 1, text)
        c.font = Font(name=FONT)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 16.5 * _text_lines(c.value)
        row += 1
    return row


def _boxes_sheet(ws: Worksheet, store: Store, report: KpiReport, lang: str) -> None:
    """Sheet 주요추진실적: a box per program with its results, its split 예산현황 and its 향후계획."""
    ws["A1"] = t("council_results_title", lang, date=dotted(report.as_of, lang))
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    row = 3
    for n, box in enumerate(result_boxes(store, report, lang), 1):
        _put(ws, row, 1, f"{n}. {box.name}").font = Font(name=FONT, bold=True, size=12)
        _put(ws, row, 4, box.team or "")
        row += 1
        if box.results:
            _put(ws, row, 1, t("council_results_head", lang))
            row += 1
            heads = (t("council_col_program", lang), t("council_col_item", lang), t("council_col_value", lang))
            for col, text in enumerate(heads, 1):
                _cell(ws, row, col, text, head=True)
            for program, label, value in box.results:
                row += 1
                _cell(ws, row, 1, program)
                _cell(ws, row, 2, label)
                _cell(ws, row, 3, value, RATE_FORMAT if label.endswith("(%)") else MONEY_FORMAT)
            row += 1
        _put(ws, row, 1, t("council_budget_head", lang))
        _put(ws, row, 3, t("council_unit_short", lang, unit=unit_label(UNIT, lang)))
        row += 1
        for col, text in enumerate(
            (t("council_budget", lang), t("council_executed", lang), t("council_rate", lang)), 1
        ):
            _cell(ws, row, col, text, head=True)
        row += 1
        _cell(ws, row, 1, box.budget_text)
        _cell(ws, row, 2, box.executed_text)
        _cell(ws, row, 3, box.rate, RATE_FORMAT)
        row += 1
        row = _plan(ws, row, box, lang)
        row += 1
    for letter, width in zip("ABCD", (44, 44, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width


def council_xlsx(
    store: Store, district_cd: str, year: int, as_of: date, lang: str | None = None, department: str | None = None
) -> bytes:
    """The 업무보고 workbook of one department of a district-year as of a date, in `lang` (default: the JOBKPI_LANG
    setting)."""
    lang = lang or load_settings().lang
    report = build_report(store, district_cd, year, as_of, department=department)
    wb = Workbook()
    _budget_sheet(wb.active, report, lang)
    _boxes_sheet(wb.create_sheet(t("council_results_sheet", lang)), store, report, lang)
    if report.includes_sample:
        ws = wb.create_sheet(t("council_notice_sheet", lang))
        ws["A1"] = t("council_notice", lang)
    wb.properties.title = t("council_title", lang, district=report.district_name, year=year,
                            date=dotted(as_of, lang))  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
