"""Private messages on Meta: the 24-hour messaging window of a conversation, and private
replies to comments (once per comment, within 7 days).

A conversation (Messenger, Instagram direct) is a case whose mentions are the person's
messages (`visibility="direct"`); its replies go out through the Send API like any reply
(the connector sees the target is a message). A private reply to a comment is a `Reply` of
kind "private" in the comment's case, through the same outbox with the same reconciliation;
the partial unique index `uq_reply_private_once` keeps it to one per comment even when two
people send at once. What the platform allows: `connectors/meta_messages.py`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import ApprovalState, Brand, Case, ConnectorAccount, Mention, Reply, User, utcnow
from app.services import approvals, audit, outbox_states, public_text
from app.services.case_locks import lock_case
from app.services.claims import CaseworkError, claim, touch
from connectors.meta_messages import PRIVATE_REPLY_WINDOW, messaging_window, private_reply_state

DM_CHANNELS = ("messenger", "instagram_dm")
TOO_OLD = _l("Plus de réponse privée possible : le commentaire a plus de 7 jours (règle de Meta).")
META_PLATFORMS = ("facebook", "instagram")


@dataclass(frozen=True)
class Window:
    """Where a conversation's answer window stands: open (free answers until `closes_at`),
    human_agent (answers with the HUMAN_AGENT tag until `closes_at`), closed."""

    state: str
    closes_at: datetime | None
    last_message_at: datetime | None


@dataclass(frozen=True)
class PrivateReplyOffer:
    """Whether a comment can get a private reply now, and if not why (shown on the case)."""

    mention: Mention
    possible: bool
    why_not: str | None
    until: datetime | None
    existing: Reply | None


def is_conversation(case: Case) -> bool:
    return case.channel in DM_CHANNELS


def _human_agent(session: Session, mention: Mention) -> bool:
    account = session.get(ConnectorAccount, mention.account_id)
    return bool(account and (account.options or {}).get("human_agent_tag"))


def window(
    session: Session,
    case: Case,
    now: datetime | None = None,
    newest: list[Mention] | None = None,
    every: bool = False,
) -> Window | None:
    """The answer window of a case holding private messages (None for any other case).
    `newest`: the case's newest mentions, newest first, when the caller has read them (`every`:
    they are all of the case's): the newest message among them spares a query."""
    last = next((m for m in newest or [] if m.visibility == "direct"), None)
    if last is None and not (every and newest is not None):
        last = session.exec(
            select(Mention)
            .where(Mention.case_id == case.id, Mention.visibility == "direct")
            .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
            .limit(1)  # a viral thread's case holds thousands: read only the newest
        ).first()
    if last is None:
        return None
    state, closes = messaging_window(
        last.posted_at, now or utcnow(), human_agent=_human_agent(session, last)
    )
    return Window(state, closes, last.posted_at)


def check_window(
    *,
    session: Session,
    case: Case,
    mention_id: int | None,
    now: datetime,
    mention: Mention | None = None,
) -> None:
    """Refuse an answer in a conversation whose window is closed, with the reason.
    `mention`: the row of mention_id when the caller holds it (not read again)."""
    if mention is None or mention.id != mention_id:
        mention = session.get(Mention, mention_id) if mention_id else None
    if mention is None or (mention.raw or {}).get("kind") != "message":
        return
    found = window(session, case, now)
    if found is not None and found.state == "closed":
        raise CaseworkError(
            _l(
                "La messagerie n'accepte plus de réponse : le dernier message de la personne "
                "date de plus de 24 heures (Meta ne permet d'écrire que dans les 24 heures qui "
                "suivent). Attendez qu'elle vous écrive de nouveau."
            )
        )


def private_reply_offers(
    session: Session, case: Case, mentions: list[Mention], now: datetime | None = None
) -> list[PrivateReplyOffer]:
    """For each Meta comment of the case: can it get a private reply, and why not."""
    now = now or utcnow()
    comments = [
        m
        for m in mentions
        if m.platform in META_PLATFORMS and (m.raw or {}).get("kind") != "message"
    ]
    if not comments:
        return []
    existing = {
        r.mention_id: r
        for r in session.exec(
            select(Reply).where(
                Reply.case_id == case.id,
                Reply.kind == "private",
                Reply.outbox_state != "cancelled",
            )
        )
    }
    offers = []
    for mention in comments:
        reply = existing.get(mention.id)
        state = private_reply_state(mention.raw or {}, mention.posted_at, now)
        why = None
        if reply is not None:
            why = str(
                _l("Une réponse privée a déjà été envoyée à ce commentaire (une seule permise).")
            )
        elif state == "not_a_comment":
            why = str(_l("Seul un commentaire peut recevoir une réponse privée."))
        elif state == "too_old":
            why = str(TOO_OLD)
        offers.append(
            PrivateReplyOffer(
                mention=mention,
                possible=why is None,
                why_not=why,
                until=mention.posted_at + PRIVATE_REPLY_WINDOW,
                existing=reply,
            )
        )
    return offers


def send_private_reply(
    *,
    session: Session,
    case: Case,
    brand: Brand,
    mention: Mention,
    actor: User,
    text: str,
    override_reason: str = "",
    now: datetime | None = None,
) -> Reply:
    """Queue a private reply to one comment of the case (proofread, once, within 7 days)."""
    now = now or utcnow()
    lock_case(session, case)
    if mention.case_id != case.id:
        raise CaseworkError(_l("Cette mention n'appartient pas à ce cas."))
    if case.status == "closed":
        raise CaseworkError(_l("Ce cas est clos : rouvrez-en un nouveau pour répondre."))
    if approvals.required_approver(case) is not None:
        raise CaseworkError(
            _l("Ce cas demande une validation : répondez publiquement en la soumettant.")
        )
    offer = private_reply_offers(session, case, [mention], now)
    if not offer or not offer[0].possible:
        raise CaseworkError(offer[0].why_not if offer else _l("Pas de réponse privée ici."))
    text = text.strip()
    if not text:
        raise CaseworkError(_l("La réponse est vide."))
    claim(session=session, case=case, actor=actor)
    gate = public_text.check(
        brand=brand,
        text=text,
        language=mention.lang or case.language,
        channel="messenger" if mention.platform == "facebook" else "instagram_dm",
        override_reason=override_reason,
    )
    if gate.problem in ("findings", "unavailable"):
        raise CaseworkError(
            gate.message
            if gate.problem == "unavailable"
            else _l("La relecture a trouvé des fautes : corrigez-les ou justifiez l'envoi.")
        )
    if gate.problem == "length":
        raise CaseworkError(_l("La réponse privée est trop longue pour la messagerie."))
    reply = Reply(
        brand_id=case.brand_id,
        case_id=case.id,  # type: ignore[arg-type]
        mention_id=mention.id,
        author_user_id=actor.id,
        text=text,
        kind="private",
        proofreading=gate.findings_json(),
        proofreading_override=gate.override_reason if gate.overridden else None,
        idempotency_key=secrets.token_hex(16),
    )
    approvals.move_approval(reply, ApprovalState.NOT_REQUIRED)
    outbox_states.release(session=session, reply=reply, now=now)
    session.add(reply)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Someone else's private reply to this comment got in first (uq_reply_private_once).
        raise CaseworkError(
            _l("Une réponse privée a déjà été envoyée à ce commentaire (une seule permise).")
        ) from None
    touch(case, now)
    session.add(case)
    audit.case_event(
        session=session,
        action="reply.private_queued",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        case=case,
        after={"mention_id": mention.id, "text": text},
    )
    public_text.record_override(session=session, result=gate, reply=reply, actor=actor)
    return reply
