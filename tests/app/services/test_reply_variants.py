"""The one-click variation of a reply refused as duplicate content."""

from __future__ import annotations

from app.services.reply_variants import MAX_LENGTH, variant


def test_the_author_s_name_goes_into_the_greeting() -> None:
    assert variant("Bonjour, nous regardons.", "Léa") == "Bonjour Léa, nous regardons."
    assert variant("Hello! We are on it.", "Sam", "en") == "Hello Sam! We are on it."


def test_without_a_greeting_the_name_comes_first() -> None:
    assert variant("Avec plaisir !", "Léa") == "Léa, avec plaisir !"
    assert variant("SNCF vous répond.", "Léa") == "Léa, SNCF vous répond."


def test_a_name_already_there_gives_a_different_closing() -> None:
    assert variant("Merci Léa, c'est noté.", "Léa") == "Merci Léa, c'est noté. Belle journée !"
    assert variant("Thanks Sam.", "Sam", "en") == "Thanks Sam. Have a great day!"


def test_nothing_too_long_is_proposed() -> None:
    text = "x" * (MAX_LENGTH - 3)
    assert variant(text, "Léa") is None
    assert variant("Bonjour, merci.", "") == "Bonjour, merci. Belle journée !"
