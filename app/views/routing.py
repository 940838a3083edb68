"""Routing settings for a brand's leads: the switch, CMs' profiles and shifts, rebalancing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import col, select

from app.extensions import db
from app.models import SENIORITIES, Brand, Case, User
from app.params import digits
from app.security.auth import permission_required
from app.services import audit, routing, routing_profiles, shifts
from app.ui.navigation import NavItem, register

bp = Blueprint("routing", __name__, url_prefix="/routing")
PERMISSION = "case.lead"
register(NavItem("routing.index", _l("Routage"), PERMISSION), before="reports.index")


def _brand(brand_id: int) -> Brand:
    return g.scope.get_or_404(db(), Brand, brand_id, PERMISSION)


@bp.get("/")
@permission_required(PERMISSION)
def index() -> Any:
    brand_ids = g.scope.brand_ids(PERMISSION)
    raw = request.args.get("brand", "")
    chosen = int(raw) if digits(raw) and int(raw) in brand_ids else brand_ids[0]
    brands = db().exec(select(Brand).where(col(Brand.id).in_(brand_ids))).all()
    brand = _brand(chosen)
    on_shift = set(shifts.on_shift_user_ids(session=db(), brand_id=chosen))
    counts = dict(
        db()
        .exec(
            select(Case.assignee_id, func.count())
            .where(Case.brand_id == chosen, Case.status != "closed")
            .group_by(col(Case.assignee_id))
        )
        .all()
    )
    people = [
        {
            "user": user,
            "profile": row,
            "on_shift": user.id in on_shift,
            "open": counts.get(user.id, 0),
            "schedule": routing_profiles.schedule_text(row.schedule if row else None),
        }
        for user, row in routing_profiles.brand_cms(session=db(), brand_id=chosen)
    ]
    return render_template(
        "routing/index.html",
        brands=sorted(brands, key=lambda b: b.name),
        brand=brand,
        enabled=routing.routing_enabled(brand),
        people=people,
        unassigned=counts.get(None, 0),
        seniorities=SENIORITIES,
        default_cap=routing_profiles.DEFAULT_MAX_OPEN,
    )


def _back(brand_id: int) -> Any:
    return redirect(url_for("routing.index", brand=brand_id))


@bp.post("/<int:brand_id>/switch")
@permission_required(PERMISSION)
def switch(brand_id: int) -> Any:
    brand = _brand(brand_id)
    on = request.form.get("enabled") == "1"
    before = routing.routing_enabled(brand)
    brand.settings = {**(brand.settings or {}), "routing_enabled": on}
    db().add(brand)
    audit.record(
        session=db(),
        action="routing.switched",
        target_type="brand",
        target_id=brand_id,
        brand_id=brand_id,
        actor=g.user,
        before={"routing_enabled": before},
        after={"routing_enabled": on},
    )
    db().commit()
    if on:
        routing.route_brand(session=db(), brand=brand, actor=g.user)
        db().commit()
    flash(_("Routage activé.") if on else _("Routage désactivé."), "success")
    return _back(brand_id)


@bp.post("/<int:brand_id>/profiles/<int:user_id>")
@permission_required(PERMISSION)
def save_profile(brand_id: int, user_id: int) -> Any:
    _brand(brand_id)
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    try:
        routing_profiles.save_profile(
            session=db(),
            brand_id=brand_id,
            user=user,
            actor=g.user,
            form={k: str(v)[:2000] for k, v in request.form.items()},
        )
    except routing_profiles.ProfileError as exc:
        db().rollback()
        flash(_("Profil refusé : %(what)s", what=str(exc)), "error")
        return _back(brand_id)
    db().commit()
    flash(_("Profil de %(who)s enregistré.", who=user.name or user.email), "success")
    return _back(brand_id)


@bp.post("/<int:brand_id>/rebalance")
@permission_required(PERMISSION)
def rebalance(brand_id: int) -> Any:
    brand = _brand(brand_id)
    moved = routing.rebalance(session=db(), brand=brand, actor=g.user)
    db().commit()
    flash(_("Rééquilibrage : %(n)s cas déplacé(s).", n=moved), "success")
    return _back(brand_id)
