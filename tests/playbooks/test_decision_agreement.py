"""Every decision and its evidence, on 1,250 varied mentions and both shipped playbooks, is
exactly what the engine gave when the digests were recorded (speed work must not change them)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest

from playbooks import Playbook, load_playbook_file, shipped_playbook_path
from playbooks.model import AuthorProfile
from tests.playbooks import decision_corpus


def _golden(brand: str) -> tuple[Playbook, list[str]]:
    golden = json.loads(decision_corpus.GOLDEN.read_text(encoding="utf-8"))
    playbook = load_playbook_file(shipped_playbook_path(brand))
    if playbook.version != golden["versions"][brand]:
        # A failure, not a skip: a lexicon change that nobody re-recorded would otherwise
        # leave every golden decision untested without anyone noticing.
        pytest.fail(
            f"{brand} changed since the digests were recorded: re-record with "
            "python -m tests.playbooks.decision_corpus and read which severities moved"
        )
    return playbook, golden["digests"][brand]


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_decisions_and_evidence_are_unchanged(brand):
    playbook, expected = _golden(brand)
    mentions = decision_corpus.corpus()
    assert len(mentions) >= 1_000
    severities = Counter()
    for i, (mention, want) in enumerate(zip(mentions, expected, strict=True)):
        decision = playbook.decide(mention, None, decision_corpus.NOW, explain=True)
        severities[decision.severity] += 1
        got = decision_corpus.digest(playbook, mention)
        assert got == want, (mention.text, decision.to_dict())
        if i % 5 == 0:  # evidence located later, when read (decide without `explain`)
            assert decision_corpus.digest(playbook, mention, explain=False) == want, mention.text
    assert len(severities) >= 4  # the corpus reaches most severities, not one easy case


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_batched_decisions_are_the_same(brand):
    """`decide_many`, as ingest's batches run (the text-only work and the scorer done for the
    batch at once), gives every decision and its evidence exactly as one by one."""
    playbook, expected = _golden(brand)
    mentions = decision_corpus.corpus()
    got = []
    for start in range(0, len(mentions), 200):
        batch = mentions[start : start + 200]
        decisions = playbook.decide_many(batch, None, decision_corpus.NOW, explain=True)
        got += [decision_corpus.digest_of(d) for d in decisions]
    assert got == expected


@pytest.mark.parametrize("brand", decision_corpus.BRANDS)
def test_a_text_repeated_in_a_batch_keeps_each_mention_its_own_decision(brand):
    """A text posted again in the same batch (a retweet storm, a copy-paste campaign) is
    prepared once, yet each mention is decided as it would be alone: its author and channel
    still count."""
    playbook, expected = _golden(brand)
    mentions = decision_corpus.corpus()[:120]
    twins = [
        replace(m, author=AuthorProfile(vip=True, followers=90_000), channel="facebook")
        for m in mentions
    ]
    batch = [m for pair in zip(mentions, twins, strict=True) for m in pair]
    decisions = playbook.decide_many(batch, None, decision_corpus.NOW, explain=True)
    assert [decision_corpus.digest_of(d) for d in decisions[::2]] == expected[:120]
    alone = [decision_corpus.digest(playbook, m) for m in twins]
    assert [decision_corpus.digest_of(d) for d in decisions[1::2]] == alone
