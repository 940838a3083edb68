"""The audit page and its CSV export: brand-scoped, filterable, every step of an approval."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.models import AuditEvent, utcnow
from app.services import approvals
from tests.app.portal_support import cast, pending_reply, scope
from tests.conftest import login

pytestmark = pytest.mark.db


def _rows(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_holds_the_approval_steps_of_my_brand_only(client, session):
    people = cast(session)
    reply = pending_reply(session, people.brand, people.cm)
    approvals.approve(
        session=session,
        reply=reply,
        actor=people.owner,
        scope=scope(session, people.owner),
        edited_text="Version validée",
    )
    session.add(
        AuditEvent(
            brand_id=people.other.id,
            action="reply.approved",
            target_type="reply",
            note="AUTRE MARQUE",
        )
    )
    session.add(
        AuditEvent(
            brand_id=people.brand.id,
            action="case.closed",
            target_type="case",
            note='=HYPERLINK("http://evil")',
        )
    )
    session.commit()
    login(client, "owner@rail.test")
    page = client.get("/audit").get_data(as_text=True)
    assert "reply.approved_edited" in page and "AUTRE MARQUE" not in page
    rows = _rows(client.get("/audit/export.csv"))
    actions = {r["action"] for r in rows}
    assert {"reply.approved_edited", "case.closed"} <= actions
    assert all(r["brand"] == "rail" for r in rows)
    edited = next(r for r in rows if r["action"] == "reply.approved_edited")
    assert "Version validée" in edited["after"] and edited["actor"] == "owner@rail.test"
    closed = next(r for r in rows if r["action"] == "case.closed")
    assert closed["note"].startswith("'=")  # no formula injection in spreadsheets


def test_filters_by_action_and_date_and_foreign_brand_is_404(client, session):
    people = cast(session)
    old = AuditEvent(
        brand_id=people.brand.id,
        action="case.closed",
        target_type="case",
        created_at=utcnow() - timedelta(days=10),
    )
    session.add_all(
        [old, AuditEvent(brand_id=people.brand.id, action="reply.rejected", target_type="reply")]
    )
    session.commit()
    login(client, "lead@agency.test")
    today = utcnow().date()
    rows = _rows(client.get(f"/audit/export.csv?from={today - timedelta(days=1)}"))
    assert "reply.rejected" in [r["action"] for r in rows]
    assert "case.closed" not in [r["action"] for r in rows]
    rows = _rows(client.get("/audit/export.csv?action=case."))
    assert [r["action"] for r in rows] == ["case.closed"]
    assert client.get(f"/audit?brand={people.other.id}").status_code == 404


def test_community_manager_has_no_audit_page(client, session):
    cast(session)
    login(client, "cm@agency.test")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
