"""The compact English word list answers as pyspellchecker's SpellChecker does."""

from __future__ import annotations

import pytest
from spellchecker import SpellChecker

from canned_replies.english import speller

WORDS = [
    "the", "The", "RECEIVE", "recieve", "colour", "customer's", "o'clock", "café", "zoë",
    "a", "'", ".", "12", "nan", "inf", "x" * 40, "", "qwxz", "instagrm", "hello", "naïve",
]  # fmt: skip


@pytest.fixture(scope="module")
def reference() -> SpellChecker:
    return SpellChecker(language="en")


def test_the_same_words_counts_and_letters(reference: SpellChecker) -> None:
    words = speller()
    counter = reference.word_frequency.dictionary
    assert len(words.dictionary) == len(counter)
    assert sorted(words.dictionary) == sorted(counter)
    assert words.total_words == reference.word_frequency.total_words
    assert words.letters == reference.word_frequency.letters
    assert words.longest_word_length == reference.word_frequency.longest_word_length
    for word in list(counter)[::997]:
        assert words.word_usage_frequency(word) == reference.word_usage_frequency(word)


def test_the_same_answers(reference: SpellChecker) -> None:
    words = speller()
    for word in WORDS:
        assert (word in words) == (word in reference), word
        assert words.known([word]) == reference.known([word]), word
        assert words.edit_distance_1(word) == reference.edit_distance_1(word), word
        assert words.known(words.edit_distance_1(word)) == reference.known(
            reference.edit_distance_1(word)
        ), word
        assert words.word_usage_frequency(word) == reference.word_usage_frequency(word), word
