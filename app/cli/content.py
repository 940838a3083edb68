"""`vigie playbook …` and `vigie proofread`: the engines, usable on files and pipes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

import playbooks


def _load(path: str | None, brand_slug: str | None) -> playbooks.Playbook:
    """A playbook from a file, or the brand's published one."""
    if path:
        try:
            return playbooks.load_playbook_file(Path(path))
        except playbooks.PlaybookError as exc:
            raise click.ClickException(f"invalid playbook:\n{exc}") from exc
    if not brand_slug:
        raise click.UsageError("give a playbook FILE or --brand SLUG")
    from app.extensions import get_engine, session_scope
    from app.services import brands, content

    with session_scope(get_engine()) as session:
        brand = brands.by_slug(session=session, slug=brand_slug)
        if brand is None:
            raise click.ClickException(f"unknown brand: {brand_slug}")
        published = content.published_playbook(session=session, brand_id=brand.id)  # type: ignore[arg-type]
        if published is None:
            raise click.ClickException(f"{brand_slug} has no published playbook")
        return published[1]


@click.group("playbook")
def playbook_group() -> None:
    """Validate, try and evaluate playbooks."""


@playbook_group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def validate(file: str) -> None:
    """Check a playbook; errors name the file, line and column."""
    try:
        book = playbooks.load_playbook_file(Path(file))
    except playbooks.PlaybookError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"{file}: valid (version {book.version})")


@playbook_group.command("test")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("text")
@click.option("--channel", default="x", show_default=True)
@click.option("--lang", default=None)
def test(file: str, text: str, channel: str, lang: str | None) -> None:
    """Print the decision on one sentence, with its evidence."""
    from playbooks.evaluation import explain, mention_from_dict

    book = _load(file, None)
    decision = book.decide(mention_from_dict({"text": text, "channel": channel, "lang": lang}))
    click.echo(explain(decision, text))
    click.echo(json.dumps(decision.to_dict(), ensure_ascii=False, indent=2))


@playbook_group.command("classify")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--brand", "brand_slug", help="Use the brand's published playbook.")
@with_appcontext
def classify(file: str | None, brand_slug: str | None) -> None:
    """JSON lines in ({"text", "lang"?, "channel"?, "author"?}), one decision per line out."""
    from playbooks.evaluation import classify_jsonl

    classify_jsonl(_load(file, brand_slug), sys.stdin, sys.stdout)


@playbook_group.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False))
def evaluate(file: str, dataset: str) -> None:
    """Per-class precision and recall and the confusion matrix on a labelled JSONL set."""
    from playbooks.evaluation import evaluate as run_evaluation

    click.echo(run_evaluation(_load(file, None), Path(dataset)))


def _read_words(path: str | None) -> list[str]:
    """A brand dictionary file: one term per line, '#' starts a comment."""
    if path is None:
        return []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@click.command("proofread")
@click.option("--lang", default="fr", show_default=True, type=click.Choice(["fr", "en"]))
@click.option("--jsonl", is_flag=True, help='One {"text": …} per line in, {"findings"} out.')
@click.option(
    "--dictionary",
    type=click.Path(exists=True, dir_okay=False),
    help="Words never flagged (brand, places, products), one per line.",
)
def proofread(lang: str, jsonl: bool, dictionary: str | None) -> None:
    """Proofread text from stdin and print the findings as JSON."""
    import canned_replies

    words = _read_words(dictionary)
    if jsonl:
        canned_replies.proofread_jsonl(lang, sys.stdin, sys.stdout, dictionary=words)
        return
    findings = canned_replies.proofread(sys.stdin.read(), lang, dictionary=words)
    click.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
