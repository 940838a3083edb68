"""Sector templates for a new brand: a shipped playbook and its starter canned replies per sector.

Transport and retail start from the demo brands' playbooks (a rail operator, an online shop);
bank/insurance, telecom and public service have their own (`playbooks/shipped/sector-*.yaml`,
`canned_replies/shipped/sector-*.yaml`). All share the safety scenarios (threats, distress,
insults, hate) and the shared lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

import canned_replies
import playbooks
from app.models import Brand, User
from app.services import audit
from app.services.content import install_library_reply


@dataclass(frozen=True)
class Sector:
    """One sector the wizard offers: its label, what it covers, the shipped files it uses."""

    key: str
    label: object
    covers: object
    slug: str  # the shipped playbook and canned-reply library


SECTORS: dict[str, Sector] = {
    s.key: s
    for s in (
        Sector(
            "transport",
            _l("Transport"),
            _l("retards, annulations, grève, remboursements, objets perdus, accessibilité"),
            "demo-rail",
        ),
        Sector(
            "retail",
            _l("Commerce, vente en ligne"),
            _l("livraison, retours, remboursements, produits défectueux, paiement"),
            "demo-shop",
        ),
        Sector(
            "bank",
            _l("Banque, assurance"),
            _l("fraude et hameçonnage, carte bloquée, prélèvements, agence, sinistres, crédit"),
            "sector-bank",
        ),
        Sector(
            "telecom",
            _l("Télécoms"),
            _l("panne de réseau, fibre, facture, résiliation, carte SIM, boutique"),
            "sector-telecom",
        ),
        Sector(
            "public",
            _l("Service public"),
            _l("démarches, délais, rendez-vous, accueil, versements, urgence sociale"),
            "sector-public",
        ),
    )
}


class UnknownSector(ValueError):
    """Not one of the sectors the wizard offers."""


def sector(key: str) -> Sector:
    try:
        return SECTORS[key]
    except KeyError as exc:
        raise UnknownSector(key) from exc


def template_source(key: str, brand: Brand) -> str:
    """The sector's playbook text, named for the brand (the rest is the template as shipped)."""
    source = playbooks.shipped_playbook_path(sector(key).slug).read_text(encoding="utf-8")
    source = re.sub(r"(?m)^brand: .*$", f"brand: {brand.slug}", source, count=1)
    name = brand.name.replace('"', "'")
    return re.sub(r"(?m)^name: .*$", f'name: "{name} — playbook"', source, count=1)


def starter_replies(key: str) -> list[canned_replies.CannedReplyDef]:
    """The sector's starter canned replies (French first, English where shipped)."""
    path = canned_replies.shipped_library_path(sector(key).slug)
    return canned_replies.load_library(path)


def install_replies(
    *, session: Session, brand: Brand, key: str, picked: list[str], actor: User | None
) -> list[str]:
    """Install the picked starter replies (every language of each key); returns the keys."""
    wanted = set(picked)
    installed: list[str] = []
    for item in starter_replies(key):
        if item.key not in wanted:
            continue
        install_library_reply(session=session, brand=brand, item=item, actor=actor)
        if item.key not in installed:
            installed.append(item.key)
    audit.record(
        session=session,
        action="onboarding.replies_installed",
        target_type="brand",
        target_id=brand.id,
        brand_id=brand.id,
        actor=actor,
        after={"sector": key, "replies": installed},
    )
    return installed
