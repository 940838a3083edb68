"""The fake Graph API's private messages: Messenger / Instagram conversations, the Send API,
private replies to comments, and the `messaging` webhook deliveries.

Shapes: a conversation `{"id": "t_…", "updated_time", "messages": {"data": [newest first]}}`;
a message `{"id": "m_…", "message", "created_time", "from": {"id", "name"|"username"},
"to": {"data": [...]}}`; the Send API answers `{"recipient_id", "message_id"}`. Errors as Graph
gives them: 10900 (comment already answered privately), 10903 (comment older than 7 days),
code 10 subcode 2018278 (outside the 24-hour window), 100/33 (unknown object).
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors.fake_core import FakeResponse

GRAPH_DATE = "%Y-%m-%dT%H:%M:%S+0000"


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, GRAPH_DATE).replace(tzinfo=UTC)


class FakeMessages:
    """Mixed into FakeGraph: state and routes of private messages."""

    page_id: str
    page_name: str
    ig_user_id: str
    ig_username: str
    objects: dict[str, dict[str, Any]]
    posted: list[dict[str, Any]]

    def _init_messages(self) -> None:
        # (platform, person id) → conversation; a person writes from one id per platform.
        self.conversations: dict[tuple[str, str], dict[str, Any]] = {}
        self.sent_messages: list[dict[str, Any]] = []  # every message the Send API accepted
        self._mids = itertools.count(1)

    def _now(self) -> str:  # pragma: no cover - FakeGraph's
        raise NotImplementedError

    def _missing(self, object_id: str, headers: dict[str, str]) -> FakeResponse:
        raise NotImplementedError  # pragma: no cover - FakeGraph's

    # -- state ----------------------------------------------------------------------------

    def _me(self, platform: str) -> dict[str, str]:
        if platform == "instagram":
            return {"id": self.ig_user_id, "username": self.ig_username}
        return {"id": self.page_id, "name": self.page_name}

    def _conversation(self, platform: str, person: dict[str, str]) -> dict[str, Any]:
        key = (platform, person["id"])
        if key not in self.conversations:
            self.conversations[key] = {
                "id": f"t_{len(self.conversations) + 1:06d}",
                "platform": platform,
                "person": person,
                "messages": [],
                "updated_time": self._now(),
            }
        return self.conversations[key]

    def _add(
        self, conversation: dict[str, Any], sender: dict[str, str], text: str, at: str | None
    ) -> dict[str, Any]:
        platform = conversation["platform"]
        me = self._me(platform)
        receiver = conversation["person"] if sender["id"] == me["id"] else me
        message = {
            "id": f"m_{next(self._mids):08d}",
            "message": text,
            "created_time": at or self._now(),
            "from": sender,
            "to": {"data": [receiver]},
        }
        conversation["messages"].append(message)
        conversation["updated_time"] = max(conversation["updated_time"], message["created_time"])
        return message

    def add_message(
        self,
        text: str = "Bonjour, ma commande CB-1042 n'est pas arrivée",
        *,
        platform: str = "facebook",
        user_id: str = "7001",
        name: str = "Marie Dupont",
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        """A person writes to the Page (or the Instagram account); `ago` dates it back."""
        person = (
            {"id": user_id, "username": name.lower().replace(" ", ".")}
            if platform == "instagram"
            else {"id": user_id, "name": name}
        )
        at = (datetime.now(UTC) - ago).strftime(GRAPH_DATE) if ago else None
        with self.lock:  # type: ignore[attr-defined]
            return self._add(self._conversation(platform, person), person, text, at)

    def message_delivery(self, message: dict[str, Any], *, platform: str = "facebook") -> bytes:
        """The `messaging` webhook Meta sends for a message a person sent."""
        sent = _parse(message["created_time"])
        me = self._me(platform)
        event = {
            "sender": {"id": message["from"]["id"]},
            "recipient": {"id": me["id"]},
            "timestamp": int(sent.timestamp() * 1000),
            "message": {"mid": message["id"], "text": message["message"]},
        }
        body = {
            "object": "instagram" if platform == "instagram" else "page",
            "entry": [{"id": me["id"], "time": int(sent.timestamp() * 1000), "messaging": [event]}],
        }
        return json.dumps(body).encode()

    def echo_delivery(self, message: dict[str, Any], *, platform: str = "facebook") -> bytes:
        """Meta's echo of a message the Page sent (is_echo)."""
        body = json.loads(self.message_delivery(message, platform=platform))
        event = body["entry"][0]["messaging"][0]
        event["message"]["is_echo"] = True
        event["sender"], event["recipient"] = event["recipient"], event["sender"]
        return json.dumps(body).encode()

    def messages_with(self, user_id: str, platform: str = "facebook") -> list[dict[str, Any]]:
        for (kind, person), conversation in self.conversations.items():
            if kind == platform and person == user_id:
                return list(conversation["messages"])
        return []

    # -- HTTP -----------------------------------------------------------------------------

    def _route_messages(
        self,
        method: str,
        object_id: str,
        edge: str | None,
        params: dict[str, str],
        headers: dict[str, str],
    ) -> FakeResponse | None:
        """Answer a messaging request, or None when it is not one."""
        if object_id == "me":
            object_id = self.page_id
        if object_id == self.page_id and (method, edge) == ("POST", "messages"):
            return self._send(params, headers)
        if object_id == self.page_id and (method, edge) == ("GET", "conversations"):
            return self._conversations(params, headers)
        target = self.objects.get(object_id)
        is_comment = target is not None and target["type"] in ("comment", "igcomment")
        if is_comment and (method, edge) == ("GET", None):
            return self._comment_state(target, params, headers)
        return None

    def _send(self, params: dict[str, str], headers: dict[str, str]) -> FakeResponse:
        from tests.connectors.fake_graph import graph_error

        try:
            recipient = json.loads(params.get("recipient") or "{}")
            text = json.loads(params.get("message") or "{}")["text"]
        except (ValueError, KeyError):
            return graph_error(100, "(#100) Param message must be a JSON object", headers=headers)
        if "comment_id" in recipient:
            comment = self.objects.get(recipient["comment_id"])
            if comment is None:
                return self._missing(recipient["comment_id"], headers)
            if comment.get("private_reply"):
                return graph_error(10900, "Activity already replied to", headers=headers)
            stamp = comment.get("created_time") or comment.get("timestamp")
            if datetime.now(UTC) - _parse(stamp) > timedelta(days=7):
                return graph_error(10903, "This activity can't be replied to", headers=headers)
            platform = "instagram" if comment["type"] == "igcomment" else "facebook"
            author = dict(comment["from"])
            if platform == "facebook":
                author["id"] = f"psid-{author['id']}"  # the Page-scoped id differs
            conversation = self._conversation(platform, author)
            message = self._add(conversation, self._me(platform), text, None)
            comment["private_reply"] = conversation["id"]
        else:
            conversation = next(
                (c for (_, p), c in self.conversations.items() if p == recipient.get("id")), None
            )
            if conversation is None:
                return graph_error(
                    100, "(#100) No matching user found", subcode=2018001, headers=headers
                )
            theirs = [m for m in conversation["messages"] if m["from"]["id"] == recipient.get("id")]
            last = _parse(theirs[-1]["created_time"]) if theirs else None
            age = datetime.now(UTC) - last if last else timedelta(days=365)
            kind = params.get("messaging_type")
            allowed = (kind == "RESPONSE" and age < timedelta(hours=24)) or (
                kind == "MESSAGE_TAG"
                and params.get("tag") == "HUMAN_AGENT"
                and age < timedelta(days=7)
            )
            if not allowed:
                return graph_error(
                    10,
                    "(#10) This message is sent outside of allowed window.",
                    subcode=2018278,
                    headers=headers,
                )
            message = self._add(conversation, self._me(conversation["platform"]), text, None)
        self.sent_messages.append(message)
        answer = {"recipient_id": conversation["person"]["id"], "message_id": message["id"]}
        return FakeResponse.json(answer, 200, headers)

    def _conversations(self, params: dict[str, str], headers: dict[str, str]) -> FakeResponse:
        platform = params.get("platform") or "facebook"
        found = re.search(r"messages\.limit\((\d+)\)", params.get("fields", ""))
        per = int(found.group(1)) if found else 25
        items = [c for (kind, _), c in self.conversations.items() if kind == platform]
        if params.get("user_id"):
            items = [c for c in items if c["person"]["id"] == params["user_id"]]
        items.sort(key=lambda c: (c["updated_time"], c["id"]), reverse=True)

        def view(conversation: dict[str, Any]) -> dict[str, Any]:
            newest = conversation["messages"][::-1][:per]
            return {
                "id": conversation["id"],
                "updated_time": conversation["updated_time"],
                "messages": {"data": newest},
            }

        shaped = [{**c, "created_time": c["updated_time"]} for c in items]
        return self._list(shaped, params, view, headers)  # type: ignore[attr-defined]

    def _comment_state(
        self, comment: dict[str, Any], params: dict[str, str], headers: dict[str, str]
    ) -> FakeResponse:
        body: dict[str, Any] = {"id": comment["id"]}
        if "can_reply_privately" in params.get("fields", ""):
            body["can_reply_privately"] = not comment.get("private_reply")
            if comment.get("private_reply"):
                conversation = next(
                    c for c in self.conversations.values() if c["id"] == comment["private_reply"]
                )
                body["private_reply_conversation"] = {
                    "id": conversation["id"],
                    "messages": {"data": conversation["messages"][::-1]},
                }
        return FakeResponse.json(body, 200, headers)
