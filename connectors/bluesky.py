"""Bluesky (AT Protocol) over XRPC with httpx, on any PDS.

Credentials: `{"identifier": "brand.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}`;
the connector adds its session (`access_jwt`, `refresh_jwt`, `did`, `handle`, `pds_url`) and
hands the dict back in `updated_credentials` every time it changes. Persist it: each refresh
revokes the previous refresh token, and logging in again is limited to 30 per 5 minutes.
Calls for one account must be serialised (the worker's lease does that).

`base_url` is where sessions are made (default the https://bsky.social entryway); everything
else goes to the PDS named in the session's DID document.

Options: `page_size` (1-100, default 50), `max_pages` (default 10), `fetch_followers`
(default True: one `getProfiles` call per 25 authors, best effort).

Cursor: a JSON high-water mark `{"t": newest indexedAt, "uris": [uris at that instant]}`.
Notifications come newest-first, so a pass reads pages down to the mark; when a pass stops
early the cursor also records where to resume (`resume`, the page cursor) and the mark to
adopt once the gap is filled (`pt`, `puris`) — an interrupted pass advances safely.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

import grapheme
import httpx

from connectors.base import (
    AuthError,
    AuthorInfo,
    Connector,
    ConnectorError,
    FetchedMention,
    FetchResult,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    RateLimitState,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.http_support import (
    error_message,
    json_body,
    new_client,
    parse_epoch,
    parse_int,
    parse_iso,
    raise_for_status,
    send,
)

log = logging.getLogger(__name__)

REASONS = ("mention", "reply", "quote")
DEFAULT_RATE_LIMIT_WAIT = timedelta(minutes=5)
MAX_GRAPHEMES = 300
MAX_BYTES = 3000
PROFILES_PER_CALL = 25
_SESSION_ERRORS = {"ExpiredToken", "InvalidToken"}
_URL = re.compile(r"https?://[^\s<>\"]+")
MAX_CHECK_PAGES = 10  # pages of our own posts read back when looking for a reply


def bluesky_rate_limit(headers: httpx.Headers) -> RateLimitState:
    """Read RateLimit-* headers (the reset is absolute Unix seconds)."""
    return RateLimitState(
        limit=parse_int(headers.get("RateLimit-Limit")),
        remaining=parse_int(headers.get("RateLimit-Remaining")),
        reset_at=parse_epoch(headers.get("RateLimit-Reset")),
    )


def jwt_expiry(token: str | None) -> float | None:
    """Return the `exp` claim of a JWT (Unix seconds), or None when unreadable."""
    if not token or token.count(".") != 2:
        return None
    payload = token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (ValueError, KeyError, TypeError):
        return None


def pds_from_did_doc(did_doc: Any) -> str | None:
    """Return the account's PDS URL from its DID document, if present."""
    if not isinstance(did_doc, dict):
        return None
    for service in did_doc.get("service") or []:
        if str(service.get("id", "")).endswith("#atproto_pds"):
            return str(service.get("serviceEndpoint", "")).rstrip("/") or None
    return None


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


@dataclass
class HighWater:
    """Our cursor: the newest notification stored, plus an unfinished pass to resume."""

    t: datetime | None = None
    uris: set[str] = field(default_factory=set)
    resume: str | None = None
    pending_t: datetime | None = None
    pending_uris: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, cursor: str | None) -> HighWater:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            return cls(
                t=parse_iso(data.get("t")),
                uris=set(data.get("uris") or []),
                resume=data.get("resume"),
                pending_t=parse_iso(data.get("pt")),
                pending_uris=set(data.get("puris") or []),
            )
        except (ValueError, AttributeError):
            log.warning("Bluesky: unreadable cursor %r, starting from the latest page", cursor)
            return cls()

    def dump(self) -> str | None:
        if self.t is None and self.pending_t is None:
            return None
        data: dict[str, Any] = {"t": _iso(self.t), "uris": sorted(self.uris)}
        if self.resume:
            data |= {"resume": self.resume, "pt": _iso(self.pending_t)}
            data["puris"] = sorted(self.pending_uris)
        return json.dumps(data, separators=(",", ":"))

    def reached(self, when: datetime, uri: str) -> bool:
        """True for a notification at or below the mark (already stored)."""
        return self.t is not None and (when < self.t or (when == self.t and uri in self.uris))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class BlueskyConnector(Connector):
    """A brand account on Bluesky: mentions, replies and quotes; replies with facets."""

    platform: ClassVar[str] = "bluesky"
    supports_hide: ClassVar[bool] = False
    credential_fields: ClassVar[tuple[str, ...]] = ("identifier", "app_password")
    option_fields: ClassVar[tuple[str, ...]] = ("page_size", "max_pages", "fetch_followers")
    default_base_url: ClassVar[str | None] = "https://bsky.social"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = new_client(self.http_timeout)
        return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- sessions -------------------------------------------------------------------------

    def _ensure_session(self) -> None:
        creds = self.credentials
        expiry = jwt_expiry(creds.get("access_jwt"))
        if creds.get("access_jwt") and (expiry is None or expiry - time.time() > 60):
            return
        self._renew()

    def _renew(self) -> None:
        """Refresh the session; log in again only when the refresh token is refused."""
        if self.credentials.get("refresh_jwt"):
            try:
                self._refresh()
                return
            except AuthError:
                if not self.credentials.get("app_password"):
                    raise
                log.info("Bluesky: refresh token refused, logging in again")
        self._login()

    def _session_call(self, nsid: str, action: str, **kw: Any) -> dict[str, Any]:
        response = send(self.client, "POST", f"{self.base_url}/xrpc/{nsid}", action=action, **kw)
        self._note_rate_limit(response)
        if response.status_code == 400 and self._xrpc_error(response) in _SESSION_ERRORS:
            raise AuthError(f"{action}: {error_message(response)}", status=400)
        raise_for_status(
            response, self.rate_limit, action=action, default_wait=DEFAULT_RATE_LIMIT_WAIT
        )
        body = json_body(response)
        if not isinstance(body, dict) or not body.get("accessJwt"):
            raise TransientError(f"{action}: answer without tokens")
        return body

    def _login(self) -> None:
        identifier = str(self.credentials.get("identifier") or "").strip().lstrip("@")
        password = self.credentials.get("app_password")
        if not identifier or not password:
            raise AuthError("Bluesky: identifier and app password are required")
        body = self._session_call(
            "com.atproto.server.createSession",
            "log in",
            json={"identifier": identifier, "password": password},
        )
        self._adopt_session(body)

    def _refresh(self) -> None:
        body = self._session_call(
            "com.atproto.server.refreshSession",
            "refresh session",
            headers={"Authorization": f"Bearer {self.credentials['refresh_jwt']}"},
        )
        self._adopt_session(body)

    def _adopt_session(self, body: dict[str, Any]) -> None:
        pds = pds_from_did_doc(body.get("didDoc")) or self.credentials.get("pds_url")
        self._set_credentials(
            {
                **self.credentials,
                "access_jwt": body["accessJwt"],
                "refresh_jwt": body.get("refreshJwt"),
                "did": body.get("did"),
                "handle": body.get("handle"),
                "pds_url": pds or self.base_url,
            }
        )

    # -- XRPC -----------------------------------------------------------------------------

    @staticmethod
    def _xrpc_error(response: httpx.Response) -> str | None:
        try:
            body = response.json()
        except ValueError:
            return None
        return body.get("error") if isinstance(body, dict) else None

    def _note_rate_limit(self, response: httpx.Response) -> None:
        if "RateLimit-Remaining" in response.headers or "RateLimit-Reset" in response.headers:
            self.rate_limit = bluesky_rate_limit(response.headers)

    def _xrpc(
        self, method: str, nsid: str, *, action: str, write: bool = False, **kw: Any
    ) -> dict[str, Any]:
        """Call the PDS with the access token, refreshing it once if it expired."""
        self._ensure_session()
        for attempt in (1, 2):
            response = send(
                self.client,
                method,
                f"{self.credentials['pds_url']}/xrpc/{nsid}",
                action=action,
                write=write,
                headers={"Authorization": f"Bearer {self.credentials['access_jwt']}"},
                **kw,
            )
            self._note_rate_limit(response)
            error = self._xrpc_error(response) if response.status_code == 400 else None
            if error == "ExpiredToken" and attempt == 1:
                self._renew()
                continue
            if error in _SESSION_ERRORS:
                raise AuthError(f"{action}: {error_message(response)}", status=400)
            raise_for_status(
                response,
                self.rate_limit,
                action=action,
                default_wait=DEFAULT_RATE_LIMIT_WAIT,
                refusal_is_permanent=write,
                write=write,
            )
            body = json_body(response, write=write)
            if not isinstance(body, dict):
                raise TransientError(f"{action}: expected a JSON object")
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    def _with_credentials(self, exc: ConnectorError) -> ConnectorError:
        if self.updated_credentials is not None and exc.credentials is None:
            exc.credentials = self.updated_credentials
        return exc

    # -- contract -------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read notifications newest-first down to the stored high-water mark."""
        try:
            return self._fetch(cursor)
        except ConnectorError as exc:
            raise self._with_credentials(exc) from None

    def _fetch(self, cursor: str | None) -> FetchResult:
        page_size = min(max(int(self.options.get("page_size", 50)), 1), 100)
        max_pages = max(int(self.options.get("max_pages", 10)), 1)
        mark = HighWater.parse(cursor)
        # The newest instant this pass (or the pass it resumes) has seen.
        new_t, new_uris = (mark.pending_t, set(mark.pending_uris)) if mark.resume else (None, set())
        page_cursor = mark.resume
        collected: dict[str, dict[str, Any]] = {}
        pages = 0
        done = False
        marked_seen: set[str] = set()
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
                if mark.reached(when, uri):
                    marked_seen.add(uri)
                    if (mark.t is not None and when < mark.t) or marked_seen >= mark.uris:
                        done = True  # everything below was stored by an earlier pass
                    continue
                if new_t is None or when > new_t:
                    new_t, new_uris = when, {uri}
                elif when == new_t:
                    new_uris.add(uri)
                if notification.get("reason") in REASONS:
                    collected.setdefault(uri, notification)
            next_cursor = body.get("cursor")
            if mark.t is None and not mark.resume:
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
            final = HighWater(new_t or mark.t, new_uris if new_t else mark.uris)
        else:
            # Keep the old mark, and remember where to continue and what to adopt after.
            final = HighWater(
                mark.t, mark.uris, resume=page_cursor, pending_t=new_t, pending_uris=new_uris
            )
        mentions = self._to_mentions(list(collected.values()))
        return FetchResult(
            mentions,
            final.dump(),
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
