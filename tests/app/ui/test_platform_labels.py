"""Platform names and icons in the console; a webhook's own channel name is escaped."""

from __future__ import annotations

from app.ui.platforms import channel_badge, channel_name, moderation_action_label


def test_platforms_have_names_and_icons(app):
    with app.test_request_context():
        assert channel_name("google_business") == "Avis Google"
        assert str(channel_badge("youtube")).endswith(">▶ YouTube</span>")
        assert moderation_action_label("ban") == "Rejeter et bannir l'auteur"


def test_a_webhook_channel_name_is_escaped(app):
    with app.test_request_context():
        badge = str(channel_badge('<img src=x onerror="alert(1)">'))
    assert "<img" not in badge and "&lt;img" in badge
