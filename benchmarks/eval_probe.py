"""Measure the shipped playbooks on the blind generalisation probe (issue 13, wave 17).

Run: .venv/bin/python benchmarks/eval_probe.py [--probe PATH] [--playbook demo-rail]
[--show probe-tune | --show study]

`playbooks/eval/probe_fr.jsonl` holds 415 French posts written for Vigie before any of them
was decided: forum comments, tweets, teenagers' chats and messages to a brand, each with the
outcome the severity codification asks for (`expect`: `S4`, `S3+`, `<S3` or `<S4`). Each row
carries its `split`, fixed by a hash of its text before the first run: `probe-tune` rows may be
read and generalised from, `probe-hold` rows are only ever counted (`--show` refuses them).
Prints, per kind and split, the share decided as expected, and the issue's headline rates.

`--probe playbooks/eval/probe2_fr.jsonl` measures the second probe instead: 460 posts written
by another author, all `probe-hold` (its tune column stays empty, `--show` lists none of it).
`playbooks/eval/probe3_fr.jsonl` is a third, 450 posts by yet another author, alike.
`playbooks/eval/probe4_fr.jsonl` is a fourth, 460 posts by a fourth author, alike.
`playbooks/eval/probe5_fr.jsonl` is a fifth, 460 posts by a fifth author, alike.
`playbooks/eval/probe6_fr.jsonl` is a sixth, 460 posts by a sixth author, alike.
`playbooks/eval/probe7_fr.jsonl` is a seventh, 460 posts by a seventh author, alike.
`playbooks/eval/probe8_fr.jsonl` is an eighth, 460 posts by an eighth author, alike.
`playbooks/eval/probe9_fr.jsonl` is a ninth, 460 posts by a ninth author, alike.
`playbooks/eval/probe10_fr.jsonl` is a tenth, 460 posts by a tenth author, alike.
`playbooks/eval/probe11_fr.jsonl` is an eleventh, 460 posts by an eleventh author, alike.
`playbooks/eval/probe12_fr.jsonl` is a twelfth, 460 posts by a twelfth author, alike.
`playbooks/eval/probe13_fr.jsonl` is a thirteenth, 460 posts by a thirteenth author, alike.
`playbooks/eval/probe14_fr.jsonl` is a fourteenth, 460 posts by a fourteenth author, alike.
`playbooks/eval/probe15_fr.jsonl` is a fifteenth, 460 posts by a fifteenth author, alike.
`playbooks/eval/probe16_fr.jsonl` is a sixteenth, 460 posts by a sixteenth author, alike.
`playbooks/eval/probe17_fr.jsonl` is a seventeenth, 460 posts by a seventeenth author, alike.
`playbooks/eval/probe18_fr.jsonl` is an eighteenth, 460 posts by an eighteenth author, alike.
`playbooks/eval/probe19_fr.jsonl` is a nineteenth, 460 posts by a nineteenth author, alike.
`playbooks/eval/probe20_fr.jsonl` is a twentieth, 460 posts by a twentieth author, alike.
`playbooks/eval/probe21_fr.jsonl` is a twenty-first, 460 posts by a twenty-first author, alike.
`playbooks/eval/probe22_fr.jsonl` is a twenty-second, 460 posts by a twenty-second author, alike.
`playbooks/eval/probe23_fr.jsonl` is a twenty-third, 460 posts by a twenty-third author, alike.
`playbooks/eval/probe24_fr.jsonl` is a twenty-fourth, 460 posts by a twenty-fourth author, alike.
`playbooks/eval/probe25_fr.jsonl` is a twenty-fifth, 460 posts by a twenty-fifth author, alike.
`playbooks/eval/probe26_fr.jsonl` is a twenty-sixth, 460 posts by a twenty-sixth author, alike.
`playbooks/eval/probe27_fr.jsonl` is a twenty-seventh, 460 posts by a twenty-seventh author, alike.
`playbooks/eval/probe28_fr.jsonl` is a twenty-eighth, 460 posts by a twenty-eighth author, alike.
`playbooks/eval/probe29_fr.jsonl` is a twenty-ninth, 460 posts by a twenty-ninth author, alike.
`playbooks/eval/probe30_fr.jsonl` is a thirtieth, 460 posts by a thirtieth author, alike.
`playbooks/eval/probe31_fr.jsonl` is a thirty-first, 460 posts by a thirty-first author, alike.
`playbooks/eval/hunts42_fr.jsonl` is no probe: 1,100 posts four helpers wrote in wave 42 to
find what the rules lack (harmless posts with risky words, threats, distress, insults and hate),
all `probe-tune`: the wave's fixes were read from them, so they measure the tuned side only.
`playbooks/eval/hunts55_fr.jsonl` is no probe either: 1,000 harmless posts (500 rail, 500 shop)
two helpers wrote blind in wave 56 that say the words of customer life threats and farewells
also say (leaving, staff named with hours, bridges, tools, tonight), all `probe-tune`.
`playbooks/eval/hunts57_fr.jsonl`: 600 posts (300 rail, 300 shop) a helper wrote blind in wave
57, 420 harmless departures, farewells and closures and 180 suicidal statements in the same
language of leaving; held out until wave 57 read it once as figures, study data (`probe-tune`)
since.
`playbooks/eval/hunts58_fr.jsonl`: 800 posts (400 rail, 400 shop) a helper wrote blind in wave 58,
600 harmless posts naming staff with their hours, a known address, a visit, a « dernier message »,
tools and weapons in everyday use, and 200 credible threats in the same words, all `probe-tune`.
`playbooks/eval/hunts59_fr.jsonl`: 900 posts (450 rail, 450 shop) a helper wrote blind in wave 60,
550 harmless posts (worries for staff and safety gaps with an hour or « personne ne saura »,
« dernier message » with a demand, violent-sounding hobbies and trades), 250 suicidal statements
(futility, « à quoi bon ») and 100 credible threats in the worries' words, all `probe-tune`.
`playbooks/eval/hunts60_fr.jsonl`: 600 posts (300 rail, 300 shop) a helper wrote blind in wave 59,
400 hyperboles that name an act and turn it, 100 credible threats and 100 suicidal statements in
the same verbs; read once as figures by wave 59, study data (`probe-tune`) since.
`playbooks/eval/hunts61_fr.jsonl`: 500 posts (250 rail, 250 shop) a helper wrote blind in wave 61,
250 indirect suicidal statements (no point continuing, a plan behind a practical question,
farewell gifts) and 250 harmless posts in the same words; read once as figures by wave 61, study
data (`probe-tune`) since.

Wave 24 promoted probes 2–4 (and all of probe 1) to study material, wave 26 probes 5–7, wave 27
probe 8, wave 28 probe 9, wave 29 probe 10, wave 30 probe 11, wave 31 probe 12, wave 32 probe
13, wave 34 probes 14 and 15: `--show study` lists their wrong rows, whatever the split, and
refuses any other file (a probe 16 or later is held out until a wave promotes it). The study
probes are `playbooks.scorer.data.PROBE_PATHS`, which the scorer also trains on since wave 30:
promoting a probe means a retrain (`make model`).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.model import SEVERITIES
from playbooks.scorer import runtime
from playbooks.scorer.data import PROBE_PATHS

DATA = Path(__file__).parents[1] / "playbooks" / "eval" / "probe_fr.jsonl"
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
SPLITS = ("probe-tune", "probe-hold")
# The probes whose every row may be read: the study probes, which the scorer also trains on
# since wave 30 (one list; any other probe file is held out).
STUDY_PROBES = frozenset(path.resolve() for path in PROBE_PATHS)
KINDS = ("insult", "hate", "legal", "threat", "suicidal", "hyperbole", "counter", "trash", "benign")


def load_rows(path: Path = DATA) -> list[dict[str, str]]:
    """The labelled rows of the probe."""
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def as_expected(expect: str, severity: str) -> bool:
    """Whether a decided severity meets the row's expectation."""
    rank = SEVERITIES.index(severity)
    return {
        "S4": rank == 4,
        "S3+": rank >= 3,
        "<S3": rank < 3,
        "<S4": rank < 4,
    }[expect]


def decide_all(rows: list[dict[str, str]], playbook: str | None) -> list[str]:
    """Each row's severity, decided by its brand's playbook (or by `playbook`)."""
    books: dict[str, Playbook] = {}
    out = []
    for row in rows:
        slug = playbook or row["brand"]
        if slug not in books:
            books[slug] = load_playbook_file(shipped_playbook_path(slug))
        out.append(books[slug].decide(MentionInput(row["text"], lang="fr"), now=NOW).severity)
    return out


def rate(hits: int, n: int) -> str:
    """A share for the tables; a dash when the split has no such row."""
    return f"{hits / n:7.1%}" if n else "      -"


def main(argv: list[str] | None = None) -> None:
    """Print the share decided as expected per kind and split; `--show probe-tune` lists misses."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--probe", type=Path, default=DATA, help="probe file (default: the first)")
    parser.add_argument("--playbook", help="decide every row with this playbook")
    parser.add_argument(
        "--show",
        choices=["probe-tune", "study"],
        help="list the wrong probe-tune rows, or every wrong row of a study probe (1-15)",
    )
    parser.add_argument("--model", help="weights file to measure (default: the committed one)")
    args = parser.parse_args(argv)
    if args.show == "study" and args.probe.resolve() not in STUDY_PROBES:
        parser.error(f"{args.probe} is held out: --show study reads probes 1-11 only")
    if args.model:  # a candidate model, measured before it replaces the committed one
        runtime.use_weights(args.model)
    rows = load_rows(args.probe)
    severities = decide_all(rows, args.playbook)
    total: Counter[tuple[str, str]] = Counter()
    right: Counter[tuple[str, str]] = Counter()
    s4: Counter[tuple[str, str]] = Counter()
    flagged: Counter[tuple[str, str]] = Counter()
    wrong = []
    for row, severity in zip(rows, severities, strict=True):
        key = (row["kind"], row["split"])
        total[key] += 1
        ok = as_expected(row["expect"], severity)
        right[key] += ok
        s4[key] += severity == "S4"
        flagged[key] += SEVERITIES.index(severity) >= 3
        shown = args.show == "study" or row["split"] == args.show == "probe-tune"
        if not ok and shown:  # never a held-out row: `study` is refused above for other files
            wrong.append(f"  {severity} {row['kind']:9} {row['register']:5} {row['text']}")
    print("share decided as expected (S4: urgent; S3+: flagged; <S3 / <S4: not)")
    print(f"  {'kind':10} {'n tune':>6} {'tune':>7} {'n hold':>6} {'hold':>7}")
    for kind in KINDS:
        cells = []
        for split in SPLITS:
            n = total[(kind, split)]
            cells.append(f"{n:6d} {rate(right[(kind, split)], n)}")
        print(f"  {kind:10} {cells[0]} {cells[1]}")
    print("headline rates (tune | hold)")
    for label, kinds, counter in (
        ("hostile (insult, hate) flagged S3+", ("insult", "hate"), flagged),
        ("false alarms (counter, trash, benign) S3+", ("counter", "trash", "benign"), flagged),
        ("threats and suicidal -> S4", ("threat", "suicidal"), s4),
        ("hyperbole -> S4", ("hyperbole",), s4),
    ):
        cells = []
        for split in SPLITS:
            n = sum(total[(k, split)] for k in kinds)
            cells.append(rate(sum(counter[(k, split)] for k in kinds), n))
        print(f"  {label:42} {cells[0]} | {cells[1]}")
    if wrong:
        print(f"wrong {args.show} rows:")
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
