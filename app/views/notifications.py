"""The bell (unread count polled by every page), the notifications list and the mail sink."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, url_for
from sqlmodel import col, select

from app.extensions import db, htmx
from app.models import Brand, OutgoingMessage
from app.security.auth import login_required, permission_required
from app.services import notifications

bp = Blueprint("notifications", __name__)


def _visible_brand_ids() -> list[int]:
    return sorted(g.scope.roles_by_brand)


@bp.get("/notifications/_badge")
def badge() -> Any:
    """The bell with the unread count (empty for anonymous visitors: the poller stays quiet)."""
    if g.get("user") is None:
        return ""
    count = notifications.unread_count(session=db(), user=g.user, brand_ids=_visible_brand_ids())
    return render_template("notifications/_badge.html", unread=count)


@bp.get("/notifications")
@login_required
def index() -> Any:
    """The user's notifications, newest first; the unread ones stand out."""
    rows = notifications.recent(session=db(), user=g.user, brand_ids=_visible_brand_ids())
    return render_template("notifications/index.html", rows=rows)


@bp.post("/notifications/read")
@login_required
def mark_read() -> Any:
    """Mark every notification as read."""
    notifications.mark_all_read(session=db(), user=g.user)
    db().commit()
    if htmx:
        return render_template("notifications/_badge.html", unread=0)
    return redirect(url_for("notifications.index"))


@bp.get("/admin/mail")
@permission_required("admin.manage")
def mail() -> Any:
    """What Vigie sent (e-mails and webhooks) for the admin's brands: the demo's inbox."""
    brand_ids = g.scope.brand_ids("admin.manage")
    rows = list(
        db().exec(
            select(OutgoingMessage)
            .where(col(OutgoingMessage.brand_id).in_(brand_ids))
            .order_by(col(OutgoingMessage.created_at).desc(), col(OutgoingMessage.id).desc())
            .limit(200)
        )
    )
    brands = {b.id: b.name for b in db().exec(select(Brand).where(col(Brand.id).in_(brand_ids)))}
    return render_template("notifications/mail.html", rows=rows, brands=brands)
