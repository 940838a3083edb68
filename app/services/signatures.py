"""Near-duplicate signatures of a mention's text: MinHash and LSH band keys.

Plain Python (no Flask, no database): `app.services.clusters` stores what this computes.
Two mentions are near duplicates when the Jaccard similarity of their character 4-gram
shingles, estimated by MinHash, reaches `THRESHOLD`, or when they share a link or the post
they retweet or quote. Text is normalised first so that a retweet ("RT @a: …"), a copy with
typos, accents dropped, shouted letters ("nuuuul") or the brand's @handle added still match.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NUM_PERM = 64
# 16 bands of 4 rows: two texts with a Jaccard of 0.5 share a band 64% of the time, of 0.7
# 99.6%; candidates are then checked on the whole signature (THRESHOLD).
BANDS, ROWS = 16, 4
THRESHOLD = 0.45
# A variant this close to a stored one adds nothing to the index (a copy-paste campaign of
# 500 identical posts stores one signature, not 500).
COVERED = 0.9
SHINGLE = 4


def _permutations(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations (odd a, b) of datasketch 2's MinHash(seed, scheme="affine32"),
    drawn the same way, so stored signatures stay comparable without importing datasketch
    (which pulls in scipy: ~60 MB per process). numpy freezes RandomState's stream."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_A, _B = _permutations(1)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)

_RT = re.compile(r"^\s*rt\s+@[\w.@-]+\s*:\s*", re.IGNORECASE)
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w])@[\w.]+(?:@[\w.-]+)?")
_NON_WORD = re.compile(r"[^\w#]+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_COMBINING = re.compile("[\u0300-\u036f]")
# Short links of the platforms say nothing about what is linked: not a "same link".
_SHORTENERS = ("t.co/", "bit.ly/", "ow.ly/", "buff.ly/")


@dataclass(frozen=True, slots=True)
class Signature:
    """What clustering stores and compares for one mention."""

    minhash: np.ndarray  # NUM_PERM uint32 values
    bands: tuple[int, ...]  # LSH band keys (signed 64-bit), then link and quoted-post keys
    links: frozenset[int]  # the keys among `bands` that come from links and quoted posts

    def similarity(self, other: np.ndarray) -> float:
        """Estimated Jaccard similarity with another signature's MinHash values."""
        return float(np.count_nonzero(self.minhash == other)) / NUM_PERM

    def to_bytes(self) -> bytes:
        return self.minhash.astype("<u4").tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    """MinHash values as stored by `Signature.to_bytes`."""
    return np.frombuffer(raw, dtype="<u4").astype(np.uint32)


def matrix_from_bytes(raws: Sequence[bytes]) -> np.ndarray:
    """Stored MinHash values, one row per signature (NUM_PERM columns)."""
    return np.frombuffer(b"".join(raws), dtype="<u4").astype(np.uint32).reshape(-1, NUM_PERM)


def normalise(text: str) -> str:
    """Lowercase, no accents, no retweet prefix, links or @handles, letters run down to two."""
    text = _RT.sub("", text or "")
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def links(text: str) -> list[str]:
    """The links a text shares, without scheme, query or trailing slash (shorteners dropped)."""
    found = []
    for url in _URL.findall(text or ""):
        bare = url.split("://", 1)[1].split("?", 1)[0].split("#", 1)[0].rstrip("/.,;!)").lower()
        bare = bare.removeprefix("www.")
        if bare and not bare.startswith(_SHORTENERS):
            found.append(bare)
    return found


def shingles(text: str) -> set[bytes]:
    """Character 4-grams of the normalised text (a short text is its own single shingle)."""
    norm = normalise(text)
    if len(norm) <= SHINGLE:
        return {norm.encode()} if norm else set()
    encoded = norm.encode()
    return {encoded[i : i + SHINGLE] for i in range(len(encoded) - SHINGLE + 1)}


def _key(kind: bytes, payload: bytes) -> int:
    digest = hashlib.blake2b(kind + payload, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def referenced_posts(raw: Any) -> tuple[list[str], list[str]]:
    """Ids and texts of the posts a mention retweets or quotes, from the platform's JSON (X)."""
    if not isinstance(raw, dict):
        return [], []
    data: dict[str, Any] = raw["data"] if isinstance(raw.get("data"), dict) else {}
    ids = [
        str(ref.get("id"))
        for ref in (data.get("referenced_tweets") or [])
        if isinstance(ref, dict) and ref.get("type") in ("retweeted", "quoted") and ref.get("id")
    ]
    included = (raw.get("includes") or {}).get("tweets") or []
    texts = [
        str(t.get("text") or "")
        for t in included
        if isinstance(t, dict) and str(t.get("id")) in ids and t.get("text")
    ]
    return ids, texts


def signature(text: str, raw: Any = None) -> Signature | None:
    """The signature of a mention (None for a text with nothing to compare, like "@brand")."""
    ref_ids, quoted = referenced_posts(raw)
    # A quote is compared on what it quotes too: a wave of quotes of one post forms a cluster.
    full = " ".join([text or "", *quoted])
    grams = shingles(full)
    link_keys = {_key(b"link:", url.encode()) for url in links(full)}
    link_keys |= {_key(b"post:", ref.encode()) for ref in ref_ids}
    if not grams and not link_keys:
        return None
    values = minhash(grams)
    bands = [] if not grams else band_keys(values)
    return Signature(values, tuple(bands) + tuple(sorted(link_keys)), frozenset(link_keys))


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), datasketch's pre-mix of each input hash."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def minhash(grams: Iterable[bytes]) -> np.ndarray:
    """NUM_PERM MinHash values of shingles: crc32 of each, pre-mixed, then min over shingles
    of a * h + b mod 2^32 per permutation (all ones for no shingle), as datasketch computes."""
    hashes = np.fromiter((zlib.crc32(g) for g in grams), dtype=np.uint32)
    if not hashes.size:
        return _EMPTY.copy()
    mixed = _fmix32(hashes).reshape(-1, 1)
    return np.asarray((mixed * _A + _B).min(axis=0), dtype=np.uint32)


_BAND_SALT = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
_FNV = np.uint64(0x100000001B3)


def band_keys(values: np.ndarray) -> list[int]:
    """One key per LSH band: its index and its rows' values mixed into a signed 64-bit int
    (FNV-style, vectorised: the same values give the same keys in every process)."""
    rows = values.astype(np.uint64).reshape(BANDS, ROWS)
    keys = _BAND_SALT.copy()
    with np.errstate(over="ignore"):
        for j in range(ROWS):
            keys = (keys ^ rows[:, j]) * _FNV
    return keys.view(np.int64).tolist()


def best_match(
    sig: Signature, candidates: Iterable[tuple[Any, np.ndarray, frozenset[int]]]
) -> tuple[Any, float] | None:
    """The closest candidate (key, MinHash, link keys) at or above the threshold, if any.

    A shared link or quoted post counts as a match even when the words differ."""
    best: tuple[Any, float] | None = None
    for key, values, link_keys in candidates:
        score = sig.similarity(values)
        if sig.links & link_keys:
            score = max(score, THRESHOLD)
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (key, score)
    return best


def best_of(
    sig: Signature, keys: Sequence[Any], values: np.ndarray, link_keys: Sequence[frozenset[int]]
) -> tuple[Any, float] | None:
    """`best_match` over candidates given as a matrix (one row of MinHash values per key),
    compared in one pass: the same scores, the same first-best on ties."""
    if not keys:
        return None
    scores = np.count_nonzero(values == sig.minhash, axis=1) / NUM_PERM
    if sig.links:
        for i, linked in enumerate(link_keys):
            if sig.links & linked and scores[i] < THRESHOLD:
                scores[i] = THRESHOLD
    best = int(np.argmax(scores))  # the first of the highest
    score = float(scores[best])
    return (keys[best], score) if score >= THRESHOLD else None


def similar(a: str, b: str) -> bool:
    """Whether two texts would fall in one cluster (for tests and the playbook sandbox)."""
    sa, sb = signature(a), signature(b)
    if sa is None or sb is None:
        return False
    return best_match(sa, [(0, sb.minhash, sb.links)]) is not None


def group(texts: Sequence[str]) -> list[int]:
    """Cluster labels of texts, first match wins (a reference for tests of the stored path)."""
    sigs = [signature(t) for t in texts]
    labels: list[int] = []
    for i, sig in enumerate(sigs):
        label = i
        if sig is not None:
            found = best_match(
                sig,
                [(j, s.minhash, s.links) for j, s in enumerate(sigs[:i]) if s is not None],
            )
            if found is not None:
                label = labels[found[0]]
        labels.append(label)
    return labels
