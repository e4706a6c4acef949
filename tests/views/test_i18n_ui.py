"""Issue 10 without a browser: headers and codes in the UI language, a unit program's selection with its
sub-programs, and `jobkpi user add` reading the password from standard input when there is no terminal."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from kpi import i18n
from kpi.store import Store
from kpi.views import budget as bv
from kpi.views.report import build_report


def test_column_labels_in_both_languages():
    assert i18n.column_label("uploaded_at", "ko") == "올린 시각"
    assert i18n.column_label("uploaded_at", "en") == "Uploaded at"
    assert i18n.column_label("예산액(천원)", "ko") == "예산액(천원)"
    assert i18n.column_label("예산액(천원)", "en") == "Budget (KRW 1,000)"
    assert i18n.column_label("어떤 데이터", "en") == "어떤 데이터"  # unknown names (data) are left as they are


def test_every_key_has_both_languages():
    assert [k for k, v in i18n.STRINGS.items() if set(v) != {"ko", "en"}] == []


def test_builtin_texts_only_for_korean():
    texts, _patterns = i18n.builtin_texts("ko")
    assert texts["Upload"] == "파일 선택" and texts["Select all"] == "전체 선택"
    assert i18n.builtin_texts("en") == ({}, [])


def test_a_unit_program_stands_for_its_sub_programs(sqlite_demo_url):
    store = Store(sqlite_demo_url)
    report = build_report(store, "11560", 2024, date(2024, 5, 31))
    progs = bv.program_frame(store, report)
    unit = int(progs.loc[progs["name"] == "지역일자리 사업 지원", "id"].iloc[0])
    ids = bv.with_sub_programs(progs, [unit])
    names = set(progs.set_index("id").loc[ids, "name"])
    assert {"지역일자리 사업 지원", "동행일자리", "지역공동체일자리", "통합일자리지원센터 조성"} <= names
    funding = bv.funding(store, report, ids)
    assert funding["city"].sum() > 0 and funding["district"].sum() > 0  # its 세부사업 carry 시비/구비
    store.engine.dispose()


def _jobkpi(url: str, *args: str, stdin: str) -> subprocess.CompletedProcess:
    env = {"JOBKPI_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "kpi.cli", *args], input=stdin, capture_output=True, text=True, env=env, check=False
    )


def test_user_add_reads_the_password_from_stdin_without_a_terminal(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    empty = _jobkpi(url, "user", "add", "kim", "--role", "staff", stdin="")
    assert empty.returncode == 1 and "EOFError" not in empty.stderr and "standard input" in empty.stderr
    short = _jobkpi(url, "user", "add", "kim", "--role", "staff", stdin="short\n")
    assert short.returncode == 1 and "8" in short.stderr
    ok = _jobkpi(url, "user", "add", "kim", "--role", "staff", stdin="password-kim\n")
    assert ok.returncode == 0, ok.stderr
    assert "kim\tstaff" in _jobkpi(url, "user", "list", stdin="").stdout
