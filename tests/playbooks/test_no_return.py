"""A departure without return towards a place one does not come back from (issue 13, wave 52).

"Je ne rentrerai pas" after a cliff, a col, the tracks is a farewell; each half alone is
ordinary (a customer leaving says "Je ne reviendrai pas.", a walker names a col).
`detresse_modele` reads the two together: `sans_retour` and `lieux_sans_retour`. Every sentence
is written for this test; the decisions are the shipped playbooks' with the committed scorer.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path

from .conftest import MONDAY_MORNING

DEMO = ("demo-rail", "demo-shop")

FAREWELLS = [
    "J'ai rendu les clés de l'appartement et donné mon vélo à mon neveu. Demain je prends le "
    "premier train pour la côte, je marcherai jusqu'à la falaise. Je ne rentrerai pas.",
    "Je suis assis sur le quai depuis une heure, le fret passe à minuit. Pardon maman.",
    "Billet aller pour Brest, puis le phare au bout de la pointe. Je ne reviendrai pas cette "
    "fois, c'est décidé.",
]

# Each half without the other, or the words in an ordinary sense.
LOOK_ALIKES = [
    "Je ne reviendrai pas.",
    "Je ne reviendrai pas, merci pour tout et bonne continuation.",
    "Je ne reviendrai pas dans votre magasin, trois heures d'attente en caisse.",
    "Je ne reviendrai pas sur ma décision, remboursez-moi mon billet.",
    "Je ne remonterai plus jamais dans un de vos trains, c'était l'enfer.",
    "Pardon maman, j'ai encore raté le TER de 18h, je rentrerai pas pour le goûter.",
    "Pardon maman pour le retard, le train était bloqué à Dijon.",
    "Je monte au col en vélo demain sans redescendre avant la nuit, j'ai pris une frontale.",
    "On fait l'ascension du Mont Blanc, départ 3h, sans redescendre avant le sommet !",
    "On a fait le col du Galibier à vélo, je ne redescendrai jamais aussi vite de ma vie 😂",
    "Superbe séjour au phare de Cordouan, pardon maman de ne pas t'avoir appelée !",
    "Le quai était bondé, je ne rentrerai pas dans ce train, j'attends le suivant.",
    "Je pars faire le tour du lac à pied, je reviens pas avant 18h.",
    "Vacances à la mer, je ne rentrerai pas avant septembre, à nous la plage !",
    "Grève sur la voie, je ne rentrerai jamais à temps pour le dîner.",
    "Je suis épuisée, la nuit a été horrible, je ne rentrerai pas au bureau demain.",
    "Le film finit quand il saute du pont et ne revient pas, quelle fin triste.",
    "Mon grand-père est mort l'an dernier. Je ne reviendrai pas dans cette gare, trop de "
    "souvenirs.",
]


@pytest.fixture(scope="module", params=DEMO)
def playbook(request: pytest.FixtureRequest) -> Playbook:
    return load_playbook_file(shipped_playbook_path(request.param))


def severity(playbook: Playbook, text: str) -> str:
    decision = playbook.decide_many([MentionInput(text, lang="fr")], now=MONDAY_MORNING)[0]
    return str(decision.severity)


@pytest.mark.parametrize("text", FAREWELLS)
def test_a_farewell_without_return_towards_a_place_is_urgent(playbook: Playbook, text: str) -> None:
    decision = playbook.decide_many([MentionInput(text, lang="fr")], now=MONDAY_MORNING)[0]
    assert decision.severity == "S4"
    assert "detresse_modele" in decision.scenarios


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_either_half_alone_stays_below_urgent(playbook: Playbook, text: str) -> None:
    assert severity(playbook, text) != "S4"
