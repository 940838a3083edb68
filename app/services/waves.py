"""Answering a wave as one: one proofread reply to every mention of a cluster or a selection.

``start`` proofreads the reply once and queues one item per mention (a few statements
whatever the wave's size), spread over time at each platform's pace (the outbox keeps all
the waves through one account to that pace together: ``send_pace``). The worker's tick
(``advance``) then turns due items into ordinary replies through ``replies.send_reply`` or
``replies.submit_for_approval``: the publish gate, the claim and the delegation apply per
mention (an S3 inside the wave still waits for its approval), and the outbox tracks and
reconciles each reply. A wave can be stopped (replies not yet sent are held back) and
resumed, or cancelled once stopped. Its state moves only through ``move_wave``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import text as sql_text
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import (
    Author,
    Brand,
    CannedReply,
    Case,
    Mention,
    Person,
    Reply,
    User,
    Wave,
    WaveItem,
    utcnow,
)
from app.services import audit, bulk, case_states, outbox_states, public_text, replies, send_pace
from app.services.case_locks import hold_write_lock
from app.services.claims import CaseworkError

WAVE_MOVES: dict[str, frozenset[str]] = {
    "running": frozenset({"stopped", "done"}),
    "stopped": frozenset({"running", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
MAX_MENTIONS = 2000
# pg_advisory_xact_lock(namespace, brand id): one wave starts at a time per brand.
WAVE_LOCK = 0x56574156
ACTIVE = ("running", "stopped", "done")


class WaveError(CaseworkError):
    """A wave that cannot start or move; the message says why."""


def move_wave(wave: Wave, target: str) -> None:
    """Move the wave to `target`, refusing any move the table does not allow."""
    if target not in WAVE_MOVES.get(wave.state, frozenset()):
        raise WaveError(_l("Cette vague ne peut plus changer ainsi."))
    wave.state = target


def _lock(session: Session, brand_id: int) -> None:
    if session.connection().dialect.name == "postgresql":
        session.execute(
            sql_text("SELECT pg_advisory_xact_lock(:ns, :brand)"),
            {"ns": WAVE_LOCK, "brand": brand_id},
        )
    else:
        hold_write_lock(session)


def _sample_gate(
    session: Session, brand: Brand, actor: User, body: str, override: str, first: Any
) -> public_text.GateResult:
    """Proofread the reply once, as the first mention's author gets it (language, channel)."""
    case, mention = session.get(Case, first.case_id), session.get(Mention, first.id)
    assert case is not None and mention is not None
    filled, _missing = replies.render_canned(body, _variables(session, brand, actor, case, mention))
    gate = public_text.check(
        brand=brand,
        text=filled.replace("[[", "").replace("]]", ""),
        language=first.lang,
        channel=first.channel,
        override_reason=override,
    )
    if gate.problem == "findings":
        raise WaveError(_l("La relecture a trouvé des fautes : corrigez-les ou justifiez l'envoi."))
    if gate.problem == "unavailable":
        raise WaveError(gate.message)
    return gate


def _variables(
    session: Session, brand: Brand, actor: User, case: Case, mention: Mention
) -> dict[str, str]:
    """The canned-reply variables of the mention's author (name, handle, brand, agent…)."""
    author = session.get(Author, mention.author_id)
    person = session.get(Person, author.person_id) if author else None
    return replies.reply_variables(
        case=case, brand=brand, person=person, author=author, actor=actor
    )


def start(
    *,
    session: Session,
    brand: Brand,
    actor: User,
    mention_ids: Sequence[int],
    body: str,
    canned_reply: CannedReply | None = None,
    override_reason: str = "",
    cluster_id: int | None = None,
    now: datetime | None = None,
) -> Wave:
    """Queue one reply per mention (of this brand, in an open case, not answered by a wave
    yet), paced per platform; no commit. Two people starting the same wave: the second one
    finds every mention taken and is told so."""
    now = now or utcnow()
    body = body.strip()
    if not body:
        raise WaveError(_l("La réponse est vide."))
    ids = sorted({int(i) for i in mention_ids})[:MAX_MENTIONS]
    _lock(session, brand.id)  # type: ignore[arg-type]
    taken = (
        select(WaveItem.mention_id)
        .join(Wave, col(Wave.id) == col(WaveItem.wave_id))
        .where(
            col(WaveItem.mention_id).in_(ids),
            col(Wave.state).in_(ACTIVE),
            WaveItem.state != "skipped",
        )
    )
    rows: Sequence[Any] = session.exec(  # type: ignore[call-overload]
        select(  # type: ignore[call-overload]
            Mention.id, Mention.case_id, Mention.platform, Mention.lang, Mention.channel
        )
        .join(Case, col(Case.id) == col(Mention.case_id))
        .where(
            col(Mention.id).in_(ids),
            Mention.brand_id == brand.id,
            Case.status != "closed",
            col(Mention.id).not_in(taken),
        )
        .order_by(col(Mention.posted_at), col(Mention.id))
    ).all()
    if not rows:
        raise WaveError(_l("Ces mentions ont déjà une réponse groupée, ou leurs cas sont clos."))
    gate = _sample_gate(session, brand, actor, body, override_reason, rows[0])
    wave = Wave(
        brand_id=brand.id,  # type: ignore[arg-type]
        cluster_id=cluster_id,
        body=body,
        canned_reply_id=canned_reply.id if canned_reply else None,
        override_reason=gate.override_reason if gate.overridden else "",
        created_by_id=actor.id,  # type: ignore[arg-type]
        created_at=now,
        updated_at=now,
    )
    session.add(wave)
    session.flush()
    bulk.append_rows(session, WaveItem.__table__, _items(wave, rows, now))  # type: ignore[attr-defined]
    audit.record(
        session=session,
        action="wave.started",
        target_type="wave",
        target_id=wave.id,
        brand_id=brand.id,
        actor=actor,
        after={"mentions": len(rows), "cluster_id": cluster_id, "text": body},
    )
    return wave


def _items(wave: Wave, rows: Sequence[Any], now: datetime) -> list[dict[str, Any]]:
    turn: Counter[str] = Counter()
    items = []
    for mention_id, case_id, platform, _lang, _channel in rows:
        pace = send_pace.pace(platform)
        items.append(
            {
                "wave_id": wave.id,
                "brand_id": wave.brand_id,
                "mention_id": mention_id,
                "case_id": case_id,
                "platform": platform,
                "state": "pending",
                "due_at": now + pace * turn[platform],
                "reply_id": None,
                "note": None,
            }
        )
        turn[platform] += 1
    return items


def advance(*, session: Session, now: datetime | None = None, limit: int = 100) -> int:
    """The worker's tick: turn due items of running waves into replies; returns how many."""
    now = now or utcnow()
    query = (
        select(WaveItem)
        .join(Wave, col(Wave.id) == col(WaveItem.wave_id))
        .where(Wave.state == "running", WaveItem.state == "pending", col(WaveItem.due_at) <= now)
        .order_by(col(WaveItem.due_at), col(WaveItem.id))
        .limit(limit)
    )
    if session.connection().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=WaveItem)  # type: ignore[arg-type]
    else:
        hold_write_lock(session)
    items = list(session.exec(query).all())
    waves: dict[int, Wave] = {}
    for item in items:
        wave = waves.get(item.wave_id) or session.get(Wave, item.wave_id)
        assert wave is not None
        waves[item.wave_id] = wave
        try:
            with session.begin_nested():
                reply = _reply_for(session, wave, item, now)
        except CaseworkError as exc:
            _set_item(item, "skipped", note=str(exc))
        else:
            _set_item(item, "released", reply_id=reply.id)
        session.add(item)
    session.flush()
    for wave in waves.values():
        finish_if_done(session, wave, now)
    return len(items)


def _set_item(item: WaveItem, state: str, **values: Any) -> None:
    item.state = state
    for name, value in values.items():
        setattr(item, name, value)


def _reply_for(session: Session, wave: Wave, item: WaveItem, now: datetime) -> Reply:
    """The mention's own reply, with its author's variables, through the usual gate."""
    case = session.get(Case, item.case_id)
    mention = session.get(Mention, item.mention_id)
    brand = session.get(Brand, wave.brand_id)
    actor = session.get(User, wave.created_by_id)
    if case is None or mention is None or brand is None or actor is None:
        raise WaveError(_l("Ce cas n'existe plus."))
    text, missing = replies.render_canned(
        wave.body, _variables(session, brand, actor, case, mention)
    )
    if missing:
        raise WaveError(_l("Variables inconnues pour cette personne : %(v)s", v=", ".join(missing)))
    canned = session.get(CannedReply, wave.canned_reply_id) if wave.canned_reply_id else None
    draft = replies.ReplyDraft(
        text=text, canned_reply=canned, override_reason=wave.override_reason, mention_id=mention.id
    )
    send = replies.send_reply if replies.reply_mode(case) == "send" else replies.submit_for_approval
    return send(session=session, case=case, brand=brand, actor=actor, draft=draft, now=now)


def finish_if_done(session: Session, wave: Wave, now: datetime) -> None:
    """A running wave with nothing left pending is done (its replies go on in the outbox)."""
    session.refresh(wave)  # a long-lived session may hold it from before a stop or a resume
    if wave.state != "running":
        return
    left = session.exec(
        select(WaveItem.id).where(WaveItem.wave_id == wave.id, WaveItem.state == "pending")
    ).first()
    if left is None:
        move_wave(wave, "done")
        wave.updated_at = now
        session.add(wave)


def _locked(session: Session, wave: Wave) -> Wave:
    """The wave re-read under its row lock (SQLite: the write lock), for one move at a time:
    a no-op UPDATE takes the lock on both databases, then the row is read fresh."""
    session.execute(
        update(Wave)
        .where(col(Wave.id) == wave.id)
        .values(updated_at=col(Wave.updated_at))
        .execution_options(synchronize_session=False)
    )
    session.refresh(wave)
    return wave


def _held_replies(session: Session, wave: Wave, state: str) -> list[tuple[WaveItem, Reply]]:
    return list(
        session.exec(  # type: ignore[call-overload]
            select(WaveItem, Reply)
            .join(Reply, col(Reply.id) == col(WaveItem.reply_id))
            .where(
                WaveItem.wave_id == wave.id,
                col(Reply.outbox_state) == state,
                col(Reply.approval_state) != "pending",
            )
            .with_for_update(of=Reply)  # type: ignore[arg-type]
        ).all()
    )


def stop(*, session: Session, wave: Wave, actor: User, now: datetime | None = None) -> int:
    """Stop a running wave: nothing more is released, queued replies are held back (a reply
    already being posted finishes). Returns how many replies were held."""
    now = now or utcnow()
    _locked(session, wave)
    move_wave(wave, "stopped")
    held = 0
    for item, reply in _held_replies(session, wave, "queued"):
        outbox_states.move(reply, "draft")
        reply.next_attempt_at = None
        session.add(reply)
        _set_item(item, "held")
        session.add(item)
        held += 1
    _record(session, wave, actor, "wave.stopped", now, held=held)
    return held


def resume(*, session: Session, wave: Wave, actor: User, now: datetime | None = None) -> None:
    """Resume a stopped wave: held replies go back to the outbox, pending items are re-paced."""
    now = now or utcnow()
    _locked(session, wave)
    move_wave(wave, "running")
    for item, reply in _held_replies(session, wave, "draft"):
        if item.state == "held":
            outbox_states.release(session=session, reply=reply, now=now)
            _set_item(item, "released")
            session.add(item)
    pending = session.exec(
        select(WaveItem).where(WaveItem.wave_id == wave.id, WaveItem.state == "pending")
    ).all()
    turn: Counter[str] = Counter()
    for item in sorted(pending, key=lambda i: (i.due_at, i.id or 0)):
        item.due_at = now + send_pace.pace(item.platform) * turn[item.platform]
        turn[item.platform] += 1
        session.add(item)
    _record(session, wave, actor, "wave.resumed", now)


def cancel(*, session: Session, wave: Wave, actor: User, now: datetime | None = None) -> None:
    """Cancel what a stopped wave has not sent: held replies are dropped, their cases reopen."""
    now = now or utcnow()
    _locked(session, wave)
    move_wave(wave, "cancelled")
    for item, reply in _held_replies(session, wave, "draft"):
        if item.state != "held":
            continue
        outbox_states.move(reply, "cancelled")
        session.add(reply)
        case = session.get(Case, item.case_id)
        if case is not None and case.status == "waiting":
            case_states.reopen(case)
            session.add(case)
        _set_item(item, "skipped", note="cancelled")
        session.add(item)
    for item in session.exec(
        select(WaveItem).where(WaveItem.wave_id == wave.id, WaveItem.state == "pending")
    ).all():
        _set_item(item, "skipped", note="cancelled")
        session.add(item)
    _record(session, wave, actor, "wave.cancelled", now)


def _record(
    session: Session, wave: Wave, actor: User, action: str, now: datetime, **after: Any
) -> None:
    wave.updated_at = now
    session.add(wave)
    audit.record(
        session=session,
        action=action,
        target_type="wave",
        target_id=wave.id,
        brand_id=wave.brand_id,
        actor=actor,
        after={"state": wave.state, **after},
    )


@dataclass
class Progress:
    """Where a wave's replies stand, for the live progress bar."""

    total: int
    pending: int
    sent: int
    in_outbox: int  # queued or being posted
    approval: int  # waiting for a lead's or the brand's approval
    held: int
    skipped: int
    failed: int

    @property
    def percent(self) -> int:
        finished = self.sent + self.skipped + self.failed
        return int(100 * finished / self.total) if self.total else 100


def progress(*, session: Session, wave: Wave) -> Progress:
    """Counts of the wave's items by where their reply stands."""
    counts: Counter[str] = Counter()
    for state, outbox, approval in session.exec(  # type: ignore[call-overload]
        select(WaveItem.state, Reply.outbox_state, Reply.approval_state)
        .outerjoin(Reply, col(Reply.id) == col(WaveItem.reply_id))
        .where(WaveItem.wave_id == wave.id)
    ).all():
        if state in ("pending", "held", "skipped"):
            counts[state] += 1
        elif approval == "pending":
            counts["approval"] += 1
        elif outbox in ("sent",):
            counts["sent"] += 1
        elif outbox in ("failed", "refused", "cancelled"):
            counts["failed"] += 1
        else:
            counts["in_outbox"] += 1
    return Progress(
        total=sum(counts.values()),
        pending=counts["pending"],
        sent=counts["sent"],
        in_outbox=counts["in_outbox"],
        approval=counts["approval"],
        held=counts["held"],
        skipped=counts["skipped"],
        failed=counts["failed"],
    )
