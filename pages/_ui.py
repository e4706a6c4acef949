"""Shared page helpers: the store, cached reports, and the few layout pieces every page uses.

Uploaded text (program, pledge, team, file and uploader names) is passed through kpi.safe_text.md wherever it
meets Streamlit Markdown (markdown, captions, alerts, toasts, subheaders, metric/expander/radio/segmented labels);
selectbox and multiselect options and dataframe cells are plain text already and take it unescaped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kpi import queries, tables
from kpi.demo import load_demo
from kpi.exports import data_files
from kpi.filters import Filters
from kpi.i18n import t
from kpi.report import KpiReport, build_report
from kpi.safe_text import md, safe_filename
from kpi.settings import load_settings
from kpi.store import Store, StoreError


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    store = Store.open(url)
    if load_settings().load_demo == "auto" and store.is_empty():
        load_demo(store)
    return store


@st.cache_data(show_spinner=False, ttl=1)
def _data_version(url: str) -> tuple[int, int]:
    return _open_store(url).data_version()


def data_version() -> tuple[int, int]:
    """The store's data version, read at most once a second (a rerun makes many cached calls); commits and
    reverts in this process clear it at once, other app servers see them within a second."""
    return _data_version(get_store().url)


def data_changed() -> None:
    """Call after a commit or revert: the next read sees the new data version."""
    _data_version.clear()


def get_store() -> Store:
    """The store of the configured URL, migrated (and given the demo data when empty) on first use."""
    try:
        return _open_store(load_settings().database_url)
    except StoreError as exc:
        st.error(t("error_db", detail=md(exc)))
        st.stop()
        raise


@st.cache_data(show_spinner=False, max_entries=256)
def _report(url: str, district: str, year: int, as_of: date, version: tuple[int, int]) -> KpiReport:
    return build_report(_open_store(url), district, year, as_of)


def report(filters: Filters) -> KpiReport:
    """The KPI report of the current filters, recomputed only when the store's data changes."""
    store = get_store()
    return _report(store.url, filters.district, filters.year, filters.as_of, data_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _years_of(url: str, district: str, version: tuple[int, int]) -> list[int]:
    with _open_store(url).engine.connect() as conn:
        return queries.years(conn, district)


@st.cache_data(show_spinner=False, max_entries=256)
def _latest_month_of(url: str, district: str, year: int, version: tuple[int, int]) -> int | None:
    with _open_store(url).engine.connect() as conn:
        return queries.latest_month(conn, district, year)


def years_of(url: str, district: str) -> list[int]:
    """Years with figures for a district (a new year appears as soon as its upload is committed)."""
    return _years_of(url, district, data_version())


def latest_month_of(url: str, district: str, year: int) -> int | None:
    """Latest month with figures of a district-year."""
    return _latest_month_of(url, district, year, data_version())


def current_filters() -> Filters:
    """The filters chosen in the frame's sidebar.

    A deep link (/budget?...) opened as a session's first run makes Streamlit, which sees a pages/ folder
    before app.py has called st.navigation, run the page file alone; rerun through the frame instead."""
    if "filters" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False  # what st.navigation itself sets
        st.rerun()
    return st.session_state["filters"]


def sample_banner(show: bool) -> None:
    """A visible label whenever sample data is on screen."""
    if show:
        st.warning(f"**{t('sample_badge')}** — {t('sample_note')}", icon=":material/science:")


# --- dashboard pages: cached reads, charts with a data view and downloads (issue 4)


def report_for(filters: Filters, year: int, as_of: date) -> KpiReport:
    """The report of the current district for another year/as-of (e.g. the same month last year), cached."""
    store = get_store()
    return _report(store.url, filters.district, year, as_of, data_version())


@st.cache_data(show_spinner=False, max_entries=64)
def cached(fn_name: str, url: str, version: tuple[int, int], *args: object) -> object:
    """Result of a kpi.views function `module.function` called with (store, *args), recomputed when data changes."""
    import importlib

    module, func = fn_name.rsplit(".", 1)
    return getattr(importlib.import_module(module), func)(_open_store(url), *args)


def view(fn_name: str, *args: object) -> object:
    """Cached call of a kpi view function taking the store first (see cached)."""
    store = get_store()
    return cached(fn_name, store.url, data_version(), *args)


@st.cache_data(show_spinner=False, max_entries=128)
def _bytes(kind: str, frame: pd.DataFrame, name: str) -> bytes:
    return data_files.csv_bytes(frame) if kind == "csv" else data_files.xlsx_bytes(frame, name)


def data_view(frame: pd.DataFrame, name: str, key: str) -> None:
    """An expander with the chart's data as a table, and CSV (UTF-8 with BOM) and xlsx downloads (formula-safe;
    the file name, which may hold a program name, without characters file systems refuse)."""
    name = safe_filename(name)
    with st.expander(t("data_view")):
        st.dataframe(frame, hide_index=True, width="stretch")
        for col, kind, mime in zip(st.columns(2), ("xlsx", "csv"), (tables.XLSX_MIME, tables.CSV_MIME), strict=True):
            col.download_button(
                t(f"download_{kind}"),
                lambda kind=kind: _bytes(kind, frame, name),
                file_name=f"{name}.{kind}",
                mime=mime,
                key=f"{key}_{kind}",
                on_click="ignore",
            )


@st.cache_data(show_spinner=False, max_entries=256)
def _figure_dict(builder: str, args: tuple, kwargs: dict) -> dict:
    import importlib

    module, name = builder.split(":")
    return getattr(importlib.import_module(module), name)(*args, **kwargs).to_dict()


def figure(builder: Callable[..., go.Figure], *args: object, **kwargs: object) -> go.Figure:
    """builder(*args, **kwargs), built once per distinct input: building a plotly figure (every update_layout
    validated) is the slowest part of a rerun; the cached dict is already valid, so it is not validated again."""
    return go.Figure(_figure_dict(f"{builder.__module__}:{builder.__name__}", args, kwargs), _validate=False)


def chart(fig: go.Figure, frame: pd.DataFrame, name: str, key: str, select: bool = True) -> list[dict]:
    """A plotly chart (points/box selection reruns the page) with its data view; returns the selected points."""
    state = st.plotly_chart(
        fig,
        width="stretch",
        key=key,
        on_select="rerun" if select else "ignore",
        selection_mode=("points", "box"),
        config={"displaylogo": False},
    )
    data_view(frame, name, key)
    if not select or state is None:
        return []
    return list(state.get("selection", {}).get("points", []))


def page_header(title_key: str, report: KpiReport) -> None:
    """Title with district and year, the as-of date and the last upload (freshness), and the sample label."""
    st.title(f"{t(title_key)} · {report.district_name} {report.year}년")
    last = report.last_upload
    st.caption(
        t(
            "freshness",
            as_of=report.as_of.isoformat(),
            when=f"{last['uploaded_at']:%Y-%m-%d %H:%M}",
            who=md(last["uploaded_by"]),
            file=md(last["filename"]),
        )
        if last
        else t("no_upload")
    )
    sample_banner(report.includes_sample)


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
