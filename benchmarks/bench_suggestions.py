"""First-suggestion quality on misspellings a writer did not see coming (issue 19, step 43).

Run: .venv/bin/python benchmarks/bench_suggestions.py [--per-class 150] [--show A]
     [--classes azerty,double-missed,…] [--quick] [--summary-json out.json]

The development set's tuning part holds 134 caught edits, nearly all with the right first
suggestion, and its validation part may not be read. So this benchmark makes its own
misspellings: real French words of the tuning part's clean sentences (lowercase, letters only,
Zipf ≥ 2), each misspelt ONCE, in its sentence, by a slip model written here from how French
writers misspell, NOT from the ranker's channel model (typo_channel.slip_cost is never asked:
no slip is kept or dropped for how the ranker would score it). The expected fix is the original
word. A slip that happens to give another dictionary word is kept: a grammar finding may catch
it; it then counts like any other.

Slip classes (each a function of the word alone; which slip of a word is made is picked by the
word's place in the text, so the set is the same on every run):
- azerty: one letter typed with a neighbouring key of a French AZERTY keyboard (same row, the
  next key; or the row above or below, the key above/below or diagonally next to it);
- letter-missed: one letter of the word left out (not the first);
- swap: two neighbouring letters typed in the wrong order (not the first);
- double-missed: a doubled consonant written once ("appeler" → "apeler");
- double-added: a single consonant between two vowels written twice ("période" → "perriode");
- accent-missing: ONE accented letter written bare ("intérêt" → "interêt");
- accent-wrong: an accented letter given another accent (é/è/ê swapped, "à"/"â", "î"/"ï");
- consonant-sound: another spelling of a consonant sound: ph/f, qu/k, hard c/k, soft c/s,
  ç/s, s between vowels/z, soft g/j, gu/g, th/t, rh/r;
- vowel-sound: another spelling of a vowel sound: au/eau → o, ai/ei → è or é, an/en swapped,
  ain/ein → in, om/em/am before p or b → on/en/an, y → i, o → au;
- silent-letter: a letter not heard left out: a final consonant after a vowel or a nasal
  (t, d, s, x, p, z: "souvent" → "souven"), an "h" not in ch/ph/sh ("heure" → "eure"), a
  final "e" after a vowel ("journée" → "journé");
- ending-sound: a verb or adjective ending heard as "é" written with another of its spellings
  (-é, -er, -ez, -ée, -és, -ai, -ais, -ait, -aient, -et: "parlait" → "parlé", "jamais" →
  "jamé");
- inflection: an agreement or person ending left out or added where it is not heard: final
  -s, -e, -es, -ent → -e, -x; ("ils parlent" → "ils parle", "les idées" → "les idée").

The clean sentences are split in two halves by a hash of their text BEFORE any ranker change:
half A (tuning: its wrong first suggestions may be printed, --show A) and half B (held out:
figures only). Sentences whose clean form is already blocked on the word are skipped (a false
alarm, not a catch). Figures: per class and half, caught by a blocking finding on the word, and
of those, whose first suggestion restores the sentence.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_proofread import find_data, source_key  # noqa: E402

from benchmarks.proofread_parts import load_parts  # noqa: E402
from canned_replies import unknown_words  # noqa: E402
from canned_replies.grammalecte_engine import morphs  # noqa: E402
from canned_replies.proofreading import Proofreader  # noqa: E402

_WORD = re.compile(r"(?<![\w'’-])([^\W\d_]+)(?![\w'’-])")
_VOWELS = "aeiouyéèêëàâîïôûù"
_ROWS = ("azertyuiop", "qsdfghjklm", "wxcvbn")
_AT = {k: (r, i) for r, row in enumerate(_ROWS) for i, k in enumerate(row)}


def _near_keys(letter: str) -> list[str]:
    """Keys next to a letter on AZERTY: same row ±1, row above/below at the same column or one
    to the left or right (the bottom row sits half a key to the right, hence the window)."""
    if letter not in _AT:
        return []
    r, c = _AT[letter]
    out = [k for k, (r2, c2) in _AT.items() if r2 == r and abs(c2 - c) == 1]
    out += [k for k, (r2, c2) in _AT.items() if abs(r2 - r) == 1 and abs(c2 - c) <= 1]
    return sorted(set(out) - {letter})


def azerty(w: str) -> list[str]:
    return [w[:i] + k + w[i + 1 :] for i in range(1, len(w)) for k in _near_keys(w[i])]


def letter_missed(w: str) -> list[str]:
    return [w[:i] + w[i + 1 :] for i in range(1, len(w)) if w[i] != w[i - 1]]


def swap(w: str) -> list[str]:
    return [w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(1, len(w) - 1) if w[i] != w[i + 1]]


def double_missed(w: str) -> list[str]:
    return [
        w[:i] + w[i + 1 :] for i in range(1, len(w)) if w[i] == w[i - 1] and w[i] not in _VOWELS
    ]


def double_added(w: str) -> list[str]:
    return [
        w[:i] + w[i] + w[i:]
        for i in range(1, len(w) - 1)
        if w[i] in "lmnprtfc" and w[i - 1] in _VOWELS and w[i + 1] in _VOWELS
    ]


_BARE = {"é": "e", "è": "e", "ê": "e", "ë": "e", "à": "a", "â": "a", "î": "i", "ï": "i",
         "ô": "o", "û": "u", "ù": "u", "ç": "c"}  # fmt: skip
_OTHER_ACCENT = {"é": "èê", "è": "é", "ê": "èé", "à": "â", "â": "à", "î": "ï", "ï": "î",
                 "ù": "û", "û": "ù"}  # fmt: skip


def accent_missing(w: str) -> list[str]:
    return [w[:i] + _BARE[c] + w[i + 1 :] for i, c in enumerate(w) if c in _BARE]


def accent_wrong(w: str) -> list[str]:
    return [w[:i] + o + w[i + 1 :] for i, c in enumerate(w) for o in _OTHER_ACCENT.get(c, "")]


def _respell(w: str, rules: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for pattern, written in rules:
        for m in re.finditer(pattern, w):
            out.append(w[: m.start()] + m.expand(written) + w[m.end() :])
    return out


_CONSONANTS = (
    (r"ph", "f"), (r"qu", "k"), (r"c(?=[aou])", "k"), (r"c(?=[eiéèêy])", "s"), (r"ç", "s"),
    (r"(?<=[aeiouéèêy])s(?=[aeiouéèêy])", "z"), (r"g(?=[eiéèê])", "j"), (r"gu(?=[eiéèê])", "g"),
    (r"th", "t"), (r"rh", "r"), (r"(?<=.)ss", "ç"),
)  # fmt: skip
_VOWEL_SOUNDS = (
    (r"eau", "o"), (r"au", "o"), (r"ai(?![nm])", "è"), (r"ai(?![nm])", "é"), (r"ei(?![nm])", "è"),
    (r"an(?![aeiouyn])", "en"), (r"en(?![aeiouyn])", "an"), (r"[ae]in(?![aeiouy])", "in"),
    (r"om(?=[pb])", "on"), (r"em(?=[pb])", "en"), (r"am(?=[pb])", "an"), (r"y", "i"),
    (r"(?<=.)o(?![uinm])", "au"),
)  # fmt: skip


def consonant_sound(w: str) -> list[str]:
    return _respell(w, _CONSONANTS)


def vowel_sound(w: str) -> list[str]:
    return _respell(w, _VOWEL_SOUNDS)


def silent_letter(w: str) -> list[str]:
    out = []
    if re.search(r"[aeiouéèêâôûn][tdsxpz]$", w) and len(w) > 3:
        out.append(w[:-1])
    out += [
        w[:i] + w[i + 1 :]
        for i, c in enumerate(w)
        if c == "h" and (i == 0 or w[i - 1] not in "cpst")
    ]
    if re.search(r"[éiuy]e$", w):
        out.append(w[:-1])
    return out


_E_SOUND = re.compile(r"(aient|ais|ait|ai|ées|ée|és|é|er|ez|et)$")
_E_SPELLINGS = ("é", "er", "ez", "ée", "és", "ai", "ais", "ait", "aient", "et")


def ending_sound(w: str) -> list[str]:
    m = _E_SOUND.search(w)
    if m is None or len(w) - len(m.group()) < 2:
        return []
    stem = w[: m.start()]
    return [stem + e for e in _E_SPELLINGS if e != m.group()]


def inflection(w: str) -> list[str]:
    out = []
    if w.endswith("ent") and len(w) > 5:
        out.append(w[:-2])
    if w.endswith("es") and len(w) > 4:
        out.append(w[:-2])
    if w.endswith(("s", "x")) and len(w) > 3:
        out.append(w[:-1])
    elif w.endswith(("é", "i", "u", "t")):
        out.append(w + "e")
    if w.endswith(("ée", "ie", "ue")):
        out.append(w[:-1])
    if w.endswith(("é", "i", "u", "ée", "ie", "ue")):
        out.append(w + "s")
    return out


CLASSES: dict[str, Callable[[str], list[str]]] = {
    "azerty": azerty,
    "letter-missed": letter_missed,
    "swap": swap,
    "double-missed": double_missed,
    "double-added": double_added,
    "accent-missing": accent_missing,
    "accent-wrong": accent_wrong,
    "consonant-sound": consonant_sound,
    "vowel-sound": vowel_sound,
    "silent-letter": silent_letter,
    "ending-sound": ending_sound,
    "inflection": inflection,
}
HALVES = ("A", "B")


def half(text: str) -> str:
    """A (tuning) or B (held out), by a hash of the sentence: fixed before any change."""
    return HALVES[hashlib.sha1(text.encode("utf-8")).digest()[0] % 2]


def slips(text: str, kind: str) -> list[tuple[int, int, str]]:
    """(start, end, misspelt form) for the words of `text` this class can misspell: one slip
    per word, picked by the word's place."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        if len(word) < 3 or not word.islower() or unknown_words.zipf(word) < 2.0:
            continue
        if not morphs(word):
            continue  # not a dictionary word (a slip of the text itself, a foreign word)
        options = [w for w in dict.fromkeys(CLASSES[kind](word)) if w != word]
        if options:
            out.append((m.start(1), m.end(1), options[m.start() % len(options)]))
    return out


def run(
    proofreader: Proofreader,
    rows: list[dict[str, Any]],
    per_class: int,
    seed: int,
    kinds: tuple[str, ...],
) -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str], list[str]]]:
    """tally[(kind, half)] = [tried, caught, first right]; wrong[(kind, half)] = lines."""
    clean = [r for r in rows if not r["edits"]]
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    wrong: dict[tuple[str, str], list[str]] = defaultdict(list)
    blocked: dict[str, list[tuple[int, int]]] = {}
    for kind in kinds:
        rng = random.Random(f"{seed}:{kind}")
        pool = [(r, s) for r in clean for s in slips(r["text"], kind)]
        rng.shuffle(pool)
        used: set[str] = set()
        for row, (start, end, bad_word) in pool:
            text = row["text"]
            key = (kind, half(text))
            if tally[key][0] >= per_class or row["source_id"] in used:
                continue
            if text not in blocked:
                blocked[text] = [(f.start, f.end) for f in proofreader.check(text) if f.blocking]
            if any(s < end and start < e for s, e in blocked[text]):
                continue
            used.add(row["source_id"])
            bad = text[:start] + bad_word + text[end:]
            bad_end = start + len(bad_word)
            hits = [
                f
                for f in proofreader.check(bad)
                if f.blocking and f.start < bad_end and start < f.end
            ]
            tally[key][0] += 1
            if not hits:
                continue
            tally[key][1] += 1
            best = next((f for f in hits if f.suggestions), hits[0])
            right = best.apply_first_suggestion(bad).replace("’", "'") == text.replace("’", "'")
            tally[key][2] += right
            if not right:
                wrong[key].append(
                    f"{text[start:end]}→{bad_word} (first: {best.suggestions[:3]}, {best.rule}) "
                    f"[{source_key(row)}] {bad}"
                )
        if all(tally[(kind, h)][0] < per_class for h in HALVES):
            print(f"note: {kind}: fewer than {per_class} slips in each half", file=sys.stderr)
    return tally, wrong


def _cell(t: list[int]) -> str:
    tried, caught, first = t
    if not tried:
        return "—"
    share = f"{first / caught:6.1%}" if caught else "    —"
    return f"{caught:>3}/{tried:<3} | {first:>3}/{caught:<3} = {share}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-class", type=int, default=150, help="slips per class and half")
    parser.add_argument("--seed", type=int, default=43)
    parser.add_argument("--classes", help="comma-separated subset of: " + ", ".join(CLASSES))
    parser.add_argument("--show", choices=("A",), help="print half A's wrong first suggestions")
    parser.add_argument("--quick", action="store_true", help="40 slips per class and half")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.per_class = 40
    kinds = tuple(args.classes.split(",")) if args.classes else tuple(CLASSES)
    data = find_data()
    if data is None:
        print("development set not found (../shared/eval-data/proofreading-fr): skipped")
        return 0
    rows = load_parts(data, ("tuning",))["tuning"]
    proofreader = Proofreader("fr")
    began = time.monotonic()
    tally, wrong = run(proofreader, rows, args.per_class, args.seed, kinds)
    print(f"tuning part's clean sentences, {time.monotonic() - began:.0f} s")
    print(
        f"{'slip class':<16}"
        + "".join(f"{'half ' + h + ': caught | first right':>36}" for h in HALVES)
    )
    totals = {h: [0, 0, 0] for h in HALVES}
    for kind in kinds:
        for h in HALVES:
            totals[h] = [a + b for a, b in zip(totals[h], tally[(kind, h)], strict=True)]
        print(f"{kind:<16}" + "".join(f"{_cell(tally[(kind, h)]):>36}" for h in HALVES))
    print(f"{'all classes':<16}" + "".join(f"{_cell(totals[h]):>36}" for h in HALVES))
    if args.summary_json:
        summary = [
            {
                "figure": f"injected slips, half {h}: first suggestion right",
                "goal": "(no goal)",
                "measured": f"{totals[h][2]}/{totals[h][1]} (caught {totals[h][1]}/{totals[h][0]})",
                "ok": "info",
            }
            for h in HALVES
        ]
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))
    if args.show:
        for kind in kinds:
            lines = wrong[(kind, args.show)]
            if lines:
                print(f"\n--- wrong first suggestions (half {args.show}): {kind}")
                for line in lines:
                    print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
