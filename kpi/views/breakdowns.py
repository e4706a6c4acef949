"""Breakdowns beside the headline report: funding mix per program, pledge fulfilment per item."""

from __future__ import annotations

import pandas as pd

from kpi.domain import catalog, kpis
from kpi.store import Store, queries


def funding_table(store: Store, district_cd: str, year: int) -> pd.DataFrame:
    """Per program with a funding split: amount and share (%) of each source, and the unsplit remainder."""
    with store.engine.connect() as conn:
        rows = queries.budget_split(conn, district_cd, year)
        names = queries.programs(conn, district_cd).set_index("id")["name"]
    if rows.empty:
        return pd.DataFrame()
    split = rows[rows["source"] != "total"].pivot_table(
        index="program_id", columns="source", values="budget", aggfunc="sum"
    )
    split = split.reindex(columns=[s for s in catalog.SPLIT_SOURCES if s in split.columns])
    stated = rows[rows["source"] == "total"].set_index("program_id")["budget"]
    out = pd.DataFrame(index=split.index)
    out["program"] = names.reindex(split.index)
    parts = split.sum(axis=1, min_count=1)
    out["total"] = stated.reindex(split.index).fillna(parts)
    for source in split.columns:
        out[source] = split[source]
        out[f"{source}_pct"] = kpis.ratio_pct(split[source].fillna(0), parts)
    out["unsplit"] = out["total"] - parts  # a stated total that its parts do not reach
    out["is_sample"] = rows.groupby("program_id")["is_sample"].any().reindex(split.index)
    return out.reset_index()


def pledge_table(store: Store, district_cd: str, by_year: bool = False) -> pd.DataFrame:
    """Per pledge item (and year when by_year): target, actual and the fulfilment rate (실적 / 목표)."""
    with store.engine.connect() as conn:
        rows = queries.pledge_values(conn, district_cd)
    items = rows[rows["item"].notna() & rows["measure"].isin(["target", "actual"])]
    if items.empty:
        return pd.DataFrame()
    keys = ["pledge", "item", "year"] if by_year else ["pledge", "item"]
    totals = items.pivot_table(index=keys, columns="measure", values="value", aggfunc="sum")
    totals = totals.reindex(columns=["target", "actual"])
    totals["fulfilment"] = kpis.pledge_fulfilment(totals["actual"], totals["target"])
    totals["is_sample"] = items.groupby(keys)["is_sample"].any()
    return totals.reset_index()


def pledge_budget(store: Store, district_cd: str) -> pd.DataFrame:
    """Pledge budget (원) by year and funding source, pledge-level rows only."""
    with store.engine.connect() as conn:
        rows = queries.pledge_values(conn, district_cd)
    budget = rows[(rows["measure"] == "budget") & rows["item"].isna()]
    if budget.empty:
        return pd.DataFrame()
    return budget.pivot_table(index=["pledge", "year"], columns="source", values="value", aggfunc="sum").reset_index()


def pledge_yearly(store: Store, district_cd: str) -> pd.DataFrame:
    """Per pledge item and year: target and actual (pledge-card figures as stated)."""
    table = pledge_table(store, district_cd, by_year=True)
    return table if table.empty else table[["pledge", "item", "year", "target", "actual"]]
