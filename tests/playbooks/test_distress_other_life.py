"""Someone else's life is not the writer's distress (fix30b, after wave 30's scorer).

"je vais te pourrir la vie … tu regretteras" went S4 through `detresse_modele`: the scorer's
`self_harm` read the threat's "regrettera", and "la vie" served as the distress cue. The idioms
that ruin another's life ("te pourrir / gâcher / empoisonner la vie", "pourrir la vie de qn",
"rendre impossible la vie de qn", "faire de ta vie un enfer") are not cues in
`distress_cues.txt`; the writer's own life ("ma vie est pourrie", "je me gâche la vie", "la vie
ne vaut pas la peine") still is. Whether a threat reaches S3 or S4 is the threat scenarios'
business. Every sentence is written for these tests (none is a probe row).
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING

SOMEONE_ELSE = [
    "je vais te pourrir la vie, personne te regrettera",
    "je vais vous pourrir la vie, vous regretterez tout, de toute façon",
    "je vais lui pourrir la vie, il regrettera de toute façon",
    "je te pourrirai la vie, tu regretteras de toute façon",
    "je vais te gâcher la vie, tu regretteras de toute façon",
    "je vais t'empoisonner la vie, tu regretteras d'être né",
    "je vais pourrir la vie de ta mère, tu regretteras de toute façon",
    "je vais rendre impossible la vie de ton gérant, il regrettera",
    "je vais faire de ta vie un enfer, tu regretteras",
]

OWN_LIFE = [
    "ma vie est pourrie, je veux mourir",
    "ma vie est pourrie, ce soir j'avale tous mes médicaments",
    "je me gâche la vie, je ne veux plus vivre",
    "je me pourris la vie depuis des mois, je veux que tout s'arrête",
    "la vie ne vaut pas la peine, je vais en finir",
    "la vie ne vaut pas la peine d'être vécue, adieu",
]


def decide(pb: Playbook, text: str) -> tuple[str, list[str]]:
    d = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return d.severity, list(d.scenarios)


@pytest.mark.parametrize("text", SOMEONE_ELSE)
def test_ruining_someone_elses_life_is_not_distress(shipped: Playbook, text: str) -> None:
    assert "detresse_modele" not in decide(shipped, text)[1]


@pytest.mark.parametrize("text", OWN_LIFE)
def test_the_writers_own_life_stays_urgent(shipped: Playbook, text: str) -> None:
    assert decide(shipped, text)[0] == "S4"


# Someone else's completed suicide is a bereavement or a fact reported, not a plan of the
# writer's; the writer's own plan beside it still is.
OTHERS_SUICIDE = [
    "mon père s'est suicidé il y a dix ans, votre pub avec la corde m'a heurtée, retirez-la",
    "un homme s'est suicidé sur les voies ce matin, pensées aux conducteurs",
    "Vous pouvez rembourser l'abonnement de mon frère ? Il s'est suicidé en mars.",
]
OWN_PLAN_BESIDE = [
    "je vais me suicider comme mon père s'est suicidé",
    "mon frère s'est suicidé l'an dernier, ce soir je le rejoins, j'ai les médicaments",
]


@pytest.mark.parametrize("text", OTHERS_SUICIDE)
def test_someone_elses_suicide_is_not_the_writers_distress(shipped: Playbook, text: str) -> None:
    assert decide(shipped, text)[0] != "S4", text


@pytest.mark.parametrize("text", OWN_PLAN_BESIDE)
def test_the_writers_plan_beside_anothers_suicide_stays_urgent(
    shipped: Playbook, text: str
) -> None:
    assert decide(shipped, text)[0] == "S4", text
