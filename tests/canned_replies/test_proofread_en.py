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
