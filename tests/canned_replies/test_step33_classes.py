"""Step 33 (issue 19): "et" where a subject noun phrase asks for the verb "est" (a "que"
clause, "de" and an infinitive, an adverb that ends the clause follow); "est" joining a
second "que" clause to a first one is "et". Each with look-alikes that must stay clean.
Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Le souci et que votre colis n'a pas été scanné.", "et", "est"),
        ("La solution et qu'on vous rappelle demain.", "et", "est"),
        ("Notre objectif et de vous répondre dans la journée.", "et", "est"),
        ("La livraison et demain, mais le magasin ferme tôt.", "et", "est"),
        ("Votre livraison et aujourd'hui.", "et", "est"),
        ("Bonjour Léa, la réunion et demain.", "et", "est"),
    ],
)  # fmt: skip
def test_et_after_a_subject_phrase_is_the_verb(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je vous confirme que le colis est parti, est que vous le recevrez lundi.", "est",
         "et"),
        ("Dites-lui que nous l'attendons est qu'il peut venir.", "est", "et"),
        ("J'espère que tout va bien, est que vous êtes satisfait.", "est", "et"),
    ],
)  # fmt: skip
def test_est_joining_a_second_que_clause_is_et(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Le souci est que votre colis n'a pas été scanné.",
        "Le café et le croissant, s'il vous plaît.",
        "Le droit de vote et de se présenter aux élections.",
        "Le thé et demain le café.",
        "Je pense que le problème est que tu pars trop tôt.",
        "Je sais que tu viens et que le mieux est que tu restes.",
        "Ce que je veux est que tu viennes.",
        "Il dit que la raison est qu'il pleut.",
        "Le plus important est que vous soyez remboursé.",
        "La seule chose que je demande est que le colis arrive.",
    ],
)
def test_look_alikes_stay_clean(text: str) -> None:
    assert "et" not in blocking_fixes(text) and "est" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # "mais" where a determiner belongs: after a preposition, "sont", "et", a verb, or
        # before a plural adjective and its noun
        ("Je pense souvent à mais parents.", "mais", "mes"),
        ("Ce sont mais nouvelles chaussures.", "mais", "mes"),
        ("Ce sont mais collègues.", "mais", "mes"),
        ("J'ai appelé mais anciens collègues.", "mais", "mes"),
        # "mes" where the conjunction belongs: before a comma, a pronoun, a determiner, an
        # adverb other than one of degree
        ("Oui, mes franchement c'est cher.", "mes", "mais"),
        ("D'accord, mes ça ne change rien.", "mes", "mais"),
        ("Le colis est parti, mes un peu tard.", "mes", "mais"),
        ("Je peux venir, mes, si vous préférez, on se parle demain.", "mes", "mais"),
        ("Vous avez raison, mes comme toujours c'est urgent.", "mes", "mais"),
    ],
)  # fmt: skip
def test_mais_and_mes_by_their_place(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Il est petit mais costaud.",
        "Ils sont fatigués mais contents.",
        "C'est cher mais bons produits.",
        "Ils sont pauvres mais heureux.",
        "Ce sont des gens simples mais gentils.",
        "Mes très chers amis, bienvenue.",
        "Je remercie mes plus fidèles clients.",
        "Ce sont mes deux enfants.",
        "Merci à tous mes si patients clients.",
    ],
)
def test_mais_mes_look_alikes_stay_clean(text: str) -> None:
    assert "mais" not in blocking_fixes(text) and "mes" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Vous pouvez compter sûr moi.", "sûr", "sur"),
        ("Nous travaillons sûr ce dossier depuis lundi.", "sûr", "sur"),
        ("Il faut appuyer sûr le bouton rouge.", "sûr", "sur"),
    ],
)  # fmt: skip
def test_sur_with_a_circumflex_before_a_phrase_is_the_preposition(
    text: str, word: str, fix: str
) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Bien sûr la livraison est gratuite.",
        "À coup sûr le client rappellera.",
        "Un placement sûr cette année.",
        "Je suis sûr le colis arrive demain.",
        "Vous pouvez en être sûr.",
    ],
)
def test_sur_look_alikes_stay_clean(text: str) -> None:
    assert "sûr" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a wish with its object is in the conditional
        ("Je voudrai un remboursement, s'il vous plaît.", "voudrai", "voudrais"),
        ("Je souhaiterai des informations sur ma commande.", "souhaiterai", "souhaiterais"),
        # "les" before "avoir": the participle is plural (masculine first)
        ("Je les ai vu hier au magasin.", "vu", "vus"),
        ("Nous les avons attendu longtemps.", "attendu", "attendus"),
    ],
)  # fmt: skip
def test_wish_and_les_before_avoir(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Je voudrais un remboursement.",
        "J'aimerai toujours cette ville.",
        "Je les ai vu partir ce matin.",
        "Je les ai fait réparer.",
        "Je les ai pris avec moi.",
        "Je les ai vues hier.",
    ],
)
def test_wish_and_les_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # after aller, pouvoir, vouloir, devoir: the infinitive, past pronouns and "pas"
        ("Je vais finis le dossier ce soir.", "finis", "finir"),
        ("Vous pouvez prend rendez-vous en ligne.", "prend", "prendre"),
        ("Vous pouvez nous écrit à cette adresse.", "écrit", "écrire"),
        ("Je vais vous répondu dans la journée.", "répondu", "répondre"),
        ("Le technicien doit parti avant midi.", "parti", "partir"),
        ("Vous ne devez pas le remis en vente.", "remis", "remettre"),
    ],
)  # fmt: skip
def test_form_after_a_modal_is_the_infinitive(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Si vous voulez venez nous voir.",
        "Ce que vous voulez dit beaucoup.",
        "Tout ce qu'il veut fait peur.",
        "Le colis que vous voulez coûte cher.",
        "Je vais bien, merci.",
        "Vous voulez du café ?",
        "Il va de soi que oui.",
        "Allez viens, on y va.",
    ],
)
def test_form_after_a_modal_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je prépare les colis est les envoie demain.", "est", "et"),
        ("Ça vous plaira est ça vous fera gagner du temps.", "est", "et"),
    ],
)  # fmt: skip
def test_est_before_object_pronouns_and_a_verb_is_et(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "L'étape suivante est la dépose du moteur.",
        "La voiture est en panne depuis hier.",
        "La recette est en ligne sur notre blog.",
        "Le mieux est de nous appeler.",
        "Il est en fait absent aujourd'hui.",
    ],
)
def test_est_before_pronoun_look_alikes_stay_clean(text: str) -> None:
    assert "est" not in blocking_fixes(text)


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Ce produit contient de nombreux composants toxique.", "toxique", "toxiques"),
        ("Nous travaillons avec plusieurs transporteurs belge.", "belge", "belges"),
        ("Le rôle de plusieurs agences locale a été décisif.", "locale", "locales"),
    ],
)  # fmt: skip
def test_adjective_after_a_plural_only_determiner_and_its_noun(
    text: str, word: str, fix: str
) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Nous avons plusieurs magasins ouverts le dimanche.",
        "Plusieurs fois cette semaine, le colis est revenu.",
        "Certains clients fidèles nous écrivent.",
        "Nous avons reçu des résultats certains.",
        "Plusieurs clients chaque jour nous appellent.",
    ],
)
def test_plural_only_determiner_look_alikes_stay_clean(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Merci à vous ! Je vous en pris.", "pris", "prie"),
        ("Je t'en pris, c'est normal.", "pris", "prie"),
    ],
)  # fmt: skip
def test_politeness_formula(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


def test_politeness_formula_stays_clean() -> None:
    assert blocking_fixes("Je vous en prie, c'est normal.") == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Je vous promets que je serai a l'heure.", "a", "à"),
        ("Je crois que vous êtes a la gare.", "a", "à"),
    ],
)  # fmt: skip
def test_a_right_after_etre_or_avoir_is_the_preposition(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Ce qu'il y a a changé depuis hier.",
        "C'est a priori correct.",
        "Ce que tu as a été utile.",
        "Le souci que vous avez a une solution.",
    ],
)
def test_a_after_etre_or_avoir_look_alikes_stay_clean(text: str) -> None:
    assert "a" not in blocking_fixes(text)
