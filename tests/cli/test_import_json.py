"""`jobkpi import --format json` prints JSON on every outcome: accepted, refused, file missing or unreadable, store
error; the exit code stays non-zero on failure."""

from __future__ import annotations

import json

import pytest

from kpi.cli.commands import main
from tests.corpus_factory import budget_rows, budget_xlsx
from tests.seed_figures import SEED_PROGRAMS, SEED_TOTAL

ISSUE_KEYS = {"code", "severity", "ko", "en", "sheet", "row", "col"}
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:9/none"


def run_import(capsys, url: str, path: object, *extra: str) -> tuple[int, dict, str]:
    code = main(["--database-url", url, "import", str(path), "--district", "11560", "--format", "json", *extra])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'j.db'}"


def test_accepted_file(capsys, url, tmp_path) -> None:
    path = tmp_path / "예산현황.xlsx"
    path.write_bytes(budget_xlsx())
    code, data, _ = run_import(capsys, url, path, "--dry-run")
    assert code == 0 and data["ok"] is True and data["issues"] == [] and data["kind"] == "budget_table"
    code, data, _ = run_import(capsys, url, path)
    assert code == 0 and data["ok"] is True and data["committed"]["upload_id"] >= 1
    code, data, _ = run_import(capsys, url, path)  # the same file again, without --force
    assert code == 1 and data["ok"] is False and [i["code"] for i in data["issues"]] == ["duplicate_upload"]


def test_refused_file(capsys, url, tmp_path) -> None:
    rows = budget_rows()
    rows[0][1] = SEED_TOTAL[1] + 1  # the 계 row no longer adds up
    path = tmp_path / "예산현황.xlsx"
    path.write_bytes(budget_xlsx(rows))
    code, data, _ = run_import(capsys, url, path)
    assert code == 1 and data["ok"] is False and data["committed"] is None
    issue = next(i for i in data["issues"] if i["code"] == "total_mismatch")
    assert set(issue) >= ISSUE_KEYS and issue["severity"] == "error"
    assert (issue["sheet"], issue["row"], issue["col"]) == ("예산현황", 5, "B")
    assert f"{SEED_TOTAL[1] + 1:,}" in issue["ko"] and f"{sum(p[1] for p in SEED_PROGRAMS):,}" in issue["ko"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("없는파일.xlsx", None, "file_missing"),
        ("폴더.xlsx", "dir", "file_unreadable"),
        ("메모.xlsx", b"this is not a spreadsheet at all", None),  # read, then refused by the importer
    ],
)
def test_unreadable_files(capsys, url, tmp_path, name: str, content, expected: str | None) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    code, data, _ = run_import(capsys, url, path)
    assert code == 1 and data["ok"] is False and data["issues"]
    assert all(set(i) >= ISSUE_KEYS for i in data["issues"])
    assert all(i["severity"] == "error" for i in data["issues"])
    if expected:
        assert [i["code"] for i in data["issues"]] == [expected]
        assert name in data["issues"][0]["ko"] and data["file"] == name


def test_store_error(capsys, tmp_path) -> None:
    path = tmp_path / "예산현황.xlsx"
    path.write_bytes(budget_xlsx())
    code, data, err = run_import(capsys, UNREACHABLE, path)
    assert code == 1 and data["ok"] is False and [i["code"] for i in data["issues"]] == ["store_error"]
    assert set(data["issues"][0]) >= ISSUE_KEYS and len(err.strip().splitlines()) == 1
