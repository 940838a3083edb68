"""Load the proofreading engines once, under their locks, before the first request.

Grammalecte builds its rules lazily on its first parse and `wordfreq` reads its frequency lists
on the first lookup of each language (about 1 s, 4.5 s under load). Done by the first requests,
the two race (16 threads in a fresh process raised AttributeError/KeyError) and the first
proofread is slow. `vigie run`, `vigie demo` and `vigie worker` call `warm_up()` at start;
tests that do not proofread skip it. Set VIGIE_WARM_UP=0 to start faster.
"""

from __future__ import annotations

import os
import threading
import time

from canned_replies import unknown_words
from canned_replies.grammalecte_engine import GrammalecteMissing, engine
from playbooks.heap import release_freed

_lock = threading.Lock()
_done = False

# A sentence with a typo and a grammar slip: the parse loads the rules and the suggesters.
_SAMPLE_FR = "Bonjour, nous avons bien recu votre mesage et les colis est en route."
_SAMPLE_EN = "Hello, we has received your mesage."


def enabled(environ: dict[str, str] | None = None) -> bool:
    """Warm-up is on unless VIGIE_WARM_UP is 0/false/no."""
    value = (environ if environ is not None else os.environ).get("VIGIE_WARM_UP", "1")
    return value.strip().lower() not in ("0", "false", "no", "off")


def warm_up() -> float:
    """Load Grammalecte and the word frequencies, then proofread a sample; seconds spent.

    Idempotent and thread-safe: later calls return 0 at once. A machine without Grammalecte
    still warms the English side (French proofreading then reports "unavailable").
    """
    global _done
    if _done:
        return 0.0
    with _lock:
        if _done:
            return 0.0
        started = time.perf_counter()
        from canned_replies.proofreading import proofread

        unknown_words.load()
        try:
            engine()  # loads and parses once under the engine's own lock
            proofread(_SAMPLE_FR, "fr")
        except GrammalecteMissing:
            pass
        proofread(_SAMPLE_EN, "en")
        # The loads' transient copies (Grammalecte's dictionary read as JSON, the English word
        # list's dict) are freed but stay in the heap: give those pages back.
        release_freed()
        _done = True
        return time.perf_counter() - started
