"""Wave 16 (issue 13, judgehyp): normative calls, denials, reports and games — rules only.

Every sentence is written for these tests. They check constructions: a norm, a wish or an
approving judgement before a gesture or a death aimed at a group (a noun of the gesture
included, "l'extermination des …"; a slogan without a verb, "la guillotine pour les …"; a
main clause opened by "que", "Que les … crèvent tous !") is a call; the same words with an
idea as object ("en finir avec les préjugés"), a past report, a death to be stopped or a
help needed are not. On the distress side, a wish denied with an adverb, prevention advice,
a relative's attempt dated long ago and a death inside a video game are not urgent, while
the last day said of oneself, belongings given away and being a burden to be freed from are.
"""

from __future__ import annotations

import pytest

from playbooks import Playbook

from .conftest import severity


@pytest.mark.parametrize(
    "text",
    [
        # an approving judgement, then "que", the group and its death
        "Il serait préférable que les musulmans meurent.",
        "Le mieux serait qu'ils crèvent tous, ces migrants.",
        # the wish as a main clause opened by "que"
        "Que les juifs crèvent tous !",
        "Qu'ils meurent, ces réfugiés.",
        # the right to live denied: the negation makes the call
        "Les homos ne devraient pas avoir le droit de vivre.",
        # the speakers as agents, "faudrait qu'on …"
        "faudrait qu'on leur tire dessus à ces Roms",
        # the gesture as a noun, after a stance or before a verdict
        "Je suis pour l'extermination des réfugiés.",
        "Le génocide des trans serait une bonne chose.",
        "Il faut mettre fin à l'existence des handicapés.",
        "Il est temps d'en finir avec les blacks.",
        # a slogan without a verb, a declared target
        "La guillotine pour les femmes !",
        "Les musulmans sont des cibles légitimes.",
        # death let happen under a norm, a life as the price, a need, an absolution
        "On devrait laisser les réfugiés crever.",
        "Faites payer les homos de leur vie.",
        "Les trans ont besoin d'être éliminés.",
        "Les blacks devraient être chassés et tués.",
        "Tuer les musulmans, ce n'est pas un crime.",
        "Ce serait bien que les femmes disparaissent pour de bon.",
    ],
)
def test_normative_calls_against_a_group_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "Que les migrants meurent en mer, ça ne vous choque pas ?",
        "Que les réfugiés meurent de faim, c'est une honte.",
        "Il serait préférable que les femmes soient mieux payées.",
        "Il vaudrait mieux que les blacks arrêtent de mourir sous les balles de la police.",
        "Le génocide des Arméniens a eu lieu en 1915.",
        "Je suis pour l'accueil des réfugiés.",
        "L'Europe laisse les migrants mourir en mer.",
        "Il faut en finir avec les préjugés sur les musulmans.",
        "Il est temps d'en finir avec les discriminations envers les trans.",
        "Les réfugiés ont besoin d'être aidés.",
        "Il faut faire payer les banques, pas les réfugiés.",
        "Des milliers de juifs ont payé de leur vie la haine nazie.",
        "Les trans sont des cibles de harcèlement en ligne.",
        "On devrait laisser les réfugiés travailler.",
        "Les chrétiens d'Orient ont été chassés et tués par Daech.",
    ],
)
def test_look_alikes_of_calls_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "tout le monde s'en fout si je crève",
        "c'est mon dernier jour sur terre",
        "j'ai donné toutes mes affaires, je suis prête à partir",
        "je suis un poids, je vais vous libérer de moi",
        "je suis allée sur le pont hier, la prochaine fois je saute",
    ],
)
def test_signs_of_a_plan_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text


@pytest.mark.parametrize(
    "text",
    [
        # the wish denied with an adverb
        "j'ai pas du tout envie de mourir, je vais bien rassurez-vous",
        "non je veux pas mourir, je veux juste dormir",
        "je me tuerai jamais pour un examen",
        # prevention advice and a relative's attempt long ago
        "si tu as des idées suicidaires, appelle le 3114",
        "mon cousin a tenté de se suicider l'an dernier, il va mieux",
        # a character dies in a game
        "je me suis suicidé dans minecraft en sautant du haut de la tour",
        "je vais le buter au prochain round de fortnite",
        # "je suis mort" said by the living; a mild cause after "tellement"
        "je suis mort, j'ai oublié mon badge",
        "je vais me pendre avec le fil de votre téléphone tellement l'attente est longue",
        # a threat denied without "ne", the object that is a thing, tenderness
        "je vous tuerai pas mais franchement vous abusez",
        "je vais le descendre ce burger",
        "je vais te tuer de bisous",
    ],
)
def test_denials_reports_and_games_stay_below_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) != "S4", text


@pytest.mark.parametrize(
    "text",
    [
        "on va te faire la misère à la sortie t'es mort",
        "mes grands frères vont venir te défoncer",
        "tu verras plus jamais le soleil",
        "je vais te faire disparaître",
        "je ramène mon cousin avec son flingue demain",
    ],
)
def test_teen_threats_are_s4(rail: Playbook, text: str) -> None:
    assert severity(rail, text) == "S4", text
