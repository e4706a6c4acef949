"""The seed figures every test checks against, typed out once.

Source: the domain guide, ../shared/DOMAIN.md (beside the project; read-only), section 3 ("KPI definitions, with
the figures that the project must reproduce"), items 1 (집행률) and 3 (취업률); they come from seed 003,
영등포구 일자리정책과 2024년 주요업무 보고, as of 2024-05-31. Amounts are in 천원 as the report prints them.
"""

from __future__ import annotations

# 예산현황 (../shared/DOMAIN.md section 3, item 1): name, 예산액, 집행액, 집행률(%) as reported.
SEED_TOTAL = ("계", 7_231_263, 2_940_120, 40.7)
SEED_PROGRAMS = (
    ("희망이 되는 안정적인 일자리지원", 384_871, 132_761, 34.5),
    ("지역일자리 사업 지원", 3_734_340, 1_377_421, 36.9),
    ("지역기반 상생기업 활성화", 471_844, 208_274, 44.1),
    ("청년정책 활성화", 157_200, 88_801, 56.5),
    ("청년의 사회적 자립기반 조성", 2_233_802, 1_047_122, 46.9),
    ("인력운영비", 151_699, 50_887, 33.5),
    ("기본경비", 97_507, 34_854, 35.7),
)
# The same table by program: name -> (예산액, 집행액, 집행률 as reported).
BUDGET_TABLE = {name: (budget, executed, rate) for name, budget, executed, rate in SEED_PROGRAMS}
# name -> 집행률(%) as reported.
REPORTED_RATES = {name: rate for name, _budget, _executed, rate in SEED_PROGRAMS}
THOUSAND = 1_000  # 천원 -> 원
BUDGET_WON = SEED_TOTAL[1] * THOUSAND
EXECUTED_WON = SEED_TOTAL[2] * THOUSAND
EXECUTION_PCT = SEED_TOTAL[3]
PACE_PCT = 41.5  # 2024-05-31 is day 152 of 366 (section 3, item 2)

# 일자리플러스센터 (section 3, item 3): 구인업체, 구인인원, 구직자, 취업알선, 취업자, 취업률(%).
SEED_CENTRE = (1_057, 1_339, 978, 4_558, 391, 40.0)
# Program box of 지역기반 상생기업 활성화: 예산액, 집행액 (with their funding split), 집행률(%).
SEED_BOX = ("471,844 (국 126,447, 시 29,504, 구비 315,893)", "208,274 (국 53,588, 시 12,500, 구비 142,186)", 44.1)
SEED_BOX_NAME = "지역기반 상생기업 활성화"


def executed_plus(each: int) -> list[list[object]]:
    """The 예산현황 table with every program's 집행액 raised by `each` 천원 (계 row first, with its stated rate
    as the report would round it): what a later month's sheet of the same programs looks like."""
    rows: list[list[object]] = [[n, b, e + each, r] for n, b, e, r in SEED_PROGRAMS]
    executed = SEED_TOTAL[2] + each * len(SEED_PROGRAMS)
    rate = round(executed / SEED_TOTAL[1] * 100, 1)
    return [[SEED_TOTAL[0], SEED_TOTAL[1], executed, rate], *rows]
