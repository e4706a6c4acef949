"""The hierarchy rule (a stated figure wins, else the sum of the sub-programs), checked against a plain recursive
reading of the rule on random trees."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from kpi.domain.hierarchy import rollup, top_level_sum, tree_order


def _by_rule(parent: dict[int, int | None], own: dict[int, list[float]], pid: int) -> list[float]:
    """A program's figures by the rule, recursively: own when stated, else the children's sum (NaN if none)."""
    kids = [k for k, p in parent.items() if p == pid]
    out = []
    for col, mine in enumerate(own[pid]):
        if not math.isnan(mine):
            out.append(mine)
            continue
        vals = [v for v in (_by_rule(parent, own, k)[col] for k in kids) if not math.isnan(v)]
        out.append(float(sum(vals)) if vals else math.nan)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_rollup_follows_the_rule_on_random_trees(seed: int) -> None:
    rng = random.Random(seed)
    ids = rng.sample(range(1, 500), rng.randint(1, 40))
    parent: dict[int, int | None] = {}
    for i, pid in enumerate(ids):  # a parent always comes earlier: no cycles, up to several levels
        parent[pid] = None if i == 0 or rng.random() < 0.25 else rng.choice(ids[:i])
    own = {pid: [math.nan if rng.random() < 0.5 else float(rng.randint(0, 10**12)) for _ in range(3)] for pid in ids}
    series = pd.Series({p: (math.nan if v is None else float(v)) for p, v in parent.items()}, dtype="float64")
    frame = pd.DataFrame.from_dict(own, orient="index", columns=["a", "b", "c"])
    rolled = rollup(series, frame)
    for pid in ids:
        np.testing.assert_array_equal(rolled.loc[pid].to_numpy(), np.array(_by_rule(parent, own, pid)))
    units = [p for p in ids if parent[p] is None]
    for col in "abc":
        want = [rolled.at[u, col] for u in units if not math.isnan(rolled.at[u, col])]
        got = top_level_sum(series, rolled)[col]
        assert (math.isnan(got) and not want) or got == sum(want)
    assert sorted(tree_order(series)) == sorted(ids)


def test_rollup_of_nothing_is_empty() -> None:
    empty = pd.Series(dtype="float64")
    assert rollup(empty, pd.DataFrame(columns=["a"])).empty
