"""Wave 31 rules (wp/rules31): burdens, exceptions within a sentence, resignations, veiled threats.

Every sentence is written for these tests (none is a probe row).
1. Being a burden to one's own (« je suis un fardeau pour eux », « je ne suis qu'un poids ») is
   distress in every shipped playbook; a thing that weighs (a file, fees, paperwork) is not.
2. A lexicon exception stops at a full stop: written for one sentence, it no longer hides a
   cue in the next (« … adieu. Ce compte … »); within its sentence, and across a question or
   exclamation mark or an ellipsis (« t'es mort ? réponds »), it still holds.
3. A job, a shift or a contract left near « prenez soin de vous » / « mon dernier jour » keeps
   them from being distress cues for `detresse_modele`; without a job they stay cues.
4. Veiled threats to a person: followed home, their children named then a warning left to guess
   (« ce serait dommage. », « jdis ça jdis rien »), « payer physiquement ». Regrets said in full,
   a parcel followed and family talk are not.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING, make, severity

BURDEN = [
    "je gâche la vie de ma famille, je suis un fardeau pour eux",
    "je suis un fardeau pour mes proches, ils méritent mieux",
    "je ne suis qu'un fardeau, je le sais depuis longtemps",
    "je me sens comme une charge pour mes parents depuis des mois",
    "je suis devenue un fardeau pour mon mari et mes enfants",
    "franchement je suis une charge pour tout le monde",
    "je ne suis qu'un poids mort pour ma famille",
    "je suis un fardeau pour ceux que j'aime",
    "tout le monde serait mieux sans moi",
    "je me sens un fardeau pour ma fille, elle ne le dit pas mais je le vois",
]

NOT_BURDEN = [
    "ce dossier est un fardeau",
    "la paperasse est un fardeau pour les petites entreprises",
    "je me sens un peu de trop dans cette réunion lol",
    "ces frais de tenue de compte sont un vrai fardeau pour les familles",
    "le crédit immobilier est un fardeau pour nous, pouvez-vous renégocier le taux ?",
    "porter ma valise dans l'escalier, quel fardeau",
    "la redevance est une charge pour les retraités",
    "je suis un boulet pour l'équipe au foot mdr",
    "ce forfait est un poids pour mon budget",
    "le fardeau administratif de votre service est énorme",
]


@pytest.mark.parametrize("text", BURDEN)
def test_a_burden_to_ones_own_is_distress(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", NOT_BURDEN)
def test_a_thing_that_weighs_is_not(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


def _one_sentence_exceptions() -> Playbook:
    return make(
        """
format: 1
languages: [fr]
lexicons:
  adieux: {terms: [adieu, "!adieu la grisaille", "!dire adieu à mon forfait"]}
scenarios:
  - {id: adieu, label: Adieu, severity: S3, when: {lexicon: adieux}}
"""
    )


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("adieu la grisaille, bonjour le soleil", False),
        ("je vais dire adieu à mon forfait", False),
        ("ADIEU LA GRISAILLE !!!", False),
        ("j'ai dit adieu. (la grisaille, je veux dire)", False),
        ("je vais dire adieu. La grisaille ne me quittera plus", True),
        ("je vais dire adieu.\nà mon forfait je ne pense plus", True),
        ("adieu la grisaille. adieu tout le monde", True),
        ("je dis adieu à mon forfait. Adieu à vous aussi", True),
        # a question or exclamation mark and an ellipsis pause one utterance in chats
        ("adieu ! la grisaille, enfin", False),
        ("adieu ? la grisaille, oui", False),
        ("adieu... la grisaille s'en va", False),
        ("le prix passe de 3.5 à 4 euros, adieu la grisaille", False),
    ],
)
def test_an_exception_stops_at_a_sentence_end(text: str, counts: bool) -> None:
    decision = _one_sentence_exceptions().decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert (decision.scenarios == ["adieu"]) is counts


def test_a_real_farewell_after_a_full_stop_is_urgent(shipped: Playbook) -> None:
    text = "Merci pour tout, je vais dire adieu. Ce compte ne servira plus, je serai plus là demain"
    assert severity(shipped, text) == "S4"


RESIGNATIONS = [
    "prenez soin de vous, c'est mon dernier jour chez Ferlis",
    "c'est mon dernier jour au magasin, prenez soin de vous les collègues",
    "prenez soin de vous, c'est mon dernier jour de boulot avant la retraite",
    "dernier jour de mon CDD aujourd'hui, prenez soin de vous tous",
    "c'est ma dernière garde cette nuit, prenez soin de vous",
    "mon contrat se termine, c'est mon dernier jour, prenez soin de vous",
    "je quitte la boîte, c'est mon dernier jour, prenez soin de vous",
    "je démissionne, dernier service ce soir, prenez soin de vous",
    "chers collègues, dernier jour pour moi à l'agence, prenez soin de vous",
    "pot de départ vendredi, mon dernier jour, prenez soin de vous",
]

FAREWELLS = [
    "prenez soin de vous, je ne serai plus là demain",
    "c'est mon dernier jour, prenez soin de vous, je ne serai plus là demain",
    "c'est mon dernier jour sur terre, prenez soin de vous",
    "je quitte la boîte vendredi. et après je veux mourir, prenez soin de vous",
    "adieu à tous, c'est mon dernier message, je ne veux plus vivre",
    "je suis un fardeau pour eux, prenez soin de vous",
    "mon dernier jour chez moi avant la rue, je veux en finir",
    "merci pour tout, prenez soin de vous, j'ai laissé une lettre pour ma mère",
    "c'est ma dernière nuit, demain je me jette sous le train, prenez soin de vous",
    "je vais en finir ce soir, prenez soin de vous",
]


@pytest.mark.parametrize("text", RESIGNATIONS)
def test_a_resignation_is_not_a_farewell(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize("text", FAREWELLS)
def test_a_farewell_without_a_job_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


VEILED = [
    "Je sais où vous mettez cette guichetière. Elle a une petite fille. Ce serait dommage.",
    "votre conseiller il a un fils à l'école de Vitry, jdis ça jdis rien",
    "le livreur de ce matin, je le suivrai jusqu'à chez lui s'il le faut",
    "on va la suivre jusque chez elle, la caissière du soir",
    "le chauffeur a deux gosses, ce serait dommage qu'il leur arrive quelque chose",
    "j'ai déjà repéré où elle dort, à bon entendeur",
    "le vendeur qui m'a arnaqué va le payer physiquement",
    "je vais te suivre jusqu'à chez toi, tu verras",
    "elle a des enfants. ce serait bête.",
    "ta collègue de l'accueil a une fille, je dis ça je dis rien",
]

NOT_VEILED = [
    "elle a une petite fille adorable, ce serait dommage de rater sa fête",
    "je suis mon colis jusqu'à chez moi grâce à l'appli",
    "je vous suis depuis des années, jdis ça jdis rien mais le service a baissé",
    "ce serait dommage de supprimer la ligne de nuit",
    "il a des enfants et un chien, on a fait une photo de famille",
    "on suit la conductrice sur Instagram, elle a une fille trop mignonne",
    "t'as des gosses ? moi deux, je dis ça comme ça pour les places famille",
    "ce serait dommage que la boutique ferme, elle a une fille qui y travaille",
    "qui va payer la facture physiquement ? le relevé papier n'arrive plus",
    "je suivrai le trajet jusqu'à chez ma mère sur l'appli",
]


@pytest.mark.parametrize("text", VEILED)
def test_a_veiled_threat_to_a_person_is_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", NOT_VEILED)
def test_family_talk_and_regrets_are_not_threats(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"
