""" "a" that only the preposition fits (canned_replies/homophone_a.py): after "par rapport",
after "prêt" before an infinitive or "l'emploi", and before "l'époque". Quiet where "prêt" or
"rapport" is the subject of "a".

Sentences written for these tests (customer-service style), not taken from any data set."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    "text",
    [
        "Le prix a baissé de 10 % par rapport a l'an dernier.",
        "Un kit prêt a l'emploi vous sera envoyé.",
        "Notre agence, a l'époque, était fermée le lundi.",
    ],
)
def test_a_as_preposition_blocks_with_the_fix_first(text):
    assert blocking_fixes(text).get("a") == "à"


@pytest.mark.parametrize(
    "text",
    [
        "Le prêt a une durée de dix ans.",
        "Le prêt a été accordé hier.",
        "Le rapport a un défaut de mise en page.",
        "Notre conseiller a l'habitude de ces dossiers.",
        # a plural complement of a participle, the subject further back
        "La vendeuse qui m'a aidée devant les clients a un très bon sens du service.",
    ],
)
def test_a_as_verb_is_not_blocked(text):
    assert "a" not in blocking_fixes(text)
