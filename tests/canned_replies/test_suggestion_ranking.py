"""Which correction comes first, and what it costs to find it (proofsugg), own sentences."""

import pytest

from canned_replies import proofread, spelling_candidates
from canned_replies.sounds import sound
from canned_replies.typo_channel import slip_cost


def test_a_typed_ending_is_meant_even_when_it_sounds_the_same():
    # "-ées" and "-é" are both heard "é", but the writer typed the feminine plural.
    assert sound("modérrées") == sound("modérées") != sound("modéré")
    assert sound("annullées") != sound("annulé")
    assert sound("demandèe") == sound("demandée") != sound("demande")


def test_c_before_an_accented_e_is_soft():
    assert sound("marcé") != sound("marqué")
    assert sound("lancer") == sound("lansé")


def test_accented_letters_have_their_own_keys():
    # "é" is on the number row, not next to "r": a swap is the likelier slip.
    assert slip_cost("livreé", "livrée") < slip_cost("livreé", "livrer")
    # An accent typed on a letter that has none is rarer than the wrong accent.
    assert slip_cost("envoyès", "envoyés") < slip_cost("envoyès", "envoyes")


@pytest.mark.usefixtures("grammalecte")
def test_a_common_word_one_slip_away_spares_the_slow_suggester(monkeypatch):
    calls = []

    def suggester(word, limit=5):
        calls.append(word)
        return []

    monkeypatch.setattr(spelling_candidates, "suggest_spelling", suggester)
    assert "disposition" in spelling_candidates.candidates("disposotion")
    assert calls == []
    # Nothing common one slip away: the suggester is still asked.
    spelling_candidates.candidates("aujourdhui")
    assert calls == ["aujourdhui"]


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # The determiner before an adjective asks for a noun ("guerre"), not the adverb.
        ("Ce film parle de la dernière guere.", "guere", "guerre"),
        # An inversion without its hyphen: the modal asks for an infinitive.
        ("Quand dois je paier ma facture ?", "paier", "payer"),
        ("Les commandes annullées seront remboursées.", "annullées", "annulées"),
        ("Le marcé de Noël ouvre samedi.", "marcé", "marché"),
        # A grave accent on an "é" ending: the ending is still the one typed.
        ("La carte demandèe hier est prête.", "demandèe", "demandée"),
        ("Nous avons trouvé une disposotion plus simple.", "disposotion", "disposition"),
    ],
)
def test_first_suggestion_reads_the_neighbouring_words_and_the_typed_ending(text, word, fix):
    found = [f for f in proofread(text, "fr") if text[f.start : f.end] == word]
    assert found and found[0].blocking and found[0].suggestions[0] == fix


@pytest.mark.usefixtures("grammalecte")
def test_a_subject_pronoun_after_que_still_asks_its_person():
    text = "Il faut que je paier ma facture."
    found = [f for f in proofread(text, "fr") if text[f.start : f.end] == "paier"]
    assert found and found[0].suggestions[0] == "paie"
