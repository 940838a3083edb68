"""Signatures: paraphrases with typos cluster, other complaints do not, retweets and quotes do."""

from __future__ import annotations

from app.services import signatures

WAVE = "@SNCF Le TER de 8h12 Lyon-Grenoble est encore supprimé, c'est inadmissible, remboursez-nous"


def test_paraphrases_with_typos_accents_and_shouting_cluster():
    assert signatures.similar(
        WAVE, "le ter de 8h12 lyon grenoble encore supprime, cest inadmissibleeee remboursez nous"
    )
    assert signatures.similar(WAVE, "TER de 8h12 Lyon-Grenoble ENCORE supprimé!!! inadmissible")
    assert signatures.similar(
        WAVE,
        "@SNCF_Aide Le TER de 8h12 Lyon Grenoble est encor suprimé, "
        "c inadmissible, rembourser nous",
    )


def test_different_complaints_do_not_cluster():
    assert not signatures.similar(WAVE, "Merci pour le remboursement rapide de mon billet")
    assert not signatures.similar(WAVE, "Mon colis n'a jamais été livré, commande 12345")
    assert not signatures.similar(
        "Le contrôleur du TER de 8h12 a été très aimable, merci",
        "Je vais venir vous tuer à la gare",
    )


def test_retweets_and_copy_paste_cluster():
    assert signatures.similar(f"RT @alice: {WAVE}", WAVE)
    assert signatures.group([WAVE, WAVE, f"RT @bob: {WAVE}", "Bonjour, horaires du 9h?"]) == [
        0,
        0,
        0,
        3,
    ]


def test_quotes_cluster_on_what_they_quote_and_shared_links():
    quote = {
        "data": {"id": "9", "referenced_tweets": [{"type": "quoted", "id": "1"}]},
        "includes": {"tweets": [{"id": "1", "text": WAVE}]},
    }
    other_quote = {
        "data": {"id": "10", "referenced_tweets": [{"type": "quoted", "id": "1"}]},
        "includes": {"tweets": [{"id": "1", "text": WAVE}]},
    }
    a = signatures.signature("Honteux.", quote)
    b = signatures.signature("Scandale total", other_quote)
    assert a is not None and b is not None
    assert signatures.best_match(a, [(1, b.minhash, b.links)]) is not None
    # Two different texts sharing one article link are one wave; a shortener is no link.
    assert signatures.similar(
        "Lisez ça https://www.lemonde.fr/greve-sncf/article?utm=x",
        "Incroyable ce qui se passe http://lemonde.fr/greve-sncf/article/",
    )
    assert not signatures.similar("Lisez ça https://t.co/abc", "Incroyable https://t.co/abc")


def test_signature_round_trips_and_empty_texts_have_none():
    sig = signatures.signature(WAVE)
    assert sig is not None and len(sig.bands) == signatures.BANDS
    assert (signatures.from_bytes(sig.to_bytes()) == sig.minhash).all()
    assert signatures.signature("@SNCF") is None


def test_best_of_picks_what_best_match_picks():
    """The batch path compares a mention with all its candidates at once: the same match and
    score as one by one, ties going to the first candidate, shared links counting."""
    from connectors.demo import load_stream

    texts = [str(line["text"]) for line in load_stream("demo-rail")][:120]
    texts += [WAVE, f"RT @a: {WAVE}", WAVE.upper(), "voir https://example.org/incident", "idem"]
    texts += ["https://example.org/incident lisez ça", WAVE]  # a shared link; an exact tie
    sigs = [s for s in map(signatures.signature, texts) if s is not None]
    matched = 0
    for i, sig in enumerate(sigs):
        earlier = sigs[:i]
        expected = signatures.best_match(
            sig, [(j, s.minhash, s.links) for j, s in enumerate(earlier)]
        )
        got = signatures.best_of(
            sig,
            list(range(len(earlier))),
            signatures.matrix_from_bytes([s.to_bytes() for s in earlier]),
            [s.links for s in earlier],
        )
        assert got == expected
        matched += got is not None
    assert matched >= 5
