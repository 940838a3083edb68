"""Onboarding a brand from its history (issue 18, part 7): the wizard's steps, stored per brand.

1. a sector template becomes the brand's first draft; 2. up to 90 days of past mentions are
imported (`history_import`, in the worker); 3. the draft is backtested on them; 4. the draft is
proposed through four-eyes publishing — the brand has no live delegation yet, so its owner
approves it in the portal (`playbook_reviews`); 5. starter canned replies are picked. The
onboarding is done when the owner has approved (the playbook is then published) and the replies
are picked. One open onboarding per brand (a partial unique index): the editor leaves and comes
back to the step reached. Every step is audited.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.models import ONBOARDING_STEPS, Brand, Onboarding, Playbook, PlaybookReview, User, utcnow
from app.services import audit, backtest, content, history_import, playbook_reviews
from app.services import sector_templates as sectors

BACKTEST_RULES = 12  # rules listed on the backtest step (most fired first)


class OnboardingError(ValueError):
    """A step refused for a reason the editor can fix (message in French)."""


def current(session: Session, brand_id: int) -> Onboarding | None:
    """The brand's open onboarding, else its latest finished one."""
    return session.exec(
        select(Onboarding)
        .where(Onboarding.brand_id == brand_id)
        .order_by(col(Onboarding.step) == "done", col(Onboarding.id).desc())
    ).first()


def _record(
    session: Session, ob: Onboarding, action: str, actor: User | None, **after: Any
) -> None:
    audit.record(
        session=session,
        action=action,
        target_type="brand",
        target_id=ob.brand_id,
        brand_id=ob.brand_id,
        actor=actor,
        after={"onboarding": ob.id, "step": ob.step, **after},
    )


def _go(ob: Onboarding, step: str) -> None:
    assert step in ONBOARDING_STEPS
    ob.step = step
    ob.updated_at = utcnow()


def start(session: Session, brand: Brand, actor: User | None) -> Onboarding:
    """Open the brand's onboarding, or return the one already open."""
    found = current(session, brand.id)  # type: ignore[arg-type]
    if found is not None and found.step != "done":
        return found
    ob = Onboarding(brand_id=brand.id, created_by_id=actor.id if actor else None)  # type: ignore[arg-type]
    try:
        with session.begin_nested():
            session.add(ob)
    except IntegrityError:  # another editor opened it meanwhile
        if ob in session:
            session.expunge(ob)
        opened = current(session, brand.id)  # type: ignore[arg-type]
        assert opened is not None
        return opened
    _record(session, ob, "onboarding.started", actor)
    return ob


def _require(ob: Onboarding, *steps: str) -> None:
    if ob.step not in steps:
        raise OnboardingError(
            _l("Cette étape n'est pas ouverte : reprenez l'assistant où il en est.")
        )


def choose_template(
    session: Session, ob: Onboarding, brand: Brand, key: str, actor: User | None
) -> Playbook:
    """Step 1: the sector's template becomes the brand's draft (never published here)."""
    _require(ob, "template", "history")
    if key not in sectors.SECTORS:
        raise OnboardingError(_l("Secteur inconnu : choisissez un des modèles proposés."))
    draft = content.save_playbook(
        session=session, brand=brand, source=sectors.template_source(key, brand), actor=actor
    )
    ob.sector, ob.playbook_id, ob.figures = key, draft.id, None
    _go(ob, "history")
    session.add(ob)
    _record(session, ob, "onboarding.template_chosen", actor, sector=key, playbook=draft.number)
    return draft


def finish_history(session: Session, ob: Onboarding, actor: User | None) -> None:
    """Step 2 done: on to the backtest (an import still running must finish first)."""
    _require(ob, "history")
    if history_import.active(session, ob.brand_id) is not None:
        raise OnboardingError(_l("Un import est en cours : attendez qu'il se termine."))
    _go(ob, "backtest")
    session.add(ob)
    _record(
        session,
        ob,
        "onboarding.history_done",
        actor,
        imported=history_import.imported_count(session, ob.id),  # type: ignore[arg-type]
    )


def draft(session: Session, ob: Onboarding) -> Playbook | None:
    return session.get(Playbook, ob.playbook_id) if ob.playbook_id else None


def backtest_figures(session: Session, ob: Onboarding, brand: Brand) -> dict[str, Any]:
    """Step 3: the draft replayed on the imported history (computed once per draft version)."""
    row = draft(session, ob)
    if row is None:
        raise OnboardingError(_l("Choisissez d'abord un modèle de secteur."))
    if ob.figures and ob.figures.get("version") == row.version:
        return ob.figures
    engine = content._compile_for(session, brand.id, row.source)  # type: ignore[arg-type]
    result = backtest.run_backtest(
        session=session, brand=brand, engine=engine, days=backtest.MAX_DAYS
    )
    rules = sorted(result.rules, key=lambda r: (-r.fired, r.id))
    ob.figures = {
        "version": row.version,
        "total": result.total,
        "truncated": result.truncated,
        "after": {s: result.after[s] for s in result.severities},
        "actions": dict(result.actions),
        "to_brand": result.to_brand,
        "rules": [
            {**r.as_dict(), "label": r.label, "examples": r.false_alarms[:2]}
            for r in rules[:BACKTEST_RULES]
            if r.fired
        ],
        "never_fired": [r.id for r in rules if not r.fired],
    }
    session.add(ob)
    return ob.figures


def finish_backtest(session: Session, ob: Onboarding, brand: Brand, actor: User | None) -> None:
    """Step 3 done: the editor has read the figures."""
    _require(ob, "backtest")
    figures = backtest_figures(session, ob, brand)
    _go(ob, "delegation")
    session.add(ob)
    _record(
        session,
        ob,
        "onboarding.backtested",
        actor,
        total=figures["total"],
        to_brand=figures["to_brand"],
    )


def propose(session: Session, ob: Onboarding, actor: User, comment: str) -> PlaybookReview:
    """Step 4: the draft goes to the brand owner (four eyes; the delegation is the brand's)."""
    _require(ob, "delegation")
    row = draft(session, ob)
    if row is None or row.status != "draft":
        raise OnboardingError(_l("Le brouillon n'est plus disponible : choisissez un modèle."))
    review = playbook_reviews.propose(session=session, playbook=row, actor=actor, comment=comment)
    ob.review_id = review.id
    _go(ob, "replies")
    session.add(ob)
    _record(session, ob, "onboarding.proposed", actor, review=review.id, playbook=row.number)
    return review


def save_replies(
    session: Session, ob: Onboarding, brand: Brand, picked: list[str], actor: User | None
) -> list[str]:
    """Step 5: install the picked starter replies."""
    _require(ob, "replies")
    known = {r.key for r in sectors.starter_replies(ob.sector or "")}
    unknown = [k for k in picked if k not in known]
    if unknown:
        raise OnboardingError(_l("Réponse type inconnue : %(key)s.", key=unknown[0][:80]))
    ob.replies = sectors.install_replies(
        session=session, brand=brand, key=ob.sector or "", picked=picked, actor=actor
    )
    ob.replies_saved = True
    ob.updated_at = utcnow()
    session.add(ob)
    refresh(session, ob, actor)
    return ob.replies


def review(session: Session, ob: Onboarding) -> PlaybookReview | None:
    return session.get(PlaybookReview, ob.review_id) if ob.review_id else None


def refresh(session: Session, ob: Onboarding, actor: User | None = None) -> Onboarding:
    """Follow the owner's decision: approved (published) and replies picked → done; refused or
    withdrawn → back to step 4, where the editor corrects the draft and proposes again."""
    if ob.step != "replies":
        return ob
    decided = review(session, ob)
    if decided is None or decided.state == "pending":
        return ob
    if decided.state in ("rejected", "withdrawn"):
        _go(ob, "delegation")
        session.add(ob)
        _record(session, ob, "onboarding.refused", actor, review=decided.id)
    elif decided.state == "approved" and ob.replies_saved:
        _go(ob, "done")
        ob.finished_at = utcnow()
        session.add(ob)
        _record(session, ob, "onboarding.done", actor, review=decided.id)
    return ob


def delegation_rules(source: str) -> list[dict[str, Any]]:
    """The draft's delegation rules as the wizard lists them (id, note, action, approver)."""
    rules, _table = playbook_reviews.delegation_sections(source)
    return [r for r in rules or [] if isinstance(r, dict)]
