"""Every validation error names the file, line and column and says what is expected."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from playbooks import PlaybookError, load_playbook, load_playbook_file, shipped_playbook_path

from .conftest import make

VALID = """\
format: 1
replies_library: [a.b]
lexicons:
  insultes: {terms: [connard]}
scenarios:
  - id: insulte
    label: Insulte
    severity: S3
    when: {lexicon: insultes}
    replies: [a.b]
"""


def errors_of(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(PlaybookError) as info:
        make(text, **kwargs)  # type: ignore[arg-type]
    return [str(e) for e in info.value.errors]


def test_valid_playbook_loads() -> None:
    pb = make(VALID)
    assert pb.reply_keys == {"a.b"}
    assert len(pb.version) == 12


def test_invalid_yaml_names_the_line() -> None:
    assert errors_of("format: 1\nscenarios: [\n  - id: x\n")[0].startswith("test.yaml:")


def test_unknown_key_is_located_and_suggests() -> None:
    (error,) = errors_of(VALID.replace("    severity: S3", "    severty: S3\n    severity: S3"))
    assert error.startswith("test.yaml:8:5: unknown key 'severty'; did you mean 'severity'?")


def test_missing_key() -> None:
    (error,) = errors_of(VALID.replace("    label: Insulte\n", ""))
    assert "test.yaml:6:5: missing required key 'label'" in error


def test_wrong_value_says_what_is_expected() -> None:
    (error,) = errors_of(VALID.replace("severity: S3", "severity: S9"))
    assert (
        error.startswith("test.yaml:8:15:") and "expected 'S0', 'S1', 'S2', 'S3' or 'S4'" in error
    )


def test_unknown_lexicon() -> None:
    (error,) = errors_of(VALID.replace("{lexicon: insultes}", "{lexicon: insulte}"))
    assert error.startswith("test.yaml:9:21: unknown lexicon 'insulte'; did you mean 'insultes'?")


def test_unknown_condition_kind() -> None:
    (error,) = errors_of(VALID.replace("{lexicon: insultes}", "{lexicom: insultes}"))
    assert error.startswith("test.yaml:9:12: unknown condition 'lexicom'; did you mean 'lexicon'?")


def test_unknown_reply_key_from_the_declared_library() -> None:
    (error,) = errors_of(VALID.replace("replies: [a.b]", "replies: [a.c]"))
    assert error.startswith("test.yaml:10:15: unknown reply key 'a.c'")


def test_unknown_reply_key_from_the_callers_library() -> None:
    text = VALID.replace("replies_library: [a.b]\n", "")
    (error,) = errors_of(text, known_reply_keys={"x.y"})
    assert error.startswith("test.yaml:9:15: unknown reply key 'a.b'")


def test_missing_lexicon_file() -> None:
    text = VALID.replace("{terms: [connard]}", "{files: {fr: nowhere.txt}}")
    (error,) = errors_of(text)
    assert error.startswith("test.yaml:4:26: lexicon file 'nowhere.txt' not found")


def test_lexicon_file_errors_name_the_lexicon_file(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("ok\nfils de (pute\n", encoding="utf-8")
    (tmp_path / "p.yaml").write_text(VALID.replace("{terms: [connard]}", "{files: {fr: bad.txt}}"))
    with pytest.raises(PlaybookError) as info:
        load_playbook_file(tmp_path / "p.yaml")
    assert str(info.value).startswith(f"{tmp_path / 'bad.txt'}:2:1: unbalanced")


def test_invalid_regular_expression() -> None:
    (error,) = errors_of(VALID.replace("{lexicon: insultes}", "{pattern: 'train (\\\\d+'}"))
    assert error.startswith("test.yaml:9:21: 'pattern': invalid regular expression")


def test_decision_conditions_are_refused_in_scenarios() -> None:
    (error,) = errors_of(VALID.replace("{lexicon: insultes}", "{severity: S3}"))
    assert "only allowed in delegation rules" in error


def test_approver_must_fit_the_action() -> None:
    text = VALID + "delegation:\n  - {id: r, when: {vip: true}, action: reply, approver: brand}\n"
    (error,) = errors_of(text)
    assert "action 'reply' takes no approver, not 'brand'" in error


def test_unknown_action() -> None:
    text = VALID + "delegation:\n  - {id: r, when: {vip: true}, action: delete}\n"
    (error,) = errors_of(text)
    assert "unknown action 'delete'" in error


def test_duplicate_scenario_id_and_duplicate_key() -> None:
    text = VALID + "  - {id: insulte, label: B, severity: S1, when: {keywords: [x]}}\n"
    assert any("duplicate scenario id 'insulte'" in e for e in errors_of(text))
    assert "duplicate key 'format'" in errors_of("format: 1\nformat: 1\n")[0]


def test_condition_value_type() -> None:
    (error,) = errors_of(VALID.replace("{lexicon: insultes}", "{vip: yes please}"))
    assert error.startswith("test.yaml:9:17: 'vip': expected a valid boolean")


def test_bad_business_hours_and_timezone() -> None:
    errors = errors_of(VALID + 'timezone: Mars/Olympus\nbusiness_hours: {mon: ["8h", "20:00"]}\n')
    assert any("unknown timezone 'Mars/Olympus'" in e for e in errors)
    assert any("business_hours" in e and "HH:MM" in e for e in errors)


def test_all_issues_are_reported_at_once() -> None:
    text = VALID.replace("{lexicon: insultes}", "{lexicon: nope, vip: 3}")
    assert len(errors_of(text)) == 2


def test_not_a_mapping() -> None:
    assert "expected a mapping" in errors_of("- just\n- a list\n")[0]
    assert "empty playbook" in errors_of("")[0]


@pytest.mark.parametrize("slug", ["demo-rail", "demo-shop"])
def test_malformed_playbooks_never_crash_the_caller(slug: str) -> None:
    """Random damage to a real playbook raises PlaybookError or loads; nothing else."""
    source = shipped_playbook_path(slug).read_text(encoding="utf-8")
    lines = source.splitlines()
    rng = random.Random(slug)
    junk = [
        ":",
        "- ",
        "{",
        "]",
        "  ",
        "\t",
        "&a",
        "*a",
        "!!python/object:os.system",
        "S9",
        "'",
        "#",
    ]
    for _ in range(60):
        damaged = list(lines)
        i = rng.randrange(len(damaged))
        damaged[i] = damaged[i][: rng.randrange(len(damaged[i]) + 1)] + rng.choice(junk)
        try:
            load_playbook("\n".join(damaged), "damaged.yaml", shipped_playbook_path(slug).parent)
        except PlaybookError as exc:
            assert all(e.line >= 1 and e.column >= 1 for e in exc.errors)
            assert str(exc).startswith(
                ("damaged.yaml:", str(shipped_playbook_path(slug).parent.parent))
            )


def test_overrides_must_name_severities() -> None:
    (error,) = errors_of(
        VALID.replace("    replies: [a.b]", "    replies: [a.b]\n    overrides: [S9]")
    )
    assert error.startswith("test.yaml:11:")
    assert "S9" in error or "S0" in error


def test_route_rule_naming_an_unknown_scenario_is_an_error() -> None:
    text = VALID + "route:\n  - id: conflits\n    scenarios: [insulte, insultes]\n    skill: x\n"
    (error,) = errors_of(text)
    assert "unknown scenario 'insultes'" in error
    assert error.startswith("test.yaml:13:")
    make(VALID + "route:\n  - id: conflits\n    scenarios: [insulte]\n    skill: x\n")
