"""Insults of forums, tweets and teenagers' chats in the shipped French playbooks (issue 13).

Every example is written for these tests; they check the grammar (an address followed by a
contempt attribute, silencing, dismissal, group labels in a hostile frame), not a list of
sentences.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        # an address, then a contempt attribute, with or without an adverb
        "tu n'es qu'un troll sans intérêt",
        "t'es franchement un boulet",
        "vous êtes vraiment des ignares",
        "t'es devenu une grosse nullité",
        "t'es immonde",
        "vous êtes pathétiques avec vos excuses",
        # noun use of a stupidity adjective, brain and QI refused
        "encore le débile de l'autre jour",
        "t'as rien dans le crâne",
        "il a un QI de bulot celui-là",
        # silencing, dismissal, contempt shown
        "fermez-la un peu",
        "dégage de ce fil",
        "on s'en fout de ton avis",
        "personne t'a demandé ton avis",
        "quel idiot ce contrôleur",
        "quel idiot tu fais",
        "tes commentaires débiles on s'en passe",
        # exclusion in teen chats
        "personne t'aime ici",
        "t'as même pas d'amis",
        "la honte de ta famille",
        "qu'ils aillent tous se faire foutre",
        # third party or group: 'sont des …', labels in a hostile frame
        "les modos de ce site sont tous des tocards",
        "ces gauchistes sont des parasites",
        "les migrants à dégager",
        "faut tous les virer ces clandestins",
    ],
)
def test_contempt_without_a_classic_insult_is_flagged(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "t'es pas un boulet, t'inquiète",  # the attribute denied
        "ferme la porte du train s'il te plaît",
        "on ferme la boutique à 19h ?",
        "ma chienne a voyagé avec moi, tout s'est bien passé",
        "je suis resté sur le quai comme une idiote",
        "c'est complètement con ce changement d'horaire",
        "les toilettes pour handicapés sont inutilisables",
        "le débat entre la gauche et les gauchistes continue au parlement",
        "je ne m'y suis pas attardé",
        "quel idiot, j'ai oublié mon billet sur le quai",  # oneself
        "quelle andouille je fais, mauvais train",
        "on s'en fout de vos excuses, remboursez",  # a customer's anger at the brand's words
    ],
)
def test_neighbours_stay_below_s3(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S0", "S1", "S2")
