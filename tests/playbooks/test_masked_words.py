"""Censored insults ("c*nnard", "gue#le", "pu+e", "enc***é") read as the word they hide
(issue 13, part 2), and the look-alikes that must not: handles, e-mails, ratings, footnotes,
emphasis, language names, passwords. Every sentence is written for these tests."""

from __future__ import annotations

import pytest

from playbooks import MentionInput, Playbook
from playbooks.masks import Unmasker
from playbooks.normalize import normalize

from .conftest import MONDAY_MORNING


def decide(pb: Playbook, text: str):
    return pb.decide(MentionInput(text, channel="x"), now=MONDAY_MORNING, explain=True)


@pytest.mark.parametrize(
    "text",
    [
        "t'es qu'un c*nnard, rends-moi mon billet",
        "le contrôleur est un c**nard",
        "ce guichetier est une s*lope",
        "ferme ta gue*le le bot",
        "ferme ta gue#le",
        "va te faire f**tre avec ton retard",
        "bande d'enc***és, encore une heure",
        "quelle p*te cette appli",
        "une vraie pu+e ce service",
        "vieux C*NNARD!",
        "espèce de c#nnard",
        "quelle m*rde ce service, bande de nuls",
        "vieux k0nn*rd",  # leetspeak and a mask in one word
        # already handled before masks: leetspeak and spaced letters
        "c@nnard de chauffeur",
        "t'es qu'une s@lope",
        "le c.o.n.n.a.r.d du guichet",
        "le c o n n a r d du guichet",
        "sale k0n",
        "t'es qu'une b!te",
    ],
)
def test_masked_insults_are_flagged(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity in ("S3", "S4"), text


@pytest.mark.parametrize(
    "text",
    [
        "merci @c_nnard_officiel pour la réponse",  # a handle
        "écrivez à c*nnard@exemple.fr pour le remboursement",  # an e-mail
        "voir https://exemple.fr/c*nnard pour les horaires",  # a URL
        "hôtel 5* près de la gare, train à l'heure",  # a rating
        "service noté 4/5* ce matin",
        "★★★★☆ trajet agréable",
        "*Attention* : travaux ce week-end sur la ligne",  # emphasis
        "**Info trafic** la ligne reprend",
        "voir la note* en bas de page",  # a footnote
        "je code en C* et en C# dans le train",  # language names
        "mot de passe: ab*cd ne marche pas sur l'appli",  # a password
        "le tr*in de 8h est en retard",  # fits a word of another term
        "rock*n*roll dans le wagon bar",
        "prix 5*3 euros le sandwich",
        "#retard #sncf encore",  # hashtags
    ],
)
def test_look_alikes_are_not_flagged(rail: Playbook, text: str) -> None:
    assert decide(rail, text).severity not in ("S3", "S4"), text


def test_evidence_points_at_what_was_written(rail: Playbook) -> None:
    for text, written in [
        ("ce guichetier est un c*nnard", "c*nnard"),
        ("bande d'enc***és, encore une heure", "enc***és"),
    ]:
        d = decide(rail, text)
        spans = {text[s:e] for ev in d.evidence for s, e in ev.spans}
        assert written in spans, (text, spans)


def test_unresolved_masks_stay_word_boundaries() -> None:
    # without a playbook's vocabulary, and for what fits nothing, the old reading holds
    assert normalize("t'es qu'un c*nnard").text == " t es qu un c nnard "
    assert normalize("bonjour @c*nnard").text == " bonjour c nnard "
    assert normalize("C++ et C#").text == " c et c "
    unmask = Unmasker(["connard"], [], []).resolve
    assert normalize("mot de passe ab*cd", unmask).text == " mot de passe ab cd "


def test_unmasker_rules() -> None:
    u = Unmasker(["connard", "crevard", "pute", "salope"], ["gueule"], ["train", "pote"])
    assert u.resolve("c*nnard") == "connard"
    assert u.resolve("c**nard") == "connard"  # a run of masks: one letter or more
    assert u.resolve("c***ard") is None  # connard or crevard: ambiguous
    assert u.resolve("p*te") is None  # pute or pote: another term's word competes
    assert u.resolve("tr*in") is None  # only a harmless word fits
    assert u.resolve("gue*le") == "gueule"  # a word of a hostile phrase when no term fits
    assert u.resolve("c***a*d") is None  # more masked than known letters
    assert u.resolve("s**e") is None  # two known letters: the masks are letters one for one
