"""What the upload page and `jobkpi import` show of a prepared upload, as plain data and text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

import pandas as pd

from kpi.domain import catalog
from kpi.domain.batch import ProgramSpec
from kpi.domain.units import fmt_money, fmt_number, fmt_pct
from kpi.exports.data_files import CSV_MIME, XLSX_MIME
from kpi.importers import Issue
from kpi.store import Store, StoreError, queries
from kpi.store import reasons as reason_store
from kpi.store.auth import User, active_account
from kpi.store.model import Reason
from kpi.store.uploads import TABLE_LABELS, Prepared
from kpi.views import peers
from kpi.views.report import KpiReport
from kpi.views.safe_text import safe_filename

KIND_LABELS = {
    "budget_table": "예산현황 표",
    "program_box": "사업별 예산현황",
    "job_centre": "일자리플러스센터 실적",
    "kostat_csv": "통계청 고용률 자료",
    "lofin365": "지방재정365 세부사업별 세출현황",
    "ehojo": "e-호조 세출예산 집행현황",
    "goal_disclosure": "일자리 목표공시제",
    "template": "실적 입력 양식",
    "reason": "사유·조치계획 입력",
    "unknown": "알 수 없는 형식",
}
STATUS_LABELS = {"new": "신규", "changed": "변경", "unchanged": "동일"}
REASON_TABLE = TABLE_LABELS[Reason]


def kind_label(kind: str) -> str:
    """Korean name of a recognised sheet kind ('+'-joined kinds joined with ' · ')."""
    return " · ".join(KIND_LABELS.get(k, k) for k in kind.split("+"))


def issue_table(issues: list[Issue], lang: str = "ko") -> pd.DataFrame:
    """Issues as rows: where (sheet!cell), sheet, row, column, value, message."""
    return pd.DataFrame(
        {
            "위치": [i.where or "파일" for i in issues],
            "시트": [i.sheet for i in issues],
            "행": [i.row or None for i in issues],
            "열": [i.column for i in issues],
            "값": [i.value for i in issues],
            "내용": [i.message_ko if lang == "ko" else i.message_en for i in issues],
        }
    ).astype({"행": "Int64"})


def change_table(prepared: Prepared, unit: str = "천원") -> pd.DataFrame:
    """Every key of the preview with its old and new value in display units and its status in Korean."""
    changes = prepared.preview.changes if prepared.preview else pd.DataFrame()
    if changes.empty:
        return pd.DataFrame()

    def label(row: pd.Series) -> str:
        if row["table"] == REASON_TABLE:
            return REASON_TABLE
        code = row.get("metric") if isinstance(row.get("metric"), str) else None
        return catalog.METRIC_BY_CODE[code].ko if code in catalog.METRIC_BY_CODE else "예산액"

    def show(value: float | str | None, row: pd.Series) -> str:
        """A preview value as shown: staff's text as written, money in `unit`, other figures as numbers."""
        if row["table"] == REASON_TABLE:  # staff's text as written (a dataframe cell shows it as plain text)
            return "-" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        if value is None or isinstance(value, str) or pd.isna(value):
            return "-" if value is None or not isinstance(value, str) else value
        code = row.get("metric") if isinstance(row.get("metric"), str) else None
        money = (
            code is None or catalog.METRIC_BY_CODE[code].unit == "won"
            if code in catalog.METRIC_BY_CODE
            else code is None
        )
        return fmt_money(value, unit) if money else fmt_number(value, 1 if row["table"] == "고용조사" else 0)

    out = pd.DataFrame(
        {
            "구분": changes["table"],
            "사업명": changes["program"].fillna("(구 전체)") if "program" in changes else "",
            "연월": [
                f"{int(y)}.{int(m):02d}" if pd.notna(m) else f"{int(y)}"
                for y, m in zip(changes["year"], changes.get("month", pd.Series(index=changes.index)), strict=True)
            ],
            "지표": [label(r) for _i, r in changes.iterrows()],
            "재원": changes.get("source", pd.Series(index=changes.index)).map(
                lambda s: catalog.FUNDING_SOURCES.get(s, "") if isinstance(s, str) else ""
            ),
            "이전": [show(r["value_old"], r) for _i, r in changes.iterrows()],
            "이후": [show(r["value_new"], r) for _i, r in changes.iterrows()],
            "상태": changes["status"].map(STATUS_LABELS),
        }
    )
    return out


def kpi_changes(before: KpiReport | None, after: KpiReport | None, unit: str = "천원") -> pd.DataFrame:
    """Headline KPIs before and after the upload (none without both reports)."""
    if before is None or after is None:
        return pd.DataFrame()
    rows = [
        ("예산액", fmt_money(before.budget, unit) + unit, fmt_money(after.budget, unit) + unit),
        ("집행액", fmt_money(before.executed, unit) + unit, fmt_money(after.executed, unit) + unit),
        ("집행률", fmt_pct(before.execution_rate), fmt_pct(after.execution_rate)),
        ("취업률", fmt_pct(before.placement_rate), fmt_pct(after.placement_rate)),
        ("일자리 달성률", fmt_pct(before.achievement_rate), fmt_pct(after.achievement_rate)),
    ]
    return pd.DataFrame(rows, columns=["지표", "반영 전", "반영 후"])


def summary_text(prepared: Prepared, unit: str = "천원") -> str:
    """The plain-text report of `jobkpi import`: issues with locations, then the preview."""
    r = prepared.result
    lines = [f"파일: {prepared.filename} ({kind_label(r.kind)})  오류 {len(r.errors)}건, 경고 {len(r.warnings)}건"]
    for tag, group in (("오류", r.errors), ("경고", r.warnings)):
        for i in group:
            value = f" 값 '{i.value}'" if i.value else ""
            lines.append(f"[{tag}] {i.where or '파일'}{value}: {i.message_ko}")
    if len(prepared.duplicates):
        ids = ", ".join(str(i) for i in prepared.duplicates["id"])
        lines.append(f"[확인] 같은 파일이 이미 반영되어 있습니다 (업로드 {ids}). 다시 반영하려면 --force")
    if prepared.preview is not None:
        c = prepared.preview.counts
        lines.append(
            f"미리보기: 신규 {c['new']}, 변경 {c['changed']}, 동일 {c['unchanged']}"
            f" (새 사업 {prepared.preview.programs_created}개)"
        )
        for row in kpi_changes(prepared.preview.before, prepared.preview.after, unit).itertuples(index=False):
            lines.append(f"  {row[0]}: {row[1]} → {row[2]}")
        note = peers.upload_note(r.batch, "ko")
        if note:
            lines.append(note)
    return "\n".join(lines)


def changed_only(changes: pd.DataFrame) -> pd.DataFrame:
    """The rows of a change_table whose value changes (new or changed), unchanged ones left out."""
    return changes[changes["상태"] != STATUS_LABELS["unchanged"]] if len(changes) else changes


@dataclass(frozen=True)
class ReasonPicker:
    """The reason form's program choice: ids in order (lagging first), the lagging ones, and id -> name."""

    order: list[int]
    lagging: set[int]
    names: dict[int, str]


def reason_picker(report: KpiReport) -> ReasonPicker:
    """Programs behind pace or without figures first (theirs are the reasons heads ask for), then the others."""
    progs = report.programs
    ids = [int(i) for i in progs["id"]]
    lagging = {int(i) for i in progs.loc[progs["status"].isin(["behind", "at_risk"]) | progs["missing_data"], "id"]}
    order = [*[i for i in ids if i in lagging], *[i for i in ids if i not in lagging]]
    return ReasonPicker(order, lagging, {int(i): str(n) for i, n in zip(progs["id"], progs["name"], strict=True)})


def reason_month_index(report: KpiReport, as_of: date) -> int:
    """The month the reason form opens at (the data month, else the as-of month), as a 0-based option index."""
    return (report.data_month or as_of.month) - 1


def spec_label(spec: ProgramSpec) -> str:
    """A left-out program as the page lists it: its name and code."""
    return f"{spec.name} ({spec.code})" if spec.code else spec.name


def excluded_matching(prepared: Prepared, text: str, limit: int) -> list[ProgramSpec]:
    """The left-out programs whose name or code contains the text (all when empty), at most `limit`."""
    key = text.strip().replace(" ", "")
    hits = [s for s in prepared.result.excluded if key in s.name.replace(" ", "") or (s.code and key in s.code)]
    return hits[:limit]


# --- the original file of an upload, offered in the page's upload history

FILE_MIMES = {".csv": CSV_MIME, ".xlsx": XLSX_MIME, ".xls": "application/vnd.ms-excel", ".json": "application/json"}
DEMO_UPLOADER = "demo"  # who kpi/demo/seed.py names as the uploader of the demo's documents


@dataclass(frozen=True)
class OriginalFile:
    """An upload whose original file the history offers: its id, its name as stored, the name and type to save."""

    upload_id: int
    filename: str
    file_name: str
    mime: str


def original_files(history: pd.DataFrame) -> list[OriginalFile]:
    """The uploads of a history (queries.uploads of the district shown) that kept a file someone uploaded, in its
    order: not 사유·조치계획 entries (a form, not a file) nor the demo's documents; saved under the file's own name."""
    keep = (history["kind"] != reason_store.KIND) & (history["uploaded_by"] != DEMO_UPLOADER) & (history["size"] > 0)
    out = []
    for upload_id, filename in zip(history.loc[keep, "id"], history.loc[keep, "filename"], strict=True):
        name = PurePosixPath(str(filename).replace("\\", "/")).name
        suffix = PurePosixPath(name).suffix.lower()
        out.append(
            OriginalFile(
                int(upload_id),
                str(filename),
                safe_filename(name, limit=200),
                FILE_MIMES.get(suffix, "application/octet-stream"),
            )
        )
    return out


def original_download(store: Store, user: User, upload_id: int, district_cd: str) -> bytes:
    """The bytes of an upload's original file when the download button is clicked: only for an account that may
    upload as it stands now (re-read: the click may come long after the page was drawn), only of the district's
    uploads; StoreError (Korean) otherwise."""
    account = user if user.system else active_account(store, user.name)
    if account is None or not account.can_upload:
        raise StoreError("원본 파일은 담당자·관리자만 내려받을 수 있습니다. 권한이 필요하면 관리자에게 문의하십시오.")
    with store.read() as conn:
        found = queries.original_file(conn, upload_id, district_cd)
    if found is None:
        raise StoreError(
            f"업로드 {upload_id}번의 원본 파일이 이 자치구에 없습니다. 업로드 이력에서 자치구와 번호를 확인해 주세요."
        )
    return found[1]
