"""Replies a platform refused as duplicate content, and the one-click variation.

X refuses a post whose text matches a recent post of the account ("You are not allowed to
create a Tweet with duplicate content."): a canned reply sent word for word to two authors
hits it. The outbox first looks on the platform (`Connector.find_reply`): only a reply found
there counts as sent. Otherwise the reply is "refused" (never "sent"), and the CM sees it with
a variation that X will take: the author's name added, or a different closing.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from app.models import Author, Case, Mention, Reply, User, utcnow
from app.services import audit, outbox_states, worker_errors
from app.services.case_locks import lock_case
from app.services.claims import CaseworkError

MAX_LENGTH = 280  # X's limit; the other platforms allow more
GREETING = re.compile(r"^(bonjour|bonsoir|salut|hello|hi|hey)\b\s*([,!.]?)\s*", re.IGNORECASE)
CLOSINGS = {
    "fr": ("Belle journée !", "Bonne journée à vous.", "À votre écoute."),
    "en": ("Have a great day!", "Thanks for your patience.", "We're here to help."),
}


class VariantError(CaseworkError):
    """The variation cannot be sent; the message says why, in the UI's language."""


def refuse(session: Session, reply: Reply, detail: str, now: datetime) -> None:
    """sending → refused: the platform took nothing; the CM decides (no automatic retry)."""
    outbox_states.move(reply, "refused")
    note = worker_errors.set_error(reply, "duplicate_text", detail)
    reply.next_attempt_at = None
    reply.sending_owner = None
    session.add(reply)
    audit.case_event(
        session=session,
        case=audit.case_of(reply),
        action="reply.refused_duplicate",
        target_type="reply",
        target_id=reply.id,
        actor_label="worker",
        note=note,
    )
    session.commit()


def variant(text: str, author_name: str, lang: str | None = None) -> str | None:
    """A version of `text` the platform will not take for a duplicate: the author's name in
    the greeting (or first), else a different closing. None when nothing fits."""
    text = text.strip()
    name = " ".join(author_name.split()).lstrip("@")
    candidates: list[str] = []
    if name and name.lower() not in text.lower():
        greeting = GREETING.match(text)
        if greeting:
            rest = text[greeting.end() :]
            candidates.append(f"{greeting.group(1)} {name}{greeting.group(2) or ','} {rest}")
        else:
            # "Avec plaisir !" → "Léa, avec plaisir !" (a capitalised ordinary word only).
            lowered = text[0].lower() + text[1:] if text[:2].istitle() else text
            candidates.append(f"{name}, {lowered}")
    closings = CLOSINGS.get((lang or "fr")[:2].lower(), CLOSINGS["fr"])
    candidates += [f"{text} {c}" for c in closings if c.lower() not in text.lower()]
    return next(
        (c.strip() for c in candidates if c.strip() != text and len(c.strip()) <= MAX_LENGTH),
        None,
    )


def _author_and_lang(session: Session, reply: Reply) -> tuple[str, str | None]:
    mention = session.get(Mention, reply.mention_id) if reply.mention_id else None
    author = session.get(Author, mention.author_id) if mention else None
    name = (author.name or author.handle) if author else ""
    return name, (mention.lang if mention else None)


def proposals(session: Session, replies: list[Reply]) -> dict[int, str]:
    """The variation offered for each refused reply (reply id → text)."""
    found: dict[int, str] = {}
    for reply in replies:
        if reply.outbox_state == "refused" and reply.id is not None:
            proposed = variant(reply.text, *_author_and_lang(session, reply))
            if proposed:
                found[reply.id] = proposed
    return found


def send_variant(
    *, session: Session, case: Case, reply: Reply, actor: User, now: datetime | None = None
) -> str:
    """Replace a refused reply's text by its variation and queue it; returns the new text.

    Under the case lock, like every send: clicked twice, it is queued once.
    """
    now = now or utcnow()
    lock_case(session, case, bump=False, reload=(reply,))
    if reply.case_id != case.id:
        raise VariantError(_l("Cette réponse n'appartient pas à ce cas."))
    if reply.outbox_state != "refused":
        raise VariantError(_l("Seule une réponse refusée comme doublon peut partir en variante."))
    proposed = variant(reply.text, *_author_and_lang(session, reply))
    if proposed is None:
        raise VariantError(_l("Aucune variante ne tient dans la longueur permise : modifiez-la."))
    before = {"outbox_state": reply.outbox_state, "text": reply.text}
    reply.text = proposed
    outbox_states.queue_again(reply, now)
    reply.last_error = reply.last_error_code = None
    session.add(reply)
    audit.case_event(
        session=session,
        case=case,
        action="reply.variant_sent",
        target_type="reply",
        target_id=reply.id,
        actor=actor,
        before=before,
        after={"outbox_state": "queued", "text": proposed},
    )
    return proposed
