"""Batch use of a playbook: classify JSONL streams and measure it on a labelled set."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .engine import Playbook
from .model import (
    SEVERITIES,
    AuthorProfile,
    BrandContext,
    Decision,
    MentionInput,
    ParentMention,
    PastMention,
)


def mention_from_dict(row: dict[str, Any]) -> MentionInput:
    """Build a MentionInput from a JSON object (text, lang, channel, author, posted_at, and
    the thread context: `parent` {text, severity, categories, from_brand} and `history`
    [{posted_at, severity, categories}])."""
    author = row.get("author") or {}
    posted = row.get("posted_at")
    posted_at = datetime.fromisoformat(posted) if isinstance(posted, str) else None
    if posted_at is not None and posted_at.tzinfo is None:
        posted_at = posted_at.replace(tzinfo=UTC)
    parent = row.get("parent")
    history = [
        h for h in row.get("history") or () if isinstance(h, dict) and _when(h.get("posted_at"))
    ]
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
        rating=int(row["rating"]) if isinstance(row.get("rating"), int) else None,
        parent=ParentMention(
            text=str(parent.get("text", "")),
            severity=parent.get("severity"),
            categories=tuple(parent.get("categories") or ()),
            from_brand=bool(parent.get("from_brand", False)),
        )
        if isinstance(parent, dict)
        else None,
        history=tuple(
            PastMention(
                _when(h["posted_at"]),  # type: ignore[arg-type]
                str(h.get("severity", "")),
                tuple(h.get("categories") or ()),
            )
            for h in history
        ),
    )


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


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
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            out = {"line": lineno, "error": f"{type(exc).__name__}: {exc}"}
        except RecursionError:  # JSON nested thousands deep: skip the line, go on
            out = {"line": lineno, "error": "RecursionError: the line is nested too deeply"}
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


class DatasetError(ValueError):
    """A labelled dataset that cannot be read: missing file, bad JSON or missing fields."""


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a labelled JSONL file: text, severity, class (plus optional mention fields)."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(
            f"dataset not found: {path} (expected a JSONL file, one object per line with"
            ' "text", "severity" and "class")'
        )
    rows = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise DatasetError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise DatasetError(f'{path}:{lineno}: expected an object with a "text" string')
            if row.get("severity") not in SEVERITIES:
                raise DatasetError(f'{path}:{lineno}: "severity" must be one of S0..S4')
            rows.append(row)
    return rows


# Evaluation classes of the shipped playbooks' categories; any other category falls back to
# the class its severity usually means (an S2 scenario is a complaint, whatever its topic).
CLASS_OF_CATEGORY = {
    "insulte": "insult",
    "harcelement": "harassment",
    "menace": "threat",
    "detresse": "self_harm",
    "securite": "danger",
    "juridique": "legal",
    "presse": "press",
    "influenceur": "influencer",
    "spam": "spam",
    "compliment": "praise",
    "question": "question",
    "objets_perdus": "question",  # a request for help, not a complaint
}
CLASS_OF_SEVERITY = {
    "S0": "noise",
    "S1": "other",
    "S2": "complaint",
    "S3": "sensitive",
    "S4": "urgent",
}


def decided_class(decision: Decision) -> str:
    """The evaluation class a decision stands for: its primary category's, else its severity's."""
    first = decision.categories[0] if decision.categories else ""
    return CLASS_OF_CATEGORY.get(first) or CLASS_OF_SEVERITY[decision.severity]


@dataclass(slots=True)
class Scored:
    """One labelled row and what the playbook decided for it."""

    row: dict[str, Any]
    decision: Decision

    @property
    def expected_class(self) -> str:
        """The class the row is labelled with."""
        return str(self.row.get("class", "?"))

    @property
    def got_class(self) -> str:
        """The class the decision stands for."""
        return decided_class(self.decision)


@dataclass(slots=True)
class ClassScore:
    """Precision and recall of one class."""

    n: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        """Of the mentions decided in this class, the share labelled so (1.0 if none)."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Of the mentions labelled with this class, the share decided so (1.0 if none)."""
        return self.correct / self.n if self.n else 1.0


def score(
    playbooks: Playbook | Mapping[str, Playbook],
    rows: Iterable[dict[str, Any]],
    now: datetime | None = None,
) -> list[Scored]:
    """Decide every row; with a brand → playbook mapping, each row goes to its brand's playbook.

    With a single playbook, rows labelled for another brand are left out (rows without a
    brand are always kept).
    """
    now = now or datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    out = []
    for row in rows:
        brand = row.get("brand")
        if isinstance(playbooks, Playbook):
            if brand and playbooks.brand and brand != playbooks.brand:
                continue
            pb = playbooks
        elif isinstance(brand, str) and brand in playbooks:
            pb = playbooks[brand]
        else:
            continue
        out.append(Scored(row, pb.decide(mention_from_dict(row), now=now)))
    return out


def class_scores(scored: list[Scored]) -> dict[str, ClassScore]:
    """Per-class precision and recall, for every labelled class."""
    labels = Counter(s.expected_class for s in scored)
    predicted = Counter(s.got_class for s in scored)
    correct = Counter(s.expected_class for s in scored if s.expected_class == s.got_class)
    return {c: ClassScore(labels[c], predicted[c], correct[c]) for c in sorted(labels)}


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    rows = list(rows)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    return [fmt.format(*header), *(fmt.format(*r) for r in rows)]


def report(scored: list[Scored], title: str) -> str:
    """Severity and class precision/recall, confusion matrices and the first disagreements."""
    n = len(scored)
    lines = [f"{title} — {n} mentions"]
    if not n:
        return "\n".join([*lines, "No labelled mention applies to this playbook."])
    pairs = [(s.row["severity"], s.decision.severity) for s in scored]
    correct = sum(1 for e, g in pairs if e == g)
    lines.append(f"Exact severity: {correct}/{n} = {correct / n:.1%}")
    flagged = [(e >= "S3", g >= "S3") for e, g in pairs]
    tp = sum(1 for e, g in flagged if e and g)
    lines.append(
        "Needs approval or escalation (>= S3): precision "
        f"{tp / max(1, sum(g for _, g in flagged)):.1%}, "
        f"recall {tp / max(1, sum(e for e, _ in flagged)):.1%}"
    )
    lines += ["", "Per severity:"]
    sev_rows = []
    for sev in SEVERITIES:
        hit = sum(1 for e, g in pairs if e == sev and g == sev)
        pred = sum(1 for _, g in pairs if g == sev)
        gold = sum(1 for e, _ in pairs if e == sev)
        sev_rows.append(
            [
                sev,
                str(gold),
                f"{hit / pred:.1%}" if pred else "—",
                f"{hit / gold:.1%}" if gold else "—",
            ]
        )
    lines += _table(["severity", "n", "precision", "recall"], sev_rows)
    lines += ["", "Severity confusion matrix (rows: expected, columns: decided):"]
    counts = Counter(pairs)
    lines += _table(
        ["exp\\got", *SEVERITIES],
        ([s, *(str(counts[(s, g)]) for g in SEVERITIES)] for s in SEVERITIES),
    )
    lines += ["", "Per class (decided class = the primary scenario's category):"]
    scores = class_scores(scored)
    lines += _table(
        ["class", "n", "precision", "recall"],
        ([c, str(v.n), f"{v.precision:.1%}", f"{v.recall:.1%}"] for c, v in scores.items()),
    )
    classes = list(scores)
    got_classes = sorted({s.got_class for s in scored} - set(classes))
    lines += ["", "Class confusion matrix (rows: expected, columns: decided):"]
    pair_counts = Counter((s.expected_class, s.got_class) for s in scored)
    cols = classes + got_classes
    lines += _table(
        ["exp\\got", *(c[:6] for c in cols)],
        ([c, *(str(pair_counts[(c, g)] or ".") for g in cols)] for c in classes),
    )
    hard = [s for s in scored if s.row.get("hard_negative")]
    if hard:
        ok = sum(1 for s in hard if s.decision.severity == s.row["severity"])
        raised = sum(1 for s in hard if s.decision.severity > s.row["severity"])
        lines += [
            "",
            f"Hard negatives: {len(hard)}, exact severity {ok / len(hard):.1%}, "
            f"decided above their severity: {raised}",
        ]
    misses = [s for s in scored if s.row["severity"] != s.decision.severity]
    if misses:
        lines += ["", f"Disagreements ({len(misses)}, first 25):"]
        for s in misses[:25]:
            lines.append(
                f"  expected {s.row['severity']} got {s.decision.severity} "
                f"{s.decision.scenarios}: {s.row['text'][:90]}"
            )
    return "\n".join(lines)


def evaluate(
    playbook: Playbook | Mapping[str, Playbook],
    dataset_path: str | Path,
    now: datetime | None = None,
) -> str:
    """Per-severity and per-class precision/recall plus confusion matrices, as text.

    Rows labelled with a `brand` are decided by that brand's playbook (a single playbook
    only gets its own brand's rows). Raises DatasetError when the file cannot be read.
    """
    scored = score(playbook, load_dataset(dataset_path), now)
    if isinstance(playbook, Playbook):
        title = f"Playbook {playbook.brand or '?'} v{playbook.version}"
    else:
        title = "Playbooks " + ", ".join(f"{k} v{p.version}" for k, p in playbook.items())
    return report(scored, title)
