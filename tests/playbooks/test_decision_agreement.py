"""Every decision and its evidence, on 1,250 varied mentions and both shipped playbooks, is
exactly what the engine gave when the digests were recorded (speed work must not change them)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from playbooks import load_playbook_file, shipped_playbook_path
from tests.playbooks import decision_corpus


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_decisions_and_evidence_are_unchanged(brand):
    golden = json.loads(decision_corpus.GOLDEN.read_text(encoding="utf-8"))
    playbook = load_playbook_file(shipped_playbook_path(brand))
    if playbook.version != golden["versions"][brand]:
        pytest.skip(
            f"{brand} changed since the digests were recorded: "
            "python -m tests.playbooks.decision_corpus"
        )
    mentions = decision_corpus.corpus()
    assert len(mentions) >= 1_000
    expected = golden["digests"][brand]
    severities = Counter()
    for i, (mention, want) in enumerate(zip(mentions, expected, strict=True)):
        decision = playbook.decide(mention, None, decision_corpus.NOW, explain=True)
        severities[decision.severity] += 1
        got = decision_corpus.digest(playbook, mention)
        assert got == want, (mention.text, decision.to_dict())
        if i % 5 == 0:  # evidence located later, when read (decide without `explain`)
            assert decision_corpus.digest(playbook, mention, explain=False) == want, mention.text
    assert len(severities) >= 4  # the corpus reaches most severities, not one easy case
