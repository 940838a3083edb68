"""A typo's first suggestion takes the form the grammar further back asks for: the subject
of "être" several words back, the auxiliary before a participle, the determiner and noun
before an adjective, the subject pronoun before object pronouns (suggestion_agreement).
Whether the word blocks does not depend on it. Sentences written for these tests."""

import pytest

from canned_replies import spelling_candidates, suggestion_agreement, suggestion_context
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Les colis seront livreés demain matin.", "livreés", "livrés"),
        ("La commande sera livreé demain.", "livreé", "livrée"),
        ("Votre colis sera livreé demain.", "livreé", "livré"),
        ("Vos remboursements seront effectuéés sous huit jours.", "effectuéés", "effectués"),
        # the head of the subject, not its complement
        ("La livraison de vos colis sera effectuéé lundi.", "effectuéé", "effectuée"),
        # past an object pronoun and an adverb
        ("Les nouvelles adresses vous seront bien envoyeés.", "envoyeés", "envoyées"),
        # the antecedent of "qui"
        ("Les colis qui seront livreés demain sont prêts.", "livreés", "livrés"),
        # "a été": the subject, as after "être"
        ("Votre demande a bien été enregistreé.", "enregistreé", "enregistrée"),
    ],
)
def test_attribute_agrees_with_the_subject_of_etre(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nous vous le renvoyon dès demain.", "renvoyon", "renvoyons"),
        ("Nous vous le confirmont demain.", "confirmont", "confirmons"),
        ("Je vous le confirmr demain.", "confirmr", "confirme"),
    ],
)
def test_verb_after_object_pronouns_takes_the_subject_person(
    text: str, word: str, fix: str
) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Les boîtes blances sont arrivées.", "blances", "blanches"),
        ("Les livreurs passnt demain matin.", "passnt", "passent"),
        # a determiner's number across two adjectives
        ("Les nouvelles grandes adresss sont enregistrées.", "adresss", "adresses"),
    ],
)
def test_word_after_a_noun_agrees_with_its_phrase(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


def test_participle_after_avoir_stays_masculine_singular() -> None:
    text = "Elle a répondut hier."
    start = text.index("répondut")
    asks = suggestion_agreement.asks(text, start)
    assert asks is not None
    assert asks("répondu") and not asks("répondus") and not asks("répondue")
    # a direct object before "avoir": the participle may agree with it, nothing is asked
    text = "Je les ai reçuts hier."
    assert suggestion_agreement.asks(text, text.index("reçuts")) is None


def test_infinitive_after_a_modal_is_no_subject_person() -> None:
    text = "Je vais vous le renvoyr demain."
    assert suggestion_agreement.subject_person(text, text.index("renvoyr")) is None


def test_the_farther_reading_gives_way_when_no_candidate_passes_both() -> None:
    text = "Les colis seront livreés demain."
    start = text.index("livreés")
    # the word before's reading alone (suggestion_context.fits)
    assert suggestion_context.fits_in_context(text, start, ["livres", "livrées"]) is None
    fits = suggestion_context.fits_in_context(text, start, ["livrés", "livrées"])
    assert fits is not None and fits("livrés") and not fits("livrées")


def test_context_orders_but_does_not_decide_blocking() -> None:
    word = "controle"
    text = "Le dossier doit être controle demain."
    assert blocking_fixes(text).get(word) == "contrôlé"
    assert spelling_candidates.candidates(word)
