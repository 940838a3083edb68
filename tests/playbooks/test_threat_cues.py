"""Threats (issue 13, judge13u): the model's threat scenario needs a threat cue, a game or a
sport is the arena of a rivalry and not a threat, calls for violence against a group in
their passive, infinitive and resumptive forms, someone else's words reported, and threat
words spelt as they sound. Every sentence is written here."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook
from playbooks.phonetic import sound_key

from .conftest import MONDAY_MORNING


def decide(pb: Playbook, text: str) -> tuple[str, list[str]]:
    d = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return d.severity, list(d.scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "je vais te laisser, on se retrouve ce soir après le boulot",
        "je te regarde nager, on ira manger après peut-être",
        "je vais vous faire un procès, vous allez entendre parler de moi",
        "je vais te faire la bise demain, bonne nuit",
    ],
)
def test_the_model_alone_needs_a_threat_cue(rail: Playbook, text: str) -> None:
    severity, scenarios = decide(rail, text)
    assert "menace_modele" not in scenarios
    assert severity != "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais brûler ta voiture avec toi dedans",
        "tu vas plus jamais marcher droit après ce que je vais te faire",
        "tu finiras aux urgences, je te le garantis",
    ],
)
def test_threats_without_a_lexicon_phrase_still_reach_s4(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "on va vous éclater dimanche au match retour, préparez-vous les gars",
        "ce soir on les massacre au basket",
        "vous allez souffrir à l'entraînement demain, prenez de l'eau",
        "je passe te chercher à 9h pour le match, je sais où tu habites",
        "attends que je t'attrape, on joue à chat perché",
        "je vais te faire goûter mon gâteau, tu vas mourir tellement c'est bon",
        "franchement ce resto va se faire démonter par la critique",
        "cette coupe de cheveux c'est un attentat au bon goût",
    ],
)
def test_games_sports_and_images_are_not_threats(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] != "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "je vais te faire tellement mal que tu pourras plus te lever",
        "le prochain vendeur qui me manque de respect, je l'égorge",
        "je vais faire sauter votre agence",
        "je vé te défonsser",
        "je vais te tabassé à la sortie",
        "jvais t'égorjé",
    ],
)
def test_threats_in_person_and_as_heard(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "les migrants faudrait tous les castrer",
        "les juifs ? au bûcher",
        "tous les homos au goulag",
        "pour les musulmans la seule solution c'est la mitrailleuse",
        "il faudrait nettoyer la France des arabes",
        "les réfugiés il faudrait couler leurs bateaux",
        "les gitans seront tous pendus un jour",
        "les féministes ne changeront jamais, alors il faut s'en débarrasser",
        "les noirs, il faudrait tous les jeter à la mer",
    ],
)
def test_calls_for_violence_against_a_group(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "ceux qui disent que les juifs devraient être gazés sont des ordures",
        "les fachos écrivent qu'il faudrait pendre les migrants : c'est une honte",
        "il prétend que les musulmans devraient être expulsés, je l'ai signalé",
        "les criminels devraient être punis plus sévèrement",
        "les pédophiles devraient être enfermés à vie",
        "notre équipe sera éliminée au premier tour, comme d'habitude",
    ],
)
def test_reported_calls_and_punishment_are_not_calls_for_violence(
    rail: Playbook, text: str
) -> None:
    severity, scenarios = decide(rail, text)
    assert "menace_groupe" not in scenarios, text
    assert severity != "S4", text


def test_sound_keys() -> None:
    assert sound_key("defonsser") == sound_key("defoncer")
    assert sound_key("konnar") == sound_key("connard")
    assert sound_key("egorje") == sound_key("egorger")
    assert sound_key("batar") == sound_key("batard")


@pytest.mark.parametrize("text", ["t'es qu'un konnar", "sale batar"])
def test_insults_spelt_as_heard(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] in ("S3", "S4")


@pytest.mark.parametrize(
    "text",
    [
        "je ne supporte pas les musulmans",
        "je peux pas voir les gitans",
        "je refuse de travailler avec une femme",
        "aucun réfugié ne mérite le respect",
    ],
)
def test_aversion_exclusion_and_refused_respect_are_group_hate(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] in ("S3", "S4"), text


@pytest.mark.parametrize(
    "text",
    [
        "je ne supporte pas le racisme envers les noirs",
        "je supporte pas les gens qui insultent les musulmans",
        "je ne supporte pas les retards",
        "je refuse de voyager dans ces conditions",
    ],
)
def test_aversion_to_racism_is_not_group_hate(rail: Playbook, text: str) -> None:
    assert decide(rail, text)[0] not in ("S3", "S4"), text
