"""Every page through AppTest on a store full of Markdown/HTML payloads (issue 9): uploaded text reaches Streamlit
Markdown only escaped (kpi.safe_text.md) and plotly only with its tags escaped (kpi.safe_text.plot_text).

What the browser then renders (no link, image, coloured span or KaTeX; no outside request) is checked in
tests/pages/test_browser_safe_text.py.
"""

from __future__ import annotations

import html
import json

import pytest
from streamlit.testing.v1 import AppTest

from kpi.store import Store, auth, queries
from kpi.views.safe_text import md, plot_text
from tests import safe_payloads as sp
from tests.factories import APP

# Payloads with Markdown in them (the formula-only ones, e.g. '+1+2', mean nothing to Markdown mid-line).
ALL = (*sp.MARKUP, sp.FORMULA, sp.TEAM, sp.PLEDGE, *sp.ITEMS, sp.FILENAME, sp.UPLOADER, sp.NOTE, sp.CATEGORY)
RAW_TAGS = ("<a ", "<img", "<span", "<b>팀")
VIEW = {"district": sp.DISTRICT, "year": str(sp.YEAR), "as_of": sp.AS_OF.isoformat()}


@pytest.fixture(scope="module")
def payload_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('payloads') / 'payloads.db'}"
    store = sp.load_payloads(Store.open(url))
    auth.add_user(store, sp.UPLOADER, "staff", "password-payload")
    store.engine.dispose()
    return url


@pytest.fixture
def page(monkeypatch, payload_url):
    monkeypatch.setenv("JOBKPI_DATABASE_URL", payload_url)
    monkeypatch.setenv("JOBKPI_LOAD_DEMO", "never")

    def open_page(path: str, state: dict | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({**VIEW, **params})
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.run()
        at.frame_texts = assert_text_only(at)  # the first run draws the frame (sidebar) too; later runs the page only
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def markdown_texts(at: AppTest) -> list[str]:
    """Every string the frontend renders as Markdown: bodies, alerts, toasts, metric/expander labels, options."""
    out: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success", "toast"):
        out += [e.value for e in at.get(kind)]
    out += [m.label for m in at.metric] + [e.label for e in at.expander]
    out += [str(o) for w in at.radio for o in w.options]
    out += [o.content for w in at.get("button_group") for o in w.proto.options]
    return out


def plotly_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def assert_text_only(at: AppTest) -> list[str]:
    """No payload reaches Markdown unescaped and no raw tag reaches plotly; returns the Markdown texts."""
    texts = markdown_texts(at)
    for text in texts:
        for payload in ALL:
            assert payload not in text, (payload, text)
    for spec in plotly_specs(at):
        assert not any(tag in spec for tag in RAW_TAGS), spec[:400]
    return texts


def test_overview(page):
    at = page("pages/overview.py")
    texts = " ".join(assert_text_only(at))
    for name in (sp.LINK, sp.PIXEL, sp.RED, sp.IMG, sp.ANCHOR, sp.MATH, sp.ICON):  # the attention list
        assert f"**{md(name)}**" in texts
    assert md(sp.UPLOADER) in texts and md(sp.FILENAME) in texts  # the freshness caption


def test_budget(page):
    at = page("pages/budget.py")
    assert_text_only(at)
    bars = json.loads(plotly_specs(at)[0])["data"][0]
    assert plot_text(sp.ANCHOR) in bars["y"] and "└ " + plot_text(sp.MINUS) in bars["y"]
    sources = json.loads(plotly_specs(at)[1])["data"][0]
    assert plot_text(sp.LINK[:16]) in sources["y"]


def test_programs_drill_down(page, payload_url):
    with Store(payload_url).engine.connect() as conn:
        ids = queries.programs(conn, sp.DISTRICT).set_index("name")["id"]
    at = page("pages/programs.py", program=str(int(ids[sp.RED])))
    texts = assert_text_only(at)
    assert md(sp.RED) in texts  # the drill-down subheader
    assert sp.TEAM in at.multiselect[0].options  # plain-text widget options take the name as written
    assert at.selectbox(key="p_pick").value == int(ids[sp.RED])


def test_pledges(page):
    at = page("pages/pledges.py")
    texts = assert_text_only(at)
    assert md(sp.PLEDGE) in texts
    assert any(md(sp.IMG) in m.label for m in at.metric)
    options = [o.content for o in at.get("button_group")[0].proto.options]
    assert options == [md(i) for i in sp.ITEMS]  # segmented-control labels are Markdown
    assert at.segmented_control(key="pl_item").value == sp.ITEMS[0]
    cats = json.loads(plotly_specs(at)[-1])["data"][0]
    assert cats["x"] == [plot_text(sp.CATEGORY)]


def test_districts(page):
    at = page("pages/districts.py")
    texts = " ".join(assert_text_only(at))
    assert md(sp.UPLOADER) in texts
    assert len(plotly_specs(at)) >= 3  # tile map, bars, rank history


def test_briefing_notes_and_headline(page):
    """The deck is one HTML document in an st.iframe (kpi.exports.deck_html): notes HTML-escaped, headlines and
    labels through plot_text in the figures' JSON, whose '<' are escaped inside their script element."""
    at = page("pages/briefing.py")
    assert_text_only(at)
    (frame,) = at.get("iframe")
    doc = frame.proto.srcdoc
    deck = doc[doc.index('<div id="deck">') :]  # the deck's own part (plotly.js comes before it)
    notes = deck[deck.index('<div class="notes">') : deck.index('<script type="application/json"')]
    assert html.escape(sp.LINK) in notes and html.escape(sp.FORMULA) in notes  # speaker notes
    assert html.escape(sp.ANCHOR) in notes and html.escape(sp.IMG) in notes
    assert "<a " not in notes and "<img" not in notes
    start = deck.index(">", deck.index('id="deck-figures"')) + 1
    figures = deck[start : deck.index("</script>", start)]
    assert "<" not in figures  # nothing in the JSON can close its script element
    headline = json.loads(figures)[2]["layout"]["title"]["text"]  # 단위사업별 집행률
    assert plot_text(sp.LINK) in headline and "<a " not in headline


def test_upload_page_for_a_staff_member_named_with_markup(page):
    at = page("pages/upload.py", state={"user": auth.User(sp.UPLOADER, "staff")})
    assert_text_only(at)
    assert md(sp.UPLOADER) + " (담당자)" in at.frame_texts  # the sidebar's signed-in caption
    revert = at.selectbox[-1]
    assert any(sp.FILENAME in o for o in revert.options)  # a plain-text widget: the file name as written
