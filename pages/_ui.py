"""Shared page helpers: the store, cached reports, and the few layout pieces every page uses.

Uploaded text (program, pledge, team, file and uploader names) is passed through kpi.safe_text.md wherever it
meets Streamlit Markdown (markdown, captions, alerts, toasts, subheaders, metric/expander/radio/segmented labels);
selectbox and multiselect options and dataframe cells are plain text already and take it unescaped.
"""

from __future__ import annotations

import base64
import functools
import io
import time
import weakref
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, cast
from zoneinfo import ZoneInfo

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from PIL import Image

from kpi import theme
from kpi.demo.seed import load_demo
from kpi.domain.filters import Filters
from kpi.exports import data_files
from kpi.i18n import STRINGS as _KEYS
from kpi.i18n import builtin_texts, column_label, t
from kpi.settings import load_settings
from kpi.store import Store, StoreError, queries
from kpi.views.report import KpiReport, build_report
from kpi.views.safe_text import md, safe_filename

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    store = Store.open(url)
    if load_settings().load_demo == "auto" and store.is_empty():
        load_demo(store)
    return store


VERSION_TTL_S = 1.0  # how long a read data version is trusted (other app servers' commits show within it)
_versions: dict[str, tuple[float, tuple[int, int]]] = {}  # url -> (when read, data version)
_stores: dict[str, Store] = {}  # url -> the store _open_store opened (a dict lookup per call, no hashing)


def data_version() -> tuple[int, int]:
    """The store's data version, read at most once a second (a rerun makes many cached calls); commits and
    reverts in this process clear it at once, other app servers see them within a second."""
    url = get_store().url
    now = time.monotonic()
    hit = _versions.get(url)
    if hit is not None and now - hit[0] < VERSION_TTL_S:
        return hit[1]
    version = _open_store(url).data_version()
    _versions[url] = (now, version)
    return version


def data_changed() -> None:
    """Call after a commit or revert: the next read sees the new data version."""
    _versions.clear()


def get_store() -> Store:
    """The store of the configured URL, migrated (and given the demo data when empty) on first use."""
    url = load_settings().database_url
    store = _stores.get(url)
    if store is not None:
        return store
    try:
        store = _stores[url] = _open_store(url)
    except StoreError as exc:
        st.error(t("error_db", detail=md(exc)))
        st.stop()
        raise
    return store


@st.cache_data(show_spinner=False, max_entries=256)
def _report(
    url: str, district: str, year: int, as_of: date, version: tuple[int, int], department: str | None = None
) -> KpiReport:
    return build_report(_open_store(url), district, year, as_of, department=department)


def report(filters: Filters) -> KpiReport:
    """The KPI report of the current filters, recomputed only when the store's data changes; the same object on
    every rerun (see screen: read it, never change it)."""
    return _report_screen(filters)


def _the_report(store: Store, report: KpiReport, filters: Filters) -> KpiReport:
    """The filters' report itself, as a screen."""
    return report


@functools.lru_cache(maxsize=64)
def _labels(lang: str, key: str, param: str, values: tuple) -> dict[Any, str]:
    """The labels of `labels`, made in `lang`."""
    return {v: t(key, lang, **{param: v}) for v in values}


def labels(key: str, param: str, values: Iterable[Any]) -> dict[Any, str]:
    """Each value's label t(key, param=value) in the UI language, made once per language (the sidebar's choices
    are labelled on every rerun). Read it, never change it."""
    return _labels(load_settings().lang, key, param, tuple(values))


@functools.lru_cache(maxsize=256)
def _departments_of(url: str, district: str, version: tuple[int, int]) -> list[str]:
    with _open_store(url).engine.connect() as conn:
        return sorted({str(d) for d in queries.programs(conn, district)["department"].dropna()})


def departments_of(url: str, district: str) -> list[str]:
    """Departments with programs in a district's store (a choice in the sidebar when there are several), read once
    per data version (the same list on every rerun: read it, never change it)."""
    return _departments_of(url, district, data_version())


@functools.lru_cache(maxsize=256)
def _years_of(url: str, district: str, version: tuple[int, int]) -> list[int]:
    with _open_store(url).engine.connect() as conn:
        return queries.years(conn, district)


@st.cache_data(show_spinner=False, max_entries=256)
def _latest_month_of(url: str, district: str, year: int, version: tuple[int, int]) -> int | None:
    with _open_store(url).engine.connect() as conn:
        return queries.latest_month(conn, district, year)


def years_of(url: str, district: str) -> list[int]:
    """Years with figures for a district (a new year appears as soon as its upload is committed), read once per data
    version (the same list on every rerun: read it, never change it)."""
    return _years_of(url, district, data_version())


def latest_month_of(url: str, district: str, year: int) -> int | None:
    """Latest month with figures of a district-year."""
    return _latest_month_of(url, district, year, data_version())


def current_filters() -> Filters:
    """The filters chosen in the frame's sidebar.

    A page file run without the frame (a deep link opened as a session's first run, see leave_pages_folder_mode)
    is run again through the frame."""
    if "filters" not in st.session_state:
        leave_pages_folder_mode(always=True)
    return st.session_state["filters"]


# --- The pages/ folder: its name is fixed by the design, and it is the one place Streamlit's legacy multipage mode is
# worked around. Streamlit sees a pages/ folder and runs a process's first script run (and a deep link such as
# /budget?... opened as a session's first run) in its pages-folder mode, although the frame navigates with
# st.navigation: widgets created in that run get other ids than in every later run (the first click would reset the
# sidebar filters), and a deep link runs the page file alone, without the frame. AppTest re-enters that mode before
# every run and keeps it consistent (tests/pages/test_app.py), so under AppTest only a page run alone is redone.


def leave_pages_folder_mode(always: bool = False) -> None:
    """Leave Streamlit's pages-folder mode as st.navigation itself does, and rerun through the frame: when this run
    is in that mode (outside AppTest), or `always` (a page file run without the frame)."""
    from streamlit import config as st_config
    from streamlit.runtime.pages_manager import PagesManager

    if always or (PagesManager.uses_pages_directory and not st_config.get_option("global.appTest")):
        PagesManager.uses_pages_directory = False
        st.rerun()


@functools.lru_cache(maxsize=1)
def favicon() -> str:
    """The app's favicon, a square of the primary colour, as a PNG data URL: drawn once (an image given to
    st.set_page_config is encoded and stored again on every run), and nothing for the browser to fetch."""
    png = io.BytesIO()
    Image.new("RGB", (32, 32), theme.PRIMARY).save(png, format="PNG")
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")


def sample_banner(show: bool, lang: str | None = None) -> None:
    """A visible label whenever sample data is on screen."""
    if show:
        st.warning(f"**{t('sample_badge', lang)}** — {t('sample_note', lang)}", icon=":material/science:")


# --- dashboard pages: screens held per data version (issue 12), charts with a data view and downloads (issue 4)


def _qualname(fn: Callable[..., Any]) -> str:
    """'module:function', the name a screen function is kept under."""
    return f"{fn.__module__}:{fn.__qualname__}"


# Screens: everything a page lays out for the current filters (and its own choices), computed by one kpi.views
# function `fn(store, report, filters, *args)` and kept as it is in this process (no copy, and a dict lookup with no
# hashing of the arguments by value), so a warm rerun only draws. The key is the store's data version (a commit or
# revert computes it anew), the settings (language, pace bands...), the filters and the page's choices. A screen is
# shared by every session: pages only read it.
_SCREENS: dict[str, Callable[..., Any]] = {}


@functools.lru_cache(maxsize=128)  # old data versions' screens go first; a screen is small (figures, short frames)
def _screen(
    name: str, url: str, version: tuple[int, int], settings: object, filters: Filters, args: tuple, kwargs: tuple
) -> Any:
    """The registered screen function `name` of the store of `url`, for these filters and choices."""
    report = _report(url, filters.district, filters.year, filters.as_of, version, filters.department)
    return _SCREENS[name](_open_store(url), report, filters, *args, **dict(kwargs))


def screen(fn: Callable[Concatenate[Store, KpiReport, Filters, P], R]) -> Callable[Concatenate[Filters, P], R]:
    """`fn` (a kpi.views function taking the store, the filters' report and the filters first) as a page calls it:
    with the filters and its own arguments (hashable), its result computed once per data version, settings, filters
    and arguments, and returned as the same object on every rerun (read it, never change it)."""
    name = _qualname(fn)
    _SCREENS[name] = fn

    @functools.wraps(fn)
    def call(filters: Filters, *args: P.args, **kwargs: P.kwargs) -> R:
        """fn(store, report, filters, *args, **kwargs), held while the store's data is unchanged."""
        store = get_store()
        key = tuple(sorted(kwargs.items()))
        return cast(R, _screen(name, store.url, data_version(), load_settings(), filters, args, key))

    return call


_report_screen = screen(_the_report)


@st.cache_data(show_spinner=False, max_entries=128)
def _bytes(kind: str, frame: pd.DataFrame, name: str) -> bytes:
    return data_files.csv_bytes(frame) if kind == "csv" else data_files.xlsx_bytes(frame, name)


SEOUL = ZoneInfo("Asia/Seoul")


def seoul_time(value: datetime | None) -> str:
    """A stored time (UTC) as Seoul wall-clock time, 'YYYY-MM-DD HH:MM' (naive values are taken as UTC)."""
    if value is None or pd.isna(value):
        return "-"
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts
    return f"{ts.tz_convert(SEOUL):%Y-%m-%d %H:%M}"


# display_frame of frames that stay the same object across reruns (those of a screen): converted once per frame
# and language. An entry goes when its frame does (weak reference), so ids of dead frames never match.
_DISPLAYED: dict[int, tuple[weakref.ref, str, pd.DataFrame]] = {}


def display_frame(frame: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """A frame as people read it: headers in the UI language (kpi.i18n.column_label), times in Asia/Seoul,
    booleans as the language's yes/no and codes (upload kinds, statuses, levels, roles) as their labels.
    The same frame object (a screen's, never changed) is converted once per UI language (`lang`: the setting's)."""
    lang = lang or load_settings().lang
    hit = _DISPLAYED.get(id(frame))
    if hit is not None and hit[0]() is frame and hit[1] == lang:
        return hit[2]
    out = _display_frame(frame)
    if hit is None or hit[0]() is not frame:
        weakref.finalize(frame, _DISPLAYED.pop, id(frame), None)
    _DISPLAYED[id(frame)] = (weakref.ref(frame), lang, out)
    return out


def _display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """display_frame, computed."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype) or col in ("uploaded_at", "reverted_at"):
            out[col] = series.map(lambda v: seoul_time(v) if v is not None and v == v else None)
        elif pd.api.types.is_bool_dtype(series):
            out[col] = series.map({True: t("yes"), False: t("no")})
        elif col in CODE_COLUMNS:
            out[col] = series.map(lambda v, f=CODE_COLUMNS[col]: f(v) if isinstance(v, str) else v)
    return out.rename(columns={c: column_label(str(c)) for c in out.columns})


def kind_label(kind: str) -> str:
    """Name of a recognised sheet kind in the UI language ('+'-joined kinds joined with ' · ')."""
    return " · ".join(t(f"kind_{k}") if f"kind_{k}" in _KEYS else k for k in kind.split("+"))


def _code(prefix: str) -> Callable[[str], str]:
    return lambda v: t(f"{prefix}_{v}") if f"{prefix}_{v}" in _KEYS else v


CODE_COLUMNS: dict[str, Callable[[str], str]] = {
    "kind": kind_label,
    "status": _code("code"),
    "level": _code("level"),
    "role": _code("role"),
}


def table(frame: pd.DataFrame, **kwargs: Any) -> object:
    """st.dataframe of display_frame(frame): missing values shown as "-" (not "None")."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return st.dataframe(display_frame(frame), placeholder="-", **kwargs)


def data_view(frame: pd.DataFrame, name: str, key: str) -> None:
    """An expander with the chart's data as a table, and CSV (UTF-8 with BOM) and xlsx downloads (formula-safe;
    the file name, which may hold a program name, without characters file systems refuse)."""
    lang = load_settings().lang  # read once: a page has many data views
    name = safe_filename(name)
    frame = display_frame(frame, lang)
    with st.expander(t("data_view", lang)):
        st.dataframe(frame, hide_index=True, width="stretch", placeholder="-")
        for col, kind, mime in zip(
            st.columns(2), ("xlsx", "csv"), (data_files.XLSX_MIME, data_files.CSV_MIME), strict=True
        ):
            col.download_button(
                t(f"download_{kind}", lang),
                functools.partial(_bytes, kind, frame, name),
                file_name=f"{name}.{kind}",
                mime=mime,
                key=f"{key}_{kind}",
                on_click="ignore",
            )


OnSelect = Literal["rerun", "ignore"] | Callable[[], None]


def _plot(
    fig: go.Figure, frame: pd.DataFrame, name: str, key: str, view_key: str, on_select: OnSelect, alt: str
) -> Any:
    """The plotly chart with points/box selection, its text alternative (accessible name and caption) and its
    data view; returns the chart's selection state."""
    state = st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        on_select=on_select,
        selection_mode=("points", "box"),
        config={"displaylogo": False},
        alt=alt or None,
    )
    if alt:
        st.caption(md(alt))
    data_view(frame, name, view_key)
    return state


def chart(fig: go.Figure, frame: pd.DataFrame, name: str, key: str, select: bool = True, alt: str = "") -> list[dict]:
    """A plotly chart (points/box selection reruns the page) with its text alternative and its data view; returns
    the selected points.

    `alt` states the chart's message and its numbers: it is the chart's accessible name (screen readers) and is
    shown under the chart as a caption, so everyone gets the message in words; the data view has every number."""
    state = _plot(fig, frame, name, key, key, "rerun" if select else "ignore", alt)
    if not select or state is None:
        return []
    return list(state.get("selection", {}).get("points", []))


def _sel_key(key: str) -> str:
    return f"sel_{key}"


def _chart_key(sel_key: str, chart_id: str) -> str:
    return f"{chart_id}_{st.session_state.get(f'{sel_key}__n', 0)}"


def selection(key: str, param: str, valid: Iterable[str]) -> list[str]:
    """A page's cross-filter selection (e.g. district codes, program ids): kept in session state, opened from and
    written to the URL parameter `param` (comma-separated), so a copied link reopens it. Only valid values survive."""
    valid = [str(v) for v in valid]
    sk = _sel_key(key)
    if sk not in st.session_state:
        raw = st.query_params.get(param) or ""
        st.session_state[sk] = [v for v in dict.fromkeys(raw.split(",")) if v in valid]
    chosen = [v for v in st.session_state[sk] if v in valid]
    st.session_state[sk] = chosen
    if chosen:
        st.query_params[param] = ",".join(chosen)
    elif param in st.query_params:
        del st.query_params[param]
    return chosen


def _on_select(key: str, chart_key: str, to_values: Callable[[list[dict]], list[str]]) -> None:
    state = st.session_state.get(chart_key) or {}
    points = list(state.get("selection", {}).get("points", []))
    st.session_state[_sel_key(key)] = list(dict.fromkeys(to_values(points)))


def select_chart(
    fig: go.Figure,
    frame: pd.DataFrame,
    name: str,
    sel_key: str,
    chart_id: str,
    to_values: Callable[[list[dict]], list[str]],
    alt: str = "",
) -> None:
    """A chart whose clicked (or box-selected) points set the selection `sel_key` (see selection): a click on a bar
    or a tile selects it, shift-click adds to it, a double click on the plot or the clear button clears it. Several
    charts may feed one selection; the last one clicked decides."""
    chart_key = _chart_key(sel_key, chart_id)
    _plot(fig, frame, name, chart_key, chart_id, lambda: _on_select(sel_key, chart_key, to_values), alt)


def clear_selection(key: str) -> None:
    """Empty the selection `key` and redraw its chart without plotly's own selection (a new widget key)."""
    st.session_state[_sel_key(key)] = []
    st.session_state[f"{key}__n"] = st.session_state.get(f"{key}__n", 0) + 1


def selection_bar(key: str, labels: list[str]) -> None:
    """What is selected, in words, with a one-click button that clears the selection."""
    if not labels:
        return
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(t("selected", what=", ".join(md(x) for x in labels)), icon=":material/filter_alt:")
    right.button(
        t("clear_selection"), key=f"{key}_clear", on_click=clear_selection, args=(key,), icon=":material/close:"
    )


def page_header(title_key: str, report: KpiReport) -> None:
    """Title with district and year, the as-of date and the last upload (freshness), and the sample label."""
    lang = load_settings().lang
    st.title(f"{t(title_key, lang)} · {report.district_name} {t('year_label', lang, year=report.year)}")
    last = report.last_upload
    st.caption(
        t(
            "freshness",
            lang,
            as_of=report.as_of.isoformat(),
            when=seoul_time(last["uploaded_at"]),
            who=md(last["uploaded_by"]),
            file=md(last["filename"]),
        )
        if last
        else t("no_upload", lang)
    )
    sample_banner(report.includes_sample, lang)


def seed_from_url(key: str, param: str, options: list, convert=str) -> None:
    """Before a page widget is drawn: take its initial value from the URL parameter when that is a valid option."""
    if key in st.session_state:
        return
    raw = st.query_params.get(param)
    try:
        value = convert(raw) if raw is not None else None
    except ValueError:
        value = None
    if value in options:
        st.session_state[key] = value


def keep_in_url(**values: object) -> None:
    """Write a page's own choices into the URL (next to the frame's filters), so a copied link reopens them."""
    st.query_params.update({k: str(v) for k, v in values.items() if v is not None})


# --- Streamlit's own widget texts in the UI language (issue 10)
#
# Some texts are drawn by Streamlit's frontend with no parameter to change them in 1.67: the file uploader's
# "Drag and drop a file here", "Upload" and "20MB per file", a multiselect's "Select all", the chart and table
# toolbars' tooltips, the "Page not found" dialog. Where a parameter exists the pages use it (placeholder=,
# st.dataframe(placeholder="-")); for the rest this one component (st.components.v2, which runs in the page itself,
# not in an iframe) watches the page and replaces exactly those texts, and the placeholder, aria-label, title and
# data-title attributes that carry them, by kpi.i18n.builtin_texts(): a whole-text match, or one of its patterns
# for texts with a number in them. A text it does not know is left as it is, so a Streamlit upgrade that rewords a
# text shows English again rather than breaking anything (tests/test_browser_i18n.py finds it).

_LOCALIZE_JS = """
export default function (component) {
  const { data } = component;
  const texts = new Map(Object.entries(data.texts || {}));
  const patterns = (data.patterns || []).map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["placeholder", "aria-label", "title", "data-title"];
  const tr = (value) => {
    if (!value) return null;
    const key = value.trim();
    if (texts.has(key)) return value.replace(key, texts.get(key));
    for (const [re, to] of patterns) if (re.test(key)) return value.replace(re, to);
    return null;
  };
  const fixNode = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const out = tr(node.nodeValue);
      if (out !== null && out !== node.nodeValue) node.nodeValue = out;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const el of [node, ...node.querySelectorAll("*")]) {
      for (const a of ATTRS) {
        const v = el.getAttribute && el.getAttribute(a);
        const out = v && tr(v);
        if (out !== null && out !== undefined && out !== v) el.setAttribute(a, out);
      }
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) fixNode(n);
  };
  // A metric's sparkline (a Vega SVG whose marks have roles but no names) becomes one image named by the metric.
  const metricCharts = () => {
    const charts = '[data-testid="stMetric"] svg.marks, [data-testid="stMetric"] svg[role="graphics-document"]';
    for (const svg of document.querySelectorAll(charts)) {
      const metric = svg.closest('[data-testid="stMetric"]');
      const name = [...metric.querySelectorAll('[data-testid="stMetricLabel"], [data-testid="stMetricValue"], ' +
        '[data-testid="stMetricDelta"]')].map((e) => e.innerText.trim()).filter(Boolean).join(", ");
      const label = `${name} — ${data.trend}`;
      if (svg.getAttribute("aria-label") !== label) svg.setAttribute("aria-label", label);
      if (svg.getAttribute("role") !== "img") svg.setAttribute("role", "img");
      for (const el of svg.querySelectorAll("[role]")) {
        if (el.getAttribute("aria-hidden") !== "true") el.setAttribute("aria-hidden", "true");
      }
    }
  };
  if (window.__jobkpiTexts) window.__jobkpiTexts.disconnect();
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "characterData") fixNode(m.target);
      else if (m.type === "attributes") fixNode(m.target);
      else m.addedNodes.forEach(fixNode);
    }
    metricCharts();
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                    attributeFilter: ATTRS });
  window.__jobkpiTexts = observer;
  fixNode(document.body);
  metricCharts();
}
"""
_localizer = None


@functools.lru_cache(maxsize=4)
def _builtin_texts(lang: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """kpi.i18n.builtin_texts of `lang`, made once."""
    return builtin_texts(lang)


def localize_builtin_texts() -> None:
    """Mount the text localizer (above) once per run of the frame. It also names each metric's sparkline (an SVG
    whose marks Vega gives roles but no names) by the metric's label, value and delta, as one image."""
    global _localizer
    texts, patterns = _builtin_texts(load_settings().lang)
    if _localizer is None:
        _localizer = st.components.v2.component("jobkpi_builtin_texts", js=_LOCALIZE_JS, isolate_styles=False)
    with st.sidebar, st.container(key="builtin_texts"):
        data = {"texts": texts, "patterns": patterns, "trend": t("trend_chart")}
        _localizer(data=data, key="builtin_texts_component")


# Page-wide style: visually hidden text for screen readers, the localizer's empty element out of the layout, and
# captions dark enough for KWCAG 2.2 (4.5:1 on white and on the sidebar's grey): Streamlit draws them as text at
# 60% opacity, 2.8:1 on white.
APP_CSS = f"""
<style>
.st-key-builtin_texts {{ display: none; }}
[data-testid="stCaptionContainer"] {{ color: {theme.CAPTION_TEXT}; opacity: 1; }}
</style>
"""


def app_style() -> None:
    """The page-wide style above (a style-only st.html takes no room on the page)."""
    st.html(APP_CSS)
