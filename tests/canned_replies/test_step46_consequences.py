"""Step 46 (issue 19): a finding that another one's fix makes vanish, and whose own fix is
wrong once the other is fixed, is a consequence of the same slip: dropped, so no one-click fix
breaks a right word. Pairs where each fix clears the other, or where the second fix is still
right, keep both. Sentences written for these tests; the logic also through a fake checker."""

import pytest

from canned_replies.finding_consequences import without_consequences
from canned_replies.findings import Finding
from tests.canned_replies.blocking import blocking_fixes


def _finding(text: str, word: str, fix: str | None) -> Finding:
    start = text.index(word)
    return Finding(start, start + len(word), "", [fix] if fix else [], "test")


def _fake_check(rules: dict[str, list[tuple[str, str | None]]]):
    """A checker that knows whole sentences: the findings listed for each."""

    def check(sentence: str) -> list[Finding]:
        return [_finding(sentence, w, f) for w, f in rules.get(sentence, [])]

    return check


def test_the_consequence_of_a_fixed_slip_is_dropped() -> None:
    text = "ils son arrivés"
    found = [_finding(text, "son", "sont"), _finding(text, "arrivés", "arrivé")]
    check = _fake_check(
        {
            "ils son arrivé": [("son", "sont")],  # fixing the participle clears nothing
            "ils sont arrivé": [("arrivé", "arrivés")],  # both fixes: a new slip
        }
    )
    assert [f.suggestions for f in without_consequences(text, 0, found, check)] == [["sont"]]


def test_a_second_fix_still_right_keeps_its_finding() -> None:
    text = "qu'il est pas été a la hauteur"
    found = [_finding(text, "est", "ait"), _finding(text, "a ", "à")]
    check = _fake_check({"qu'il est pas été à la hauteur": [("est", "ait")]})
    # Fixing "est" hides the second slip from the checker, but "à" is still right after it.
    assert without_consequences(text, 0, found, check) == found


def test_fixes_that_clear_each_other_keep_both() -> None:
    text = "il nous a envoyer"
    found = [_finding(text, " a ", " à "), _finding(text, "envoyer", "envoyé")]
    assert without_consequences(text, 0, found, _fake_check({})) == found


def test_findings_far_apart_are_not_read_together() -> None:
    text = "son arrivés, et plus loin encore une autre phrase qui arrivés"
    found = [_finding(text, "son", "sont"), Finding(58, 65, "", ["arrivé"], "test")]
    assert without_consequences(text, 0, found, _fake_check({})) == found


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "fixes"),
    [
        ("Les colis son arrivés ce matin.", {"son": "sont"}),
        ("Je te rappelle se midi.", {"se": "ce"}),
        ("On se voit se week-end ?", {"se": "ce"}),
    ],
)
def test_one_slip_gets_one_fix(text: str, fixes: dict[str, str]) -> None:
    assert blocking_fixes(text) == fixes


@pytest.mark.usefixtures("grammalecte")
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Nous regrettons que votre visite n'est pas été a la hauteur.", {"est", "a"}),
        ("Il nous a envoyer un message.", {"a", "envoyer"}),
    ],
)
def test_two_readings_or_two_slips_keep_both(text: str, words: set[str]) -> None:
    assert set(blocking_fixes(text)) == words
