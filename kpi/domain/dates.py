"""Calendar rules of the reports: month ends and half-year ends (as-of dates are always period ends)."""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def half_end(year: int, half: int) -> date:
    """Last day of a half-year (상반기 6-30, 하반기 12-31)."""
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)
