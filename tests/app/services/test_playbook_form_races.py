"""Two editors saving playbook forms on the same version at once: one new draft, one refusal
(the view's 409), nothing lost silently (issue 18, part 6). Real threads; PostgreSQL in CI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, Brand, Playbook, User
from app.services import content, playbook_forms
from app.services import playbook_form_edits as edits
from tests.app.views.test_playbook_forms import SOURCE
from tests.factories import make_brand, make_user
from tests.races import race

pytestmark = pytest.mark.db


@pytest.fixture
def setup(session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    first = make_user(session, brand, role="playbook_editor", email="one@rail.test")
    second = make_user(session, brand, role="playbook_editor", email="two@rail.test")
    live = content.save_playbook(
        session=session, brand=brand, source=SOURCE, actor=None, publish=True
    )
    session.commit()
    return brand, live, first, second


def _saver(brand_id: int, base_id: int, user_id: int, form: str):
    """An editor who opened the form on version 1 and saves it once the other is ready too."""

    def save(session: Session, ready: Callable[[], Any]) -> int:
        brand, base = session.get(Brand, brand_id), session.get(Playbook, base_id)
        actor = session.get(User, user_id)
        if form == "term":
            edited, changes = edits.edit_term(base.source, "retard", "terms", "panne", False)
        else:
            minutes = {"S0": None, "S1": 90, "S2": 30, "S3": 60, "S4": 10}
            edited, changes = edits.edit_sla(base.source, minutes)
        ready()
        draft = playbook_forms.save_form_draft(
            session=session,
            brand=brand,
            base=base,
            source=edited,
            actor=actor,
            seen_number=1,
            form=form,
            changes=changes,
        )
        return draft.number

    return save


def test_two_editors_saving_forms_at_once_make_one_draft(engine, session, setup):
    brand, live, first, second = setup

    outcomes = race(
        engine,
        _saver(brand.id, live.id, first.id, "term"),
        _saver(brand.id, live.id, second.id, "sla"),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["StaleForm", "int"]
    (stale,) = [o for o in outcomes if isinstance(o, playbook_forms.StaleForm)]
    assert stale.number == 2  # the loser is told which version beat them
    session.expire_all()
    drafts = session.exec(select(Playbook).where(Playbook.status == "draft")).all()
    assert [d.number for d in drafts] == [2]
    winner = "term" if isinstance(outcomes[0], int) else "sla"
    assert ('"panne"' in drafts[0].source) == (winner == "term")
    assert ("S4: 10" in drafts[0].source) == (winner == "sla")
    saved = session.exec(select(AuditEvent).where(AuditEvent.action == "playbook.form_saved")).all()
    assert [e.after["form"] for e in saved] == [winner]
