"""The ``[[name]]`` markers: one pattern for the editor, the preview and rendering."""

from __future__ import annotations

import canned_replies


def test_unfilled_variables_render_as_markers_the_editor_finds():
    result = canned_replies.render("Bonjour {{ prenom }}, {{ marque }} vous répond.", {})
    assert canned_replies.missing_markers(result.text) == list(result.missing)


def test_markers_are_listed_once_filled_and_split():
    text = "Bonjour [[prenom]] [[prenom]], voir [[lien_1]] ou [[ pas un marqueur ]]"
    assert canned_replies.missing_markers(text) == ["prenom", "lien_1"]
    filled = canned_replies.fill_markers(text, {"prenom": " Ana ", "lien_1": "  "})
    assert filled == "Bonjour Ana Ana, voir [[lien_1]] ou [[ pas un marqueur ]]"
    parts = canned_replies.split_markers(filled)
    assert parts[1::2] == ["[[lien_1]]"]
    assert "".join(parts) == filled
