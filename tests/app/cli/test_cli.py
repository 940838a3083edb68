"""The `vigie` command line as an operator uses it."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app.cli import main
from app.models import AuditEvent, ConnectorAccount, Membership, User
from tests.factories import make_brand

pytestmark = pytest.mark.db


def run(app, args, input=None):
    return app.test_cli_runner().invoke(main, args, input=input)


def test_users_create_reads_the_password_from_stdin(app, session):
    make_brand(session, slug="acme")
    result = run(
        app,
        [
            "users",
            "create",
            "--email",
            "Lea@Example.test",
            "--role",
            "lead",
            "--brand",
            "acme",
            "--password-stdin",
        ],
        input="s3cret-pw\n",
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "lea@example.test")).one()
    assert user.password_hash.startswith("$argon2")
    assert session.exec(select(Membership.role).where(Membership.user_id == user.id)).all() == [
        "lead"
    ]


def test_users_create_on_an_unknown_brand_fails_clearly(app):
    result = run(
        app,
        [
            "users",
            "create",
            "--email",
            "a@b.c",
            "--role",
            "lead",
            "--brand",
            "nope",
            "--password-stdin",
        ],
        input="pw-pw\n",
    )
    assert result.exit_code != 0 and "unknown brand: nope" in result.output


def test_connectors_add_encrypts_credentials_and_lists(app, session):
    make_brand(session, slug="acme")
    result = run(
        app,
        [
            "connectors",
            "add",
            "--brand",
            "acme",
            "--platform",
            "mastodon",
            "--base-url",
            "https://m.example",
            "--interval",
            "30",
            "--no-verify",
        ],
        input=json.dumps({"access_token": "tok-SECRET"}),
    )
    assert result.exit_code == 0, result.output
    account = session.exec(select(ConnectorAccount)).one()
    assert account.interval_seconds == 30 and "tok-SECRET" not in account.credentials_encrypted
    listing = run(app, ["connectors", "list"])
    assert "mastodon" in listing.output and "tok-SECRET" not in listing.output


def test_connectors_add_webhook_prints_the_token_once(app, session):
    make_brand(session, slug="acme")
    result = run(app, ["connectors", "add", "--brand", "acme", "--platform", "webhook"])
    assert "webhook token (shown once):" in result.output


def test_proofread_prints_json_findings(app):
    result = run(app, ["proofread", "--lang", "fr"], input="Les enfant mange des pomme.")
    findings = json.loads(result.output)
    assert findings and {"start", "end", "message", "suggestions", "rule"} <= set(findings[0])


def test_proofread_jsonl_answers_one_line_per_input(app):
    lines = "\n".join(
        json.dumps({"text": t})
        for t in ("Merci pour votre message.", "Nous avons bien recu votre demande.")
    )
    result = run(app, ["proofread", "--lang", "fr", "--jsonl"], input=lines + "\n")
    out = [json.loads(line) for line in result.output.strip().splitlines()]
    assert len(out) == 2 and out[0]["findings"] == [] and out[1]["findings"]


def test_playbook_validate_names_the_line_of_an_error(app, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("brand: acme\nscenarios:\n  - id: x\n    severity: S9\n", encoding="utf-8")
    result = run(app, ["playbook", "validate", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml:" in result.output and ":4:" in result.output


def test_users_superadmin_is_made_by_the_cli_only(app, session):
    make_brand(session, slug="acme")
    result = run(
        app,
        ["users", "create", "--email", "Ops@Example.test", "--superadmin", "--password-stdin"],
        input="s3cret-pw\n",
    )
    assert result.exit_code == 0, result.output
    user = session.exec(select(User).where(User.email == "ops@example.test")).one()
    assert user.is_superadmin
    assert session.exec(select(Membership).where(Membership.user_id == user.id)).all() == []
    result = run(app, ["users", "superadmin", "ops@example.test", "--off"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert not session.get(User, user.id).is_superadmin
    assert run(app, ["users", "superadmin", "ops@example.test"]).exit_code == 0
    session.expire_all()
    assert session.get(User, user.id).is_superadmin
    events = session.exec(
        select(AuditEvent.action).where(AuditEvent.target_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert events[-3:] == [
        "user.superadmin_granted",
        "user.superadmin_revoked",
        "user.superadmin_granted",
    ]
    result = run(app, ["users", "superadmin", "nobody@example.test"])
    assert result.exit_code != 0 and "no such user" in result.output
    result = run(app, ["users", "create", "--email", "x@example.test", "--password-stdin"])
    assert result.exit_code != 0 and "--superadmin" in result.output
