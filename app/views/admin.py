"""Admin pages: brands, users and memberships, connector accounts."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlmodel import col, select

from app.extensions import db
from app.models import (
    ROLES,
    SEVERITIES,
    Brand,
    Invitation,
    Membership,
    User,
)
from app.notify.mail import mailer_from_url
from app.params import digits
from app.security import totp, two_factor_reset
from app.security.auth import permission_required
from app.security.roles import ROLE_LABELS
from app.services import brands, invitations, users
from app.services.brands import DAYS, BrandError

bp = Blueprint("admin", __name__, url_prefix="/admin")
ADMIN = "admin.manage"


def _brand_form_values(form: Any) -> dict[str, Any]:
    hours = {}
    for day in DAYS:
        start, end = form.get(f"open_{day}", "").strip(), form.get(f"close_{day}", "").strip()
        if start or end:
            hours[day] = [start, end]
    sla: dict[str, Any] = {}
    for severity in SEVERITIES:
        raw = form.get(f"sla_{severity}", "").strip()
        if raw:  # left empty: this severity follows the playbook
            sla[severity] = int(raw) if digits(raw) else raw
    return {
        "name": form.get("name", "").strip(),
        "timezone": form.get("timezone", "").strip() or "Europe/Paris",
        "languages": form.getlist("languages") or ["fr"],
        "business_hours": hours,
        "sla_minutes": sla,
    }


@bp.get("/brands")
@permission_required(ADMIN)
def brands_list() -> Any:
    """Brands the admin manages."""
    rows = db().exec(g.scope.select(Brand, ADMIN).order_by(Brand.name)).all()
    deadlines = {b.id: brands.deadlines(session=db(), brand=b) for b in rows}
    return render_template("admin/brands.html", brands=rows, deadlines=deadlines)


@bp.route("/brands/new", methods=["GET", "POST"])
@permission_required(ADMIN)
def brand_new() -> Any:
    """Onboard a new brand; its creator becomes its admin."""
    error = None
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _brand_form_values(request.form)
        slug = request.form.get("slug", "").strip()
        try:
            brand = brands.create_brand(session=db(), slug=slug, actor=g.user, **values)
            db().commit()
            flash(_("Marque créée."), "success")
            return redirect(url_for("admin.brand_edit", brand_id=brand.id))
        except BrandError as exc:
            db().rollback()
            error = exc
        values["slug"] = slug
    return render_template(
        "admin/brand_form.html",
        brand=None,
        values=values,
        error=error,
        days=DAYS,
        severities=SEVERITIES,
        deadlines=brands.deadlines(session=db(), brand=Brand(slug="", name="")),
    ), (422 if error else 200)


@bp.route("/brands/<int:brand_id>", methods=["GET", "POST"])
@permission_required(ADMIN)
def brand_edit(brand_id: int) -> Any:
    """A brand's settings: timezone, languages, business hours, SLA targets."""
    brand = g.scope.get_or_404(db(), Brand, brand_id, ADMIN)
    error = None
    typed: dict[str, Any] = {}
    if request.method == "POST":
        typed = _brand_form_values(request.form)
        try:
            brands.update_brand(session=db(), brand=brand, actor=g.user, **typed)
            db().commit()
            flash(_("Réglages enregistrés."), "success")
            return redirect(url_for("admin.brand_edit", brand_id=brand.id))
        except BrandError as exc:
            db().rollback()
            db().refresh(brand)
            error = exc
    return render_template(
        "admin/brand_form.html",
        brand=brand,
        # After a refusal the deadlines typed come back as typed.
        values={"sla_minutes": typed["sla_minutes"]} if error else {},
        error=error,
        days=DAYS,
        severities=SEVERITIES,
        deadlines=brands.deadlines(session=db(), brand=brand),
    ), (422 if error else 200)


@bp.post("/brands/<int:brand_id>/two-factor")
@permission_required(ADMIN)
def brand_two_factor(brand_id: int) -> Any:
    """Require two-factor authentication of every member of the brand (or stop requiring it)."""
    brand = g.scope.get_or_404(db(), Brand, brand_id, ADMIN)
    totp.set_brand_requirement(
        session=db(), brand=brand, required=request.form.get("require_2fa") == "1", actor=g.user
    )
    db().commit()
    flash(_("Réglages enregistrés."), "success")
    return redirect(url_for("admin.brand_edit", brand_id=brand.id) + "#two-factor")


def _visible_users() -> list[User]:
    """Users who hold a role on one of the admin's brands; a superadmin sees every account."""
    stmt = select(User).order_by(User.email)
    if not g.scope.superadmin:
        brand_ids = g.scope.brand_ids(ADMIN)
        member_ids = select(Membership.user_id).where(col(Membership.brand_id).in_(brand_ids))
        stmt = stmt.where(col(User.id).in_(member_ids))
    return list(db().exec(stmt).all())


def _user_or_404(user_id: int) -> User:
    user = next((u for u in _visible_users() if u.id == user_id), None)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@permission_required(ADMIN)
def users_list() -> Any:
    """Users and their roles on the admin's brands, and the invitations still pending."""
    return _users_page()


def _users_page(error: str | None = None, status: int = 200) -> Any:
    brand_ids = g.scope.brand_ids(ADMIN)
    people = _visible_users()
    memberships = db().exec(select(Membership).where(col(Membership.brand_id).in_(brand_ids))).all()
    brand_names = {
        b.id: b.name for b in db().exec(select(Brand).where(col(Brand.id).in_(brand_ids)))
    }
    roles: dict[int, list[str]] = {}
    for m in memberships:
        roles.setdefault(m.user_id, []).append(f"{brand_names[m.brand_id]} · {ROLE_LABELS[m.role]}")
    return render_template(
        "admin/users.html",
        users=people,
        roles=roles,
        invitations=invitations.pending_for(session=db(), brand_ids=brand_ids),
        brand_names=brand_names,
        role_labels=ROLE_LABELS,
        is_expired=invitations.is_expired,
        error=error,
    ), status


def _mail_args() -> dict[str, Any]:
    settings = current_app.config["VIGIE_SETTINGS"]
    return {
        "secret_key": current_app.config["SECRET_KEY"],
        "public_url": settings.public_url,
        "mailer": mailer_from_url(current_app.config.get("VIGIE_SMTP_URL"), settings.mail_from),
    }


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(ADMIN)
def user_new() -> Any:
    """Invite a person by e-mail to a role on one of the admin's brands.

    The answer is the same whether the address has an account or not (on any brand): the
    person accepts through the mailed link, so an admin learns nothing of other brands' users.
    """
    admin_brands = db().exec(g.scope.select(Brand, ADMIN).order_by(Brand.name)).all()
    error = None
    if request.method == "POST":
        brand = next((b for b in admin_brands if str(b.id) == request.form.get("brand_id")), None)
        role = request.form.get("role", "")
        try:
            if brand is None or role not in ROLES:
                raise users.UserError(_("Choisissez une marque et un rôle."))
            invitation = invitations.invite(
                session=db(),
                brand=brand,
                email=request.form.get("email", "")[:300],
                role=role,
                actor=g.user,
                **_mail_args(),
            )
            db().commit()
            flash(
                _(
                    "Invitation envoyée à %(email)s : le rôle sera actif quand la personne "
                    "l'aura acceptée (lien valable %(days)s jours).",
                    email=invitation.email,
                    days=invitations.INVITATION_DAYS,
                ),
                "success",
            )
            return redirect(url_for("admin.users_list"))
        except users.UserError as exc:
            db().rollback()
            error = str(exc)
    return render_template(
        "admin/user_new.html",
        smtp_configured=bool(current_app.config.get("VIGIE_SMTP_URL")),
        brands=admin_brands,
        roles=ROLES,
        role_labels=ROLE_LABELS,
        error=error,
    ), (422 if error else 200)


@bp.post("/invitations/<int:invitation_id>/resend")
@permission_required(ADMIN)
def invitation_resend(invitation_id: int) -> Any:
    """Send a pending invitation again: a new link and expiry, the earlier links stop working."""
    return _invitation_action(invitation_id, "resend")


@bp.post("/invitations/<int:invitation_id>/revoke")
@permission_required(ADMIN)
def invitation_revoke(invitation_id: int) -> Any:
    """Withdraw a pending invitation: its link stops working."""
    return _invitation_action(invitation_id, "revoke")


def _invitation_action(invitation_id: int, action: str) -> Any:
    invitation = g.scope.get_or_404(db(), Invitation, invitation_id, ADMIN)
    try:
        if action == "resend":
            invitations.resend(session=db(), invitation=invitation, actor=g.user, **_mail_args())
            message = _("Invitation envoyée à %(email)s.", email=invitation.email)
        else:
            invitations.revoke(session=db(), invitation=invitation, actor=g.user)
            message = _("Invitation retirée.")
    except users.UserError as exc:
        db().rollback()
        return _users_page(str(exc), 409)
    db().commit()
    flash(message, "success")
    return redirect(url_for("admin.users_list") + "#invitations")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(ADMIN)
def user_edit(user_id: int) -> Any:
    """One user's memberships on the admin's brands; grant, revoke, reset password, deactivate."""
    user = _user_or_404(user_id)
    admin_brands = db().exec(g.scope.select(Brand, ADMIN).order_by(Brand.name)).all()
    brand_ids = [b.id for b in admin_brands]
    error = None
    status = 200
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "grant":
                brand = next(
                    (b for b in admin_brands if str(b.id) == request.form.get("brand_id")), None
                )
                if brand is None:
                    raise users.UserError(_("Marque inconnue."))
                users.grant(
                    session=db(),
                    user=user,
                    brand=brand,
                    role=request.form.get("role", ""),
                    actor=g.user,
                )
            elif action == "revoke":
                membership = db().get(Membership, int(request.form.get("membership_id", 0)))
                if (
                    membership is None
                    or membership.user_id != user.id
                    or membership.brand_id not in brand_ids
                ):
                    abort(404)
                users.revoke(session=db(), membership=membership, actor=g.user)
            elif action == "password":
                users.set_password(
                    session=db(), user=user, password=request.form.get("password", ""), actor=g.user
                )
            elif action == "reset_2fa":
                two_factor_reset.reset_two_factor(
                    session=db(), user=user, actor=g.user, mailer=_mail_args()["mailer"]
                )
            elif action in ("activate", "deactivate"):
                if user.id == g.user.id:
                    raise users.UserError(_("Vous ne pouvez pas désactiver votre propre compte."))
                users.set_active(session=db(), user=user, active=action == "activate", actor=g.user)
            else:
                abort(400)
            db().commit()
            flash(_("Modification enregistrée."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
        except users.UserError as exc:
            db().rollback()
            db().refresh(user)
            error = str(exc)
            status = 403 if isinstance(exc, users.UserForbidden) else 422
    memberships = (
        db()
        .exec(
            select(Membership).where(
                Membership.user_id == user.id, col(Membership.brand_id).in_(brand_ids)
            )
        )
        .all()
    )
    names = {b.id: b.name for b in admin_brands}
    return render_template(
        "admin/user_edit.html",
        user=user,
        memberships=memberships,
        brand_names=names,
        brands=admin_brands,
        roles=ROLES,
        role_labels=ROLE_LABELS,
        error=error,
        can_manage=users.may_manage_account(session=db(), actor=g.user, target=user),
        two_factor_on=totp.is_enabled(user),
    ), status
