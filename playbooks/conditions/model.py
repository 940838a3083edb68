"""The `model` condition: the learned scorer's calibrated probabilities, combined with rules."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

from ..scope import inside
from ..yaml_source import Path
from .base import CompileContext, Condition, Finding, register

if TYPE_CHECKING:
    from ..facts import Facts
    from ..scorer import Scores

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
# Labels said by a word (an insult, a slur): their probability must rest on a content word.
# Threats and distress are said by grammar ("je ne serai plus là"): not these.
_WORDED = frozenset({"toxicity", "insult", "hate", "hate_group"})
_BOUND_RE = re.compile(r"\s*(>=|<=|>|<)?\s*([01](?:[.,]\d+)?|[.,]\d+)\s*")


def scores_of(facts: Facts) -> Scores:
    """The scorer's result for this mention (computed once, shared by every `model` test)."""
    scores = facts.model_scores
    if scores is None:
        from ..scorer import get_scorer

        scores = get_scorer().score(facts.nt.text)
        scores = facts.model_scores = sentence_scores(facts, facts.mention.text, scores)
    return scores


def sentence_scores(facts: Facts, text: str, whole: Scores) -> Scores:
    """`whole` with the threat and self-harm of the sharpest sentence of `text`
    (`scorer.sentences`): each sentence normalised as the mention was."""
    from ..scorer import get_scorer, sentences

    def normalised(part: str) -> str:
        return facts.playbook.normalised_in(part, facts.lang).text

    return sentences.sharpened(whole, text, normalised, get_scorer().score)


# Fewer words between quotation marks are a name or scare quotes ("des « réfugiés »
# partout", "votre « conseiller beauté »"), not someone's words: the score reads them.
_SAID_WORDS = 6


_WORDS_KEY = ("model", "words")


def _word_count(facts: Facts) -> int:
    """The mention's words as written (`split()`), counted once per mention."""
    count = facts.memo.get(_WORDS_KEY)
    if count is None:
        count = facts.memo[_WORDS_KEY] = len(facts.mention.text.split())
    return cast(int, count)


def _said(quoted: str) -> bool:
    return len(quoted.split()) >= _SAID_WORDS


def _fmt(p: float) -> str:
    return f"{p:.2f}".replace(".", ",")


@register
class Model(Condition):
    """The scorer's probability for each named label passes its bound (`">= 0.7"`, `0.7`).

    `min_words: N` reads the whole message's scores instead of its sharpest sentence's, and
    holds only on a message of at least N words: the scorer is surer of a fragment than its
    words warrant ("j'espère que tu vas bien" reads 0.91 for threat), less so of a long
    message read whole (wave 49 of issue 13)."""

    kind = "model"
    cost = 3  # scores the text (once per mention): tested after cheaper siblings in `all`
    value_type = dict[str, str | float]

    def __init__(self, value: dict[str, str | float], path: Path, ctx: CompileContext) -> None:
        super().__init__(value, path, ctx)
        self.bounds: list[tuple[str, str, float]] = []
        self._checks: list[tuple[str, Callable[[float, float], bool], float]] = []
        self._raised: list[str] = []
        self.min_words: int | None = None
        if not value:
            ctx.error(path, "'model': expected at least one label, e.g. {threat: '>= 0.7'}")
            return
        from ..scorer import MODEL_PATH, get_scorer

        if not MODEL_PATH.is_file():
            ctx.error(path, f"'model': the scorer's weights are missing ({MODEL_PATH.name})")
            return
        labels = get_scorer().labels
        for label, bound in value.items():
            if label == "min_words":
                # a number once validated (`value_type`): 20 arrives as 20.0
                count = bound if isinstance(bound, int | float) else 0.0
                if isinstance(bound, bool) or not float(count).is_integer() or count < 1:
                    ctx.error((*path, label), "'model': min_words is a whole number of words ≥ 1")
                else:
                    self.min_words = int(count)
                continue
            if label not in labels:
                ctx.error(
                    (*path, label),
                    f"'model': unknown label {label!r} (expected one of: {', '.join(labels)})",
                    key=True,
                )
                continue
            if isinstance(bound, bool):
                ctx.error((*path, label), "'model': expected a bound such as '>= 0.7'")
                continue
            if isinstance(bound, int | float):
                op, threshold = ">=", float(bound)
            else:
                m = _BOUND_RE.fullmatch(bound)
                if m is None:
                    ctx.error(
                        (*path, label),
                        f"'model': expected a bound such as '>= 0.7' (a probability 0–1), "
                        f"got {bound!r}",
                    )
                    continue
                op, threshold = m.group(1) or ">=", float(m.group(2).replace(",", "."))
            if not 0.0 <= threshold <= 1.0:
                ctx.error((*path, label), "'model': a probability is between 0 and 1")
                continue
            self.bounds.append((label, op, threshold))
        # The comparisons themselves, looked up once (tested for every mention).
        self._checks = [(label, _OPS[op], t) for label, op, t in self.bounds]
        self._raised = [n for n, op, _ in self.bounds if op.startswith(">") and n in _WORDED]

    def test(self, facts: Facts) -> bool:
        if not self._checks:
            return False
        scores = facts.model_scores
        if scores is None:
            scores = scores_of(facts)
        if not self._passes(self._read(scores)):
            return False
        # The word count after the bounds: counting splits the whole text, and the bounds
        # (a few float comparisons) nearly always fail first.
        return self.min_words is None or _word_count(facts) >= self.min_words

    def _passes(self, scores: Scores) -> bool:
        """Every bound holds on these scores, each raised one grounded in a content word."""
        probs = scores.probs
        for label, op, t in self._checks:  # a loop: a generator costs more in the hot path
            if not op(probs[label], t):
                return False
        # A lower bound passed on grammar words alone ("t'es où ?") is no insult.
        return all(scores.grounded(label) for label in self._raised)

    def required_models(self) -> Iterator[Model]:
        yield self

    def rests_on(self, facts: Facts, scopes: list[tuple[str, int, int]]) -> bool:
        """Whether the score rests on scoped words (original offsets: quoted, negated or
        reported): the word that weighed most for a label lies in a scope and, without
        every scope's words, a bound fails. "Le contrôleur a dit « espèce d'idiot » à un
        jeune" is an insult only inside its quotation; "des « réfugiés » partout … des
        parasites" is hate whatever the scare quotes hold."""
        text = facts.mention.text
        scopes = [s for s in scopes if s[0] != "quoted" or _said(text[s[1] : s[2]])]
        if not scopes:
            return False
        scores = self._read(scores_of(facts))
        for label, op, _ in self.bounds:
            if not op.startswith(">"):
                continue
            top = scores.top_words(label, 1)
            if (
                top
                and top[0].spans
                and all(inside(facts.span_mapper(a, b), scopes) for a, b in top[0].spans)
            ):
                break
        else:
            return False
        return not self._holds_without(facts, [(a, b) for _, a, b in scopes])

    def _holds_without(self, facts: Facts, spans: list[tuple[int, int]]) -> bool:
        """Whether the bounds still hold on the text with these spans left out."""
        text = facts.mention.text
        kept, at = [], 0
        for start, end in sorted(spans):
            if start > at:
                kept.append(text[at:start])
            at = max(at, end)
        kept.append(text[at:])
        from ..scorer import get_scorer

        rest = " ".join(kept)
        nt = facts.playbook.normalised_in(rest, facts.lang)
        whole = get_scorer().score(nt.text)
        if self.min_words is not None:
            return self._passes(whole)
        return self._passes(sentence_scores(facts, rest, whole))

    def _read(self, scores: Scores) -> Scores:
        """The scores this condition reads: the whole message's under `min_words`."""
        return scores.whole if self.min_words is not None else scores

    def findings(self, facts: Facts) -> Iterator[Finding]:
        scores = self._read(scores_of(facts))
        from ..scorer import LABEL_NAMES

        for label, op, t in self.bounds:
            name = LABEL_NAMES.get(label, label)
            p = scores.probs[label]
            head = f"Modèle : {name} {_fmt(p)} ({op} {_fmt(t)})"
            if self.min_words is not None:
                head += " sur le message entier"
            if op.startswith(">"):
                top = scores.top_words(label)
                if top:
                    words = ", ".join(f"« {c.word} »" for c in top)
                    spans = tuple(s for c in top for s in c.spans)
                    yield Finding(
                        "model",
                        f"{head} ; mots qui ont pesé : {words}",
                        tuple(c.word for c in top),
                        spans,
                    )
                    continue
            yield Finding("model", head)
