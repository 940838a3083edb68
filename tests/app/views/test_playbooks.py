"""Playbook editor pages: versions, live validation, save/publish, try a sentence, backtest."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import AuditEvent, Playbook
from app.services import content, playbook_reviews
from tests.app.playbook_samples import (
    BROKEN_PLAYBOOK,
    SMALL_PLAYBOOK,
    STRICTER_PLAYBOOK,
    add_history,
    add_override,
)
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}


@pytest.fixture
def editor(client, session):
    brand = make_brand(session, slug="rail", name="Rail Test")
    user = make_user(session, brand, role="playbook_editor", email="editor@example.test")
    login(client, "editor@example.test")
    return user, brand


@pytest.fixture
def published(session, editor):
    user, brand = editor
    row = content.save_playbook(
        session=session, brand=brand, source=SMALL_PLAYBOOK, actor=user, publish=True
    )
    session.commit()
    return row


def test_versions_page_shows_published_drafts_and_history(client, session, editor, published):
    user, brand = editor
    content.save_playbook(session=session, brand=brand, source=STRICTER_PLAYBOOK, actor=user)
    session.commit()
    html = client.get(f"/playbooks?brand_id={brand.id}").get_data(as_text=True)
    assert "Version publiée" in html and published.version[:12] in html
    assert "Brouillon n° 2" in html
    assert html.count("editor@example.test") >= 2  # who wrote and who published


def test_live_validation_names_the_line_and_marks_the_gutter(client, editor):
    _, brand = editor
    response = post(
        client,
        "/playbooks/validate",
        {"brand_id": brand.id, "source": BROKEN_PLAYBOOK},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "playbook.yaml:11:15" in html and "S9" not in html.split("playbook.yaml:11:15")[0]
    assert 'data-line="11"' in html
    assert 'id="pb-gutter"' in html and 'hx-swap-oob="true"' in html
    assert '<li class="err"' in html
    assert "<html" not in html  # a fragment, not a page

    ok = post(
        client, "/playbooks/validate", {"brand_id": brand.id, "source": SMALL_PLAYBOOK}, headers=HX
    ).get_data(as_text=True)
    assert "Playbook valide" in ok and "2 scénarios" in ok


def test_live_validation_refreshes_the_diff_with_the_published_version(client, editor, published):
    _, brand = editor
    data = {"brand_id": brand.id, "source": STRICTER_PLAYBOOK}
    html = post(client, "/playbooks/validate", data, headers=HX).get_data(as_text=True)
    assert 'id="pb-diff"' in html and 'class="diff-add">+    severity: S3' in html
    assert 'class="diff-del">-    severity: S2' in html


def test_unknown_reply_keys_are_warnings_not_errors(client, editor):
    _, brand = editor
    html = post(
        client, "/playbooks/validate", {"brand_id": brand.id, "source": SMALL_PLAYBOOK}, headers=HX
    ).get_data(as_text=True)
    assert "rail.retard.excuses" in html and "absente de la bibliothèque" in html


def test_invalid_draft_is_refused_and_the_text_kept(client, session, editor):
    _, brand = editor
    response = post(client, "/playbooks/new", {"brand_id": brand.id, "source": BROKEN_PLAYBOOK})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Brouillon non enregistré" in html and "playbook.yaml:11:15" in html
    assert "severity: S9" in html  # the editor's text is still in the textarea
    assert session.exec(select(Playbook)).all() == []


def test_save_draft_then_edit_in_place_then_publish(client, session, editor, published):
    _, brand = editor
    response = post(client, "/playbooks/new", {"brand_id": brand.id, "source": STRICTER_PLAYBOOK})
    assert response.status_code == 302
    draft = session.exec(select(Playbook).where(Playbook.status == "draft")).one()
    assert draft.number == 2

    edited = STRICTER_PLAYBOOK.replace("name: Test", "name: Test v2")
    post(client, f"/playbooks/{draft.id}", {"source": edited.replace("\n", "\r\n")})
    session.refresh(draft)
    assert draft.source == edited and draft.status == "draft"
    assert len(session.exec(select(Playbook)).all()) == 2  # edited in place, no new version

    page = client.get(f"/playbooks/{draft.id}").get_data(as_text=True)
    assert "Différences avec la version publiée" in page
    assert 'class="diff-add">+    severity: S3' in page

    # Four eyes: the editor proposes, a lead approves (issue 18, part 4).
    post(client, f"/playbooks/{draft.id}", {"source": edited, "intent": "propose"})
    session.refresh(draft)
    assert draft.status == "proposed" and published.status == "published"
    make_user(session, brand, role="lead", email="lead@example.test")
    post(client, "/logout")
    login(client, "lead@example.test")
    review = playbook_reviews.open_review(session, draft.id)
    post(client, f"/playbook-reviews/{review.id}/approve")
    session.refresh(draft)
    session.refresh(published)
    assert draft.status == "published" and published.status == "archived"
    actions = session.exec(select(AuditEvent.action)).all()
    assert "playbook.published" in actions and "playbook.draft_updated" in actions


def test_publish_refuses_an_invalid_text(client, session, editor, published):
    response = post(
        client, f"/playbooks/{published.id}", {"source": BROKEN_PLAYBOOK, "intent": "propose"}
    )
    assert response.status_code == 422
    assert "Proposition refusée" in response.get_data(as_text=True)
    session.refresh(published)
    assert published.status == "published" and published.source == SMALL_PLAYBOOK


def test_editing_a_published_version_starts_a_new_draft(client, session, editor, published):
    post(client, f"/playbooks/{published.id}", {"source": STRICTER_PLAYBOOK})
    rows = session.exec(select(Playbook).order_by(Playbook.number)).all()
    assert [(r.number, r.status) for r in rows] == [(1, "published"), (2, "draft")]
    assert rows[0].source == SMALL_PLAYBOOK


def test_propose_button_on_a_stored_draft(client, session, editor, published):
    user, brand = editor
    draft = content.save_playbook(
        session=session, brand=brand, source=STRICTER_PLAYBOOK, actor=user
    )
    session.commit()
    assert post(client, f"/playbook-reviews/propose/{draft.id}").status_code == 302
    session.refresh(draft)
    assert draft.status == "proposed"  # published only once someone else approves


def test_try_a_sentence_shows_the_decision_and_its_evidence(client, editor):
    _, brand = editor
    data = {
        "brand_id": brand.id,
        "source": SMALL_PLAYBOOK,
        "try_text": "Quel connard <b>ce</b> contrôleur",
        "try_channel": "x",
        "try_tier": "or",
        "try_followers": "120",
    }
    html = post(client, "/playbooks/try", data, headers=HX).get_data(as_text=True)
    assert 'data-testid="try-severity">S3' in html
    assert "Réponse soumise à approbation" in html
    assert "<mark>connard</mark>" in html
    assert "&lt;b&gt;ce&lt;/b&gt;" in html and "<b>ce</b>" not in html  # escaped
    assert "scenario:insulte" in html


def test_try_without_htmx_renders_the_whole_editor(client, editor):
    _, brand = editor
    data = {"brand_id": brand.id, "source": SMALL_PLAYBOOK, "try_text": "train en retard"}
    html = post(client, "/playbooks/try", data).get_data(as_text=True)
    assert "<html" in html and 'data-testid="try-severity">S2' in html
    assert "train en retard" in html


def test_try_with_an_invalid_playbook_says_so(client, editor):
    _, brand = editor
    data = {"brand_id": brand.id, "source": BROKEN_PLAYBOOK, "try_text": "retard"}
    html = post(client, "/playbooks/try", data, headers=HX).get_data(as_text=True)
    assert "Corrigez d'abord les erreurs" in html


def test_backtest_fragment_lists_changes_with_case_links(client, session, editor, published):
    _, brand = editor
    mentions = add_history(
        session,
        brand,
        [("Mon train est en retard", "S2", "reply"), ("Merci beaucoup", "S1", "reply")],
    )
    add_override(session, mentions[0], "S3", "Retard de 3 heures <script>")
    data = {"brand_id": brand.id, "source": STRICTER_PLAYBOOK, "days": "7"}
    html = post(client, "/playbooks/backtest", data, headers=HX).get_data(as_text=True)
    assert 'data-testid="backtest-counts"' in html
    assert "1 / 1 (100 %)" in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_overrides_page_lists_reviewer_corrections(client, session, editor):
    user, brand = editor
    mentions = add_history(session, brand, [("Ça suffit, je vais tout casser", "S2", "reply")])
    add_override(session, mentions[0], "S4", "Menace de violence non détectée", user.id)
    html = client.get(f"/playbooks/overrides?brand_id={brand.id}").get_data(as_text=True)
    assert "Menace de violence non détectée" in html
    assert "je vais tout casser" in html
    assert 'sev-S2">S2</span> → <span class="sev sev-S4' in html


def test_pages_need_the_playbook_permission(client, session):
    brand = make_brand(session)
    make_user(session, brand, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    assert client.get("/playbooks").status_code == 403
    assert client.get("/canned-replies").status_code == 403


def test_foreign_playbooks_are_not_found(client, session, editor):
    other = make_brand(session)
    row = content.save_playbook(session=session, brand=other, source=SMALL_PLAYBOOK, actor=None)
    session.commit()
    assert client.get(f"/playbooks/{row.id}").status_code == 404
    assert post(client, f"/playbook-reviews/propose/{row.id}").status_code == 404
    data = {"brand_id": other.id, "source": SMALL_PLAYBOOK, "try_text": "retard"}
    assert post(client, "/playbooks/try", data).status_code == 404
    assert client.get(f"/playbooks?brand_id={other.id}").status_code == 404


def test_post_without_csrf_token_is_refused(client, editor):
    _, brand = editor
    response = client.post("/playbooks/new", data={"brand_id": brand.id, "source": SMALL_PLAYBOOK})
    assert response.status_code == 400
