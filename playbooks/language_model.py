"""py3langid's model read straight into what an identifier keeps: 45 MB a process, 64 MB less
at the peak.

`LanguageIdentifier.from_model_file` holds the score table of all 142 languages (27 MB as
float16) to undo a restriction we never undo, and reads its tokenizer (a 37 MB transition
table) into a numpy array before copying it into an `array`: for a moment a process holds
both, plus the table. Here the model file is read member by member in 1 MB pieces: the
tokenizer straight into its `array`, and only the columns of the playbook's languages of the
score table. The identifier's arrays and lists are the ones py3langid builds (same values,
types and order), so it classifies exactly as `from_model_file` + `set_languages` do; the
tokenizer is shared by the identifiers of every language set.
"""

from __future__ import annotations

import copy
import lzma
import math
import shutil
import tempfile
import threading
import zipfile
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import IO, Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from .heap import release_freed

_CHUNK = 1 << 20
_TYPECODE = {2: "H", 4: "I", 8: "L"}  # py3langid.modelio's: unsigned ints by item size
_lock = threading.Lock()
_tokenizer: LanguageIdentifier | None = None  # an identifier without scores: copied


@contextmanager
def _model_zip() -> Iterator[zipfile.ZipFile]:
    """The model's npz, decompressed to a temporary file (never whole in memory)."""
    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(MODEL_DIR / MODEL_FILE) as src:
            shutil.copyfileobj(src, tmp, length=_CHUNK)
        release_freed()  # the decompressor's window (~15 MB), from a heap that keeps it
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as zipped:
            yield zipped


def _header(stream: IO[bytes]) -> tuple[tuple[int, ...], np.dtype[Any]]:
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    if fortran:
        raise ValueError("py3langid model: Fortran-ordered array")
    return shape, dtype


def _small(zipped: zipfile.ZipFile, name: str) -> np.ndarray:
    with zipped.open(f"{name}.npy") as stream:
        return np.lib.format.read_array(stream, allow_pickle=False)


def _typed_array(zipped: zipfile.ZipFile, name: str) -> array:
    """An unsigned-int member as a stdlib array, allocated at its size (the header's) and
    filled 1 MB at a time. Grown piece by piece instead, the 37 MB tokenizer was copied as it
    grew, into a heap that kept the copies: +35 MB at a compile's peak, given back only by
    `malloc_trim`."""
    with zipped.open(f"{name}.npy") as stream:
        shape, dtype = _header(stream)
        if dtype.byteorder not in ("=", "|", "<") or dtype.kind != "u":
            raise ValueError(f"py3langid model: unexpected {name} type {dtype}")
        out = array(_TYPECODE[dtype.itemsize], [0]) * math.prod(shape)
        with memoryview(out).cast("B") as view:
            filled = 0
            while piece := stream.read(_CHUNK):
                view[filled : filled + len(piece)] = piece
                filled += len(piece)
            if filled != len(view):
                raise ValueError(f"py3langid model: {name} holds {filled} bytes, not {len(view)}")
    return out


def _columns(zipped: zipfile.ZipFile, indices: list[int]) -> np.ndarray:
    """The score table's columns `indices`, as `ptc[:, indices]` gives them."""
    with zipped.open("ptc.npy") as stream:
        shape, dtype = _header(stream)
        rows, width = shape
        row_bytes = width * dtype.itemsize
        step = max(1, _CHUNK // row_bytes)
        parts = []
        for _ in range(0, rows, step):
            piece = stream.read(step * row_bytes)
            parts.append(np.frombuffer(piece, dtype=dtype).reshape(-1, width)[:, indices])
    return np.concatenate(parts) if parts else np.zeros((0, len(indices)), dtype)


@lru_cache(maxsize=8)
def identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    """py3langid's identifier restricted to `languages` (read once per language set)."""
    global _tokenizer
    with _lock, _model_zip() as zipped:
        classes: list[str] = _small(zipped, "classes").tolist()
        wanted = set(languages)
        unknown = wanted - set(classes)
        if unknown:
            raise ValueError(f"Unknown language code(s): {unknown}")
        indices = [i for i, c in enumerate(classes) if c in wanted]
        ptc = _columns(zipped, indices)
        pc = _small(zipped, "pc")[indices]
        if _tokenizer is None:
            nextmove = _typed_array(zipped, "nextmove")
            row = _typed_array(zipped, "nextmove_row")
            output = _small(zipped, "out_feat").tolist()
            empty = np.zeros((0, 0), dtype=ptc.dtype)
            _tokenizer = LanguageIdentifier(empty, pc[:0], [], nextmove, output, tk_row=row)
        ident = copy.copy(_tokenizer)  # its tokenizer and row offsets, shared
        ident.nb_ptc, ident.nb_pc, ident.nb_classes = ptc, pc, [classes[i] for i in indices]
        ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
        ident._set_alias_pairs()
        return ident
