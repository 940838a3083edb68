"""Every French UI string has its English translation (the English switch never shows French)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "app" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
METHODS = [
    ("app/**.py", "python"),
    ("app/templates/**.html", "jinja2"),
    ("app/templates/**.txt", "jinja2"),  # mail templates
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def test_every_ui_string_is_translated_to_english():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = set()
    seen = 0
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        seen += 1
        entry = catalog.get(msgid)
        if (
            not msgid
            or entry is None
            or not (entry.string if isinstance(entry.string, str) else all(entry.string))
        ):
            untranslated.add(msgid)
    assert seen > 500, "the extraction found too few strings: its patterns are out of date"
    # Fix: make translations-update, then translate the new entries in messages.po.
    assert sorted(untranslated) == []
