"""`vigie demo --storm`: similar complaints arrive in waves (one threat hidden inside)."""

from __future__ import annotations

import sys
import time
from datetime import timedelta

import click
from sqlmodel import select

from app import demo_crisis, demo_storm
from app.extensions import get_engine, session_scope
from app.models import Brand, utcnow

WAVE_SECONDS = 10.0


def run_storm(slug: str, *, minutes: float, count: int) -> None:
    """Inject `count` mentions over `minutes` in waves through the ordinary ingest path."""
    if not 0 <= minutes <= 60:
        click.echo("--minutes must be between 0 and 60.", err=True)
        sys.exit(2)
    with session_scope(get_engine()) as session:
        brand = session.exec(select(Brand).where(Brand.slug == slug)).first()
        if brand is None:
            click.echo(f"No brand {slug!r}.", err=True)
            sys.exit(2)
        if slug in demo_crisis.HOLDING:  # a demo seeded before crisis mode: prepare it now
            demo_crisis.install_crisis_playbook(session=session, brand=brand)
        try:
            demo_storm.storm_account(session, brand)
        except demo_storm.StormError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        items = demo_storm.storm_mentions(
            brand, count, start=utcnow(), spread=timedelta(minutes=minutes)
        )
    waves = max(1, int(minutes * 60 / WAVE_SECONDS))
    per_wave = -(-count // waves)
    started = time.monotonic()
    click.echo(f"Storm on {slug}: {count} mentions in {minutes:g} min ({waves} waves).")
    for n in range(waves):
        wave = items[n * per_wave : (n + 1) * per_wave]
        if not wave:
            break
        # Each mention keeps the time it "arrives" at: now, not a planned time.
        now = utcnow()
        wave = [demo_storm.replace_time(item, now) for item in wave]
        with session_scope(get_engine()) as session:
            brand = session.exec(select(Brand).where(Brand.slug == slug)).one()
            result = demo_storm.inject(session=session, brand=brand, items=wave, audit_it=n == 0)
        click.echo(f"  wave {n + 1}/{waves}: {result.stored} stored, {result.triaged} triaged")
        pause = started + (n + 1) * WAVE_SECONDS - time.monotonic()
        if n + 1 < waves and pause > 0:
            time.sleep(pause)
    click.echo("Storm done: see /crisis?brand=" + slug)
