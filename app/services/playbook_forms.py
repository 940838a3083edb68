"""Storing what a playbook form changed as a new draft version (issue 18, part 6).

The form edits the text of the version it was opened on (playbook_form_edits); saving stores
the result as a new draft, never published (the draft then goes through the backtest and the
four-eyes review like any other). A form opened before another version of the same variant was
saved is refused (StaleForm) rather than silently undoing that version: the brand row is
locked while checking, so two editors saving at once get one draft and one refusal.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from app.models import Brand, Playbook, User
from app.services import audit, content
from app.services.case_locks import hold_write_lock


class StaleForm(Exception):
    """Another version was saved since the form was opened; `number` is the newest one."""

    def __init__(self, number: int) -> None:
        super().__init__(f"version {number} saved since")
        self.number = number


class NoChange(Exception):
    """The form changes nothing in the text."""


def latest_number(session: Session, brand_id: int, kind: str) -> int:
    """The number of the brand's newest version of this variant (0 when none)."""
    query = select(func.max(Playbook.number)).where(
        Playbook.brand_id == brand_id, Playbook.kind == kind
    )
    return int(session.exec(query).one() or 0)


def latest_version(session: Session, brand_id: int, kind: str) -> Playbook | None:
    """The brand's newest version of this variant."""
    query = select(Playbook).where(Playbook.brand_id == brand_id, Playbook.kind == kind)
    return session.exec(query.order_by(Playbook.number.desc())).first()  # type: ignore[attr-defined]


def _lock_brand(session: Session, brand_id: int) -> None:
    """PostgreSQL: the brand row FOR UPDATE; SQLite: the write lock, taken before reading."""
    if session.get_bind().dialect.name == "sqlite":
        hold_write_lock(session)
    session.exec(select(Brand.id).where(Brand.id == brand_id).with_for_update()).one()


def save_form_draft(
    *,
    session: Session,
    brand: Brand,
    base: Playbook,
    source: str,
    actor: User | None,
    seen_number: int,
    form: str,
    changes: dict[str, Any],
) -> Playbook:
    """Store `source` (the base version's text with the form's blocks changed) as a new draft.

    Raises StaleForm when a version of the same variant was saved after `seen_number`,
    NoChange when the text is the base's, playbooks.PlaybookError when it does not load."""
    if source == base.source or not changes:
        raise NoChange()
    _lock_brand(session, brand.id)  # type: ignore[arg-type]
    newest = latest_number(session, brand.id, base.kind)  # type: ignore[arg-type]
    if newest != seen_number:
        raise StaleForm(newest)
    draft = content.save_playbook(
        session=session, brand=brand, source=source, actor=actor, publish=False, kind=base.kind
    )
    audit.record(
        session=session,
        action="playbook.form_saved",
        target_type="playbook",
        target_id=draft.id,
        brand_id=brand.id,
        actor=actor,
        before={"number": base.number, "version": base.version},
        after={"number": draft.number, "form": form, "changes": changes},
    )
    return draft
