"""The briefing as one self-contained HTML document: every slide drawn once by plotly.js, navigated in the browser.

The page (pages/briefing.py) shows it with st.iframe. Stepping is instant and costs the server nothing: the deck
is rendered once when the frame loads, and a step only shows another slide. Each slide is the very figure the PNG
and PDF pages print (figures.slide_figure), 1280 x 720, scaled to fit.

Presenting: the frame covers the browser's viewport (a fixed overlay on the app page, which hides every control)
and one slide fills it, letterboxed to 16:9; "전체 화면" also asks the browser for full screen. Keys (→ ↓ PageDown
Space Enter N: next; ← ↑ PageUp Backspace P: previous; Home/End; B or . to blank; Esc to stop) work wherever
the focus is: in the frame, and on the app page too (a listener on the parent document, the frame being
same-origin), so a click on a toggle or the page before a key press does not swallow it. On the app page, outside
presenting, only ← and → are taken, and never from a text field or widget.

No network: plotly.js is inlined from the installed plotly package (offline.get_plotlyjs), there is no internet
at the district office. Every text from uploads is escaped: figures go through safe_text.plot_text, the notes
through html.escape, and the JSON of the figures has '<' escaped so it cannot close its script element.
"""

from __future__ import annotations

import html
import json
from functools import cache

import pandas as pd
import plotly.io as pio

from kpi import theme
from kpi.exports.figures import slide_figure
from kpi.exports.slides import Deck
from kpi.i18n import t
from kpi.settings import load_settings

_CSS = """
html, body { margin: 0; padding: 0; background: %(bg)s; color: %(ink)s; font-family: %(font)s; }
#deck { padding: 2px; }
.stage { position: relative; width: 100%%; margin: 0 auto; aspect-ratio: 16 / 9; overflow: hidden; background: %(bg)s;
  border: 2px solid %(ink)s; border-radius: 8px; box-sizing: border-box; outline: none; }
.slide { position: absolute; left: 0; top: 0; width: %(w)dpx; height: %(h)dpx; transform-origin: 0 0;
  visibility: hidden; background: %(bg)s; }
.slide.current { visibility: visible; }
.blank { position: absolute; inset: 0; background: %(blank)s; display: none; }
.bar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin: 0 0 10px; }
.bar .gap { flex: 1; }
button { font: 600 16px %(font)s; padding: 7px 16px; border: 2px solid %(ink)s; background: %(bg)s;
  color: %(ink)s; border-radius: 6px; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
button.primary { background: %(primary)s; border-color: %(primary)s; color: %(bg)s; }
button:focus-visible { outline: 3px solid %(primary)s; outline-offset: 2px; }
.pos { font-size: 20px; font-weight: 700; min-width: 4.5em; text-align: center; }
.notes { margin: 6px 0 0; }
.notes h2 { font-size: 18px; margin: 8px 0 4px; }
.notes ol { display: none; margin: 0; padding-left: 1.4em; }
.notes ol.current { display: block; }
.notes li { font-size: 18px; line-height: 1.6; }
html.presenting, html.presenting body { overflow: hidden; background: %(blank)s; }
html.presenting #deck { padding: 0; }
html.presenting .bar, html.presenting .notes { display: none; }
html.presenting .stage { position: fixed; inset: 0; width: 100vw; height: 100vh; max-width: none !important;
  aspect-ratio: auto; border: 0;
  border-radius: 0; background: %(blank)s; }
html.presenting.idle .stage { cursor: none; }
html.blanked .blank { display: block; }
"""

# Style put into the app page (the frame's parent) while presenting: the frame covers the viewport.
_HOST_CSS = """
iframe[data-jobkpi-presenting] { position: fixed !important; inset: 0 !important; width: 100vw !important;
  height: 100vh !important; max-width: none !important; z-index: 2147483647 !important; border: 0 !important;
  margin: 0 !important; background: %(blank)s !important; }
html[data-jobkpi-presenting], html[data-jobkpi-presenting] body { overflow: hidden !important; }
"""

_COLOURS = {"bg": theme.BACKGROUND, "blank": theme.BLANK, "primary": theme.PRIMARY}

_JS = r"""
(() => {
  const W = %(w)d, H = %(h)d;
  const FIGS = JSON.parse(document.getElementById("deck-figures").textContent);
  const TEXT = JSON.parse(document.getElementById("deck-text").textContent);
  const root = document.documentElement;
  const stage = document.getElementById("stage");
  const slides = Array.from(document.querySelectorAll(".slide"));
  const notes = Array.from(document.querySelectorAll(".notes ol"));
  const pos = document.getElementById("pos");
  const bar = document.querySelector(".bar");
  const deckEl = document.getElementById("deck");
  const prev = document.getElementById("prev"), next = document.getElementById("next");
  const frame = (() => { try { return window.frameElement; } catch (e) { return null; } })();
  const host = frame ? window.parent : null;
  let index = 0, viaFullscreen = false, idleTimer = 0;

  function fit() {
    const sw = stage.clientWidth, sh = stage.clientHeight;
    const k = Math.min(sw / W, sh / H);
    const x = (sw - W * k) / 2, y = (sh - H * k) / 2;
    for (const s of slides) s.style.transform = `translate(${x}px, ${y}px) scale(${k})`;
  }

  function fitPage() {
    // Outside presenting, the whole slide fits the app page's window below the frame's top (no scrolling to see
    // its bottom); the notes follow below.
    if (!frame) return;
    try {
      let top = frame.getBoundingClientRect().top + host.scrollY;  // in the page, however it is scrolled
      for (let el = frame.parentElement; el; el = el.parentElement) top += el.scrollTop || 0;
      const room = host.innerHeight - Math.min(top, host.innerHeight / 2) - bar.offsetHeight - 24;
      stage.style.maxWidth = `${Math.max(480, room * W / H)}px`;
    } catch (e) {}
  }

  function syncHeight() {
    // The frame as tall as the deck, also after presenting or a slide with fewer notes: Streamlit's own sizing
    // ("content") can grow a frame but not shrink it (a document is never shorter than its frame).
    if (!frame || presenting()) return;
    frame.style.height = `${Math.ceil(deckEl.getBoundingClientRect().height)}px`;
  }

  function show(i) {
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach((s, n) => s.classList.toggle("current", n === index));
    notes.forEach((s, n) => s.classList.toggle("current", n === index));
    pos.textContent = TEXT.position.replace("{n}", index + 1).replace("{total}", slides.length);
    prev.disabled = index === 0;
    next.disabled = index === slides.length - 1;
    root.dataset.slide = String(index + 1);
    root.dataset.slideKey = slides[index].dataset.key;
    if (!presenting()) fitPage();
    syncHeight();
  }

  function presenting() { return root.classList.contains("presenting"); }

  function hostStyle() {
    const doc = host.document;
    if (!doc.getElementById("jobkpi-deck-style")) {
      const style = doc.createElement("style");
      style.id = "jobkpi-deck-style";
      style.textContent = TEXT.hostCss;
      doc.head.appendChild(style);
    }
  }

  function present(on) {
    root.classList.toggle("presenting", on);
    root.classList.remove("blanked");
    if (frame) {
      hostStyle();
      frame.toggleAttribute("data-jobkpi-presenting", on);
      host.document.documentElement.toggleAttribute("data-jobkpi-presenting", on);
    }
    if (!on) viaFullscreen = false;
    requestAnimationFrame(() => { fit(); syncHeight(); if (on) focusDeck(); });
    if (on) focusDeck();
  }

  function focusDeck() {
    // Keys go to the frame from now on, whatever had the focus (the toggle clicked, a widget of the page).
    try {
      const active = host && host.document.activeElement;
      if (active && active !== frame && active.blur) active.blur();
    } catch (e) {}
    window.focus();
    stage.focus({ preventScroll: true });
  }

  async function fullscreen() {
    present(true);
    const target = frame || root;
    const doc = frame ? host.document : document;
    if (!doc.fullscreenElement && target.requestFullscreen) {
      try { await target.requestFullscreen({ navigationUI: "hide" }); viaFullscreen = true; } catch (e) {}
    }
    focusDeck();
  }

  function stop() {
    const doc = frame ? host.document : document;
    if (doc.fullscreenElement) doc.exitFullscreen().catch(() => {});
    present(false);
  }

  const NEXT = ["ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar", "Enter", "n", "N"];
  const PREV = ["ArrowLeft", "ArrowUp", "PageUp", "Backspace", "p", "P"];
  const EDITABLE = "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox'], " +
    "[role='combobox'], [role='listbox'], [role='option'], [role='slider'], [role='spinbutton'], [role='tab'], " +
    "[role='menu'], [role='menuitem'], [role='grid'], [role='gridcell']";

  function onKey(e, fromHost) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const live = presenting();
    const target = e.target instanceof Element ? e.target : null;
    if (!live) {
      if (fromHost && (!["ArrowLeft", "ArrowRight"].includes(e.key) || (target && target.closest(EDITABLE)))) return;
      if (!fromHost && target && target.closest("button") && [" ", "Enter"].includes(e.key)) return;
    }
    let done = true;
    if (e.key === " " && e.shiftKey) show(index - 1);
    else if (NEXT.includes(e.key)) show(index + 1);
    else if (PREV.includes(e.key)) show(index - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(slides.length - 1);
    else if (live && e.key === "Escape") stop();
    else if (live && ["b", "B", "."].includes(e.key)) root.classList.toggle("blanked");
    else done = false;
    if (done) { e.preventDefault(); e.stopPropagation(); }
  }

  function onFullscreen() {
    const doc = frame ? host.document : document;
    if (!doc.fullscreenElement && viaFullscreen) present(false);  // Esc in full screen ends presenting too
    fit();
  }

  const ownKey = (e) => onKey(e, false);
  window.addEventListener("keydown", ownKey, true);
  if (host) {
    const hostKey = (e) => {
      if (!frame.isConnected) { host.document.removeEventListener("keydown", hostKey, true); return; }
      onKey(e, true);
    };
    try { host.__jobkpiDeckCleanup && host.__jobkpiDeckCleanup(); } catch (e) {}
    const cleanup = () => {
      host.document.removeEventListener("keydown", hostKey, true);
      host.document.removeEventListener("fullscreenchange", onFullscreen);
      host.removeEventListener("resize", fitPage);
      host.document.documentElement.removeAttribute("data-jobkpi-presenting");
    };
    host.document.addEventListener("keydown", hostKey, true);
    host.document.addEventListener("fullscreenchange", onFullscreen);
    host.__jobkpiDeckCleanup = cleanup;
    window.addEventListener("pagehide", cleanup);
  } else {
    document.addEventListener("fullscreenchange", onFullscreen);
  }

  for (const b of document.querySelectorAll("button")) b.addEventListener("mousedown", (e) => e.preventDefault());
  prev.addEventListener("click", () => show(index - 1));
  next.addEventListener("click", () => show(index + 1));
  document.getElementById("present").addEventListener("click", () => present(true));
  document.getElementById("fullscreen").addEventListener("click", fullscreen);
  stage.addEventListener("click", () => { if (presenting()) show(index + 1); });
  window.addEventListener("mousemove", () => {
    root.classList.remove("idle");
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => root.classList.add("idle"), 2000);
  });
  new ResizeObserver(fit).observe(stage);
  new ResizeObserver(syncHeight).observe(deckEl);
  window.addEventListener("resize", fit);
  if (host) host.addEventListener("resize", fitPage);

  fitPage();
  for (const ms of [200, 600, 1500, 3000]) setTimeout(fitPage, ms);  // the page above the frame settles

  show(0);
  fit();
  // Draw every slide once, the first at once and the rest right after it (a step then only shows a slide).
  const config = { staticPlot: true, displayModeBar: false, responsive: false };
  let drawn = 0;
  (async () => {
    for (let n = 0; n < slides.length; n += 1) {
      const fig = FIGS[n];
      await Plotly.newPlot(slides[n].querySelector(".figure"), fig.data, fig.layout, config);
      slides[n].dataset.drawn = "true";
      drawn += 1;
    }
    root.dataset.drawn = String(drawn);
  })();
})();
"""


@cache
def plotly_js() -> str:
    """plotly.js as shipped inside the installed plotly package (no CDN)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _script_json(value: object) -> str:
    """JSON for a <script type="application/json"> element: '<' escaped, so no '</script>' can end it."""
    return value.replace("<", "\\u003c") if isinstance(value, str) else _script_json(json.dumps(value))


def deck_body(deck: Deck) -> str:
    """The deck's own part of the document (figures, notes, labels): small, and what a cache should hold."""
    figures = "[" + ",".join(pio.to_json(slide_figure(s, deck), validate=False) for s in deck.slides) + "]"
    slides = "".join(
        f'<section class="slide" data-key="{html.escape(s.key)}" aria-label="{html.escape(s.title)}">'
        f'<div class="figure" style="width:{theme.WIDTH_PX}px;height:{theme.HEIGHT_PX}px"></div></section>'
        for s in deck.slides
    )
    notes = "".join("<ol>" + "".join(f"<li>{html.escape(n)}</li>" for n in s.notes) + "</ol>" for s in deck.slides)
    text = {"position": t("briefing_position", n="{n}", total="{total}"), "hostCss": _HOST_CSS % _COLOURS}
    first = t("briefing_position", n=1, total=len(deck.slides))
    return f"""<div id="deck">
<div class="bar">
<button id="present" type="button" class="primary">▶ {html.escape(t("briefing_present"))}</button>
<button id="fullscreen" type="button">{html.escape(t("briefing_fullscreen"))}</button>
<span class="gap"></span>
<button id="prev" type="button">◀ {html.escape(t("briefing_prev"))}</button>
<span class="pos" id="pos" aria-live="polite">{html.escape(first)}</span>
<button id="next" type="button">{html.escape(t("briefing_next"))} ▶</button>
</div>
<div class="stage" id="stage" tabindex="-1" role="region"
 aria-label="{html.escape(t("briefing_deck_alt", total=len(deck.slides)))}">{slides}<div class="blank"></div></div>
<div class="notes"><h2>{html.escape(t("briefing_notes"))}</h2>{notes}</div>
</div>
<script type="application/json" id="deck-figures">{_script_json(figures)}</script>
<script type="application/json" id="deck-text">{_script_json(text)}</script>
"""


def deck_document(body: str, lang: str | None = None) -> str:
    """The whole HTML document around a deck_body: style, plotly.js and the navigation script; `lang` is the
    document's language (default: the JOBKPI_LANG setting)."""
    size = {"w": theme.WIDTH_PX, "h": theme.HEIGHT_PX}
    css = _CSS % {**size, **_COLOURS, "ink": theme.INK, "font": theme.CSS_FONT_STACK}
    return (
        f'<!doctype html>\n<html lang="{lang or load_settings().lang}"><head><meta charset="utf-8">'
        f"<style>{css}</style><script>{plotly_js()}</script></head>"
        f"<body>{body}<script>{_JS % size}</script></body></html>"
    )


def deck_table(deck: Deck) -> pd.DataFrame:
    """Every number the slides draw, one row per value (slide, item, series, value, unit): the deck's text
    alternative (its charts are pictures to a screen reader) and its data download."""
    rows = [
        (f"{n}. {s.title}", category, series.name, value, s.chart.unit)
        for n, s in enumerate(deck.slides, 1)
        if s.chart is not None
        for series in s.chart.series
        for category, value in zip(s.chart.categories, series.values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["slide", "slide_item", "series", "value", "unit"])


def deck_html(deck: Deck) -> str:
    """The deck as one HTML document (a few MB: plotly.js is inlined)."""
    return deck_document(deck_body(deck))
