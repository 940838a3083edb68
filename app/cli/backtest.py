"""`vigie playbook backtest`: replay a draft on a brand's history, with per-rule statistics."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

import playbooks
from app.cli.content import playbook_group


@playbook_group.command("backtest")
@click.option("--brand", "brand_slug", required=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 90))
@click.option("--json", "as_json", is_flag=True, help="One JSON object: counts and `rules`.")
@with_appcontext
def backtest_command(brand_slug: str, file: str, days: int, as_json: bool) -> None:
    """Replay FILE on the brand's mentions of the last DAYS days (at most 5,000)."""
    from app.extensions import get_engine, session_scope
    from app.services import backtest, brand_lexicons, brands

    source = Path(file).read_text("utf-8")
    with session_scope(get_engine()) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        try:
            stored = brand_lexicons.stored_for_playbook(
                session=session, brand_id=brand.id or 0, source=source
            )
            engine = playbooks.load_playbook(
                source, source=file, stored_lexicons={s.name: s for s in stored}
            )
        except playbooks.PlaybookError as exc:
            raise click.ClickException(f"invalid playbook:\n{exc}") from exc
        result = backtest.run_backtest(session=session, brand=brand, engine=engine, days=days)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "brand": brand_slug,
                    "days": result.days,
                    "mentions": result.total,
                    "truncated": result.truncated,
                    "overrides": result.overrides,
                    "agreement": result.draft_agreement,
                    "changed": result.changed_count,
                    "elapsed_ms": round(result.elapsed_ms),
                    "rules": [rule.as_dict() for rule in result.rules],
                },
                ensure_ascii=False,
            )
        )
        return
    click.echo(
        f"{result.total} mentions replayed in {result.elapsed_ms:.0f} ms; "
        f"{result.changed_count} would change; {result.overrides} reviewed"
    )
    click.echo(f"{'rule':32} {'fired':>6} {'kept':>5} {'corr.':>5} {'missed':>6} {'prec.':>6}")
    for rule in result.rules:
        precision = "—" if rule.precision is None else f"{rule.precision:.0%}"
        click.echo(
            f"{rule.id[:32]:32} {rule.fired:>6} {rule.kept:>5} {rule.corrected:>5} "
            f"{rule.missed:>6} {precision:>6}"
        )
