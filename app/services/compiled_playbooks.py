"""The process's cache of compiled playbooks, keyed by text and stored-lexicon versions."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import playbooks


# A compiled shipped playbook holds ~60 MB of automata (106k expanded terms): keep the live
# ones of a few brands per process. Sharing compiled lexicons across brands is the next step.
@lru_cache(maxsize=8)
def compile_playbook(source: str, lexicons: tuple[playbooks.StoredLexicon, ...] = ()) -> Any:
    """Parse and compile a playbook once per process (keyed by its text and the versions of the
    brand's stored lexicons it names: see brand_lexicons.stored_for_playbook)."""
    return playbooks.load_playbook(
        source, source="playbook.yaml", stored_lexicons={s.name: s for s in lexicons}
    )
