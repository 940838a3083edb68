"""A threat the scorer reads over a long message as a whole (issue 13, wave 49).

The scorer is surer of a fragment than its words warrant ("j'espère que tu vas bien" reads
0.91 for threat), so `menace_modele_fort` asks 0.95 of any text. Over a long message read whole
the same certainty means more: `model: {threat: ">= 0.8", min_words: 25}` reads the whole
message's score (not its sharpest sentence's) and holds only on a message of 25 words or more
(`menace_modele_long`, with the guards of `menace_modele_visee`). Every sentence is written for
this test; the shipped playbooks' probabilities are held, their words stay the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from playbooks import (
    MentionInput,
    Playbook,
    PlaybookError,
    load_playbook_file,
    shipped_playbook_path,
)
from playbooks.scorer import Contribution, runtime
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING, make

DEMO = ("demo-rail", "demo-shop")
LABELS = ("toxicity", "insult", "hate", "threat", "self_harm")

LONG_THREAT = (
    "Trois mois que j'attends mon remboursement et votre service client me raccroche au nez. "
    "Samedi je passerai au magasin avec deux amis, et cette fois on ne viendra pas pour discuter "
    "poliment."
)
SHORT = "Samedi je passerai au magasin avec deux amis."


class SentenceScores:
    """Threat 0.9 on a short text (a sentence read alone), 0.3 on a longer one."""

    def __init__(self, text: str) -> None:
        self.text = text
        short = len(text.split()) <= 3
        self.probs = {**dict.fromkeys(LABELS, 0.0), "threat": 0.9 if short else 0.3}

    @property
    def whole(self) -> SentenceScores:
        return self

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        return []

    def grounded(self, label: str) -> bool:
        return True


class ShortSureScorer:
    labels = LABELS

    def score(self, text: str) -> SentenceScores:
        return SentenceScores(text)


@pytest.fixture
def short_sure(monkeypatch: pytest.MonkeyPatch) -> Iterator[ShortSureScorer]:
    fake = ShortSureScorer()
    monkeypatch.setattr(runtime, "_SCORER", fake)
    yield fake


def playbook(when: str):  # type: ignore[no-untyped-def]
    return make(
        f"""
format: 1
scenarios:
  - id: s
    label: S
    severity: S4
    when: {when}
"""
    )


def scenarios(pb: Playbook, text: str) -> list[str]:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).scenarios


def test_min_words_reads_the_whole_message_not_its_sharpest_sentence(
    short_sure: ShortSureScorer,
) -> None:
    text = "Je reviendrai samedi au magasin pour mon colis. Tu verras bien."
    assert scenarios(playbook('{model: {threat: ">= 0.8"}}'), text) == ["s"]  # "Tu verras bien."
    assert scenarios(playbook('{model: {threat: ">= 0.8", min_words: 2}}'), text) == []


def test_min_words_holds_only_on_a_message_that_long(short_sure: ShortSureScorer) -> None:
    pb = playbook('{model: {threat: ">= 0.8", min_words: 3}}')
    assert scenarios(pb, "tu verras") == []  # two words: too short, whatever the score
    assert scenarios(pb, "tu verras bien") == ["s"]


def test_the_evidence_says_the_whole_message_was_read(short_sure: ShortSureScorer) -> None:
    d = MentionInput("tu verras bien", lang="fr")
    decision = playbook('{model: {threat: ">= 0.8", min_words: 3}}').decide(d, now=MONDAY_MORNING)
    found = [e for e in decision.evidence if e.kind == "model"]
    assert len(found) == 1
    assert "menace 0,90 (>= 0,80) sur le message entier" in found[0].explanation


@pytest.mark.parametrize("value", ["0", "2.5", '"vingt"', "-3"])
def test_min_words_must_be_a_whole_number_of_words(value: str) -> None:
    with pytest.raises(PlaybookError) as exc:
        playbook(f'{{model: {{threat: ">= 0.8", min_words: {value}}}}}')
    assert "min_words is a whole number of words ≥ 1" in str(exc.value)
    assert "test.yaml:7:" in str(exc.value)


def fired(pb: Playbook, text: str) -> bool:
    return "menace_modele_long" in scenarios(pb, text)


@pytest.fixture(scope="module", params=DEMO)
def demo(request: pytest.FixtureRequest) -> Playbook:
    """The two playbooks the study probes measure (the sector ones have no such tier yet)."""
    return load_playbook_file(shipped_playbook_path(request.param))


def test_a_long_threat_without_a_gesture_named_is_urgent(
    demo: Playbook, held_at: HeldScorer
) -> None:
    held_at.held = {"threat": 0.85}
    assert len(LONG_THREAT.split()) >= 25
    assert fired(demo, LONG_THREAT), demo.brand
    decision = demo.decide(MentionInput(LONG_THREAT, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity == "S4"
    held_at.held = {"threat": 0.75}
    assert not fired(demo, LONG_THREAT), demo.brand


def test_a_short_message_needs_the_sure_bound(demo: Playbook, held_at: HeldScorer) -> None:
    held_at.held = {"threat": 0.9}
    assert not fired(demo, SHORT), demo.brand


@pytest.mark.parametrize(
    "text",
    [
        # a legal remedy, as `menace_modele_visee` reads it
        "Trois mois que j'attends mon remboursement et votre service client me raccroche au nez. "
        "Samedi je passerai au magasin avec mon avocat, et cette fois on ne viendra pas pour "
        "discuter poliment.",
        # counter-speech: a threat condemned by who reports it
        "Un client écrit sous votre publication qu'il passera samedi au dépôt avec des amis "
        "pour régler ça avec les livreurs. Arrêtez de dire des choses pareilles, c'est "
        "inacceptable, ils n'y sont pour rien.",
    ],
)
def test_the_guards_of_the_named_staff_tier_hold(
    demo: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"threat": 0.9}
    assert len(text.split()) >= 25
    assert not fired(demo, text), demo.brand
