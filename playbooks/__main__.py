"""Command line: python -m playbooks validate|test|classify|evaluate ..."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import PlaybookError
from .evaluation import DatasetError, classify_jsonl, evaluate, explain
from .loader import load_playbook_file, shipped_playbook_path
from .model import AuthorProfile, MentionInput


def _playbook_path(value: str) -> Path:
    path = Path(value)
    return path if path.exists() or path.suffix else shipped_playbook_path(value)


def main(argv: list[str] | None = None) -> int:
    """Run a playbook command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m playbooks", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in [
        ("validate", "check a playbook and print its errors with line numbers"),
        ("test", "decide one sentence and explain why"),
        ("classify", "classify JSONL mentions from stdin to stdout"),
        ("evaluate", "precision, recall and confusion matrix on a labelled JSONL set"),
    ]:
        p = sub.add_parser(name, help=help_text)
        p.add_argument(
            "playbook",
            help="a YAML file, or a shipped slug (demo-rail, demo-shop)"
            + ("; several separated by commas" if name == "evaluate" else ""),
        )
        if name == "test":
            p.add_argument("text")
            p.add_argument("--channel", default="x")
            p.add_argument("--lang")
            p.add_argument("--tier")
            p.add_argument("--vip", action="store_true")
            p.add_argument("--followers", type=int, default=0)
            p.add_argument("--rating", type=int, choices=range(1, 6), help="a review's stars")
        if name == "evaluate":
            p.add_argument(
                "dataset",
                nargs="?",
                default=str(Path(__file__).parent / "eval" / "fr_mentions.jsonl"),
            )
    args = parser.parse_args(argv)
    names = args.playbook.split(",") if args.command == "evaluate" else [args.playbook]
    try:
        loaded = [load_playbook_file(_playbook_path(name)) for name in names]
    except (PlaybookError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    playbook = loaded[0]
    if args.command == "validate":
        print(
            f"OK: {args.playbook} (version {playbook.version}, {len(playbook.scenarios)} scenarios)"
        )
    elif args.command == "test":
        mention = MentionInput(
            args.text,
            lang=args.lang,
            channel=args.channel,
            author=AuthorProfile(tier=args.tier, vip=args.vip, followers=args.followers),
            rating=args.rating,
        )
        print(explain(playbook.decide(mention), args.text))
    elif args.command == "classify":
        classify_jsonl(playbook, sys.stdin, sys.stdout)
    else:
        # Several playbooks: each labelled row goes to its brand's playbook.
        target = (
            playbook if len(loaded) == 1 else {p.brand or str(i): p for i, p in enumerate(loaded)}
        )
        try:
            print(evaluate(target, args.dataset))
        except DatasetError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
