"""An -er infinitive after a "c'est" opening its clause is the participle; a pseudo-cleft
("Aimer, c'est donner") and an infinitive with its own complement keep the infinitive.
Sentences written for these tests."""

import pytest

from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("C'est compliquer, je sais.", "compliquer", "compliqué"),
        ("Si ce n'est pas préciser dans le contrat, appelez-nous.", "préciser", "précisé"),
        ("Je pense que c'est indiquer sur le site.", "indiquer", "indiqué"),
        ("Oui, c'était envoyer par courrier.", "envoyer", "envoyé"),
    ],
)
def test_infinitive_after_cest_is_the_participle(text: str, word: str, fix: str) -> None:
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    "text",
    [
        "Aimer, c'est donner.",
        "Le plus dur, c'est patienter.",
        "Ce que je veux, c'est appeler le service client.",
        "Ce n'est pas manger qui compte.",
        "C'est donner à manger aux animaux qui les occupe.",
        "C'est léger.",
    ],
)
def test_pseudo_clefts_keep_the_infinitive(text: str) -> None:
    assert blocking_fixes(text) == {}
