"""Briefing (브리핑): the presenter view — one headline and one chart per slide, large type, keyboard, notes, downloads.

The deck is one HTML document (kpi.exports.deck_html) in an st.iframe: every slide is drawn once in the browser
and stepping, presenting and full screen happen there, without a rerun of this script. The document only changes
(and the frame reloads) when the slide choice, the filters or the data change.
"""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import streamlit as st

from kpi.exports import ExportError, prefs
from kpi.exports.deck_html import deck_body, deck_document, deck_table
from kpi.exports.slides import SLIDE_KEYS, SLIDE_TITLES, Deck, build_deck
from kpi.i18n import t
from kpi.store import auth
from kpi.views.safe_text import md
from pages import _auth
from pages import _ui as ui

CSS = """
<style>
.briefing-keys { font-size: 1rem; margin: 0; }
</style>
"""


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(
    url: str, district: str, year: int, as_of: date, version: tuple[int, int], department: str | None = None
) -> Deck:
    return build_deck(ui.get_store(), district, year, as_of, department=department)


@st.cache_data(show_spinner=False, max_entries=16)
def _deck_body(
    url: str,
    district: str,
    year: int,
    as_of: date,
    version: tuple[int, int],
    keys: tuple[str, ...],
    department: str | None = None,
) -> str:
    """The chosen slides' part of the deck document (plotly.js is added outside the cache)."""
    full = _deck(url, district, year, as_of, version, department)
    by_key = {s.key: s for s in full.slides}
    return deck_body(dataclasses.replace(full, slides=tuple(by_key[k] for k in keys)))


def _user_name() -> str:
    """Whose slide choice this is: the signed-in user's name (OIDC e-mail or local account), else 'default'."""
    user = _auth.current_user(ui.get_store())
    return prefs.DEFAULT_USER if user is auth.ANONYMOUS or not user.name else user.name


def _on_pick(user: str) -> None:
    prefs.save_slides(user, st.session_state["briefing_pick"])
    st.toast(t("briefing_saved", user=md(user)))


def _exports(deck: Deck) -> None:
    """Download buttons; each file is made only when its button is clicked."""
    from kpi.exports.council_xlsx import council_xlsx
    from kpi.exports.pdf import deck_pdf
    from kpi.exports.png import deck_png_zip
    from kpi.exports.pptx import deck_pptx

    stem = f"{deck.district_name}_{deck.year}_{deck.as_of.isoformat()}"
    store = ui.get_store()
    files = [
        ("export_pptx", lambda: deck_pptx(deck), f"{t('file_briefing', stem=stem)}.pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("export_pdf", lambda: deck_pdf(deck), f"{t('file_briefing', stem=stem)}.pdf", "application/pdf"),
        ("export_png", lambda: deck_png_zip(deck), f"{t('file_charts', stem=stem)}.zip", "application/zip"),
        ("export_xlsx", lambda: council_xlsx(store, deck.district_cd, deck.year, deck.as_of, None, deck.department),
         f"{t('file_council', stem=stem)}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]  # fmt: skip
    for col, (key, make, name, mime) in zip(st.columns(len(files)), files, strict=True):
        with col:
            st.download_button(t(key), make, file_name=name, mime=mime, key=f"dl_{key}", on_click="ignore",
                               icon=":material/download:", width="stretch")  # fmt: skip


# Runs of this page in the session: a step through the deck must not add one (the browser test reads it).
st.session_state["briefing_runs"] = st.session_state.get("briefing_runs", 0) + 1
filters = ui.current_filters()
store = ui.get_store()
version = ui.data_version()
full = _deck(store.url, filters.district, filters.year, filters.as_of, version, filters.department)
user = _user_name()
st.html(CSS)

st.title(f"{t('nav_briefing')} · {full.district_name} {t('year_label', year=full.year)}")
if "briefing_pick" not in st.session_state:
    st.session_state["briefing_pick"] = list(prefs.load_slides(user) or SLIDE_KEYS)
st.multiselect(
    t("briefing_slides"), SLIDE_KEYS, format_func=SLIDE_TITLES.__getitem__, key="briefing_pick",
    on_change=_on_pick, args=(user,),
)  # fmt: skip
keys = tuple(st.session_state["briefing_pick"])
if not keys:
    st.info(t("briefing_none"))
    st.stop()
by_key = {s.key: s for s in full.slides}
deck = dataclasses.replace(full, slides=tuple(by_key[k] for k in keys))

body = _deck_body(store.url, filters.district, filters.year, filters.as_of, version, keys, filters.department)
st.iframe(deck_document(body), height="content", alt=t("briefing_deck_alt", total=len(keys)))
st.html(
    f'<p class="briefing-keys" data-testid="briefing-keys" data-runs="{st.session_state["briefing_runs"]}">'
    f"{html.escape(t('briefing_keys'))}</p>"
)

ui.data_view(
    deck_table(deck), t("file_briefing_data", name=deck.district_name, as_of=deck.as_of.isoformat()), "briefing_data"
)

st.header(t("briefing_exports"))  # h2 under the h1 (headings in order, KWCAG 2.2)
try:
    _exports(deck)
except ExportError as exc:  # pragma: no cover - shown to the user
    st.error(t("export_failed", detail=md(exc)))
