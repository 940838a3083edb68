"""More suggestions for a typo already judged blocking, ordered with the rest (step 43).

The candidates that decide whether an unknown word blocks stay as they were
(spelling_candidates.candidates): adding three-letter keystroke neighbours there made codes
and foreign words block (step 23). Once a word blocks, those and the other spellings of an
ending heard as "é" (spelling_candidates.more_candidates) may still be what the writer meant
("ets" → "est", "avet" → "avait"): they join the suggestions and all are ordered again by the
same channel and context (typo_channel.by_likelihood). Whether a word blocks never depends
on it.
"""

from __future__ import annotations

from collections.abc import Callable

from canned_replies import unknown_words
from canned_replies.spelling_candidates import more_candidates
from canned_replies.typo_channel import CONTEXT_MISFIT, MISFIT, by_likelihood

Fits = Callable[[str], bool]


def with_more(
    word: str, verdict: unknown_words.Verdict, fits: Fits | None, order_fits: Fits | None
) -> unknown_words.Verdict:
    """The verdict with more candidates, when it is a blocking French typo."""
    if not verdict.blocking or verdict.reason != "typo" or not verdict.suggestions:
        return verdict
    extra = [c for c in more_candidates(word) if c not in verdict.suggestions]
    if not extra:
        return verdict
    misfit = MISFIT if order_fits is None else CONTEXT_MISFIT
    ordered = by_likelihood(
        word,
        [*verdict.suggestions, *extra],
        unknown_words.as_common_word,
        order_fits or fits,
        misfit,
    )
    return unknown_words.Verdict(True, ordered, verdict.reason)
