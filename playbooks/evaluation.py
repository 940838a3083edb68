"""Batch use of a playbook: classify JSONL streams and measure it on a labelled set."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .engine import Playbook
from .model import SEVERITIES, AuthorProfile, BrandContext, Decision, MentionInput


def mention_from_dict(row: dict[str, Any]) -> MentionInput:
    """Build a MentionInput from a JSON object (text, lang, channel, author, posted_at)."""
    author = row.get("author") or {}
    posted = row.get("posted_at")
    posted_at = datetime.fromisoformat(posted) if isinstance(posted, str) else None
    if posted_at is not None and posted_at.tzinfo is None:
        posted_at = posted_at.replace(tzinfo=UTC)
    return MentionInput(
        text=str(row.get("text", "")),
        lang=row.get("lang"),
        channel=str(row.get("channel") or "x"),
        author=AuthorProfile(
            tier=author.get("tier"),
            vip=bool(author.get("vip", False)),
            followers=int(author.get("followers", 0) or 0),
            verified=bool(author.get("verified", False)),
        ),
        posted_at=posted_at,
    )


def classify_jsonl(
    playbook: Playbook,
    in_stream: IO[str],
    out_stream: IO[str],
    context: BrandContext | None = None,
    now: datetime | None = None,
) -> int:
    """Read one mention per JSON line, write its decision as one JSON line; return the count."""
    count = 0
    for lineno, line in enumerate(in_stream, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            decision = playbook.decide(mention_from_dict(row), context, now)
            out = {
                "line": lineno,
                **({"id": row["id"]} if "id" in row else {}),
                **decision.to_dict(),
            }
        except (ValueError, TypeError, AttributeError) as exc:
            out = {"line": lineno, "error": f"{type(exc).__name__}: {exc}"}
        out_stream.write(json.dumps(out, ensure_ascii=False) + "\n")
        count += 1
    return count


def explain(decision: Decision, text: str | None = None) -> str:
    """A readable French summary of a decision, with its evidence (for the CLI)."""
    lines = [
        f"Gravité {decision.severity} — action {decision.action}"
        + (f" (validation : {decision.approver})" if decision.approver else ""),
        f"Scénarios : {', '.join(decision.scenarios) or '—'}",
        f"Catégories : {', '.join(decision.categories) or '—'}",
        f"Priorité : {decision.priority}   Échéance : "
        + (decision.due_at.isoformat() if decision.due_at else "—"),
        f"Réponses suggérées : {', '.join(decision.suggested_replies) or '—'}",
        f"Langue : {decision.language}   Version du playbook : {decision.playbook_version}",
        "Pourquoi :",
    ]
    for e in decision.evidence:
        where = ""
        if text is not None and e.spans:
            where = "  ← " + ", ".join(repr(text[a:b]) for a, b in e.spans)
        lines.append(f"  [{e.kind}] {e.rule} : {e.explanation}{where}")
    return "\n".join(lines)


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a labelled JSONL file: text, severity, class (plus optional mention fields)."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    rows = list(rows)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return [fmt.format(*header), *(fmt.format(*r) for r in rows)]


def evaluate(playbook: Playbook, dataset_path: str | Path, now: datetime | None = None) -> str:
    """Per-severity and per-class precision/recall plus the severity confusion matrix, as text."""
    rows = load_dataset(dataset_path)
    now = now or datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    pairs: list[tuple[str, str, str, Decision]] = []
    for row in rows:
        decision = playbook.decide(mention_from_dict(row), now=now)
        pairs.append((row["severity"], row.get("class", "?"), decision.severity, decision))

    lines = [f"Playbook {playbook.brand or '?'} v{playbook.version} — {len(rows)} mentions"]
    correct = sum(1 for exp, _, got, _ in pairs if exp == got)
    lines.append(f"Exact severity: {correct}/{len(rows)} = {correct / max(1, len(rows)):.1%}")
    at_least_s3 = [(exp >= "S3", got >= "S3") for exp, _, got, _ in pairs]
    tp = sum(1 for e, g in at_least_s3 if e and g)
    lines.append(
        "Needs approval or escalation (>= S3): precision "
        f"{tp / max(1, sum(g for _, g in at_least_s3)):.1%}, "
        f"recall {tp / max(1, sum(e for e, _ in at_least_s3)):.1%}"
    )
    lines.append("")
    lines.append("Per severity:")
    sev_rows = []
    for sev in SEVERITIES:
        tp = sum(1 for e, _, g, _ in pairs if e == sev and g == sev)
        pred = sum(1 for _, _, g, _ in pairs if g == sev)
        gold = sum(1 for e, _, _, _ in pairs if e == sev)
        sev_rows.append(
            [
                sev,
                str(gold),
                f"{tp / pred:.1%}" if pred else "—",
                f"{tp / gold:.1%}" if gold else "—",
            ]
        )
    lines += _table(["severity", "n", "precision", "recall"], sev_rows)
    lines.append("")
    lines.append("Confusion matrix (rows: expected, columns: decided):")
    counts = Counter((e, g) for e, _, g, _ in pairs)
    lines += _table(
        ["exp\\got", *SEVERITIES],
        ([s, *(str(counts[(s, g)]) for g in SEVERITIES)] for s in SEVERITIES),
    )
    lines.append("")
    lines.append("Per class (a mention counts as right when its severity is the expected one):")
    classes = sorted({c for _, c, _, _ in pairs})
    class_rows = []
    for cls in classes:
        members = [(e, g) for e, c, g, _ in pairs if c == cls]
        ok = sum(1 for e, g in members if e == g)
        # Precision: of the mentions decided at this class's usual severity, how many belong here.
        usual = Counter(e for e, _ in members).most_common(1)[0][0]
        decided_there = [c for _, c, g, _ in pairs if g == usual]
        prec = (
            sum(1 for c in decided_there if c == cls) / len(decided_there) if decided_there else 0.0
        )
        class_rows.append(
            [cls, str(len(members)), usual, f"{ok / len(members):.1%}", f"{prec:.1%}"]
        )
    lines += _table(["class", "n", "severity", "recall", "precision"], class_rows)
    misses = [(r, d) for r, (e, _, g, d) in zip(rows, pairs, strict=True) if e != g]
    if misses:
        lines.append("")
        lines.append(f"Disagreements ({len(misses)}, first 25):")
        for row, d in misses[:25]:
            lines.append(
                f"  expected {row['severity']} got {d.severity} {d.scenarios}: {row['text'][:90]}"
            )
    return "\n".join(lines)
