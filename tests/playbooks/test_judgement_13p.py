"""Known-wrong decisions of issue 13 (judge13p), each read by a general rule, not a list.

Every sentence is written for these tests. A laugh after a threat cue cancels the model's threat
scenario as it cancels the rule-based one (a targeting threat stays); a pest noun with its garden
qualifier is no insult; familiar reproaches ("relou", "givré") are discontent; death preferred to
a chore is an image, preferred to life itself a call; a jumping place said close and "j'y vais"
is distress; taking a gun is an armed threat; "les … dehors" as a clause is hate. Each fix is
checked next to the true positives it must keep, and the playbook option of
`playbooks/README.md` (a brand sends laughed threats to S3) is loaded and decided.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, shipped_playbook_path

from .conftest import MONDAY_MORNING, make, severity

FLAGGED = ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "je vais te tuer 😂",
        "je vais t'étrangler avec ce câble de chargeur 🤣",
        "je vais te défoncer mdr t'es trop fort à ce jeu",
    ],
)
def test_a_laugh_after_a_threat_cancels_the_model_scenario_too(rail: Playbook, text: str) -> None:
    decision = rail.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity != "S4"
    assert "menace_modele" not in decision.scenarios


@pytest.mark.parametrize(
    "text",
    [
        "je vais te tuer",
        "mdr je vais te tuer demain",
        "je vais te tuer 😂 je sais où tu habites",
        "je vais prendre le flingue de mon père 😂",
    ],
)
def test_threats_not_laughed_or_targeting_stay_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "la vermine du jardin a encore mangé mes salades",
        "il y a de la vermine dans le potager depuis la pluie",
        "des parasites dans la cave, on appelle qui ?",
    ],
)
def test_pests_in_a_garden_are_not_an_insult(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED


@pytest.mark.parametrize("text", ["vous êtes de la vermine", "cette vermine de contrôleur"])
def test_vermin_said_of_people_stays_an_insult(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in FLAGGED


@pytest.mark.parametrize(
    "text",
    ["t'es relou", "t'es givré", "vous êtes complètement givrés avec vos horaires"],
)
def test_familiar_reproaches_are_discontent_not_insults(rail: Playbook, text: str) -> None:
    decision = rail.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity == "S2"
    assert "colere" in decision.scenarios


@pytest.mark.parametrize("text", ["mon pare-brise est givré ce matin", "t'es un connard"])
def test_frost_is_no_reproach_and_insults_stay_insults(rail: Playbook, text: str) -> None:
    expected = "S3" if "connard" in text else "S1"
    assert severity(rail, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "je préfère mourir que de reprendre ce train",
        "je préférerais crever que de rappeler votre hotline",
        "je préfère me tirer une balle que de remplir encore ce formulaire",
        "plutôt crever que d'acheter un billet à ce prix",
    ],
)
def test_death_preferred_to_a_chore_is_an_image(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je préfère mourir que de vivre comme ça",
        "je préférerais en finir plutôt que de continuer",
        "je veux mourir, personne ne me répond",
    ],
)
def test_death_preferred_to_life_itself_is_distress(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "le pont est à deux pas, j'y vais",
        "le viaduc est tout près, j'y monte ce soir",
        "la falaise n'est pas loin, j'y vais",
    ],
)
def test_a_jumping_place_said_close_and_going_there_is_distress(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text", ["la gare est à deux pas, j'y vais", "le pont est fermé, je fais le détour"]
)
def test_a_place_nearby_alone_is_not_distress(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais prendre le flingue de mon père",
        "demain je pique le fusil de mon oncle",
        "je vais chercher mon arme et on verra",
    ],
)
def test_taking_a_gun_is_an_armed_threat(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text", ["je vais prendre mon pistolet à eau pour la plage", "je vais prendre le train de 8h"]
)
def test_a_water_pistol_or_a_train_is_no_weapon(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text", ["les arabes dehors", "Migrants dehors !", "tous les juifs dehors"]
)
def test_a_group_then_dehors_as_a_clause_is_hate(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in FLAGGED


@pytest.mark.parametrize(
    "text",
    [
        "les migrants dorment dehors cet hiver",
        "les enfants dehors !",
        "il a crié « les arabes dehors », j'ai honte pour lui",
    ],
)
def test_dehors_said_otherwise_is_not_hate(rail: Playbook, text: str) -> None:
    assert severity(rail, text) not in FLAGGED


OPTION = """  - id: menace_pour_rire
    label: Menace ou souhait de mort dit en riant (relu par un humain)
    when: {near: {lexicons: [menaces, rires], within: 0, within_clause: 8, ordered: true}}
    unless: {lexicon: jeux}
    unless_scope: [negated, reported]
    severity: S3
    categories: [menace]
"""


@pytest.fixture(scope="module")
def rail_with_option() -> Playbook:
    """demo-rail with the README's scenario that sends laughed threats to a human (S3)."""
    path = shipped_playbook_path("demo-rail")
    text = path.read_text(encoding="utf-8").replace("scenarios:\n", "scenarios:\n" + OPTION, 1)
    return make(text, path.parent)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("je vais te tuer mdr", "S3"),
        ("j'espère que tu vas crever 😂", "S3"),
        ("je vais te tuer au foot demain mdr", "S1"),  # a game stays a game
        ("je vais te tuer", "S4"),  # not laughed: the threat scenario
        ("je sais où tu habites mdr", "S4"),  # targeting: never a joke
    ],
)
def test_a_brand_can_send_laughed_threats_to_a_human(
    rail_with_option: Playbook, rail: Playbook, text: str, expected: str
) -> None:
    assert severity(rail_with_option, text) == expected
    if expected == "S3":  # the default is unchanged: below S3 without the option
        assert severity(rail, text) in ("S1", "S2", "S3")


@pytest.mark.parametrize(
    "text",
    [
        "mon grand-père est mort en mars, il me manque",
        "je n'ai jamais voulu me suicider, rassurez-vous",
        "je connais ton adresse mail, je t'envoie les horaires",
        "je vais acheter un pistolet à colle pour le bricolage",
    ],
)
def test_grief_a_past_denial_an_email_or_a_tool_are_not_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "mon frère est mort et je veux mourir aussi",
        "j'ai gardé tous mes médocs et je vais tous les avaler",
        "ce soir je vais me laisser tomber du balcon",
        "je vais te coincer et te faire mal",
        "je connais ton adresse, j'arrive",
        "demain je ne serai plus de ce monde, pardon maman",
    ],
)
def test_distress_and_threats_next_to_those_readings_stay_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"
