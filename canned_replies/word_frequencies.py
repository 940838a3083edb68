"""Word frequencies from wordfreq's lists, held compactly: the same Zipf values, 5.3 MB a language.

`wordfreq.zipf_frequency` keeps each list twice in Python objects, a dict of 310,000 words to
floats and the lists it was read from: about 57 MB a language, 114 MB for French and English
in every web and worker process. Here a language is one UTF-8 blob of its words, ordered
by a 32-bit hash of each, and numpy arrays (the sorted hashes; where each word starts; its
bucket, in centibels), read bucket by bucket from the package's own file so that no whole list
is ever built. A lookup finds the hash by binary search and compares the bytes. Tokenizing,
digits and rounding are wordfreq's own functions, so the values are identical
(tests/canned_replies/test_word_frequencies.py compares them; a one-off check compared every
word of both lists, 597,881 with upper-cased and capitalised forms, in both languages).
"""

from __future__ import annotations

import gzip
import math
import threading
from array import array
from dataclasses import dataclass

import msgpack
import numpy as np
import wordfreq
from wordfreq.numbers import digit_freq, smash_numbers
from wordfreq.tokens import lossy_tokenize


@dataclass(frozen=True)
class _Table:
    """One language's list in hash order: word i is blob[starts[i]:starts[i + 1]], its hash
    hashes[i], of centibels -buckets[i]."""

    blob: bytearray  # not copied into bytes: the copy would leave 2 MB of free heap behind
    starts: np.ndarray  # uint32, one more than there are words
    buckets: np.ndarray  # uint16: the word's index in the cBpack file
    hashes: np.ndarray  # uint32, sorted: the word's number is its place (no key of 64 bits)

    def bucket(self, word: str) -> int | None:
        """The word's bucket (the last one if the file lists it twice, as wordfreq's dict keeps)."""
        encoded = word.encode("utf-8", "surrogatepass")
        wanted = _hash32(encoded)
        found: int | None = None
        at = int(np.searchsorted(self.hashes, np.uint32(wanted)))
        while at < len(self.hashes) and int(self.hashes[at]) == wanted:
            if self.blob[self.starts[at] : self.starts[at + 1]] == encoded:
                bucket = int(self.buckets[at])
                found = bucket if found is None else max(found, bucket)
            at += 1
        return found


_LOW = 0xFFFFFFFF


def _hash32(word: bytes) -> int:
    """Python's own hash, cut to 32 bits: equal hashes are told apart by comparing the bytes."""
    return hash(word) & _LOW


def _read(path: str) -> _Table:
    """Read a cBpack file (see `wordfreq.read_cBpack`) one bucket at a time."""
    # Typed arrays, not lists: 600,000 Python ints would cost 40 MB at the peak.
    blob = bytearray()
    starts = array("I", [0])
    buckets = array("H")
    keys = array("Q")
    with gzip.open(path, "rb") as stream:
        unpacker = msgpack.Unpacker(stream, raw=True)
        count = unpacker.read_array_header()
        header = unpacker.unpack()
        if header.get(b"format") != b"cB" or header.get(b"version") != 1:
            raise ValueError(f"Unexpected header: {header!r}")
        for index in range(count - 1):
            for word in unpacker.unpack():
                keys.append(_hash32(word) << 32 | len(buckets))
                blob += word
                starts.append(len(blob))
                buckets.append(index)
    sorted_keys = np.frombuffer(keys, dtype=np.uint64)
    sorted_keys.sort()  # in place, in the array's own buffer
    # Words laid out again in hash order: a word's number is then its place among the sorted
    # hashes, so 32 bits a word are enough where a (hash, number) key took 64.
    order = sorted_keys & np.uint64(_LOW)
    hashes = (sorted_keys >> np.uint64(32)).astype(np.uint32)
    del keys, sorted_keys
    words = memoryview(blob)
    in_order = bytearray()
    ordered_starts = array("I", [0])
    for chunk in range(0, len(order), 10_000):  # a few Python ints at a time
        for i in order[chunk : chunk + 10_000].tolist():
            in_order += words[starts[i] : starts[i + 1]]
            ordered_starts.append(len(in_order))
    words.release()
    return _Table(
        blob=in_order,
        starts=np.frombuffer(ordered_starts, dtype=np.uint32),
        buckets=np.frombuffer(buckets, dtype=np.uint16)[order],
        hashes=hashes,
    )


_lock = threading.Lock()
_tables: dict[str, _Table] = {}


def table(lang: str) -> _Table:
    """The language's list ('best': large if there is one), read once, under a lock."""
    found = _tables.get(lang)
    if found is None:
        with _lock:
            found = _tables.get(lang)
            if found is None:
                paths = wordfreq.available_languages("best")
                if lang not in paths:
                    raise LookupError(f"No wordlist available for language {lang!r}")
                found = _tables[lang] = _read(paths[lang])
    return found


def word_frequency(word: str, lang: str, minimum: float = 0.0) -> float:
    """`wordfreq.word_frequency(word, lang, minimum=minimum)`: its steps on the compact table."""
    tokens = lossy_tokenize(word, lang)
    if not tokens:
        return minimum
    words = table(lang)
    one_over_result = 0.0
    for token in tokens:
        smashed = smash_numbers(token)
        bucket = words.bucket(smashed)
        if bucket is None:
            return minimum
        freq = wordfreq.cB_to_freq(-bucket)
        if smashed != token:
            freq *= digit_freq(token)
        one_over_result += 1.0 / freq
    freq = 1.0 / one_over_result
    if wordfreq.get_language_info(lang)["tokenizer"] == "jieba":
        freq *= wordfreq.INFERRED_SPACE_FACTOR ** -(len(tokens) - 1)
    unrounded = max(freq, minimum)
    if unrounded == 0.0:
        return 0.0
    leading_zeroes = math.floor(-math.log(unrounded, 10))
    return round(unrounded, leading_zeroes + 3)


def zipf_frequency(word: str, lang: str) -> float:
    """`wordfreq.zipf_frequency(word, lang)` (minimum 0)."""
    freq = word_frequency(word, lang, wordfreq.zipf_to_freq(0.0))
    return round(wordfreq.freq_to_zipf(freq), 2)
