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


def test_unsupported_language_is_an_error():
    import pytest

    from canned_replies import Proofreader

    with pytest.raises(ValueError, match="de"):
        Proofreader("de")
