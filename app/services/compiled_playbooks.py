"""The process's cache of compiled playbooks, keyed by text and stored-lexicon versions.

Compiling a playbook costs ~1.5 s of CPU once its lexicon files' automata are in the disk
store (`playbooks.automaton_store`), over 20 s in a process that must build them. Concurrent
first requests of a fresh process wait for one compilation instead of each running its own
(four batches arriving at a new web worker compiled it four times: most of a cold start's
cost), and `vigie run` compiles the published playbooks in the master before it forks
(`content.warm_up_playbooks`): its workers inherit them.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import _CacheInfo
from typing import Any

import playbooks
from playbooks.heap import release_freed

# The automata of the lexicon files are shared across playbooks per content hash
# (playbooks.matcher), so a brand's own compiled part is small (benchmarks/bench_brands.py):
# keep every live brand's playbook, with room for re-publications. VIGIE_PLAYBOOK_CACHE sets it.
CACHE_SIZE = int(os.environ.get("VIGIE_PLAYBOOK_CACHE", "") or 32)

Key = tuple[str, tuple[playbooks.StoredLexicon, ...]]
_cache: OrderedDict[Key, Any] = OrderedDict()
_cache_lock = threading.Lock()  # held briefly: reading or filling the cache
_compile_lock = threading.Lock()  # held while compiling: one compilation at a time
_counts = {"hits": 0, "misses": 0}


def compile_playbook(source: str, lexicons: tuple[playbooks.StoredLexicon, ...] = ()) -> Any:
    """Parse and compile a playbook once per process (keyed by its text and the versions of the
    brand's stored lexicons it names: see brand_lexicons.stored_for_playbook)."""
    key = (source, lexicons)
    found = _lookup(key)
    if found is not None:
        return found
    with _compile_lock:
        found = _lookup(key)  # compiled by the thread this one waited for
        if found is not None:
            return found
        _counts["misses"] += 1
        engine = playbooks.load_playbook(
            source, source="playbook.yaml", stored_lexicons={s.name: s for s in lexicons}
        )
        release_freed()
        # Cached before the next waiting thread may look (it would compile it again).
        with _cache_lock:
            _cache[key] = engine
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return engine


def _lookup(key: Key) -> Any:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            _counts["hits"] += 1
        return found


def cache_clear() -> None:
    """Forget every compiled playbook (tests, benchmarks)."""
    with _cache_lock:
        _cache.clear()
        _counts.update(hits=0, misses=0)


def cache_info() -> _CacheInfo:
    """Hits, misses, size and bound, as functools.lru_cache reports them."""
    with _cache_lock:
        return _CacheInfo(_counts["hits"], _counts["misses"], CACHE_SIZE, len(_cache))


# The lru_cache interface the benchmarks read (bench_brands.py).
compile_playbook.cache_clear = cache_clear  # type: ignore[attr-defined]
compile_playbook.cache_info = cache_info  # type: ignore[attr-defined]
