"""Throughput of the shipped French playbook plus a synthetic 5,000-term lexicon.

Run: .venv/bin/python benchmarks/bench_playbook.py [--n 20000] [--repeat 3]
The shipped playbook uses the learned scorer (`model` conditions), so `decide` includes it.
Prints mentions/s for the full engine (decide), for triage with its evidence one mention at a
time (decide, then `to_dict()`: the evidence built, its spans mapped to the original text, what
the triage row stores) and as ingest runs it (`decide_many` over batches of `--batch`, as
`triage_pending` claims them: the text-only work and the scorer done per batch), the scorer
alone, the scorer's load time and memory, the first (cold) mention, and for the floor — the
cheapest correct pipeline on the same texts and terms: folding plus one Aho-Corasick pass — the
ratios between them, and the memory used. The garbage collector is off while the other rows
are timed and on for the ingest row, with the start-up heap frozen as production processes
freeze it. Single core, deterministic
texts; CPU time of this process (`time.process_time`), not wall time: the machine may be shared.
Engine and floor alternate and each keeps its best of `--repeat` rounds; the load average is
printed beside the figures. `--no-memory` loads without tracemalloc (no memory figures):
loading under it takes ~2 minutes, too long for A/B runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import shutil
import tempfile
import time
import tracemalloc
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import ahocorasick

from app.serve import freeze_heap
from playbooks import BrandContext, MentionInput, load_playbook_file, shipped_playbook_path
from playbooks.normalize import normalize
from playbooks.scorer import get_scorer

SEED = 20260105
# Neutral filler (words no lexicon reacts to) and realistic topical snippets: a mention
# usually is about one or two things, not about every scenario at once.
FILLER = [
    "je",
    "tu",
    "il",
    "elle",
    "on",
    "nous",
    "vous",
    "ils",
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "du",
    "de",
    "au",
    "aux",
    "ce",
    "cette",
    "mon",
    "ma",
    "mes",
    "votre",
    "vos",
    "notre",
    "et",
    "ou",
    "mais",
    "donc",
    "car",
    "que",
    "qui",
    "quoi",
    "dont",
    "est",
    "sont",
    "était",
    "fait",
    "faire",
    "avoir",
    "être",
    "aller",
    "venir",
    "voir",
    "dire",
    "prendre",
    "mettre",
    "partir",
    "arriver",
    "rester",
    "passer",
    "devoir",
    "pouvoir",
    "vouloir",
    "savoir",
    "encore",
    "déjà",
    "toujours",
    "aujourd'hui",
    "hier",
    "demain",
    "matin",
    "soir",
    "midi",
    "semaine",
    "mois",
    "année",
    "fois",
    "jour",
    "heure",
    "minute",
    "gare",
    "ligne",
    "quai",
    "voiture",
    "rame",
    "trajet",
    "voyage",
    "ville",
    "paris",
    "lyon",
    "marseille",
    "lille",
    "bordeaux",
    "nantes",
    "rennes",
    "strasbourg",
    "toulouse",
    "nice",
    "travail",
    "bureau",
    "maison",
    "famille",
    "enfants",
    "amis",
    "vacances",
    "week-end",
    "rendez-vous",
    "réunion",
    "collègue",
    "vraiment",
    "très",
    "trop",
    "assez",
    "peu",
    "beaucoup",
    "plus",
    "moins",
    "bien",
    "mal",
    "vite",
    "tard",
    "tôt",
    "ici",
    "là-bas",
    "alors",
    "puis",
    "ensuite",
    "enfin",
    "bref",
    "voilà",
    "donc",
    "comme",
    "avec",
    "sans",
    "pour",
    "par",
    "sur",
    "sous",
    "entre",
]
SNIPPETS = [
    "mon train est encore en retard",
    "train supprimé ce matin",
    "grève demain ?",
    "je veux être remboursé",
    "j'ai oublié mon sac dans le train",
    "ascenseur en panne en gare",
    "merci au contrôleur très sympa",
    "à quelle heure part le prochain train ?",
    "les toilettes sont sales",
    "l'appli bugue encore",
    "c'est inadmissible",
    "vous êtes des nuls",
    "bravo pour la ponctualité",
    "pas de clim dans la rame",
    "mon billet n'apparaît pas",
    "correspondance ratée à cause du retard",
]
SPICE = [
    "connard",
    "c0nn4rd",
    "nuuuuul",
    "c o n",
    "😡",
    "🙏",
    "avocat",
    "journaliste",
    "#grève",
    "@Ferlis_Info",
    "bande de cons",
    "je vais porter plainte",
]


def synthetic_terms(n: int, rng: random.Random) -> list[str]:
    """n pseudo-words of 5–11 letters (some two-word phrases), unlikely to be real words."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    terms = set()
    while len(terms) < n:
        w = "".join(rng.choice(letters) for _ in range(rng.randint(5, 11)))
        if rng.random() < 0.2:
            w += " " + "".join(rng.choice(letters) for _ in range(rng.randint(3, 7)))
        terms.add(w)
    return sorted(terms)


def mentions(n: int, rng: random.Random, terms: list[str]) -> list[str]:
    """n texts of about 280 characters, some with a synthetic term or an abuse trick."""
    out = []
    for _ in range(n):
        words: list[str] = [rng.choice(SNIPPETS)]
        if rng.random() < 0.3:
            words.append(rng.choice(SNIPPETS))
        while sum(len(w) + 1 for w in words) < 270:
            r = rng.random()
            if r < 0.02:
                words.append(rng.choice(terms))
            elif r < 0.03:
                words.append(rng.choice(SPICE))
            else:
                words.append(rng.choice(FILLER))
            if rng.random() < 0.1:
                words[-1] += rng.choice([",", ".", " !", " ?"])
        rng.shuffle(words)
        out.append(" ".join(words)[:280])
    return out


def build_playbook(terms: list[str]):
    """The shipped demo-rail playbook with one more lexicon of `terms` and a scenario using it."""
    src = shipped_playbook_path("demo-rail")
    tmp = Path(tempfile.mkdtemp(prefix="vigie-bench-"))
    (tmp / "synthetic.txt").write_text("\n".join(terms), encoding="utf-8")
    text = src.read_text(encoding="utf-8")
    text = text.replace(
        "lexicons:\n",
        "lexicons:\n  synthetique:\n    files: {'*': synthetic.txt}\n",
        1,
    ).replace(
        "scenarios:\n",
        "scenarios:\n  - id: synthetique\n    label: Synthétique\n"
        "    when: {lexicon: synthetique}\n    severity: S2\n",
        1,
    )
    path = tmp / "bench.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_playbook_file(path)  # compiled in memory: the files can go
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def fold(text: str) -> str:
    """Case and accent folding, the floor's only normalisation."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500, help="triage_pending's claim size")
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    parser.add_argument("--model", help="weights file to measure (default: the committed one)")
    parser.add_argument(
        "--no-memory",
        action="store_true",
        help="load without tracemalloc (~2 min saved; no memory figures): for A/B runs",
    )
    args = parser.parse_args()
    if args.model:  # a candidate model, measured against the committed one in the same conditions
        from playbooks.scorer import runtime

        runtime.MODEL_PATH = Path(args.model)
    if args.quick:
        args.n, args.repeat = 5000, 2
    rng = random.Random(SEED)
    terms = synthetic_terms(args.terms, rng)
    texts = mentions(args.n, rng, terms)

    traced = not args.no_memory  # tracing every allocation makes loading ~10× slower
    if traced:
        tracemalloc.start()
    t0 = time.perf_counter()
    scorer = get_scorer()  # once per process, shared by every playbook
    scorer_load_s = time.perf_counter() - t0
    peak_scorer = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()

    if traced:
        tracemalloc.start()
    t0 = time.perf_counter()
    playbook = build_playbook(terms)
    load_s = time.perf_counter() - t0
    peak_load = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()

    # The floor: fold + one Aho-Corasick pass over the same terms (shipped + synthetic).
    automaton = ahocorasick.Automaton()
    floor_terms = set(terms)
    for lex in Path(shipped_playbook_path("demo-rail")).parent.parent.glob("lexicons/fr/*.txt"):
        floor_terms.update(
            line.strip()
            for line in lex.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )
    for i, term in enumerate(sorted(floor_terms)):
        automaton.add_word(" " + fold(term) + " ", i)
    automaton.make_automaton()

    now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    context = BrandContext()
    inputs = [MentionInput(t, channel="x") for t in texts]
    t0 = time.perf_counter()
    _ = playbook.decide(inputs[0], context, now).to_dict()  # cold: empty word cache
    cold_s = time.perf_counter() - t0
    for m in inputs[:500]:  # warm-up
        playbook.decide(m, context, now).to_dict()
    assert scorer._rows, "the learned scorer runs in decide (the playbook's `model` conditions)"
    freeze_heap()  # as `vigie run` and `vigie worker` do once warmed up

    # Engine and floor alternate, best of --repeat rounds each: the machine is shared, and
    # the minimum is the least disturbed measure of both.
    engine_s = floor_s = evidence_s = batch_s = scorer_s = float("inf")
    normalised = [normalize(t).text for t in texts]
    severities: dict[str, int] = {}
    clock = time.process_time  # CPU time of this process: other processes do not count
    for _ in range(args.repeat):
        gc.disable()
        t0 = clock()
        severities = {}
        for m in inputs:
            d = playbook.decide(m, context, now)
            severities[d.severity] = severities.get(d.severity, 0) + 1
        engine_s = min(engine_s, clock() - t0)

        t0 = clock()
        for m in inputs:
            # What triage stores (issue 11 §3), called as triage calls it.
            _ = playbook.decide(m, context, now, explain=True).to_dict()
        evidence_s = min(evidence_s, clock() - t0)

        # As ingest runs it, the garbage collector is on, over a heap frozen after start-up
        # (app.serve.freeze_heap, which web and worker processes call): ~10% slower than off.
        gc.enable()
        t0 = clock()
        for i in range(0, len(inputs), args.batch):
            # As triage_pending runs it: a claimed batch prepared at once, then each decided.
            for d in playbook.decide_many(inputs[i : i + args.batch], context, now, explain=True):
                _ = d.to_dict()
        batch_s = min(batch_s, clock() - t0)
        gc.disable()

        t0 = clock()
        for t in normalised:
            scorer.score(t)
        scorer_s = min(scorer_s, clock() - t0)

        t0 = clock()
        found = 0
        for t in texts:
            for _ in automaton.iter(" " + fold(t) + " "):
                found += 1
        floor_s = min(floor_s, clock() - t0)
        gc.enable()

    n = len(texts)
    print(
        f"mentions: {n} ({len(set(texts))} distinct) × ~{sum(map(len, texts)) // n} chars; "
        f"terms indexed: {playbook.index.term_count:,} "
        f"(synthetic: {len(terms):,}); load: {load_s:.2f} s"
    )
    print(f"engine (decide): {n / engine_s:,.0f} mentions/s ({engine_s / n * 1e6:.1f} µs each)")
    print(
        f"decide + to_dict() one at a time (evidence built): {n / evidence_s:,.0f} "
        f"mentions/s ({evidence_s / n * 1e6:.1f} µs each)"
    )
    print(
        f"as ingest runs it (decide_many in batches of {args.batch} + to_dict()): "
        f"{n / batch_s:,.0f} mentions/s ({batch_s / n * 1e6:.1f} µs each)"
    )
    print(f"scorer alone: {n / scorer_s:,.0f} texts/s ({scorer_s / n * 1e6:.1f} µs each)")
    scorer_memory = f"{peak_scorer / 2**20:.1f} MiB peak (tracemalloc; " if traced else "("
    print(
        f"scorer load: {scorer_load_s * 1000:.0f} ms, {scorer_memory}once per process); "
        f"first mention cold: {cold_s * 1000:.1f} ms"
    )
    print(
        f"floor (fold + one Aho-Corasick pass): {n / floor_s:,.0f} texts/s "
        f"({floor_s / n * 1e6:.1f} µs each)"
    )
    print(
        f"engine / floor time: decide {engine_s / floor_s:.2f}×, with evidence "
        f"{evidence_s / floor_s:.2f}×, as ingest runs it {batch_s / floor_s:.2f}×  "
        "(target ≤ 3× and ≥ 20,000 mentions/s, evidence built)"
    )
    load = os.getloadavg()
    print(f"load average while measured: {load[0]:.1f} {load[1]:.1f} on {os.cpu_count()} cores")
    load_memory = (
        f"playbook load peak {peak_load / 2**20:.1f} MiB (tracemalloc); " if traced else ""
    )
    print(
        f"memory: {load_memory}"
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    print(f"severities: {dict(sorted(severities.items()))}")
    if args.summary_json:
        summary = [
            {
                "figure": "triage as ingest runs it (decide + evidence)",
                "goal": "≥ 20000/s",
                "measured": f"{n / batch_s:,.0f}/s (floor {n / floor_s:,.0f}/s)",
                "ok": n / batch_s >= 20_000,
            },
            {
                "figure": "triage with evidence / floor (fold + Aho-Corasick)",
                "goal": "≤ 3×",
                "measured": f"{batch_s / floor_s:.1f}×",
                "ok": batch_s / floor_s <= 3,
            },
            {  # issue 13: one mention, cold, in a worker that has its playbook and scorer
                "figure": "first mention decided cold (scorer loaded)",
                "goal": "≤ 60 ms",
                "measured": f"{cold_s * 1000:.1f} ms",
                "ok": cold_s <= 0.060,
            },
        ]
        if traced:  # issue 13: the model's memory, once per process, shared by every brand
            summary.append(
                {
                    "figure": "learned scorer memory (tracemalloc peak at load)",
                    "goal": "≤ 150 MB",
                    "measured": (
                        f"{peak_scorer / 2**20:.0f} MiB (load {scorer_load_s * 1000:.0f} ms)"
                    ),
                    "ok": peak_scorer / 2**20 <= 150,
                }
            )
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
