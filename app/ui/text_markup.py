"""Showing untrusted text with marks, escaped piece by piece (no raw HTML ever passes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape


def highlight(text: str, spans: Iterable[Sequence[int]]) -> Markup:
    """The text escaped, with the given character spans wrapped in <mark> (overlaps merged)."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s[0]), int(s[1])) for s in spans if len(s) >= 2):
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # Every piece of the text goes through escape(); only the tags are added as they are (a
    # case page shows ten mentions or more: Markup.format's formatter cost most of this).
    parts: list[str] = []
    cursor = 0
    for start, end in merged:
        parts += (escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>")
        cursor = end
    parts.append(escape(text[cursor:]))
    return Markup("".join(parts))


def mark_findings(text: str, findings: Sequence[Any]) -> Markup:
    """The text escaped, each proofreading finding wrapped in a <mark> numbered by its index."""
    parts: list[Markup] = []
    cursor = 0
    for index, finding in sorted(enumerate(findings), key=lambda f: f[1].start):
        if finding.start < cursor:
            continue
        parts.append(escape(text[cursor : finding.start]))
        parts.append(
            Markup('<mark class="finding" data-finding="{}" title="{}">{}</mark>').format(
                index, finding.message, text[finding.start : finding.end]
            )
        )
        cursor = finding.end
    parts.append(escape(text[cursor:]))
    return Markup("").join(parts)
