"""AppTest of the 실적 업로드 page: hidden from viewers; staff log in, upload, see the preview, commit, revert."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kpi.domain.units import fmt_pct
from kpi.store import Store, auth
from kpi.views.report import build_report
from tests.corpus_factory import SEED_PROGRAMS, budget_sheet, xlsx
from tests.factories import APP, login


@pytest.fixture
def staff_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'up.db'}"
    store = Store.open(url)
    from kpi.demo.seed import load_demo

    load_demo(store)
    auth.add_user(store, "kim", "staff", "password-kim")
    monkeypatch.setenv("JOBKPI_DATABASE_URL", url)
    monkeypatch.setenv("JOBKPI_LOAD_DEMO", "never")
    return store


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(district="11560", year="2024", as_of="2024-05-31")
    return at.run()


def changed_sheet() -> bytes:
    rows = [[n, b, e + 1_000, r] for n, b, e, r in SEED_PROGRAMS]
    return xlsx(lambda wb: budget_sheet(wb.active, [["계", 7_231_263, 2_940_120 + 7_000, 40.8], *rows]))


def test_viewers_do_not_see_the_upload_page(staff_store):
    at = start()
    assert not at.exception
    with pytest.raises(ValueError):
        at.switch_page("pages/upload.py")


def test_wrong_password_is_refused(staff_store):
    at = login(start(), "kim", "wrong-password")
    assert any("맞지 않습니다" in e.value for e in at.sidebar.error)


def test_staff_upload_preview_commit_and_revert(staff_store):
    at = login(start(), "kim", "password-kim")
    assert not at.exception
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    at.file_uploader[0].upload("예산현황_6월.xlsx", changed_sheet())
    at.run()
    assert not at.exception
    n = len(SEED_PROGRAMS)  # every 집행액 changes, every 예산액 stays
    assert [m.value for m in at.metric][:3] == ["0", str(n), str(n)]  # 신규, 변경, 동일
    before = build_report(staff_store, "11560", 2024, date(2024, 5, 31))
    kpi_table = next(d.value for d in at.dataframe if "반영 후" in d.value.columns).set_index("지표")
    assert kpi_table.loc["집행률", "반영 전"] == fmt_pct(before.execution_rate)
    at.button(key="commit").click().run()
    assert not at.exception
    assert any("반영했습니다" in s.value for s in at.success)
    after = build_report(staff_store, "11560", 2024, date(2024, 5, 31))
    assert after.executed == before.executed + 7_000_000
    assert kpi_table.loc["집행률", "반영 후"] == fmt_pct(after.execution_rate)
    form_button = next(b for b in at.button if b.label == "되돌리기")
    form_button.click().run()
    assert any("되돌렸습니다" in s.value for s in at.success)
    assert build_report(staff_store, "11560", 2024, date(2024, 5, 31)).executed == before.executed


def test_a_broken_file_shows_where_and_commits_nothing(staff_store):
    at = login(start(), "kim", "password-kim")
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].upload("엉망.xlsx", b"this is not a spreadsheet")
    at.run()
    assert not at.exception
    assert any("오류 1건" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "반영하기"]
