"""The likeliest correction of a typo comes first (canned_replies.typo_channel), own sentences."""

import pytest

from canned_replies import proofread, spelling_candidates
from canned_replies.typo_channel import slip_cost


def test_likely_slips_cost_less_than_unrelated_letters():
    assert slip_cost("anées", "années") < slip_cost("anées", "anses")  # a doubled letter missed
    assert slip_cost("pqs", "pas") < slip_cost("pqs", "pis")  # q is next to a on AZERTY
    assert slip_cost("crême", "crème") < slip_cost("crême", "crâne")  # an accent only
    assert slip_cost("fèts", "faits") < slip_cost("fèts", "fats")  # written by ear
    assert slip_cost("rizque", "risque") <= slip_cost("rizque", "risquer")


@pytest.mark.usefixtures("grammalecte")
def test_words_spelled_by_ear_are_candidates():
    assert "faits" in spelling_candidates.by_ear("fèts")
    assert "risques" in spelling_candidates.by_ear("riskes")
    assert "mais" in spelling_candidates.by_ear("mès")


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Nous vous remercions depuis des anées de votre fidélité.", "anées", "années"),
        ("Votre colis a bien eu lieh mardi, enfin sa livraison.", "lieh", "lieu"),
        ("Nous avons choisi une taile plus grande pour vous.", "taile", "taille"),
        ("Les frais de perfussion sont remboursés.", "perfussion", "perfusion"),
        ("Ce sont des fèts que nous regrettons.", "fèts", "faits"),
        ("Nous comprenons les riskes de retard.", "riskes", "risques"),
        ("Merci, mès nous ne pouvons pas vous rembourser.", "mès", "mais"),
        ("Le magasin ouvre à cinq heuree du matin.", "heuree", "heures"),
        ("Le conseiller vient de terminr votre dossier.", "terminr", "terminer"),
        ("Vous avez envie de mangr sur place ?", "mangr", "manger"),
        ("Le technicien a evalue les dégâts.", "evalue", "évalué"),
        ("Nous sommes les premiers abolitionistes du papier.", "abolitionistes", "abolitionnistes"),
    ],
)
def test_first_suggestion_is_the_likeliest_slip(text, word, fix):
    found = [f for f in proofread(text, "fr") if text[f.start : f.end] == word]
    assert found and found[0].blocking and found[0].suggestions[0] == fix


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    "text",
    [
        "Écoutez la radio 98,2 kbzt ce soir.",  # a call sign, two slips from "kart"
        "Nous avons goûté le bocci au marché.",  # a foreign word, two slips from "bock"
        "Fraize Campbell, notre conseiller, vous rappellera.",  # a first name and a surname
    ],
)
def test_codes_foreign_words_and_names_do_not_block(text):
    assert not [f for f in proofread(text, "fr") if f.blocking and f.kind == "spelling"]


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Bonjuor Camille, votre colis est parti.", "Bonjuor"),
        ("Ca marche, Camille.", "Ca"),
        ("Nous vous envoyons le colis demian.", "demian"),
        ("Merci pour vou message.", "vou"),
    ],
)
def test_slips_still_block(text, word):
    found = [f for f in proofread(text, "fr") if text[f.start : f.end] == word]
    assert found and found[0].blocking
