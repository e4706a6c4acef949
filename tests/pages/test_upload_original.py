"""AppTest of the 실적 업로드 page's history: staff are offered the original file of an upload to download (not the
demo's documents), read from the store only on the click."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kpi.store import Store
from tests.browser import browser_login, browser_page, exception_boxes, staff_server, wait_for_app
from tests.factories import budget_batch, login, open_page, start_app

CSV = "회계연도,세부사업명,예산현액\n" + "".join(f"2024,일자리 사업 {i},{i * 1000}\n" for i in range(5_000))


def test_staff_see_the_download_of_their_uploads_original(served_staff_store: Store) -> None:
    batch = budget_batch({"A": (1_000, 400)}, name="세출현황.csv", by="kim")
    done = served_staff_store.commit(dataclasses.replace(batch, content=CSV.encode()))
    at = login(start_app({"district": "11560", "year": "2024", "as_of": "2024-05-31"}))
    open_page(at, "pages/upload.py")
    pick = at.selectbox(key="original_pick")
    assert pick.label == "원본 파일을 내려받을 업로드"
    assert pick.options[0] == f"{done.upload_id}번 · 세출현황.csv"  # newest first
    assert not any("demo/" in option for option in pick.options)  # the demo's documents are no files
    button = at.download_button(key="original_download")
    assert button.label == "원본 파일 내려받기"


def test_the_original_downloads_byte_for_byte_in_chromium(tmp_path, sqlite_demo_url) -> None:
    content = CSV.encode("cp949")  # as 지방재정365 offers it: not UTF-8, kept compressed, given back as it came
    with staff_server(tmp_path / "original.db", sqlite_demo_url) as (url, base):
        batch = budget_batch({"A": (1_000, 400)}, name="세출현황_영등포구.csv", by="kim")
        Store(url).commit(dataclasses.replace(batch, content=content))
        with browser_page() as page:
            page.goto(base + "/?district=11560&year=2024&as_of=2024-05-31")
            wait_for_app(page)
            browser_login(page)
            page.locator('[data-testid="stSidebarNav"]').get_by_text("실적 업로드").click()
            wait_for_app(page)
            with page.expect_download() as info:
                page.get_by_role("button", name="원본 파일 내려받기").click()
            assert info.value.suggested_filename == "세출현황_영등포구.csv"
            assert Path(info.value.path()).read_bytes() == content
            assert exception_boxes(page) == []
