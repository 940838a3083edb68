"""After a subject pronoun, the first suggestion is a verb of that person in the indicative
present ("je croix" → "crois", not the subjunctive "croie"; "je pence" → "pense", where
Grammalecte offers nothing); "nous"/"vous" opening a sentence are subjects too. After "que",
the subjunctive keeps its place. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je croix que votre colis arrive demain.", "croix", "crois"),
        ("Je pence que c'est réglé.", "pence", "pense"),
        ("Nous avont bien reçu votre message.", "avont", "avons"),
        ("Tu doit appeler le service client.", "doit", "dois"),
    ],
)
def test_the_subject_asks_for_a_verb_of_its_person(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "vous" after "que" is the subject even with an object pronoun before the verb.
        ("Il faudrait que vous m'envoyez une photo du colis.", "envoyez", "envoyiez"),
        ("Il faut que vous nous renvoyez le produit.", "renvoyez", "renvoyiez"),
        ("Merci de nous renvoyez le produit.", "renvoyez", "renvoyer"),
    ],
)
def test_vous_after_que_keeps_its_person(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
