"""The `vigie` command line: database, users, brands, web server, worker and demo."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext

from app import create_app
from app.extensions import get_engine, session_scope
from app.models import ROLES
from app.serve import Gunicorn


def _app_factory() -> Flask:
    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_app_factory,
    add_default_commands=False,
    help="Vigie: moderation console for community-management agencies.",
)
def main() -> None:
    pass


main.add_command(routes_command)
main.add_command(shell_command)


def _register_tool_commands() -> None:
    from app.cli import backtest, proposals, references  # noqa: F401  (add `playbook backtest`, `playbook proposals`, `mentions extract-references`)
    from app.cli.connectors import connectors_group, mentions_group
    from app.cli.content import playbook_group, proofread

    for command in (playbook_group, proofread, connectors_group, mentions_group):
        main.add_command(command)


_register_tool_commands()


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply the Alembic migrations (SQLite or PostgreSQL)."""
    from app.migrate import upgrade

    upgrade(current_app.config["VIGIE_DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Roll the schema back to a revision."""
    from app.migrate import downgrade

    downgrade(current_app.config["VIGIE_DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@with_appcontext
def db_revision(message: str) -> None:
    """Write a migration from the models' difference with the database (developers)."""
    from app.migrate import revision

    revision(current_app.config["VIGIE_DATABASE_URL"], message)
    click.echo("Migration written in app/migrations/versions/: read it before committing.")


@main.group()
def brands() -> None:
    """Brands."""


@brands.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--timezone", default="Europe/Paris", show_default=True)
@click.option("--languages", default="fr", show_default=True, help="Comma-separated: fr,en")
@with_appcontext
def brands_create(slug: str, name: str, timezone: str, languages: str) -> None:
    """Create a brand."""
    from app.services.brands import BrandError, create_brand

    try:
        with session_scope(get_engine()) as session:
            brand = create_brand(
                session=session,
                slug=slug,
                name=name,
                timezone=timezone,
                languages=[lang.strip() for lang in languages.split(",")],
            )
            click.echo(f"Brand {brand.slug} created (id {brand.id}).")
    except BrandError as exc:
        raise click.ClickException(f"{exc.field}: {exc}") from exc


@main.group()
def users() -> None:
    """Users and roles."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), help="Role to grant (with --brand).")
@click.option("--brand", "brand_slug", help="Brand slug the role applies to.")
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--superadmin",
    is_flag=True,
    help="Make the user a platform-wide superadmin: admin of every brand, manages any user.",
)
@with_appcontext
def users_create(
    email: str,
    role: str | None,
    brand_slug: str | None,
    name: str,
    password_stdin: bool,
    superadmin: bool,
) -> None:
    """Create a user (or add a role to an existing one) on a brand, or a superadmin."""
    from app.services import brands as brand_service
    from app.services import users as user_service

    if bool(role) != bool(brand_slug):
        raise click.ClickException("--role and --brand go together.")
    if not role and not superadmin:
        raise click.ClickException("give --role and --brand, or --superadmin.")
    with session_scope(get_engine()) as session:
        brand = None
        if brand_slug:
            brand = brand_service.by_slug(session=session, slug=brand_slug)
            if brand is None:
                raise click.ClickException(f"unknown brand: {brand_slug}")
        user = user_service.find_by_email(session=session, email=email)
        if user is None:
            if password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            try:
                user = user_service.create_user(
                    session=session, email=email, password=password, name=name
                )
            except user_service.UserError as exc:
                raise click.ClickException(str(exc)) from exc
        if brand is not None and role:
            user_service.grant(session=session, user=user, brand=brand, role=role)
            click.echo(f"{user.email}: {role} on {brand.slug}.")
        if superadmin:
            user_service.set_superadmin(session=session, user=user, on=True)
            click.echo(f"{user.email}: superadmin.")


@users.command("superadmin")
@click.argument("email")
@click.option("--off", is_flag=True, help="Take the superadmin power away.")
@with_appcontext
def users_superadmin(email: str, off: bool) -> None:
    """Make an existing user a platform-wide superadmin (or no longer, with --off)."""
    from app.services import users as user_service

    with session_scope(get_engine()) as session:
        user = user_service.find_by_email(session=session, email=email)
        if user is None:
            raise click.ClickException(f"no such user: {email}")
        user_service.set_superadmin(session=session, user=user, on=not off)
        click.echo(f"{user.email}: {'no longer ' if off else ''}superadmin.")


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Web processes [default: 2 with shared rate-limit storage (Redis), else 1].",
)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def run(host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the console with gunicorn (production WSGI server)."""
    storage = current_app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    # In-memory login counters are per process: N processes would allow N times the attempts.
    shared = not storage.startswith("memory://")
    if workers is None:
        workers = 2 if shared else 1
    elif workers > 1 and not shared:
        raise click.ClickException(
            f"--workers {workers} needs shared login limits: set VIGIE_RATELIMIT_STORAGE_URL "
            "(or VIGIE_REDIS_URL) to redis://host:6379, or run one worker (--workers 1)."
        )
    Gunicorn.serve(current_app._get_current_object(), host, port, workers, threads)  # type: ignore[attr-defined]


@main.command("worker")
@click.option("--once", is_flag=True, help="Run one round of every job, then exit.")
@with_appcontext
def worker(once: bool) -> None:
    """Run the background worker: polling, outbox, SLA and escalation clocks."""
    from app.worker.runner import run_forever, run_once

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        report = run_once(app)
        click.echo(report.summary())
    else:
        from app.serve import (
            freeze_heap,
            prepare_lexicon_store,
            warm_up_playbooks,
            warm_up_proofreading,
        )

        prepare_lexicon_store()  # a web process on this machine then finds the templates ready
        warm_up_proofreading()  # the outbox gate proofreads: its first send should not pay
        warm_up_playbooks(app)  # and its first triage should not compile
        freeze_heap()  # as `vigie run`: collections no longer walk what start-up built
        run_forever(app)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--seed-only", is_flag=True, help="Create the demo data and exit.")
@click.option("--storm", is_flag=True, help="Start a storm on the seeded instance and exit.")
@click.option("--brand", "brand_slug", default="demo-rail", show_default=True)
@click.option("--minutes", default=3.0, show_default=True, type=float, help="Storm length.")
@click.option("--count", default=60, show_default=True, type=click.IntRange(10, 2000))
@with_appcontext
def demo(
    host: str, port: int, seed_only: bool, storm: bool, brand_slug: str, minutes: float, count: int
) -> None:
    """Create the demo agency, brands and users, then serve the console with a live stream."""
    from app.demo import run_demo, seed_demo

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    created = seed_demo(app)
    click.echo("Demo data ready." if created else "Demo data already present.")
    if storm:
        from app.cli.storm import run_storm

        run_storm(brand_slug, minutes=minutes, count=count)
        return
    if seed_only:
        return
    run_demo(app, host=host, port=port)


if __name__ == "__main__":
    main()
