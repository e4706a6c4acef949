"""Money units, half-up rounding and number formatting for display (values stay in 원 inside)."""

from __future__ import annotations

import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

MONEY_UNITS: dict[str, int] = {"원": 1, "천원": 1_000, "백만원": 1_000_000, "억원": 100_000_000}


def round_half_up(value: float | Decimal | None, decimals: int = 1) -> float | None:
    """Round half away from zero as Korean reports do (34.45 -> 34.5, 40.66 -> 40.7); None/NaN stay None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    quant = Decimal(1).scaleb(-decimals)
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, numbers.Integral):
        exact = Decimal(int(value))
    else:  # repr() of a float is its shortest round-trip text: 34.45 rounds as written, not as 34.4499...
        exact = Decimal(repr(float(value)))
    return float(exact.quantize(quant, ROUND_HALF_UP))


def to_unit(won: int | float | None, unit: str) -> float | None:
    """Convert an amount in 원 to the display unit (천원, 백만원, 억원)."""
    if won is None:
        return None
    return won / MONEY_UNITS[unit]


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Format with thousands separators after half-up rounding; '-' for a missing value."""
    rounded = round_half_up(value, decimals)
    if rounded is None:
        return "-"
    return f"{rounded:,.{decimals}f}"


# Units in which a small amount would read 0 as a whole number: there it gets one decimal (25,000천원 = 0.3억원).
COARSE_UNITS = frozenset({"백만원", "억원"})


def money_decimals(won: int | float | None, unit: str) -> int:
    """Decimals an amount is shown with: 0, or 1 in 백만원/억원 where a whole number would read 0 (but it is not 0)."""
    value = to_unit(won, unit)
    if unit not in COARSE_UNITS or value is None or math.isnan(value) or value == 0:
        return 0
    return 1 if round_half_up(value, 0) == 0 else 0


def money_value(won: int | float | None, unit: str) -> float | None:
    """An amount in 원 as the number shown in `unit` (half up, decimals as money_decimals), for table cells."""
    return round_half_up(to_unit(won, unit), money_decimals(won, unit))


def fmt_money(won: int | float | None, unit: str = "천원", decimals: int | None = None) -> str:
    """Format an amount in 원 in the chosen unit, e.g. 7,231,263천원 -> '7,231,263', 25,000천원 in 억원 -> '0.3';
    decimals default to money_decimals."""
    return fmt_number(to_unit(won, unit), money_decimals(won, unit) if decimals is None else decimals)


def fmt_pct(ratio_pct: float | None, decimals: int = 1) -> str:
    """Format a percentage (already x100) half-up, e.g. 40.658 -> '40.7%'."""
    rounded = round_half_up(ratio_pct, decimals)
    return "-" if rounded is None else f"{rounded:.{decimals}f}%"


def fmt_pp(delta_pp: float | None, decimals: int = 1) -> str:
    """Format a difference in percentage points with its sign, e.g. -0.8 -> '-0.8%p'."""
    rounded = round_half_up(delta_pp, decimals)
    return "-" if rounded is None else f"{rounded:+.{decimals}f}%p"


def in_unit(won: int | float | None, unit: str, decimals: int = 0) -> float | None:
    """An amount in 원 as a number in the display `unit`, rounded half up (whole by default): chart data views."""
    return round_half_up(to_unit(won, unit), decimals)
