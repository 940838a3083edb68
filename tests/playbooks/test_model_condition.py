"""The `model` condition: bounds on the learned scorer's probabilities, combined with rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from playbooks import MentionInput, PlaybookError
from playbooks.scorer import Contribution, runtime

from .conftest import MONDAY_MORNING, make

LABELS = ("toxicity", "insult", "hate", "threat", "self_harm")


class FakeScores:
    """Fixed probabilities; the word `cible` (when present) is what weighed."""

    def __init__(self, text: str, probs: dict[str, float]) -> None:
        self.text = text
        self.probs = probs

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        start = self.text.find(" cible ")
        if start < 0:
            return []
        return [Contribution("cible", 1.5, ((start + 1, start + 6),))]

    def grounded(self, label: str) -> bool:
        return True


class FakeScorer:
    labels = LABELS

    def __init__(self, probs: dict[str, float]) -> None:
        self.probs = {**dict.fromkeys(LABELS, 0.0), **probs}
        self.calls = 0

    def score(self, text: str) -> FakeScores:
        self.calls += 1
        return FakeScores(text, self.probs)


@pytest.fixture
def scorer(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeScorer]:
    fake = FakeScorer({})
    monkeypatch.setattr(runtime, "_SCORER", fake)
    yield fake


def playbook(when: str, extra: str = ""):  # type: ignore[no-untyped-def]
    return make(
        f"""
format: 1
lexicons:
  contre: {{terms: ["il ne faut pas dire"]}}
scenarios:
  - id: s
    label: S
    severity: S4
    when: {when}
{extra}
"""
    )


def decide(pb, text: str):  # type: ignore[no-untyped-def]
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)


def test_bounds_compare_the_calibrated_probability(scorer: FakeScorer) -> None:
    scorer.probs["threat"] = 0.72
    assert decide(playbook('{model: {threat: ">= 0.7"}}'), "texte").scenarios == ["s"]
    assert decide(playbook('{model: {threat: "> 0,72"}}'), "texte").scenarios == []
    assert decide(playbook("{model: {threat: 0.8}}"), "texte").scenarios == []  # a number: >=
    assert decide(playbook('{model: {threat: "< 0.8"}}'), "texte").scenarios == ["s"]


def test_several_labels_must_all_hold(scorer: FakeScorer) -> None:
    scorer.probs.update(toxicity=0.9, hate=0.2)
    assert decide(playbook('{model: {toxicity: ">= 0.8", hate: "< 0.5"}}'), "x").scenarios == ["s"]
    scorer.probs["hate"] = 0.6
    assert decide(playbook('{model: {toxicity: ">= 0.8", hate: "< 0.5"}}'), "x").scenarios == []


def test_editors_combine_it_with_rules(scorer: FakeScorer) -> None:
    scorer.probs["threat"] = 0.95
    pb = playbook('{model: {threat: ">= 0.7"}}', "    unless: {lexicon: contre}")
    assert decide(pb, "je vais venir").scenarios == ["s"]
    assert decide(pb, "il ne faut pas dire je vais venir").scenarios == []


def test_the_text_is_scored_once_per_mention(scorer: FakeScorer) -> None:
    scorer.probs["insult"] = 0.9
    pb = make(
        """
format: 1
scenarios:
  - {id: a, label: A, severity: S3, when: {model: {insult: ">= 0.5"}}}
  - {id: b, label: B, severity: S2, when: {model: {insult: ">= 0.8", toxicity: "< 0.5"}}}
"""
    )
    assert decide(pb, "texte").scenarios == ["a", "b"]
    assert scorer.calls == 1


def test_evidence_shows_the_score_and_highlights_the_words(scorer: FakeScorer) -> None:
    scorer.probs["threat"] = 0.87
    text = "Attention à la CIBLE ce soir"
    d = decide(playbook('{model: {threat: ">= 0.7"}}'), text)
    found = [e for e in d.evidence if e.kind == "model"]
    assert len(found) == 1
    assert "menace 0,87 (>= 0,70)" in found[0].explanation
    assert "« cible »" in found[0].explanation
    assert [text[s:e] for s, e in found[0].spans] == ["CIBLE"]
    # The scenario's own evidence carries the same spans, as rule evidence does.
    scenario = next(e for e in d.evidence if e.kind == "scenario")
    assert [text[s:e] for s, e in scenario.spans] == ["CIBLE"]


def test_an_s4_found_by_the_model_stays_urgent_whatever_the_delegation(
    scorer: FakeScorer,
) -> None:
    scorer.probs["self_harm"] = 0.93
    pb = playbook(
        '{model: {self_harm: ">= 0.8"}}',
        """delegation:
  - id: tout-en-reponse
    when: {severity: S4}
    action: reply""",
    )
    d = decide(pb, "texte")
    assert d.severity == "S4" and d.action == "escalate_urgent"
    assert any(e.kind == "guard" for e in d.evidence)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{menace: ">= 0.7"}', "unknown label 'menace'"),
        ('{threat: "environ 0.7"}', "expected a bound such as '>= 0.7'"),
        ('{threat: ">= 1.5"}', "a probability is between 0 and 1"),
        ("{threat: 2}", "a probability is between 0 and 1"),
        ("{threat: true}", "expected a valid number"),
        ("{}", "expected at least one label"),
    ],
)
def test_invalid_bounds_name_the_line_and_what_was_expected(value: str, message: str) -> None:
    with pytest.raises(PlaybookError) as exc:
        playbook(f"{{model: {value}}}")
    assert message in str(exc.value)
    assert "test.yaml:9:" in str(exc.value)


def test_the_playbook_version_follows_the_model_weights(
    monkeypatch: pytest.MonkeyPatch, scorer: FakeScorer
) -> None:
    source = '{model: {threat: ">= 0.7"}}'
    scorer.digest = "aaaa"  # type: ignore[attr-defined]
    first = playbook(source).version
    scorer.digest = "bbbb"  # type: ignore[attr-defined]
    assert playbook(source).version != first
    # A playbook without `model` conditions does not depend on the weights.
    rules = playbook("{keywords: [retard]}").version
    scorer.digest = "cccc"  # type: ignore[attr-defined]
    assert playbook("{keywords: [retard]}").version == rules


class WordScorer(FakeScorer):
    """Insult at 0.9 when the word `cible` is in the text, 0.1 without it."""

    def score(self, text: str) -> FakeScores:
        self.calls += 1
        return FakeScores(text, {**self.probs, "insult": 0.9 if " cible " in text else 0.1})


@pytest.fixture
def word_scorer(monkeypatch: pytest.MonkeyPatch) -> Iterator[WordScorer]:
    fake = WordScorer({})
    monkeypatch.setattr(runtime, "_SCORER", fake)
    yield fake


SCOPED = "    unless_scope: [quoted, negated, reported]"


def test_a_score_that_rests_on_reported_words_stands_only_in_their_scope(
    word_scorer: WordScorer,
) -> None:
    # The score is located by the word that weighed most; without the words someone else
    # said, it no longer holds: the author reports an insult, they do not say one.
    pb = playbook('{model: {insult: ">= 0.8"}}', SCOPED)
    assert decide(pb, "le contrôleur est une cible").scenarios == ["s"]
    assert decide(pb, "le contrôleur a dit « espèce de cible » à un jeune").scenarios == []
    assert decide(pb, "le contrôleur m'a traité de cible devant tout le monde").scenarios == []
    # Said again outside the quotation: the author's own words.
    text = "il a dit « cible » et il a raison, vous êtes une cible"
    assert decide(pb, text).scenarios == ["s"]
    # An `all` needs its model part outside the scopes too.
    gated = playbook('{all: [{model: {insult: ">= 0.8"}}, {keywords: [contrôleur]}]}', SCOPED)
    assert decide(gated, "le contrôleur a dit « espèce de cible » à un jeune").scenarios == []
    assert decide(gated, "le contrôleur, quelle cible").scenarios == ["s"]


def test_scare_quotes_are_no_one_elses_words(word_scorer: WordScorer) -> None:
    # A few words between quotation marks are a name or irony, not a quotation: the score
    # still reads them.
    pb = playbook('{model: {insult: ">= 0.8"}}', SCOPED)
    assert decide(pb, "votre « cible » de conseiller ne sert à rien").scenarios == ["s"]
    long_quote = "un client a écrit « vous êtes tous une belle cible à la fin » sur le mur"
    assert decide(pb, long_quote).scenarios == []
