"""The shared view filters (district, year, as-of date, money unit) and their URL query-parameter form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from kpi.domain import districts
from kpi.domain.dates import month_end
from kpi.domain.units import MONEY_UNITS

DEFAULT_UNIT = "천원"


@dataclass(frozen=True)
class Filters:
    """What the user is looking at."""

    district: str
    year: int
    as_of: date
    unit: str = DEFAULT_UNIT
    department: str | None = None  # None: the home department (settings), or the only one

    def to_params(self) -> dict[str, str]:
        """The query parameters that reopen this view."""
        return {"district": self.district, "year": str(self.year), "as_of": self.as_of.isoformat(), "unit": self.unit}


def default_as_of(year: int, latest_month: int | None, today: date) -> date:
    """End of the latest month with figures; else the end of the year (or today, within the current year)."""
    if latest_month:
        return month_end(year, latest_month)
    return min(date(year, 12, 31), today) if year <= today.year else date(year, 12, 31)


def resolve(
    params: Mapping[str, str],
    *,
    home: str,
    years_of: Callable[[str], list[int]],
    latest_month_of: Callable[[str, int], int | None],
    today: date,
) -> tuple[Filters, list[str]]:
    """Filters from query parameters; a missing or invalid parameter falls back to a default with a warning."""
    warnings: list[str] = []
    district = home
    if params.get("district"):
        found = districts.find_district(str(params["district"]))
        if found is None:
            warnings.append(f"district={params['district']!r}")
        else:
            district = found.sig_cd
    years = years_of(district)
    year = years[-1] if years else today.year
    if params.get("year"):
        try:
            year = int(str(params["year"]))
        except ValueError:
            warnings.append(f"year={params['year']!r}")
    as_of = default_as_of(year, latest_month_of(district, year), today)
    if params.get("as_of"):
        try:
            parsed = date.fromisoformat(str(params["as_of"]))
        except ValueError:
            warnings.append(f"as_of={params['as_of']!r}")
        else:
            if parsed.year == year:
                as_of = parsed
            else:
                warnings.append(f"as_of={params['as_of']!r} ≠ {year}")
    unit = str(params.get("unit") or DEFAULT_UNIT)
    if unit not in MONEY_UNITS:
        warnings.append(f"unit={unit!r}")
        unit = DEFAULT_UNIT
    return Filters(district, year, as_of, unit), warnings
