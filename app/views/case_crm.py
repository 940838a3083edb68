"""The person panel's CRM card: asked after the case page has loaded (htmx), so a slow CRM
never slows the page. A route of the cases blueprint; ``app/views/__init__.py`` imports it."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from app.extensions import db
from app.models import Author, Brand, Mention, Person, Reply
from app.security.auth import permission_required
from app.security.secrets_box import SecretsBox
from app.services import case_references, crm_lookup
from app.views.cases import VIEW, _case, bp

# What a stored failure code means, in the reader's language.
CRM_ERRORS = {
    "unreachable": _l("CRM injoignable (connexion refusée, délai dépassé ou échec TLS)."),
    "private_address": _l("Adresse privée ou locale refusée (VIGIE_ALLOW_PRIVATE_URLS)."),
    "secret_unreadable": _l(
        "Le secret de signature ne se déchiffre plus : saisissez-le à nouveau."
    ),
    "too_large": _l("Réponse du CRM trop volumineuse."),
    "not_json": _l("Réponse du CRM illisible (JSON attendu)."),
}


@bp.get("/<int:case_id>/crm")
@permission_required(VIEW)
def crm_card(case_id: int) -> Any:
    """The customer's card from the brand's CRM (cached; `refresh=1` asks again)."""
    case = _case(case_id)
    session = db()
    brand = session.get(Brand, case.brand_id)
    person = session.get(Person, case.person_id) if case.person_id else None
    if brand is None or person is None or person.brand_id != case.brand_id:
        abort(404)
    authors = list(
        session.exec(
            select(Author).where(Author.person_id == person.id, Author.brand_id == brand.id)
        )
    )
    mentions = session.exec(
        select(Mention).where(Mention.case_id == case.id).order_by(col(Mention.id)).limit(200)
    ).all()
    replies = session.exec(select(Reply).where(Reply.case_id == case.id)).all()
    references = case_references.case_references(mentions, replies)
    card = crm_lookup.lookup(
        session=session,
        brand=brand,
        person=person,
        authors=authors,
        references=references,
        box=SecretsBox(current_app.config["VIGIE_ENCRYPTION_KEY"]),
        allow_private=bool(current_app.config.get("VIGIE_ALLOW_PRIVATE_URLS")),
        refresh=request.args.get("refresh") == "1",
    )
    session.commit()
    if card is None:
        abort(404)
    error = None
    if card.error:
        error = CRM_ERRORS.get(card.error, _l("Le CRM a répondu %(status)s.", status=card.error))
    return render_template("cases/_crm.html", case=case, card=card, error=error)
