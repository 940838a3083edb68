"""Benchmark French proofreading: catch rate, false alarms and latency (p50/p95).

Run: .venv/bin/python benchmarks/bench_proofread.py [--runs 200] [--show]
Targets: catch ≥ 90 % of known errors, ≤ 2 % false alarms, p95 < 50 ms for a 500-char reply.
"""

from __future__ import annotations

import argparse
import sys
import time

from canned_replies.evaluation import evaluate, latency_ms, percentile
from canned_replies.proofreading import Proofreader

CLEAN_500 = (
    "Bonjour Camille, nous sommes sincèrement désolés pour le retard de votre train ce matin. "
    "Nos équipes ont été mobilisées toute la journée pour rétablir la circulation. Vous pouvez "
    "demander une compensation sur notre site avec votre référence de réservation, et nous "
    "restons à votre disposition en message privé si vous avez la moindre question. Les billets "
    "que vous avez achetés pour le retour restent valables. Merci de votre patience et de votre "
    "compréhension, nous vous souhaitons une bonne soirée !"
)
# The same reply with four mistakes: findings cost more (spelling suggestions).
FAULTY_500 = (
    CLEAN_500.replace("sommes", "somme")
    .replace("achetés", "acheté")
    .replace("disposition", "disposotion")
    .replace("votre patience", "votre patiance")
)


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()

    started = time.perf_counter()
    proofreader = Proofreader("fr")
    proofreader.check("Bonjour.")  # first parse compiles Grammalecte's rules
    print(f"load + first check: {(time.perf_counter() - started) * 1000:.0f} ms")

    report = evaluate()
    print(
        f"catch rate:   {report.errors_caught}/{report.errors_total} = {report.catch_rate:.1%}"
        "  (target ≥ 90 %)"
    )
    print(
        f"false alarms: {report.correct_flagged}/{report.correct_total} = "
        f"{report.false_alarm_rate:.1%}  (target ≤ 2 %)"
    )
    if args.show:
        for miss in report.misses:
            print(f"  missed {miss['type']}: «{miss['wrong']}» in {miss['text']}")
        for text, findings in report.false_alarms:
            print(f"  false alarm: {text} → {[text[f.start : f.end] for f in findings]}")

    p95 = 0.0
    for label, text in (("clean", CLEAN_500), ("4 mistakes", FAULTY_500)):
        timings = latency_ms(proofreader, text, runs=args.runs)
        p50, p95_text = percentile(timings, 0.50), percentile(timings, 0.95)
        if label == "clean":
            p95 = p95_text
        print(
            f"latency {len(text)} chars, {label}: p50 {p50:.1f} ms, p95 {p95_text:.1f} ms"
            f"  ({args.runs} runs)"
        )

    ok = report.catch_rate >= 0.90 and report.false_alarm_rate <= 0.02 and p95 < 50
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
