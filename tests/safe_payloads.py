"""A store whose every uploaded text is a Markdown, HTML or spreadsheet-formula payload (issue 9).

Programs, a sub-program, the team, the category, the pledge and its items, the file name, the uploader and
the upload note all carry payloads; committed through Store.commit like any upload, for 영등포구 2024
(as of 31 May, most programs behind pace so the overview lists them). Program names stay under ~40 characters:
longer ones squeeze the budget chart's plot area until plotly's hover and click miss it (a layout limit).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kpi.domain.batch import Batch, BudgetRow, FactRow, PledgeRow, ProgramSpec, SurveyRow, TargetRow
from kpi.domain.districts import DISTRICTS
from kpi.store import Store, auth

DISTRICT, YEAR, AS_OF = "11560", 2024, date(2024, 5, 31)
LINK = "[재로그인 필요](http://evil.example/login)"
PIXEL = "![px](http://evil.example/pixel.png)"
RED = ":red[**긴급: 비밀번호를 재설정하세요**]"
IMG = "<img src=x onerror=alert(1)>"
ANCHOR = '<a href="http://evil.example">x</a>'
MATH = "$x^2$"
ICON = ":material/warning:"
MISC = ":streamlit: :smile: www.evil.example"
SPAN = "<span style='color:red'>적색</span>"
FORMULA = '=HYPERLINK("http://evil.example/f","클릭")'
PLUS, MINUS, AT = "+1+2", "-3+4", "@SUM(1)"
PROGRAMS = (LINK, PIXEL, RED, IMG, ANCHOR, MATH, ICON, MISC, SPAN, FORMULA, PLUS, AT)
SUB = MINUS  # a sub-program (세부사업) of the first program
MARKUP = (LINK, PIXEL, RED, IMG, ANCHOR, MATH, ICON, MISC, SPAN)
FORMULAS = (FORMULA, PLUS, MINUS, AT)
TEAM = "<b>팀</b> [팀](http://evil.example/team)"
CATEGORY = ":red[분야]"  # max 40 characters
PLEDGE = ":red[공약] [공약](http://evil.example/p)"
ITEMS = (IMG, "=1+1 $y$")
FILENAME = "![f](http://evil.example/f.png) <img src=x>.xlsx"
UPLOADER = ":red[업로더] [관리자](http://evil.example/u) evil@example.com"
NOTE = "[출처](http://evil.example/n) <img src=x>"
BAD_HOSTS = ("evil.example",)
RAW_TAGS = ("<a ", "<img", "<span", "<b>팀")  # what plotly would read as markup, were it not escaped
UPLOADER_PASSWORD = "password-payload"  # the uploader is also a staff account that signs in
VIEW = {"district": DISTRICT, "year": str(YEAR), "as_of": AS_OF.isoformat()}  # the page's query parameters


def payload_batches() -> list[Batch]:
    """The batches of the payload store, in commit order."""
    specs = [ProgramSpec(p, department="일자리정책과", team=TEAM, category=CATEGORY) for p in PROGRAMS]
    specs.append(ProgramSpec(SUB, parent=PROGRAMS[0], department="일자리정책과", team=TEAM, category=CATEGORY))
    names = [*PROGRAMS, SUB]
    budgets = [BudgetRow(p, YEAR, "total", 1_000_000_000) for p in names]
    budgets += [BudgetRow(PROGRAMS[0], YEAR, s, v) for s, v in (("national", 600_000_000), ("city", 400_000_000))]
    facts = [
        FactRow(p, YEAR, m, "executed", (i + 1) * m * 10_000_000) for i, p in enumerate(names) for m in range(1, 6)
    ]
    facts += [FactRow(p, YEAR, m, "placements", 10 * m) for p in (PROGRAMS[0], SUB) for m in range(1, 6)]
    budget = Batch(
        DISTRICT,
        "template",
        FILENAME,
        b"payload-budget",
        as_of=AS_OF,
        uploaded_by=UPLOADER,
        note=NOTE,
        programs=specs,
        budgets=budgets,
        facts=facts,
        targets=[TargetRow(PROGRAMS[0], YEAR, "placements", 100), TargetRow(None, YEAR, "jobs_created", 1000)],
    )
    pledges = [
        PledgeRow(PLEDGE, item, y, m, v)
        for item in ITEMS
        for y in (2023, 2024)
        for m, v in (("target", 100), ("actual", 60 + y - 2023))
    ]
    pledges += [
        PledgeRow(PLEDGE, None, y, "budget", 50_000_000, s, "원")
        for y in (2023, 2024)
        for s in ("national", "district")
    ]
    pledge = Batch(
        DISTRICT,
        "pledge_card",
        "공약 " + FILENAME,
        b"payload-pledge",
        as_of=AS_OF,
        uploaded_by=UPLOADER,
        note=NOTE,
        pledges=pledges,
    )
    survey = Batch(
        DISTRICT,
        "kostat_csv",
        "survey.csv",
        b"payload-survey",
        as_of=date(2024, 6, 30),
        uploaded_by=UPLOADER,
        surveys=[
            SurveyRow(d.sig_cd, y, h, "employment_rate", "15+", 60 + i / 4 + h)
            for i, d in enumerate(DISTRICTS)
            for y, h in ((2023, 2), (2024, 1))
        ],
    )
    return [survey, pledge, budget]


def load_payloads(store: Store) -> Store:
    """Commit the payload batches into a fresh store; returns the store."""
    for batch in payload_batches():
        store.commit(batch)
    return store


def payload_store_url(path: Path | str) -> str:
    """A SQLite file at `path` with the payload batches and the uploader's staff account; returns its URL
    (its connections closed, ready to be served)."""
    url = f"sqlite:///{path}"
    store = load_payloads(Store.open(url))
    auth.add_user(store, UPLOADER, "staff", UPLOADER_PASSWORD)
    store.engine.dispose()
    return url
