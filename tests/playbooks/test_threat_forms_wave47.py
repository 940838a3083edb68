"""Explicit threats the lexicons missed, and a tenderness that says a threat for a laugh
(wave 47, issue 13).

- "figuré" folds to "figure": the admitted-figure guard read "je vais te casser la figure" and
  "ce n'est pas une figure de style" as the writer owning up to an image. It now needs "au",
  "du" or "une figure de style", and a denied one ("pas une figure de style") is no admission.
- One list of subjects and one of gestures that only aim at a life, instead of a line per
  subject that forgot some ("je veux l'étrangler", "jvais vous empoisonner", "je vous
  abattrai" were S1); the elided object "l'" only before those ("je vais l'égorger"), not
  before a thing one fells, lights or finishes ("le sapin, je vais l'abattre").
- A mutilation promised with the dative pronoun ("je lui arrache la langue"), someone pushed
  under a train ("je le pousse sous le TGV"), a blow then the staff who takes it ("je mets un
  coup de tête au contrôleur", "je défonce la gueule du gérant"), a blow received in the future
  with "un" ("il prendra un coup de couteau").
- A staff member after an infinitive gesture, whatever the subject ("je veux tuer la
  caissière", "j'ai envie d'égorger le vigile", "je vais aller tuer l'agent": each subject had
  its own list); "ton collègue" is staff; "me poignarder", "m'égorger".
- Distress with a means or a place after "me tuer", "me jeter" ("je vais me tuer aux
  médicaments", "me jeter au fond du ravin"): the exceptions for "me tuer au travail", "me
  jeter à l'eau" swallowed them.
- Read from probe 22 after its one read: a knee broken ("je t'explose la rotule"), someone
  "received" with a weapon ("je le reçois à la fourche"), a gunshot into what they drive; and in
  distress, the place one hangs oneself ("me pendre au garage": "me pendre à/au" alone stays
  the figure of "au téléphone", "au cou de") and a pardon asked of whoever finds the writer.
- A tenderness right after a threat, where a laugh would make it a joke ("je te bute 😘"), makes
  it one too, unless the threat is targeted ("je sais où tu habites 😘").

Every sentence is written for these tests (none is a probe row).
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity

URGENT = [  # threats, then distress
    "je vais te casser la figure",
    "Si je le recroise je vais lui refaire la figure, à ce vendeur.",
    "Je vais mettre le feu à votre agence, et ce n'est pas une figure de style.",
    "Le guichetier de ce matin, je vais l'égorger.",
    "Cette caissière je vais l'étrangler de mes propres mains.",
    "Le prochain agent qui me fouille, je lui arrache les yeux.",
    "je vais te crever les yeux si tu recommences",
    "Remettez-moi une amende et je le pousse sous le train, votre contrôleur.",
    "je vais la jeter sur les rails ta collègue",
    "Demain je mets un coup de boule au vigile, c'est décidé.",
    "si mon colis n'arrive pas je casse la gueule du livreur",
    "Au prochain retard le chef de bord prendra un coup de couteau.",
    "Je sais où tu habites 😘",
    "Je t'attends au stade et je t'explose la rotule.",
    "je veux l'étrangler cette guichetière",
    "jvais vous empoisonner tous au self",
    "Je vous abattrai un par un.",
    "on va t'immoler devant ton agence",
    "je veux tuer la caissière qui m'a humilié",
    "j'ai envie d'égorger le vigile de ce magasin",
    "Je vais aller tuer l'agent du guichet 4.",
    "je vais étrangler ton collègue s'il me rappelle",
    "Le prochain livreur qui entre dans ma cour, je le reçois au fusil.",
    "je lui mets un coup de fusil dans le pare-brise, à ce chauffeur",
    "Je vais tuer le type qui a frappé ma sœur.",
    "Je vais me pendre au garage ce soir, je n'en peux plus.",
    "Demain j'irai me pendre au portail de l'entrepôt qui m'a licencié.",
    "J'ai tout préparé. Pardon à celui qui me trouvera.",
    "Je vais me tuer aux médicaments ce soir.",
    "ce soir je me tue au fusil de chasse",
    "Je vais me jeter au fond du ravin après le dernier train.",
    "je vais me poignarder ce soir, je n'en peux plus",
]

LOOK_ALIKES = [
    "Le quai est verglacé, je me suis cassé la figure en descendant du train.",
    "Avec vos marches glissantes vous allez vous casser la figure, c'est dangereux.",
    "Je vais le tuer, au figuré bien sûr : il m'a encore piqué mon chargeur.",
    "Mon téléphone, je le jette par la fenêtre si l'appli plante encore.",
    "Je vais lui couper les cheveux moi-même, votre coiffeur est fermé.",
    "Ce retard me casse la tête, je rate mon rendez-vous.",
    "Je mets un coup de tête au ballon et mon fils rigole, quel match 😅",
    "attention tu vas te casser la gueule sur ce quai gelé",
    "mon chéri a oublié le pain, je vais le tuer 😘",
    "si tu me refais louper le dernier train je te bute ❤️",
    "Je me suis explosé le genou au foot, je dois annuler mon billet.",
    "Le vieux sapin du jardin, je vais l'abattre demain.",
    "Je vais vous empoisonner avec mes questions sur le remboursement.",
    "Je vais te mitrailler de photos au mariage, prépare-toi.",
    "Le carton est scotché de partout, je vais l'éventrer.",
    "Je vous reçois au guichet 3, nous a dit l'agent.",
    "Ses blagues sont si nulles, je l'achève à coups de croissant 🥐 nan j'adore ce mec",
    "Je vais encore me pendre au téléphone avec votre hotline pendant une heure.",
    "Ma fille va se pendre au cou du contrôleur, il lui a rendu son doudou.",
    "Merci d'avance à celui qui me trouvera une place dans le TGV de 18h.",
    "Je me tue au travail pour une prime que vous ne versez jamais.",
    "Je me tue à vous le répéter : le colis n'est jamais arrivé.",
    "Je vais me jeter à l'eau et postuler chez vous.",
    "J'aimerais tuer le temps avant mon train, le contrôleur a une idée ?",
    "Encore un lundi sans train, je vais m'immoler devant la machine à café 🙃",
]


@pytest.mark.parametrize("text", URGENT)
def test_explicit_threats_and_distress_are_urgent(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) == "S4"


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_stay_below_s4(shipped: Playbook, text: str) -> None:
    assert severity(shipped, text) != "S4"
