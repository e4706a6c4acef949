"""AppTest of the frame and the overview page: rendered numbers equal the report's; the URL round-trips."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.domain.units import fmt_pct
from kpi.store import Store
from kpi.views import overview
from kpi.views.report import build_report
from tests.factories import rerun, start_app


@pytest.fixture
def app(served_demo_url):
    """Start the app on the served demo store with these query parameters."""
    return lambda **params: start_app(params)


def test_overview_shows_the_report(app, sqlite_demo_url):
    at = app(district="11560", year="2024", as_of="2024-05-31")
    assert not at.exception
    report = build_report(Store(sqlite_demo_url), "11560", 2024, date(2024, 5, 31))
    expected = overview.cards(report)
    assert [(m.label, m.value) for m in at.metric] == [(c.label, c.value) for c in expected]
    assert at.metric[0].value == fmt_pct(report.execution_rate) == "40.7%"
    assert at.metric[1].value == "40.0%"
    assert any("표본 자료" in w.value for w in at.warning)  # sample data on screen is labelled


def test_query_parameters_round_trip(app):
    at = app(district="11170", year="2024", as_of="2024-04-30", unit="백만원")
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "11170" and at.sidebar.selectbox[1].value == 2024
    assert at.sidebar.selectbox[2].value == 4 and at.sidebar.selectbox[3].value == "백만원"
    assert dict(at.query_params) == {"district": "11170", "year": "2024", "as_of": "2024-04-30", "unit": "백만원"}


def test_changing_a_filter_updates_the_url(app):
    at = app(district="11560", year="2024", as_of="2024-05-31")
    at.sidebar.selectbox[2].set_value(3)
    rerun(at)
    assert at.query_params["as_of"] == "2024-03-31"
    assert at.metric[0].value != "40.7%"


def test_bad_parameters_fall_back_with_a_message(app):
    at = app(district="nowhere", year="abc", as_of="2024-99-99")
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "11560"
    assert any("기본값" in t.value for t in at.toast)
