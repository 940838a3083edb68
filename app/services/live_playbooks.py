"""The playbook that triages a brand now, read cheaply with each triage batch.

A batch reads the brand and its live playbook's row in one statement, without the playbook's
text (tens of kilobytes of YAML): a published playbook's text never changes (only a draft's
does), so the compiled engine is found by the row's id and version, and the text is read
only by a process that has not compiled that version yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app.models import Brand, Playbook
from app.services import crisis
from app.services.brand_lexicons import stored_for_playbook
from app.services.compiled_playbooks import compile_playbook

# What compiling a published playbook needs of it (its text), by (row id, version).
_SOURCES: dict[tuple[int, str], str] = {}
_SOURCES_MAX = 256


def live_playbook(*, session: Session, brand_id: int) -> Playbook | None:
    """The row of the playbook that triages the brand now (``content.published_playbook``):
    the published crisis variant while the brand is in crisis mode, else the normal one."""
    query = select(Playbook).where(Playbook.brand_id == brand_id, Playbook.status == "published")
    return crisis.live_choice(list(session.exec(query)), session=session, brand_id=brand_id)


# Built once: every triage batch runs it (building it and its cache key cost ~0.1 ms).
_BRAND_AND_PLAYBOOKS = (
    select(Brand, Playbook)
    .outerjoin(
        Playbook,
        and_(col(Playbook.brand_id) == col(Brand.id), col(Playbook.status) == "published"),
    )
    .options(defer(Playbook.source))  # type: ignore[arg-type]
    .where(col(Brand.id) == bindparam("brand_id"))
)


def brand_and_playbook(*, session: Session, brand_id: int) -> tuple[Brand, Playbook | None]:
    """A brand and its live playbook's row (`live_playbook`) in one statement, the playbook's
    text not read until `engine_for` needs it."""
    rows = session.exec(_BRAND_AND_PLAYBOOKS, params={"brand_id": brand_id}).all()
    if not rows:
        raise LookupError(f"no brand {brand_id}")
    published = [row for _, row in rows if row is not None]
    return rows[0][0], crisis.live_choice(published, session=session, brand_id=brand_id)


def engine_for(*, session: Session, playbook: Playbook) -> Any:
    """The compiled engine of a playbook row (compiled once per process, as every playbook
    text is: ``compiled_playbooks``), keyed on the brand's stored lexicons it names too."""
    if playbook.status != "published" or playbook.id is None:
        source = playbook.source  # a draft's text may change: read it each time
    else:
        key = (playbook.id, playbook.version)
        source = _SOURCES.get(key)  # type: ignore[assignment]
        if source is None:
            source = playbook.source  # loaded now (deferred)
            if len(_SOURCES) >= _SOURCES_MAX:
                _SOURCES.clear()
            _SOURCES[key] = source
    lexicons = stored_for_playbook(session=session, brand_id=playbook.brand_id, source=source)
    return compile_playbook(source, lexicons)
