"""Uploaded text shown as text: escaping for Streamlit Markdown and for plotly's HTML subset, and formula-safe cells.

Program, pledge, team and file names, uploader names and reasons come from staff's sheets (or from whoever
passed a sheet on). Wherever such text meets markup it goes through one of these functions:

- `md`: Streamlit Markdown (st.markdown, captions, alerts, toasts, subheaders, metric/expander/radio/segmented
  labels). Line breaks and indents become single spaces (a line can then start no block), every character with an
  inline meaning is backslash-escaped (CommonMark lets any ASCII punctuation be): \\ ` * _ ~ [ ] ( ) ! < > & $ : |
  # { }, which stops links, images, emphasis, raw HTML, entities, `:red[...]`/`:red-badge[...]`/`:help[...]`
  directives and `$math$` (Streamlit loads KaTeX only for an unescaped `$`); a leading - + = or `1.` (a list or
  heading underline) is escaped too. Streamlit and remark-gfm also rewrite parts of the *text* after parsing,
  where an escape no longer shows: `:material_x:` icons, `:streamlit:`, emoji shortcodes, autolink literals
  (http://, www., a@b.c) and the ` -- `/` -> ` symbols; a WORD JOINER (U+2060, invisible, no line break) is put
  inside each such pattern so the text is shown as written. Verified in chromium against Streamlit 1.67's
  renderer (tests/pages/test_browser_safe_text.py).
- `plot_text`: plotly labels, ticks, legends, annotations, titles and hovers (plotly reads <a href>, <b>,
  <span style>, <br> and entities): `& < >` become entities, which plotly prints as the characters.
- `csv_text` / `csv_frame` and `text_cell` / `XLSXWRITER_OPTIONS`: spreadsheet formula injection. A CSV text
  cell starting with = + - @ tab or CR gets a leading single quote; an openpyxl cell holding text is a string
  cell (its text unchanged); xlsxwriter writes strings as strings (never formulas or hyperlinks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pandas as pd
from openpyxl.cell.cell import Cell

JOINER = "\u2060"  # WORD JOINER: zero width, no line break opportunity
MD_INLINE = frozenset("\\`*_~[]()!<>&$:|#{}")  # a Markdown meaning anywhere in a line
_MD_START = re.compile(r"^(?:[-+=]|\d+(?=\.(?:\s|$)))")  # a meaning at the start of a line: list item, setext underline
# Patterns Streamlit and remark-gfm find in parsed text, where a backslash escape no longer shows: `:name:`
# shortcodes (material icons, the logo, emoji), autolink literals (http://, www., a@b.c); split after ':' or '@'
# and between 'www' and '.'.
_SPLIT = re.compile(r"(?<=:)(?=[A-Za-z0-9_+\-/])|(?<=@)(?=[\w-])|(?i:(?<=www)(?=\.))")
# Typographic replacements Streamlit applies to whitespace-delimited <->, ->, <-, --, >=, <=, ~=.
_SYMBOL = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def _text(value: object) -> str:
    """str of a value, '' for None/NaN."""
    try:
        if value is None or bool(pd.isna(value)):
            return ""
    except (TypeError, ValueError):  # a list or array: not a missing scalar
        pass
    return str(value)


def md(value: object) -> str:
    """Text for Streamlit Markdown shown exactly as text: whitespace runs become one space, Markdown's inline
    characters (and a leading - + = or 1.) are backslash-escaped, and a word joiner breaks the shortcodes,
    autolinks and symbols Streamlit rewrites after parsing."""
    text = " ".join(_text(value).split())  # a newline or leading indent could start a block; HTML collapses it anyway
    text = _SYMBOL.sub(lambda m: JOINER.join(m[1]), text)
    text = _SPLIT.sub(JOINER, text)
    out = "".join("\\" + c if c in MD_INLINE else c for c in text)
    start = _MD_START.match(out)
    if start:  # '-', '+', '=' itself, or the '.' after the digits of '1.'
        cut = start.end() - 1 if start[0][0] in "-+=" else start.end()
        out = out[:cut] + "\\" + out[cut:]
    return out


def plot_text(value: object) -> str:
    """Text for a plotly string (label, tick, legend, annotation, hover): & < > as entities, so no tag is read."""
    return html.escape(_text(value), quote=False)  # plotly knows &amp; &lt; &gt; but not &quot;


def plot_texts(values: Iterable[object]) -> list[str]:
    """plot_text of each value of a sequence."""
    return [plot_text(v) for v in values]


def csv_text(value: object) -> object:
    """A CSV cell: text starting with = + - @ tab or CR gets a leading single quote; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with csv_text applied to every text cell (numeric columns, negatives included, stay numbers)."""
    out = frame.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):  # bool counts as numeric
            out[col] = out[col].map(csv_text)
    return out


def text_cell(cell: Cell) -> Cell:
    """An openpyxl cell holding text becomes a string cell (data_type 's', text unchanged), never a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def text_cells(cells: object) -> None:
    """text_cell on every cell of an openpyxl worksheet or cell range (rows of cells)."""
    for row in cells.iter_rows() if hasattr(cells, "iter_rows") else cells:  # type: ignore[union-attr]
        for cell in row:
            text_cell(cell)


def safe_filename(value: object, limit: int = 120) -> str:
    """A download file name stem: characters that file systems or Excel sheet names refuse become '_'."""
    stem = re.sub(r'[\x00-\x1f\x7f\\/:*?"<>|\[\]]', "_", _text(value)).strip(" .'") or "data"
    return stem[:limit]
