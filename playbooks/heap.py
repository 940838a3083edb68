"""Give memory freed by a big build back to the operating system.

Compiling a playbook allocates hundreds of MB of short-lived objects (the words of its lexicons
re-applied, the corrector's vocabulary hashed, the automata's tables) and frees them at once;
glibc keeps most of that in its arenas, so each brand compiled in a long-lived web or worker
process raised its resident size by the compile's transient peak (issue 11 §4: 20 brands in
≤ 500 MB). `malloc_trim` returns those free pages. Elsewhere than glibc it does nothing.

Freeing big blocks also raises glibc's mmap threshold (up to 32 MB), so the next big blocks
(the language model's decompression window, the automata's buffers) come from that heap too
and stay resident after they are freed: the loader trims between the phases of a compile.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_freed() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
