"""Stored lexicons handed to the loader by the app: language, version, problems by line."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, PlaybookError, StoredLexicon, load_playbook

PLAYBOOK = """format: 1
name: Test
{languages}lexicons:
  produits: {{stored: [produits, extra]}}
scenarios:
  - id: produit
    label: Produit
    severity: S2
    when: {{lexicon: produits}}
"""


def _load(lexicons: dict[str, StoredLexicon], languages: str = "languages: [fr, en]\n"):
    return load_playbook(PLAYBOOK.format(languages=languages), stored_lexicons=lexicons)


def _stored(name: str, text: str, lang: str = "fr", version: int = 1) -> StoredLexicon:
    return StoredLexicon(name, lang, text, version)


def _scenarios(book, text: str, lang: str) -> list[str]:
    return book.decide(MentionInput(text=text, lang=lang)).scenarios


def test_terms_count_in_their_own_language_and_exceptions_apply():
    book = _load(
        {
            "produits": _stored("produits", "trottinette\n!trottinette en bois"),
            "extra": _stored("extra", "scooter", lang="en"),
        }
    )
    assert _scenarios(book, "ma trottinette est cassée", "fr") == ["produit"]
    assert _scenarios(book, "une trottinette en bois", "fr") == []
    assert _scenarios(book, "my scooter broke", "en") == ["produit"]
    assert _scenarios(book, "mon scooter est cassé", "fr") == []


def test_every_language_lexicon_and_languages_taken_from_stored_ones():
    book = _load(
        {
            "produits": _stored("produits", "trottinette", lang="*"),
            "extra": _stored("extra", "scooter", lang="en"),
        },
        languages="",
    )
    assert set(book.languages) == {"fr", "en"}
    assert _scenarios(book, "a trottinette", "en") == ["produit"]


def test_the_version_follows_the_stored_text():
    one = _load({"produits": _stored("produits", "vélo"), "extra": _stored("extra", "x")})
    two = _load({"produits": _stored("produits", "vélo\nbus"), "extra": _stored("extra", "x")})
    assert one.version != two.version


def test_problems_name_the_stored_lexicon_and_its_line_and_missing_ones_are_errors():
    with pytest.raises(PlaybookError) as caught:
        _load({"produits": _stored("produits", "vélo\ngyropode (cassé"), "extra": None})  # type: ignore[dict-item]
    messages = [(i.source, i.line, i.message) for i in caught.value.errors]
    assert any(src == "stored:produits" and line == 2 for src, line, _m in messages)
    assert any("stored lexicon 'extra' not found" in m for _s, _l, m in messages)


def test_a_language_outside_the_playbook_is_an_error():
    with pytest.raises(PlaybookError, match="language 'de' is not one of"):
        _load(
            {"produits": _stored("produits", "Roller", lang="de"), "extra": _stored("extra", "x")}
        )
