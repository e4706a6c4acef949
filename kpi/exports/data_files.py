"""The data-view downloads of the dashboard pages: CSV (UTF-8 with BOM) and xlsx, safe against formula injection.

Tables carry program, team and pledge names from uploads. In the CSV a text cell starting with = + - @ tab or
CR gets a leading single quote (numbers stay numbers); in the xlsx every text is a string cell, unchanged.
"""

from __future__ import annotations

import io

import pandas as pd

from kpi.views.safe_text import csv_frame, text_cells

BOM = "\ufeff"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv_bom(frame: pd.DataFrame) -> bytes:
    """CSV text of the frame (no index) encoded as UTF-8 with a leading BOM (EF BB BF); Korean Excel opens it."""
    return (BOM + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """to_csv_bom of the frame with every text cell passed through safe_text.csv_text."""
    return to_csv_bom(csv_frame(frame))


def sheet_name(name: str) -> str:
    """An Excel sheet name: without []:*?/\\ , at most 31 characters, 'data' when nothing is left."""
    return "".join(c for c in name if c not in "[]:*?/\\").strip("'")[:31] or "data"


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook (openpyxl) with the frame on one sheet, header in row 1, no index; text as string cells."""
    buf = io.BytesIO()
    name = sheet_name(sheet)
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=name, index=False)
        text_cells(writer.sheets[name])
    return buf.getvalue()
