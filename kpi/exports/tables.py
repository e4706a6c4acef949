"""Byte builders for table downloads: CSV in UTF-8 with a BOM (Korean Excel opens it) and xlsx."""

from __future__ import annotations

import pandas as pd

BOM = "\ufeff"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv_bom(frame: pd.DataFrame) -> bytes:
    """CSV text of the frame (no index) encoded as UTF-8 with a leading BOM (EF BB BF)."""
    return (BOM + frame.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")
