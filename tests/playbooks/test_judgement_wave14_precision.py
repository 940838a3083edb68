"""Wave 14 precision (issue 13, judge13l): three false alarms read by grammar, not by exception.

Every sentence is written for these tests. A laugh that follows a threat in its clause says it
for fun, a laugh before it does not; camps are a call when nothing conjugated reports them;
an insult noun followed by its biological qualifier ("intestinaux", "du chat") is a parasite,
not a person. Each fixed false alarm is checked next to the true positives it must keep.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

FLAGGED = ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "je vais vous tuer avec mes questions mdr",
        "je vais te tuer si tu me spoiles encore la fin ptdr",
        "je vais te tuer mdr",
        "je vais te tuer. mdr",  # the laugh right after the full stop: still the same joke
    ],
)
def test_a_laugh_after_a_threat_in_its_clause_says_it_for_fun(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "mdr je vais te tuer",
        "ptdr je vais te buter à la sortie du lycée",
        "je vais te tuer à la sortie du collège demain",
        "je vais te tuer. et la prof de maths a encore oublié ses clés mdr",
        "attends toi à la récré je vais te défoncer",
    ],
)
def test_teen_threats_without_a_following_laugh_stay_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "les réfugiés ont été envoyés dans des camps en Grèce",
        "des milliers de migrants vivent dans des camps au Liban",
        "mes grands-parents juifs sont morts dans des camps",
    ],
)
def test_camps_reported_as_a_fact_are_not_hostility(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED


@pytest.mark.parametrize(
    "text",
    [
        "les migrants dans des camps !",
        "il faut mettre les migrants dans des camps",
        "les roms, tous dans des camps",
        "les migrants devraient être enfermés dans des camps",
        "envoyez les réfugiés dans des camps",
    ],
)
def test_camps_called_for_stay_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in FLAGGED


@pytest.mark.parametrize(
    "text",
    [
        "ces parasites intestinaux me pourrissent la vie depuis l'Afrique",
        "mon chien a attrapé des parasites du chat",
        "les migrants arrivent parfois avec des parasites intestinaux, dit le médecin",
    ],
)
def test_an_insult_noun_in_its_biological_sense_is_not_an_insult(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED


@pytest.mark.parametrize(
    "text",
    ["ces parasites de la direction", "ces parasites humains", "les migrants sont des parasites"],
)
def test_the_insult_sense_stays_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in FLAGGED
