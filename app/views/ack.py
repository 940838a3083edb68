"""The public acknowledgement link of an urgent alert: opening it asks to confirm (POST)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from app.extensions import db, limiter
from app.models import Brand, Case
from app.services import answer_clocks

bp = Blueprint("ack", __name__, url_prefix="/ack")


def _escalation(token: str) -> Any:
    escalation = answer_clocks.find_by_ack_token(db(), token)
    if escalation is None:
        abort(404)
    return escalation


@bp.get("/<token>")
@limiter.limit("30/minute")
def show(token: str) -> Any:
    """Ask the on-call person to confirm (a GET must not act: mail scanners open links)."""
    escalation = _escalation(token)
    brand = db().get(Brand, escalation.brand_id)
    return render_template(
        "notifications/ack.html", escalation=escalation, brand=brand, token=token, done=False
    )


@bp.post("/<token>")
@limiter.limit("30/minute")
def confirm(token: str) -> Any:
    """Record the acknowledgement: re-notification stops, the case's history shows it."""
    escalation = _escalation(token)
    answer_clocks.acknowledge(session=db(), escalation=escalation, via="lien d'accusé de réception")
    db().commit()
    brand = db().get(Brand, escalation.brand_id)
    case = db().get(Case, escalation.case_id)
    return render_template(
        "notifications/ack.html",
        escalation=escalation,
        brand=brand,
        token=token,
        done=True,
        case=case,
    )
