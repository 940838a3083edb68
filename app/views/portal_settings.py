"""The brand portal's settings page: answer deadlines, fallback chain and alert contacts.

A route of the ``portal`` blueprint (same URL and endpoint name) in its own room;
``app/views/__init__.py`` imports this module so that it is registered.
"""

from __future__ import annotations

from typing import Any

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app.extensions import db
from app.models import User
from app.params import digits
from app.security.auth import permission_required
from app.security.outbound import OutboundURLError, check_outbound_url
from app.security.secrets_box import SecretsBox
from app.services import (
    answer_settings,
    notifications,
)
from app.services.escalations import EscalationError
from app.views.portal import PORTAL, _brands, _chosen_brand, bp


def _settings_from_form(
    form: Any, current: answer_settings.ClockSettings, box: SecretsBox
) -> answer_settings.ClockSettings:
    def minutes(name: str, default: int) -> int:
        raw = (form.get(name) or "").strip()
        if not raw:
            return default
        if not digits(raw) or not 1 <= int(raw) <= 7 * 24 * 60:
            raise EscalationError(_l("Les délais se donnent en minutes, entre 1 et 10080."))
        return int(raw)

    emails = [e.strip() for e in (form.get("on_call") or "").replace(",", "\n").splitlines()]
    emails = [e for e in emails if e]
    if any("@" not in e or " " in e or len(e) > 254 for e in emails):
        raise EscalationError(_l("Une adresse d'astreinte n'est pas une adresse e-mail."))
    allow_private = bool(current_app.config.get("VIGIE_ALLOW_PRIVATE_URLS"))

    def hook(name: str, current_url: str) -> str:
        raw = (form.get(name) or "").strip()
        if form.get(f"{name}_clear") == "1":
            return ""
        if not raw:
            return current_url  # chat URLs are never shown back: empty keeps the stored one
        try:
            return check_outbound_url(raw, allow_private=allow_private)
        except OutboundURLError as exc:
            raise EscalationError(f"{labels[name]} : {exc}") from exc

    labels = {
        "webhook_url": _("Webhook"),
        "slack_url": _("Slack"),
        "teams_url": _("Microsoft Teams"),
    }
    url = (form.get("webhook_url") or "").strip()
    if url:
        url = hook("webhook_url", "")
    sealed = current.webhook_secret_sealed
    secret = (form.get("webhook_secret") or "").strip()
    if secret:
        sealed = answer_settings.seal_webhook_secret(box, secret)
    chain = [int(v) for v in form.getlist("owner_chain") if digits(v)]
    return answer_settings.ClockSettings(
        approval_minutes=minutes("approval_minutes", current.approval_minutes),
        escalation_minutes={
            "normal": minutes("escalation_normal", current.escalation_minutes["normal"]),
            "urgent": minutes("escalation_urgent", current.escalation_minutes["urgent"]),
        },
        reminder_minutes={
            "normal": minutes("reminder_normal", current.reminder_minutes["normal"]),
            "urgent": minutes("reminder_urgent", current.reminder_minutes["urgent"]),
        },
        owner_chain=list(dict.fromkeys(chain)),
        lead_fallback=form.get("lead_fallback") == "1",
        on_call=emails[:20],
        webhook_url=url[:500],
        webhook_secret_sealed=sealed,
        slack_url=hook("slack_url", current.slack_url),
        teams_url=hook("teams_url", current.teams_url),
        holding_update_minutes=minutes("holding_update_minutes", current.holding_update_minutes),
    )


@bp.route("/portal/settings", methods=["GET", "POST"])
@permission_required(PORTAL)
def settings() -> Any:
    """Deadlines, the fallback chain, on-call contacts and the alert webhook of the brand."""
    brands = _brands()
    brand = _chosen_brand(brands)
    assert brand.id is not None
    current = answer_settings.clock_settings(brand)
    owner_ids = notifications.users_with_role(session=db(), brand_id=brand.id, role="brand_owner")
    owners = list(db().exec(select(User).where(col(User.id).in_(owner_ids))))
    error = None
    if request.method == "POST":
        box = SecretsBox(current_app.config["VIGIE_ENCRYPTION_KEY"])
        try:
            new = _settings_from_form(request.form, current, box)
            new.owner_chain = [u for u in new.owner_chain if u in owner_ids]
            answer_settings.save_clock_settings(
                session=db(), brand=brand, actor=g.user, settings=new, box=box
            )
            db().commit()
            flash(_("Réglages enregistrés."), "success")
            return redirect(url_for("portal.settings", brand=brand.id))
        except EscalationError as exc:
            db().rollback()
            error = str(exc)
    return render_template(
        "portal/settings.html",
        brands=brands,
        brand=brand,
        current=current,
        owners=owners,
        error=error,
    ), (422 if error else 200)
