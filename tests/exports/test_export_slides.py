"""The briefing deck as data: headlines and chart series equal the KPI functions' figures; prefs; the CLI."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from kpi.cli.commands import main
from kpi.domain.units import round_half_up, to_unit
from kpi.exports import prefs
from kpi.exports.slides import SLIDE_KEYS, build_deck
from kpi.views.report import build_report

AS_OF = date(2024, 5, 31)


@pytest.fixture(scope="module")
def deck(demo_store):
    return build_deck(demo_store, "11560", 2024, AS_OF)


def test_headlines_read_the_seed_figures(deck):
    by = {s.key: s for s in deck.slides}
    assert tuple(by) == SLIDE_KEYS
    assert by["execution"].headline == "집행률 40.7% — 경과율 대비 0.8%p 부족"
    assert by["placement"].headline == "취업률 40.0% — 구직자 978명 중 391명 취업"
    assert by["lagging"].headline == "집행 최저 세부사업: 청년 국가자격시험 응시료 지원 9.1%"
    assert by["job_centre"].chart.series[0].values == (1057, 1339, 978, 4558, 391)
    assert any("2,940,120천원" in n and "7,231,263천원" in n for n in by["execution"].notes)


def test_series_equal_the_report(deck, demo_store):
    report = build_report(demo_store, "11560", 2024, AS_OF)
    units = report.programs[report.programs["level"] == "unit"]
    by = {s.key: s for s in deck.slides}
    rates = by["programs"].chart.series[0].values
    assert rates == tuple(round_half_up(v, 1) for v in units["execution_rate"])
    assert rates == (34.5, 36.9, 44.1, 56.5, 46.9, 33.5, 35.7)
    budget = by["budget"].chart.series[0].values
    assert budget == tuple(round_half_up(to_unit(v, "백만원"), 0) for v in units["budget"])
    assert by["execution"].chart.series[0].values[-1] == 40.7 and by["execution"].chart.series[1].values[-1] == 41.5


def test_sample_slides_are_marked(deck):
    by = {s.key: s for s in deck.slides}
    assert by["execution"].sample and by["rank"].sample and deck.includes_sample  # sample months and districts
    assert not by["programs"].sample and not by["job_centre"].sample  # the seed's real figures
    assert any("표본" in line for line in by["title"].body)


def test_chosen_slides_keep_their_order(demo_store):
    deck = build_deck(demo_store, "11560", 2024, AS_OF, ["placement", "nope", "execution", "placement"])
    assert [s.key for s in deck.slides] == ["placement", "execution"]


def test_prefs_round_trip_per_user(tmp_path):
    assert prefs.load_slides("kim@gu.go.kr", tmp_path) is None
    prefs.save_slides("kim@gu.go.kr", ["rank", "execution", "bogus"], tmp_path)
    prefs.save_slides("default", ["title"], tmp_path)
    assert prefs.load_slides("kim@gu.go.kr", tmp_path) == ("rank", "execution")
    assert prefs.load_slides("default", tmp_path) == ("title",)
    assert prefs.prefs_path("a/b", tmp_path) != prefs.prefs_path("a_b", tmp_path)  # no two users share a file
    prefs.prefs_path("broken", tmp_path).write_text("{not json", encoding="utf-8")
    assert prefs.load_slides("broken", tmp_path) is None


def test_cli_report_xlsx(sqlite_demo_url, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    argv = ["--database-url", sqlite_demo_url, "report", "--district", "11560", "--year", "2024"]
    assert main([*argv, "--as-of", "2024-05-31", "--format", "xlsx", "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["예산현황"]
    assert [c.value for c in ws[4]] == ["계", 7231263, 2940120, 40.7]


def test_cli_briefing_pptx_and_errors(sqlite_demo_url, tmp_path, capsys):
    argv = ["--database-url", sqlite_demo_url, "briefing", "--district", "11560", "--year", "2024"]
    out = tmp_path / "b.pptx"
    assert main([*argv, "--as-of", "2024-05-31", "--format", "pptx", "-o", str(out), "--slides", "execution"]) == 0
    assert out.stat().st_size > 0 and "1 slides" in capsys.readouterr().out
    assert main([*argv, "--as-of", "2024-05-31", "-o", str(tmp_path / "no" / "b.pptx")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("jobkpi: error: folder does not exist") and "\n" not in err


def test_the_english_deck_has_no_hangul_outside_data(demo_store):
    """Under lang 'en' every slide text, speaker note, chart text and .pptx text is English; Hangul is left only
    in data: program, team and district names, upload notes and staff's reasons."""
    import re

    from pptx import Presentation

    from kpi.domain.districts import DISTRICTS
    from kpi.exports.figures import slide_figure
    from kpi.exports.pptx import deck_pptx
    from kpi.store import queries
    from kpi.theme import title_lines

    deck = build_deck(demo_store, "11560", 2024, AS_OF, lang="en")
    with demo_store.engine.connect() as conn:
        programs = queries.programs(conn, "11560")
        reasons = queries.reasons(conn, "11560", 2024)
    data = {*programs["name"].dropna(), *(d.name for d in DISTRICTS), *deck.sources}
    data |= {" ".join(str(v).split()) for v in (*reasons["reason"], *reasons["action"]) if v}
    # the title slide joins source lines with a long common lead into the lead and their tails (theme.title_lines)
    data |= {
        part.removeprefix("Source: ") for line in title_lines(deck.slides[0].body[1:]) for part in line.split(" · ")
    }
    data -= {"", "Source: "}
    hangul = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")

    def leftover(text: str) -> str:
        for name in sorted(data, key=len, reverse=True):
            text = text.replace(name, "")
        return text

    texts = [deck.slides[0].headline]
    for s in deck.slides:
        texts += [s.title, s.headline, *s.notes, *s.body]
        if s.chart is not None:
            texts += [s.chart.unit, *(x.name for x in s.chart.series), *(label for label, _ in s.chart.legend)]
            texts += [c for c in s.chart.categories if c not in data]
        fig = slide_figure(s, deck)
        texts += [fig.layout.title.text or "", *(a.text or "" for a in fig.layout.annotations)]
        texts += [t.name or "" for t in fig.data]
    prs = Presentation(io.BytesIO(deck_pptx(deck)))
    for page in prs.slides:
        texts += [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]
        texts.append(page.notes_slide.notes_text_frame.text)
    texts += [prs.core_properties.title, prs.core_properties.subject]
    found = [text for text in texts if hangul.search(leftover(text))]
    assert not found, found[:10]
    by = {s.key: s for s in deck.slides}
    assert by["execution"].headline == "Execution 40.7% — 0.8 pp behind pace"
    assert by["budget"].chart.unit == "KRW million"


def test_line_labels_follow_which_line_is_higher():
    from kpi.exports.figures import _line_label_positions
    from kpi.exports.slides import Chart, Series

    chart = Chart(
        "line", ("1월", "2월", "3월"), (Series("집행률", (8.2, 17.0, 24.6)), Series("경과율", (8.5, 16.4, 24.6))), "%"
    )
    assert _line_label_positions(chart, 0) == ["bottom center", "top center", "bottom center"]
    assert _line_label_positions(chart, 1) == ["top center", "bottom center", "top center"]
