"""A question's inverted subject written without its hyphen, read past what used to hide it
(canned_replies/inversion_hyphen.py): "puis je" after a question word even when an aside or
an infinitive that is also a noun follows, a subject with a name in apposition; the joined
inversion replaces Grammalecte's elision and conjugation findings on the same words, which
read "je" as the subject of the infinitive ("j’", "deviens").

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "words", "fix"),
    [
        ("Comment puis je, en tant que client, obtenir une facture ?", "puis je", "puis-je"),
        ("Comment puis je devenir partenaire ?", "puis je", "puis-je"),
        ("J'ai perdu mon ticket, puis je obtenir un duplicata ?", "puis je", "puis-je"),
        ("Quand la boutique Cabasso fut elle ouverte ?", "fut elle", "fut-elle"),
    ],
)
def test_inversion_blocks_alone_with_the_hyphen(text, words, fix):
    assert blocking_fixes(text) == {words: fix}


@pytest.mark.parametrize(
    "text",
    [
        "Puis je pars en vacances ?",
        "Et puis je fais quoi ?",
    ],
)
def test_then_i_is_not_an_inversion(text):
    assert blocking_fixes(text) == {}
