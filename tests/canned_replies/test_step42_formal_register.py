"""Step 42 (issue 19, precision): false blocks on formal French, the register of translated
news and encyclopaedia articles. Five readings found on sentences written for the step
(benchmarks/formal_fr_clean.txt):
- an apposition after a comma describing the capitalised name right before it ("Les rues de
  Venise, envahie chaque été…"), or the title "Les" opens ("Les Fleurs du mal, recueil de…"):
  Grammalecte's `gn_les_…_virg` is advice (canned_replies/formal_context.py);
- a noun made plural by a capitalised number opening a title ("Le film Sept ans au Tibet"):
  Grammalecte's `gn_le_…` is advice (formal_context.py);
- "différend" the noun right after its determiner ("Le différend frontalier"): Grammalecte's
  confusion with "différent" is advice (formal_context.py);
- "avant tout" / "après tout" before a determiner is an adverb, not "tout" to agree
  (tout_phrase.py);
- a pair after a comma that ends a list a preposition opened in the subject ("Le programme de
  lutte contre la pauvreté, la faim et l'exclusion a été…") is no pair of subjects
  (subject_verb.py);
- "des plus" + an adjective is a superlative, "plus" no noun ("l'une des plus élevées")
  (context_rules.py);
- nationality adjectives joined by a combining form the dictionary lacks ("irano-irakienne"):
  a word in use, not a slip (formal_context.joined_gentiles, french.py).

Sentences written for these tests, not taken from any data set, and not in the benchmark file."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        # an apposition describing the name right before the comma, or a title opened by "Les"
        "Les habitants de Gaza, privée d'électricité depuis plusieurs jours, attendent l'aide.",
        "Les rues de Venise, envahie chaque été par les touristes, étaient désertes.",
        "Les autorités de Hong Kong, rétrocédée à la Chine en 1997, ont reporté le scrutin.",
        "Les élus de Barcelone, dirigée depuis 2015 par Ada Colau, ont adopté un moratoire.",
        "Les Fleurs du mal, recueil de Charles Baudelaire, a valu à son auteur un procès.",
        "Les Quatre Cents Coups, premier long métrage de François Truffaut, date de 1959.",
        # a capitalised number opening a title
        "Le film Sept ans au Tibet, avec Brad Pitt, a été interdit en Chine.",
        "Le roman Mille soleils splendides, de Khaled Hosseini, se déroule en Afghanistan.",
        "Le film Cent jours à Palerme est sorti en 1984.",
        # "différend" the noun after its determiner
        "Le différend frontalier entre les deux pays a été soumis à la Cour.",
        "Un différend ancien oppose les deux familles au sujet de l'héritage.",
        "Ce différend commercial, vieux de quinze ans, porte sur les subventions.",
        # "avant tout", "après tout" before a determiner
        "La réforme vise avant tout les grandes entreprises du secteur.",
        "Cette victoire est avant tout celle d'une équipe soudée.",
        "Il faut avant tout la confiance des marchés.",
        # a list opened by a preposition inside the subject
        "Le programme de lutte contre la pauvreté, la faim et l'exclusion a été prolongé.",
        "La Fondation pour la recherche sur le cancer, le diabète et les maladies rares a été "
        "reconnue d'utilité publique.",
        # "des plus" + an adjective, a superlative
        "Le taux de chômage du pays, 3 %, est l'un des plus bas d'Europe.",
        "Sa dette, 250 % du PIB, est l'une des plus lourdes du monde.",
        # nationality adjectives joined by their combining form
        "La guerre irano-irakienne a duré huit ans.",
        "Le vieux contentieux syro-israélien n'est pas réglé.",
    ],
)
def test_formal_look_alike_stays_quiet(text: str) -> None:
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # two subjects after an opening phrase that starts with its preposition
        ("Selon le rapport, le calendrier et le budget est fixé par décret.", "est", "sont"),
        (
            "Selon la Cour des comptes, le déficit et la dette augmente encore cette année.",
            "augmente",
            "augmentent",
        ),
        # "tout" after another word than "avant"/"après"
        ("Malgré tout les efforts du gouvernement, le chômage a augmenté.", "tout", "tous"),
        ("Le ministre a rencontré toute les délégations présentes.", "toute", "toutes"),
        # an adjective agreeing with nothing, after a superlative too
        ("Son espérance de vie est l'une des plus élevée au monde.", "élevée", "élevées"),
        ("Le Parlement européens a adopté le texte en première lecture.", "européens", "européen"),
        # the subject's head, a past participle
        ("Le conseil des ministres ont adopté le projet de loi mercredi.", "ont", "a"),
        ("La commission a publiée son rapport annuel lundi.", "publiée", "publié"),
        # a joined nationality adjective whose last part is misspelt
        ("Le traité franco-allemend a été signé en 1963.", "franco-allemend", "franco-allemand"),
    ],
)
def test_formal_mistake_still_blocks(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix
