"""시군구 집행률 비교: one 분야/부문's execution rate (Σ지출액 / Σ예산현액 of its 세부사업) across the 시군구 of the
district's 시도 (or the whole country), from the 지방재정365 snapshots the district uploaded (kpi/store/peers.py).

The snapshot is the latest one on or before the filters' as-of day within the year; the own district's figure
comes from the same snapshot as everyone else's, so the comparison is like with like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from kpi.domain import districts, kpis
from kpi.domain.batch import Batch
from kpi.domain.filters import Filters
from kpi.domain.provinces import province_of, short_name
from kpi.domain.units import fmt_pct, fmt_pp, money_value, round_half_up
from kpi.i18n import t
from kpi.store import Store, peers
from kpi.views import Metric, charts, header, with_unit
from kpi.views.report import KpiReport

# The 부문 a job-policy department is compared on first (기능별 분류 080 사회복지 / 086 노동), when stated.
DEFAULT_SECTOR = ("사회복지", "노동")
ALL_PARTS = ""  # the 부문 choice that sums every 부문 of the 분야


@dataclass(frozen=True)
class Choices:
    """What the comparison can show for the filters: the snapshot, its 분야 -> 부문, the default choice, whether the
    store holds governments outside the district's 시도, and the snapshots of the year (all of them)."""

    as_of: date | None
    sectors: dict[str, list[str]]
    default: tuple[str, str]
    national: bool
    snapshots: list[date]


def choices(store: Store, report: KpiReport, filters: Filters) -> Choices:
    """The snapshot on or before the filters' as-of day (the latest of the year) and the 분야/부문 it states."""
    with store.read() as conn:
        days = peers.snapshots(conn, filters.district, filters.year)
        usable = [d for d in days if d <= filters.as_of]
        as_of = usable[-1] if usable else None
        found = pd.DataFrame()
        national = False
        if as_of is not None:
            found = peers.sectors(conn, filters.district, filters.year, as_of)
            national = peers.provinces(conn, filters.district, filters.year, as_of) > 1
    sectors: dict[str, list[str]] = {}
    for fld, part in zip(found.get("field_name", []), found.get("part_name", []), strict=True):
        sectors.setdefault(fld, []).append(part)
    default = DEFAULT_SECTOR
    if default[0] not in sectors or default[1] not in sectors[default[0]]:
        first = next(iter(sectors), "")
        default = (first, sectors[first][0] if first else "")
    return Choices(as_of, sectors, default, national, days)


@dataclass(frozen=True)
class Comparison:
    """One 분야/부문 of a snapshot across the governments in scope: cards, bars of the district's 시도, the table
    (every government in scope, ranked) and the text alternative."""

    cards: list[Metric]
    figure: go.Figure | None
    table: pd.DataFrame
    alt: str
    caption: str
    sample: bool


def upload_note(batch: Batch | None, lang: str | None = None) -> str | None:
    """What an upload keeps for the comparison, for its preview: governments, 시도, 분야/부문 and the as-of day; None
    when it keeps nothing."""
    if batch is None or not batch.peers:
        return None
    provinces = list(dict.fromkeys(p.province for p in batch.peers))
    return t(
        "peer_upload_note",
        lang,
        n=len({p.government for p in batch.peers}),
        provinces=", ".join(provinces),
        sectors=len({(p.field_name, p.part_name) for p in batch.peers}),
        as_of=batch.peers[0].as_of.isoformat(),
    )


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Governments with execution rate (kpis.execution_rate, %) and rank (1 = highest; none without a budget)."""
    rates = kpis.execution_rate(frame["executed"].astype("float64"), frame["budget_current"].astype("float64"))
    out = frame.assign(rate=rates, rank=kpis.district_rank(rates))
    return out.sort_values(["rank", "laf_name"], na_position="last", kind="stable").reset_index(drop=True)


def comparison(
    store: Store,
    report: KpiReport,
    filters: Filters,
    as_of: date,
    field_name: str,
    part_name: str,
    national: bool,
) -> Comparison:
    """The execution of `field_name`/`part_name` (every 부문 when ALL_PARTS) on `as_of` across the 시군구 of the
    district's 시도, or the whole country when `national`."""
    district = districts.BY_SIG[filters.district]
    home = province_of(district.laf_cd, "")
    with store.read() as conn:
        rows = peers.execution(conn, filters.district, filters.year, as_of, field_name, part_name or None)
    if not national:
        rows = rows[rows["province"] == home]
    table = ranked(rows.reset_index(drop=True))
    sector = f"{field_name} · {part_name or t('peer_all_parts')}"
    scope = t("peer_scope_national") if national else t("peer_scope_province", province=home)
    caption = t("peer_caption", as_of=as_of.isoformat(), sector=sector, scope=scope, n=len(table))
    if table.empty:
        return Comparison([], None, pd.DataFrame(), "", caption, False)
    own = table[table["sig_cd"] == filters.district]
    total_rate = kpis.execution_rate(float(table["executed"].sum()), float(table["budget_current"].sum()))
    cards = _cards(own, len(table), total_rate, scope)
    local = table[table["province"] == home]
    names = [short_name(n, home) for n in local["laf_name"]]
    own_name = short_name(own["laf_name"].iloc[0], home) if not own.empty else ""
    figure = charts.district_bars(
        names, list(local["rate"].astype(float)), own_name, list(local["is_sample"].astype(bool)), t("execution_rate")
    )
    return Comparison(
        cards,
        figure,
        _display(table, filters.unit, national, home),
        _alt(table, own, sector, scope, home),
        caption,
        bool(table["is_sample"].astype(bool).any()),
    )


def _cards(own: pd.DataFrame, n: int, total_rate: float, scope: str) -> list[Metric]:
    """The district's rate and rank, the scope's overall rate (Σ지출액 / Σ예산현액 of all) and the gap to it."""
    mine = float(own["rate"].iloc[0]) if not own.empty else float("nan")
    rank = own["rank"].iloc[0] if not own.empty else pd.NA
    # rounded rate - rounded overall rate, so the cards add up as read (the rule of the gap to pace)
    gap = kpis.pace_gap_pp(mine, total_rate) if mine == mine and total_rate == total_rate else None
    return [
        Metric(t("peer_own_rate"), fmt_pct(mine) if mine == mine else "-"),
        Metric(t("peer_rank"), "-" if rank is pd.NA else t("rank_value", rank=int(rank), of=n)),
        Metric(t("peer_total_rate", scope=scope), fmt_pct(total_rate) if total_rate == total_rate else "-"),
        Metric(t("peer_gap"), "-" if gap is None else fmt_pp(gap)),
    ]


def _display(table: pd.DataFrame, unit: str, national: bool, home: str) -> pd.DataFrame:
    """The ranked governments as the data view shows them: rank, name, 시도 (national), amounts in the display unit,
    rate, number of 세부사업, sample."""
    out = pd.DataFrame(
        {
            header("col_rank"): table["rank"],
            t("peer_government"): [n if national else short_name(n, home) for n in table["laf_name"]],
            header("col_peer_budget", unit): [money_value(v, unit) for v in table["budget_current"]],
            header("col_peer_executed", unit): [money_value(v, unit) for v in table["executed"]],
            with_unit(t("execution_rate"), "%"): [_rate_shown(v) for v in table["rate"]],
            t("col_peer_programs"): table["programs"],
            header("col_sample"): table["is_sample"].astype(bool),
        }
    )
    if national:
        out.insert(2, t("peer_province"), table["province"].to_numpy())
    return out


def _rate_shown(rate: float) -> float | None:
    """A rate as the table shows it: half up to one decimal (None without a budget)."""
    return round_half_up(rate, 1) if rate == rate else None


def _alt(table: pd.DataFrame, own: pd.DataFrame, sector: str, scope: str, home: str) -> str:
    """The comparison in words: highest and lowest, the district's rate and rank."""
    rated = table[table["rate"].notna()]
    if rated.empty:
        return ""
    first, last = rated.iloc[0], rated.iloc[-1]
    return t(
        "alt_peers",
        sector=sector,
        scope=scope,
        top=short_name(first["laf_name"], home),
        top_v=fmt_pct(float(first["rate"])),
        low=short_name(last["laf_name"], home),
        low_v=fmt_pct(float(last["rate"])),
        own_v="-" if own.empty or own["rate"].isna().iloc[0] else fmt_pct(float(own["rate"].iloc[0])),
        rank="-" if own.empty or own["rank"].isna().iloc[0] else int(own["rank"].iloc[0]),
        n=len(table),
    )
