"""Customer satisfaction (issue 17, part 3): the closing reply carries a signed survey link; the
customer answers once, without an account, in the case's language; the answer shows on the
case timeline and in the brand's figures."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import AuditEvent, SurveyAnswer
from app.services import surveys
from app.services.surveys import SurveySettings
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_canned, make_case, make_user
from tests.races import race

pytestmark = pytest.mark.db

CLOSING = "Bonjour {{ prenom }}, votre avis en deux clics : {{ lien_satisfaction }}"
LINK_RE = re.compile(r"https?://[^\s<\"]+/s/([A-Za-z0-9._\-]+)")


@pytest.fixture
def shop(session):
    return make_brand(session, slug="shop", name="Cabasso")


def _survey_token(client, session, shop, case) -> str:
    canned = make_canned(session, shop, key="shop.cloture", body=CLOSING)
    html = client.get(f"/cases/{case.id}/editor?canned={canned.id}").get_data(as_text=True)
    match = LINK_RE.search(html)
    assert match, html[:2000]
    return match.group(1)


def _answer(anonymous, token, data):
    return anonymous.post(
        f"/s/{token}", data={**data, "csrf_token": csrf_token(anonymous, f"/s/{token}")}
    )


def test_closing_reply_link_survey_answered_once_and_on_the_timeline(app, client, session, shop):
    make_user(session, shop, email="cm@shop.test")
    login(client, "cm@shop.test")
    case = make_case(session, shop, "Merci, c'est réglé", language="en")
    token = _survey_token(client, session, shop, case)
    anonymous = app.test_client()
    page = anonymous.get(f"/s/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="csat"' in html and "Cabasso" in html
    assert "How satisfied" in html or "satisfied" in html.lower()  # the case's language: English
    assert 'name="nps"' not in html  # the brand did not ask it
    answered = _answer(anonymous, token, {"csat": "4", "comment": "Rapide et <b>poli</b>"})
    assert answered.status_code == 200
    assert 'data-testid="survey-thanks"' in answered.get_data(as_text=True)
    again = _answer(anonymous, token, {"csat": "1"})
    assert again.status_code == 409
    rows = session.exec(select(SurveyAnswer)).all()
    assert [(r.csat, r.case_id, r.comment) for r in rows] == [(4, case.id, "Rapide et <b>poli</b>")]
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "questionnaire de satisfaction" in timeline.lower()
    assert "<b>poli</b>" not in timeline  # the customer's words are escaped


def test_bad_answers_are_refused_plainly_and_lose_nothing(app, client, session, shop):
    make_user(session, shop, email="cm@shop.test")
    login(client, "cm@shop.test")
    surveys.save_survey_settings(
        session=session, brand=shop, actor=None, settings=SurveySettings(nps=True, ces=True)
    )
    session.commit()
    case = make_case(session, shop)
    token = _survey_token(client, session, shop, case)
    anonymous = app.test_client()
    html = anonymous.get(f"/s/{token}").get_data(as_text=True)
    assert 'name="nps"' in html and 'name="ces"' in html
    assert _answer(anonymous, token, {"csat": "9"}).status_code == 422
    assert _answer(anonymous, token, {"csat": "4", "nps": "11"}).status_code == 422
    assert _answer(anonymous, token, {"csat": "4", "comment": "x" * 1001}).status_code == 422
    assert _answer(anonymous, token, {}).status_code == 422
    kept = _answer(anonymous, token, {"csat": "4", "comment": "merci", "nps": "10", "ces": "2"})
    assert kept.status_code == 200
    answer = session.exec(select(SurveyAnswer)).one()
    assert (answer.csat, answer.nps, answer.ces) == (4, 10, 2)


def test_forged_foreign_and_expired_links_do_not_open(app, client, session, shop, monkeypatch):
    anonymous = app.test_client()
    assert anonymous.get("/s/not-a-token").status_code == 404
    case = make_case(session, shop)
    good = surveys.make_token(case, secret_key=app.config["SECRET_KEY"])
    assert anonymous.get(f"/s/{good[:-3]}xyz").status_code == 404
    forged = surveys.make_token(case, secret_key="another-secret")
    assert anonymous.get(f"/s/{forged}").status_code == 404
    # Issued 15 days ago with the default 14-day validity: expired, said plainly.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 15 * 86400)
    old = surveys.make_token(case, secret_key=app.config["SECRET_KEY"])
    monkeypatch.setattr(time, "time", real_time)
    expired = anonymous.get(f"/s/{old}")
    assert expired.status_code == 410
    assert 'data-testid="survey-expired"' in expired.get_data(as_text=True)


def test_two_answers_at_once_keep_one(app, engine, session, shop):
    case = make_case(session, shop)
    token = surveys.make_token(case, secret_key=app.config["SECRET_KEY"])

    def answer(score):
        def run(s, go):
            survey = surveys.open_survey(
                session=s, token=token, secret_key=app.config["SECRET_KEY"]
            )
            go()
            return surveys.record_answer(session=s, survey=survey, form={"csat": score})

        return run

    outcomes = race(engine, answer("5"), answer("1"))
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and str(refused[0]) == "answered", outcomes
    session.expire_all()
    assert len(session.exec(select(SurveyAnswer)).all()) == 1
    assert (
        len(session.exec(select(AuditEvent).where(AuditEvent.action == "survey.answered")).all())
        == 1
    )


def test_satisfaction_figures(session, shop):
    cm = make_user(session, shop, email="cm@shop.test")
    now = surveys.utcnow()
    for csat, nps, channel in ((5, 10, "x"), (4, 9, "x"), (2, 3, "mastodon"), (5, None, "x")):
        case = make_case(session, shop, channel=channel)
        session.add(
            SurveyAnswer(
                brand_id=shop.id,
                case_id=case.id,
                channel=channel,
                handled_by_id=cm.id,
                csat=csat,
                nps=nps,
                answered_at=now - timedelta(days=1),
            )
        )
    session.commit()
    figures = surveys.satisfaction_figures(
        session, [shop.id], now - timedelta(days=30), now + timedelta(seconds=1)
    )
    assert figures.overall.answers == 4
    assert figures.overall.csat_average == pytest.approx(4.0)
    assert figures.overall.csat_satisfied == pytest.approx(0.75)
    assert figures.overall.nps == pytest.approx(100 * (2 - 1) / 3)
    assert [g.key for g in figures.by_channel] == ["mastodon", "x"]
    assert figures.by_cm[0].key == "cm@shop.test" and figures.by_cm[0].answers == 4


def test_brand_owner_chooses_the_questions(client, session, shop):
    make_user(session, shop, role="brand_owner", email="owner@shop.test")
    login(client, "owner@shop.test")
    assert client.get(f"/portal/survey?brand={shop.id}").status_code == 200
    bad = post(client, f"/portal/survey?brand={shop.id}", {"expiry_days": "0"})
    assert bad.status_code == 422
    ok = post(client, f"/portal/survey?brand={shop.id}", {"nps": "1", "expiry_days": "7"})
    assert ok.status_code == 302
    session.expire_all()
    session.refresh(shop)
    assert surveys.survey_settings(shop) == SurveySettings(nps=True, ces=False, expiry_days=7)
    assert session.exec(
        select(AuditEvent).where(AuditEvent.action == "brand.survey_settings_changed")
    ).first()
