"""py3langid's model read column by column classifies as py3langid's own loading does."""

from __future__ import annotations

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from playbooks.language_model import identifier

TEXTS = [
    "bonjour le train est encore en retard, c'est inadmissible",
    "the delivery is late again, please help",
    "der Zug ist wieder zu spät",
    "ma commande CMD-123 n'est toujours pas arrivée",
    "mdr ptdr xD",
    "🤡🤡🤡",
    "",
    "ok",
]


@pytest.mark.parametrize("languages", [("en", "fr"), ("de", "fr", "it")])
def test_the_same_identifier_as_py3langid_restricted(languages: tuple[str, ...]) -> None:
    reference = LanguageIdentifier.from_model_file(MODEL_FILE)
    reference.set_languages(list(languages))
    mine = identifier(languages)
    assert mine.nb_classes == reference.nb_classes
    assert mine.nb_ptc.dtype == reference.nb_ptc.dtype
    assert (mine.nb_ptc == reference.nb_ptc).all() and (mine.nb_pc == reference.nb_pc).all()
    assert mine.tk_nextmove == reference.tk_nextmove and mine.tk_row == reference.tk_row
    assert mine.tk_output == reference.tk_output
    for text in TEXTS:
        assert mine.classify(text) == reference.classify(text), text
        assert mine.rank(text) == reference.rank(text), text


def test_language_sets_share_one_tokenizer_and_unknown_codes_are_refused() -> None:
    assert identifier(("en", "fr")).tk_nextmove is identifier(("de", "fr", "it")).tk_nextmove
    with pytest.raises(ValueError, match="Unknown language"):
        identifier(("fr", "xx"))
