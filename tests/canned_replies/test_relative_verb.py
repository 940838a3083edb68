"""The verb after a relative "qui" (canned_replies/relative_verb.py, quantity_agreement.py,
noun_phrase_agreement.py): it agrees with the noun "qui" takes up, also when that noun follows
a quantity ("plein de gens qui") or when the verb's form is also a noun or participle ("qui
produit"); with "être", an attribute agreeing with the antecedent shows the verb is the slip,
and Grammalecte's fix of the attribute beside it is dropped.

Sentences written for these tests (customer-service and chat style), not taken from any data
set."""

import pytest

from canned_replies import proofread
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        # a quantity, "de", a plural noun: "qui" takes up the noun
        ("Il y a beaucoup de gens qui pense que la boutique est fermée.", "pense", "pensent"),
        ("Y a plein de clients qui attend depuis une heure.", "attend", "attendent"),
        ("Il y a peu de magasins qui vend ce modèle.", "vend", "vendent"),
        ("J'ai vu d'autres clients qui se plaint du même problème.", "plaint", "plaignent"),
        # right after "qui", a form that is also a noun or a participle is the verb
        ("Il y a tellement de gens qui fait la queue.", "fait", "font"),
        ("Ces nuages qui produit de la grêle abîment les voitures.", "produit", "produisent"),
        # "être" between an antecedent and an attribute that agree with each other
        ("Je pensais à mon neveu qui étaient né en avance.", "étaient", "était"),
        ("Je parle des semi-conducteurs, qui est presque entièrement produits ici.", "est", "sont"),
        ("Les colis qui est arrivés hier sont abîmés.", "est", "sont"),
    ],
)
def test_verb_after_qui_blocks_with_the_fix_first(text, word, fix):
    assert blocking_fixes(text).get(word) == fix


@pytest.mark.parametrize(
    ("text", "verb", "attribute"),
    [
        ("Les colis qui est arrivés hier sont abîmés.", "est", "arrivés"),
        ("Les commandes qui a été livrées hier sont complètes.", "a", "livrées"),
    ],
)
def test_the_attribute_agreeing_with_the_antecedent_is_not_fixed(text, verb, attribute):
    """Fixing the attribute to the wrong verb would make two mistakes of one."""
    found = {text[f.start : f.end] for f in proofread(text) if f.blocking}
    assert verb in found
    assert attribute not in found


@pytest.mark.parametrize(
    "text",
    [
        "Il y a beaucoup de gens qui pensent que la boutique est fermée.",
        "Y a plein de monde qui attend depuis une heure.",
        "Les femmes qui ont fait une demande n'ont reçu aucune réponse.",
        "Les clients qui avaient déjà fait une demande seront rappelés.",
        "Mes amis qui sont venus hier ont adoré.",
        "La dame qui était malade va mieux.",
        "Le prix des billets qui sont vendus en ligne est plus bas.",
        "Un des conseillers qui sont présents vous répondra.",
    ],
)
def test_correct_sentence_is_not_blocked(text):
    assert blocking_fixes(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        # two antecedents joined: the plural verb may take up both
        "J'ai rapporté quatre sacs et le coffre qui n'ont pas servi.",
        # a word unknown to the dictionary before "du": "qui" may take up either noun
        "Les youtubeurs du quartier qui font des vidéos sont venus.",
        # chat's "faut" without its "il" is not the subject's verb
        "Les gens qui trichent faut les signaler au support.",
    ],
)
def test_either_antecedent_is_not_blocked(text):
    assert blocking_fixes(text) == {}
