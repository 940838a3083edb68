"""Give memory freed by a big build back to the operating system (see `playbooks.heap`, which
the playbook loader also calls between the phases of a compile)."""

from __future__ import annotations

from playbooks.heap import release_freed

__all__ = ["release_freed"]
