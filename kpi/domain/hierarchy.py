"""The program hierarchy rule: a program's stated figure wins; otherwise it is the sum of its sub-programs."""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_DEPTH = 20  # levels below a unit program that roll up (a guard against a cycle in parent links)


def _depths(parent_pos: np.ndarray) -> np.ndarray:
    """Depth of each node (0 = no parent in the frame), following parent positions; capped at MAX_DEPTH + 1."""
    depth = np.zeros(len(parent_pos), dtype="int64")
    node = parent_pos.copy()
    for _ in range(MAX_DEPTH + 1):
        up = node >= 0
        if not up.any():
            break
        depth[up] += 1
        node[up] = parent_pos[node[up]]
    return depth


def rollup(parent: pd.Series, own: pd.DataFrame) -> pd.DataFrame:
    """Rolled figures per program (rows) and column: own value if stated, else the sum of the children's rolled
    values (NaN when no child has one). `parent` maps program id -> parent id (NaN for a unit program).

    Level by level from the deepest: each level's rolled values are summed per parent and fill the parents' gaps."""
    own = own.reindex(parent.index)
    values = own.to_numpy(dtype="float64", copy=True)
    parent_pos = parent.index.get_indexer(parent.to_numpy()) if len(parent) else np.zeros(0, dtype="int64")
    depth = _depths(parent_pos)
    for level in range(int(depth.max(initial=0)), 0, -1):
        kids = np.flatnonzero((depth == level) & (parent_pos >= 0))
        if not len(kids):
            continue
        sums = pd.DataFrame(values[kids]).groupby(parent_pos[kids]).sum(min_count=1)
        at = sums.index.to_numpy()
        values[at] = np.where(np.isnan(values[at]), sums.to_numpy(dtype="float64"), values[at])
    return pd.DataFrame(values, index=parent.index, columns=own.columns)


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
