"""The first suggestion is what the clause asks (issue 19, first suggestion right): a
participle or attribute of the subject's gender and number (also across "et" and after a
modal + "être"), a verb of the subject pronoun's person in the tense that sounds like what
was typed ("nous"/"vous" after a comma are subjects), "sur" for an agreed "sûr" before a
determiner or a number, "peu" for "peut" before a participle, a plural noun after "combien
de", an adjective agreeing with the noun after a bare "de", a verb of its subject phrase's
number after "ne", "se" or "qui", the "vous" imperative before a joined pronoun, agreed forms
nearest first. With the forms that must not move. Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # already right before this step (Grammalecte reads a plain subject): kept
        ("Mes cousines sont arrivé hier soir.", "arrivé", "arrivées"),
        ("Les factures sont payé depuis lundi.", "payé", "payées"),
        ("Les commandes doivent être validé avant midi.", "validé", "validées"),
        # the subject's gender, where Grammalecte offers the masculine
        ("Votre commande sera expédier demain.", "expédier", "expédiée"),
        ("La réunion est annuler.", "annuler", "annulée"),
        # two feminine subjects joined by "et"
        ("Ma mère et ma tante sont reparti ce matin.", "reparti", "reparties"),
    ],
)
def test_the_participle_agrees_with_the_subject(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Les colis sont arrivé.", "arrivé", "arrivés"),
        # one masculine subject among two: the masculine plural
        ("Le colis et la lettre sont arrivé ce matin.", "arrivé", "arrivés"),
        ("Elle est sûr de venir.", "sûr", "sûre"),
        ("Ils sont sûr du résultat.", "sûr", "sûrs"),
    ],
)
def test_masculine_and_adjective_readings_keep_their_fix(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # the subject's person, in the tense heard in what was typed
        ("tu pourrai venir demain ?", "pourrai", "pourrais"),
        ("Bonjour, vous devais renvoyer le formulaire.", "devais", "devez"),
        ("Les enfants, vous pourrais ranger vos affaires ?", "pourrais", "pourrez"),
        # right before this step, kept
        ("je voudrait un remboursement", "voudrait", "voudrais"),
        ("Nous pourrait vous rappeler demain.", "pourrait", "pourrions"),
        # an inverted "je" is not the subject of the verb after it
        ("Où puis-je trouvé mon numéro client ?", "trouvé", "trouver"),
    ],
)
def test_the_verb_takes_the_subject_person_as_heard(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Le remboursement concerne 3 commandes sûr 10.", "sûr", "sur"),
        ("Conseils sûr la garantie", "sûr", "sur"),
        ("Le colis a peut bougé depuis hier.", "peut", "peu"),  # right before, kept
    ],
)
def test_a_word_of_another_class_when_the_next_word_asks_it(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize("text", ["Il peut venir demain.", "Il est sûr que oui."])
def test_correct_sentences_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Combien de fichierr avez-vous envoyés ?", "fichierr", "fichiers"),
        ("Voici la liste d'articles disponibls.", "disponibls", "disponibles"),
        ("Nous vendons un lot de chaussures neuvs.", "neuvs", "neuves"),
    ],
)
def test_spelling_after_de_agrees_with_its_noun(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Les colis ne se perden jamais.", "perden", "perdent"),
        ("Nous avons des articles qui arriven demain.", "arriven", "arrivent"),
        ("Mes voisines ne se parlen plus.", "parlen", "parlent"),
        ("Le client ne se souvien pas de sa commande.", "souvien", "souvient"),
    ],
)
def test_spelling_of_a_verb_takes_its_subject_number(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "nous" after a comma or "et" is the subject of the verb that follows
        ("Bonjour Léa, nous avont bien noté votre demande.", "avont", "avons"),
        ("Merci pour votre patience et nous revenont vers vous.", "revenont", "revenons"),
        # an imperative joined to its pronoun, written as it sounds
        ("Envoyer-nous le bon de retour.", "Envoyer-nous", "Envoyez-nous"),
        ("Pour toute question, contacté-nous par courriel.", "contacté-nous", "contactez-nous"),
    ],
)
def test_nous_after_a_comma_and_imperatives_as_heard(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize("text", ["Envoyez-nous une photo.", "Dépêche-toi, le magasin ferme."])
def test_written_imperatives_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


def test_agreed_forms_come_nearest_first_whatever_the_process() -> None:
    # Grammalecte lists the participles of "cuire" and the rare "cuiter" in set order: the
    # form one letter away comes first in every process (hash seeds differ).
    assert blocking_fixes("les pâtes sont trop cuite").get("cuite") == "cuites"
