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

from kpi.domain import catalog
from kpi.domain.batch import Batch, BudgetRow, FactRow, PledgeRow, ProgramSpec, SurveyRow, TargetRow
from kpi.domain.districts import DISTRICTS
from kpi.store import Store

YDP = "11560"  # 영등포구
YONGSAN = "11170"
DEPT = "일자리정책과"
THOUSAND = 1_000  # 천원 -> 원
MILLION = 1_000_000  # 백만원 -> 원
SEED_003 = "2024년 주요업무 보고 (영등포구 일자리정책과, 제253회 구의회 정례회)"

# Seed 003, 예산현황 (단위: 천원, 5.31.기준): unit program, team, category, budget, executed.
UNIT_PROGRAMS: tuple[tuple[str, str | None, str, int, int], ...] = (
    ("희망이 되는 안정적인 일자리지원", "일자리사업팀", "employment_service", 384_871, 132_761),
    ("지역일자리 사업 지원", "일자리사업팀", "direct", 3_734_340, 1_377_421),
    ("지역기반 상생기업 활성화", "상생기업팀", "private", 471_844, 208_274),
    ("청년정책 활성화", "청년지원팀", "infrastructure", 157_200, 88_801),
    ("청년의 사회적 자립기반 조성", "청년지원팀", "training", 2_233_802, 1_047_122),
    ("인력운영비", None, "admin", 151_699, 50_887),
    ("기본경비", None, "admin", 97_507, 34_854),
)

# Seed 003 program boxes (단위: 천원): program, parent (None = the unit itself), team, category, groups,
# (budget total, by source), (executed total, by source). Totals are kept as stated: box 2's executed
# parts add up to 1,170,096 while its stated total (and its stated 35.4%) is 1,175,096.
Split = tuple[int, dict[str, int]]
BOXES: tuple[tuple[str, str | None, str, str, tuple[str, ...], Split, Split], ...] = (
    (
        "희망이 되는 안정적인 일자리지원",
        None,
        "일자리사업팀",
        "employment_service",
        ("미취업 구민",),
        (384_871, {"district": 384_871}),
        (132_761, {"district": 132_761}),
    ),
    (
        "근로약자 일자리 제공을 통한 생활안정 지원",
        "지역일자리 사업 지원",
        "일자리사업팀",
        "direct",
        ("저소득 취약계층",),
        (3_319_805, {"city": 2_333_727, "district": 986_078}),
        (1_175_096, {"city": 821_221, "district": 348_875}),
    ),
    (
        "지역기반 상생기업 활성화",
        None,
        "상생기업팀",
        "private",
        ("상생기업",),
        (471_844, {"national": 126_447, "city": 29_504, "district": 315_893}),
        (208_274, {"national": 53_588, "city": 12_500, "district": 142_186}),
    ),
    (
        "청년정책 활성화",
        None,
        "청년지원팀",
        "infrastructure",
        ("청년",),
        (157_200, {"district": 157_200}),
        (88_801, {"district": 88_801}),
    ),
    (
        "청년의 안정적 사회진입을 위한 맞춤형 지원",
        "청년의 사회적 자립기반 조성",
        "청년지원팀",
        "training",
        ("청년",),
        (2_211_802, {"national": 418_400, "city": 275_000, "district": 1_518_402}),
        (953_018, {"national": 209_200, "city": 137_000, "district": 606_818}),
    ),
    (
        "통합일자리지원센터 조성",
        "지역일자리 사업 지원",
        "일자리사업팀",
        "infrastructure",
        ("구직자", "중장년"),
        (25_000, {"district": 25_000}),
        (21_700, {"district": 21_700}),
    ),
    (
        "청년 국가자격시험 응시료 지원",
        "청년정책 활성화",
        "청년지원팀",
        "training",
        ("미취업 청년",),
        (50_500, {"district": 50_500}),
        (4_606, {"district": 4_606}),
    ),
)

# Seed 003 results as of 2024-05-31 (program, parent, team, category, groups, metric -> value).
RESULTS: tuple[tuple[str, str, str, str, tuple[str, ...], dict[str, int]], ...] = (
    (
        catalog.JOB_CENTRE_PROGRAM,
        "희망이 되는 안정적인 일자리지원",
        "일자리사업팀",
        "employment_service",
        ("구직자",),
        {"employers": 1_057, "openings": 1_339, "job_seekers": 978, "referrals": 4_558, "placements": 391},
    ),
    (
        "구인·구직만남의 날(job포유)",
        "희망이 되는 안정적인 일자리지원",
        "일자리사업팀",
        "employment_service",
        ("구직자",),
        {"events": 3, "interviews": 84, "hires": 14},
    ),
    (
        "구직자 취업교육",
        "희망이 되는 안정적인 일자리지원",
        "일자리사업팀",
        "training",
        ("구직자",),
        {"events": 4, "trainees": 120},
    ),
    (
        "동행일자리",
        "근로약자 일자리 제공을 통한 생활안정 지원",
        "일자리사업팀",
        "direct",
        ("저소득 취약계층",),
        {"selected": 190},
    ),
    (
        "지역공동체일자리",
        "근로약자 일자리 제공을 통한 생활안정 지원",
        "일자리사업팀",
        "direct",
        ("저소득 취약계층",),
        {"selected": 16},
    ),
    (
        "서울청년센터 영등포 운영",
        "청년의 안정적 사회진입을 위한 맞춤형 지원",
        "청년지원팀",
        "infrastructure",
        ("청년",),
        {"visitors": 25_067},
    ),
    ("청년 국가자격시험 응시료 지원", "청년정책 활성화", "청년지원팀", "training", ("미취업 청년",), {"supported": 70}),
)

# Seed 003 public jobs (단위: 백만원): program -> budget by source.
PUBLIC_JOBS: dict[str, dict[str, int]] = {
    "동행일자리": {"city": 2_166, "district": 928},
    "지역공동체일자리": {"city": 150, "district": 49},
}

# Seed 004 pledge card (people; budget 백만원).
PLEDGE = "내 일(job)이 행복한 민·관협력 일자리 창출"
PLEDGE_TARGETS = {
    "기업과 연계한 일자리 창출": {2018: 10, 2019: 30, 2020: 35, 2021: 40, 2022: 20},
    "중장년 일자리 창출": {2019: 30, 2020: 30, 2021: 35, 2022: 20},
}
PLEDGE_ACTUALS = {
    "기업과 연계한 일자리 창출": {2018: 10, 2019: 59, 2020: 43},
    "중장년 일자리 창출": {2018: 20, 2019: 65, 2020: 15},
}
PLEDGE_BUDGET_BY_SOURCE = {
    2018: {"district": 19},
    2019: {"district": 466, "city": 16, "national": 188},
    2020: {"district": 397, "city": 97, "national": 38},
    2021: {"district": 173},
    2022: {"district": 178},
}
PLEDGE_BUDGET_BY_ITEM = {
    "기업과 연계한 일자리 창출": {2019: 315, 2020: 118, 2021: 28, 2022: 33},
    "중장년 일자리 창출": {2018: 19, 2019: 355, 2020: 414, 2021: 145, 2022: 145},
}

# Seed 004 job fairs: program, date, firms, visitors.
JOB_FAIRS = (
    ("중장년 희망 취업박람회", date(2018, 11, 20), 27, 428),
    ("여성 취업박람회", date(2019, 5, 15), 24, 337),
    ("중장년 희망 취업박람회", date(2019, 10, 28), 25, 476),
    ("여성 취업박람회", date(2020, 11, 19), 22, 137),
)

# Known 고용률 figures (15세 이상 basis): (district, year, half) -> %.
KNOWN_EMPLOYMENT_RATES = {
    ("11560", 2025, 1): 65.2,
    ("11110", 2025, 1): 52.5,
    ("11560", 2022, 1): 61.5,
    ("11440", 2022, 1): 61.0,
    ("11170", 2022, 1): 60.3,
}
SURVEY_PERIODS = [(y, h) for y in range(2021, 2026) for h in (1, 2) if (y, h) <= (2025, 1)]


def _doc(name: str, rows: dict) -> bytes:
    """The bytes kept as a demo upload's 'file': its rows as JSON."""
    return json.dumps({"document": name, **rows}, ensure_ascii=False, default=str, indent=1).encode()


def _batch(
    kind: str, filename: str, note: str, district: str = YDP, as_of: date | None = None, sample: bool = False, **rows
) -> Batch:
    content = _doc(note, {k: [asdict(r) for r in v] for k, v in rows.items()})
    return Batch(
        district_cd=district,
        kind=kind,
        filename=filename,
        content=content,
        as_of=as_of,
        uploaded_by="demo",
        is_sample=sample,
        note=note,
        **rows,
    )


def _unit_specs() -> list[ProgramSpec]:
    return [ProgramSpec(name, None, DEPT, team, cat) for name, team, cat, _b, _e in UNIT_PROGRAMS]


def real_batches() -> list[Batch]:
    """Batches holding the seed documents' real figures."""
    as_of = date(2024, 5, 31)
    out = [
        _batch(
            "budget_table",
            "demo/003_예산현황_2024-05-31.json",
            f"{SEED_003} 예산현황 (5.31.기준)",
            as_of=as_of,
            programs=_unit_specs(),
            budgets=[BudgetRow(n, 2024, "total", b * THOUSAND) for n, _t, _c, b, _e in UNIT_PROGRAMS],
            facts=[FactRow(n, 2024, 5, "executed", e * THOUSAND) for n, _t, _c, _b, e in UNIT_PROGRAMS],
        )
    ]
    specs = _unit_specs() + [ProgramSpec(n, p, DEPT, t, c, g) for n, p, t, c, g, _b, _e in BOXES]
    budgets, facts = [], []
    for name, parent, _t, _c, _g, (budget, bud), (executed, exe) in BOXES:
        budgets += [BudgetRow(name, 2024, s, v * THOUSAND) for s, v in bud.items()]
        facts += [FactRow(name, 2024, 5, "executed", v * THOUSAND, s) for s, v in exe.items()]
        if parent is not None:  # a unit's total is already in the 예산현황 batch
            budgets.append(BudgetRow(name, 2024, "total", budget * THOUSAND))
            facts.append(FactRow(name, 2024, 5, "executed", executed * THOUSAND))
    out.append(
        _batch(
            "program_box",
            "demo/003_사업별_예산현황_2024-05-31.json",
            f"{SEED_003} 사업별 예산현황",
            as_of=as_of,
            programs=specs,
            budgets=budgets,
            facts=facts,
        )
    )
    specs = [ProgramSpec(n, p, DEPT, t, c, g) for n, p, t, c, g, _m in RESULTS]
    facts = [FactRow(n, 2024, 5, m, v) for n, _p, _t, _c, _g, ms in RESULTS for m, v in ms.items()]
    budgets = [BudgetRow(n, 2024, s, v * MILLION) for n, split in PUBLIC_JOBS.items() for s, v in split.items()]
    out.append(
        _batch(
            "results",
            "demo/003_주요추진실적_2024-05-31.json",
            f"{SEED_003} 주요 추진실적",
            as_of=as_of,
            programs=specs,
            facts=facts,
            budgets=budgets,
        )
    )
    out.append(
        _batch(
            "targets",
            "demo/000_2025_일자리목표.json",
            "아시아경제 2025: 영등포구 2025년 일자리 목표 1만3000개, 상반기 1만1168명",
            as_of=date(2025, 6, 30),
            targets=[TargetRow(None, 2025, "jobs_created", 13_000)],
            facts=[FactRow(None, 2025, 6, "jobs_created", 11_168)],
        )
    )
    out.append(
        _batch(
            "targets",
            "demo/002_용산구_2025_세부계획.json",
            "뉴스스텝 2025-04-14: 용산구 2025년 일자리대책 세부계획 공시",
            district=YONGSAN,
            as_of=date(2025, 3, 31),
            targets=[
                TargetRow(None, 2025, "employment_rate", 70.9, "15-64"),
                TargetRow(None, 2025, "employed", 105_040),
                TargetRow(None, 2025, "jobs_created", 7_640),
            ],
        )
    )
    pledges = [PledgeRow(PLEDGE, item, y, "target", v) for item, by in PLEDGE_TARGETS.items() for y, v in by.items()]
    pledges += [PledgeRow(PLEDGE, item, y, "actual", v) for item, by in PLEDGE_ACTUALS.items() for y, v in by.items()]
    pledges += [
        PledgeRow(PLEDGE, None, y, "budget", v * MILLION, s, "원")
        for y, split in PLEDGE_BUDGET_BY_SOURCE.items()
        for s, v in split.items()
    ]
    pledges += [
        PledgeRow(PLEDGE, item, y, "budget", v * MILLION, "total", "명")
        for item, by in PLEDGE_BUDGET_BY_ITEM.items()
        for y, v in by.items()
    ]
    fairs = [
        FactRow(n, d.year, d.month, m, v)
        for n, d, firms, visitors in JOB_FAIRS
        for m, v in (("events", 1), ("participating_firms", firms), ("visitors", visitors))
    ]
    out.append(
        _batch(
            "pledge_card",
            "demo/004_공약카드_15.json",
            "영등포구 공약 15 이행 카드 (2020.12.기준)",
            as_of=date(2020, 12, 31),
            pledges=pledges,
            programs=[
                ProgramSpec(n, None, "일자리경제과", "일자리창출팀", "employment_service")
                for n in sorted({f[0] for f in JOB_FAIRS})
            ],
            facts=fairs,
        )
    )
    out.append(
        _batch(
            "survey",
            "demo/고용률_알려진값.json",
            "통계청 지역별고용조사 (기사에 보도된 값)",
            as_of=date(2025, 6, 30),
            surveys=[
                SurveyRow(d, y, h, "employment_rate", "15+", v) for (d, y, h), v in KNOWN_EMPLOYMENT_RATES.items()
            ],
        )
    )
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
    for year, months, scale in ((2023, 12, 0.94), (2025, 6, 1.03)):
        budgets, facts = [], []
        for name, _t, _c, b, e in UNIT_PROGRAMS:
            budget = int(b * THOUSAND * scale)
            budgets.append(BudgetRow(name, year, "total", budget))
            final = int(budget * (rng.uniform(0.93, 0.99) if months == 12 else e / b * rng.uniform(1.02, 1.12)))
            facts += [
                FactRow(name, year, m, "executed", v)
                for m, v in enumerate(_cumulative_path(final, months, rng), start=1)
            ]
        centre = RESULTS[0]
        for metric, may in centre[5].items():
            final = int(may * 12 / 5 * rng.uniform(0.9, 1.05)) if months == 12 else int(may * 6 / 5 * 1.03)
            facts += [
                FactRow(centre[0], year, m, metric, v)
                for m, v in enumerate(_cumulative_path(final, months, rng), start=1)
            ]
        out.append(
            _batch(
                "sample_series",
                f"demo/sample_{year}.json",
                f"표본: {year}년 예산·월별 실적",
                sample=True,
                as_of=date(year, months, 30 if months == 6 else 31),
                budgets=budgets,
                facts=facts,
                programs=[*_unit_specs(), ProgramSpec(centre[0], centre[1], DEPT, centre[2], centre[3])],
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
