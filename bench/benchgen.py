"""Synthetic stores for benchmarks: many districts, years, programs, months and metrics, all labelled sample.

Written through Store.commit (one upload per district-year), the write path uploads use.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from kpi.domain import catalog
from kpi.domain.batch import Batch, BudgetRow, FactRow, ProgramSpec
from kpi.domain.districts import DISTRICTS
from kpi.store import Store

COUNT_METRICS = tuple(m.code for m in catalog.METRICS if m.unit != "percent" and m.code != "executed")


def facts_per_batch(programs: int, metrics: int) -> int:
    """Facts in one district-year batch: programs x 12 months x metrics (executed included)."""
    return programs * 12 * metrics


def batches(total_facts: int, programs: int = 50, metrics: int = 12, seed: int = 1) -> Iterator[Batch]:
    """District-year batches until at least total_facts facts: districts first, then earlier years."""
    rng = random.Random(seed)
    codes = ("executed", *COUNT_METRICS[: metrics - 1])
    per = facts_per_batch(programs, len(codes))
    needed = -(-total_facts // per)
    for i in range(needed):
        district = DISTRICTS[i % len(DISTRICTS)].sig_cd
        year = 2024 - i // len(DISTRICTS)
        names = [f"표본 사업 {p:03d}" for p in range(programs)]
        budgets = [rng.randrange(10_000, 5_000_000) * 1_000 for _ in names]
        facts = []
        for name, budget in zip(names, budgets, strict=True):
            for code in codes:
                final = int(budget * rng.uniform(0.8, 1.0)) if code == "executed" else rng.randrange(10, 5_000)
                run = 0
                for month in range(1, 13):
                    run += (final - run) // (13 - month)
                    facts.append(FactRow(name, year, month, code, run))
        yield Batch(
            district_cd=district,
            kind="benchmark",
            filename=f"bench/{district}_{year}.json",
            content=f"{district}-{year}-{seed}".encode(),
            as_of=date(year, 12, 31),
            uploaded_by="bench",
            is_sample=True,
            note="표본: 벤치마크용 합성 자료",
            programs=[ProgramSpec(n, department="일자리정책과") for n in names],
            budgets=[BudgetRow(n, year, "total", b) for n, b in zip(names, budgets, strict=True)],
            facts=facts,
        )


def generate(store: Store, total_facts: int, programs: int = 50, metrics: int = 12) -> int:
    """Fill a store with at least total_facts facts; returns the number of facts written."""
    return sum(store.commit(b).rows - len(b.budgets) for b in batches(total_facts, programs, metrics))


def one_batch(facts: int, seed: int = 1, district: str = "11560", metrics: int = 12) -> Batch:
    """One 2024 upload of a district of at least `facts` facts (programs x 12 months x metrics); the seed varies the
    values only, so batches of equal size and different seeds state the same keys."""
    programs = -(-facts // facts_per_batch(1, metrics))
    base = next(batches(facts_per_batch(programs, metrics), programs=programs, metrics=metrics, seed=seed))
    return Batch(
        district_cd=district,
        kind=base.kind,
        filename=f"bench/{district}_{seed}.json",
        content=f"one-{district}-{seed}-{facts}".encode(),
        as_of=base.as_of,
        uploaded_by=base.uploaded_by,
        is_sample=True,
        note=base.note,
        programs=base.programs,
        budgets=base.budgets,
        facts=base.facts,
    )
