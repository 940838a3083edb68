"""Sessions: who is logged in, for how long, and the decorators views use."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import User
from app.security.access import BrandScope
from app.services import sessions as session_service

F = TypeVar("F", bound=Callable[..., Any])

SESSION_LIFETIME_SECONDS = 12 * 3600


def session_lifetime() -> timedelta:
    """How long a login lasts (12 hours unless configured)."""
    return timedelta(
        seconds=current_app.config.get("VIGIE_SESSION_LIFETIME", SESSION_LIFETIME_SECONDS)
    )


def login_user(user: User) -> None:
    """Start a fresh server-side session for the user (the old session id is dropped); commits."""
    token = session_service.start(
        session=db(),
        user=user,
        ip=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
        lifetime=session_lifetime(),
    )
    db().commit()
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["sid"] = token
    session["sv"] = user.session_version
    session["at"] = int(time.time())
    session["lang"] = user.locale


def logout_user() -> None:
    """End this session on the server too: a copy of the cookie no longer opens anything."""
    if session_service.end(session=db(), token=session.get("sid")) is not None:
        db().commit()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def load_current_user() -> None:
    """Before each request: resolve the user and their brand scope, expiring old sessions."""
    g.user = None
    g.scope = BrandScope(None)
    g.session_expired = False
    uid = session.get("uid")
    if uid is None:
        return
    lifetime = session_lifetime()
    if time.time() - session.get("at", 0) > lifetime.total_seconds():
        logout_user()
        g.session_expired = True
        return
    # The user, their session row and their memberships in one read (every request of every
    # CM makes it).
    found = session_service.find_active_with_memberships(
        session=db(), user_id=uid, token=session.get("sid"), lifetime=lifetime
    )
    user = found[0] if found else None
    # None: logged out (here or everywhere), revoked from another device, expired, or the user
    # is gone, deactivated or changed password since.
    if user is None or not user.is_active or user.session_version != session.get("sv"):
        logout_user()
        g.session_expired = True
        return
    assert found is not None
    row = found[1]
    if session_service.touch(session=db(), row=row):
        db().commit()
    g.session_row_id = row.id
    g.user = user
    g.scope = BrandScope.for_user(db(), user, found[2])


def _to_login() -> Any:
    if g.get("session_expired"):
        flash(_("Votre session a expiré. Reconnectez-vous."), "warning")
    else:
        flash(_("Connectez-vous pour continuer."), "info")
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def login_required(view: F) -> F:
    """Send anonymous visitors to the login page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return _to_login()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def permission_required(permission: str) -> Callable[[F], F]:
    """Logged in and holding the permission on at least one brand, else 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                return _to_login()
            if not g.scope.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
