"""Step 45: "vous" after a subject and its comma is the object when the verb takes that subject's
person and number, the subject being names or noun phrases listed and joined by "et" ("Marie
et Paul, ravis, vous remercient"; "Marc et moi" is 1st person) or one name: step 44 found
the listed form blocked. A verb that agrees with neither still blocks. Sentences written for
these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Marie et Paul, ravis, vous remercient.",
        "Le directeur et son équipe, ravis de votre visite, vous remercient.",
        "Paul, Marie et Léa, ravis, vous attendent samedi.",
        "Bonjour Léa, Marc et moi, ravis, vous remercions.",
        "Nos conseillers et notre directeur, disponibles le samedi, vous répondent.",
        "Marie, ravie, vous remercie.",
        "Le directeur, un homme charmant, vous remercie.",
        "Marie et Paul, vous remerciez nos équipes ?",
    ],
)
def test_vous_after_a_listed_subject_and_its_comma_is_the_object(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Marie et Paul, ravis, vous remercions.", "remercions"),
        ("Marc et moi, ravis, vous remercient.", "remercient"),
        ("Bonjour Marie, vous remercie de votre patience.", "remercie"),
    ],
)
def test_a_verb_agreeing_with_neither_still_blocks(text: str, word: str) -> None:
    assert word in blocking_fixes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vous recevrez un SMS une heure avant son arrivé.",
        "Depuis son arrivé, tout va mieux.",
        "Nous vous écrirons dès son retour validé.",
    ],
)
def test_son_after_a_preposition_is_the_determiner(text: str) -> None:
    """The slip is the noun's ending ("arrivée"), never "sont": no fix on "son"."""
    assert "son" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("Après son départ, vos colis son partis.", "sont"),
        ("Les colis son arrivés hier.", "sont"),
    ],
)
def test_son_as_the_verb_still_blocks(text: str, fix: str) -> None:
    assert blocking_fixes(text).get("son") == fix
