"""The indirect suicidal statement: a life without purpose said without a word of death (issue 13,
wave 61).

« Je ne vois plus l'intérêt de continuer », « je suis arrivée au bout », « je n'avais pas prévu de
revenir », a trip denied (« je pars bientôt, et pas en vacances ») are distress cues: with the
model's `self_harm` score (held at 0.6 here, so each sentence tests the cue, not the weights)
`detresse_modele` sends them to S4; the same words with no score stay below, and a move denied
no longer explains a farewell. Every sentence is written for this test.
"""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook, load_playbook_file, shipped_playbook_path
from playbooks.scorer.held import HeldScorer

from .conftest import MONDAY_MORNING

INDIRECT = [
    "Franchement je ne vois plus l'intérêt de continuer, tous les matins le même quai gris.",
    "Licenciée, expulsée, et maintenant plus rien. Je crois que je suis arrivée au bout.",
    "Mon badge sera désactivé vendredi, je n'avais pas prévu de revenir après.",
    "Je compte partir bientôt, et pas en vacances. Merci pour les années de service.",
    "Se lever, prendre le RER, rentrer. Continuer, pour quoi faire ?",
    "Ne m'envoyez plus rien. Ce n'est pas parce que je déménage, c'est que je ne serai plus là.",
]


@pytest.fixture(scope="module", params=("demo-rail", "demo-shop"))
def demo(request: pytest.FixtureRequest) -> Playbook:
    return load_playbook_file(shipped_playbook_path(request.param))


def severity(pb: Playbook, text: str) -> str:
    return pb.decide(MentionInput(text, lang="fr"), now=MONDAY_MORNING).severity


@pytest.mark.parametrize("text", INDIRECT)
def test_an_indirect_statement_with_the_model_is_urgent(
    demo: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.6}
    assert severity(demo, text) == "S4", (demo.brand, text)


@pytest.mark.parametrize(
    "text",
    [
        # the same words in ordinary customer life, with no distress read by the model
        "Je ne vois plus l'intérêt de continuer mon abonnement, les trains sont toujours en retard.",
        "Je suis arrivé au bout de la ligne 4 sans contrôle, c'est normal ?",
        "Je ne suis pas en vacances, je travaille, pourquoi ce train est supprimé ?",
    ],
)
def test_the_same_words_without_the_model_stay_below_urgent(
    demo: Playbook, held_at: HeldScorer, text: str
) -> None:
    held_at.held = {"self_harm": 0.1}
    assert severity(demo, text) != "S4", (demo.brand, text)
