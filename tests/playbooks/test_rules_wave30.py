"""Wave 30 rules (wp/rules30): weapons brought, denied claims, departures.

Every sentence is written for these tests (none is a probe row).
1. Arriving or waiting armed reads one weapon lexicon (`threat_weapons.txt`) in every shipped
   playbook: the weapons the old inline lists lacked are urgent; toys, tools, a picnic knife,
   a company and the bare verbs are not.
2. A claim called untrue (« ce n'est pas vrai que … », « il est faux que … », « c'est faux de
   dire que … ») is denied down to the end of its clause, the subordinate's own subject
   included; « ce sont des X, pas des Y » denies Y after a copula. Look-alikes keep their word.
3. A departure with a destination, an ended subscription, a closed account or a job left is
   not a distress cue for `detresse_modele`; a real distress keeps its S4.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

ARMED = [
    "je débarque à votre agence demain avec ma carabine",
    "on vient au magasin avec des cocktails molotov ce soir",
    "je t'y attends avec mon surin, viens seul",
    "je passe à la caisse avec un poignard et on verra qui rigole",
    "je vais revenir avec de l'acide pour le gérant",
    "je repasserai avec une machette",
    "je reviens avec un fusil à pompe",
    "on débarque avec la kalach",
    "je viens avec mon 9mm",
    "je vous attendrai à la sortie avec une hachette",
    "je monte au guichet avec un opinel ouvert",
    "je vais venir avec ma kalachnikov",
]

NOT_ARMED = [
    "je viens avec un pistolet à eau pour la fête des enfants",
    "je passe avec mon opinel et le saucisson pour l'apéro",
    "je reviens avec de l'acide citrique pour détartrer la bouilloire",
    "je viens avec ma femme et mes enfants",
    "on passe avec des amis au magasin samedi",
    "je t'attends avec impatience pour la livraison",
    "j'ai acheté une carabine à plomb pour le ball-trap",
    "le film avec une machette était nul",
]


@pytest.mark.parametrize("text", ARMED)
def test_arriving_armed_is_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", NOT_ARMED)
def test_a_weapon_or_a_visit_alone_is_not(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


DENIED = [
    "il est faux que les contrôleurs sont des incapables",
    "c'est pas vrai que vous êtes des escrocs, j'ai été bien servi",
    "ce n'est pas vrai que je suis un fardeau pour ma famille",
    "c'est faux de dire que les caissières sont des connasses",
    "nous sommes des usagers, pas des cons",
    "ce sont des clients, pas des porcs qu'on entasse",
]

STILL_SAID = [
    "vous êtes des escrocs, pas des commerçants",
    "c'est pas vrai ! bande d'escrocs",
    "c'est vrai que vous êtes des escrocs",
    "les contrôleurs sont des incapables, pas un pour rattraper l'autre",
    "sale con, pas de réponse depuis une semaine",
    "des soignants, pas des sales arabes",
]


@pytest.mark.parametrize("text", DENIED)
def test_a_claim_called_untrue_is_denied(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S0", "S1", "S2")


@pytest.mark.parametrize("text", STILL_SAID)
def test_look_alikes_keep_their_word(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


DEPARTURES = [
    "je pars définitivement à Lyon, merci pour tout l'équipe",
    "je quitte définitivement la boîte vendredi, merci pour tout à toute l'équipe",
    "je ferme mon compte pour toujours, vous ne me reverrez plus",
    "c'est fini pour moi avec votre banque, je clôture tout",
    "je quitte Twitter pour toujours, merci pour tout",
    "ma dernière nuit dans cet appart, demain je pars définitivement à Nantes",
    "j'ai résilié mon forfait pour de bon, merci quand même",
    "nous partons définitivement au Canada en juin, merci pour tout à l'agence",
    "je me désabonne définitivement de votre newsletter",
    "mon dernier jour au bureau vendredi, merci pour tout les collègues",
    "je rentre définitivement en Bretagne, merci pour tout",
    "mon compte est clôturé définitivement, merci pour tout",
    "je ne remettrai plus jamais les pieds dans votre magasin",
    "je quitte définitivement mon poste lundi, merci pour tout à mes collègues",
    "je pars pour toujours au Québec, merci pour tout",
    "je vais partir définitivement à l'étranger, merci pour tout",
]

DISTRESS = [
    "je pars définitivement, merci pour tout, prenez soin de vous",
    "je ne serai plus là demain, merci pour tout, pardon à ma mère",
    "je vais en finir ce soir, j'ai laissé une lettre",
    "je suis un poids pour tout le monde, je vais disparaître pour toujours",
    "adieu à tous, c'est mon dernier message, je ne veux plus vivre",
    "j'ai acheté des médicaments, ce soir je m'endors pour toujours",
    "je veux mourir, plus rien ne me retient",
    "merci pour tout, je pars pour de bon, je suis un fardeau",
    "demain je ne me réveillerai pas, pardon pour tout",
    "je vais me jeter sous le train, adieu",
]


@pytest.mark.parametrize("text", DEPARTURES)
def test_a_customer_or_an_employee_leaving_is_not_distress(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize("text", DISTRESS)
def test_real_distress_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"
