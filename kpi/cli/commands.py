"""`jobkpi` command line: database upgrade, demo data, KPIs, upload history and revert.

Errors print one line to stderr and exit non-zero; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

import pandas as pd

from kpi.cli import exports as export_cli
from kpi.cli import programs as cli_programs
from kpi.cli import uploads as cli_uploads
from kpi.domain import districts
from kpi.domain.units import fmt_money, fmt_pct, fmt_pp
from kpi.i18n import status_label
from kpi.settings import load_settings
from kpi.store import Store, StoreError
from kpi.views.safe_text import csv_frame


class CliError(Exception):
    """An error worth one line to the user."""


class ImportFailed(Exception):
    """An import that found errors: its full report goes to stdout and the exit code is 1."""


def _district(text: str) -> str:
    """An argparse type: the SIG_CD of a district code or name, else an argument error."""
    found = districts.find_district(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"unknown district {text!r} (use a SIG_CD such as 11560 or a name)")
    return found.sig_cd


def _date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date, else an argument error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="jobkpi", description="Employment-KPI dashboard store and reports")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: JOBKPI_DATABASE_URL or data/jobkpi.db)")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="schema management").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="create or migrate the schema to the newest version")

    demo = sub.add_parser("demo", help="load the demo data (seed figures and labelled sample series)")
    demo.add_argument("--if-empty", action="store_true", help="only when the store holds no upload yet")

    kpi = sub.add_parser("kpi", help="KPIs of a district and year as of a date")
    kpi.add_argument("--district", type=_district, required=True, help="SIG_CD (e.g. 11560) or name")
    kpi.add_argument("--year", type=int, required=True)
    kpi.add_argument("--as-of", type=_date, required=True, help="YYYY-MM-DD")
    kpi.add_argument("--format", choices=("table", "json", "csv"), default="table")
    kpi.add_argument("--unit", choices=("원", "천원", "백만원", "억원"), default="천원", help="money unit of the table")
    kpi.add_argument("--department", help="the department reported on (default: JOBKPI_HOME_DEPARTMENT)")

    uploads = sub.add_parser("uploads", help="upload history").add_subparsers(dest="uploads_command", required=True)
    ls = uploads.add_parser("list", help="list uploads, newest first")
    ls.add_argument("--district", type=_district)
    rv = uploads.add_parser("revert", help="revert an upload: its values return to what stood before it")
    rv.add_argument("id", type=int)
    rv.add_argument("--by", default="cli")
    cli_uploads.register(sub, _district, _date)
    cli_programs.register(sub, _district)
    export_cli.register(sub, _district, _date)
    return parser


def _kpi_table(report, unit: str) -> str:
    """Human-readable KPI summary and per-program table."""
    lines = [
        f"{report.district_name} ({report.district_cd}) {report.year}년, 기준일 {report.as_of.isoformat()}"
        + (" [표본 자료 포함]" if report.includes_sample else ""),
        f"예산 {fmt_money(report.budget, unit)}{unit}  집행 {fmt_money(report.executed, unit)}{unit}  "
        f"집행률 {fmt_pct(report.execution_rate)}  경과율 {fmt_pct(report.pace)}  "
        f"차이 {fmt_pp(report.gap_pp)}  상태 {status_label(report.status)}",
        f"취업률 {fmt_pct(report.placement_rate)} (취업자 {_n(report.placements)} / 구직자 {_n(report.job_seekers)})",
        f"일자리 목표 달성률 {fmt_pct(report.achievement_rate)} "
        f"(실적 {_n(report.jobs_actual)} / 목표 {_n(report.jobs_target)})",
        "",
    ]
    rows = [
        [
            "  " * (r.level == "sub") + r.name,
            fmt_money(r.budget, unit),
            fmt_money(r.executed, unit),
            fmt_pct(r.execution_rate),
            status_label(r.status) + (" (표본)" if r.is_sample else ""),
        ]
        for r in report.programs.itertuples()
    ]
    header = ["사업명", f"예산액({unit})", f"집행액({unit})", "집행률", "상태"]
    frame = pd.DataFrame(rows, columns=header)
    lines.append(frame.to_string(index=False) if rows else "(사업 자료 없음)")
    for note in report.notes:
        lines.append(f"* {note}")
    return "\n".join(lines)


def _n(v: float) -> str:
    """A count with thousands separators; '-' when missing."""
    return "-" if pd.isna(v) else f"{round(v):,}"


def _kpi_csv(report) -> str:
    """One row per program plus a 계 row, amounts in 원, rates half-up to one decimal."""
    data = report.to_dict()
    ex = data["execution"]
    rows = [
        {
            "사업명": "계",
            "구분": "합계",
            "예산액(원)": ex["budget_won"],
            "집행액(원)": ex["executed_won"],
            "집행률(%)": ex["rate_pct"],
            "경과율 대비(%p)": ex["gap_pp"],
            "상태": ex["status"],
            "표본": "",
        }
    ]
    rows += [
        {
            "사업명": p["name"],
            "구분": p["level"],
            "예산액(원)": p["budget_won"],
            "집행액(원)": p["executed_won"],
            "집행률(%)": p["execution_rate_pct"],
            "경과율 대비(%p)": p["gap_pp"],
            "상태": p["status"],
            "표본": "표본" if p["is_sample"] else "",
        }
        for p in data["programs"]
    ]
    frame = pd.DataFrame(rows).astype({"예산액(원)": "Int64", "집행액(원)": "Int64"})
    return csv_frame(frame).to_csv(index=False)


def run(args: argparse.Namespace) -> str:
    """Execute a parsed command and return what to print."""
    from kpi.demo.seed import load_demo
    from kpi.views.report import build_report

    store = Store.open(args.database_url)
    if args.command in cli_uploads.COMMANDS:
        text, code = cli_uploads.run(args, store)
        if code:
            raise ImportFailed(text)
        return text
    if args.command in export_cli.COMMANDS:
        return export_cli.run(args, store)
    if args.command in cli_programs.COMMANDS:
        return cli_programs.run(args, store)
    if args.command == "db":
        return f"schema is up to date at {store.engine.url.render_as_string(hide_password=True)}"
    if args.command == "demo":
        if args.if_empty and not store.is_empty():
            return "store already holds data; demo not loaded"
        return f"demo loaded: {load_demo(store)} uploads"
    if args.command == "kpi":
        report = build_report(store, args.district, args.year, args.as_of, department=args.department)
        if args.department and args.department not in report.departments:
            known = ", ".join(report.departments) or "none"
            raise CliError(f"no department {args.department!r} in district {args.district}; departments: {known}")
        if args.format == "json":
            return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        if args.format == "csv":
            return _kpi_csv(report).rstrip("\n")
        return _kpi_table(report, args.unit)
    if args.command == "uploads":
        from kpi.store import queries

        if args.uploads_command == "revert":
            changed = store.revert(args.id, args.by)
            return f"upload {args.id} reverted; {changed} values restored to their earlier state"
        with store.engine.connect() as conn:
            frame = queries.uploads(conn, args.district)
        if frame.empty:
            return "no uploads"
        cols = [
            "id",
            "uploaded_at",
            "uploaded_by",
            "district_cd",
            "kind",
            "filename",
            "row_count",
            "status",
            "is_sample",
        ]
        return frame[cols].to_string(index=False)
    raise CliError(f"unknown command {args.command!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `jobkpi` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.database_url is None:
        args.database_url = load_settings().database_url
    try:
        print(run(args))
    except ImportFailed as exc:
        print(exc)
        return 1
    except (StoreError, CliError, ValueError) as exc:
        if cli_uploads.wants_json(args):  # `import --format json` answers in JSON, failures too
            print(cli_uploads.failure_json(args, "store_error", f"저장소 오류: {exc}", f"Store error: {exc}"))
        print(f"jobkpi: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # last resort: still one line, never a traceback
        if cli_uploads.wants_json(args):
            what = f"{type(exc).__name__}: {exc}"
            print(cli_uploads.failure_json(args, "internal_error", f"예기치 못한 오류: {what}", what))
        print(f"jobkpi: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
