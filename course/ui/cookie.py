"""The browser side of sign-in: trade a single-use handoff code for the HttpOnly cookie."""

from __future__ import annotations

import streamlit as st

# The page never sees the cookie's token: the browser POSTs the handoff code to /auth/cookie,
# whose response sets the HttpOnly cookie. A reload then finds the cookie in st.context.cookies.
_JS = """
export default function (component) {
  const { data } = component;
  if (!data || !data.url || window.__snsSent === data.nonce) return;
  window.__snsSent = data.nonce;
  fetch(data.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ handoff: data.handoff || "" }),
  }).catch(() => { window.__snsSent = null; });
}
"""
_COMPONENT = st.components.v2.component("sns_cookie", html="<span></span>", js=_JS)


def issue(handoff: str) -> None:
    """Ask the browser to fetch the sign-in cookie for this handoff code."""
    _COMPONENT(
        data={"url": "/auth/cookie", "handoff": handoff, "nonce": handoff},
        key="sns_cookie_issue",
        height=0,
    )


def clear(nonce: str) -> None:
    """Ask the browser to drop the sign-in cookie (the session is already revoked)."""
    _COMPONENT(data={"url": "/auth/signout", "nonce": nonce}, key="sns_cookie_clear", height=0)
