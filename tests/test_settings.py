"""Settings: the defaults are what the README says, and the filters round-trip through the URL.
(That every setting is documented in the README is checked once, in tests/test_one_home.py.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kpi.domain.filters import Filters, resolve
from kpi.settings import load_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def readme_row(var: str) -> str:
    """The README's settings-table row of one environment variable."""
    return next(line for line in README.splitlines() if line.startswith(f"| `{var}` |"))


def test_defaults():
    s = load_settings({})
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/jobkpi.db")
    assert s.home_district == "11560" and s.load_demo == "auto"
    assert "the SQLite file `data/jobkpi.db`" in readme_row("JOBKPI_DATABASE_URL")
    assert f"(default `{s.home_district}`," in readme_row("JOBKPI_HOME_DISTRICT")
    assert f"`{s.load_demo}` (default)" in readme_row("JOBKPI_LOAD_DEMO")


def test_filters_round_trip_through_params():
    f = Filters("11170", 2024, date(2024, 4, 30), "억원")
    back, problems = resolve(
        f.to_params(),
        home="11560",
        years_of=lambda d: [2023, 2024],
        latest_month_of=lambda d, y: 5,
        today=date(2026, 1, 1),
    )
    assert back == f and problems == []


def test_filters_default_to_the_latest_data():
    f, problems = resolve(
        {}, home="11560", years_of=lambda d: [2023, 2024], latest_month_of=lambda d, y: 5, today=date(2026, 1, 1)
    )
    assert f == Filters("11560", 2024, date(2024, 5, 31)) and problems == []
