"""Chart images through kaleido and the system's chromium: one kept-alive browser renders every image.

The browser is Debian's chromium (the JOBKPI_BROWSER_PATH setting, default /usr/bin/chromium); nothing is ever
downloaded. Kaleido's sync server is a process-wide singleton whose request and answer queues are
shared, so calls are serialised by a lock (Streamlit runs sessions on several threads).
"""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import plotly.graph_objects as go

from kpi import theme
from kpi.exports import ExportError
from kpi.exports.figures import slide_figure
from kpi.exports.slides import Deck
from kpi.i18n import t
from kpi.settings import load_settings

Format = Literal["png", "pdf", "svg"]
_LOCK = threading.Lock()


def browser_path() -> str:
    """The chromium to drive (the browser_path setting, by default Debian's); an ExportError when it is missing."""
    path = load_settings().browser_path
    if not Path(path).is_file():
        raise ExportError(t("deck_no_browser", path=path))
    return path


def _opts(fmt: Format, scale: float) -> dict:
    """Kaleido's options: the format, the slide's size in px and the scale."""
    return {"format": fmt, "width": theme.WIDTH_PX, "height": theme.HEIGHT_PX, "scale": scale}


def start_browser() -> None:
    """Start the kept-alive browser once per process (later calls do nothing)."""
    import kaleido

    with _LOCK:
        kaleido.start_sync_server(path=browser_path(), silence_warnings=True)


def stop_browser() -> None:
    """Stop the kept-alive browser (it is also stopped at interpreter exit)."""
    import kaleido

    with _LOCK:
        kaleido.stop_sync_server(silence_warnings=True)


def render(fig: go.Figure, fmt: Format = "png", scale: float = 1.0) -> bytes:
    """One figure as image bytes through the kept-alive browser (started on first use)."""
    import kaleido

    start_browser()
    with _LOCK:
        try:
            return kaleido.calc_fig_sync(fig, opts=_opts(fmt, scale))
        except Exception as exc:  # kaleido and choreographer raise many kinds; one line for the user
            raise ExportError(t("deck_render_failed", kind=type(exc).__name__, detail=exc)) from exc


def render_own_browser(fig: go.Figure, fmt: Format = "png", scale: float = 1.0) -> bytes:
    """One figure through a browser started and stopped for it alone (the benchmark's baseline)."""
    import kaleido

    return asyncio.run(kaleido.calc_fig(fig, opts=_opts(fmt, scale), kopts={"path": browser_path()}))


def render_many(figs: Iterable[go.Figure], fmt: Format = "png", scale: float = 1.0) -> list[bytes]:
    """Several figures through the one kept-alive browser, in order."""
    return [render(f, fmt, scale) for f in figs]


def slide_pngs(deck: Deck, scale: float = 1.0) -> list[tuple[str, bytes]]:
    """(file name, PNG) per slide of the deck: 01_title.png, 02_execution.png, ..."""
    pngs = render_many((slide_figure(s, deck) for s in deck.slides), "png", scale)
    return [(f"{i:02d}_{s.key}.png", png) for i, (s, png) in enumerate(zip(deck.slides, pngs, strict=True), 1)]


def deck_png_zip(deck: Deck, scale: float = 1.0) -> bytes:
    """Every slide as a PNG, zipped."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, png in slide_pngs(deck, scale):
            z.writestr(name, png)
    return buf.getvalue()
