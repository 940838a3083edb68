"""Opening an invitation link: a new person chooses a password, an existing user accepts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db, limiter
from app.models import Brand
from app.security.roles import ROLE_LABELS
from app.services import invitations, users

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def accept(token: str) -> Any:
    """The invited person's page: choose a password, or accept with the account they have."""
    secret_key = current_app.config["SECRET_KEY"]
    invitation = invitations.invitation_for_token(
        session=db(), token=token[:1000], secret_key=secret_key
    )
    if invitation is None:
        return render_template("invitations/accept.html", invalid=True), 410
    brand = db().get(Brand, invitation.brand_id)
    has_account = users.find_by_email(session=db(), email=invitation.email) is not None
    user = g.get("user")
    error = None
    if request.method == "POST":
        try:
            if has_account:
                if user is None:
                    return redirect(url_for("auth.login", next=request.path))
                invitations.accept_as(session=db(), invitation=invitation, user=user)
                db().commit()
                flash(
                    _(
                        "Invitation acceptée : vous avez maintenant accès à %(brand)s.",
                        brand=brand.name if brand else "",
                    ),
                    "success",
                )
                return redirect(url_for("home.index"))
            password = request.form.get("password", "")[:1000]
            if password != request.form.get("confirm", "")[:1000]:
                raise users.UserError(_("Les deux mots de passe ne sont pas identiques."))
            invitations.accept_new(
                session=db(),
                invitation=invitation,
                name=request.form.get("name", "")[:200],
                password=password,
            )
            db().commit()
            flash(
                _("Compte créé. Connectez-vous avec votre adresse et votre mot de passe."),
                "success",
            )
            return redirect(url_for("auth.login"))
        except (users.UserError, invitations.InvitationError) as exc:
            db().rollback()
            error = str(exc)
    return render_template(
        "invitations/accept.html",
        invalid=False,
        invitation=invitation,
        brand=brand,
        role=ROLE_LABELS.get(invitation.role, invitation.role),
        has_account=has_account,
        user=user,
        error=error,
    ), (422 if error else 200)
