"""What the rule tests read from a proofread: each blocking finding's words and first fix."""

from canned_replies import proofread


def blocking_fixes(text: str) -> dict[str, str]:
    """The blocked words of `text`, each with its first suggestion ("" when there is none)."""
    return {
        text[f.start : f.end]: (f.suggestions[0] if f.suggestions else "")
        for f in proofread(text)
        if f.blocking
    }
