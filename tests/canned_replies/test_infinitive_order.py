"""The infinitive offered after a modal ("je vais tue" → "tuer") is the same in every process:
Grammalecte gathers a form's lemmas in a set, so its order followed the per-process string
hash; canned_replies.grammalecte_engine.infinitives puts the closest spelling first."""

import os
import subprocess
import sys

import pytest

from canned_replies.grammalecte_engine import infinitives
from tests.canned_replies.blocking import blocking_fixes

pytestmark = pytest.mark.usefixtures("grammalecte")


def test_closest_infinitive_first():
    assert infinitives("tue")[:2] == ["tuer", "taire"]
    assert blocking_fixes("Je vais tue ce moustique demain.") == {"tue": "tuer"}


def test_same_order_whatever_the_hash_seed():
    code = "from canned_replies.grammalecte_engine import infinitives; print(infinitives('tue'))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1
