"""Twenty brands in one process: memory and recompilations of the compiled-playbook cache.

Run: python benchmarks/bench_brands.py [--brands 20] [--lookups 2000] [--quick] [--summary-json F]
Builds `--brands` playbooks, variations of the shipped ones (their own scenarios, bounds, SLA and
brand terms, the same big shared lexicons), loads each through the app's cache
(`app.services.compiled_playbooks.compile_playbook`, what triage and the pages call), then decides
mentions for random brands in a steady-state loop, looking the playbook up in the cache each
time as a batch does. Prints RSS (peak and steady), compile time (first brand, all brands),
cache hits/misses and recompilations in the steady state, beside the goal (issue 11 §4):
≤ 500 MB per process, 0 recompilations in steady state. The process first builds the Flask app
(every import a `vigie run` or `vigie worker` process holds; `--bare` skips it to see the
playbooks alone; `--with-proofreading` adds the proofreading warm-up those processes run) on an
SQLite file in a temporary folder, removed at the end. Compile times are
shown in CPU seconds too: on a shared machine the wall clock says more about the neighbours.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from benchmarks.support import ScratchDatabases

SEED = 20261202
GOAL_MB = 500
SHIPPED = Path(__file__).resolve().parent.parent / "playbooks" / "shipped"
TEXTS = [
    "ma commande CMD-{n} n'est toujours pas arrivée, ça fait {d} jours",
    "bande de connards, rendez moi mon argent",
    "je vais porter plainte, mon avocat va vous contacter",
    "merci pour votre aide, super service",
    "le train {n} est encore en retard de {d} minutes",
    "je vais vous tuer si personne ne répond",
    "je n'en peux plus, je veux en finir",
    "votre produit {brand} a pris feu dans ma cuisine",
    "où en est mon remboursement ? {brand} ne répond jamais",
    "journaliste au Parisien, je voudrais une réaction",
    "the delivery is late again, {brand} please help",
    "you are all idiots, worst company ever",
    "bonjour, comment modifier mon adresse de livraison ?",
    "ce retard me tue mdr",
    "gagnez un iphone gratuit cliquez ici",
]


def status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rollup_mb() -> dict[str, float]:
    """Pss (shared pages split between the processes mapping them) and Private (USS) of this
    process, in MB, from /proc/self/smaps_rollup (empty where there is none)."""
    path = Path("/proc/self/smaps_rollup")
    if not path.exists():
        return {}
    out: dict[str, float] = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Pss", "Private_Clean", "Private_Dirty"):
            out[name] = int(rest.split()[0]) / 1024
    return {
        "pss": out.get("Pss", 0.0),
        "uss": out.get("Private_Clean", 0) + out.get("Private_Dirty", 0),
    }


def brand_playbook(i: int) -> tuple[str, str]:
    """A variation of a shipped playbook: (brand slug, YAML text)."""
    rnd = random.Random(SEED + i)
    base = "demo-shop.yaml" if i % 2 == 0 else "demo-rail.yaml"
    data: dict[str, Any] = yaml.safe_load((SHIPPED / base).read_text(encoding="utf-8"))
    slug = f"marque-{i:02d}"
    data["brand"] = slug
    data["name"] = f"Marque {i} — variation de {base}"
    sla = data["sla"]
    sla["minutes"] = {k: max(5, int(v * rnd.uniform(0.5, 1.5))) for k, v in sla["minutes"].items()}
    sla["max_minutes"] = max(sla["minutes"].values())
    sla["business_hours_only"] = bool(i % 3)
    for scenario in data["scenarios"]:  # other bounds for "near" conditions
        near = (
            scenario.get("when", {}).get("near") if isinstance(scenario.get("when"), dict) else None
        )
        if isinstance(near, dict) and "within" in near:
            near["within"] = int(near["within"]) + rnd.randint(-1, 2)
    # Brand terms: a lexicon of its own, a scenario reading it, and for a third of the brands a
    # few words added to a shared lexicon (the big files stay the same).
    product = f"gamme{i}"
    data["lexicons"]["marque"] = {
        "lang": "fr",
        "terms": [product, f"appli {slug}", f"carte {product}", f"abonnement {i} mois"],
    }
    data["scenarios"].insert(
        0,
        {
            "id": "marque_produit",
            "label": f"Produit de la marque {i}",
            "when": {"lexicon": "marque"},
            "severity": rnd.choice(["S1", "S2"]),
            "categories": [data["defaults"]["categories"][0]],
        },
    )
    if i % 3 == 0:
        spam = data["lexicons"]["spam"]
        spam["terms"] = [*spam.get("terms", []), f"promo {product}", f"code {slug}"]
    return slug, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def process_app(scratch: ScratchDatabases, proofreading: bool) -> None:
    """Build the Flask app as a web or worker process does (its imports stay in memory), and
    with `proofreading` warm the proofreading engines as `vigie run` and `vigie worker` do."""
    from app import create_app
    from app.config import Settings

    settings = Settings(
        instance_path=scratch.folder,
        database_url=scratch.sqlite(),
        secret_key="bench",
        encryption_key="x" * 43 + "=",
    )
    create_app({}, settings=settings)
    if proofreading:
        from app.serve import warm_up_proofreading

        warm_up_proofreading()


def mention(rnd: random.Random, slug: str) -> str:
    return rnd.choice(TEXTS).format(n=rnd.randint(10000, 999999), d=rnd.randint(2, 40), brand=slug)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brands", type=int, default=20)
    parser.add_argument("--lookups", type=int, default=2000, help="steady-state cache look-ups")
    parser.add_argument("--mentions", type=int, default=5, help="mentions decided per look-up")
    parser.add_argument("--quick", action="store_true", help="fewer look-ups (make bench)")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    parser.add_argument("--decisions-out", help="write the steady-state decisions here (JSON)")
    parser.add_argument("--bare", action="store_true", help="without the app's imports")
    parser.add_argument(
        "--with-proofreading",
        action="store_true",
        help="warm the proofreading engines after building the app, as vigie run/worker do",
    )
    args = parser.parse_args()
    lookups = min(args.lookups, 300) if args.quick else args.lookups

    from app.services import compiled_playbooks
    from playbooks import BrandContext, MentionInput

    compile_playbook = compiled_playbooks.compile_playbook
    if not args.bare:
        with ScratchDatabases("vigie_bench_brands") as scratch:
            process_app(scratch, args.with_proofreading)
    compile_playbook.cache_clear()
    gc.collect()
    base_mb = status_mb("VmRSS")
    brands = [brand_playbook(i) for i in range(args.brands)]

    compile_s: list[float] = []
    compile_cpu = time.process_time()
    first_mb = base_mb
    for _, source in brands:
        started = time.perf_counter()
        compile_playbook(source, ())
        compile_s.append(time.perf_counter() - started)
        if len(compile_s) == 1:  # the shared automata, corrector and morphology: once
            first_mb = status_mb("VmRSS")
    compile_cpu = time.process_time() - compile_cpu
    loaded_mb = status_mb("VmRSS")
    warm = compile_playbook.cache_info()

    rnd = random.Random(SEED)
    context = BrandContext()
    now = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    decisions: list[list[Any]] = []
    started = time.perf_counter()
    decided = 0
    for _ in range(lookups):
        slug, source = brands[rnd.randrange(len(brands))]
        playbook = compile_playbook(source, ())
        for _ in range(args.mentions):
            text = mention(rnd, slug)
            d = playbook.decide(MentionInput(text, channel="x"), context, now)
            decided += 1
            if args.decisions_out:
                decisions.append(
                    [
                        slug,
                        text,
                        d.severity,
                        d.scenarios,
                        d.categories,
                        d.action,
                        d.priority,
                        str(d.due_at),
                        [str(e) for e in d.evidence],
                    ]
                )
    steady_s = time.perf_counter() - started
    info = compile_playbook.cache_info()
    steady_misses = info.misses - warm.misses
    steady_hits = info.hits - warm.hits
    gc.collect()
    steady_mb = status_mb("VmRSS")
    peak_mb = status_mb("VmHWM")

    print(
        f"brands: {args.brands}, cache maxsize: {info.maxsize}, baseline RSS {base_mb:.0f} MB "
        f"({'bare: playbook imports only' if args.bare else 'the app built, as in vigie run'})"
    )
    print(
        f"compile: first brand {compile_s[0]:.2f} s, all {args.brands} {sum(compile_s):.1f} s "
        f"(mean of the others {sum(compile_s[1:]) / max(1, len(compile_s) - 1):.2f} s) wall, "
        f"all {compile_cpu:.1f} s CPU; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"RSS after loading all brands: {loaded_mb:.0f} MB "
        f"(+{(loaded_mb - base_mb) / args.brands:.1f} MB per brand on average: the first "
        f"+{first_mb - base_mb:.0f} MB, each other "
        f"+{(loaded_mb - first_mb) / max(1, args.brands - 1):.1f} MB)"
    )
    print(
        f"steady state: {lookups} look-ups, {decided} mentions in {steady_s:.1f} s "
        f"({decided / steady_s:,.0f} mentions/s incl. recompilations); "
        f"cache hits {steady_hits}, misses (recompilations) {steady_misses}"
    )
    rollup = rollup_mb()
    print(
        f"RSS steady {steady_mb:.0f} MB, peak {peak_mb:.0f} MB (goal ≤ {GOAL_MB} MB); "
        + (f"PSS {rollup['pss']:.0f} MB, USS {rollup['uss']:.0f} MB" if rollup else "")
    )

    if args.decisions_out:
        Path(args.decisions_out).write_text(json.dumps(decisions, ensure_ascii=False))
    if args.summary_json:
        lines = [
            {
                "figure": f"{args.brands} brands: peak RSS of one process",
                "goal": f"≤ {GOAL_MB} MB",
                "measured": f"{peak_mb:.0f} MB (steady {steady_mb:.0f}, baseline {base_mb:.0f})",
                "ok": peak_mb <= GOAL_MB,
            },
            {
                "figure": f"{args.brands} brands: recompilations in steady state",
                "goal": "0",
                "measured": f"{steady_misses} of {lookups} look-ups",
                "ok": steady_misses == 0,
            },
            {
                "figure": f"{args.brands} brands: compile time first / all (CPU all)",
                "goal": "(shown)",
                "measured": f"{compile_s[0]:.2f} s / {sum(compile_s):.1f} s ({compile_cpu:.1f} s)",
                "ok": "info",
            },
        ]
        Path(args.summary_json).write_text(json.dumps(lines, ensure_ascii=False))
    return 0 if peak_mb <= GOAL_MB and steady_misses == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
