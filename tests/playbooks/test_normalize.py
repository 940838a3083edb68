"""Each normalisation trick, and the way back to the original offsets."""

from __future__ import annotations

import pytest

from playbooks.normalize import normalize, squeeze


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CONNARD", " connard "),  # case
        ("Énervé à l'arrêt", " enerve a l arret "),  # accents, apostrophes
        ("cœur", " coeur "),  # ligatures
        ("nuuuuul", " nul "),  # elongation
        ("connnnnard", " conard "),  # elongation of a doubled letter
        ("c0nn4rd", " connard "),  # leetspeak digits
        ("s@lope", " salope "),  # @ for a
        ("b!te", " bite "),  # ! inside a word
        ("c o n n a r d", " connard "),  # spacing trick
        ("c.o.n", " con "),  # punctuation trick
        ("c-o-n-n-a-r-d", " connard "),
        ("con\u200bnard", " connard "),  # zero-width space
        ("Ѕаlе соn", " sale con "),  # Cyrillic look-alikes
        ("🖕🏽 vous", " 🖕 vous "),  # skin tone modifier dropped
        ("génial!!!", " genial "),  # punctuation is a boundary
        ("les p o r c s n'ont", " les porcs n ont "),  # an elided letter stays apart
        ("des c o n s s'en vont", " des cons s en vont "),
    ],
)
def test_tricks_are_undone(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_times_ordinals_and_prices_are_not_leetspeak() -> None:
    assert normalize("train de 8h12, 3ème voiture, 2e classe, 50€").text == (
        " train de 8h12 3eme voiture 2e classe 50 "
    )


def test_urls_and_handles_are_not_the_authors_words() -> None:
    text = "@Ferlis_Info @bob_42 votre contrôleur https://t.co/abc est top"
    assert normalize(text).text == " votre controleur est top "


@pytest.mark.parametrize(
    ("text", "word", "original"),
    [
        ("Espèce de CONNNNARD !!!", "conard", "CONNNNARD"),
        ("vous êtes des c o n s, voilà", "cons", "c o n s"),
        ("t'es qu'un c0nn4rd", "connard", "c0nn4rd"),
        ("@SNCF   sale   con", "con", "con"),
        ("cœur brisé", "brise", "brisé"),
    ],
)
def test_spans_map_back_to_the_original_text(text: str, word: str, original: str) -> None:
    nt = normalize(text)
    start = nt.text.index(f" {word} ")
    a, b = nt.original_span(start, start + len(word) + 2)
    assert text[a:b] == original


def test_squeeze_collapses_doubled_letters() -> None:
    assert squeeze("connard") == "conard"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a",
        "  Vous êtes  des  NULS !!!  ",
        "\tretard\n\n de  45 min… c o n , nuuuul\u00a0!",
        "C0NN4RD @Ferlis_Info https://exemple.fr/x?y=1 ＧＲＥＶＥ   sаlope\u3000 fin",
        "œuvre  — « retard » ,  \u200bcon\u200bnard  ",
    ],
)
def test_span_maps_both_ends_like_back(text: str) -> None:
    """`span`, the evidence's one call per shift, gives exactly `back` of each end, at every
    position (spaces, word edges, before the first word and past the last)."""
    nt = normalize(text)
    size = len(nt.text) + 2
    for shift in nt.shifts:
        for start in range(-1, size):
            for end in range(-1, size):
                assert shift.span(start, end) == (
                    shift.back(start, end=False),
                    shift.back(end, end=True),
                ), (text, type(shift).__name__, start, end)
