import threading

import pytest

from canned_replies import Finding, Proofreader, blocking, proofread

pytestmark = pytest.mark.usefixtures("grammalecte")


def _flagged(text: str, findings: list[Finding]) -> list[str]:
    return [text[f.start : f.end] for f in findings]


@pytest.mark.parametrize(
    ("text", "wrong", "fix"),
    [
        ("Nous vous présentons toutes nos excuse pour ce retard.", "excuse", "excuses"),
        ("Nous somme désolés pour ce retard.", "somme", "sommes"),
        ("Votre colis à bien été livré.", "à", "a"),
        ("Nous restons a votre disposition.", "a", "à"),
        ("Indiquez-nous la gare ou vous êtes bloqué.", "ou", "où"),
        ("Un incident c'est produit sur la ligne.", "c'est", "s’est"),
        ("La commande que vous avez passé hier est partie.", "passé", "passée"),
        ("Votre demande a été prise en compte et sera traité demain.", "traité", "traitée"),
        ("N'hésitez pas à nous envoyez une photo.", "envoyez", "envoyer"),
        ("Votre colis vous sera livrer demain.", "livrer", "livré"),
        ("Le trafic est perturbé, notament sur la ligne B.", "notament", "notamment"),
        ("À bientot !", "bientot", "bientôt"),
    ],
)
def test_catches_mistakes_with_span_and_fix(text, wrong, fix):
    findings = proofread(text)
    assert wrong in _flagged(text, findings)
    finding = next(f for f in findings if text[f.start : f.end] == wrong)
    assert fix in finding.suggestions
    assert finding.message
    assert blocking(findings)


def test_clean_reply_has_no_findings():
    text = (
        "Bonjour Camille, nous sommes sincèrement désolés pour ce retard. Les billets que vous "
        "avez achetés sont échangeables sans frais, et nous restons à votre disposition !"
    )
    assert proofread(text) == []
    assert not blocking([])


def test_typography_does_not_block_a_social_media_reply():
    text = "Bonjour ! C'est noté : nous regardons ça... Merci pour votre patience !"
    assert proofread(text) == []
    # Only when asked for, typography is reported.
    assert Proofreader("fr", typography=True).check(text)


def test_handles_urls_hashtags_and_references_are_never_flagged():
    text = (
        "@julie.bsky.social @alice@mastodon.social Bonjour, votre commande CMD-48213 est "
        "suivie sur https://suivi.mercalia.fr/xq7 #livraison 😊 à 14h30."
    )
    assert proofread(text) == []


def test_brand_dictionary_and_proper_nouns_are_not_flagged():
    text = "Ferlys vous remercie. Votre carte Grand Voyageur est valable chez Colissimo et Kévin."
    assert proofread(text, dictionary=["Ferlys", "Grand Voyageur"]) == []
    assert "Ferlys" in _flagged(text, proofread(text))


def test_offsets_stay_valid_after_emoji_and_handles():
    text = "@bob.bsky.social 👨‍👩‍👧‍👦 Bonjour, votre train à été annulé."
    findings = proofread(text)
    assert _flagged(text, findings) == ["à"]


def test_paragraphs_are_checked_separately_with_offsets_in_the_whole_text():
    text = "Bonjour Léa,\n\nNous somme désolés.\n\nÀ bientot !"
    assert _flagged(text, proofread(text)) == ["somme", "bientot"]


def test_finding_to_dict_is_json_ready():
    (finding,) = proofread("Nous vous remercions de votre patiance.")
    data = finding.to_dict()
    assert set(data) == {"start", "end", "message", "suggestions", "rule", "kind", "blocking"}
    assert data["kind"] == "spelling" and data["suggestions"][0] == "patience"
    assert data["blocking"] is True


def test_parallel_requests_give_the_same_results_as_sequential_ones():
    texts = [
        "Nous somme désolés pour ce retard.",
        "Votre colis à bien été livré.",
        "Bonjour Camille, tout est en ordre !",
        "Le train est sensé arriver à 18 h.",
    ] * 5
    expected = [[f.to_dict() for f in proofread(t)] for t in texts]
    results: dict[int, list] = {}

    def work(i: int) -> None:
        results[i] = [f.to_dict() for f in proofread(texts[i])]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(texts))] == expected


def test_a_second_proofreader_does_not_change_the_first_ones_options():
    relaxed = Proofreader("fr")
    Proofreader("fr", typography=True)
    assert relaxed.check("Bonjour ! Merci.") == []


@pytest.mark.parametrize(
    ("text", "wrong", "fix"),
    [
        # Grammalecte lists "due", "note", "Eudes" first; the common word one keystroke away
        # (two letters swapped, a neighbouring key) goes first.
        ("Nous avons envoyé duex colis hier.", "duex", "deux"),
        ("Le magasin du notd est ouvert.", "notd", "nord"),
        ("Les éudes sont terminées.", "éudes", "études"),
        # A key pressed twice, not an accent typed by mistake: "raté", not "ratte".
        ("La livraison a ratté ce matin.", "ratté", "raté"),
    ],
)
def test_the_first_suggestion_is_the_common_word_one_keystroke_away(text, wrong, fix):
    findings = [f for f in proofread(text, "fr") if f.blocking]
    assert _flagged(text, findings) == [wrong]
    assert findings[0].suggestions[0] == fix
