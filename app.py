"""The app frame: page config, the shared filters (kept in the URL) and navigation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import streamlit as st

from kpi.domain import districts
from kpi.domain.dates import month_end
from kpi.domain.filters import Filters, resolve
from kpi.domain.units import MONEY_UNITS
from kpi.i18n import t, unit_label
from kpi.settings import load_settings
from kpi.views.safe_text import md
from pages import _auth
from pages import _ui as ui

ui.leave_pages_folder_mode()  # the pages/ folder's workaround, documented there

# A favicon drawn here (ui.favicon): icon names would make the browser fetch an SVG from the internet.
st.set_page_config(page_title=t("app_title"), page_icon=ui.favicon(), layout="wide")
store = ui.get_store()
settings = load_settings()
lang = settings.lang  # given to t(): the frame runs on every rerun of every page

if "filters" not in st.session_state:  # first run of the session: the URL decides
    initial, problems = resolve(
        st.query_params.to_dict(),
        home=settings.home_district,
        today=date.today(),
        years_of=lambda d: ui.years_of(store.url, d),
        latest_month_of=lambda d, y: ui.latest_month_of(store.url, d, y),
    )
    st.session_state.update(
        f_district=initial.district,
        f_year=initial.year,
        f_month=initial.as_of.month,
        f_unit=initial.unit,
        url_as_of=initial.as_of,
    )
    if problems:
        st.toast(t("url_problems", lang, items=", ".join(md(p) for p in problems)))

with st.sidebar:
    st.header(t("filters", lang))
    names = {d.sig_cd: d.name for d in districts.DISTRICTS}
    district = st.selectbox(t("district", lang), list(names), format_func=names.__getitem__, key="f_district")
    years = ui.years_of(store.url, district) or [date.today().year]
    if st.session_state.get("f_year") not in years:
        years = sorted({*years, st.session_state["f_year"]})
    year_names = ui.labels("year_label", "year", years)
    year = st.selectbox(t("year", lang), years, key="f_year", format_func=year_names.__getitem__)
    months = ui.labels("month_label", "month", range(1, 13))
    month = st.selectbox(t("as_of_month", lang), list(months), key="f_month", format_func=months.__getitem__)
    unit = st.selectbox(t("unit_label", lang), list(MONEY_UNITS), key="f_unit", format_func=unit_label)
    departments = ui.departments_of(store.url, district)
    department = None
    if len(departments) > 1:  # one department (or none named): nothing to choose
        if st.session_state.get("f_department") not in departments:
            home = settings.home_department
            st.session_state["f_department"] = home if home in departments else departments[0]
        department = st.selectbox(t("department", lang), departments, key="f_department")
    url_as_of = st.session_state.get("url_as_of")
    as_of = url_as_of if url_as_of and (url_as_of.year, url_as_of.month) == (year, month) else month_end(year, month)
    st.caption(f"{t('as_of', lang)}: {as_of:%Y. %-m. %-d.}")

user = _auth.sidebar_login(store)
filters = Filters(district, year, as_of, unit, department)
st.session_state["filters"] = filters
st.query_params.update(filters.to_params())

OVERVIEW = "pages/overview.py"
PAGES = [
    # served at "/"; Streamlit keeps its url_path reserved but never serves it, so /overview is the alias below
    st.Page(OVERVIEW, title=t("nav_overview", lang), icon=":material/dashboard:", url_path="home", default=True),
    st.Page("pages/briefing.py", title=t("nav_briefing", lang), icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/programs.py", title=t("nav_programs", lang), icon=":material/list_alt:", url_path="programs"),
    st.Page("pages/budget.py", title=t("nav_budget", lang), icon=":material/account_balance:", url_path="budget"),
    st.Page("pages/districts.py", title=t("nav_districts", lang), icon=":material/map:", url_path="districts"),
    st.Page("pages/pledges.py", title=t("nav_pledges", lang), icon=":material/flag:", url_path="pledges"),
]
if user.can_upload:  # staff and admins only
    upload = st.Page("pages/upload.py", title=t("nav_upload", lang), icon=":material/upload_file:", url_path="upload")
    PAGES.append(upload)


def _overview_at_its_path() -> None:
    """/overview: Streamlit serves the default page at "/" only (its url_path is then ""), so a link to /overview
    opened "Page not found". This hidden page runs the same overview script there (no redirect, so nothing of the
    session is lost on the way)."""
    path = Path(__file__).resolve().parent / OVERVIEW
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), {"__name__": "__main__", "__file__": str(path)})


ui.app_style()
ui.localize_builtin_texts()
alias = st.Page(_overview_at_its_path, title=t("nav_overview", lang), url_path="overview", visibility="hidden")
nav = st.navigation([*PAGES, alias])
nav.run()
