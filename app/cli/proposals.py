"""`vigie playbook proposals`: the proposed edits from a brand's corrections, with figures."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from app.cli.content import playbook_group


@playbook_group.command("proposals")
@click.option("--brand", "brand_slug", required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with `proposals`.")
@with_appcontext
def proposals_command(brand_slug: str, as_json: bool) -> None:
    """Print the brand's current proposals (computed here first when there are none)."""
    from app.extensions import get_engine, session_scope
    from app.services import brands, proposal_jobs
    from app.worker.leases import worker_id

    engine = get_engine()
    with session_scope(engine) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        brand_id = brand.id or 0
        job = proposal_jobs.latest(session, brand_id)
        if job is None or job.state == "failed":
            proposal_jobs.request(session, brand, None)
    job = proposal_jobs.compute_now(engine, brand_id, worker_id())
    if job is None or job.state != "done":
        raise click.ClickException(f"proposals not computed: {job.error if job else 'no job'}")
    if as_json:
        shown = [{k: v for k, v in p.items() if k != "source"} for p in job.result]
        click.echo(
            json.dumps(
                {
                    "brand": brand_slug,
                    "job": job.id,
                    "computed_at": str(job.finished_at),
                    "proposals": shown,
                },
                ensure_ascii=False,
            )
        )
        return
    if not job.result:
        click.echo("no proposals: not enough corrections sharing a cause")
    for p in job.result:
        before, after = p["backtest"]["before"], p["backtest"]["after"]
        what = p.get("term") or f"{p.get('old_threshold')} -> {p.get('new_threshold')}"
        click.echo(
            f"{p['id']} {p['kind']:14} {p['scenario'][:28]:28} {what[:30]:30} "
            f"fixes {p['fixes']}/{p['corrections']} other {p['other_changes']} "
            f"agreement {before['agreement']} -> {after['agreement']}"
        )
