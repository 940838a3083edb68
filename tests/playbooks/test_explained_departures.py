"""A departure explained is not a farewell to life (issue 13, wave 57).

Customers leave for somewhere or something: a named place, a transfer, a first job, parental
leave, a world tour, fewer adverts. The four distress scenarios (`detresse`,
`detresse_faisceau`, `detresse_modele`, `detresse_modele_fort`) read such a post as ordinary,
unless it also names a gesture, a means, a burden, "là où je vais" or a dead relative to join;
"partir en Suisse" (assisted dying) and the hereafter are never a destination. The scorer is
held sure (self_harm 0.95) so each sentence tests the guard, not the weights; every sentence is
written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING


@pytest.fixture(scope="module", params=("demo-rail", "demo-shop"))
def demo(request: pytest.FixtureRequest) -> Playbook:
    return load_playbook_file(shipped_playbook_path(request.param))


def severity(pb: Playbook, text: str) -> str:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


@pytest.mark.parametrize(
    "text",
    [
        # a place named after a movement verb, the case read as written
        "Adieu tout le monde, je pars vivre en Nouvelle-Zélande le mois prochain !",
        "demain je ne serai plus là, je déménage à Clermont-Ferrand, merci pour tout",
        "C'est mon dernier message ici, je m'installe au Québec avec ma compagne.",
        "ma dernière soirée en France, je pars définitivement pour Dakar ce soir",
        # a life change named
        "Dernier trajet demain : je prends ma retraite après 40 ans de bons et loyaux services.",
        "Je ferme tout avant mon congé parental, à dans six mois, prenez soin de vous",
        "c'est fini pour moi le 7h40, ma mutation est tombée, adieu la ligne",
        # a closure whose reason is the adverts
        "Supprimez mon compte ce soir, je veux ne plus recevoir vos offres, c'est définitif.",
        # a trip, an airport, work (wave 57b), and a vide-grenier is no void
        "Demain je ne serai plus là pour la livraison, je pars très tôt pour l'aéroport.",
        "Je ne serai plus là pour le vide-grenier de dimanche, je déménage à Rennes.",
    ],
)
def test_a_departure_explained_is_not_urgent(
    demo: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.95}
    assert severity(demo, text) != "S4", (demo.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        # a destination named, and a gesture, a means or a burden beside it
        "je pars à Marseille ce soir et je me jetterai du haut de la corniche, adieu",
        "Je pars en Bretagne demain, de toute façon je suis un poids pour tout le monde.",
        "je pars vers Lyon par le prochain train qui passe, je me mets devant",
        "je pars au Havre, là où je vais je n'aurai plus besoin de mon abonnement",
        "je pars rejoindre mon mari à Lourdes, il me manque trop depuis l'accident",
        "Je pars en Suisse jeudi, c'est décidé, merci pour tout.",
        "je pars au Paradis ce soir, prenez soin de vous",
        # a trip denied, and the end said plainly
        "Je ne pars plus en voyage cet été, je pars tout court, adieu.",
        "je veux juste disparaître, pas partir en vacances avec vous",
        # a life change named, and the end said plainly
        "après ma mutation je n'ai plus envie de vivre, je veux en finir ce soir",
    ],
)
def test_a_departure_beside_an_end_said_stays_urgent(
    demo: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.95}
    assert severity(demo, text) == "S4", (demo.brand, text)
