"""What proofreading never reads: web addresses, handles, codes (canned_replies.masking)."""

from __future__ import annotations

from canned_replies.masking import mask


def test_web_addresses_on_an_ip_or_an_unknown_domain_are_protected_too():
    text = (
        "Votre avis : http://127.0.0.1:5000/s/eyJjIjo0MiJ9.Z3 et https://avis.exemple-interne/s/x"
    )
    masked, _ = mask(text)
    assert "127.0.0.1" not in masked and "exemple" not in masked
    assert masked.startswith("Votre avis : ") and len(masked) == len(text)


def test_censored_words_are_protected_but_not_emphasis():
    text = "Le message disait « t'es qu'un c*n, va te faire f**tre », et m**** aussi."
    masked, _ = mask(text)
    assert "c*n" not in masked and "f**tre" not in masked and "m****" not in masked
    assert "disait" in masked and len(masked) == len(text)
    emphasis = "*Attention* : la boutique ferme à midi, voir la note*."
    assert mask(emphasis)[0] == emphasis
