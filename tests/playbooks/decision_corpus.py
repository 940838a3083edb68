"""A fixed corpus of 1,200+ varied mentions and the digest of every decision on it, so that a
change made for speed can prove it leaves every decision and its evidence exactly as it was.

`python -m tests.playbooks.decision_corpus` records the digests (`decisions_golden.json`) of the
current engine: run it only when a change of decisions is intended (new playbook, new weights).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playbooks import Playbook, load_playbook_file, shipped_playbook_path
from playbooks.evaluation import mention_from_dict
from playbooks.model import AuthorProfile, Decision, MentionInput

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("decisions_golden.json")
BRANDS = ("demo-rail", "demo-shop")
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday, 11:00 in Paris
AUTHORS = [
    AuthorProfile(),
    AuthorProfile(vip=True, followers=250_000, verified=True),
    AuthorProfile(tier="gold", followers=1_200),
    AuthorProfile(tier="Platine", followers=12),
    AuthorProfile(followers=48_000, verified=True),
]
CHANNELS = ("x", "mastodon", "bluesky", "webhook", "facebook", "google")
# Tricks authors use to dodge filters, mixed into recombined texts.
TRICKS = [
    "c0nn4rd", "nuuuuul", "c o n", "😡", "🙏", "avocat", "journaliste", "#grève",
    "@Ferlis_Info", "bande de cons", "je vais porter plainte", "https://exemple.fr/x?y=1",
    "ＧＲＥＶＥ", "sаlope", "b!te", "inadmissible !!!", "mdr", "stp", "« retard »",
    "je ne suis pas en colère", "il a dit « vous êtes nuls »", "je vais me foutre en l'air",
]  # fmt: skip


def corpus() -> list[MentionInput]:
    """The evaluation sets as written, then recombinations of them with tricks, authors,
    channels, languages and posting times that vary (seeded: the same list every run)."""
    rows = []
    for name in ("fr_mentions.jsonl", "fr_mentions_holdout.jsonl"):
        text = (ROOT / "playbooks" / "eval" / name).read_text(encoding="utf-8")
        rows += [json.loads(line) for line in text.splitlines() if line.strip()]
    out = [mention_from_dict(row) for row in rows]
    rng = random.Random(20260105)
    texts = [m.text for m in out]
    while len(out) < 1_250:
        words: list[str] = []
        for _ in range(rng.randint(1, 3)):
            piece = rng.choice(texts).split()
            start = rng.randrange(len(piece))
            words += piece[start : start + rng.randint(3, 30)]
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randint(0, len(words)), rng.choice(TRICKS))
        base = rng.choice(out[: len(rows)])
        out.append(
            replace(
                base,
                text=" ".join(words)[:400],
                lang=rng.choice((None, "fr", "fr", "en", "fr-FR")),
                channel=rng.choice(CHANNELS),
                author=rng.choice(AUTHORS),
                posted_at=NOW - timedelta(minutes=rng.randint(0, 4 * 24 * 60)),
                rating=rng.choice((None, None, None, 1, 3, 5)),
            )
        )
    return out


def digest(playbook: Playbook, mention: MentionInput, explain: bool = True) -> str:
    """What ingest stores of a decision (`to_dict`, evidence included), hashed."""
    return digest_of(playbook.decide(mention, None, NOW, explain=explain))


def digest_of(decision: Decision) -> str:
    """A decision's `to_dict`, evidence included, hashed."""
    data = decision.to_dict()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def record() -> None:
    """Write the digests of the current engine's decisions."""
    mentions = corpus()
    golden: dict[str, object] = {"versions": {}, "digests": {}}
    for brand in BRANDS:
        playbook = load_playbook_file(shipped_playbook_path(brand))
        golden["versions"][brand] = playbook.version  # type: ignore[index]
        golden["digests"][brand] = [digest(playbook, m) for m in mentions]  # type: ignore[index]
    GOLDEN.write_text(json.dumps(golden, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record()
