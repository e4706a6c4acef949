"""Benchmark (not a test): each page's warm rerun under AppTest vs a bare page drawing the same elements from
precomputed data, measured in the same run (aim: <= 1.3x).

    .venv/bin/python bench/pages_bench.py [--runs 21] [--pages overview ...] [--recompile]

The bare page is a fair floor: after the page's warm run, every element it drew (titles, captions, alerts, columns,
expanders and containers, metrics with their sparklines, tables with their column configuration and selection,
plotly charts with their selection mode and config, download buttons, segmented controls, selectboxes...) is captured
from the AppTest tree, and the bare page draws the same elements, in the same layout, through the same Streamlit
calls, from data held in memory (built once per process, like a page whose figures are all ready). The bench checks
that both trees hold the same elements, in order, and stops if they differ.

Both run the same way: AppTest runs a page of an app with a pages/ folder in Streamlit's pages-folder mode (the page
script alone, the frame's sidebar not redrawn), so the bare page is also a page of a (trivial) app with a pages/
folder. The server compiles each script once; AppTest compiles it on every run, so both are given one bytecode cache
as the server has (--recompile measures AppTest's default instead). Page and bare reruns alternate, so a load change
on a shared machine hits both alike. The last line is `RATIO page_vs_bare_<page>=... `.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ["overview", "programs", "budget", "districts", "pledges"]
ROOTS = ("main", "sidebar", "event")  # the page's main area, its sidebar and its event elements
QUERY = {"district": "11560", "year": "2024", "as_of": "2024-05-31"}

# The bare page's drawing code: a module the bare page script imports (imported once per process, as the app's own
# modules are), replaying the captured elements through the public Streamlit API.
REPLAY = '''
import pickle
from typing import Any

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource(show_spinner=False)
def load(path: str) -> dict:
    """The captured elements, figures as plotly figures (built once per process: the data is ready)."""
    def ready(ops: list) -> list:
        out = []
        for op in ops:
            kind, args = op[0], op[1]
            if kind == "plotly_chart":
                args = {**args, "figure": go.Figure(args["figure"])}
            kids = None if len(op) < 3 else [ready(k) for k in op[2]] if kind == "columns" else ready(op[2])
            out.append((kind, args, kids))
        return out
    with open(path, "rb") as f:
        return {root: ready(ops) for root, ops in pickle.load(f).items()}


COMPONENTS: dict = {}


def draw_all(roots: dict) -> None:
    """The page's main area, its sidebar and its event elements (style-only html lands there again)."""
    n = [0]
    draw(roots["main"], n)
    with st.sidebar:
        draw(roots["sidebar"], n)
    draw(roots["event"], n)


def draw(ops: list, n: list) -> None:
    """Draw the elements: one Streamlit call per element, containers as the page laid them out."""
    for kind, a, children in ops:
        n[0] += 1
        key = f"bare_{n[0]}"
        if kind == "columns":
            for col, kids in zip(st.columns(a["weights"], vertical_alignment=a["align"]), children):
                with col:
                    draw(kids, n)
        elif kind == "expander":
            with st.expander(a["label"], expanded=a["expanded"], icon=a["icon"]):
                draw(children, n)
        elif kind == "container":
            with st.container(border=a["border"]):
                draw(children, n)
        elif kind == "form":
            with st.form(a["key"], enter_to_submit=a["enter"], border=a["border"]):
                draw(children, n)
        elif kind == "text_input":
            st.text_input(a["label"], type=a["type"], key=key)
        elif kind == "submit":
            st.form_submit_button(a["label"])
        elif kind == "bidi_component":
            if a["name"] not in COMPONENTS:
                name = f"bare_{a['name']}"
                COMPONENTS[a["name"]] = st.components.v2.component(name, js=a["js"], isolate_styles=False)
            COMPONENTS[a["name"]](data=a["data"], key=key)
        elif kind in ("title", "header", "subheader"):
            getattr(st, kind)(a["body"], anchor=a["anchor"])
        elif kind in ("caption", "markdown"):
            getattr(st, kind)(a["body"])
        elif kind == "divider":
            st.divider()
        elif kind in ("info", "warning", "success", "error"):
            getattr(st, kind)(a["body"], icon=a["icon"])
        elif kind == "metric":
            st.metric(a["label"], a["value"], a["delta"], help=a["help"], border=a["border"],
                      chart_data=a["chart_data"], chart_type=a["chart_type"])
        elif kind == "dataframe":
            st.dataframe(a["frame"], column_config=a["column_config"], column_order=a["column_order"],
                         placeholder=a["placeholder"], width="stretch", key=key,
                         on_select="rerun" if a["select"] else "ignore", selection_mode="single-row")
        elif kind == "plotly_chart":
            st.plotly_chart(a["figure"], width="stretch", key=key, config=a["config"], alt=a["alt"],
                            on_select="rerun" if a["select"] else "ignore", selection_mode=("points", "box"))
        elif kind == "download_button":
            st.download_button(a["label"], lambda: b"", file_name="bare.csv", key=key, on_click="ignore")
        elif kind == "button":
            st.button(a["label"], key=key, icon=a["icon"])
        elif kind == "button_group":
            st.segmented_control(a["label"], a["options"], default=a["default"], key=key)
        elif kind == "multiselect":
            st.multiselect(a["label"], a["options"], key=key)
        elif kind == "selectbox":
            st.selectbox(a["label"], a["options"], index=a["index"], key=key)
        elif kind == "html":
            st.html(a["body"])
        else:
            raise ValueError(f"the bare page cannot draw {kind}")
'''

BARE_PAGE = """
import bare_replay
bare_replay.draw_all(bare_replay.load(PICKLE))
"""


def _text(value: str) -> str | None:
    return value or None


def capture(node: Any) -> list:
    """The elements under an AppTest tree node as (kind, arguments[, children]) for the bare page."""
    from streamlit.testing.v1.element_tree import Block

    out: list = []
    for child in node.children.values():
        kind, p = child.type, child.proto
        if isinstance(child, Block):
            kids = list(child.children.values())
            if kind == "flex_container" and kids and all(k.type == "column" for k in kids):
                weights = [k.proto.weight for k in kids]
                align = {0: "top", 1: "center", 2: "bottom"}.get(kids[0].proto.vertical_alignment, "top")
                out.append(("columns", {"weights": weights, "align": align}, [capture(k) for k in kids]))
            elif kind == "expander":
                a = {"label": p.label, "expanded": p.expanded, "icon": _text(p.icon)}
                out.append(("expander", a, capture(child)))
            elif kind == "form":
                f = p.form
                out.append(("form", {"key": f.form_id, "enter": f.enter_to_submit, "border": f.border}, capture(child)))
            elif kind in ("flex_container", "vertical"):
                border = bool(getattr(getattr(p, kind, p), "border", False))
                out.append(("container", {"border": border}, capture(child)))
            else:
                raise ValueError(f"the bench cannot capture a {kind} block")
        elif kind in ("title", "header", "subheader"):
            out.append((kind, {"body": p.body, "anchor": _text(p.anchor)}))
        elif kind in ("caption", "markdown"):
            out.append((kind, {"body": p.body}))
        elif kind == "divider":
            out.append((kind, {}))
        elif kind in ("info", "warning", "success", "error"):
            out.append((kind, {"body": p.body, "icon": _text(p.icon)}))
        elif kind == "metric":
            chart = list(p.chart_data) or None
            chart_type = {0: "line", 1: "bar", 2: "area"}.get(p.chart_type, "line")
            a = {"label": p.label, "value": p.body, "delta": _text(p.delta), "help": _text(p.help)}
            out.append((kind, {**a, "border": p.show_border, "chart_data": chart, "chart_type": chart_type}))
        elif kind == "dataframe":
            config = json.loads(p.columns) if p.columns else None
            a = {"frame": child.value, "column_config": config, "column_order": list(p.column_order) or None}
            out.append((kind, {**a, "placeholder": _text(p.placeholder), "select": bool(len(p.selection_mode))}))
        elif kind == "plotly_chart":
            a = {"figure": json.loads(p.spec), "config": json.loads(p.config) if p.config else {}}
            out.append((kind, {**a, "alt": _text(p.alt), "select": bool(len(p.selection_mode))}))
        elif kind == "download_button":
            out.append((kind, {"label": p.label}))
        elif kind == "button" and p.is_form_submitter:
            out.append(("submit", {"label": p.label}))
        elif kind == "button":
            out.append((kind, {"label": p.label, "icon": _text(p.icon)}))
        elif kind == "text_input":
            out.append((kind, {"label": p.label, "type": "password" if p.type == 1 else "default"}))
        elif kind == "bidi_component":
            data = json.loads(p.json) if p.json else None
            out.append((kind, {"name": p.component_name, "js": p.js_content, "data": data}))
        elif kind == "button_group":
            options = [o.content for o in p.options]
            default = options[p.default[0]] if len(p.default) else None
            out.append((kind, {"label": p.label, "options": options, "default": default}))
        elif kind in ("multiselect", "selectbox"):
            index = p.default if kind == "selectbox" and p.HasField("default") else None
            out.append((kind, {"label": p.label, "options": list(p.options), "index": index}))
        elif kind == "html":
            out.append((kind, {"body": p.body}))
        else:
            raise ValueError(f"the bench cannot capture a {kind} element")
    return out


def root_of(at: AppTest, name: str) -> Any:
    """The tree's main area, sidebar or event block."""
    return next(block for block in at._tree.children.values() if block.type == name)


def kinds(node: Any) -> list[str]:
    """Every element and container under a tree node, in order, by type: what a fair floor must also draw."""
    from streamlit.testing.v1.element_tree import Block

    out = []
    for child in node.children.values():
        out.append(child.type)
        if isinstance(child, Block):
            out += kinds(child)
    return out


def timed(at: AppTest) -> float:
    """Seconds of one rerun of the page the AppTest is on."""
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def on_page(script: Path, page: str, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of the app `script`, switched to `page` and run warm."""
    at = AppTest.from_file(str(script), default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(page)
    at.run()
    at.run()
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return at


def share_bytecode() -> None:
    """Give every AppTest run one bytecode cache, as the server has (AppTest compiles each script on every run)."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = lambda: shared  # type: ignore[attr-defined]  # the pages' scripts
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[attr-defined]  # the main script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--recompile", action="store_true", help="compile the scripts on every run (AppTest's way)")
    args = parser.parse_args()
    if not args.recompile:
        share_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        ratios = measure(Path(tmp), args.pages, args.runs)
    print("RATIO " + " ".join(f"page_vs_bare_{name}={ratio:.2f}" for name, ratio in ratios.items()))


def measure(tmp: Path, pages: list[str], runs: int) -> dict[str, float]:
    """Per page: the median warm rerun of the page over that of its bare page (a table of both, printed)."""
    from kpi.demo.seed import load_demo
    from kpi.store import Store

    url = f"sqlite:///{tmp / 'demo.db'}"
    load_demo(Store.open(url))
    os.environ.update(JOBKPI_DATABASE_URL=url, JOBKPI_LOAD_DEMO="never")
    bare_app = tmp / "bare"
    (bare_app / "pages").mkdir(parents=True)
    (bare_app / "app.py").write_text("")
    for page in (ROOT / "pages").glob("*.py"):  # as many pages for AppTest's pages-folder mode to list
        (bare_app / "pages" / page.name).write_text("")
    (tmp / "replay").mkdir()
    (tmp / "replay" / "bare_replay.py").write_text(REPLAY)
    sys.path.insert(0, str(tmp / "replay"))
    print(f"{'page':<10} {'page s':>8} {'bare s':>8} {'ratio':>6}  elements")
    ratios = {}
    for name in pages:
        at = on_page(ROOT / "app.py", f"pages/{name}.py", QUERY)
        pkl = tmp / f"{name}.pkl"
        pkl.write_bytes(pickle.dumps({root: capture(root_of(at, root)) for root in ROOTS}))
        (bare_app / "pages" / f"{name}.py").write_text(BARE_PAGE.replace("PICKLE", repr(str(pkl))))
        bare = on_page(bare_app / "app.py", f"pages/{name}.py")
        drawn, floor = ([k for root in ROOTS for k in kinds(root_of(app, root))] for app in (at, bare))
        if drawn != floor:
            raise SystemExit(f"{name}: the bare page draws other elements than the page:\n{drawn}\n{floor}")
        page_s, bare_s = [], []
        for _ in range(runs):  # alternating, so a change of load hits both
            page_s.append(timed(at))
            bare_s.append(timed(bare))
        page_m, bare_m = statistics.median(page_s), statistics.median(bare_s)
        ratios[name] = page_m / bare_m
        print(f"{name:<10} {page_m:8.3f} {bare_m:8.3f} {ratios[name]:6.2f}x  {len(drawn)}")
    return ratios


if __name__ == "__main__":
    main()
