"""`vigie mentions extract-references`: references and tone for mentions stored before."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli.connectors import mentions_group
from app.extensions import get_engine, session_scope
from app.services import brands
from app.services.reference_backfill import backfill_references


@mentions_group.command("extract-references")
@click.option("--brand", "brand_slug", required=True)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Read every mention again (after the playbook's reference patterns changed).",
)
@with_appcontext
def extract_references(brand_slug: str, everything: bool) -> None:
    """Find customer references and tone in the brand's older mentions (resumable)."""
    with session_scope(get_engine()) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        result = backfill_references(
            session,
            brand,
            everything=everything,
            progress=lambda n: click.echo(f"{n} mentions read…", err=True),
        )
    click.echo(
        f"{result.examined} mentions read, {result.with_references} with a reference "
        f"({brand_slug})."
    )
