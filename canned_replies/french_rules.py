"""Extra French rules for mistakes Grammalecte lets through in customer-service replies.

Grammalecte looks at a few words around each error; these rules cover frequent mistakes it
misses (measured on canned_replies/eval/fr_errors.jsonl): a subject and its participle far
apart, a participle after "que … avons", "nous" or "vous" with a verb in the wrong person,
a/à, ou/où, et/est, c'est/s'est after words that decide them, and set phrases. They use
Grammalecte's own dictionary for word classes, and stay quiet whenever the reading is in
doubt: a false alarm in a send gate costs more than a miss.
"""

from __future__ import annotations

from canned_replies.findings import Finding
from canned_replies.french_agreement_rules import (
    rule_adjective_noun_number,
    rule_noun_for_verb_after_plural_subject,
    rule_object_before_avoir,
    rule_on_est_participle,
    rule_plural_noun_phrase,
    rule_pronoun_person,
    rule_subject_participle,
)
from canned_replies.french_confusion_rules import (
    peut_etre_findings,
    rule_a_accent,
    rule_c_est_s_est,
    rule_ce_se,
    rule_et_est,
    rule_homophones_before_participle,
    rule_ou_accent,
    set_phrase_findings,
)
from canned_replies.french_verb_form_rules import (
    rule_infinitive_after_modal,
    rule_infinitive_after_preposition,
    rule_participle_after_auxiliary,
    rule_polite_conditional,
)
from canned_replies.french_words import (
    _CONJUGATED,
    ADVERBS_IN_VERB_GROUP,
    AUXILIARIES,
    CLITICS,
    COLLECTIVE_NOUNS,
    DETERMINERS,
    DETERMINERS_PLUR,
    DETERMINERS_SING,
    FEMININE_DETERMINERS,
    GREETINGS,
    Rule,
    Token,
    _finding,
    _gender_number,
    _same_case,
    run_rules,
    sentences,
    tokenize,
)

# Also the vocabulary context_rules, homophones and french read, by the names they import.
__all__ = [
    "ADVERBS_IN_VERB_GROUP",
    "AUXILIARIES",
    "CLITICS",
    "COLLECTIVE_NOUNS",
    "DETERMINERS",
    "DETERMINERS_PLUR",
    "DETERMINERS_SING",
    "FEMININE_DETERMINERS",
    "GREETINGS",
    "RULES",
    "_CONJUGATED",
    "Token",
    "_finding",
    "_gender_number",
    "_same_case",
    "check",
    "sentences",
    "tokenize",
]

RULES: list[Rule] = [
    rule_subject_participle,
    rule_object_before_avoir,
    rule_pronoun_person,
    rule_infinitive_after_preposition,
    rule_a_accent,
    rule_ou_accent,
    rule_c_est_s_est,
    rule_et_est,
    rule_noun_for_verb_after_plural_subject,
    rule_participle_after_auxiliary,
    rule_infinitive_after_modal,
    rule_homophones_before_participle,
    rule_ce_se,
    rule_polite_conditional,
    rule_on_est_participle,
    # Was 0 right of 7 on the tuning part ("dans", "sous" read as nouns): now skips words
    # that are prepositions or grammatical words first.
    rule_adjective_noun_number,
    rule_plural_noun_phrase,
]


def check(text: str) -> list[Finding]:
    """Run the extra rules over an already masked text."""
    found: list[Finding] = list(set_phrase_findings(text))
    found.extend(peut_etre_findings(text))
    found.extend(run_rules(text, RULES))
    return found
