"""French word knowledge for matching: which words exist, and the forms of a lemma.

Derived once from Grammalecte's dictionary (Debian `python3-grammalecte`, `fr-allvars`,
MPL 2.0) by `python -m playbooks.french build`, and shipped as `lexicons/fr/morphology.npz`
so that nothing depends on Grammalecte at run time:
- `words`: sorted 64-bit hashes of every folded word form (about 430,000): the fuzzy
  matcher never "corrects" a word that exists ("salon" is not a misspelt "salop");
- `forms`: one line per lemma and class (`V` verbs, `NA` nouns and adjectives):
  `lemma<TAB>class<TAB>form form …`, folded like lexicon terms (`tuer` → tue, tuerai, tué…).
Both are loaded on first use and shared by every playbook of the process (~20 MB, 0.3 s).
"""

from __future__ import annotations

import hashlib
import io
import sys
import threading
from array import array
from bisect import bisect_left
from pathlib import Path

import numpy as np

DATA_PATH = Path(__file__).parent / "lexicons" / "fr" / "morphology.npz"
GRAMMALECTE_DIST = "/usr/lib/python3/dist-packages"

_lock = threading.Lock()
_words: np.ndarray | None = None


class _Forms:
    """The `forms` lines as shipped (UTF-8, sorted by "lemma<TAB>class"), where each starts,
    found by binary search: 6 MB a process, where a dict of their 68,000 keys and values took
    14 MB (accented letters make the text 2 bytes a character in a Python str)."""

    __slots__ = ("_blob", "_starts")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        starts = array("I", [0])
        at = blob.find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = blob.find(b"\n", at + 1)
        starts.append(len(blob) + 1)  # as if the last line ended with a newline
        self._starts = starts

    def _key(self, i: int) -> bytes:
        line = self._blob[self._starts[i] : self._starts[i + 1] - 1]
        return line[: line.rfind(b"\t")]

    def get(self, key: str, default: str) -> str:
        """The forms of a "lemma<TAB>class" key ("form form …"), or `default`."""
        wanted = key.encode()
        lines = len(self._starts) - 1
        i = bisect_left(range(lines), wanted, key=self._key)
        if i == lines or self._key(i) != wanted:
            return default
        line = self._blob[self._starts[i] : self._starts[i + 1] - 1]
        return line[line.rfind(b"\t") + 1 :].decode()


# "lemma\tclass" → "form form …" (split on demand: most lemmas are never asked for)
_forms: _Forms | None = None


def word_hash(word: str) -> int:
    """Stable 64-bit hash of a folded word (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _load() -> None:
    global _words, _forms
    with _lock:
        if _forms is not None:
            return
        if not DATA_PATH.is_file():  # a stripped install: no fuzzy guard, no inflections
            _words, _forms = np.zeros(0, dtype=np.uint64), _Forms(b"")
            return
        with np.load(DATA_PATH) as data:
            words = data["words"]
            blob = data["forms"].tobytes()
        _words, _forms = words, _Forms(blob)


_digest: str | None = None


def data_digest() -> str:
    """Short digest of the shipped data (part of a playbook's version when it is used)."""
    global _digest
    if _digest is None:
        raw = DATA_PATH.read_bytes() if DATA_PATH.is_file() else b""
        _digest = hashlib.sha256(raw).hexdigest()[:16]
    return _digest


def is_word(word: str) -> bool:
    """Whether a folded word (lower case, no accents) is a French word form."""
    if _words is None:
        _load()
    assert _words is not None
    if not len(_words):
        return False
    h = np.uint64(word_hash(word))
    i = int(np.searchsorted(_words, h))
    return i < len(_words) and _words[i] == h


def forms_of(lemma: str, classes: tuple[str, ...] = ("NA", "V")) -> tuple[str, ...]:
    """Folded forms of a folded lemma (nouns/adjectives and/or verbs); () if unknown."""
    if _forms is None:
        _load()
    assert _forms is not None
    out: list[str] = []
    for cls in classes:
        out.extend(_forms.get(f"{lemma}\t{cls}", "").split())
    return tuple(dict.fromkeys(out))


def build(out: Path = DATA_PATH) -> tuple[int, int]:
    """Write `morphology.npz` from Grammalecte's dictionary; returns (forms, lemmas)."""
    if GRAMMALECTE_DIST not in sys.path:
        sys.path.append(GRAMMALECTE_DIST)
    import grammalecte.graphspell.ibdawg as ibdawg  # type: ignore[import-not-found]

    from .normalize import normalize_term

    folded: dict[str, str] = {}

    def fold(w: str) -> str:
        f = folded.get(w)
        if f is None:
            f = folded[w] = normalize_term(w).strip()
        return f

    words: set[str] = set()
    lemmas: dict[tuple[str, str], set[str]] = {}
    for flexion, lemma, tags in ibdawg.IBDAWG("fr-allvars.json").select():
        form = fold(flexion)
        if not form:
            continue
        if " " in form:  # "aujourd'hui", "week-end": their parts are tokens of French text
            words.update(form.split())
            continue
        words.add(form)
        pos = tags.split(":")[1] if tags.count(":") else ""
        cls = "V" if pos.startswith("V") else "NA" if pos in ("N", "A") else None
        base = fold(lemma)
        if cls and base and " " not in base:
            lemmas.setdefault((base, cls), set()).add(form)
    hashes = np.array(sorted({word_hash(w) for w in words}), dtype=np.uint64)
    lines = [
        f"{lemma}\t{cls}\t{' '.join(sorted(forms))}"
        for (lemma, cls), forms in sorted(lemmas.items())
    ]
    blob = np.frombuffer("\n".join(lines).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, words=hashes, forms=blob)
    out.write_bytes(buffer.getvalue())
    return len(words), len(lemmas)


if __name__ == "__main__":
    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m playbooks.french build")
    n_words, n_lemmas = build()
    print(f"{DATA_PATH}: {n_words} word forms, {n_lemmas} lemma entries")
