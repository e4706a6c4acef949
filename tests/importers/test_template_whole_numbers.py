"""The template's column reading of whole numbers, each distinct cell judged once when the column holds one number
type, gives what the cell-by-cell reading gives on any mix of cells (bools, -0.0, NaN, floats past 2**53)."""

from __future__ import annotations

import math
import random

import pytest

from kpi.importers.template import _whole_numbers, _whole_numbers_each

POOL = [0, 1, -0.0, 0.0, 1.0, True, False, None, "", " ", "1", 2**53, float(2**53), 2**53 + 1, float(2**60), 2**60,
        math.nan, math.inf, 2.5, -3, 12, 12.0, 13.0, 2024, 2024.0]  # fmt: skip


@pytest.mark.parametrize("seed", range(200))
def test_whole_numbers_read_as_cell_by_cell(seed: int) -> None:
    rng = random.Random(seed)
    pool = rng.sample(POOL, rng.randint(1, len(POOL)))
    values = [rng.choice(pool) for _ in range(rng.randint(0, 30))]
    for low, high in ((0, 10**18), (1, 12), (2024, 2024)):
        got, want = _whole_numbers(values, low, high), _whole_numbers_each(values, low, high)
        assert got == want and list(map(type, got)) == list(map(type, want))
