"""Experiment (wave 31 groundwork, wp/why31): where the probes' insults and hate cost false alarms.

Nothing here ships. Wave 30's variant H (probes 1-11 teaching insult and hate besides threat and
self_harm) failed the tune-side check (HateCheck non-hateful and MLMA `normal` flagged +4.7 /
+4.8 points out of fold). This script reads the out-of-fold probabilities of three trainings
(no probes, T = shipped, H) and simulates the shipped playbooks with them as
`tune_thresholds.py` does (the rules decided once with every label at 0, which `model`
scenarios their `unless` lets through decided once with every label at 1; a bound then costs a
comparison), on the TUNE parts of HateCheck and MLMA only (never a validation row) and on
probes 1-11 (study material; their rows are in the OOF files because each was its own
cross-validation group). It then tries gates on H's insult and hate, each decided by
reasoning before its figure was read:

  * address: `insulte_modele` / `haine_modele` fire on H only where the text addresses someone
    the rules can see (the `tutoiement`, `vouvoiement` or `personnes_designees` lexicons, the
    brand's staff or the brand's name: the same cues `entre_amis` reads);
  * agreement: H's insult / hate counts only where T's probability of the same label is at
    least a level (two models agree);
  * hostile cue: they fire on H only where a lexicon of the rules carries hostility by itself
    (`CUES`: insults, contempt, group hostility, hate slogans, cruelty, calls to violence,
    harassment, swearing; not the lexicons "neutre seul");
  * bounds: H's insult and hate bounds raised on a fixed grid (what `tune_thresholds.py
    --search hate,insult` would do with a finer grid above 0.95).

"gated" lines keep T's insult / hate hits where the gate refuses H's (two models shipped);
"H alone" lines have no fallback (one model, the gate written in the scenarios' `when`).

Run (from the worktree root; the OOF files come from `exp_probe_training.py ... --oof`):
    PYTHONPATH=. .venv/bin/python benchmarks/exp_hostile_gates.py [--dir /tmp/m30]

Prints (1) the tune rows H newly flags S3+ (HateCheck by functionality, MLMA by label) and the
scenarios that flag them, (2) one line per gate: tune false alarms and recall (HateCheck,
MLMA) and probes 1-11 out of fold (hostile flagged S3+, false alarms S3+, threats and
suicidal -> S4, hyperbole -> S4), (3) hostile probe posts flagged per writer. Skips with
a message if an OOF file is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import benchmarks.tune_thresholds as tt  # noqa: E402
from benchmarks.tune_thresholds import BOUNDS, LABEL_OF, SHIPPED  # noqa: E402
from playbooks import (  # noqa: E402
    MentionInput,
    load_playbook,
    load_playbook_file,
    shipped_playbook_path,
)
from playbooks.scorer.data import PROBE_PATHS, dev_rows, load_split  # noqa: E402

Arr = np.ndarray  # type: ignore[type-arg]
HOSTILE_SCENARIOS = ("haine_modele", "insulte_modele")
IH = [BOUNDS.index("hate"), BOUNDS.index("insult")]
# The scenario each bound belongs to (printed for the rows H newly flags).
_SC_OF = [next(sc for sc, (b, _) in tt.MODEL_SCENARIOS.items() if b == x) for x in BOUNDS]
# Lexicons whose description says they carry hostility themselves (not those "neutre seul").
CUES = (
    "insultes, attributs_meprisants, noms_meprisants, mepris_autonome, exclamations_mepris,"
    " hostilite_groupe, reprises_hostiles, slogans_haine, cruautes, appels_violence,"
    " appels_violence_reprise, harcelement, grossieretes"
)
MARKS = ("zz_adresse", "zz_indice")  # marker scenarios (S0): address, a hostile cue


def marked_playbook(slug: str):  # type: ignore[no-untyped-def]
    """The shipped playbook plus two marker scenarios: `zz_adresse` where the text addresses
    someone (the second person, a person named by function, the brand's staff or its name:
    the cues the `entre_amis` exception reads), `zz_indice` where a lexicon of the rules
    carries hostility by itself (`CUES`)."""
    path = shipped_playbook_path(slug)
    text = path.read_text(encoding="utf-8")
    staff = re.search(r"- not: \{pattern: '( \(\?:controleur[^']+)'\}", text)
    brand = re.search(r"- not: \{raw_pattern: '([^']+)'\}   # la marque", text)
    assert staff and brand, f"{slug}: the entre_amis cues moved"
    marker = (
        f"  - id: {MARKS[0]}\n    label: adresse (expérience)\n    when:\n      any:\n"
        "        - lexicon: [tutoiement, vouvoiement, personnes_designees]\n"
        f"        - pattern: '{staff.group(1)}'\n        - raw_pattern: '{brand.group(1)}'\n"
        "    severity: S0\n    categories: [autre]\n"
        f"  - id: {MARKS[1]}\n    label: indice hostile (expérience)\n"
        f"    when: {{lexicon: [{CUES}]}}\n    severity: S0\n    categories: [autre]\n"
    )
    text = text.replace("  - id: haine_modele\n", marker + "  - id: haine_modele\n", 1)
    return load_playbook(text, str(path), path.parent)


def judge(slug: str, texts: list[str], lang: str) -> tuple[Arr, Arr, Arr]:
    """`tune_thresholds.judge` on the shipped playbook (rules-only severity, which bounds'
    scenarios may fire), plus the two markers (rows × MARKS), which read lexicons only. The
    markers come from their own playbook: at S0 they would replace the rules' S1 default."""
    marked = marked_playbook(slug)
    rules, allowed = tt.judge(load_playbook_file(shipped_playbook_path(slug)), texts, lang)
    marks = np.zeros((len(texts), len(MARKS)), dtype=bool)
    for i, t in enumerate(texts):
        fired = set(marked.decide(MentionInput(t, lang=lang), now=tt.NOW).scenarios)
        marks[i] = [m in fired for m in MARKS]
    return rules, allowed, marks


class Part:
    """One evaluated set: rules, allowed scenarios, address marker, positives, and the
    probabilities of each model (rows missing from an OOF file are dropped)."""

    def __init__(self, name: str, rows: list[dict], slugs: list[str], oof: dict) -> None:  # type: ignore[type-arg]
        self.name, self.rows = name, rows
        n = len(rows)
        self.rules = np.zeros(n, dtype=int)
        self.allowed = np.zeros((n, len(BOUNDS)), dtype=bool)
        self.marks = np.zeros((n, len(MARKS)), dtype=bool)
        for slug in sorted(set(slugs)):
            idx = [i for i, s in enumerate(slugs) if s == slug]
            r, a, m = judge(slug, [rows[i]["text"] for i in idx], "fr")
            self.rules[idx], self.allowed[idx], self.marks[idx] = r, a, m
        self.address, self.cue = self.marks[:, 0], self.marks[:, 1]
        self.probs = {
            k: np.array([[v[r["sid"]].get(LABEL_OF[b], 0.0) for b in BOUNDS] for r in rows])
            for k, v in oof.items()
        }


def severities(
    part: Part, probs: Arr, hostile_ok: Arr | None = None, bounds: dict | None = None
) -> Arr:  # type: ignore[type-arg]
    """`tune_thresholds.severities`, where `hostile_ok` (rows × [hate, insult]) further gates
    the two hostile scenarios and `bounds` overrides shipped bounds."""
    allowed = part.allowed.copy()
    if hostile_ok is not None:
        allowed[:, IH] &= hostile_ok
    chosen = tuple((bounds or {}).get(x, SHIPPED[x]) for x in BOUNDS)
    return tt.severities(part.rules, allowed, probs, chosen)


def load_parts(oof: dict) -> dict[str, tuple[Part, Arr, Arr]]:  # type: ignore[type-arg]
    """HateCheck and MLMA tune rows (positives: hateful / not `normal`), probes 1-11 (positives:
    insult and hate); with each, the rows' threat-or-suicidal flag (probes only)."""
    held = load_split()
    common = set.intersection(*(set(v) for v in oof.values()))
    out = {}
    for name in ("mhc-fr", "mlma-fr"):
        rows = [
            dict(r, sid=r["source_id"])
            for r in dev_rows(name)
            if r["source_id"] not in held.get(name, set()) and r["source_id"] in common
        ]
        part = Part(name, rows, ["demo-rail"] * len(rows), oof)
        benign = "normal"
        pos = np.array(
            [
                ("hateful" in r["labels"]) if name == "mhc-fr" else (benign not in r["labels"])
                for r in rows
            ]
        )
        out[name] = (part, pos, np.zeros(len(rows), dtype=bool))
    probe_oof = {k: v for k, v in oof.items() if any(s.startswith("probe") for s in v)}
    rows = []
    for path in PROBE_PATHS:
        for line in path.open(encoding="utf-8"):
            if line.strip():
                r = json.loads(line)
                r["sid"] = f"{path.stem}:{r['id']}"
                if all(r["sid"] in v for v in probe_oof.values()):
                    rows.append(r)
    part = Part("probes", rows, [r["brand"] for r in rows], probe_oof)
    pos = np.array([r["kind"] in ("insult", "hate") for r in rows])
    urgent = np.array([r["kind"] in ("threat", "suicidal") for r in rows])
    out["probes"] = (part, pos, urgent)
    return out


def _group(name: str, row: dict) -> str:  # type: ignore[type-arg]
    """What a row is: HateCheck functionality, MLMA labels, a probe's kind."""
    if name == "mhc-fr":
        return str(row["meta"]["functionality"])
    if name == "mlma-fr":
        return "+".join(row["labels"])
    return str(row["kind"])


def newly_flagged(parts: dict, base: str = "T", cand: str = "H") -> None:  # type: ignore[type-arg]
    """Question 1: rows H flags S3+ and T does not (harmless tune rows; probes: every kind),
    through which scenario, and how many address someone or carry a hostile cue."""
    print(f"1. rows flagged S3+ by {cand}, not by {base} (shipped bounds, out of fold)")
    b = np.array([SHIPPED[x] for x in BOUNDS])
    for name, (part, pos, _) in parts.items():
        sb, sc = severities(part, part.probs[base]), severities(part, part.probs[cand])
        scope = ~pos if name != "probes" else np.ones(len(pos), dtype=bool)
        new = np.flatnonzero(scope & (sc >= 3) & (sb < 3))
        gone = np.flatnonzero(scope & (sc < 3) & (sb >= 3))
        by_group: Counter[str] = Counter(_group(name, part.rows[i]) for i in new)
        by_scenario: Counter[str] = Counter()
        for i in new:
            hit = part.allowed[i] & (part.probs[cand][i] >= b)
            by_scenario["+".join(s for s, h in zip(_SC_OF, hit, strict=True) if h)] += 1
        what = "harmless rows" if name != "probes" else "rows"
        print(
            f"  {name} {what}: +{len(new)} -{len(gone)} (of {int(scope.sum())});"
            f" addressing someone {int(part.address[new].sum())},"
            f" hostile cue {int(part.cue[new].sum())},"
            f" either {int((part.address | part.cue)[new].sum())}"
        )
        print("    by group: " + ", ".join(f"{k} {v}" for k, v in by_group.most_common()))
        print("    by scenario: " + ", ".join(f"{k} {v}" for k, v in by_scenario.most_common()))


def figures(parts: dict, decide: Callable[[Part, str], Arr]) -> str:  # type: ignore[type-arg]
    """One line: tune false alarms and recall, probes' four headline counts."""
    cells = []
    for name in ("mhc-fr", "mlma-fr"):
        part, pos, _ = parts[name]
        s = decide(part, name)
        fa = int(np.sum(s[~pos] >= 3))
        cells.append(f"{name} FA {fa / (~pos).sum():.1%} ({fa}) R {np.mean(s[pos] >= 3):.1%}")
    part, pos, urgent = parts["probes"]
    s = decide(part, "probes")
    kinds = np.array([r["kind"] for r in part.rows])
    fa_rows = np.isin(kinds, ("counter", "trash", "benign"))
    hyp = kinds == "hyperbole"
    cells.append(
        f"probes hostile {int(np.sum(s[pos] >= 3))}/{int(pos.sum())}"
        f" FA {int(np.sum(s[fa_rows] >= 3))}/{int(fa_rows.sum())}"
        f" urgent→S4 {int(np.sum(s[urgent] == 4))}/{int(urgent.sum())}"
        f" hyp→S4 {int(np.sum(s[hyp] == 4))}/{int(hyp.sum())}"
    )
    return " | ".join(cells)


Decide = Callable[[Part, str], Arr]
Gate = Callable[[Part], Arr]  # rows × [hate, insult]: where H's hostile hits may count


def plain(model: str, **bounds: float) -> Decide:
    """One model's probabilities everywhere, with some bounds moved."""

    def run(part: Part, name: str) -> Arr:
        m = model if model in part.probs else "T"  # no probe row in the no-probe OOF
        return severities(part, part.probs[m], bounds=bounds)

    return run


def gated(gate: Gate) -> Decide:
    """H everywhere; its hostile scenarios also need `gate`, else T's hostile hits count
    (T's insult / hate with H's other labels: two models shipped)."""

    def run(part: Part, name: str) -> Arr:
        h = severities(part, part.probs["H"], hostile_ok=gate(part))
        t_probs = part.probs["H"].copy()
        t_probs[:, IH] = part.probs["T"][:, IH]
        return np.maximum(h, severities(part, t_probs))

    return run


def alone(gate: Gate) -> Decide:
    """H alone, its hostile scenarios gated (one model shipped, the gate in the playbook's
    `when`: what a next wave would ship)."""
    return lambda part, name: severities(part, part.probs["H"], hostile_ok=gate(part))


def per_label(hate: Callable[[Part], Arr], insult: Callable[[Part], Arr]) -> Gate:
    """A gate from one row mask per label."""
    return lambda part: np.stack([hate(part), insult(part)], axis=1)


def always(part: Part) -> Arr:
    return np.ones(len(part.rows), dtype=bool)


def never(part: Part) -> Arr:
    return np.zeros(len(part.rows), dtype=bool)


def address(part: Part) -> Arr:
    return part.address


def cue(part: Part) -> Arr:
    return part.cue


def either(part: Part) -> Arr:
    return part.address | part.cue


def agree(level: float) -> Gate:
    """Two models agree: T's probability of the same label at least `level`."""
    return lambda part: part.probs["T"][:, IH] >= level


def gates() -> list[tuple[str, Decide]]:
    """The references, then each gate (chosen by reasoning, in this order, before any of
    their figures was read; the bound grid last)."""
    rows: list[tuple[str, Decide]] = [
        ("base (no probes)", plain("base")),
        ("T shipped", plain("T")),
        ("H shipped bounds", plain("H")),
        ("H insult only (hate from T)", gated(per_label(never, always))),
        ("H hate only (insult from T)", gated(per_label(always, never))),
        ("H both need address", gated(per_label(address, address))),
        ("H both need T >= 0.5", gated(agree(0.5))),
        ("H both need T >= 0.8", gated(agree(0.8))),
        ("H both need T >= 0.9", gated(agree(0.9))),
        ("H both need hostile cue", gated(per_label(cue, cue))),
        ("H both need address or cue", gated(per_label(either, either))),
        ("H insult free, hate needs cue", gated(per_label(cue, always))),
        ("H insult free, hate needs addr|cue", gated(per_label(either, always))),
        ("H insult needs addr, hate needs cue", gated(per_label(cue, address))),
        ("H alone, both need address", alone(per_label(address, address))),
        ("H alone, both need hostile cue", alone(per_label(cue, cue))),
        ("H alone, both need address or cue", alone(per_label(either, either))),
    ]
    grid = (0.95, 0.97, 0.98, 0.99, 0.995)
    for hate in grid:
        for insult in grid:
            if (hate, insult) != (0.95, 0.95):
                rows.append(
                    (f"H bounds hate {hate} insult {insult}", plain("H", hate=hate, insult=insult))
                )
    return rows


def per_probe(parts: dict) -> None:  # type: ignore[type-arg]
    """3. Hostile posts flagged S3+ per probe (writer): T, H, H alone gated by address or cue."""
    part, pos, _ = parts["probes"]
    probe = np.array([r["sid"].split(":")[0] for r in part.rows])
    runs = {
        "T": plain("T")(part, "probes"),
        "H": plain("H")(part, "probes"),
        "H gated": alone(per_label(either, either))(part, "probes"),
    }
    print("3. probes 1-11, hostile flagged S3+ per writer (T / H / H alone, address or cue)")
    for path in PROBE_PATHS:
        sel = pos & (probe == path.stem)
        cells = " / ".join(str(int(np.sum(s[sel] >= 3))) for s in runs.values())
        print(f"  {path.stem:11} {cells} of {int(sel.sum())}")


def main() -> None:
    """Load the OOF files, print question 1, then one line per gate."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path("/tmp/m30"), help="where *_oof.json are")
    args = parser.parse_args()
    files = {k: args.dir / f"{k}_oof.json" for k in ("base", "T", "H")}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        print(f"skipped: OOF file(s) missing: {', '.join(missing)}")
        print("(written by `exp_probe_training.py ... --oof`; see the model card, wave 30)")
        return
    oof = {k: json.loads(p.read_text(encoding="utf-8")) for k, p in files.items()}
    parts = load_parts(oof)
    newly_flagged(parts)
    print("2. gates (tune: HateCheck / MLMA FA = harmless flagged S3+, R = hostile flagged;")
    print("   probes 1-11 out of fold; base has no probe rows: its probe column is T's)")
    for label, decide in gates():
        print(f"  {label:36} {figures(parts, decide)}")
    per_probe(parts)


if __name__ == "__main__":
    main()
