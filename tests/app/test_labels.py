"""Every audit action the code writes has a French label for the timelines."""

from __future__ import annotations

import re
from pathlib import Path

from app.ui.labels import AUDIT_LABELS, audit_label, decision_label

APP = Path(__file__).resolve().parents[2] / "app"
ACTION_RE = re.compile(r'action="([a-z_]+\.[a-z_]+)"|"action": "([a-z_]+\.[a-z_]+)"')


def test_every_recorded_action_has_a_label():
    used = set()
    for path in APP.rglob("*.py"):
        for match in ACTION_RE.finditer(path.read_text(encoding="utf-8")):
            used.add(match.group(1) or match.group(2))
    assert used, "no audit actions found: the pattern is out of date"
    assert sorted(used - set(AUDIT_LABELS)) == []


def test_labels_fall_back_to_the_code():
    assert audit_label("something.new") == "something.new"
    assert decision_label("reply_with_approval") == "Réponse soumise à approbation"


def test_labels_are_said_in_the_request_language(app):
    from flask_babel import force_locale

    from app.ui.labels import DECISION_LABELS, FIELD_LABELS, field_label

    with app.test_request_context():
        assert decision_label("reply_with_approval") == "Réponse soumise à approbation"
        with force_locale("en"):
            # The same words as the lazy label's own lookup, through the request's translations.
            assert decision_label("reply_with_approval") == "Reply submitted for approval"
            assert decision_label("reply_with_approval") == str(
                DECISION_LABELS["reply_with_approval"]
            )
            assert field_label("due_at") == str(FIELD_LABELS["due_at"])
        assert decision_label("reply_with_approval") == "Réponse soumise à approbation"
