"""Two actions on one case at the same moment: one wins, the other is told; nothing doubles.

Each racer runs in its own thread with its own session on the shared engine, loads what it
acts on, then waits at a barrier so both act together (as two people, or one double click, do).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, func, select

from app.models import AuditEvent, Brand, Case, Escalation, Mention, Reply, User
from app.services import approvals, casework, claims, escalations, merge_split, replies
from app.services.approvals import ApprovalError
from app.services.case_locks import CaseChanged
from app.services.claims import ClaimConflict
from app.services.escalations import EscalationError
from app.services.replies import ReplyDraft
from tests.app.portal_support import cast, open_escalation, pending_reply, scope
from tests.conftest import login
from tests.factories import make_brand, make_case, make_user
from tests.races import Racer, race  # also imported from here by older tests

pytestmark = pytest.mark.db
CLEAN = "Bonjour Jeanne, nous sommes désolés pour ce retard."
HIDDEN_RE = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"')


def _count(session: Session, model: type, *where: Any) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _audited(session: Session, action: str) -> int:
    return _count(session, AuditEvent, AuditEvent.action == action)


@pytest.fixture
def rail(session) -> Brand:
    return make_brand(session, slug="rail", name="Rail Azur")


def _sender(case_id: int, user_id: int) -> Racer:
    def send(session: Session, ready: Callable[[], Any]) -> Reply:
        case = session.get(Case, case_id)
        actor = session.get(User, user_id)
        brand = session.get(Brand, case.brand_id)
        ready()
        return replies.send_reply(
            session=session, case=case, brand=brand, actor=actor, draft=ReplyDraft(text=CLEAN)
        )

    return send


def test_two_sends_at_once_queue_one_reply(engine, session, rail):
    cm = make_user(session, rail, email="cm@example.test")
    case = make_case(session, rail)
    claims.claim(session=session, case=case, actor=cm)
    session.commit()

    outcomes = race(engine, _sender(case.id, cm.id), _sender(case.id, cm.id))

    assert sorted(type(o).__name__ for o in outcomes) == ["CaseChanged", "Reply"]
    assert _count(session, Reply, Reply.case_id == case.id) == 1
    assert _audited(session, "reply.queued") == 1
    assert session.get(Case, case.id).status == "waiting"


def test_two_submits_at_once_put_one_reply_before_the_approver(engine, session, rail):
    cm = make_user(session, rail, email="cm@example.test")
    case = make_case(session, rail, severity="S3", action="reply_with_approval", approver="lead")

    def submit(session: Session, ready: Callable[[], Any]) -> Reply:
        loaded, actor = session.get(Case, case.id), session.get(User, cm.id)
        brand = session.get(Brand, loaded.brand_id)
        ready()
        return replies.submit_for_approval(
            session=session, case=loaded, brand=brand, actor=actor, draft=ReplyDraft(text=CLEAN)
        )

    outcomes = race(engine, submit, submit)

    assert sum(isinstance(o, Reply) for o in outcomes) == 1
    assert sum(isinstance(o, CaseChanged) for o in outcomes) == 1
    assert _count(session, Reply, Reply.approval_state == "pending") == 1


def test_two_claims_at_once_leave_one_holder(engine, session, rail):
    first = make_user(session, rail, email="cm1@example.test")
    second = make_user(session, rail, email="cm2@example.test")
    case = make_case(session, rail)

    def claim_as(user_id: int) -> Racer:
        def claim(session: Session, ready: Callable[[], Any]) -> int:
            loaded, actor = session.get(Case, case.id), session.get(User, user_id)
            ready()
            claims.claim(session=session, case=loaded, actor=actor)
            return user_id

        return claim

    outcomes = race(engine, claim_as(first.id), claim_as(second.id))

    winners = [o for o in outcomes if isinstance(o, int)]
    assert len(winners) == 1
    assert sum(isinstance(o, ClaimConflict) for o in outcomes) == 1
    session.expire_all()
    assert session.get(Case, case.id).assignee_id == winners[0]
    assert _audited(session, "case.claimed") == 1


def test_approve_and_reject_at_once_one_decides_the_other_is_told(engine, session):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)

    def approve(session: Session, ready: Callable[[], Any]) -> str:
        loaded, actor = session.get(Reply, reply.id), session.get(User, people.owner.id)
        who = scope(session, actor)
        ready()
        approvals.approve(session=session, reply=loaded, actor=actor, scope=who)
        return "approved"

    def reject(session: Session, ready: Callable[[], Any]) -> str:
        loaded, actor = session.get(Reply, reply.id), session.get(User, people.owner2.id)
        who = scope(session, actor)
        ready()
        approvals.reject(session=session, reply=loaded, actor=actor, scope=who, comment="Trop sec.")
        return "rejected"

    outcomes = race(engine, approve, reject)

    decided = [o for o in outcomes if isinstance(o, str)]
    assert len(decided) == 1
    assert sum(isinstance(o, ApprovalError) for o in outcomes) == 1
    session.expire_all()
    stored = session.get(Reply, reply.id)
    assert stored.approval_state == decided[0]
    assert stored.outbox_state == ("queued" if decided[0] == "approved" else "cancelled")
    assert _audited(session, "reply.approved") + _audited(session, "reply.rejected") == 1


def test_two_approvals_at_once_queue_the_reply_once(engine, session):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)

    def approve_as(user_id: int) -> Racer:
        def approve(session: Session, ready: Callable[[], Any]) -> int:
            loaded, actor = session.get(Reply, reply.id), session.get(User, user_id)
            who = scope(session, actor)
            ready()
            approvals.approve(session=session, reply=loaded, actor=actor, scope=who)
            return user_id

        return approve

    outcomes = race(engine, approve_as(people.owner.id), approve_as(people.owner2.id))

    winners = [o for o in outcomes if isinstance(o, int)]
    assert len(winners) == 1 and sum(isinstance(o, ApprovalError) for o in outcomes) == 1
    session.expire_all()
    assert session.get(Reply, reply.id).approved_by_id == winners[0]
    assert _audited(session, "reply.approved") == 1


def test_two_owners_answering_with_a_reply_publish_it_once(engine, session):
    people = cast(session)
    escalation = open_escalation(session, people.brand, people.cm, urgency="urgent")

    def answer_as(user_id: int, text: str) -> Racer:
        def answer(session: Session, ready: Callable[[], Any]) -> Reply | None:
            loaded, actor = session.get(Escalation, escalation.id), session.get(User, user_id)
            who = scope(session, actor)
            ready()
            return escalations.answer(
                session=session, escalation=loaded, actor=actor, scope=who, text=text, kind="reply"
            )

        return answer

    outcomes = race(
        engine,
        answer_as(people.owner.id, "Nous vous appelons dans l'heure."),
        answer_as(people.owner2.id, "Un conseiller vous rappelle tout de suite."),
    )

    assert sum(isinstance(o, Reply) for o in outcomes) == 1
    assert sum(isinstance(o, EscalationError) for o in outcomes) == 1
    assert _count(session, Reply, Reply.case_id == escalation.case_id) == 1
    assert _audited(session, "escalation.answered") == 1


def test_two_escalations_at_once_alert_the_brand_once(engine, session, rail):
    cm = make_user(session, rail, email="cm@example.test")
    case = make_case(session, rail)

    def escalate(session: Session, ready: Callable[[], Any]) -> Escalation:
        loaded, actor = session.get(Case, case.id), session.get(User, cm.id)
        ready()
        return escalations.escalate(session=session, case=loaded, actor=actor, reason="Menace")

    outcomes = race(engine, escalate, escalate)

    assert sum(isinstance(o, Escalation) for o in outcomes) == 1
    assert _count(session, Escalation, Escalation.case_id == case.id) == 1


def test_merge_and_close_racing_leave_one_consistent_outcome(engine, session, rail):
    cm = make_user(session, rail, email="cm@example.test")
    target = make_case(session, rail, "Mon train est en retard")
    source = make_case(session, rail, "Et le suivant aussi")

    def merge(session: Session, ready: Callable[[], Any]) -> str:
        into, other = session.get(Case, target.id), session.get(Case, source.id)
        actor = session.get(User, cm.id)
        ready()
        merge_split.merge(session=session, target=into, source=other, actor=actor)
        return "merged"

    def close(session: Session, ready: Callable[[], Any]) -> str:
        loaded, actor = session.get(Case, target.id), session.get(User, cm.id)
        ready()
        casework.close(session=session, case=loaded, actor=actor)
        return "closed"

    outcomes = race(engine, merge, close)

    done = [o for o in outcomes if isinstance(o, str)]
    assert len(done) == 1, outcomes
    assert sum(isinstance(o, CaseChanged | claims.CaseworkError) for o in outcomes) == 1
    session.expire_all()
    into, other = session.get(Case, target.id), session.get(Case, source.id)
    in_target = _count(session, Mention, Mention.case_id == target.id)
    if done == ["merged"]:
        # The merged mention is in an open case, where someone will answer it.
        assert into.status == "open" and other.status == "closed"
        assert in_target == 2 == into.mention_count
    else:
        # Closed before the merge: the other case keeps its mention, still open.
        assert into.status == "closed" and other.status == "open"
        assert in_target == 1 and _count(session, Mention, Mention.case_id == source.id) == 1


def _hidden_fields(client, case_id: int, action: str) -> dict[str, str]:
    """Open the case page and read the hidden fields of one of its forms, as a browser would."""
    html = client.get(f"/cases/{case_id}").get_data(as_text=True)
    match = re.search(
        rf'<form[^>]*action="/cases/{case_id}/{action}"[^>]*>(.*?)</form>', html, re.S
    )
    assert match, f"no {action} form on the case page"
    return dict(HIDDEN_RE.findall(match.group(1)))


def test_a_double_click_on_send_posts_one_reply_over_http(app, engine, session, rail):
    make_user(session, rail, email="cm@example.test")
    case = make_case(session, rail)
    clients = [app.test_client(), app.test_client()]
    forms = []
    for client in clients:  # one person, two tabs (or one button clicked twice)
        login(client, "cm@example.test")
        forms.append({**_hidden_fields(client, case.id, "reply"), "text": CLEAN, "action": "send"})

    def post_as(i: int) -> Racer:
        def post(_session: Session, ready: Callable[[], Any]) -> Any:
            ready()
            return clients[i].post(f"/cases/{case.id}/reply", data=forms[i])

        return post

    responses = race(engine, post_as(0), post_as(1))

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Ce cas vient de changer" in refused
    assert CLEAN in refused  # the text the user typed is still in the editor
    assert _count(session, Reply, Reply.case_id == case.id) == 1


def test_a_form_from_before_the_send_is_refused(client, session, rail):
    make_user(session, rail, email="cm@example.test")
    case = make_case(session, rail)
    login(client, "cm@example.test")
    reply_form = {**_hidden_fields(client, case.id, "reply"), "text": CLEAN, "action": "send"}
    close_form = {**_hidden_fields(client, case.id, "close"), "spam": "0"}

    assert client.post(f"/cases/{case.id}/reply", data=reply_form).status_code == 302
    # The same form posted again (back button, second tab): the case moved on, nothing is sent.
    again = client.post(f"/cases/{case.id}/reply", data=reply_form)
    assert again.status_code == 409
    assert _count(session, Reply, Reply.case_id == case.id) == 1
    # A close from the page as it was before the send is refused too; from a fresh page it works.
    stale = client.post(f"/cases/{case.id}/close", data=close_form, headers={"HX-Request": "true"})
    assert stale.status_code == 409 and "Ce cas vient de changer" in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "waiting"
    fresh = {**_hidden_fields(client, case.id, "close"), "spam": "0"}
    assert client.post(f"/cases/{case.id}/close", data=fresh).status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).status == "closed"
