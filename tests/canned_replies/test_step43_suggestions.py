"""Step 43 (issue 19, first suggestion): slips a writer did not see coming, read as general
classes (benchmarks/bench_suggestions.py):
- a three-letter word's keystroke neighbours join a blocking typo's suggestions ("ets" →
  "est", "dse" → "des"), for ordering only (suggestion_more.py);
- an ending heard as "é" or "è" respelt ("avet" → "avait", "commencet" → "commencé") and a
  silent final consonant left out ("troi" → "trois") are one slip by ear (typo_channel);
- other spellings of a sound: "gu" before e/i, "ss" for "ç" (spelling_candidates);
- a final "ê", "ês" or "êe" is the "é" ending it was typed for ("rosê" → "rosé", sounds.py);
- a subjectless 1st/2nd person form after an auxiliary, a noun or an adjective that sounds
  like its participle is that participle ("a étais acceptée" → "été", suggestion_clause);
- forms of a far rarer verb the word can also be are not offered ("étaient": "était", never
  "étaye"; french_words.verb_forms) and go last among a grammar finding's suggestions.

Sentences written for these tests, not taken from any data set."""

import pytest

from canned_replies.french_words import verb_forms
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # three-letter words: a swap, a neighbouring key, a letter missed inside
        ("Votre commande ets partie ce matin.", "ets", "est"),
        ("Merci pour dse photos aussi nettes.", "dse", "des"),
        ("Il vous reste unr semaine pour répondre.", "unr", "une"),
        ("La cur du magasin est fermée le dimanche.", "cur", "cour"),
        # an ending heard as "é" or "è" respelt, a silent final letter left out
        ("Il y avet trop de monde au guichet.", "avet", "avait"),
        ("La livraison a commencet hier soir.", "commencet", "commencé"),
        ("Cela pourré vous aider à patienter.", "pourré", "pourrait"),
        ("Je pourré venir vous voir demain.", "pourré", "pourrai"),
        ("Nous avons attendu troi semaines.", "troi", "trois"),
        ("Vous passez souven devant la boutique.", "souven", "souvent"),
        # other spellings of a sound
        ("Le musée de la gerre ouvre à dix heures.", "gerre", "guerre"),
        ("Comment s'est paçée votre visite ?", "paçée", "passée"),
        # a circumflex typed for the "é" ending
        ("Je prendrai un verre de rosê bien frais.", "rosê", "rosé"),
        ("La date indiquêe sur le bon est dépassée.", "indiquêe", "indiquée"),
        ("Les clients âgês de plus de 65 ans paient moitié prix.", "âgês", "âgés"),
        # a subjectless form heard like its participle
        ("Votre demande a étais acceptée par le service client.", "étais", "été"),
    ],
)
def test_right_fix_first(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # look-alikes whose fix must not move: a participle after "avoir", a verb of its subject
        ("On a pri le train de nuit pour venir.", "pri", "pris"),
        ("Bonjour, vous pourrais retirer votre colis dès demain.", "pourrais", "pourrez"),
        ("La mise à jour, qui corriges ce souci, arrive lundi.", "corriges", "corrige"),
        ("Toute l'équipe vous remercies pour votre message.", "remercies", "remercie"),
        ("Ces enfants qui était là hier sont revenus.", "était", "étaient"),
        # "quel" before a verb: a question, not a noun phrase
        ("Quel étèt le prix du billet ?", "étèt", "était"),
    ],
)
def test_look_alike_keeps_its_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Les colis étaient prêts avant midi.",
        "Nous vous remercions pour ces photos.",
        "Le prix du billet reste le même.",
        "Un verre de rosé et deux cafés, s'il vous plaît.",
        "Il est sûr que la cour sera fermée.",
    ],
)
def test_clean_stays_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_verb_forms_leave_out_a_far_rarer_verb() -> None:
    assert verb_forms("étaient", ":3s") == ["était"]
    assert verb_forms("Étaient", ":3s") == ["Était"]
    # both readings in use: "suis" of "être" and of "suivre"
    assert set(verb_forms("suis", ":3p")) == {"sont", "suivent"}
