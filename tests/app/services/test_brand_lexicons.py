"""A brand's own lexicons: kept in the database, edited by its playbook editors, named by its
playbooks with `stored:`, and never reachable from another brand (issue 12, finding 5)."""

from __future__ import annotations

import pytest
from sqlmodel import select

import playbooks
from app.models import AuditEvent, BrandLexicon, Playbook
from app.services import brand_lexicons, content
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}

PLAYBOOK = """format: 1
name: Test
languages: [fr]
lexicons:
  produits: {stored: produits}
scenarios:
  - id: produit
    label: Produit
    severity: S2
    when: {lexicon: produits}
"""


@pytest.fixture
def editor(client, session):
    brand = make_brand(session, slug="shop", name="Boutique")
    make_user(session, brand, role="playbook_editor", email="editor@example.test")
    login(client, "editor@example.test")
    return brand


def _create(client, brand, name="produits", terms="trottinette\nvélo(s) électrique(s)", lang="fr"):
    return post(
        client,
        "/playbooks/lexicons",
        {"brand_id": brand.id, "name": name, "language": lang, "terms": terms},
    )


def _lexicon(session, brand, name="produits") -> BrandLexicon:
    session.expire_all()
    return session.exec(
        select(BrandLexicon).where(BrandLexicon.brand_id == brand.id, BrandLexicon.name == name)
    ).one()


def _try(client, brand, text: str) -> str:
    response = post(
        client,
        "/playbooks/try",
        {"brand_id": brand.id, "source": PLAYBOOK, "try_text": text},
        headers=HX,
    )
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_an_editor_creates_a_lexicon_and_a_playbook_matches_its_terms(client, session, editor):
    response = _create(client, editor)
    assert response.status_code == 302
    page = client.get("/playbooks/lexicons").get_data(as_text=True)
    assert "produits" in page
    row = _lexicon(session, editor)
    assert row.version == 1 and "trottinette" in row.terms
    html = _try(client, editor, "Ma trottinette est cassée")
    assert "produit" in html and "trottinette" in html
    html = _try(client, editor, "Mes vélos électriques sont en panne")
    assert "vélos électriques" in html
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "lexicon.created")).one()
    assert event.brand_id == editor.id


def test_an_edit_changes_what_the_published_playbook_matches(client, session, editor):
    _create(client, editor, terms="trottinette")
    content.save_playbook(session=session, brand=editor, source=PLAYBOOK, actor=None, publish=True)
    session.commit()
    _, engine = content.published_playbook(session=session, brand_id=editor.id)
    old_version = engine.version
    mention = playbooks.MentionInput(text="mon gyropode ne démarre plus", lang="fr")
    assert engine.decide(mention).scenarios == []

    row = _lexicon(session, editor)
    response = post(
        client,
        f"/playbooks/lexicons/{row.id}",
        {"language": "fr", "terms": "trottinette\ngyropode(s)", "version": row.version},
    )
    assert response.status_code == 302
    assert _lexicon(session, editor).version == 2
    # The compiled playbook is cached under the lexicon versions: the edit is seen at once.
    _, engine = content.published_playbook(session=session, brand_id=editor.id)
    assert engine.version != old_version
    assert engine.decide(mention).scenarios == ["produit"]
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "lexicon.updated")).one()


def test_a_stale_edit_is_refused_with_a_conflict(client, session, editor):
    _create(client, editor, terms="trottinette")
    row = _lexicon(session, editor)
    first = post(
        client,
        f"/playbooks/lexicons/{row.id}",
        {"language": "fr", "terms": "trottinette\nvélo", "version": 1},
    )
    assert first.status_code == 302
    second = post(
        client,
        f"/playbooks/lexicons/{row.id}",
        {"language": "fr", "terms": "autre chose", "version": 1},
    )
    assert second.status_code == 409
    assert "modifié entre-temps" in second.get_data(as_text=True)
    assert "autre chose" in second.get_data(as_text=True)  # the editor's text is kept
    assert "vélo" in _lexicon(session, editor).terms


@pytest.mark.parametrize(
    ("name", "terms", "expected"),
    [
        ("Produits!", "vélo", "Nom invalide"),
        ("produits", "x" * 201, "terme trop long"),
        ("produits", "\n".join(f"mot{i}" for i in range(5001)), "5001 termes"),
        ("produits", "a" * 200_001, "Lexique trop long"),
        ("produits", "vélo (électrique", "ligne 1"),
        ("produits", "bad\x00", "caractère nul"),
    ],
)
def test_bad_lexicons_are_refused_with_the_text_kept(
    client, session, editor, name, terms, expected
):
    response = _create(client, editor, name=name, terms=terms)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert expected in html
    assert session.exec(select(BrandLexicon)).all() == []


def test_a_lexicon_in_use_cannot_be_deleted(client, session, editor):
    _create(client, editor, terms="trottinette")
    content.save_playbook(session=session, brand=editor, source=PLAYBOOK, actor=None)
    session.commit()
    row = _lexicon(session, editor)
    response = post(client, f"/playbooks/lexicons/{row.id}/delete")
    assert response.status_code == 409
    assert "versions 1" in response.get_data(as_text=True)
    draft = session.exec(select(Playbook)).one()
    draft.status = "archived"
    session.add(draft)
    session.commit()
    response = post(client, f"/playbooks/lexicons/{row.id}/delete")
    assert response.status_code == 302
    session.expire_all()
    assert session.exec(select(BrandLexicon)).all() == []
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "lexicon.deleted")).one()


def test_a_language_change_that_breaks_the_live_playbook_is_refused(client, session, editor):
    editor.languages = ["fr", "en"]
    session.add(editor)
    session.commit()
    _create(client, editor, terms="trottinette")
    content.save_playbook(session=session, brand=editor, source=PLAYBOOK, actor=None, publish=True)
    session.commit()
    row = _lexicon(session, editor)
    response = post(
        client,
        f"/playbooks/lexicons/{row.id}",
        {"language": "en", "terms": "scooter", "version": 1},
    )
    assert response.status_code == 422
    assert "ne se chargerait plus" in response.get_data(as_text=True)
    assert _lexicon(session, editor).language == "fr"


def test_a_playbook_cannot_name_another_brands_lexicon(client, session, editor):
    other = make_brand(session, slug="other", name="Autre")
    make_user(session, other, role="playbook_editor", email="other@example.test")
    brand_lexicons.create_lexicon(
        session=session, brand=other, name="produits", language="fr", terms="secretword", actor=None
    )
    session.commit()
    response = post(
        client, "/playbooks/validate", {"brand_id": editor.id, "source": PLAYBOOK}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert "not found among the brand" in html
    assert "secretword" not in html
    with pytest.raises(playbooks.PlaybookError):
        content.save_playbook(session=session, brand=editor, source=PLAYBOOK, actor=None)
    session.rollback()
    # And its pages answer 404 to the other brand's editor.
    row = _lexicon(session, other)
    assert client.get(f"/playbooks/lexicons/{row.id}").status_code == 404
    assert post(client, f"/playbooks/lexicons/{row.id}/delete").status_code == 404
    assert client.get(f"/playbooks/lexicons?brand_id={other.id}").status_code == 404


def test_a_community_manager_cannot_edit_lexicons(client, session):
    brand = make_brand(session, slug="shop", name="Boutique")
    make_user(session, brand, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    assert client.get("/playbooks/lexicons").status_code == 403


def test_the_loader_takes_a_mapping_or_a_callable_and_refuses_without_one():
    stored = playbooks.StoredLexicon("produits", "fr", "trottinette\n", 3)
    by_map = playbooks.load_playbook(PLAYBOOK, stored_lexicons={"produits": stored})
    by_call = playbooks.load_playbook(PLAYBOOK, stored_lexicons=lambda name: stored)
    assert by_map.version == by_call.version
    mention = playbooks.MentionInput(text="une trottinette", lang="fr")
    assert by_map.decide(mention).scenarios == ["produit"]
    with pytest.raises(playbooks.PlaybookError, match="only available in the console"):
        playbooks.load_playbook(PLAYBOOK)
    assert playbooks.stored_lexicon_names(PLAYBOOK) == {"produits"}
