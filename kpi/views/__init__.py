"""View-models of the dashboard pages: what each page lays out, as plain data computed from the store."""

from __future__ import annotations

from dataclasses import dataclass

from kpi.domain.units import to_unit
from kpi.i18n import t, unit_label
from kpi.settings import load_settings

SUB_MARK = "└ "  # a sub-program's name in a table, under its unit program


def tree_label(name: str, level: str) -> str:
    """A program's name as a table lists it: a 세부사업 (level "sub") marked with SUB_MARK."""
    return SUB_MARK + name if level == "sub" else name


def header(key: str, unit: str | None = None, lang: str | None = None) -> str:
    """A table header in the UI language: t(key), with its unit as the language writes it ('집행액(천원)',
    'Executed (KRW 1,000)')."""
    return with_unit(t(key, lang), unit, lang)


def with_unit(text: str, unit: str | None, lang: str | None = None) -> str:
    """A header with its unit as the UI language writes it: '이름(단위)' in Korean, 'Name (unit)' in English."""
    if unit is None:
        return text
    if (lang or load_settings().lang) == "ko":
        return f"{text}({unit})"
    return f"{text} ({unit_label(unit, lang)})"


def amount(won: float | None, unit: str) -> float:
    """An amount in 원 in the display `unit` for a chart (a missing amount NaN, which plotly leaves out)."""
    value = to_unit(won, unit)
    return float("nan") if value is None else float(value)


@dataclass(frozen=True)
class Metric:
    """A metric card as shown: label, value, delta, help text and a caption under it."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    caption: str | None = None
