"""Kept for branches written before the merge: the factories are one module, tests.factories."""

from tests.factories import account_for, add_mention, make_canned, make_case

__all__ = ["account_for", "add_mention", "make_canned", "make_case"]
