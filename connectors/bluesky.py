"""Bluesky (AT Protocol) over XRPC with httpx, on any PDS: reading mentions and replying.

Sessions and XRPC are `connectors.bluesky_session`, the read window kept in the cursor
`connectors.bluesky_window`, rich-text facets `connectors.bluesky_facets`.

Credentials: `{"identifier": "brand.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}`
(`password` is accepted for `app_password`); the connector adds its session (`access_jwt`,
`refresh_jwt`, `did`, `handle`, `pds_url`) and hands the dict back in `updated_credentials`
every time it changes. Persist it: each refresh revokes the previous refresh token, and
logging in again is limited to 30 per 5 minutes.
Calls for one account must be serialised (the worker's lease does that).

`base_url` is where sessions are made (default the https://bsky.social entryway); everything
else goes to the PDS named in the session's DID document.

Options: `page_size` (1-100, default 100), `max_pages` (default 10), `overlap_minutes`
(0-1440, default 60), `fetch_followers` (default True: one `getProfiles` call per 25
authors, best effort).

Order: listNotifications sorts by the AppView's `sortAt`, the earlier of the post's
`createdAt` and the time it was indexed, and reports it as `indexedAt`. A post whose author's
clock is behind, or that a slow relay delivers late, therefore appears *below* notifications
already read. A high-water mark on `indexedAt` alone would skip it forever.

Cursor (JSON, `"v": 2`): `t`, the newest `indexedAt` read by a completed pass, and `seen`,
a digest → `indexedAt` map of what was already returned down to `t - overlap`. Each pass
reads newest-first down to `t - overlap` and returns only what is not in `seen`: a late
mention within the window is stored once, never skipped, never returned twice. `seen` is
bounded (the window, and MAX_SEEN entries; past that the store's unique key still drops a
mention returned twice). When a pass stops early the cursor also records where to resume
(`resume`, the page cursor), the floor of that pass (`floor`) and its newest instant (`pt`).
Cursors of the first format (`{"t", "uris", …}`) are read as a window ending at `t`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, ClassVar

import grapheme

from connectors.base import (
    AuthorInfo,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.bluesky_facets import build_facets, post_url
from connectors.bluesky_session import BlueskySession
from connectors.bluesky_window import Window, _ms, seen_key
from connectors.http_support import (
    parse_iso,
)

log = logging.getLogger(__name__)

REASONS = ("mention", "reply", "quote")
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
PROFILES_PER_CALL = 25
DEFAULT_OVERLAP = timedelta(minutes=60)
MAX_OVERLAP = timedelta(hours=24)
MAX_CHECK_PAGES = 10  # pages of our own posts read back when looking for a reply


class BlueskyConnector(BlueskySession):
    """A brand account on Bluesky: mentions, replies and quotes; replies with facets."""

    platform: ClassVar[str] = "bluesky"
    supports_hide: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[str, ...]] = ("identifier", "app_password")
    #: `password` is read as `app_password` (earlier documentation said `password`).
    credential_aliases: ClassVar[dict[str, str]] = {"password": "app_password"}
    option_fields: ClassVar[tuple[str, ...]] = (
        "page_size",
        "max_pages",
        "overlap_minutes",
        "fetch_followers",
    )
    default_base_url: ClassVar[str | None] = "https://bsky.social"

    # -- contract -------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read notifications newest-first down to the stored high-water mark."""
        try:
            return self._fetch(cursor)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _overlap(self) -> timedelta:
        try:
            minutes = float(self.options.get("overlap_minutes", DEFAULT_OVERLAP.seconds / 60))
        except (TypeError, ValueError):
            return DEFAULT_OVERLAP
        return min(max(timedelta(minutes=minutes), timedelta(0)), MAX_OVERLAP)

    def _fetch(self, cursor: str | None) -> FetchResult:
        page_size = min(max(int(self.options.get("page_size", 100)), 1), 100)
        max_pages = max(int(self.options.get("max_pages", 10)), 1)
        overlap = self._overlap()
        window = Window.parse(cursor, overlap)
        seen = dict(window.seen)
        first_poll = window.t is None and not window.resume
        if window.resume:
            page_cursor, floor, newest = window.resume, window.floor, window.pending_t
        else:
            page_cursor, newest = None, None
            floor = window.t - overlap if window.t else None
        collected: dict[str, dict[str, Any]] = {}
        pages = 0
        done = False
        stop_error: ConnectorError | None = None
        while not done:
            params: dict[str, Any] = {"limit": page_size, "reasons": list(REASONS)}
            if page_cursor:
                params["cursor"] = page_cursor
            try:
                body = self._xrpc(
                    "GET",
                    "app.bsky.notification.listNotifications",
                    action="list notifications",
                    params=params,
                )
            except ConnectorError as exc:
                if pages == 0:
                    raise
                stop_error = exc
                break
            pages += 1
            notifications = [n for n in body.get("notifications") or [] if isinstance(n, dict)]
            for notification in notifications:
                uri = str(notification.get("uri", ""))
                when = parse_iso(notification.get("indexedAt"))
                if not uri or when is None:
                    continue
                if floor is not None and when < floor:
                    done = True  # below the window: read and stored by earlier passes
                    break
                if newest is None or when > newest:
                    newest = when
                key = seen_key(uri)
                if key in seen or notification.get("reason") not in REASONS:
                    continue
                if window.t is not None and when < window.t:
                    log.info("Bluesky: late mention %s (%s below the mark)", uri, window.t - when)
                seen[key] = _ms(when)
                collected.setdefault(uri, notification)
            next_cursor = body.get("cursor")
            if first_poll:
                done = True  # first poll: the latest page only
            if not next_cursor or not notifications or next_cursor == page_cursor:
                done = True
            if not done and pages >= max_pages:
                stop_error = TransientError(f"stopped after {pages} pages; more remain")
                stop_error.retry_at = None
                page_cursor = next_cursor
                break
            page_cursor = next_cursor
        if stop_error is None:
            high = max((x for x in (window.t, newest) if x is not None), default=None)
            final = Window(high, seen)
        else:
            # Keep the mark; remember where to continue, down to which floor, and the newest
            # instant to adopt once the gap is filled. `seen` already holds what is returned.
            final = Window(window.t, seen, resume=page_cursor, floor=floor, pending_t=newest)
        mentions = self._to_mentions(list(collected.values()))
        return FetchResult(
            mentions,
            final.dump(overlap),
            self.rate_limit,
            complete=stop_error is None,
            retry_at=stop_error.retry_at if stop_error else None,
            error=str(stop_error) if stop_error else None,
            credentials=self.updated_credentials,
        )

    def _followers(self, dids: list[str]) -> dict[str, int]:
        """Followers per DID through getProfiles (25 per call); best effort."""
        if not self.options.get("fetch_followers", True):
            return {}
        counts: dict[str, int] = {}
        for start in range(0, len(dids), PROFILES_PER_CALL):
            chunk = dids[start : start + PROFILES_PER_CALL]
            try:
                body = self._xrpc(
                    "GET",
                    "app.bsky.actor.getProfiles",
                    action="get profiles",
                    params={"actors": chunk},
                )
            except ConnectorError as exc:
                log.info("Bluesky: follower counts unavailable (%s)", exc)
                break
            for profile in body.get("profiles") or []:
                if isinstance(profile.get("followersCount"), int):
                    counts[str(profile.get("did"))] = profile["followersCount"]
        return counts

    def _to_mentions(self, notifications: list[dict[str, Any]]) -> list[FetchedMention]:
        dids = list(dict.fromkeys(str((n.get("author") or {}).get("did")) for n in notifications))
        followers = self._followers(dids) if notifications else {}
        mentions = [self._to_mention(n, followers) for n in notifications]
        return sorted(mentions, key=lambda m: (m.raw.get("indexedAt", ""), m.external_id))

    def _to_mention(
        self, notification: dict[str, Any], followers: dict[str, int]
    ) -> FetchedMention:
        author = notification.get("author") or {}
        record = notification.get("record") or {}
        reply = record.get("reply") or {}
        handle = str(author.get("handle") or author.get("did") or "")
        did = str(author.get("did") or "")
        uri = str(notification["uri"])
        langs = record.get("langs") or []
        verification = author.get("verification") or {}
        return FetchedMention(
            external_id=uri,
            text=str(record.get("text") or ""),
            author=AuthorInfo(
                external_id=did,
                handle=handle,
                name=author.get("displayName") or None,
                followers=followers.get(did),
                verified=verification.get("verifiedStatus") == "valid",
                url=f"https://bsky.app/profile/{handle}" if handle else None,
            ),
            posted_at=parse_iso(record.get("createdAt"))
            or parse_iso(notification.get("indexedAt"))
            or utcnow(),
            url=post_url(uri, handle),
            lang=str(langs[0]) if langs else None,
            channel="bluesky",
            thread_id=(reply.get("root") or {}).get("uri") or uri,
            in_reply_to=(reply.get("parent") or {}).get("uri"),
            visibility=None,
            raw=notification,
        )

    def post_reply(self, reply: OutgoingReply) -> PostResult:
        """Create a reply post (root/parent refs, mention and link facets).

        Bluesky has no idempotency key: after OutcomeUnknown the outbox asks `find_reply`
        (our repo's records answering the mention) before any retry.
        """
        try:
            return self._post_reply(reply)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _post_reply(self, reply: OutgoingReply) -> PostResult:
        raw = reply.in_reply_to_raw or {}
        if not raw.get("uri") or not raw.get("cid"):
            raise PermanentError("post reply: the mention has no uri/cid to answer")
        text = reply.text
        if grapheme.length(text) > MAX_GRAPHEMES or len(text.encode("utf-8")) > MAX_BYTES:
            raise PermanentError(
                f"post reply: text longer than {MAX_GRAPHEMES} characters ({grapheme.length(text)})"
            )
        parent = {"uri": raw["uri"], "cid": raw["cid"]}
        root_ref = ((raw.get("record") or {}).get("reply") or {}).get("root")
        root = root_ref if root_ref and root_ref.get("uri") and root_ref.get("cid") else parent
        author = raw.get("author") or {}
        known = {}
        if author.get("handle") and author.get("did"):
            known[str(author["handle"])] = str(author["did"])
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": utcnow().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "reply": {"root": root, "parent": parent},
        }
        if reply.language:
            record["langs"] = [reply.language]
        facets = build_facets(text, known)
        if facets:
            record["facets"] = facets
        self._ensure_session()
        body = self._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            action="post reply",
            write=True,
            json={
                "repo": self.credentials["did"],
                "collection": "app.bsky.feed.post",
                "record": record,
            },
        )
        if not body.get("uri"):
            raise OutcomeUnknown("post reply: answer without a uri")
        return PostResult(
            external_id=str(body["uri"]),
            url=post_url(str(body["uri"]), self.credentials.get("handle")),
            credentials=self.updated_credentials,
        )

    def find_reply(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Look through our repo's posts (newest first, back to `posted_after`) for a record
        whose reply parent is the mention and whose text is ours.

        The PDS answers from the repository itself: no relay or AppView lag.
        """
        try:
            return self._find_reply(reply, posted_after)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _find_reply(self, reply: OutgoingReply, posted_after: datetime) -> PostResult | None:
        self._ensure_session()
        parent = reply.in_reply_to_external_id
        cursor: str | None = None
        for _ in range(MAX_CHECK_PAGES):
            params: dict[str, Any] = {
                "repo": self.credentials["did"],
                "collection": "app.bsky.feed.post",
                "limit": 100,
            }
            if cursor:
                params["cursor"] = cursor
            body = self._xrpc(
                "GET", "com.atproto.repo.listRecords", action="check reply", params=params
            )
            records = [r for r in body.get("records") or [] if isinstance(r, dict)]
            for item in records:
                value = item.get("value") or {}
                reply_ref = value.get("reply") or {}
                if (reply_ref.get("parent") or {}).get("uri") != parent:
                    continue
                if same_reply_text(str(value.get("text") or ""), reply.text):
                    uri = str(item.get("uri"))
                    return PostResult(
                        external_id=uri,
                        url=post_url(uri, self.credentials.get("handle")),
                        credentials=self.updated_credentials,
                    )
            cursor = body.get("cursor")
            oldest = (
                parse_iso((records[-1].get("value") or {}).get("createdAt")) if records else None
            )
            if not records or not cursor or (oldest is not None and oldest < posted_after):
                return None
        raise TransientError(f"check reply: more than {MAX_CHECK_PAGES} pages to read back")

    def verify(self) -> str:
        """Log in if needed and return the account's handle."""
        try:
            body = self._xrpc("GET", "com.atproto.server.getSession", action="verify session")
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None
        return str(body.get("handle") or self.credentials.get("handle") or "")
