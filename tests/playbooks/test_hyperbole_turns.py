"""An act turned by the writer is an image, not an alarm (issue 13, wave 59).

A customer names a violent or deadly act and turns it at once: a harmless complement right
after it (« … en avis Google », « … de rire », « avec affection »), a taking back (« je vais rien
faire »), a setting that makes it impossible (« j'habite au rez-de-chaussée ») or a look for a
weapon (« d'un regard noir »). `menace`, the four distress scenarios and the model's threat
scenarios read such a post as an image; a threat's own words (a weapon, « de mes mains », « je
suis pas violent mais », a social network where one finds someone) are no turn. The scorer is held sure (threat and self_harm 0.95) so
each sentence tests the guard, not the weights; every sentence is written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING


@pytest.fixture(scope="module", params=("demo-rail", "demo-shop"))
def demo(request: pytest.FixtureRequest) -> Playbook:
    return load_playbook_file(shipped_playbook_path(request.param))


def severity(pb: Playbook, text: str) -> str:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


@pytest.mark.parametrize(
    "text",
    [
        # a harmless complement right after the act, across an ellipsis
        "Si vous annulez encore le 18h12 je fais un massacre… en avis Google, vous êtes prévenus",
        "Encore une panne de l'appli, je vais me pendre… de rire, tellement c'est devenu habituel",
        "Trois semaines pour un remboursement, je vais vous noyer sous mes réclamations",
        "je vais vous étrangler avec affection si vous me redemandez mon numéro client",
        "le vendeur m'a conseillé la bonne taille du premier coup, je vais le tuer de bonheur",
        # a taking back
        "Je vais étrangler la prochaine personne qui téléphone en haut-parleur, enfin non, je ferai rien, comme d'habitude.",
        "le distributeur m'a encore avalé ma carte, je vais tout casser… je vais juste soupirer très fort en fait",
        # a setting that makes the act impossible
        "Votre service client me donne envie de sauter par la fenêtre, heureusement j'habite au rez-de-chaussée",
        "Trajet de quatre heures debout, j'ai voulu me défenestrer mais les fenêtres ne s'ouvrent même pas",
        # a look or a thought for a weapon
        "le monsieur qui mange son kebab à côté de moi dans le car, je le bute du regard depuis Poitiers",
    ],
)
def test_a_turned_act_is_not_urgent(demo: Playbook, held_at: HeldScorer, text: str) -> None:
    held_at.held = {"threat": 0.95, "self_harm": 0.95}
    assert severity(demo, text) != "S4", (demo.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        # a threat's own complement after the act
        "je vais te tuer de mes propres mains, je sais à quelle heure tu finis",
        "je suis pas violent mais je vais te défoncer à la sortie du magasin ce soir",
        "je vais planter le contrôleur du 7h, il va comprendre, et je rigole pas",
        # the turn's words beside a real threat or a real farewell
        "je ne ferai rien de mal à personne, c'est à moi que je vais faire du mal ce soir, adieu",
        "je vais sauter du pont ce soir, de toute façon personne ne remarquera mon absence",
        "je vais me jeter sous le prochain train, je ne supporte plus de vivre",
        "je vais l'attendre à la fermeture avec un couteau et après je posterai sur Twitter",
        # a social network is where one finds someone; « pas violent, mais » and « dormir » are no turn
        "le livreur qui a jeté mon colis, je le retrouve sur Instagram et je lui casse les dents",
        "Je ne suis pas quelqu'un de violent d'habitude, mais votre directeur, je vais le tuer.",
        "je vais juste dormir ce soir et ne plus me réveiller, j'ai tout avalé",
        "je me suis jetée sous ce train en pensée cent fois, demain je le fais vraiment",
    ],
)
def test_an_act_not_turned_stays_urgent(demo: Playbook, held_at: HeldScorer, text: str) -> None:
    held_at.held = {"threat": 0.95, "self_harm": 0.95}
    assert severity(demo, text) == "S4", (demo.brand, text)
