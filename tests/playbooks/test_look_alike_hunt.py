"""Two hunts of issue 13 (wave 42): threats and distress another writer phrased in ways the
grammar lacked, and harmless customer posts whose words look risky. Every sentence was written
for the hunt (none is a probe row); each playbook reads them alike."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING


def severity(pb: Playbook, text: str) -> str:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


URGENT = [
    # death foretold, no verb of violence
    "C'est fini pour toi, la responsable du magasin, ton heure est arrivée.",
    "Prépare ton cercueil, le conducteur du RER B.",
    "Considère-toi comme mort, le vendeur qui m'a refusé l'échange.",
    "Je reviendrai, et cette fois le vigile ne se relèvera pas.",
    # mass violence, armed arrival, coming to kill, the way home, the whole staff
    "Je vais foncer dans la foule du magasin avec ma voiture le jour des soldes.",
    "Je vais tirer sur les clients qui font la queue à la caisse.",
    "On arrive avec les couteaux, vous êtes prévenus au SAV.",
    "Tu veux vraiment que je vienne te casser les jambes ?",
    "Je connais le chemin de chez toi, la livreuse. Ferme bien ta porte.",
    "Je vais tuer tout le personnel de la gare.",
    # a poison drunk, every pill at once, death as a euphemism
    "Je vais boire de la mort-aux-rats ce soir, personne ne s'en rendra compte.",
    "Ce soir je prends tous mes médocs d'un coup avec une bouteille de vodka.",
    "D'ici dimanche je serai six pieds sous terre, c'est décidé.",
    "Je gâche la vie de tout le monde, il est temps que je m'efface pour toujours.",
]

HARMLESS = [
    # a product bought "la semaine dernière" is no last purchase
    "Le mixeur que j'ai acheté la semaine dernière ne marche plus.",
    "J'ai acheté une lampe lundi dernier, elle ne s'allume déjà plus, je peux l'échanger ?",
    "Mon père est décédé le mois dernier, comment résilier son abonnement ?",
    # an ordinary meaning of a word that is also a slur, a title
    "La pédale de mon vélo d'appartement s'est cassée au bout d'un mois, vous avez la pièce ?",
    "Le scooter de ma fille est bridé à 45 km/h, vous vendez des casques homologués ?",
    "Un raton laveur se promène sur le quai de la gare, prévenez la SPA.",
    "Le costume de bouffon du roi est arrivé sans le chapeau à grelots.",
    "Mon fils veut le vinyle de Suicide Squad pour Noël, il est en stock ?",
    # a witness quoting someone's threat after a verb of saying
    "Un homme a menacé la caissière en disant « je vais te buter », la police l'a arrêté.",
    # a word slipped that is no threat
    "Je vais disparaître de votre fichier client, merci de me désabonner.",
]


@pytest.mark.parametrize("text", URGENT)
def test_threats_and_distress_in_other_words_reach_s4(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4", text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_posts_with_risky_words_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in ("S3", "S4"), text


# The second pair of hunts (banter registers; insults and hate in tweet style).
SECOND_HARMLESS = [
    # a present-tense name-calling by someone else, reported
    "il y a un commentaire sous votre post qui traite les caissières de connasses, supprimez-le",
    # a work's title quoted
    "le roman « Tuez-les tous » est en vitrine à côté du Petit Prince, drôle de choix",
    # the knife emoji beside praise in the feminine
    "relu « Meurtre dans l'Orient-Express » dans le train de nuit, l'ambiance était parfaite 🔪",
    # the bread
    "une baguette et un bâtard aux céréales svp, vous livrez le dimanche ?",
]
SECOND_INSULTS = [
    "mais quel empaffé ce contrôleur",
    "c'est quoi cette boniche à la caisse qui mâche la bouche ouverte",
    "la meuf de la caisse c'est une tassepé",
]


@pytest.mark.parametrize("text", SECOND_HARMLESS)
def test_reported_titles_praise_and_bread_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in ("S3", "S4"), text


@pytest.mark.parametrize("text", SECOND_INSULTS)
def test_slang_insults_the_lexicon_lacked_are_flagged(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in ("S3", "S4"), text


# Hate the grammar lacked: exclusion in the active, replacement said otherwise, a disease or
# an insect, each read with a group named nearby; the same words about things stay as they were.
GROUP_HATE = [
    "les handicapés qui bloquent les portes avec leur fauteuil, on devrait les interdire de train",
    "faudrait interdire aux musulmans de bosser avec la nourriture",
    "les migrants qui fraudent dans le TER, qu'on les renvoie en pirogue",
    "cabasso fait de la pub avec des noirs, le message est clair, on nous remplace",
    "tous ces migrants c'est des sauterelles qui bouffent tout ce qu'on a",
    "les roms c'est une gangrène dans nos gares",
]
NO_GROUP = [
    "les retards c'est une gangrène, faites quelque chose",
    "au boulot on se fait remplacer par des machines",
    "on devrait interdire les trottinettes dans le train",
]


@pytest.mark.parametrize("text", GROUP_HATE)
def test_hate_in_constructions_the_grammar_lacked_is_flagged(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in ("S3", "S4"), text


@pytest.mark.parametrize("text", NO_GROUP)
def test_the_same_words_about_things_stay_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in ("S3", "S4"), text


# The author's own animal called a name is nobody addressed; the reader's animal, or the
# reader beside it, still is.
@pytest.mark.parametrize(
    "text",
    [
        "mon chien est un vrai bâtard, moitié labrador, le panier XL lui va parfaitement",
        "mon chat est une grosse feignasse, il dort sur le griffoir au lieu de griffer",
    ],
)
def test_the_authors_own_animal_called_a_name_stays_below_s3(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) not in ("S3", "S4"), text


@pytest.mark.parametrize(
    "text", ["ton chien est un bâtard comme toi", "mon chien est plus malin que toi, connard"]
)
def test_the_reader_beside_an_animal_is_still_insulted(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) in ("S3", "S4"), text


# Praise said to the brand in the words of an insult's frame ("vous êtes des génies",
# "espèce de génies") is no insult, whatever the scorer reads in "génies"; the same frame
# with an insult, or a praise noun bent to a fault ("génies de l'arnaque"), still is.
@pytest.mark.parametrize(
    "text, flagged",
    [
        ("Vous êtes des génies !", False),
        ("@Ferlis_Info espèce de génies, vous avez enfin mis des prises à chaque siège", False),
        ("vous êtes des génies de l'arnaque, bande de voleurs", True),
        ("vous êtes des connards", True),
    ],
)
def test_praise_in_an_insults_frame(shipped: Playbook, text: str, flagged: bool) -> None:
    assert (severity(shipped, text) in ("S3", "S4")) is flagged, text
