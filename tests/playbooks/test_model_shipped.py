"""The shipped playbooks with their learned scorer: what a reviewer would notice.

Sentences written for these tests (not in the training examples, not from third-party data).
"""

from __future__ import annotations

import re

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING


def decide(pb: Playbook, text: str):  # type: ignore[no-untyped-def]
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)


@pytest.mark.parametrize(
    "text",
    [
        "je vais me jeter sur vos promos ce week-end",
        "je vais me pendre au téléphone avec votre hotline toute la matinée",
        "je suis morte de rire devant votre pub",
        "cette attente me tue, deux heures en gare",
        "je me jette à l'eau, je réserve le séjour",
        "je vais me tuer à la tâche pour finir ce dossier avant vendredi",
        "mes collègues se tuent à la tâche depuis la grève",
        # past tense: an effort told, not a plan; "se noyer sous" is always an image
        "je me suis tué au travail toute la semaine pour rien",
        "je me suis crevée pour vous renvoyer ce colis à temps",
        "je vais me noyer sous les formulaires de remboursement",
    ],
)
def test_hyperbole_is_not_escalated(rail: Playbook, shop: Playbook, text: str) -> None:
    for pb in (rail, shop):
        d = decide(pb, text)
        assert d.severity != "S4", (pb.brand, text, d.scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "je vais me jeter sous un train ce soir",
        "ce soir je me jette du pont, adieu",
        "je ne supporte plus de vivre, je veux que tout s'arrête",
        "je vais me tuer ce soir, je n'en peux plus",
        "je compte en finir cette nuit, pardon à tous",
        "je vais me noyer dans la rivière après le travail",
    ],
)
def test_suicidal_statements_are_escalated_urgently(rail: Playbook, text: str) -> None:
    d = decide(rail, text)
    assert d.severity == "S4" and d.action == "escalate_urgent", d.scenarios
    assert "detresse" in d.categories


def test_model_evidence_names_the_score_and_the_words(rail: Playbook) -> None:
    text = "Vous êtes une bande de gros incapables et de voleurs"
    d = decide(rail, text)
    found = [e for e in d.evidence if e.rule == "scenario:insulte_modele" and e.kind == "model"]
    assert found, d.scenarios
    assert re.match(
        r"Modèle : insulte [01],\d\d \(>= 0,\d+\) ; mots qui ont pesé : « ", found[0].explanation
    )
    highlighted = {text[s:e].lower() for s, e in found[0].spans}
    assert highlighted & {"incapables", "voleurs"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("je vais te niquer ta mère à la sortie", "fr"),
        ("you are a fucking idiot", "en"),
    ],
)
def test_general_toxicity_reaches_lead_review(
    rail: Playbook, shop: Playbook, text: str, lang: str
) -> None:
    """Toxic posts no precise label caught (the lexicons miss this threat's wording) go S3."""
    for pb in (rail, shop):
        d = pb.decide(MentionInput(text, lang=lang), now=MONDAY_MORNING)
        assert d.severity in ("S3", "S4"), (pb.brand, text, d.scenarios)
        assert {"toxicite_modele", "insulte_grossiere_modele"} & set(d.scenarios), d.scenarios


@pytest.mark.parametrize(
    "text",
    [
        "putain encore deux heures de retard, c'est la honte",
        "bordel de merde ce train est encore en retard",
        "il ne faut pas dire que les contrôleurs sont des connards",
    ],
)
def test_everyday_swearing_and_counter_speech_stay_below_lead_review(
    rail: Playbook, text: str
) -> None:
    d = decide(rail, text)
    assert not {"toxicite_modele", "insulte_grossiere_modele"} & set(d.scenarios), d.scenarios
