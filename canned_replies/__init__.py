"""Canned replies: templates with variables, channel length checks, proofreading, libraries."""

from canned_replies.findings import Finding, blocking
from canned_replies.length import LengthCheck, channel_limit, check_length, count_length
from canned_replies.library import (
    CannedReplyDef,
    LibraryError,
    load_dictionary,
    load_library,
    shipped_library_path,
)
from canned_replies.proofreading import Proofreader, proofread, proofread_jsonl
from canned_replies.templates import (
    RenderResult,
    TemplateError,
    fill_markers,
    missing_markers,
    render,
    split_markers,
    template_variables,
)

__all__ = [
    "CannedReplyDef",
    "Finding",
    "LengthCheck",
    "LibraryError",
    "Proofreader",
    "RenderResult",
    "TemplateError",
    "blocking",
    "channel_limit",
    "check_length",
    "count_length",
    "fill_markers",
    "load_dictionary",
    "load_library",
    "missing_markers",
    "proofread",
    "proofread_jsonl",
    "render",
    "shipped_library_path",
    "split_markers",
    "template_variables",
]
