"""Wave 14 (issue 13, judge13h): everyday hyperbole against suicidal statements.

Every sentence is written for these tests. They check constructions: what follows a wish to
die in the same clause decides (a written laugh, an admitted joke, a mild cause given by
"tellement": an image; a pain or loneliness given as the cause: a call); a condition of
repeated annoyance ("si j'entends encore …", "si vous m'envoyez encore …") makes the threat
to oneself a figure of speech, while a condition about someone hurting the author does not;
"mourir / tuer pour" a thing is a desire; a thing that "kills me" is not one's life. The
means already taken, the gesture repeated in the past and a dated departure "pour de bon"
are distress.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        # the cause given is a pain, not a joke
        "je veux mourir tellement j'ai mal",
        "j'ai envie de disparaître tellement je suis seule",
        "je veux crever tellement je souffre",
        # a condition about someone hurting the author, not an annoyance
        "si mon copain me frappe encore je me tue",
        "si demain je suis plus là, dites à ma mère que je l'aime",
        # a laugh further away, after a full stop, says nothing of the wish
        "j'ai envie de mourir. Votre appli m'a fait rire tout à l'heure mdr",
        # the means taken, the gesture repeated, the dated departure
        "j'ai avalé des médocs",
        "je viens de prendre toute la boîte de somnifères",
        "je me suis encore coupée les poignets hier soir",
        "je vais me laisser glisser sous le train",
        "je vais m'asseoir sur la voie et attendre",
        "ce soir je pars pour de bon",
        # resignation, the funeral nobody attends, the regretted birth, a farewell post
        "je n'ai plus de boulot ni de logement, autant mourir",
        "personne ne viendra à mon enterrement de toute façon",
        "j'aurais préféré ne jamais naître",
        "c'est mon dernier tweet, merci à ceux qui m'ont aidé",
        "je pense à me jeter sous un train",
        "mieux vaut que je disparaisse",
        # someone hurting the author in the condition: a call, not an annoyance
        "si on me harcèle encore au lycée je me tue",
        "si le prof m'humilie encore je me jette par la fenêtre",
        "quand je vois ma vie j'ai envie de mourir",
        # the issue's own constructions
        "je vais me tirer une balle",
        "personne remarquera si je me tue",
    ],
)
def test_suicidal_statements_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        # a written laugh or a mild cause right after the wish, in the same clause
        "jveux mourir tellement c'est gênant 😂",
        "j'ai envie de crever tellement il fait chaud dans ce train",
        "je veux disparaître tellement j'ai la honte",
        "je vais me foutre en l'air mdr tellement c'est nul",
        "j'ai envie de mourir tellement c'est drôle 😂",
        # a condition of repeated annoyance, before or after
        "je vais me pendre si je dois encore rappeler votre service client",
        "si le train est encore en retard demain je me jette sous le suivant",
        "si vous m'envoyez encore une pub je me tire une balle",
        "si la connexion saute encore je me pends",
        "je vais mourir si on me sert encore ce café",
        # a reaction to the brand's thing, or the thing given as the cause
        "quand je vois le prix du billet j'ai envie de mourir",
        "vos pubs me donnent envie de disparaître",
        "tellement c'est long je vais mourir",
        # the same words before a joke, a thing or a request
        "autant mourir de rire",
        "je pense à me jeter sur les soldes demain",
        "c'est mon dernier message, merci de me rembourser",
        # a desire for a thing; a thing that kills me
        "je pourrais mourir pour un croissant là",
        "je mourrais pour une réduction",
        "cette file d'attente me tue, je vais mourir ici",
        # the gesture in the past with an ordinary thing
        "je me suis noyée dans vos conditions générales",
        "je me suis jetée sur les chocolats de noël",
        # the issue's own constructions
        "je vais me jeter sur les soldes",
        "je vais me pendre au téléphone avec votre service client",
    ],
)
def test_hyperbole_stays_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4", text


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("j'ai envie de disparaître tellement je suis seul", True),
        ("j'ai envie de disparaître tellement c'est ridicule mdr", False),
        ("si vous m'appelez encore pour un sondage je me tire une balle", False),
    ],
)
def test_another_shipped_playbook_reads_the_same(shop: Playbook, text: str, urgent: bool) -> None:
    assert (severity(shop, text) == "S4") == urgent, text
