"""Every condition kind, tested through a one-scenario playbook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from playbooks import AuthorProfile, BrandContext, MentionInput, Playbook
from playbooks.conditions import CONDITIONS, CompileContext, Condition, Finding, register

from .conftest import MONDAY_MORNING, make


def matches(
    when: str,
    mention: MentionInput,
    *,
    now: datetime = MONDAY_MORNING,
    extra: str = "",
    context: BrandContext | None = None,
) -> bool:
    pb = make(
        f"""
format: 1
languages: [fr, en]
{extra}
lexicons:
  insultes: {{terms: ["connard(e)(s)", "con(ne)(s)", "!c'est con"]}}
scenarios:
  - id: s
    label: S
    severity: S2
    when: {when}
"""
    )
    return pb.decide(mention, context, now).scenarios == ["s"]


def m(text: str, **kw: Any) -> MentionInput:
    return MentionInput(text, **kw)


def test_keywords_match_whole_words_and_phrases() -> None:
    when = '{keywords: [retard, "en panne"]}'
    assert matches(when, m("Encore un RETARD"))
    assert matches(when, m("l'ascenseur est en panne"))
    assert not matches(when, m("les retardataires"))


def test_phrase_matches_the_exact_expression() -> None:
    assert matches('{phrase: "objets trouvés"}', m("Où sont les objets trouvés ?"))
    assert not matches('{phrase: "objets trouvés"}', m("objets perdus et trouvés"))


def test_lexicon_matches_variants_and_honours_word_boundaries() -> None:
    assert matches("{lexicon: insultes}", m("Bande de connards"))
    assert matches("{lexicon: insultes}", m("quel c o n"))
    for harmless in ["Le contrôleur", "le conseil régional", "le concert", "Contactez-nous"]:
        assert not matches("{lexicon: insultes}", m(harmless)), harmless


def test_lexicon_exceptions_cancel_the_hit_they_contain() -> None:
    assert not matches("{lexicon: insultes}", m("c'est con ce retard"))
    assert matches("{lexicon: insultes}", m("c'est con, bande de connards"))


def test_pattern_runs_on_normalised_text() -> None:
    assert matches(r"{pattern: 'train \d{4} (supprime|annule)'}", m("Train 6543 SUPPRIMÉ"))


def test_raw_pattern_runs_on_original_text() -> None:
    assert matches(r"{raw_pattern: '\?'}", m("Il part quand ?"))
    assert not matches(r"{raw_pattern: '\?'}", m("Il part demain."))


def test_language_condition() -> None:
    assert matches("{language: en}", m("Thank you so much for your help today, it was great"))
    assert not matches("{language: en}", m("Merci beaucoup pour votre aide aujourd'hui"))
    assert matches("{language: en}", m("ok", lang="en-GB"))


def test_channel_condition() -> None:
    assert matches("{channel: [whatsapp, messenger]}", m("bonjour", channel="WhatsApp"))
    assert not matches("{channel: whatsapp}", m("bonjour", channel="x"))


@pytest.mark.parametrize(
    ("when", "author", "expected"),
    [
        ("{tier: [Platine, Or]}", AuthorProfile(tier="platine"), True),
        ("{tier: [Fer blanc]}", AuthorProfile(tier="Fer Blanc"), True),
        ("{tier: Platine}", AuthorProfile(tier="Argent"), False),
        ("{tier: Platine}", AuthorProfile(), False),
        ("{vip: true}", AuthorProfile(vip=True), True),
        ("{vip: false}", AuthorProfile(vip=True), False),
        ("{verified: true}", AuthorProfile(verified=True), True),
        ("{followers: 10000}", AuthorProfile(followers=12000), True),
        ("{followers: {min: 100, max: 1000}}", AuthorProfile(followers=5000), False),
        ("{followers: {max: 10}}", AuthorProfile(followers=3), True),
    ],
)
def test_author_conditions(when: str, author: AuthorProfile, expected: bool) -> None:
    assert matches(when, m("bonjour", author=author)) is expected


HOURS = 'business_hours: {mon: ["08:00", "20:00"], sat: [["10:00", "12:00"], ["14:00", "18:00"]]}'


def test_business_hours_in_the_brands_timezone() -> None:
    monday_0730_paris = datetime(2026, 1, 5, 6, 30, tzinfo=UTC)  # 07:30 in Paris (UTC+1)
    monday_0830_paris = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    saturday_1300_paris = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # lunch break
    mention = m("bonjour")
    assert matches("{business_hours: false}", mention, now=monday_0730_paris, extra=HOURS)
    assert matches("{business_hours: true}", mention, now=monday_0830_paris, extra=HOURS)
    assert matches("{business_hours: false}", mention, now=saturday_1300_paris, extra=HOURS)


def test_brand_hours_win_over_the_playbooks() -> None:
    brand = BrandContext(timezone="America/New_York", business_hours={"mon": ["00:00", "24:00"]})
    monday_0730_paris = datetime(2026, 1, 5, 6, 30, tzinfo=UTC)  # Monday 01:30 in New York
    assert matches(
        "{business_hours: true}", m("hi"), now=monday_0730_paris, extra=HOURS, context=brand
    )


def test_hours_window_may_run_past_midnight() -> None:
    when = '{hours: {from: "22:00", to: "06:00"}}'
    assert matches(when, m("bonsoir"), now=datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    assert not matches(when, m("bonjour"), now=MONDAY_MORNING)
    weekend = '{hours: {from: "00:00", to: "24:00", days: [sat, sun]}}'
    assert not matches(weekend, m("bonjour"), now=MONDAY_MORNING)


def test_any_all_not_compose() -> None:
    when = (
        "{all: [{keywords: [retard]}, {not: {channel: email}}, {any: [{vip: true}, {tier: Or}]}]}"
    )
    assert matches(when, m("retard", author=AuthorProfile(tier="Or")))
    assert not matches(when, m("retard", channel="email", author=AuthorProfile(vip=True)))
    assert not matches(when, m("retard"))


def test_several_keys_in_one_mapping_mean_all() -> None:
    assert matches("{keywords: [retard], vip: true}", m("retard", author=AuthorProfile(vip=True)))
    assert not matches("{keywords: [retard], vip: true}", m("retard"))


def test_a_list_means_any() -> None:
    assert matches("[{keywords: [retard]}, {keywords: [panne]}]", m("panne"))


def test_decision_conditions_drive_delegation() -> None:
    pb = make(
        """
format: 1
scenarios:
  - {id: retard, label: Retard, severity: S2, categories: [retard], when: {keywords: [retard]}}
  - {id: merci, label: Merci, severity: S1, when: {keywords: [merci]}}
delegation:
  - {id: by-scenario, when: {scenario: merci}, action: ignore}
  - id: by-category
    when: {category: retard, vip: true}
    action: reply_with_approval
    approver: brand
  - {id: by-severity, when: {severity: {min: S2}}, action: escalate}
  - {id: never-reached, when: {severity: S2}, action: hide}
"""
    )
    assert pb.decide(m("merci")).action == "ignore"
    vip = pb.decide(m("retard", author=AuthorProfile(vip=True)))
    assert (vip.action, vip.approver) == ("reply_with_approval", "brand")
    # first matching rule wins
    assert pb.decide(m("retard")).action == "escalate"
    assert any(e.rule == "delegation:by-severity" for e in pb.decide(m("retard")).evidence)


def test_extensions_register_like_builtins() -> None:
    @register
    class LongText(Condition):
        """The mention is longer than N characters."""

        kind = "test_longer_than"
        value_type = int

        def test(self, facts: Any) -> bool:
            return len(facts.mention.text) > self.value

        def findings(self, facts: Any):  # type: ignore[no-untyped-def]
            yield Finding("length", f"{len(facts.mention.text)} caractères")

    try:
        assert matches("{test_longer_than: 10}", m("un message assez long"))
        assert not matches("{test_longer_than: 10}", m("court"))
    finally:
        del CONDITIONS["test_longer_than"]
    assert isinstance(CompileContext, type)


@pytest.mark.parametrize(
    ("when", "rating", "expected"),
    [
        ("{rating: {max: 2}}", 1, True),
        ("{rating: {max: 2}}", 3, False),
        ("{rating: 5}", 5, True),
        ("{rating: {min: 4}}", 4, True),
        ("{rating: {max: 2}}", None, False),  # a comment, not a review
    ],
)
def test_rating_condition(when: str, rating: int | None, expected: bool) -> None:
    assert matches(when, MentionInput("", rating=rating)) is expected


def test_a_silent_one_star_review_is_a_complaint_in_the_shipped_playbooks(rail, shop) -> None:
    for playbook in (rail, shop):
        one = playbook.decide(
            MentionInput("", channel="google_business", rating=1), None, MONDAY_MORNING
        )
        assert "avis_negatif" in one.scenarios and one.severity == "S2"
        five = playbook.decide(
            MentionInput("", channel="google_business", rating=5), None, MONDAY_MORNING
        )
        assert "avis_negatif" not in five.scenarios


@pytest.mark.parametrize("when", ["{rating: {min: 4, max: 2}}", "{rating: 6}", "{rating: {}}"])
def test_rating_bounds_are_checked(when: str) -> None:
    from playbooks import PlaybookError

    with pytest.raises(PlaybookError):
        matches(when, MentionInput("", rating=1))


def test_near_within_clause_reads_further_in_one_clause_only() -> None:
    extra = "lexicons:\n  a: {terms: [chats]}\n  b: {terms: [bruyants]}\n"
    when = "{near: {lexicons: [a, b], within: 2, within_clause: 6}}"

    def near(text: str) -> bool:
        pb = make(
            f"format: 1\n{extra}scenarios:\n  - id: s\n    label: S\n    severity: S2\n"
            f"    when: {when}\n"
        )
        return pb.decide(m(text), None, MONDAY_MORNING).scenarios == ["s"]

    assert near("les chats du voisin sont vraiment très bruyants")  # 5 words, one clause
    assert not near("les chats du voisin, eux, sont vraiment bruyants")  # a comma between
    assert not near("bruyants ce matin dans le jardin les chats")  # predicate first
    assert near("bruyants, les chats")  # within 2 ignores punctuation
    from playbooks import PlaybookError

    with pytest.raises(PlaybookError):
        make(
            f"format: 1\n{extra}scenarios:\n  - id: s\n    label: S\n    severity: S2\n"
            "    when: {near: {lexicons: [a, b], within: 4, within_clause: 2}}\n"
        )


def _at_least_of_three(lexicons: str, tail: str = "") -> Playbook:
    """A playbook whose one scenario `s` holds when two of the lexicons a, b, c match."""
    when = "{at_least: {count: 2, of: [{lexicon: a}, {lexicon: b}, {lexicon: c}]}}"
    return make(
        f"format: 1\n{lexicons}scenarios:\n  - id: s\n    label: S\n    severity: S2\n"
        f"    when: {when}\n{tail}"
    )


def test_at_least_counts_the_listed_conditions_that_hold() -> None:
    extra = (
        "lexicons:\n  a: {terms: [pont]}\n  b: {terms: [ce soir]}\n"
        "  c: {terms: [merci pour tout]}\n"
    )
    pb = _at_least_of_three(extra)

    def holds(text: str) -> bool:
        return pb.decide(m(text), None, MONDAY_MORNING).scenarios == ["s"]

    assert not holds("le pont du pont")  # one condition twice is still one
    assert not holds("merci pour tout")
    assert holds("le pont ce soir")
    assert holds("merci pour tout, le pont, ce soir")
    d = pb.decide(m("le pont ce soir"), None, MONDAY_MORNING, explain=True)
    words = {t for e in d.evidence for t in getattr(e, "terms", ())}
    assert {"pont", "ce soir"} <= words  # every cue that counted is shown


def test_at_least_mixes_kinds_and_checks_its_count() -> None:
    from playbooks import PlaybookError

    when = "{at_least: {count: 2, of: [{keywords: [pont]}, {pattern: 'soir'}, {channel: x}]}}"
    pb = make(
        f"format: 1\nscenarios:\n  - id: s\n    label: S\n    severity: S2\n    when: {when}\n"
    )
    assert pb.decide(MentionInput("le pont", channel="x"), None, MONDAY_MORNING).scenarios == ["s"]
    assert pb.decide(MentionInput("le pont", channel="web"), None, MONDAY_MORNING).scenarios == []
    for bad in (
        "{count: 3, of: [{keywords: [a]}]}",
        "{count: 0, of: [{keywords: [a]}]}",
        "{count: 1, of: []}",
        "{count: 1}",
    ):
        with pytest.raises(PlaybookError):
            make(
                "format: 1\nscenarios:\n  - id: s\n    label: S\n    severity: S2\n"
                f"    when: {{at_least: {bad}}}\n"
            )


def test_at_least_counts_outside_scopes_only() -> None:
    extra = (
        "lexicons:\n  a: {terms: [un fardeau]}\n  b: {terms: [ce soir]}\n"
        "  c: {terms: [la lettre]}\n"
    )
    pb = _at_least_of_three(extra, "    unless_scope: [negated, reported]\n")

    def holds(text: str) -> bool:
        return pb.decide(m(text), None, MONDAY_MORNING).scenarios == ["s"]

    assert holds("je suis un fardeau, ce soir")
    assert not holds("je ne suis pas un fardeau, ce soir je sors")  # one cue left outside
    assert holds("je ne suis pas un fardeau, ce soir j'ai posé la lettre")  # two left outside
