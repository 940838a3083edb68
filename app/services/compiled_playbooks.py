"""The process's cache of compiled playbooks, keyed by text and stored-lexicon versions."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import playbooks

# The automata of the lexicon files are shared across playbooks per content hash
# (playbooks.matcher), so a brand's own compiled part is small (benchmarks/bench_brands.py):
# keep every live brand's playbook, with room for re-publications. VIGIE_PLAYBOOK_CACHE sets it.
CACHE_SIZE = int(os.environ.get("VIGIE_PLAYBOOK_CACHE", "") or 32)


@lru_cache(maxsize=CACHE_SIZE)
def compile_playbook(source: str, lexicons: tuple[playbooks.StoredLexicon, ...] = ()) -> Any:
    """Parse and compile a playbook once per process (keyed by its text and the versions of the
    brand's stored lexicons it names: see brand_lexicons.stored_for_playbook)."""
    return playbooks.load_playbook(
        source, source="playbook.yaml", stored_lexicons={s.name: s for s in lexicons}
    )
