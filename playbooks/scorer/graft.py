"""One head retrained and grafted onto a weights file, the other heads left byte for byte
(issue 13, wave 63): `python -m playbooks.scorer graft-head --label self_harm --out …`.

Retraining all five heads moved the threat look-alikes (waves 55–60); a graft changes one
label's weight column, word-vector share column, bias and calibration only. The new head reads
the base file's vocabulary: the run time divides every head's feature sum by the square root
of the text's number of *known* features (one count shared by the five heads), so a new
vocabulary entry would move every head's score on the texts that hold it.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from .data import STUDY_PATHS, read_jsonl
from .sources import SOURCE_WEIGHT, Example, lexicon_classes, training_examples
from .weights_file import text_array, write_npz

# Issue 19's proofreading split (ids only) and its data: harmless real French (wave 55).
PROOFREAD_SPLIT = Path(__file__).resolve().parents[2] / "benchmarks" / "proofread_split.json"
# Study rows that are a look-alike test's sentence word for word: never trained on (as G, H).
LEFT_OUT = frozenset({"hunts58_fr:h58-0637"})


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every member of a weights file, in the file's order."""
    with zipfile.ZipFile(path) as zf:
        names = [n.removesuffix(".npy") for n in zf.namelist()]
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in names}


def graft(
    base: dict[str, np.ndarray],
    label: str,
    column: np.ndarray,
    emb_column: np.ndarray,
    bias: float,
    calib: tuple[float, float],
    meta: dict[str, Any],
) -> dict[str, np.ndarray]:
    """`base` with one label's head replaced; every other column and member copied as is."""
    labels = bytes(base["labels"].tobytes()).decode("utf-8").split("\n")
    k = labels.index(label)
    out = dict(base)
    for name, values in (("weights", column), ("emb_proj", emb_column)):
        arr = base[name].copy()
        if arr.shape[0] != len(values):
            raise ValueError(f"{name}: {len(values)} rows for a base of {arr.shape[0]}")
        arr[:, k] = values  # cast to the stored dtype (float32 weights, float16 shares)
        out[name] = arr
    for name, value in (("bias", bias), ("calib_a", calib[0]), ("calib_b", calib[1])):
        arr = base[name].copy()
        arr[k] = value
        out[name] = arr
    base_meta = json.loads(bytes(base["meta"].tobytes()).decode("utf-8"))
    out["meta"] = text_array(json.dumps({**base_meta, "grafted": {label: meta}}, sort_keys=True))
    return out


def clean_examples(label: str, data: Path) -> list[Example]:
    """The `clean` sentences of proofreading-fr's tuning part, `label` = 0 and the others
    unknown, one written row each; a DiaBLa dialogue (its turns) is one group."""
    path = data / "proofreading-fr" / "dev.jsonl"
    if not path.is_file():
        return []
    wanted = json.loads(PROOFREAD_SPLIT.read_text(encoding="utf-8"))["tuning"]
    by_id = {r["source_id"]: r for r in read_jsonl(path)}
    out = []
    for sid in wanted:
        row = by_id.get(sid)
        if row is None or "clean" not in row["labels"]:
            continue
        group = sid.rpartition(":")[0] if sid.startswith("diabla:") else sid
        labels: dict[str, int | None] = {label: 0}
        out.append(
            Example(
                row["text"], "fr", labels, "proofread-clean", sid, SOURCE_WEIGHT["examples"], group
            )
        )
    return out


def head_examples(label: str, data: Path) -> list[Example]:
    """The shipped rows with the study sets as probes (each writer one cross-validation group,
    as `exp_writer_oof.train`) and the harmless real French; rows that know `label`."""
    rows = [e for e in training_examples(STUDY_PATHS) if e.source_id not in LEFT_OUT]
    for ex in rows:
        if ex.source == "probes":
            ex.group = "writer:" + ex.source_id.split(":", 1)[0]
    rows += clean_examples(label, data)
    for ex in rows:  # a label a source never gave is unknown, not 0
        ex.labels = {k: v for k, v in ex.labels.items() if k == label}
        ex.labels.setdefault(label, None)
    return [e for e in rows if e.labels[label] is not None]


def train_head(
    base_path: Path, out: Path, label: str, data: Path, *, log: Any = print, oof_out: Path | None
) -> dict[str, Any]:
    """Train `label` over the base file's vocabulary with the shipped recipe; write the graft."""
    from scipy.sparse import csr_matrix, hstack

    from .matrix import build_matrix, embedding_matrix, word_vectors
    from .preprocess import augment, prepare
    from .train import C, fit_label

    base = read_arrays(base_path)
    names = bytes(base["vocab"].tobytes()).decode("utf-8").split("\n")
    vocab = {n: i for i, n in enumerate(names)}
    examples = augment(head_examples(label, data))
    log(f"{len(examples)} rows: {dict(sorted(Counter(e.source for e in examples).items()))}")
    classes = lexicon_classes()
    norms = [prepare(e.text, e.lang).split() for e in examples]
    X = build_matrix(norms, vocab, classes)
    emb_rows, table = word_vectors(log)
    emb_words = [w.decode("ascii") for w in base["emb_words"].tolist()]
    if sorted(emb_rows) != emb_words:
        raise ValueError("the vectors' words differ from the base file's `emb_words`")
    X = hstack([X, csr_matrix(embedding_matrix(norms, emb_rows, table))], format="csr")
    y = np.array([e.labels[label] for e in examples], dtype=np.int64)
    w = np.array([e.weight for e in examples])
    coef, b, a_cal, b_cal, oof = fit_label(X, y, w, [e.group for e in examples], C[label])
    n = len(names)
    emb_column = table[[emb_rows[word] for word in emb_words]] @ coef[n:]
    meta = {
        "rows": dict(sorted(Counter(e.source for e in examples).items())),
        "positive": int(y.sum()),
        "negative": int(len(y) - y.sum()),
        "C": C[label],
        "calibration": "Platt on out-of-fold scores, each study writer one group",
        "study_sets": [p.stem for p in STUDY_PATHS],
        "left_out": sorted(LEFT_OUT),
    }
    write_npz(out, graft(base, label, coef[:n], emb_column, b, (a_cal, b_cal), meta))
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {n} features, {label} grafted)")
    if oof_out is not None:
        probs = {
            e.source_id: round(float(p), 4)
            for e, p in zip(examples, oof, strict=True)
            if not e.source_id.endswith("#aug")
        }
        oof_out.write_text(json.dumps({label: probs}, sort_keys=True), encoding="utf-8")
    return meta
