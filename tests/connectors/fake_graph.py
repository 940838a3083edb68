"""A fake Meta Graph API: one Facebook Page and one Instagram professional account.

Speaks the real shapes: `{"data": [...], "paging": {"cursors": {"before", "after"},
"next"}}` lists, `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`
errors (HTTP 400, as Graph answers most of them), dates as "2026-01-05T10:00:00+0000",
the `X-App-Usage` and `X-Business-Use-Case-Usage` headers on every answer.

Knobs: `usage` (percentage reported in the headers), `expire_token()` (code 190),
`missing_permission` (code 200 naming it on every call but the profile read),
`inject(...)` from FakeServer (rate-limit codes, stalls after posting, 5xx). Cursors hold
the position (date, id) of the last item served, so a comment deleted between two pages
does not break paging — as with Graph. `Idempotency-Key` is ignored (Graph has none):
posting twice posts twice. Webhook payloads for the same objects: `feed_delivery`,
`ig_comment_delivery`, signed with `sign`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_core import FakeRequest, FakeResponse, FakeServer
from tests.connectors.fake_graph_messages import FakeMessages
from tests.connectors.fake_graph_oauth import FakeOAuth

GRAPH_DATE = "%Y-%m-%dT%H:%M:%S+0000"


def graph_error(
    code: int, message: str, *, subcode: int | None = None, status: int = 400, headers=None
) -> FakeResponse:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return FakeResponse.json({"error": error}, status, headers)


def rate_limit_error(code: int = 80001, regain_minutes: int = 7) -> FakeResponse:
    """What Graph answers when a Page's business-use-case quota is spent."""
    buc = {
        "1000001": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 40,
                "total_time": 40,
                "estimated_time_to_regain_access": regain_minutes,
            }
        ]
    }
    return graph_error(
        code,
        "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
        headers={"X-Business-Use-Case-Usage": json.dumps(buc)},
    )


class FakeGraph(FakeMessages, FakeOAuth, FakeServer):
    """The Page `page_id` (Facebook) and the account `ig_user_id` (Instagram) of one brand."""

    base_url = "https://graph.fake.test"

    def __init__(self, base_url: str | None = None, *, app_secret: str = "app-secret") -> None:
        super().__init__()
        if base_url:
            self.base_url = base_url.rstrip("/")
        self.token = "page-token"
        self.app_secret = app_secret
        self.verify_token = "verify-me"
        self.page_id, self.page_name, self.page_username = "1000001", "Acme France", "acmefrance"
        self.ig_user_id, self.ig_username = "17841400000000001", "acme.fr"
        self.usage = 12
        self.missing_permission: str | None = None
        self.expired = False
        self.replies_page_size = 2  # nested Instagram replies per page: paging is exercised
        self.objects: dict[str, dict[str, Any]] = {}  # every post, comment, media by id
        self.posted: list[dict[str, Any]] = []  # comments created through the API
        self.deleted: set[str] = set()
        self._ids = itertools.count(1)
        self._ig_ids = itertools.count(17_900_000_000_000_001)
        self._last = datetime.now(UTC) - timedelta(hours=1)
        self._init_messages()
        self._init_oauth()

    # -- state ----------------------------------------------------------------------------

    def _now(self) -> str:
        # Real time (find_reply compares with now), strictly increasing so orders are stable.
        self._last = max(
            datetime.now(UTC).replace(microsecond=0), self._last + timedelta(seconds=1)
        )
        return self._last.strftime(GRAPH_DATE)

    def expire_token(self) -> None:
        """The Page token expires (a user changed password, 60 days passed…): code 190."""
        self.expired = True

    def add_post(self, message: str = "Nouvelle collection !", *, visitor: str | None = None):
        n = next(self._ids)
        author = {"id": self.page_id, "name": self.page_name}
        if visitor:
            author = {"id": f"{5000 + n}", "name": visitor}
        post = {
            "type": "post",
            "id": f"{self.page_id}_{n}",
            "message": message,
            "created_time": self._now(),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{n}",
            "from": author,
        }
        with self.lock:
            self.objects[post["id"]] = post
        return post

    def add_comment(
        self,
        message: str = "Ma commande n'est jamais arrivée",
        *,
        post: dict[str, Any] | None = None,
        parent: dict[str, Any] | None = None,
        name: str = "Marie Dupont",
        user_id: str = "4242",
    ) -> dict[str, Any]:
        """A Facebook comment on `post` (the latest post, or a new one), or a reply to `parent`."""
        with self.lock:
            if parent is not None:
                post = self.objects[parent["post_id"]]
            elif post is None:
                posts = [o for o in self.objects.values() if o["type"] == "post"]
                post = posts[-1] if posts else self.add_post()
            return self._comment(post, parent, message, {"id": user_id, "name": name})

    def _comment(
        self,
        post: dict[str, Any],
        parent: dict[str, Any] | None,
        message: str,
        author: dict[str, Any],
    ) -> dict[str, Any]:
        n = next(self._ids)
        if parent is not None and parent.get("parent_id"):
            parent = self.objects[parent["parent_id"]]  # Facebook keeps two levels
        comment = {
            "type": "comment",
            "id": f"{post['id'].split('_')[1]}_{n}",
            "post_id": post["id"],
            "parent_id": parent["id"] if parent else None,
            "message": message,
            "created_time": self._now(),
            "from": author,
            "is_hidden": False,
            "permalink_url": f"{post['permalink_url']}?comment_id={n}",
        }
        self.objects[comment["id"]] = comment
        return comment

    def add_media(self, caption: str = "Nouvelle collection") -> dict[str, Any]:
        media_id = str(next(self._ig_ids))
        media = {
            "type": "media",
            "id": media_id,
            "caption": caption,
            "timestamp": self._now(),
            "permalink": f"https://www.instagram.com/p/{media_id[-6:]}/",
            "owner": self.ig_user_id,
        }
        with self.lock:
            self.objects[media_id] = media
        return media

    def add_ig_comment(
        self,
        text: str = "Toujours pas livré...",
        *,
        media: dict[str, Any] | None = None,
        parent: dict[str, Any] | None = None,
        username: str = "marie.dupont",
        user_id: str = "17841405555555555",
    ) -> dict[str, Any]:
        with self.lock:
            if parent is not None:
                media = self.objects[parent["media_id"]]
            elif media is None:
                medias = [
                    o
                    for o in self.objects.values()
                    if o["type"] == "media" and o["owner"] == self.ig_user_id
                ]
                media = medias[-1] if medias else self.add_media()
            return self._ig_comment(media, parent, text, {"id": user_id, "username": username})

    def _ig_comment(
        self,
        media: dict[str, Any],
        parent: dict[str, Any] | None,
        text: str,
        author: dict[str, Any],
    ) -> dict[str, Any]:
        if parent is not None and parent.get("parent_id"):
            parent = self.objects[parent["parent_id"]]  # replies to a reply go to the top
        comment = {
            "type": "igcomment",
            "id": str(next(self._ig_ids)),
            "media_id": media["id"],
            "parent_id": parent["id"] if parent else None,
            "text": text,
            "timestamp": self._now(),
            "username": author["username"],
            "from": author,
            "hidden": False,
        }
        self.objects[comment["id"]] = comment
        return comment

    def add_tag(self, caption: str = "Merci @acme.fr pour le colis !", username: str = "paul"):
        """Someone else's media tagging the brand's account."""
        media = self.add_media(caption)
        media.update(owner="other", username=username, tagged=self.ig_user_id)
        return media

    def delete(self, object_id: str) -> None:
        with self.lock:
            self.objects.pop(object_id, None)
            self.deleted.add(object_id)
            for child in [o for o in self.objects.values() if o.get("parent_id") == object_id]:
                self.objects.pop(child["id"], None)

    # -- webhooks -------------------------------------------------------------------------

    def sign(self, body: bytes, secret: str | None = None) -> str:
        key = (secret or self.app_secret).encode()
        return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()

    def feed_delivery(self, comment: dict[str, Any]) -> bytes:
        """The `feed` webhook Meta sends for a new comment on the Page."""
        created = datetime.strptime(comment["created_time"], GRAPH_DATE).replace(tzinfo=UTC)
        value = {
            "from": comment["from"],
            "post": {"status_type": "added_photos", "is_published": True, "id": comment["post_id"]},
            "message": comment["message"],
            "post_id": comment["post_id"],
            "comment_id": comment["id"],
            "created_time": int(created.timestamp()),
            "item": "comment",
            "parent_id": comment["parent_id"] or comment["post_id"],
            "verb": "add",
        }
        body = {
            "object": "page",
            "entry": [
                {
                    "id": self.page_id,
                    "time": int(created.timestamp()),
                    "changes": [{"value": value, "field": "feed"}],
                }
            ],
        }
        return json.dumps(body).encode()

    def ig_comment_delivery(self, comment: dict[str, Any]) -> bytes:
        """The Instagram `comments` webhook for a new comment on the account's media."""
        value: dict[str, Any] = {
            "from": comment["from"],
            "media": {"id": comment["media_id"], "media_product_type": "FEED"},
            "id": comment["id"],
            "text": comment["text"],
        }
        if comment["parent_id"]:
            value["parent_id"] = comment["parent_id"]
        body = {
            "object": "instagram",
            "entry": [
                {
                    "id": self.ig_user_id,
                    "time": int(datetime.now(UTC).timestamp()),
                    "changes": [{"field": "comments", "value": value}],
                }
            ],
        }
        return json.dumps(body).encode()

    def ig_mention_delivery(self, media_id: str, comment_id: str | None = None) -> bytes:
        value = {"media_id": media_id, **({"comment_id": comment_id} if comment_id else {})}
        body = {
            "object": "instagram",
            "entry": [
                {
                    "id": self.ig_user_id,
                    "time": int(datetime.now(UTC).timestamp()),
                    "changes": [{"field": "mentions", "value": value}],
                }
            ],
        }
        return json.dumps(body).encode()

    # -- HTTP -----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        app = {"call_count": self.usage, "total_cputime": 1, "total_time": 1}
        buc = {
            self.page_id: [
                {
                    "type": "pages",
                    "call_count": self.usage,
                    "total_cputime": 1,
                    "total_time": 1,
                    "estimated_time_to_regain_access": 0,
                }
            ]
        }
        return {"X-App-Usage": json.dumps(app), "X-Business-Use-Case-Usage": json.dumps(buc)}

    def respond(self, request: FakeRequest) -> FakeResponse:
        oauth = self._route_oauth(request)  # Facebook Login: no Page token on these
        if oauth is not None:
            return oauth
        headers = self._headers()
        params = {k: v[0] for k, v in request.query.items()}
        if request.method == "POST":
            params.update(request.form())
        token = request.bearer() or params.get("access_token")
        if token != self.token or self.expired:
            return graph_error(
                190,
                "Error validating access token: Session has expired on Tuesday, 05-Jan-26.",
                subcode=463,
                headers=headers,
            )
        proof = params.get("appsecret_proof")
        expected = hmac.new(self.app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
        if proof is not None and proof != expected:
            return graph_error(100, "Invalid appsecret_proof provided in the API argument")
        match = re.fullmatch(r"/v[\d.]+/([^/]+)(?:/([a-z_]+))?", request.path)
        if not match:
            return graph_error(2500, "Unknown path components", headers=headers)
        object_id, edge = match.group(1), match.group(2)
        profile = (
            request.method == "GET" and edge is None and "mention" not in params.get("fields", "")
        )
        if self.missing_permission and not profile:
            return graph_error(
                200,
                f"(#200) Requires {self.missing_permission} permission to manage the object",
                headers=headers,
            )
        with self.lock:
            return self._route(request.method, object_id, edge, params, headers)

    def _missing(self, object_id: str, headers: dict[str, str]) -> FakeResponse:
        return graph_error(
            100,
            f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            subcode=33,
            headers=headers,
        )

    def _route(
        self,
        method: str,
        object_id: str,
        edge: str | None,
        params: dict[str, str],
        headers: dict[str, str],
    ) -> FakeResponse:
        route = (method, edge)
        messaging = self._route_messages(method, object_id, edge, params, headers)
        if messaging is not None:
            return messaging
        if object_id == self.page_id:
            if route == ("GET", None):
                body = {"id": self.page_id, "name": self.page_name, "username": self.page_username}
                return FakeResponse.json(body, 200, headers)
            if route == ("GET", "feed"):
                posts = [o for o in self.objects.values() if o["type"] == "post"][::-1]
                return self._with_comments(
                    self._list(posts, params, self._post_view, headers), params
                )
        if object_id == self.ig_user_id:
            if route == ("GET", None):
                return self._ig_profile(params, headers)
            if route == ("GET", "media"):
                media = [
                    o
                    for o in self.objects.values()
                    if o["type"] == "media" and o["owner"] == self.ig_user_id
                ][::-1]
                answer = self._list(media, params, self._media_view, headers)
                return self._with_ig_comments(answer, params)
            if route == ("GET", "tags"):
                tags = [o for o in self.objects.values() if o.get("tagged") == self.ig_user_id]
                return self._list(tags[::-1], params, self._media_view, headers)
            if route == ("POST", "mentions"):
                media = self.objects.get(params.get("media_id", ""))
                if media is None:
                    return self._missing(params.get("media_id", ""), headers)
                mine = {"id": self.ig_user_id, "username": self.ig_username}
                return self._created(
                    self._ig_comment(media, None, params["message"], mine), headers
                )
        target = self.objects.get(object_id)
        if target is None:
            return self._missing(object_id, headers)
        kind = target["type"]
        if method == "DELETE" and edge is None and kind in ("comment", "igcomment"):
            self.delete(object_id)
            return FakeResponse.json({"success": True}, 200, headers)
        if route == ("POST", None) and kind == "comment" and "is_hidden" in params:
            target["is_hidden"] = params["is_hidden"] == "true"
            return FakeResponse.json({"success": True}, 200, headers)
        if route == ("POST", None) and kind == "igcomment" and "hide" in params:
            target["hidden"] = params["hide"] == "true"
            return FakeResponse.json({"success": True}, 200, headers)
        if route == ("GET", "comments") and kind in ("post", "comment"):
            return self._fb_comments(target, params, headers)
        if route == ("POST", "comments") and kind in ("post", "comment"):
            post = target if kind == "post" else self.objects[target["post_id"]]
            parent = target if kind == "comment" else None
            mine = {"id": self.page_id, "name": self.page_name}
            return self._created(self._comment(post, parent, params["message"], mine), headers)
        if route == ("GET", "comments") and kind == "media":
            top = [
                o
                for o in self.objects.values()
                if o["type"] == "igcomment" and o["media_id"] == object_id and not o["parent_id"]
            ]
            return self._list(top, params, self._ig_comment_view, headers)
        if route == ("GET", "replies") and kind == "igcomment":
            return self._list(self._ig_replies(object_id), params, self._ig_reply_view, headers)
        if route == ("POST", "replies") and kind == "igcomment":
            media = self.objects[target["media_id"]]
            mine = {"id": self.ig_user_id, "username": self.ig_username}
            return self._created(self._ig_comment(media, target, params["message"], mine), headers)
        return graph_error(100, f"Unsupported {method.lower()} request.", headers=headers)

    def _with_comments(self, answer: FakeResponse, params: dict[str, str]) -> FakeResponse:
        """Field expansion `comments.filter(stream).order(…).limit(n){…}` on each post."""
        found = re.search(r"comments((?:\.\w+\([^)]*\))*)\{", params.get("fields", ""))
        if not found:
            return answer
        modifiers = dict(re.findall(r"\.(\w+)\(([^)]*)\)", found.group(1)))
        body = json.loads(answer.body)
        for post in body["data"]:
            nested = self._fb_comments(self.objects[post["id"]], modifiers, {})
            page = json.loads(nested.body)
            if page["data"]:  # Graph leaves the field out when there is nothing
                post["comments"] = page
        return FakeResponse.json(body, 200, answer.headers)

    def _with_ig_comments(self, answer: FakeResponse, params: dict[str, str]) -> FakeResponse:
        """Field expansion `comments.limit(n){…,replies{…}}` on each media."""
        found = re.search(r"comments((?:\.\w+\([^)]*\))*)\{", params.get("fields", ""))
        if not found:
            return answer
        modifiers = dict(re.findall(r"\.(\w+)\(([^)]*)\)", found.group(1)))
        body = json.loads(answer.body)
        for media in body["data"]:
            top = [
                o
                for o in self.objects.values()
                if o["type"] == "igcomment" and o["media_id"] == media["id"] and not o["parent_id"]
            ]
            page = json.loads(self._list(top, modifiers, self._ig_comment_view, {}).body)
            if page["data"]:
                media["comments"] = page
        return FakeResponse.json(body, 200, answer.headers)

    def _created(self, comment: dict[str, Any], headers: dict[str, str]) -> FakeResponse:
        self.posted.append(comment)
        return FakeResponse.json({"id": comment["id"]}, 200, headers)

    def _ig_profile(self, params: dict[str, str], headers: dict[str, str]) -> FakeResponse:
        fields = params.get("fields", "")
        body: dict[str, Any] = {"id": self.ig_user_id}
        if found := re.match(r"mentioned_comment\.comment_id\((\w+)\)", fields):
            comment = self.objects.get(found.group(1))
            if comment is None:
                return self._missing(found.group(1), headers)
            media = self.objects[comment["media_id"]]
            body["mentioned_comment"] = {
                **self._ig_reply_view(comment),
                "media": {"id": media["id"], "permalink": media["permalink"]},
            }
        elif found := re.match(r"mentioned_media\.media_id\((\w+)\)", fields):
            media = self.objects.get(found.group(1))
            if media is None:
                return self._missing(found.group(1), headers)
            body["mentioned_media"] = self._media_view(media)
        else:
            body["username"] = self.ig_username
        return FakeResponse.json(body, 200, headers)

    def _ig_replies(self, comment_id: str) -> list[dict[str, Any]]:
        return [
            o
            for o in self.objects.values()
            if o["type"] == "igcomment" and o["parent_id"] == comment_id
        ]

    def _fb_comments(
        self, target: dict[str, Any], params: dict[str, str], headers: dict[str, str]
    ) -> FakeResponse:
        comments = [o for o in self.objects.values() if o["type"] == "comment"]
        if target["type"] == "post":
            comments = [c for c in comments if c["post_id"] == target["id"]]
            if params.get("filter") != "stream":
                comments = [c for c in comments if not c["parent_id"]]
        else:
            comments = [c for c in comments if c["parent_id"] == target["id"]]
        if params.get("order") == "reverse_chronological":
            comments = comments[::-1]
        return self._list(comments, params, self._fb_comment_view, headers)

    # -- views and paging -----------------------------------------------------------------

    def _post_view(self, post: dict[str, Any]) -> dict[str, Any]:
        return {k: post[k] for k in ("id", "message", "created_time", "permalink_url", "from")}

    def _fb_comment_view(self, comment: dict[str, Any]) -> dict[str, Any]:
        view = {
            k: comment[k]
            for k in ("id", "message", "created_time", "from", "permalink_url", "is_hidden")
        }
        if comment["parent_id"]:
            view["parent"] = {"id": comment["parent_id"]}
        return view

    def _media_view(self, media: dict[str, Any]) -> dict[str, Any]:
        view = {k: media[k] for k in ("id", "caption", "timestamp", "permalink")}
        if media.get("username"):
            view["username"] = media["username"]
        view["comments_count"] = sum(
            1 for o in self.objects.values() if o.get("media_id") == media["id"]
        )
        return view

    def _ig_reply_view(self, comment: dict[str, Any]) -> dict[str, Any]:
        view = {k: comment[k] for k in ("id", "text", "timestamp", "username", "from", "hidden")}
        view["media"] = {"id": comment["media_id"]}
        if comment["parent_id"]:
            view["parent_id"] = comment["parent_id"]
        return view

    def _ig_comment_view(self, comment: dict[str, Any]) -> dict[str, Any]:
        view = self._ig_reply_view(comment)
        replies = self._ig_replies(comment["id"])
        if replies:
            first = replies[: self.replies_page_size]
            nested: dict[str, Any] = {"data": [self._ig_reply_view(r) for r in first]}
            cursors = {"before": _cursor(first[0]), "after": _cursor(first[-1])}
            nested["paging"] = {"cursors": cursors}
            if len(replies) > len(first):
                nested["paging"]["next"] = f"{self.base_url}/v26.0/{comment['id']}/replies?after=x"
            view["replies"] = nested
        return view

    def _list(self, items, params, view, headers) -> FakeResponse:  # type: ignore[no-untyped-def]
        """One page of `items` (already in the edge's order) after the `after` cursor."""
        limit = min(int(params.get("limit") or 25), 100)
        after = params.get("after")
        if after:
            position = _position(after)
            reverse = len(items) > 1 and _key(items[0]) > _key(items[-1])
            items = [i for i in items if (_key(i) < position if reverse else _key(i) > position)]
        page = items[:limit]
        body: dict[str, Any] = {"data": [view(i) for i in page]}
        if page:
            body["paging"] = {"cursors": {"before": _cursor(page[0]), "after": _cursor(page[-1])}}
            if len(items) > limit:
                query = urlencode({**params, "after": _cursor(page[-1])})
                body["paging"]["next"] = f"{self.base_url}/v26.0/next?{query}"
        return FakeResponse.json(body, 200, headers)


def _key(item: dict[str, Any]) -> tuple[str, str]:
    stamp = item.get("created_time") or item.get("timestamp") or ""
    return (stamp, item["id"].rjust(40, "0"))


def _cursor(item: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(_key(item)).encode()).decode()


def _position(cursor: str) -> tuple[str, str]:
    stamp, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return (stamp, ident)
