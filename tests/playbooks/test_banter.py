"""Banter between friends is not an insult of the brand (issue 13, judge20t).

Every sentence is written for these tests. In the shipped playbooks an insult said to "tu" with
a laugh (`rires`, `complicite`: "mdr", "haha"), affection ("je t'aime", "❤️", "frérot") or in a
game (`jeux`) is a tease: `insulte` and the model's insult scenarios step back (`entre_amis`).
It stays an insult when it aims at anyone else — the brand ("vous", its name or handle), its
staff, a designated third person ("le contrôleur est un gros con mdr"), a group — and when it
rejects, wishes death or mocks the body (`cruautes`); hate is never excused by a laugh.
"""

from __future__ import annotations

import pytest

from playbooks import Decision, MentionInput, Playbook, load_playbook_file, shipped_playbook_path

from .conftest import MONDAY_MORNING

FLAGGED = ("S3", "S4")
INSULT_SCENARIOS = {
    "insulte",
    "insulte_modele",
    "insulte_modele_visee",
    "toxicite_modele",
    "insulte_grossiere_modele",
}

BANTER = [
    "t'es trop nul mdr",
    "@Julie_R t'es vraiment une conne 😂 je t'adore",
    "ptdr t'es trop bête ma sœur ❤️",
    "putain t'es con mdr",
    "t'es un bouffon 😂😂",
    "@Tom_B ce pull c'est toi en fait, gros débile 😂",
    "t'es une quiche à fifa frérot mdr",
    "t'es con ou quoi mdr on avait dit 20h 😂",
    "mdr t'es trop une idiote, je t'aime fort",
    "@Lucas_P t'es un gros bâtard t'as gagné le concours 😂",
    "sale chien t'as eu la dernière part de pizza ptdr",
    "ferme-la mdr t'es jaloux c'est tout 😂",
    "@Yanis_K t'es nul à chier au foot frère 😂",
    "@Sam_V bouffon va, je t'aime quand même",
    "@Leo_M mdrr t'es un abruti t'as tag la mauvaise personne",
    "@Jade_D ptdr t'es folle toi 😂",
]

STILL_INSULTS = [
    # the brand's staff or a designated person, laughed or not
    "le contrôleur est un gros con mdr",
    "mdr le vendeur de Lille est un connard fini",
    "t'es un connard, le contrôleur aussi mdr",
    "ton prof est un connard mdr",
    "mdr le conducteur il est con ou quoi",
    # the brand: "vous", its name or handle
    "vous êtes des nuls mdr",
    "@Ferlis_Info vous êtes des incapables mdr",
    "Ferlis t'es vraiment nul à chier mdr",
    "t'es un connard @Ferlis_Info mdr",
    # rejection, death wishes, the body mocked, sexual reputation, dehumanising
    "ptdr t'es un gros con personne t'aime",
    "t'es un fdp mdr va crever",
    "t'es une grosse vache ptdr",
    "wsh t'es trop moche toi 😂",
    "lol t'es une salope",
    "mdr t'es vraiment un déchet",
    "t'es un sale con mdr ta mère la pute",
    # belittling, sending away, poverty mocked, public humiliation, harm wished: bullying
    "mdr t'es vraiment une merde, casse toi",
    "lol t'es qu'un sale bouffon, ferme ta gueule",
    "mdr t'es une cassos, retourne dans ton HLM",
    "lol t'es qu'une victime tout le collège le sait",
    "t'es une grosse merde mdr j'espère que tu vas rater ton bac",
    # condescension is not affection
    "calme toi ma cocotte t'es une idiote 😂",
    # a third person designated by a demonstrative, a disability taken for an insult
    "tu perds ton temps avec ce bouffon mdr",
    "mdr t'es vraiment un gogol",
    # laughter does not excuse hate
    "t'es un sale bicot mdr",
    "t'es un enculé 😂 les juifs c'est tous des rats",
    # no laugh, no affection, no game: the insult said to "tu" stays
    "t'es un gros con",
    "jte jure t'es un fdp",
]


def decide(pb: Playbook, text: str) -> Decision:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)


@pytest.mark.parametrize("text", BANTER)
def test_banter_between_friends_is_not_an_insult(rail: Playbook, shop: Playbook, text: str) -> None:
    for pb in (rail, shop):
        decision = decide(pb, text)
        assert decision.severity not in FLAGGED, (pb.brand, decision.scenarios)
        assert not INSULT_SCENARIOS & set(decision.scenarios)


@pytest.mark.parametrize("text", STILL_INSULTS)
def test_insults_of_others_or_cruel_ones_stay_flagged(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity in FLAGGED


def test_the_other_brand_is_named_by_its_own_playbook(shop: Playbook) -> None:
    assert decide(shop, "Cabasso t'es vraiment nul à chier mdr").severity in FLAGGED
    assert decide(shop, "@Cabasso_fr vous êtes des clowns 😂").severity in FLAGGED


@pytest.mark.parametrize("slug", ["sector-bank", "sector-public", "sector-telecom"])
def test_sector_templates_read_banter_alike(slug: str) -> None:
    pb = load_playbook_file(shipped_playbook_path(slug))
    assert decide(pb, "@Julie_R t'es vraiment une conne 😂 je t'adore").severity not in FLAGGED
    assert decide(pb, "le conseiller est un gros con mdr").severity in FLAGGED
    assert decide(pb, "ptdr t'es un gros con personne t'aime").severity in FLAGGED


def test_a_laughed_threat_to_a_friend_keeps_its_own_rule(rail: Playbook) -> None:
    # the banter guard is the insult's; a threat with an insult stays a threat
    assert decide(rail, "mdr je vais te tuer connard").severity == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "gg ez, vous êtes nuls à chier sur rocket league",
        "bande de nazes vous avez perdu contre nous au foot 😂",
        "t'es trop une quiche à mario kart 😂",
    ],
)
def test_trash_talk_in_a_game_may_say_vous(rail: Playbook, text: str) -> None:
    # the opponents, not the brand: "vous" is excused only in a game's arena
    assert decide(rail, text).severity not in FLAGGED


def test_a_referee_is_a_third_person(rail: Playbook) -> None:
    assert decide(rail, "l'arbitre est un gros con ce soir au match mdr").severity in FLAGGED
