"""A staff member uploads a 지방재정365 download in chromium: the 세부사업 of other departments are left out, the
two new ones of ours are attached to their unit programs on the page, the upload is committed, the overview
shows the district's figures and the districts page ranks it against the other 자치구 of the file. Screenshots
kept."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.store import Store, queries
from kpi.views.report import build_report
from tests.browser import browser_login, browser_page, exception_boxes, screenshot, staff_server, wait_for_app

AS_OF = date(2024, 5, 31)
VIEW = f"/?district=11560&year=2024&as_of={AS_OF.isoformat()}"
HEADER = (
    "fyr,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,"
    "ep_amt,cpl_amt,exe_ymd"
)
# 세부사업 of the download: two the demo's tree has, two new ones of ours, two of other departments.
KNOWN = (("0112000000000101", "동행일자리"), ("0112000000000102", "지역공동체일자리"))
NEW = (("0112000000000201", "청년 일경험 지원"), ("0112000000000202", "중장년 재취업 상담"))
OTHERS = (("0310000000000001", "도로 유지보수"), ("0450000000000001", "경로당 운영 지원"))
UNIT_OF_NEW = {"청년 일경험 지원": "청년정책 활성화", "중장년 재취업 상담": "지역일자리 사업 지원"}


def lofin_csv() -> bytes:
    """The download as the open API's CSV gives it (UTF-8 with BOM, amounts in 원); one 종로구 row too."""
    lines = [HEADER]
    for i, (code, name) in enumerate(KNOWN + NEW + OTHERS):
        budget = 100_000_000 + i * 10_000_000
        national, city = budget // 10, budget // 5
        lines.append(
            f"2024,1129000,서울영등포구,일반회계,사회복지,노동,{code},{name},{budget},{national},{city},"
            f"{budget - national - city},0,{budget // 3},{budget},20240531"
        )
    other = (
        "2024,1111000,서울종로구,일반회계,사회복지,노동,0999000000000001,다른 구 사업,5000,0,0,5000,0,1,5000,20240531"
    )
    lines.append(other)
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


@pytest.fixture
def staff_app(tmp_path, sqlite_demo_url):
    with staff_server(tmp_path / "lofin.db", sqlite_demo_url) as (url, base):
        yield Store(url), base


def test_staff_attaches_new_sub_programs_and_commits(staff_app):
    store, base = staff_app
    before = build_report(store, "11560", 2024, AS_OF)
    with browser_page() as page:
        page.goto(base + VIEW)
        wait_for_app(page)
        browser_login(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("실적 업로드").click()
        wait_for_app(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "세출현황_영등포구.csv", "mimeType": "text/csv", "buffer": lofin_csv()}]
        )
        # the visible line: the same words are also in a cell of the issue table's grid, which keeps hidden copies
        page.get_by_text("다른 부서 또는 미등록 세부사업").filter(visible=True).first.wait_for(timeout=60_000)
        wait_for_app(page)
        screenshot(page, "lofin_1_preview_left_out")
        assert exception_boxes(page) == []
        for code, name in NEW:
            page.locator('[data-testid="stSelectbox"]').filter(has_text=f"{name} ({code})").click()
            page.keyboard.type(UNIT_OF_NEW[name])  # the list is long: type to narrow it, as a person would
            page.get_by_role("option", name=UNIT_OF_NEW[name], exact=True).click()
            wait_for_app(page)
        page.get_by_role("button", name="2건 연결해 다시 미리보기").click()
        page.get_by_text("반영 미리보기").wait_for(timeout=60_000)
        wait_for_app(page)
        screenshot(page, "lofin_2_attached")
        page.get_by_role("button", name="반영하기").click()
        page.get_by_text("반영했습니다").wait_for(timeout=60_000)
        screenshot(page, "lofin_3_committed")
        page.locator('[data-testid="stSidebarNav"]').get_by_text("종합 현황").click()
        wait_for_app(page)
        screenshot(page, "lofin_4_overview")
        assert exception_boxes(page) == []
        # The download's other 자치구 (종로구's one row) is kept for the comparison on the districts page.
        page.locator('[data-testid="stSidebarNav"]').get_by_text("자치구 비교").click()
        wait_for_app(page)
        card = page.locator('[data-testid="stMetric"]').filter(has_text="집행률 순위")
        card.wait_for(timeout=60_000)
        card.scroll_into_view_if_needed()
        screenshot(page, "lofin_5_peer_comparison")
        assert "1위 / 2" in card.inner_text()  # 영등포구 33.3% against 종로구 0.02% in 사회복지 · 노동
        assert exception_boxes(page) == []

    with store.read() as conn:
        progs = queries.programs(conn, "11560").set_index("name")
    for code, name in NEW:  # attached under the unit chosen, with the code of the file
        assert progs.at[name, "code"] == code
        parent = progs.at[name, "parent_id"]
        assert progs.index[progs["id"] == parent][0] == UNIT_OF_NEW[name]
    for _code, name in OTHERS:
        assert name not in progs.index  # other departments' 세부사업 were left out
    assert "다른 구 사업" not in progs.index
    after = build_report(store, "11560", 2024, AS_OF)
    assert after.budget == before.budget  # the units' stated figures stand: 세부사업 never add to them
