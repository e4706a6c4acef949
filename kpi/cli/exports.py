"""`jobkpi briefing` and `jobkpi report`: the briefing as pptx/pdf/png and the 업무보고 tables as xlsx."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from kpi.store import Store

COMMANDS = ("briefing", "report")


def register(sub: argparse._SubParsersAction, district: Callable, as_date: Callable) -> None:
    """Add the export subcommands to the jobkpi parser."""
    for name, formats, text in (
        ("briefing", ("pptx", "pdf", "png"), "the briefing deck (png: a .zip of slides, or a folder)"),
        ("report", ("xlsx",), "the 주요업무 보고 tables (예산현황, 추진실적) as the council expects them"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--district", type=district, required=True, help="SIG_CD (e.g. 11560) or name")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--as-of", type=as_date, required=True, help="YYYY-MM-DD")
        p.add_argument("--format", choices=formats, default=formats[0])
        p.add_argument("-o", "--output", required=True, type=Path, help="file to write")
        p.add_argument("--department", help="the department reported on (default: JOBKPI_HOME_DEPARTMENT)")
        if name == "briefing":
            p.add_argument("--slides", help="comma-separated slide keys in order (default: all)")


def run(args: argparse.Namespace, store: Store) -> str:
    """Write the requested file and say what was written."""
    from kpi.exports import ExportError

    out: Path = args.output
    if not out.parent.exists():
        raise ExportError(f"folder does not exist: {out.parent}")
    if args.command == "report":
        from kpi.exports.council_xlsx import council_xlsx

        data = council_xlsx(store, args.district, args.year, args.as_of, department=args.department)
        _write(out, data)
        return f"wrote {out} ({len(data):,} bytes)"
    from kpi.exports.slides import build_deck

    keys = args.slides.split(",") if args.slides else None
    deck = build_deck(store, args.district, args.year, args.as_of, keys, department=args.department)
    if not deck.slides:
        raise ExportError(f"no known slide in --slides {args.slides!r}")
    if args.format == "pptx":
        from kpi.exports.pptx import deck_pptx

        data = deck_pptx(deck)
    elif args.format == "pdf":
        from kpi.exports.pdf import deck_pdf

        data = deck_pdf(deck)
    elif out.suffix.lower() == ".zip":
        from kpi.exports.png import deck_png_zip

        data = deck_png_zip(deck)
    else:  # a folder of PNGs
        from kpi.exports.png import slide_pngs

        out.mkdir(parents=True, exist_ok=True)
        for name, png in slide_pngs(deck):
            (out / name).write_bytes(png)
        return f"wrote {len(deck.slides)} slides to {out}/"
    _write(out, data)
    return f"wrote {out} ({len(deck.slides)} slides{', 표본 자료 포함' if deck.includes_sample else ''})"


def _write(path: Path, data: bytes) -> None:
    """Write the bytes to the path."""
    path.write_bytes(data)
