"""Vigie's playbook engine: parse, validate, normalise, match and decide (no Flask)."""

from .engine import Playbook, default_delegation
from .errors import PlaybookError, ValidationIssue
from .evaluation import classify_jsonl, evaluate, explain, mention_from_dict
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
    "classify_jsonl",
    "default_delegation",
    "evaluate",
    "explain",
    "load_playbook",
    "load_playbook_file",
    "mention_from_dict",
    "shipped_playbook_path",
]
