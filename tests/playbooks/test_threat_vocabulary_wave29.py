"""Wave 29 (issue 13, wp/threat29): threat vocabulary, not constructions.

Every sentence is written for these tests (none is a probe row). The threats use the verbs,
weapons, harms and brand staff the lexicons gained in wave 29, in slang and inflected forms
(« schlasser », « dérouiller », « zigouiller », « je schlasse la caissière », « finir en chaise
roulante »); they must be urgent (S4) in every shipped playbook. The look-alikes borrow the
same words for a game, a sport, the kitchen, an everyday image or a report of someone else's
words, and must not be.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

THREATS = [
    # new verbs of violence and their slang, in the first person's future
    "je vais te schlasser sale menteur, tu m'as volé mes économies",
    "on va vous zigouiller un par un si vous continuez à nous mentir",
    "j'vais te dérouiller à la sortie de ton boulot",
    "je vais venir te saigner devant ton agence",
    # a verb and a member of the brand's staff, side by side
    "je schlasse la caissière demain si elle me refait le coup",
    "prochaine fois je fracasse le gérant, il sait pourquoi",
    "je vais étrangler ce caissier qui m'a humilié devant tout le monde",
    "on va trucider le vigile qui a frappé mon petit frère",
]

HARMLESS = [
    # games and sport
    "je vais te schlasser au prochain tournoi de Fortnite, prépare-toi",
    "on va les fumer au match de samedi, les gars sont chauds",
    # cooking and shopping
    "je plante la tente au camping et je fracasse les prix du marché avec mes courgettes",
    "le gérant m'a conseillé de saigner le canard avant de le rôtir, recette au top",
    # everyday images
    "cette série m'a tuée, j'ai fini en chaise longue tout le week-end",
    "je suis mort de rire, le caissier chantait du Johnny en scannant mes yaourts",
    # getting off a bus, leaving a salesman standing
    "je descends le chauffeur du car au prochain arrêt, il m'a rendu ma monnaie",
    "je plante le vendeur là et je vais voir ailleurs, trop cher",
    # reported words, denied words
    "il m'a dit « je vais te zigouiller » et j'ai porté plainte, merci de transmettre",
    "je ne vais pas étrangler le caissier, rassurez-vous, je veux juste un remboursement",
]


@pytest.mark.parametrize("text", THREATS)
def test_threat_vocabulary_is_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4", text


@pytest.mark.parametrize("text", HARMLESS)
def test_look_alikes_are_not_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4", text
