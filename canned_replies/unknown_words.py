"""Decide what an unknown word is: a typo that blocks, or a name / loanword / term (advice).

A dictionary never knows every name, brand, drug, place or borrowed word a reply may contain,
and a writer overrides a gate that flags them. What sets a typo apart is that a much more
frequent word is one or two keystrokes away ("impressionant" → "impressionnant"); a name
("Balkany"), a term ("clopidogrel") or a loanword ("deadline") has no such neighbour, or is
itself common in French text. Word frequencies come from `wordfreq` (offline data shipped
in the package); the same frequencies rank the suggestions, so the first one is the likely fix.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from canned_replies.sounds import sounds_alike_first
from canned_replies.typo_channel import CONTEXT_MISFIT, MISFIT, by_likelihood, slip_cost

# A correction must be this much more frequent (Zipf scale: +1 = ten times) than the word.
TYPO_MARGIN = 1.0
# Measured on tuning: +2 errors caught for +99 clean sentences blocked (drug names): off.
UNSEEN_BLOCKS = False
# A rare word written in French text (0 < Zipf < 2, a term's range: RARE_CORRECTION) needs a
# correction this much more written: a rare term next to a rarer-than-common word
# ("dianétique" 1.7 / "diabétique" 3.1, "cribbage" 1.0 / "criblage" 2.2, "médiée" 1.4 /
# "médite" 2.9) is written in its own right, while the slips of common words caught on the
# tuning part are at least 1.9 below their fix ("mêche" 1.6 / "mèche" 3.6). Common
# misspellings (Zipf ≥ 2: "apparement", "pillule") keep TYPO_MARGIN.
SEEN_TYPO_MARGIN = 1.5
# An accent-only fix needs less: "ca" is common in text only as a slip for "ça".
ACCENT_MARGIN = 0.5
# A word this frequent in real text (Zipf ≥ 3: once per million words) is in use: a loanword,
# a brand, slang. Not a blocking mistake even if the dictionary lacks it.
IN_USE = 3.0
# In English, where slips are common in web text ("alot" 3.9, "teh" 3.0): ten times more.
ENGLISH_IN_USE = 4.0
_ELONGATED = re.compile(r"(\w)\1\1|([aiou])\2$")  # "pfff", "ouiii", "lalaa": expressive
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]", re.IGNORECASE)
# An English word this common is a quote or a loanword, not a slip of a French word.
ENGLISH_COMMON = 3.5
# A word seen more often in English text than in French, and at least this often (Zipf 2.5:
# a few times per billion words), is an English term or name ("stent", "corgi", "Seuss",
# "tempore"). Measured on the tuning part: 5 blocked clean sentences, no caught typo. Not
# lower: slips of French words are seen in English text below that (injected "marrs", 2.0).
ENGLISH_WORD = 2.5
# When every word within two edits is this rare (Zipf < 2: once per hundred million words),
# they are specialist vocabulary: the unknown word is more likely a term of the same field
# than a slip ("homéostasique" by "homéostatique", "catabolisée" by "catabolisme"). Caught
# typos on the tuning part all had a correction at Zipf ≥ 2.2.
RARE_CORRECTION = 2.0
# Spelled like a dictionary word but for an accent or a hyphen, and written almost as often as
# it ("taiwanais" 2.3 / "taïwanais" 3.0, "intra-musculaire" 3.5 / "intramusculaire" 2.2): a
# spelling variant in use, advice. Slips are far rarer than their correction (caught on the
# tuning part: ≥ 1.3 below it); short words ("ca", "tot") always block.
VARIANT_MARGIN = 0.75
# A word of this many letters or fewer blocks only when one slip away from its correction.
SHORT_WORD = 5
VARIANT_MIN_LENGTH = 6


@dataclass(frozen=True)
class Verdict:
    """What to report about an unknown word."""

    blocking: bool
    suggestions: list[str]
    # typo | capital_accent | ligature | name | in_use | english | expressive | no_neighbour
    # | quoted | lowercase_name | variant
    reason: str


_lock = threading.Lock()
_zipf: Callable[[str, str], float] | None = None


def zipf(word: str, lang: str = "fr") -> float:
    """Frequency of a word in real text, on the Zipf scale (0 = unseen, 7 = "de", "the")."""
    if lang not in _loaded:
        load((lang,))
    return _cached_zipf(word, lang)


def _frequencies() -> Callable[[str, str], float]:
    global _zipf
    if _zipf is None:
        try:  # wordfreq's values from a compact copy of its lists (114 → 11 MB)
            from canned_replies.word_frequencies import zipf_frequency
        except ImportError:  # frequencies unavailable: every word counts as unseen
            _zipf = lambda _w, _l: 0.0  # noqa: E731
        else:
            _zipf = zipf_frequency
    return _zipf


@lru_cache(maxsize=100_000)
def _cached_zipf(word: str, lang: str) -> float:
    assert _zipf is not None
    return float(_zipf(word, lang))


_loaded: set[str] = set()


def load(langs: tuple[str, ...] = ("fr", "en")) -> None:
    """Load the frequency lists now (about a second): the first request should not pay.

    A language's list is read on its first lookup: do that first lookup under our lock so
    concurrent first requests neither race nor load it twice.
    """
    if all(lang in _loaded for lang in langs):
        return
    with _lock:
        frequencies = _frequencies()
        for lang in langs:
            if lang not in _loaded:
                frequencies("de" if lang == "fr" else "the", lang)
                _loaded.add(lang)


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count one), case-insensitive."""
    a, b = a.lower(), b.lower()
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def closeness(word: str, candidate: str) -> int:
    """Edits between a word and a candidate; an accent-only difference counts as one."""
    if strip_accents(word.lower()) == strip_accents(candidate.lower()):
        return 0 if word.lower() == candidate.lower() else 1
    return distance(word, candidate)


def rank(
    word: str,
    suggestions: list[str],
    lang: str = "fr",
    fits: Callable[[str], bool] | None = None,
) -> list[str]:
    """Order suggestions: nearest first (accent fixes before others), then the ones that fit
    the words before (`fits`: "pourra croupipr" → an infinitive, "croupir"), then most
    frequent."""
    lowered = word.lower()

    def key(candidate: str) -> tuple[int, bool, bool, float, str]:
        edits = closeness(word, candidate)
        # Splitting a word in two ("peutêtre" → "peut être") is one edit, not a rare one.
        if " " in candidate or ("-" in candidate and "-" not in lowered):
            edits = min(edits, 1)
        misfit = fits is not None and not fits(candidate)
        # A lowercase word is rarely a misspelt name: "éudes" → "études" before "Eudes".
        name = candidate[:1].isupper() and not word[:1].isupper()
        # Spelling last: the speller lists ties in hash order, which changes between processes.
        return (min(edits, 3), misfit, name, -zipf(candidate.lower(), lang), candidate)

    return sorted(dict.fromkeys(suggestions), key=key)


def _accents(word: str) -> int:
    return sum(1 for c in word if c.isalpha() and not c.isascii())


def _letters(word: str) -> str:
    return "".join(c for c in strip_accents(word.lower()) if c.isalnum())


def _same_letters(
    word: str, ranked: list[str], is_valid: Callable[[str], bool] | None, lang: str
) -> str | None:
    """A suggestion spelled with the same letters (accents, a hyphen or an apostrophe off), or
    the word's capitalised form when that is a proper noun ("instagram" → "Instagram")."""
    letters = _letters(word)
    for candidate in ranked:
        if candidate == word or " " in candidate or candidate.isupper():
            continue
        if candidate.lower() == word.lower():
            continue  # case only: handled below, for proper nouns
        # Not one that drops an accent the writer typed: "ratté" is "raté" with a key pressed
        # twice more often than "ratte" with a stray accent.
        if _letters(candidate) == letters and _accents(candidate) >= _accents(word):
            # "the" → "thé": an English word far more common than the French one is English.
            if lang == "fr" and zipf(word.lower(), "en") > zipf(candidate.lower(), lang):
                return None
            return candidate
    if is_valid is not None and word.islower() and lang == "fr":
        from canned_replies.grammalecte_engine import morphs

        capitalised = word[:1].upper() + word[1:]
        proper = any(":M" in m for m in morphs(capitalised)) and is_valid(capitalised)
        if proper and not any(":M" not in m for m in morphs(word)):
            return capitalised
    return None


def _name_only(candidate: str, is_valid: Callable[[str], bool] | None) -> bool:
    """A correction that is only a person's name, a first name or a surname ("Kevin",
    "Frédéric"; not "Ça", nor "Noël", which the dictionary also has in lowercase): its
    spelling is its bearer's ("Kévin", "Frederic" on a passport). A place has one spelling
    ("Bresil" → "Brésil" stays a slip). Asked for a word the writer capitalised; "frederic"
    misses both its capital and its accents."""
    if is_valid is None or not candidate[:1].isupper() or candidate.isupper():
        return False
    from canned_replies.grammalecte_engine import morphs  # French only; loaded by then

    found = morphs(candidate)
    return bool(found) and all(":M1" in m or ":M2" in m for m in found)


def _feminine_title(lowered: str, is_valid: Callable[[str], bool] | None) -> bool:
    """A title feminised by an "e" the dictionary lacks ("rapporteure"): the masculine "-eur"
    noun names a person when the dictionary has a feminine of it in "-euse" or "-rice"
    ("rapporteuse"); "erreure", "couleure" ("couleuse" is another word) stay typos."""
    if is_valid is None or not lowered.endswith("eure") or len(lowered) < 7:
        return False
    from canned_replies.grammalecte_engine import morphs  # French only; loaded by then

    masculine, stem = lowered[:-1], lowered[:-4]
    if not any(":N" in m and ":m" in m for m in morphs(masculine)):
        return False
    return any(
        m.startswith(f">{masculine}/") and ":f" in m
        for feminine in (stem + "euse", stem + "rice")
        for m in morphs(feminine)
    )


# Word frequencies are counted in lowercase: "paris" (bets, 5.7) holds the city's count. A
# common word that is also a name in the dictionary is written about this much less as itself.
NAME_SHARE = 1.0


def as_common_word(word: str) -> float:
    """How often a correction is written as the common word it is ("parmis" → "parmi" 5.2,
    not "paris" 5.7, whose count is mostly "Paris")."""
    own = zipf(word)
    if not word.islower():
        return own
    from canned_replies.grammalecte_engine import morphs  # French only; loaded by then

    if any(":M" in m.split("/")[1] for m in morphs(word[:1].upper() + word[1:])):
        return own - NAME_SHARE
    return own


def _foreign(lowered: str, own: float) -> bool:
    """An English word: common in English, or more English than French and in use there."""
    english = zipf(lowered, "en")
    return english >= ENGLISH_COMMON or (english >= ENGLISH_WORD and english > own)


def is_foreign(word: str) -> bool:
    """A word written in English more than in French ("games" in "les escape games"), by
    frequency: the English-compound readings (grammar_findings, agreement rules) ask it."""
    lowered = word.lower()
    return _foreign(lowered, zipf(lowered))


def judge(
    word: str,
    suggestions: list[str],
    *,
    capitalised_in_sentence: bool,
    sentence_start: bool,
    subject: bool = False,
    lang: str = "fr",
    is_valid: Callable[[str], bool] | None = None,
    fits: Callable[[str], bool] | None = None,
    clipped: Callable[[str], bool] | None = None,
    order_fits: Callable[[str], bool] | None = None,
) -> Verdict:
    """Tell whether an unknown word is a blocking typo, and rank its suggestions (a typo's by
    `order_fits` when given: what the grammar further back asks, suggestion_context)."""
    verdict = _judge(
        word,
        suggestions,
        capitalised_in_sentence=capitalised_in_sentence,
        sentence_start=sentence_start,
        subject=subject,
        lang=lang,
        is_valid=is_valid,
        fits=fits,
        clipped=clipped,
    )
    if verdict.reason != "typo" or lang != "fr" or not verdict.suggestions:
        return verdict
    # The decision above asks whether a frequent word is near; which one the writer meant is
    # the likeliest slip to the most written word (typo_channel).
    misfit = MISFIT if order_fits is None else CONTEXT_MISFIT
    ordered = by_likelihood(word, verdict.suggestions, as_common_word, order_fits or fits, misfit)
    first = ordered[0]
    if len(word) <= SHORT_WORD and slip_cost(word, first) > 1.0:
        # A short word two slips from its correction shares half its letters with it: a code,
        # a call sign or a foreign word ("kdge" → "cage", "bocci" → "bock"), not a slip.
        return Verdict(False, ordered, "no_neighbour")
    return Verdict(verdict.blocking, ordered, verdict.reason)


def _judge(
    word: str,
    suggestions: list[str],
    *,
    capitalised_in_sentence: bool,
    sentence_start: bool,
    subject: bool = False,
    lang: str = "fr",
    is_valid: Callable[[str], bool] | None = None,
    fits: Callable[[str], bool] | None = None,
    clipped: Callable[[str], bool] | None = None,
) -> Verdict:
    """The verdict, with suggestions ranked by closeness then frequency (see judge)."""
    ranked = rank(word, suggestions, lang, fits)
    lowered = word.lower()
    if capitalised_in_sentence or (word.isupper() and len(word) > 1):
        return Verdict(False, ranked, "name")
    if any(c.isupper() for c in word[1:]):
        return Verdict(False, ranked, "name")  # iPad, aPTT, eBay
    if not _VOWEL.search(word):
        return Verdict(False, ranked, "name")  # abbreviation: vhs, sms, rdv
    if _ELONGATED.search(lowered):
        # "ouiii", "sooo": a common word drawn out. "pfff", "euuuh": no near word. Either is
        # expressive; "messsage" (one key pressed twice, "message" one edit away) is a typo.
        squeezed = re.sub(r"(\w)\1{2,}|([aiou])\2$", r"\1\2", lowered)
        if zipf(squeezed, lang) >= 4.0 or not any(closeness(word, c) <= 1 for c in ranked[:3]):
            return Verdict(False, ranked, "expressive")
    same = _same_letters(word, ranked, is_valid, lang)
    if (
        same is not None
        and word[:1] in "AEIOU"
        and same[1:] == word[1:]
        and same[:1] != word[:1]
        and strip_accents(same[:1]) == word[:1]
    ):
        # Only the capital lacks its accent ("Etude", "Elimination"): common usage and
        # tolerated in print; advice to write "Étude", never a block.
        return Verdict(False, [same, *[s for s in ranked if s != same]], "capital_accent")
    if same is not None and same.lower() == lowered:
        # A proper noun written in lowercase ("instagram", "hugo" for an acronym): a capital
        # missing is presentation, like the capitals Grammalecte's "maj" rules report (advice).
        # On the tuning part it caught no annotated mistake and blocked 3 clean sentences.
        return Verdict(False, [same, *[s for s in ranked if s != same]], "lowercase_name")
    if (
        same is not None
        and len(word) >= VARIANT_MIN_LENGTH
        and zipf(lowered, lang) >= zipf(same.lower(), lang) - VARIANT_MARGIN
        and zipf(lowered, lang) > 1.5
    ):
        return Verdict(False, [same, *[s for s in ranked if s != same]], "variant")
    if _feminine_title(lowered, is_valid):
        return Verdict(False, [word[:-1], *[s for s in ranked if s != word[:-1]]], "variant")
    if same is not None and word[:1].isupper() and _name_only(same, is_valid):
        # A person's name spelled without its accents ("Frederic", "Jerome"): names have
        # their own spellings (a passport's, a foreign one); advice with the usual form.
        return Verdict(False, [same, *[s for s in ranked if s != same]], "variant")
    if same is not None:
        # Only case, accents, a hyphen, a space or an apostrophe are off ("aujourdhui",
        # "peutetre", "rottweiler" for a breed named after a town): a slip, whatever the word's
        # frequency on the web.
        return Verdict(True, [same, *[s for s in ranked if s != same]], "typo")
    if is_valid is not None and "oe" in lowered:
        ligature = word.replace("oe", "œ").replace("Oe", "Œ").replace("OE", "Œ")
        if is_valid(ligature):
            return Verdict(False, [ligature, *[s for s in ranked if s != ligature]], "ligature")
    own = zipf(lowered, lang)
    if lang == "en" and own >= ENGLISH_IN_USE:
        # English web text is full of slips, so frequency alone says little below this; above
        # it a word the word list lacks is a word in use ("cafe", "arse", "fuckin"). Dropped
        # apostrophes ("dont", "youre") were handled above: same letters as the fix.
        return Verdict(False, ranked, "in_use")
    best = None
    # Whether a frequent word is near does not depend on what the context asks ("De toutte
    # façon": "tourte" fits after "de", "toute" is the word); the context only orders.
    nearest = rank(word, suggestions, lang) if fits is not None else ranked
    for candidate in nearest:
        edits = closeness(word, candidate)
        if edits <= 2 and " " not in candidate:
            best = candidate
            break
    if best is not None and lang == "fr" and zipf(lowered, lang) < IN_USE:
        # Fewer letters apart is not always the likelier slip: a doubled consonant moved
        # ("apellé": "appelé", two edits but one slip) beats a rare word one edit away ("pellé").
        # Not for a word in use ("della", Italian: "delà" sounds alike).
        floor, cost = zipf(best.lower(), lang), slip_cost(word, best)
        likelier = [
            c
            for c in nearest
            if " " not in c and zipf(c.lower(), lang) > floor and closeness(word, c) <= 2
        ]
        costs = {c: slip_cost(word, c) for c in likelier}
        likelier = [c for c in likelier if costs[c] < cost]
        if likelier:
            best = min(likelier, key=lambda c: (costs[c], -zipf(c.lower(), lang)))
    best_zipf = zipf(best.lower(), lang) if best is not None else 0.0
    if best is not None and closeness(word, best) == 1 and best_zipf >= own + ACCENT_MARGIN:
        if strip_accents(best.lower()) == strip_accents(lowered):
            if word[:1].isupper() and _name_only(best, is_valid):  # "Kévin" for "Kevin"
                return Verdict(False, [best, *[s for s in ranked if s != best]], "variant")
            # Only an accent away from a more frequent word: "Ca" → "Ça", "deja" → "déjà".
            return Verdict(True, [best, *[s for s in ranked if s != best]], "typo")
        if own < 4.0 and best_zipf >= 6.0:
            # One letter from a grammatical word, even if English: "mom" → "mon".
            return Verdict(True, [best, *[s for s in ranked if s != best]], "typo")
    if lang == "fr" and _foreign(lowered, own):
        return Verdict(False, ranked, "english")
    if clipped is not None and clipped(lowered):
        return Verdict(False, ranked, "in_use")  # "covoit", "rép": chat clippings (clippings.py)
    common_near = any(
        zipf(c.lower(), lang) >= RARE_CORRECTION
        for c in ranked
        if " " not in c and closeness(word, c) <= 2
    )
    margin = SEEN_TYPO_MARGIN if 0 < own < RARE_CORRECTION else TYPO_MARGIN
    if best is not None and best_zipf >= own + margin and common_near:
        # Sentence-initial capital: a name as often as a typo; only a one-edit slip blocks, and
        # not when a verb follows: the subject of "Purcelle est…", "Richen a…" is a name.
        if sentence_start and word[:1].isupper() and (closeness(word, best) > 1 or subject):
            return Verdict(False, ranked, "name")
        ordered = [best, *[s for s in ranked if s != best]]
        if lang == "fr":  # a correction that sounds like the typo first ("occasioné")
            ordered = sounds_alike_first(word, ordered, closeness, zipf, fits, RARE_CORRECTION)
        return Verdict(True, ordered, "typo")
    if own >= IN_USE:
        return Verdict(False, ranked, "in_use")
    if lang == "fr" and zipf(lowered, "en") >= IN_USE:
        return Verdict(False, ranked, "english")
    if UNSEEN_BLOCKS and own == 0.0 and zipf(lowered, "en") == 0.0 and ranked:
        # Never seen in French or English text and the dictionary has a suggestion: far more
        # often a garbled word ("princpales") than a term.
        return Verdict(True, ranked, "unseen")
    return Verdict(False, ranked, "no_neighbour")
