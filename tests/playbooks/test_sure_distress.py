"""Distress the scorer is sure of, without the cue gate, where nothing says the writer means
to be there tomorrow (issue 13, wave 37).

`detresse_modele` needs a cue named (death, an end, a means, despair, a farewell): many
indirect statements name none ("j'ai donné mon vélo et mes livres, merci pour tout").
`detresse_modele_fort` (self_harm ≥ 0.9) drops the cue, keeps its sibling's exceptions and
reads none of a writer's ordinary plans: a departure explained (a job, an account, holidays),
a delivery or an appointment placed on a later day, a move, a customer going elsewhere or
placing a last order, thanks for help that close an exchange; nor a gesture named that the
grammar reads as an image ("me foutre en l'air la soirée"). The scorer's probabilities are
held at a sure value, so each sentence tests the guard, not the weights; every sentence is
written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

SURE = "detresse_modele_fort"


def fired(pb: Playbook, text: str) -> bool:
    decision = pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    return SURE in decision.scenarios


@pytest.mark.parametrize(
    "text",
    [
        "j'ai donné mon vélo et mes livres aux voisins, je n'en aurai plus besoin",
        "plus rien n'a de sens depuis l'automne, je range tout proprement",
        "mon chat ira chez ma sœur, tout est prêt, je suis calme maintenant",
    ],
)
def test_a_statement_the_scorer_is_sure_of_is_urgent_without_a_cue(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.95}
    assert fired(shipped, text), (shipped.brand, text)
    held_at.held = {"self_harm": 0.85}
    assert not fired(shipped, text), (shipped.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        # a departure explained: a job, an account, a service, holidays
        "c'est mon dernier jour chez vous, je pars à la retraite, merci pour tout",
        "je supprime mon compte ce soir, vous n'aurez plus de mes nouvelles",
        "je pars en vacances demain, plus de nouvelles pendant trois semaines",
        # a delivery or an appointment placed on a day the writer will be there
        "je ne serai pas chez moi mercredi, passez jeudi s'il vous plaît",
        "absente toute la semaine, merci de décaler la livraison",
        "je voudrais suspendre mon abonnement le temps de mon séjour à l'hôpital",
        # a move, a customer going elsewhere, a last order
        "je déménage en Bretagne, adieu la ligne 4 et ses pannes",
        "je m'installe à Lyon le mois prochain, il me faut un nouveau contrat",
        "tant pis, j'achèterai ailleurs, vous ne me reverrez plus",
        "c'est la dernière fois que je commande chez vous, trois semaines pour un carton vide",
        # thanks that close an exchange
        "tout est réglé de mon côté, merci pour votre aide et bonne soirée",
        # a gesture named, read by the grammar as an image
        "je vais me tuer à la tâche pour finir ce dossier",
    ],
)
def test_ordinary_plans_keep_the_sure_tier_quiet(
    shipped: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.99}
    assert not fired(shipped, text), (shipped.brand, text)


def test_a_farewell_with_a_gift_to_another_is_no_plan(
    shipped: Playbook, held_at: HeldScorer
) -> None:
    """A delivery to someone else is a disposition, not the writer's own later day."""
    held_at.held = {"self_harm": 0.95}
    text = "merci de livrer le dernier colis à ma voisine, je ne pourrai plus le recevoir"
    assert fired(shipped, text), shipped.brand


@pytest.mark.parametrize(
    "text",
    [
        # a customer's accounts closed at the brand: no disposition of one's affairs
        "voilà, j'ai fermé tous mes comptes chez vous après vingt ans, bonne continuation",
        "je vais clôturer tous mes comptes chez vous, merci pour tout et au revoir",
        # the end of a tie with a thing or a service, not of a life
        "c'est la fin pour moi avec votre appli, je la désinstalle",
        "c'est la fin pour moi chez vous, je résilie demain",
        # an ordinary plan beside a weary word
        "plus la peine de m'appeler, j'ai trouvé ailleurs, au revoir",
    ],
)
def test_a_customer_leaving_the_brand_is_not_urgent(shipped: Playbook, text: str) -> None:
    """Closings the rules sent to S4 before wave 37 (found by the look-alikes written for it);
    the real scorer decides."""
    decision = shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity != "S4", (shipped.brand, text, decision.scenarios)


@pytest.mark.parametrize(
    "text",
    [
        "c'est la fin pour moi, je n'en peux plus",
        "j'ai fermé tous mes comptes, laissé une lettre, merci pour tout",
    ],
)
def test_the_same_words_without_the_brand_stay_urgent(shipped: Playbook, text: str) -> None:
    decision = shipped.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING)
    assert decision.severity == "S4", (shipped.brand, text, decision.scenarios)
