"""The writer's own existence denied or tired of, and the body found after (wave 46, issue 13);
and, in the same wave, "passer à l'acte contre" a person.

Explicit forms of suicidal thought that say life without the verb "vivre" ("fatiguée d'être
vivante", "las d'exister", "fatigué de respirer"), deny the writer's right to exist ("les gens
comme moi ne devraient pas exister"), speak of the writer's body found ("quand on trouvera mon
corps") or of joining a dead loved one ("il est mort et je vais le rejoindre") reach S4 in every
shipped playbook. Their look-alikes stay below S4: what one is tired of breathing, someone
else's existence or a service's denied, joining someone who moved away. Every sentence is
written for these tests (none is a probe row).
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING

OWN_EXISTENCE = [
    "Je suis fatiguée d'être vivante, ce soir je range tout.",
    "je suis las d'exister, vraiment",
    "Honnêtement je suis fatigué de respirer.",
    "Les gens comme moi ne devraient pas exister, je vais régler ça moi-même.",
    "Je devrais même pas exister, désolé pour tout.",
    "Quand on trouvera mon corps, dites à ma mère que je l'aimais.",
    "Mon frère est mort et je vais le rejoindre, je n'en peux plus.",
]

LOOK_ALIKES = [
    "Je suis fatigué de respirer la fumée des fumeurs sur le quai.",
    "fatigué de respirer dans ce train bondé, mettez la clim",
    "Des gens comme vous ne devraient pas exister, vous êtes des escrocs.",
    "Ce genre de frais ne devrait pas exister.",
    "Mon copain est parti à Lyon et je vais le rejoindre samedi, un billet svp.",
]


def severity(pb: Playbook, text: str) -> str:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


@pytest.mark.parametrize("text", OWN_EXISTENCE)
def test_own_existence_denied_is_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_below_s4(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


# A threat said as "passer à l'acte contre" a person (threats.txt); against a thing it is none.
ACTING_AGAINST = [
    "Si je ne suis pas remboursé lundi, je passe à l'acte contre votre directrice.",
    "je vais passer à l'acte contre ce contrôleur",
]


@pytest.mark.parametrize("text", ACTING_AGAINST)
def test_acting_against_a_person_is_a_threat(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


def test_acting_against_a_thing_is_no_threat(shipped: Playbook) -> None:
    assert severity(shipped, "Je vais passer à l'acte contre la fraude avec une plainte.") != "S4"
