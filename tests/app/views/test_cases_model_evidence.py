"""The learned scorer's evidence reaches the console: score, words, highlighted spans."""

from __future__ import annotations

import pytest

from playbooks.scorer import Contribution, runtime
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}

PLAYBOOK = """format: 1
brand: rail
lexicons:
  contre: {terms: ["il ne faut pas dire"]}
scenarios:
  - id: menace_modele
    label: Menace (modèle)
    when: {model: {threat: ">= 0.85"}}
    unless: {lexicon: contre}
    severity: S4
    categories: [menace]
defaults: {severity: S1}
"""


class _Scores:
    def __init__(self, text: str) -> None:
        self.text = text
        self.probs = {"toxicity": 0.8, "insult": 0.1, "hate": 0.0, "threat": 0.91, "self_harm": 0.0}

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        start = self.text.find(" couteau ")
        return [Contribution("couteau", 2.0, ((start + 1, start + 8),))] if start >= 0 else []


class _Scorer:
    labels = ("toxicity", "insult", "hate", "threat", "self_harm")

    def score(self, text: str) -> _Scores:
        return _Scores(text)


def test_try_a_sentence_shows_the_models_score_and_highlights_its_words(
    client, session, monkeypatch
):
    monkeypatch.setattr(runtime, "_SCORER", _Scorer())
    brand = make_brand(session, slug="rail", name="Rail Test")
    make_user(session, brand, role="playbook_editor", email="editor@example.test")
    login(client, "editor@example.test")
    data = {
        "brand_id": brand.id,
        "source": PLAYBOOK,
        "try_text": "Demain je passe avec mon COUTEAU",
    }
    html = post(client, "/playbooks/try", data, headers=HX).get_data(as_text=True)
    assert 'data-testid="try-severity">S4' in html
    assert "Modèle : menace 0,91 (&gt;= 0,85)" in html
    assert "<mark>COUTEAU</mark>" in html
