"""Shared page helpers: the store, cached reports, and the few layout pieces every page uses."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kpi import queries
from kpi.demo import load_demo
from kpi.filters import Filters
from kpi.i18n import t
from kpi.report import KpiReport, build_report
from kpi.settings import load_settings
from kpi.store import Store, StoreError


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    store = Store.open(url)
    if load_settings().load_demo == "auto" and store.is_empty():
        load_demo(store)
    return store


def get_store() -> Store:
    """The store of the configured URL, migrated (and given the demo data when empty) on first use."""
    try:
        return _open_store(load_settings().database_url)
    except StoreError as exc:
        st.error(t("error_db", detail=str(exc)))
        st.stop()
        raise


@st.cache_data(show_spinner=False, max_entries=256)
def _report(url: str, district: str, year: int, as_of: date, version: tuple[int, int]) -> KpiReport:
    return build_report(_open_store(url), district, year, as_of)


def report(filters: Filters) -> KpiReport:
    """The KPI report of the current filters, recomputed only when the store's data changes."""
    store = get_store()
    return _report(store.url, filters.district, filters.year, filters.as_of, store.data_version())


@st.cache_data(show_spinner=False, ttl=60)
def years_of(url: str, district: str) -> list[int]:
    """Years with figures for a district."""
    with _open_store(url).engine.connect() as conn:
        return queries.years(conn, district)


@st.cache_data(show_spinner=False, ttl=60)
def latest_month_of(url: str, district: str, year: int) -> int | None:
    """Latest month with figures of a district-year."""
    with _open_store(url).engine.connect() as conn:
        return queries.latest_month(conn, district, year)


def current_filters() -> Filters:
    """The filters chosen in the frame's sidebar."""
    return st.session_state["filters"]


def sample_banner(show: bool) -> None:
    """A visible label whenever sample data is on screen."""
    if show:
        st.warning(f"**{t('sample_badge')}** — {t('sample_note')}", icon=":material/science:")
