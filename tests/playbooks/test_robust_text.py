"""Robust text handling for rules (issue 13, part 2) and thread context (part 4).

Misspellings are found by an algorithm (one edit, doubled letters, glued and split words),
not by lists; real French words are never "corrected"; lemmas match their forms; quoted,
negated and reported words do not count for hostile rules; idioms stay out of S4 while
first-person plans of suicide go there. Every sentence is written for these tests.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from playbooks import (
    MentionInput,
    ParentMention,
    PastMention,
    Playbook,
    PlaybookError,
    french,
    mention_from_dict,
)
from playbooks.fuzzy import _osa

from .conftest import MONDAY_MORNING, make

FUZZY = """
format: 1
default_language: fr
lexicons:
  insultes:
    lang: fr
    fuzzy: true
    terms: [abruti, "pourri(s)", imbécile, naze, con, "sale vermine"]
  detresse: {lang: fr, fuzzy: true, terms: ["envie de mourir"]}
  exact: {lang: fr, terms: [crapule]}
scenarios:
  - {id: insulte, label: Insulte, when: {lexicon: insultes}, severity: S3}
  - {id: detresse, label: Détresse, when: {lexicon: detresse}, severity: S4}
  - {id: exact, label: Exact, when: {lexicon: exact}, severity: S2}
"""


@pytest.fixture(scope="module")
def fuzzy() -> Playbook:
    return make(FUZZY)


def decide(pb: Playbook, text: str, **kwargs: object):
    return pb.decide(MentionInput(text, lang="fr", **kwargs), now=MONDAY_MORNING)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "quel abrtui ce chauffeur",  # two letters swapped
        "quel abruit ce chauffeur",  # swapped at the end
        "quel abrui ce chauffeur",  # one letter dropped
        "quel abrutti ce chauffeur",  # one doubled
        "quel aabbrruuttii ce chauffeur",  # every letter doubled
        "quel abrutj ce chauffeur",  # one replaced
        "espèce d'imbécil",  # final letter dropped
        "service pouri",  # double letter dropped
        "quel saleabruti",  # glued to a word
        "quel abru ti ce chauffeur",  # split in two
        "vous êtes nzae",  # four letters: a swap only
        "quelle sale vremine",  # inside a phrase
    ],
)
def test_near_misses_of_lexicon_words_match(fuzzy: Playbook, text: str) -> None:
    assert decide(fuzzy, text).scenarios == ["insulte"]


@pytest.mark.parametrize(
    "text",
    [
        "le colis pourra arriver demain",  # a French word one edit away: never corrected
        "il faut pourrir la vie de personne",  # pourrir is a word too
        "votre mobile est cassé",  # not one edit away
        "vous êtes nase",  # four letters: no substitution
        "un cno",  # three letters: exact only
        "cette vermine est sale",  # a phrase's words, in another order
        "il est en vie, merci à vos équipes",  # two words are not joined into "envie"
        "une crapul",  # a lexicon without `fuzzy` stays exact
    ],
)
def test_real_words_and_short_words_are_left_alone(fuzzy: Playbook, text: str) -> None:
    assert decide(fuzzy, text).severity == "S1"


def test_evidence_points_at_what_was_written(fuzzy: Playbook) -> None:
    text = "Franchement, quel ABRTUI ce type"
    evidence = [e for e in decide(fuzzy, text).evidence if e.kind == "lexicon"]
    assert evidence[0].terms == ("abruti",)
    (start, end), *_ = evidence[0].spans
    assert text[start:end] == "ABRTUI"


def test_one_edit_distance() -> None:
    assert _osa("abruti", "abruti") == 0
    assert [_osa("abruti", w) for w in ("abrtui", "abrui", "abrutii", "abrutj")] == [1, 1, 1, 1]
    assert _osa("abruti", "arbuit") == 2


def test_french_word_knowledge() -> None:
    assert french.is_word("pourra") and french.is_word("salon")
    assert not french.is_word("abrtui")
    assert {"tuerai", "tue", "tuons"} <= set(french.forms_of("tuer"))
    assert set(french.forms_of("connard")) == {"connard", "connards", "connarde", "connardes"}


FORMS = """
format: 1
default_language: fr
lexicons:
  insultes: {lang: fr, forms: true, terms: [crapule, "!crapules de dessin animé"]}
  menaces: {lang: fr, terms: ["je (te|t'|vous) ~égorger"]}
scenarios:
  - {id: insulte, label: Insulte, when: {lexicon: insultes}, severity: S3}
  - {id: menace, label: Menace, when: {lexicon: menaces}, severity: S4}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bande de crapules", "S3"),  # the plural of a lemma
        ("je vous égorgerai", "S4"),  # ~égorger: every conjugated form
        ("je t'égorge", "S4"),
        ("je vous égorgeais", "S4"),
        ("j'adore les crapules de dessin animé", "S1"),  # exceptions are not inflected
        ("égorger des poulets à la ferme", "S1"),
    ],
)
def test_lemmas_match_their_forms(text: str, expected: str) -> None:
    assert decide(make(FORMS), text).severity == expected


def test_forms_are_off_by_default() -> None:
    pb = make(FORMS.replace("forms: true, ", ""))
    assert decide(pb, "bande de crapules").severity == "S1"


SCOPES = """
format: 1
default_language: fr
lexicons:
  insultes: {lang: fr, terms: [connard, "fainéant(s)"]}
  groupes: {lang: fr, terms: [cheminots]}
  hostilite: {lang: fr, terms: ["fainéant(s)", "pas des humains"]}
scenarios:
  - id: haine
    label: Haine
    when: {near: {lexicons: [groupes, hostilite]}}
    unless_scope: [quoted, negated, reported]
    severity: S3
  - id: insulte
    label: Insulte
    when: {lexicon: insultes}
    unless_scope: [quoted, negated, reported]
    severity: S3
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vous êtes un connard", "S3"),
        ("« connard », c'est ce qu'il a osé me répondre", "S1"),  # quoted
        ('Le mot "connard" n\'a rien à faire ici', "S1"),
        ("le contrôleur m'a traité de connard devant tout le monde", "S1"),  # reported
        ("je me suis fait traiter de connard au guichet", "S1"),
        ("ce n'est pas drôle : il m'a traité de connard", "S1"),  # a negation, then a report
        ("il ne faut pas dire que les cheminots sont des fainéants", "S1"),  # negated
        ("les cheminots ne sont pas des fainéants", "S1"),
        ("arrêtez de traiter les cheminots de fainéants", "S1"),
        ("les cheminots sont des fainéants", "S3"),
        # the negation is the hostile claim itself: its term includes it
        ("les cheminots, c'est pas des humains", "S3"),
        # a scope ends with its clause
        ("il m'a traité de connard. Vous êtes un connard aussi", "S3"),
    ],
)
def test_quoted_negated_and_reported_words_do_not_count(text: str, expected: str) -> None:
    assert decide(make(SCOPES), text).severity == expected


def test_unless_scope_is_validated() -> None:
    with pytest.raises(PlaybookError) as err:
        make(SCOPES.replace("[quoted, negated, reported]", "[ironic]", 1))
    assert "unless_scope" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "ce soir je vais me tirer une balle",
        "si je me tuais personne ne le verrait",
        "je vais sauter du pont cette nuit, j'en peux plus",
        "demain je me pends",
        "personne ne remarquera si je disparais",
    ],
)
def test_first_person_plans_of_suicide_are_urgent(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity == "S4"


@pytest.mark.parametrize(
    "text",
    [
        "je vais me tirer une balle dans le pied avec ce forfait",
        "je me tue à le répéter à votre service client",
        "je vais me flinguer les tympans avec les annonces du quai",
        "j'ai envie de mourir de rire devant cette annonce",
        "je vais me jeter sur vos promos de janvier",
        "cette musique d'attente me donne envie de me pendre",
        "je vais finir par me tuer avec vos formulaires",
        "je me pends si j'entends encore cette annonce",
        "à force je vais me cogner la tête contre les murs",
    ],
)
def test_idioms_borrowing_death_words_stay_out_of_s4(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity != "S4"


THREAD = """
format: 1
default_language: fr
lexicons:
  menaces: {lang: fr, terms: ["je vais te casser"]}
  suites: {lang: fr, terms: [oui, "compte sur moi"]}
scenarios:
  - id: suite_menace
    label: Suite d'une menace
    when: {all: [{context: {parent_lexicon: menaces}}, {lexicon: suites}]}
    severity: S4
  - id: suite_grave
    label: Suite d'un message grave
    when:
      all:
        - context: {parent_severity: ">= S3", parent_category: [insulte]}
        - lexicon: suites
    severity: S3
  - id: recidive
    label: Récidive
    when: {author_history: {count: ">= 2", days: 3, category: insulte}}
    severity: S3
  - id: premiere
    label: Premier message
    when: {context: {reply: false}}
    severity: S2
priority:
  boosts:
    - {id: marque, when: {context: {parent_from_brand: true}}, add: 100}
"""


def test_a_reply_is_read_with_its_parent() -> None:
    pb = make(THREAD)
    threat = ParentMention("je vais te casser la figure")
    assert decide(pb, "compte sur moi", parent=threat).scenarios == ["suite_menace"]
    insult = ParentMention("bande de nazes", severity="S3", categories=("insulte",))
    assert decide(pb, "oui", parent=insult).scenarios == ["suite_grave"]
    mild = ParentMention("quel retard", severity="S2", categories=("retard",))
    assert decide(pb, "oui", parent=mild).severity == "S1"
    assert decide(pb, "oui").scenarios == ["premiere"]  # not a reply
    decision = decide(pb, "compte sur moi", parent=threat)
    assert any("je vais te casser la figure" in e.explanation for e in decision.evidence)


def test_a_reply_to_the_brand_is_boosted() -> None:
    pb = make(THREAD)
    ours = ParentMention("Nous revenons vers vous", from_brand=True)
    theirs = ParentMention("Nous revenons vers vous")
    plain = decide(pb, "merci", parent=theirs).priority
    assert decide(pb, "merci", parent=ours).priority == plain + 100


def test_author_history_counts_within_its_window() -> None:
    pb = make(THREAD)
    now = MONDAY_MORNING

    def past(days: float, category: str = "insulte", severity: str = "S3") -> PastMention:
        return PastMention(now - timedelta(days=days), severity, (category,))

    two = (past(1), past(2))
    assert "recidive" in decide(pb, "bonjour", history=two, posted_at=now).scenarios
    old = (past(1), past(5))  # one outside `days: 3`
    assert "recidive" not in decide(pb, "bonjour", history=old, posted_at=now).scenarios
    other = (past(1), past(2, category="retard"))
    assert "recidive" not in decide(pb, "bonjour", history=other, posted_at=now).scenarios
    mild = (past(1), past(2, severity="S2"))
    assert "recidive" not in decide(pb, "bonjour", history=mild, posted_at=now).scenarios
    why = " ".join(e.explanation for e in decide(pb, "x", history=two, posted_at=now).evidence)
    assert "Historique de l'auteur : 2 mention(s) S3+ (insulte) en 3 jours" in why


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("{context: {}}", "expected reply, parent_severity"),
        ("{context: {parent_severity: grave}}", "severity bound such as '>= S3'"),
        ("{context: {parent_lexicon: inconnu}}", "unknown lexicon 'inconnu'"),
        ("{author_history: {count: beaucoup}}", "a count such as '>= 3'"),
        ("{author_history: {count: 3, days: 400}}", "less than or equal to 90"),
    ],
)
def test_thread_conditions_report_bad_values(condition: str, message: str) -> None:
    text = f"""
format: 1
scenarios:
  - {{id: x, label: X, when: {condition}, severity: S2}}
"""
    with pytest.raises(PlaybookError) as err:
        make(text)
    assert message in str(err.value)


def test_jsonl_rows_carry_the_thread() -> None:
    row = {
        "text": "oui",
        "parent": {"text": "je vais te casser", "severity": "S4", "categories": ["menace"]},
        "history": [{"posted_at": "2026-01-04T10:00:00+00:00", "severity": "S3"}, {"x": 1}],
    }
    mention = mention_from_dict(row)
    assert mention.parent == ParentMention("je vais te casser", "S4", ("menace",))
    assert len(mention.history) == 1 and mention.history[0].severity == "S3"


def test_a_silent_h_left_out_is_a_near_miss() -> None:
    from playbooks.fuzzy import Corrector

    corrector = Corrector(["handicapes", "homosexuels"], [])
    assert corrector.fix("andicapes") == "handicapes"
    assert corrector.fix("omosexuels") == "homosexuels"


def test_forms_table_finds_every_line_as_a_dict_would() -> None:
    """The forms are one UTF-8 blob searched by key, not a dict: the same answers."""
    lines = [
        "a\tNA\ta as",
        "abîmer\tV\tabîma abîmé",
        "abîmer\tNA\tabîmé",
        "zèbre\tNA\tzèbre zèbres",
    ]
    lines.sort(key=lambda line: line.rpartition("\t")[0])
    table = french._Forms("\n".join(lines).encode())
    as_dict = {line.rpartition("\t")[0]: line.rpartition("\t")[2] for line in lines}
    for key in [*as_dict, "", "a", "abîmer\tX", "zz\tNA", "\t"]:
        assert table.get(key, "") == as_dict.get(key, ""), key
    assert french._Forms(b"").get("a\tNA", "-") == "-"


def test_a_corrector_remembers_a_bounded_number_of_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """Months of varied mentions must not grow twenty brands' correctors without end: each
    forgets what it knew past its share of the process's budget, and still corrects."""
    from playbooks import fuzzy
    from playbooks.normalize import normalize

    monkeypatch.setattr(fuzzy, "_CACHE_BUDGET", 40)
    monkeypatch.setattr(fuzzy, "_CACHE_FLOOR", 10)
    corrector = fuzzy.Corrector(["handicapes", "homosexuels"], [])
    for i in range(200):
        corrector.correct(normalize(f"mot{i}x autre{i}y andicapes"))
        assert len(corrector._ok) <= 40 and len(corrector._cache) <= 40
    assert "handicapes" in corrector.correct(normalize("vous etes andicapes")).text
