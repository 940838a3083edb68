"""Hostile input gets a clear 4xx or an error message, never a 500 (issue 12, finding 8)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import ConnectorAccount
from tests.conftest import csrf_token, login, post
from tests.factories import make_brand, make_user

pytestmark = pytest.mark.db
HX = {"HX-Request": "true"}

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture
def brand(session):
    return make_brand(session, slug="rail", name="Rail Test")


def _as(client, session, brand, role):
    make_user(session, brand, role=role, email=f"{role}@example.test")
    login(client, f"{role}@example.test")


@pytest.mark.parametrize(
    "body", ["{{ 10**5000 }}", "{{ 'a' * 10**6 }}", "{% for i in range(10**7) %}x{% endfor %}"]
)
def test_a_canned_reply_preview_that_would_exhaust_the_server_is_an_authoring_error(
    client, session, brand, body
):
    _as(client, session, brand, "playbook_editor")
    data = {"brand_id": brand.id, "language": "fr", "body": body}
    response = post(client, "/canned-replies/check", data, headers=HX)
    assert response.status_code == 200
    assert "too large" in response.get_data(as_text=True) or "too long" in response.get_data(
        as_text=True
    )


def test_a_yaml_alias_bomb_in_the_playbook_editor_fails_fast(client, session, brand):
    _as(client, session, brand, "playbook_editor")
    response = post(
        client, "/playbooks/validate", {"brand_id": brand.id, "source": BILLION_LAUGHS}, headers=HX
    )
    assert response.status_code == 200
    assert "YAML trop volumineux ou trop imbriqué" in response.get_data(as_text=True)


def test_next_with_cr_lf_does_not_split_the_redirect(client, session, brand):
    make_user(session, brand, role="lead", email="lead@example.test")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/queue%0D%0ASet-Cookie:%20pwned=1",
        data={"email": "lead@example.test", "password": "pw-test", "csrf_token": token},
    )
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"] and "pwned" not in response.headers["Location"]


def test_ids_out_of_range_or_not_ascii_are_4xx(client, session, brand):
    _as(client, session, brand, "admin")
    assert client.get("/cases/99999999999999999999").status_code == 404
    assert client.get("/admin/brands/99999999999999999999").status_code == 404
    assert client.get("/queue?brand_id=²").status_code == 200
    assert client.get("/audit?brand_id=99999999999999999999").status_code == 200
    response = post(client, f"/admin/brands/{brand.id}", {"name": "Rail", "sla_S1": "²"})
    assert response.status_code < 500


def test_connector_options_nested_thousands_deep_are_refused(client, session, brand):
    _as(client, session, brand, "admin")
    data = {
        "brand_id": brand.id,
        "platform": "webhook",
        "label": "Formulaire",
        "options": "[" * 5000,
        "interval_seconds": "60",
    }
    response = post(client, "/admin/accounts/new", data)
    assert response.status_code in (200, 422)
    assert "imbriqué" in response.get_data(as_text=True)
    response = post(client, "/admin/accounts/new", {**data, "options": "[1, 2]"})
    assert "objet JSON" in response.get_data(as_text=True)
    assert session.exec(select(ConnectorAccount)).all() == []


def test_a_webhook_body_nested_thousands_deep_is_422(client, session, brand):
    from app.security.secrets_box import SecretsBox
    from app.services.accounts import create_account
    from tests.conftest import TEST_ENCRYPTION_KEY

    _, token = create_account(
        session=session,
        brand=brand,
        platform="webhook",
        credentials={},
        box=SecretsBox(TEST_ENCRYPTION_KEY),
        label="Formulaire",
    )
    session.commit()
    response = client.post(
        "/api/v1/mentions",
        data=b"[" * 60_000,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "nested" in response.get_json()["error"]
