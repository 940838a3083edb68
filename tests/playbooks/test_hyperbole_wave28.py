"""Wave 28 (issue 13, wp/hyper28): everyday hyperbole that borrows suicide and murder idioms.

Every sentence is written for these tests (none is a probe row). Each harmless one says WHY it
is not intent: the author admits the image ("façon de parler", "j'exagère"); a weapon emoji sits
beside praise or spending ("c'est une bombe 💣", "j'ai explosé mon budget 🔫💸"); "tuer
quelqu'un" hangs on a repeated annoyance ("… si on me fait encore patienter"); the gesture aims
at food or sales ("égorger le premier sandwich", "un carnage aux soldes"); the instrument is
derisory ("avec la touillette"); a laugh follows ("haha", "😅"); the trigger that comes back is a
thing ("à chaque fois que votre serveur vocal …"); the brand's thing is the cause ("vos pulls
sont tellement … que"); a parcel bomb in a comparison; "… m'a tuer" in the past. The intent
look-alikes must stay S4: the image denied ("ce n'est pas une façon de parler"), a threat
written in words beside the emoji, a condition in which someone hurts the author, a person or a
place as the target, a real means, a laugh taken back at once.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

HARMLESS = [
    # the image admitted, anywhere in the message
    "Vous aurez ma mort sur la conscience avec ces horaires, façon de parler hein",
    "je vais me pendre, j'exagère, mais trois relances pour une facture c'est trop",
    "bon je dramatise mais votre appli va finir par m'achever, je vais me jeter par la fenêtre",
    # a weapon emoji beside praise or spending
    "votre tiramisu c'est une bombe 💣 je recommande à tout le monde",
    "j'ai explosé mon budget cadeaux chez vous cette année 🔫💸",
    "ce rouge à lèvres est une arme de séduction 💣",
    # "tuer quelqu'un" on a repeated annoyance: nobody is aimed at
    "je vais tuer quelqu'un si on me fait encore patienter vingt minutes au standard",
    "je vais buter quelqu'un si l'appli me déconnecte encore une fois",
    # food and sales killed, not people
    "je vais égorger le premier sandwich que je vois, j'ai trop faim",
    "on va faire un carnage aux soldes demain les filles",
    # a derisory instrument
    "j'ai envie de m'ouvrir les veines avec ma touillette tellement ce café est tiède",
    "je vais me pendre avec la touillette du distributeur, trois euros le café",
    # a written laugh right after
    "j'avais envie de me jeter par la fenêtre hahaha trois heures à la caisse",
    "je vais me tirer une balle 😅 encore un colis perdu",
    "je vais vous tuer avec mes questions haha",
    # the trigger that comes back is a thing; a repeated annoyance with a shop's word
    "j'ai envie de me pendre à chaque fois que votre serveur vocal me raccroche au nez",
    "je vais me flinguer si la pointure 38 est encore en rupture demain",
    # the brand's thing gives the wish ("me donne envie", fixed: it never matched before)
    "votre musique d'attente me donne envie de me pendre",
    "cette hotline me donne envie de me jeter par la fenêtre",
    # the brand's thing as the cause of a consequence
    "vos pulls de ski sont tellement laids que j'ai envie de mourir, j'en veux trois",
    # a comparison; the idiom in the past
    "ce carton était scotché comme un colis piégé, impossible à ouvrir",
    "la prof d'anglais m'a tuer avec son oral surprise",
]

INTENT = [
    # the image denied
    "ce n'est pas une façon de parler : je vais me jeter sous le train ce soir",
    "j'exagère pas, je vais en finir ce soir, vous ne me reverrez plus",
    "c'est pas une image, j'ai les cachets devant moi et je vais tout avaler",
    "je ne le dis pas au figuré, je vais me pendre ce soir",
    # a threat written in words beside the emoji and the praise
    "je vais vous tuer 🔪 à la sortie, je recommande de pas traîner",
    "je vais égorger le contrôleur 🔪 c'est une bombe cette idée",
    "je sais où tu habites 💣 une bombe de surprise t'attend",
    "je passe à l'agence avec un couteau 🔪 partez avant midi, je recommande",
    # someone hurts the author; a person or a place as the target
    "je vais tuer quelqu'un si on me frappe encore dans ce train",
    "je vais égorger le premier contrôleur que je vois",
    "je vais faire un carnage à la gare demain matin",
    "si mon copain me frappe encore je me tue",
    "j'ai envie de mourir à chaque fois que mon mari me frappe",
    # a real means, an announced end with a trivial trigger
    "je vais m'ouvrir les veines avec la lame de mon rasoir ce soir",
    "je vais me pendre avec ma ceinture, personne ne me regrettera",
    "vous me refusez le remboursement, je vais en finir",
    # pain or one's life as the cause
    "ma vie est tellement vide que j'ai envie de mourir",
    # a laugh taken back at once
    "je veux mourir haha non sérieusement j'ai plus aucune raison de vivre, adieu",
    # a parcel bomb promised, not compared
    "je vais déposer un colis piégé devant votre agence",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_hyperbole_is_not_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"


@pytest.mark.parametrize("text", INTENT)
def test_intent_look_alike_stays_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"
