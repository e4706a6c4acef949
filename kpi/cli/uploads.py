"""`jobkpi import`, `jobkpi template` and `jobkpi user`: the command-line door of the upload pipeline."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kpi.importers import write_template
from kpi.settings import load_settings
from kpi.store import Store, StoreError, auth, queries, uploads
from kpi.views import upload as upload_view

COMMANDS = ("import", "template", "user")


def register(sub: argparse._SubParsersAction, district_type, date_type) -> None:
    """Add the import, template and user subcommands."""
    imp = sub.add_parser("import", help="validate and import an Excel/CSV sheet (preview first with --dry-run)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--district", type=district_type, help="SIG_CD or name (default: JOBKPI_HOME_DISTRICT)")
    imp.add_argument("--as-of", type=date_type, help="YYYY-MM-DD, when the sheet does not say")
    imp.add_argument("--dry-run", action="store_true", help="validate and preview; write nothing")
    imp.add_argument("--format", choices=("text", "json"), default="text")
    imp.add_argument("--by", default="cli", help="who uploads (recorded with the upload)")
    imp.add_argument("--force", action="store_true", help="import even if the same file was imported before")
    imp.add_argument(
        "--centre-rows",
        choices=("monthly", "cumulative"),
        help="a job-centre log's month rows, when the file does not say: each month's figures (당월) or year-to-date "
        "(누계)",
    )
    imp.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="CODE_OR_NAME=PROGRAM",
        help="take a left-out 세부사업 of the file (by its code or name) under a known unit program, remembered for "
        "later files (repeatable)",
    )

    tpl = sub.add_parser("template", help="write the input template (.xlsx) with dropdowns from the store")
    tpl.add_argument("-o", "--output", type=Path, required=True)
    tpl.add_argument("--district", type=district_type)
    tpl.add_argument("--year", type=int)

    user = sub.add_parser("user", help="local accounts").add_subparsers(dest="user_command", required=True)
    add = user.add_parser(
        "add",
        help="add an account: asks for the password (at least 8 characters) at a terminal, else reads the first line "
        "of standard input (always with --password-stdin)",
    )
    add.add_argument("name")
    add.add_argument("--role", choices=auth.ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--no-password", action="store_true", help="an OIDC account (log in with st.login)")
    user.add_parser("list", help="list accounts")
    role = user.add_parser("role", help="change the role of an account, or deactivate it")
    role.add_argument("name")
    role.add_argument("--role", choices=auth.ROLES, required=True)
    role.add_argument("--deactivate", action="store_true")
    unlock = user.add_parser("unlock", help="lift a login lockout (after too many wrong passwords) at once")
    unlock.add_argument("name")


def _password(args: argparse.Namespace) -> str | None:
    """The new account's password: none for --no-password; the first line of standard input with --password-stdin
    or when standard input is not a terminal (a script, a pipe, CI); else asked twice at the terminal."""
    if args.no_password:
        return None
    if args.password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise StoreError(
                "no password on standard input: pipe one in (printf '%s\\n' \"$PW\" | jobkpi user add NAME --role "
                "staff --password-stdin), or use --no-password for an OIDC account"
            )
        return line.rstrip("\r\n")
    first = getpass.getpass("password (at least 8 characters): ")
    if first != getpass.getpass("again: "):
        raise StoreError("the two passwords differ")
    return first


def run(args: argparse.Namespace, store: Store) -> tuple[str, int]:
    """Execute an import/template/user command; returns (text to print, exit code)."""
    district = args.district if getattr(args, "district", None) else load_settings().home_district
    if args.command == "template":
        with store.engine.connect() as conn:
            programs = queries.programs(conn, district)["name"].tolist()
        write_template(args.output, programs, None, args.year)  # the template's own metric list
        return f"template written: {args.output} ({len(programs)} programs)", 0
    if args.command == "user":
        if args.user_command == "list":
            rows = auth.list_users(store)
            return "\n".join(
                f"{n}\t{r}\t{'password' if p else 'oidc'}\t{'active' if a else 'inactive'}" for n, r, p, a in rows
            ) or "no users", 0
        if args.user_command == "role":
            auth.set_role(store, args.name, args.role, active=not args.deactivate)
            return f"user {args.name}: role {args.role}{' (deactivated)' if args.deactivate else ''}", 0
        if args.user_command == "unlock":
            auth.unlock(store, args.name)
            return f"user {args.name} unlocked", 0
        auth.add_user(store, args.name, args.role, _password(args))
        return f"user {args.name} added with role {args.role}", 0
    return _import(args, store, district)


def _import(args: argparse.Namespace, store: Store, district: str) -> tuple[str, int]:
    """Validate, preview and (unless --dry-run) commit one file."""
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        if wants_json(args):
            missing = isinstance(exc, FileNotFoundError)
            return failure_json(
                args,
                "file_missing" if missing else "file_unreadable",
                f"파일 '{args.file}'을(를) {'찾을 수 없습니다' if missing else '읽을 수 없습니다'} ({exc.strerror}). "
                "경로와 권한을 확인하세요.",
                f"cannot read {args.file}: {exc.strerror}",
            ), 1
        raise StoreError(f"cannot read {args.file}: {exc.strerror}") from None
    user = auth.User(args.by, "admin", system=True)  # the command line is the server's own door, not an account
    prepared = uploads.prepare(
        store,
        args.file.name,
        content,
        district_cd=district,
        user=user,
        as_of=args.as_of,
        centre_rows=getattr(args, "centre_rows", None),
        attach=_attachments(getattr(args, "attach", [])),
    )
    committed = None
    code = 1 if prepared.result.errors else 0
    if not prepared.result.errors and not args.dry_run:
        if len(prepared.duplicates) and not args.force:
            code = 1
        else:
            committed = uploads.commit(store, prepared, user=user, allow_duplicate=args.force)
    if args.format == "json":
        data = _as_json(prepared, committed)
        if code and not prepared.result.errors:  # refused as a copy of an earlier upload
            ids = ", ".join(str(i) for i in data["duplicate_of"])
            data["issues"].append(
                _issue(
                    "duplicate_upload",
                    f"같은 파일이 이미 반영되어 있습니다 (업로드 {ids}). 다시 반영하려면 --force를 붙이세요.",
                    f"The same file was imported before (upload {ids}); use --force to import it again.",
                    value=prepared.filename,
                )
            )
        data["ok"] = code == 0
        return json.dumps(data, ensure_ascii=False, indent=2, default=str), code
    text = upload_view.summary_text(prepared)
    if committed is not None:
        text += (
            f"\n반영됨: 업로드 {committed.upload_id} ({committed.rows}행). 되돌리기: jobkpi uploads revert "
            f"{committed.upload_id}"
        )
    elif args.dry_run and code == 0:
        text += "\n(--dry-run: 저장하지 않았습니다)"
    return text, code


def _attachments(pairs: list[str]) -> dict[str, str]:
    """--attach CODE_OR_NAME=PROGRAM pairs as a mapping (a pair without '=' is a usage error)."""
    out = {}
    for pair in pairs:
        ref, eq, target = pair.partition("=")
        if not eq or not ref.strip() or not target.strip():
            raise ValueError(f"--attach wants CODE_OR_NAME=PROGRAM, got {pair!r}")
        out[ref.strip()] = target.strip()
    return out


def _as_json(prepared: uploads.Prepared, committed) -> dict:
    """The upload's outcome as JSON-ready data: file, kind, errors, warnings, earlier copies, preview, commit."""
    r = prepared.result
    issues = [
        {
            "severity": i.severity,
            "sheet": i.sheet,
            "row": i.row,
            "column": i.column,
            "value": i.value,
            "code": i.code,
            "message_ko": i.message_ko,
            "message_en": i.message_en,
        }
        for i in r.issues
    ]
    preview = None
    if prepared.preview is not None:
        p = prepared.preview
        preview = {
            "counts": p.counts,
            "programs_created": p.programs_created,
            "kpis_before": p.before.to_dict()["execution"] if p.before else None,
            "kpis_after": p.after.to_dict()["execution"] if p.after else None,
        }
    return {
        "ok": not r.errors,
        "file": prepared.filename,
        "kind": r.kind,
        "issues": [
            _issue(
                i.code, i.message_ko, i.message_en, i.severity, sheet=i.sheet, row=i.row, col=i.column, value=i.value
            )
            for i in r.issues
        ],
        "errors": [i for i in issues if i["severity"] == "error"],
        "warnings": [i for i in issues if i["severity"] == "warning"],
        "duplicate_of": prepared.duplicates["id"].tolist() if len(prepared.duplicates) else [],
        "preview": preview,
        "committed": None if committed is None else {"upload_id": committed.upload_id, "rows": committed.rows},
    }


def wants_json(args: argparse.Namespace) -> bool:
    """True for `jobkpi import --format json`: every outcome of it, failures too, prints JSON."""
    return getattr(args, "command", None) == "import" and getattr(args, "format", None) == "json"


def _issue(
    code: str,
    ko: str,
    en: str,
    severity: str = "error",
    *,
    sheet: str = "",
    row: int = 0,
    col: str = "",
    value: str = "",
) -> dict[str, object]:
    """One issue as the JSON output carries it (row as Excel shows it, 0 = none; col an Excel letter or '')."""
    return {
        "code": code,
        "severity": severity,
        "ko": ko,
        "en": en,
        "sheet": sheet,
        "row": row,
        "col": col,
        "value": value,
    }


def failure_json(args: argparse.Namespace, code: str, ko: str, en: str) -> str:
    """The JSON of an import that failed before (or outside) validation: file missing or unreadable, store error."""
    path = getattr(args, "file", None)
    issue = _issue(code, ko, en, value=str(path) if path is not None else "")
    data = {
        "ok": False,
        "file": path.name if isinstance(path, Path) else str(path or ""),
        "kind": "unknown",
        "issues": [issue],
        "errors": [
            {
                "severity": "error",
                "sheet": "",
                "row": 0,
                "column": "",
                "value": issue["value"],
                "code": code,
                "message_ko": ko,
                "message_en": en,
            }
        ],
        "warnings": [],
        "duplicate_of": [],
        "preview": None,
        "committed": None,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
