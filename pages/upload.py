"""실적 업로드: template, upload, validation report, preview, commit, history and revert (staff and admins)."""

from __future__ import annotations

import io

import streamlit as st

from kpi import auth, queries, upload_view, uploads
from kpi.i18n import t
from kpi.importers import write_template
from kpi.safe_text import md
from kpi.store import StoreError
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
    file_name=f"실적입력양식_{filters.district}_{filters.year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)

left, right = st.columns([3, 1])
with left:
    uploaded = st.file_uploader(t("choose_file"), type=["xlsx", "xls", "csv"], key="upload_file")
with right:
    as_of = st.date_input(t("as_of_override"), value=None, key="upload_as_of")

if uploaded is not None:
    key = (uploaded.file_id, filters.district, as_of, ui.data_version())
    if st.session_state.get("prepared_key") != key:
        bar = st.progress(0.0, text=t("stage_read"))
        content = uploaded.getvalue()
        bar.progress(0.3, text=t("stage_preview"))
        prepared = uploads.prepare(store, uploaded.name, content, district_cd=filters.district, user=user, as_of=as_of)
        bar.progress(1.0, text=t("stage_done"))
        bar.empty()
        st.session_state.update(prepared=prepared, prepared_key=key)
    prepared: uploads.Prepared = st.session_state["prepared"]
    result = prepared.result
    st.subheader(f"{md(uploaded.name)} · {md(upload_view.kind_label(result.kind))}")
    if result.errors:
        st.error(t("errors_title", n=len(result.errors)), icon=":material/error:")
        st.dataframe(upload_view.issue_table(result.errors), hide_index=True, width="stretch")
    if result.warnings:
        st.warning(t("warnings_title", n=len(result.warnings)), icon=":material/warning:")
        st.dataframe(upload_view.issue_table(result.warnings), hide_index=True, width="stretch")
    if not result.issues:
        st.success(t("no_problems"))
    if prepared.preview is not None:
        st.subheader(t("preview_title"))
        counts = prepared.preview.counts
        c1, c2, c3, c4 = st.columns(4)
        c1.metric("신규", counts["new"])
        c2.metric("변경", counts["changed"])
        c3.metric("동일", counts["unchanged"])
        c4.metric("새 사업", prepared.preview.programs_created)
        st.dataframe(
            upload_view.kpi_changes(prepared.preview.before, prepared.preview.after, filters.unit), hide_index=True
        )
        changes = upload_view.change_table(prepared, filters.unit)
        if not st.toggle(t("show_unchanged"), key="show_unchanged"):
            changes = changes[changes["상태"] != "동일"]
        st.dataframe(changes, hide_index=True, width="stretch")
        confirmed = True
        if len(prepared.duplicates):
            ids = ", ".join(str(i) for i in prepared.duplicates["id"])
            st.warning(t("duplicate_file", ids=ids))
            confirmed = st.checkbox(t("confirm_duplicate"), key="confirm_duplicate")
        if st.button(t("commit"), type="primary", disabled=not confirmed, key="commit"):
            bar = st.progress(0.0)
            try:
                done = uploads.commit(
                    store,
                    prepared,
                    user=user,
                    allow_duplicate=confirmed,
                    progress=lambda f, msg: bar.progress(f, text=md(msg)),
                )
            except StoreError as exc:
                st.error(md(exc))
            else:
                st.session_state.pop("prepared_key", None)
                ui.data_changed()
                st.session_state["flash"] = t("committed", id=done.upload_id, rows=done.rows)
                st.rerun()

if "flash" in st.session_state:
    st.success(st.session_state.pop("flash"), icon=":material/check_circle:")

st.subheader(t("history"))
with store.engine.connect() as conn:
    history = queries.uploads(conn, filters.district)
if history.empty:
    st.info(t("no_upload"))
else:
    shown = history[
        ["id", "uploaded_at", "uploaded_by", "filename", "kind", "as_of", "row_count", "status", "is_sample"]
    ].rename(
        columns={
            "id": "번호",
            "uploaded_at": "올린 시각",
            "uploaded_by": "올린 사람",
            "filename": "파일",
            "kind": "종류",
            "as_of": "기준일",
            "row_count": "행 수",
            "status": "상태",
            "is_sample": "표본",
        }
    )
    shown["상태"] = shown["상태"].map({"committed": "반영", "reverted": "되돌림"})
    shown["종류"] = shown["종류"].map(upload_view.kind_label)
    st.dataframe(shown, hide_index=True, width="stretch")
    mine = history[(history["status"] == "committed") & history["uploaded_by"].map(user.can_revert)]
    if len(mine):
        with st.form("revert_form"):
            pick = st.selectbox(
                t("revert_pick"),
                mine["id"].tolist(),
                format_func=lambda i: f"{i}번 · {mine.set_index('id').loc[i, 'filename']}",
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
                    "아이디": n,
                    "권한": t(f"role_{r}"),
                    "로그인": "비밀번호" if p else "OIDC",
                    "사용": "예" if a else "아니오",
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
