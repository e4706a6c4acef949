"""Demo data: the real figures of the seed reports, plus sample series consistent with them.

Every batch goes through Store.commit, the write path that uploads use. Real figures come in
batches with is_sample=False and name their source document; everything invented to fill the
months and districts between them is in batches with is_sample=True and is labelled so in the UI.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from datetime import date

from kpi.demo import figures
from kpi.domain import catalog
from kpi.domain.batch import Batch, BudgetRow, FactRow, PledgeRow, ProgramSpec, SurveyRow, TargetRow
from kpi.domain.dates import month_end
from kpi.domain.districts import DISTRICTS
from kpi.store import Store

YDP = "11560"  # 영등포구
DEPT = "일자리정책과"
THOUSAND = 1_000  # 천원 -> 원
MILLION = 1_000_000  # 백만원 -> 원

# The seed reports' figures, from the tables in kpi/demo/data/ (see kpi/demo/figures.py).
DOCUMENTS = figures.load_documents()
UNIT_PROGRAMS = figures.load_unit_programs()  # seed 003 예산현황 (천원)
BOXES = figures.load_program_boxes()  # seed 003 program boxes (천원)
RESULTS = figures.load_results()  # seed 003 results as of 2024-05-31
PUBLIC_JOBS = figures.load_public_jobs()  # seed 003 public jobs (백만원)
PLEDGE_CARD = figures.load_pledge_card()  # seed 004 pledge card (people; budget 백만원)
JOB_FAIRS = figures.load_job_fairs()  # seed 004 job fairs
TARGETS = figures.load_targets()
ACTUALS = figures.load_actuals()
KNOWN_EMPLOYMENT_RATES = figures.load_employment_rates()  # 고용률 (15세 이상): (district, year, half) -> %
SURVEY_PERIODS = [(y, h) for y in range(2021, 2026) for h in (1, 2) if (y, h) <= (2025, 1)]


def _doc(name: str, rows: dict) -> bytes:
    """The bytes kept as a demo upload's 'file': its rows as JSON."""
    return json.dumps({"document": name, **rows}, ensure_ascii=False, default=str, indent=1).encode()


def _batch(
    kind: str,
    filename: str,
    note: str,
    district: str = YDP,
    as_of: date | None = None,
    sample: bool = False,
    **rows: list,
) -> Batch:
    """A demo batch of `rows` (programs=..., facts=...); its 'file' is the rows as JSON, titled by the note."""
    content = _doc(note, {k: [asdict(r) for r in v] for k, v in rows.items()})
    batch = Batch(
        district_cd=district,
        kind=kind,
        filename=filename,
        content=content,
        as_of=as_of,
        uploaded_by="demo",
        is_sample=sample,
        note=note,
    )
    for name, values in rows.items():
        if name not in Batch.__dataclass_fields__:
            raise TypeError(f"Batch has no field {name!r}")
        setattr(batch, name, values)
    return batch


def _unit_specs() -> list[ProgramSpec]:
    """The seed 003 unit programs as program specs."""
    return [ProgramSpec(u.name, None, DEPT, u.team, u.category) for u in UNIT_PROGRAMS]


def _document(key: str, **rows: list) -> Batch:
    """A batch of real figures labelled as the seed document `key` of documents.csv."""
    doc = DOCUMENTS[key]
    return _batch(doc.kind, doc.filename, doc.note, district=doc.district_cd, as_of=doc.as_of, sample=False, **rows)


def real_batches() -> list[Batch]:
    """Batches holding the seed documents' real figures."""
    out = [
        _document(
            "003_budget",
            programs=_unit_specs(),
            budgets=[BudgetRow(u.name, 2024, "total", u.budget * THOUSAND) for u in UNIT_PROGRAMS],
            facts=[FactRow(u.name, 2024, 5, "executed", u.executed * THOUSAND) for u in UNIT_PROGRAMS],
        )
    ]
    specs = _unit_specs() + [ProgramSpec(b.name, b.parent, DEPT, b.team, b.category, b.groups) for b in BOXES]
    budgets, facts = [], []
    for b in BOXES:
        budgets += [BudgetRow(b.name, 2024, s, v * THOUSAND) for s, v in b.budget_by_source.items()]
        facts += [FactRow(b.name, 2024, 5, "executed", v * THOUSAND, s) for s, v in b.executed_by_source.items()]
        if b.parent is not None:  # a unit's total is already in the 예산현황 batch
            budgets.append(BudgetRow(b.name, 2024, "total", b.budget * THOUSAND))
            facts.append(FactRow(b.name, 2024, 5, "executed", b.executed * THOUSAND))
    out.append(_document("003_boxes", programs=specs, budgets=budgets, facts=facts))
    specs = [ProgramSpec(r.name, r.parent, DEPT, r.team, r.category, r.groups) for r in RESULTS]
    facts = [FactRow(r.name, 2024, 5, m, v) for r in RESULTS for m, v in r.metrics.items()]
    budgets = [BudgetRow(n, 2024, s, v * MILLION) for n, split in PUBLIC_JOBS.items() for s, v in split.items()]
    out.append(_document("003_results", programs=specs, facts=facts, budgets=budgets))
    for key in ("000_targets", "002_yongsan"):
        rows: dict[str, list] = {
            "targets": [TargetRow(None, t.year, t.metric, t.value, t.basis) for t in TARGETS if t.document == key]
        }
        if actuals := [FactRow(None, a.year, a.month, a.metric, a.value) for a in ACTUALS if a.document == key]:
            rows["facts"] = actuals
        out.append(_document(key, **rows))
    pledges = [
        PledgeRow(
            p.pledge, p.item, p.year, p.measure, p.value * (MILLION if p.measure == "budget" else 1), p.source, p.unit
        )
        for p in PLEDGE_CARD
    ]
    fairs = [
        FactRow(f.program, f.day.year, f.day.month, m, v)
        for f in JOB_FAIRS
        for m, v in (("events", 1), ("participating_firms", f.firms), ("visitors", f.visitors))
    ]
    first_fair = {f.program: f for f in reversed(JOB_FAIRS)}
    programs = [
        ProgramSpec(n, None, first_fair[n].department, first_fair[n].team, "employment_service")
        for n in sorted(first_fair)
    ]
    out.append(_document("004_pledge", pledges=pledges, programs=programs, facts=fairs))
    surveys = [SurveyRow(d, y, h, "employment_rate", "15+", v) for (d, y, h), v in KNOWN_EMPLOYMENT_RATES.items()]
    out.append(_document("survey", surveys=surveys))
    return out


def _cumulative_path(final: int, months: int, rng: random.Random) -> list[int]:
    """A rising year-to-date path of `months` values ending exactly at `final`."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(months)]
    total, run, out = sum(weights), 0.0, []
    for w in weights[:-1]:
        run += w
        out.append(int(final * run / total))
    return [*out, final]


def sample_batches(seed: int = 20240531) -> list[Batch]:
    """Sample series around the real figures: earlier months, other years, other districts, survey figures."""
    rng = random.Random(seed)
    out: list[Batch] = []
    # 2024 January-April of every program that has a May figure, ending below the real May figure.
    facts = []
    real = [b for b in real_batches() if b.kind in ("budget_table", "program_box", "results")]
    for batch in real:
        for f in batch.facts:
            path = _cumulative_path(f.value, 5, rng)
            facts += [
                FactRow(f.program, 2024, m, f.metric, v, f.source) for m, v in zip(range(1, 5), path, strict=False)
            ]
    out.append(
        _batch(
            "sample_series",
            "demo/sample_2024_1-4월.json",
            "표본: 2024년 1~4월 월별 누계",
            sample=True,
            as_of=date(2024, 4, 30),
            facts=facts,
        )
    )
    # 2023 full year and 2025 first half for the units and the job centre.
    centre = next(r for r in RESULTS if r.name == catalog.JOB_CENTRE_PROGRAM)
    for year, months, scale in ((2023, 12, 0.94), (2025, 6, 1.03)):
        budgets, facts = [], []
        for u in UNIT_PROGRAMS:
            budget = int(u.budget * THOUSAND * scale)
            budgets.append(BudgetRow(u.name, year, "total", budget))
            final = int(
                budget * (rng.uniform(0.93, 0.99) if months == 12 else u.executed / u.budget * rng.uniform(1.02, 1.12))
            )
            facts += [
                FactRow(u.name, year, m, "executed", v)
                for m, v in enumerate(_cumulative_path(final, months, rng), start=1)
            ]
        for metric, may in centre.metrics.items():
            final = int(may * 12 / 5 * rng.uniform(0.9, 1.05)) if months == 12 else int(may * 6 / 5 * 1.03)
            facts += [
                FactRow(centre.name, year, m, metric, v)
                for m, v in enumerate(_cumulative_path(final, months, rng), start=1)
            ]
        out.append(
            _batch(
                "sample_series",
                f"demo/sample_{year}.json",
                f"표본: {year}년 예산·월별 실적",
                sample=True,
                as_of=month_end(year, months),
                budgets=budgets,
                facts=facts,
                programs=[*_unit_specs(), ProgramSpec(centre.name, centre.parent, DEPT, centre.team, centre.category)],
            )
        )
    # District job-creation target and monthly actuals for 2024 (the 2025 ones are real).
    path = _cumulative_path(6_100, 5, rng)
    out.append(
        _batch(
            "sample_series",
            "demo/sample_2024_일자리목표.json",
            "표본: 2024년 일자리 목표·실적",
            sample=True,
            as_of=date(2024, 5, 31),
            targets=[TargetRow(None, 2024, "jobs_created", 12_500)],
            facts=[FactRow(None, 2024, m, "jobs_created", v) for m, v in enumerate(path, start=1)],
        )
    )
    out += _sample_districts(rng)
    out.append(_sample_survey(rng))
    return out


def _sample_districts(rng: random.Random) -> list[Batch]:
    """Three other districts with five unit programs each, 2024 January-May."""
    names = [
        ("일자리 창출 지원", "direct"),
        ("취업지원센터 운영", "employment_service"),
        ("청년 일자리 지원", "training"),
        ("사회적경제 활성화", "private"),
        ("기본경비", "admin"),
    ]
    out = []
    for district in ("11170", "11440", "11530"):
        budgets, facts = [], []
        for name, _c in names:
            budget = rng.randrange(100_000, 3_000_000) * THOUSAND
            budgets.append(BudgetRow(name, 2024, "total", budget))
            final = int(budget * rng.uniform(0.30, 0.50))
            facts += [
                FactRow(name, 2024, m, "executed", v) for m, v in enumerate(_cumulative_path(final, 5, rng), start=1)
            ]
        seekers = rng.randrange(600, 1_400)
        facts += [
            FactRow("취업지원센터 운영", 2024, m, metric, v)
            for metric, final in (("job_seekers", seekers), ("placements", int(seekers * rng.uniform(0.3, 0.45))))
            for m, v in enumerate(_cumulative_path(final, 5, rng), start=1)
        ]
        out.append(
            _batch(
                "sample_series",
                f"demo/sample_{district}_2024.json",
                "표본: 다른 자치구 2024년 실적",
                district=district,
                sample=True,
                as_of=date(2024, 5, 31),
                programs=[ProgramSpec(n, None, DEPT, None, c) for n, c in names],
                budgets=budgets,
                facts=facts,
            )
        )
    return out


def _sample_survey(rng: random.Random) -> Batch:
    """Half-yearly 고용률 and 여성고용률 of the 25 districts on both bases, around the known figures.

    영등포 is 1st in both indicators from 2023 상반기 to 2025 상반기 and not in 2022 하반기 (여성고용률),
    so its streak is five, as reported; the known figures of KNOWN_EMPLOYMENT_RATES are left to the real batch.
    """
    rows = []
    for y, h in SURVEY_PERIODS:
        t = (y - 2021) * 2 + h - 1
        for ind, offset in (("employment_rate", 0.0), ("female_employment_rate", -9.0)):
            values = {d.sig_cd: round(rng.uniform(54.0, 62.0) + 0.25 * t + offset, 1) for d in DISTRICTS}
            lead = max(values.values())
            values[YDP] = round(lead + rng.uniform(0.3, 1.2), 1)
            if (y, h) == (2022, 2) and ind == "female_employment_rate":
                values["11680"] = round(values[YDP] + 0.4, 1)  # 강남 leads: the streak starts in 2023
            if (y, h) == (2025, 1) and ind == "employment_rate":
                values = {d: min(max(v, 52.6), 64.9) for d, v in values.items()}
            for d, v in values.items():
                if (d, y, h) in KNOWN_EMPLOYMENT_RATES and ind == "employment_rate":
                    continue
                rows.append(SurveyRow(d, y, h, ind, "15+", v, "표본"))
                rows.append(SurveyRow(d, y, h, ind, "15-64", round(v + rng.uniform(6.0, 8.0), 1), "표본"))
    return _batch(
        "survey",
        "demo/sample_고용률.json",
        "표본: 자치구별 고용률·여성고용률 (2021~2025 상반기)",
        sample=True,
        as_of=date(2025, 6, 30),
        surveys=rows,
    )


def demo_batches() -> list[Batch]:
    """All demo batches in load order: real documents first, then the sample series."""
    return [*real_batches(), *sample_batches()]


def load_demo(store: Store) -> int:
    """Commit every demo batch through the store's write path; returns the number of uploads."""
    results = [store.commit(b) for b in demo_batches()]
    return len(results)
