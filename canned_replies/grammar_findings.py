"""What becomes of Grammalecte's grammar findings in a reply once read in context: agreement
findings on a word that agrees with its phrase's head, an apposed role or a feminine title
become advice (a blocking one offers the head's agreement first); a conjugation "fix" made
because an inversion lacks its hyphen is dropped; "y'a" in chat and agreement after a decimal
are advice. Split from french.py, which applies them."""

from __future__ import annotations

import re

from canned_replies import formal_context, grammar_context
from canned_replies.findings import Finding

_ACTION = re.compile(r"_a\d+_\d+$")
# Grammalecte's rules on a verb's ending (infinitive or participle after "avoir", "être",
# "falloir", a preposition): a name after the verb does not decide it ("il faut envoyé Marc").
_VERB_ENDING = re.compile(r"^(?:g\w?\d+__)?(?:infi_|ppas_avoir|ppas_être_confusion)")


def verb_ending(rule_id: str) -> bool:
    """True for a Grammalecte rule that corrects a verb's ending, not an agreement."""
    return _VERB_ENDING.match(rule_id) is not None


def agreement_with_head(paragraph: str, offset: int, found: list[Finding]) -> list[Finding]:
    """Noun-phrase agreement findings on an adjective that agrees with a noun of its phrase
    ("les patients à risque élevé", "serpent à plumes vénéré") or on a role noun in apposition
    ("la relation client") or on a title after a feminine determiner ("la professeur") become
    advice, with the same rule's finding on the noun just before ("plumes" → "plumés"); a
    blocking one offers the head's agreement first when it is the smaller slip ("une chasse
    aux sorcières lancé" → "lancée"): see grammar_context."""
    demoted: list[tuple[str, int]] = []
    for f in found:
        if f.rule.startswith("grammalecte.gn.") and (
            (
                f.blocking
                and (
                    grammar_context.agrees_with_head(paragraph, f.start - offset, f.end - offset)
                    or grammar_context.apposed_role(paragraph, f.start - offset, f.end - offset)
                )
            )
            # Also when the title's own finding is advice (before a name: "la poète Emily
            # Dickinson"): its determiner's finding goes with it.
            or grammar_context.feminine_title(
                paragraph, f.start - offset, f.end - offset, f.suggestions
            )
            or grammar_context.verb_noun_compound(
                paragraph, f.start - offset, f.end - offset, f.suggestions
            )
        ):
            demoted.append((_ACTION.sub("", f.rule), f.start))
    result = []
    for f in found:
        group = _ACTION.sub("", f.rule)
        blocking = f.blocking and not any(
            group == g and (f.start == s or 0 <= s - f.end <= 6) for g, s in demoted
        )
        suggestions = f.suggestions
        if blocking and f.rule.startswith("grammalecte.gn."):
            suggestions = grammar_context.head_agreement_first(
                paragraph, f.start - offset, f.end - offset, f.suggestions
            )
        if blocking != f.blocking or suggestions != f.suggestions:
            f = Finding(f.start, f.end, f.message, suggestions, f.rule, f.kind, blocking=blocking)
        result.append(f)
    return result


_INVERSION = re.compile(r"^grammalecte\.inte\..*inte_union_")
_OBJECT_PRONOUNS_BETWEEN = re.compile(
    r"^(?:\s+|\s*(?:[mtsl]['’]|nous|vous|lui|leur|les?|la|en|y)\s*)*$"
)


def without_verb_of_inversion(paragraph: str, offset: int, found: list[Finding]) -> list[Finding]:
    """An inversion written without its hyphen ("la Caf peut elle m'aider ?", "vais je
    recevoir") makes Grammalecte read the pronoun as the subject of the infinitive after it
    and conjugate it ("aide", "reçois"): a wrong fix on a right word. Once the hyphen is
    added the infinitive is right, so that conjugation finding is dropped (tuning: 1 clean
    sentence blocked by it alone, and 2 such wrong fixes beside the real hyphen slip)."""
    inversions = [f.end - offset for f in found if _INVERSION.match(f.rule)]
    if not inversions:
        return found
    kept = []
    for f in found:
        start = f.start - offset
        if f.rule.startswith("grammalecte.conj.") and any(
            0 <= start - end <= 12 and _OBJECT_PRONOUNS_BETWEEN.match(paragraph[end:start])
            for end in inversions
        ):
            continue
        kept.append(f)
    return kept


_IL_BEFORE = re.compile(r"\bil\s*$", re.IGNORECASE)


def spoken_y_a(rule_id: str, paragraph: str, start: int) -> bool:
    """ "y'a", "y'en a" with no "il" before ("T'inquiète, y'a pas de souci", "y'en a marre")
    is how chat and dialogue write the spoken "il y a": advice. "Il y'a" and "y-a-t'il"
    still block."""
    if "tu_y_attaché__b1_" in rule_id:
        spoken = True
    else:  # b2 also holds "y-a-t'il": only the elided "y'en"
        spoken = "tu_y_attaché__b2_" in rule_id and _Y_EN.match(paragraph, start) is not None
    return spoken and _IL_BEFORE.search(paragraph, 0, start) is None


_Y_EN = re.compile(r"[yY]['’]en\b")


_LAST_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\D*$")


def after_decimal(rule_id: str, paragraph: str, start: int) -> bool:
    """A number with decimals ("0.1 mg/kg suivi", "1,5 million") agrees by usage, not by
    Grammalecte's "more than one is plural" (tuning: its only blocked clean sentence)."""
    if "gn_nombre_chiffres" not in rule_id:
        return False
    number = _LAST_NUMBER.search(paragraph, max(0, start - 30), start)
    return number is not None and any(c in number.group(1) for c in ".,")


_LES_SUBJECT = re.compile(r"(?<![\w'’])[Ll]es\s+([^.!?;:«»\"“”]*)$")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-Ý][\w'’-]*")


# Defined as one thing: "est un roman", "est l'une des…", "est le premier film de…".
_ONE_THING = re.compile(
    r"(?:est|était|fut|reste|demeure)\s+(?:un|une|l['’]une?|le|la|l['’](?=\w))(?:\b|(?<=['’]))"
)


def title_as_subject(rule_id: str, paragraph: str, start: int) -> bool:
    """A plural subject holding a name and defined as one thing ("Les charniers de Timisoara
    est une affaire…", "Les Misérables est un roman", "Les Quatre Cents Coups est le premier
    film de…") is the title of a work or an affair: a
    singular verb by sense. Grammalecte's "les + noun + verb" agreement there is advice; "Les
    équipes techniques intervient", "Les colis de Marseille arrive" still block."""
    one_thing = _ONE_THING.match(paragraph, start)
    if "conj_les_nom" not in rule_id or one_thing is None:
        return False
    subject = _LES_SUBJECT.search(paragraph, max(0, start - 80), start)
    if subject is None:
        return False
    if not re.search(r"\s(?:une?|l['’]une?)\b", one_thing.group(0)):
        # "est le/la…" defines a title only when the title starts the subject ("Les Quatre
        # Cents Coups est le premier film"); "Les colis de Marseille est le problème" blocks.
        return subject.group(1)[:1].isupper()
    return _CAPITALISED.search(subject.group(1)) is not None


_GENDER_OF_DETERMINER = re.compile(r"gn_(?:le|la|un|une)_1m")
BORROWED_NOUN_ZIPF = 3.0
_OTHER_GENDER = {"le": "la", "la": "le", "un": "une", "une": "un"}
_WORD_AFTER = re.compile(r"\s+([\w-]+)")


def borrowed_noun_gender(
    rule_id: str, paragraph: str, start: int, end: int, suggestions: list[str]
) -> bool:
    """The gender of a borrowed noun is unsettled ("le wicca" / "la wicca", "le ou la
    covid"): a determiner's gender finding before a noun written more in English text than in
    French is advice. French nouns ("le semaine", "la château") and number ("le matches")
    still block."""
    if not _GENDER_OF_DETERMINER.search(rule_id) or not suggestions:
        return False
    determiner = paragraph[start:end].lower()
    if _OTHER_GENDER.get(determiner) != suggestions[0].lower():
        return False
    following = _WORD_AFTER.match(paragraph, end)
    if following is None:
        return False
    from canned_replies.unknown_words import zipf

    noun = following.group(1).lower()
    french = zipf(noun, "fr")
    # Rare in French: "un obsession" (a cognate, common in both) still blocks.
    return french < BORROWED_NOUN_ZIPF and zipf(noun, "en") > french


_INDEFINITE_DE = re.compile(
    r"(?<![\w'’])(?:quelque\s*chose|quelqu['’]?\s*chose|qqch|rien|personne|quoi|grand-chose"
    r"|quelqu['’]\s*un|autre\s+chose)\s+d['’e]\s*(?:\w+\s+)?$",
    re.IGNORECASE,
)


def adjective_after_indefinite(rule_id: str, paragraph: str, start: int) -> bool:
    """After an indefinite and "de" ("quelque chose de pétrifié", "rien de changé", "quoi de
    prévu"), a participle is an adjective, not an infinitive missed: advice. Grammalecte knows
    the correctly spelt pronoun; this also covers chat spellings ("quelqu'chose", "qqch").
    "de nous le renvoyé", "sa façon de exprimé" still block."""
    return "infi_de_verbe" in rule_id and (
        _INDEFINITE_DE.search(paragraph, max(0, start - 40), start) is not None
    )


_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


def before_english_word(rule_id: str, paragraph: str, end: int, start: int = -1) -> bool:
    """A noun-phrase agreement finding on a word whose next word is English and unknown to the
    dictionary ("les escape games", "des start up"): the two are one English compound, whose
    first word stays as it is. A French phrase ("les maison blanches") still blocks, and so
    does a French adjective before the English noun ("les nouvelle sneakers": it agrees with
    the determiner whatever the noun)."""
    if ".gn_" not in f".{rule_id}" and "__gn_" not in rule_id:
        return False
    following = _NEXT_WORD.match(paragraph, end)
    if following is None:
        return False
    from canned_replies.grammalecte_engine import is_valid_word, morphs
    from canned_replies.unknown_words import is_foreign

    flagged = paragraph[start:end] if start >= 0 else ""
    if (
        flagged.isalpha()
        and flagged.islower()
        and not is_foreign(flagged)
        and any(":A" in m for m in morphs(flagged))
        and not any(":V" in m for m in morphs(flagged))
    ):
        return False
    word = following.group(1)
    if word[:1].isupper() or is_valid_word(word):
        return False
    return is_foreign(word)


_DE_AFTER = re.compile(r"\s+(?:de|du|des|d['’])(?![\w-])", re.IGNORECASE)


def _noun_only(word: str) -> bool:
    """A word read only as a noun (or a conjugated verb), never as an adjective or a
    participle or an infinitive: "fonction", "preuve", "source"; not "content", "prêt",
    "partie" (partir), "conseiller"."""
    from canned_replies.grammalecte_engine import morphs

    found = morphs(word)
    return any(":N" in m for m in found) and not any(
        ":A" in m or ":Q" in m or ":Y" in m for m in found
    )


def attribute_noun_before_de(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """A bare noun after "être" and before "de" is an attribute locution that keeps its form
    whatever the subject ("Les frais sont fonction du poids", "Ces chiffres sont source
    d'erreurs", "sont preuve de"): Grammalecte's participle agreement there is advice.
    An adjective or a participle still blocks ("Elles sont content de", "sont fermé de")."""
    if "ppas_" not in rule_id or not ("être" in rule_id or "état" in rule_id):
        return False
    word = paragraph[start:end]
    return (
        word.isalpha() and _DE_AFTER.match(paragraph, end) is not None and _noun_only(word.lower())
    )


_CLAUSE_WORDS = re.compile(r"\s+([^\W\d_]+(?:['’][^\W\d_]+)?)")
_CLAUSE_BREAK = {"et", "ou", "mais", "puis", "qui", "que", "qu", "dont", "où", "donc", "car"}


def noun_in_apposition(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """ "Les ateliers cuisine pour enfants ont lieu…": after "les" + noun, a word that is also a
    noun ("cuisine", "santé", "photo") is a noun in apposition when the clause's plural verb
    comes within five words, before any comma or conjunction: Grammalecte's "les + noun +
    verb" agreement on it is advice. "Les colis de Marseille arrive", "Les enfants joue dans
    le jardin et rient" still block."""
    if "conj_les_nom" not in rule_id:
        return False
    from canned_replies.grammalecte_engine import morphs

    if not any(":N" in m for m in morphs(paragraph[start:end].lower())):
        return False
    position = end
    for _ in range(5):
        following = _CLAUSE_WORDS.match(paragraph, position)
        if following is None:
            return False
        word = following.group(1).lower()
        if word in _CLAUSE_BREAK:
            return False
        readings = morphs(word)
        if readings and all(":V" in m for m in readings) and any(":3p" in m for m in readings):
            return True
        position = following.end()
    return False


# Verbs whose reflexive "se" is the indirect object ("parler à quelqu'un"): "elles se sont
# parlé, téléphoné, écrit, dit, souri, succédé" keep the participle invariable.
_SE_INDIRECT = frozenset(
    {
        "parler", "téléphoner", "écrire", "dire", "demander", "répondre", "succéder", "plaire",
        "déplaire", "complaire", "sourire", "mentir", "nuire", "ressembler", "suffire", "rire",
        "convenir", "survivre", "promettre", "reprocher", "échanger",
    }
)  # fmt: skip
_QUE_BEFORE = re.compile(r"(?<![\w'’])qu(?:e|['’])", re.IGNORECASE)
# A time complement after a participle is not its object ("se sont mariées l'an dernier").
_TIME_AFTER = re.compile(
    r"\s+(?:l['’](?:an|année|été|hiver|automne)|la\s+(?:semaine|veille|nuit|journée|soirée)"
    r"|le\s+(?:mois|jour|lendemain|soir|matin|week-end|weekend|samedi|dimanche|lundi|mardi"
    r"|mercredi|jeudi|vendredi)|ce\s+(?:matin|soir|mois|week-end)|cette\s+(?:année|semaine|nuit)"
    r"|hier|avant-hier)\b",
    re.IGNORECASE,
)


def reflexive_object_misread(
    rule_id: str, paragraph: str, start: int, end: int, suggestions: list[str]
) -> bool:
    """Participle agreement findings after "se" or "m'/t'" that misread the object:
    - "elles se sont téléphoné": "se" is the indirect object of these verbs (the participle
      stays as it is); the finding asking to agree it is advice;
    - "les affaires que tu m'as prêtées": the object is the relative "que" before, not "m'";
    - "elles se sont mariées l'an dernier": a time complement after it is not an object.
    "elles se sont levé", "les photos que tu m'as envoyé", "ils se sont battu" still block."""
    if "ppas_" not in rule_id or not suggestions:
        return False
    word = paragraph[start:end].lower()
    fix = suggestions[0].lower()
    if "se_être" in rule_id and len(fix) > len(word):
        from canned_replies.grammalecte_engine import morphs

        lemmas = {m.split("/")[0].lstrip(">") for m in morphs(word) if ":Q" in m}
        return bool(lemmas & _SE_INDIRECT) and not _QUE_BEFORE.search(
            paragraph, max(0, start - 40), start
        )
    if "ppas_m_t_avoir" in rule_id and len(fix) < len(word):
        return _QUE_BEFORE.search(paragraph, max(0, start - 40), start) is not None
    if "se_être" in rule_id and len(fix) < len(word):
        return _TIME_AFTER.match(paragraph, end) is not None
    return False


def english_verb_after_pronoun(
    rule_id: str, paragraph: str, start: int, end: int, suggestions: list[str]
) -> bool:
    """Chat borrows English verbs bare after a subject pronoun ("on go au resto ?"):
    Grammalecte's "pronoun + a word that is not a verb" finding on a word more written in
    English than in French, with no more written French verb one slip away, is advice
    ("on clash", "on rush"). "on faim", "je besoin", "je pence" (→ pense) still block."""
    if not re.search(r"conf_\w+_non_verbe", rule_id) or suggestions:
        return False
    from canned_replies.grammalecte_engine import morphs
    from canned_replies.unknown_words import zipf

    word = paragraph[start:end]
    if not (word.isalpha() and word.islower()):
        return False
    # Only a noun or a foreign word to the dictionary ("go", "rush"), never a grammatical
    # word ("je ni suis", "ne nous à"): those are homophones of a French form.
    if any(":N" not in m and ":ÉW" not in m for m in morphs(word)):
        return False
    written = zipf(word, "fr")
    if zipf(word, "en") <= written:
        return False
    from canned_replies.spelling_candidates import candidates

    return not any(
        zipf(other, "fr") > written and any(":V" in m and ":Ip" in m for m in morphs(other))
        for other in candidates(word)
    )


def advice_in_context(
    rule_id: str, paragraph: str, start: int, end: int, suggestions: list[str]
) -> bool:
    """A blocking Grammalecte grammar finding that its context shows to be right French or a
    register's usage: advice (each reading above)."""
    return (
        after_decimal(rule_id, paragraph, start)
        or spoken_y_a(rule_id, paragraph, start)
        or title_as_subject(rule_id, paragraph, start)
        or adjective_after_indefinite(rule_id, paragraph, start)
        or borrowed_noun_gender(rule_id, paragraph, start, end, suggestions)
        or attribute_noun_before_de(rule_id, paragraph, start, end)
        or noun_in_apposition(rule_id, paragraph, start, end)
        or reflexive_object_misread(rule_id, paragraph, start, end, suggestions)
        or english_verb_after_pronoun(rule_id, paragraph, start, end, suggestions)
        or spoken_faut(rule_id, paragraph, start, end)
        or formal_context.advice(rule_id, paragraph, start, end)
    )


def spoken_faut(rule_id: str, paragraph: str, start: int, end: int) -> bool:
    """ "Les gens qui trichent faut les signaler": chat's "(il) faut" read as the plural
    subject's verb, "fixed" to "faillent" (faillir): advice."""
    return "conj" in rule_id and paragraph[start:end].lower() == "faut"
