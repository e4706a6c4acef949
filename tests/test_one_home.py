"""One home per concept, kept so by tests (in the style of datasette's documentation tests).

- every UI string key has Korean and English;
- pages/, app.py and kpi/exports/ hold no Hangul literal: UI text comes from kpi.i18n, data from the store;
- os.environ is read only in kpi/settings.py;
- every setting is documented in the README;
- colours are written only in kpi/theme.py (and .streamlit/config.toml, which must agree with it).
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from kpi import i18n
from kpi.settings import ENV_VARS

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\brgba?\(")


def _sources(*roots: str) -> list[Path]:
    """Python files of the given folders (or files) under the project root."""
    out: list[Path] = []
    for root in roots:
        path = ROOT / root
        out += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return out


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant in a module, docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_every_string_key_has_korean_and_english():
    missing = [key for key, entry in i18n.STRINGS.items() if not entry.get("ko") or not entry.get("en")]
    assert not missing, f"i18n keys without both ko and en: {missing}"


def test_string_placeholders_agree_between_languages():
    field = re.compile(r"{(\w+)")
    bad = [k for k, e in i18n.STRINGS.items() if set(field.findall(e["ko"])) != set(field.findall(e.get("en", "")))]
    assert not bad, f"i18n keys whose {{placeholders}} differ between ko and en: {bad}"


@pytest.mark.parametrize("path", _sources("pages", "app.py", "kpi/exports"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hangul_literal_outside_i18n(path: Path):
    found = [f"{path.relative_to(ROOT)}:{n}: {s[:40]!r}" for n, s in _string_literals(path) if HANGUL.search(s)]
    assert not found, "UI text belongs in kpi/i18n.py:\n" + "\n".join(found)


def test_environment_is_read_only_in_settings():
    pattern = re.compile(r"\bos\.environ\b|\bgetenv\(|\bfrom os import environ\b")
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _sources("kpi", "pages", "app.py")
        if p != ROOT / "kpi" / "settings.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, f"os.environ read outside kpi/settings.py: {found}"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [var for var in ENV_VARS if f"`{var}`" not in readme]
    assert not missing, f"settings not documented in README.md: {missing}"


def test_upload_limit_is_set_only_in_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert "maxUploadSize" not in config.get("server", {}), "the upload limit's home is JOBKPI_MAX_UPLOAD_MB"
    literal = re.compile(r"max_upload_mb\s*[:=]|\b20\s*\*\s*1024")
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _sources("kpi", "pages", "app.py", "scripts")
        if p != ROOT / "kpi" / "settings.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert not found, f"upload limit set outside kpi/settings.py: {found}"


def test_colours_are_written_only_in_the_theme():
    found = [
        f"{p.relative_to(ROOT)}:{line}: {text[:40]!r}"
        for p in _sources("kpi", "pages", "app.py")
        if p != ROOT / "kpi" / "theme.py"
        for line, text in _string_literals(p)
        if COLOUR.search(text)
    ]
    assert not found, "colours belong in kpi/theme.py:\n" + "\n".join(found)


def test_streamlit_config_theme_agrees_with_the_theme_module():
    from kpi import theme

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    written = {k: v for k, v in config.get("theme", {}).items() if isinstance(v, str) and v.startswith("#")}
    assert written, "the Streamlit theme colours are expected in .streamlit/config.toml"
    expected = theme.streamlit_theme()
    assert {k: v.lower() for k, v in written.items()} == {k: expected[k].lower() for k in written}


SQL_TEXT = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|(CREATE|ALTER|DROP)\s+(TABLE|INDEX)|PRAGMA)\b",
    re.DOTALL,
)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a module, nested or conditional ones included."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.append((node.lineno, node.module))
    return out


def test_sql_lives_only_in_the_store():
    store = ROOT / "kpi" / "store"
    paths = [p for p in _sources("kpi", "pages", "app.py") if store not in p.parents]
    found = [
        f"{p.relative_to(ROOT)}:{n}: import {module}"
        for p in paths
        for n, module in _imported_modules(p)
        if module.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")
    ]
    found += [
        f"{p.relative_to(ROOT)}:{n}: {s[:40]!r}" for p in paths for n, s in _string_literals(p) if SQL_TEXT.search(s)
    ]
    assert not found, "SQL belongs in kpi/store/ (ask it through kpi.store.queries or Store):\n" + "\n".join(found)
