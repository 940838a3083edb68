"""Queue rows kept rendered (app/ui/queue_rows.py): the key holds all the row template reads,
the HTML is the one a fresh render gives, and a change to what a row shows shows at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import meta

from app.models import Person
from app.ui import queue_rows
from tests.conftest import login
from tests.factories import make_brand, make_case, make_user

HX = {"HX-Request": "true"}
TEMPLATES = Path(__file__).resolve().parents[3] / "app" / "templates"
ROW = TEMPLATES / "queue" / "_row.html"
CLUSTER_ROW = TEMPLATES / "clusters" / "_queue_row.html"
# What the row template may take from its context besides `row`: globals, and the two values
# the key holds (`watched_row`, `can_work`). A new name read there must enter the key first.
CONTEXT_NAMES = {
    "row",
    "watched_row",
    "can_work",
    "sla_state",
    "url_for",
    "scenario_label",
    "queue_row_labels",
    "_",
    "claim_url",  # set in the template itself, inside a branch
}


def test_the_key_holds_everything_the_row_template_reads(app):
    source = ROW.read_text(encoding="utf-8")
    assert meta.find_undeclared_variables(app.jinja_env.parse(source)) <= CONTEXT_NAMES
    assert set(re.findall(r"\bc\.(\w+)", source)) <= set(queue_rows.CASE_READS)
    assert set(re.findall(r"\brow\.(\w+)", source)) <= set(queue_rows.ROW_READS)
    assert set(re.findall(r"\brow\.person\.(\w+)", source)) <= set(queue_rows.PERSON_READS)
    assert set(re.findall(r"\brow\.waiting\.(\w+)", source)) <= set(queue_rows.WAITING_READS)
    assert "c = row.case" in source  # `c.` above reads the case


def test_the_key_holds_everything_the_wave_row_template_reads(app):
    source = CLUSTER_ROW.read_text(encoding="utf-8")
    names = meta.find_undeclared_variables(app.jinja_env.parse(source))
    assert names <= {"crow", "url_for", "scenario_label", "_"}
    assert set(re.findall(r"\bcl\.(\w+)", source)) <= set(queue_rows.CLUSTER_READS)
    crow_reads = set(re.findall(r"\bcrow\.(\w+)", source)) - {"cluster", "brand"}
    assert crow_reads <= set(queue_rows.CLUSTER_ROW_READS)
    assert set(re.findall(r"\bcrow\.brand\.(\w+)", source)) == {"name"}  # in the key
    assert "cl = crow.cluster" in source  # `cl.` above reads the cluster


@pytest.mark.db
def test_kept_rows_are_the_fresh_ones_and_follow_changes(app, client, session):
    rail = make_brand(session, slug="rail", name="Rail Azur")
    make_user(session, rail, role="community_manager", email="cm@example.test")
    login(client, "cm@example.test")
    cases = [make_case(session, rail, f"Mon train {i} est en retard") for i in range(3)]

    def rows(html: str) -> list[str]:
        # The CSRF token differs per request: compare the rows without it.
        found = re.findall(r'<tr id="case-row-.*?</tr>', html, flags=re.S)
        return [re.sub(r'name="csrf_token" value="[^"]+"', "", row) for row in found]

    first = rows(client.get("/queue", headers=HX).get_data(as_text=True))
    kept = rows(client.get("/queue", headers=HX).get_data(as_text=True))
    app.extensions.pop("vigie_queue_rows", None)
    fresh = rows(client.get("/queue", headers=HX).get_data(as_text=True))
    assert len(first) == 3 and first == kept == fresh

    # Each request's own token is in the claim buttons it sends.
    html = client.get("/queue", headers=HX).get_data(as_text=True)
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
    assert len(tokens) == 1

    cases[1].severity = "S3"
    person = session.get(Person, cases[1].person_id)
    person.vip = True
    session.add_all([cases[1], person])
    session.commit()
    changed = client.get("/queue", headers=HX).get_data(as_text=True)
    row = next(r for r in rows(changed) if f'case-row-{cases[1].id}"' in r)
    assert "sev-S3" in row and "VIP" in row
