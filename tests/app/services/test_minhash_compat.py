"""The numpy MinHash gives datasketch's values bit for bit: stored signatures stay comparable."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
import zlib

import numpy as np
import pytest

from app.services import signatures

LONG = "Mon colis n'a jamais été livré, commande 12345 " * 40
# Recorded with datasketch 2.0 (MinHash(num_perm=64, seed=1, scheme="affine32", hashfunc=crc32)),
# as stored by the app before it computed them itself: blake2b-8 of `to_bytes()`, first band key.
RECORDED = {
    "https://example.com/a": ("feaee0257933ce3f", 7917311070528881567),  # no shingle: all ones
    "abcd": ("5a533a0f8e50eadf", 3447923634534908359),
    "Le TER de 8h12 Lyon-Grenoble est encore supprimé, c'est inadmissible": (
        "bca58648d0b99e1d",
        3455804514595984021,
    ),
    "😀 émojis ☃ 漢字 テスト ça va": ("274ab27fd3d6a3ba", 8714210658417055110),
    LONG: ("0a3c83fcab6d1abb", -6759507288394290708),
}


def _texts() -> list[str]:
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzéèàçù 0123456789#@!?,.😀漢"
    texts = ["ok", "abcde", "RT @sncf: nuuuuul https://example.com/x?y=1", "x" * 3000, *RECORDED]
    return texts + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(200)
    ]


@pytest.mark.parametrize("text", list(RECORDED))
def test_signatures_match_the_values_recorded_with_datasketch(text):
    sig = signatures.signature(text)
    assert sig is not None and sig.minhash.dtype == np.uint32
    digest = hashlib.blake2b(sig.to_bytes(), digest_size=8).hexdigest()
    assert (digest, sig.bands[0]) == RECORDED[text]


def test_permutations_are_datasketch_seed_1():
    a, b = signatures._permutations(1)
    assert a[:3].tolist() == [3582191691, 4270784983, 1892572953]
    assert b[:3].tolist() == [4114104213, 1768615473, 2289927481]
    assert np.all(a & 1)


def test_minhash_equals_datasketch_over_varied_texts():
    datasketch = pytest.importorskip("datasketch")
    template = datasketch.MinHash(num_perm=signatures.NUM_PERM, seed=1, scheme="affine32")
    a, b = signatures._permutations(1)
    assert np.array_equal(template.permutations[0], a)
    assert np.array_equal(template.permutations[1], b)
    for text in _texts():
        grams = signatures.shingles(text)
        reference = datasketch.MinHash(
            num_perm=signatures.NUM_PERM,
            permutations=template.permutations,
            scheme="affine32",
            hashfunc=zlib.crc32,
        )
        reference.update_batch(list(grams))
        assert np.array_equal(signatures.minhash(grams), reference.hashvalues), text


def test_the_app_and_worker_import_neither_datasketch_nor_scipy():
    """datasketch pulls in scipy (~60 MB per process); scikit-learn is for training only."""
    code = (
        "import sys\n"
        "from app import create_app\n"
        "create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "import app.services.clusters, app.services.compiled_playbooks, app.worker.runner\n"
        "from app.services import signatures\n"
        "signatures.signature('le TER est encore en retard')\n"
        "heavy = {'datasketch', 'scipy', 'sklearn'} & {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
