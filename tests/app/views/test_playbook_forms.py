"""Playbook forms through the real client: each save is a new draft with one block changed,
never published; stale forms get 409 with the input kept; other brands get 404; garbage 4xx;
load errors next to the field, in French or English (issue 18, part 6)."""

from __future__ import annotations

import pytest
from sqlmodel import select

import playbooks
from app.models import SEVERITIES, AuditEvent, Playbook
from app.services import content, playbook_reviews
from tests.app.playbook_samples import add_history
from tests.conftest import login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db

SOURCE = """\
# Playbook de test : ce commentaire doit survivre
format: 1
name: Test
lexicons:
  insultes:
    # les insultes courantes
    terms: [connard, nullissime]
scenarios:
  - id: retard
    label: Retard
    severity: S2
    when: {keywords: [retard]}
  # l'insulte vient après
  - id: insulte
    label: Insulte
    severity: S3
    when: {lexicon: insultes}
severities:
  S3: {action: reply_with_approval, approver: lead}
sla:
  minutes: {S1: 120, S2: 60, S3: 60, S4: 15}
"""


@pytest.fixture
def setup(session, client):
    brand = make_brand(session, slug="rail", name="Rail Test")
    make_user(session, brand, role="playbook_editor", email="editor@rail.test")
    live = content.save_playbook(
        session=session, brand=brand, source=SOURCE, actor=None, publish=True
    )
    session.commit()
    login(client, "editor@rail.test")
    return brand, live


def _drafts(session, brand):
    session.expire_all()
    rows = session.exec(
        select(Playbook).where(Playbook.brand_id == brand.id).order_by(Playbook.number)
    ).all()
    return [r for r in rows if r.status == "draft"]


def _changed(before: str, after: str) -> list[str]:
    old, new = before.splitlines(), after.splitlines()
    return [line for line in new if line not in old] + [
        f"-{line}" for line in old if line not in new
    ]


def test_adding_a_term_makes_a_draft_the_backtest_sees(setup, client, session):
    brand, live = setup
    add_history(session, brand, [("Train en panne depuis une heure", "S1", "reply")])
    page = client.get(f"/playbooks/{live.id}/scenarios/retard").get_data(as_text=True)
    assert 'name="seen_number" value="1"' in page
    response = post(
        client,
        f"/playbooks/{live.id}/scenarios/retard/terms",
        {"seen_number": "1", "target": "terms", "term": "panne", "action": "add"},
    )
    assert response.status_code == 303
    (draft,) = _drafts(session, brand)
    assert response.headers["Location"].endswith(f"/playbooks/{draft.id}")
    assert _changed(SOURCE, draft.source) == [
        '    when: {keywords: ["panne", retard]}',
        "-    when: {keywords: [retard]}",
    ]
    session.refresh(live)
    assert live.status == "published"  # never published from a form
    # The draft's page replays its text: the new word now fires on the stored mention.
    response = post(
        client,
        "/playbooks/backtest",
        {"brand_id": brand.id, "playbook_id": draft.id, "source": draft.source, "days": "7"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    changes = html[html.index('data-testid="backtest-changes"') :]
    assert "Train en panne depuis une heure" in changes and "retard" in changes
    engine = playbooks.load_playbook(draft.source)
    decision = engine.decide(playbooks.MentionInput(text="Train en panne depuis une heure"))
    assert decision.severity == "S2"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "playbook.form_saved")).one()
    assert event.after["changes"]["term"] == "panne" and event.after["form"] == "term"


def test_scenario_form_changes_only_that_scenario_and_its_lexicon(setup, client, session):
    brand, live = setup
    response = post(
        client,
        f"/playbooks/{live.id}/scenarios/insulte",
        {
            "seen_number": "1",
            "label": "Insulte directe",
            "severity": "S4",
            "terms": "connard\nabruti\n",
            "exceptions": "chat\n",
            "replies": "",
            "categories": "insulte",
            "note": "",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    (draft,) = _drafts(session, brand)
    assert "# Playbook de test : ce commentaire doit survivre" in draft.source
    assert (
        "    # les insultes courantes" in draft.source
        and "  # l'insulte vient après" in draft.source
    )
    engine = playbooks.load_playbook(draft.source)
    insulte = engine.spec.scenarios[1]
    assert (insulte.label, insulte.severity, insulte.categories) == (
        "Insulte directe",
        "S4",
        ["insulte"],
    )
    assert engine.spec.lexicons["insultes"].terms == ["connard", "abruti"]
    assert insulte.unless == {"keywords": ["chat"]}
    assert (
        engine.spec.scenarios[0].model_dump()
        == playbooks.load_playbook(SOURCE).spec.scenarios[0].model_dump()
    )


def test_new_scenario_delegation_and_sla(setup, client, session):
    brand, live = setup
    response = post(
        client,
        f"/playbooks/{live.id}/scenarios/new",
        {
            "seen_number": "1",
            "id": "greve",
            "label": "Grève",
            "severity": "S2",
            "terms": "grève\npréavis",
        },
    )
    assert response.status_code == 303
    draft = _drafts(session, brand)[-1]
    assert [s.id for s in playbooks.load_playbook(draft.source).scenarios] == [
        "retard",
        "insulte",
        "greve",
    ]
    # The next forms open on the new draft (version 2).
    actions = ["ignore", "reply", "reply", "reply", "escalate_urgent"]
    rows = {f"action_{s}": a for s, a in zip(SEVERITIES, actions, strict=True)}
    rows |= {f"approver_{s}": "" for s in SEVERITIES} | {"approver_S4": "brand"}
    response = post(client, f"/playbooks/{draft.id}/delegation", {"seen_number": "2", **rows})
    assert response.status_code == 303, response.get_data(as_text=True)
    draft3 = _drafts(session, brand)[-1]
    assert _changed(draft.source, draft3.source) == [
        "  S3: {action: reply}",
        "  S4: {action: escalate_urgent, approver: brand}",
        "-  S3: {action: reply_with_approval, approver: lead}",
    ]
    assert playbooks.load_playbook(draft3.source).policies["S3"].action == "reply"
    # Who approves what is the brand's authority: proposing this draft needs the brand.
    assert playbook_reviews.delegation_changed(draft.source, draft3.source)
    sla = {
        "seen_number": "3",
        "sla_S0": "",
        "sla_S1": "90",
        "sla_S2": "30",
        "sla_S3": "60",
        "sla_S4": "10",
    }
    assert post(client, f"/playbooks/{draft3.id}/sla", sla).status_code == 303
    draft4 = _drafts(session, brand)[-1]
    assert _changed(draft3.source, draft4.source) == [
        "  minutes: {S1: 90, S2: 30, S3: 60, S4: 10}",
        "-  minutes: {S1: 120, S2: 60, S3: 60, S4: 15}",
    ]


def test_a_stale_form_is_refused_with_the_input_kept(setup, client, session):
    brand, live = setup
    content.save_playbook(session=session, brand=brand, source=SOURCE + "\n# autre\n", actor=None)
    session.commit()
    response = post(
        client,
        f"/playbooks/{live.id}/scenarios/retard",
        {"seen_number": "1", "label": "Retard de train XYZ", "severity": "S2", "terms": "retard"},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Retard de train XYZ" in html and "La version n° 2 a été enregistrée" in html
    assert 'name="seen_number" value="1"' in html  # resubmitting is refused again
    assert len(_drafts(session, brand)) == 1


def test_load_errors_show_by_the_field_in_the_ui_language(setup, client, session):
    brand, live = setup
    data = {"seen_number": "1", "id": "retard", "label": "Doublon", "severity": "S1", "terms": "x"}
    response = post(client, f"/playbooks/{live.id}/scenarios/new", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Identifiant « retard » en double (scénarios)." in html
    post(client, "/language", {"lang": "en"})
    html = post(client, f"/playbooks/{live.id}/scenarios/new", data).get_data(as_text=True)
    assert "Duplicate id “retard” (scenarios)." in html
    assert 'value="Doublon"' in html
    assert _drafts(session, brand) == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("scenarios/retard", {"label": "", "severity": "S2"}),
        ("scenarios/retard", {"label": "x", "severity": "S9"}),
        ("scenarios/retard", {"label": "x", "severity": "S2", "terms": "a" * 300}),
        ("scenarios/retard/terms", {"term": "retard", "action": "add"}),
        ("scenarios/retard/terms", {"term": "absent", "action": "remove"}),
        ("scenarios/retard/terms", {"term": "\n", "action": "add"}),
        ("scenarios/new", {"id": "Pas Bon!", "label": "x", "severity": "S1", "terms": "a"}),
        ("sla", {"sla_S1": "-5"}),
        ("sla", {"sla_S1": "999999"}),
        ("delegation", {"action_S1": "shout"}),
    ],
)
def test_garbage_is_a_4xx_with_a_message(setup, client, session, path, data):
    brand, live = setup
    response = post(client, f"/playbooks/{live.id}/{path}", {"seen_number": "1", **data})
    assert 400 <= response.status_code < 500
    assert 'role="alert"' in response.get_data(as_text=True)
    assert _drafts(session, brand) == []


def test_another_brands_editor_gets_404(setup, client, session):
    _brand, live = setup
    other = make_brand(session, slug="shop", name="Shop")
    make_user(session, other, role="playbook_editor", email="editor@shop.test")
    post(client, "/logout")
    login(client, "editor@shop.test")
    assert client.get(f"/playbooks/{live.id}/scenarios").status_code == 404
    data = {"seen_number": "1", "term": "x", "action": "add"}
    assert post(client, f"/playbooks/{live.id}/scenarios/retard/terms", data).status_code == 404


def test_post_without_csrf_is_refused(setup, client, session):
    _brand, live = setup
    response = client.post(f"/playbooks/{live.id}/sla", data={"seen_number": "1", "sla_S1": "5"})
    assert response.status_code == 400


def test_a_badly_written_term_is_shown_by_the_words_field(setup, client, session):
    brand, live = setup
    data = {"seen_number": "1", "label": "Retard", "severity": "S2", "terms": "retard\n(abc"}
    response = post(client, f"/playbooks/{live.id}/scenarios/retard", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = html[html.index('id="f-terms"') : html.index('id="f-exceptions"')]
    assert 'data-testid="error-terms"' in field and "Terme « (abc » mal écrit" in field
    assert _drafts(session, brand) == []
