"""Meta private messages: Messenger and Instagram direct messages, private replies to comments.

Mixed into `connectors.meta.MetaConnector` (it uses its `_request`, `_pages`, `object_id`).

Reading. A direct message arrives by webhook (`messaging` events of a `page` or `instagram`
delivery, `message_from_webhook`) and, when the account's option `direct_messages` is on (the
token has `pages_messaging` / `instagram_manage_messages`), by polling the conversations
(`/{page-id}/conversations`, `platform=instagram` for Instagram) to catch what a lost webhook
missed. Both give the message its Graph id (`m_…`), so storage dedupes them. Each message is a
mention on the channel `messenger` or `instagram_dm` with `visibility="direct"` and the thread
`dm:<sender id>` (Page-scoped or Instagram-scoped id): a conversation lands in one case.

Writing (Send API, `POST /{page-id}/messages`). An answer in a conversation goes to the
sender's id, `messaging_type=RESPONSE` inside the 24-hour window that the person's last
message opens; past it and up to 7 days, only with the `HUMAN_AGENT` tag, which needs Meta's
Human Agent permission: the account's option `human_agent_tag` says the app has it. Later,
nothing can be sent until the person writes again (`messaging_window`). A private reply to a
comment goes to `recipient.comment_id`: once per comment, within 7 days of the comment
(`private_reply_state`). Instagram accounts send through the Page they are linked to:
credential `page_id`, else `me` (what a Page token resolves to).

Reconciling. The Send API has no idempotency key. After an unknown outcome, `find_message`
reads the conversation with the person (`conversations?user_id=…`) for a message of ours with
the same text sent since the first attempt; for a Facebook private reply it reads the
comment's `can_reply_privately` and `private_reply_conversation` instead (the commenter's
Page-scoped id is not known before the private reply exists).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import (
    AuthorInfo,
    Connector,
    FetchedMention,
    OutcomeUnknown,
    OutgoingReply,
    PermanentError,
    PostResult,
    TransientError,
    same_reply_text,
    utcnow,
)
from connectors.http_support import parse_iso

log = logging.getLogger(__name__)

#: Free-form answers: within 24 hours of the person's last message.
STANDARD_WINDOW = timedelta(hours=24)
#: With the HUMAN_AGENT tag (Human Agent permission): 7 days.
HUMAN_AGENT_WINDOW = timedelta(days=7)
#: A private reply to a comment: within 7 days of the comment, once.
PRIVATE_REPLY_WINDOW = timedelta(days=7)
#: Graph codes of a private reply or message the platform will never accept as it is.
MESSAGE_REFUSALS = {
    10900: "un message privé a déjà été envoyé en réponse à ce commentaire",
    10903: "ce commentaire ne peut plus recevoir de réponse privée (plus de 7 jours)",
    551: "cette personne ne peut pas recevoir de message pour l'instant",
}
#: Code 10 subcodes of a message outside its window (not a missing permission).
WINDOW_SUBCODES = frozenset({2018278, 2018065, 2534022})
MESSAGE_FIELDS = "id,message,created_time,from,to"
MAX_CONVERSATIONS = 25


def messaging_window(
    last_message_at: datetime | None, now: datetime, *, human_agent: bool = False
) -> tuple[str, datetime | None]:
    """Whether an answer can go out now: ("open", closes at) inside 24 hours,
    ("human_agent", closes at) past it with the HUMAN_AGENT tag, else ("closed", None)."""
    if last_message_at is None:
        return "closed", None
    if now < last_message_at + STANDARD_WINDOW:
        return "open", last_message_at + STANDARD_WINDOW
    if human_agent and now < last_message_at + HUMAN_AGENT_WINDOW:
        return "human_agent", last_message_at + HUMAN_AGENT_WINDOW
    return "closed", None


def private_reply_state(raw: dict[str, Any], posted_at: datetime, now: datetime) -> str:
    """Whether a mention can get a private reply: "ok", "not_a_comment" (a post, a tag, an
    @mention in someone else's media, a message) or "too_old" (more than 7 days)."""
    if raw.get("kind") != "comment":
        return "not_a_comment"
    if now >= posted_at + PRIVATE_REPLY_WINDOW:
        return "too_old"
    return "ok"


def _epoch(value: Any) -> datetime | None:
    """A Graph date ("2026-01-05T10:00:00+0000")."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    return parse_iso(text)


def _epoch_ms(value: Any) -> datetime | None:
    if isinstance(value, int | float) and value > 0:
        # Messaging webhooks stamp in milliseconds.
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC)
    return None


class MetaMessaging(Connector):
    """Direct messages and private replies (see the module docstring); the Graph plumbing
    (`_request`, `_pages`, `object_id`) is MetaConnector's."""

    @property
    def object_id(self) -> str:  # pragma: no cover - MetaConnector's
        raise NotImplementedError

    def _request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        write: bool = False,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> Any:  # pragma: no cover - MetaConnector's
        raise NotImplementedError

    def _pages(
        self,
        path: str,
        params: dict[str, Any],
        *,
        action: str,
        max_pages: int,
        first: dict[str, Any] | None = None,
    ) -> Iterator[dict[str, Any]]:  # pragma: no cover - MetaConnector's
        raise NotImplementedError

    # -- who and where --------------------------------------------------------------------

    @property
    def message_channel(self) -> str:
        return "instagram_dm" if self.platform == "instagram" else "messenger"

    @property
    def _messaging_id(self) -> str:
        """The Page that sends and lists messages (an Instagram account's linked Page)."""
        if self.platform == "instagram":
            return str(self.credentials.get("page_id") or "me")
        return self.object_id

    def _platform_param(self) -> dict[str, str]:
        return {"platform": "instagram"} if self.platform == "instagram" else {}

    def _ours(self, author: dict[str, Any]) -> bool:
        ident = str(author.get("id") or "")
        page = str(self.credentials.get("page_id") or "")
        username = author.get("username")
        if ident and ident in (self.object_id, page):
            return True
        return bool(username and username == self.account_handle)

    # -- reading --------------------------------------------------------------------------

    def _message_mention(
        self,
        *,
        message_id: str,
        text: str,
        sender: dict[str, Any],
        sent_at: datetime,
        conversation_id: str | None,
    ) -> FetchedMention:
        sender_id = str(sender.get("id") or "")
        username = str(sender.get("username") or "")
        name = str(sender.get("name") or "") or None
        if self.platform == "instagram":
            handle = username or "Contact Instagram"
            url = f"https://www.instagram.com/{username}/" if username else None
        else:
            handle = name or "Contact Messenger"
            url = None
        return FetchedMention(
            external_id=message_id,
            text=text,
            author=AuthorInfo(
                external_id=sender_id or f"dm:{message_id}", handle=handle, name=name, url=url
            ),
            posted_at=sent_at,
            url=None,
            lang=None,
            channel=self.message_channel,
            thread_id=f"dm:{sender_id}",
            in_reply_to=None,
            visibility="direct",
            raw={
                "kind": "message",
                "id": message_id,
                "sender_id": sender_id,
                "conversation_id": conversation_id,
                "timestamp": sent_at.isoformat(),
            },
        )

    def message_from_webhook(self, event: dict[str, Any]) -> FetchedMention | None:
        """A `messaging` event (a message a person sent us) as a mention; None for echoes of
        our own messages, reads, deliveries, reactions and attachments without text."""
        message = event.get("message")
        sender = event.get("sender")
        if not isinstance(message, dict) or not isinstance(sender, dict):
            return None
        if message.get("is_echo") or message.get("is_deleted") or self._ours(sender):
            return None
        mid = str(message.get("mid") or "")
        text = str(message.get("text") or "")
        if not text and message.get("attachments"):
            text = "[pièce jointe]"
        if not mid or not text:
            return None
        return self._message_mention(
            message_id=mid,
            text=text,
            sender=sender,
            sent_at=_epoch_ms(event.get("timestamp")) or utcnow(),
            conversation_id=None,
        )

    def _poll_messages(self, floor: datetime | None, max_pages: int) -> Iterator[FetchedMention]:
        """Messages of the recently updated conversations newer than `floor` (not ours)."""
        params = {
            "fields": f"id,updated_time,messages.limit(25){{{MESSAGE_FIELDS}}}",
            "limit": MAX_CONVERSATIONS,
            **self._platform_param(),
        }
        for conversation in self._pages(
            f"{self._messaging_id}/conversations",
            params,
            action="list conversations",
            max_pages=max_pages,
        ):
            updated = _epoch(conversation.get("updated_time"))
            if floor is not None and updated is not None and updated < floor:
                return  # most recently updated first: the rest is older
            messages = conversation.get("messages")
            data = messages.get("data") if isinstance(messages, dict) else None
            for item in data if isinstance(data, list) else []:
                if not isinstance(item, dict) or not item.get("id"):
                    continue
                sender: dict[str, Any] = item["from"] if isinstance(item.get("from"), dict) else {}
                when = _epoch(item.get("created_time"))
                if self._ours(sender) or when is None or (floor is not None and when < floor):
                    continue
                text = str(item.get("message") or "")
                if text:
                    yield self._message_mention(
                        message_id=str(item["id"]),
                        text=text,
                        sender=sender,
                        sent_at=when,
                        conversation_id=str(conversation.get("id") or "") or None,
                    )

    # -- writing --------------------------------------------------------------------------

    @staticmethod
    def is_message(reply: OutgoingReply) -> bool:
        """A private reply, or an answer in a conversation: goes through the Send API."""
        return reply.private or (reply.in_reply_to_raw or {}).get("kind") == "message"

    def send_message(self, reply: OutgoingReply) -> PostResult:
        """A private reply to a comment, or an answer in a conversation (Send API)."""
        raw = reply.in_reply_to_raw or {}
        data: dict[str, Any] = {"message": json.dumps({"text": reply.text})}
        if reply.private:
            data["recipient"] = json.dumps({"comment_id": reply.in_reply_to_external_id})
            action = "private reply"
        else:
            sender = str(raw.get("sender_id") or "")
            if not sender:
                raise PermanentError("send message: the conversation has no recipient")
            data["recipient"] = json.dumps({"id": sender})
            data.update(self._message_type(raw))
            action = "send message"
        body = self._request(
            "POST", f"{self._messaging_id}/messages", action=action, write=True, data=data
        )
        message_id = body.get("message_id") if isinstance(body, dict) else None
        if not message_id:
            raise OutcomeUnknown(f"{action}: answer without a message id")
        return PostResult(external_id=str(message_id), url=None)

    def _message_type(self, raw: dict[str, Any]) -> dict[str, str]:
        """RESPONSE inside 24 hours, the HUMAN_AGENT tag after when the app has it."""
        try:
            last = datetime.fromisoformat(str(raw.get("timestamp")))
        except ValueError:
            last = None
        state, _ = messaging_window(
            last, utcnow(), human_agent=bool(self.options.get("human_agent_tag"))
        )
        if state == "open":
            return {"messaging_type": "RESPONSE"}
        if state == "human_agent":
            return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        raise PermanentError(
            "send message: la fenêtre de 24 heures est fermée (dernier message de la personne "
            "trop ancien) : attendez qu'elle écrive de nouveau",
            status=400,
        )

    def find_message(self, reply: OutgoingReply, *, posted_after: datetime) -> PostResult | None:
        """Our message with this text, sent since `posted_after` (None only when surely absent)."""
        raw = reply.in_reply_to_raw or {}
        if reply.private and self.platform == "facebook":
            return self._find_private_reply(reply, posted_after)
        if reply.private:
            user = str((raw.get("from") or {}).get("id") or "")
        else:
            user = str(raw.get("sender_id") or "")
        if not user:
            raise TransientError("check message: no person to look the conversation up by")
        conversations = list(
            self._pages(
                f"{self._messaging_id}/conversations",
                {
                    "fields": f"id,messages.limit(50){{{MESSAGE_FIELDS}}}",
                    "user_id": user,
                    **self._platform_param(),
                },
                action="check message",
                max_pages=2,
            )
        )
        for conversation in conversations:
            found = self._ours_among(conversation.get("messages"), reply, posted_after)
            if found is not None:
                return found
        return None

    def _find_private_reply(
        self, reply: OutgoingReply, posted_after: datetime
    ) -> PostResult | None:
        try:
            comment = self._request(
                "GET",
                reply.in_reply_to_external_id,
                action="check private reply",
                params={
                    "fields": "id,can_reply_privately,"
                    f"private_reply_conversation{{messages.limit(50){{{MESSAGE_FIELDS}}}}}"
                },
            )
        except PermanentError as exc:
            if exc.status == 404:
                return None  # the comment is gone: a new attempt is refused with a clear reason
            raise
        if comment.get("can_reply_privately") is True:
            return None  # nobody answered it privately yet
        conversation = comment.get("private_reply_conversation")
        messages = conversation.get("messages") if isinstance(conversation, dict) else None
        found = self._ours_among(messages, reply, posted_after)
        if found is None and comment.get("can_reply_privately") is False:
            # Answered privately, but not with our text: someone did it elsewhere.
            log.info("%s: comment %s answered privately elsewhere", self.platform, comment["id"])
        return found

    def _ours_among(
        self, messages: Any, reply: OutgoingReply, posted_after: datetime
    ) -> PostResult | None:
        data = messages.get("data") if isinstance(messages, dict) else None
        for item in data if isinstance(data, list) else []:
            if not isinstance(item, dict) or not self._ours(item.get("from") or {}):
                continue
            when = _epoch(item.get("created_time"))
            if when is not None and when < posted_after - timedelta(minutes=5):
                continue
            if same_reply_text(str(item.get("message") or ""), reply.text):
                return PostResult(external_id=str(item["id"]), url=None)
        return None

    def comment_exists(self, mention_raw: dict[str, Any]) -> bool:
        """Whether a comment is still on the platform (a delete's reconciliation)."""
        try:
            self._request(
                "GET",
                str(mention_raw.get("id") or ""),
                action="check comment",
                params={"fields": "id"},
            )
        except PermanentError as exc:
            if exc.status == 404:
                return False
            raise
        return True
