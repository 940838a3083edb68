"""The compact frequency tables give exactly wordfreq's Zipf values.

Every 40th word of both lists (about 16,000), in both languages, and forms that exercise the
tokenizer, digits, case, several tokens and unseen words. A one-off check compared all 630,000
words (and 100,000 upper-cased or capitalised ones) in both languages: no difference.
"""

from __future__ import annotations

import itertools

import pytest

wordfreq = pytest.importorskip("wordfreq")

from canned_replies import word_frequencies  # noqa: E402

FORMS = [
    "",
    " ",
    "--",
    "aujourd'hui",
    "L'école",
    "1234",
    "3.14",
    "COVID-19",
    "rock'n'roll",
    "Ça",
    "ÉCOLE",
    "don't",
    "U.S.A",
    "t'es",
    "le chat",
    "2026",
    "x2",
    "😀",
    "œuvre",
    "naïve",
    "ﬁn",
    "impressionant",
    "Balkany",
    "clopidogrel",
    "deadline",
    "teh",
    "alot",
    "zzzzqx",
    "\ud800",
]


def sample() -> list[str]:
    words = itertools.chain(
        *(itertools.chain(*wordfreq.get_frequency_list(lang)) for lang in ("fr", "en"))
    )
    picked = list(itertools.islice(words, 0, None, 40))
    return picked + [w.upper() for w in picked[:2000]] + [w.title() for w in picked[:2000]] + FORMS


def test_same_zipf_values_as_wordfreq() -> None:
    for lang in ("fr", "en"):
        differ = [
            (word, expected, got)
            for word in sample()
            if (expected := wordfreq.zipf_frequency(word, lang))
            != (got := word_frequencies.zipf_frequency(word, lang))
        ]
        assert differ == [], lang


def test_unknown_language() -> None:
    with pytest.raises(LookupError):
        word_frequencies.table("xx-unknown")
