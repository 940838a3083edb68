"""Vigie's playbook engine: parse, validate, normalise, match and decide (no Flask)."""

from .engine import Playbook
from .errors import PlaybookError, ValidationIssue
from .loader import load_playbook, load_playbook_file, shipped_playbook_path
from .model import (
    ACTIONS,
    SEVERITIES,
    AuthorProfile,
    BrandContext,
    Decision,
    Evidence,
    MentionInput,
)

__all__ = [
    "ACTIONS",
    "SEVERITIES",
    "AuthorProfile",
    "BrandContext",
    "Decision",
    "Evidence",
    "MentionInput",
    "Playbook",
    "PlaybookError",
    "ValidationIssue",
    "load_playbook",
    "load_playbook_file",
    "shipped_playbook_path",
]
