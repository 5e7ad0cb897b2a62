"""Service, Not Spectacle: the web entry point (`streamlit run app.py`).

The pages live in course/ui; this wrapper adds the two HTTP routes that set and clear the
HttpOnly sign-in cookie, and applies migrations and prints the first-admin setup code at start.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from course import config

ROUTER = Path(__file__).resolve().parent / "course" / "ui" / "router.py"


async def issue_cookie(request: Request) -> JSONResponse:
    from course.services import accounts

    try:
        handoff = str((await request.json()).get("handoff", ""))
    except ValueError:
        handoff = ""
    token = accounts.redeem_handoff(handoff) if handoff else None
    if token is None:
        return JSONResponse({"ok": False}, status_code=400)
    response = JSONResponse({"ok": True})
    response.set_cookie(
        config.COOKIE_NAME,
        token,
        max_age=config.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def clear_cookie(request: Request) -> JSONResponse:
    from course.services import accounts

    if token := request.cookies.get(config.COOKIE_NAME):
        found = accounts.account(token)
        if found is not None:
            accounts.sign_out(found.session_id)
    response = JSONResponse({"ok": True})
    response.delete_cookie(config.COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response


@asynccontextmanager
async def lifespan(_app: st.App):  # type: ignore[no-untyped-def]
    from course import setup_code
    from course.services import accounts
    from course.store import migrate

    migrate.upgrade_on_start(config.database_url())
    if code := accounts.issue_setup_code():
        print(setup_code.announce(code), flush=True)
    else:
        setup_code.forget()
    yield


app = st.App(
    ROUTER,
    routes=[
        Route("/auth/cookie", issue_cookie, methods=["POST"]),
        Route("/auth/signout", clear_cookie, methods=["POST"]),
    ],
    lifespan=lifespan,
)
