"""The briefing as a PDF: each slide printed by the kept-alive chromium (vector, fonts embedded), then merged."""

from __future__ import annotations

import io

from pypdf import PdfWriter

from kpi.exports.figures import slide_figure
from kpi.exports.png import render_many
from kpi.exports.slides import Deck
from kpi.i18n import t


def deck_pdf(deck: Deck) -> bytes:
    """One 16:9 page per slide, in order, with the deck's district and as-of date in the document info."""
    pages = render_many((slide_figure(s, deck) for s in deck.slides), "pdf")
    writer = PdfWriter()
    for page in pages:
        writer.append(io.BytesIO(page))
    writer.add_metadata(
        {
            "/Title": t(
                "deck_pdf_title", deck.lang, district=deck.district_name, year=deck.year, date=deck.as_of.isoformat()
            ),
            "/Subject": t("deck_includes_sample", deck.lang) if deck.includes_sample else "",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
