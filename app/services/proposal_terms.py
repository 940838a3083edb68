"""Grouping reviewers' corrections and finding the words behind them (issue 18, part 1).

Pure functions, no database: a correction is the engine's triage of a mention next to the
reviewer's override of it. Groups are "scenario missed" (the reviewer named a scenario the
engine did not fire), "false alarm" (the engine fired a scenario the reviewer removed) and
"severity" (the reviewer kept the scenario but moved the severity). The words behind a group
are the tokens and bigrams over-represented in its mentions against a contrast set, folded
with the playbooks' normaliser so that "Retard", "retard" and "rétard" count as one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from playbooks.normalize import normalize

# French first, then the English a French brand's mentions carry; folded like the texts.
_STOP_TEXT = """
    a ai aie aient ais ait alors as au aucun aussi autre aux avec avez avoir avons bon c ca car
    ce cela celle celui ces cet cette ceux chez ci comme comment d dans de des deja du elle
    elles en encore est et etait etaient ete etre eu eux fait faire fais il ils j je jusqu l la
    le les leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous on ont ou par pas
    peu peut plus pour pourquoi qu quand que quel quelle quels qui sa sans se ses si son sont
    sur t ta te tes toi ton tous tout toute tres tu un une vers voila vos votre vous vu y the
    and or to of in on at is are was be it this that for with you your we i me my not rt via
    http https www com fr
"""
STOPWORDS = frozenset(_STOP_TEXT.split())
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9'’-]*")
MIN_SUPPORT = 2  # a term must appear in at least this many corrections of the group
MAX_TERM_LEN = 60


@dataclass(frozen=True)
class Correction:
    """One reviewed mention: what the engine decided and what the reviewer said instead."""

    mention_id: int
    text: str
    engine_severity: str | None
    engine_scenarios: tuple[str, ...]
    severity: str
    scenarios: tuple[str, ...]
    reason: str | None = None


@dataclass
class Group:
    """Corrections sharing one cause, the raw material of a proposal."""

    kind: str  # "missed" | "false_alarm" | "severity"
    scenario: str
    corrections: list[Correction] = field(default_factory=list)
    severity: str | None = None  # for "severity": the severity the reviewers chose most

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.scenario}:{self.severity or ''}"


def terms_of(text: str) -> set[str]:
    """Distinct folded tokens and bigrams of a text, stopwords and digits-only tokens left out
    (a bigram may hold one stopword inside: "en retard" is not, "pas de" is)."""
    words = [w.strip("'’-") for w in _TOKEN_RE.findall(normalize(text).text)]
    words = [w for w in words if w]
    out: set[str] = set()
    for i, w in enumerate(words):
        if w not in STOPWORDS and len(w) > 2 and not w.isdigit():
            out.add(w)
        if i + 1 < len(words):
            nxt = words[i + 1]
            both_stop = w in STOPWORDS and nxt in STOPWORDS
            short = len(w) < 2 or len(nxt) < 2
            if not both_stop and not short and not (w.isdigit() or nxt.isdigit()):
                out.add(f"{w} {nxt}")
    return {t for t in out if len(t) <= MAX_TERM_LEN}


def group_corrections(corrections: Iterable[Correction]) -> list[Group]:
    """Corrections grouped by cause, largest groups first. One correction may sit in several
    groups (a reviewer can both add one scenario and remove another)."""
    groups: dict[tuple[str, str], Group] = {}
    severities: dict[str, Counter[str]] = {}
    for c in corrections:
        fired, named = set(c.engine_scenarios), set(c.scenarios)
        for s in sorted(named - fired):
            groups.setdefault(("missed", s), Group("missed", s)).corrections.append(c)
        for s in sorted(fired - named):
            groups.setdefault(("false_alarm", s), Group("false_alarm", s)).corrections.append(c)
        if c.engine_severity and c.engine_severity != c.severity:
            for s in sorted(fired & named):
                groups.setdefault(("severity", s), Group("severity", s)).corrections.append(c)
                severities.setdefault(s, Counter())[c.severity] += 1
    for (kind, scenario), group in groups.items():
        if kind == "severity":
            group.severity = severities[scenario].most_common(1)[0][0]
            # Only the corrections that agree on the new severity form the group.
            group.corrections = [c for c in group.corrections if c.severity == group.severity]
    ordered = [g for g in groups.values() if g.corrections]
    return sorted(ordered, key=lambda g: (-len(g.corrections), g.kind, g.scenario))


@dataclass(frozen=True)
class TermScore:
    term: str
    in_group: int  # corrections of the group holding the term
    group_size: int
    in_rest: int  # contrast mentions holding the term
    rest_size: int
    score: float


def over_represented(
    group_terms: list[set[str]],
    rest_counts: Counter[str],
    rest_size: int,
    *,
    limit: int = 3,
    min_support: int = MIN_SUPPORT,
    max_rest_share: float = 0.05,
) -> list[TermScore]:
    """Terms much more frequent in the group than in the rest, best first.

    Score: log-odds ratio with add-one smoothing, weighted by the group share so that a term in
    every missed mention beats a rare one. A term common in the rest (over `max_rest_share`)
    would change too much else and is left out; a bigram shadows its words when it is as frequent.
    """
    n = len(group_terms)
    if not n:
        return []
    counts: Counter[str] = Counter()
    for terms in group_terms:
        counts.update(terms)
    scored: list[TermScore] = []
    for term, k in counts.items():
        if k < min_support:
            continue
        r = rest_counts.get(term, 0)
        if rest_size and r / rest_size > max_rest_share:
            continue
        p_group = (k + 0.5) / (n + 1)
        p_rest = (r + 0.5) / (rest_size + 1)
        if p_group <= p_rest * 2:
            continue
        score = (k / n) * math.log(p_group / p_rest)
        scored.append(TermScore(term, k, n, r, rest_size, score))
    scored.sort(key=lambda t: (-t.score, -len(t.term), t.term))
    chosen: list[TermScore] = []
    for t in scored:
        # Keep the more specific of a bigram and its word when they cover the same corrections.
        if any(t.term in c.term.split() and c.in_group >= t.in_group for c in chosen):
            continue
        chosen.append(t)
        if len(chosen) >= limit:
            break
    return chosen
