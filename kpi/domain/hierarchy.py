"""The program hierarchy rule: a program's stated figure wins; otherwise it is the sum of its sub-programs."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rollup(parent: pd.Series, own: pd.DataFrame) -> pd.DataFrame:
    """Rolled figures per program (rows) and column: own value if stated, else the sum of the children's rolled
    values (NaN when no child has one). `parent` maps program id -> parent id (NaN for a unit program)."""
    own = own.reindex(parent.index)
    children: dict[int, list[int]] = {}
    for pid, par in parent.items():
        if pd.notna(par):
            children.setdefault(int(par), []).append(int(pid))
    rolled: dict[int, np.ndarray] = {}

    def value(pid: int, depth: int = 0) -> np.ndarray:
        """A program's own values, each missing one filled by the sum of its children's (at most 20 levels)."""
        if pid in rolled:
            return rolled[pid]
        mine = own.loc[pid].to_numpy(dtype="float64")
        kids = [value(k, depth + 1) for k in children.get(pid, []) if depth < 20]
        if kids:
            stacked = np.vstack(kids)
            kid_sum = np.where(np.isnan(stacked).all(axis=0), np.nan, np.nansum(stacked, axis=0))
            mine = np.where(np.isnan(mine), kid_sum, mine)
        rolled[pid] = mine
        return mine

    data = [value(int(pid)) for pid in parent.index]
    return pd.DataFrame(data, index=parent.index, columns=own.columns) if data else own.astype("float64")


def top_level_sum(parent: pd.Series, rolled: pd.DataFrame) -> pd.Series:
    """Department/district total per column: the sum over unit programs (NaN when none has a figure)."""
    units = rolled.loc[parent.isna()]
    return units.sum(min_count=1)


def tree_order(parent: pd.Series) -> list[int]:
    """Program ids depth-first: each unit program (in id order) followed by its sub-programs."""
    children: dict[float, list[int]] = {}
    for pid, par in sorted(parent.items()):
        children.setdefault(-1.0 if pd.isna(par) else float(par), []).append(int(pid))
    order: list[int] = []

    def walk(pid: int) -> None:
        """Append a program, then its children depth first."""
        order.append(pid)
        for kid in children.get(float(pid), []):
            walk(kid)

    for root in children.get(-1.0, []):
        walk(root)
    return order
