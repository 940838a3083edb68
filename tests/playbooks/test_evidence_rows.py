"""The evidence triage stores, built in one pass (issue 11 §3), is what users saw before:
the same lines, words and spans in the original text, on varied texts."""

from __future__ import annotations

import json
import random

import pytest

from playbooks import Evidence, MentionInput
from playbooks.normalize import normalize
from tests.playbooks import decision_corpus, evidence_texts

FIXTURES = {"demo-rail": "rail", "demo-shop": "shop"}  # conftest's, loaded once per session


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_stored_evidence_is_as_recorded_before_the_one_pass_build(brand, request):
    playbook = request.getfixturevalue(FIXTURES[brand])
    recorded = json.loads(evidence_texts.RECORDED.read_text(encoding="utf-8"))
    if playbook.version != recorded["versions"][brand]:
        pytest.fail(f"{brand} changed since recorded: python -m tests.playbooks.evidence_texts")
    got = evidence_texts.evidence(playbook)
    for text_rows, want, mention in zip(
        got, recorded["evidence"][brand], evidence_texts.mentions(), strict=True
    ):
        assert text_rows == want, mention.text


def _pairs(length: int) -> list[tuple[int, int]]:
    return [(s, e) for s in range(-1, length + 2) for e in range(s, length + 3)]


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_spans_mapped_at_once_are_those_mapped_one_by_one(brand, request):
    """Every span of the normalised text, not only the words a playbook matched: the one-pass
    mapping and each shift's `spans` agree with `original_span` and `span`."""
    unmask = request.getfixturevalue(FIXTURES[brand]).index.unmask
    rng = random.Random(11)
    alphabet = "ab é,.!  \n\t😡🏽0@*#c’…"
    texts = list(evidence_texts.TEXTS)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(150)]
    for text in texts:
        nt = normalize(text, unmask)
        pairs = _pairs(len(nt.text))
        assert nt.original_spans(pairs) == [nt.original_span(s, e) for s, e in pairs], text
        for shift in nt.shifts:
            assert shift.spans(pairs) == [shift.span(s, e) for s, e in pairs], text


def test_the_evidence_objects_are_the_stored_rows(rail):
    playbook = rail
    mention = MentionInput("esp3ce de c0nn4rd 😡 https://x.fr à quelle heure ?", channel="x")
    decision = playbook.decide(mention, None, decision_corpus.NOW, explain=True)
    rows = decision.to_dict()["evidence"]
    again = playbook.decide(mention, None, decision_corpus.NOW, explain=True)
    assert [e.to_dict() for e in again.evidence] == rows  # objects first, then the same rows
    assert again.to_dict()["evidence"] == rows
    assert decision.evidence_rows() == rows
    words = [mention.text[a:b] for row in rows for a, b in row["spans"]]
    assert words and all(w.strip() == w and w for w in words)  # highlights: the author's words
    decision.evidence = [Evidence("x", "y", "z", ("t",), ((0, 1),))]  # set: they rule
    assert decision.to_dict()["evidence"] == [
        {"rule": "x", "kind": "y", "explanation": "z", "terms": ["t"], "spans": [[0, 1]]}
    ]


def test_a_correction_keeps_its_line_first(rail):
    decision = rail.redecide(
        MentionInput("bande de nuls"), severity="S3", scenario="insulte", now=decision_corpus.NOW
    )
    rows = decision.to_dict()["evidence"]
    assert rows[0]["rule"] == "correction" and rows[0]["terms"] == [] and rows[0]["spans"] == []
    assert [e.to_dict() for e in decision.evidence] == rows
