"""Proofreading recall by error type on mistakes injected into clean sentences.

Run: .venv/bin/python benchmarks/bench_proofread_synthetic.py [--part tuning|validation|both]
     [--per-type 300] [--show tuning]

The development set holds few real errors of each kind (a dozen a/à, a handful of ces/ses),
too few to tell whether a homophone rule generalises. So this benchmark takes the clean
sentences of each part (benchmarks/proofread_split.json), makes ONE mistake of a given type in
each (a/à, et/est, ce/se, ces/ses, son/sont, on/ont, ou/où, leur/leurs, -er/-é/-ez, a plural
noun or adjective losing its s, a missing accent, a keystroke slip in a common word, a
missing hyphen) and counts how often a blocking finding
covers the changed word and whether its first suggestion restores it. Sentences whose clean
form is already blocked at that word are skipped (they measure false alarms, reported by
bench_proofread.py). Only the tuning part's misses are ever printed.

Injected mistakes are not all mistakes a writer makes in the same proportion: read the figures
per type, not the average. Some swaps stay correct French ("il a vu" → "il à vu" is wrong, but
"ou" → "où" can leave a valid question); a rule that stays quiet there is right to.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_proofread import PARTS, find_data, source_key  # noqa: E402

from benchmarks.proofread_parts import load_parts  # noqa: E402
from canned_replies import unknown_words  # noqa: E402
from canned_replies.french_words import _same_case  # noqa: E402
from canned_replies.grammalecte_engine import engine, is_valid_word, morphs  # noqa: E402
from canned_replies.inversion_hyphen import _spoken  # noqa: E402
from canned_replies.proofreading import Proofreader  # noqa: E402
from canned_replies.typo_channel import slip_cost  # noqa: E402

_WORD = re.compile(r"(?<![\w'’-])([^\W\d_]+)(?![\w'’-])")

# written form → its homophone (the mistake injected)
SWAPS: dict[str, dict[str, str]] = {
    "a/à": {"a": "à", "à": "a"},
    "et/est": {"et": "est", "est": "et"},
    "ce/se": {"ce": "se", "se": "ce"},
    "ces/ses": {"ces": "ses", "ses": "ces"},
    "son/sont": {"son": "sont", "sont": "son"},
    "on/ont": {"on": "ont", "ont": "on"},
    "ou/où": {"ou": "où", "où": "ou"},
    "leur/leurs": {"leur": "leurs", "leurs": "leur"},
    "la/là": {"là": "la"},
    "quel/quelle": {"quel": "quelle", "quelle": "quel", "quels": "quelles", "quelles": "quels"},
}
# More homophones of short words (proof19n), not in the default run: ask with --kinds.
MORE_SWAPS: dict[str, dict[str, str]] = {
    "ça/sa": {"ça": "sa", "sa": "ça"},
    "mes/mais": {"mes": "mais", "mais": "mes"},
    "sur/sûr": {"sur": "sûr", "sûr": "sur"},
    "peu/peut": {"peu": "peut", "peut": "peu"},
}


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def _er_e_ez(word: str) -> list[str]:
    """-er/-é/-ez swaps for a first-group verb form ("envoyer" → "envoyé", "envoyez")."""
    low = word.lower()
    ms = morphs(word)
    if not any(":V1" in m for m in ms):
        return []
    for ending in ("er", "é", "ez"):
        if low.endswith(ending):
            stem = word[: -len(ending)]
            return [stem + e for e in ("er", "é", "ez") if e != ending]
    return []


def _number_drop(word: str, prev: str) -> list[str]:
    """A plural noun or adjective after a plural determiner losing its s ("les colis" keeps
    it: invariable)."""
    if prev.lower() not in {"les", "des", "ces", "mes", "tes", "ses", "nos", "vos", "leurs"}:
        return []
    if not word.endswith("s") or len(word) < 4:
        return []
    ms = morphs(word)
    if not ms or not all(re.search(r":[NA].*:p", m) for m in ms):
        return []
    singular = word[:-1]
    return [singular] if is_valid_word(singular) else []


def _accent_drop(word: str) -> list[str]:
    """A word losing its accents ("déjà" → "deja"), when that is not another word."""
    bare = _strip_accents(word)
    if bare == word or len(word) < 3 or is_valid_word(bare):
        return []
    return [bare]


_KEYS = "azertyuiopqsdfghjklmwxcvbn"


def _typo(word: str, position: int) -> list[str]:
    """One keystroke slip in a common word (a letter dropped, doubled, swapped with the next
    one, or replaced by the next key of an AZERTY row) that leaves no valid word."""
    if len(word) < 4 or not word.isalpha() or unknown_words.zipf(word) < 3.0:
        return []
    i = 1 + position % (len(word) - 2)
    options = [
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
    ]
    if word[i] in _KEYS:
        options.append(word[:i] + _KEYS[(_KEYS.index(word[i]) + 1) % len(_KEYS)] + word[i + 1 :])
    wrong = options[position % len(options)]
    return [] if wrong == word or is_valid_word(wrong) else [wrong]


_AZERTY = ("azertyuiop", "qsdfghjklm", "wxcvbn")
_KEY_AT = {k: (r, i) for r, row in enumerate(_AZERTY) for i, k in enumerate(row)}
# Spellings of one sound a writer by ear swaps: (meant, written).
_BY_EAR = (
    ("é", "è"), ("è", "é"), ("ê", "è"), ("ê", "é"), ("â", "a"), ("î", "i"), ("ô", "o"),
    ("û", "u"), ("ç", "c"), ("ai", "é"), ("ai", "è"), ("è", "ai"), ("eau", "o"), ("au", "o"),
    ("ph", "f"), ("qu", "k"), ("an", "en"), ("en", "an"), ("ss", "s"), ("tion", "sion"),
    ("y", "i"), ("h", ""),
)  # fmt: skip


def _slips(word: str, kind: str) -> list[str]:
    """Slips of a common word: a doubled consonant missed or added ("doubled"), another
    spelling of one of its sounds ("by-ear"), a neighbouring AZERTY key, a swap, a letter
    missed or added ("azerty")."""
    n, out = len(word), []
    if kind == "doubled":
        out += [word[:i] + word[i + 1 :] for i in range(1, n) if word[i] == word[i - 1]]
        out += [
            word[:i] + word[i] + word[i:]
            for i in range(1, n - 1)
            if word[i] in "lmnprtsfc" and word[i - 1] in "aeiouéèo" and word[i + 1] in "aeiouéèy"
        ]
    elif kind == "by-ear":
        for meant, written in _BY_EAR:
            for m in re.finditer(re.escape(meant), word):
                if not (meant == "h" and m.start() == 0):
                    out.append(word[: m.start()] + written + word[m.end() :])
    elif kind == "azerty":
        for i in range(1, n):
            r, c = _KEY_AT.get(word[i], (-9, -9))
            near = [
                k
                for k, (r2, c2) in _KEY_AT.items()
                if k != word[i] and abs(r - r2) <= 1 and abs(c - c2) <= 1
            ]
            out += [word[:i] + k + word[i + 1 :] for k in near]
            out += [word[:i] + word[i + 1 :]] + (
                [word[:i] + word[i + 1] + word[i] + word[i + 2 :]] if i < n - 1 else []
            )
    return [w for w in dict.fromkeys(out) if w != word and not is_valid_word(w)]


def _hyphen_drop(word: str) -> list[str]:
    """A compound or an inversion written without its hyphen ("peut-être" → "peut être",
    "pouvez-vous" → "pouvez vous")."""
    if "-" not in word or word.count("-") > 2 or not word.islower():
        return []
    return [word.replace("-", " ")]


_SUBJECTS = {"je", "tu", "il", "elle", "on"}
_INVERTED = re.compile(
    r"(?<![\w'’-])(\w+)-(?:t-)?(je|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|en|y)"
    r"(?![\w'’-])"
)
_FINITE = re.compile(r":V[0-3][^/]*:(Ip|Iq|If|K|Is)((?::[123][sp])+)")


def _person_swap(word: str, prev: str) -> list[str]:
    """A verb after je/tu/il/elle/on given another person's form that sounds the same
    ("tu prends" → "tu prend", "il connaît" → "il connais", "tu es" → "tu est")."""
    if prev.lower() not in _SUBJECTS or len(word) < 2:
        return []
    tenses = {(m.group(1), m.group(2)) for m in _FINITE.finditer("|".join(morphs(word)))}
    if not tenses:
        return []
    stem = re.sub(r"(?:es|e|s|t|x|ent|ît)$", "", word)
    out = []
    for ending in ("", "e", "es", "s", "t", "x", "ît", "it"):
        other = stem + ending
        if other == word or not is_valid_word(other):
            continue
        other_tenses = {(m.group(1), m.group(2)) for m in _FINITE.finditer("|".join(morphs(other)))}
        if {t for t, _ in other_tenses} & {t for t, _ in tenses} and not (other_tenses & tenses):
            out.append(other)
    return out[:1]


_PARTICIPLE = re.compile(r":Q:(?:A:)?(?:1ŝ:)?")


def _participle_agreement(word: str, prev: str) -> list[str]:
    """A past participle right after a form of être or avoir given another gender or number
    ("elle est arrivée" → "arrivé", "ils sont partis" → "parti", "j'ai mangé" → "mangés")."""
    if prev.lower() not in {"est", "sont", "était", "étaient", "suis", "es", "sommes", "êtes",
                            "ai", "as", "a", "avons", "avez", "ont", "été"}:  # fmt: skip
        return []
    if not any(":Q" in m for m in morphs(word)) or not word.islower():
        return []
    base = (
        re.sub(r"(?:ées|és|ée|es|e|s)$", "", word)
        if word.endswith(("é", "ée", "és", "ées"))
        else None
    )
    if base is not None:
        options = [base + e for e in ("é", "ée", "és", "ées")]
    else:
        base = re.sub(r"(?:es|e|s)$", "", word)
        options = [base + e for e in ("", "e", "s", "es")]
    options = [o for o in options if o != word and is_valid_word(o) and o.startswith(base)]
    # one letter away: the slip a writer makes (an e or an s forgotten or added)
    options = [o for o in options if abs(len(o) - len(word)) == 1]
    return options[:1]


# A word whose ending tells its gender, number or person (an adjective, a participle, a
# conjugated verb), and the endings its other forms take.
_INFLECTED = re.compile(r":(?:[AQ][^/]*:[mfe]:[spi]|V[^/]*:(?:Ip|Iq|If|K)[^/]*:[123][sp])")
_ENDINGS = ("", "e", "s", "es", "é", "ée", "és", "ées", "ons", "ez", "ent", "t", "x", "nt")


def _lemmas(word: str) -> set[str]:
    return {m.split("/")[0] for m in morphs(word)}


def _ending_slip(word: str, position: int) -> list[str]:
    """A slip in the last three letters of an inflected common word that leaves it as near
    another form of the same word ("livrés" → "livrées") as the meant one: only the context
    (the subject, the auxiliary, the noun phrase) tells them apart."""
    if len(word) < 4 or not word.isalpha() or unknown_words.zipf(word) < 3.0:
        return []
    if not _INFLECTED.search("|".join(morphs(word))):
        return []
    lemmas = _lemmas(word)
    siblings = {
        other
        for cut in range(4)
        for ending in _ENDINGS
        for other in [word[: len(word) - cut] + ending]
        if other != word and is_valid_word(other) and _lemmas(other) & lemmas
    }
    if not siblings:
        return []
    stem = word[:-3]
    options = [
        w
        for kind in ("doubled", "by-ear", "azerty")
        for w in _slips(word, kind)
        if w.startswith(stem)
    ]
    for k in range(min(3, len(options))):
        wrong = options[(position + k) % len(options)]
        if any(slip_cost(wrong, s) <= slip_cost(wrong, word) for s in siblings):
            return [wrong]
    return []


def _adjective_past_complement(word: str, words: list[str], i: int) -> list[str]:
    """An adjective or participle right after a noun that a complement ("de", "du", "des",
    "d'") introduces or follows, given another gender or number one letter away ("les
    effets du traitement rapportés" → "rapportée"): it may then fit neither noun, or the
    other one (grammar cannot tell: counted as a miss all the same)."""
    found = morphs(word)
    if not word.islower() or not any(re.search(r":[AQ]", m) for m in found):
        return []
    if any(re.search(r":V[^/]*:(?:Ip|Iq|If|K)|:[DRGW]", m) for m in found) or i < 2:
        return []
    if not any(":N" in m for m in morphs(words[i - 1])):
        return []
    if not any(w.lower() in {"de", "du", "des", "d'", "d"} for w in words[max(0, i - 5) : i - 1]):
        return []
    base = re.sub(r"(?:es|e|s)$", "", word)
    options = [base + e for e in ("", "e", "s", "es")]
    options = [o for o in options if o != word and is_valid_word(o)]
    options = [o for o in options if abs(len(o) - len(word)) == 1]
    return options[:1]


_ELISION = re.compile(r"(?<![\w'’-])(qu|[cdjlmnst])['’]([^\W\d_]{2,})")
_TOUT = re.compile(
    r"(?<![\w'’-])(?:tout|toute|tous|toutes)(?=\s+(?:le|la|les|l['’]|un|une|ce|cet|cette|ces"
    r"|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|vos|leur|leurs)\b)"
)
_TOUT_GENDER = {"tout": "toute", "toute": "tout", "tous": "toutes", "toutes": "tous"}


# The verb of a relative "qui", past "ne" and object pronouns ("qui nous ont", "qui n'a").
_QUI_VERB = re.compile(
    r"(?<![\w'’-])qui\s+(?:(?:ne|se|lui|leur|y|en|nous|vous|le|la|les|me|te)\s+"
    r"|(?:n|s|l|m|t)['’])*([^\W\d_]+)(?![\w'’-])"
)
_FINITE_3 = r":V[^/]*:(?:Ip|Iq|If|K)[^/]*:3"


def _qui_verb_number(verb: str) -> list[str]:
    """The verb after "qui" in the other number ("qui sont" → "qui est"): a form that is only
    a finite verb at one 3rd person."""
    found = morphs(verb)
    if not verb.islower() or not found or any(re.search(r":[NAQWGRY]", m) for m in found):
        return []
    third = {p for m in found for p in re.findall(_FINITE_3 + r"([sp])", m)}
    if len(third) != 1:
        return []
    other = ":3p" if third == {"s"} else ":3s"
    forms = (engine().functions.suggVerb(verb, other) or "").split("|")
    forms = sorted({f for f in forms if f and f != verb}, key=lambda f: (-unknown_words.zipf(f), f))
    return forms[:1]


_TU_FINITE = re.compile(r":V[0-3][^/]*:(Ip|Iq|If|K)[^/]*:2s")


def _inverted_tu_by_ear(verb: str) -> list[str]:
    """An inverted "tu" verb written apart in the third person that sounds like it ("peux-tu"
    → "peut tu", "es-tu" → "est tu", "vas-tu" → "va tu"; step 39)."""
    conj = engine().conj
    for m in morphs(verb):
        found = _TU_FINITE.search(m)
        if found is None or "/" not in m:
            continue
        lemma = m[1 : m.index("/")]
        if not conj.isVerb(lemma):
            continue
        other = conj.getConj(lemma, ":" + found.group(1), ":3s")
        if other and other != verb.lower() and _spoken(other) == _spoken(verb):
            return [_same_case(verb, other)]
    return []


def candidates(text: str, kind: str) -> list[tuple[int, int, str]]:
    """(start, end, wrong form) for every place this kind of mistake can be made."""
    out: list[tuple[int, int, str]] = []
    words = list(_WORD.finditer(text))
    for i, m in enumerate(words):
        word = m.group(1)
        low = word.lower()
        prev = words[i - 1].group(1) if i else ""
        wrong: list[str] = []
        if kind in SWAPS or kind in MORE_SWAPS:
            target = {**SWAPS, **MORE_SWAPS}[kind].get(low)
            if target and word.islower():
                wrong = [target]
        elif kind == "-er/-é/-ez":
            wrong = _er_e_ez(word) if word.islower() else []
        elif kind == "number":
            wrong = _number_drop(word, prev) if word.islower() else []
        elif kind == "accent":
            wrong = _accent_drop(word) if word.islower() else []
        elif kind == "typo":
            wrong = _typo(word, m.start()) if word.islower() else []
        elif kind == "person":
            wrong = _person_swap(word, prev) if word.islower() else []
        elif kind == "participle":
            wrong = _participle_agreement(word, prev)
        elif kind == "complement":
            wrong = _adjective_past_complement(word, [w.group(1) for w in words], i)
        elif kind == "ending":
            wrong = _ending_slip(word, m.start()) if word.islower() else []
        elif kind in ("doubled", "by-ear", "azerty"):
            common = word.islower() and len(word) >= 4 and unknown_words.zipf(word) >= 3.0
            slips = _slips(word, kind) if common else []
            wrong = [slips[m.start() % len(slips)]] if slips else []
        out.extend((m.start(1), m.end(1), w) for w in wrong)
    if kind == "hyphen":
        for m in re.finditer(r"(?<![\w'’-])\w+(?:-\w+)+(?![\w'’-])", text):
            out.extend((m.start(), m.end(), w) for w in _hyphen_drop(m.group()))
    if kind == "apostrophe":
        # an elision's apostrophe left out, the two words joined or apart, by position
        for m in _ELISION.finditer(text):
            if m.group(1).islower():
                joined, apart = m.group(1) + m.group(2), f"{m.group(1)} {m.group(2)}"
                out.append((m.start(), m.end(), joined if m.start() % 2 else apart))
    if kind == "qui":
        # the verb after a relative "qui" in the other number ("les colis, qui est parti")
        for m in _QUI_VERB.finditer(text):
            out.extend((m.start(1), m.end(1), w) for w in _qui_verb_number(m.group(1)))
    if kind == "tout":
        # "tout" of the other gender before a determiner ("toute les soirs")
        for m in _TOUT.finditer(text):
            out.append((m.start(), m.end(), _TOUT_GENDER[m.group()]))
    if kind == "inversion-tu":
        for m in _INVERTED.finditer(text):
            if m.group(2) == "tu" and "-t-" not in m.group():
                out.extend((m.start(), m.end(), f"{w} tu") for w in _inverted_tu_by_ear(m.group(1)))
    if kind == "inversion":
        for m in _INVERTED.finditer(text):
            if any(re.search(r":V[0-3]", x) for x in morphs(m.group(1))):
                out.append(
                    (m.start(), m.end(), m.group().replace("-t-", " t-").replace("-", " ", 1))
                )
    return out


KINDS = (*SWAPS, "-er/-é/-ez", "number", "accent", "typo", "hyphen", "doubled", "by-ear", "azerty")
# Mistakes of chat writers (DiaBLa): an inversion or imperative without its hyphen (and, for
# "inversion-tu", its verb in the third person that sounds alike: "peut tu"), a verb
# ending of another person, a participle of the wrong gender or number. Not in the default
# run (its figures stay comparable); ask for them with --kinds.
CHAT_KINDS = ("inversion", "inversion-tu", "person", "participle", *MORE_SWAPS)
# A slip in an inflected word's ending, where the context picks the form (suggestions; not in
# the default run either): ask with --kinds ending. Step 30's classes: an elision without its
# apostrophe, "tout" of the other gender before a determiner (--kinds apostrophe,tout).
# Step 31: an adjective after a noun and its complement (--kinds complement). Step 32: the
# verb after a relative "qui" in the other number (--kinds qui).
CONTEXT_KINDS = ("ending", "apostrophe", "tout", "complement", "qui")


def run(
    proofreader: Proofreader,
    rows: list[dict[str, Any]],
    per_type: int,
    seed: int,
    kinds: tuple[str, ...] = KINDS,
) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    rng = random.Random(seed)
    clean = [r for r in rows if not r["edits"]]
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tried, caught, first right
    misses: dict[str, list[str]] = defaultdict(list)
    baseline: dict[str, list[tuple[int, int]]] = {}
    for kind in kinds:
        pool = [(r, c) for r in clean for c in candidates(r["text"], kind)]
        rng.shuffle(pool)
        used_rows: set[str] = set()
        for row, (start, end, wrong) in pool:
            if tally[kind][0] >= per_type:
                break
            if row["source_id"] in used_rows:
                continue
            text = row["text"]
            if row["source_id"] not in baseline:
                baseline[row["source_id"]] = [
                    (f.start, f.end) for f in proofreader.check(text) if f.blocking
                ]
            if any(s < end and start < e for s, e in baseline[row["source_id"]]):
                continue  # already blocked there: a false alarm, not a catch
            used_rows.add(row["source_id"])
            bad = text[:start] + wrong + text[end:]
            bad_end = start + len(wrong)
            hits = [f for f in proofreader.check(bad) if f.blocking and f.start < bad_end]
            hits = [f for f in hits if start < f.end]
            tally[kind][0] += 1
            if hits:
                tally[kind][1] += 1
                best = next((f for f in hits if f.suggestions), hits[0])
                fixed = best.apply_first_suggestion(bad)
                right = fixed.replace("’", "'") == text.replace("’", "'")
                tally[kind][2] += right
                if not right:
                    misses[f"{kind} (wrong first suggestion)"].append(
                        f"{text[start:end]}→{wrong} (first: {best.suggestions[:2]}, {best.rule}) "
                        f"[{source_key(row)}] {bad}"
                    )
            else:
                misses[kind].append(f"{text[start:end]}→{wrong} [{source_key(row)}] {bad}")
    return tally, misses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=(*PARTS, "both"), default="both")
    parser.add_argument("--per-type", type=int, default=200)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--show", choices=("tuning",), help="print the tuning part's misses")
    parser.add_argument(
        "--kinds",
        help="comma-separated subset of: " + ", ".join((*KINDS, *CHAT_KINDS, *CONTEXT_KINDS)),
    )
    parser.add_argument("--source", help="only clean sentences of this meta.source (diabla)")
    parser.add_argument("--quick", action="store_true", help="40 mistakes per type")
    parser.add_argument("--summary-json", help="write the summary lines here (run_all.py)")
    args = parser.parse_args()
    if args.quick:
        args.per_type = 40
    kinds = tuple(args.kinds.split(",")) if args.kinds else KINDS
    data = find_data()
    if data is None:
        print("development set not found (../shared/eval-data/proofreading-fr): skipped")
        return 0
    wanted = PARTS if args.part == "both" else (args.part,)
    parts = load_parts(data, wanted)
    if args.source:
        parts = {
            p: [r for r in rows if r["meta"]["source"] == args.source] for p, rows in parts.items()
        }
    proofreader = Proofreader("fr")
    results = {
        p: run(proofreader, rows, args.per_type, args.seed, kinds) for p, rows in parts.items()
    }
    header = "".join(f"{p + ' caught | first suggestion right':>52}" for p in results)
    print(f"{'injected mistake':<16}{header}")
    for kind in (*kinds, "all kinds"):
        cells = []
        for tally, _ in results.values():
            tried, caught, first = (
                tally[kind]
                if kind in kinds
                else [sum(tally[k][i] for k in kinds) for i in range(3)]
            )
            # First suggestion right counts the caught mistakes whose first suggestion restores
            # the clean sentence (issue 19's third figure, on mistakes of a known kind).
            cell = (
                f"{caught}/{tried} = {caught / tried:5.1%} | "
                f"{first}/{caught} = {first / caught if caught else 0:5.1%}"
                if tried
                else "—"
            )
            cells.append(cell)
        print(f"{kind:<16}" + "".join(f"{c:>52}" for c in cells))
    if args.summary_json:
        # Figures to read per type, not goals (issue 19's goals are on the real rows).
        summary = [
            {
                "figure": f"injected {kind} caught ({part})",
                "goal": "(no goal)",
                "measured": f"{tally[kind][1]}/{tally[kind][0]}, first suggestion right "
                f"{tally[kind][2]}/{tally[kind][1]}",
                "ok": "info",
            }
            for part, (tally, _) in results.items()
            for kind in kinds
            if tally[kind][0]
        ]
        Path(args.summary_json).write_text(json.dumps(summary, ensure_ascii=False))
    if args.show and args.show in results:
        for kind, lines in results[args.show][1].items():
            print(f"\n--- misses ({args.show}): {kind}")
            # Every wrong first suggestion (few); of the mistakes not caught, the first 25.
            for line in lines if "wrong first" in kind else lines[:400]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
