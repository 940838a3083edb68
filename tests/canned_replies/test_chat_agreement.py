"""Agreement and homophone slips as chatters type them (proof19a): names in lowercase, "t'as",
"soeur" without its ligature, an attribute ending the clause, a subject read past its
complement, "X est où" without its question mark, a verb's ending before a name. Each
mistake blocks with the right correction first; the correct sentence next to it stays clean.

Sentences written for these tests (chat register: no capitals, no final punctuation), not
taken from any data set."""

import pytest

from canned_replies import names_around
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a first name in lowercase: Grammalecte reads its gender and number once capitalised
        ("julie est rentré chez elle", "rentré", "rentrée"),
        ("thomas et léa vient ce soir", "vient", "viennent"),
        ("paul à oublié ses clés", "à", "a"),
        # a first name alone, "tout le/toute la" + a singular noun: a singular verb
        ("lucas ont dit qu'il venait", "ont", "a"),
        ("tout le monde sont d'accord", "sont", "est"),
        ("toute la classe sont venus", "sont", "est"),
        # chat's "t'as": the object "que" before the participle
        ("les photos que t'as pris sont géniales", "pris", "prises"),
        # "soeur" typed without its ligature hid the subject
        ("ma soeur est allé au ciné", "allé", "allée"),
        ("les enfants de ma soeur joue dehors", "joue", "jouent"),
        # an attribute ending the clause after a plural "être", also an adverb or pronoun
        ("les questions étaient dur", "dur", "dures"),
        ("tes idées sont nul", "nul", "nulles"),
        ("ses parents sont divorcé", "divorcé", "divorcés"),
        # "elle s'est" + a participle whose "se" is its object, a preposition after
        ("elle s'est trompé de bus", "trompé", "trompée"),
        # a long subject: its head decides the verb
        ("la mère de mes potes sont prof", "sont", "est"),
        # the main verb after the subject's relative clause
        ("les potes de mon frère qui habitent à lyon vient demain", "vient", "viennent"),
        ("le livreur qui passe le mardi sont en retard", "sont", "est"),
        # "et" for "est" before a degree adverb
        ("elle et trop gentille", "et", "est"),
        # "ou" for "où" in a question without its "?"
        ("tu es ou", "ou", "où"),
        ("il est ou ton frère", "ou", "où"),
        # "mes" before what never follows a determiner
        ("mes non c'est pas vrai", "mes", "mais"),
        ("mes à part ça tout va bien", "mes", "mais"),
        # a verb's ending is not decided by the name after it
        ("elle a appeler julie", "appeler", "appelé"),
        ("il faut envoyé Marc", "envoyé", "envoyer"),
    ],
)
def test_chat_slip_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "julie est rentrée chez elle",
        "thomas et léa viennent ce soir",
        "paul a oublié ses clés",
        "paul et marie ont raison",
        "tout le monde est d'accord",
        "toute la journée ils sont restés au lit",
        "les photos que t'as prises sont géniales",
        "j'ai l'impression que t'as raté le bus",
        "ma soeur est allée au ciné",
        "ma soeur et moi on est crevés",
        "les questions étaient dures",
        "ils sont juste à côté",
        "ils sont fort gentils",
        "elles se sont succédé",
        "elle et moi on arrive",
        "il est où ton frère",
        "elles sont où tes clés",
        "c'est où déjà",
        "tu viens ou pas",
        "c'est ou l'un ou l'autre",
        "elle a appelé Julie",
        "il faut envoyer Marc",
        "je vais chez max demain",
        "mes amis sont là",
        "la fille qui parle avec les garçons porte une robe",
        "les gens qui disent que tout va bien mentent",
        "les gens qui passent à n'importe quelle heure sont pénibles",
        "le vendeur qui conseille les clients gagne plus",
        "elle s'est coupé les cheveux",
        "elle s'est demandé pourquoi",
        "elle s'est permis de venir",
        "mes propres affaires",
    ],
)
def test_correct_chat_sentence_does_not_block(text):
    assert blocking_fixes(text) == {}


def test_only_words_known_only_as_names_are_capitalised():
    # "marie" (marier), "pierre", "max" are words too: left as written
    text = "julie et marie ont vu pierre et max à lyon"
    spans = names_around.lowercase_names(text)
    assert [text[s:e] for s, e in spans] == ["julie", "lyon"]
    assert names_around.capitalised(text, spans) == "Julie et marie ont vu pierre et max à Lyon"


def test_lowercase_name_stays_advice():
    from canned_replies import proofread

    findings = [f for f in proofread("julie arrive demain") if f.start == 0]
    assert [(f.rule, f.blocking) for f in findings] == [
        ("grammalecte.spelling.lowercase_name", False)
    ]
