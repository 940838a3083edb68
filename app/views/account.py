"""Mon compte: the signed-in user's own sessions, and logging out of one device or all of them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.security.auth import login_required, logout_user, session_lifetime
from app.services import sessions as session_service

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("")
@login_required
def index() -> Any:
    """The user's account page with the devices where they are signed in."""
    rows = session_service.active_for(session=db(), user=g.user, lifetime=session_lifetime())
    return render_template(
        "account/index.html", sessions=rows, current_session_id=g.get("session_row_id")
    )


@bp.post("/sessions/<int:session_id>/revoke")
@login_required
def revoke(session_id: int) -> Any:
    """Log out one other device (its cookie stops working at once)."""
    if session_id == g.get("session_row_id"):
        abort(400)  # this device logs out with "Se déconnecter"
    if not session_service.end_one(session=db(), user=g.user, session_id=session_id):
        abort(404)
    db().commit()
    flash(_("Cet appareil est déconnecté."), "success")
    return redirect(url_for("account.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere() -> Any:
    """End every session of the user, this one included (a lost laptop, a shared password)."""
    count = session_service.end_all(session=db(), user=g.user, actor=g.user)
    db().commit()
    logout_user()
    flash(_("Vous êtes déconnecté partout (%(count)s session(s) fermée(s)).", count=count), "info")
    return redirect(url_for("auth.login"))
