"""Bluesky post text: rich-text facets (mentions and links) in UTF-8 byte offsets, and a
post's web address."""

from __future__ import annotations

import re
from typing import Any

_URL = re.compile(r"https?://[^\s<>\"]+")


def byte_span(text: str, start: int, end: int) -> dict[str, int]:
    """UTF-8 byte offsets of text[start:end], as facets need."""
    return {
        "byteStart": len(text[:start].encode("utf-8")),
        "byteEnd": len(text[:end].encode("utf-8")),
    }


def build_facets(text: str, mentions: dict[str, str]) -> list[dict[str, Any]]:
    """Facets for @handles we know the DID of (`mentions`: handle → DID) and for links."""
    facets: list[dict[str, Any]] = []
    for handle, did in mentions.items():
        pattern = r"(?<![\w@])@" + re.escape(handle) + r"(?![\w-]|\.\w)"
        for found in re.finditer(pattern, text, flags=re.IGNORECASE):
            facets.append(
                {
                    "index": byte_span(text, found.start(), found.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    for found in _URL.finditer(text):
        url = found.group().rstrip(".,;:!?)»")
        facets.append(
            {
                "index": byte_span(text, found.start(), found.start() + len(url)),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )
    return sorted(facets, key=lambda f: f["index"]["byteStart"])


def post_url(uri: str, handle: str | None) -> str | None:
    """Web URL of an at:// post URI."""
    match = re.fullmatch(r"at://([^/]+)/app\.bsky\.feed\.post/([^/]+)", uri)
    if not match:
        return None
    return f"https://bsky.app/profile/{handle or match.group(1)}/post/{match.group(2)}"
