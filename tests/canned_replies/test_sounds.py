"""Suggestions that sound like the typo come first (canned_replies.sounds), own sentences."""

import pytest

from canned_replies import proofread, unknown_words
from canned_replies.sounds import sound


def test_spellings_of_one_sound_share_a_key_but_endings_count():
    assert sound("occasioné") == sound("occasionné") != sound("occasion")
    assert sound("éronée") == sound("erronée") != sound("érodée")
    assert sound("indésirabble") == sound("indésirable") != sound("indésirables")


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Toutes nos excuses pour la gêne occasioné.", "occasioné", "occasionné"),
        ("Le montant facturé était éroné, nous le corrigeons.", "éroné", "erroné"),
        ("Un conseiller va vous rapeller demain.", "rapeller", "rappeler"),
        ("Nous avons bien reçu votre comande.", "comande", "commande"),
    ],
)
def test_first_suggestion_sounds_like_the_typo(text, word, fix):
    found = [f for f in proofread(text, "fr") if text[f.start : f.end] == word]
    assert found and found[0].blocking and found[0].suggestions[0] == fix


def test_tied_suggestions_come_in_one_order_whatever_the_speller_gave() -> None:
    """The speller lists ties in hash order (it changes between processes): the ranking may
    not depend on it."""
    tied = ["zorbulax", "zorbulex", "zorbulix"]  # same distance, same (absent) frequency
    assert unknown_words.rank("zorbulox", tied) == unknown_words.rank("zorbulox", tied[::-1])
