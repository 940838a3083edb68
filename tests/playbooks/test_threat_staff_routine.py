"""Wave 45 (issue 13): the schedule of a named person of the brand — when she finishes, where he
smokes, the bus he takes, where her car is parked — then what is left to guess (no witness,
nobody will see a thing, the patience of who waits, a laugh that will stop) is a threat whatever
the scorer reads.
A customer who gives an agent's hours to thank them, to complain about the lighting or the
staffing, or a relative's hours in a safety complaint, is not. Every sentence was written here
(none is a probe row)."""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

WATCHED = [
    "Toi le vigile de Creil, tu fumes ta clope à 14h côté livraisons, seul. Personne ne verra "
    "rien.",
    "Monsieur le contrôleur, tu descends à Évreux tous les soirs. Pas de témoin sur le quai. "
    "À bientôt.",
    "L'employé du SAV qui m'a insulté quitte son service à 20h. Sa voiture est toujours au fond "
    "du parking. Ce serait dommage.",
    "La caissière qui m'a traité de voleur, elle termine vers 21h le jeudi. J'ai tout mon temps.",
    "Le chef de gare de Vierzon rentre à pied par le parc après son service. Personne ne verra "
    "rien.",
]

HARMLESS = [
    "La caissière finit à 21h, elle a été adorable, j'ai le temps de repasser demain.",
    "Le parking est mal éclairé : ma femme finit à 22h, il fait noir et y'a pas de caméra, elle "
    "a peur.",
    "Mon mari prend le dernier bus à 23h, il fait nuit noire et pas de caméra à l'arrêt, c'est "
    "dangereux.",
    "Bravo au chef de bord : il finit à minuit, il fait noir et il a raccompagné une dame âgée à "
    "son taxi.",
    "Les agents de la gare de Metz terminent à 23h, il fait nuit, y a pas de caméra sur le quai "
    "3, c'est pour eux que je m'inquiète.",
    "Votre conseiller finit à 17h, personne ne saura répondre à ma question après ? C'est dommage.",
    "La vendeuse prend sa pause à 13h, j'ai la patience d'attendre, elle est super.",
    "Le vigile sort toujours fumer, y a pas de caméra dans la réserve, c'est comme ça qu'on vole "
    "vos produits !",
    "La caissière de Tours termine à 20h, sa voiture est toujours garée sur le parking des "
    "clients, c'est agaçant.",
    "Le conducteur prend son service à 6h, c'est mon voisin, on a le temps de discuter au café.",
    "Le contrôleur de Lille finit son service à 22h et personne ne verra la différence si vous "
    "supprimez le dernier train.",
    "Notre facteur promène son chien devant le magasin tous les soirs, le vendeur le connaît, "
    "j'ai tout mon temps pour discuter avec eux.",
    "Le livreur termine sa tournée à 18h, c'est vite arrivé un colis oublié, vérifiez votre stock.",
    "La caissière rentre seule le soir, personne ne saura si elle est bien arrivée, mettez des "
    "navettes.",
    "Votre conseiller finit son service à 17h, personne ne saura me répondre après ? Pas de "
    "caméra pour vérifier mon passage non plus.",
    "Le contrôleur rentre à pied après son service, il m'a raccompagnée jusqu'au bus, personne "
    "ne dira le contraire : c'est le meilleur.",
]


@pytest.mark.parametrize("text", WATCHED)
def test_the_watched_schedule_of_named_staff_with_a_veiled_end_is_urgent(
    shipped: Playbook, text: str
) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", HARMLESS)
def test_hours_given_to_thank_complain_or_worry_are_not_urgent(
    shipped: Playbook, text: str
) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize(
    "text", ["Le vigile il va prendre une bastos, tu verras.", "Toi tu vas prendre des bastos."]
)
def test_a_bullet_in_slang_is_a_threat(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"
