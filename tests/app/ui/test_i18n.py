"""Templates translate with the translations cached per request, and still follow a forced
language (a mail rendered in its recipient's language in the middle of a request)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale


def test_templates_follow_the_language_in_force_within_one_request(app):
    page = '{{ _("File d\'attente") }}'
    with app.test_request_context("/"):
        assert render_template_string(page) == "File d'attente"
        with force_locale("en"):
            assert render_template_string(page) == "Queue"
        assert render_template_string(page) == "File d'attente"


def test_the_english_switch_translates_every_row_alike(app):
    rows = "{% for i in range(3) %}{{ _('Marque') }}|{% endfor %}"
    with app.test_request_context("/"):
        from flask import session

        session["lang"] = "en"
        assert render_template_string(rows) == "Brand|Brand|Brand|"
