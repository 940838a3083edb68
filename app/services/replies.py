"""Replies: canned-reply helpers, the publish gate on a draft, sending and submitting, requeueing.

Every reply leaves through here: ``send_reply`` (the agency may answer alone) or
``submit_for_approval``; the outbox then posts it (``worker/outbox.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.models import (
    ApprovalState,
    Author,
    Brand,
    CannedReply,
    Case,
    Person,
    Reply,
    Triage,
    User,
    utcnow,
)
from app.services import (
    approvals,
    audit,
    canned_changes,
    case_states,
    meta_messaging,
    outbox_states,
    public_text,
    worker_errors,
)
from app.services.case_locks import lock_case
from app.services.claims import CaseworkError, claim, free, lock_to_change, snapshot, touch


class ProofreadingBlocked(CaseworkError):
    """Findings remain and no reason to send anyway was given."""


def suggested_replies(
    *, session: Session, case: Case, triage: Triage | None
) -> list[canned_changes.CannedSnapshot]:
    """The canned replies the triage suggests, in the case's language, approved ones first
    (the brand's replies as this process keeps them: canned_changes)."""
    keys = list(triage.suggested_replies) if triage else []
    rows = canned_changes.brand_replies(session, case.brand_id)
    if case.language:
        rows = tuple(r for r in rows if r.language == case.language)
    if keys:
        chosen = [r for r in rows if r.key in keys]
        chosen.sort(key=lambda r: (r.status != "approved", keys.index(r.key)))
    else:
        chosen = [r for r in rows if case.scenario and case.scenario in r.scenarios]
        chosen.sort(key=lambda r: (r.status != "approved", r.title))
    return chosen[:12]


def reply_variables(
    *,
    case: Case,
    brand: Brand,
    person: Person | None,
    author: Author | None,
    actor: User,
    references: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """What the case knows to fill canned-reply variables; the CM types the rest.

    `references`: the customer's ([[commande]], [[reservation]]…, case_references)."""
    name = (person.display_name if person else "") or (
        author.name if author and author.name else ""
    )
    first = name.split()[0] if name.strip() else ""
    handle = f"@{author.handle.lstrip('@')}" if author and author.handle else ""
    agent = (actor.name or "").split()[0] if (actor.name or "").strip() else ""
    values = {
        "prenom": first,
        "first_name": first,
        "nom": name,
        "name": name,
        "pseudo": handle,
        "handle": handle,
        "marque": brand.name,
        "brand": brand.name,
        "agent": agent,
        "signature": agent,
        "canal": case.channel or "",
        "channel": case.channel or "",
        **(references or {}),
    }
    return {k: v for k, v in values.items() if v}


def render_canned(body: str, variables: Mapping[str, str]) -> tuple[str, list[str]]:
    """Fill a canned reply; returns the text and the variables still missing."""
    import canned_replies

    result = canned_replies.render(body, dict(variables))
    return result.text, list(result.missing)


def template_variables(body: str) -> list[str]:
    """Variable names a canned-reply body uses."""
    import canned_replies

    return list(canned_replies.template_variables(body))


def length_check(text: str, channel: str | None) -> Any:
    """Length of the reply as the channel counts it, with its limit."""
    import canned_replies

    return canned_replies.check_length(text, channel or "")


def reply_mode(case: Case) -> str:
    """'send' when the delegation lets the agency answer alone, else 'approval'."""
    return "send" if approvals.required_approver(case) is None else "approval"


def approver_for(case: Case) -> str:
    """Who approves a reply here: the playbook's approver, else lead (brand if escalated)."""
    return approvals.required_approver(case) or "lead"


@dataclass(frozen=True)
class ReplyDraft:
    """What the editor posts."""

    text: str
    canned_reply: CannedReply | None = None
    override_reason: str = ""
    mention_id: int | None = None
    # What public_text.target said of mention_id, when the caller read it already (the send
    # route does, to choose the mention): the gate then checks with it instead of reading
    # the mention and its language again.
    target: public_text.Target | None = None


def _check_sendable(
    *, session: Session, case: Case, actor: User, draft: ReplyDraft, brand: Brand
) -> public_text.GateResult:
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos : rouvrez-en un nouveau pour répondre."))
    if case.status == "pending_approval":
        raise CaseworkError(_l("Une réponse attend déjà sa validation sur ce cas."))
    claim(session=session, case=case, actor=actor)
    text = draft.text.strip()
    if not text:
        raise CaseworkError(_l("La réponse est vide."))
    if "[[" in text and "]]" in text:
        raise CaseworkError(_l("Remplissez les variables surlignées avant d'envoyer."))
    # Checked in the language and on the channel of the mention the reply answers.
    target = draft.target
    if target is None or target.mention_id != draft.mention_id or target.mention_id is None:
        target = public_text.target(session=session, case=case, mention_id=draft.mention_id)
    # A private conversation only takes answers inside Meta's messaging window.
    meta_messaging.check_window(
        session=session,
        case=case,
        mention_id=target.mention_id,
        now=utcnow(),
        mention=target.mention,
    )
    gate = public_text.check(
        brand=brand,
        text=text,
        language=target.language,
        channel=target.channel,
        override_reason=draft.override_reason,
    )
    if gate.problem == "length":
        raise CaseworkError(
            _l(
                "La réponse dépasse la longueur permise sur ce canal (%(count)s/%(limit)s).",
                count=gate.length.count,
                limit=gate.length.limit,
            )
        )
    if gate.problem == "findings":
        raise ProofreadingBlocked(
            _l("La relecture a trouvé des fautes : corrigez-les ou justifiez l'envoi.")
        )
    if gate.problem == "unavailable":
        raise ProofreadingBlocked(gate.message)
    return gate


def _new_reply(case: Case, actor: User, draft: ReplyDraft, gate: public_text.GateResult) -> Reply:
    canned = draft.canned_reply
    return Reply(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=draft.mention_id,
        author_user_id=actor.id,
        text=draft.text.strip(),
        original_text=canned.body if canned else None,
        canned_reply_id=canned.id if canned else None,
        canned_reply_version=canned.version if canned else None,
        proofreading=gate.findings_json(),
        proofreading_override=gate.override_reason if gate.overridden else None,
        idempotency_key=secrets.token_hex(16),
    )


def _count_usage(session: Session, canned: CannedReply | None) -> None:
    if canned is not None:
        canned.usage_count += 1
        session.add(canned)


def send_reply(
    *,
    session: Session,
    case: Case,
    brand: Brand,
    actor: User,
    draft: ReplyDraft,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Reply:
    """Queue a reply for posting when the delegation lets the agency answer alone."""
    lock_to_change(session, case, seen_version)  # a second send at once: refused, not queued
    now = now or utcnow()
    if reply_mode(case) != "send":
        raise CaseworkError(
            _l("Ce cas demande une validation : soumettez la réponse au lieu de l'envoyer.")
        )
    gate = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    reply = _new_reply(case, actor, draft, gate)
    approvals.move_approval(reply, ApprovalState.NOT_REQUIRED)
    # Queued, or to copy by hand; the first response counts once publication is confirmed.
    outbox_states.release(session=session, reply=reply, now=now)
    before = snapshot(case, "status")
    case_states.await_person(case)
    _file_reply(
        session=session,
        case=case,
        actor=actor,
        draft=draft,
        reply=reply,
        now=now,
        action="reply.queued",
        gate=gate,
        before=before,
        after={
            "status": case.status,
            "text": reply.text,
            "canned_reply": draft.canned_reply.key if draft.canned_reply else None,
        },
    )
    return reply


def submit_for_approval(
    *,
    session: Session,
    case: Case,
    brand: Brand,
    actor: User,
    draft: ReplyDraft,
    now: datetime | None = None,
    seen_version: int | None = None,
) -> Reply:
    """Put a draft before a lead or the brand when the agency may not answer alone."""
    lock_to_change(session, case, seen_version)
    now = now or utcnow()
    gate = _check_sendable(session=session, case=case, actor=actor, draft=draft, brand=brand)
    approver = approver_for(case)
    reply = _new_reply(case, actor, draft, gate)
    approvals.move_approval(reply, ApprovalState.PENDING)
    reply.approver_role = approver
    reply.outbox_state = "draft"
    before = snapshot(case, "status", "involved_brand")
    case_states.await_approval(case)
    if approver == "brand":
        case.involved_brand = True
    _file_reply(
        session=session,
        case=case,
        actor=actor,
        draft=draft,
        reply=reply,
        now=now,
        action="reply.submitted",
        gate=gate,
        before=before,
        after={"status": case.status, "approver": approver, "text": reply.text},
    )
    return reply


def _file_reply(
    *,
    session: Session,
    case: Case,
    actor: User,
    draft: ReplyDraft,
    reply: Reply,
    now: datetime,
    action: str,
    gate: public_text.GateResult,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """What sending and submitting share: store the reply, free the case, audit both."""
    session.add(reply)
    _count_usage(session, draft.canned_reply)
    free(case)
    touch(case, now)
    session.add(case)
    session.flush()
    audit.case_event(
        session=session,
        case=case,
        action=action,
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before=before,
        after=after,
    )
    public_text.record_override(session=session, result=gate, reply=reply, actor=actor)


def requeue_failed_reply(
    *, session: Session, case: Case, reply: Reply, actor: User, now: datetime | None = None
) -> None:
    """Send a failed reply again, once a person has checked it is not on the platform already.

    Only a failed send can be queued again: a reply that may have gone out (interrupted) is
    failed on purpose, and the person who requeues it takes that decision, recorded.
    """
    now = now or utcnow()
    lock_case(session, case, bump=False, reload=(reply,))  # clicked twice: queued once
    if reply.case_id != case.id:
        raise CaseworkError(_l("Cette réponse n'appartient pas à ce cas."))
    if reply.outbox_state != "failed":
        raise CaseworkError(_l("Seule une réponse en échec peut être renvoyée."))
    before = {"outbox_state": reply.outbox_state, "last_error": worker_errors.message(reply)}
    outbox_states.queue_again(reply, now)
    session.add(reply)
    audit.case_event(
        session=session,
        case=case,
        action="reply.requeued",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before=before,
        after={"outbox_state": "queued"},
    )


def mark_sent(
    *,
    session: Session,
    reply: Reply,
    external_id: str | None,
    url: str | None,
    now: datetime,
) -> Case | None:
    """The platform confirmed the reply is public: the reply is sent, its case stamped.

    The outbox calls this once a post is confirmed (or found on the platform); the case then
    waits for the person (``case_states.await_person``).
    """
    outbox_states.move(reply, "sent")
    return outbox_states.stamp_published(session, reply, external_id, url, now)
