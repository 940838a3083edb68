"""Grouping corrections, finding their words and editing the YAML (issue 18, parts 1 and 3)."""

from __future__ import annotations

from collections import Counter

import playbooks
from app.services import proposal_edits, proposals
from app.services.proposal_data import Reviewed
from app.services.proposal_terms import Correction, group_corrections, over_represented, terms_of

PLAYBOOK = """format: 1
name: Test
# Commentaire en tête : il doit survivre aux modifications.
lexicons:
  retard:
    description: Retards
    terms:
      - retard  # le plus courant
      - en retard
scenarios:
  - id: retard
    label: Retard
    severity: S2
    when: {lexicon: retard}
  # Les insultes, à part.
  - id: insulte
    label: Insulte
    severity: S3
    when: {keywords: [connard, nullissime]}
    unless: {keywords: [blague]}
"""


def _c(text, engine=(), named=(), sev="S2", engine_sev="S1", mid=0):
    return Correction(mid, text, engine_sev, tuple(engine), sev, tuple(named))


def test_terms_fold_case_accents_and_skip_stopwords_and_numbers():
    terms = terms_of("Le TRAIN est en RÉTARD!!! Encore 45 minutes… c'est honteux")
    assert {"train", "retard", "en retard", "honteux"} <= terms
    assert not {"le", "est", "en", "45", "c", "le train est"} & terms
    assert "45 minutes" not in terms  # numbers vary, they are never a rule's word
    assert terms_of("") == set() and terms_of("🙂🙂 !!!") == set()


def test_groups_split_missed_false_alarms_and_severity_moves():
    corrections = [
        _c("a", engine=[], named=["retard"], mid=1),
        _c("b", engine=["insulte"], named=[], sev="S1", engine_sev="S3", mid=2),
        # Both at once: the reviewer swapped one scenario for another.
        _c("c", engine=["insulte"], named=["retard"], mid=3),
        _c("d", engine=["retard"], named=["retard"], sev="S3", engine_sev="S2", mid=4),
        _c("e", engine=["retard"], named=["retard"], sev="S4", engine_sev="S2", mid=5),
        _c("f", engine=["retard"], named=["retard"], sev="S3", engine_sev="S2", mid=6),
        _c("g", engine=["retard"], named=["retard"], sev="S2", engine_sev="S2", mid=7),  # no move
    ]
    groups = {g.key: [c.mention_id for c in g.corrections] for g in group_corrections(corrections)}
    assert groups["missed:retard:"] == [1, 3]
    assert groups["false_alarm:insulte:"] == [2, 3]
    # Severity moves keep the corrections agreeing on the most chosen severity only.
    assert groups["severity:retard:S3"] == [4, 6]


def test_over_represented_terms_need_support_and_rarity_elsewhere():
    group = [terms_of(t) for t in ["panne de signalisation", "encore une panne", "panne ce matin"]]
    rest = Counter({"matin": 400, "signalisation": 1})
    best = over_represented(group, rest, 1000)
    assert best[0].term == "panne" and best[0].in_group == 3
    # "matin" is everywhere in the rest; a word seen once in the group is not support enough.
    assert all(t.term not in {"matin", "signalisation", "encore"} for t in best)
    assert over_represented([], rest, 1000) == []
    common = over_represented(group, Counter({"panne": 900}), 1000)
    assert all(t.term != "panne" for t in common)


def _loads(source: str) -> None:
    playbooks.load_playbook(source, source="test")


def test_lexicon_edits_keep_comments_and_load():
    edited = proposal_edits.add_term_to_lexicon(PLAYBOOK, "retard", "panne")
    assert edited is not None
    _loads(edited)
    assert '      - "panne"\n      - retard  # le plus courant' in edited
    assert "# Commentaire en tête" in edited and "# Les insultes, à part." in edited
    assert proposal_edits.add_term_to_lexicon(PLAYBOOK, "retard", "retard") is None
    assert proposal_edits.add_term_to_lexicon(PLAYBOOK, "inconnu", "x") is None


def test_keyword_triggers_exceptions_and_splits_load():
    trigger = proposal_edits.add_trigger(PLAYBOOK, "insulte", "abruti")
    assert trigger and 'when: {keywords: ["abruti", connard, nullissime]}' in trigger
    _loads(trigger)
    exc = proposal_edits.add_exception(PLAYBOOK, "insulte", 'chat "mignon"')
    assert exc is not None
    _loads(exc)
    assert "blague" in exc and "chat" in exc and "# Les insultes, à part." in exc
    split = proposal_edits.split_scenario(PLAYBOOK, "retard", "quai", "S3")
    assert split is not None
    spec = playbooks.load_playbook(split, source="t").spec
    ids = [s.id for s in spec.scenarios]
    assert ids == ["retard", "retard_quai", "insulte"]
    assert "# Les insultes, à part." in split
    assert proposal_edits.add_exception(PLAYBOOK, "absent", "x") is None


def test_model_bounds_are_found_and_replaced_in_place():
    source = PLAYBOOK + (
        "  - id: menace_modele\n    label: Menace (modèle)\n    severity: S4\n"
        "    when: {any: [{model: {threat: '>= 0.9'}}, {keywords: [tuer]}]}  # seuil\n"
    )
    bounds = proposal_edits.model_bounds(proposal_edits._parse(source)[0])
    assert [(b[0], b[1], b[2]) for b in bounds] == [("menace_modele", "threat", 0.9)]
    edited = proposal_edits.set_model_threshold(source, bounds[0][3], 0.75)
    assert edited == source.replace("'>= 0.9'", '">= 0.75"')


class _FakeScores:
    def __init__(self, probs):
        self.probs = probs


class _FakeScorer:
    def score(self, text):
        return _FakeScores({"threat": 0.8 if "bastos" in text else 0.1})


def test_calibration_proposes_the_threshold_that_agrees_with_reviewers(monkeypatch):
    import playbooks.scorer

    monkeypatch.setattr(playbooks.scorer, "get_scorer", lambda: _FakeScorer())
    source = PLAYBOOK + (
        "  - id: menace_modele\n    label: Menace (modèle)\n    severity: S4\n"
        "    when: {model: {threat: '>= 0.9'}}\n"
    )
    # Reviewers named the scenario on 6 "bastos" mentions the model scored 0.8 (missed at 0.9)
    # and removed nothing: a threshold under 0.8 agrees with all of them.
    reviewed = [
        Reviewed(
            _c(f"je vais te mettre une bastos {i}", named=["menace_modele"], sev="S4", mid=i),
            playbooks.MentionInput(text="x"),
        )
        for i in range(6)
    ] + [
        Reviewed(
            _c("train en retard", engine=["menace_modele"], mid=10 + i),
            playbooks.MentionInput(text="x"),
        )
        for i in range(2)
    ]
    drafts = proposals._calibration_drafts(source, reviewed)
    assert len(drafts) == 1
    d = drafts[0]
    assert d.kind == "threshold" and d.old_threshold == 0.9 and 0.1 < d.new_threshold <= 0.8
    assert d.agreement_after == 1.0 and d.agreement_before == 0.25
    assert d.new_threshold is not None and f'">= {d.new_threshold:.2f}"' in d.source
