"""Who is using the app: OIDC login (st.login) when [auth] is configured, else local accounts; viewers need none."""

from __future__ import annotations

import streamlit as st

from kpi.i18n import t
from kpi.settings import load_settings
from kpi.store import Store, auth
from kpi.views.safe_text import md


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def current_user(store: Store, oidc: bool | None = None) -> auth.User:
    """The signed-in user (OIDC or local) as the account stands now, or the anonymous viewer.

    A local session's account is re-read on every rerun (one small query), so a demoted user's pages drop to
    viewer, and a deactivated user is signed out, at once. `oidc`: whether OIDC is configured, when the caller knows."""
    if (_oidc_configured() if oidc is None else oidc) and getattr(st.user, "is_logged_in", False):
        return auth.role_of(store, str(st.user.get("email", "")))
    user = st.session_state.get("user", auth.ANONYMOUS)
    if user is auth.ANONYMOUS:
        return user
    fresh = auth.active_account(store, user.name)
    if fresh is None:  # deactivated (or removed) since login: signed out
        st.session_state.pop("user", None)
        return auth.ANONYMOUS
    return fresh


def sidebar_login(store: Store) -> auth.User:
    """The login box at the bottom of the sidebar; returns the current user. Stops the page if login is required."""
    oidc = _oidc_configured()
    user = current_user(store, oidc)
    with st.sidebar:
        st.divider()
        if user.role != "viewer" or user is not auth.ANONYMOUS:
            st.caption(t("signed_in_as", name=md(user.name), role=t(f"role_{user.role}")))
            if st.button(t("logout"), key="logout"):
                st.session_state.pop("user", None)
                if oidc:
                    st.logout()
                st.rerun()
        elif oidc:
            st.button(t("login"), key="oidc_login", on_click=st.login)
        else:
            with st.expander(t("staff_login")), st.form("login", border=False):
                name = st.text_input(t("user_name"), key="login_name")
                password = st.text_input(t("password"), type="password", key="login_password")
                if st.form_submit_button(t("login")):
                    attempt = auth.authenticate(store, name, password)
                    if attempt.user is None:
                        st.error(md(attempt.message) if attempt.locked else t("login_failed"))
                    else:
                        st.session_state["user"] = attempt.user
                        st.rerun()
    if load_settings().require_login and user is auth.ANONYMOUS:
        st.info(t("login_required"))
        st.stop()
    return user
