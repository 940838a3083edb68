"""on/ont decided by the words around them (issue 19, homophones): "les données on été
recueillies" → "ont" (a participle after "on"); "ont se retrouve demain" → "on" (a pronoun or
a finite verb of the third person singular after "ont"). "ont" after its subject ("ils",
"elles") or an elided pronoun ("m'ont", "l'ont") is the verb avoir, whatever follows.
"""

from __future__ import annotations

from collections.abc import Iterator

from canned_replies.findings import Finding
from canned_replies.french_rules import Token, _finding, _same_case
from canned_replies.homophones import _participle_only, _verb_only, run_rules


def rule_on_ont(sentence: list[Token]) -> Iterator[Finding]:
    """ "les données on été recueillies" → "ont"; "ont se retrouve demain" → "on"."""
    for i, token in enumerate(sentence[:-1]):
        prev = sentence[i - 1] if i > 0 else None
        nxt = sentence[i + 1]
        if token.low == "on" and _participle_only(nxt):
            if prev is not None and prev.low in {"l'", "si", "que", "qu'", "et", "quand"}:
                continue  # "si l'on été…": rare, and "on" may have lost its "a"
            subject_before = prev is not None and prev.kind == "word"
            # "Les poursuites, …, on été suspendues": a plural participle after "été" agrees
            # with a subject before the aside, not with "on"
            then = sentence[i + 2] if nxt.low == "été" and i + 2 < len(sentence) else None
            plural = then is not None and prev is not None and then.only(r":Q.*:p")
            fix = "ont" if subject_before or plural else "on a"
            yield _finding(
                token,
                f"Confusion : « {fix} » devant un participe passé.",
                [_same_case(token.text, fix)],
                "on_ont",
            )
        elif token.low == "ont" and not (
            prev and (prev.low in ("ils", "elles") or prev.kind == "elided")
        ):
            # "ils ont fuit" is "fui", "ils m'ont mute" is "muté": the verb avoir.
            starts = prev is None or prev.kind == "punct" or prev.low in {
                "si", "quand", "comme", "lorsque", "lorsqu'", "puisque", "puisqu'", "car",
                "donc", "alors", "où",
            }  # fmt: skip
            strong = nxt.low in {"ne", "n'", "se", "s'", "me", "m'", "te", "t'"} or (
                _verb_only(nxt) and nxt.has(r":3s") and not nxt.has(r":3p")
            )
            weak = nxt.low in {"y", "en", "va", "peut", "doit", "fait", "sait", "veut"}
            if strong or (weak and starts):
                yield _finding(
                    token,
                    "Confusion : le pronom « on » (sujet), pas le verbe « ont ».",
                    [_same_case(token.text, "on")],
                    "on_ont",
                )


def check(text: str) -> list[Finding]:
    """Run the rule over an already masked paragraph, headings left alone."""
    return run_rules(text, [rule_on_ont])
