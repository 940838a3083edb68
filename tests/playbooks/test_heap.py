"""Memory freed by a playbook compile goes back to the system (glibc's malloc_trim)."""

from __future__ import annotations

import sys

import pytest

from playbooks import heap


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_freed_memory_is_released_on_glibc():
    garbage = [bytearray(4096) for _ in range(20_000)]  # 80 MB in small blocks, then freed
    del garbage
    assert heap._libc() is not None  # found on this glibc system
    heap.release_freed()  # trims without raising


def test_without_malloc_trim_it_does_nothing(monkeypatch):
    monkeypatch.setattr(heap, "_libc", lambda: None)
    assert heap.release_freed() is False
