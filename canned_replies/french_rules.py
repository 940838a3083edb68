"""Extra French rules for mistakes Grammalecte lets through in customer-service replies.

Grammalecte looks at a few words around each error; these rules cover frequent mistakes it
misses (measured on canned_replies/eval/fr_errors.jsonl): a subject and its participle far
apart, a participle after "que … avons", "nous" or "vous" with a verb in the wrong person,
a/à, ou/où, et/est, c'est/s'est after words that decide them, and set phrases. They use
Grammalecte's own dictionary for word classes, and stay quiet whenever the reading is in
doubt: a false alarm in a send gate costs more than a miss.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from canned_replies.findings import Finding
from canned_replies.grammalecte_engine import engine, morphs

_TOKEN = re.compile(
    r"(?P<elided>\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=\w))"
    r"|(?P<word>\w+(?:-\w+)*)"
    r"|(?P<punct>[.!?…;:,()\"«»—–]+)",
    re.IGNORECASE,
)
_SENTENCE_END = {".", "!", "?", "…", "...", ";", ":"}
_CONJUGATED = re.compile(r":V[0-3].*:(?:Ip|Iq|Is|If|K|Sp|Sq)")


@dataclass(frozen=True)
class Token:
    """A word, an elided word ("l'") or punctuation, with its position in the text."""

    text: str
    start: int
    end: int
    kind: str

    @property
    def low(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def morphs(self) -> tuple[str, ...]:
        if self.kind != "word" or "_" in self.text:
            return ()
        return morphs(self.text)

    def has(self, pattern: str, exclude: str | None = None) -> bool:
        """True when one morphology matches pattern (and not exclude)."""
        return any(
            re.search(pattern, m) and not (exclude and re.search(exclude, m)) for m in self.morphs
        )

    def only(self, pattern: str) -> bool:
        """True when the word is known and every morphology matches pattern."""
        found = self.morphs
        return bool(found) and all(re.search(pattern, m) for m in found)


def tokenize(text: str) -> list[Token]:
    """Split text into tokens; placeholders of masked parts come out as words with "_"."""
    tokens = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "word"
        value = m.group()
        if kind == "elided":
            value = value.replace("’", "'")
        tokens.append(Token(m.group(), m.start(), m.end(), kind))
    return tokens


def sentences(tokens: list[Token]) -> Iterator[list[Token]]:
    """Group tokens into sentences (clause-ending punctuation closes a sentence)."""
    current: list[Token] = []
    for token in tokens:
        if token.kind == "punct" and any(c in ".!?…;:" for c in token.text):
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


# ----------------------------------------------------------------------------- word classes

SUBJECT_PERSON = {"nous": ":1p", "vous": ":2p"}
CLITICS = {
    "ne", "n'", "nous", "vous", "le", "la", "les", "l'", "lui", "leur", "en", "y",
    "me", "m'", "te", "t'", "se", "s'",
}  # fmt: skip
# "une cinquantaine de chefs ont été mis": the participle may agree with the complement.
COLLECTIVE_NOUNS = {
    "cinquantaine", "dizaine", "douzaine", "vingtaine", "trentaine", "quarantaine",
    "centaine", "millier", "majorité", "minorité", "partie", "plupart", "moitié", "nombre",
    "foule", "groupe", "série", "quantité", "ensemble", "totalité", "tiers", "quart", "reste",
}  # fmt: skip
# A new clause with its own subject starts after these ("… est requise lorsqu'Aclasta est …").
SUBORDINATORS = {
    "lorsqu'", "lorsque", "puisqu'", "puisque", "quoiqu'", "quoique", "quand", "si", "s'",
    "comme", "car", "mais", "parce", "afin", "tandis", "pendant", "avant", "après",
}  # fmt: skip
# After "et", "nous"/"vous" is usually an object ("…et vous sera livré"): not an opener.
CLAUSE_OPENERS = {",", "mais", "donc", "car", "alors", "si", "que", "qu'", "quand", "lorsque"}
DETERMINERS_SING = {
    "le", "la", "l'", "un", "une", "ce", "cet", "cette", "mon", "ma", "ton", "ta", "son", "sa",
    "notre", "votre", "leur",
}  # fmt: skip
DETERMINERS_PLUR = {"les", "des", "ces", "mes", "tes", "ses", "nos", "vos", "leurs", "aux"}
DETERMINERS = DETERMINERS_SING | DETERMINERS_PLUR | {"du", "au", "d'"}
FEMININE_DETERMINERS = {"la", "une", "cette", "ma", "ta", "sa"}
SUBJECT_PRONOUNS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"}
ETRE_3RD = {
    "est", "sera", "serait", "était", "soit", "fut", "sont", "seront", "seraient", "étaient",
    "soient", "furent", "été",
}  # fmt: skip
AVOIR_FORMS = {
    "ai", "as", "a", "avons", "avez", "ont", "avais", "avait", "avions", "aviez", "avaient",
    "aurai", "aura", "aurons", "aurez", "auront",
}  # fmt: skip
ADVERBS_IN_VERB_GROUP = {
    "bien", "déjà", "pas", "plus", "jamais", "encore", "toujours", "également", "aussi",
    "bientôt", "vite", "rapidement", "ensuite", "enfin", "finalement", "effectivement",
    "malheureusement", "normalement", "automatiquement", "immédiatement", "entièrement",
    "intégralement", "correctement", "directement", "très", "tout",
}  # fmt: skip
# Participles after which "c'est" is really "s'est": verbs almost only used pronominally.
PRONOMINAL_LEMMAS = {
    "produire", "tromper", "dérouler", "avérer", "écouler", "excuser", "renseigner",
    "apercevoir", "glisser", "souvenir", "absenter", "écrouler", "évanouir", "enfuir", "plaindre",
    "inquiéter", "soucier", "efforcer", "moquer", "abstenir", "méfier", "désister", "rendre",
}  # fmt: skip
# Nouns after which "ou" + a clause is the relative "où".
PLACE_TIME_NOUNS = {
    "gare", "jour", "moment", "cas", "adresse", "endroit", "lieu", "ville", "quai", "station",
    "arrêt", "période", "instant", "semaine", "mois", "année", "soir", "soirée", "matin",
    "matinée", "heure", "date", "pays", "région", "magasin", "boutique", "agence", "page",
    "rubrique", "entrepôt", "voiture", "wagon", "rayon", "là", "partout", "d'", "par", "époque",
}  # fmt: skip
# Verbs that introduce an indirect question: "savoir où", "indiquer où".
WHERE_VERBS = {
    "savoir", "indiquer", "préciser", "dire", "demander", "vérifier", "ignorer", "regarder",
    "chercher", "voir", "confirmer", "signaler",
}  # fmt: skip
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
    # "je besoin", "je envie": the verb "avoir" is missing ("j'ai besoin").
    (
        r"\b(je) (?=(?:besoin|envie|peur|faim|soif|hâte|raison|tort)\b)",
        "j'ai",
        "Il manque le verbe : « j'ai ».",
    ),
]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _lemmas(token: Token, pattern: str) -> set[str]:
    return {m.split("/")[0][1:] for m in token.morphs if re.search(pattern, m)}


def _finding(token: Token, message: str, suggestions: list[str], rule: str) -> Finding:
    unique = [s for i, s in enumerate(suggestions) if s and s not in suggestions[:i]]
    return Finding(token.start, token.end, message, unique, f"vigie.{rule}", "grammar")


def _same_case(model: str, word: str) -> str:
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


# ----------------------------------------------------------------------------- agreement data


def _gender_number(token: Token, pattern: str) -> tuple[set[str], set[str]]:
    """Genders (m/f) and numbers (s/p) a word can have for morphologies matching pattern."""
    genders: set[str] = set()
    numbers: set[str] = set()
    for m in token.morphs:
        if not re.search(pattern, m):
            continue
        g = re.search(r":([mfe])(?=[:/]|$)", m)
        n = re.search(r":([spi])(?=[:/]|$)", m)
        genders |= {"m", "f"} if not g or g.group(1) == "e" else {g.group(1)}
        numbers |= {"s", "p"} if not n or n.group(1) == "i" else {n.group(1)}
    return genders, numbers


@dataclass
class NounPhrase:
    """A determiner + noun subject or antecedent, with what it tells about agreement."""

    head: Token
    end_index: int
    genders: set[str]
    numbers: set[str]
    complement: bool = False  # "une cinquantaine de chefs": agreement may follow either noun


def _noun_phrase(sentence: list[Token], i: int) -> NounPhrase | None:
    """Read "det [adj] noun [adj] [de noun]" starting at index i, if there is one."""
    if i >= len(sentence) or sentence[i].low not in DETERMINERS_SING | DETERMINERS_PLUR:
        return None
    det = sentence[i].low
    j = i + 1
    # "une nouvelle date": an adjective before the noun ("nouvelle" is also a noun).
    if j + 1 < len(sentence) and sentence[j].has(r":A") and sentence[j + 1].has(r":N"):
        j += 1
    if j >= len(sentence) or not sentence[j].has(r":N"):
        return None
    head = sentence[j]
    genders, numbers = _gender_number(head, r":N")
    if det in DETERMINERS_PLUR:
        numbers &= {"p"}
    elif det not in {"leur"}:
        numbers &= {"s"}
    if det in FEMININE_DETERMINERS:
        genders &= {"f"}
    elif det in {"le", "un", "ce", "cet"}:
        genders &= {"m"}
    j += 1
    # Complements "de livraison", "d'achat" do not change the head.
    complement = False
    while j + 1 < len(sentence) and sentence[j].low in {"de", "d'"} and sentence[j + 1].has(":N"):
        j += 2
        complement = True
    if not genders or not numbers:
        return None
    return NounPhrase(head, j, genders, numbers, complement)


def _participle_mismatch(token: Token, phrase: NounPhrase) -> bool:
    if not token.has(r":Q") or token.has(r":Q:e:i") or "_" in token.text:
        return False
    genders, numbers = _gender_number(token, r":Q")
    return not (genders & phrase.genders) or not (numbers & phrase.numbers)


def _agreed_participle(token: Token, phrase: NounPhrase) -> list[str]:
    gender = "f" if phrase.genders == {"f"} else "m"
    number = "p" if phrase.numbers == {"p"} else "s"
    suggestion = engine().functions.suggVerbPpas(token.text, f":{gender}:{number}")
    return [s for s in suggestion.split("|") if s] if suggestion else []


# ----------------------------------------------------------------------------- the rules

Rule = Callable[[list[Token]], Iterator[Finding]]


GREETINGS = {"bonjour", "bonsoir", "hello", "salut", "merci", "re"}


def _subject_start(sentence: list[Token]) -> int:
    """Index where the subject starts, after a greeting and a name ("Bonjour Léa, votre…")."""
    if not sentence or sentence[0].low not in GREETINGS:
        return 0
    k = 1
    while k < len(sentence) and (sentence[k].text[:1].isupper() or "_" in sentence[k].text):
        k += 1
    return k


def rule_subject_participle(sentence: list[Token]) -> Iterator[Finding]:
    """The subject at the start of a sentence agrees with every "est/sera/été + participle"."""
    phrase = _noun_phrase(sentence, _subject_start(sentence))
    if phrase is None or (phrase.complement and phrase.head.low in COLLECTIVE_NOUNS):
        return
    k = phrase.end_index
    while k < len(sentence):
        token = sentence[k]
        low = token.low
        if (
            token.kind == "punct"
            or low in SUBORDINATORS
            or low in DETERMINERS
            or low in SUBJECT_PRONOUNS - {"nous", "vous"}
            or low in {"qui", "que", "qu'", "dont", "où", "celui", "celle", "ceux", "celles"}
            # "… et c'est devenu pire": a new subject (rtplx-fr, an independent clean set).
            or low in {"c'", "ce", "ça", "cela", "ceci"}
            or (token.only(r":V") and not token.has(r":3[sp]|:Q|:Y"))
        ):
            return
        if low in ETRE_3RD:
            n = k + 1
            while n < len(sentence) and sentence[n].low in ADVERBS_IN_VERB_GROUP:
                n += 1
            if n < len(sentence) and _participle_mismatch(sentence[n], phrase):
                yield _finding(
                    sentence[n],
                    f"Accord avec le sujet « {phrase.head.text} » : le participe doit s’accorder.",
                    _agreed_participle(sentence[n], phrase),
                    "accord_sujet_participe",
                )
                return
            k = n
            continue
        k += 1


# "la fois que", "le jour où/que": "que" after these is a time conjunction, not an object
# (measured on an independent clean set, train-data/rtplx-fr: 3 of 3 findings were these).
TIME_NOUNS = {
    "fois", "jour", "jours", "moment", "instant", "année", "an", "semaine", "mois", "heure",
    "minute", "soir", "matin", "nuit", "époque", "temps",
}  # fmt: skip


def rule_object_before_avoir(sentence: list[Token]) -> Iterator[Finding]:
    """A participle after avoir agrees with the object before it ("la commande … passée")."""
    for i, token in enumerate(sentence):
        if token.low not in {"que", "qu'"} or i < 2:
            continue
        phrase = None
        for start in (i - 2, i - 3):
            if start >= 0:
                candidate = _noun_phrase(sentence, start)
                if candidate and candidate.end_index == i:
                    phrase = candidate
                    break
        if phrase is None or phrase.head.low in TIME_NOUNS:
            continue  # "la dernière fois qu'on a compté": a time, not the object
        k = i + 1
        if k < len(sentence) and sentence[k].low in SUBJECT_PRONOUNS:
            k += 1
        else:
            continue
        while k < len(sentence) and sentence[k].low in {"vous", "nous", "lui", "leur", "m'", "t'"}:
            k += 1
        if k >= len(sentence) or sentence[k].low not in AVOIR_FORMS:
            continue
        k += 1
        while k < len(sentence) and sentence[k].low in ADVERBS_IN_VERB_GROUP:
            k += 1
        if k >= len(sentence):
            continue
        participle = sentence[k]
        if participle.low in {"pu", "dû", "voulu", "su", "fallu", "fait", "laissé", "été", "eu"}:
            continue
        after = sentence[k + 1] if k + 1 < len(sentence) else None
        # "la preuve que vous avez payé votre billet": "que" is a conjunction, not the object.
        if after is not None and (after.low in DETERMINERS or after.has(r":Y")):
            continue
        if _participle_mismatch(participle, phrase):
            yield _finding(
                participle,
                f"Accord avec le complément placé avant (« {phrase.head.text} ») : "
                "le participe passé employé avec « avoir » s’accorde.",
                _agreed_participle(participle, phrase),
                "accord_cod_avant",
            )


def rule_pronoun_person(sentence: list[Token]) -> Iterator[Finding]:
    """After subject "nous"/"vous" the verb takes their person ("nous somme" → "sommes")."""
    for i, token in enumerate(sentence):
        person = SUBJECT_PERSON.get(token.low)
        if person is None or (i > 0 and sentence[i - 1].low not in CLAUSE_OPENERS):
            continue
        k = i + 1
        while k < len(sentence) and sentence[k].low in CLITICS:
            k += 1
        if k >= len(sentence) or sentence[k].kind != "word":
            continue
        verb = sentence[k]
        message = (
            f"Avec le sujet « {token.text.lower()} », le verbe doit être conjugué en conséquence."
        )
        if verb.only(r":N") and verb.kind == "word":
            # A noun where the verb belongs, sounding like it: "Vous avé raison".
            similar = engine().functions.suggSimil(verb.text, rf":V.*{person}", False)
            if similar:
                yield _finding(verb, message, similar.split("|"), "conj_nous_vous")
            continue
        if not verb.has(_CONJUGATED.pattern) or verb.has(rf":V.*{person}") or verb.has(r":Y"):
            continue
        yield _finding(verb, message, _conjugate_like(verb, person), "conj_nous_vous")


def _conjugate_like(verb: Token, person: str) -> list[str]:
    functions = engine().functions
    suggestions = []
    # Homophones first: "somme" → "sommes" (être), not "sommons" (sommer).
    similar = functions.suggSimil(verb.text, f":V.*{person}", False)
    if similar:
        suggestions += similar.split("|")
    conjugated = functions.suggVerb(verb.text, person)
    if conjugated:
        suggestions += conjugated.split("|")
    return suggestions


def rule_infinitive_after_preposition(sentence: list[Token]) -> Iterator[Finding]:
    """After à/de/pour a verb is in the infinitive ("à nous envoyez" → "envoyer")."""
    for i, token in enumerate(sentence):
        if token.low not in {"à", "de", "d'", "pour", "sans", "afin"}:
            continue
        k = i + 1
        with_clitic = False
        while k < len(sentence) and sentence[k].low in CLITICS - {"la", "l'", "leur", "ne", "n'"}:
            k += 1
            with_clitic = True
        if k >= len(sentence) or sentence[k].kind != "word" or sentence[k].text[:1].isupper():
            continue
        verb = sentence[k]
        if verb.has(r":Y") or (verb.has(r":[NA]") and not with_clitic):
            continue
        second_plural = verb.low.endswith("ez") and verb.only(r":V.*(?::Ip|:E).*:2p")
        participle = (
            with_clitic
            and re.search(r"é(?:e|s|es)?$", verb.low) is not None
            and verb.only(r":V1.*:Q")
        )
        if second_plural or participle:
            infinitives = sorted(_lemmas(verb, r":V"))
            yield _finding(
                verb,
                "Après une préposition, le verbe se met à l’infinitif.",
                infinitives,
                "infinitif_apres_preposition",
            )


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


def rule_ou_accent(sentence: list[Token]) -> Iterator[Finding]:
    """Relative or interrogative où ("la gare ou vous êtes" → "où")."""
    clause_start = {"vous", "nous", "il", "elle", "ils", "elles", "on", "je", "j'", "tu"}
    clause_start |= {"se", "s'"}
    for i, token in enumerate(sentence):
        if token.low != "ou" or i == 0 or i + 1 >= len(sentence):
            continue
        nxt = sentence[i + 1]
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


def rule_c_est_s_est(sentence: list[Token]) -> Iterator[Finding]:
    """Choose c'est/s'est by what follows ("un incident c'est produit" → "s'est")."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in {"c'", "s'"} or sentence[i + 1].low != "est":
            continue
        k = i + 2
        while k < len(sentence) and sentence[k].low in ADVERBS_IN_VERB_GROUP:
            k += 1
        if k >= len(sentence):
            continue
        word = sentence[k]
        span = Finding(token.start, sentence[i + 1].end, "", [], "", "grammar")
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


def rule_noun_for_verb_after_plural_subject(sentence: list[Token]) -> Iterator[Finding]:
    """A homophone where the verb belongs: "les trains son", "nos équipes travail"."""
    phrase = _noun_phrase(sentence, _subject_start(sentence))
    if phrase is None or phrase.numbers != {"p"} or phrase.end_index >= len(sentence):
        return
    token = sentence[phrase.end_index]
    fixes = {"son": ["sont"], "on": ["ont"]}.get(token.low)
    if fixes is None and token.only(r":N") and not token.has(r":[pi](?:[:/]|$)"):
        # A singular noun right after a plural subject, sounding like the verb: "travail".
        similar = engine().functions.suggSimil(token.text, r":V.*:3p", False)
        fixes = similar.split("|") if similar else None
    if fixes:
        yield _finding(
            token,
            f"Confusion : le verbe conjugué est attendu après le sujet « {phrase.head.text} ».",
            fixes,
            "homophone_verbe",
        )


def rule_adjective_noun_number(sentence: list[Token]) -> Iterator[Finding]:
    """A singular determiner, an adjective, then a plural-only noun ("un bon voyages")."""
    for i, token in enumerate(sentence[:-2]):
        if token.low not in DETERMINERS_SING - {"leur"}:
            continue
        adjective, noun = sentence[i + 1], sentence[i + 2]
        if not adjective.has(r":A") or adjective.has(r":A.*:p(?:[:/]|$)", exclude=r":[si]"):
            continue
        # "la gauche dans le …": "dans" is also a noun (judo grades), but a preposition first.
        if noun.has(r":[RG]") or adjective.has(r":[RG]"):
            continue
        plural_noun = noun.has(r":N.*:p(?:[:/]|$)") and not noun.has(r":A")
        if plural_noun and not noun.has(r":N.*:[si](?:[:/]|$)"):
            singular = engine().functions.suggSing(noun.text)
            yield _finding(
                noun,
                "Accord de nombre : le déterminant est au singulier.",
                singular.split("|") if singular else [],
                "accord_nombre_adjectif",
            )


_SINGULAR_ONLY = r":[NA].*:s(?:[:/]|$)"
_PLURAL_OR_INVARIABLE = r":[NA].*:[pi](?:[:/]|$)"
# Before "les", these make it an object pronoun ("je les porte", "il faut les voir").
_PRONOUN_CONTEXT = SUBJECT_PRONOUNS | {"ne", "n'", "me", "m'", "te", "t'", "se", "s'", "nous"}


def rule_plural_noun_phrase(sentence: list[Token]) -> Iterator[Finding]:
    """Number agreement inside a plural noun phrase: "ouvrir les porte", "des banques
    française", "ces bonne idées": a word that can only be singular after a plural determiner."""
    for i, det in enumerate(sentence[:-1]):
        if det.low not in DETERMINERS_PLUR or det.low == "leurs":
            continue
        if det.low == "les" and i > 0 and sentence[i - 1].low in _PRONOUN_CONTEXT:
            continue
        if det.low == "des" and i > 0 and sentence[i - 1].low in {"un", "une", "l'", "chacun"}:
            continue  # "un des effets": partitive of a plural, fine; "un des ces" is Grammalecte's
        prev = sentence[i - 1] if i > 0 else None
        # A determiner for sure after a verb or a preposition ("faire ouvrir les porte"); after
        # a noun, "les" may be the object pronoun of the next word ("Paul les porte").
        determiner_for_sure = det.low != "les" or (
            prev is not None
            and prev.kind == "word"
            and prev.has(r":Y|:R|" + _CONJUGATED.pattern)
            and not prev.has(r":[NA]")
        )
        k = i + 1
        noun_seen = False
        while k < len(sentence) and k <= i + 3:
            word = sentence[k]
            if word.kind != "word" or "_" in word.text or not word.morphs:
                break
            if word.text[:1].isupper() or "-" in word.text:
                break  # a name, a compound: "les Porte", "les porte-clés"
            # Numbers, grammatical words, participles ("les patients souffrant de…").
            if not word.has(r":[NA]") or word.has(r":[GRWDYB]|:V.*:P"):
                break
            if noun_seen and (word.has(r":[NV]") or not word.has(r":A")):
                break  # after the noun, only a plain adjective belongs to the phrase
            if word.has(_CONJUGATED.pattern) and not determiner_for_sure:
                break
            if word.has(_SINGULAR_ONLY) and not word.has(_PLURAL_OR_INVARIABLE):
                plural = engine().functions.suggPlur(word.text)
                if plural:
                    yield _finding(
                        word,
                        f"Accord de nombre : « {det.text} » est au pluriel.",
                        plural.split("|"),
                        "accord_groupe_nominal_pluriel",
                    )
                break
            noun_seen = noun_seen or word.has(r":N")
            if noun_seen and k > i + 1 and not word.has(r":N"):
                break
            k += 1


# ----------------------------------------------------------------------------- -er / -é / -ez

AUXILIARIES = (AVOIR_FORMS - {"a"}) | {
    "suis", "es", "est", "sommes", "êtes", "sont", "étais", "était", "étions", "étiez",
    "étaient", "serai", "seras", "sera", "serons", "serez", "seront", "été",
}  # fmt: skip
# Verbs followed by an infinitive: "je vais vérifier", "vous pouvez nous envoyer".
MODAL_LEMMAS = {
    "pouvoir", "vouloir", "devoir", "aller", "savoir", "falloir", "faire", "laisser",
    "venir", "souhaiter", "aimer", "préférer", "oser", "espérer", "comptez",
}  # fmt: skip
# "merci de vérifier", "afin de", "avant de", "pour", "sans": an infinitive follows.
INFINITIVE_OPENERS = {"pour", "sans"}
INFINITIVE_AFTER_DE = {"merci", "afin", "avant", "besoin", "envie", "oublier", "oubliez"}
GROUP_ADVERBS = ADVERBS_IN_VERB_GROUP | {
    "ne",
    "n'",
    "vraiment",
    "beaucoup",
    "peu",
    "trop",
    "presque",
}


def _skip(sentence: list[Token], k: int, words: set[str]) -> int:
    while k < len(sentence) and sentence[k].low in words:
        k += 1
    return k


def _first_group_infinitive(token: Token) -> bool:
    return token.kind == "word" and token.low.endswith("er") and token.has(r":V1.*:Y")


def _first_group_participle(token: Token) -> bool:
    """ "vérifié", "envoyées": a participle of an -er verb that is not also a noun."""
    return (
        token.kind == "word"
        and re.search(r"é(?:e|s|es)?$", token.low) is not None
        and token.has(r":V1.*:Q")
        and not token.has(r":N")
        and not token.has(_CONJUGATED.pattern)
    )


def rule_participle_after_auxiliary(sentence: list[Token]) -> Iterator[Finding]:
    """After avoir/être, a past participle, not an infinitive ("n'est pas préciser")."""
    for i, token in enumerate(sentence):
        if token.low not in AUXILIARIES:
            continue
        prev = sentence[i - 1].low if i > 0 else ""
        # "c'est manger", "ce qui compte est gagner": an infinitive as the attribute.
        if prev in {"c'", "ce", "qui", "qu'"} or (i > 1 and sentence[i - 2].low in {"c'", "ce"}):
            continue
        k = _skip(sentence, i + 1, GROUP_ADVERBS)
        if k >= len(sentence) or not _first_group_infinitive(sentence[k]):
            continue
        verb = sentence[k]
        after = sentence[k + 1].low if k + 1 < len(sentence) else ""
        if verb.has(r":N") and after in {"de", "d'", "du", "des"}:
            continue  # "j'ai dîner de famille": a noun
        participle = engine().functions.suggVerbPpas(verb.text, ":m:s")
        if participle:
            yield _finding(
                verb,
                "Après « avoir » ou « être », le participe passé (-é), pas l’infinitif (-er).",
                [_same_case(verb.text, participle.split("|")[0])],
                "participe_apres_auxiliaire",
            )


def rule_infinitive_after_modal(sentence: list[Token]) -> Iterator[Finding]:
    """After "je vais", "vous pouvez", "pour", "merci de": an infinitive, not -é or -ez."""
    for i, token in enumerate(sentence):
        opener = token.low in INFINITIVE_OPENERS or (
            token.low in {"de", "d'"} and i > 0 and sentence[i - 1].low in INFINITIVE_AFTER_DE
        )
        modal = (
            token.kind == "word"
            and token.has(_CONJUGATED.pattern)
            and bool(_lemmas(token, _CONJUGATED.pattern) & MODAL_LEMMAS)
            and not token.has(r":N")
        )
        if not (opener or modal):
            continue
        k = _skip(sentence, i + 1, GROUP_ADVERBS | (CLITICS - {"le", "la", "l'", "leur"}))
        if k >= len(sentence):
            continue
        verb = sentence[k]
        second_plural = verb.low.endswith("ez") and verb.only(r":V1.*(?::Ip|:E).*:2p") and k > i + 1
        if not (_first_group_participle(verb) or second_plural):
            continue
        if modal and token.low in {"fait", "faits", "laissé"}:
            continue
        infinitives = sorted(_lemmas(verb, r":V1"))
        if infinitives:
            yield _finding(
                verb,
                "Après ce verbe ou cette préposition, le verbe se met à l’infinitif (-er).",
                [_same_case(verb.text, infinitives[0])],
                "infinitif_apres_verbe",
            )


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
            and not nxt.has(r":[AQ].*:[me]:[si](?:[:/]|$)")
        )
        if (
            not unagreeing
            and not _first_group_participle(nxt)
            and not (nxt.kind == "word" and nxt.only(r":V.*:Q") and not nxt.has(r":[NA]"))
        ):
            continue
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
POLITE_CONDITIONALS = {"voudrai", "aimerai", "souhaiterai", "préférerai"}


def rule_polite_conditional(sentence: list[Token]) -> Iterator[Finding]:
    """ "je voudrais", "je prendrais bien": a wish is in the conditional (-rais), not the future."""
    for i, token in enumerate(sentence[:-1]):
        if token.low not in {"je", "j'"}:
            continue
        k = _skip(sentence, i + 1, {"ne", "n'", "en", "y", "vous", "te", "t'", "lui", "le", "la"})
        if k + 1 >= len(sentence):
            continue
        verb, after = sentence[k], sentence[k + 1]
        if not verb.low.endswith("rai") or not verb.has(r":If:1s"):
            continue
        wish = verb.low in POLITE_CONDITIONALS and (after.has(r":Y") or after.low == "bien")
        if wish or (
            after.low == "bien"
            and k + 2 < len(sentence)
            and sentence[k + 2].low
            in {
                "un",
                "une",
                "des",
                "du",
                "de",
                "le",
                "la",
                "les",
                "volontiers",
            }
        ):
            yield _finding(
                verb,
                "Souhait poli : le conditionnel (« -rais »), pas le futur.",
                [verb.text + "s"],
                "conditionnel_souhait",
            )


def peut_etre_findings(text: str) -> Iterator[Finding]:
    """ "peut être ?" at the end, "bien sur," alone: the adverbs "peut-être", "bien sûr"."""
    for m in re.finditer(r"\b([Pp]eut) (être)(?=\s*(?:[?!.,…]|$))", text):
        before = text[: m.start()].rstrip()
        # "il peut être." is rare; "ça peut être ?" is the adverb mostly, unless a subject
        # pronoun is right before ("il peut être ?" is still odd): keep it simple and precise.
        if re.search(r"\b(?:il|elle|on|ça|cela|ce|qui)$", before, re.IGNORECASE):
            continue
        yield Finding(
            m.start(1),
            m.end(2),
            "Adverbe : « peut-être » (avec un trait d’union).",
            [m.group(1) + "-être"],
            "vigie.peut_etre",
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


def rule_on_est_participle(sentence: list[Token]) -> Iterator[Finding]:
    """ "on est arrivés": "on" meaning "nous" takes a plural participle after "être"."""
    for i, token in enumerate(sentence[:-2]):
        if token.low != "on":
            continue
        if i > 0 and sentence[i - 1].low in {"quand", "si", "lorsqu'", "lorsque", "comme", "où"}:
            continue  # generic "on" (people in general): "quand on est né ici"
        k = _skip(sentence, i + 1, {"ne", "n'", "s'", "en", "y", "s'en"})
        if k >= len(sentence) or sentence[k].low not in {"est", "était", "sera", "serait"}:
            continue
        k = _skip(sentence, k + 1, GROUP_ADVERBS)
        if k >= len(sentence):
            continue
        word = sentence[k]
        if not word.has(r":V.*:Q.*:[ms]:s|:V.*:Q.*:s") or word.has(r":Q.*:[pi](?:[:/]|$)"):
            continue
        if word.low == "été" or not word.low.endswith(("é", "i", "u", "t", "s")):
            continue
        plural = engine().functions.suggVerbPpas(word.text, ":m:p")
        if plural:
            yield _finding(
                word,
                "« On » au sens de « nous » : le participe se met au pluriel.",
                [plural.split("|")[0]],
                "on_participe_pluriel",
            )


RULES: list[Rule] = [
    rule_subject_participle,
    rule_object_before_avoir,
    rule_pronoun_person,
    rule_infinitive_after_preposition,
    rule_a_accent,
    rule_ou_accent,
    rule_c_est_s_est,
    rule_et_est,
    rule_noun_for_verb_after_plural_subject,
    rule_participle_after_auxiliary,
    rule_infinitive_after_modal,
    rule_homophones_before_participle,
    rule_ce_se,
    rule_polite_conditional,
    rule_on_est_participle,
    # Was 0 right of 7 on the tuning part ("dans", "sous" read as nouns): now skips words
    # that are prepositions or grammatical words first.
    rule_adjective_noun_number,
    rule_plural_noun_phrase,
]


def set_phrase_findings(text: str) -> Iterator[Finding]:
    """Misused set phrases made of valid words ("sous peux", "mis à jours")."""
    for pattern, fix, message in SET_PHRASES:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            group = 1 if m.groups() else 0
            yield Finding(m.start(group), m.end(group), message, [fix], "vigie.locution", "grammar")


def check(text: str) -> list[Finding]:
    """Run the extra rules over an already masked text."""
    found: list[Finding] = list(set_phrase_findings(text))
    found.extend(peut_etre_findings(text))
    for sentence in sentences(tokenize(text)):
        for rule in RULES:
            found.extend(rule(sentence))
    return found
