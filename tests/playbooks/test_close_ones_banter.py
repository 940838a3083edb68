"""Friends' trash talk named as such is no insult of the brand (issue 13, wave 38).

Every sentence is written for these tests. Wave 38 reads the relation the words declare:
- belittling (`rabaissements`, belittling.txt: the body, poverty, "t'es qu'un …") is excused
  by declared tenderness or a close one named (`complicite`, `proches`), never by a laugh alone;
  what nothing excuses (rejection, death wishes, a disability mocked) stays in `cruautes`;
- the writer's own people named ("ma sœur", "mes potes", "mon collègue Alex") with tenderness
  or a laugh make an insult said of them, or to them as "vous", a tease (`&entre_proches`), as
  long as it aims at no group, staff or the brand; "vous" then needs tenderness, not a laugh;
- the brand named as a place ("au Cabasso", "chez Cabasso") is no aim.
"""

from __future__ import annotations

import pytest

from playbooks import Decision, MentionInput, Playbook, load_playbook_file, shipped_playbook_path

from .conftest import MONDAY_MORNING

FLAGGED = ("S3", "S4")

TEASES = [
    "t'es qu'un gros naze frérot 😂 je t'aime",
    "Ma sœur cette connasse a encore piqué mon chargeur dans le train 😘",
    "Les copains du club de rando, bande de tarés, je vous aime ❤️ à samedi",
    "ma meilleure pote cette grosse débile a oublié son billet 😂 je l'adore",
    "mon collègue Julien, ce gros naze, a encore raté le TER de 7h 😂",
    "@Inès_B t'es une grosse gourmande, t'as fini les crêpes 😂 bisous ma belle ❤️",
    "Mon mari est un gros fainéant, il a dormi tout le trajet 😂 je l'aime quand même",
]

STILL_FLAGGED = [
    # a laugh alone excuses no belittling, and nothing excuses rejection
    "mdr t'es qu'un gros naze",
    "ptdr t'es qu'une grosse vache, personne veut de toi",
    "je t'aime mais personne veut de toi sale gogol 😂",
    # close ones named, but the insult aims at the staff, a group or the brand ("vous")
    "Mes potes et moi on trouve que le contrôleur est un gros con 😂",
    "Mon pote s'est fait traiter de sale arabe dans le train, quels connards ces racistes 😂",
    "Mes potes et moi on pense que vous êtes des escrocs mdr",
    "Ferlis vous êtes des guignols mdr, mes potes sont d'accord",
    # a close one named without tenderness or a laugh: a report, not a tease
    "mon frère a été insulté par un connard dans le RER, sale type",
]


def decide(pb: Playbook, text: str) -> Decision:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)


@pytest.mark.parametrize("text", TEASES)
def test_close_ones_teased_are_not_flagged(rail: Playbook, shop: Playbook, text: str) -> None:
    for pb in (rail, shop):
        assert decide(pb, text).severity not in FLAGGED, pb.brand


@pytest.mark.parametrize("text", STILL_FLAGGED)
def test_insults_of_others_stay_flagged(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity in FLAGGED


def test_the_brand_as_a_place_is_no_aim(shop: Playbook) -> None:
    assert decide(shop, "t'es trop conne d'avoir pris le même pull que moi chez Cabasso 😂").severity not in FLAGGED
    assert decide(shop, "@Cabasso t'es qu'un voleur mdr").severity in FLAGGED
    assert decide(shop, "Cabasso, bande d'escrocs 😂 mes potes ont tous été arnaqués").severity in FLAGGED


@pytest.mark.parametrize("slug", ["sector-bank", "sector-public", "sector-telecom"])
def test_sector_templates_read_close_ones_alike(slug: str) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    assert decide(pb, "Ma sœur cette connasse a encore oublié sa carte 😘").severity not in FLAGGED
    assert decide(pb, "Mes potes et moi on trouve que le conseiller est un gros con 😂").severity in FLAGGED
    assert decide(pb, "mdr t'es qu'un gros naze").severity in FLAGGED
