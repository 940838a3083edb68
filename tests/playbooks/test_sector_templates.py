"""The sector templates a new brand starts from (issue 18, part 7): each loads, judges its
sector's everyday mentions sensibly, keeps the shared safety scenarios, and names only reply
keys its starter library provides."""

from __future__ import annotations

import pytest
import yaml

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.loader import SHIPPED_DIR
from tests.playbooks.conftest import MONDAY_MORNING

SECTORS = ("sector-bank", "sector-telecom", "sector-public")
SAFETY = {"menace", "detresse", "insulte", "harcelement", "haine_groupe", "juridique", "presse"}

# (text, severity, a scenario the decision must name)
CASES = {
    "sector-bank": [
        ("Je viens de recevoir un SMS frauduleux qui se fait passer pour vous", "S3", "fraude"),
        (
            "Il y a des opérations inconnues sur mon compte, je n'ai jamais fait ce paiement",
            "S3",
            "fraude",
        ),
        (
            "Ma carte est bloquée depuis ce matin, impossible de payer mes courses",
            "S2",
            "carte_bloquee",
        ),
        (
            "Vous m'avez prélevé deux fois l'assurance ce mois-ci, c'est scandaleux",
            "S2",
            "prelevement",
        ),
        ("Mon conseiller ne répond jamais, agence injoignable depuis 2 semaines", "S2", "agence"),
        ("Merci à ma conseillère pour son aide, très efficace !", "S1", "compliment"),
        ("Quels sont les horaires de l'agence de Lyon ?", "S1", "question"),
    ],
    "sector-telecom": [
        (
            "Plus d'internet depuis 3 jours, ma box clignote, c'est inadmissible",
            "S2",
            "panne_reseau",
        ),
        ("Le technicien n'est jamais venu pour le raccordement fibre, problème", "S2", "fibre"),
        (
            "Ma facture a encore augmenté avec 30 euros de hors forfait, inadmissible",
            "S2",
            "facture",
        ),
        ("Panne réseau : impossible d'appeler les secours pour ma mère", "S4", "urgence_appel"),
        ("Je veux résilier, vous êtes nuls, frais de résiliation scandaleux", "S2", "resiliation"),
        ("Comment obtenir mon code RIO pour la portabilité ?", "S1", "question"),
        ("Merci au conseiller de la boutique, super efficace", "S1", "compliment"),
    ],
    "sector-public": [
        (
            "Mon dossier de titre de séjour est en attente depuis 6 mois, aucune réponse",
            "S2",
            "delais",
        ),
        ("Impossible d'avoir un rendez-vous, aucun créneau disponible", "S2", "rendez_vous"),
        ("Trois heures d'attente au guichet, accueil lamentable", "S2", "accueil"),
        ("Mon allocation n'a pas été versée ce mois-ci, problème", "S2", "versement"),
        ("Comment faire la démarche pour renouveler mon passeport ?", "S1", "demande_demarche"),
        ("Merci à l'agent de l'accueil, très aimable", "S1", "compliment"),
    ],
}
# Every sector escalates threats and distress at once, and insults need a lead's approval.
SAFETY_CASES = [
    ("Je vais venir dans vos locaux avec un couteau", "S4", "menace"),
    ("Je n'en peux plus, je veux en finir avec la vie", "S4", "detresse"),
    ("Bande de connards incompétents", "S3", "insulte"),
]


@pytest.fixture(scope="module", params=SECTORS)
def template(request) -> tuple[str, Playbook]:
    return request.param, load_playbook_file(shipped_playbook_path(request.param))


def _decide(pb: Playbook, text: str):
    return pb.decide(MentionInput(text, posted_at=MONDAY_MORNING), now=MONDAY_MORNING)


def test_each_template_judges_its_sectors_mentions(template):
    slug, pb = template
    for text, severity, scenario in CASES[slug]:
        decision = _decide(pb, text)
        assert (decision.severity, scenario in decision.scenarios) == (severity, True), text


def test_each_template_keeps_the_shared_safety_scenarios(template):
    _slug, pb = template
    assert {s.id for s in pb.spec.scenarios} >= SAFETY
    for text, severity, scenario in SAFETY_CASES:
        decision = _decide(pb, text)
        assert decision.severity == severity and scenario in decision.scenarios, text
    assert _decide(pb, "Je vais venir dans vos locaux avec un couteau").action == "escalate_urgent"


def test_each_template_has_delegation_deadlines_and_documented_reply_keys(template):
    slug, pb = template
    data = yaml.safe_load(shipped_playbook_path(slug).read_text(encoding="utf-8"))
    assert data["delegation"] and data["sla"]["minutes"]["S4"] == 15
    assert any(rule.get("approver") == "brand" for rule in data["delegation"])
    documented = (SHIPPED_DIR / "REPLY_KEYS.md").read_text(encoding="utf-8")
    assert pb.reply_keys
    for key in pb.reply_keys:
        assert f"`{key}`" in documented, key
