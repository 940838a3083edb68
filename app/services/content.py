"""Playbook versions and canned replies: drafting, publishing, and the shipped starter content."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import playbooks
from app.models import Brand, CannedReply, CannedReplyVersion, Playbook, User, utcnow
from app.services import audit, live_playbooks, playbook_states
from app.services import brand_dictionary as dictionary_terms
from app.services.brand_lexicons import stored_for_playbook
from app.services.compiled_playbooks import compile_playbook

if TYPE_CHECKING:
    from canned_replies import Finding

log = logging.getLogger(__name__)


def _compile_for(session: Session, brand_id: int, source: str) -> Any:
    stored = stored_for_playbook(session=session, brand_id=brand_id, source=source)
    return compile_playbook(source, stored)


def warm_up_playbooks(engine: Engine) -> float:
    """Compile every brand's published playbook into this process's cache; seconds spent.
    `vigie run` calls it before forking its workers. A playbook that does not compile is left
    for triage to report (its fallback), not an error at start."""
    started = time.perf_counter()
    with Session(engine) as session:
        brand_ids = session.exec(
            select(Playbook.brand_id).where(col(Playbook.status) == "published").distinct()
        ).all()
        for brand_id in brand_ids:
            try:
                published_playbook(session=session, brand_id=brand_id)
            except Exception:
                log.exception("playbook of brand %s not compiled at start", brand_id)
        # Their scenario labels too (parsed from the YAML, ~40 ms a playbook): otherwise each
        # worker's first queue page parsed them while its other queue pages waited for its rows.
        scenario_labels(session=session, brand_ids=list(brand_ids))
    return time.perf_counter() - started


def known_reply_keys(*, session: Session, brand_id: int) -> set[str]:
    return set(session.exec(select(CannedReply.key).where(CannedReply.brand_id == brand_id)).all())


def save_playbook(
    *,
    session: Session,
    brand: Brand,
    source: str,
    actor: User | None,
    publish: bool = False,
    kind: str = "normal",
) -> Playbook:
    """Validate and store a new playbook version; publishing archives the previous one.

    Raises playbooks.PlaybookError (naming file, line and column) when the text is invalid:
    an invalid playbook is never stored as published.
    """
    compiled = _compile_for(session, brand.id, source)  # type: ignore[arg-type]
    number = (
        session.exec(select(func.max(Playbook.number)).where(Playbook.brand_id == brand.id)).one()
        or 0
    ) + 1
    row = Playbook(
        brand_id=brand.id,  # type: ignore[arg-type]
        number=number,
        version=compiled.version,
        source=source,  # type: ignore[arg-type]
        status="draft",
        kind="crisis" if kind == "crisis" else "normal",
        created_by_id=actor.id if actor else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        action="playbook.saved",
        target_type="playbook",
        target_id=row.id,
        brand_id=brand.id,
        actor=actor,
        after={"number": number, "version": row.version, "kind": row.kind},
    )
    if publish:
        publish_playbook(session=session, playbook=row, actor=actor)
    return row


def publish_playbook(*, session: Session, playbook: Playbook, actor: User | None) -> None:
    """Make a stored version the brand's live playbook (or its live crisis variant).

    Web users reach this only through `playbook_reviews.approve` (four eyes); installs by the
    system (shipped content, demo seeding) call it directly.
    """
    _compile_for(session, playbook.brand_id, playbook.source)
    previous = session.exec(
        select(Playbook).where(
            Playbook.brand_id == playbook.brand_id,
            Playbook.status == "published",
            Playbook.kind == playbook.kind,
        )
    ).all()
    for old in previous:
        playbook_states.move(old, "archived")
        session.add(old)
    playbook_states.move(playbook, "published")
    playbook.published_at = utcnow()
    playbook.published_by_id = actor.id if actor else None
    session.add(playbook)
    audit.record(
        session=session,
        action="playbook.published",
        target_type="playbook",
        target_id=playbook.id,
        brand_id=playbook.brand_id,
        actor=actor,
        before={"number": previous[0].number} if previous else None,
        after={"number": playbook.number, "version": playbook.version, "kind": playbook.kind},
    )


def published_playbook(*, session: Session, brand_id: int) -> tuple[Playbook, Any] | None:
    """The playbook that triages the brand now and its compiled engine, or None: the published
    crisis variant while the brand is in crisis mode, else the published normal one."""
    row = live_playbooks.live_playbook(session=session, brand_id=brand_id)
    if row is None:
        return None
    return row, live_playbooks.engine_for(session=session, playbook=row)


def upsert_canned_reply(
    *,
    session: Session,
    brand: Brand,
    key: str,
    language: str,
    title: str,
    body: str,
    scenarios: list[str],
    channels: list[str],
    status: str,
    actor: User | None,
) -> CannedReply:
    """Create or update a canned reply, keeping every version."""
    reply = session.exec(
        select(CannedReply).where(
            CannedReply.brand_id == brand.id,
            CannedReply.key == key,
            CannedReply.language == language,
        )
    ).first()
    before = None
    if reply is None:
        reply = CannedReply(
            brand_id=brand.id,  # type: ignore[arg-type]
            key=key,
            language=language,
            title=title,
            body=body,  # type: ignore[arg-type]
            scenarios=scenarios,
            channels=channels,
            status=status,
            version=1,
            updated_by_id=actor.id if actor else None,
        )
    else:
        if (reply.title, reply.body, reply.scenarios, reply.channels, reply.status) == (
            title,
            body,
            scenarios,
            channels,
            status,
        ):
            return reply
        before = {"version": reply.version, "body": reply.body, "status": reply.status}
        reply.title, reply.body, reply.scenarios = title, body, scenarios
        reply.channels, reply.status = channels, status
        reply.version += 1
        reply.updated_at = utcnow()
        reply.updated_by_id = actor.id if actor else None
    session.add(reply)
    session.flush()
    session.add(
        CannedReplyVersion(
            brand_id=brand.id,  # type: ignore[arg-type]
            canned_reply_id=reply.id,  # type: ignore[arg-type]
            version=reply.version,
            title=title,
            body=body,
            scenarios=scenarios,
            status=status,
            changed_by_id=actor.id if actor else None,
        )
    )
    audit.record(
        session=session,
        action="canned_reply.saved",
        target_type="canned_reply",
        target_id=reply.id,
        brand_id=brand.id,
        actor=actor,
        before=before,
        after={
            "key": key,
            "language": language,
            "version": reply.version,
            "body": body,
            "status": status,
        },
    )
    return reply


def install_library_reply(*, session: Session, brand: Brand, item: Any, actor: User | None) -> None:
    """One reply of a shipped library (`canned_replies.load_library`) into the brand's replies."""
    upsert_canned_reply(
        session=session,
        brand=brand,
        key=item.key,
        language=item.language,
        title=item.title,
        body=item.body,
        scenarios=list(item.scenarios),
        channels=list(item.channels),
        status=item.status,
        actor=actor,
    )


def install_shipped_content(*, session: Session, brand: Brand, actor: User | None = None) -> None:
    """Load the starter canned replies and publish the shipped playbook for a demo brand."""
    import canned_replies

    for item in canned_replies.load_library(canned_replies.shipped_library_path(brand.slug)):
        install_library_reply(session=session, brand=brand, item=item, actor=actor)
    source = playbooks.shipped_playbook_path(brand.slug).read_text(encoding="utf-8")
    save_playbook(session=session, brand=brand, source=source, actor=actor, publish=True)


class ContentError(ValueError):
    """A content action refused for a reason the editor can fix (message in French)."""


def update_playbook_draft(
    *, session: Session, playbook: Playbook, source: str, actor: User | None
) -> Playbook:
    """Replace a draft's text in place (published and archived versions never change).

    Raises playbooks.PlaybookError when the text is invalid, ContentError when not a draft.
    """
    if playbook.status != "draft":
        raise ContentError(
            _l("Seul un brouillon peut être modifié : enregistrez un nouveau brouillon.")
        )
    compiled = _compile_for(session, playbook.brand_id, source)
    if source == playbook.source:
        return playbook
    before = {"version": playbook.version}
    playbook.source = source
    playbook.version = compiled.version
    playbook.created_by_id = actor.id if actor else playbook.created_by_id
    session.add(playbook)
    audit.record(
        session=session,
        action="playbook.draft_updated",
        target_type="playbook",
        target_id=playbook.id,
        brand_id=playbook.brand_id,
        actor=actor,
        before=before,
        after={"number": playbook.number, "version": playbook.version},
    )
    return playbook


def approve_canned_reply(
    *,
    session: Session,
    reply: CannedReply,
    actor: User | None,
    blocking: Sequence[Finding],
    unproofread: bool = False,
    override_reason: str = "",
) -> CannedReply:
    """Approve a canned reply; blocking findings (or no proofreading) need an override reason.

    `blocking` are the findings that stop the current body; approved over them, the new
    version keeps them and the reason (like a sent reply) for the overridden-rules report.
    """
    reason = override_reason.strip()
    overridden = bool(blocking) or unproofread
    if overridden and not reason:
        raise ContentError(
            _l(
                "La relecture signale des fautes : corrigez-les "
                "ou indiquez la raison de l'approbation."
            )
        )
    if reply.status == "approved":
        return reply
    brand = session.get(Brand, reply.brand_id)
    assert brand is not None
    upsert_canned_reply(
        session=session,
        brand=brand,
        key=reply.key,
        language=reply.language,
        title=reply.title,
        body=reply.body,
        scenarios=list(reply.scenarios),
        channels=list(reply.channels),
        status="approved",
        actor=actor,
    )
    if overridden:
        version = session.exec(
            select(CannedReplyVersion).where(
                CannedReplyVersion.canned_reply_id == reply.id,
                CannedReplyVersion.version == reply.version,
            )
        ).one()
        version.proofreading = [f.to_dict() for f in blocking]
        version.proofreading_override = reason[:2000]
        session.add(version)
    audit.record(
        session=session,
        action="canned_reply.approved",
        target_type="canned_reply",
        target_id=reply.id,
        brand_id=reply.brand_id,
        actor=actor,
        after={
            "version": reply.version,
            "findings": len(blocking),
            "rules": sorted({f.rule for f in blocking}),
            "unproofread": unproofread,
            "overridden": overridden,
        },
        note=reason if overridden else None,
    )
    return reply


@lru_cache(maxsize=32)
def _shipped_dictionary(slug: str) -> tuple[str, ...]:
    import canned_replies

    try:
        return tuple(canned_replies.load_dictionary(canned_replies.shipped_library_path(slug)))
    except (ValueError, OSError):
        return ()  # brands without a shipped library keep their own words only


def brand_dictionary(brand: Brand) -> list[str]:
    """Words proofreading accepts for a brand: its name, its settings, its shipped dictionary."""
    words = [w for w in re.split(r"[\s()]+", brand.name) if w]
    words += dictionary_terms.words(brand)  # the brand dictionary screen's terms
    return words + list(_shipped_dictionary(brand.slug))


_LABELS_BY_VERSION: dict[str, dict[str, str]] = {}


def _labels_from_source(source: str) -> dict[str, str]:
    data = yaml.safe_load(source) or {}
    scenarios = data.get("scenarios") if isinstance(data, dict) else None
    return {
        str(s["id"]): str(s.get("label") or s["id"])
        for s in scenarios or []
        if isinstance(s, dict) and "id" in s
    }


# Built once: every page that shows scenarios reads it.
_PUBLISHED_VERSIONS = (
    select(Playbook.brand_id, Playbook.version, Playbook.id)
    .where(
        col(Playbook.brand_id).in_(bindparam("brand_ids", expanding=True)),
        Playbook.status == "published",
    )
    .order_by(col(Playbook.kind).desc())
)


def scenario_labels(*, session: Session, brand_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per brand, scenario id → label of its published playbook.

    One small query for the versions; a playbook's text is read (not compiled) only the first
    time its version is seen by this process.
    """
    # Normal versions first: a crisis variant's labels add its extra scenarios on top.
    published = session.exec(_PUBLISHED_VERSIONS, params={"brand_ids": brand_ids}).all()
    for _brand_id, version, playbook_id in published:
        if version not in _LABELS_BY_VERSION:
            row = session.get(Playbook, playbook_id)
            _LABELS_BY_VERSION[version] = _labels_from_source(row.source) if row else {}
    labels: dict[int, dict[str, str]] = {}
    for brand_id, version, _ in published:
        labels[brand_id] = {**labels.get(brand_id, {}), **_LABELS_BY_VERSION[version]}
    return {brand_id: labels.get(brand_id, {}) for brand_id in brand_ids}
