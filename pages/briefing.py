"""브리핑: the presenter view — one headline and one chart per slide, large type, keyboard, notes, downloads."""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import streamlit as st
import streamlit.components.v1 as components

from kpi import auth
from kpi.exports import ExportError, prefs
from kpi.exports.figures import slide_figure
from kpi.exports.slides import SLIDE_KEYS, SLIDE_TITLES, Deck, build_deck
from kpi.i18n import t
from kpi.safe_text import md
from pages import _auth
from pages import _ui as ui

# Projector theme, scoped to this page: the style element lives only while this page is shown.
CSS = """
<style>
.st-key-briefing_slide { background:#FFFFFF; color:#111111; border:3px solid #111111; border-radius:8px;
  padding:1.2rem 1.6rem; }
.st-key-briefing_slide .briefing-headline { font-size:2.6rem; font-weight:800; line-height:1.25; color:#111111; }
.st-key-briefing_slide .briefing-sample { display:inline-block; background:#B00020; color:#FFFFFF;
  font-weight:700; font-size:1.2rem; padding:.15rem .7rem; border-radius:4px; margin-bottom:.4rem; }
.st-key-briefing_notes li { font-size:1.25rem; line-height:1.6; }
.briefing-position { font-size:1.4rem; font-weight:700; padding-top:.3rem; }
</style>
"""
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display:none; }
.block-container { padding-top:1rem; max-width:100%; }
</style>
"""
FULLSCREEN = """
<button id="fs" style="font:600 16px sans-serif;padding:6px 14px;border:2px solid #111;background:#fff;
  border-radius:6px;cursor:pointer">{label}</button>
<script>
document.getElementById("fs").onclick = () => {{
  const doc = window.parent.document;
  if (doc.fullscreenElement) {{ doc.exitFullscreen(); }} else {{ doc.documentElement.requestFullscreen(); }}
}};
</script>
"""


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(url: str, district: str, year: int, as_of: date, version: tuple[int, int]) -> Deck:
    return build_deck(ui.get_store(), district, year, as_of)


def _user_name() -> str:
    """Whose slide choice this is: the signed-in user's name (OIDC e-mail or local account), else 'default'."""
    user = _auth.current_user(ui.get_store())
    return prefs.DEFAULT_USER if user is auth.ANONYMOUS or not user.name else user.name


def _step(delta: int, total: int) -> None:
    st.session_state["briefing_index"] = max(0, min(total - 1, st.session_state.get("briefing_index", 0) + delta))


def _on_pick(user: str) -> None:
    prefs.save_slides(user, st.session_state["briefing_pick"])
    st.session_state["briefing_index"] = 0
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
        ("export_pptx", lambda: deck_pptx(deck), f"브리핑_{stem}.pptx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("export_pdf", lambda: deck_pdf(deck), f"브리핑_{stem}.pdf", "application/pdf"),
        ("export_png", lambda: deck_png_zip(deck), f"차트_{stem}.zip", "application/zip"),
        ("export_xlsx", lambda: council_xlsx(store, deck.district_cd, deck.year, deck.as_of),
         f"업무보고_{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]  # fmt: skip
    for col, (key, make, name, mime) in zip(st.columns(len(files)), files, strict=True):
        with col:
            st.download_button(t(key), make, file_name=name, mime=mime, key=f"dl_{key}", on_click="ignore",
                               icon=":material/download:", width="stretch")  # fmt: skip


filters = ui.current_filters()
store = ui.get_store()
full = _deck(store.url, filters.district, filters.year, filters.as_of, ui.data_version())
user = _user_name()
st.html(CSS)

st.title(f"{t('nav_briefing')} · {full.district_name} {full.year}년")
if "briefing_pick" not in st.session_state:
    st.session_state["briefing_pick"] = list(prefs.load_slides(user) or SLIDE_KEYS)
st.multiselect(
    t("briefing_slides"), SLIDE_KEYS, format_func=SLIDE_TITLES.__getitem__, key="briefing_pick",
    on_change=_on_pick, args=(user,),
)  # fmt: skip
by_key = {s.key: s for s in full.slides}
deck = dataclasses.replace(full, slides=tuple(by_key[k] for k in st.session_state["briefing_pick"]))
if not deck.slides:
    st.info(t("briefing_none"))
    st.stop()

present = st.toggle(t("briefing_present"), key="briefing_present")
if present:
    st.html(PRESENT_CSS)
total = len(deck.slides)
index = min(st.session_state.get("briefing_index", 0), total - 1)
st.session_state["briefing_index"] = index
slide = deck.slides[index]

nav = st.columns([1, 1, 2, 6], vertical_alignment="center")
nav[0].button(t("briefing_prev"), key="briefing_prev", on_click=_step, args=(-1, total), shortcut="Left",
              icon=":material/chevron_left:", disabled=index == 0, width="stretch")  # fmt: skip
nav[1].button(t("briefing_next"), key="briefing_next", on_click=_step, args=(1, total), shortcut="Right",
              icon=":material/chevron_right:", disabled=index == total - 1, type="primary")  # fmt: skip
nav[2].html(f'<div class="briefing-position">{t("briefing_position", n=index + 1, total=total)}</div>')
with nav[3]:
    components.html(FULLSCREEN.format(label=t("briefing_fullscreen")), height=46)

with st.container(key="briefing_slide"):
    if slide.sample:
        st.html(f'<span class="briefing-sample">{t("sample_badge")}</span>')
    st.html(f'<div class="briefing-headline" data-testid="briefing-headline">{html.escape(slide.headline)}</div>')
    fig = slide_figure(slide, deck, with_headline=False)
    fig.update_layout(width=None, height=600 if present else 520)
    st.plotly_chart(fig, width="stretch", theme=None, config={"displaylogo": False}, key=f"briefing_chart_{slide.key}")
st.caption(t("briefing_keys"))

with st.expander(t("briefing_notes"), expanded=not present), st.container(key="briefing_notes"):
    st.markdown("\n".join(f"- {md(n)}" for n in slide.notes))

st.subheader(t("briefing_exports"))
try:
    _exports(deck)
except ExportError as exc:  # pragma: no cover - shown to the user
    st.error(t("export_failed", detail=md(exc)))
