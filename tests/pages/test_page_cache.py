"""The pages' screens are held per data version: a page shows new figures right after an upload, a revert, or a
change made by another app server (once the data version is read again), and never a stale one."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from kpi.domain.units import fmt_pct, money_value
from kpi.store import Store
from kpi.views.breakdowns import pledge_yearly
from kpi.views.report import KpiReport, build_report
from kpi.views.safe_text import md
from tests.corpus_factory import SEED_PROGRAMS, budget_sheet, xlsx
from tests.factories import login, open_page, rerun, start_app

YDP = {"district": "11560", "year": "2024", "as_of": "2024-05-31"}


def report_of(store: Store) -> KpiReport:
    return build_report(store, "11560", 2024, date(2024, 5, 31))


def changed_sheet() -> bytes:
    """The demo's budget table with every program's 집행액 1,000천원 higher."""
    rows = [[n, b, e + 1_000, r] for n, b, e, r in SEED_PROGRAMS]
    return xlsx(lambda wb: budget_sheet(wb.active, [["계", 7_231_263, 2_940_120 + 7_000, 40.8], *rows]))


def figures(at: AppTest) -> dict[str, object]:
    """What the dashboard pages show of the execution: the overview's card, the budget bars' executed values and
    the program table's 집행액 column."""
    out: dict[str, object] = {}
    open_page(at, "pages/overview.py")
    out["card"] = at.metric[0].value
    open_page(at, "pages/budget.py")
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)
    out["bars"] = bars["data"][1]["x"]  # executed, over the pale budget bars
    open_page(at, "pages/programs.py")
    out["table"] = amounts(at.dataframe[0].value["집행액(천원)"])
    assert not at.exception
    return out


def amounts(values: Iterable[object]) -> list[object]:
    """Amounts as compared: a missing one (None or NaN) as None."""
    return [None if v is None or v != v else v for v in values]


def expected(report: KpiReport) -> dict[str, object]:
    """The same figures computed from the store."""
    return {
        "card": fmt_pct(report.execution_rate),
        "table": amounts(money_value(v, "천원") for v in report.programs["executed"]),
    }


def test_pages_show_new_figures_right_after_an_upload_and_its_revert(served_staff_store):
    at = login(start_app(YDP))
    before = figures(at)  # every screen computed and held
    assert before["card"] == expected(report_of(served_staff_store))["card"] == "40.7%"

    open_page(at, "pages/upload.py")
    at.file_uploader[0].upload("예산현황_6월.xlsx", changed_sheet())
    at.run()
    at.button(key="commit").click().run()
    assert any("반영했습니다" in s.value for s in at.success)
    after = figures(at)
    want = expected(report_of(served_staff_store))
    assert after["card"] == want["card"] != before["card"]
    assert after["table"] == want["table"] != before["table"]
    assert after["bars"] != before["bars"]

    open_page(at, "pages/upload.py")
    next(b for b in at.button if b.label == "되돌리기").click().run()
    assert any("되돌렸습니다" in s.value for s in at.success)
    assert figures(at) == before


def test_a_change_by_another_server_shows_once_the_version_is_read_again(served_staff_store, monkeypatch):
    at = start_app(YDP)
    before = figures(at)
    served_staff_store.revert(1, "admin")  # another app server reverts the demo's budget table
    from pages import _ui

    monkeypatch.setattr(_ui, "VERSION_TTL_S", 0.0)  # the second the version is trusted has passed
    rerun(at)
    after = figures(at)
    want = expected(report_of(served_staff_store))
    assert after["card"] == want["card"] == "37.0%"
    assert after["table"] == want["table"] != before["table"]
    assert after["bars"] != before["bars"]


@pytest.mark.parametrize("page", ["overview", "programs", "budget", "districts", "pledges"])
def test_a_warm_rerun_draws_the_same_page(served_demo_url, page):
    # The held screen gives the same elements on every rerun (nothing of it is changed while drawing).
    at = open_page(start_app(YDP), f"pages/{page}.py")
    first = [(e.type, str(getattr(e, "value", ""))) for e in at.main]
    at.run()
    assert not at.exception
    assert [(e.type, str(getattr(e, "value", ""))) for e in at.main] == first


def test_the_pledge_item_chosen_in_its_fragment_draws_its_own_years(served_demo_url):
    at = open_page(start_app(YDP), "pages/pledges.py")
    control = at.segmented_control(key="pl_item")
    items = [o.content for o in at.get("button_group")[0].proto.options]
    assert control.value == items[0] and len(items) > 1
    yearly = pledge_yearly(Store(served_demo_url), "11560")
    for item in items[1], items[0]:
        control = at.segmented_control(key="pl_item").set_value(item)
        at.run()
        assert not at.exception
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        rows = yearly[yearly["item"] == item]
        assert amounts(spec["data"][1]["y"]) == amounts(rows["actual"])  # the item's actuals, year by year


def test_the_program_picked_in_its_fragment_draws_its_own_drill_down(served_demo_url):
    at = open_page(start_app(YDP), "pages/programs.py")
    table = at.dataframe[0].value
    names = dict(zip(table["id"], table["사업명"].str.removeprefix("└ "), strict=True))
    for pid in list(names)[1:3]:
        at.selectbox(key="p_pick").set_value(int(pid))
        at.run()
        assert not at.exception
        assert [s.value for s in at.subheader][-1] == md(names[pid])
        assert at.query_params["program"] == str(pid)
