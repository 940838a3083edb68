"""Rules decided by the grammatical slot (proof19c): "à" where a noun-phrase subject needs
the verb "avoir" ("ton frère à appelé" → "a"), "plusieurs" before a singular noun that also
reads as a pronoun or a verb ("plusieurs personne" → "personnes"). Each mistake blocks with
the right correction first; the correct look-alikes stay clean.

Sentences written for these tests, not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("ton frère à appelé ce matin", "à", "a"),
        ("Le livreur à déposé le colis chez le voisin.", "à", "a"),
        ("je crois que la banque à refusé le virement", "à", "a"),
        ("mon oncle à dit qu'il passerait", "à", "a"),
        ("plusieurs personne m'ont écrit", "personne", "personnes"),
    ],
)
def test_slip_blocks_with_fix_first(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "ton frère a appelé ce matin",
        "mon téléphone à portée de main, je t'écris",
        "je pense à mon frère à chaque fois",
        "la maison à vendre est au bout de la rue",
        "un gâteau à emporter s'il vous plaît",
        "plusieurs personnes m'ont écrit",
        "j'en ai vu plusieurs hier",
        "il a fait plusieurs aller et retour",
    ],
)
def test_lookalike_stays_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a capitalised "Les" opening the sentence is the determiner, even before a noun
        # that is also a verb form ("mesures", "règles")
        ("Les mesures de protection prévu pour les clients changent.", "prévu", "prévues"),
    ],
)
def test_sentence_opening_determiner(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) in {fix, fix[:-1]}


def test_pronoun_les_still_read() -> None:
    assert blocking_fixes("Tu les mesures toutes ensemble ?") == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("je passe au super-marché ce soir", "super-marché", "supermarché"),
        ("Il est sur-tout pressé.", "sur-tout", "surtout"),
        ("On prend l'auto-route demain.", "auto-route", "autoroute"),
    ],
)
def test_hyphen_in_a_joined_word_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    ["un week-end à la mer", "c'est un extra-terrestre", "dis-moi quand tu arrives"],
)
def test_hyphenated_words_of_the_dictionary_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("s'est trop bien ce film", "s'est", "c’est"),
        ("S'est vraiment généreux de votre part.", "S'est", "C’est"),
        ("s'est super bien que tu sois là", "s'est", "c’est"),
    ],
)
def test_sentence_opening_s_est_without_participle(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    ["s'est bien passé, ton entretien ?", "s'est-elle inscrite ?", "il s'est vraiment amusé"],
)
def test_s_est_with_participle_or_subject_stays(text: str) -> None:
    assert "s'est" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # an -er infinitive ending a noun phrase: the noun's participle
        ("impossible d'annuler une réservation déjà valider, désolé", "valider", "validée"),
        ("voici la photo du carton abîmer.", "abîmer", "abîmé"),
        # an -er infinitive after "et", coordinated with a compound tense's participle
        ("le technicien a vérifié la box et changer le câble.", "changer", "changé"),
    ],
)
def test_infinitive_for_participle_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "je regarde les enfants jouer.",
        "il a promis de passer et réparer la fuite.",
        "on va faire comme tu as proposé et tenter notre chance.",
        "il reste une pièce à peindre et décorer.",
        "tu as pensé à acheter du pain et rapporter le lait ?",
    ],
)
def test_infinitives_in_their_place_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("ma cousine sera la aussi", "la", "là"),
        ("range-les la, dans le placard", "la", "là"),
    ],
)
def test_la_adverb_after_etre_or_imperative(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text", ["je suis la plus rapide", "elle est la seule à savoir", "c'est la même chose"]
)
def test_article_la_after_etre_stays(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("tu sais ou t'as mis les clés ?", "ou", "où"),
        ("dis-moi ou tu te gares", "ou", "où"),
        ("je sais plus ou ça se range", "ou", "où"),
    ],
)
def test_ou_right_after_a_where_verb(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text", ["dis-moi oui ou tu restes là", "dis-moi si tu viens ou tu restes chez toi"]
)
def test_ou_between_alternatives_stays(text: str) -> None:
    assert "ou" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("demain je partirais vers 8 h", "partirais", "partirai"),
        ("je vous enverrais le dossier dès que je l'aurai relu", "enverrais", "enverrai"),
    ],
)
def test_conditional_for_future_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "si j'avais le temps, demain je partirais vers 8 h",
        "je croyais que demain je partirais tôt",
        "elle m'a dit que je partirais demain",
        "je voudrais partir demain",
        "je partirais bien demain, mais il pleut",
        "à ta place je partirais",
    ],
)
def test_conditional_in_its_place_stays(text: str) -> None:
    assert not any(w.endswith("rais") for w in blocking_fixes(text))


@pytest.mark.parametrize(
    "text",
    [
        # "nous" object of a verb whose subject comes after it
        "Les 300 € que nous a coûtés la réparation seront remboursés.",
        # "est" and its attribute, not "et" between two subjects
        "Seuls les clients dont le dossier est complet seront rappelés.",
        # a noun before the name it introduces, not a verb
        "Les travaux avenue Foch bloquent la circulation.",
    ],
)
def test_precision_fixes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_vous_subject_after_que_still_blocks() -> None:
    assert blocking_fixes("les billets que vous attendait sont arrivés").get("attendait")


def test_french_adjective_before_an_english_noun_still_agrees() -> None:
    assert blocking_fixes("on a testé les meilleur escape games de Lyon").get("meilleur") == (
        "meilleurs"
    )


def test_english_compound_after_a_plural_determiner_stays() -> None:
    assert blocking_fixes("on a fait des escape game ce week-end") == {}


@pytest.mark.parametrize("text", ["a plus tard !", "a ce soir", "a la prochaine alors"])
def test_farewell_a_blocks(text: str) -> None:
    assert blocking_fixes(text).get("a") == "à"


@pytest.mark.parametrize("text", ["a plus de 20 ans, on sait ça", "A plus tard."])
def test_a_not_a_farewell_stays(text: str) -> None:
    assert "a" not in blocking_fixes(text) and "A" not in blocking_fixes(text)
