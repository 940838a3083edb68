"""Vigie's playbook engine: parse, validate, normalise, match and decide (no Flask)."""

from .engine import (
    DEFAULT_SLA_MINUTES,
    SLA_SOURCES,
    AnswerTarget,
    Playbook,
    answer_target,
    default_delegation,
)
from .errors import PlaybookError, ValidationIssue
from .evaluation import classify_jsonl, evaluate, explain, mention_from_dict
from .lexicons import StoredLexicon, StoredLexicons, parse_lexicon_text
from .loader import (
    load_playbook,
    load_playbook_file,
    read_sla_minutes,
    shipped_playbook_path,
    stored_lexicon_names,
)
from .model import (
    ACTIONS,
    SEVERITIES,
    AuthorProfile,
    BrandContext,
    Decision,
    Evidence,
    MentionInput,
    ParentMention,
    PastMention,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_SLA_MINUTES",
    "SEVERITIES",
    "SLA_SOURCES",
    "AnswerTarget",
    "AuthorProfile",
    "BrandContext",
    "Decision",
    "Evidence",
    "MentionInput",
    "ParentMention",
    "PastMention",
    "Playbook",
    "PlaybookError",
    "StoredLexicon",
    "StoredLexicons",
    "ValidationIssue",
    "answer_target",
    "classify_jsonl",
    "default_delegation",
    "evaluate",
    "explain",
    "load_playbook",
    "load_playbook_file",
    "mention_from_dict",
    "parse_lexicon_text",
    "read_sla_minutes",
    "shipped_playbook_path",
    "stored_lexicon_names",
]
