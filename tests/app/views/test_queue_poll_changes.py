"""The queue's poll against its brands' change counters (app/services/queue_changes.py): a 204
that reads the counters alone while nothing changed, new rows after every kind of write (a
pushed mention, a claim, a send, a merge, a correction, a close) with a count that stays exact,
and never a wake-up for another brand's writes."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import Brand, Case
from app.services import casework, claims, merge_split, queue, replies
from app.services.queue import QueueFilters
from app.services.replies import ReplyDraft
from tests.app.views.test_statement_counts import statements
from tests.conftest import login
from tests.factories import make_brand, make_case, make_rail_push_token, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}
FAR = timedelta(days=3)  # "dans 3 jours" all along: only the writes change the rows
POLL_URL = re.compile(r'id="queue-rows" hx-get="([^"]+)"')
COUNT = re.compile(r'id="queue-count"[^>]*data-count="(\d+)"')
CLEAN = "Bonjour Jeanne, nous sommes désolés pour ce retard."


class Queue:
    """One CM's open queue: the URL its poll sends, as the page's htmx does."""

    def __init__(self, client) -> None:
        self.client = client
        self.url = self._url(client.get("/queue").get_data(as_text=True))
        self.count: int | None = None

    @staticmethod
    def _url(html: str) -> str:
        found = POLL_URL.search(html)
        assert found, html[:300]
        return found.group(1).replace("&amp;", "&")

    def poll(self) -> int:
        answer = self.client.get(self.url, headers=HX)
        if answer.status_code == 200:
            html = answer.get_data(as_text=True)
            self.url = self._url(html)
            self.count = int(COUNT.search(html).group(1))  # type: ignore[union-attr]
        return answer.status_code


@pytest.fixture
def token(session) -> str:
    return make_rail_push_token(session)


@pytest.fixture
def rail(session, token) -> Brand:
    return session.exec(select(Brand).where(Brand.slug == "rail")).one()


@pytest.fixture
def cm(client, session, rail):
    user = make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    return user


def _truth(session, brand: Brand, user_id: int) -> int:
    """count(*) of the queue's default view, read now."""
    session.expire_all()
    base = select(Case).where(Case.brand_id == brand.id)
    return queue.queue_count(session=session, base=base, filters=QueueFilters(), user_id=user_id)


def _push(app, token: str, *texts: str) -> None:
    items = [
        {
            "id": f"form-{abs(hash(text))}",
            "text": text,
            "author": {"id": f"c-{abs(hash(text))}", "handle": "client.mecontent"},
            "created_at": "2026-11-23T10:00:00Z",
            "channel": "web_form",
            "lang": "fr",
        }
        for text in texts
    ]
    answer = app.test_client().post(
        "/api/v1/mentions",
        data=json.dumps(items if len(items) > 1 else items[0]),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 202, answer.get_data(as_text=True)


def test_a_poll_of_unchanged_rows_reads_the_counters_alone(client, session, engine, rail, cm):
    make_case(session, rail, "Mon train de 8 h est annulé", due_in=FAR)
    shown = Queue(client)
    with statements(engine) as seen:
        assert shown.poll() == 204
    assert sum("brand_change" in s for s in seen) == 1
    assert not [s for s in seen if re.search(r"\bcases\b", s)], seen  # no row, no count(*)


def test_every_kind_of_write_wakes_the_poll_and_the_count_stays_exact(
    app, client, session, rail, cm, token
):
    colleague = make_user(session, rail, email="lea-collegue@example.test")
    first = make_case(session, rail, "Mon train de 8 h est annulé", due_in=FAR)
    second = make_case(session, rail, "Et celui de 9 h aussi", due_in=FAR)
    third = make_case(session, rail, "Le 10 h est supprimé", due_in=FAR)
    shown = Queue(client)
    assert shown.poll() == 204

    def changed() -> None:
        assert shown.poll() == 200
        assert shown.count == _truth(session, rail, cm.id)
        assert shown.poll() == 204  # and quiet again until the next write

    _push(app, token, "Bonjour, le train 6512 a une heure de retard, aucune annonce en gare.")
    changed()
    claims.claim(session=session, case=first, actor=colleague)
    session.commit()
    changed()
    replies.send_reply(
        session=session,
        case=first,
        brand=rail,
        actor=colleague,
        draft=ReplyDraft(text=CLEAN),
    )
    session.commit()
    changed()
    before = shown.count
    merge_split.merge(session=session, target=second, source=third, actor=colleague)
    session.commit()
    changed()
    assert shown.count == before - 1  # the merged case left the queue
    casework.override_triage(
        session=session,
        case=second,
        actor=colleague,
        severity="S3",
        scenario=None,
        reason="Plus grave qu'il n'y paraît",
    )
    session.commit()
    changed()
    casework.close(session=session, case=second, actor=colleague)
    session.commit()
    changed()
    assert shown.count == before - 2


def test_another_brands_writes_do_not_wake_this_brands_poll(app, client, session, rail, cm):
    shop = make_brand(session, slug="shop", name="Boutique")
    shop_case = make_case(session, shop, "Colis jamais livré", due_in=FAR)
    make_case(session, rail, "Train supprimé sans prévenir", due_in=FAR)
    shop_cm = make_user(session, shop, email="shop@example.test")
    shown = Queue(client)
    claims.claim(session=session, case=shop_case, actor=shop_cm)
    session.commit()
    make_case(session, shop, "Toujours pas de colis", due_in=FAR)
    casework.close(session=session, case=shop_case, actor=shop_cm)
    session.commit()
    assert shown.poll() == 204
    make_case(session, rail, "Et le suivant aussi", due_in=FAR)
    assert shown.poll() == 200


def test_only_the_version_of_these_very_rows_answers_without_reading_them(
    client, session, rail, cm
):
    make_case(session, rail, "Mon train de 8 h est annulé", due_in=FAR)
    shown = Queue(client)
    version = re.search(r"[?&]v=([^&]+)", shown.url).group(1)  # type: ignore[union-attr]
    sig, started, until = version.split(".")
    other = shown.url.replace("seen=", "seen=x")  # as if the browser showed other rows
    # The version vouches for the rows it came with: nothing changed since, a 204 unread.
    assert client.get(other, headers=HX).status_code == 204
    for forged in ("", "x", f"{sig}.{started}", f"{'0' * len(sig)}.{started}.{until}"):
        url = other.replace(f"v={version}", f"v={forged}")
        assert client.get(url, headers=HX).status_code == 200  # the rows are read and compared
    # Another filter's rows: the version's hash covers the key, not only the counters.
    severe = client.get(shown.url.replace("/queue?", "/queue?severity=S4&"), headers=HX)
    assert severe.status_code == 200
