"""The demo brands' crisis playbooks: what an editor prepares with the brand before a storm.

Derived from the shipped playbook: a holding statement approved by the brand (a canned reply),
a "storm wave" scenario that suggests it, delegation loosened so the agency sends it alone
(VIP and Platine customers included), and answer deadlines suited to a wave.
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlmodel import Session

import playbooks
from app.models import Brand, Playbook, User
from app.services import content, crisis

WAVE_WORDS = (
    "panne",
    "en panne",
    "aucune info",
    "aucune information",
    "zéro information",
    "grève surprise",
)
HOLDING = {
    "demo-rail": (
        "rail.crise.attente",
        "Bonjour {{ prenom }}, nous sommes désolés : le trafic est fortement perturbé. Nos "
        "équipes sont mobilisées et les informations sont mises à jour en continu sur "
        "{{ lien }}. Vos billets sont échangeables et remboursables sans frais.",
        ["greve", "annulation"],
    ),
    "demo-shop": (
        "shop.crise.attente",
        "Bonjour {{ prenom }}, nous sommes désolés pour ce désagrément : nos équipes "
        "rétablissent le service au plus vite. Votre commande est conservée et aucun frais "
        "ne vous sera facturé.",
        ["paiement", "commande", "colere"],
    ),
}


def crisis_variant(source: str, slug: str) -> str:
    """The crisis variant of a playbook text (YAML in, YAML out; comments are not kept)."""
    key, _body, lexicon_scenarios = HOLDING.get(slug, HOLDING["demo-rail"])
    data: dict[str, Any] = yaml.safe_load(source)
    data["name"] = f"{data.get('name', slug)} — crise"
    data["description"] = (
        "Variante de crise préparée avec la marque : message d'attente approuvé, délégation "
        "élargie pour ce message, délais adaptés à une vague."
    )
    data["replies_library"] = [*data.get("replies_library", []), key]
    # The storm's words: a wave scenario placed before the ordinary complaints, so the
    # holding statement comes first.
    wave = {
        "id": "vague_crise",
        "label": "Vague de crise (message d'attente)",
        "when": {"keywords": list(WAVE_WORDS)},
        "severity": "S2",
        "categories": ["crise"],
        "replies": [key],
    }
    scenarios = list(data.get("scenarios", []))
    first_s2 = next(
        (i for i, s in enumerate(scenarios) if s.get("severity") == "S2"), len(scenarios)
    )
    data["scenarios"] = [*scenarios[:first_s2], wave, *scenarios[first_s2:]]
    for scenario in data["scenarios"]:
        if scenario.get("id") in lexicon_scenarios:
            scenario["replies"] = [key, *scenario.get("replies", [])]
    data["delegation"] = [
        {
            "id": "crise-message-attente",
            "note": "En crise, l'agence envoie seule le message d'attente, clients VIP compris.",
            "when": {"severity": "S2"},
            "action": "reply",
        },
        *data.get("delegation", []),
    ]
    sla = dict(data.get("sla") or {})
    sla["minutes"] = {"S1": 240, "S2": 120, "S3": 45, "S4": 10}
    sla["max_minutes"] = 360
    sla["business_hours_only"] = False
    data["sla"] = sla
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def install_crisis_playbook(
    *, session: Session, brand: Brand, actor: User | None = None
) -> Playbook | None:
    """Publish the brand's crisis variant and its approved holding statement (demo brands)."""
    if crisis.crisis_playbook(session=session, brand_id=brand.id) is not None:  # type: ignore[arg-type]
        return None
    key, body, scenarios = HOLDING.get(brand.slug, HOLDING["demo-rail"])
    content.upsert_canned_reply(
        session=session,
        brand=brand,
        key=key,
        language="fr",
        title="Crise — message d'attente (approuvé par la marque)",
        body=body,
        scenarios=scenarios,
        channels=[],
        status="approved",
        actor=actor,
    )
    source = playbooks.shipped_playbook_path(brand.slug).read_text(encoding="utf-8")
    return content.save_playbook(
        session=session,
        brand=brand,
        source=crisis_variant(source, brand.slug),
        actor=actor,
        publish=True,
        kind="crisis",
    )
