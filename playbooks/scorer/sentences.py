"""A threat or a farewell is said in one sentence of a message, and a linear score over the whole
message dilutes it: "Est-ce qu'on souffre quand on se fait percuter par un train ? Je compte le
faire ce soir." reads 0.26 for self-harm whole and 0.74 on one sentence alone. So the threat
and self-harm scores are each sentence's highest, once the whole message leans that way
(`FLOOR`): a short harmless sentence of a harmless message ("Je ne veux gêner personne.") is
never read alone, and insult, hate and toxicity keep the whole message's score (a quotation
reported in one sentence and condemned in the next is read whole). Wave 48 of issue 13
measured it (`playbooks/models/README.md`).

Guards stay the message's: hyperbole admitted, a laugh, a quotation are read over the whole
text by the rules, whatever sentence the score comes from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from .scores import Contribution, Scores, spans_of


class _Normalised(Protocol):
    """A normalised text (`playbooks.normalize.NormalizedText`), as the scorer reads it."""

    text: str

    def words(self) -> list[str]: ...


SHARPENED = ("threat", "self_harm")
# The whole message's score a sentence may sharpen from (the study probes: at 0.2, +45 threats
# and suicidal statements to S4 for 9 harmless posts; every sentence read alone: +49 for 22).
FLOOR = 0.2
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


def sentences(text: str) -> list[str]:
    """The message's sentences, as written (split after . ! ? … and at line breaks)."""
    return [part for part in _BOUNDARY.split(text) if part.strip()]


def to_read(whole: Scores, text: str) -> list[str]:
    """The sentences of `text` to score one by one: none unless the whole message (`whole`, its
    scores) leans towards a threat or self-harm and has more than one sentence."""
    probs = whole.probs
    for label in SHARPENED:  # a loop: `any` over a generator costs more, once a text
        if probs.get(label, 0.0) >= FLOOR:
            break
    else:
        return []
    parts = sentences(text)
    return parts if len(parts) > 1 else []


class SentenceScores(Scores):
    """The whole message's scores, with each sharpened label taken from the sentence that
    scores it highest; its words are that sentence's, located in the whole message."""

    __slots__ = ("_by_label", "_whole")

    def __init__(self, whole: Scores, parts: Sequence[Scores]) -> None:
        # Not Scores.__init__: the words and weights are each source's own.
        self._whole = whole
        self.text = whole.text
        self._by_label: dict[str, Scores] = {}
        self.probs = dict(whole.probs)
        for label in SHARPENED:
            best = max(parts, key=lambda s: s.probs[label], default=whole)
            if best.probs[label] > self.probs[label]:
                self._by_label[label] = best
                self.probs[label] = best.probs[label]

    @property
    def whole(self) -> Scores:
        return self._whole

    def _source(self, label: str) -> Scores:
        return self._by_label.get(label, self._whole)

    def grounded(self, label: str) -> bool:
        return self._source(label).grounded(label)

    def top_words(self, label: str, n: int = 3) -> list[Contribution]:
        source = self._source(label)
        if source is self._whole:
            return source.top_words(label, n)
        return [
            Contribution(c.word, c.weight, spans_of(self.text, c.word))
            for c in source.top_words(label, n)
        ]


def sharpened(
    whole: Scores,
    text: str,
    normalised: Callable[[str], str],
    score: Callable[[str], Scores],
) -> Scores:
    """`whole` (the scores of `text`) with the threat and self-harm of its sharpest sentence,
    when the message leans that way and has more than one sentence. `normalised` gives a
    sentence's text as the scorer reads it (the playbook's normalisation)."""
    parts = to_read(whole, text)
    if not parts:
        return whole
    return SentenceScores(whole, [score(normalised(p)) for p in parts])


def score_batch(
    texts: Sequence[_Normalised],
    said: Sequence[tuple[str, str]],
    normalised_in: Callable[[str, str], _Normalised],
) -> list[Scores]:
    """The scores of a batch of normalised `texts` (`Playbook.prepare`), each `sharpened` from
    what was said (text, language): the texts in one `score_many` pass, then the sentences of
    every leaning message in another."""
    from .runtime import get_scorer

    scorer = get_scorer()
    wholes = scorer.score_many([t.text for t in texts], [t.words() for t in texts])
    reads = [to_read(whole, text) for whole, (text, _) in zip(wholes, said, strict=True)]
    parts = [normalised_in(p, lang).text for (_, lang), ps in zip(said, reads, strict=True)
             for p in ps]  # fmt: skip
    scored = iter(scorer.score_many(parts) if parts else [])
    return [
        SentenceScores(whole, [next(scored) for _ in ps]) if ps else whole
        for whole, ps in zip(wholes, reads, strict=True)
    ]
