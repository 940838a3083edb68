"""Chat's spoken forms and names spelled their own way are not blocking mistakes; the slips
next to them still are. Sentences written for these tests."""

import pytest

from canned_replies import chat_words, proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "spoken"),
    [
        ("jvais regarder ça ce soir et je te redis", "jvais", "je vais"),
        ("jpeux pas demain, on décale ?", "jpeux", "je peux"),
        ("jcrois que la boutique ferme à 19h", "jcrois", "je crois"),
        ("Jsais plus où j'ai rangé le ticket", "Jsais", "Je sais"),
        ("jdois repasser au guichet lundi", "jdois", "je dois"),
    ],
)
def test_je_cut_before_a_verb_is_chat_advice(text: str, word: str, spoken: str) -> None:
    assert word not in blocking_fixes(text)
    found = [f for f in proofread(text) if text[f.start : f.end] == word]
    assert found and not found[0].blocking and found[0].suggestions[:1] == [spoken]


@pytest.mark.parametrize(
    "word",
    ["jai", "jhabite", "jcomprend", "jarive", "jvai"],
)
def test_not_a_cut_je(word: str) -> None:
    # A vowel or "h" after the "j" is the standard elision missing its apostrophe; the rest
    # must be a first person ("comprend" is a third) or a pronoun.
    assert chat_words.elided_je(word) is None


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("jcomprend pas pourquoi le colis est bloqué", "jcomprend", "je comprends"),
        ("jai bien recu votre message", "recu", "reçu"),
    ],
)
def test_slips_in_chat_still_block(text: str, word: str, fix: str) -> None:
    assert word in blocking_fixes(text)


@pytest.mark.parametrize(
    "text",
    [
        "y'en a marre de ces retards",
        "T'inquiète, y'en a encore en stock.",
    ],
)
def test_spoken_y_en_is_advice(text: str) -> None:
    assert "y'en" not in blocking_fixes(text)


def test_il_y_en_with_apostrophe_still_blocks() -> None:
    assert "y'en" in blocking_fixes("Il y'en a encore trois en stock.")


@pytest.mark.parametrize(
    "text",
    ["il est vénère depuis ce matin", "elle est vénère, laisse-la"],
)
def test_est_after_a_subject_pronoun_is_the_verb(text: str) -> None:
    assert "est" not in blocking_fixes(text)


def test_est_between_two_verbs_still_reads_et() -> None:
    assert blocking_fixes("Il mange est boit trop vite.").get("est") == "et"


@pytest.mark.parametrize(
    ("text", "word", "usual"),
    [
        ("Kévin vous rappellera demain matin.", "Kévin", "Kevin"),
        ("Frederic a validé votre remboursement.", "Frederic", "Frédéric"),
        ("Jerome est passé au magasin hier.", "Jerome", "Jérôme"),
    ],
)
def test_name_spelled_its_own_way_at_sentence_start_is_advice(
    text: str, word: str, usual: str
) -> None:
    assert word not in blocking_fixes(text)
    found = [f for f in proofread(text) if text[f.start : f.end] == word]
    assert found and not found[0].blocking and usual in found[0].suggestions


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Ca marche, je vous envoie le bon.", "Ca", "Ça"),
        ("Deja reçu, merci !", "Deja", "Déjà"),
    ],
)
def test_accent_slips_of_common_words_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "C'est le magasin où ma sœur et mon frère travaillent.",
        "Le jour où mes parents et moi sommes arrivés, il pleuvait.",
        "La ville où Paul et Marie habitent est loin d'ici.",
    ],
)
def test_where_before_a_coordinated_subject_is_relative(text: str) -> None:
    assert "où" not in blocking_fixes(text)


@pytest.mark.parametrize(
    "text",
    ["Tu préfères du thé où du café ?", "Payez par carte où par chèque et on valide."],
)
def test_ou_for_or_still_blocks(text: str) -> None:
    assert blocking_fixes(text).get("où") == "ou"
