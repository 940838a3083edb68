"""Notifications and alert mails are data rendered in the reader's language (issue 14, part 4)."""

from __future__ import annotations

import json

import httpx
import pytest
import respx
from flask_babel import force_locale
from sqlmodel import select

from app.models import Notification, OutgoingMessage
from app.notify.mail import SinkMailer
from app.notify.mail_templates import render_mail
from app.services import answer_clocks, notification_messages, notifications
from tests.app.portal_support import cast, open_escalation
from tests.app.services.test_alerts import SLACK, TEAMS, _configure, _ctx
from tests.conftest import login

SAMPLE = {
    "id": 7,
    "brand": "Rail",
    "n": 2,
    "what": "reply",
    # storm alerts and crisis mode (issue 16)
    "signal": "volume",
    "dim": "channel",
    "key": "x",
    "m": 10,
    "e": "0.8",
    "share": 40,
    "usual": 5,
    "reason": "Grève",
    "when": "02/12/2026 18:00",
}


def _every_message():
    for kind, entry in notification_messages.MESSAGES.items():
        for variant in entry if isinstance(entry, dict) else [None]:
            yield kind, {**SAMPLE, **({"variant": variant} if variant else {})}


@pytest.mark.parametrize(("kind", "params"), list(_every_message()))
def test_every_kind_renders_in_french_and_in_english(app, kind, params):
    french = notification_messages.french(kind, params)
    assert french and "%(" not in french
    with app.app_context(), force_locale("en"):
        english = notification_messages.render(kind, params)
    assert english and "%(" not in english and english != french
    assert "7" in english or "Rail" in english


def test_words_passed_as_codes_are_translated_too(app):
    params = {"what": "escalation", "id": 3}
    assert "une escalade" in notification_messages.french("reminder", params)
    with app.app_context(), force_locale("en"):
        assert "an escalation" in notification_messages.render("reminder", params)


def test_a_kind_needs_a_template_or_a_text(session):
    people = cast(session)
    with pytest.raises(ValueError, match="unknown notification kind"):
        notifications.notify(
            session=session, user_ids=[people.cm.id], brand_id=people.brand.id, kind="nope"
        )
    (row,) = notifications.notify(
        session=session,
        user_ids=[people.cm.id],
        brand_id=people.brand.id,
        kind="spike",
        text="Pic de mentions",
    )
    assert row.text == "Pic de mentions" and notifications.text_of(row) == "Pic de mentions"


@pytest.mark.db
def test_each_reader_sees_the_bell_in_their_own_language(app, client, session):
    people = cast(session)
    people.owner.locale = "en"
    session.add(people.owner)
    for user in (people.owner, people.lead):
        notifications.notify(
            session=session,
            user_ids=[user.id],
            brand_id=people.brand.id,
            kind="approval_requested",
            params={"id": 42},
            link="/approvals",
        )
    # A row written before messages were data: no params, its stored text is what shows.
    session.add(
        Notification(
            user_id=people.owner.id,
            brand_id=people.brand.id,
            kind="approval_requested",
            text="Une réponse attend votre validation (cas n° 41).",
        )
    )
    session.commit()
    stored = session.exec(select(Notification).where(Notification.params.is_not(None))).all()
    assert {n.text for n in stored} == {"Une réponse attend votre validation (cas n° 42)."}

    login(client, "owner@rail.test")
    page = client.get("/notifications").get_data(as_text=True)
    assert "(case #42)" in page and "attend votre validation (cas n° 42)" not in page
    assert "Une réponse attend votre validation (cas n° 41)." in page
    french = app.test_client()
    login(french, "lead@agency.test")
    page = french.get("/notifications").get_data(as_text=True)
    assert "Une réponse attend votre validation (cas n° 42)." in page


@pytest.mark.db
def test_the_urgent_alert_mail_is_in_each_recipients_language(session):
    people = cast(session)
    people.owner.locale = "en"
    session.add(people.owner)
    session.commit()
    _configure(session, people.brand, people.owner, webhook_url="", slack_url="", teams_url="")
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    ctx = _ctx("smtp://unused:25")
    ctx.mailer = SinkMailer()
    answer_clocks.tick(session=session, ctx=ctx)
    session.commit()
    mails = {
        m.recipient: m
        for m in session.exec(
            select(OutgoingMessage).where(OutgoingMessage.escalation_id == escalation.id)
        )
    }
    case = escalation.case_id
    english = mails["owner@rail.test"]
    assert english.subject == f"[Vigie] Urgent escalation — Rail — case #{case}"
    assert "A mention of Rail was escalated as urgent." in english.body
    assert "/ack/" in english.body and "UTC" in english.body
    for french in (mails["lead@agency.test"], mails["astreinte@rail.test"]):
        assert french.subject == f"[Vigie] Escalade urgente — Rail — cas n° {case}"
        assert "Une mention de Rail a été escaladée en urgence." in french.body
    # The owner's bell says it in English too, the lead's in French.
    bell = {
        n.user_id: notifications.text_of(n)
        for n in session.exec(select(Notification).where(Notification.kind == "urgent_alert"))
    }
    assert bell[people.lead.id] == f"Escalade urgente — Rail — cas n° {case}"


def _chat_alert(session, languages: list[str]) -> tuple[int, str, list[str]]:
    """One urgent alert tick on a brand speaking `languages`: (case id, Slack text, card texts)."""
    people = cast(session)
    people.brand.languages = languages
    session.add(people.brand)
    session.commit()
    _configure(session, people.brand, people.owner, webhook_url="")
    escalation = open_escalation(session, people.brand, None, urgency="urgent")
    ctx = _ctx("smtp://unused:25")
    ctx.mailer = SinkMailer()
    with respx.mock() as router:
        slack = router.post(SLACK).mock(return_value=httpx.Response(200, text="ok"))
        teams = router.post(TEAMS).mock(return_value=httpx.Response(202))
        answer_clocks.tick(session=session, ctx=ctx)
        session.commit()
    text = json.loads(slack.calls.last.request.content)["text"]
    card = json.loads(teams.calls.last.request.content)["attachments"][0]["content"]
    shown = [block["text"] for block in card["body"]] + [a["title"] for a in card["actions"]]
    return escalation.case_id, text, shown


@pytest.mark.db
def test_slack_and_teams_alerts_speak_the_brands_first_language(session):
    case, text, card = _chat_alert(session, ["en", "fr"])
    assert f"*Urgent escalation — Rail — case #{case}*" in text
    assert "Reason: " in text and "Answer due: " in text and "I'm on it (stops reminders)" in text
    assert "Escalade" not in text and "Motif" not in text and "Ouvrir" not in text
    assert card[0] == f"Urgent escalation — Rail — case #{case}"
    assert "Open the case" in card and "Escalade" not in " ".join(card)


@pytest.mark.db
def test_slack_and_teams_alerts_stay_french_for_a_french_brand(session):
    case, text, card = _chat_alert(session, ["fr", "en"])
    assert f"*Escalade urgente — Rail — cas n° {case}*" in text
    assert "Motif : " in text and "Délai de réponse : " in text
    assert "<http://vigie.test/cases/" in text and "|Ouvrir le cas>" in text
    assert card[0] == f"Escalade urgente — Rail — cas n° {case}"
    assert "Je prends (arrête les relances)" in card and "Urgent" not in " ".join(card)


def test_a_reminder_mail_says_so_in_its_subject():
    subject, body = render_mail(
        "urgent_alert",
        "en",
        again=True,
        brand="A & B",
        case_id=5,
        reason="<menace>",
        link="http://x/cases/5",
        ack_url="http://x/ack/t",
        deadline=None,
    )
    assert subject == "[Vigie] [REMINDER] Urgent escalation — A & B — case #5"
    assert "<menace>" in body and "&amp;" not in body  # plain text: nothing escaped
