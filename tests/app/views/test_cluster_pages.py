"""Through the app: a wave is one queue row, its page shows variants and outliers, and it is
answered as one (an S3 inside still waits for approval), stopped, resumed, hidden, closed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import col, select

from app.models import AuditEvent, Case, Mention, MentionCluster, Reply, Wave, utcnow
from app.services import waves
from tests.app.cluster_samples import WAVE, ingest_texts, publish_playbook
from tests.conftest import login, post
from tests.factories import make_brand, make_canned, make_user

pytestmark = pytest.mark.db
LATER = timedelta(hours=2)


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="rail", name="Rail Azur")
    publish_playbook(session, brand)
    return brand


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


@pytest.fixture
def storm(session, rail):
    """Five variants of one complaint, an insult and a threat inside the wave, one other case."""
    ingest_texts(
        session,
        rail,
        [
            WAVE,
            WAVE,
            f"RT @jeanne: {WAVE}",
            "le TER de 8h12 lyon grenoble encore supprime, cest inadmissibleee remboursez nous",
            f"{WAVE} bande d'escrocs",
            f"@rail {WAVE} !!",
            "Bonjour, à quelle heure part le premier train demain ?",
        ],
    )
    return session.exec(select(MentionCluster)).one()


def _mention_ids(session, cluster):
    return list(session.exec(select(Mention.id).where(Mention.cluster_id == cluster.id)))


def test_the_queue_shows_the_wave_as_one_row_and_the_outlier_on_its_own(client, storm, cm):
    html = client.get("/queue").get_data(as_text=True)
    assert html.count('data-testid="cluster-row"') == 1
    assert "6 mentions" in html and "5 cas à traiter" in html and "+6 en 1 h" in html
    # The insult (S3) and the lone question keep their own rows; the folded cases do not.
    rows = re.findall(r'id="case-row-(\d+)"', html)
    assert len(rows) == 2
    assert "escrocs" in html and "premier train" in html


def test_the_wave_row_kept_is_the_fresh_one_and_follows_changes(app, client, session, storm, cm):
    def wave_row() -> str:
        html = client.get("/queue", headers={"HX-Request": "true"}).get_data(as_text=True)
        return re.search(r'<tr id="cluster-row-.*?</tr>', html, flags=re.S).group(0)

    def unshared() -> None:  # the page's rows shared a moment between CMs (queue_poll.py)
        app.extensions.pop("vigie_queue_shown", None)

    first = wave_row()
    unshared()
    kept = wave_row()
    unshared()
    app.extensions.pop("vigie_queue_rows", None)
    assert first == kept == wave_row()
    storm.sample_text = "Un autre exemple de la vague"
    session.add(storm)
    session.commit()
    unshared()
    assert "Un autre exemple de la vague" in wave_row()


def test_the_cluster_page_lists_variants_and_outliers(client, session, storm, cm):
    html = client.get(f"/clusters/{storm.id}").get_data(as_text=True)
    assert html.count('data-testid="variant"') == 5
    assert html.count('data-testid="outlier"') == 1
    outlier = html.split('data-testid="outlier"')[1]
    assert "escrocs" in outlier and "S3" in outlier
    listed = client.get("/clusters?brand=rail").get_data(as_text=True)
    assert f"/clusters/{storm.id}" in listed


def test_another_brand_sees_nothing_of_the_cluster(client, session, storm):
    other = make_brand(session, slug="autre")
    make_user(session, other, role="community_manager", email="other@example.test")
    login(client, "other@example.test")
    assert client.get(f"/clusters/{storm.id}").status_code == 404
    assert client.get("/clusters?brand=rail").status_code == 404
    assert post(client, f"/clusters/{storm.id}/bulk", {"action": "hide"}).status_code == 404
    assert 'data-testid="cluster-row"' not in client.get("/queue").get_data(as_text=True)


def test_a_wave_reply_goes_to_each_mention_with_its_name_and_the_s3_awaits_approval(
    client, session, rail, storm, cm
):
    canned = make_canned(
        session, rail, body="Bonjour {{ prenom }}, nous sommes désolés pour cette suppression."
    )
    session.commit()
    ids = _mention_ids(session, storm)
    response = post(
        client,
        f"/clusters/{storm.id}/wave",
        {"canned_reply_id": str(canned.id), "mention": [str(i) for i in ids]},
    )
    assert response.status_code == 303
    flashed = client.get(response.location).get_data(as_text=True)
    assert "Réponse groupée lancée pour 6 mentions" in flashed, flashed
    wave = session.exec(select(Wave)).one()
    assert waves.progress(session=session, wave=wave).pending == 6
    waves.advance(session=session, now=utcnow() + LATER)
    session.commit()
    replies = session.exec(select(Reply).order_by(col(Reply.id))).all()
    assert len(replies) == 6
    assert all(r.text.startswith("Bonjour Nom, nous") for r in replies)  # per-author variable
    insult = next(r for r in replies if "escrocs" in session.get(Mention, r.mention_id).text)
    assert insult.approval_state == "pending" and insult.outbox_state == "draft"
    others = [r for r in replies if r is not insult]
    assert {r.outbox_state for r in others} == {"queued"}
    progress = waves.progress(session=session, wave=wave)
    assert (progress.approval, progress.in_outbox, progress.pending) == (1, 5, 0)
    page = client.get(f"/waves/{wave.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "0 envoyées sur 6" in page and "1 à valider" in page
    # Started again by someone else: every mention already has its reply.
    again = post(
        client, f"/clusters/{storm.id}/wave", {"body": "Bonjour", "mention": [str(i) for i in ids]}
    )
    assert again.status_code == 303
    assert session.exec(select(Wave)).all() == [wave]
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "wave.started")).one()


def test_stop_holds_queued_replies_and_resume_releases_them(client, session, rail, storm, cm):
    ids = _mention_ids(session, storm)
    post(
        client,
        f"/clusters/{storm.id}/wave",
        {"body": "Bonjour, nous sommes désolés.", "mention": [str(i) for i in ids[:3]]},
    )
    wave = session.exec(select(Wave)).one()
    waves.advance(session=session, now=utcnow())  # the first of each platform is due at once
    session.commit()
    assert post(client, f"/waves/{wave.id}/stop").status_code == 303
    session.expire_all()
    assert wave.state == "stopped"
    progress = waves.progress(session=session, wave=wave)
    assert progress.held == 1 and progress.pending == 2
    waves.advance(session=session, now=utcnow() + LATER)  # a stopped wave releases nothing
    session.commit()
    assert waves.progress(session=session, wave=wave).pending == 2
    html = client.get(f"/waves/{wave.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'data-testid="wave-resume"' in html
    assert post(client, f"/waves/{wave.id}/resume").status_code == 303
    waves.advance(session=session, now=utcnow() + LATER)
    session.commit()
    session.expire_all()
    progress = waves.progress(session=session, wave=wave)
    assert (progress.in_outbox, progress.held, progress.pending) == (3, 0, 0)
    assert wave.state == "done"
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"wave.started", "wave.stopped", "wave.resumed"} <= actions


@pytest.mark.parametrize(
    ("action", "check"), [("hide", "hidden"), ("close", "closed"), ("spam", "spam")]
)
def test_bulk_hide_close_and_spam(client, session, storm, cm, action, check):
    ids = _mention_ids(session, storm)
    response = post(
        client, f"/clusters/{storm.id}/bulk", {"action": action, "mention": [str(i) for i in ids]}
    )
    assert response.status_code == 303
    session.expire_all()
    mentions = session.exec(select(Mention).where(col(Mention.id).in_(ids))).all()
    cases = [session.get(Case, m.case_id) for m in mentions]
    if check == "hidden":
        assert all(m.hidden for m in mentions)
    else:
        assert all(c.status == "closed" for c in cases)
        assert all(m.hidden for m in mentions) == (check == "spam")
    assert session.exec(
        select(AuditEvent).where(AuditEvent.action == f"cluster.bulk_{action}")
    ).one()


def test_bad_bulk_action_is_a_400(client, storm, cm):
    assert post(client, f"/clusters/{storm.id}/bulk", {"action": "delete"}).status_code == 400
