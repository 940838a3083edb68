"""General hostility rules of the shipped French playbooks: threats, hate, counter-speech.

Every example is written for these tests; they check the grammar, not a list of sentences.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING, make, severity


@pytest.mark.parametrize(
    "text",
    [
        # present tense, future, veiled: aimed at lui / vous / te
        "le chauffeur de ce matin, je lui pète les dents s'il recommence",
        "on vous fera payer ce que vous avez fait à ma mère",
        "je te retrouverai, sois-en sûr",
        "je vais finir par buter quelqu'un dans cette gare",
        "on va vous faire payer",
        "je passe à votre agence et je vais tout casser chez vous",
        "vous allez me le payer",
        "attendez-vous à des représailles",
        "je vais la noyer dans le canal cette conseillère",
    ],
)
def test_threats_aimed_at_a_person_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "ces migrants devraient tous être pendus",
        "il faudrait juste exterminer les roms",
        "je vais poignarder un juif ce soir",
        "débarrassons-nous des immigrés",
        "frapper une femme comme toi devrait être autorisé",
    ],
)
def test_calls_for_violence_against_a_group_are_urgent(shop: Playbook, text: str) -> None:
    assert severity(shop, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "les arabes sont des parasites",
        "je méprise les lesbiennes",
        "les handicapés me dégoûtent",
        "les homosexuels sont vraiment répugnants",
        "des singes, ces noirs",
        "les vies des musulmans ne valent rien",
    ],
)
def test_hate_towards_a_group_needs_approval(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S3"


@pytest.mark.parametrize(
    ("text", "at_most"),
    [
        # a group and an insult in the same post, aimed at something else
        ("les toilettes du train sont dégueulasses, et pas d'accès pour les handicapés", "S2"),
        ("aucune femme ne mérite d'être frappée", "S2"),
        ("les réfugiés ne sont pas des parasites", "S2"),
        ("soyons clairs, je ne déteste pas les musulmans", "S2"),
        # quoting or condemning hate is not hate
        ("arrêtez de traiter les gens de pédés, c'est pas drôle", "S2"),
        ("des commentaires du type « les juifs sont des rats » seront signalés", "S2"),
        # profanity about oneself or about a situation is not an insult aimed at someone
        ("je suis une vraie idiote, j'ai oublié mon billet", "S2"),
        ("je ne m'attarde pas, mon train part", "S1"),
        ("putain de retard encore", "S2"),
        ("la communauté gay vous remercie pour ce partenariat", "S1"),
    ],
)
def test_benign_mentions_stay_below_approval(rail: Playbook, text: str, at_most: str) -> None:
    assert severity(rail, text) <= at_most


def test_insults_aimed_at_people_still_need_approval(rail: Playbook) -> None:
    # the self-mockery exception does not hide an insult aimed at the brand
    assert severity(rail, "je suis client depuis 10 ans et vous êtes des connards") == "S3"
    assert severity(rail, "espèce d'attardé, rends-moi mon billet") == "S3"


NEAR = """
format: 1
lexicons:
  groupes: {terms: [chats, chiens]}
  mots: {terms: [méchants, "nuls"]}
scenarios:
  - id: proche
    label: Proche
    when: {near: {lexicons: [groupes, mots], within: 2}}
    severity: S3
"""


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("les chats sont méchants", True),
        ("méchants, ces chats", True),
        ("les chats sont vraiment très méchants", False),  # three words apart
        ("les chats dorment", False),
        ("nuls", False),
    ],
)
def test_near_counts_the_words_between_two_lexicons(text: str, hit: bool) -> None:
    d = make(NEAR).decide(MentionInput(text), now=MONDAY_MORNING)
    assert (d.scenarios == ["proche"]) is hit
    if hit:
        assert any("À proximité" in e.explanation for e in d.evidence)


def test_near_reports_a_bad_value() -> None:
    from playbooks import PlaybookError

    bad = NEAR.replace("[groupes, mots], within: 2", "[groupes], within: -1")
    with pytest.raises(PlaybookError) as err:
        make(bad)
    assert "exactly two lexicons" in str(err.value) and "gap of 0 words" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "ces étrangers n'ont aucun droit d'exister ici",
        "les lesbiennes ne sont pas nos égaux",
        "les migrants ne méritent pas de vivre",
        "va te niquer avec ton appli",
        "quel salearabe ce vendeur",
    ],
)
def test_negated_humanity_and_glued_slurs_need_approval(shop: Playbook, text: str) -> None:
    assert severity(shop, text) >= "S3"


@pytest.mark.parametrize(
    "text",
    [
        "ce serait mieux de noyer tous ces migrants",
        "il va falloir que je tabasse une femme ce soir",
        "nous allons en finir avec les roms",
        "les gitans, on devrait juste s'en débarrasser",
    ],
)
def test_wishes_and_decisions_of_violence_against_a_group_are_urgent(
    rail: Playbook, text: str
) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        # a subject and its predicate further apart, in one clause
        "les musulmans sont franchement et sans aucune exception des parasites",
        # prejudice predicates, rights denied, animal comparisons, group referents
        "les migrants nous envahissent et pourrissent tout",
        "les gays ne devraient même pas avoir le droit de se marier",
        "mon chat est plus intelligent que n'importe quel arabe",
        "tu es juive ? rien de plus répugnant que ta race",
        "les femmes ne valent même pas un sou",
        "je chie sur les handicapés",
    ],
)
def test_general_constructions_of_group_hate_need_approval(rail: Playbook, text: str) -> None:
    assert severity(rail, text) in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "les juives devraient toutes être lapidées",  # passive, any gender
        "les roms méritent de se faire lyncher",
        "il est normal de gazer les homosexuels",
        "fusillez-moi ces réfugiés",
        "moi je pendrais bien tous les musulmans",
        "les noirs doivent crever",
    ],
)
def test_normative_threats_against_a_group_are_urgent(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4"


@pytest.mark.parametrize(
    "text",
    [
        # the wider gap stops at punctuation, and only reads a group before its predicate
        "la voiture est puante, et franchement rien n'est prévu pour les handicapés",
        "infects ces sièges, pas de place réservée aux personnes handicapées",
        "il y a trop de retards pour les handicapés",
        # counter-speech: refusing or questioning a claim
        "je refuse qu'on dise que les musulmans n'ont pas leur place ici",
        "qui peut encore croire que les juifs contrôlent les banques ?",
        "les femmes n'ont pas à rester à la cuisine",
        "les migrants ne sont pas la cause de nos problèmes",
        # everyday words that are also insults
        "je ne m'y suis pas attardé, désolé",
        "un documentaire sur l'empire mongol",
    ],
)
def test_complaints_denials_and_counter_speech_stay_below_approval(
    rail: Playbook, text: str
) -> None:
    assert severity(rail, text) in ("S0", "S1", "S2")
