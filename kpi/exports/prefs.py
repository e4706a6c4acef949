"""Each presenter's slide choice and order, kept as data/briefing_prefs/<user>.json (no schema change)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from kpi.exports.slides import valid_keys
from kpi.settings import load_settings

DEFAULT_USER = "default"  # anyone not logged in


def prefs_path(user: str, base: Path | None = None) -> Path:
    """The file of a user: a readable slug plus a short hash, so distinct names never share a file."""
    base = Path(base or load_settings().briefing_prefs_dir)
    name = user or DEFAULT_USER
    slug = re.sub(r"[^A-Za-z0-9._@-]", "_", name)[:60]
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return base / f"{slug}-{digest}.json"


def load_slides(user: str, base: Path | None = None) -> tuple[str, ...] | None:
    """The saved slide keys of a user in order (unknown keys dropped); None when nothing usable is saved."""
    path = prefs_path(user, base)
    try:
        saved = json.loads(path.read_text(encoding="utf-8")).get("slides")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(saved, list):
        return None
    keys = valid_keys([k for k in saved if isinstance(k, str)])
    return keys if saved and keys else None


def save_slides(user: str, keys: list[str] | tuple[str, ...], base: Path | None = None) -> Path:
    """Save a user's slide keys in order, atomically (write a temp file, then rename)."""
    path = prefs_path(user, base)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"user": user, "slides": list(valid_keys(keys))}, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)
    return path
