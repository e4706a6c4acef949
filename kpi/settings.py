"""Settings read from the environment, each documented in the README (a test checks that)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kpi.domain.catalog import ORIGINS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_DIR / "data" / "jobkpi.db"


@dataclass(frozen=True)
class PaceBands:
    """Status bands on the gap to pace in %p: gap >= -at_risk is on track, >= -behind at risk, else behind."""

    at_risk: float = 2.0
    behind: float = 5.0


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of the store, the app and the KPI rules."""

    database_url: str = field(default_factory=lambda: f"sqlite:///{DEFAULT_DB_PATH}")
    home_district: str = "11560"
    load_demo: str = "auto"  # auto: load the demo into an empty store on first start; never
    pace_bands: PaceBands = field(default_factory=PaceBands)
    lang: str = "ko"
    rapid_target: float = 60.0  # 신속집행: share of the budget (%) to execute by the end of June
    max_upload_mb: int = 20
    # 지방재정365 세출현황 CSV read column by column (kpi/importers/lofin_columnar.py): a national snapshot
    lofin_max_upload_mb: int = 200
    lofin_max_rows: int = 1_000_000
    # which other governments' 분야/부문 execution a 지방재정365 세출현황 upload keeps for comparison
    lofin_peers: str = "province"  # province (the district's 시도) | national (every 시군구) | off
    require_login: bool = False
    briefing_prefs_dir: str = str(PROJECT_DIR / "data" / "briefing_prefs")  # each presenter's slide choice
    write_wait_s: float = 600.0  # how long a write waits for the one before it before giving up
    login_max_failures: int = 5  # consecutive wrong passwords that lock an account
    login_lockout_minutes: float = 15.0  # the first lockout; each further one doubles
    login_lockout_max_minutes: float = 1440.0  # the longest lockout
    browser_path: str = "/usr/bin/chromium"  # Debian's chromium: PNG and PDF exports (never downloaded)
    home_department: str = "일자리정책과"  # the department reports are for unless another is chosen
    # Origins of values, most authoritative first; origins joined by '=' rank alike (the newest upload wins).
    source_order: tuple[tuple[str, ...], ...] = (
        ("ehojo",),
        ("lofin365",),
        ("report", "template"),
        ("centre_log",),
        ("goal_disclosure",),
        ("kosis",),
        ("demo",),
    )


# Environment variable -> (Settings field, one-line description). The README documents each.
ENV_VARS: dict[str, tuple[str, str]] = {
    "JOBKPI_DATABASE_URL": ("database_url", "SQLAlchemy URL of the store (default: SQLite file data/jobkpi.db)"),
    "JOBKPI_HOME_DISTRICT": ("home_district", "SIG_CD of the district opened by default (default 11560)"),
    "JOBKPI_LOAD_DEMO": ("load_demo", "auto = load demo data into an empty store on first start; never"),
    "JOBKPI_PACE_BANDS": ("pace_bands", "at-risk and behind thresholds in %p below pace, e.g. '2,5'"),
    "JOBKPI_LANG": ("lang", "UI language: ko (default) or en"),
    "JOBKPI_RAPID_TARGET": ("rapid_target", "신속집행 first-half execution target in % of the budget (default 60)"),
    "JOBKPI_MAX_UPLOAD_MB": ("max_upload_mb", "largest upload accepted, in MB (default 20)"),
    "JOBKPI_LOFIN_MAX_UPLOAD_MB": ("lofin_max_upload_mb", "largest 지방재정365 세출현황 CSV, in MB (default 200)"),
    "JOBKPI_LOFIN_MAX_ROWS": ("lofin_max_rows", "most rows of a 지방재정365 세출현황 CSV (default 1,000,000)"),
    "JOBKPI_LOFIN_PEERS": (
        "lofin_peers",
        "other governments a 지방재정365 세출현황 upload keeps for the execution comparison: province (default, "
        "the district's 시도), national (every 시군구) or off",
    ),
    "JOBKPI_REQUIRE_LOGIN": ("require_login", "true: every page needs a login; false (default): viewers need none"),
    "JOBKPI_BRIEFING_PREFS_DIR": ("briefing_prefs_dir", "folder of each presenter's saved slide choice (JSON)"),
    "JOBKPI_WRITE_WAIT_S": ("write_wait_s", "seconds a commit or revert waits for the one before it (default 600)"),
    "JOBKPI_LOGIN_MAX_FAILURES": ("login_max_failures", "consecutive wrong passwords that lock an account (default 5)"),
    "JOBKPI_LOGIN_LOCKOUT_MINUTES": ("login_lockout_minutes", "minutes of the first lockout, doubling (default 15)"),
    "JOBKPI_LOGIN_LOCKOUT_MAX_MINUTES": ("login_lockout_max_minutes", "longest lockout in minutes (default 1440)"),
    "JOBKPI_BROWSER_PATH": ("browser_path", "chromium that renders PNG and PDF exports (default /usr/bin/chromium)"),
    "JOBKPI_HOME_DEPARTMENT": ("home_department", "department that reports are for by default (default 일자리정책과)"),
    "JOBKPI_SOURCE_ORDER": (
        "source_order",
        "which source's figure is shown when several state one: origins, most authoritative first, comma-separated; "
        "'a=b' ranks alike, newest upload wins (default ehojo,lofin365,report=template,centre_log,goal_disclosure,"
        "kosis,demo)",
    ),
}


def _parse_bands(text: str) -> PaceBands:
    """Parse 'at_risk,behind' (both in %p, at_risk <= behind)."""
    parts = [float(p) for p in text.split(",")]
    if len(parts) != 2 or not 0 <= parts[0] <= parts[1]:
        raise ValueError(f"JOBKPI_PACE_BANDS must be 'at_risk,behind' with 0 <= at_risk <= behind, got {text!r}")
    return PaceBands(*parts)


def _parse_source_order(text: str) -> tuple[tuple[str, ...], ...]:
    """Parse 'ehojo,lofin365,report=template,...': groups in order; origins left out rank after all listed."""
    groups = tuple(tuple(o.strip() for o in part.split("=") if o.strip()) for part in text.split(",") if part.strip())
    unknown = sorted({o for g in groups for o in g} - set(ORIGINS))
    if unknown:
        raise ValueError(f"JOBKPI_SOURCE_ORDER names unknown origins {unknown}; known: {', '.join(ORIGINS)}")
    listed = {o for g in groups for o in g}
    return groups + tuple((o,) for o in ORIGINS if o not in listed)


PEER_SCOPES = ("province", "national", "off")


def _parse_peers(text: str) -> str:
    """'province', 'national' or 'off' (any case)."""
    scope = text.lower()
    if scope not in PEER_SCOPES:
        raise ValueError(f"JOBKPI_LOFIN_PEERS must be one of {', '.join(PEER_SCOPES)}, got {text!r}")
    return scope


_PARSERS: dict[str, Callable[[str], object]] = {
    "lofin_peers": _parse_peers,
    "source_order": _parse_source_order,
    "pace_bands": _parse_bands,
    "rapid_target": float,
    "max_upload_mb": int,
    "lofin_max_upload_mb": int,
    "lofin_max_rows": int,
    "write_wait_s": float,
    "login_max_failures": int,
    "login_lockout_minutes": float,
    "login_lockout_max_minutes": float,
    "require_login": lambda raw: raw.lower() in ("1", "true", "yes", "on"),
}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from environment variables (unset ones keep their defaults), parsed once per environment.

    With no argument the process environment is used; the parse is cached on the values of the documented
    variables, so the many callers (every t() call among them) share one Settings until the environment changes.
    """
    if env is not None:
        return _parse(tuple(env.get(var, "") for var in ENV_VARS))
    return _parse(tuple(os.environ.get(var, "") for var in ENV_VARS))


@functools.lru_cache(maxsize=8)
def _parse(raw_values: tuple[str, ...]) -> Settings:
    """Settings from the raw values of ENV_VARS, in their order (empty = default)."""
    values: dict[str, object] = {}
    for (_var, (name, _doc)), raw in zip(ENV_VARS.items(), raw_values, strict=True):
        if raw.strip():
            values[name] = _PARSERS.get(name, str)(raw.strip())
    return Settings(**values)  # type: ignore[arg-type]
