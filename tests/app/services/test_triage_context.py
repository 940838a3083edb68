"""A reply is triaged with the message it answers; an author's repeated hostility counts.

Issue 13, part 4: "oui" under a threat is a threat; a reply to the brand's own message is a
conversation underway; an author hostile three times this week is not a first complaint.
Parents and histories are gathered once per batch (a fixed number of queries).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from app.models import Author, Mention, Reply, Triage
from app.services import content, ingest, triage, triage_context
from connectors import AuthorInfo, FetchedMention
from tests.factories import account_for, make_brand, make_case

pytestmark = pytest.mark.db

PLAYBOOK = """
format: 1
brand: rail
lexicons:
  menaces: {terms: ["je vais (te|vous) {tuer|buter}"]}
  suites: {terms: [oui, "tu vas voir"]}
scenarios:
  - {id: menace, label: Menace, when: {lexicon: menaces}, severity: S4, categories: [menace]}
  - id: menace_en_reponse
    label: Menace confirmée en réponse
    when: {all: [{context: {parent_category: menace}}, {lexicon: suites}]}
    severity: S4
    categories: [menace]
  - {id: insulte, label: Insulte, when: {keywords: [escrocs]}, severity: S3,
     categories: [insulte]}
  - id: recidive
    label: Hostilité répétée
    when: {all: [{author_history: {count: ">= 3", days: 7}}, {keywords: [nuls]}]}
    severity: S3
    categories: [harcelement]
  - {id: colere, label: Colère, when: {keywords: [nuls]}, severity: S2}
  - id: suite_marque
    label: Réponse à la marque
    when: {context: {parent_from_brand: true}}
    severity: S2
"""
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def rail(session):
    brand = make_brand(session, slug="rail", name="Rail Azur")
    content.save_playbook(session=session, brand=brand, source=PLAYBOOK, actor=None, publish=True)
    session.commit()
    return brand


def _fetched(
    external_id: str,
    text: str,
    minutes: int,
    *,
    author: str = "a-1",
    in_reply_to: str | None = None,
) -> FetchedMention:
    return FetchedMention(
        external_id=external_id,
        text=text,
        author=AuthorInfo(external_id=author, handle=f"user{author}"),
        posted_at=START + timedelta(minutes=minutes),
        url=None,
        lang="fr",
        channel="mastodon",
        thread_id=in_reply_to or external_id,
        in_reply_to=in_reply_to,
    )


def _ingest(session, account, *items: FetchedMention, now: datetime | None = None) -> None:
    ingest.store_mentions(session=session, account=account, items=list(items))
    session.commit()
    triage.triage_pending(session=session, now=now or START + timedelta(hours=1))
    session.commit()


def _triage(session, external_id: str) -> Triage:
    mention = session.exec(select(Mention).where(Mention.external_id == external_id)).one()
    return session.exec(select(Triage).where(Triage.mention_id == mention.id)).one()


def test_yes_under_a_stored_threat_is_a_threat_and_says_why(session, rail):
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    _ingest(session, account, _fetched("m-1", "Je vais vous buter", 0, author="a-1"))
    _ingest(session, account, _fetched("m-2", "oui", 3, author="a-2", in_reply_to="m-1"))
    reply = _triage(session, "m-2")
    assert (reply.severity, reply.scenarios) == ("S4", ["menace_en_reponse"])
    why = " ".join(e["explanation"] for e in reply.evidence)
    assert "En réponse à un message S4 (menace) : « Je vais vous buter »" in why
    # Alone, the same word is nothing.
    _ingest(session, account, _fetched("m-3", "oui", 4, author="a-3"))
    assert _triage(session, "m-3").severity == "S1"


def test_a_parent_triaged_in_the_same_batch_counts(session, rail):
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    _ingest(
        session,
        account,
        _fetched("m-1", "je vais te tuer", 0, author="a-1"),
        _fetched("m-2", "tu vas voir", 1, author="a-1", in_reply_to="m-1"),
    )
    assert _triage(session, "m-2").scenarios == ["menace_en_reponse"]


def test_a_reply_to_the_brands_own_message_is_recognised(session, rail):
    account = account_for(session, rail.id, platform="mastodon")
    case = make_case(session, rail, "Mon train est en retard")
    session.add(
        Reply(
            brand_id=rail.id,
            case_id=case.id,
            text="Bonjour, nous sommes désolés pour ce retard.",
            idempotency_key="k-1",
            external_id="our-1",
            outbox_state="sent",
        )
    )
    session.commit()
    _ingest(session, account, _fetched("m-9", "d'accord merci", 5, in_reply_to="our-1"))
    triage = _triage(session, "m-9")
    assert triage.scenarios == ["suite_marque"]
    why = " ".join(e["explanation"] for e in triage.evidence)
    assert "En réponse à un message de la marque" in why


def test_repeated_hostility_raises_an_ordinary_complaint(session, rail):
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    for i in range(3):
        _ingest(session, account, _fetched(f"h-{i}", "Bande d'escrocs", i * 60, author="a-7"))
    _ingest(session, account, _fetched("h-9", "vous êtes nuls", 200, author="a-7"))
    assert _triage(session, "h-9").severity == "S3"
    # Another author saying the same thing for the first time: an ordinary complaint.
    _ingest(session, account, _fetched("o-1", "vous êtes nuls", 201, author="a-8"))
    assert _triage(session, "o-1").severity == "S2"


def test_history_older_than_the_window_does_not_count(session, rail):
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    for i in range(3):
        _ingest(session, account, _fetched(f"h-{i}", "Bande d'escrocs", i, author="a-7"))
    later = 10 * 24 * 60  # ten days later: outside `days: 7`
    _ingest(
        session,
        account,
        _fetched("h-9", "vous êtes nuls", later, author="a-7"),
        now=START + timedelta(minutes=later + 5),
    )
    assert _triage(session, "h-9").severity == "S2"


def test_context_is_gathered_with_a_fixed_number_of_queries(session, rail, engine):
    account = account_for(session, rail.id, platform="mastodon")
    session.commit()
    _ingest(session, account, *(_fetched(f"p-{i}", "Bande d'escrocs", i) for i in range(5)))

    def count_for(n: int) -> int:
        items = [
            _fetched(f"r{n}-{i}", "oui", 10 + i, author=f"x{n}-{i}", in_reply_to=f"p-{i % 5}")
            for i in range(n)
        ]
        ingest.store_mentions(session=session, account=account, items=items)
        session.commit()
        mentions = session.exec(
            select(Mention).where(Mention.state == "new").order_by(Mention.id)
        ).all()
        authors = {
            a.id: a
            for a in session.exec(
                select(Author).where(Author.id.in_({m.author_id for m in mentions}))  # type: ignore[attr-defined]
            )
        }
        statements: list[str] = []

        def seen(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", seen)
        try:
            ctx = triage_context.gather(session, rail.id, mentions, authors, START)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert all(ctx.for_mention(m)[0] is not None for m in mentions)
        triage.triage_pending(session=session, now=START + timedelta(hours=1))
        session.commit()
        return len(statements)

    assert count_for(2) == count_for(20) <= 4


def _push(session, account, item: FetchedMention) -> None:
    """As a push stores and triages: one transaction, with the authors and persons it made."""
    result = ingest.store_mentions(session=session, account=account, items=[item], defer=True)
    triage.triage_stored(
        session=session,
        account_id=account.id,
        external_ids=result.new,
        now=START + timedelta(hours=1),
        stored=result.rows,
        insert=result.deferred,
        people=result.people,
    )
    session.commit()


def test_a_new_author_joining_a_known_person_keeps_the_persons_history(session, rail):
    """Only persons the push itself created are taken to have no history: a new identity on
    another channel that joins a known person (same handle) is judged with that history."""
    mastodon = account_for(session, rail.id, platform="mastodon")
    bluesky = account_for(session, rail.id, platform="bluesky")
    session.commit()
    for i in range(3):
        _push(session, mastodon, _fetched(f"h-{i}", "Bande d'escrocs", i * 60, author="a-7"))
    other = _fetched("h-9", "vous êtes nuls", 200, author="b-7")
    # Another channel, the mastodon author's handle: the same person.
    other = replace(other, channel="bluesky", author=replace(other.author, handle="usera-7"))
    _push(session, bluesky, other)
    assert _triage(session, "h-9").severity == "S3"
    # A brand-new person saying the same thing: no history, an ordinary complaint.
    _push(session, mastodon, _fetched("o-1", "vous êtes nuls", 201, author="a-8"))
    assert _triage(session, "o-1").severity == "S2"
