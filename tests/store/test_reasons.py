"""사유·조치계획: staff enter a reason and action per program and month (the upload page's form or the template's
columns, both through kpi.uploads' write path); heads see it on the overview, in the drill-down, on the slide and
in its speaker notes, and under 향후계획 in the 업무보고 xlsx; a revert removes it everywhere. On both backends."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pptx import Presentation

from kpi.demo.seed import load_demo
from kpi.exports.council_xlsx import council_xlsx
from kpi.exports.pptx import deck_pptx
from kpi.exports.slides import build_deck
from kpi.importers import write_template
from kpi.importers.template import DATA_SHEET
from kpi.store import StoreError, reasons, uploads
from kpi.store.auth import User
from kpi.store.model import REASON_MAX_CHARS, Reason, Upload
from kpi.views import overview
from kpi.views import upload as upload_view
from kpi.views.programs import program_detail
from kpi.views.report import build_report
from kpi.views.safe_text import md, text_cell
from tests.factories import login, serve, start_app, with_accounts, with_staff_login

STAFF, LEE, VIEWER = User("kim", "staff"), User("lee", "staff"), User("guest")
AS_OF = date(2024, 5, 31)
LAGGING = "인력운영비"  # a unit program: 33.5% against a pace of 41.5% (the 단위사업 slide)
NO_DATA = "동행일자리"  # 3,094,000천원 with no execution figure for May (the 세부사업 slide)
REASON = "결원 2명으로\n인건비 집행 감소"
ACTION = "=7월 충원 예정"  # starts with '=': text in every file, never a formula


@pytest.fixture
def demo(store):
    """A fresh demo store of the current backend with two staff accounts."""
    load_demo(store)
    return with_accounts(store, STAFF, LEE)


def program_id(store, name: str) -> int:
    report = build_report(store, "11560", 2024, AS_OF)
    return int(report.programs.set_index("name").loc[name, "id"])


PLACES = ("overview", "drill_down", "slide_line", "slide_notes", "pptx_slide", "pptx_notes", "xlsx")


def where_seen(store, program: str, texts: tuple[str, ...]) -> dict[str, dict[str, bool]]:
    """Per text: in which of the head's places it shows for the program (each place built as the app builds it)."""
    report = build_report(store, "11560", 2024, AS_OF)
    item = next(i for i in overview.attention(report) if i.name == program)
    detail = program_detail(store, report, program_id(store, program))
    deck = build_deck(store, "11560", 2024, AS_OF, ["programs", "lagging"])
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    slide_text = " ".join(s.text_frame.text for page in prs.slides for s in page.shapes if s.has_text_frame)
    notes_text = " ".join(page.notes_slide.notes_text_frame.text for page in prs.slides)
    book = load_workbook(io.BytesIO(council_xlsx(store, "11560", 2024, AS_OF)))
    cells = [c for row in book["주요추진실적"].iter_rows() for c in row if isinstance(c.value, str)]
    out = {}
    for text in texts:
        flat = " ".join(text.split())  # one line on the slide and in the notes
        out[text] = {
            "overview": item.note is not None and flat in item.note.line(),
            "drill_down": detail.note is not None
            and text in (detail.note.reason, detail.note.action)
            and any(text in str(v) for v in detail.reasons.to_numpy().ravel()),
            "slide_line": any(flat in line for s in deck.slides for line in s.reasons),
            "slide_notes": any(flat in n for s in deck.slides for n in s.notes),
            "pptx_slide": flat in slide_text,
            "pptx_notes": flat in notes_text,
            "xlsx": any(text in c.value and c.data_type == "s" for c in cells),  # a string cell, never a formula
        }
    return out


def assert_everywhere(store, program: str, *texts: str) -> None:
    assert where_seen(store, program, texts) == {text: dict.fromkeys(PLACES, True) for text in texts}


def assert_gone(store, program: str, *texts: str) -> None:
    assert where_seen(store, program, texts) == {text: dict.fromkeys(PLACES, False) for text in texts}
    report = build_report(store, "11560", 2024, AS_OF)
    item = next(i for i in overview.attention(report) if i.name == program)
    assert item.note is None and item.needs_reason  # marked 사유 미입력 again


def test_a_reason_entered_for_a_lagging_program_shows_everywhere_and_a_revert_removes_it(demo):
    report = build_report(demo, "11560", 2024, AS_OF)
    before = next(i for i in overview.attention(report) if i.name == LAGGING)
    assert before.needs_reason and before.note is None  # 사유 미입력: the head knows whom to ask
    done = reasons.commit_reason(demo, STAFF, "11560", LAGGING, 2024, 5, REASON, ACTION)
    assert_everywhere(demo, LAGGING, REASON, ACTION)
    history = upload_view.kind_label(build_upload(demo, done.upload_id)["kind"])
    assert history == "사유·조치계획 입력"  # listed in the upload history like any upload
    uploads.revert(demo, done.upload_id, STAFF)
    assert_gone(demo, LAGGING, REASON, ACTION)


def build_upload(store, upload_id: int) -> dict:
    with store.engine.connect() as conn:
        u = Upload.__table__
        return dict(conn.execute(sa.select(u).where(u.c.id == upload_id)).one()._mapping)


def filled_template(store, rows: list[list[object]]) -> bytes:
    """The project's template with the district's programs, rows written as staff type them (text as text)."""
    report = build_report(store, "11560", 2024, AS_OF)
    buf = io.BytesIO()
    write_template(buf, list(report.programs["name"]), year=2024)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb[DATA_SHEET]
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            text_cell(ws.cell(row=4 + i, column=j, value=value))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_reason_in_the_template_goes_through_the_upload_pipeline_and_reverts(demo):
    content = filled_template(
        demo,
        [
            [NO_DATA, 2024, 5, None, None, None, None, "시 보조금 교부 지연 (6월 교부 예정)", "교부 즉시 7월 집행"],
            [LAGGING, 2024, 5, "집행액", None, 50_887, None, REASON, ACTION],  # a value and a reason on one row
        ],
    )
    prepared = uploads.prepare(demo, "실적입력양식.xlsx", content, district_cd="11560", user=STAFF)
    assert prepared.result.errors == [], [i.message_ko for i in prepared.result.errors]
    table = upload_view.change_table(prepared)
    shown = table[table["구분"] == "사유·조치계획"].set_index("사업명")
    assert shown.loc[NO_DATA, "상태"] == "신규" and "교부 즉시 7월 집행" in shown.loc[NO_DATA, "이후"]
    assert build_report(demo, "11560", 2024, AS_OF).reasons.empty  # the preview rolled back
    done = uploads.commit(demo, prepared, user=STAFF)
    assert_everywhere(demo, NO_DATA, "시 보조금 교부 지연 (6월 교부 예정)", "교부 즉시 7월 집행")
    assert_everywhere(demo, LAGGING, REASON, ACTION)
    uploads.revert(demo, done.upload_id, STAFF)
    assert_gone(demo, NO_DATA, "시 보조금 교부 지연 (6월 교부 예정)")
    assert_gone(demo, LAGGING, REASON, ACTION)


def test_a_later_reason_supersedes_and_its_revert_restores_the_earlier_exactly(demo):
    first = reasons.commit_reason(demo, STAFF, "11560", LAGGING, 2024, 5, "첫 사유", "첫 조치")
    second = reasons.commit_reason(demo, LEE, "11560", LAGGING, 2024, 5, "고친 사유", "")
    report = build_report(demo, "11560", 2024, AS_OF)
    note = report.note(program_id(demo, LAGGING))
    assert (note.reason, note.action, note.by) == ("고친 사유", "", "lee")
    with pytest.raises(StoreError, match="권한이 없습니다"):
        uploads.revert(demo, second.upload_id, STAFF)  # staff revert only their own
    uploads.revert(demo, second.upload_id, LEE)
    note = build_report(demo, "11560", 2024, AS_OF).note(program_id(demo, LAGGING))
    assert (note.reason, note.action, note.upload_id) == ("첫 사유", "첫 조치", first.upload_id)
    with pytest.raises(StoreError, match="이미 입력"):  # the same text again is not a new version
        reasons.commit_reason(demo, STAFF, "11560", LAGGING, 2024, 5, "첫 사유", "첫 조치")


def count_rows(store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (
            conn.execute(sa.select(sa.func.count()).select_from(Reason)).scalar_one(),
            conn.execute(sa.select(sa.func.count()).select_from(Upload)).scalar_one(),
        )


def test_texts_are_bounded_and_checked_before_the_database(demo):
    before = count_rows(demo)
    too_long = "가" * (REASON_MAX_CHARS + 1)
    for who, program, text, match in (
        (STAFF, LAGGING, too_long, "너무 깁니다"),
        (STAFF, LAGGING, " \n\t ", "하나는 적어"),
        (STAFF, "없는 사업", "사유", "없어"),
        (VIEWER, LAGGING, "사유", "권한"),
        (User("ghost", "staff"), LAGGING, "사유", "계정이 없어"),
    ):
        with pytest.raises(StoreError, match=match):
            reasons.commit_reason(demo, who, "11560", program, 2024, 5, text, "")
    assert count_rows(demo) == before  # nothing reached the database
    done = reasons.commit_reason(demo, STAFF, "11560", LAGGING, 2024, 5, "제어\x00문자\x1b 는\r\n빠집니다\u2028", "")
    note = build_report(demo, "11560", 2024, AS_OF).note(program_id(demo, LAGGING))
    assert note.reason == "제어문자 는\n빠집니다" and note.upload_id == done.upload_id
    assert len("가" * REASON_MAX_CHARS) == REASON_MAX_CHARS
    reasons.commit_reason(demo, STAFF, "11560", LAGGING, 2024, 6, "가" * REASON_MAX_CHARS, "")  # the limit fits


def test_template_reason_problems_name_their_cells(demo):
    rows = [
        [LAGGING, 2024, 5, None, None, None, None, "가" * (REASON_MAX_CHARS + 1), None],
        [NO_DATA, 2024, 5, None, None, None, None, "하나", None],
        [NO_DATA, 2024, 5, None, None, None, None, "둘", None],  # a second, different reason for the same month
        ["없는 사업이름", 2024, 5, None, None, None, None, "사유", None],
        [LAGGING, 2024, 13, None, None, None, None, "사유", None],
    ]
    prepared = uploads.prepare(demo, "양식.xlsx", filled_template(demo, rows), district_cd="11560", user=STAFF)
    found = {(i.code, i.where) for i in prepared.result.errors}
    assert ("reason_too_long", "입력!H4") in found
    assert ("conflicting_reasons", "입력!H6") in found
    assert ("reason_program_unknown", "입력!A7") in found
    assert ("date_outside_year", "입력!C8") in found
    assert prepared.result.batch is None  # errors block the commit
    assert count_rows(demo)[0] == 0


def test_the_template_has_the_reason_columns(demo):
    ws = openpyxl.load_workbook(io.BytesIO(filled_template(demo, [])))[DATA_SHEET]
    assert [c.value for c in ws[3]] == ["사업명", "연도", "월", "지표", "재원", "값", "비고", "사유", "조치계획"]


@pytest.fixture
def served(demo, monkeypatch):
    """The demo store of the current backend served to AppTest, with the staff account kim2 (password login)."""
    serve(monkeypatch, demo.url)
    return with_staff_login(demo, "kim2", "password-kim2")


def test_the_upload_page_form_to_overview_drill_down_and_revert(served):
    at = login(start_app({"district": "11560", "year": "2024", "as_of": "2024-05-31"}), "kim2", "password-kim2")
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    pick = at.selectbox(key="reason_program")
    lagging_first = pick.options[:3]  # the labels as shown
    assert all(label.endswith("점검 필요") for label in lagging_first)  # programs that need a reason come first
    pid = program_id(served, LAGGING)
    pick.set_value(pid).run()
    assert at.selectbox(key="reason_month").value == 5  # the month the data is from
    at.text_area(key="reason_text").set_value("결원 2명 **굵게** [링크](http://x.y)")
    at.text_area(key="reason_action").set_value(ACTION)
    next(b for b in at.button if b.label == "사유 저장").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("사유·조치계획을 저장했습니다" in s.value for s in at.success)
    history = next(d.value for d in at.dataframe if "번호" in d.value.columns)
    assert history.iloc[0]["종류"] == "사유·조치계획 입력"

    at.switch_page("pages/overview.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert f"↳ **사유** {md('결원 2명 **굵게** [링크](http://x.y)')}" in text  # shown as written: escaped
    assert f"↳ **조치계획** {md(ACTION)}" in text
    at.switch_page("pages/programs.py").run()
    at.selectbox(key="p_pick").set_value(pid).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("결원 2명" in m.value for m in at.markdown)

    at.switch_page("pages/upload.py").run()
    form = next(s for s in at.selectbox if s.label == "되돌릴 업로드")
    form.set_value(int(history.iloc[0]["번호"]))
    next(b for b in at.button if b.label == "되돌리기").click().run()
    assert any("되돌렸습니다" in s.value for s in at.success)
    at.switch_page("pages/overview.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "결원 2명" not in text and "**인력운영비**" in text
    assert build_report(served, "11560", 2024, AS_OF).note(pid) is None
