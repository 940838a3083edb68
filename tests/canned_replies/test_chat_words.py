"""Listed chat words and loanwords are advice, never a block; misspellings of common words
stay blocking. Sentences written for these tests."""

import pytest

from canned_replies import chat_words, proofread, unknown_words
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


def test_every_listed_word_is_written_in_french_text() -> None:
    # The list may only hold words in use (wordfreq's French list), never an invented one.
    rare = [w for w in chat_words.words() if unknown_words.zipf(w) < 1.5]
    assert rare == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("On se retrouve cet aprèm pour le padel ?", "aprèm"),
        ("Les devs ont corrigé le souci hier soir.", "devs"),
        ("On peut caler une visio demain matin ?", "visio"),
        ("Tu passes au déj avec nous ?", "déj"),
        ("J'ai fini mes exos avant de partir.", "exos"),
        ("Je t'envoie un ptit mot dès que c'est prêt.", "ptit"),
    ],
)
def test_chat_word_is_advice(text: str, word: str) -> None:
    assert word not in blocking_fixes(text)
    assert any(text[f.start : f.end] == word and not f.blocking for f in proofread(text))


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je vous rappelle apres le rendez-vous.", "apres", "après"),
        ("Votre colis est deja parti.", "deja", "déjà"),
        ("Nous avons meme prévu un geste commercial.", "meme", "même"),
    ],
)
def test_slips_next_to_chat_words_still_block(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
