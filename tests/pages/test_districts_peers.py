"""The districts page's 시군구 execution comparison (지방재정365 peers) as a user meets it under AppTest: nothing to
compare and how to get it; after a national upload, the cards, bars and the 부문 choice; before the first
snapshot's day, why nothing shows."""

from __future__ import annotations

import json
from datetime import date

from bench.national_gen import national_bytes
from kpi.domain import kpis
from kpi.domain.filters import Filters
from kpi.importers import parse_upload
from kpi.views import peers as pv
from kpi.views.report import build_report
from tests.factories import open_page, start_app

YDP = {"district": "11560", "year": "2025", "as_of": "2025-06-30"}
SNAPSHOT = date(2025, 5, 31)


def _peer_bars(at) -> dict:
    """The spec of the comparison's bar chart (the last bar chart of the page)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [s for s in specs if s["data"][0].get("type") == "bar"][-1]


def test_without_snapshots_the_page_says_how_to_compare(served_demo_url):
    at = open_page(start_app(YDP), "pages/districts.py")
    assert any("비교할 지방재정365 자료가 없습니다" in i.value for i in at.info)


def test_after_a_national_upload_the_page_ranks_seouls_districts(served_staff_store):
    batch = parse_upload("세출현황.csv", national_bytes(5_000, SNAPSHOT), district_cd="11560").batch
    assert batch is not None
    served_staff_store.commit(batch)
    at = open_page(start_app(YDP), "pages/districts.py")
    filters = Filters("11560", 2025, date(2025, 6, 30))
    report = build_report(served_staff_store, "11560", 2025, filters.as_of)
    view = pv.comparison(served_staff_store, report, filters, SNAPSHOT, "사회복지", "노동", False)
    shown = {m.label: m.value for m in at.metric}
    assert shown["우리 구 집행률"] == view.cards[0].value and shown["집행률 순위"] == view.cards[1].value
    own = [p for p in batch.peers if p.sig_cd == "11560" and p.part_name == "노동"]
    rate = kpis.execution_rate(float(own[0].executed), float(own[0].budget_current))
    assert shown["우리 구 집행률"] == f"{kpis.round_half_up(rate, 1):.1f}%"
    bars = _peer_bars(at)["data"][0]
    stating = {p.government for p in batch.peers if p.part_name == "노동"}  # a 구 without 노동 rows is not ranked
    assert len(bars["x"]) == len(stating) and "영등포구" in bars["x"] and 20 <= len(stating) <= 25
    assert any("2025-05-31 기준" in c.value for c in at.caption)
    at.selectbox(key="d_peer_part").set_value(pv.ALL_PARTS).run()
    assert not at.exception
    assert any("사회복지 · 부문 전체" in c.value for c in at.caption)


def test_before_the_first_snapshot_the_page_names_its_day(served_staff_store):
    batch = parse_upload("세출현황.csv", national_bytes(5_000, SNAPSHOT), district_cd="11560").batch
    assert batch is not None
    served_staff_store.commit(batch)
    at = open_page(start_app({**YDP, "as_of": "2025-04-30"}), "pages/districts.py")
    assert any("가장 이른 자료는 2025-05-31 기준" in i.value for i in at.info)
