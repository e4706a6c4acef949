"""Benchmark (not a test): compute of a 10-slide briefing deck on the demo store, and PNG rendering of N charts
through one kept-alive chromium against one browser per image (the ratio is printed).

    .venv/bin/python bench/export_bench.py [--images 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi.demo.seed import load_demo
from kpi.exports import png
from kpi.exports.figures import slide_figure
from kpi.exports.pptx import deck_pptx
from kpi.exports.slides import build_deck
from kpi.store import Store

AS_OF = date(2024, 5, 31)


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10, help="charts to render each way")
    parser.add_argument("--database-url", help="a store holding the demo data (default: a fresh SQLite file)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = Store.open(url)
    if store.is_empty():
        load_demo(store)

    times = []
    for _ in range(5):
        t = time.perf_counter()
        deck = build_deck(store, "11560", 2024, AS_OF)
        times.append(time.perf_counter() - t)
    t = time.perf_counter()
    deck_pptx(deck)
    pptx_s = time.perf_counter() - t
    med = statistics.median(times)
    print(f"deck of {len(deck.slides)} slides: compute median {med:.3f} s (goal < 1 s: {'ok' if med < 1 else 'SLOW'})")
    print(f".pptx written in {pptx_s:.3f} s")

    figs = [slide_figure(deck.slides[i % len(deck.slides)], deck) for i in range(args.images)]
    t = time.perf_counter()
    for fig in figs:
        png.render_own_browser(fig)
    per_image = time.perf_counter() - t
    t = time.perf_counter()
    png.render_many(figs)
    kept = time.perf_counter() - t
    png.stop_browser()
    print(f"{args.images} PNGs, one browser per image: {per_image:.2f} s ({per_image / args.images:.2f} s each)")
    print(
        f"{args.images} PNGs, one kept-alive browser: {kept:.2f} s (start included) ({kept / args.images:.2f} s each)"
    )
    print(f"ratio: kept-alive is {per_image / kept:.1f}x faster")


if __name__ == "__main__":
    main()
