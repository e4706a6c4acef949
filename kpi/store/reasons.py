"""사유·조치계획: staff's short reason (why a program lags) and action (what next) per program and month.

A reason is a versioned value like every figure (kpi.model.Reason): entered on the upload page (one small
Batch of kind "reason", committed through the store's one write path with the writer's account checked) or
in the template's 사유/조치계획 columns; it shows in the upload history and a revert removes it exactly.
Texts are cleaned and bounded here, before the database: at most REASON_MAX_CHARS characters each, no
control characters (a PowerPoint or Excel file refuses them), line breaks kept.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kpi.domain.batch import Batch, ReasonRow
from kpi.store.model import REASON_MAX_CHARS, Program, Reason, table_of

if TYPE_CHECKING:  # the store and accounts only to commit; readers (reports, importers) need none of them
    from kpi.store import CommitResult, Store
    from kpi.store.auth import User

KIND = "reason"
MISSING_KO = "사유 미입력"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def clean_text(value: object) -> str:
    """A reason or action as kept: NFC, line breaks as \\n (at most one blank line), tabs as spaces, no control
    characters, no trailing spaces, trimmed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def problems(reason: str, action: str, month: int | None = None) -> list[str]:
    """What is wrong with an entry, in Korean (empty when it may be saved)."""
    out = []
    if not reason and not action:
        out.append("사유나 조치계획 중 하나는 적어 주세요.")
    for label, text in (("사유", reason), ("조치계획", action)):
        if len(text) > REASON_MAX_CHARS:
            out.append(f"{label}가 너무 깁니다 ({len(text):,}자). {REASON_MAX_CHARS}자 이내로 줄여 주세요.")
        if text != clean_text(text):
            out.append(f"{label}에 쓸 수 없는 문자(제어 문자)가 있습니다.")
    if month is not None and not 1 <= month <= 12:
        out.append(f"월 {month}은(는) 1~12가 아닙니다.")
    return out


@dataclass(frozen=True)
class Note:
    """The 사유·조치계획 that stands for a program and month, with who wrote it (an upload's uploader)."""

    program_id: int
    month: int
    reason: str
    action: str
    is_sample: bool = False
    upload_id: int | None = None
    by: str | None = None

    def line(self, sep: str = " / ") -> str:
        """'사유: … / 조치계획: …' on one line (see one_line)."""
        return one_line(self.reason, self.action, sep)


def one_line(reason: object, action: object, sep: str = " / ") -> str:
    """'사유: … / 조치계획: …' on one line (line breaks as spaces), the parts that were written ('' for none)."""
    texts = (("사유", reason), ("조치계획", action))
    return sep.join(f"{label}: {' '.join(text.split())}" for label, text in texts if isinstance(text, str) and text)


def notes_of(frame: pd.DataFrame, month: int | None) -> dict[int, Note]:
    """Program id -> the note of one month, from queries.reasons rows."""
    if frame.empty or month is None:
        return {}
    rows = frame[frame["month"] == month]
    return {
        int(r.program_id): Note(
            int(r.program_id), int(r.month), r.reason, r.action, bool(r.is_sample), int(r.upload_id), r.uploaded_by
        )
        for r in rows.itertuples()
    }


def reason_batch(
    district_cd: str, program: str, year: int, month: int, reason: object, action: object, by: str
) -> Batch:
    """The one-row Batch of an entry made on the upload page (cleaned; checked by commit_reason)."""
    row = ReasonRow(program, year, month, clean_text(reason), clean_text(action))
    at = datetime.now(UTC).isoformat()
    content = json.dumps({"document": "사유·조치계획", **row.__dict__, "by": by, "at": at}, ensure_ascii=False).encode()
    return Batch(
        district_cd=district_cd,
        kind=KIND,
        filename=f"사유·조치계획 {year}.{month:02d} {program}",
        content=content,
        uploaded_by=by,
        reasons=[row],
    )


def current(conn: Connection, district_cd: str, program: str, year: int, month: int) -> tuple[str, str] | None:
    """The (reason, action) that stands for a program and month, None when nothing does."""
    r, p = table_of(Reason), table_of(Program)
    row = conn.execute(
        sa.select(r.c.reason, r.c.action)
        .select_from(r.join(p, p.c.id == r.c.program_id))
        .where(
            r.c.district_cd == district_cd,
            p.c.name == program,
            r.c.year == year,
            r.c.month == month,
            r.c.is_current.is_(True),
        )
    ).first()
    return None if row is None else (row[0], row[1])


def commit_reason(
    store: Store, user: User, district_cd: str, program: str, year: int, month: int, reason: object, action: object
) -> CommitResult:
    """Save an entry as its own upload (revertable like any other), if the user may write and it is valid."""
    from kpi.store import StoreError, write_batch
    from kpi.store.auth import require_write

    if not user.can_upload:
        raise StoreError("사유 입력 권한이 없습니다 (담당자·관리자만 입력할 수 있습니다)")
    batch = reason_batch(district_cd, program, year, month, reason, action, user.name)
    row = batch.reasons[0]
    trouble = problems(row.reason, row.action, month)
    if trouble:
        raise StoreError(" ".join(trouble))

    def work(conn: Connection) -> CommitResult:
        """Write the entry unless it repeats the current one."""
        require_write(conn, user)
        if current(conn, district_cd, program, year, month) == (row.reason, row.action):
            raise StoreError("같은 사유·조치계획이 이미 입력되어 있습니다.")
        return write_batch(conn, batch)

    return store.write(work)
