"""The forms of "être" and "avoir" the French rules read, in one table.

Each rule that reads an auxiliary builds its set from these, naming what it adds or leaves
out (an infinitive, a subjunctive, "rester"), instead of keeping its own literal list.
"""

from __future__ import annotations

ETRE_PRESENT = frozenset({"suis", "es", "est", "sommes", "êtes", "sont"})
ETRE_IMPERFECT = frozenset({"étais", "était", "étions", "étiez", "étaient"})
ETRE_FUTURE = frozenset({"serai", "seras", "sera", "serons", "serez", "seront"})
ETRE_CONDITIONAL = frozenset({"serais", "serait", "serions", "seriez", "seraient"})
ETRE_INDICATIVE = ETRE_PRESENT | ETRE_IMPERFECT | ETRE_FUTURE
# Three of the lists this table replaced (preposition_a, auxiliary_slips,
# homophones_short_words) lacked "seras"; those rules were measured without it and keep
# reading this set (adding it is a behaviour change to measure).
ETRE_AUXILIARY = ETRE_INDICATIVE - {"seras"}

AVOIR_PRESENT = frozenset({"ai", "as", "a", "avons", "avez", "ont"})
AVOIR_IMPERFECT = frozenset({"avais", "avait", "avions", "aviez", "avaient"})
AVOIR_FUTURE = frozenset({"aurai", "auras", "aura", "aurons", "aurez", "auront"})
AVOIR_CONDITIONAL = frozenset({"aurais", "aurait", "aurions", "auriez", "auraient"})
# Likewise without "auras", as the rules' list always was.
AVOIR_FORMS = AVOIR_PRESENT | AVOIR_IMPERFECT | (AVOIR_FUTURE - {"auras"})

# "rester" takes an attribute as "être" does ("reste là").
RESTER_PRESENT = frozenset({"reste", "restes", "restez", "restons", "restent"})
