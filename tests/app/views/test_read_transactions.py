"""The console's busiest pages end their read transaction before they render, and a claim
refused on the state just read writes nothing and reads nothing again (issue 11, §5).

Under 50 CMs about ten PostgreSQL backends sat "idle in transaction" while pages rendered; a
conflicted claim rolled back, which expired the case, its brand and the user, and the page that
said "someone else holds it" read them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import before_render_template, g, template_rendered
from sqlalchemy import event

from app.models import Case, utcnow
from tests.app.views.test_statement_counts import statements
from tests.conftest import csrf_token, login
from tests.factories import add_mention, make_brand, make_case, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}


@contextmanager
def renders(app, engine) -> Iterator[list[tuple[str, bool, int]]]:
    """Each template rendered by a view: (name, transaction open when it started, statements
    run while it rendered)."""
    seen: list[tuple[str, bool, int]] = []
    depth = {"rendering": 0, "statements": 0}

    def before(_app, template, context) -> None:
        session = g.get("db_session")
        depth["rendering"] += 1
        depth["statements"] = 0
        seen.append((template.name, bool(session and session.in_transaction()), 0))

    def after(_app, template, context) -> None:
        depth["rendering"] -= 1
        name, open_, _ = seen[-1]
        seen[-1] = (name, open_, depth["statements"])

    def statement(*_args) -> None:
        if depth["rendering"]:
            depth["statements"] += 1

    before_render_template.connect(before, app)
    template_rendered.connect(after, app)
    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        before_render_template.disconnect(before, app)
        template_rendered.disconnect(after, app)
        event.remove(engine, "before_cursor_execute", statement)


@pytest.fixture
def brand(session):
    return make_brand(session, slug="marque", name="Marque")


@pytest.fixture
def cm(client, session, brand):
    user = make_user(session, brand, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _held_by_colleague(session, brand) -> Case:
    colleague = make_user(session, brand, role="community_manager", email="collegue@example.test")
    case = make_case(session, brand, "Mon train est annulé", person_name="Jeanne")
    add_mention(session, case, "Toujours rien")
    case.assignee_id, case.claimed_at = colleague.id, utcnow()
    case.claim_expires_at = utcnow() + timedelta(minutes=15)
    session.add(case)
    session.commit()
    return case


def _assert_reads_done(seen: list[tuple[str, bool, int]]) -> None:
    assert seen
    for name, open_, during in seen:
        assert not open_, f"{name} rendered inside the request's transaction"
        assert during == 0, f"{name} read the database while rendering ({during} statements)"


def test_case_page_renders_after_its_reads(app, client, session, engine, brand, cm):
    case = make_case(session, brand, "Mon train est annulé", person_name="Jeanne")
    add_mention(session, case, "Toujours rien")
    session.commit()
    client.get(f"/cases/{case.id}")  # claims it; warm
    with renders(app, engine) as seen:
        response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    _assert_reads_done(seen)


def test_conflicted_case_page_renders_after_its_reads(app, client, session, engine, brand, cm):
    case = _held_by_colleague(session, brand)
    with renders(app, engine) as seen:
        response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    assert "Un autre membre de l&#39;équipe traite déjà ce cas." in response.get_data(as_text=True)
    _assert_reads_done(seen)


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "poll"])
def test_queue_renders_after_its_reads(app, client, session, engine, brand, cm, headers):
    for i in range(3):
        make_case(session, brand, f"Retard {i}", person_name=f"Client {i}")
    session.commit()
    app.extensions.pop("vigie_queue_shown", None)
    with renders(app, engine) as seen:
        response = client.get("/queue", headers=headers)
    assert response.status_code == 200
    _assert_reads_done(seen)


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_conflicted_claim_writes_nothing_and_reads_nothing_again(
    client, session, engine, brand, cm, headers
):
    case = _held_by_colleague(session, brand)
    version = case.version
    token = csrf_token(client, "/")
    with statements(engine) as seen:
        response = client.post(
            f"/cases/{case.id}/claim", data={"csrf_token": token}, headers=headers
        )
    assert response.status_code == (409 if headers else 302)
    # The signed-in user with their session and memberships, then the case with its brand:
    # nothing else.
    assert len(seen) == 2, seen
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in seen)
    session.refresh(case)
    assert case.version == version and case.assignee_id != cm.id


def test_conflicted_case_page_reads_nothing_again(client, session, engine, brand, cm):
    case = _held_by_colleague(session, brand)
    client.get(f"/cases/{case.id}")  # warm: templates, per-process caches
    with statements(engine) as seen:
        client.get(f"/cases/{case.id}")
    reads_of_cases = [s for s in seen if s.lstrip().upper().startswith("SELECT CASES.ID")]
    # The case (with its brand) once, and the person's earlier cases: never the case again.
    assert len(reads_of_cases) == 2, reads_of_cases
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in seen)
