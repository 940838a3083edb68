"""Two blocking findings side by side where fixing one makes the other vanish: the other is
its consequence, dropped.

Grammalecte reads a word with its neighbour as written, so one slip often raises two
findings, the second "fixing" a right word to agree with the slip: "se soir" (`soir` "should
be a verb" beside `se` → `ce`), "ils son arrivés" (`arrivés` → `arrivé` beside `son` →
`sont`). A one-click fix of the second breaks a right word. `contradicting_findings` drops
known pairs by their shape; this reads any pair by its outcome: the sentence is checked again
with each fix applied. When one fix makes the other finding vanish (no finding left on its
words, not even advice) and the other fix does not return the favour, the finding that
vanished is a consequence if its own fix, applied after the first, is wrong there (a right one
means Grammalecte only stopped seeing a second slip). A pair whose fixes each clear the other
is left as it is: nothing says which word was meant ("nous a envoyer": `à` or `envoyé`; "la
gène": `le` or `gêne`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from canned_replies.findings import Finding

# Findings this close (characters between them) may be one slip read twice: a word or two.
_MOST_APART = 16
_SENTENCE_END = re.compile(r"[.!?…]\s")

Check = Callable[[str], list[Finding]]


def _sentence_around(paragraph: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding [start, end) in the paragraph."""
    begin = 0
    for match in _SENTENCE_END.finditer(paragraph, 0, start):
        begin = match.end()
    after = _SENTENCE_END.search(paragraph, end)
    return begin, after.start() + 1 if after else len(paragraph)


def _fixed(sentence: str, fixes: list[Finding]) -> str:
    """The sentence with each finding's first suggestion applied (spans relative to it)."""
    for fix in sorted(fixes, key=lambda f: f.start, reverse=True):
        sentence = sentence[: fix.start] + fix.suggestions[0] + sentence[fix.end :]
    return sentence


def _span_after(fix: Finding, other: Finding) -> tuple[int, int]:
    """Where `other`'s words are once `fix` is applied."""
    if other.end <= fix.start:
        return other.start, other.end
    shift = len(fix.suggestions[0]) - (fix.end - fix.start)
    return other.start + shift, other.end + shift


def _after_fix(sentence: str, fix: Finding, other: Finding, check: Check) -> tuple[bool, int]:
    """Check the sentence with `fix` applied: whether `other` is gone, and how many blocking
    findings are left."""
    if not fix.suggestions:
        return False, 0
    findings = check(_fixed(sentence, [fix]))
    start, end = _span_after(fix, other)
    # Gone means no finding at all there: one turned into advice may still be the slip
    # ("Les deuxièmes est troisième": `est` is advice after a wrong fix of "deuxième").
    gone = not any(f.start < end and start < f.end for f in findings)
    return gone, sum(f.blocking for f in findings)


def _wrong_once_fixed(
    sentence: str, cause: Finding, other: Finding, left: int, check: Check
) -> bool:
    """`other`'s own fix is wrong once `cause` is fixed (which left `left` blocking findings):
    applied too, it raises more ("ils sont arrivés" → "arrivé"). A fix still right there means
    Grammalecte only stopped seeing a second slip ("n'ait pas été a la hauteur" keeps "à")."""
    if not other.suggestions:
        return True  # nothing to apply, and nothing left on its words
    return sum(f.blocking for f in check(_fixed(sentence, [cause, other]))) > left


def without_consequences(
    paragraph: str, offset: int, found: list[Finding], check: Check
) -> list[Finding]:
    """`found` (offsets of the whole text; `paragraph` starts at `offset`) without the
    blocking findings another one's fix makes vanish. `check` proofreads a sentence alone
    (offsets relative to it, no pass of this function inside)."""
    blocking = sorted((f for f in found if f.blocking), key=lambda f: f.start)
    dropped: set[int] = set()
    for first, second in pairwise(blocking):
        if id(first) in dropped or not 0 <= second.start - first.end <= _MOST_APART:
            continue
        begin, end = _sentence_around(paragraph, first.start - offset, second.end - offset)
        if second.end - offset > end:
            continue  # a sentence ends between them
        sentence = paragraph[begin:end]
        base = offset + begin  # spans relative to the sentence
        a = replace(first, start=first.start - base, end=first.end - base)
        b = replace(second, start=second.start - base, end=second.end - base)
        a_clears, after_a = _after_fix(sentence, a, b, check)
        b_clears, after_b = _after_fix(sentence, b, a, check)
        if a_clears == b_clears:
            continue  # neither fix clears the other, or each does: both stay
        if a_clears and _wrong_once_fixed(sentence, a, b, after_a, check):
            dropped.add(id(second))
        elif b_clears and _wrong_once_fixed(sentence, b, a, after_b, check):
            dropped.add(id(first))
    return [f for f in found if id(f) not in dropped]
