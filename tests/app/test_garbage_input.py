"""Garbage in every form field, query parameter and id of every route, as every role: no 5xx.

Issue 12, finding 8. The route list is the app's URL map (as in test_isolation.py); the field
and parameter names are read from the pages each role sees, so new forms are fuzzed too.
"""

from __future__ import annotations

import re
import traceback

import pytest

from app.models import ROLES
from tests.conftest import csrf_token, login
from tests.factories import make_brand, make_user
from tests.isolation_fixtures import foreign_records

pytestmark = pytest.mark.db

SKIPPED = {"static", "auth.logout"}
GARBAGE = [
    "²",
    "-99999999999999999999999999",
    "nul\x00byte",
    "x" * 3000,
    "0000-13-45T99:99",
    "{{ 10**5000 }}{{ 'a' * 10**6 }}",
    "\r\nLocation: //evil.example",
    "[" * 3000,
    "1e999",
]
HUGE_ID = "99999999999999999999"
_NAME_RE = re.compile(r"""\bname="([^"]+)\"""")
_ACTION_RE = re.compile(
    r"""name="(action|intent)"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="(?:action|intent)\""""
)
_QUERY_RE = re.compile(r"""[?&]amp;([a-z_]+)=|[?&]([a-z_]+)=""")


def _path(rule, ids: dict[str, int], huge: bool = False) -> str:
    path = rule.rule
    for arg in rule.arguments:
        value = HUGE_ID if huge else str(ids[arg])
        path = re.sub(r"<(?:[a-z]+:)?" + arg + ">", value, path)
    return path


def _names(html: str, fields: set[str], params: set[str], actions: set[str]) -> None:
    fields.update(n for n in _NAME_RE.findall(html) if n != "csrf_token")
    for match in _ACTION_RE.finditer(html):
        actions.add(match.group(2) or match.group(3) or "")
    for a, b in _QUERY_RE.findall(html):
        params.add(a or b)


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_garbage_with_a_server_error(app, client, session, role):
    mine = make_brand(session, slug="mine", name="Ma marque")
    make_user(session, mine, role=role, email=f"{role}@example.test")
    ids = foreign_records(session, mine, "MINE")
    login(client, f"{role}@example.test")
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED]
    fields: set[str] = set()
    params: set[str] = {"brand_id", "next", "q", "since", "until", "page", "state"}
    actions: set[str] = set()
    for rule in rules:
        if "GET" in rule.methods:
            _names(client.get(_path(rule, ids)).get_data(as_text=True), fields, params, actions)
    token = csrf_token(client, "/")
    failures: list[str] = []
    fields, params = sorted(fields), sorted(params)
    action_list = sorted(actions) or ["x"]
    for rule in rules:
        paths = [_path(rule, ids)] + ([_path(rule, ids, huge=True)] if rule.arguments else [])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path in paths:
                rounds = range(2) if path == paths[0] else range(1)
                for r in rounds:
                    query = {p: GARBAGE[(i + r) % len(GARBAGE)] for i, p in enumerate(params)}
                    data = None
                    if method != "GET":
                        data = {f: GARBAGE[(i + r) % len(GARBAGE)] for i, f in enumerate(fields)}
                        data["csrf_token"] = token
                        data["action"] = action_list[r % len(action_list)]
                    try:
                        status = client.open(
                            path, method=method, query_string=query, data=data
                        ).status_code
                    except Exception:  # TESTING propagates exceptions: that is a 500
                        last = traceback.format_exc(limit=-3).splitlines()[-3:]
                        failures.append(f"{method} {path} round {r}: {last}")
                        continue
                    if status >= 500:
                        failures.append(f"{method} {path} round {r}: {status}")
                # The API takes a raw body.
            if rule.endpoint == "api.push_mention":
                for body in (b"[" * 100_000, b'{"id": "\\u0000"}', b"\xff\xfe"):
                    try:
                        status = client.post(
                            path, data=body, headers={"Authorization": "Bearer x"}
                        ).status_code
                    except Exception:
                        failures.append(
                            f"POST {path} body: {traceback.format_exc(limit=-3).splitlines()[-3:]}"
                        )
                        continue
                    if status >= 500:
                        failures.append(f"POST {path} body: {status}")
    assert not failures, "\n".join(failures[:80]) + f"\n({len(failures)} server errors)"
