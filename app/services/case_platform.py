"""What a case page shows about platform actions beyond a public reply: the messaging window of
a conversation and private replies to comments (deletes are moderation actions, under each
mention: `app/services/moderation_actions.py`), and the list of
mentions a playbook rule hid (the "Masqués par règle" review list, one click to undo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import Case, Mention, Triage, User, utcnow
from app.services import audit, meta_messaging, queue_changes
from app.services.claims import CaseworkError

#: How far back the "hidden by rule" list looks.
RULE_LIST_DAYS = 30


@dataclass
class PlatformPanel:
    window: meta_messaging.Window | None = None
    offers: list[meta_messaging.PrivateReplyOffer] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.window or self.offers)


def panel(
    session: Session,
    case: Case,
    now: datetime | None = None,
    latest: list[Mention] | None = None,
    every: bool = False,
) -> PlatformPanel:
    """The platform panel; `latest`: the case's 50 newest mentions, newest first, when the
    caller has read them already (the case page has; `every`: they are all of the case's)."""
    now = now or utcnow()
    mentions = latest
    if mentions is None:
        mentions = list(
            session.exec(
                select(Mention)
                .where(Mention.case_id == case.id)
                .order_by(col(Mention.posted_at).desc(), col(Mention.id).desc())
                .limit(50)
            )
        )
    return PlatformPanel(
        window=meta_messaging.window(session, case, now, mentions, every and latest is not None),
        offers=meta_messaging.private_reply_offers(session, case, mentions, now),
    )


def auto_moderation_on(settings: dict | None) -> bool:
    """The brand's switch for rules that hide at ingest (on unless turned off)."""
    return bool((settings or {}).get("auto_moderation", True))


@dataclass(frozen=True)
class RuleHidden:
    mention: Mention
    scenarios: list[str]
    hidden_at: datetime


def hidden_by_rule(
    session: Session, brand_ids: list[int], now: datetime | None = None
) -> list[RuleHidden]:
    """Mentions a playbook rule decided to hide (`hide`), newest first: hidden ones (to undo)
    and, where the brand turned automatic hiding off, the ones waiting for a CM to hide."""
    since = (now or utcnow()) - timedelta(days=RULE_LIST_DAYS)
    rows = session.exec(
        select(Mention, Triage)
        .join(Triage, col(Triage.mention_id) == col(Mention.id))
        .where(
            col(Mention.brand_id).in_(brand_ids),
            Triage.source == "engine",
            Triage.action == "hide",
            Triage.created_at >= since,
        )
        .order_by(col(Triage.created_at).desc())
        .limit(200)
    ).all()
    seen: set[int] = set()
    found = []
    for mention, triage in rows:
        if mention.id in seen or _undone(session, mention):
            continue
        seen.add(mention.id)  # type: ignore[arg-type]
        found.append(RuleHidden(mention, list(triage.scenarios), triage.created_at))
    return found


def _undone(session: Session, mention: Mention) -> bool:
    """A CM already reviewed it (undid the hide, or hid it by hand)."""
    from app.models import AuditEvent

    return (
        session.exec(
            select(AuditEvent.id).where(
                AuditEvent.target_type == "mention",
                AuditEvent.target_id == mention.id,
                col(AuditEvent.action).in_(
                    ("mention.rule_hide_undone", "mention.rule_hide_confirmed")
                ),
            )
        ).first()
        is not None
    )


def review_rule_hide(*, session: Session, mention: Mention, actor: User, keep_hidden: bool) -> None:
    """A CM's one click on a rule's hide: undo it (unhidden on the platform by the worker), or
    keep it hidden (and hide it now where the brand's automatic hiding is off).

    Compare-and-set on `hidden`: of two people undoing at once, one does it, the other is told.
    """
    changed = session.exec(  # type: ignore[call-overload]
        queue_changes.declare(update(Mention), [mention.brand_id])
        .where(col(Mention.id) == mention.id, col(Mention.hidden) == (not keep_hidden))
        .values(hidden=keep_hidden, hide_state="pending", hide_error=None)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1 and not keep_hidden:
        raise CaseworkError(_l("Cette mention n'est pas masquée."))
    session.refresh(mention)
    audit.case_event(
        session=session,
        action="mention.rule_hide_confirmed" if keep_hidden else "mention.rule_hide_undone",
        target_type="mention",
        target_id=mention.id,
        actor=actor,
        case=audit.case_of(mention),
        before={"hidden": not keep_hidden if changed.rowcount else keep_hidden},
        after={"hidden": keep_hidden},
    )
