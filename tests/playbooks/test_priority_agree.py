"""The engine's one priority function runs two ways (fast, and with its parts for the
evidence): both must give the same number, over the shipped evaluation set and varied authors,
and the parts shown must add up to it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from playbooks import load_playbook_file, shipped_playbook_path
from playbooks.evaluation import mention_from_dict
from playbooks.model import SEVERITIES, AuthorProfile
from tests.playbooks.conftest import MONDAY_MORNING

EVAL = Path(__file__).resolve().parents[2] / "playbooks" / "eval" / "fr_mentions.jsonl"
AUTHORS = [
    AuthorProfile(),
    AuthorProfile(vip=True, followers=250_000, verified=True),
    AuthorProfile(tier="gold", followers=1_200),
    AuthorProfile(tier="Platine", followers=12),
]


@pytest.mark.parametrize("brand", ["demo-rail", "demo-shop"])
def test_the_two_priority_paths_agree(brand):
    playbook = load_playbook_file(shipped_playbook_path(brand))
    rows = [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]
    checked = 0
    for i, row in enumerate(rows[:200]):
        base = mention_from_dict(row)
        author = AUTHORS[i % len(AUTHORS)]
        channel = ("x", "mastodon", "bluesky", "webhook")[i % 4]
        posted = MONDAY_MORNING - timedelta(minutes=37 * (i % 9))
        mention = replace(base, author=author, channel=channel, posted_at=posted)
        facts = playbook._facts(mention, None, MONDAY_MORNING)
        for severity in SEVERITIES:
            fast = playbook._priority(severity, facts)
            parts: list[str] = []
            explained = playbook._priority(severity, facts, parts)
            assert fast == explained, (row["id"], severity)
            shown = sum(int(p.rsplit("(", 1)[1].rstrip(")")) for p in parts)
            assert abs(max(0, min(1000, shown)) - explained) <= len(parts), (row["id"], parts)
            checked += 1
    assert checked >= 500
