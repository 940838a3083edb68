"""Four-eyes publishing of playbook versions (issue 18, part 4).

An editor proposes a draft; a lead or the brand's owner — never the proposer nor the version's
author — approves it (it is then published) or rejects it (it goes back to being a draft),
with a comment. A version whose `delegation:` section differs from the live one needs the
brand owner's approval: delegation is the brand's authority. A rollback re-publishes an
earlier version's text as a new version, through the same approval. Nothing here publishes
without an approval; the decision locks the brand and the proposal so two approvers deciding
at once get one outcome. This module is the only writer of `PlaybookReview.state`.
"""

from __future__ import annotations

from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

import playbooks
from app.models import Brand, Playbook, PlaybookReview, User, utcnow
from app.security.access import BrandScope
from app.services import audit, backtest, content, playbook_states
from app.services.case_locks import hold_write_lock

REVIEW_MOVES: dict[str, frozenset[str]] = {
    "pending": frozenset({"approved", "rejected", "withdrawn"}),
    "approved": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
APPROVE_LEAD = "approve.lead"
APPROVE_BRAND = "approve.brand"
EDIT = "playbook.edit"
FIGURES_DAYS = 30
MAX_COMMENT = 2000


class ReviewError(ValueError):
    """A refusal the user can understand (message in French)."""


class ReviewForbidden(ReviewError):
    """The actor may not take this decision (their own change, or delegation without the brand)."""


def _move(review: PlaybookReview, target: str) -> None:
    if target not in REVIEW_MOVES[review.state]:
        raise ReviewError(_l("Cette proposition a déjà été décidée."))
    review.state = target


def live_version(session: Session, brand_id: int, kind: str) -> Playbook | None:
    """The published version a proposal of this kind would replace (a first crisis variant is
    compared with the normal playbook it starts from)."""
    for wanted in (kind, "normal"):
        row = session.exec(
            select(Playbook).where(
                Playbook.brand_id == brand_id,
                Playbook.status == "published",
                Playbook.kind == wanted,
            )
        ).first()
        if row is not None:
            return row
    return None


def delegation_sections(source: str) -> tuple[Any, Any]:
    """The playbook's `delegation:` rules and `severities:` table, as data (None when absent
    or when the text does not parse)."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    # The per-severity table (what the agency does alone, what the brand approves) is
    # delegation too: the delegation form writes it.
    return data.get("delegation"), data.get("severities")


def delegation_changed(old_source: str | None, new_source: str) -> bool:
    """Whether the `delegation:` or `severities:` section differs (as data, not as text)."""
    return delegation_sections(old_source or "") != delegation_sections(new_source)


def _figures(session: Session, brand: Brand, source: str) -> dict[str, Any]:
    engine = content._compile_for(session, brand.id, source)  # type: ignore[arg-type]
    result = backtest.run_backtest(session=session, brand=brand, engine=engine, days=FIGURES_DAYS)
    return {
        "days": result.days,
        "total": result.total,
        "before": {s: result.before[s] for s in result.severities},
        "after": {s: result.after[s] for s in result.severities},
        "changed": result.changed_count,
        "overrides": result.overrides,
        "agrees": result.draft_agrees,
        "baseline_agrees": result.baseline_engine_agrees,
    }


def _locked_playbook(session: Session, playbook_id: int) -> Playbook:
    query = select(Playbook).where(Playbook.id == playbook_id).with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).one()


def propose(
    *,
    session: Session,
    playbook: Playbook,
    actor: User,
    comment: str = "",
    rollback_of: Playbook | None = None,
) -> PlaybookReview:
    """Put a draft before a second pair of eyes; it stays unpublished until approved."""
    playbook = _locked_playbook(session, playbook.id)  # type: ignore[arg-type]
    if playbook.status != "draft":
        raise ReviewError(_l("Seul un brouillon peut être proposé à la publication."))
    brand = session.get(Brand, playbook.brand_id)
    assert brand is not None
    live = live_version(session, brand.id, playbook.kind)  # type: ignore[arg-type]
    review = PlaybookReview(
        brand_id=brand.id,  # type: ignore[arg-type]
        playbook_id=playbook.id,  # type: ignore[arg-type]
        needs_brand=delegation_changed(live.source if live else None, playbook.source),
        rollback_of_id=rollback_of.id if rollback_of else None,
        comment=comment.strip()[:MAX_COMMENT],
        proposed_by_id=actor.id,
        figures=_figures(session, brand, playbook.source),
    )
    playbook_states.move(playbook, "proposed")
    session.add(playbook)
    session.add(review)
    session.flush()
    audit.record(
        session=session,
        action="playbook.proposed",
        target_type="playbook",
        target_id=playbook.id,
        brand_id=brand.id,
        actor=actor,
        before={"live": live.number} if live else None,
        after={
            "number": playbook.number,
            "review": review.id,
            "needs_brand": review.needs_brand,
            "rollback_of": rollback_of.number if rollback_of else None,
        },
        note=review.comment or None,
    )
    return review


def rollback(
    *, session: Session, target: Playbook, actor: User, comment: str = ""
) -> PlaybookReview:
    """Propose an earlier version's text again, as a new version (same approval as any change)."""
    if target.status in ("draft", "proposed"):
        raise ReviewError(_l("Seule une version déjà publiée peut être restaurée."))
    live = live_version(session, target.brand_id, target.kind)
    if live is not None and live.id == target.id:
        raise ReviewError(_l("Cette version est celle qui est publiée."))
    brand = session.get(Brand, target.brand_id)
    assert brand is not None
    row = content.save_playbook(
        session=session, brand=brand, source=target.source, actor=actor, kind=target.kind
    )
    note = comment.strip() or str(_l("Retour à la version n° %(n)s.", n=target.number))
    return propose(session=session, playbook=row, actor=actor, comment=note, rollback_of=target)


def refusal(review: PlaybookReview, playbook: Playbook, actor: User, scope: BrandScope) -> str:
    """Why `actor` may not decide this proposal, or "" when they may."""
    if actor.id in (review.proposed_by_id, playbook.created_by_id):
        return str(_l("Vous ne pouvez pas approuver votre propre modification."))
    if review.needs_brand and not scope.can(APPROVE_BRAND, review.brand_id):
        return str(
            _l("Cette version change la délégation : seul le responsable de la marque décide.")
        )
    if not (scope.can(APPROVE_LEAD, review.brand_id) or scope.can(APPROVE_BRAND, review.brand_id)):
        return str(_l("Seuls un superviseur ou le responsable de la marque décident."))
    return ""


def _lock(session: Session, review: PlaybookReview) -> tuple[PlaybookReview, Playbook]:
    # Brand first (two proposals of one brand approved at once publish one after the other),
    # then the proposal: the second decider waits, then sees it decided. SQLite has no row
    # locks: the database's write lock, taken before reading, does the same there.
    if session.get_bind().dialect.name == "sqlite":
        hold_write_lock(session)
    session.exec(select(Brand.id).where(Brand.id == review.brand_id).with_for_update()).one()
    locked = session.exec(
        select(PlaybookReview)
        .where(PlaybookReview.id == review.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return locked, _locked_playbook(session, locked.playbook_id)


def decide(
    *,
    session: Session,
    review: PlaybookReview,
    actor: User,
    scope: BrandScope,
    approve: bool,
    comment: str = "",
) -> PlaybookReview:
    """Approve (publish) or reject (back to draft) a pending proposal; one outcome per proposal."""
    review, playbook = _lock(session, review)
    if review.state != "pending":
        raise ReviewError(_l("Cette proposition a déjà été décidée."))
    comment = comment.strip()[:MAX_COMMENT]
    if not approve and not comment:
        raise ReviewError(_l("Indiquez la raison du refus : l'éditeur la lira."))
    # Delegation is judged against what is live now (another proposal may have been published).
    live = live_version(session, review.brand_id, playbook.kind)
    review.needs_brand = delegation_changed(live.source if live else None, playbook.source)
    reason = refusal(review, playbook, actor, scope)
    if reason:
        raise ReviewForbidden(reason)
    _move(review, "approved" if approve else "rejected")
    review.decided_by_id = actor.id
    review.decided_at = utcnow()
    review.decision_comment = comment
    session.add(review)
    audit.record(
        session=session,
        action="playbook.approved" if approve else "playbook.rejected",
        target_type="playbook",
        target_id=playbook.id,
        brand_id=review.brand_id,
        actor=actor,
        after={"number": playbook.number, "review": review.id, "needs_brand": review.needs_brand},
        note=comment or None,
    )
    if approve:
        try:
            content.publish_playbook(session=session, playbook=playbook, actor=actor)
        except playbooks.PlaybookError as exc:  # e.g. a lexicon it names was deleted since
            raise ReviewError(
                _l("Cette version ne se charge plus : refusez-la et corrigez le brouillon.")
            ) from exc
    else:
        playbook_states.move(playbook, "draft")
        session.add(playbook)
    session.flush()
    return review


def withdraw(*, session: Session, review: PlaybookReview, actor: User) -> PlaybookReview:
    """The proposer takes their proposal back; the version is a draft again."""
    review, playbook = _lock(session, review)
    if actor.id != review.proposed_by_id:
        raise ReviewForbidden(_l("Seul l'auteur de la proposition peut la retirer."))
    _move(review, "withdrawn")
    review.decided_by_id, review.decided_at = actor.id, utcnow()
    playbook_states.move(playbook, "draft")
    session.add_all([review, playbook])
    audit.record(
        session=session,
        action="playbook.withdrawn",
        target_type="playbook",
        target_id=playbook.id,
        brand_id=review.brand_id,
        actor=actor,
        after={"number": playbook.number, "review": review.id},
    )
    session.flush()
    return review


def pending(session: Session, brand_ids: list[int]) -> list[PlaybookReview]:
    return list(
        session.exec(
            select(PlaybookReview)
            .where(col(PlaybookReview.brand_id).in_(brand_ids), PlaybookReview.state == "pending")
            .order_by(col(PlaybookReview.proposed_at))
        )
    )


def recent(session: Session, brand_ids: list[int], limit: int = 20) -> list[PlaybookReview]:
    return list(
        session.exec(
            select(PlaybookReview)
            .where(col(PlaybookReview.brand_id).in_(brand_ids), PlaybookReview.state != "pending")
            .order_by(col(PlaybookReview.decided_at).desc())
            .limit(limit)
        )
    )


def open_review(session: Session, playbook_id: int) -> PlaybookReview | None:
    return session.exec(
        select(PlaybookReview).where(
            PlaybookReview.playbook_id == playbook_id, PlaybookReview.state == "pending"
        )
    ).first()
