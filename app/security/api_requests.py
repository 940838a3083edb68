"""Token API requests (``/api/…``) skip the console's per-request machinery.

A webhook client in a storm makes hundreds of requests a second, each authenticated by its
bearer token and held to its account's own limit (``webhook_quota``). Every one of them used to
read and verify the signed session cookie, resolve flask-limiter's route limits (the console's
login and form limits: none applies to the API) and answer with the console's page headers —
about a third of a millisecond of CPU per request for nothing. For these paths:

- the session is a fresh empty one: no cookie is read (an API call by token has no console
  session; a cookie sent along is ignored) and none is set unless something writes to it;
- flask-limiter does not look for limits (``limiter.request_filter``);
- the answer carries ``nosniff`` and a CSP that allows nothing, not the console's page headers.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

API_PREFIX = "/api/"
# A JSON answer is never rendered, framed or run: nothing to allow.
API_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
)


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def is_api_request() -> bool:
    """Whether the current request is a token API call."""
    return is_api_path(request.path)


class ConsoleSessions(SecureCookieSessionInterface):
    """The console's signed cookie sessions; API requests get an empty one without reading
    (or verifying) any cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_api_path(request.path):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # Read (as empty) by the console's hooks, written by nobody: no cookie, no Vary.
        if is_api_path(request.path) and not session.modified:
            return
        if is_background_read() and not session.modified:
            # A permanent session's cookie is otherwise written again on every answer, with
            # the session as the request read it. The urgent banner loads with each page: a
            # click right after (Google's consent link) stores a state in the session, and the
            # banner's answer, arriving later, put the old cookie back — the consent came back
            # "unexpected (state)". Page loads keep the expiry sliding.
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def is_background_read() -> bool:
    """An htmx GET (a poll, a part of a page loading): it may be answered after the user's next
    click."""
    return request.method == "GET" and request.headers.get("HX-Request") == "true"


def init_app(app: Flask, limiter: Any) -> None:
    """Sessions and rate limits of the console only; the API keeps its own."""
    app.session_interface = ConsoleSessions()
    if is_api_request not in limiter._request_filters:  # one limiter serves every app
        limiter.request_filter(is_api_request)
