from canned_replies import proofread


def _flagged(text, findings):
    return [text[f.start : f.end] for f in findings]


def test_typos_are_flagged_with_suggestions():
    text = "We are sorry for the inconvenince, you will recieve a refund."
    findings = proofread(text, "en")
    assert _flagged(text, findings) == ["inconvenince", "recieve"]
    assert "receive" in findings[1].suggestions
    assert all(f.kind == "spelling" for f in findings)


def test_contractions_british_spellings_names_and_brand_terms_pass():
    text = (
        "Hello Siobhan, we're sorry: we've apologised to our Mercalia colleagues and "
        "cancelled the order. Don't hesitate to DM @shop_help or see https://mercalia.fr/help."
    )
    assert proofread(text, "en", dictionary=["Mercalia"]) == []


def test_foreign_letters_censored_words_and_words_in_use_do_not_block():
    # Not split at "Ø" or "ë" into "rsgaard", "Zo"; "f*ck" is not "f" + "ck"; "cafe" is in
    # use though the word list lacks it.
    text = "Hi Zoë, your jalapeño order from Ørsgaard's cafe is late, what the f*ck indeed."
    assert [f for f in proofread(text, "en") if f.blocking] == []


def test_dropped_apostrophes_still_block():
    text = "I dont think youre late."
    findings = [f for f in proofread(text, "en") if f.blocking]
    assert _flagged(text, findings) == ["dont", "youre"]
    assert [f.suggestions[0] for f in findings] == ["don't", "you're"]


def test_unsupported_language_is_an_error():
    import pytest

    from canned_replies import Proofreader

    with pytest.raises(ValueError, match="de"):
        Proofreader("de")


def test_far_off_words_are_looked_up_not_enumerated():
    # pyspellchecker built every string two edits away (about 2 million for 16 letters, over a
    # second); wildcard lookups find the same words from a few tens of thousands of hashes.
    import time

    from spellchecker import SpellChecker

    from canned_replies import english_candidates
    from canned_replies.english import speller

    spell = speller()
    english_candidates.warm(spell)
    reference = SpellChecker(language="en")
    for word in ["instagrm", "bitchesss", "yasss", "recieve"]:
        assert english_candidates.candidates(spell, word) == reference.candidates(word)
    started = time.process_time()
    for word in ["abcdefghijklmnop", "kardashianszq", "x" * 40]:
        english_candidates.candidates(spell, word)
    assert time.process_time() - started < 1.0


def test_wildcard_index_is_the_sorted_set_of_hashes():
    import numpy as np

    from canned_replies import english_candidates

    words = ["a", "an", "and", "band", "bands", "brand", "brands", "sand", "sands"] * 2
    wildcard = english_candidates._WILDCARD
    expected = sorted(
        {hash(w[:i] + wildcard + w[i + 1 :]) & 0xFFFFFFFF for w in words for i in range(len(w))}
    )
    assert english_candidates.wildcard_hashes(words).tolist() == expected
    assert english_candidates.wildcard_hashes(words).dtype == np.uint32
