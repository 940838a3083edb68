"""What the case page reads in fewer statements says the same as the reads it replaced: each
mention's latest triage and its engine's language, and the wave chosen from the mentions held."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import MentionCluster, Triage, utcnow
from app.services import case_view, cluster_view
from tests.factories import add_mention, make_brand, make_case

pytestmark = pytest.mark.db


def test_each_mention_comes_with_its_latest_triage_and_its_engines_language(session):
    brand = make_brand(session)
    case = make_case(session, brand, "Mon train est annulé", language="fr")
    second = add_mention(session, case, "Toujours rien depuis ce matin")
    later = utcnow() + timedelta(minutes=1)
    # A reviewer's correction after the engine: it is the latest, the language stays the engine's.
    session.add(
        Triage(
            brand_id=brand.id,
            mention_id=second.id,
            source="override",
            severity="S3",
            action="escalate",
            language=None,
            created_at=later,
        )
    )
    session.commit()

    page = case_view.mention_page(session=session, case=case)
    expected = case_view._with_authors_and_triage(session, [v.mention for v in page.views])
    assert [(v.mention.id, v.author, v.triage, v.engine_language) for v in page.views] == [
        (v.mention.id, v.author, v.triage, v.engine_language) for v in expected
    ]
    shown = {v.mention.id: v for v in page.views}[second.id]
    assert shown.triage is not None and shown.triage.source == "override"
    assert shown.engine_language == "fr"


def test_the_wave_chosen_from_the_mentions_held_is_the_one_the_statement_chooses(session):
    brand = make_brand(session)
    case = make_case(session, brand, "Grève encore aujourd'hui")
    small, big = (MentionCluster(brand_id=brand.id, sample_text=t) for t in ("a", "b"))
    session.add_all([small, big])
    session.flush()
    mentions = [v.mention for v in case_view.mention_page(session=session, case=case).views]
    assert cluster_view.of_case(session=session, case=case, mentions=mentions) is None
    for i, cluster in enumerate([big, small, big, small]):
        mention = add_mention(session, case, f"Grève, message {i}")
        mention.cluster_id = cluster.id
    session.commit()

    def both() -> tuple[object, object]:
        held = [v.mention for v in case_view.mention_page(session=session, case=case).views]
        read = cluster_view.of_case(session=session, case=case)
        chosen = cluster_view.of_case(session=session, case=case, mentions=held)
        return (read and read.cluster.id), (chosen and chosen.cluster.id)

    # A tie: the smaller id, as the statement orders it.
    assert both() == (min(small.id, big.id),) * 2
    extra = add_mention(session, case, "Grève, encore un message")
    extra.cluster_id = big.id
    session.commit()
    assert both() == (big.id, big.id)
