"""Wave 13 (issue 13, judge13d): the grammar of distress in the shipped French playbooks.

Every sentence is written for these tests. They check constructions, not sentences: a
violence verb aimed at oneself followed by nothing, a means or a place of death ("me tirer une
balle", "me jeter sous le prochain TER", "me pendre à une poutre", "me noyer dans le canal")
is a plan, whatever the intention's wording or tense ("il me reste plus qu'à", "autant",
"je me tuerai la semaine prochaine"); the same verb followed by an ordinary thing, activity or
place ("me jeter dans la file d'attente", "me pendre à la poignée du métro", "me tuer à vous
le dire", "me flinguer la santé", "me noyer sous les relances") is an image. Being there is
useless ("ça sert à rien que je sois là"), nobody noticing ("personne ne le remarquera si
je…"), everyone better off: distress. A last message about a complaint, ending a
subscription, a character in a film: not.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook

from .conftest import MONDAY_MORNING


def severity(pb: Playbook, text: str, lang: str = "fr") -> str:
    return pb.decide(MentionInput(text, lang=lang), now=MONDAY_MORNING).severity


@pytest.mark.parametrize(
    "text",
    [
        # the plan with no complement, any wording of the intention
        "je vais me tirer une balle",
        "il me reste plus qu'à me tirer une balle",
        "autant me tirer une balle tout de suite",
        "plus qu'à me foutre en l'air",
        "jvais me foutre en lair",
        "je me tuerai la semaine prochaine",
        "je vais me couper encore ce soir",
        # the complement is a means or a place of death
        "je vais me pendre à la poutre du garage",
        "je vais me pendre au plafond de ma chambre",
        "je vais me jeter dans le canal",
        "je vais me jeter à la mer du haut de la falaise",
        "je me noierai dans le canal ce soir",
        "je suis à deux doigts de me jeter sous le prochain TER",
        "je vais me tuer au volant",
        "j'ai acheté des médocs pour en finir",
        "je veux en finir avec cette vie",
        # being there is useless; nobody would notice; everyone better off
        "ça servirait à rien que je sois là",
        "ça sert plus à rien que je sois en vie",
        "franchement à quoi bon que je sois encore en vie",
        "j'ai plus la force d'être là",
        "personne remarquera si je me tue",
        "personne ne le remarquera si je pars",
        "personne ne s'apercevra de rien si je meurs",
        "qui remarquerait si je disparaissais",
        "vous serez tous mieux sans moi",
        "je suis de trop sur cette terre",
        # "jpp" is "j'en peux plus", not a laugh
        "je vais me jeter par la fenêtre, j'en peux plus de cette vie",
        # English mixed into French
        "jpp i want to die",
    ],
)
def test_plans_and_wishes_to_die_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        # the complement is an ordinary place, thing or activity
        "je vais me jeter dans la gueule du loup en appelant votre hotline",
        "je vais me jeter dans les bras de la concurrence",
        "je vais me jeter dans mon lit en rentrant",
        "on se jette dans la foule pour monter dans le RER",
        "je vais me pendre à la hotline encore une heure",
        "je me pends à la poignée du métro tous les matins",
        "je me pends au téléphone tous les matins avec vous",
        "je me tue à vous dire que le quai est glissant",
        "je me tuerai à la tâche jusqu'à la retraite",
        "mon fils m'a dit qu'il allait se tuer à la console jusqu'à minuit",
        "je vais me flinguer le moral avec les infos",
        "je vais me foutre en l'air la soirée",
        "je me flingue la santé à faire ces trajets",
        "je vais me noyer dans la paperasse",
        "j'ai failli me noyer sous les relances",
        "je vais me couper les ongles en attendant",
        "je me coupe du monde pendant les vacances",
        "je vais me tirer une balle dans le pied si je résilie",
        "je me suis pendue à la rambarde tellement le train freinait",
        # the brand's thing as the instrument or the cause of the wish
        "ce prix c'est du vol, je vais me pendre avec vos tarifs",
        "votre appli me donne envie de me tirer une balle",
        "ces annonces me donnent envie de me jeter par la fenêtre",
        # a contract, a subscription, a file: not a life
        "je vais en finir avec ce forfait, je résilie",
        "je veux en finir avec cette histoire de remboursement",
        "je veux disparaître de votre fichier client",
        "je vais disparaître sous ma couette jusqu'à lundi",
        "c'est mon dernier message avant de résilier",
        "plus envie de rien faire ce dimanche",
        "ça sert à rien que je vous appelle",
        # emotions, effort, someone else's anger, fiction
        "je vais mourir d'ennui à ce rythme",
        "je vais mourir si je dois encore attendre 1h",
        "je vais me faire tuer par ma mère",
        "le personnage se suicide à la fin, quel film",
        "dans le jeu mon perso s'est suicidé en sautant du pont lol",
        "j'ai perdu au jeu, mon perso est mort en tombant du pont",
        "j'ai joué à un jeu où on doit sauter d'un pont à l'autre",
        # denied without "ne", as people speak
        "je plaisante hein, je vais pas me pendre pour ça",
        "je n'ai pas envie de mourir, j'ai envie d'un train à l'heure",
    ],
)
def test_images_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4", text


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("i want to kill myself", True),
        ("nobody would notice if i died", True),
        ("this delay is killing me", False),
        ("i died laughing at your ad", False),
    ],
)
def test_english(rail: Playbook, text: str, urgent: bool) -> None:
    assert (severity(rail, text, "en") == "S4") == urgent, text


@pytest.mark.parametrize(
    ("text", "urgent"),
    [("je vais me jeter dans la Loire", True), ("je me jette dans la file d'attente", False)],
)
def test_another_shipped_playbook_reads_the_same(shop: Playbook, text: str, urgent: bool) -> None:
    assert (severity(shop, text) == "S4") == urgent, text
