"""Customer references (order, booking, invoice, ticket, train, parcel numbers) found in a text.

Plain regular expressions, no Flask. A number is a reference only when its shape or its words
say so: the brand's own patterns (the playbook's `references:` section), a few self-describing
shapes (parcel tracking numbers), or a context word just before it ("commande n° 123456",
"dossier ABC12D"). Phone numbers, prices, dates, times, percentages and postcodes are masked
first, so they are never read as references even next to a context word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

# Built-in kinds, with the French label shown on screen and the canned-reply variable names.
KIND_LABELS: dict[str, str] = {
    "order": "Commande",
    "booking": "Réservation",
    "invoice": "Facture",
    "ticket": "Ticket",
    "train": "Train",
    "parcel": "Colis",
    "reference": "Référence",
}
# Canned-reply variables a kind fills (the shipped replies' names: {{ reference_commande }}).
KIND_VARIABLES: dict[str, tuple[str, ...]] = {
    "order": ("reference_commande", "reference_order"),
    "booking": ("reference_reservation", "reference_booking"),
    "invoice": ("reference_facture", "reference_invoice"),
    "ticket": ("reference_ticket",),
    "train": ("numero_train", "reference_train"),
    "parcel": ("numero_colis", "reference_parcel"),
    "reference": ("reference",),
}

# Context words: the kind they announce (lower case, accents optional in the pattern).
_CONTEXT: dict[str, str] = {
    r"commandes?|cdes?|cmd|order|achats?": "order",
    r"r[ée]servations?|dossiers?|pnr|booking|billets?": "booking",
    r"factures?|invoice": "invoice",
    r"tickets?|r[ée]clamations?|incidents?|demandes?|requ[êe]tes?|sav": "ticket",
    r"trains?|tgv|ter|intercit[ée]s|ouigo|rer|tram": "train",
    r"colis|suivi|tracking|envois?|exp[ée]ditions?|livraisons?|parcel": "parcel",
    r"n[°º]|num[ée]ros?|no\.?|r[ée]f[ée]rences?|r[ée]f\.?|ref\.?": "reference",
}
# Words allowed between a context word and its number ("commande n° : 123456").
_FILLER = (
    r"(?:\s|[:#=\-]|n[°º]|num[ée]ro|no\.?|r[ée]f[ée]rence|r[ée]f\.?"
    r"|de|du|d'|la|le|ma|mon|est)*"
)
_TOKEN = r"([A-Za-z0-9](?:[A-Za-z0-9\-/]{1,28}[A-Za-z0-9])?)"
_CONTEXT_RE = [
    (
        kind,
        re.compile(rf"(?<![\w])(?:{words})(?![\w]){_FILLER}{_TOKEN}(?![\w])", re.IGNORECASE),
    )
    for words, kind in _CONTEXT.items()
]
_ANY_CONTEXT = re.compile(
    r"(?<![\w])(?:" + "|".join(w for w, k in _CONTEXT.items() if k != "reference") + r")(?![\w])",
    re.IGNORECASE,
)

# Self-describing shapes, reported even without a context word.
_SHAPES: list[tuple[str, re.Pattern[str]]] = [
    ("parcel", re.compile(r"(?<![\w])1Z[0-9A-Z]{16}(?![\w])")),  # UPS
    ("parcel", re.compile(r"(?<![\w])[A-Z]{2}\d{9}[A-Z]{2}(?![\w])")),  # UPU (La Poste, DHL…)
    ("parcel", re.compile(r"(?<![\w])\d[A-Z]\d{11}(?![\w])")),  # Colissimo
]

# What is never a reference: masked before anything is read.
_NOT_REFERENCES = re.compile(
    "|".join(
        [
            # Phone numbers: French (06 12 34 56 78, +33 6 12 34 56 78, 0612345678) and others.
            r"(?:\+|00)\d{1,3}[\s.\-]?\(?\d\)?(?:[\s.\-]?\d{1,4}){3,5}",
            r"(?<!\d)0[1-9](?:[\s.\-]?\d{2}){4}(?!\d)",
            # Prices: 12,50 €, 1 299 €, €12, 45 euros, 30 EUR, $20.
            r"(?<![\d.,])\d+(?:[\s.,]\d{3})*(?:[.,]\d{1,2})?\s?(?:€|eur(?:os?)?\b|\$|£|chf\b)",
            r"[€$£]\s?\d+(?:[\s.,]\d{3})*(?:[.,]\d{1,2})?",
            # Dates: 12/03/2024, 12-03-24, 2024-03-12, 12.03.2024.
            r"(?<!\d)\d{4}-\d{1,2}-\d{1,2}",
            r"(?<!\d)\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?!\d)",
            # Times: 14h30, 14 h, 8h, 14:30.
            r"(?<!\d)\d{1,2}\s?(?:h|:)\s?\d{0,2}(?![\w])",
            # Percentages and quantities with a unit.
            r"(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:%|pour\s?cent|kg|km|min|ans?|jours?|mois|fois)(?![\w])",
            # Postcodes with their town (75011 Paris), or after "code postal"/"CP".
            r"(?<!\d)\d{5}\s+(?-i:[A-ZÉÈ][a-zéèêàç\-]+)",
            r"(?:code\s+postal|cp)\s*:?\s*\d{5}",
        ]
    ),
    re.IGNORECASE,
)
# "commandes 1234567 et 7654321": the numbers listed after the first one.
_MORE = re.compile(
    r"\s*(?:,|;|/|&|et|and|ou|or)\s*(?:n[°º]\s*|#)?" + _TOKEN + r"(?![\w])", re.IGNORECASE
)
# References are read in the first characters only (a mention is short; a paste is not).
MAX_TEXT = 5000
_YEAR = re.compile(r"(?:19|20)\d{2}")
_PNR = re.compile(r"[A-Z0-9]{6}")


class PatternSpec(Protocol):
    """A brand pattern as the playbook schema gives it (``schema.ReferenceSpec``)."""

    kind: str
    pattern: str
    label: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """One reference found: its kind, its value as written, how sure we are (0–1)."""

    kind: str
    value: str
    label: str
    confidence: float
    start: int
    end: int

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value}


def _masked(text: str) -> str:
    """The text with phone numbers, prices, dates… blanked (same length, same offsets)."""
    return _NOT_REFERENCES.sub(lambda m: " " * len(m.group(0)), text)


def _plausible(kind: str, token: str) -> bool:
    """Whether a token after a context word of this kind can be such a reference."""
    digits = sum(c.isdigit() for c in token)
    letters = sum(c.isalpha() for c in token)
    if kind == "train":
        return token.isdigit() and 3 <= len(token) <= 6
    if kind == "booking" and _PNR.fullmatch(token) and letters:
        return True  # a PNR: six capitals and digits (ABC12D, QWERTY)
    if digits < 3 or len(token) < 4:
        return False
    # "commande 2024", "ticket 123": a year, a count.
    return not (token.isdigit() and (len(token) < 5 or _YEAR.fullmatch(token)))


def extract(text: str, patterns: Sequence[PatternSpec] = ()) -> list[Reference]:
    """Every reference in `text`, in order of appearance, each value once.

    `patterns`: the brand's own (kind, regular expression, label), tried first; a context word
    anywhere in the text raises their confidence.
    """
    if not text:
        return []
    text = text[:MAX_TEXT]  # a brand's own pattern may be slow: bounded input
    masked = _masked(text)
    context_spans = [m.span() for m in _ANY_CONTEXT.finditer(masked)]

    def context_outside(start: int, end: int) -> bool:
        # "CMD" inside "CMD-123456" is the reference itself, not a word about it.
        return any(b <= start or a >= end for a, b in context_spans)

    found: dict[str, Reference] = {}
    taken: list[tuple[int, int]] = []

    def add(kind: str, label: str | None, start: int, end: int, confidence: float) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        value = text[start:end]
        key = re.sub(r"[\s\-/]", "", value).upper()
        if key in found:
            return
        taken.append((start, end))
        found[key] = Reference(
            kind, value, label or KIND_LABELS.get(kind, kind), confidence, start, end
        )

    for spec in patterns:
        for m in _compiled(spec.pattern).finditer(masked):
            if m.end() > m.start():
                sure = context_outside(m.start(), m.end())
                add(spec.kind, spec.label, m.start(), m.end(), 0.9 if sure else 0.7)
    for kind, shape in _SHAPES:
        for m in shape.finditer(masked):
            add(kind, None, m.start(), m.end(), 0.8 if context_outside(*m.span()) else 0.6)
    for kind, rx in _CONTEXT_RE:
        for m in rx.finditer(masked):
            token = m.group(1)
            if kind == "booking" and not any(c.isdigit() for c in token) and token != token.upper():
                continue  # "dossier urgent": a word, not a PNR
            if not _plausible(kind, token):
                continue
            confidence = 0.5 if kind == "reference" else 0.8
            add(kind, None, m.start(1), m.end(1), confidence)
            end = m.end()
            while (more := _MORE.match(masked, end)) and _plausible(kind, more.group(1)):
                add(kind, None, more.start(1), more.end(1), confidence)
                end = more.end()
    return sorted(found.values(), key=lambda r: r.start)


_PATTERN_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = _PATTERN_CACHE.get(pattern)
    if rx is None:
        # Bounded by word edges: "CMD-?\d{6}" must not match inside a longer number.
        rx = _PATTERN_CACHE[pattern] = re.compile(rf"(?<![\w])(?:{pattern})(?![\w])")
    return rx


def check_pattern(pattern: str) -> str | None:
    """Why a brand pattern is unusable (None when fine): invalid, or matching nothing at all."""
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        return f"expression régulière invalide : {exc}"
    if rx.fullmatch(""):
        return "le motif accepte le texte vide"
    return None


def as_dicts(refs: Iterable[Reference]) -> list[dict[str, str]]:
    """What is stored per mention and given by `vigie mentions list --json`."""
    return [r.to_dict() for r in refs]
