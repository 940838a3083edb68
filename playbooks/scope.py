"""Where words are not the author's own claim: quoted, negated, reported, self or a date (French).

A hostile word inside « … », after "il ne faut pas dire que", "arrêtez de traiter les gens
de", "les X ne sont pas des …" or "il m'a traité de …" is cited, denied or reported, not
said. A scenario with `unless_scope: [quoted, negated, reported]` holds only when some of
the words it matched lie outside such a scope.

Scopes are found once per mention, only when a scenario asks. Triggers are grammar (a
negated copula, a verb of saying or of name-calling), not lists of sentences; a scope runs
from its trigger to the end of the clause (. , ! ? ; : a line break, "mais", a new subject
and verb such as "vous êtes"), ten words at most. A `self` scope (the author's own attribute
or role: "j'suis un peu …", "j'ai conduit comme un …") covers the next three words only. A
`denied` scope is narrower than `negated`: only a claim called untrue ("c'est pas vrai que …")
or an attribute denied ("je ne suis pas un fardeau"), never "ne … plus" nor "ne … que", which
distress says with ("je ne suis plus qu'un poids", "je ne veux plus vivre").
Offsets are in the original text, where quotation marks and punctuation still are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .scope_triggers import Triggers

SCOPE_KINDS = ("quoted", "negated", "reported", "self", "denied", "date")

_QUOTE_RE = re.compile(r"«[^»]{1,400}»|“[^”]{1,400}”|\"[^\"\n]{1,400}\"|„[^“”]{1,400}[“”]")
# End of a clause in the original text.
# A new predication starts a new clause too ("… n'êtes pas juif, vous êtes …" often comes
# without its comma), as does an insult in the vocative ("espèce de …").
_CLAUSE_END_RE = re.compile(
    r"[.,!?;:\n]|\b(?:mais|par contre|donc|alors)\b"
    r"|\b(?:je suis|tu es|t['’ ]es|il est|elle est|on est|nous sommes|vous [êe]tes|ils sont"
    r"|elles sont|c['’]est|ce sont|esp[èe]ce d)\b",
    re.IGNORECASE,
)
# An attribute, then a second one denied after a comma ("ce sont des clients, pas des
# chiens", "vous êtes des humains, pas des robots"): the second is denied. Only after a
# copula: "on veut des X, pas des Y" is a preference, and its Y still counts.
_DENIED_NP_RE = re.compile(
    r"\b(?:sont|sommes|[êe]tes|est|es|suis|restent|reste|restons|serons|seront|sera)\s+"
    r"(?:des|de|d['’]|du|un|une|les|le|la|l['’])\s*[^,.;:!?\n]{1,40},\s*"
    r"(?:et\s+)?(?:surtout\s+|certainement\s+|absolument\s+|jamais\s+)?pas\s+"
    r"(?=(?:des|de|d['’]|du|un|une|les|le|la|l['’])\s?\w)",
    re.IGNORECASE,
)
# A date said with "dernier" ("la semaine dernière", "lundi dernier", "l'an dernier"): a
# `date` scope is the expression alone. Not "la dernière fois", nor "mon dernier jour": a
# farewell says those.
_DATE_RE = re.compile(
    r"\b(?:(?:la|cette) semaine|le mois|l['’ ]?an|l['’ ]?ann[ée]e|le week-?end|lundi|mardi"
    r"|mercredi|jeudi|vendredi|samedi|dimanche|le trimestre|le semestre|l['’ ]?[ée]t[ée]"
    r"|l['’ ]?hiver|le printemps|l['’ ]?automne|janvier|f[ée]vrier|mars|avril|mai|juin"
    r"|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|no[eë]l|la rentr[ée]e"
    r"|la saison|le match|la s[ée]ance|le cours)\s+derni(?:er|[eè]re)s?\b"
    r"|\bderni[eè]rement\b",
    re.IGNORECASE,
)
# The subordinate's own subject and verb right after "que" belong to the denied claim ("ce
# n'est pas vrai que je suis un fardeau"): they do not end its clause.
_THAT_RE = re.compile(r"\s*(?:que|qu['’ ]?)\s*$", re.IGNORECASE)
MAX_SCOPE_WORDS = 10  # tweets often lack punctuation: a scope never runs further
# A first-person attribute or role is its next three words ("je suis un gros con", "faire
# le con"): "je suis tombé sur un connard" keeps its insult.
MAX_WORDS = {"self": 3}

_WORD_RE = re.compile(r"\S+")
_SAYING_BEFORE_RE = re.compile(
    r"\b(?:dire|dit|dis|dites|disent|disait|disant|[ée]cri\w*|r[ée]p[ée]t\w*|trait\w*|appel\w*|lu|lire"
    r"|entendu|sorti|balanc[ée]\w*|lanc[ée]\w*|cri[ée]\w*|hurl[ée]\w*|genre|type|style"
    # written on a wall or carried: a tag, a graffiti, a banner ("quelqu'un a tagué « … »")
    r"|tag\w*|graffit\w*|inscri\w*|grav[ée]\w*|bomb[ée]\w*|pancartes?|banderoles?|slogans?"
    # or received, sent or posted: the message quoted ("on a reçu sur notre page « … »")
    r"|re[çc]u\w*|envoy[ée]\w*|publi[ée]\w*|post[ée]\w*|messages?|e?-?mails?|courriels?"
    r"|commentaires?|tweets?|posts?|sms|textos?|lettres?|pages?"
    # or a work's title ("le livre « Tuez-les tous »", "la chanson "Bande de …"")
    r"|livres?|romans?|films?|chansons?|titres?|albums?|s[ée]ries?|bouquins?|morceaux?|bd"
    r"|mangas?|essais?|pi[èe]ces?|spectacles?|jeux?|[ée]missions?)\W*$",
    re.IGNORECASE,
)

_SAY = (
    r"(?:dire|ecrire|repeter|penser|croire|pretendre|affirmer|raconter|traiter|appeler"
    r"|insulter|qualifier)"
)
_OBJ = r"(?:(?:les|la|le|l|me|te|nous|vous|se|les gens) )?"  # an optional object pronoun


def _alternatives(*parts: str) -> tuple[str, ...]:
    # Every part starts with its space (a lookbehind, a `^`, comes after it): the compiler
    # then takes the space out of the alternation as a literal prefix, and the search tries
    # the alternatives only where a space stands instead of at every character.
    assert all(part.startswith(" ") for part in parts)
    return parts


# On the normalised text (lower case, no accents, single spaces, padded).
_TRIGGER_PARTS: dict[str, tuple[str, ...]] = {
    # A denied predicate ("ne sont pas des", "n'est pas un") or speech forbidden or stopped.
    "negated": _alternatives(
        r" n(?:e)? (?:sont|suis|sommes|etes|es|est|serait|seraient|sera|seront|etait|etaient)"
        r" (?:(?:absolument|vraiment|surtout|evidemment) )?"
        r"(?:pas|jamais|nullement|aucunement|en rien|plus)(?: du tout)? ",
        r" (?:il )?(?:ne )?faut (?:pas|jamais|plus|arreter de|cesser de) " + _OBJ + _SAY + " ",
        r" (?:arretez|arrete|arretons|arreter|cessez|cesse|cessons|cesser|evitez|evite)"
        r" (?:de|d) " + _OBJ + _SAY + " ",
        r" (?:ne|n) (?:dites|dis|dit|disons|ecrivez|ecris|pensez|pense|traitez|traite|appelez"
        r"|appelle) (?:pas|jamais|plus) ",
        r" (?:on|vous|tu|personne) ne (?:peut|peux|pouvez|devrait|devriez|doit|devez|dois)"
        r" (?:pas |plus |jamais )?" + _OBJ + _SAY + " ",
        r" (?:c est|il est) (?:faux|inacceptable|honteux|inadmissible|intolerable|degueulasse)"
        r" (?:de|d) " + _OBJ + _SAY + " ",
        r" (?:ce n est pas vrai|il n est pas vrai|c est faux|ce n est pas parce) ",
        # a claim called untrue before its clause ("c'est pas vrai que …", "il est faux de dire
        # que …", "c'est totalement faux que …"); a bare "c'est pas vrai !" is disbelief
        r" (?:c est|il est|n est) (?:absolument |vraiment |tout simplement |juste )?pas vrai"
        r" (?=(?:que|qu|de|d) )",
        r" (?:il est|c est) (?:(?:totalement|completement|absolument|archi|tout a fait) )?faux"
        r" (?=(?:que|qu|de|d) )",
        # nobody intends it ("personne ne va te frapper"): the scope starts at the verb
        r" personne (?:ne|n) (?=(?:va|vas|veut|vais|compte|cherche a|a envie de) )",
    ),
    # Someone else's words: name-calling or saying, reported by the author.
    "reported": _alternatives(
        # name-calling, whoever did it ("il m'a traité de", "je me suis fait traiter de")
        r" (?:(?:m|t|l|nous|vous|les|me|te|se|s) )?(?:a|ont|avait|avaient|as|avez|ai|avons)"
        r" (?:\w+ )?(?:traite|traitee|traites|traitees|appele|appelee|appeles|appelees"
        r"|insulte|insultee|insultes|insultees|qualifie|qualifiee|qualifies) (?:de |d )?",
        # the same in the passive ("avez-vous déjà été traité de …", "elle est traitée de …")
        r" (?:ete|etre|etait|etais|suis|es|est|sommes|sont|etes|soit|sois)"
        r" (?:traite|traitee|traites|traitees|insulte|insultee|insultes|insultees|appele"
        r"|appelee|appeles|appelees) (?:de|d) ",
        r" (?:me|nous|se|te) (?:suis|sommes|est|es|sont|fais|fait|font)"
        r" (?:fait|faite|faits|faites) (?:traiter|insulter|appeler) (?:de |d )?",
        r" (?:me|se|te|nous|vous) faire (?:traiter|insulter|appeler) (?:de |d )?",
        # someone else's words ("il m'a dit que", "des gens qui disent que", "j'ai lu")
        r" (?:il|elle|ils|elles|on|quelqu un|un client|une cliente|un agent|une agente"
        r"|le controleur|la controleuse|votre agent|votre employe|votre employee|un voyageur"
        r"|une voyageuse|le chauffeur|le livreur|mon voisin|ma voisine|un mec|un type)"
        r" (?:(?:m|nous|t|leur|lui|vous) )?(?:a|ont|avait|avaient)"
        r" (?:dit|ecrit|crie|hurle|lance|sorti) (?:que |qu )?",
        r" (?:des|les|ces|certains|certaines) (?:gens|personnes|clients|commentaires|messages"
        r"|internautes|comptes) (?:qui )?(?:disent|ecrivent|pensent|repetent|osent dire"
        r"|traitent|appellent) (?:que |qu |de |d )?",
        r" (?:j ai entendu|j entends|on entend|j ai lu|on lit|je lis) (?:dire )?",
        # a third person's claim in the present ("ceux qui disent que", "les fachos écrivent
        # que", "il prétend que"); the author's own "je dis que" / "j'affirme que" is not
        r" (?<! je )(?<! j )(?<! ai )(?:dit|disent|ecrit|ecrivent|pretend|pretendent|affirme"
        r"|affirment|repete|repetent|crie|crient|hurle|hurlent|clame|clament|proclame"
        r"|proclament|pensent|croient|osent dire|ose dire|osent ecrire|ose ecrire"
        r"|veulent faire croire|veut faire croire) (?:que|qu) ",
        # a claim named as the subject of a judgement ("dire que les X sont …, c'est …")
        r" (?<=^ )(?:dire|ecrire|penser|croire|pretendre|affirmer|repeter) (?:que|qu) ",
        # the addressee's claim, quoted back ("tu dis que", "vous continuez à prétendre que");
        # an infinitive right after "vous" makes it an object: "je voulais vous dire que …",
        # "pour vous dire que …" is the author speaking (wave 26)
        r" (?:tu|vous) (?:dis|dites|ecris|ecrivez|penses|pensez|pretends|pretendez|affirmes"
        r"|affirmez|crois|croyez|repetes|repetez|insistes|insistez|consideres|considerez"
        r"|trouves|trouvez)(?: sur le fait)? (?:que|qu) ",
        r" (?:tu|vous) (?:\w+ )?(?:a|de|d) (?:dire|ecrire|penser|pretendre|affirmer|croire"
        r"|repeter|insister|considerer)(?: sur le fait)? (?:que|qu) ",
        # taking someone for something ("vous nous prenez pour des imbéciles", "ils le prennent
        # pour un idiot"): a suspicion of contempt, not the author's insult
        r" (?:prend|prends|prennent|prenez|prenons|prenait|prenaient|prendre|pris)"
        r"(?: [^ ]+){0,5}? pour (?=(?:un|une|des|de|d) )",
        # someone's words said without quotation marks: a verb of saying then "sale …"
        # ("un type a dit sale arabe", "on ne peut plus dire sale …")
        r" (?:dit|dire|disent|disait|crie|crier|balance|balancer|lance|lancer)"
        r"(?= (?:un |une |des |du )?sales? )",
        r" (?:raconte|racontent|explique|expliquent) (?:que|qu) ",
        # a third person's name-calling in the present ("un commentaire qui traite les
        # caissières de connasses")
        r" qui (?:traite|traitent|appelle|appellent|insulte|insultent|qualifie|qualifient)"
        r" (?:\w+ ){1,3}?(?:de|d) ",
    ),
    # The author's own attribute or role ("j'suis un peu attardé", "suis-je idiot", "j'ai
    # conduit comme un abruti", "arrête de faire le con"): self-mockery, not name-calling.
    "self": _alternatives(
        r" (?:je suis|j suis|jsuis|chui|chuis|suis je|j etais|je serai|je deviens|je reste"
        r"|je me sens|je me sentais|je me suis senti|je me suis sentie|je peux etre|j ai ete"
        r"|(?:desole|desolee|honte|l impression|peur) d etre)"
        r" (?:(?:vraiment|trop|un peu|tellement|completement|si|aussi|autant|juste|parfois"
        r"|toujours|encore|grave|carrement|bien|qu) )*",
        r" (?:je|j) (?:[a-z]+ ){1,3}?comme (?=(?:un|une|des|le|la|l) )",
        # the author's role ("j'aime bien faire le con"); "arrête de faire le con" is aimed
        r" (?:je|j|on) (?:[a-z]+ ){0,2}?(?:fais|faisais|fait|faire|ferai|ferais)"
        r" (?:pas |plus |encore |toujours |trop )?(?=(?:le|la|l|les) )",
        # the author's own animal ("mon chien est un vrai bâtard", "ma chienne est une vraie
        # morfale"): nobody the mention is addressed to
        r" (?:mon|ma) (?:chien|chienne|chat|chatte|chiot|chaton|perroquet|lapin|hamster|cheval"
        r"|jument|poney|furet|perruche|canari|cochon d inde|poisson rouge|tortue|chevre|bouc)"
        r" (?:est|c est|etait|reste)"
        r" (?:(?:vraiment|trop|un peu|tellement|completement|toujours|encore|grave) )*",
    ),
    # The claim itself denied (wave 33), for distress: called untrue, or an indefinite attribute
    # denied ("je ne suis pas un fardeau", "t'es pas une charge"). Not "ne … plus" or "ne …
    # que" ("je ne suis plus qu'un poids"), nor an adjective or a participle ("je ne suis pas
    # capable de continuer", "pas fait pour vivre"): there the negation is the distress.
    "denied": _alternatives(
        r" (?:ce n est pas vrai|il n est pas vrai|c est faux|il est faux) (?=(?:que|qu|de|d) )",
        r" (?:c est|il est|n est) (?:absolument |vraiment |tout simplement |juste )?pas vrai"
        r" (?=(?:que|qu|de|d) )",
        r" (?:il est|c est) (?:(?:totalement|completement|absolument|archi|tout a fait) )?faux"
        r" (?=(?:que|qu|de|d) )",
        r" (?:(?:je|tu|il|elle|on|vous|nous) )?n(?:e)? (?:suis|es|est|sommes|etes|sera|serai"
        r"|seras|serez|etais|etait) (?:(?:absolument|vraiment|surtout|evidemment) )?"
        r"(?:pas|jamais|nullement|aucunement|en rien)(?: du tout)? (?=(?:un|une|des) )",
        r" (?:je|j|tu|t|chui|jsuis) (?:suis |es )?pas (?=(?:un|une|des) )",
    ),
}


# Words without which a kind's triggers cannot match: a set test skips the regular expressions.
_NEGATED_GATE = (
    "pas jamais plus nullement aucunement rien faux vrai arretez arrete arretons arreter"
    " cessez cesse cessons cesser evitez evite inacceptable honteux inadmissible"
    " intolerable degueulasse personne"
)
_SELF_GATE = (
    "suis jsuis chui chuis etais serai deviens reste sens senti sentie etre ete comme faire"
    " fais fait faites font faisait faisais chien chienne chat chatte chiot chaton perroquet"
    " lapin hamster cheval jument poney furet perruche canari cochon poisson tortue chevre bouc"
)
_REPORTED_GATE = (
    "traite traitee traites traitees appele appelee appeles appelees insulte insultee"
    " insultes insultees qualifie qualifiee qualifies traiter insulter appeler dit ecrit"
    " crie hurle lance sorti disent ecrivent pensent repetent osent traitent appellent"
    " entendu entends entend lu lit lis dis dites dire ecris ecrivez ecrire penses pensez"
    " penser pretends pretendez pretendre affirmes affirmez affirmer crois croyez croire"
    " repetes repetez repeter insistes insistez insister pretend pretendent affirme affirment"
    " repete repetent crie crient hurlent clame clament proclame proclament croient ose"
    " veulent veut prend prends prennent prenez prenons prenait prenaient prendre pris"
    " disait crier balance balancer lancer raconte racontent explique expliquent consideres"
    " considerez considerer trouves trouvez appelle insultent qualifient"
)
_DENIED_GATE = "pas jamais nullement aucunement rien faux"
_GATES: dict[str, frozenset[str]] = {
    "denied": frozenset(_DENIED_GATE.split()),
    "negated": frozenset(_NEGATED_GATE.split()),
    "reported": frozenset(_REPORTED_GATE.split()),
    "self": frozenset(_SELF_GATE.split()),
}

# What each alternative above needs, in the order written: sets of words, separated by "/", of
# which the text must hold one each (all sets). Only words the alternative matches whole (a
# space on both sides in the pattern, or a lookahead's word and its space) are listed: "dit"
# of "(?:dit|ecrit) (?:que|qu) ", never of a pattern ending in "(?:dit|ecrit)", which "dites"
# also matches. "" for an alternative without such a word: always tried. A gated kind tries
# only its alternatives whose sets all hold (`Triggers.finditer`).
_SAY_WORDS = _SAY[3:-1].replace("|", " ")
_IS = "ete etre etait etais suis es est sommes sont etes soit sois"
_ANCHORS: dict[str, tuple[str, ...]] = {
    "negated": (
        "n ne / sont suis sommes etes es est serait seraient sera seront etait etaient"
        " / pas jamais nullement aucunement rien plus",
        f"faut / {_SAY_WORDS}",
        f"arretez arrete arretons arreter cessez cesse cessons cesser evitez evite / de d"
        f" / {_SAY_WORDS}",
        "ne n / dites dis dit disons ecrivez ecris pensez pense traitez traite appelez appelle"
        " / pas jamais plus",
        f"ne / peut peux pouvez devrait devriez doit devez dois / {_SAY_WORDS}",
        f"est / faux inacceptable honteux inadmissible intolerable degueulasse / de d"
        f" / {_SAY_WORDS}",
        "est / vrai faux parce",
        "est / pas / vrai / que qu de d",
        "est / faux / que qu de d",
        "personne / ne n / va vas veut vais compte cherche a",
    ),
    "reported": (
        "a ont avait avaient as avez avons ai",
        f"{_IS} / traite traitee traites traitees insulte insultee insultes insultees appele"
        " appelee appeles appelees / de d",
        "me nous se te / suis sommes est es sont fais fait font / fait faite faits faites",
        "me se te nous vous / faire",
        "a ont avait avaient",
        "des les ces certains certaines"
        " / gens personnes clients commentaires messages internautes comptes",
        "j on je",
        "dit disent ecrit ecrivent pretend pretendent affirme affirment repete repetent crie"
        " crient hurle hurlent clame clament proclame proclament pensent croient osent ose"
        " veulent veut / que qu",
        "dire ecrire penser croire pretendre affirmer repeter / que qu",
        "tu vous / dis dites ecris ecrivez penses pensez pretends pretendez affirmes affirmez"
        " crois croyez repetes repetez insistes insistez consideres considerez trouves trouvez"
        " / que qu",
        "tu vous / a de d / dire ecrire penser pretendre affirmer croire repeter insister"
        " considerer / que qu",
        "prend prends prennent prenez prenons prenait prenaient prendre pris / pour"
        " / un une des de d",
        "dit dire disent disait crie crier balance balancer lance lancer / sale sales",
        "raconte racontent explique expliquent / que qu",
        "qui / traite traitent appelle appellent insulte insultent qualifie qualifient / de d",
    ),
    "self": (
        "je j jsuis chui chuis suis desole desolee honte l peur",
        "je j / comme / un une des le la l",
        "je j on / fais faisais fait faire ferai ferais / le la l les",
        "mon ma / chien chienne chat chatte chiot chaton perroquet lapin hamster cheval jument"
        " poney furet perruche canari cochon poisson tortue chevre bouc / est c etait reste",
    ),
    "denied": (
        "est / vrai faux / que qu de d",
        "est / pas / vrai / que qu de d",
        "est / faux / que qu de d",
        "n ne / suis es est sommes etes sera serai seras serez etais etait"
        " / pas jamais nullement aucunement rien / un une des",
        "je j tu t chui jsuis / pas / un une des",
    ),
}
_TRIGGERS = {kind: Triggers(_TRIGGER_PARTS[kind], _ANCHORS[kind]) for kind in _TRIGGER_PARTS}
# Every word a gate or an anchor tests: a text's words are intersected with it once.
_TESTED_WORDS = frozenset().union(*_GATES.values(), *(t.words for t in _TRIGGERS.values()))


def find_scopes(
    original: str,
    normalised: str,
    to_original: Callable[[int, int], tuple[int, int]],
    kinds: frozenset[str],
    words: list[str] | None = None,
) -> list[tuple[str, int, int]]:
    """(kind, start, end) scopes of the asked kinds, as offsets of the original text (a
    `reported` quotation comes with its `quoted` one). `words`: `normalised.split()`."""
    found: list[tuple[str, int, int]] = []
    if kinds & {"quoted", "reported"} and any(q in original for q in '«“"„'):
        for m in _QUOTE_RE.finditer(original):
            found.append(("quoted", m.start() + 1, m.end() - 1))
            # A quotation introduced by a verb of saying is someone's words, reported.
            if _SAYING_BEFORE_RE.search(original, max(0, m.start() - 40), m.start()):
                found.append(("reported", m.start() + 1, m.end() - 1))
    if "date" in kinds and "derni" in original.lower():
        found.extend(("date", m.start(), m.end()) for m in _DATE_RE.finditer(original))
    if kinds.isdisjoint(_TRIGGERS):  # quotations and dates only: no trigger to look for
        return found
    if words is None:
        words = normalised.split()
    present = _TESTED_WORDS.intersection(words)  # the one pass over the words
    for kind in ("negated", "reported", "self", "denied"):
        if kind not in kinds or _GATES[kind].isdisjoint(present):
            continue
        for m in _TRIGGERS[kind].finditer(normalised, present):
            # The scope starts after its trigger: a term that includes the negation itself
            # ("ne sont pas des êtres humains") was written with it in mind.
            found.append(_scope(kind, original, to_original(m.start(), m.end())[1]))
    if "negated" in kinds and "pas" in words and "," in original:
        found.extend(_scope("negated", original, m.end()) for m in _DENIED_NP_RE.finditer(original))
    return found


def _scope(kind: str, original: str, end: int) -> tuple[str, int, int]:
    """A scope from `end` to the end of its clause, a kind's number of words at most."""
    stop = _CLAUSE_END_RE.search(original, end)
    if stop and stop.group()[0].isalpha() and _THAT_RE.fullmatch(original, end, stop.start()):
        stop = _CLAUSE_END_RE.search(original, stop.end())
    limit = stop.start() if stop else len(original)
    tokens = list(_WORD_RE.finditer(original, end, limit))
    most = MAX_WORDS.get(kind, MAX_SCOPE_WORDS)
    if len(tokens) > most:
        limit = tokens[most - 1].end()
    return (kind, end, limit)


def inside(span: tuple[int, int], scopes: list[tuple[str, int, int]]) -> bool:
    """Whether an original-text span lies within one of the scopes."""
    a, b = span
    return any(s <= a and b <= e for _, s, e in scopes)
