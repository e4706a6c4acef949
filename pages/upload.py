"""Upload (실적 업로드): template, upload, validation report, preview, commit, history and revert (staff and admins)."""

from __future__ import annotations

import functools
import io

import streamlit as st

from kpi.i18n import t
from kpi.importers import write_template
from kpi.settings import load_settings
from kpi.store import StoreError, auth, queries, reasons, uploads
from kpi.store.model import REASON_MAX_CHARS
from kpi.views import peers as peer_view
from kpi.views import upload as upload_view
from kpi.views.safe_text import md
from pages import _auth
from pages import _ui as ui

store = ui.get_store()
user = _auth.current_user(store)
filters = ui.current_filters()
if not user.can_upload:
    st.warning(t("login_required"))
    st.stop()

st.title(t("nav_upload"))
st.caption(t("upload_intro"))


@st.cache_data(show_spinner=False)
def _template(url: str, district: str, year: int, version: tuple[int, int]) -> bytes:
    with ui.get_store().engine.connect() as conn:
        programs = queries.programs(conn, district)["name"].tolist()
    buf = io.BytesIO()
    write_template(buf, programs, None, year)  # the template's own metric list
    return buf.getvalue()


st.download_button(
    t("download_template"),
    _template(store.url, filters.district, filters.year, ui.data_version()),
    file_name=f"{t('file_template', district=filters.district, year=filters.year)}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)

left, right = st.columns([3, 1])
with left:  # a new key after each commit: the uploader starts empty again
    uploaded = st.file_uploader(
        t("choose_file"),
        type=["xlsx", "xls", "csv"],
        key=f"upload_file_{st.session_state.get('upload_round', 0)}",
        help=t("upload_limit", mb=load_settings().max_upload_mb, lofin_mb=load_settings().lofin_max_upload_mb),
    )
with right:
    as_of = st.date_input(t("as_of_override"), value=None, key="upload_as_of", format="YYYY-MM-DD")

if "upload_committed" in st.session_state:  # right after a commit: only the success, and where to look next
    st.success(st.session_state.pop("upload_committed"), icon=":material/check_circle:")
    st.page_link("pages/overview.py", label=t("go_overview"), icon=":material/dashboard:")

EXCLUDED_SHOWN = 20  # left-out sub-programs offered for attaching at once (a search narrows a long list)

if uploaded is not None:
    attach = st.session_state.get("upload_attach", {})
    centre_rows = st.session_state.get("upload_centre_rows")
    key = (uploaded.file_id, filters.district, as_of, ui.data_version(), tuple(sorted(attach.items())), centre_rows)
    if st.session_state.get("prepared_key") != key:
        bar = st.progress(0.0, text=t("stage_read"))
        content = uploaded.getvalue()
        bar.progress(0.3, text=t("stage_preview"))
        fresh = uploads.prepare(
            store,
            uploaded.name,
            content,
            district_cd=filters.district,
            user=user,
            as_of=as_of,
            attach=attach,
            centre_rows=centre_rows,
        )
        bar.progress(1.0, text=t("stage_done"))
        bar.empty()
        st.session_state.update(prepared=fresh, prepared_key=key)
    prepared: uploads.Prepared = st.session_state["prepared"]
    result = prepared.result
    st.subheader(f"{md(uploaded.name)} · {md(ui.kind_label(result.kind))}")
    if centre_rows or any(i.code == "centre_rows_unknown" for i in result.errors):
        # the month rows could be either: the person who keeps the log says which (never a guess)
        picked = st.radio(
            t("centre_rows_question"),
            ["monthly", "cumulative"],
            index=None if centre_rows is None else ["monthly", "cumulative"].index(centre_rows),
            format_func=lambda v: t(f"centre_rows_{v}"),
            horizontal=True,
            key="centre_rows_choice",
        )
        if picked and picked != centre_rows:
            st.session_state["upload_centre_rows"] = picked
            st.rerun()
    if result.errors:
        st.error(t("errors_title", n=len(result.errors)), icon=":material/error:")
        st.dataframe(upload_view.issue_table(result.errors), hide_index=True, width="stretch")
    if result.warnings:
        st.warning(t("warnings_title", n=len(result.warnings)), icon=":material/warning:")
        st.dataframe(upload_view.issue_table(result.warnings), hide_index=True, width="stretch")
    if not result.issues:
        st.success(t("no_problems"))
    if result.excluded:  # sub-programs the tree does not know (other departments', or new): attach any of ours
        with st.expander(t("excluded_title", n=f"{len(result.excluded):,}"), expanded=True, icon=":material/rule:"):
            st.caption(t("excluded_help"))
            find = st.text_input(t("excluded_find"), key="excluded_find")
            shown = upload_view.excluded_matching(prepared, find, limit=EXCLUDED_SHOWN)
            if len(shown) < len(result.excluded):
                st.caption(t("excluded_more", n=len(shown), total=f"{len(result.excluded):,}"))
            chosen: dict[str, str] = {}
            for spec in shown:
                pick = st.selectbox(
                    md(upload_view.spec_label(spec)),
                    prepared.units,
                    index=None,
                    placeholder=t("attach_to"),
                    key=f"attach_{spec.ref}",
                )
                if pick:
                    chosen[spec.ref] = pick
            if st.button(t("attach_apply", n=len(chosen)), disabled=not chosen, key="attach_apply"):
                st.session_state["upload_attach"] = {**attach, **chosen}
                st.rerun()
    if prepared.preview is not None:
        st.subheader(t("preview_title"))
        counts = prepared.preview.counts
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(t("preview_new"), counts["new"])
        c2.metric(t("preview_changed"), counts["changed"])
        c3.metric(t("preview_unchanged"), counts["unchanged"])
        c4.metric(t("preview_programs"), prepared.preview.programs_created)
        peer_note = peer_view.upload_note(result.batch)
        if peer_note:
            st.caption(md(peer_note))
        st.dataframe(
            upload_view.kpi_changes(prepared.preview.before, prepared.preview.after, filters.unit), hide_index=True
        )
        changes = upload_view.change_table(prepared, filters.unit)
        if not st.toggle(t("show_unchanged"), key="show_unchanged"):
            changes = upload_view.changed_only(changes)
        st.dataframe(changes, hide_index=True, width="stretch")
        confirmed = True
        if len(prepared.duplicates):
            ids = ", ".join(str(i) for i in prepared.duplicates["id"])
            st.warning(t("duplicate_file", ids=ids))
            confirmed = st.checkbox(t("confirm_duplicate"), key="confirm_duplicate")
        if st.button(t("commit"), type="primary", disabled=not confirmed, key="commit"):
            bar = st.progress(0.0)

            def _progress(fraction: float, message: str) -> None:
                """The commit's progress on the bar (its messages escaped: they may name files)."""
                bar.progress(fraction, text=md(message))

            try:
                done = uploads.commit(
                    store,
                    prepared,
                    user=user,
                    allow_duplicate=confirmed,
                    progress=_progress,
                )
            except StoreError as exc:
                st.error(md(exc))
            else:
                for k in (
                    "prepared",
                    "prepared_key",
                    "confirm_duplicate",
                    "show_unchanged",
                    "upload_attach",
                    "upload_centre_rows",
                    "centre_rows_choice",
                ):
                    st.session_state.pop(k, None)
                ui.data_changed()
                st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
                st.session_state["upload_committed"] = t("committed", id=done.upload_id, rows=done.rows)
                st.rerun()

if "flash" in st.session_state:
    st.success(st.session_state.pop("flash"), icon=":material/check_circle:")

# --- Reasons and actions (사유·조치계획): per program and month, one small upload each (listed below, revertable like
# any upload).
st.subheader(t("reason_form_title"))
st.caption(t("reason_form_intro", n=REASON_MAX_CHARS))
reason_report = ui.report(filters)
progs = reason_report.programs
if progs.empty:
    st.info(t("no_data"))
else:
    picker = upload_view.reason_picker(reason_report)
    order, lagging, names = picker.order, picker.lagging, picker.names
    c1, c2 = st.columns([3, 1])
    pid = c1.selectbox(
        t("reason_program"),
        order,
        format_func=lambda i: names[i] + (f" · {t('reason_lagging')}" if i in lagging else ""),
        key="reason_program",
    )
    month = c2.selectbox(
        t("reason_month"),
        list(range(1, 13)),
        index=upload_view.reason_month_index(reason_report, filters.as_of),
        format_func=lambda m: t("month_short", month=m),
        key="reason_month",
    )
    with store.engine.connect() as conn:
        standing = reasons.current(conn, filters.district, names[pid], filters.year, month)
    if st.session_state.get("reason_for") != (filters.district, filters.year, pid, month):
        # another program or month: the boxes start from what stands for it
        st.session_state.update(
            reason_for=(filters.district, filters.year, pid, month),
            reason_text=standing[0] if standing else "",
            reason_action=standing[1] if standing else "",
        )
    with st.form("reason_form"):
        text = st.text_area(t("reason"), key="reason_text", max_chars=REASON_MAX_CHARS, height=90)
        action = st.text_area(t("action"), key="reason_action", max_chars=REASON_MAX_CHARS, height=90)
        if st.form_submit_button(t("reason_save"), type="primary"):
            try:
                done = reasons.commit_reason(
                    store, user, filters.district, names[pid], filters.year, month, text, action
                )
            except StoreError as exc:
                st.error(md(exc))
            else:
                ui.data_changed()
                st.session_state.pop("reason_for", None)
                st.session_state["flash"] = t("reason_saved", program=md(names[pid]), month=month, id=done.upload_id)
                st.rerun()

st.subheader(t("history"))
with store.engine.connect() as conn:
    history = queries.uploads(conn, filters.district)
if history.empty:
    st.info(t("no_upload"))
else:
    # headers, kinds and statuses in the UI language, times in Asia/Seoul (ui.display_frame)
    columns = ["id", "uploaded_at", "uploaded_by", "filename", "kind", "as_of", "row_count", "status", "is_sample"]
    ui.table(history[columns])
    originals = {f.upload_id: f for f in upload_view.original_files(history)}
    if originals:  # the file as it was uploaded, read from the store only when the button is clicked
        pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        original_id = pick_col.selectbox(
            t("original_pick"),
            list(originals),
            format_func=lambda i: f"{t('upload_no', id=i)} · {originals[i].filename}",
            key="original_pick",
        )
        original = originals[original_id if original_id in originals else next(iter(originals))]
        button_col.download_button(
            t("original_download"),
            functools.partial(upload_view.original_download, store, user, original.upload_id, filters.district),
            file_name=original.file_name,
            mime=original.mime,
            key="original_download",
            on_click="ignore",
            icon=":material/download:",
        )
    mine = history[(history["status"] == "committed") & history["uploaded_by"].map(user.can_revert)]
    if len(mine):
        with st.form("revert_form"):
            pick = st.selectbox(
                t("revert_pick"),
                mine["id"].tolist(),
                format_func=lambda i: f"{t('upload_no', id=i)} · {mine.set_index('id').loc[i, 'filename']}",
            )
            if st.form_submit_button(t("revert")):
                try:
                    uploads.revert(store, int(pick), user)
                except StoreError as exc:
                    st.error(md(exc))
                else:
                    ui.data_changed()
                    st.session_state["flash"] = t("reverted", id=pick)
                    st.rerun()

if user.can_manage_users:
    with st.expander(t("users_title")):
        st.dataframe(
            [
                {
                    t("user_name"): n,
                    t("role"): t(f"role_{r}"),
                    t("login"): t("login_password") if p else t("login_oidc"),
                    t("user_active"): t("yes") if a else t("no"),
                }
                for n, r, p, a in auth.list_users(store)
            ],
            hide_index=True,
        )
        with st.form("add_user"):
            name = st.text_input(t("user_name"))
            role = st.selectbox(t("role"), auth.ROLES, format_func=lambda r: t(f"role_{r}"))
            password = st.text_input(t("password"), type="password")
            if st.form_submit_button(t("add_user")):
                try:
                    auth.add_user(store, name, role, password or None)
                except StoreError as exc:
                    st.error(md(exc))
                else:
                    st.success(f"{md(name)} ({t(f'role_{role}')})")
