"""The jobkpi command line: KPIs as JSON/CSV/table reproduce the seed table; errors are one line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from kpi.cli.commands import main
from kpi.demo.seed import UNIT_PROGRAMS
from tests.seed_figures import BUDGET_WON, EXECUTED_WON, EXECUTION_PCT, PACE_PCT, REPORTED_RATES, THOUSAND

ARGS = ["kpi", "--district", "11560", "--year", "2024", "--as-of", "2024-05-31"]


def run(capsys, url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--database-url", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_kpi_json_reproduces_the_budget_table(capsys, sqlite_demo_url):
    code, out, _err = run(capsys, sqlite_demo_url, *ARGS, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["execution"]["rate_pct"] == EXECUTION_PCT
    assert data["execution"]["budget_won"] == BUDGET_WON and data["execution"]["executed_won"] == EXECUTED_WON
    rates = {p["name"]: p["execution_rate_pct"] for p in data["programs"] if p["level"] == "unit"}
    assert {k: rates[k] for k in REPORTED_RATES} == REPORTED_RATES
    budgets = {p["name"]: p["budget_won"] for p in data["programs"]}
    assert all(budgets[name] == b * THOUSAND for name, _t, _c, b, _e in UNIT_PROGRAMS)
    assert data["placement"] == {
        "job_seekers": 978,
        "placements": 391,
        "rate_pct": 40.0,
        "rate_exact": pytest.approx(391 / 978 * 100),
    }
    assert data["pace"]["days_pct"] == PACE_PCT


def test_kpi_csv_and_table(capsys, sqlite_demo_url):
    code, out, _ = run(capsys, sqlite_demo_url, *ARGS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["사업명"] == "계" and rows[0]["집행률(%)"] == str(EXECUTION_PCT)
    assert rows[0]["예산액(원)"] == str(BUDGET_WON)
    code, out, _ = run(capsys, sqlite_demo_url, *ARGS, "--format", "table", "--unit", "백만원")
    assert code == 0 and f"집행률 {EXECUTION_PCT}%" in out and "7,231백만원" in out and "표본 자료 포함" in out


def test_upload_list_and_revert(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert run(capsys, url, "demo")[0] == 0
    code, out, _ = run(capsys, url, "demo", "--if-empty")
    assert code == 0 and "not loaded" in out
    code, out, _ = run(capsys, url, "uploads", "list")
    assert code == 0 and "demo/003_예산현황_2024-05-31.json" in out
    before = json.loads(run(capsys, url, *ARGS, "--format", "json")[1])
    code, out, _ = run(capsys, url, "uploads", "revert", "1")
    assert code == 0 and "reverted" in out
    after = json.loads(run(capsys, url, *ARGS, "--format", "json")[1])
    assert after["execution"]["rate_pct"] != before["execution"]["rate_pct"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["uploads", "revert", "999"], "업로드 999은(는) 없습니다"),
        (["--database-url", "postgresql+psycopg://nobody@127.0.0.1:9/none", "db", "upgrade"], "database unreachable"),
    ],
)
def test_errors_are_one_line(capsys, tmp_path, args, message):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    code = main(args if args[0].startswith("--") else ["--database-url", url, *args])
    _out, err = capsys.readouterr()
    assert code != 0 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_console_script_never_shows_a_traceback(tmp_path):
    env = {**os.environ, "JOBKPI_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    proc = subprocess.run(
        [sys.executable, "-m", "kpi.cli", "kpi", "--district", "nowhere", "--year", "2024", "--as-of", "2024-13-01"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "unknown district" in proc.stderr


def test_kpi_json_names_its_department_and_the_rank_period_rate(capsys, sqlite_demo_url):
    data = json.loads(run(capsys, sqlite_demo_url, *ARGS, "--format", "json")[1])
    assert data["department"] == "일자리정책과"  # the home department (the demo also holds 일자리경제과)
    rank = data["rank"]
    assert rank["basis"] == "15+" and rank["period"] == "2023.2/2"  # the half-year published by 2024-05-31
    assert rank["employment_rate_pct"] is not None and rank["employment_rate_rank"] == 1
    other = json.loads(run(capsys, sqlite_demo_url, *ARGS, "--format", "json", "--department", "일자리경제과")[1])
    assert other["department"] == "일자리경제과" and other["execution"]["budget_won"] != BUDGET_WON
    code, _out, err = run(capsys, sqlite_demo_url, *ARGS, "--department", "없는과")
    assert code == 1 and "일자리경제과" in err  # the departments there are


def test_import_attach_puts_a_new_sub_program_under_its_unit_and_remembers_it(capsys, tmp_path, sqlite_demo_url):
    import shutil

    from tests.importers import test_lofin as lofin

    path = tmp_path / "a.db"
    shutil.copy(sqlite_demo_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    new = lofin.Prog("0112000000000901", "청년 일경험 지원", 50_000_000, 20_000_000, 0, 0, 50_000_000, 0, 50_000_000)
    file = tmp_path / "세출현황.csv"
    file.write_bytes(lofin.csv_file(lofin.table([lofin.record(new)], "api", text=True), "utf-8-sig"))
    code, out, _ = run(capsys, url, "import", str(file), "--district", "11560", "--dry-run", "--format", "json")
    codes = {i["code"] for i in json.loads(out)["issues"]}
    assert code == 1 and {"programs_excluded", "nothing_left"} <= codes  # nothing of ours in it, yet
    attach = f"{new.code}=청년정책 활성화"
    code, out, err = run(capsys, url, "import", str(file), "--district", "11560", "--attach", attach)
    assert code == 0, out + err
    listed = run(capsys, url, "programs", "list", "--district", "11560")[1]
    assert "0112000000000901" in listed and "청년 일경험 지원" in listed
    again = tmp_path / "세출현황_6월.csv"
    again.write_bytes(
        lofin.csv_file(lofin.table([lofin.record(new, exe_ymd="20240630")], "api", text=True), "utf-8-sig")
    )
    code, out, _ = run(capsys, url, "import", str(again), "--district", "11560", "--format", "json")
    data = json.loads(out)
    assert code == 0 and not any(i["code"] == "programs_excluded" for i in data["issues"])  # matched by its code
