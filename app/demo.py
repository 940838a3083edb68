"""`vigie demo`: a fictitious agency with two brands, one user per role, and a live stream."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import click
from flask import Flask
from sqlmodel import Session, select

from app.extensions import get_engine, session_scope
from app.migrate import upgrade
from app.models import Brand, ConnectorAccount, User
from app.serve import Gunicorn
from app.services import brands as brand_service
from app.services import users as user_service

DEMO_PASSWORD = "demo"
DEMO_BRANDS: tuple[dict[str, Any], ...] = (
    {
        "slug": "demo-rail",
        "name": "Ferlis (démo)",
        "languages": ["fr", "en"],
        "business_hours": {
            d: ["06:00", "22:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    },
    {
        "slug": "demo-shop",
        "name": "Cabasso (démo)",
        "languages": ["fr", "en"],
        "business_hours": {
            d: ["09:00", "19:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat")
        },
    },
)
# (e-mail, role, brands) — keep these names stable: scripted checks use them.
DEMO_USERS = (
    ("admin@vigie.demo", "admin", ("demo-rail", "demo-shop")),
    ("lead@vigie.demo", "lead", ("demo-rail", "demo-shop")),
    ("cm@vigie.demo", "community_manager", ("demo-rail", "demo-shop")),
    ("editor@vigie.demo", "playbook_editor", ("demo-rail", "demo-shop")),
    ("owner@demo-rail.vigie.demo", "brand_owner", ("demo-rail",)),
    ("owner@demo-shop.vigie.demo", "brand_owner", ("demo-shop",)),
)
DEMO_STREAM_PACE = int(os.environ.get("VIGIE_DEMO_PACE", "6"))  # mentions per minute per brand
# Minutes of stream already "past" at first start, so the queue is not empty on arrival.
DEMO_BACKLOG_MINUTES = int(os.environ.get("VIGIE_DEMO_BACKLOG_MINUTES", "10"))
# Days of handled history seeded at first start, so reports and charts show something (0: none).
HISTORY_DAYS = int(os.environ.get("VIGIE_DEMO_HISTORY_DAYS", "90"))


def seed_demo(app: Flask) -> bool:
    """Create the demo data on an empty database; returns False when it was already there."""
    app.config["VIGIE_DEMO"] = True
    upgrade(app.config["VIGIE_DATABASE_URL"])
    with session_scope(get_engine()) as session:
        if session.exec(select(User).where(User.email == DEMO_USERS[0][0])).first():
            return False
        brands = {
            spec["slug"]: brand_service.create_brand(session=session, **spec)
            for spec in DEMO_BRANDS
        }
        for email, role, slugs in DEMO_USERS:
            user = user_service.create_user(
                session=session, email=email, password=DEMO_PASSWORD, name=_display_name(email)
            )
            for slug in slugs:
                user_service.grant(session=session, user=user, brand=brands[slug], role=role)
            if role == "admin":  # the demo's operator: manages every account, shared ones too
                user_service.set_superadmin(session=session, user=user, on=True)
        for brand in brands.values():
            _seed_brand_content(session, brand)
        _start_routing(session, list(brands.values()))
        if HISTORY_DAYS:
            from app.demo_history import seed_history

            seed_history(session, list(brands.values()), days=HISTORY_DAYS)
    return True


def _start_routing(session: Session, brands: list[Brand]) -> None:
    """Routing on for the demo brands, the demo CM on shift: cases arrive assigned to them."""
    from app.services import routing_profiles, shifts

    cm = session.exec(select(User).where(User.email == "cm@vigie.demo")).one()
    lead = session.exec(select(User).where(User.email == "lead@vigie.demo")).one()
    for brand in brands:
        brand.settings = {**(brand.settings or {}), "routing_enabled": True}
        session.add(brand)
        routing_profiles.save_profile(
            session=session,
            brand_id=brand.id,  # type: ignore[arg-type]
            user=cm,
            actor=lead,
            form={"languages": "", "seniority": "rapid", "max_open": "60"},
        )
    shifts.set_on_shift(session=session, user=cm, on_shift=True)


def _display_name(email: str) -> str:
    names = {
        "admin": "Alice Admin",
        "lead": "Léa Superviseure",
        "cm": "Camille CM",
        "editor": "Étienne Éditeur",
    }
    local, domain = email.split("@")
    return names.get(local, f"Responsable {domain.split('.')[0]}")


def _seed_brand_content(session: Session, brand: Brand) -> None:
    """Publish the shipped playbook and canned replies and plug in the demo stream."""
    from app.services import content

    content.install_shipped_content(session=session, brand=brand)
    from app.demo_crisis import install_crisis_playbook

    install_crisis_playbook(session=session, brand=brand)  # crisis mode ready (issue 16)
    exists = session.exec(
        select(ConnectorAccount).where(
            ConnectorAccount.brand_id == brand.id, ConnectorAccount.platform == "demo"
        )
    ).first()
    if exists is None:
        from app.services.accounts import create_account, secrets_box

        account, _ = create_account(
            session=session,
            brand=brand,
            platform="demo",
            credentials={},
            box=secrets_box(),
            label="Flux de démonstration",
            handle=brand.slug,
            interval_seconds=10,
            options={"brand": brand.slug, "pace": DEMO_STREAM_PACE},
        )
        # The demo connector's cursor is "start_epoch:index": starting in the past replays a
        # backlog at once, then the stream continues live.
        account.cursor = f"{int(time.time()) - DEMO_BACKLOG_MINUTES * 60}:0"


def run_demo(app: Flask, host: str, port: int) -> None:
    """Serve the console and run the worker beside it until interrupted."""
    url = f"http://{host}:{port}"
    click.echo(f"\nVigie demo: {url}\n")
    click.echo("Logins (password: demo):")
    for email, role, slugs in DEMO_USERS:
        click.echo(f"  {email:<32} {role:<18} {', '.join(slugs)}")
    click.echo("")
    env = {**os.environ, "VIGIE_DEMO": "1", "VIGIE_DATABASE_URL": app.config["VIGIE_DATABASE_URL"]}
    worker = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env)
    try:
        Gunicorn.serve(app, host, port, workers=1, threads=8)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
