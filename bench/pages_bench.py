"""Benchmark (not a test): each page's warm rerun under AppTest vs a bare page drawing the same figures
from precomputed data, measured in the same run. Prints the ratio per page (aim: <= 1.3x).

    .venv/bin/python bench/pages_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ["overview", "programs", "budget", "districts", "pledges"]
QUERY = {"district": "11560", "year": "2024", "as_of": "2024-05-31"}

# The bare page: the same charts and tables as the page rendered, from figures pickled after a warm run.
BARE = """
import pickle, streamlit as st
elements = pickle.load(open(PICKLE, "rb"))
for kind, payload in elements:
    if kind == "plotly":
        st.plotly_chart(payload, key=None)
    elif kind == "metric":
        st.metric(*payload, border=True)
    elif kind == "frame":
        st.dataframe(payload)
    else:
        st.markdown(payload)
"""


def warm(at: AppTest, runs: int) -> float:
    """Median seconds of a warm rerun of the page the AppTest is on."""
    at.run()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def capture(at: AppTest) -> list:
    """The page's rendered figures, metrics, tables and texts, as a bare page would draw them."""
    import json

    import plotly.graph_objects as go

    out: list = [("plotly", go.Figure(json.loads(c.proto.spec))) for c in at.get("plotly_chart")]
    out += [("metric", (m.label, m.value, m.delta)) for m in at.metric]
    out += [("frame", d.value) for d in at.dataframe]
    out += [("text", m.value) for m in at.markdown]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from kpi.demo.seed import load_demo
    from kpi.store import Store

    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'demo.db'}"
    load_demo(Store.open(url))
    os.environ.update(JOBKPI_DATABASE_URL=url, JOBKPI_LOAD_DEMO="never")
    print(f"{'page':<10} {'page s':>8} {'bare s':>8} {'ratio':>6}")
    for name in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(QUERY)
        at.run()
        at.switch_page(f"pages/{name}.py")
        page_s = warm(at, args.runs)
        pkl = tmp / f"{name}.pkl"
        pkl.write_bytes(pickle.dumps(capture(at)))
        bare = AppTest.from_string(BARE.replace("PICKLE", repr(str(pkl))), default_timeout=120)
        bare_s = warm(bare, args.runs)
        print(f"{name:<10} {page_s:8.3f} {bare_s:8.3f} {page_s / bare_s:6.2f}x")


if __name__ == "__main__":
    main()
