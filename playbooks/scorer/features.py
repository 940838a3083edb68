"""Features of the learned scorer, identical at training and at run time.

The input is the engine's normalised text (`playbooks.normalize`: folded case and accents,
leetspeak undone, spaced letters joined, elongations squeezed, SMS spellings expanded), so the
scorer and the rules read the same words. Each word yields:
- `w:word` — the word itself;
- `c:xyz` — character 3- to 5-grams of `<word>`: a misspelt, swapped or glued insult still
  shares most of its n-grams with the correct spelling;
- `l:CLASS` — the word belongs to a lexicon class saved with the model (`INS` insults, `GRP`
  groups targeted by hate, `BAD` the third-party bad-word list): weights learned on a few
  sentences carry over to every word of the lexicon;
and each pair of adjacent words `b:a b`, where a lexicon word is replaced by its class
("les GRP", "des INS"), so "les X sont des Y" generalises across groups and insults.
Structure features `s:…` (see `structure_features`) say who a hostile word is aimed at and
whether it is denied, reported or announced: a bag of words cannot tell "t'es un connard"
from "il m'a traité de connard" or "les X ne sont pas des Y".
A text's vector sums, over its distinct words, each word's known features (a character
n-gram shared by two words counts twice), plus its known bigrams, divided by the square root
of the number of features counted. A word's weights then add up once and for all: the
scorer caches one row of per-label sums per word (Zipf: a few thousand words cover most
mentions), so scoring a mention costs two numpy gathers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

CHAR_SIZES = (3, 4, 5)
MAX_WORD_FOR_CHARS = 30  # longer "words" are glued phrases or noise: their n-grams are capped
FEATURE_VERSION = 3
# Classes that stand in for their words in bigrams (the bad-word list is too mixed: "sale",
# "gueule" or "folle" are often harmless, so its words keep themselves in bigrams).
ABSTRACT_CLASSES = frozenset({"INS", "GRP"})


def word_feature_names(word: str, word_class: str | None) -> list[str]:
    """Names of the features one word yields (without bigrams)."""
    names = [f"w:{word}"]
    padded = f"<{word[:MAX_WORD_FOR_CHARS]}>"
    size = len(padded)
    for n in CHAR_SIZES:
        for i in range(size - n + 1):
            names.append(f"c:{padded[i : i + n]}")
    if word_class is not None:
        names.append(f"l:{word_class}")
    return names


def text_features(words: list[str], classes: Mapping[str, str]) -> list[str]:
    """Feature names of a tokenised text, with repeats: per distinct word, then bigrams."""
    names: list[str] = []
    for w in dict.fromkeys(words):
        names.extend(dict.fromkeys(word_feature_names(w, classes.get(w))))
    abstract = [abstract_word(w, classes) for w in words]
    names.extend(dict.fromkeys(f"b:{a} {b}" for a, b in pairwise(abstract)))
    names.extend(structure_features([word_tags(w, classes.get(w)) for w in words]))
    return names


def abstract_word(word: str, classes: Mapping[str, str]) -> str:
    """The word as bigrams see it: its class for insults and groups, else itself."""
    c = classes.get(word)
    return c if c in ABSTRACT_CLASSES else word


def lexicon_words(entries: Iterable[str]) -> set[str]:
    """Single normalised words of lexicon entries (phrases, prefixes and suffixes left out)."""
    from ..lexicons import LexiconSyntaxError, expand_entry
    from ..normalize import normalize_term

    out: set[str] = set()
    for raw in entries:
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("!"):
            continue
        try:
            terms = expand_entry(line)
        except LexiconSyntaxError:
            continue
        for term in terms:
            if "*" in term:
                continue
            norm = normalize_term(term).strip()
            if norm and " " not in norm:
                out.add(norm)
    return out


# --- structure: what surrounds a hostile word ------------------------------------------------
# Tags of grammar words in the normalised text (lower case, no accents, apostrophes split:
# "t'es" → "t es", "j'vais" → "j vais").
_TAG_WORDS: dict[str, str] = {
    # negation and its imperative cousins ("arrêtez de dire que…", "stop aux…")
    "NEG": (
        "ne n pas jamais aucun aucune rien nullement guere arretez arrete arreter arretons "
        "cessez cesse cesser stop non not never dont don isnt arent nobody no"
    ),
    # reporting, quoting, naming someone else's words
    "REP": (
        "traite traiter traites traitee traitees traitent traitait appele appelee appeles "
        "appelle appellent appeler dit dire dis disent dise disait ecrit ecrire ecrivent lu "
        "entendu lire entendre selon pretendre pretend pretendent affirme affirment pense "
        "pensent repeter repete propos tweet tweete message commentaire commentaires called "
        "said says say saying call calling quote"
    ),
    "P2": "tu t te toi ton ta tes vous votre vos toa you your youre ur u yourself",
    "P1": "je j me m moi mon ma mes i my me myself im",
    "FUT": "vais vas va allons allez vont irai ira gonna will veux voudrais vouloir",
    # warmth: a group named with it is rarely hate ("j'adore mes collègues musulmans")
    "POS": (
        "aime aimons aiment adore adorons adorent respecte respectons respect admire admirons "
        "merci bravo super genial formidable gentil gentille gentils gentilles sympa sympas "
        "fier fiere fiers fieres soutien soutiens soutenons bienvenue bienvenus accueillir "
        "egaux egales droits love respect proud welcome support great kind"
    ),
}
_WORD_TAGS: dict[str, frozenset[str]] = {}
for _tag, _words in _TAG_WORDS.items():
    for _w in _words.split():
        _WORD_TAGS[_w] = _WORD_TAGS.get(_w, frozenset()) | {_tag}
# Stems of violence and of death or self-harm (any inflection: "tuerai", "egorges").
_VIOLENCE = (
    "tue tuer tuerai buter bute crever creve egorg plant saign tabass defonc frapp massacr "
    "etrangl flingu poignard demont lynch brul cram abatt fusill gazer noy execut extermin "
    "elimin decapit viol tortur casse peter pete eclat explos cogn bastonn degomm surin "
    "kill shoot stab beat murder burn hang lynch"
)
_DEATH = (
    "suicid mourir meurs meurt mort crever creve pendre pendu pends finir disparaitre vivre "
    "balle veine somnif medicament sauter noyer tuer tue die dead suicide"
)
VIOLENCE_STEMS = tuple(_VIOLENCE.split())
DEATH_STEMS = tuple(_DEATH.split())
HOSTILE_CLASSES = frozenset({"INS", "BAD"})
WINDOW = 4  # words before a hostile word that can deny, report or aim it


def word_tags(word: str, word_class: str | None) -> frozenset[str]:
    """Structure tags of one word: grammar roles and what kind of target word it is."""
    tags = set(_WORD_TAGS.get(word, ()))
    if word_class in HOSTILE_CLASSES:
        tags.add("HOST")
    elif word_class == "GRP":
        tags.add("GRP")
    if len(word) > 2 and word.startswith(VIOLENCE_STEMS):
        tags.add("VIO")
    if len(word) > 2 and word.startswith(DEATH_STEMS):
        tags.add("DTH")
    return frozenset(tags)


_TARGETS = ("HOST", "GRP", "VIO", "DTH")
TARGET_TAGS = frozenset(_TARGETS)


def structure_features(tags: list[frozenset[str]]) -> list[str]:
    """`s:` features of a text from its words' tags (distinct names, in a fixed order)."""
    names: list[str] = []
    for i, t in enumerate(tags):
        if t.isdisjoint(TARGET_TAGS):  # most words: one C-level test
            continue
        targets = [x for x in _TARGETS if x in t]
        before: set[str] = set()
        for u in tags[max(0, i - WINDOW) : i]:
            before |= u
        after: set[str] = set()
        for u in tags[i + 1 : i + 1 + WINDOW]:
            after |= u
        around = before | after
        for x in targets:
            names.append(f"s:{x}")
            if "NEG" in before:
                names.append(f"s:neg>{x}")
            if "REP" in before:
                names.append(f"s:rep>{x}")
            if "P2" in around:
                names.append(f"s:2p~{x}")
            if "P1" in before:
                names.append(f"s:1p>{x}")
            if "FUT" in before:
                names.append(f"s:fut>{x}")
            if "P1" in before and "FUT" in before:
                names.append(f"s:1p+fut>{x}")
            if "P2" in around and "FUT" in before:
                names.append(f"s:2p+fut>{x}")
            if "NEG" in after:
                names.append(f"s:{x}>neg")  # "les X ne sont pas…"
            if "POS" in around:
                names.append(f"s:pos~{x}")
    return list(dict.fromkeys(names))
