"""Writing a weights file: numpy arrays in a zip, byte for byte reproducible, never pickled."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np


def text_array(text: str) -> np.ndarray:
    """A string as a uint8 array (the run time reads it back with `runtime._text`)."""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def write_npz(out: Path, arrays: dict[str, np.ndarray]) -> None:
    """An `.npz` with the members in the given order and fixed timestamps."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
