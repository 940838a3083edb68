"""French confusions between valid words: a/à, ou/où, c'est/s'est, et/est, ce/se, words
before a participle, "peut-être", "bien sûr", and misused set phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_words import (
    _CONJUGATED,
    ADVERBS_IN_VERB_GROUP,
    AVOIR_FORMS,
    CLITICS,
    ETRE_3RD,
    NOUN_PHRASE_PREPOSITIONS,
    PLACE_TIME_NOUNS,
    PRONOMINAL_LEMMAS,
    WHERE_VERBS,
    Token,
    _finding,
    _first_group_participle,
    _lemmas,
    _noun_phrase,
    _same_case,
    _subject_start,
)
from canned_replies.grammalecte_engine import morphs

# Set phrases people misspell with valid words, so no speller can see them.
SET_PHRASES = [
    (r"\bsous peux\b", "sous peu", "Locution : « sous peu »."),
    (
        r"\b(?:mis|mise|mises|mettre|mettons|mettez|met|mets|mettent|mettrons|mettrai) à (jours)\b",
        "jour",
        "Locution : « mettre à jour » (au singulier).",
    ),
    (r"\bà (jours) près\b", "jour", "Locution : « à un jour près »."),
    # "au mois un", "au mois deux fois": "au moins" before a quantity.
    (
        r"\bau (mois) (?=(?:un|une|deux|trois|quatre|cinq|dix|\d))",
        "moins",
        "Locution : « au moins ».",
    ),
    # "je besoin", "je envie": the verb "avoir" is missing ("j'ai besoin"); not after an
    # inversion, where the verb is before it ("Ai-je tort", "Ai-je raison").
    (
        r"(?<![-‑])\b(je) (?=(?:besoin|envie|peur|faim|soif|hâte|raison|tort)\b)",
        "j'ai",
        "Il manque le verbe : « j'ai ».",
    ),
    # "je vous en pris", "je t'en prit": the politeness formula is "prier"
    (
        r"\bje (?:vous |t['’]|te )en (pris|prit|pri|pries)\b",
        "prie",
        "Formule de politesse : « je vous en prie » (prier).",
    ),
    # "en faite", "au faite": the locution is "en fait", "au fait" (not "faite", "faîte")
    (r"\b(?:en|au) (faite)\b(?=\s*(?:[,.!?…;]|$))", "fait", "Locution : « en fait »."),
]


def rule_a_accent(sentence: list[Token]) -> Iterator[Finding]:
    """a/à where the next words decide: "merci à vous", "à bientôt", "votre colis a bien été"."""
    for i, token in enumerate(sentence):
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        prev = sentence[i - 1].low if i > 0 else ""
        if token.low == "a" and nxt is not None:
            after = sentence[i + 2] if i + 2 < len(sentence) else None
            tonic = nxt.low in {"vous", "nous", "moi", "toi", "eux"} and (
                after is None or after.kind == "punct" or after.low in {"et", "pour", "aussi"}
            )
            farewell = nxt.low in {"bientôt", "demain", "tout", "très"} and prev in {
                "",
                ",",
                "et",
                "donc",
                "alors",
                "!",
            }
            if tonic or farewell:
                yield _finding(
                    token,
                    "Confusion : ici il faut la préposition « à ».",
                    [_same_case(token.text, "à")],
                    "a_preposition",
                )
            # "venir a la maison": after an infinitive (not a subject: "Partir a été dur"),
            # "a" is the preposition.
            after_infinitive = (
                i > 1
                and sentence[i - 1].kind == "word"
                and sentence[i - 1].only(r":V.*:Y")
                and sentence[i - 2].low not in {"de", "d'", "à"}
                and nxt.kind == "word"
                and not nxt.has(r":V.*:Q")
            )
            if not (tonic or farewell) and after_infinitive:
                yield _finding(
                    token,
                    "Confusion : après un infinitif, la préposition « à ».",
                    [_same_case(token.text, "à")],
                    "a_apres_infinitif",
                )
        elif token.low == "à" and nxt is not None and prev != "tout":
            k = i + 1
            while k < len(sentence) and sentence[k].low in ADVERBS_IN_VERB_GROUP - {"tout"}:
                k += 1
            if k == i + 1 or k >= len(sentence):
                continue
            word = sentence[k]
            if word.only(r":V.*:Q") or word.low == "été":
                yield _finding(
                    token,
                    "Confusion : « a » (verbe avoir) devant un participe passé.",
                    [_same_case(token.text, "a")],
                    "a_verbe",
                )


def _where_verb_right_before(sentence: list[Token], i: int) -> bool:
    """A verb asking "where" (savoir, dire…) right before i, past "pas/plus/jamais"; or its
    imperative with a hyphenated pronoun ("dis-moi")."""
    k = i - 1
    while k > 0 and sentence[k].low in {"pas", "plus", "jamais"}:
        k -= 1
    token = sentence[k]
    if "-" in token.text:
        first = token.text.split("-")[0].lower()
        return bool({m.split("/")[0][1:] for m in morphs(first) if ":E" in m} & WHERE_VERBS)
    return bool(_lemmas(token, r":V") & WHERE_VERBS)


def rule_ou_accent(sentence: list[Token]) -> Iterator[Finding]:
    """Relative or interrogative où ("la gare ou vous êtes" → "où")."""
    clause_start = {"vous", "nous", "il", "elle", "ils", "elles", "on", "je", "j'", "tu"}
    clause_start |= {"se", "s'"}
    for i, token in enumerate(sentence):
        if token.low != "ou" or i == 0 or i + 1 >= len(sentence):
            continue
        nxt = sentence[i + 1]
        if _where_verb_right_before(sentence, i) and nxt.low in clause_start | {"t'", "ça"}:
            # "dis-moi ou tu es", "tu peux me dire ou t'as garé…", "je sais pas ou ça se
            # trouve": the verb right before asks "where"; an alternative would need its
            # first member between them.
            yield _finding(
                token,
                "Confusion : « où » (lieu, moment) s’écrit avec un accent.",
                [_same_case(token.text, "où")],
                "ou_relatif",
            )
            continue
        opens_clause = nxt.low in clause_start or (
            nxt.kind == "word" and nxt.only(_CONJUGATED.pattern)
        )
        phrase = _noun_phrase(sentence, i + 1)
        if phrase is not None and phrase.end_index < len(sentence):
            # "la gare où le train est resté": a subject then a verb that cannot be a noun.
            verb = sentence[phrase.end_index]
            auxiliary = verb.low in (ETRE_3RD | AVOIR_FORMS) - {"été"}
            opens_clause = auxiliary or (verb.has(_CONJUGATED.pattern) and not verb.has(r":[NAQ]"))
        if not opens_clause:
            continue
        after_place = sentence[i - 1].low in PLACE_TIME_NOUNS
        window = sentence[max(0, i - 4) : i]
        after_verb = any(_lemmas(t, r":V") & WHERE_VERBS for t in window)
        if after_place or after_verb:
            yield _finding(
                token,
                "Confusion : « où » (lieu, moment) s’écrit avec un accent.",
                [_same_case(token.text, "où")],
                "ou_relatif",
            )


_DEGREE = {"trop", "vraiment", "super", "tellement", "si", "assez", "hyper", "grave"}


def _opening_s_est(sentence: list[Token], k: int) -> bool:
    """After a sentence-opening "s'est" and its adverbs: the end, punctuation, "que", or a
    word with no verb reading (a participle would make "se" its object: "s'est bien passé")."""
    if k >= len(sentence) or sentence[k].kind == "punct" or sentence[k].low in {"que", "qu'"}:
        return sentence[k - 1].low in {"bien", "trop", "vraiment", "super", "hyper", "grave"}
    word = sentence[k]
    # No verb reading: an adjective ("gentil"), a determiner ("trop bien ce jeu")…
    return word.kind == "word" and bool(word.morphs) and not word.has(r":V")


def rule_c_est_s_est(sentence: list[Token]) -> Iterator[Finding]:
    """Choose c'est/s'est by what follows ("un incident c'est produit" → "s'est")."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in {"c'", "s'"} or sentence[i + 1].low != "est":
            continue
        k = i + 2
        while k < len(sentence) and sentence[k].low in ADVERBS_IN_VERB_GROUP | _DEGREE:
            k += 1
        span = Finding(token.start, sentence[i + 1].end, "", [], "", "grammar")
        if token.low == "s'" and i == 0 and k > i + 2 and _opening_s_est(sentence, k):
            # "s'est trop bien !", "S'est vraiment gentil": nothing before can be the subject
            # of "se", and no participle follows the adverbs: "c'est".
            suggestion = _same_case(token.text, "c’est")
            message = "Confusion : « c’est » (cela est), pas « s’est »."
            yield Finding(span.start, span.end, message, [suggestion], "vigie.c_est_s_est")
            continue
        if k >= len(sentence):
            continue
        word = sentence[k]
        # Right after the subject ("Le colis c'est perdu"), "c'est" can only be "s'est".
        phrase = _noun_phrase(sentence, _subject_start(sentence))
        after_subject = phrase is not None and phrase.end_index == i and word.has(r":V.*:Q")
        if token.low == "c'" and (after_subject or _lemmas(word, r":Q") & PRONOMINAL_LEMMAS):
            if "rendre" in _lemmas(word, r":Q") and (
                k + 1 >= len(sentence) or sentence[k + 1].low != "compte"
            ):
                continue
            suggestion = _same_case(token.text, "s’est")
            message = "Confusion : verbe pronominal, écrivez « s’est »."
            yield Finding(span.start, span.end, message, [suggestion], "vigie.c_est_s_est")
        elif token.low == "s'" and word.kind == "word" and k == i + 2:
            if word.has(r":Q") or word.has(r":W") or word.low in {"-il", "-elle", "-on"}:
                continue
            suggestion = _same_case(token.text, "c’est")
            message = "Confusion : « c’est » (cela est), pas « s’est »."
            yield Finding(span.start, span.end, message, [suggestion], "vigie.c_est_s_est")


def rule_et_est(sentence: list[Token]) -> Iterator[Finding]:
    """Confusions of et/est ("votre colis et en route", "votre message est nous le…")."""
    for i, token in enumerate(sentence):
        prev = sentence[i - 1].low if i > 0 else ""
        nxt = sentence[i + 1] if i + 1 < len(sentence) else None
        if nxt is None:
            continue
        if token.low == "est" and prev not in {"c'", "qu'", "ce", "n'"} and i > 0:
            third = sentence[i + 2] if i + 2 < len(sentence) else None
            if nxt.low in {"nous", "je", "j'", "ils", "elles", "on"} and (
                third is not None and (third.low in CLITICS or third.has(_CONJUGATED.pattern))
            ):
                message = "Confusion : la conjonction « et »."
                yield _finding(token, message, ["et"], "et_conjonction")
        elif token.low == "et":
            phrase = _noun_phrase(sentence, 0)
            if phrase is None or phrase.end_index != i:
                continue
            after = sentence[i + 2].low if i + 2 < len(sentence) else ""
            predicate = (
                nxt.low in {"bien", "déjà", "toujours", "désormais", "actuellement", "maintenant"}
                or (nxt.low in {"en", "à"} and after not in {"particulier", "plus", "outre"})
                or nxt.only(r":V.*:Q")
            )
            if predicate:
                yield _finding(token, "Confusion : le verbe être, « est ».", ["est"], "est_verbe")


# ----------------------------------------------------------------------------- homophones

SUBJECT_CLITIC_PRONOUNS = {"il", "elle", "on", "ils", "elles"}


def rule_homophones_before_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "ils son partis", "ils on inventé": a participle right after needs the auxiliary."""
    for i, token in enumerate(sentence[:-1]):
        fix = {"on": "ont", "son": "sont"}.get(token.low)
        if fix is None:
            continue
        nxt = sentence[i + 1]
        # "son venus": a plural or feminine participle cannot follow the determiner "son".
        unagreeing = (
            token.low == "son"
            and nxt.kind == "word"
            and nxt.has(r":V.*:Q")
            and not nxt.has(r":N")
            and not nxt.has(r":[AQ].*:[me]:[si](?:[:/;]|$)")
        )
        if (
            not unagreeing
            and not _first_group_participle(nxt)
            and not (nxt.kind == "word" and nxt.only(r":V.*:Q") and not nxt.has(r":[NA]"))
        ):
            continue
        after = sentence[i + 2] if i + 2 < len(sentence) else None
        if token.low == "son" and after is not None and after.only(r":N"):
            continue  # "son regretté mari": an adjective before the noun
        if token.low == "son" and i > 0 and sentence[i - 1].low in NOUN_PHRASE_PREPOSITIONS:
            continue  # "avant son arrivé": the determiner, its noun misspelt
        # "on inventé" needs a subject before it: a name ("Binney et Smith on inventé") or a
        # plural noun ("les équipes on travaillé").
        prev = sentence[i - 1] if i > 0 else None
        if token.low == "on" and (
            prev is None or not (prev.text[:1].isupper() or prev.has(r":N.*:p"))
        ):
            continue
        yield _finding(
            token,
            f"Confusion : l’auxiliaire « {fix} » devant un participe passé.",
            [_same_case(token.text, fix)],
            "homophone_auxiliaire",
        )


def rule_ce_se(sentence: list[Token]) -> Iterator[Finding]:
    """ "il ce lève" → "se": between a subject pronoun and its verb, the reflexive pronoun."""
    for i, token in enumerate(sentence[1:-1], start=1):
        if token.low != "ce" or sentence[i - 1].low not in SUBJECT_CLITIC_PRONOUNS:
            continue
        verb = sentence[i + 1]
        if verb.kind == "word" and verb.has(_CONJUGATED.pattern) and not verb.has(r":N"):
            if verb.low in ETRE_3RD:
                continue
            yield _finding(token, "Confusion : le pronom réfléchi « se ».", ["se"], "ce_se")


# "je pourrai" + infinitive is as often a real future: not listed.


_AUXILIARY_WORDS = (
    "est|sont|suis|es|sommes|êtes|était|étaient|sera|seront|serait|seraient"
    "|a|ai|as|avons|avez|ont|avait|avaient|aura|auront|aurait|auraient"
)


def _peut_etre(m: re.Match[str]) -> Finding:
    """The adverb's finding for a match whose groups are "peut" and "être"."""
    return Finding(
        m.start(1),
        m.end(2),
        "Adverbe : « peut-être » (avec un trait d’union).",
        [m.group(1) + "-être"],
        "vigie.peut_etre",
        "grammar",
    )


def peut_etre_findings(text: str) -> Iterator[Finding]:
    """ "peut être ?" at the end, "bien sur," alone: the adverbs "peut-être", "bien sûr"."""
    for m in re.finditer(r"\b([Pp]eut) (être)(?=\s*(?:[?!.,…]|$))", text):
        before = text[: m.start()].rstrip()
        # "il peut être." is rare; "ça peut être ?" is the adverb mostly, unless a subject
        # pronoun is right before ("il peut être ?" is still odd): keep it simple and precise.
        if re.search(r"\b(?:il|elle|on|ça|cela|ce|qui)$", before, re.IGNORECASE):
            continue
        yield _peut_etre(m)
    # "mais peut être qu'on peut essayer": before "que", with no subject, the adverb.
    for m in re.finditer(r"\b([Pp]eut) (être)(?=\s+qu['’e]\b|\s+que\b)", text):
        last = re.search(r"(\w+)\W*$", text[: m.start()])
        if last and not text[last.end(1) : m.start()].strip() and last.group(1).lower() not in {
            "mais", "et", "ou", "donc", "alors", "non", "oui", "bon", "enfin",
        }:  # fmt: skip
            continue  # "la solution peut être que…": a subject before, the verb
        yield _peut_etre(m)
    # "il est peut être dû", "vous avez peut être raison": right after an auxiliary "peut" is
    # no second verb, so the adverb; "ce que tu as peut être utile" (a relative before) stays.
    for m in re.finditer(rf"\b(?:{_AUXILIARY_WORDS}) ([Pp]eut) (être)\b", text):
        if re.search(r"\b(?:que|qu['’]|qui|quoi|dont)\b", text[max(0, m.start() - 30) : m.start()]):
            continue
        yield _peut_etre(m)
    # "pourquoi est ce que", "mais est ce qu'il y a": the question's "est-ce" (Grammalecte
    # reads it at the start and after "qu'" only; "l'important est ce que tu fais" stays).
    for m in re.finditer(
        r"(?:^|[,;:]\s*|\b(?:pourquoi|comment|quand|où|combien|quoi|mais|et|alors|donc|ou|bon"
        r"|bref|oui|non)\s+)([Ee]st) (ce)(?=\s+qu)",
        text,
        re.IGNORECASE,
    ):
        if m.start(1) == 0:
            continue  # "Est ce que…" at the start: Grammalecte's own finding
        yield Finding(
            m.start(1),
            m.end(2),
            "Interrogation : « est-ce » (avec un trait d’union).",
            [m.group(1) + "-ce"],
            "vigie.est_ce",
            "grammar",
        )
    for m in re.finditer(
        r"(?:^|[.!?…,;:]\s*|\b(?:[Ee]t|[Mm]ais|[Oo]ui|[Nn]on|[Aa]lors)\s+)"
        r"([Bb]ien) (sur|sure|sûre)\b"
        r"|\b([Bb]ien) (sur|sure|sûre)\b(?=\s*(?:[?!.,…]|$|\s(?:que|qu'|qu’)))",
        text,
    ):
        group = 2 if m.group(2) else 4
        yield Finding(
            m.start(group),
            m.end(group),
            "Locution : « bien sûr ».",
            ["sûr"],
            "vigie.bien_sur",
            "grammar",
        )


def set_phrase_findings(text: str) -> Iterator[Finding]:
    """Misused set phrases made of valid words ("sous peux", "mis à jours")."""
    for pattern, fix, message in SET_PHRASES:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            group = 1 if m.groups() else 0
            yield Finding(m.start(group), m.end(group), message, [fix], "vigie.locution", "grammar")
