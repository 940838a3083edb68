"""`vigie connectors …` and `vigie mentions list`: accounts and what they brought in."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from flask.cli import with_appcontext
from sqlmodel import col, select

from app.extensions import get_engine, session_scope
from app.models import PLATFORMS, Author, Case, ConnectorAccount, Mention, Triage, User
from app.params import MAX_ID
from app.services import accounts, brands
from connectors import ConnectorError


@click.group("connectors")
def connectors_group() -> None:
    """Connector accounts."""


@connectors_group.command("add")
@click.option("--brand", "brand_slug", required=True)
@click.option("--platform", required=True, type=click.Choice(PLATFORMS))
@click.option(
    "--base-url",
    default=None,
    help="Mastodon instance, Bluesky PDS/entryway, Graph, YouTube or Business Profile API URL "
    "(a fake server's).",
)
@click.option("--interval", default=60, show_default=True, type=int, help="Seconds between polls.")
@click.option("--handle", default="")
@click.option("--label", default="")
@click.option("--options", "options_json", default="{}", help="JSON options of the connector.")
@click.option(
    "--no-verify",
    is_flag=True,
    help="Save without checking the credentials against the platform (offline set-up).",
)
@with_appcontext
def add(
    brand_slug: str,
    platform: str,
    base_url: str | None,
    interval: int,
    handle: str,
    label: str,
    options_json: str,
    no_verify: bool,
) -> None:
    """Connect an account; credentials are read as JSON on stdin and stored encrypted.

    Bluesky: {"identifier": "brand.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}
    ("password" is accepted too). Mastodon: {"access_token": "…"}. X: OAuth 2.0 user context
    {"client_id": "…", "refresh_token": "…"} (+ "client_secret" for a confidential app), or
    the four OAuth 1.0a keys of a "Read and write" app, or {"bearer_token": "…"} (app-only:
    reads mentions only). The credentials are checked against the platform before anything
    is saved, unless --no-verify; the check says which operations they allow. Facebook:
    {"page_id": "…", "access_token": "<Page token>"} and Instagram: {"ig_user_id": "…",
    "access_token": "<token of the linked Page>"}, each with "app_secret" and "verify_token"
    for the webhook (/api/v1/meta/webhook). YouTube: {"client_id": "…", "client_secret":
    "…", "refresh_token": "…"} of an OAuth client the channel owner consented to (scope
    youtube.force-ssl). Google Business Profile: the same three plus "account_id" and
    "location_id" (scope business.manage).
    """
    raw = "" if platform in ("webhook", "demo") or sys.stdin.isatty() else sys.stdin.read()
    try:
        credentials = accounts.parse_credentials(platform, raw)
        options = accounts.parse_options(options_json)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    with session_scope(get_engine()) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        try:
            account, token = accounts.create_account(
                session=session,
                brand=brand,
                platform=platform,
                credentials=credentials,
                box=accounts.secrets_box(),
                label=label,
                handle=handle,
                base_url=base_url,
                interval_seconds=interval,
                options=options if isinstance(options, dict) else {},
                verify=not no_verify,
            )
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        except ConnectorError as exc:
            kind, detail = accounts.check_failure(exc)
            if kind == "refused":
                raise click.ClickException(
                    f"{platform} refused these credentials: {detail}. Nothing was saved."
                ) from exc
            reason = (
                "its address is private or local (VIGIE_ALLOW_PRIVATE_URLS)"
                if kind == "blocked"
                else "could not reach the server, or it does not answer like the platform"
            )
            raise click.ClickException(
                f"could not check the credentials with {platform}: {reason}. Nothing was "
                "saved; check the URL and try again, or pass --no-verify to save them unchecked."
            ) from exc
        click.echo(f"account {account.id}: {platform} for {brand.slug}")
        if not no_verify and platform in accounts.VERIFIABLE:
            click.echo(f"credentials checked with {platform}: {account.handle}")
            for line in access_report(account.options.get("access")):
                click.echo(line)
        if token:
            click.echo(f"webhook token (shown once): {token}")
        if platform in ("facebook", "instagram"):
            fields = "feed" if platform == "facebook" else "comments, mentions"
            click.echo(
                f"Meta webhook: subscribe https://<this server>/api/v1/meta/webhook ({fields}) "
                "with this account's verify_token; deliveries are checked with its app_secret"
            )


ACCESS_WORDS = {"read": "read mentions", "reply": "reply", "hide": "hide replies"}
ACCESS_NOTES = {
    "app_only": "app-only Bearer Token: reading only. To reply and hide, give OAuth 2.0 user "
    "credentials (client_id + refresh_token) or the OAuth 1.0a keys of a read + write app.",
    "expires_without_refresh": "user access token without refresh token: X refuses it after "
    "two hours. Give client_id and refresh_token so that Vigie renews it.",
    "oauth1_read_only": "the X app is read only: set 'App permissions' to 'Read and write' in "
    "the developer portal, regenerate the access token and secret, and add them again.",
    "no_hide_scope": "the token lacks the tweet.moderate.write scope: hiding is impossible.",
    "no_write_scope": "the token lacks the tweet.write scope: replying is impossible.",
}


def access_report(access: object) -> list[str]:
    """What the credentials allow, as the check found (`Connector.access`)."""
    if not isinstance(access, dict):
        return []
    ops = [ACCESS_WORDS.get(str(o), str(o)) for o in access.get("operations") or []]
    lines = [f"these credentials allow: {', '.join(ops) or 'nothing'} ({access.get('kind')})"]
    return lines + [
        f"warning: {ACCESS_NOTES[n]}" for n in access.get("notes") or [] if n in ACCESS_NOTES
    ]


@connectors_group.command("list")
@with_appcontext
def list_accounts() -> None:
    """Every account with its health."""
    with session_scope(get_engine()) as session:
        for a in session.exec(select(ConnectorAccount).order_by(col(ConnectorAccount.id))):
            click.echo(
                f"{a.id:>4} {a.platform:<9} brand={a.brand_id} {a.label!r} "
                f"status={a.status} active={a.is_active} last_poll={a.last_poll_at} "
                f"next_poll={a.next_poll_at} error={a.last_error or '-'} "
                f"code={a.last_error_code or '-'}"
            )


@connectors_group.command("poll")
@click.argument("account_id", type=int)
@with_appcontext
def poll(account_id: int) -> None:
    """Poll one account now and print what was stored; exits 1 when the poll failed.

    Exit codes: 0 all fetched, 1 failed or stopped early (credentials refused, rate limit,
    platform down), 2 no such account.
    """
    from app.worker import leases
    from app.worker.polling import poll_account

    with session_scope(get_engine()) as session:
        account = session.get(ConnectorAccount, account_id) if 0 < account_id <= MAX_ID else None
        platform = account.platform if account else None
    if platform is None:
        click.echo(
            f"Error: no connector account {account_id} (see `vigie connectors list`)", err=True
        )
        sys.exit(2)
    if platform == "webhook":
        raise click.ClickException(
            f"account {account_id} is a webhook: mentions are pushed to it, nothing to poll"
        )
    outcome = poll_account(get_engine(), account_id, accounts.secrets_box(), leases.worker_id())
    if outcome.skipped:
        raise click.ClickException("another worker holds this account's lease; try again")
    click.echo(
        f"stored {outcome.stored}, already known {outcome.duplicates}, status {outcome.status}"
    )
    if outcome.failed:
        what = (
            "the platform refused the credentials; the account is flagged and no longer "
            "polled until they are replaced"
            if outcome.flagged
            else f"nothing fetched (status {outcome.status}); the worker will retry"
        )
        raise click.ClickException(f"poll failed: {outcome.error}. {what}")
    if outcome.partial:
        raise click.ClickException(
            f"poll stopped early: {outcome.error}. What was fetched is stored; "
            "the rest comes with the next poll"
        )


@click.group("mentions")
def mentions_group() -> None:
    """Stored mentions."""


@mentions_group.command("list")
@click.option("--brand", "brand_slug", required=True)
@click.option("--since", default=None, help="ISO date-time; only mentions posted after it.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--limit", default=1000, show_default=True)
@with_appcontext
def list_mentions(brand_slug: str, since: str | None, as_json: bool, limit: int) -> None:
    """Mentions of a brand with their triage."""
    with session_scope(get_engine()) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        query = (
            select(Mention, Author)
            .join(Author, col(Author.id) == Mention.author_id)
            .where(Mention.brand_id == brand.id)
        )
        if since:
            try:
                moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
            except ValueError as exc:
                raise click.BadParameter(
                    f"{since!r} is not an ISO date-time (e.g. 2026-01-05T10:00:00+01:00)",
                    param_hint="--since",
                ) from exc
            query = query.where(col(Mention.posted_at) >= moment)
        rows = session.exec(
            query.order_by(col(Mention.posted_at), col(Mention.id)).limit(limit)
        ).all()
        latest = _latest_triages(session, [m.id for m, _ in rows if m.id is not None])
        assignees = _case_assignees(session, {m.case_id for m, _ in rows if m.case_id})
        for mention, author in rows:
            triage = latest.get(mention.id or 0)
            record = {
                "platform": mention.platform,
                "external_id": mention.external_id,
                "author": author.handle,
                "text": mention.text,
                "severity": triage.severity if triage else None,
                "scenarios": triage.scenarios if triage else [],
                "action": triage.action if triage else None,
                "case_id": mention.case_id,
                "cluster_id": mention.cluster_id,
                "references": [
                    {"kind": r["kind"], "value": r["value"]} for r in mention.customer_refs or []
                ],
                "sentiment": mention.sentiment,
                "assignee": assignees.get(mention.case_id) if mention.case_id else None,
            }
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(
                    f"[{record['severity'] or '--'}] {record['platform']}:"
                    f"{author.handle}: {mention.text[:80]}"
                )


def _case_assignees(session, case_ids: set[int]) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """Case id -> its assignee's e-mail (routing or a claim), for cases someone holds."""
    if not case_ids:
        return {}
    rows = session.exec(
        select(Case.id, User.email)
        .join(User, col(User.id) == Case.assignee_id)
        .where(col(Case.id).in_(sorted(case_ids)))
    ).all()
    return dict(rows)


def _latest_triages(session, mention_ids: list[int]) -> dict[int, Triage]:  # type: ignore[no-untyped-def]
    latest: dict[int, Triage] = {}
    for triage in session.exec(
        select(Triage)
        .where(col(Triage.mention_id).in_(mention_ids))
        .order_by(col(Triage.created_at), col(Triage.id))
    ):
        latest[triage.mention_id] = triage
    return latest
