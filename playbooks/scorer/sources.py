"""The scorer's training rows: what each source says, mapped onto the five labels.

Sources: the project's written examples (`models/examples_fr.txt`), RTP-LX from
`../shared/train-data`, and the tune parts of the dev sets in `../shared/eval-data` (their
validation parts, listed in `models/splits.json`, are never read here). Also the lexicon
classes the features use (`INS`, `GRP`, `BAD`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data import (
    AUTHOR_PATHS,
    EXAMPLES_PATH,
    OWN_SET_PATHS,
    PROBE_PATHS,
    TRAIN_DATA,
    dev_rows,
    load_split,
    read_jsonl,
)

LABELS = ("toxicity", "insult", "hate", "threat", "self_harm")
SEED = 20261201
LEXICONS_DIR = Path(__file__).resolve().parents[1] / "lexicons"
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
# How many written rows one frame of `examples_fr.txt` (a sentence read once per group)
# weighs in all.
FRAME_ROWS = 6.0
# What the authors' rows teach (wave 19, model card). Their insults, hate and toxicity raised
# false alarms on every held-out set (rough but harmless posts pushed over); their threats and
# distress generalised to new writers without that cost. Their other labels stay unknown.
AUTHORS_TEACH = ("threat", "self_harm")
# What the writers' probe posts teach (waves 30–31, model card). In wave 30 teaching insult
# and hate too failed the tune-side check (HateCheck, MLMA false alarms +4.7 / +4.8 points):
# the cost was `haine_modele`/`insulte_modele` on sentences addressing no one; since wave 31
# those scenarios are gated by structure, so the probes teach insult and hate. `toxicity`
# stays unknown.
PROBES_TEACH: tuple[str, ...] = ("threat", "self_harm", "insult", "hate")
# A probe row's labels from its kind (the others 0). A `legal` row, and a benign row expected
# only below S4, say nothing a label can hold: left out.
LABELS_OF_KIND: dict[str, dict[str, int]] = {
    "insult": {"insult": 1, "toxicity": 1},
    "hate": {"hate": 1, "toxicity": 1},
    "threat": {"threat": 1, "toxicity": 1},
    "suicidal": {"self_harm": 1},
    "trash": {"toxicity": 1},
    "hyperbole": {},
    "benign": {},
    "counter": {},
}

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
    """The project's own examples: sections headed `## fr: insult toxicity` (or `## en: none`).

    `## groupes: musulmans | femmes | …` lists groups (plural nouns); a line holding `{G}` is
    a frame, written once and read once per group ("j'ai grandi avec des {G}"): counterfactual
    sentences that name a group without hostility, so that naming one is no sign of hate.
    "de {G}" and "que {G}" elide before a vowel. A frame's sentences share one
    cross-validation group (`examples-frame:LINE`) and weigh `FRAME_ROWS` written rows in all.
    """
    out: list[Example] = []
    lang, labels = "fr", _all(0)
    groups: list[str] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("##"):
            head, _, names = line[2:].partition(":")
            if head.strip() == "groupes":
                groups = [g.strip() for g in names.split("|") if g.strip()]
                continue
            lang = head.strip()
            wanted = names.split()
            unknown = set(wanted) - {*LABELS, "none"}
            if unknown:
                raise ValueError(f"{path}:{n}: unknown labels {sorted(unknown)}")
            labels = {k: int(k in wanted) for k in LABELS}
            if "insult" in wanted or "hate" in wanted or "threat" in wanted:
                labels["toxicity"] = 1
            continue
        if "{G}" in line:
            if not groups:
                raise ValueError(f"{path}:{n}: a frame before any `## groupes:` line")
            # A frame teaches what naming a group is not (hate, insult, toxicity); whether a
            # group sentence is a threat or distress it leaves to the other rows.
            framed: Labels = {**labels, "threat": None, "self_harm": None}
            for k, group in enumerate(groups):
                out.append(
                    Example(
                        fill_frame(line, group),
                        lang,
                        dict(framed),
                        "examples",
                        f"examples:{n}:{k}",
                        group=f"examples-frame:{n}",
                    )
                )
            continue
        out.append(Example(line, lang, dict(labels), "examples", f"examples:{n}"))
    return out


def fill_frame(frame: str, group: str) -> str:
    """A frame with its `{G}` replaced by a group, eliding "de" and "que" before a vowel."""
    if group[:1].lower() in "aeiouyhéèêâîôû":
        frame = frame.replace("de {G}", "d'{G}").replace("que {G}", "qu'{G}")
    return frame.replace("{G}", group)


# --- reading the sources --------------------------------------------------------------------


def training_examples(probe_paths: tuple[Path, ...] | None = None) -> list[Example]:
    """Every training example, in a fixed order; the validation parts are left out.
    `probe_paths`: the probes read (default `PROBE_PATHS`, the shipped recipe's)."""
    validation = load_split()
    out: list[Example] = read_examples()
    for lang in ("fr", "en"):
        path = TRAIN_DATA / f"rtplx-{lang}" / "train.jsonl"
        if path.is_file():
            for row in read_jsonl(path):
                labels = rtplx_labels(row["meta"]["scores"])
                out.append(Example(row["text"], lang, labels, f"rtplx-{lang}", row["source_id"]))
    for ex, row in _dev_examples(validation, held_out=False):
        if ex.source == "mhc-fr":
            ex.group = f"mhc-template:{row['meta']['templ_id']}"
        out.append(ex)
    # A HateCheck template is one sentence repeated for every group: it counts as about two
    # rows, so the templates (not the group names) teach the model. A written frame counts as
    # `FRAME_ROWS` rows: it is there to outweigh the hateful templates naming the same groups.
    template_size = Counter(ex.group for ex in out if ex.group)
    for ex in out:
        ex.weight = SOURCE_WEIGHT[ex.source]
        if ex.group:
            rows = FRAME_ROWS if ex.group.startswith("examples-frame:") else 2.0
            ex.weight *= rows / template_size[ex.group]
        else:
            ex.group = ex.source_id
    return out + author_examples() + probe_examples(probe_paths)


def author_examples(
    paths: tuple[Path, ...] = AUTHOR_PATHS, teach: tuple[str, ...] | None = None
) -> list[Example]:
    """The authors' rows, each weighing one written row and teaching the labels `teach` only.

    Each row is its own cross-validation group, named by its file so that line numbers of two
    files never share one (a frame's sentences share theirs).
    """
    teach = AUTHORS_TEACH if teach is None else teach
    out: list[Example] = []
    for path in paths:
        for ex in read_examples(path):
            ex.source_id = f"{path.stem}:{ex.source_id}"
            ex.weight = SOURCE_WEIGHT["examples"]
            ex.group = ex.group.replace("examples-frame:", f"{path.stem}-frame:") or ex.source_id
            ex.labels = {k: (v if k in teach else None) for k, v in ex.labels.items()}
            out.append(ex)
    return out


def probe_labels(row: dict[str, Any]) -> Labels | None:
    """A probe row's labels from its kind, every label known; None for a row left out."""
    kind = row["kind"]
    if kind not in LABELS_OF_KIND or (kind == "benign" and row["expect"] != "<S3"):
        return None
    labels: Labels = dict.fromkeys(LABELS, 0)
    labels.update(LABELS_OF_KIND[kind])
    return labels


def probe_examples(
    paths: tuple[Path, ...] | None = None, teach: tuple[str, ...] | None = None
) -> list[Example]:
    """The probes' posts (both splits), labelled from their kind, each weighing one written
    row, its own cross-validation group, teaching the labels `teach` only. A post that is also
    one of the project's own evaluation mentions is left out: those sets stay unseen."""
    from ..normalize import normalize

    paths = PROBE_PATHS if paths is None else paths
    teach = PROBES_TEACH if teach is None else teach
    own = {
        normalize(row["text"]).text.strip()
        for path in OWN_SET_PATHS
        if path.is_file()
        for row in read_jsonl(path)
    }
    out: list[Example] = []
    for path in paths:
        for row in read_jsonl(path):
            labels = probe_labels(row)
            if labels is None or normalize(row["text"]).text.strip() in own:
                continue
            labels = {k: (v if k in teach else None) for k, v in labels.items()}
            sid = f"{path.stem}:{row['id']}"
            weight = SOURCE_WEIGHT["examples"]
            lang = row.get("lang", "fr")
            out.append(Example(row["text"], lang, labels, "probes", sid, weight, group=sid))
    return out


def validation_examples() -> list[Example]:
    """The held-out validation parts of the dev sets, labelled like training rows."""
    return [ex for ex, _ in _dev_examples(load_split(), held_out=True)]


def _dev_examples(
    validation: dict[str, set[str]], *, held_out: bool
) -> Iterator[tuple[Example, dict[str, Any]]]:
    """The labelled rows of each dev set, either its tune part or its held-out validation part,
    each with the row it came from."""
    for name, lang, mapper in (
        ("mhc-fr", "fr", mhc_labels),
        ("mlma-fr", "fr", mlma_labels),
        ("davidson-en", "en", davidson_labels),
    ):
        held = validation.get(name, set())
        for row in dev_rows(name):
            if (row["source_id"] in held) != held_out:
                continue
            labels = mapper(row)
            if labels is not None:
                yield Example(row["text"], lang, labels, name, row["source_id"]), row


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
