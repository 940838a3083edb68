"""A per-mention sentiment estimate: negative, neutral or positive (plain Python, no Flask).

A small French polarity lexicon (with a few English words and emoji), read on the normalised
text (lower case, accents folded) with negation ("pas content" is negative, "pas mal" rather
positive) and intensifiers ("très", "vraiment"). When the learned scorer's toxicity is given,
it pulls the estimate towards negative: an insult is never neutral. It is an estimate to order
and colour the queue, not a judgement: the playbook decides with it (`sentiment: negative`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize

SENTIMENTS = ("negative", "neutral", "positive")
LABELS = {"negative": "négatif", "neutral": "neutre", "positive": "positif"}

# Stems (prefixes of the folded word) and their weight; "*" marks a prefix.
_LEXICON: dict[str, float] = {
    # Negative
    "nul": -2,
    "nulle": -2,
    "nuls": -2,
    "honte*": -2,
    "scandal*": -2.5,
    "inadmissible": -2.5,
    "inacceptable": -2.5,
    "lamentable": -2.5,
    "decu*": -2,
    "deception": -2,
    "decevant*": -2,
    "colere": -2,
    "furieu*": -2.5,
    "enerve*": -2,
    "agace*": -1.5,
    "marre": -2,
    "ras-le-bol": -2,
    "pire": -2,
    "horrible": -2.5,
    "catastroph*": -2.5,
    "inadmissibl*": -2.5,
    "arnaque*": -2.5,
    "escroc*": -2.5,
    "vol": -1,
    "voleur*": -2.5,
    "mepris*": -2,
    "incompetent*": -2.5,
    "probleme*": -1,
    "panne*": -1,
    "retard*": -1,
    "annule*": -1,
    "jamais": -0.5,
    "toujours pas": -1.5,
    "rien": -0.5,
    "aucun*": -0.5,
    "perdu*": -1,
    "casse*": -1,
    "abime*": -1,
    "rembourse*": -0.5,
    "plainte*": -1.5,
    "attente": -0.5,
    "attendre": -0.5,
    "injoignable*": -2,
    "personne ne": -1.5,
    "degoute*": -2.5,
    "triste": -1.5,
    "inquiet*": -1,
    "fache*": -2,
    "insupportable": -2.5,
    "ridicule*": -2,
    "abus*": -2,
    "mensonge*": -2,
    "menteur*": -2.5,
    "deplorable": -2.5,
    "mediocre": -2,
    "galere*": -1.5,
    "bordel": -2,
    "merde*": -2.5,
    "putain": -2,
    "terrible": -1.5,
    "awful": -2.5,
    "terrible service": -2,
    "worst": -2.5,
    "disappointed": -2,
    "angry": -2,
    "refund": -0.5,
    "scam": -2.5,
    # Positive
    "merci*": 1.5,
    "bravo": 2,
    "super": 2,
    "genial*": 2.5,
    "excellent*": 2.5,
    "parfait*": 2.5,
    "top": 1.5,
    "rapide*": 1,
    "efficace*": 2,
    "satisfait*": 2,
    "content*": 2,
    "ravi*": 2.5,
    "adore": 2.5,
    "j'adore": 2.5,
    "aime": 1.5,
    "j'aime": 1.5,
    "formidable": 2.5,
    "bien": 1,
    "agreable*": 2,
    "sympa*": 1.5,
    "felicit*": 2,
    "reactif*": 2,
    "reactivite": 2,
    "impeccable*": 2.5,
    "nickel": 2,
    "magnifique*": 2.5,
    "recommande*": 1.5,
    "thanks": 1.5,
    "thank": 1.5,
    "great": 2,
    "love": 2.5,
    "awesome": 2.5,
    "perfect": 2.5,
    "good": 1,
}
_EMOJI: dict[str, float] = {
    "😡": -2.5,
    "🤬": -3,
    "😠": -2,
    "😤": -1.5,
    "👎": -2,
    "😢": -1.5,
    "😭": -2,
    "💩": -2,
    "🙄": -1,
    "😞": -1.5,
    "😒": -1,
    "😊": 2,
    "😀": 2,
    "😁": 2,
    "😍": 2.5,
    "🥰": 2.5,
    "👍": 1.5,
    "❤": 2,
    "🙏": 1,
    "👏": 2,
    ":)": 1.5,
    ":(": -1.5,
    ":-)": 1.5,
    ":-(": -1.5,
}
_NEGATIONS = frozenset({"pas", "plus", "jamais", "ni", "sans", "aucun", "aucune", "not", "no"})
_INTENSIFIERS = {"tres": 1.5, "vraiment": 1.5, "trop": 1.3, "tellement": 1.5, "super": 1.3}
# "pas mal", "pas de souci", "pas de problème": negated words that end up positive or neutral.
_IDIOMS: dict[str, float] = {
    "pas mal": 1,
    "pas de souci": 0.5,
    "pas de soucis": 0.5,
    "pas de probleme": 0.5,
    "sans probleme": 0.5,
    "sans souci": 0.5,
    "bon courage": 0,
    "merci de": 0,
    "merci d'avance": 0,
}
_CLAUSES = re.compile(r"[,.;:!?\n()]+|\s(?:mais|but)\s")
_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
# Above this many points either way the estimate leaves "neutral".
THRESHOLD = 1.0
TOXIC = 0.6


@dataclass(frozen=True, slots=True)
class Sentiment:
    """The estimate and its raw score (negative below zero)."""

    label: str
    score: float

    @property
    def label_fr(self) -> str:
        return LABELS[self.label]


_WEIGHTS: dict[str, float] = {}  # words already looked up (most are in no stem)
_WEIGHTS_MAX = 100_000


def _weight(word: str) -> float:
    w = _WEIGHTS.get(word)
    if w is None:
        w = _lookup(word)
        if len(_WEIGHTS) < _WEIGHTS_MAX:
            _WEIGHTS[word] = w
    return w


def _lookup(word: str) -> float:
    w = _LEXICON.get(word)
    if w is not None:
        return w
    for size in range(len(word), 2, -1):
        w = _LEXICON.get(word[:size] + "*")
        if w is not None:
            return w
    return 0.0


def _clause_score(folded: str) -> float:
    """Points of one clause: a negation reaches no further than its clause ("jamais reçue,
    scandaleux" stays negative)."""
    score = 0.0
    for idiom, w in _IDIOMS.items():
        if idiom in folded:
            score += w
            folded = folded.replace(idiom, " ")
    for phrase in ("toujours pas", "personne ne", "terrible service"):
        if phrase in folded:
            score += _LEXICON[phrase]
            folded = folded.replace(phrase, " ")
    words = _WORD.findall(folded)
    for i, word in enumerate(words):
        w = _weight(word)
        if not w or (word in _NEGATIONS and w < 0 and i + 1 < len(words)):
            continue
        window = words[max(0, i - 3) : i]
        if any(n in _NEGATIONS for n in window):
            w = -w * 0.7  # "pas content": negative; "pas nul": only mildly positive
        for n in window[-1:]:
            w *= _INTENSIFIERS.get(n, 1.0)
        score += w
    return score


def estimate(text: str, toxicity: float | None = None) -> Sentiment:
    """Negative, neutral or positive for one text; `toxicity` (0–1) from the scorer if known."""
    score = sum(_clause_score(normalize(clause).text) for clause in _CLAUSES.split(text or ""))
    for emoji, w in _EMOJI.items():
        if emoji in (text or ""):
            score += w * min((text or "").count(emoji), 3)
    if text and text.upper() == text and sum(c.isupper() for c in text) > 12:
        score -= 1  # SHOUTING
    score -= min((text or "").count("!"), 3) * 0.3 if score < 0 else 0
    if toxicity is not None and toxicity >= TOXIC:
        score = min(score, 0.0) - 2 * toxicity
    if score <= -THRESHOLD:
        return Sentiment("negative", round(score, 2))
    if score >= THRESHOLD:
        return Sentiment("positive", round(score, 2))
    return Sentiment("neutral", round(score, 2))


def label_of(text: str) -> str:
    """`of_text(text).label`, running the learned scorer only when its answer can matter.

    A toxicity at or above `TOXIC` makes the score at most `-2 * TOXIC` (below `-THRESHOLD`):
    negative whatever the words; under it, the toxicity is ignored. So a text the lexicon
    already finds negative stays negative without scoring it (ingest stores only the label)."""
    label = estimate(text).label
    if label == "negative":
        return label
    from .scorer import MODEL_PATH, get_scorer

    if MODEL_PATH.is_file() and get_scorer().score(text).probs.get("toxicity", 0.0) >= TOXIC:
        return "negative"
    return label


def of_text(text: str) -> Sentiment:
    """The estimate with the learned scorer's toxicity (what triage stores and conditions read)."""
    from .scorer import MODEL_PATH, get_scorer

    toxicity = get_scorer().score(text).probs.get("toxicity") if MODEL_PATH.is_file() else None
    return estimate(text, toxicity)
